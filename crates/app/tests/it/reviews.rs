//! The re-review of unfounded closures end to end: the closer's endorsement, the queue filled
//! by rule, reviewers excluded, methods and checks, and a returned lead reopened at its unit
//! with the resubmission deadline.

use app::{AppError, NewAccount};
use domain::{
    LeadId,
    ledger::lead::LeadStatus,
    lifecycle::{
        deadline::RuleCode,
        step::Step,
        timeline::{Activity, EventKind, Payload},
    },
    oversight::{
        review::{DrawInput, ReviewReason},
        reviewing::{ChecksInput, MethodInput, ResultInput, ReviewState},
    },
    protection::role::Role,
};
use store::Backend;

use crate::support::*;

testkit::both!(a_review_from_the_queue_to_returned_reopens_the_lead_at_its_unit);

async fn account(w: &World, name: &str, unit: domain::UnitId, role: Role) -> app::Actor {
    w.app
        .protection()
        .create_account(&NewAccount {
            username: name,
            display_name: name,
            unit,
            password: PW,
            must_change_password: false,
            real_name: "",
            id_number: "",
            roles: &[(role, unit)],
        })
        .await
        .unwrap();
    actor(w, name).await
}

fn invalid_code<T: std::fmt::Debug>(r: Result<T, AppError>) -> &'static str {
    match r {
        Err(AppError::Invalid(i)) => i.0[0].code,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

async fn a_review_from_the_queue_to_returned_reopens_the_lead_at_its_unit(b: Backend) {
    let w = world(b).await;
    let sup = actor(&w, "sup").await;
    let reviewer = account(&w, "sup2", w.committee, Role::Supervisor).await;
    let of_unit = account(&w, "sup_a", w.hospital_a, Role::Supervisor).await;
    let named = account(&w, "韩某某", w.committee, Role::Supervisor).await;
    let keeper = actor(&w, "insp_a").await.ledger_keeper().unwrap();
    let register = |summary: &'static str, subject: &'static str, category: &'static str| {
        let keeper = keeper.clone();
        let w = &w;
        async move {
            let mut i = input(w.hospital_a, summary, subject);
            i.category = category.into();
            w.app.ledger().register(&keeper, &i).await.unwrap().into_visible().unwrap().id
        }
    };
    let umbrella = register("反映韩某某为涉黑团伙充当保护伞", "韩某某", "protective_umbrella").await;
    let plain = register("反映食堂承包违规转包", "钱某", "work_style").await;
    let open = register("反映采购科收受回扣", "孙某", "work_style").await;
    close_unfounded(&w, &keeper, umbrella).await;
    close_unfounded(&w, &keeper, plain).await;

    // The closer signed for the 查否 finding as they proposed it: on the timeline, with a hash.
    let timeline = w.app.lifecycle().timeline(keeper.reader(), umbrella).await.unwrap();
    let signed = timeline.iter().find(|e| e.kind == EventKind::Activity(Activity::Endorsement)).unwrap();
    assert!(matches!(&signed.payload, Some(Payload::Endorsed { hash }) if hash.len() == 64));
    assert_eq!(signed.actor_name, "insp_a");

    // Only the committee fills the queue; a draw with no rule is refused, nothing written.
    let rules_only = DrawInput { categories: true, ..Default::default() };
    assert!(matches!(
        w.app.oversight().draw_reviews(&keeper.reader().actor().clone(), &rules_only).await,
        Err(AppError::Forbidden)
    ));
    assert_eq!(invalid_code(w.app.oversight().draw_reviews(&sup, &DrawInput::default()).await), "no_rule");
    assert_eq!(w.app.oversight().review_queue(&sup, None, 1).await.unwrap().total, 0);

    // By the category rule: the umbrella closure alone, with its reason; the open lead never.
    let done = w.app.oversight().draw_reviews(&sup, &rules_only).await.unwrap();
    assert_eq!((done.considered, done.picked), (2, 1));
    let queue = w.app.oversight().review_queue(&sup, None, 1).await.unwrap();
    assert_eq!(queue.items.len(), 1);
    let item = &queue.items[0];
    assert_eq!(
        (item.lead_id, item.reasons.as_slice(), item.state),
        (umbrella, &[ReviewReason::Category][..], ReviewState::Queued)
    );
    // Drawn again with everything: only the closure not yet taken up (no second review at once).
    let all = DrawInput { all: true, seed: "42".into(), ..Default::default() };
    let second = w.app.oversight().draw_reviews(&sup, &all).await.unwrap();
    assert_eq!((second.considered, second.picked, second.seed.as_str()), (1, 1, "42"));
    assert_eq!(w.app.oversight().draw_reviews(&sup, &all).await.unwrap().picked, 0);
    let queue = w.app.oversight().review_queue(&sup, None, 1).await.unwrap();
    assert_eq!(queue.total, 2);
    assert!(queue.items.iter().all(|r| r.lead_id != open));
    assert_eq!(queue.draws[0].seed, "42");
    // 乙医院's inspector sees none of 甲医院's reviews; 甲医院's sees both.
    let insp_b = actor(&w, "insp_b").await;
    assert_eq!(w.app.oversight().review_queue(&insp_b, None, 1).await.unwrap().total, 0);
    assert_eq!(w.app.oversight().review_queue(keeper.reader().actor(), None, 1).await.unwrap().total, 2);
    let id = item.id;
    assert!(matches!(w.app.oversight().review(&insp_b, id).await, Err(AppError::NotFound)));

    // The review shows the endorsement; reviewers of the handling unit or named in the lead
    // are refused, and are not offered.
    let detail = w.app.oversight().review(&sup, id).await.unwrap();
    assert_eq!(detail.endorsement.as_ref().unwrap().signer, "insp_a");
    assert!(detail.may_assign && !detail.may_record);
    let offered: Vec<&str> = detail.candidates.iter().map(|c| c.name.as_str()).collect();
    assert!(offered.contains(&"sup2") && !offered.contains(&"sup_a") && !offered.contains(&"韩某某"), "{offered:?}");
    let assign = |users: Vec<i64>| {
        let sup = sup.clone();
        let w = &w;
        async move { w.app.oversight().assign_reviewers(&sup, id, &users).await }
    };
    assert_eq!(invalid_code(assign(vec![of_unit.id.get()]).await), "handling_unit");
    assert_eq!(invalid_code(assign(vec![named.id.get()]).await), "named_in_lead");
    assert_eq!(invalid_code(assign(vec![keeper.reader().actor().id.get()]).await), "not_candidate");
    assert_eq!(invalid_code(assign(vec![]).await), "required");
    assert!(w.app.oversight().review(&sup, id).await.unwrap().reviewers.is_empty(), "nothing written");

    // A result before the work is refused; only the assigned reviewer records.
    assign(vec![reviewer.id.get()]).await.unwrap();
    let result = ResultInput {
        result: "returned".into(),
        note: "未调取银行流水即作查否，退回重新调查".into(),
        accountability: true,
    };
    assert_eq!(invalid_code(w.app.oversight().decide_review(&reviewer, id, &result).await), "no_methods");
    let method = MethodInput {
        method: "files".into(),
        held_on: "2019-11-27".into(),
        persons: "sup2".into(),
        notes: "调阅初核卷宗，未见银行流水".into(),
    };
    assert_eq!(invalid_code(w.app.oversight().record_method(&sup, id, &method).await), "not_reviewer");
    let future = MethodInput { held_on: "2019-11-29".into(), ..method.clone() };
    assert_eq!(invalid_code(w.app.oversight().record_method(&reviewer, id, &future).await), "future");
    w.app.oversight().record_method(&reviewer, id, &method).await.unwrap();
    // Files: the assigned reviewer's alone, while the review is open; shown by the review.
    let notes = "调阅记录：初核卷宗一册，无银行流水。".as_bytes();
    let attach = |who: app::Actor| {
        let w = &w;
        async move {
            let r = w.app.reporters();
            let mut up = r.attach_begin(&who, app::AttachPlace::Review(id), "调阅记录.txt", notes).await?;
            r.attach_more(&mut up, notes).await?;
            r.attach_finish(&who, up).await
        }
    };
    assert_eq!(invalid_code(attach(sup.clone()).await), "not_reviewer");
    assert!(matches!(attach(keeper.reader().actor().clone()).await, Err(AppError::Forbidden)), "the unit's keeper");
    let kept = attach(reviewer.clone()).await.unwrap();
    assert_eq!((kept.record, kept.record_id), (domain::reporters::attachment::RecordKind::Review, Some(id)));
    let files = w.app.oversight().review(&sup, id).await.unwrap().files;
    assert_eq!(files.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(), ["调阅记录.txt"]);
    let checks = ChecksInput {
        political: "no_problem".into(),
        political_reason: "党委专题研究过两次".into(),
        dereliction: "problem".into(),
        dereliction_reason: "未调取银行流水即作查否".into(),
        depth: "problem".into(),
        depth_reason: "未核查其亲属经营的公司".into(),
    };
    w.app.oversight().record_checks(&reviewer, id, &checks).await.unwrap();
    let lead_before = w.app.ledger().lead(keeper.reader(), umbrella).await.unwrap();
    assert_eq!(lead_before.status, LeadStatus::Concluded);

    // Returned: the lead reopens at its unit, by a transition, with 2 working days to resubmit
    // (2019-11-28 is a Thursday: Friday and Monday).
    assert_eq!(w.app.oversight().decide_review(&reviewer, id, &result).await.unwrap(), ReviewState::Returned);
    assert_eq!(invalid_code(attach(reviewer.clone()).await), "decided", "no files after the result");
    let lead = w.app.ledger().lead(keeper.reader(), umbrella).await.unwrap();
    assert_eq!((lead.status, lead.unit_id, lead.finding), (LeadStatus::Assessed, w.hospital_a, None));
    assert_eq!(domain::dates::format_date(lead.deadline), "2019-12-02");
    assert_eq!(lead.deadline_rule, Some(RuleCode::ReviewResubmission));
    let timeline = w.app.lifecycle().timeline(keeper.reader(), umbrella).await.unwrap();
    let reopen = timeline.iter().rev().find(|e| e.kind == EventKind::Step(Step::Reopen)).unwrap();
    assert_eq!((reopen.from_status, reopen.to_status), (Some(LeadStatus::Concluded), Some(LeadStatus::Assessed)));
    assert!(matches!(reopen.payload, Some(Payload::ReviewDecided { resubmit_due: Some(_), .. })));
    // Given once; the figures count it against 甲医院.
    assert_eq!(invalid_code(w.app.oversight().decide_review(&reviewer, id, &result).await), "decided");
    let queue = w.app.oversight().review_queue(&sup, None, 1).await.unwrap();
    let a = queue.figures.iter().find(|f| f.unit_id == w.hospital_a.get()).unwrap();
    assert_eq!((a.reviews, a.open, a.upheld, a.returned), (2, 1, 0, 1));
    let returned = w.app.oversight().review_queue(&sup, Some(ReviewState::Returned), 1).await.unwrap();
    assert_eq!(returned.items.iter().map(|r| r.lead_id).collect::<Vec<LeadId>>(), [umbrella]);

    // Concluded 查否 again, it can be reviewed again — and its unit now had a review returned.
    w.clock.set(NOW + time::Duration::days(1));
    let mut conclude = app::StepInput {
        step: "dispose".into(),
        disposition: "preliminary_verification".into(),
        note: "重新初核".into(),
        ..Default::default()
    };
    w.app.lifecycle().take_step(&keeper, umbrella, &conclude).await.unwrap();
    approve_pending(&w).await;
    conclude = app::StepInput { step: "conclude".into(), note: "重新核查".into(), ..Default::default() };
    conclude.conclusion = domain::lifecycle::conclusion::ConclusionInput {
        finding: "unfounded".into(),
        outcomes: vec![("no_violation".into(), String::new(), String::new())],
    };
    w.app.lifecycle().take_step(&keeper, umbrella, &conclude).await.unwrap();
    approve_pending(&w).await;
    // A report received after this closure names 韩某某 again: the public still complains.
    // (One received the day it closed does not count.)
    w.clock.set(NOW + time::Duration::days(2));
    let mut later = input(w.hospital_a, "群众再次反映韩某某为涉黑团伙充当保护伞", "韩某某");
    later.received_on = "2019-11-29".into();
    w.app.ledger().register(&keeper, &later).await.unwrap();
    let by_complaint = DrawInput { still_complaining: true, ..Default::default() };
    assert_eq!(w.app.oversight().draw_reviews(&sup, &by_complaint).await.unwrap().picked, 0);
    later.received_on = "2019-11-30".into();
    later.summary = "群众第三次反映韩某某为涉黑团伙充当保护伞".into();
    w.app.ledger().register(&keeper, &later).await.unwrap();
    let both = DrawInput { still_complaining: true, returned_before: true, ..Default::default() };
    let again = w.app.oversight().draw_reviews(&sup, &both).await.unwrap();
    assert_eq!(again.picked, 1);
    let queue = w.app.oversight().review_queue(&sup, Some(ReviewState::Queued), 1).await.unwrap();
    assert_eq!(queue.items[0].lead_id, umbrella);
    assert_eq!(queue.items[0].reasons, [ReviewReason::StillComplaining, ReviewReason::ReturnedBefore]);
    assert_eq!(queue.items[0].finding, Some(domain::lifecycle::conclusion::Finding::Unfounded));
}

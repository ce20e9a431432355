//! Feedback to reporters and the satisfaction follow-up (issue 16, point 1): each notice with its
//! date and method, moving the lead's clocks; the follow-up's rating counted in the unit's rate
//! and an unsatisfied reporter putting the closure in the review queue; objections answered,
//! re-checking reopening the lead by the normal transition.

use app::AppError;
use domain::{
    LeadId,
    ledger::lead::LeadStatus,
    lifecycle::deadline::RuleCode,
    oversight::review::{DrawInput, ReviewReason},
    reporters::{
        feedback::{FeedbackInput, FeedbackKind},
        objection::{AnswerInput, ObjectionInput, ObjectionState},
    },
};
use store::Backend;

use crate::support::*;

testkit::both!(
    feedback_moves_the_clocks_and_the_follow_up_rates_the_unit,
    an_objection_with_new_material_is_checked_and_may_reopen_the_lead
);

fn code<T: std::fmt::Debug>(r: Result<T, AppError>) -> &'static str {
    match r {
        Err(AppError::Invalid(i)) => i.0[0].code,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn follow_up(rating: &str, reasons: &str) -> FeedbackInput {
    FeedbackInput {
        kind: "follow_up".into(),
        contacted_on: "2019-11-28".into(),
        method: "in_person".into(),
        given_by: "信访室王某".into(),
        rating: rating.into(),
        reasons: reasons.into(),
        ..Default::default()
    }
}

async fn register(w: &World, unit: domain::UnitId, summary: &str, subject: &str) -> LeadId {
    let who = if unit == w.hospital_a { "insp_a" } else { "insp_b" };
    let keeper = actor(w, who).await.ledger_keeper().unwrap();
    w.app.ledger().register(&keeper, &input(unit, summary, subject)).await.unwrap().into_visible().unwrap().id
}

async fn feedback_moves_the_clocks_and_the_follow_up_rates_the_unit(b: Backend) {
    let w = world(b).await;
    let insp_a = actor(&w, "insp_a").await;
    let keeper = insp_a.ledger_keeper().unwrap();
    let lead = register(&w, w.hospital_a, "反映某科长收受药品回扣", "周某").await;
    let running = |rule: RuleCode| {
        let (app, insp) = (w.app.clone(), insp_a.clone());
        async move {
            let d = app.ledger().dossier(&insp, lead).await.unwrap();
            d.side_clocks.iter().find(|k| k.rule == rule).map(|k| k.running)
        }
    };
    assert_eq!(running(RuleCode::AcceptanceNotice).await, Some(true));
    // Feedback is recorded with its method, not as bare follow-through.
    let bare = w.app.lifecycle().record_follow_up(&keeper, lead, "acceptance_notice", "已告知").await;
    assert_eq!(code(bare), "use_feedback");
    assert!(matches!(tell(&w, "insp_b", lead, "acceptance").await, Err(AppError::NotFound)), "another unit's lead");
    assert_eq!(code(tell(&w, "insp_a", lead, "result").await), "not_concluded");
    tell(&w, "insp_a", lead, "acceptance").await.unwrap();
    assert_eq!(running(RuleCode::AcceptanceNotice).await, Some(false), "told: the clock stops");
    assert_eq!(code(tell(&w, "insp_a", lead, "follow_up").await), "no_result_notice");

    close_as(&w, &keeper, lead, "confirmed").await;
    let page = w.app.reporters().feedback(&insp_a, lead).await.unwrap();
    assert_eq!(page.may_record, [FeedbackKind::Result], "once closed, the result is owed");
    assert!(page.may_object && page.signed);
    tell(&w, "insp_a", lead, "result").await.unwrap();
    assert_eq!(running(RuleCode::SatisfactionFollowUp).await, Some(true), "the follow-up clock starts");
    let reporters = w.app.reporters();
    assert_eq!(code(reporters.record_feedback(&insp_a, lead, &follow_up("unsatisfied", "")).await), "reasons_required");
    reporters
        .record_feedback(&insp_a, lead, &follow_up("unsatisfied", "认为处理过轻，未追究科室主任责任"))
        .await
        .unwrap();
    assert_eq!(running(RuleCode::SatisfactionFollowUp).await, Some(false));
    let page = reporters.feedback(&insp_a, lead).await.unwrap();
    let kinds: Vec<FeedbackKind> = page.feedback.iter().map(|f| f.kind).collect();
    assert_eq!(kinds, [FeedbackKind::Acceptance, FeedbackKind::Result, FeedbackKind::FollowUp]);
    assert_eq!((page.feedback[2].given_by.as_str(), page.feedback[1].given_by.as_str()), ("信访室王某", "insp_a"));
    // The feedback is on the lead's timeline as its follow-through.
    let timeline = w.app.lifecycle().timeline(keeper.reader(), lead).await.unwrap();
    let told =
        timeline.iter().filter(|e| matches!(e.kind, domain::lifecycle::timeline::EventKind::FollowUp(_))).count();
    assert_eq!(told, 3);

    // A satisfied reporter of hospital B: each unit its rate, the committee the whole.
    let other = register(&w, w.hospital_b, "反映某主任违规收受红包", "吴某").await;
    close_as(&w, &actor(&w, "insp_b").await.ledger_keeper().unwrap(), other, "confirmed").await;
    tell(&w, "insp_b", other, "result").await.unwrap();
    tell(&w, "insp_b", other, "follow_up").await.unwrap();
    let sup = actor(&w, "sup").await;
    let all = reporters.satisfaction(&sup, "2019-01-01", "2019-12-31").await.unwrap();
    let rates: Vec<(&str, i64, &str)> =
        all.units.iter().map(|u| (u.unit_name.as_str(), u.followed_up, u.rate.as_str())).collect();
    assert_eq!(rates, [("乙医院", 1, "100.0%"), ("甲医院", 1, "0.0%")], "best first");
    assert_eq!((all.total.followed_up, all.total.rate.as_str()), (2, "50.0%"));
    let own = reporters.satisfaction(&insp_a, "", "").await.unwrap();
    assert_eq!(own.units.len(), 1, "a unit sees its own");
    let none = reporters.satisfaction(&sup, "2019-12-01", "2019-12-31").await.unwrap();
    assert_eq!((none.total.followed_up, none.total.rate.as_str()), (0, "—"), "no follow-up, no rate");
    assert_eq!(code(reporters.satisfaction(&sup, "2019-12-31", "2019-12-01").await), "before_from");

    // The unsatisfied reporter puts the confirmed closure in the review queue; the satisfied one does not.
    let draw = DrawInput { still_complaining: true, ..Default::default() };
    assert_eq!(w.app.oversight().draw_reviews(&sup, &draw).await.unwrap().picked, 1);
    let queue = w.app.oversight().review_queue(&sup, None, 1).await.unwrap();
    assert_eq!((queue.items[0].lead_id, queue.items[0].reasons.clone()), (lead, vec![ReviewReason::StillComplaining]));

    // Every record audited.
    let auditor = actor(&w, "auditor").await.audit_reader().unwrap();
    let q = app::AuditQuery { action: "reporter.feedback".into(), ..Default::default() };
    assert_eq!(w.app.protection().audit_entries(&auditor, &q).await.unwrap().total, 5);
}

async fn an_objection_with_new_material_is_checked_and_may_reopen_the_lead(b: Backend) {
    let w = world(b).await;
    let insp_a = actor(&w, "insp_a").await;
    let keeper = insp_a.ledger_keeper().unwrap();
    let lead = register(&w, w.hospital_a, "反映某院长违规提拔亲属", "郑某").await;
    let objection = ObjectionInput {
        received_on: "2019-11-28".into(),
        method: "letter".into(),
        content: "对查否结论有异议，补充提供了任职文件".into(),
        new_material: "on".into(),
    };
    let reporters = w.app.reporters();
    assert_eq!(code(reporters.record_objection(&insp_a, lead, &objection).await), "not_concluded");
    close_unfounded(&w, &keeper, lead).await;
    let id = reporters.record_objection(&insp_a, lead, &objection).await.unwrap();
    let auditor = actor(&w, "auditor").await;
    assert!(matches!(reporters.record_objection(&auditor, lead, &objection).await, Err(AppError::Forbidden)));
    let mut answer = AnswerInput {
        answered_on: "2019-11-28".into(),
        outcome: "reopened".into(),
        answer: "新材料涉及未核实的情况，重新核查".into(),
        ..Default::default()
    };
    assert_eq!(code(reporters.answer_objection(&insp_a, lead, id, &answer).await), "material_unchecked");
    answer.material_checked = "任职文件显示其亲属为破格提拔，需重新核查".into();
    let insp_b = actor(&w, "insp_b").await;
    assert!(matches!(reporters.answer_objection(&insp_b, lead, id, &answer).await, Err(AppError::NotFound)));
    assert_eq!(reporters.answer_objection(&insp_a, lead, id, &answer).await.unwrap(), ObjectionState::Reopened);
    assert_eq!(code(reporters.answer_objection(&insp_a, lead, id, &answer).await), "answered", "answered once");
    // Reopening an approved closure waits for the committee head, like any 重新启动.
    assert_eq!(w.app.ledger().lead(keeper.reader(), lead).await.unwrap().status, LeadStatus::Concluded);
    approve_pending(&w).await;
    assert_eq!(w.app.ledger().lead(keeper.reader(), lead).await.unwrap().status, LeadStatus::Assessed);
    let page = reporters.feedback(&insp_a, lead).await.unwrap();
    assert_eq!(page.objections[0].state, ObjectionState::Reopened);
    assert!(page.may_answer.is_empty() && !page.may_object, "reopened: nothing to object to now");

    // An anonymous reporter left no contact: only the portal reaches them.
    let mut anon = input(w.hospital_a, "匿名反映某科室私设小金库", "冯某");
    anon.reporter = domain::reporters::ReporterInput { kind: "anonymous".into(), ..Default::default() };
    let anon = w.app.ledger().register(&keeper, &anon).await.unwrap().into_visible().unwrap().id;
    close_unfounded(&w, &keeper, anon).await;
    assert_eq!(code(tell(&w, "insp_a", anon, "result").await), "anonymous");
    assert!(!reporters.feedback(&insp_a, anon).await.unwrap().signed);
}

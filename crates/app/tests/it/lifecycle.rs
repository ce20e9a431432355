//! The lifecycle end to end: steps, approvals, conclusion, follow-through, strike-off.

use app::{AppError, StepInput, StepOutcome};
use domain::{ledger::lead::LeadStatus, lifecycle::conclusion::ConclusionInput};
use store::Backend;

use crate::support::*;

testkit::both!(
    register_assess_inquire_conclude_with_approval_and_strike_off,
    forbidden_and_concurrent_steps_write_nothing,
    side_exits_and_reopening,
    review_findings_stay_fixed,
);

pub fn step(step: &str, note: &str) -> StepInput {
    StepInput { step: step.into(), note: note.into(), ..Default::default() }
}

async fn register_assess_inquire_conclude_with_approval_and_strike_off(b: Backend) {
    let w = world(b).await;
    let insp = actor(&w, "insp_a").await;
    let keeper = insp.ledger_keeper().unwrap();
    let mut i = input(w.hospital_a, "反映某科长收受回扣", "孙某");
    i.reporter.kind = "signed".into();
    i.reporter.name = "举报人".into();
    let lead = w.app.ledger().register(&keeper, &i).await.unwrap().into_visible().unwrap();

    assert_eq!(
        w.app.lifecycle().take_step(&keeper, lead.id, &step("assess", "经集体研判，拟谈话函询")).await.unwrap(),
        StepOutcome::Applied(LeadStatus::Assessed)
    );
    let mut dispose = step("dispose", "拟函询");
    dispose.disposition = "talk_inquiry".into();
    assert_eq!(w.app.lifecycle().take_step(&keeper, lead.id, &dispose).await.unwrap(), StepOutcome::Pending);
    // While it waits, nothing else may happen to the lead.
    assert!(matches!(
        w.app.lifecycle().take_step(&keeper, lead.id, &step("transfer", "移交")).await,
        Err(AppError::Invalid(_))
    ));
    assert_eq!(w.app.ledger().lead(keeper.reader(), lead.id).await.unwrap().status, LeadStatus::Assessed);

    // The committee head's queue holds it; the inspector is no approver.
    assert!(matches!(insp.approver(), Err(AppError::Forbidden)));
    let chief = actor(&w, "chief").await.approver().unwrap();
    let queue = w.app.lifecycle().approval_queue(&chief).await.unwrap();
    assert_eq!(queue.len(), 1);
    assert_eq!((queue[0].lead_id, queue[0].kind.code()), (lead.id, "dispose"));
    w.app.lifecycle().decide_step(&chief, queue[0].event_id, true, "同意函询").await.unwrap();
    let now = w.app.ledger().lead(keeper.reader(), lead.id).await.unwrap();
    assert_eq!(now.status, LeadStatus::TalkInquiry);
    assert_eq!(now.deadline_rule, Some(domain::lifecycle::deadline::RuleCode::TalkInquiry));
    assert_eq!(domain::dates::format_date(now.deadline), "2019-12-28", "30 days from 2019-11-28");
    assert!(w.app.lifecycle().approval_queue(&chief).await.unwrap().is_empty());

    // 函询 may loop, then conclude: a finding and per-subject outcomes are required.
    assert_eq!(
        w.app.lifecycle().take_step(&keeper, lead.id, &step("second_inquiry", "答复不清，再次函询")).await.unwrap(),
        StepOutcome::Applied(LeadStatus::TalkInquiry)
    );
    let bare = step("conclude", "拟办结");
    assert!(matches!(w.app.lifecycle().take_step(&keeper, lead.id, &bare).await, Err(AppError::Invalid(_))));
    let mut conclude = step("conclude", "查实部分问题");
    conclude.conclusion = ConclusionInput {
        finding: "partly_confirmed".into(),
        outcomes: vec![("disciplinary".into(), "1".into(), "criticism".into())],
    };
    assert_eq!(w.app.lifecycle().take_step(&keeper, lead.id, &conclude).await.unwrap(), StepOutcome::Pending);
    let q = w.app.lifecycle().approval_queue(&chief).await.unwrap();
    w.app.lifecycle().decide_step(&chief, q[0].event_id, true, "").await.unwrap();
    let done = w.app.ledger().lead(keeper.reader(), lead.id).await.unwrap();
    assert_eq!(
        (done.status, done.finding),
        (LeadStatus::Concluded, Some(domain::lifecycle::conclusion::Finding::PartlyConfirmed))
    );

    // The signed reporter must be told within 15 working days of the conclusion.
    assert_eq!(done.deadline_rule, Some(domain::lifecycle::deadline::RuleCode::ResultNotice));
    assert_eq!(domain::dates::format_date(done.deadline), "2019-12-19");
    w.clock.set(time::macros::datetime!(2019-12-20 02:00 UTC));
    assert_eq!(
        w.app.lifecycle().warning_of(&done),
        Some(domain::lifecycle::deadline::Warning::Red),
        "not told in time: red"
    );
    w.clock.set(NOW);
    // 销号 waits for the result to be told to the signed reporter.
    match w.app.lifecycle().take_step(&keeper, lead.id, &step("strike_off", "销号")).await {
        Err(AppError::Invalid(i)) => assert_eq!(i.0[0].code, "feedback_missing"),
        other => panic!("{other:?}"),
    }
    tell(&w, "insp_a", lead.id, "result").await.unwrap();
    let told = w.app.ledger().lead(keeper.reader(), lead.id).await.unwrap();
    assert_eq!((told.deadline_rule, w.app.lifecycle().warning_of(&told)), (None, None), "told: the clock stops");
    assert_eq!(
        w.app.lifecycle().take_step(&keeper, lead.id, &step("strike_off", "后续工作完成，销号")).await.unwrap(),
        StepOutcome::Applied(LeadStatus::StruckOff)
    );

    // The whole chain is on the timeline, with who approved and when.
    let t = w.app.lifecycle().timeline(keeper.reader(), lead.id).await.unwrap();
    // (Clock entries say how each step moved a clock: clocks.rs reads them.)
    let t: Vec<_> = t.into_iter().filter(|e| e.kind.code() != "clock").collect();
    let kinds: Vec<&str> = t.iter().map(|e| e.kind.code()).collect();
    assert_eq!(kinds, ["assess", "dispose", "second_inquiry", "conclude", "result_feedback", "strike_off"]);
    assert_eq!(t[1].approver_name.as_deref(), Some("chief"));
    assert_eq!(t[1].decision_note.as_deref(), Some("同意函询"));
    assert!(t.iter().all(|e| e.state == domain::lifecycle::timeline::EventState::Done));
}

async fn forbidden_and_concurrent_steps_write_nothing(b: Backend) {
    let w = world(b).await;
    let keeper = actor(&w, "insp_a").await.ledger_keeper().unwrap();
    let lead =
        w.app.ledger().register(&keeper, &input(w.hospital_a, "线索", "周某")).await.unwrap().into_visible().unwrap();
    match w.app.lifecycle().take_step(&keeper, lead.id, &step("conclude", "直接办结")).await {
        Err(AppError::Invalid(i)) => {
            assert_eq!(i.0[0].code, "not_allowed");
            assert!(i.0[0].message_zh.contains("已登记"));
        }
        other => panic!("{other:?}"),
    }
    assert!(
        matches!(w.app.lifecycle().take_step(&keeper, lead.id, &step("assess", "")).await, Err(AppError::Invalid(_))),
        "a note is required"
    );
    // A role that may not take steps, and another unit's keeper.
    let head = actor(&w, "head_a").await;
    assert!(matches!(head.ledger_keeper(), Err(AppError::Forbidden)));
    let other = actor(&w, "insp_b").await.ledger_keeper().unwrap();
    assert!(matches!(
        w.app.lifecycle().take_step(&other, lead.id, &step("assess", "越权")).await,
        Err(AppError::NotFound)
    ));
    // Two people act on the same lead at once: one wins, the other is told.
    let mut a = step("assess", "甲研判");
    a.version = lead.version;
    let mut b2 = step("assess", "乙研判");
    b2.version = lead.version;
    let lc = w.app.lifecycle();
    let (r1, r2) = tokio::join!(lc.take_step(&keeper, lead.id, &a), lc.take_step(&keeper, lead.id, &b2));
    let wins = [&r1, &r2].iter().filter(|r| r.is_ok()).count();
    assert_eq!(wins, 1, "{r1:?} {r2:?}");
    let loser = if r1.is_ok() { r2 } else { r1 };
    assert!(matches!(loser, Err(AppError::Stale { .. }) | Err(AppError::Invalid(_))), "{loser:?}");
    let t = w.app.lifecycle().timeline(keeper.reader(), lead.id).await.unwrap();
    assert_eq!(t.iter().filter(|e| e.kind.code() != "clock").count(), 1, "nothing half-done");
    // The approver cannot approve their own proposal, nor one outside their scope.
    let chief_actor = actor(&w, "chief").await;
    let mut d = step("dispose", "拟初核");
    d.disposition = "preliminary_verification".into();
    w.app.lifecycle().take_step(&keeper, lead.id, &d).await.unwrap();
    let chief = chief_actor.approver().unwrap();
    let q = w.app.lifecycle().approval_queue(&chief).await.unwrap();
    assert!(
        matches!(w.app.lifecycle().decide_step(&chief, q[0].event_id, false, "").await, Err(AppError::Invalid(_))),
        "a rejection needs a reason"
    );
    w.app.lifecycle().decide_step(&chief, q[0].event_id, false, "证据不足，重新研判").await.unwrap();
    assert_eq!(
        w.app.ledger().lead(keeper.reader(), lead.id).await.unwrap().status,
        LeadStatus::Assessed,
        "rejected: nothing moved"
    );
    assert!(
        matches!(w.app.lifecycle().decide_step(&chief, q[0].event_id, true, "").await, Err(AppError::Invalid(_))),
        "decided once"
    );
}

async fn side_exits_and_reopening(b: Backend) {
    let w = world(b).await;
    let keeper = actor(&w, "insp_a").await.ledger_keeper().unwrap();
    let first =
        w.app.ledger().register(&keeper, &input(w.hospital_a, "原件", "吴某")).await.unwrap().into_visible().unwrap();
    let repeat =
        w.app.ledger().register(&keeper, &input(w.hospital_a, "重复件", "吴某")).await.unwrap().into_visible().unwrap();
    let mut merge = step("merge", "与原件反映同一问题");
    merge.merge_into = "YYA-2019-9999".into();
    assert!(matches!(w.app.lifecycle().take_step(&keeper, repeat.id, &merge).await, Err(AppError::Invalid(_))));
    merge.merge_into = first.number.to_string();
    // 合并 waits for the committee head (issue 12): the repeat stays open until approved.
    assert_eq!(w.app.lifecycle().take_step(&keeper, repeat.id, &merge).await.unwrap(), StepOutcome::Pending);
    assert_eq!(w.app.ledger().lead(keeper.reader(), repeat.id).await.unwrap().status, LeadStatus::Registered);
    approve_pending(&w).await;
    let merged = w.app.ledger().lead(keeper.reader(), repeat.id).await.unwrap();
    assert_eq!((merged.status, merged.merged_into), (LeadStatus::Merged, Some(first.id)));

    let mut transfer = step("transfer", "属公安机关管辖");
    assert!(
        matches!(w.app.lifecycle().take_step(&keeper, first.id, &transfer).await, Err(AppError::Invalid(_))),
        "receiving body required"
    );
    transfer.receiving_body = "市公安局".into();
    w.app.lifecycle().take_step(&keeper, first.id, &transfer).await.unwrap();
    approve_pending(&w).await;
    let t = w.app.ledger().lead(keeper.reader(), first.id).await.unwrap();
    assert_eq!((t.status, t.transferred_to.as_deref()), (LeadStatus::Transferred, Some("市公安局")));

    // Shelved, then reopened with new material: back to assessed, with a fresh clock.
    let third =
        w.app.ledger().register(&keeper, &input(w.hospital_a, "暂存", "郑某")).await.unwrap().into_visible().unwrap();
    w.app.lifecycle().take_step(&keeper, third.id, &step("assess", "研判")).await.unwrap();
    let mut shelve = step("dispose", "暂存待查");
    shelve.disposition = "shelve".into();
    w.app.lifecycle().take_step(&keeper, third.id, &shelve).await.unwrap();
    let chief = actor(&w, "chief").await.approver().unwrap();
    let q = w.app.lifecycle().approval_queue(&chief).await.unwrap();
    w.app.lifecycle().decide_step(&chief, q[0].event_id, true, "").await.unwrap();
    let shelved = w.app.ledger().lead(keeper.reader(), third.id).await.unwrap();
    assert_eq!(shelved.status, LeadStatus::Shelved);
    assert_eq!(
        domain::dates::format_date(shelved.deadline),
        "2019-12-31",
        "90-day re-check, capped at clearance for stock"
    );
    w.app.lifecycle().take_step(&keeper, third.id, &step("reopen", "收到新的举报材料")).await.unwrap();
    assert_eq!(w.app.ledger().lead(keeper.reader(), third.id).await.unwrap().status, LeadStatus::Assessed);
}

/// Defects found in review, each pinned by a check.
async fn review_findings_stay_fixed(b: Backend) {
    let w = world(b).await;
    let keeper = actor(&w, "insp_a").await.ledger_keeper().unwrap();
    // Two proposals at once: one waits, the other is refused (both databases).
    let lead = w
        .app
        .ledger()
        .register(&keeper, &input(w.hospital_a, "并发提议", "钟某"))
        .await
        .unwrap()
        .into_visible()
        .unwrap();
    w.app.lifecycle().take_step(&keeper, lead.id, &step("assess", "研判")).await.unwrap();
    let mut d1 = step("dispose", "甲提议");
    d1.disposition = "talk_inquiry".into();
    let mut d2 = step("dispose", "乙提议");
    d2.disposition = "settle".into();
    let lc = w.app.lifecycle();
    let (r1, r2) = tokio::join!(lc.take_step(&keeper, lead.id, &d1), lc.take_step(&keeper, lead.id, &d2));
    assert_eq!([&r1, &r2].iter().filter(|r| r.is_ok()).count(), 1, "{r1:?} {r2:?}");
    let chief = actor(&w, "chief").await.approver().unwrap();
    assert_eq!(w.app.lifecycle().approval_queue(&chief).await.unwrap().len(), 1);

    // A supervisor of one hospital who is an inspector of another supervises only the first.
    let mixed = w
        .app
        .protection()
        .create_account(&app::NewAccount {
            username: "mixed",
            display_name: "mixed",
            unit: w.hospital_b,
            password: PW,
            must_change_password: false,
            real_name: "",
            id_number: "",
            roles: &[
                (domain::protection::role::Role::Supervisor, w.hospital_b),
                (domain::protection::role::Role::Inspector, w.hospital_a),
            ],
        })
        .await;
    mixed.unwrap();
    let m = actor(&w, "mixed").await;
    assert!(matches!(
        w.app.supervision().issue_order(&m, lead.id, "越权督办", "2019-12-08").await,
        Err(AppError::NotFound)
    ));
    assert!(matches!(w.app.supervision().mark_key_lead(&m, lead.id, "key", "leader").await, Err(AppError::NotFound)));

    // Step notes stay out of the audit trail (the auditor reads no lead content).
    let auditor = actor(&w, "auditor").await.audit_reader().unwrap();
    let (trail, _) = w.app.protection().audit_export(&auditor, &Default::default()).await.unwrap();
    assert!(!trail.iter().any(|e| e.detail.as_deref().is_some_and(|d| d.contains("甲提议") || d.contains("乙提议"))));

    // Reopened after conclusion: the old finding goes, and earlier feedback no longer counts.
    let mut i = input(w.hospital_a, "重新启动", "钱某");
    i.reporter.kind = "signed".into();
    i.reporter.name = "举报人丙".into();
    let l2 = w.app.ledger().register(&keeper, &i).await.unwrap().into_visible().unwrap();
    w.app.lifecycle().take_step(&keeper, l2.id, &step("assess", "研判")).await.unwrap();
    let mut d = step("dispose", "函询");
    d.disposition = "talk_inquiry".into();
    w.app.lifecycle().take_step(&keeper, l2.id, &d).await.unwrap();
    let q = w.app.lifecycle().approval_queue(&chief).await.unwrap();
    let ev = q.iter().find(|x| x.lead_id == l2.id).unwrap().event_id;
    w.app.lifecycle().decide_step(&chief, ev, true, "").await.unwrap();
    let mut c = step("conclude", "查否");
    c.conclusion = ConclusionInput {
        finding: "unverifiable".into(),
        outcomes: vec![("no_violation".into(), "".into(), "".into())],
    };
    w.app.lifecycle().take_step(&keeper, l2.id, &c).await.unwrap();
    let q = w.app.lifecycle().approval_queue(&chief).await.unwrap();
    let ev = q.iter().find(|x| x.lead_id == l2.id).unwrap().event_id;
    w.app.lifecycle().decide_step(&chief, ev, true, "").await.unwrap();
    tell(&w, "insp_a", l2.id, "result").await.unwrap();
    // Reopening a concluded lead undoes an approved closure: it waits for the committee head.
    let reopen = w.app.lifecycle().take_step(&keeper, l2.id, &step("reopen", "收到新材料")).await.unwrap();
    assert_eq!(reopen, StepOutcome::Pending);
    assert_eq!(w.app.ledger().lead(keeper.reader(), l2.id).await.unwrap().status, LeadStatus::Concluded);
    let q = w.app.lifecycle().approval_queue(&chief).await.unwrap();
    let ev = q.iter().find(|x| x.lead_id == l2.id).unwrap().event_id;
    w.app.lifecycle().decide_step(&chief, ev, true, "同意重新启动").await.unwrap();
    assert_eq!(w.app.ledger().lead(keeper.reader(), l2.id).await.unwrap().status, LeadStatus::Assessed);
    assert_eq!(
        w.app.ledger().lead(keeper.reader(), l2.id).await.unwrap().finding,
        None,
        "the old finding no longer stands"
    );

    // An extension cannot take effect once its lead has closed.
    let l3 = w
        .app
        .ledger()
        .register(&keeper, &input(w.hospital_a, "延期后办结", "孙某"))
        .await
        .unwrap()
        .into_visible()
        .unwrap();
    let x = w.app.lifecycle().request_extension(&keeper, l3.id, "需要时间", "10").await.unwrap();
    w.app.lifecycle().take_step(&keeper, l3.id, &step("merge", "重复件")).await.ok();
    let mut merge = step("merge", "与前件重复");
    merge.merge_into = lead.number.to_string();
    w.app.lifecycle().take_step(&keeper, l3.id, &merge).await.unwrap();
    approve_pending(&w).await;
    assert!(matches!(w.app.lifecycle().sign_extension(&actor(&w, "head_a").await, x).await, Err(AppError::Invalid(_))));
}

//! Which event starts a lead's clock (issue 11): the disposition month runs from receipt and
//! 研判 does not restart it; an extension granted past the clearance deadline survives the
//! next stage's clock.

use app::StepOutcome;
use domain::{dates::format_date, ledger::lead::LeadStatus, lifecycle::deadline::RuleCode};
use store::Backend;
use time::Duration;

use crate::{lifecycle::step, support::*};

testkit::both!(
    clocks_start_on_their_event_and_keep_extensions,
    a_repeat_merges_only_into_an_earlier_lead,
    inquiry_clocks_run_from_the_letter_the_reply_and_the_talk,
    side_clocks_run_beside_the_stage_clock
);

/// Several clocks at once: an assigned lead from a signed reporter runs the intake and
/// acceptance-notice clocks beside its disposition clock; settling it starts 报结; telling the
/// reporter the result starts the satisfaction follow-up.
async fn side_clocks_run_beside_the_stage_clock(b: Backend) {
    let w = world(b).await;
    let keeper = actor(&w, "insp_a").await.ledger_keeper().unwrap();
    let insp = actor(&w, "insp_a").await;
    let mut i = input(w.hospital_a, "上级交办：反映某科室违规收费", "蒋某");
    (i.source, i.assigning_body, i.received_on) = ("assigned_by_higher".into(), "市纪委".into(), "2019-11-20".into());
    let lead = w.app.ledger().register(&keeper, &i).await.unwrap().into_visible().unwrap();
    let clocks = |app: app::App, insp: app::Actor| async move {
        app.ledger()
            .dossier(&insp, lead.id)
            .await
            .unwrap()
            .side_clocks
            .into_iter()
            .map(|k| (k.rule, format_date(k.due_on), k.running))
            .collect::<Vec<_>>()
    };
    assert_eq!(format_date(lead.deadline), "2019-12-20", "the stage clock: a month from receipt");
    assert_eq!(
        clocks(w.app.clone(), insp.clone()).await,
        [
            (RuleCode::TransferredIntake, "2019-11-27".into(), true),
            (RuleCode::AcceptanceNotice, "2019-12-11".into(), true)
        ],
        "5 and 15 working days from receipt (Wednesday 11-20)"
    );
    // The intake clock ran out yesterday: the scan tells the unit's head and the supervising
    // office, once.
    w.app.lifecycle().scan_warnings("test").await.unwrap();
    let told = |who: &'static str| {
        let w = &w;
        async move {
            let a = actor(w, who).await;
            let inbox = w.app.lifecycle().inbox(&a, false).await.unwrap();
            inbox.iter().filter(|n| n.message.contains("移交件登记受理或转办") && n.message.contains("红色")).count()
        }
    };
    assert_eq!((told("sup").await, told("head_a").await), (1, 1));
    w.app.lifecycle().scan_warnings("test").await.unwrap();
    assert_eq!(told("sup").await, 1, "each colour once");
    // 研判 takes it in; telling the reporter it was accepted stops that clock, while open.
    w.app.lifecycle().take_step(&keeper, lead.id, &step("assess", "研判")).await.unwrap();
    tell(&w, "insp_a", lead.id, "acceptance").await.unwrap();
    let refused = w.app.lifecycle().record_follow_up(&keeper, lead.id, "report_back", "报结").await.unwrap_err();
    assert!(matches!(refused, app::AppError::Invalid(_)), "报结 follows the conclusion");
    let mut settle = step("dispose", "予以了结");
    settle.disposition = "settle".into();
    w.app.lifecycle().take_step(&keeper, lead.id, &settle).await.unwrap();
    approve_pending(&w).await;
    tell(&w, "insp_a", lead.id, "result").await.unwrap();
    assert_eq!(
        clocks(w.app.clone(), insp.clone()).await,
        [
            (RuleCode::SatisfactionFollowUp, "2019-12-05".into(), true),
            (RuleCode::ReportBack, "2019-12-19".into(), true),
            (RuleCode::TransferredIntake, "2019-11-27".into(), false),
            (RuleCode::AcceptanceNotice, "2019-12-11".into(), false),
        ],
        "报结 15 working days from settling (11-28); the follow-up 5 from the feedback"
    );
    w.app.lifecycle().record_follow_up(&keeper, lead.id, "report_back", "已向市纪委报结").await.unwrap();
    let running: Vec<RuleCode> =
        clocks(w.app.clone(), insp.clone()).await.into_iter().filter(|k| k.2).map(|k| k.0).collect();
    assert_eq!(running, [RuleCode::SatisfactionFollowUp]);
}

async fn inquiry_clocks_run_from_the_letter_the_reply_and_the_talk(b: Backend) {
    let w = world(b).await;
    let keeper = actor(&w, "insp_a").await.ledger_keeper().unwrap();
    let mut i = input(w.hospital_a, "新增线索：函询", "吕某");
    i.received_on = "2019-11-01".into();
    let lead = w.app.ledger().register(&keeper, &i).await.unwrap().into_visible().unwrap();
    w.app.lifecycle().take_step(&keeper, lead.id, &step("assess", "研判")).await.unwrap();
    let mut d = step("dispose", "函询");
    d.disposition = "talk_inquiry".into();
    w.app.lifecycle().take_step(&keeper, lead.id, &d).await.unwrap();
    approve_pending(&w).await;
    let read = |id| {
        let (app, reader) = (w.app.clone(), keeper.reader().clone());
        async move { app.ledger().lead(&reader, id).await.unwrap() }
    };
    // Approved 2019-11-28: 30 days stand as the outer limit.
    assert_eq!(format_date(read(lead.id).await.deadline), "2019-12-28");
    let lc = w.app.lifecycle();
    let refused = lc.record_inquiry_event(&keeper, lead.id, "reply_received", "2019-11-28").await.unwrap_err();
    assert!(matches!(refused, app::AppError::Invalid(i) if i.0[0].code == "no_letter"));
    // The letter goes out on the day: the reply is due 15 working days on (11-29 .. 12-19).
    lc.record_inquiry_event(&keeper, lead.id, "letter_sent", "2019-11-28").await.unwrap();
    let l = read(lead.id).await;
    assert_eq!((format_date(l.deadline), l.deadline_rule), ("2019-12-19".into(), Some(RuleCode::InquiryReply)));
    // The reply comes in on 12-10: 30 days to conclude from it.
    w.clock.set(NOW + Duration::days(12));
    lc.record_inquiry_event(&keeper, lead.id, "reply_received", "2019-12-10").await.unwrap();
    let l = read(lead.id).await;
    assert_eq!((format_date(l.deadline), l.deadline_rule), ("2020-01-09".into(), Some(RuleCode::TalkInquiry)));
    // The timeline says what each did to the clock.
    let t = lc.timeline(keeper.reader(), lead.id).await.unwrap();
    let said: Vec<String> = t.iter().map(|e| e.system_text(false)).filter(|s| s.contains("期限")).collect();
    assert_eq!(
        said,
        [
            "谈话函询办结：期限 2019-12-01 → 2019-12-28（自 2019-11-28 起算）",
            "已发函询函 2019-11-28；期限 2019-12-28 → 2019-12-19（函询书面回复）",
            "收到书面回复 2019-12-10；期限 2019-12-19 → 2020-01-09（谈话函询办结）"
        ]
    );
    // A second inquiry after a talk: 30 days from the talk.
    lc.take_step(&keeper, lead.id, &step("second_inquiry", "再次谈话")).await.unwrap();
    lc.record_inquiry_event(&keeper, lead.id, "talk_held", "2019-12-10").await.unwrap();
    assert_eq!(format_date(read(lead.id).await.deadline), "2020-01-09");
}

async fn clocks_start_on_their_event_and_keep_extensions(b: Backend) {
    let w = world(b).await;
    let keeper = actor(&w, "insp_a").await.ledger_keeper().unwrap();
    let read = |id| {
        let (app, reader) = (w.app.clone(), keeper.reader().clone());
        async move { app.ledger().lead(&reader, id).await.unwrap() }
    };
    // A new lead (received after the cut-off): a month from receipt, kept through 研判.
    let mut fresh = input(w.hospital_a, "新增线索：反映某科室违规收费", "钱某");
    fresh.received_on = "2019-11-20".into();
    let lead = w.app.ledger().register(&keeper, &fresh).await.unwrap().into_visible().unwrap();
    assert_eq!((format_date(lead.deadline), lead.deadline_rule), ("2019-12-20".into(), Some(RuleCode::Disposition)));
    w.clock.set(NOW + Duration::days(5));
    let assessed = w.app.lifecycle().take_step(&keeper, lead.id, &step("assess", "经集体研判")).await.unwrap();
    assert_eq!(assessed, StepOutcome::Applied(LeadStatus::Assessed));
    assert_eq!(format_date(read(lead.id).await.deadline), "2019-12-20", "研判 does not restart the month");

    // A stock lead in inquiry, extended past the clearance deadline (2019-12-31).
    let stock = w
        .app
        .ledger()
        .register(&keeper, &input(w.hospital_a, "存量线索：反映某主任插手工程", "孙某"))
        .await
        .unwrap()
        .into_visible()
        .unwrap();
    w.app.lifecycle().take_step(&keeper, stock.id, &step("assess", "经集体研判")).await.unwrap();
    let mut dispose = step("dispose", "拟谈话函询");
    dispose.disposition = "talk_inquiry".into();
    w.app.lifecycle().take_step(&keeper, stock.id, &dispose).await.unwrap();
    let chief = actor(&w, "chief").await.approver().unwrap();
    let pending = w.app.lifecycle().approval_queue(&chief).await.unwrap();
    let event = pending.iter().find(|q| q.lead_id == stock.id).unwrap().event_id;
    w.app.lifecycle().decide_step(&chief, event, true, "同意").await.unwrap();
    assert_eq!(format_date(read(stock.id).await.deadline), "2019-12-31", "capped at the clearance deadline");
    let head = actor(&w, "head_a").await;
    let sup = actor(&w, "sup").await;
    let x = w.app.lifecycle().request_extension(&keeper, stock.id, "需调取银行流水", "20").await.unwrap();
    w.app.lifecycle().sign_extension(&head, x).await.unwrap();
    w.app.lifecycle().file_extension(&sup, x).await.unwrap();
    let extended = read(stock.id).await.deadline;
    assert!(extended > time::macros::date!(2019 - 12 - 31), "the extension took the lead past the clearance deadline");
    // A second inquiry five days before it ends: its own 30 days, capped at the extension —
    // not thrown back to the clearance deadline.
    w.clock.set(time::OffsetDateTime::new_utc(extended - Duration::days(5), time::Time::from_hms(2, 0, 0).unwrap()));
    let again = w.app.lifecycle().take_step(&keeper, stock.id, &step("second_inquiry", "答复不清，再次函询")).await;
    assert_eq!(again.unwrap(), StepOutcome::Applied(LeadStatus::TalkInquiry));
    assert_eq!(read(stock.id).await.deadline, extended, "the granted extension stands");
}

/// 合并: a repeat goes into the lead it repeats, never into a later one (issue 11).
async fn a_repeat_merges_only_into_an_earlier_lead(b: Backend) {
    let w = world(b).await;
    let keeper = actor(&w, "insp_a").await.ledger_keeper().unwrap();
    let register = |summary: &'static str, received: &'static str| {
        let (app, keeper, unit) = (w.app.clone(), keeper.clone(), w.hospital_a);
        async move {
            let mut i = input(unit, summary, "周某");
            i.received_on = received.into();
            app.ledger().register(&keeper, &i).await.unwrap().into_visible().unwrap()
        }
    };
    let first = register("反映周某违规收费（来信）", "2019-05-06").await;
    let repeat = register("反映周某违规收费（来电）", "2019-06-01").await;
    let merge = |into: &domain::ledger::lead_no::LeadNo| app::StepInput {
        step: "merge".into(),
        merge_into: into.to_string(),
        note: "同一问题重复反映".into(),
        ..Default::default()
    };
    let backwards = w.app.lifecycle().take_step(&keeper, first.id, &merge(&repeat.number)).await.unwrap_err();
    match backwards {
        app::AppError::Invalid(i) => assert_eq!((i.0[0].field.as_str(), i.0[0].code), ("merge_into", "not_earlier")),
        other => panic!("{other:?}"),
    }
    w.app.lifecycle().take_step(&keeper, repeat.id, &merge(&first.number)).await.unwrap();
}

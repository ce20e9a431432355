//! Oversight end to end: extensions, warnings and mail, ownership and meetings, deadline
//! rules and calendars, listed supervision and moves of jurisdiction (the board's figures by
//! hand: clearance_counts.rs).

use app::AppError;
use domain::lifecycle::conclusion::ConclusionInput;
use store::Backend;

use crate::{lifecycle::step, support::*};

testkit::both!(
    extensions_are_signed_filed_and_capped,
    warnings_escalate_once_per_colour_under_a_lease,
    owned_leads_meetings_and_sign_off,
    edited_rules_and_a_newly_loaded_year_recompute_provisional_deadlines,
    listed_supervision_and_moves_of_jurisdiction,
);

async fn extensions_are_signed_filed_and_capped(b: Backend) {
    let w = world(b).await;
    let keeper = actor(&w, "insp_a").await.ledger_keeper().unwrap();
    let lead = w
        .app
        .ledger()
        .register(&keeper, &input(w.hospital_a, "需延期的线索", "冯某"))
        .await
        .unwrap()
        .into_visible()
        .unwrap();
    let deadline0 = lead.deadline;
    assert!(matches!(w.app.lifecycle().request_extension(&keeper, lead.id, "", "0").await, Err(AppError::Invalid(_))));
    let x1 = w.app.lifecycle().request_extension(&keeper, lead.id, "案情复杂，需调取银行流水", "20").await.unwrap();
    assert!(
        matches!(w.app.lifecycle().request_extension(&keeper, lead.id, "再申请", "5").await, Err(AppError::Invalid(_))),
        "one at a time"
    );
    // Only the unit's head signs; an inspector or another unit's head cannot.
    let insp = actor(&w, "insp_a").await;
    assert!(matches!(w.app.lifecycle().sign_extension(&insp, x1).await, Err(AppError::Forbidden)));
    let head = actor(&w, "head_a").await;
    let queue = w.app.lifecycle().extension_queue(&head).await.unwrap();
    assert_eq!(queue.to_sign.len(), 1);
    w.app.lifecycle().sign_extension(&head, x1).await.unwrap();
    assert!(w.app.lifecycle().sign_extension(&head, x1).await.is_err(), "signed once");
    assert_eq!(w.app.ledger().lead(keeper.reader(), lead.id).await.unwrap().deadline, deadline0, "not yet in effect");
    let sup = actor(&w, "sup").await;
    assert_eq!(w.app.lifecycle().extension_queue(&sup).await.unwrap().to_file.len(), 1);
    w.app.lifecycle().file_extension(&sup, x1).await.unwrap();
    let after = w.app.ledger().lead(keeper.reader(), lead.id).await.unwrap();
    assert_eq!(after.deadline, deadline0 + time::Duration::days(20), "within a month: in effect once filed");
    let list = w.app.lifecycle().extensions_of(keeper.reader(), lead.id).await.unwrap();
    assert_eq!(list[0].state, domain::lifecycle::extension::ExtensionState::Approved);
    assert_eq!(list[0].signature.as_ref().map(|s| s.len()), Some(64));
    assert!(!list[0].flagged);

    // A second extension needs the committee head and is flagged.
    let x2 = w.app.lifecycle().request_extension(&keeper, lead.id, "仍需补充证据", "10").await.unwrap();
    w.app.lifecycle().sign_extension(&head, x2).await.unwrap();
    w.app.lifecycle().file_extension(&sup, x2).await.unwrap();
    assert_eq!(
        w.app.ledger().lead(keeper.reader(), lead.id).await.unwrap().deadline,
        after.deadline,
        "waits for the committee head"
    );
    let chief = actor(&w, "chief").await;
    let q = w.app.lifecycle().extension_queue(&chief).await.unwrap();
    assert_eq!(q.to_approve.len(), 1);
    assert!(q.to_approve[0].flagged);
    w.app.lifecycle().decide_extension(&chief.approver().unwrap(), x2, true).await.unwrap();
    assert_eq!(
        w.app.ledger().lead(keeper.reader(), lead.id).await.unwrap().deadline,
        after.deadline + time::Duration::days(10)
    );
    // Longer than a month needs the head even the first time; refused ones change nothing.
    let other =
        w.app.ledger().register(&keeper, &input(w.hospital_a, "另一件", "褚某")).await.unwrap().into_visible().unwrap();
    let x3 = w.app.lifecycle().request_extension(&keeper, other.id, "需要较长时间", "45").await.unwrap();
    w.app.lifecycle().sign_extension(&head, x3).await.unwrap();
    w.app.lifecycle().file_extension(&sup, x3).await.unwrap();
    w.app.lifecycle().decide_extension(&chief.approver().unwrap(), x3, false).await.unwrap();
    assert_eq!(w.app.ledger().lead(keeper.reader(), other.id).await.unwrap().deadline, other.deadline);
    let t: Vec<_> = w
        .app
        .lifecycle()
        .timeline(keeper.reader(), other.id)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.kind.code() != "clock")
        .collect();
    let kinds: Vec<&str> = t.iter().map(|e| e.kind.code()).collect();
    assert_eq!(
        kinds,
        ["extension_requested", "extension_signed", "extension_filed", "extension_rejected"],
        "request, signature, filing, refusal: each its own kind"
    );
    assert_eq!(t[0].system_text(false), "申请延期 45 天");
    assert_eq!(t[0].system_text(true), "45 more days requested");
    assert_eq!(t[0].note.as_deref(), Some("需要较长时间"), "the reason is the person's own words");
}

async fn warnings_escalate_once_per_colour_under_a_lease(b: Backend) {
    let w = world(b).await;
    let keeper = actor(&w, "insp_a").await.ledger_keeper().unwrap();
    let anonymous = || domain::reporters::ReporterInput { kind: "anonymous".into(), ..Default::default() };
    let mut late = input(w.hospital_a, "逾期线索", "蒋某");
    late.received_on = "2019-09-01".into(); // new lead: disposition due 2019-10-01, overdue on 11-28
    late.reporter = anonymous(); // the stage clock alone (clocks.rs times the side clocks)
    let lead = w.app.ledger().register(&keeper, &late).await.unwrap().into_visible().unwrap();
    assert_eq!(w.app.lifecycle().warning_of(&lead), Some(domain::lifecycle::deadline::Warning::Red));
    let mut fresh = input(w.hospital_a, "未到期线索", "韩某");
    fresh.received_on = "2019-11-27".into();
    fresh.reporter = anonymous();
    w.app.ledger().register(&keeper, &fresh).await.unwrap().into_visible().unwrap();
    let mut late = input(w.hospital_a, "另一逾期线索", "秦某");
    late.received_on = "2019-09-01".into();
    late.reporter = anonymous();
    let second = w.app.ledger().register(&keeper, &late).await.unwrap().into_visible().unwrap();
    assert_eq!(
        w.app.lifecycle().scan_warnings_in_pages("instance-a", 1).await.unwrap(),
        Some(6),
        "the inspector, the unit head and the supervisor, for both late leads across pages"
    );
    assert_eq!(
        w.app.lifecycle().scan_warnings("instance-b").await.unwrap(),
        None,
        "another instance waits for the lease"
    );
    assert_eq!(w.app.lifecycle().scan_warnings("instance-a").await.unwrap(), Some(0), "each colour is told once");
    for who in ["insp_a", "head_a", "sup"] {
        let a = actor(&w, who).await;
        assert_eq!(w.app.lifecycle().unread_notices(&a).await.unwrap(), 2, "{who}");
        let inbox = w.app.lifecycle().inbox(&a, false).await.unwrap();
        for l in [&lead, &second] {
            assert!(inbox.iter().any(|n| n.message.contains(l.number.as_str()) && n.message.contains("红色预警")));
        }
        w.app.lifecycle().mark_inbox_read(&a).await.unwrap();
        assert_eq!(w.app.lifecycle().unread_notices(&a).await.unwrap(), 0);
    }
    let other = actor(&w, "insp_b").await;
    assert_eq!(w.app.lifecycle().unread_notices(&other).await.unwrap(), 0, "another unit hears nothing");
    w.clock.set(NOW + time::Duration::minutes(6));
    assert!(
        w.app.lifecycle().scan_warnings("instance-b").await.unwrap().is_some(),
        "the lease passes on when it lapses"
    );

    // The scan reads a page, then writes: a lead changed in between (here a step moves it on)
    // is not announced in the colour read before the change.
    let mut third = input(w.hospital_a, "读后被办理的线索", "尤某");
    third.received_on = "2019-09-01".into();
    let third = w.app.ledger().register(&keeper, &third).await.unwrap().into_visible().unwrap();
    let read = store::lifecycle::notices::open_leads(&mut w.app.db().read().await.unwrap(), None, 100).await.unwrap();
    let read = read.into_iter().find(|l| l.lead.id() == third.id).unwrap();
    w.app.lifecycle().take_step(&keeper, third.id, &crate::lifecycle::step("assess", "研判")).await.unwrap();
    let mut tx = w.app.db().begin_write().await.unwrap();
    assert!(!store::lifecycle::notices::claim_colour(&mut tx, &read, "red").await.unwrap(), "changed since read");
    let fresh = store::lifecycle::notices::open_leads(&mut tx, None, 100).await.unwrap();
    let fresh = fresh.into_iter().find(|l| l.lead.id() == third.id).unwrap();
    assert!(store::lifecycle::notices::claim_colour(&mut tx, &fresh, "red").await.unwrap(), "as read: claimed");
    assert!(!store::lifecycle::notices::claim_colour(&mut tx, &fresh, "red").await.unwrap(), "and only once");
}

async fn owned_leads_meetings_and_sign_off(b: Backend) {
    let w = world(b).await;
    let keeper = actor(&w, "insp_a").await.ledger_keeper().unwrap();
    let a = w
        .app
        .ledger()
        .register(&keeper, &input(w.hospital_a, "群众反映强烈的焦点问题", "卫某"))
        .await
        .unwrap()
        .into_visible()
        .unwrap();
    let other = w
        .app
        .ledger()
        .register(&keeper, &input(w.hospital_a, "一般线索", "蒋某"))
        .await
        .unwrap()
        .into_visible()
        .unwrap();
    let leader = actor(&w, "leader").await;
    assert_eq!(
        w.app.ledger().list(&leader.ledger().unwrap(), &Default::default()).await.unwrap().total,
        0,
        "owns nothing yet"
    );
    let sup = actor(&w, "sup").await;
    assert!(
        matches!(
            w.app.supervision().mark_key_lead(&actor(&w, "insp_a").await, a.id, "hot", "leader").await,
            Err(AppError::Forbidden)
        ),
        "a supervisor marks"
    );
    assert!(
        matches!(w.app.supervision().mark_key_lead(&sup, a.id, "hot", "insp_b").await, Err(AppError::Invalid(_))),
        "only an owning leader owns"
    );
    w.app.supervision().mark_key_lead(&sup, a.id, "hot", "leader").await.unwrap();
    let seen = w.app.ledger().list(&leader.ledger().unwrap(), &Default::default()).await.unwrap();
    assert_eq!((seen.total, seen.items[0].id), (1, a.id), "the owning leader sees the lead they own, and only it");
    assert!(matches!(w.app.ledger().lead(&leader.ledger().unwrap(), other.id).await, Err(AppError::NotFound)));
    w.app
        .supervision()
        .record_visit(&leader, a.id, "2019-11-20", "甲医院纪检监察室", "要求十日内完成初核")
        .await
        .unwrap();
    assert!(matches!(
        w.app.supervision().record_visit(&leader, other.id, "2019-11-20", "x", "y").await,
        Err(AppError::NotFound)
    ));

    // A meeting studies both leads; the disposition cites it on the timeline.
    let meeting = domain::supervision::meeting::MeetingInput {
        held_on: "2019-11-21".into(),
        title: "第五次集体研判会".into(),
        attendees: "chief、sup、insp_a".into(),
        items: format!("{}：初步核实\n{}：谈话函询", a.number, other.number),
    };
    w.app.supervision().record_meeting(&keeper, &meeting).await.unwrap();
    let bad = domain::supervision::meeting::MeetingInput { items: "YYB-2019-0001：x".into(), ..meeting.clone() };
    assert!(
        matches!(w.app.supervision().record_meeting(&keeper, &bad).await, Err(AppError::Invalid(_))),
        "another unit's lead"
    );
    let view = w.app.supervision().ownership_of(keeper.reader(), a.id).await.unwrap();
    assert_eq!(view.kind, Some(domain::supervision::ownership::KeyKind::Hot));
    assert_eq!((view.visits.len(), view.meetings.len()), (1, 1));

    // Conclusion of an owned lead: the owning leader signs off before the committee head.
    let chief = actor(&w, "chief").await.approver().unwrap();
    w.app.lifecycle().take_step(&keeper, a.id, &step("assess", "研判")).await.unwrap();
    let mut d = step("dispose", "拟初核");
    d.disposition = "preliminary_verification".into();
    d.meeting = "999999".into();
    assert!(
        matches!(w.app.lifecycle().take_step(&keeper, a.id, &d).await, Err(AppError::Invalid(_))),
        "a meeting that did not discuss it"
    );
    d.meeting = w.app.supervision().ownership_of(keeper.reader(), a.id).await.unwrap().meetings[0].id.to_string();
    w.app.lifecycle().take_step(&keeper, a.id, &d).await.unwrap();
    let cited = w.app.lifecycle().timeline(keeper.reader(), a.id).await.unwrap();
    let cites = cited.last().unwrap();
    assert!(cites.system_text(false).contains("第五次集体研判会"), "the disposition cites the meeting");
    assert!(cites.system_text(true).starts_with("As decided at"), "in English too");
    let q = w.app.lifecycle().approval_queue(&chief).await.unwrap();
    w.app.lifecycle().decide_step(&chief, q[0].event_id, true, "").await.unwrap();
    let mut c = step("conclude", "查否");
    c.conclusion =
        ConclusionInput { finding: "unfounded".into(), outcomes: vec![("no_violation".into(), "".into(), "".into())] };
    w.app.lifecycle().take_step(&keeper, a.id, &c).await.unwrap();
    let q = w.app.lifecycle().approval_queue(&chief).await.unwrap();
    match w.app.lifecycle().decide_step(&chief, q[0].event_id, true, "").await {
        Err(AppError::Invalid(i)) => assert_eq!(i.0[0].code, "sign_off_missing"),
        other => panic!("{other:?}"),
    }
    w.app.supervision().sign_off_conclusion(&leader, a.id, "同意查否结论，请做好澄清正名").await.unwrap();
    w.app.lifecycle().decide_step(&chief, q[0].event_id, true, "").await.unwrap();
    let kinds: Vec<&str> = w
        .app
        .lifecycle()
        .timeline(keeper.reader(), a.id)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.kind.code())
        .filter(|k| *k != "clock")
        .collect();
    assert_eq!(kinds, ["ownership", "visit", "meeting", "assess", "dispose", "conclude", "endorsement", "sign_off"]);
}

async fn edited_rules_and_a_newly_loaded_year_recompute_provisional_deadlines(b: Backend) {
    let w = world(b).await;
    w.clock.set(time::macros::datetime!(2026-12-20 02:00 UTC));
    let sup = actor(&w, "sup").await;
    assert!(matches!(
        w.app
            .lifecycle()
            .update_rule(&actor(&w, "insp_a").await, "verification", "20", "working_days", "67", "3")
            .await,
        Err(AppError::Forbidden)
    ));
    assert!(matches!(
        w.app.lifecycle().update_rule(&sup, "verification", "0", "weeks", "67", "3").await,
        Err(AppError::Invalid(_))
    ));
    w.app.lifecycle().update_rule(&sup, "verification", "20", "working_days", "67", "3").await.unwrap();
    let keeper = actor(&w, "insp_a").await.ledger_keeper().unwrap();
    let mut i = input(w.hospital_a, "年末线索", "秦某");
    i.received_on = "2026-12-18".into();
    let lead = w.app.ledger().register(&keeper, &i).await.unwrap().into_visible().unwrap();
    w.app.lifecycle().take_step(&keeper, lead.id, &step("assess", "研判")).await.unwrap();
    let mut d = step("dispose", "初核");
    d.disposition = "preliminary_verification".into();
    w.app.lifecycle().take_step(&keeper, lead.id, &d).await.unwrap();
    let chief = actor(&w, "chief").await.approver().unwrap();
    let q = w.app.lifecycle().approval_queue(&chief).await.unwrap();
    w.app.lifecycle().decide_step(&chief, q[0].event_id, true, "").await.unwrap();
    let before = w.app.ledger().lead(keeper.reader(), lead.id).await.unwrap();
    assert!(before.deadline_provisional, "20 working days from 2026-12-20 reach into 2027, not yet published");
    // Monday–Friday fallback: 12-21..12-31 (9), 2027-01-01.. → 2027-01-15.
    assert_eq!(domain::dates::format_date(before.deadline), "2027-01-15");
    let sysadmin = actor(&w, "sysadmin").await;
    let csv = "date,kind,name_en,name_zh\n2027-01-01,holiday,New Year's Day,元旦\n";
    assert!(
        matches!(w.app.lifecycle().load_calendar_days(&sup, csv).await, Err(AppError::Forbidden)),
        "administrators load calendars"
    );
    let (days, recomputed) = w.app.lifecycle().load_calendar_days(&sysadmin, csv).await.unwrap();
    assert_eq!((days, recomputed), (1, 1));
    let after = w.app.ledger().lead(keeper.reader(), lead.id).await.unwrap();
    assert_eq!(
        (domain::dates::format_date(after.deadline).as_str(), after.deadline_provisional),
        ("2027-01-18", false)
    );
    // The move is on the lead's timeline, old → new, by the administrator who loaded the year.
    let t = w.app.lifecycle().timeline(keeper.reader(), lead.id).await.unwrap();
    let moved = t
        .iter()
        .find(|e| matches!(e.payload, Some(domain::lifecycle::timeline::Payload::Recomputed { .. })))
        .expect("the recompute is on the timeline");
    assert_eq!(moved.actor_name, sysadmin.display_name);
    assert_eq!(
        moved.payload.as_ref().unwrap().describe(false),
        "初步核实：期限 2027-01-15 → 2027-01-18（按新导入的工作日历重新计算）"
    );
}

async fn listed_supervision_and_moves_of_jurisdiction(b: Backend) {
    let w = world(b).await;
    let insp = actor(&w, "insp_a").await;
    let keeper = insp.ledger_keeper().unwrap();
    let lead = w
        .app
        .ledger()
        .register(&keeper, &input(w.hospital_a, "挂牌督办的线索", "韦某"))
        .await
        .unwrap()
        .into_visible()
        .unwrap();
    let sup = actor(&w, "sup").await;
    assert!(matches!(
        w.app.supervision().issue_order(&insp, lead.id, "十日内报告", "2019-12-08").await,
        Err(AppError::Forbidden)
    ));
    assert!(
        matches!(
            w.app.supervision().issue_order(&sup, lead.id, "十日内报告", "2019-11-01").await,
            Err(AppError::Invalid(_))
        ),
        "not in the past"
    );
    let order = w.app.supervision().issue_order(&sup, lead.id, "十日内报告初核进展", "2019-12-08").await.unwrap();
    let now = w.app.ledger().lead(keeper.reader(), lead.id).await.unwrap();
    assert_eq!(now.handling_mode, domain::ledger::lead::HandlingMode::ListedSupervision);
    assert!(
        matches!(
            w.app.supervision().report_on_order(&keeper, order, "progress", "进展").await,
            Err(AppError::Invalid(_))
        ),
        "first report first"
    );
    w.app.supervision().report_on_order(&keeper, order, "first", "已成立核查组").await.unwrap();
    w.app.supervision().report_on_order(&keeper, order, "progress", "已调取相关合同").await.unwrap();
    w.app.supervision().report_on_order(&keeper, order, "final", "初核完毕").await.unwrap();
    assert!(
        matches!(
            w.app.supervision().report_on_order(&keeper, order, "progress", "再报").await,
            Err(AppError::Invalid(_))
        ),
        "closed"
    );
    let orders = w.app.supervision().orders_of(keeper.reader(), lead.id).await.unwrap();
    assert_eq!((orders[0].reports.len(), orders[0].closed), (3, true));
    let other_keeper = actor(&w, "insp_b").await.ledger_keeper().unwrap();
    assert!(matches!(
        w.app.supervision().report_on_order(&other_keeper, order, "first", "x").await,
        Err(AppError::NotFound)
    ));

    // 提级办理: proposed by the supervisor, approved by the committee head; the committee
    // takes it and the hospital keeps a read-only view.
    let to = w.app.supervision().move_jurisdiction(&sup, lead.id, "escalated", "").await.unwrap();
    assert_ne!(to, w.hospital_a);
    assert_eq!(
        w.app.ledger().lead(keeper.reader(), lead.id).await.unwrap().unit_id,
        w.hospital_a,
        "waits for approval"
    );
    let chief = actor(&w, "chief").await.approver().unwrap();
    let q = w.app.lifecycle().approval_queue(&chief).await.unwrap();
    let ev = q.iter().find(|x| x.lead_id == lead.id && x.kind.code() == "jurisdiction").unwrap().event_id;
    w.app.lifecycle().decide_step(&chief, ev, true, "同意提级").await.unwrap();
    let moved = w.app.ledger().lead(keeper.reader(), lead.id).await.unwrap();
    assert_eq!((moved.unit_id, moved.previous_unit_id), (to, Some(w.hospital_a)), "still readable by the hospital");
    assert!(
        matches!(
            w.app.lifecycle().take_step(&keeper, lead.id, &step("assess", "越级操作")).await,
            Err(AppError::NotFound)
        ),
        "but no longer editable"
    );
    assert!(!w.app.ledger().detail(&insp, lead.id).await.unwrap().may_edit);
    // 指定管辖: to another hospital, which may now act on it.
    let l2 = w
        .app
        .ledger()
        .register(&keeper, &input(w.hospital_a, "指定管辖", "尤某"))
        .await
        .unwrap()
        .into_visible()
        .unwrap();
    assert!(matches!(
        w.app.supervision().move_jurisdiction(&sup, l2.id, "designated_jurisdiction", "999999").await,
        Err(AppError::Invalid(_))
    ));
    w.app
        .supervision()
        .move_jurisdiction(&sup, l2.id, "designated_jurisdiction", &w.hospital_b.to_string())
        .await
        .unwrap();
    w.app.lifecycle().take_step(&other_keeper, l2.id, &step("assess", "指定管辖后研判")).await.unwrap();
    let kinds: Vec<&str> = w
        .app
        .lifecycle()
        .timeline(keeper.reader(), l2.id)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.kind.code())
        .filter(|k| *k != "clock")
        .collect();
    assert_eq!(kinds, ["jurisdiction", "assess"], "the history stays with the lead");
    let escalated: Vec<&str> = w
        .app
        .lifecycle()
        .timeline(keeper.reader(), lead.id)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.kind.code())
        .collect();
    assert_eq!(escalated.iter().filter(|k| **k == "jurisdiction").count(), 2, "the proposal and the move");
}

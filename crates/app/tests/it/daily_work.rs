//! The daily work made smooth (issue 12): 移交 and 合并 wait for the committee head and do not
//! count as cleared meanwhile; every change of a deadline is on the timeline; the badge counts
//! work; "last modified by" names who made the change.

use app::{SaveLead, StepInput, StepOutcome};
use domain::{ledger::lead::LeadStatus, lifecycle::timeline::Payload};
use store::Backend;

use crate::support::{actor, approve_pending, input, login, world};

testkit::both!(
    a_transfer_waits_for_approval_and_counts_only_then,
    a_deadline_typed_on_an_edit_is_on_the_timeline_and_the_editor_is_named,
    the_badge_counts_approvals_and_red_warnings_reach_the_inspector,
    a_unit_head_returns_an_extension_with_a_reason,
    the_boards_extension_figures_agree
);

async fn a_transfer_waits_for_approval_and_counts_only_then(b: Backend) {
    let w = world(b).await;
    let sup = actor(&w, "sup").await;
    let keeper = actor(&w, "insp_a").await.ledger_keeper().unwrap();
    let reader = actor(&w, "insp_a").await.ledger().unwrap();
    let lead =
        w.app.ledger().register(&keeper, &input(w.hospital_a, "线索", "丙某")).await.unwrap().into_visible().unwrap();
    let before = w.app.supervision().clearance_board(&sup, 1).await.unwrap().totals;
    let step = StepInput {
        step: "transfer".into(),
        receiving_body: "市公安局".into(),
        note: "属公安机关管辖".into(),
        ..Default::default()
    };
    assert_eq!(w.app.lifecycle().take_step(&keeper, lead.id, &step).await.unwrap(), StepOutcome::Pending);
    assert_eq!(w.app.ledger().lead(&reader, lead.id).await.unwrap().status, LeadStatus::Registered, "still the unit's");
    let waiting = w.app.supervision().clearance_board(&sup, 1).await.unwrap().totals;
    assert_eq!(waiting.stock_cleared, before.stock_cleared, "a proposed transfer clears nothing");
    let merge = StepInput { step: "merge".into(), merge_into: "X".into(), note: "重复".into(), ..Default::default() };
    assert!(w.app.lifecycle().take_step(&keeper, lead.id, &merge).await.is_err(), "one proposal at a time");
    approve_pending(&w).await;
    assert_eq!(w.app.ledger().lead(&reader, lead.id).await.unwrap().status, LeadStatus::Transferred);
}

async fn a_deadline_typed_on_an_edit_is_on_the_timeline_and_the_editor_is_named(b: Backend) {
    let w = world(b).await;
    let a = actor(&w, "insp_a").await.ledger_keeper().unwrap();
    let lead = w.app.ledger().register(&a, &input(w.hospital_a, "线索", "丙某")).await.unwrap().into_visible().unwrap();
    let mut i = input(w.hospital_a, "线索", "丙某");
    i.deadline = "2019-06-20".into();
    let save = SaveLead { input: i, expected_version: lead.version };
    w.app.ledger().update(&a, lead.id, &save).await.unwrap();
    let t = w.app.lifecycle().timeline(&actor(&w, "insp_a").await.ledger().unwrap(), lead.id).await.unwrap();
    let set =
        t.iter().find(|e| matches!(e.payload, Some(Payload::DeadlineSet { .. }))).expect("the change is recorded");
    assert_eq!(
        set.system_text(false),
        format!("环节期限 {} → 2019-06-20（修改线索时填写）", domain::dates::format_date(lead.deadline))
    );
    // A second keeper of the unit records the receipt of a transfer: they are the last to
    // change the lead, not the one who registered it.
    let sup = actor(&w, "sup").await.ledger_keeper().unwrap();
    let step = StepInput {
        step: "transfer".into(),
        receiving_body: "市公安局".into(),
        note: "移交".into(),
        ..Default::default()
    };
    w.app.lifecycle().take_step(&a, lead.id, &step).await.unwrap();
    approve_pending(&w).await;
    let today = domain::dates::format_date(w.app.today());
    w.app.lifecycle().record_transfer_receipt(&sup, lead.id, &today).await.unwrap();
    let d = w.app.ledger().detail(&actor(&w, "insp_a").await, lead.id).await.unwrap();
    assert_eq!(d.updated_by_name, "sup", "who made the last change");
}

async fn the_badge_counts_approvals_and_red_warnings_reach_the_inspector(b: Backend) {
    let w = world(b).await;
    let keeper = actor(&w, "insp_a").await.ledger_keeper().unwrap();
    let lead =
        w.app.ledger().register(&keeper, &input(w.hospital_a, "线索", "丙某")).await.unwrap().into_visible().unwrap();
    let chief = || async { login(&w.app, "chief", crate::support::PW).await.unwrap() };
    assert_eq!(chief().await.open_tasks, 0);
    let assess = StepInput { step: "assess".into(), note: "研判".into(), ..Default::default() };
    w.app.lifecycle().take_step(&keeper, lead.id, &assess).await.unwrap();
    let dispose = StepInput {
        step: "dispose".into(),
        disposition: "preliminary_verification".into(),
        note: "拟初核".into(),
        ..Default::default()
    };
    w.app.lifecycle().take_step(&keeper, lead.id, &dispose).await.unwrap();
    assert_eq!(chief().await.open_tasks, 1, "one approval waits for the committee head");
    let q = w.app.lifecycle().approval_queue(&chief().await.actor.approver().unwrap()).await.unwrap();
    assert_eq!((q[0].unit_name.as_str(), q[0].subjects.clone()), ("甲医院", vec!["丙某".to_owned()]), "with context");
    assert_eq!(login(&w.app, "insp_a", crate::support::PW).await.unwrap().open_tasks, 0, "the proposer has none");
    // Long past its deadline: red, and the inspector hears of it (not only the unit head).
    w.clock.set(crate::support::NOW + time::Duration::days(400));
    w.app.lifecycle().scan_warnings("test").await.unwrap();
    let insp = actor(&w, "insp_a").await;
    let f = app::InboxFilter { colour: "red".into(), ..Default::default() };
    let page = w.app.lifecycle().inbox_page(&insp, &f, 1, false).await.unwrap();
    assert_eq!(page.total, 1, "{:?}", page.items.iter().map(|i| &i.message).collect::<Vec<_>>());
    assert_eq!(page.items[0].unit_name.as_deref(), Some("甲医院"));
    // The unit filter offers the notices' units and finds the notice by its unit.
    let (unit, name) = page.units.first().cloned().expect("the notice's unit is offered");
    assert_eq!(name, "甲医院");
    let by_unit = app::InboxFilter { unit: unit.to_string(), ..f.clone() };
    assert_eq!(w.app.lifecycle().inbox_page(&insp, &by_unit, 1, false).await.unwrap().total, 1);
    let elsewhere = app::InboxFilter { unit: w.hospital_b.to_string(), ..f.clone() };
    assert_eq!(w.app.lifecycle().inbox_page(&insp, &elsewhere, 1, false).await.unwrap().total, 0);
    let opened = w.app.lifecycle().open_notice(&insp, page.items[0].id).await.unwrap();
    assert_eq!(opened, Some(Some(lead.id)), "opening goes to the lead");
    let unread = app::InboxFilter { unread_only: true, ..f };
    assert_eq!(w.app.lifecycle().inbox_page(&insp, &unread, 1, false).await.unwrap().total, 0, "and marks it read");
}

/// The unit head sees what an extension would do, and may return it with a reason.
async fn a_unit_head_returns_an_extension_with_a_reason(b: Backend) {
    let w = world(b).await;
    let keeper = actor(&w, "insp_a").await.ledger_keeper().unwrap();
    let lead =
        w.app.ledger().register(&keeper, &input(w.hospital_a, "线索", "丙某")).await.unwrap().into_visible().unwrap();
    let x = w.app.lifecycle().request_extension(&keeper, lead.id, "需调取银行流水", "10").await.unwrap();
    let head = actor(&w, "head_a").await;
    let q = w.app.lifecycle().extension_queue(&head).await.unwrap();
    assert_eq!(q.to_sign[0].proposed, Some((lead.deadline, lead.deadline + time::Duration::days(10))), "old → new");
    assert!(w.app.lifecycle().return_extension(&head, x, " ").await.is_err(), "a return needs its reason");
    assert!(
        w.app.lifecycle().return_extension(&actor(&w, "insp_a").await, x, "不同意").await.is_err(),
        "unit head only"
    );
    w.app.lifecycle().return_extension(&head, x, "理由不充分，请补充说明").await.unwrap();
    let q = w.app.lifecycle().extension_queue(&head).await.unwrap();
    assert!(q.to_sign.is_empty(), "no longer waits for a signature");
    let t = w.app.lifecycle().timeline(&actor(&w, "insp_a").await.ledger().unwrap(), lead.id).await.unwrap();
    assert!(t.iter().any(|e| e.note.as_deref() == Some("理由不充分，请补充说明")), "the reason is on the timeline");
    assert!(w.app.lifecycle().sign_extension(&head, x).await.is_err(), "a returned request is not signed");
    let again = w.app.lifecycle().request_extension(&keeper, lead.id, "已补充说明", "10").await;
    assert!(again.is_ok(), "the requester may ask again");
}

/// The board's extension figures count one population: extensions in effect, and of those
/// the flagged ones (a flagged request still waiting counts in neither).
async fn the_boards_extension_figures_agree(b: Backend) {
    let w = world(b).await;
    let keeper = actor(&w, "insp_a").await.ledger_keeper().unwrap();
    let (head, sup) = (actor(&w, "head_a").await, actor(&w, "sup").await);
    let lead =
        w.app.ledger().register(&keeper, &input(w.hospital_a, "线索", "丙某")).await.unwrap().into_visible().unwrap();
    let short = w.app.lifecycle().request_extension(&keeper, lead.id, "调取材料", "10").await.unwrap();
    w.app.lifecycle().sign_extension(&head, short).await.unwrap();
    w.app.lifecycle().file_extension(&sup, short).await.unwrap();
    let long = w.app.lifecycle().request_extension(&keeper, lead.id, "再次延期", "40").await.unwrap();
    w.app.lifecycle().sign_extension(&head, long).await.unwrap();
    w.app.lifecycle().file_extension(&sup, long).await.unwrap();
    let figures = || async {
        let t = w.app.supervision().clearance_board(&sup, 1).await.unwrap().totals;
        (t.extensions, t.flagged_extensions)
    };
    assert_eq!(figures().await, (1, 0), "the flagged one waits for the committee head: not counted yet");
    let chief = actor(&w, "chief").await.approver().unwrap();
    w.app.lifecycle().decide_extension(&chief, long, true).await.unwrap();
    assert_eq!(figures().await, (2, 1), "in effect, of which one flagged");
    let recount = w.app.supervision().clearance_board_from(&sup, app::BoardSource::Recount, 1, 100).await.unwrap();
    assert_eq!((recount.totals.extensions, recount.totals.flagged_extensions), (2, 1), "a recount agrees");
}

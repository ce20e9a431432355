//! Recusal by person, not by label (issue 10): spellings of a name or a unit do not let a
//! lead about a user reach them, an ID number decides where there is one, and a supervisor
//! may find that a match is someone else.

use app::{AppError, NewAccount, Registered};
use domain::{LeadId, ledger::lead::LeadInput, protection::person::MatchBasis, protection::role::Role};
use store::Backend;

use crate::support::*;

testkit::both!(
    spellings_of_a_name_or_unit_do_not_sidestep_recusal,
    id_numbers_decide_and_a_supervisor_may_clear,
    existing_leads_are_rematched_by_the_migration,
);

/// An account for 李某, displayed with a bracketed note as the demo's inspector is, an
/// inspector of 甲医院 like `insp_a`.
async fn li(w: &World, id_number: &str) -> app::Actor {
    w.app
        .protection()
        .create_account(&NewAccount {
            username: "li",
            display_name: "李某（纪检监察室）",
            unit: w.hospital_a,
            password: PW,
            must_change_password: false,
            real_name: "",
            id_number,
            roles: &[(Role::Inspector, w.hospital_a)],
        })
        .await
        .unwrap();
    actor(w, "li").await
}

fn about(w: &World, name: &str, unit_text: &str, summary: &str) -> LeadInput {
    let mut i = input(w.hospital_a, summary, name);
    i.subjects[0].unit_name = unit_text.into();
    i
}

async fn register(w: &World, keeper: &app::LedgerKeeper, i: &LeadInput) -> LeadId {
    match w.app.ledger().register(keeper, i).await.unwrap() {
        Registered::Visible { lead } => lead.id,
        other => panic!("the registering inspector keeps it: {other:?}"),
    }
}

/// Every way `who` could read `lead`: the lead, its record, its page, lists and counts.
async fn sees(w: &World, who: &app::Actor, lead: LeadId, summary: &str) -> bool {
    let reader = who.ledger().unwrap();
    let by_lead = w.app.ledger().lead(&reader, lead).await.is_ok();
    let by_detail = w.app.ledger().detail(who, lead).await.is_ok();
    let by_dossier = w.app.ledger().dossier(who, lead).await.is_ok();
    let listed = w.app.ledger().list(&reader, &keyword(summary)).await.unwrap();
    let by_list = listed.items.iter().any(|l| l.id == lead);
    assert_eq!(listed.total, listed.items.len() as i64, "the count agrees with the list");
    assert!(
        by_lead == by_detail && by_detail == by_dossier && by_dossier == by_list,
        "read paths disagree: lead {by_lead}, detail {by_detail}, dossier {by_dossier}, list {by_list}"
    );
    by_lead
}

async fn spellings_of_a_name_or_unit_do_not_sidestep_recusal(b: Backend) {
    let w = world(b).await;
    let li = li(&w, "").await;
    let keeper = actor(&w, "insp_a").await.ledger_keeper().unwrap();
    // (name, unit as written) — the probe's spellings, in this world's units.
    let hidden = [
        ("李某", ""),                     // the natural way, no unit: the lead's unit
        ("李某", "甲医院"),               // the unit named exactly
        ("李某(纪检监察室)", ""),         // ASCII brackets
        ("李某（纪检监察室）", "甲医院"), // the display name itself
        ("李 某", "市甲医院"),            // a space, and a unit written loosely (no exact unit: the lead's)
        ("李某", "甲医院纪检监察室"),     // the office inside the unit, written out
        ("李某", "甲医院药剂科"),         // the unit below the account's
    ];
    for (i, (name, unit)) in hidden.iter().enumerate() {
        let summary = format!("反映李某问题之{i}");
        let lead = register(&w, &keeper, &about(&w, name, unit, &summary)).await;
        assert!(!sees(&w, &li, lead, &summary).await, "{name:?} at {unit:?} is shown to 李某");
        let d = w.app.ledger().dossier(keeper.reader().actor(), lead).await.unwrap();
        assert_eq!(d.recusals.len(), 1, "the inspector is told who it is kept from");
        assert_eq!((d.recusals[0].user_id, d.recusals[0].basis), (li.id, MatchBasis::Name));
    }
    // A zero-width space in the name is refused at the door (the text policy).
    let e = w.app.ledger().register(&keeper, &about(&w, "李某\u{200B}", "", "零宽")).await.unwrap_err();
    assert!(matches!(e, AppError::Invalid(_)));
    // Different people stay visible: another name, and the same name two levels away.
    let other = register(&w, &keeper, &about(&w, "李某某", "", "反映李某某问题")).await;
    assert!(sees(&w, &li, other, "反映李某某问题").await);
    assert!(w.app.ledger().dossier(&li, other).await.unwrap().recusals.is_empty());
    let sup = actor(&w, "sup").await;
    let far = register(&w, &keeper, &about(&w, "sup", "甲医院药剂科", "反映同名者问题")).await;
    assert!(sees(&w, &sup, far, "反映同名者问题").await, "the supervisor's unit is two levels above");
    let near = register(&w, &keeper, &about(&w, "sup", "甲医院", "反映sup问题")).await;
    assert!(!sees(&w, &sup, near, "反映sup问题").await, "one level below the supervisor's unit");
    // The board leaves the lead out of the supervisor's own figures, not of others'.
    let mine = w.app.supervision().clearance_board(&sup, 1).await.unwrap().totals.stock_total;
    let chief = actor(&w, "chief").await;
    let theirs = w.app.supervision().clearance_board(&chief, 1).await.unwrap().totals.stock_total;
    assert_eq!(theirs - mine, 1, "the board is recused too");
    // An inspector who registers a lead that may be about themselves loses it at once.
    let me = about(&w, "insp_a", "", "反映本人问题");
    match w.app.ledger().register(&keeper, &me).await.unwrap() {
        Registered::Recused { number } => assert!(number.as_str().starts_with("YYA-")),
        other => panic!("kept from its own registrant: {other:?}"),
    }
}

async fn id_numbers_decide_and_a_supervisor_may_clear(b: Backend) {
    let w = world(b).await;
    let li = li(&w, "11010519491231002X").await;
    let keeper = actor(&w, "insp_a").await.ledger_keeper().unwrap();
    // The same ID number under another name and in another unit: the same person.
    let mut renamed = about(&w, "李四", "乙医院", "反映改名者问题");
    renamed.subjects[0].id_number = "11010519491231002x".into();
    let lead = register(&w, &keeper, &renamed).await;
    assert!(!sees(&w, &li, lead, "反映改名者问题").await);
    let d = w.app.ledger().dossier(keeper.reader().actor(), lead).await.unwrap();
    assert_eq!(d.recusals[0].basis, MatchBasis::IdNumber);
    // The same name with a different ID number: someone else.
    let mut namesake = about(&w, "李某", "", "反映同名不同人问题");
    namesake.subjects[0].id_number = "110105195001010014".into();
    let lead2 = register(&w, &keeper, &namesake).await;
    assert!(sees(&w, &li, lead2, "反映同名不同人问题").await);
    // A name match a supervisor checks and finds to be someone else.
    let lead3 = register(&w, &keeper, &about(&w, "李某", "", "反映待核实问题")).await;
    assert!(!sees(&w, &li, lead3, "反映待核实问题").await);
    let sup = actor(&w, "sup").await;
    let insp = keeper.reader().actor().clone();
    assert!(matches!(w.app.protection().clear_recusal(&insp, lead3, li.id, "核实").await, Err(AppError::Forbidden)));
    let e = w.app.protection().clear_recusal(&sup, lead3, li.id, "  ").await.unwrap_err();
    assert!(matches!(e, AppError::Invalid(_)), "a reason is required");
    w.app.protection().clear_recusal(&sup, lead3, li.id, "经核实，被反映人为药剂科同名职工李某").await.unwrap();
    assert!(sees(&w, &li, lead3, "反映待核实问题").await, "now shown");
    // An edit rebuilds the matches; the finding holds.
    let mut edit = about(&w, "李某", "", "反映待核实问题（补充）");
    edit.subjects[0].post = "药剂师".into();
    w.app.ledger().update(&keeper, lead3, &app::SaveLead { input: edit, expected_version: 1 }).await.unwrap();
    assert!(sees(&w, &li, lead3, "反映待核实问题").await, "not hidden again");
    let again = w.app.protection().clear_recusal(&sup, lead3, li.id, "再次").await.unwrap_err();
    assert!(matches!(again, AppError::Invalid(_)), "nothing left to clear");
    let auditor = actor(&w, "auditor").await.audit_reader().unwrap();
    let q = app::AuditQuery { action: "recusal.clear".into(), record_id: lead3.to_string(), ..Default::default() };
    assert_eq!(w.app.protection().audit_entries(&auditor, &q).await.unwrap().total, 1);
}

/// The migration's step re-matches leads written before recusal by person: here a database
/// put back to how release 14 left it (no name keys, units or matches).
async fn existing_leads_are_rematched_by_the_migration(b: Backend) {
    let w = world(b).await;
    let li = li(&w, "").await;
    let keeper = actor(&w, "insp_a").await.ledger_keeper().unwrap();
    let lead = register(&w, &keeper, &about(&w, "李某(纪检监察室)", "甲医院", "反映旧线索问题")).await;
    let mut tx = w.app.db().begin_write().await.unwrap();
    for sql in [
        "DELETE FROM recusals",
        "UPDATE lead_subjects SET name_key = NULL, unit_ref = NULL, id_number_hash = NULL",
        "UPDATE persons SET name_key = NULL",
    ] {
        sqlx::query(sql).execute(&mut *tx).await.unwrap();
    }
    tx.commit().await.unwrap();
    assert!(sees(&w, &li, lead, "反映旧线索问题").await, "as release 14 would show it");
    let mut tx = w.app.db().begin_write().await.unwrap();
    store::protection::recusals::rematch_everything(&mut tx).await.unwrap();
    tx.commit().await.unwrap();
    assert!(!sees(&w, &li, lead, "反映旧线索问题").await, "re-matched");
}

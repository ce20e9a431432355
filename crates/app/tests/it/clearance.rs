//! One definition of cleared (issue 11), on both databases: migration 17 brings old rows
//! under it; 提级办理 is a move, not a state; a stock lead names its owners.

use app::AppError;
use domain::{dates::format_date, ledger::campaign::StockClass, ledger::lead::LeadStatus};
use store::Backend;

use crate::{lifecycle::step, support::*};

testkit::both!(
    the_migration_brings_old_leads_under_the_new_rules,
    escalation_moves_and_stock_leads_name_owners,
    settling_a_lead_that_names_someone_asks_whether_to_clear_them
);

async fn settling_a_lead_that_names_someone_asks_whether_to_clear_them(b: Backend) {
    let w = world(b).await;
    let keeper = actor(&w, "insp_a").await.ledger_keeper().unwrap();
    let mut i = input(w.hospital_a, "予以了结：反映内容已有结论", "戊某");
    i.reporter = domain::reporters::ReporterInput { kind: "anonymous".into(), ..Default::default() };
    let lead = w.app.ledger().register(&keeper, &i).await.unwrap().into_visible().unwrap();
    w.app.lifecycle().take_step(&keeper, lead.id, &step("assess", "研判")).await.unwrap();
    let mut settle = step("dispose", "已有结论，予以了结");
    settle.disposition = "settle".into();
    w.app.lifecycle().take_step(&keeper, lead.id, &settle).await.unwrap();
    approve_pending(&w).await;
    let insp = actor(&w, "insp_a").await;
    assert!(w.app.ledger().dossier(&insp, lead.id).await.unwrap().clearing_question, "the question is asked");
    match w.app.lifecycle().take_step(&keeper, lead.id, &step("strike_off", "销号")).await.unwrap_err() {
        AppError::Invalid(i) => assert_eq!(i.0[0].code, "clearing_missing"),
        other => panic!("{other:?}"),
    }
    w.app.lifecycle().record_follow_up(&keeper, lead.id, "clearing_not_needed", "经研究无需澄清").await.unwrap();
    assert!(!w.app.ledger().dossier(&insp, lead.id).await.unwrap().clearing_question, "answered");
    w.app.lifecycle().take_step(&keeper, lead.id, &step("strike_off", "销号")).await.unwrap();
}

async fn exec(w: &World, sql: &str, id: i64) {
    let mut tx = w.app.db().begin_write().await.unwrap();
    sqlx::query(sqlx::AssertSqlSafe(sql.to_owned())).bind(id).execute(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
}

async fn the_migration_brings_old_leads_under_the_new_rules(b: Backend) {
    let w = world(b).await;
    let keeper = actor(&w, "insp_a").await.ledger_keeper().unwrap();
    let reg = |i: domain::ledger::lead::LeadInput| {
        let (w, keeper) = (&w, &keeper);
        async move { w.app.ledger().register(keeper, &i).await.unwrap().into_visible().unwrap() }
    };
    let mut style = input(w.hospital_a, "作风问题旧线索", "甲某");
    style.category = "work_style".into();
    let style = reg(style).await;
    let stock = reg(input(w.hospital_a, "存量旧线索", "乙某")).await;
    let escalated = reg(input(w.hospital_a, "旧的提级线索", "丙某")).await;
    w.app.lifecycle().take_step(&keeper, escalated.id, &step("assess", "研判")).await.unwrap();
    // As release 16 left them: every lead in the campaign as stock, the stock clock started at
    // registration (2019-11-28 → 12-28), 提级 a state the lead stayed in.
    exec(
        &w,
        "UPDATE leads SET stock_class = 'stock', campaign_id = (SELECT MIN(id) FROM campaigns) WHERE id = $1",
        style.id.get(),
    )
    .await;
    exec(&w, "UPDATE leads SET deadline = '2019-12-28', clock_started_on = '2019-11-28' WHERE id = $1", stock.id.get())
        .await;
    exec(&w, "UPDATE leads SET status = 'escalated_away' WHERE id = $1", escalated.id.get()).await;
    exec(
        &w,
        "INSERT INTO lead_events (lead_id, kind, from_status, to_status, state, actor_id, at, note)
         SELECT $1, 'escalate', 'assessed', 'escalated_away', 'done', created_by, created_at, '提级' FROM leads WHERE id = $1",
        escalated.id.get(),
    )
    .await;
    let mut tx = w.app.db().begin_write().await.unwrap();
    store::ledger::campaign_scope::migrate(&mut tx).await.unwrap();
    store::supervision::tallies::invalidate(&mut tx).await.unwrap();
    tx.commit().await.unwrap();

    let sup = actor(&w, "sup").await.ledger().unwrap();
    let read = |id| {
        let (app, sup) = (w.app.clone(), sup.clone());
        async move { app.ledger().lead(&sup, id).await.unwrap() }
    };
    let style = read(style.id).await;
    assert_eq!(
        (style.campaign_id, style.stock_class),
        (None, StockClass::Ordinary),
        "a category the campaign does not count"
    );
    let stock = read(stock.id).await;
    assert_eq!(format_date(stock.deadline), "2019-06-06", "the disposition month from receipt (2019-05-06)");
    assert_eq!(stock.clock_started_on.map(format_date).as_deref(), Some("2019-05-06"));
    let escalated = read(escalated.id).await;
    assert_eq!(escalated.status, LeadStatus::Assessed, "back to what it was escalated from");
    assert_eq!(escalated.unit_id.get(), w.committee.get(), "and up to the parent body");
    assert_eq!(escalated.previous_unit_id, Some(w.hospital_a));
    // The board under the new rules: the style lead is on no board, the other two are stock.
    let board = w.app.supervision().clearance_board(&actor(&w, "sup").await, 1).await.unwrap();
    assert_eq!(board.totals.stock_total, 2);
    // Run again, it changes nothing (both databases: the NOT NULL is gone already).
    let mut tx = w.app.db().begin_write().await.unwrap();
    store::ledger::campaign_scope::migrate(&mut tx).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(read(stock.id).await.deadline, stock.deadline);
}

async fn escalation_moves_and_stock_leads_name_owners(b: Backend) {
    let w = world(b).await;
    let keeper = actor(&w, "insp_a").await.ledger_keeper().unwrap();
    // A stock lead without its owners is refused, each field saying why.
    let mut bare = input(w.hospital_a, "无责任人的存量线索", "丁某");
    (bare.responsible_leader, bare.responsible_person) = (String::new(), " ".into());
    match w.app.ledger().register(&keeper, &bare).await.unwrap_err() {
        AppError::Invalid(i) => assert_eq!(
            i.0.iter().map(|e| (e.field.as_str(), e.code)).collect::<Vec<_>>(),
            [("responsible_leader", "required_for_stock"), ("responsible_person", "required_for_stock")]
        ),
        other => panic!("{other:?}"),
    }
    // A new one may name them later.
    bare.received_on = "2019-11-01".into();
    let lead = w.app.ledger().register(&keeper, &bare).await.unwrap().into_visible().unwrap();
    assert_eq!(lead.stock_class, StockClass::New);
    // 提级 as a step is refused with the way to do it; the move is the one meaning.
    w.app.lifecycle().take_step(&keeper, lead.id, &step("assess", "研判")).await.unwrap();
    match w.app.lifecycle().take_step(&keeper, lead.id, &step("escalate", "提级")).await.unwrap_err() {
        AppError::Invalid(i) => assert_eq!(i.0[0].code, "escalate_moves"),
        other => panic!("{other:?}"),
    }
    let sup = actor(&w, "sup").await;
    w.app.supervision().move_jurisdiction(&sup, lead.id, "escalated", "").await.unwrap();
    approve_pending(&w).await;
    let moved = w.app.ledger().lead(&sup.ledger().unwrap(), lead.id).await.unwrap();
    assert_eq!((moved.unit_id, moved.status), (w.committee, LeadStatus::Assessed), "moved up, still open");
    let board = w.app.supervision().clearance_board(&sup, 1).await.unwrap();
    let at = |u: domain::UnitId| board.rows.iter().find(|r| r.unit_id == u.get()).map(|r| r.new_total);
    assert_eq!((at(w.committee), at(w.hospital_a)), (Some(1), None), "counted where the lead now is");
}

//! Handler assignment (分办): who sees, who is told, who is shown as 责任人.

use app::AppError;
use domain::{
    LeadId,
    ledger::query::LedgerParams,
    lifecycle::timeline::{Activity, EventKind},
};
use store::Backend;

use crate::support::*;

testkit::both!(handlers_see_only_their_leads_are_told_of_them_and_are_listed_as_responsible);

fn code(r: Result<Vec<domain::ledger::lead::Handler>, AppError>) -> String {
    match r {
        Err(AppError::Invalid(i)) => i.0[0].code.to_string(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

async fn handlers_see_only_their_leads_are_told_of_them_and_are_listed_as_responsible(b: Backend) {
    let w = world(b).await;
    let keeper = actor(&w, "insp_a").await.ledger_keeper().unwrap();
    let mut leads = Vec::new();
    for (summary, subject) in [("一", "甲某"), ("二", "乙某"), ("三", "丙某")] {
        let mut i = input(w.hospital_a, summary, subject);
        // New leads (after the stock date) due 2019-12-05: blue on 11-28, two thirds used.
        i.received_on = "2019-11-05".into();
        i.responsible_person = "无账号的王某".into();
        leads.push(w.app.ledger().register(&keeper, &i).await.unwrap().into_visible().unwrap());
    }
    let (handler, handler2) = (actor(&w, "handler_a").await, actor(&w, "handler_a2").await);
    let reads = |a: &app::Actor| a.ledger().unwrap();
    assert_eq!(w.app.ledger().list(&reads(&handler), &LedgerParams::default()).await.unwrap().total, 0);

    let ids = |a: &[&app::Actor]| a.iter().map(|x| x.id.to_string()).collect::<Vec<_>>();
    let got = w.app.ledger().assign_handlers(&keeper, leads[0].id, &ids(&[&handler])).await.unwrap();
    assert_eq!(got.iter().map(|h| h.name.as_str()).collect::<Vec<_>>(), ["handler_a"]);
    w.app.ledger().assign_handlers(&keeper, leads[1].id, &ids(&[&handler, &handler2])).await.unwrap();

    // Each handler sees the leads given to them, and only those: others are "not found".
    let seen = |a: app::Actor| {
        let w = &w;
        async move {
            let mut ids: Vec<LeadId> = w
                .app
                .ledger()
                .list(&a.ledger().unwrap(), &LedgerParams::default())
                .await
                .unwrap()
                .items
                .iter()
                .map(|l| l.id)
                .collect();
            ids.sort();
            ids
        }
    };
    assert_eq!(seen(handler.clone()).await, [leads[0].id, leads[1].id]);
    assert_eq!(seen(handler2.clone()).await, [leads[1].id]);
    assert!(matches!(w.app.ledger().lead(&reads(&handler2), leads[0].id).await, Err(AppError::NotFound)));
    assert!(matches!(w.app.ledger().lead(&reads(&handler), leads[2].id).await, Err(AppError::NotFound)));
    assert!(handler.ledger_keeper().is_err(), "a handler does not keep the ledger");

    // The handlers are 责任人, before the free-text name.
    let second = w.app.ledger().lead(keeper.reader(), leads[1].id).await.unwrap();
    assert_eq!(second.responsible_shown(false), "handler_a、handler_a2、无账号的王某");
    // The ledger filters by handler.
    let by = |h: &app::Actor| LedgerParams { handler: h.id.to_string(), ..Default::default() };
    let sup = actor(&w, "sup").await.ledger().unwrap();
    let listed = w.app.ledger().list(&sup, &by(&handler2)).await.unwrap();
    assert_eq!((listed.total, listed.items[0].id), (1, leads[1].id));
    assert_eq!(w.app.ledger().list(&sup, &by(&handler)).await.unwrap().total, 2);

    // Refused, and nothing changes: a handler of another unit, an inspector, a made-up id,
    // a lead out of the keeper's scope, a caller who keeps no ledger.
    let other = actor(&w, "handler_b").await;
    assert_eq!(code(w.app.ledger().assign_handlers(&keeper, leads[0].id, &ids(&[&other])).await), "not_a_handler");
    let insp = actor(&w, "insp_a").await;
    assert_eq!(code(w.app.ledger().assign_handlers(&keeper, leads[0].id, &ids(&[&insp])).await), "not_a_handler");
    assert_eq!(code(w.app.ledger().assign_handlers(&keeper, leads[0].id, &["x1".into()]).await), "unknown_user");
    let keeper_b = actor(&w, "insp_b").await.ledger_keeper().unwrap();
    assert!(matches!(
        w.app.ledger().assign_handlers(&keeper_b, leads[0].id, &ids(&[&other])).await,
        Err(AppError::NotFound)
    ));
    assert_eq!(seen(handler.clone()).await, [leads[0].id, leads[1].id]);

    // The assignment is on the timeline and in the audit trail.
    let timeline = w.app.lifecycle().timeline(keeper.reader(), leads[1].id).await.unwrap();
    let noted =
        timeline.iter().find(|e| e.kind == EventKind::Activity(Activity::Assignment)).expect("assignment noted");
    assert!(noted.system_text(false).contains("handler_a2"), "{:?}", noted.system_text(false));
    let auditor = actor(&w, "auditor").await.audit_reader().unwrap();
    let q = app::AuditQuery { action: "lead.assign".into(), ..Default::default() };
    assert_eq!(w.app.protection().audit_entries(&auditor, &q).await.unwrap().total, 2);

    // The blue warning goes to the lead's handlers (and the unit's inspector), not to other
    // handlers of the unit.
    w.app.lifecycle().scan_warnings("test").await.unwrap();
    let told = |a: app::Actor| {
        let w = &w;
        async move { w.app.lifecycle().inbox(&a, false).await.unwrap().into_iter().map(|n| n.message).collect::<Vec<_>>() }
    };
    let for_handler = told(handler.clone()).await;
    assert_eq!(for_handler.len(), 2, "{for_handler:?}");
    assert!(for_handler.iter().all(|m| m.contains("蓝色预警")));
    assert!(for_handler.iter().any(|m| m.contains(leads[0].number.as_str())));
    let for_second = told(handler2.clone()).await;
    assert_eq!(for_second.len(), 1);
    assert!(for_second[0].contains(leads[1].number.as_str()));
    assert!(told(other).await.is_empty());

    // A cleared lead is not assigned any more (here merged as a repeat of the first).
    let merge = app::StepInput {
        step: "merge".into(),
        merge_into: leads[0].number.to_string(),
        note: "重复件".into(),
        ..Default::default()
    };
    w.app.lifecycle().take_step(&keeper, leads[2].id, &merge).await.unwrap();
    approve_pending(&w).await;
    assert_eq!(code(w.app.ledger().assign_handlers(&keeper, leads[2].id, &ids(&[&handler])).await), "closed");

    // Ticking no one withdraws the assignment.
    w.app.ledger().assign_handlers(&keeper, leads[0].id, &[]).await.unwrap();
    assert_eq!(seen(handler).await, [leads[1].id]);
}

//! The ledger's use cases.

use std::sync::Arc;

use app::{AppError, FixedClock, LoginKind, SaveLead};
use domain::{UnitId, ledger::query::LedgerParams, protection::role::Role};
use store::Backend;

use crate::support::*;

testkit::both!(
    bench_data_has_the_demo_shape_and_numbering_continues,
    registers_numbers_and_scopes_leads,
    bad_input_writes_nothing,
    stale_edit_is_refused,
    parallel_registration_numbers_are_unique_and_gap_free,
    administrators_cannot_read_leads,
    filters_sort_and_paginate,
    numbers_sort_by_their_sequence_past_9999,
    sessions_expire_and_end,
    demo_covers_every_vocabulary,
    first_start_creates_the_three_administrators,
);

async fn registers_numbers_and_scopes_leads(b: Backend) {
    let w = world(b).await;
    let insp_a = actor(&w, "insp_a").await;
    let keeper = insp_a.ledger_keeper().unwrap();
    let lead = w
        .app
        .ledger()
        .register(&keeper, &input(w.hospital_a, "反映张某某充当保护伞", "张某某"))
        .await
        .unwrap()
        .into_visible()
        .unwrap();
    assert_eq!(lead.number.as_str(), "YYA-2019-0001");
    assert_eq!(lead.stock_class, domain::ledger::campaign::StockClass::Stock);
    assert_eq!(
        domain::dates::format_date(lead.deadline),
        "2019-06-06",
        "the disposition clock runs from receipt, for a stock lead too (2019-05-06 + 1 month)"
    );
    assert_eq!(lead.deadline_rule, Some(domain::lifecycle::deadline::RuleCode::Disposition));
    let second =
        w.app.ledger().register(&keeper, &input(w.hospital_a, "第二件", "李某")).await.unwrap().into_visible().unwrap();
    assert_eq!(second.number.as_str(), "YYA-2019-0002");

    // The supervisor sees it; the other hospital's inspector gets "not found", exactly as
    // for a lead that does not exist.
    let sup = actor(&w, "sup").await;
    let found = w.app.ledger().list(&sup.ledger().unwrap(), &keyword("张某某")).await.unwrap();
    assert_eq!(found.total, 1);
    assert_eq!(found.items[0].id, lead.id);
    let insp_b = actor(&w, "insp_b").await;
    let rb = insp_b.ledger().unwrap();
    assert!(matches!(w.app.ledger().lead(&rb, lead.id).await, Err(AppError::NotFound)));
    assert!(matches!(w.app.ledger().lead(&rb, domain::LeadId::from_raw(999_999)).await, Err(AppError::NotFound)));
    assert_eq!(w.app.ledger().list(&rb, &keyword("张某某")).await.unwrap().total, 0);
    // Nor may B register into A's unit.
    let err = w.app.ledger().register(&insp_b.ledger_keeper().unwrap(), &input(w.hospital_a, "x", "y")).await;
    match err {
        Err(AppError::Invalid(i)) => assert_eq!(i.0[0].code, "unknown_unit"),
        other => panic!("expected unknown_unit, got {other:?}"),
    }
    // The unit head reads but cannot register; nobody but a custodian sees the reporter's
    // identity, not even the inspector who typed it in.
    let head = actor(&w, "head_a").await;
    assert!(w.app.ledger().lead(&head.ledger().unwrap(), lead.id).await.is_ok());
    assert!(matches!(head.ledger_keeper(), Err(AppError::Forbidden)));
    for who in [&head, &insp_a] {
        let r = w.app.ledger().detail(who, lead.id).await.unwrap().reporter;
        assert_eq!((r.kind, r.name, r.contact), (domain::reporters::ReporterKind::Signed, None, None));
    }
}

async fn bad_input_writes_nothing(b: Backend) {
    let w = world(b).await;
    let insp = actor(&w, "insp_a").await;
    let keeper = insp.ledger_keeper().unwrap();
    let mut bad = input(w.hospital_a, "", "");
    bad.received_on = "2019-11-29".into(); // tomorrow in Beijing
    let Err(AppError::Invalid(i)) = w.app.ledger().register(&keeper, &bad).await else { panic!("accepted bad input") };
    let codes: Vec<&str> = i.0.iter().map(|e| e.code).collect();
    assert!(codes.contains(&"future_date") && codes.contains(&"required"), "{codes:?}");
    let mut unknown = input(UnitId::from_raw(424242), "x", "y");
    unknown.summary = "有效".into();
    assert!(matches!(w.app.ledger().register(&keeper, &unknown).await, Err(AppError::Invalid(_))));
    assert_eq!(w.app.ledger().list(&keeper.reader().clone(), &LedgerParams::default()).await.unwrap().total, 0);
    // A refused registration consumes no number.
    let ok = w
        .app
        .ledger()
        .register(&keeper, &input(w.hospital_a, "有效线索", "王某"))
        .await
        .unwrap()
        .into_visible()
        .unwrap();
    assert_eq!(ok.number.as_str(), "YYA-2019-0001");
}

async fn stale_edit_is_refused(b: Backend) {
    let w = world(b).await;
    let insp = actor(&w, "insp_a").await;
    let keeper = insp.ledger_keeper().unwrap();
    let lead = w
        .app
        .ledger()
        .register(&keeper, &input(w.hospital_a, "原始摘要", "王某"))
        .await
        .unwrap()
        .into_visible()
        .unwrap();
    let first = SaveLead { input: input(w.hospital_a, "第一次修改", "王某"), expected_version: lead.version };
    let saved = w.app.ledger().update(&keeper, lead.id, &first).await.unwrap().into_visible().unwrap();
    assert_eq!((saved.version, saved.summary.as_str()), (2, "第一次修改"));
    let late = SaveLead { input: input(w.hospital_a, "过期的修改", "王某"), expected_version: lead.version };
    match w.app.ledger().update(&keeper, lead.id, &late).await {
        Err(AppError::Stale { current_version }) => assert_eq!(current_version, 2),
        other => panic!("expected stale, got {other:?}"),
    }
    let now = w.app.ledger().lead(keeper.reader(), lead.id).await.unwrap();
    assert_eq!((now.summary.as_str(), now.number.as_str()), ("第一次修改", "YYA-2019-0001"));
    // Another unit's keeper cannot edit it, and is told "not found".
    let other = actor(&w, "insp_b").await.ledger_keeper().unwrap();
    let attempt = SaveLead { input: input(w.hospital_b, "夺取", "王某"), expected_version: 2 };
    assert!(matches!(w.app.ledger().update(&other, lead.id, &attempt).await, Err(AppError::NotFound)));
}

async fn parallel_registration_numbers_are_unique_and_gap_free(b: Backend) {
    let w = world(b).await;
    let keeper = actor(&w, "insp_a").await.ledger_keeper().unwrap();
    let tasks: Vec<_> = (0..200)
        .map(|i| {
            let (app, keeper, unit) = (w.app.clone(), keeper.clone(), w.hospital_a);
            tokio::spawn(async move {
                app.ledger().register(&keeper, &input(unit, &format!("并发登记 {i}"), "并发")).await
            })
        })
        .collect();
    let mut numbers = Vec::new();
    for t in tasks {
        numbers.push(t.await.unwrap().unwrap().number().as_str().to_owned());
    }
    numbers.sort();
    let expected: Vec<String> = (1..=200).map(|n| format!("YYA-2019-{n:04}")).collect();
    assert_eq!(numbers, expected);
    let mut c = w.app.db().read().await.unwrap();
    assert_eq!(store::ledger::leads::numbers_of(&mut c, w.hospital_a).await.unwrap(), expected);
}

async fn administrators_cannot_read_leads(b: Backend) {
    let w = world(b).await;
    for name in ["sysadmin", "auditor"] {
        let a = actor(&w, name).await;
        assert!(matches!(a.ledger(), Err(AppError::Forbidden)), "{name}");
        assert!(matches!(a.ledger_keeper(), Err(AppError::Forbidden)), "{name}");
    }
}

async fn filters_sort_and_paginate(b: Backend) {
    let w = world(b).await;
    let keeper = actor(&w, "insp_a").await.ledger_keeper().unwrap();
    for i in 0..12 {
        let mut inp = input(w.hospital_a, &format!("线索{i} 100%_真实"), &format!("对象{i}"));
        inp.received_on = format!("2019-{:02}-10", i % 11 + 1);
        inp.important = i % 3 == 0;
        inp.category = if i % 2 == 0 { "gang_corruption".into() } else { "work_style".into() };
        inp.responsible_person = if i < 4 { "承办甲".into() } else { "承办乙".into() };
        w.app.ledger().register(&keeper, &inp).await.unwrap().into_visible().unwrap();
    }
    let sup = actor(&w, "sup").await.ledger().unwrap();
    let list = |p: LedgerParams| {
        let app = w.app.clone();
        let sup = sup.clone();
        async move { app.ledger().list(&sup, &p).await.unwrap() }
    };
    let page = list(LedgerParams { per_page: "5".into(), page: "3".into(), ..Default::default() }).await;
    assert_eq!((page.total, page.items.len(), page.page_count()), (12, 2, 3));
    let stock = list(LedgerParams { stock_class: "stock".into(), ..Default::default() }).await;
    assert_eq!(stock.total, 3, "涉黑涉恶 leads received Jan..Jun are stock (cut-off 06-30)");
    let newer = list(LedgerParams { stock_class: "new".into(), ..Default::default() }).await;
    assert_eq!(newer.total, 3, "涉黑涉恶 leads received after it");
    let ordinary = list(LedgerParams { stock_class: "ordinary".into(), ..Default::default() }).await;
    assert_eq!(ordinary.total, 6, "作风问题: no campaign counts them");
    let imp = list(LedgerParams { important: "true".into(), ..Default::default() }).await;
    assert_eq!(imp.total, 4);
    let cat = list(LedgerParams { category: "gang_corruption".into(), ..Default::default() }).await;
    assert_eq!(cat.total, 6);
    let person = list(LedgerParams { responsible_person: "承办甲".into(), ..Default::default() }).await;
    assert_eq!(person.total, 4);
    let range = list(LedgerParams {
        received_from: "2019-03-01".into(),
        received_to: "2019-04-30".into(),
        ..Default::default()
    })
    .await;
    assert_eq!(range.total, 2, "March (i=2) and April (i=3)");
    // LIKE metacharacters are data: "100%_" matches literally, "%" alone matches nothing extra.
    assert_eq!(list(keyword("100%_真")).await.total, 12);
    assert_eq!(list(keyword("0%x")).await.total, 0);
    assert_eq!(list(keyword("yya-2019-0003")).await.total, 1, "numbers match case-insensitively");
    let by_received = list(LedgerParams { sort: "received_asc".into(), ..Default::default() }).await;
    let dates: Vec<_> = by_received.items.iter().map(|l| l.received_on).collect();
    assert!(dates.windows(2).all(|p| p[0] <= p[1]));
    let by_number = list(LedgerParams { sort: "number_desc".into(), ..Default::default() }).await;
    assert_eq!(by_number.items[0].number.as_str(), "YYA-2019-0012");
    // The unit filter includes the subtree and excludes siblings: a lead of A's department
    // and one of hospital B, beside A's twelve.
    let tree = w.app.ledger().unit_tree(&actor(&w, "sup").await).await.unwrap();
    let dept = tree.iter().find(|u| u.code.as_str() == "YYAKS").unwrap().id;
    let in_dept =
        w.app.ledger().register(&keeper, &input(dept, "科室线索", "科室对象")).await.unwrap().into_visible().unwrap();
    let keeper_b = actor(&w, "insp_b").await.ledger_keeper().unwrap();
    let in_b = w
        .app
        .ledger()
        .register(&keeper_b, &input(w.hospital_b, "乙院线索", "乙院对象"))
        .await
        .unwrap()
        .into_visible()
        .unwrap();
    let ids = |p: &app::LeadPage| p.items.iter().map(|l| l.id).collect::<Vec<_>>();
    let unit = |u: UnitId| LedgerParams { unit_id: u.to_string(), per_page: "100".into(), ..Default::default() };
    let a = list(unit(w.hospital_a)).await;
    assert_eq!(a.total, 13, "A's twelve and its department's one");
    assert!(ids(&a).contains(&in_dept.id) && !ids(&a).contains(&in_b.id));
    assert_eq!(ids(&list(unit(dept)).await), [in_dept.id], "a department alone");
    assert_eq!(ids(&list(unit(w.hospital_b)).await), [in_b.id]);
    // Open and closed (清零): a repeat merged into its original is neither — it is counted
    // once, under the original; a settled lead is cleared.
    let merge = app::StepInput {
        step: "merge".into(),
        merge_into: "YYA-2019-0001".into(),
        note: "重复件".into(),
        ..Default::default()
    };
    let repeat = list(keyword("YYA-2019-0002")).await.items[0].id;
    w.app.lifecycle().take_step(&keeper, repeat, &merge).await.unwrap();
    crate::support::approve_pending(&w).await;
    let open = list(LedgerParams { status: "open".into(), ..Default::default() }).await;
    assert_eq!(open.total, 13, "fourteen leads, one a repeat");
    assert!(list(LedgerParams { status: "closed".into(), ..Default::default() }).await.items.is_empty());
    let settled = list(keyword("YYA-2019-0003")).await.items[0].id;
    w.app
        .lifecycle()
        .take_step(
            &keeper,
            settled,
            &app::StepInput { step: "assess".into(), note: "研判".into(), ..Default::default() },
        )
        .await
        .unwrap();
    let settle = app::StepInput {
        step: "dispose".into(),
        disposition: "settle".into(),
        note: "予以了结".into(),
        ..Default::default()
    };
    w.app.lifecycle().take_step(&keeper, settled, &settle).await.unwrap();
    approve_pending(&w).await;
    let closed = list(LedgerParams { status: "closed".into(), ..Default::default() }).await;
    assert_eq!(ids(&closed), [settled]);
    assert_eq!(list(LedgerParams { status: "open".into(), ..Default::default() }).await.total, 12);
    assert!(matches!(
        w.app.ledger().list(&sup, &LedgerParams { sort: "drop table".into(), ..Default::default() }).await,
        Err(AppError::Invalid(_))
    ));
}

async fn sessions_expire_and_end(b: Backend) {
    let w = world(b).await;
    assert!(matches!(
        w.app.protection().login(&creds("insp_a", "wrong"), LoginKind::Browser).await,
        Err(AppError::Unauthenticated)
    ));
    assert!(matches!(
        w.app.protection().login(&creds("nobody", PW), LoginKind::Browser).await,
        Err(AppError::Unauthenticated)
    ));
    let s = w.app.protection().login(&creds("insp_a", PW), LoginKind::Browser).await.unwrap();
    let again = w.app.protection().login(&creds("insp_a", PW), LoginKind::Browser).await.unwrap();
    assert_ne!(s.token, again.token, "every login gets a new session id");
    assert!(w.app.protection().authenticate(&s.token, LoginKind::Browser).await.unwrap().is_some());
    assert!(w.app.protection().authenticate(&s.token, LoginKind::Api).await.unwrap().is_none(), "kinds do not mix");
    w.clock.set(NOW + time::Duration::hours(3));
    assert!(w.app.protection().authenticate(&s.token, LoginKind::Browser).await.unwrap().is_none(), "idle timeout");
    w.app.protection().logout(&again.token, &again.actor).await.unwrap();
    assert!(w.app.protection().authenticate(&again.token, LoginKind::Browser).await.unwrap().is_none());
}

async fn demo_covers_every_vocabulary(b: Backend) {
    let tdb = testkit::fresh(b).await;
    let app = new_app(tdb.connect().await, Arc::new(FixedClock::new(NOW)));
    app.migrate().await.unwrap();
    let summary = app::demo::load(&app, 3000).await.unwrap();
    assert!(summary.units >= 40);
    let sup =
        app.protection().login(&creds("supervisor", app::demo::PASSWORD), LoginKind::Browser).await.unwrap().actor;
    let reader = sup.ledger().unwrap();
    let total = |p: LedgerParams| {
        let (app, reader) = (app.clone(), reader.clone());
        async move { app.ledger().list(&reader, &p).await.unwrap().total }
    };
    assert_eq!(summary.imported, 4, "the second hospital's old ledger: five rows, one impossible date");
    assert_eq!(summary.network, 4, "the relations example");
    assert_eq!(summary.portal, 1, "one portal report registered as a lead");
    assert_eq!(total(LedgerParams::default()).await, 3000 + 4 + 4 + 1);
    // The relations example: one person across two hospitals, a 查否 lead reported again.
    let frequent = app.relations().frequent(&sup, 3, 1).await.unwrap();
    let first = &frequent.persons[0];
    assert_eq!((first.name.as_str(), first.leads, first.units), ("褚某某", 4, 2), "across units first");
    // Its early lead closed as 查否, at least (the random demo's own 查否 leads may be alike too).
    assert!(!app.ledger().reported_again(&reader).await.unwrap().is_empty());
    for s in domain::ledger::lead::Source::ALL {
        assert!(total(LedgerParams { source: s.code().into(), ..Default::default() }).await > 0, "{s}");
    }
    for c in domain::ledger::lead::Category::ALL {
        assert!(total(LedgerParams { category: c.code().into(), ..Default::default() }).await > 0, "{c}");
    }
    // 已提级 is no state a lead enters any more (提级办理 moves it).
    for s in
        domain::ledger::lead::LeadStatus::ALL.iter().filter(|s| **s != domain::ledger::lead::LeadStatus::EscalatedAway)
    {
        assert!(total(LedgerParams { status: s.code().into(), ..Default::default() }).await > 0, "{s}");
    }
    // The inspector's ledger holds only the first hospital (and its departments).
    let insp =
        app.protection().login(&creds("inspector", app::demo::PASSWORD), LoginKind::Browser).await.unwrap().actor;
    let own = app.ledger().list(&insp.ledger().unwrap(), &LedgerParams::default()).await.unwrap();
    assert!(own.total > 0 && own.total < 3000);
    assert!(own.items.iter().all(|l| l.number.as_str().starts_with("RMYY1-")));
    // Its two handlers hold some of those leads each (分办), one of them together.
    let mut held = Vec::new();
    for name in ["handler", "handler2"] {
        let h = app.protection().login(&creds(name, app::demo::PASSWORD), LoginKind::Browser).await.unwrap().actor;
        let theirs = app.ledger().list(&h.ledger().unwrap(), &LedgerParams::default()).await.unwrap();
        assert!(theirs.total >= 2 && theirs.total < own.total, "{name}: {}", theirs.total);
        assert!(theirs.items.iter().all(|l| l.handlers.iter().any(|x| x.id == h.id)));
        held.push(theirs.items.iter().map(|l| l.id).collect::<Vec<_>>());
    }
    assert!(held[0].iter().any(|l| held[1].contains(l)), "one lead is shared");
    // Work reports in every state: not started, written, signed, submitted, and one voided.
    use domain::reporting::work_report::ReportState as S;
    let book = app.reporting().work_reports(&sup, None).await.unwrap();
    let states: Vec<Option<S>> = book.lines.iter().map(|l| l.state).collect();
    for s in [None, Some(S::Draft), Some(S::Signed), Some(S::Submitted)] {
        assert!(states.contains(&s), "{s:?} in {states:?}");
    }
    let mut voided = 0;
    for l in book.lines.iter().filter(|l| l.state == Some(S::Draft)) {
        voided += usize::from(app.reporting().work_report(&sup, l.unit_id).await.unwrap().voided_at.is_some());
    }
    assert_eq!(voided, 1, "the fifth hospital's signature voided by an edit");
}

async fn first_start_creates_the_three_administrators(b: Backend) {
    let tdb = testkit::fresh(b).await;
    let app = new_app(tdb.connect().await, Arc::new(FixedClock::new(NOW)));
    app.migrate().await.unwrap();
    let boot = app.protection().bootstrap_if_empty().await.unwrap().expect("empty database bootstraps");
    let names: Vec<(&str, Role)> = boot.accounts.iter().map(|a| (a.username.as_str(), a.role)).collect();
    assert_eq!(names, [("sysadmin", Role::Sysadmin), ("secadmin", Role::Secadmin), ("auditor", Role::Auditor)]);
    assert!(boot.accounts.iter().all(|a| a.password.len() >= 16));
    assert_ne!(boot.accounts[0].password, boot.accounts[1].password);
    let sec = app.protection().login(&creds("secadmin", &boot.accounts[1].password), LoginKind::Browser).await.unwrap();
    assert!(sec.actor.has_role(Role::Secadmin) && !sec.actor.has_role(Role::Sysadmin), "三员 apart");
    let s = app.protection().login(&creds("sysadmin", &boot.accounts[0].password), LoginKind::Browser).await.unwrap();
    assert!(s.actor.must_change_password, "the printed password must be changed");
    assert!(s.actor.has_role(Role::Sysadmin));
    assert!(matches!(s.actor.ledger(), Err(AppError::Forbidden)));
    assert!(app.protection().bootstrap_if_empty().await.unwrap().is_none(), "only once");
}

async fn bench_data_has_the_demo_shape_and_numbering_continues(b: Backend) {
    let tdb = testkit::fresh(b).await;
    let app = new_app(tdb.connect().await, Arc::new(FixedClock::new(NOW)));
    app.migrate().await.unwrap();
    let s = app::bench_data::generate(&app, 500, 12).await.unwrap();
    assert_eq!((s.leads, s.units), (500, 12));
    let sup = login(&app, "bench-supervisor", app::bench_data::PASSWORD).await.unwrap().actor;
    let page = |n: u32| LedgerParams { per_page: "500".into(), page: n.to_string(), ..Default::default() };
    let first = app.ledger().list(&sup.ledger().unwrap(), &page(1)).await.unwrap();
    let second = app.ledger().list(&sup.ledger().unwrap(), &page(2)).await.unwrap();
    // The bulk leads, and the relations figure's person in 50 more.
    assert_eq!(first.total, 500 + app::bench_data::NETWORK_LEADS as i64);
    let mut numbers: Vec<&str> = first.items.iter().chain(&second.items).map(|l| l.number.as_str()).collect();
    numbers.sort();
    numbers.dedup();
    assert_eq!(numbers.len(), 550, "unique numbers");
    for status in ["registered", "concluded", "open"] {
        let p = LedgerParams { status: status.into(), ..Default::default() };
        assert!(app.ledger().list(&sup.ledger().unwrap(), &p).await.unwrap().total > 0, "{status}");
    }
    // Extensions, granted and flagged, show on the board (counted after the bulk load).
    let board = app.supervision().clearance_board(&sup, 1).await.unwrap();
    assert!(board.totals.extensions > 0 && board.totals.flagged_extensions > 0, "{:?}", board.totals);
    let recount = app.supervision().clearance_board_from(&sup, app::BoardSource::Recount, 1, 100).await.unwrap();
    assert_eq!(board, recount, "after a bulk load the board counts afresh");
    // Registering after the load continues each unit's numbering.
    let insp = login(&app, "bench-inspector", app::bench_data::PASSWORD).await.unwrap().actor;
    let keeper = insp.ledger_keeper().unwrap();
    let before = app.ledger().list(keeper.reader(), &Default::default()).await.unwrap().total;
    let lead = app
        .ledger()
        .register(&keeper, &input(s.sample_unit, "基准之后登记", "某某"))
        .await
        .unwrap()
        .into_visible()
        .unwrap();
    assert!(lead.number.as_str().ends_with(&format!("-{:04}", before + 1)), "{} after {before}", lead.number);
}

async fn numbers_sort_by_their_sequence_past_9999(b: Backend) {
    let w = world(b).await;
    let keeper = actor(&w, "insp_a").await.ledger_keeper().unwrap();
    let first = w.app.ledger().register(&keeper, &input(w.hospital_a, "编号 0001", "甲")).await.unwrap();
    let mut tx = w.app.db().begin_write().await.unwrap();
    store::bulk::set_sequence(&mut tx, w.hospital_a, 2019, 9998).await.unwrap();
    tx.commit().await.unwrap();
    let a = w.app.ledger().register(&keeper, &input(w.hospital_a, "编号 9999", "乙")).await.unwrap();
    let b2 = w.app.ledger().register(&keeper, &input(w.hospital_a, "编号 10000", "丙")).await.unwrap();
    assert_eq!((a.number().as_str(), b2.number().as_str()), ("YYA-2019-9999", "YYA-2019-10000"));
    let reader = keeper.reader();
    let order = |sort: &str| {
        let (app, reader, sort) = (w.app.clone(), reader.clone(), sort.to_owned());
        async move {
            let p = LedgerParams { sort, ..Default::default() };
            app.ledger()
                .list(&reader, &p)
                .await
                .unwrap()
                .items
                .into_iter()
                .map(|l| l.number.to_string())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(order("number_asc").await, [first.number().as_str(), "YYA-2019-9999", "YYA-2019-10000"]);
    assert_eq!(order("number_desc").await, ["YYA-2019-10000", "YYA-2019-9999", first.number().as_str()]);
}

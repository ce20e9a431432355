//! Search through the index (issue 14): the ledger's keyword finds a lead by a phrase, a part
//! of a name or its pinyin initials, within the caller's scope and the page's filters, with
//! exact totals; the index follows every write, on this instance and on another one.

use app::{LedgerKeeper, SaveLead};
use domain::ledger::query::LedgerParams;
use store::Backend;

use crate::support::*;

testkit::both!(
    the_ledger_keyword_finds_phrases_names_and_initials_in_scope,
    the_index_follows_edits_and_another_instances_writes,
    a_damaged_index_is_rebuilt_from_the_database
);

fn q(typed: &str) -> LedgerParams {
    LedgerParams { q: typed.into(), ..Default::default() }
}

async fn numbers(app: &app::App, reader: &app::LedgerReader, p: &LedgerParams) -> (Vec<String>, i64) {
    let page = app.ledger().list(reader, p).await.unwrap();
    let mut n: Vec<String> = page.items.iter().map(|l| l.number.to_string()).collect();
    n.sort();
    (n, page.total)
}

async fn register(
    w: &World,
    keeper: &LedgerKeeper,
    unit: domain::UnitId,
    summary: &str,
    subject: &str,
) -> domain::ledger::lead::Lead {
    w.app.ledger().register(keeper, &input(unit, summary, subject)).await.unwrap().into_visible().unwrap()
}

async fn the_ledger_keyword_finds_phrases_names_and_initials_in_scope(b: Backend) {
    let w = world(b).await;
    let a = actor(&w, "insp_a").await.ledger_keeper().unwrap();
    let bk = actor(&w, "insp_b").await.ledger_keeper().unwrap();
    register(&w, &a, w.hospital_a, "反映药剂科科长王某某收受回扣，压件不办", "王某某").await;
    register(&w, &a, w.hospital_a, "反映总务科采购中存在围标串标问题", "李某").await;
    register(&w, &bk, w.hospital_b, "群众反映王某某充当保护伞", "王某某").await;
    let sup = actor(&w, "sup").await.ledger().unwrap();
    let all = |typed: &str| {
        let (app, sup, p) = (&w.app, &sup, q(typed));
        async move { numbers(app, sup, &p).await }
    };
    assert_eq!(all("压件不办").await, (vec!["YYA-2019-0001".into()], 1));
    assert_eq!(all("王某").await.1, 2, "a part of the name, both units");
    assert_eq!(all("wmm").await.1, 2, "pinyin initials");
    assert_eq!(all("围标 采购").await.1, 1);
    assert_eq!(all("YYB-2019-0001").await.0, ["YYB-2019-0001"]);
    for typed in ["\"", "*", "(王", "😀", &"某".repeat(100)] {
        let _ = all(typed).await;
    }
    // The inspector of 甲医院 finds only 甲医院's lead about 王某某.
    assert_eq!(numbers(&w.app, a.reader(), &q("王某某")).await, (vec!["YYA-2019-0001".into()], 1));
    // With the page's other filters.
    let mut p = q("王某某");
    p.unit_id = w.hospital_b.to_string();
    assert_eq!(numbers(&w.app, &sup, &p).await.0, ["YYB-2019-0001"]);
    p.status = "concluded".into();
    assert_eq!(numbers(&w.app, &sup, &p).await.1, 0);
    // The search box's results: the summary cut around the match, marked; one audit entry.
    let found = w.app.ledger().search_recorded(&sup, "压件不办", 1).await.unwrap();
    assert_eq!(found.total, 1);
    assert!(found.items[0].snippet.iter().any(|p| p.marked && p.text == "压件不办"), "{:?}", found.items[0].snippet);
    let auditor = actor(&w, "auditor").await.audit_reader().unwrap();
    let trail = app::AuditQuery { action: "lead.search".into(), ..Default::default() };
    let entries = w.app.protection().audit_entries(&auditor, &trail).await.unwrap();
    assert_eq!(entries.total, 1);
    assert!(entries.entries[0].detail.as_deref().unwrap_or_default().contains("压件不办"));
    let mut relevance = q("王某某 回扣");
    relevance.sort = "relevance".into();
    assert_eq!(numbers(&w.app, &sup, &relevance).await.0, ["YYA-2019-0001"]);
}

async fn the_index_follows_edits_and_another_instances_writes(b: Backend) {
    let w = world(b).await;
    let a = actor(&w, "insp_a").await.ledger_keeper().unwrap();
    let lead = register(&w, &a, w.hospital_a, "反映某科室违规收费", "赵某").await;
    assert_eq!(numbers(&w.app, a.reader(), &q("违规收费")).await.1, 1, "found at once by whoever saved it");
    let save = SaveLead {
        input: input(w.hospital_a, "反映某科室私设小金库", "赵某"), expected_version: lead.version
    };
    w.app.ledger().update(&a, lead.id, &save).await.unwrap();
    assert_eq!(numbers(&w.app, a.reader(), &q("违规收费")).await.1, 0, "the old text is gone");
    assert_eq!(numbers(&w.app, a.reader(), &q("小金库")).await.1, 1);

    // A second instance on the same database, with its own index.
    let other = new_app(w._db.connect().await, w.clock.clone());
    let a2 = other.protection().login(&creds("insp_a", PW), app::LoginKind::Browser).await.unwrap().actor;
    let a2 = a2.ledger_keeper().unwrap();
    assert_eq!(numbers(&other, a2.reader(), &q("小金库")).await.1, 1, "built from the database");
    // Found in supervision, anonymous: a registration that starts no side clock, so nothing
    // but the registration itself tells the index.
    let mut quiet = input(w.hospital_a, "反映某某收受购物卡", "钱某");
    quiet.source = "found_in_supervision".into();
    quiet.reporter = domain::reporters::ReporterInput { kind: "anonymous".into(), ..Default::default() };
    w.app.ledger().register(&a, &quiet).await.unwrap();
    let caught = other.search_catch_up().await.unwrap();
    assert!(!caught.rebuilt && caught.leads >= 1, "{caught:?}");
    assert_eq!(numbers(&other, a2.reader(), &q("购物卡")).await.1, 1, "registered on the first instance");
}

async fn a_damaged_index_is_rebuilt_from_the_database(b: Backend) {
    let w = world(b).await;
    let a = actor(&w, "insp_a").await.ledger_keeper().unwrap();
    register(&w, &a, w.hospital_a, "反映某某违规发放津贴", "孙某").await;
    let dir = tempfile::tempdir().unwrap();
    let on_disk = || async { new_app(w._db.connect().await, w.clock.clone()).with_search_dir(dir.path()).unwrap() };
    let first = on_disk().await;
    assert!(first.search_catch_up().await.unwrap().rebuilt, "missing: built");
    assert_eq!(numbers(&first, a.reader(), &q("津贴")).await.1, 1);
    drop(first);
    let again = on_disk().await;
    assert!(!again.search_catch_up().await.unwrap().rebuilt, "kept between starts");
    drop(again);
    std::fs::write(dir.path().join("meta.json"), b"{ damaged").unwrap();
    let mended = on_disk().await;
    assert_eq!(numbers(&mended, a.reader(), &q("津贴")).await.1, 1, "rebuilt, never an error");
}

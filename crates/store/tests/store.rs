//! The store on both backends: migrations, the unit closure, constraint mapping, sequences.

// Tests: a value that is not there is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use domain::{UnitId, ledger::unit::NewUnit, ledger::unit::UnitCode, ledger::unit::UnitKind, text::Name};
use store::{Backend, Constraint, Db, StoreError, ledger::leads, ledger::units, migrate};

fn unit(code: &str, parent: Option<UnitId>) -> NewUnit {
    NewUnit {
        code: UnitCode::parse("c", code).unwrap(),
        name: Name::parse("n", &format!("单位{code}")).unwrap(),
        kind: UnitKind::Hospital,
        parent,
    }
}

async fn fresh(b: Backend) -> (Db, testkit::TestDb) {
    let t = testkit::fresh(b).await;
    let db = t.connect().await;
    assert_eq!(migrate::run(&db, 0).await.unwrap(), (1..=migrate::LATEST).collect::<Vec<_>>());
    (db, t)
}

testkit::both!(
    migrations_run_once,
    closure_scopes_subtrees,
    unique_violations_are_told_apart,
    rolled_back_numbers_are_handed_out_again,
);

async fn migrations_run_once(b: Backend) {
    let (db, _t) = fresh(b).await;
    assert!(migrate::run(&db, 0).await.unwrap().is_empty(), "second run applies nothing");
}

async fn closure_scopes_subtrees(b: Backend) {
    let (db, _t) = fresh(b).await;
    let mut tx = db.begin_write().await.unwrap();
    let root = units::insert(&mut tx, &unit("ROOT", None), 0).await.unwrap();
    let a = units::insert(&mut tx, &unit("AA", Some(root)), 0).await.unwrap();
    let a1 = units::insert(&mut tx, &unit("AA1", Some(a)), 0).await.unwrap();
    let a1x = units::insert(&mut tx, &unit("AA1X", Some(a1)), 0).await.unwrap();
    let bb = units::insert(&mut tx, &unit("BB", Some(root)), 0).await.unwrap();
    tx.commit().await.unwrap();
    let mut c = db.read().await.unwrap();
    assert!(units::within(&mut c, &[a], a1x).await.unwrap(), "any depth");
    assert!(units::within(&mut c, &[root], bb).await.unwrap());
    assert!(!units::within(&mut c, &[a], bb).await.unwrap(), "siblings are outside");
    assert!(!units::within(&mut c, &[a1], a).await.unwrap(), "parents are outside");
    let inside: Vec<String> =
        units::list_within(&mut c, &[a]).await.unwrap().into_iter().map(|u| u.code.to_string()).collect();
    assert_eq!(inside, ["AA", "AA1", "AA1X"], "parents before children");
    assert_eq!(units::list(&mut c).await.unwrap().len(), 5);
}

async fn unique_violations_are_told_apart(b: Backend) {
    let (db, _t) = fresh(b).await;
    let mut tx = db.begin_write().await.unwrap();
    units::insert(&mut tx, &unit("DUP", None), 0).await.unwrap();
    let err = units::insert(&mut tx, &unit("DUP", None), 0).await.unwrap_err();
    assert!(matches!(err, StoreError::Unique(Constraint::UnitCode)), "named by its constraint: {err}");
    drop(tx);
    let mut tx = db.begin_write().await.unwrap();
    let err = units::insert(&mut tx, &unit("ORPHAN", Some(UnitId::from_raw(404))), 0).await.unwrap_err();
    assert!(matches!(err, StoreError::ForeignKey), "{err}");
}

async fn rolled_back_numbers_are_handed_out_again(b: Backend) {
    let (db, _t) = fresh(b).await;
    let mut tx = db.begin_write().await.unwrap();
    let u = units::insert(&mut tx, &unit("SEQ", None), 0).await.unwrap();
    tx.commit().await.unwrap();
    let mut tx = db.begin_write().await.unwrap();
    assert_eq!(leads::next_sequence(&mut tx, u, 2019).await.unwrap(), 1);
    assert_eq!(leads::next_sequence(&mut tx, u, 2019).await.unwrap(), 2);
    tx.rollback().await.unwrap();
    let mut tx = db.begin_write().await.unwrap();
    assert_eq!(leads::next_sequence(&mut tx, u, 2019).await.unwrap(), 1, "a rollback leaves no gap");
    assert_eq!(leads::next_sequence(&mut tx, u, 2020).await.unwrap(), 1, "each year starts at 1");
    tx.commit().await.unwrap();
}

//! The statistics and the dashboard read figures kept in step with every change (issue 17,
//! R1–R4); after every kind of change they must equal every lead counted afresh, and the kept
//! rows must equal a recount of them in SQL.

use app::{Actor, Counting};
use domain::reporting::period::PeriodInput;
use store::Backend;

use crate::{lifecycle::step, support::*};

testkit::both!(kept_statistics_equal_a_recount_after_every_kind_of_change);

fn period(p: &str, from: &str, to: &str) -> PeriodInput {
    PeriodInput { period: p.into(), from: from.into(), to: to.into() }
}

/// The first place where `kept` and `recount` differ: its path and both values.
fn difference(kept: &serde_json::Value, recount: &serde_json::Value) -> Option<String> {
    use serde_json::Value;
    match (kept, recount) {
        (Value::Object(a), Value::Object(b)) if a.len() == b.len() => {
            a.iter().find_map(|(k, v)| difference(v, b.get(k)?).map(|d| format!(".{k}{d}")))
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            a.iter().zip(b).enumerate().find_map(|(i, (x, y))| difference(x, y).map(|d| format!("[{i}]{d}")))
        }
        (a, b) if a == b => None,
        (a, b) => Some(format!(": kept {a}, recounted {b}")),
    }
}

/// Statistics over several periods and the dashboard, kept against counted afresh, for `who`;
/// and the kept rows against a recount.
async fn same(w: &World, who: &[&Actor], after: &str) {
    let r = w.app.reporting();
    let periods = [
        period("2019-11", "", ""),
        period("campaign", "", ""),
        period("2019", "", ""),
        period("", "2019-05-10", "2019-11-27"),
        period("", "2019-09-16", "2019-09-16"),
    ];
    for a in who {
        for p in &periods {
            let kept = r.statistics_from(a, None, None, p, Counting::Kept).await.unwrap();
            let recount = r.statistics_from(a, None, None, p, Counting::Recount).await.unwrap();
            let differs = difference(&serde_json::to_value(&kept).unwrap(), &serde_json::to_value(&recount).unwrap());
            assert_eq!(differs, None, "statistics of {} over {p:?} after {after}", a.username);
        }
        let kept = r.dashboard_from(a, None, None, Counting::Kept).await.unwrap();
        let recount = r.dashboard_from(a, None, None, Counting::Recount).await.unwrap();
        let differs = difference(&serde_json::to_value(&kept).unwrap(), &serde_json::to_value(&recount).unwrap());
        assert_eq!(differs, None, "dashboard of {} after {after}", a.username);
    }
    let mut c = w.app.db().reader().acquire().await.unwrap();
    let kept = store::reporting::kept::dump(&mut c).await.unwrap();
    drop(c);
    let mut tx = w.app.db().begin_write().await.unwrap();
    store::supervision::tallies::invalidate(&mut tx).await.unwrap();
    assert!(store::reporting::kept::recount(&mut tx).await.unwrap());
    let recounted = store::reporting::kept::dump(&mut tx).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(kept, recounted, "kept rows differ from a recount after {after}");
    assert!(!kept.is_empty() || after == "nothing", "rows are kept after {after}");
}

async fn kept_statistics_equal_a_recount_after_every_kind_of_change(b: Backend) {
    let w = world(b).await;
    let (sup, insp_a) = (actor(&w, "sup").await, actor(&w, "insp_a").await);
    let who = [&sup, &insp_a];
    let keeper = insp_a.ledger_keeper().unwrap();
    let keeper_b = actor(&w, "insp_b").await.ledger_keeper().unwrap();
    same(&w, &who, "nothing").await;

    // Registrations: stock and new, over several months, in both hospitals and a department.
    let dept = unit_by_code(&w, "YYAKS").await;
    let lead = ("统计保持测试", "钱某");
    let s1 = register_dated(&w, &insp_a, w.hospital_a, lead, ("2019-05-06", "")).await;
    let s2 = register_dated(&w, &insp_a, w.hospital_a, lead, ("2019-06-01", "2019-09-15")).await;
    let s3 = register_dated(&w, &insp_a, dept, lead, ("2019-06-20", "")).await;
    let n1 = register_dated(&w, &insp_a, w.hospital_a, lead, ("2019-09-16", "")).await;
    let n2 = register_dated(&w, &insp_a, dept, lead, ("2019-11-05", "")).await;
    let b1 = register_dated(&w, &actor(&w, "insp_b").await, w.hospital_b, lead, ("2019-10-15", "")).await;
    same(&w, &who, "registrations").await;

    // Closing: confirmed and unfounded (today, 2019-11-28), then one reopened.
    close_as(&w, &keeper, s1, "confirmed").await;
    close_as(&w, &keeper, s3, "unfounded").await;
    same(&w, &who, "closings").await;
    let reopen = app::StepInput { step: "reopen".into(), note: "收到新材料".into(), ..Default::default() };
    w.app.lifecycle().take_step(&keeper, s3, &reopen).await.unwrap();
    approve_pending(&w).await;
    same(&w, &who, "a reopening").await;

    // A transfer (closed on its receipt's day) and a repeat merged into another lead.
    let mut transfer = step("transfer", "属公安机关管辖");
    transfer.receiving_body = "市公安局".into();
    w.app.lifecycle().take_step(&keeper, n1, &transfer).await.unwrap();
    approve_pending(&w).await;
    same(&w, &who, "a transfer waiting for its receipt").await;
    w.app.lifecycle().record_transfer_receipt(&keeper, n1, "2019-11-26").await.unwrap();
    same(&w, &who, "the transfer's receipt").await;
    let first = w.app.ledger().lead(&insp_a.ledger().unwrap(), s1).await.unwrap();
    let mut merge = step("merge", "重复件");
    merge.merge_into = first.number.to_string();
    w.app.lifecycle().take_step(&keeper, n2, &merge).await.unwrap();
    approve_pending(&w).await;
    same(&w, &who, "a merge").await;

    // An edit across units, classes, days received and categories.
    let lead = w.app.ledger().lead(&insp_a.ledger().unwrap(), s2).await.unwrap();
    let mut moved = input(dept, "改到药剂科，改为增量", "钱某");
    (moved.received_on, moved.category, moved.source) =
        ("2019-10-02".into(), "gang_corruption".into(), "audit_transfer".into());
    let save = app::SaveLead { input: moved, expected_version: lead.version };
    w.app.ledger().update(&keeper, s2, &save).await.unwrap().into_visible().unwrap();
    same(&w, &who, "an edit").await;

    // An extension moves a deadline; a move of jurisdiction moves a lead to another unit.
    let head = actor(&w, "head_a").await;
    let x = w.app.lifecycle().request_extension(&keeper, s2, "需调取流水", "20").await.unwrap();
    w.app.lifecycle().sign_extension(&head, x).await.unwrap();
    w.app.lifecycle().file_extension(&sup, x).await.unwrap();
    same(&w, &who, "an extension").await;
    w.app
        .supervision()
        .move_jurisdiction(&sup, b1, "designated_jurisdiction", &w.hospital_a.to_string())
        .await
        .unwrap();
    same(&w, &who, "a move of jurisdiction").await;

    // A lead naming the supervisor: kept, but not in their statistics.
    register_about_sup(&w, &keeper_b).await.into_visible().unwrap();
    same(&w, &who, "a lead naming the caller").await;

    // A bulk load leaves the figures uncounted; the next reader counts them.
    let mut tx = w.app.db().begin_write().await.unwrap();
    store::supervision::tallies::invalidate(&mut tx).await.unwrap();
    tx.commit().await.unwrap();
    same(&w, &who, "a bulk load").await;

    // Time passes: deadlines fall due, and changes go on being kept.
    w.clock.set(NOW + time::Duration::days(75));
    same(&w, &who, "75 days").await;
    close_as(&w, &keeper, s2, "partly_confirmed").await;
    same(&w, &who, "a closing on the new day").await;
}

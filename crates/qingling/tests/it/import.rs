//! `qingling import`, black-box: a unit's messy ledger checked (`--dry-run --json`, exit 2
//! while rows have errors), written with `--skip-invalid`, imported again without a single
//! duplicate; and a long import cancelled with Ctrl-C (SIGINT) while it writes, which leaves
//! nothing written and exits 130.

use std::{path::Path, process::Stdio, sync::Arc, time::Duration};

use office::ledger_book::{ColumnSpec, LedgerWriter, Value as Cell};
use serde_json::Value;
use store::Backend;
use tokio::{
    io::{AsyncBufReadExt, BufReader},
    process::Command,
};

testkit::both!(the_command_line_imports_a_messy_ledger_once, ctrl_c_cancels_a_long_import_and_writes_nothing);

/// A demo database and the key file it was sealed with.
async fn demo(b: Backend, dir: &Path) -> (testkit::TestDb, std::path::PathBuf) {
    let tdb = testkit::fresh(b).await;
    let key = dir.join("qingling.key");
    let keyring = app::Keyring::open_or_create(&key, app::CipherKind::Aes256Gcm).unwrap();
    let db = tdb.connect().await;
    let app = app::App::new(db.clone(), Arc::new(app::SystemClock), Arc::new(keyring));
    app.migrate().await.unwrap();
    app::demo::load(&app, 40).await.unwrap();
    db.close().await;
    (tdb, key)
}

fn fixture(name: &str) -> String {
    format!("{}/../../fixtures/ledgers/{name}", env!("CARGO_MANIFEST_DIR"))
}

async fn import(args: &[&str], url: &str, key: &Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_qingling"))
        .arg("import")
        .args(args)
        .args(["--as", "inspector", "--database-url", url, "--key-file"])
        .arg(key)
        .output()
        .await
        .unwrap();
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (out.status.code().unwrap_or(-1), text(&out.stdout), text(&out.stderr))
}

async fn count(url: &str, sql: &'static str) -> i64 {
    let db = store::Db::connect_read_only(url).await.unwrap();
    let n: i64 = sqlx::query_scalar(sql).fetch_one(db.reader()).await.unwrap();
    db.close().await;
    n
}

async fn the_command_line_imports_a_messy_ledger_once(b: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let (tdb, key) = demo(b, dir.path()).await;
    let messy = fixture("messy.xlsx");
    let leads_before = count(&tdb.url, "SELECT COUNT(*) FROM leads").await;

    let (code, out, err) = import(&[&messy, "--unit", "RMYY1", "--dry-run", "--json"], &tdb.url, &key).await;
    assert_eq!(code, 2, "rows with errors: exit status 2\n{out}\n{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!((v["rows"].as_i64(), v["valid"].as_i64(), v["invalid"].as_i64()), (Some(11), Some(5), Some(6)), "{v}");
    assert_eq!(v["written"], 0);
    let first = &v["errors"][0];
    assert!(first["row"].as_i64().unwrap() > 1 && first["column"] == "K", "Excel's own row and column: {first}");
    assert!(!first["message"].as_str().unwrap().is_empty() && !first["message_en"].as_str().unwrap().is_empty());
    assert_eq!(count(&tdb.url, "SELECT COUNT(*) FROM leads").await, leads_before, "a dry run writes nothing");

    let (code, out, err) = import(&[&messy, "--unit", "RMYY1", "--skip-invalid", "--json"], &tdb.url, &key).await;
    assert_eq!(code, 0, "{out}\n{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["written"], 5, "{v}");
    assert_eq!(count(&tdb.url, "SELECT COUNT(*) FROM leads").await, leads_before + 5);

    // The same sheet again: every row is known, nothing is written, and that is no failure.
    let (code, out, err) = import(&[&messy, "--unit", "RMYY1", "--skip-invalid"], &tdb.url, &key).await;
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(out.contains("未变 5") && out.contains("5 unchanged"), "{out}");
    assert!(out.contains("没有需要写入的行") && out.contains("nothing to write"), "{out}");
    assert_eq!(count(&tdb.url, "SELECT COUNT(*) FROM leads").await, leads_before + 5, "no duplicates");
}

/// A sheet long enough that its write takes a while, in the layout units keep.
fn long_sheet(rows: usize) -> Vec<u8> {
    let heads = ["线索编号", "线索来源", "受理时间", "被反映人", "职务", "反映的主要问题", "问题类别", "办结时限"];
    let cols: Vec<ColumnSpec<'_>> = heads.iter().map(|h| ColumnSpec { header: h, width: 12.0, wrap: false }).collect();
    let mut w =
        LedgerWriter::new("台账", "问题线索台账", ("填报单位：某医院", "填报时间：2026年11月1日"), &cols).unwrap();
    for i in 0..rows {
        let (no, who, what) = (format!("LONG-{i:06}"), format!("赵{i}"), format!("反映第{i}号问题：违规收受回扣。"));
        w.row(&[
            Cell::Text(&no),
            Cell::Text("信访举报"),
            Cell::Date(2026, 10, 1 + (i % 28) as u8),
            Cell::Text(&who),
            Cell::Text("科长"),
            Cell::Text(&what),
            Cell::Text("其他"),
            Cell::Text("2026年12月31日前"),
        ])
        .unwrap();
    }
    w.finish(&format!("合计：{rows}件")).unwrap()
}

async fn ctrl_c_cancels_a_long_import_and_writes_nothing(b: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let (tdb, key) = demo(b, dir.path()).await;
    let imports_before = count(&tdb.url, "SELECT COUNT(*) FROM audit_log WHERE action = 'ledger.import'").await;
    let file = dir.path().join("long.xlsx");
    std::fs::write(&file, long_sheet(20_000)).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_qingling"))
        .arg("import")
        .arg(&file)
        .args(["--unit", "RMYY1", "--as", "inspector", "--database-url", &tdb.url, "--key-file"])
        .arg(&key)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let pid = child.id().unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let mut said = Vec::new();
    // Plain lines, not a bar: stderr is a pipe here. Ctrl-C once the rows are being written.
    let writing = tokio::time::timeout(Duration::from_secs(300), async {
        while let Some(line) = lines.next_line().await.unwrap() {
            said.push(line.clone());
            if line.starts_with("写入 ") && line.contains(" rows (") {
                return true;
            }
        }
        false
    })
    .await
    .unwrap();
    assert!(writing, "no progress line while writing: {said:?}");
    assert!(!said.iter().any(|l| l.contains('\r')), "a pipe gets no carriage returns");
    let sent = std::process::Command::new("kill").args(["-INT", &pid.to_string()]).status().unwrap();
    assert!(sent.success());
    while let Some(line) = lines.next_line().await.unwrap() {
        said.push(line);
    }
    let status = tokio::time::timeout(Duration::from_secs(120), child.wait()).await.unwrap().unwrap();
    assert_eq!(status.code(), Some(130), "{said:?}");
    assert!(said.iter().any(|l| l.contains("导入已取消") && l.contains("nothing was written")), "{said:?}");
    assert_eq!(count(&tdb.url, "SELECT COUNT(*) FROM leads WHERE original_no LIKE 'LONG-%'").await, 0);
    assert_eq!(
        count(&tdb.url, "SELECT COUNT(*) FROM audit_log WHERE action = 'ledger.import'").await,
        imports_before,
        "no import recorded"
    );
}

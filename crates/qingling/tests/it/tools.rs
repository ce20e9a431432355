//! `audit verify` and `calendar add-working-days` read and never write: no key file, no data
//! directory, no migration, no sealing, and a database file byte-identical afterwards.

use std::{path::Path, process::Output, sync::Arc};

use sha2::{Digest, Sha256};
use store::Backend;
use tokio::process::Command;

testkit::both!(audit_verify_changes_nothing_and_needs_no_key);

async fn qingling(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qingling")).current_dir(cwd).args(args).output().await.unwrap()
}

fn sha256_of(path: &Path) -> String {
    hex::encode(Sha256::digest(std::fs::read(path).unwrap()))
}

/// A database with an audit trail, made by the app, then closed; the key file is thrown away.
async fn seeded(url: &str) {
    let db = store::Db::connect(url).await.unwrap();
    let app = app::App::new(
        db.clone(),
        Arc::new(app::SystemClock),
        Arc::new(app::Keyring::ephemeral(app::CipherKind::Aes256Gcm)),
    );
    app.migrate().await.unwrap();
    app.protection().bootstrap_if_empty().await.unwrap();
    db.close().await;
}

async fn audit_verify_changes_nothing_and_needs_no_key(b: Backend) {
    let tdb = testkit::fresh(b).await;
    seeded(&tdb.url).await;
    let work = tempfile::tempdir().unwrap();
    let cwd = work.path().join("cwd");
    std::fs::create_dir(&cwd).unwrap();
    let missing_key = work.path().join("no-such-dir").join("qingling.key");
    let url = match b {
        Backend::Sqlite => {
            // A copy, made read-only.
            let from = tdb.url.trim_start_matches("sqlite://");
            let copy = work.path().join("copy.db");
            std::fs::copy(from, &copy).unwrap();
            let mut perms = std::fs::metadata(&copy).unwrap().permissions();
            perms.set_readonly(true);
            std::fs::set_permissions(&copy, perms).unwrap();
            format!("sqlite://{}", copy.display())
        }
        Backend::Postgres => tdb.url.clone(),
    };
    let before_file = (b == Backend::Sqlite).then(|| sha256_of(&work.path().join("copy.db")));
    let count = |sql: &'static str| {
        let url = tdb.url.clone();
        async move {
            let db = store::Db::connect_read_only(&url).await.unwrap();
            let n: i64 = sqlx::query_scalar(sql).fetch_one(db.reader()).await.unwrap();
            db.close().await;
            n
        }
    };
    let before_entries = count("SELECT COUNT(*) FROM audit_log").await;
    let out =
        qingling(&cwd, &["audit", "verify", "--database-url", &url, "--key-file", missing_key.to_str().unwrap()]).await;
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{said} {}", String::from_utf8_lossy(&out.stderr));
    assert!(said.contains(&format!("{before_entries} entries verified")), "{said}");
    assert!(!missing_key.exists() && !missing_key.parent().unwrap().exists(), "no key file, no directory for it");
    assert!(!cwd.join("data").exists(), "no data directory");
    assert_eq!(std::fs::read_dir(&cwd).unwrap().count(), 0, "nothing written where it ran");
    if let Some(before) = before_file {
        assert_eq!(sha256_of(&work.path().join("copy.db")), before, "the database file is byte-identical");
    }
    assert_eq!(count("SELECT COUNT(*) FROM audit_log").await, before_entries, "not even a verification entry");

    // The calendar's date arithmetic on a database that does not exist creates none.
    let nowhere = work.path().join("absent").join("qingling.db");
    let out = qingling(
        &cwd,
        &[
            "calendar",
            "add-working-days",
            "2019-09-30",
            "5",
            "--database-url",
            &format!("sqlite://{}", nowhere.display()),
        ],
    )
    .await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "2019-10-12", "over Golden Week and its 调休 Saturday");
    assert!(!nowhere.parent().unwrap().exists(), "no database, no directory");
    assert_eq!(std::fs::read_dir(&cwd).unwrap().count(), 0);
}

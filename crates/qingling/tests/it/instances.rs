//! Several `qingling serve` processes on one database, black-box: sessions started on one
//! instance continue on the other, the background warning scan runs once across them, and
//! parallel registrations and transitions spread over both lose nothing.

use std::{
    collections::HashSet,
    process::Stdio,
    sync::{Arc, Mutex},
    time::Duration,
};

use reqwest::{Client, redirect::Policy};
use serde_json::{Value, json};
use store::Backend;
use tokio::{
    io::{AsyncBufReadExt, BufReader},
    process::{Child, Command},
    sync::Semaphore,
    task::JoinSet,
};

const DEMO_PW: &str = "qingling-demo";
const LEADS: usize = 1_000;
/// Leads that get the same step from both instances at once: exactly one may apply.
const CONTESTED: usize = 100;

testkit::both!(two_instances_share_sessions_run_jobs_once_and_lose_no_update);

/// One `qingling serve` child; its output is kept for the test to read.
struct Instance {
    base: String,
    output: Arc<Mutex<Vec<String>>>,
    _child: Child,
}

impl Instance {
    /// Starts the server; returns once it says where it listens.
    async fn start(url: &str, key_file: &std::path::Path, search_dir: &std::path::Path) -> Instance {
        let mut child = Command::new(env!("CARGO_BIN_EXE_qingling"))
            .args(["serve", "--listen", "127.0.0.1:0", "--database-url", url, "--key-file"])
            .arg(key_file)
            .arg("--search-dir")
            .arg(search_dir)
            .env("RUST_LOG", "info,sqlx=warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("start qingling serve");
        let output = Arc::new(Mutex::new(Vec::new()));
        for stream in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn tokio::io::AsyncRead + Unpin + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let output = output.clone();
            tokio::spawn(async move {
                let mut lines = BufReader::new(stream).lines();
                while let Ok(Some(line)) = lines.next_line().await {
                    output.lock().unwrap().push(line);
                }
            });
        }
        let marker = "serving at http://";
        let base = wait_for(&output, |l| l.contains(marker))
            .await
            .map(|l| format!("http://{}", l[l.find(marker).unwrap() + marker.len()..].trim()))
            .unwrap_or_else(|| panic!("server did not start: {:?}", output.lock().unwrap()));
        Instance { base, output, _child: child }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

/// The first output line matching `f`, waiting up to a minute for it.
async fn wait_for(output: &Mutex<Vec<String>>, f: impl Fn(&str) -> bool) -> Option<String> {
    for _ in 0..600 {
        if let Some(l) = output.lock().unwrap().iter().find(|l| f(l)) {
            return Some(l.clone());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    None
}

fn browser() -> Client {
    Client::builder().cookie_store(true).redirect(Policy::none()).build().unwrap()
}

fn hidden_csrf(html: &str) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html.find(marker).expect("page has a CSRF field") + marker.len();
    html[start..start + 64].to_owned()
}

async fn count(db: &store::Db, sql: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned())).fetch_one(db.reader()).await.unwrap()
}

async fn two_instances_share_sessions_run_jobs_once_and_lose_no_update(backend: Backend) {
    let tdb = testkit::fresh(backend).await;
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join("key");
    {
        let keys = app::Keyring::open_or_create(&key_file, app::CipherKind::Aes256Gcm).unwrap();
        let seed = app::App::new(tdb.connect().await, Arc::new(app::SystemClock), Arc::new(keys));
        seed.migrate().await.unwrap();
        // The demo's leads were received weeks ago, so some are late: the scan has work.
        app::demo::load(&seed, 120).await.unwrap();
    }
    let db = tdb.connect().await;
    // Each instance keeps its own search index.
    let (index_a, index_b) = (dir.path().join("search-a"), dir.path().join("search-b"));
    let (a, b) =
        tokio::join!(Instance::start(&tdb.url, &key_file, &index_a), Instance::start(&tdb.url, &key_file, &index_b));

    // Background jobs: both instances try the warning scan at start; one runs it.
    let ran = wait_for(&a.output, |l| l.contains("warning scan")).await.expect("A reports its scan");
    let other = wait_for(&b.output, |l| l.contains("warning scan")).await.expect("B reports its scan");
    let done: Vec<&String> = [&ran, &other].into_iter().filter(|l| l.contains("warning scan done")).collect();
    assert_eq!(done.len(), 1, "exactly one instance runs the scan: {ran} / {other}");
    assert!(done[0].contains("notifications="), "{}", done[0]);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM audit_log WHERE action = 'warnings.scan'").await, 1);
    let notices = count(&db, "SELECT COUNT(*) FROM notifications").await;
    assert!(notices > 0, "the demo has late leads, so the scan told someone");
    let distinct =
        count(&db, "SELECT COUNT(*) FROM (SELECT DISTINCT user_id, lead_id, kind FROM notifications) n").await;
    assert_eq!(notices, distinct, "no one is told the same thing twice");

    // Sessions: sign in on A, carry on on B; sign out on B ends it on A.
    let c = browser();
    let login = c.get(a.url("/login")).send().await.unwrap().text().await.unwrap();
    let r = c
        .post(a.url("/login"))
        .form(&[("csrf_token", hidden_csrf(&login).as_str()), ("username", "inspector"), ("password", DEMO_PW)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "sign in on A");
    let ledger = c.get(b.url("/ledger")).send().await.unwrap();
    assert_eq!(ledger.status(), 200, "B knows the session A started");
    assert!(ledger.text().await.unwrap().contains("RMYY1-"), "B shows the inspector's own ledger");
    let csrf = hidden_csrf(&c.get(a.url("/account")).send().await.unwrap().text().await.unwrap());
    let api = Client::new();
    let token = api
        .post(b.url("/api/v1/auth/login"))
        .json(&json!({"username": "inspector", "password": DEMO_PW}))
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let me: Value = api.get(a.url("/api/v1/me")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    assert_eq!(me["username"], "inspector", "an API token from B works on A");
    let unit_id = api
        .get(a.url("/api/v1/units"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap()["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["code"] == "RMYY1")
        .unwrap()["id"]
        .as_i64()
        .unwrap();

    // 1,000 registrations in parallel, alternating instances: numbers unique and gap-free.
    let instances = Arc::new([a.base.clone(), b.base.clone()]);
    let gate = Arc::new(Semaphore::new(16));
    let mut set = JoinSet::new();
    for i in 0..LEADS {
        let (api, token, instances, gate) = (api.clone(), token.clone(), instances.clone(), gate.clone());
        set.spawn(async move {
            let _permit = gate.acquire().await.unwrap();
            let body = json!({
                "unit_id": unit_id.to_string(),
                "source": "petition_report",
                "received_on": "2019-05-06",
                "category": "protective_umbrella",
                "responsible_leader": "张副院长",
                "responsible_person": "李某某",
                "summary": format!("并发登记第 {i} 条"),
                "subjects": [{"name": format!("并发{i}"), "post": "科长"}],
                "reporter": {"kind": "anonymous"}
            });
            let r = api.post(format!("{}/api/v1/leads", instances[i % 2])).bearer_auth(&token).json(&body).send().await;
            let r = r.unwrap();
            assert_eq!(r.status(), 201, "registration {i}");
            let d: Value = r.json().await.unwrap();
            (d["id"].as_i64().unwrap(), d["number"].as_str().unwrap().to_owned(), d["version"].as_i64().unwrap())
        });
    }
    let registered: Vec<(i64, String, i64)> = set.join_all().await;
    let numbers: HashSet<&str> = registered.iter().map(|r| r.1.as_str()).collect();
    assert_eq!(numbers.len(), LEADS, "lead numbers are unique");

    // Search: each instance's index finds the leads registered through the other.
    for (i, searcher) in [(0, &b), (1, &a)] {
        let (id, number, _) = &registered[i];
        let url = searcher.url(&format!("/api/v1/search?q={number}"));
        let found: Value = api.get(url).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
        let ids: Vec<i64> =
            found["items"].as_array().unwrap().iter().map(|h| h["lead"]["id"].as_i64().unwrap()).collect();
        let log: Vec<String> =
            searcher.output.lock().unwrap().iter().filter(|l| l.contains("search")).cloned().collect();
        assert_eq!(ids, [*id], "{number}, registered on the other instance: {found} {log:?}");
    }
    let mut sequences: Vec<u32> = registered.iter().map(|r| r.1.rsplit('-').next().unwrap().parse().unwrap()).collect();
    sequences.sort_unstable();
    assert_eq!(sequences[LEADS - 1] - sequences[0], LEADS as u32 - 1, "and gap-free");

    // 1,000 transitions (登记 → 研判) in parallel over both instances, through the browser
    // session; the first 100 leads get the same step from both instances at once.
    let c = Arc::new(c);
    let mut set = JoinSet::new();
    for (i, (id, _, version)) in registered.iter().cloned().enumerate() {
        let senders = if i < CONTESTED { vec![0, 1] } else { vec![i % 2] };
        for which in senders {
            let (c, csrf, instances, gate) = (c.clone(), csrf.clone(), instances.clone(), gate.clone());
            set.spawn(async move {
                let _permit = gate.acquire().await.unwrap();
                let form = [
                    ("csrf_token", csrf),
                    ("step", "assess".into()),
                    ("note", "经研判，线索具体可查。".into()),
                    ("version", version.to_string()),
                ];
                let r = c.post(format!("{}/leads/{id}/steps", instances[which])).form(&form).send().await.unwrap();
                match r.status().as_u16() {
                    // The winner goes back to the lead; what happened is kept with the
                    // session, not in the URL.
                    303 => (id, r.headers()["location"].to_str().unwrap().to_owned()),
                    // The loser sees the lead again with its form as typed and why (issue 12).
                    422 => {
                        let page = r.text().await.unwrap();
                        assert!(page.contains("已被他人办理"), "the loser is told: lead {id}");
                        (id, "refused".to_owned())
                    }
                    other => panic!("step on lead {id}: {other}"),
                }
            });
        }
    }
    let outcomes: Vec<(i64, String)> = set.join_all().await;
    assert_eq!(outcomes.len(), LEADS + CONTESTED);
    let won = outcomes.iter().filter(|(id, to)| to == &format!("/leads/{id}")).count();
    assert_eq!(won, LEADS, "one winner per lead; every other attempt refused");
    let ids = registered.iter().map(|r| r.0.to_string()).collect::<Vec<_>>().join(",");
    let assessed =
        count(&db, &format!("SELECT COUNT(*) FROM leads WHERE id IN ({ids}) AND status = 'assessed' AND version = 2"))
            .await;
    assert_eq!(assessed, LEADS as i64, "every transition is in the ledger, none twice");
    let steps =
        count(&db, &format!("SELECT COUNT(*) FROM lead_events WHERE lead_id IN ({ids}) AND kind = 'assess'")).await;
    assert_eq!(steps, LEADS as i64, "one timeline entry per transition: the contested duplicates were refused");
    let audited = count(
        &db,
        &format!("SELECT COUNT(*) FROM audit_log WHERE action = 'lead.step' AND record_id IN ({})", quoted(&ids)),
    )
    .await;
    assert_eq!(audited, LEADS as i64, "and only the applied steps are in the audit trail");

    // Sign out on B; A no longer knows the session.
    let r = c.post(b.url("/logout")).form(&[("csrf_token", csrf.as_str())]).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let after = c.get(a.url("/ledger")).send().await.unwrap();
    assert_eq!(after.status(), 303, "signed out everywhere");

    // Every write from both processes is on one intact audit chain.
    let verify = Command::new(env!("CARGO_BIN_EXE_qingling"))
        .args(["audit", "verify", "--database-url", &tdb.url, "--key-file"])
        .arg(&key_file)
        .output()
        .await
        .unwrap();
    let said = String::from_utf8_lossy(&verify.stdout);
    assert!(verify.status.success(), "audit chain intact across instances: {said}");
    assert!(said.contains("intact"), "{said}");
    // Their output went to pipes, not a terminal: log lines carry no colour codes.
    for inst in [&a, &b] {
        let lines = inst.output.lock().unwrap();
        assert!(lines.iter().any(|l| l.contains("INFO")), "the servers logged: {lines:?}");
        assert!(!lines.iter().any(|l| l.contains('\u{1b}')), "no escape codes in logs: {lines:?}");
    }
}

/// `1,2,3` as `'1','2','3'` (audit record ids are text).
fn quoted(ids: &str) -> String {
    ids.split(',').map(|i| format!("'{i}'")).collect::<Vec<_>>().join(",")
}

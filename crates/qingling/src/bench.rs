//! `qingling bench`: the real server in-process on loopback, real users over HTTP, and the
//! same work as bare SQL on the same database, timed side by side (issue 5).

use std::{sync::Arc, time::Instant};

use app::App;
use reqwest::Client;
use serde_json::{Value, json};
use sqlx::Row;

#[derive(Debug, Clone, Copy)]
struct Stats {
    p50_ms: f64,
    p99_ms: f64,
    per_sec: f64,
}

fn stats(mut samples: Vec<f64>, wall: f64) -> Stats {
    samples.sort_by(|a, b| a.total_cmp(b));
    let at = |q: f64| samples[((samples.len() as f64 - 1.0) * q).round() as usize];
    Stats { p50_ms: at(0.5), p99_ms: at(0.99), per_sec: samples.len() as f64 / wall }
}

/// Runs `op` `n` times over `conc` concurrent workers; latencies in milliseconds.
async fn measure<F, Fut>(conc: usize, n: usize, op: F) -> Stats
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let op = Arc::new(op);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for w in 0..conc {
        let op = op.clone();
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            for i in 0..n / conc {
                let t = Instant::now();
                op(w * 1_000_000 + i).await;
                lat.push(t.elapsed().as_secs_f64() * 1000.0);
            }
            lat
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.expect("worker"));
    }
    stats(all, started.elapsed().as_secs_f64())
}

async fn floor_time(app: &App, n: usize, sql: &'static str, binds: Vec<Value>) -> Stats {
    let mut lat = Vec::new();
    let started = Instant::now();
    for _ in 0..n {
        let mut c = app.db().read().await.expect("connection");
        let t = Instant::now();
        let mut q = sqlx::query(sql);
        for b in &binds {
            q = match b {
                Value::Number(x) => q.bind(x.as_i64().unwrap_or_default()),
                Value::String(s) => q.bind(s.clone()),
                _ => q,
            };
        }
        let rows = q.fetch_all(&mut *c).await.expect("floor query");
        std::hint::black_box(rows.len());
        lat.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    stats(lat, started.elapsed().as_secs_f64())
}

pub async fn run(app: App, iterations: usize, out: &std::path::Path) -> Result<(), String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.map_err(|e| e.to_string())?;
    let base = format!("http://{}", listener.local_addr().map_err(|e| e.to_string())?);
    let state = web::AppState { app: app.clone(), secure_cookies: false };
    tokio::spawn(async move {
        let _ = web::serve(listener, state).await;
    });
    let http = Client::builder().build().map_err(|e| e.to_string())?;
    let token = |user: &'static str| {
        let (http, base) = (http.clone(), base.clone());
        async move {
            let r: Value = http
                .post(format!("{base}/api/v1/auth/login"))
                .json(&json!({"username": user, "password": app::bench_data::PASSWORD}))
                .send()
                .await
                .map_err(|e| e.to_string())?
                .json()
                .await
                .map_err(|e| e.to_string())?;
            r["token"]
                .as_str()
                .map(str::to_owned)
                .ok_or_else(|| format!("cannot sign in as {user}: run bench-data first"))
        }
    };
    let insp = token("bench-inspector").await?;
    let sup = token("bench-supervisor").await?;
    let me: Value = http
        .get(format!("{base}/api/v1/me"))
        .bearer_auth(&insp)
        .send()
        .await
        .map_err(|e| e.to_string())?
        .json()
        .await
        .map_err(|e| e.to_string())?;
    let unit = me["unit_id"].as_i64().ok_or("no unit")?;
    let total: i64 = {
        let mut c = app.db().read().await.map_err(|e| e.to_string())?;
        sqlx::query("SELECT COUNT(*) FROM leads")
            .fetch_one(&mut *c)
            .await
            .map_err(|e| e.to_string())?
            .try_get(0)
            .map_err(|e| e.to_string())?
    };
    let sample_id: i64 = {
        let mut c = app.db().read().await.map_err(|e| e.to_string())?;
        sqlx::query("SELECT id FROM leads WHERE unit_id = $1 ORDER BY id LIMIT 1")
            .bind(unit)
            .fetch_one(&mut *c)
            .await
            .map_err(|e| e.to_string())?
            .try_get(0)
            .map_err(|e| e.to_string())?
    };
    let today = domain::dates::format_date(app.today());
    println!("Qingling bench: {total} leads; {iterations} requests per figure; backend {:?}", app.db().backend());
    let mut table: Vec<(String, Stats, Stats, Option<Stats>)> = Vec::new();
    let get = |path: String, tok: String| {
        let (http, base) = (http.clone(), base.clone());
        move |_i: usize| {
            let (http, url, tok) = (http.clone(), format!("{base}{path}"), tok.clone());
            async move {
                let r = http.get(url).bearer_auth(tok).send().await.expect("request");
                assert!(r.status().is_success(), "{}", r.status());
                std::hint::black_box(r.bytes().await.expect("body").len());
            }
        }
    };
    let l1 = format!("/api/v1/leads?unit_id={unit}&status=open&per_page=50");
    let l2 = format!("/api/v1/leads?unit_id={unit}&sort=deadline_asc&page=11&per_page=50");
    let l3 = "/api/v1/leads?per_page=50".to_string();
    let c1 = format!("/api/v1/leads?unit_id={unit}&overdue=true&per_page=1");
    let d1 = format!("/api/v1/leads/{sample_id}");
    for (name, path, tok, floor) in [
        (
            "L1 unit ledger, open, newest first",
            l1,
            insp.clone(),
            Some((
                concat!(
                    "SELECT l.id, l.number, l.summary FROM leads l WHERE l.unit_id = $1 AND l.status IN ",
                    "('registered','assessed','talk_inquiry','preliminary_verification','shelved','case_filed')",
                    " ORDER BY l.received_on DESC, l.id DESC LIMIT 50"
                ),
                vec![json!(unit)],
            )),
        ),
        (
            "L2 unit ledger by deadline, offset 500",
            l2,
            insp.clone(),
            Some((
                "SELECT l.id, l.number, l.summary FROM leads l WHERE l.unit_id = $1 ORDER BY l.deadline, l.id LIMIT 50 OFFSET 500",
                vec![json!(unit)],
            )),
        ),
        (
            "L3 supervisor ledger, all units",
            l3,
            sup.clone(),
            Some((
                "SELECT l.id, l.number, l.summary FROM leads l ORDER BY l.received_on DESC, l.id DESC LIMIT 50",
                vec![],
            )),
        ),
        (
            "C1 unit overdue count",
            c1,
            insp.clone(),
            Some((
                concat!(
                    "SELECT COUNT(*) FROM leads WHERE unit_id = $1 AND deadline < $2 AND status IN ",
                    "('registered','assessed','talk_inquiry','preliminary_verification','shelved','case_filed')"
                ),
                vec![json!(unit), json!(today.clone())],
            )),
        ),
        ("D1 lead detail", d1, insp.clone(), Some(("SELECT * FROM leads WHERE id = $1", vec![json!(sample_id)]))),
        ("B1 clearance board (JSON of the page's data)", "/board-bench".to_string(), sup.clone(), None),
    ] {
        if path == "/board-bench" {
            // The board is a page; time the app call behind it, as the page does.
            let app2 = app.clone();
            let actor = app
                .authenticate(&sup, app::LoginKind::Api)
                .await
                .map_err(|e| e.to_string())?
                .ok_or("no session")?
                .actor;
            let one = measure(1, iterations.min(50), move |_| {
                let (app2, actor) = (app2.clone(), actor.clone());
                async move {
                    std::hint::black_box(app2.clearance_board(&actor).await.expect("board"));
                }
            })
            .await;
            let fl = floor_time(&app, iterations.min(50), concat!("SELECT unit_id, SUM(CASE WHEN stock_class = 'stock' THEN 1 ELSE 0 END), SUM(CASE WHEN stock_class = 'stock' AND status IN ", "('registered','assessed','talk_inquiry','preliminary_verification','shelved','case_filed')", " THEN 1 ELSE 0 END) FROM leads GROUP BY unit_id"), vec![]).await;
            table.push((name.to_string(), one, one, Some(fl)));
            continue;
        }
        let one = measure(1, iterations, get(path.clone(), tok.clone())).await;
        let four = measure(4, iterations, get(path, tok)).await;
        let fl = match floor {
            Some((sql, binds)) => Some(floor_time(&app, iterations, sql, binds).await),
            None => None,
        };
        table.push((name.to_string(), one, four, fl));
    }
    // W1: registering a lead over the API.
    let reg = {
        let (http, base, insp) = (http.clone(), base.clone(), insp.clone());
        move |i: usize| {
            let (http, base, insp) = (http.clone(), base.clone(), insp.clone());
            async move {
                let body = json!({"unit_id": unit.to_string(), "source": "petition_report", "received_on": "2020-01-02",
                    "category": "work_style", "summary": format!("基准登记 {i}"), "subjects": [{"name": "基准对象"}]});
                let r = http
                    .post(format!("{base}/api/v1/leads"))
                    .bearer_auth(insp)
                    .json(&body)
                    .send()
                    .await
                    .expect("request");
                assert_eq!(r.status(), 201);
            }
        }
    };
    let w1 = measure(1, iterations.min(200), reg.clone()).await;
    let w4 = measure(4, iterations.min(200), reg).await;
    table.push(("W1 register a lead".into(), w1, w4, None));
    println!(
        "\n{:<46} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>7}",
        "figure", "p50 ms", "p99 ms", "req/s", "p50@4", "req/s@4", "floor", "ratio"
    );
    let mut json_rows = Vec::new();
    for (name, one, four, fl) in &table {
        let floor = fl.map(|f| f.p50_ms);
        println!(
            "{:<46} {:>9.3} {:>9.3} {:>9.0} {:>9.3} {:>9.0} {:>9} {:>7}",
            name,
            one.p50_ms,
            one.p99_ms,
            one.per_sec,
            four.p50_ms,
            four.per_sec,
            floor.map(|f| format!("{f:.3}")).unwrap_or_else(|| "—".into()),
            floor.map(|f| format!("{:.1}×", one.p50_ms / f.max(0.001))).unwrap_or_else(|| "—".into()),
        );
        json_rows.push(json!({"figure": name, "p50_ms": one.p50_ms, "p99_ms": one.p99_ms, "per_sec": one.per_sec,
            "p50_ms_c4": four.p50_ms, "p99_ms_c4": four.p99_ms, "per_sec_c4": four.per_sec, "floor_p50_ms": floor}));
    }
    let doc = json!({"leads": total, "backend": format!("{:?}", app.db().backend()), "iterations": iterations, "figures": json_rows});
    std::fs::write(out, serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())?).map_err(|e| e.to_string())?;
    println!("\nJSON written to {}", out.display());
    Ok(())
}

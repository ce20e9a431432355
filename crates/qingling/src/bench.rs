//! `qingling bench`: the real server in-process on loopback, real users over HTTP, and the
//! same work as bare SQL on the same database, timed side by side (issue 5).

// The benchmark is a harness: a query it cannot run is a broken benchmark, and stopping there
// (with the reason) is the right answer.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{sync::Arc, time::Instant};

use app::App;
use reqwest::{Client, redirect::Policy};
use serde_json::{Value, json};
use sqlx::Row;

#[derive(Debug, Clone, Copy)]
pub(super) struct Stats {
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
pub(super) async fn measure<F, Fut>(conc: usize, n: usize, op: F) -> Stats
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

/// A browser session through the login form, as a user would start one; returns the
/// client (holding the cookie) and the session's CSRF token.
pub(super) async fn page_session(base: &str, user: &str) -> Result<(Client, String), String> {
    let c = Client::builder().cookie_store(true).redirect(Policy::none()).build().map_err(|e| e.to_string())?;
    let csrf_of = |html: &str| {
        let marker = "name=\"csrf_token\" value=\"";
        html.find(marker).map(|i| html[i + marker.len()..i + marker.len() + 64].to_owned())
    };
    let text = |r: reqwest::Response| async move { r.text().await.map_err(|e| e.to_string()) };
    let login = text(c.get(format!("{base}/login")).send().await.map_err(|e| e.to_string())?).await?;
    let pre = csrf_of(&login).ok_or("no CSRF field on the login page")?;
    let r = c
        .post(format!("{base}/login"))
        .form(&[("csrf_token", pre.as_str()), ("username", user), ("password", app::bench_data::PASSWORD)])
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if r.status() != 303 {
        return Err(format!("cannot sign in as {user} through the page: {}", r.status()));
    }
    let account = text(c.get(format!("{base}/account")).send().await.map_err(|e| e.to_string())?).await?;
    Ok((c, csrf_of(&account).ok_or("no CSRF field on the account page")?))
}

/// The bare-SQL floor of a write: `statements(i)` run in one committed transaction.
async fn floor_write<F>(app: &App, n: usize, statements: F) -> Stats
where
    F: Fn(usize) -> Vec<(String, Vec<Value>)>,
{
    let mut lat = Vec::new();
    let started = Instant::now();
    for i in 0..n {
        let t = Instant::now();
        let mut tx = app.db().begin_write().await.expect("transaction");
        for (sql, binds) in statements(i) {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for b in binds {
                q = match b {
                    Value::Number(x) => q.bind(x.as_i64().unwrap_or_default()),
                    Value::String(s) => q.bind(s),
                    _ => q,
                };
            }
            q.execute(&mut *tx).await.expect("floor statement");
        }
        tx.commit().await.expect("commit");
        lat.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    stats(lat, started.elapsed().as_secs_f64())
}

/// `only`: the figures whose names start with it (`S` for the search and relations figures),
/// every figure when `None`.
pub async fn run(app: App, iterations: usize, out: &std::path::Path, only: Option<&str>) -> Result<(), String> {
    let wanted = |name: &str| only.is_none_or(|o| name.starts_with(o));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.map_err(|e| e.to_string())?;
    let base = format!("http://{}", listener.local_addr().map_err(|e| e.to_string())?);
    let state = web::AppState::new(app.clone(), false);
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
    let (campaign, inspector_id): (i64, i64) = {
        let mut c = app.db().read().await.map_err(|e| e.to_string())?;
        let r = sqlx::query(
            "SELECT l.campaign_id, u.id FROM leads l, users u WHERE l.id = $1 AND u.username = 'bench-inspector'",
        )
        .bind(sample_id)
        .fetch_one(&mut *c)
        .await
        .map_err(|e| e.to_string())?;
        (r.try_get(0).map_err(|e| e.to_string())?, r.try_get(1).map_err(|e| e.to_string())?)
    };
    // The person of the relations figure (bench-data registers them in 50 leads).
    let network_person: Option<i64> = {
        let mut c = app.db().read().await.map_err(|e| e.to_string())?;
        sqlx::query("SELECT id FROM persons WHERE name = $1 ORDER BY id LIMIT 1")
            .bind(app::bench_data::NETWORK_PERSON)
            .fetch_optional(&mut *c)
            .await
            .map_err(|e| e.to_string())?
            .map(|r| r.try_get(0))
            .transpose()
            .map_err(|e| e.to_string())?
    };
    // As `serve` does at start (its background job), count the board's figures for today:
    // the ledger's totals and the board read them.
    app.supervision().refresh_board_figures().await.map_err(|e| e.to_string())?;
    // As `serve` does at start: the search index built from the database (or caught up).
    let started = std::time::Instant::now();
    let built = app.search_catch_up().await.map_err(|e| e.to_string())?;
    let index_build_s = started.elapsed().as_secs_f64();
    println!("search index: {} leads applied in {index_build_s:.1} s (built anew: {})", built.leads, built.rebuilt);
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
        // Every bench lead's summary holds 回扣: the worst case, every lead in scope matches.
        (
            "S1 keyword search in a unit",
            format!("/api/v1/leads?unit_id={unit}&q=%E5%9B%9E%E6%89%A3"),
            insp.clone(),
            None,
        ),
        (
            "S2 supervisor search, all units, exact total",
            "/api/v1/search?q=%E5%9B%9E%E6%89%A3".into(),
            sup.clone(),
            None,
        ),
    ]
    .into_iter()
    // R1, R2: the statistics of the whole campaign, for all units and for one (issue 17).
    .chain([
        ("R1 statistics, all units, the campaign", "/api/v1/statistics?period=campaign".into(), sup.clone(), None),
        (
            "R2 statistics, one unit, the campaign",
            format!("/api/v1/statistics?unit={unit}&period=campaign"),
            insp.clone(),
            None,
        ),
    ])
    .chain(network_person.map(|p| {
        // S3: the graph to depth 2 around a person named in 50 leads, as the supervisor.
        ("S3 relations graph, person in 50 leads", format!("/api/v1/relations/persons/{p}"), sup.clone(), None)
    }))
    .filter(|(name, ..)| wanted(name))
    {
        let one = measure(1, iterations, get(path.clone(), tok.clone())).await;
        let four = measure(4, iterations, get(path, tok)).await;
        let fl = match floor {
            Some((sql, binds)) => Some(floor_time(&app, iterations, sql, binds).await),
            None => None,
        };
        table.push((name.to_string(), one, four, fl));
    }
    let mut written = 0;
    if wanted("B1") {
        // B1: the committee's board page, over HTTP with a browser session; its floor is the
        // bare read of the kept per-unit figures. The recount (every lead) is shown beside it.
        let (sup_page, _) = page_session(&base, "bench-supervisor").await?;
        let board = {
            let (c, url) = (sup_page.clone(), format!("{base}/board"));
            move |_i: usize| {
                let (c, url) = (c.clone(), url.clone());
                async move {
                    let r = c.get(url).send().await.expect("request");
                    assert_eq!(r.status(), 200);
                    std::hint::black_box(r.bytes().await.expect("body").len());
                }
            }
        };
        let b1 = measure(1, iterations, board.clone()).await;
        let b4 = measure(4, iterations, board).await;
        let b1_floor = floor_time(
            &app,
            iterations,
            concat!(
                "SELECT t.*, u.name FROM board_tallies t JOIN units u ON u.id = t.unit_id WHERE t.campaign_id = $1 ",
                "ORDER BY CASE WHEN t.stock_total = 0 THEN 1.0 ELSE t.stock_cleared * 1.0 / t.stock_total END, ",
                "t.stock_overdue DESC, t.unit_id LIMIT 100"
            ),
            vec![json!(campaign)],
        )
        .await;
        table.push(("B1 clearance board, all units (page 1)".into(), b1, b4, Some(b1_floor)));
        let recount = {
            let actor = app
                .protection()
                .authenticate(&sup, app::LoginKind::Api)
                .await
                .map_err(|e| e.to_string())?
                .ok_or("no session")?
                .actor;
            let app = app.clone();
            measure(1, iterations.min(3), move |_| {
                let (app, actor) = (app.clone(), actor.clone());
                async move {
                    std::hint::black_box(
                        app.supervision()
                            .clearance_board_from(&actor, app::BoardSource::Recount, 1, app::BOARD_PAGE)
                            .await
                            .expect("board"),
                    );
                }
            })
            .await
        };
        table.push(("B1 by recount instead (for comparison)".into(), recount, recount, None));
    }
    if wanted("W1") || wanted("T1") {
        // The statistics' kept figures are counted first (a bulk load leaves them uncounted),
        // so that W1 and T1 pay for keeping them in step, as a server in use does.
        let started = std::time::Instant::now();
        let mut tx = app.db().begin_write().await.map_err(|e| e.to_string())?;
        if store::reporting::kept::recount(&mut tx).await.map_err(|e| e.to_string())? {
            println!("statistics' kept figures counted in {:.1} s", started.elapsed().as_secs_f64());
        }
        tx.commit().await.map_err(|e| e.to_string())?;
        // W1: registering a lead over the API; T1: a transition (登记 → 研判) of those leads
        // through the page form. Floors: the same rows written in one bare transaction.
        let registered = Arc::new(std::sync::Mutex::new(Vec::new()));
        let reg = {
            let (http, base, insp, registered) = (http.clone(), base.clone(), insp.clone(), registered.clone());
            move |i: usize| {
                let (http, base, insp, registered) = (http.clone(), base.clone(), insp.clone(), registered.clone());
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
                    let lead: Value = r.json().await.expect("lead");
                    registered.lock().expect("list").push(lead["id"].as_i64().expect("id"));
                }
            }
        };
        let writes = iterations.min(200);
        let w1 = measure(1, writes, reg.clone()).await;
        let w4 = measure(4, writes, reg).await;
        let tag = format!("FLOOR{}", std::process::id());
        let w1_floor = floor_write(&app, writes, |i| {
        let no = format!("{tag}-{i:06}");
        vec![
            (
                "INSERT INTO leads (number, unit_id, campaign_id, source, received_on, category, problem_domain, summary,
                    important, handling_mode, responsible_person, deadline, status, stock_class, search_text, created_by,
                    created_at, updated_by, updated_at, version, clock_started_on)
                 VALUES ($1, $2, $3, 'petition_report', '2020-01-02', 'work_style', 'other', $4, 0, 'own_level', '',
                    '2020-03-02', 'registered', 'new', $4, $5, 0, $5, 0, 1, '2020-01-02')"
                    .into(),
                vec![json!(no), json!(unit), json!(campaign), json!(format!("基准登记 {i}")), json!(inspector_id)],
            ),
            (
                "INSERT INTO lead_subjects (lead_id, ordinal, name, unit_name, post, subject_rank, political_status,
                    is_unit_head, cadre_level)
                 SELECT id, 0, '基准对象', '', '', '', 'unknown', 0, 'not_cadre' FROM leads WHERE number = $1"
                    .into(),
                vec![json!(no)],
            ),
        ]
    })
    .await;
        table.push(("W1 register a lead".into(), w1, w4, Some(w1_floor)));
        let (insp_page, csrf) = page_session(&base, "bench-inspector").await?;
        let step = {
            let (c, base, registered) = (insp_page.clone(), base.clone(), registered.clone());
            move |_i: usize| {
                let (c, base, csrf) = (c.clone(), base.clone(), csrf.clone());
                let id = registered.lock().expect("list").pop().expect("a registered lead left");
                async move {
                    let form =
                        [("csrf_token", csrf.as_str()), ("step", "assess"), ("note", "基准研判"), ("version", "1")];
                    let r = c.post(format!("{base}/leads/{id}/steps")).form(&form).send().await.expect("request");
                    let to = r.headers().get("location").and_then(|l| l.to_str().ok()).unwrap_or_default().to_owned();
                    // Done: back to the lead, the outcome left with the session (a refusal is a 422 page).
                    let done = r.status() == reqwest::StatusCode::SEE_OTHER && to == format!("/leads/{id}");
                    assert!(done, "step on {id}: {} {to}", r.status());
                }
            }
        };
        let t1 = measure(1, writes, step.clone()).await;
        let t4 = measure(4, writes, step).await;
        let t1_floor = floor_write(&app, writes, |i| {
        let no = format!("{tag}-{i:06}");
        vec![
            (
                "UPDATE leads SET status = 'assessed', version = version + 1, updated_at = 1 WHERE number = $1 AND version = 1"
                    .into(),
                vec![json!(no)],
            ),
            (
                "INSERT INTO lead_events (lead_id, kind, from_status, to_status, state, actor_id, at, note)
                 SELECT id, 'assess', 'registered', 'assessed', 'applied', $2, 1, '基准研判' FROM leads WHERE number = $1"
                    .into(),
                vec![json!(no), json!(inspector_id)],
            ),
        ]
    })
    .await;
        table.push(("T1 transition 登记→研判 (page form)".into(), t1, t4, Some(t1_floor)));
        written = 2 * writes;
    }
    if wanted("R3") {
        table.extend(super::bench_reporting::dashboard(&base, &sup, iterations).await?);
    }
    if wanted("R4") {
        table.extend(super::bench_reporting::bulletin(&base, &sup, iterations).await?);
    }
    if wanted("A") {
        table.extend(super::bench_files::attachments(&http, &base, &insp, sample_id).await?);
    }
    if wanted("P") {
        table.extend(super::bench_files::portal_open(&app, iterations).await?);
    }
    // The writes above left their changes in the search outbox (W1 and W4's leads, stepped by
    // T1 and T4): with more registered straight through the use case, a thousand changed leads
    // for the index to take in.
    let more = 1_000usize.saturating_sub(written);
    let keeper = app
        .protection()
        .authenticate(&insp, app::LoginKind::Api)
        .await
        .map_err(|e| e.to_string())?
        .ok_or("no session")?
        .actor
        .ledger_keeper()
        .map_err(|e| e.to_string())?;
    for i in 0..more {
        let input = domain::ledger::lead::LeadInput {
            unit_id: unit.to_string(),
            source: "petition_report".into(),
            received_on: today.clone(),
            category: "work_style".into(),
            summary: format!("基准检索追赶 {i}"),
            subjects: vec![domain::ledger::subject::SubjectInput {
                name: format!("追赶{i}某"), ..Default::default()
            }],
            ..Default::default()
        };
        app.ledger().register(&keeper, &input).await.map_err(|e| e.to_string())?;
    }
    let started = std::time::Instant::now();
    let caught = app.search_catch_up().await.map_err(|e| e.to_string())?;
    let catch_up_s = started.elapsed().as_secs_f64();
    println!("search index caught up with {} changed leads in {catch_up_s:.3} s", caught.leads);
    // The floor's rows bypassed the app and the board's kept figures: have the board count
    // afresh. (They stay: deleting leads means checking every reference to them, minutes at
    // 1M leads on PostgreSQL.)
    let mut tx = app.db().begin_write().await.map_err(|e| e.to_string())?;
    store::supervision::tallies::invalidate(&mut tx).await.map_err(|e| e.to_string())?;
    tx.commit().await.map_err(|e| e.to_string())?;
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
    let search = json!({"index_build_s": index_build_s, "index_leads": built.leads, "rebuilt": built.rebuilt,
        "catch_up_s": catch_up_s, "catch_up_leads": caught.leads});
    let doc = json!({"leads": total, "backend": format!("{:?}", app.db().backend()), "iterations": iterations,
        "figures": json_rows, "search": search});
    std::fs::write(out, serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())?).map_err(|e| e.to_string())?;
    println!("\nJSON written to {}", out.display());
    Ok(())
}

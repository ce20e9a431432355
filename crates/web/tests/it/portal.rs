//! The public portal's face (issue 16): only its own routes are served on its address, it answers
//! with the product's security headers, refuses a report with no proof of work, and keeps
//! answering other reporters and the staff site while one address floods it.

use reqwest::StatusCode;
use store::Backend;
use web::portal::{PORTAL_ROUTES, PortalLimits};

use crate::support::{browser_client, start};

testkit::both!(
    the_portal_serves_its_own_routes_only,
    the_portal_keeps_answering_while_one_address_floods_it,
    the_portal_logs_no_client_address_or_browser
);

fn filled(path: &str) -> String {
    path.replace("{id}", "1").replace("{code}", "en").replace("{objection}", "1")
}

async fn the_portal_serves_its_own_routes_only(b: Backend) {
    let s = start(b).await;
    let p = s.portal(PortalLimits { bits: 4, ..Default::default() }).await;
    let c = browser_client();
    let portal: Vec<(&str, String)> = PORTAL_ROUTES.iter().map(|(m, r)| (*m, filled(r))).collect();
    let staff = web::PAGE_ROUTES
        .iter()
        .map(|(m, r)| (*m, filled(r)))
        .chain(web::API_ROUTES.iter().map(|(m, r)| (*m, format!("/api/v1{}", filled(r)))))
        .chain([("get", "/api/v1/openapi.json".to_owned()), ("get", "/api/docs".to_owned())]);
    let mut checked = 0;
    for (m, path) in staff.filter(|(m, r)| !portal.iter().any(|(pm, pr)| pm == m && pr == r)) {
        let req = match m {
            "get" => c.get(p.url(&path)),
            "post" => c.post(p.url(&path)).form(&[("csrf_token", "x")]),
            "put" => c.put(p.url(&path)),
            "delete" => c.delete(p.url(&path)),
            other => panic!("{other}"),
        };
        let status = req.send().await.unwrap().status();
        assert_eq!(status, StatusCode::NOT_FOUND, "{m} {path} is a staff route: the portal must not serve it");
        checked += 1;
    }
    assert!(checked > 150, "{checked} staff routes tried");
    // Its own document, apart from the staff API's: every form route, nothing else.
    let doc: serde_json::Value = c.get(p.url("/openapi.json")).send().await.unwrap().json().await.unwrap();
    let mut documented: Vec<(String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, ops)| ops.as_object().unwrap().keys().map(move |m| (m.clone(), path.clone())))
        .collect();
    documented.sort();
    let mut served: Vec<(String, String)> = PORTAL_ROUTES
        .iter()
        .filter(|(_, r)| !r.starts_with("/static/") && !r.starts_with("/lang/") && *r != "/openapi.json")
        .map(|(m, r)| (m.to_string(), r.to_string()))
        .collect();
    served.sort();
    assert_eq!(documented, served, "the portal's document lists exactly its forms");
    let staff = web::openapi().to_json().unwrap();
    assert!(
        !staff.contains("\"/status/rating\"") && !doc["paths"].to_string().contains("/api/v1"),
        "the two documents stay apart"
    );
    // Its own pages answer, with the security headers and no cache.
    for path in ["/", "/report", "/follow"] {
        let r = c.get(p.url(path)).send().await.unwrap();
        assert_eq!(r.status(), 200, "{path}");
        let h = r.headers();
        assert!(h["content-security-policy"].to_str().unwrap().contains("frame-ancestors 'none'"));
        assert_eq!(
            (h["x-frame-options"].to_str().unwrap(), h["cache-control"].to_str().unwrap()),
            ("DENY", "no-store")
        );
    }
    // English on the switch, as on the staff site.
    let en = browser_client();
    assert_eq!(en.get(p.url("/lang/en?next=%2F")).send().await.unwrap().status(), StatusCode::SEE_OTHER);
    let home = en.get(p.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(home.contains("<html lang=\"en\"") && home.contains("Follow a report") && !home.contains("查询办理进展"));
    let form = c.get(p.url("/report")).send().await.unwrap().text().await.unwrap();
    assert!(
        form.contains("name=\"challenge\"") && form.contains("<noscript>"),
        "the proof of work, and word when JS is off"
    );
    // Sent without the proof (as with JavaScript off): refused, what was typed kept, nothing filed.
    let typed = [
        ("what", "某科长收受回扣<script>alert(1)</script>"),
        ("passphrase", "长长的查询密码啊啊"),
        ("passphrase_again", "长长的查询密码啊啊"),
        ("acknowledged", "on"),
    ];
    let sup = s.actor("supervisor").await;
    let before = s.app.reporters().intake(&sup, true, 1).await.unwrap().total;
    let r = c.post(p.url("/report")).form(&typed).send().await.unwrap();
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("浏览器验证未通过") && page.contains("&#60;script&#62;") && !page.contains("<script>alert"),
        "{page}"
    );
    assert!(!page.contains("长长的查询密码啊啊"), "a passphrase is never sent back");
    assert_eq!(s.app.reporters().intake(&sup, true, 1).await.unwrap().total, before, "nothing filed");
    // A form posted from another site is refused (it would set the victim's session).
    let r = c
        .post(p.url("/follow"))
        .header("origin", "http://attacker.example")
        .form(&[("receipt_code", "1234 5678 9012 3456"), ("passphrase", "攻击者的查询密码")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // A session that is not one: back to the code and passphrase.
    let r = c.get(p.url("/status")).header("cookie", "qlp=forged").send().await.unwrap();
    assert_eq!((r.status(), r.headers()["location"].to_str().unwrap()), (StatusCode::SEE_OTHER, "/follow?ended=1"));
}

async fn the_portal_keeps_answering_while_one_address_floods_it(b: Backend) {
    let s = start(b).await;
    let limits = PortalLimits { bits: 4, reports_per_hour: 3, failures_per_hour: 5, ..Default::default() };
    let p = s.portal(limits).await;
    let flood = |n: usize| {
        let url = p.url("/report");
        async move {
            let c = browser_client();
            let r = c
                .post(&url)
                .header("x-forwarded-for", "203.0.113.9")
                .form(&[("what", format!("批量提交第{n}件，内容无意义的灌水举报"))])
                .send()
                .await
                .unwrap();
            r.status()
        }
    };
    // 200 posts at once from one address, while another reporter and the staff site are used.
    let started = std::time::Instant::now();
    let floods = futures_util::future::join_all((0..200).map(flood));
    let others = async {
        let c = browser_client();
        let mut answered = Vec::new();
        for _ in 0..5 {
            let r = c
                .post(p.url("/follow"))
                .header("x-forwarded-for", "198.51.100.7")
                .form(&[("receipt_code", "1234 5678 9012 3456"), ("passphrase", "不是的不是的")])
                .send()
                .await
                .unwrap();
            answered.push(r.status());
            answered.push(c.get(s.url("/login")).send().await.unwrap().status());
        }
        answered
    };
    let (statuses, answered) = tokio::join!(floods, others);
    let too_many = statuses.iter().filter(|s| **s == StatusCode::TOO_MANY_REQUESTS).count();
    assert!(statuses.iter().all(|s| !s.is_server_error()), "{statuses:?}");
    assert_eq!(too_many, 197, "three an hour from that address; the rest refused cheaply");
    assert_eq!(
        answered,
        [StatusCode::UNPROCESSABLE_ENTITY, StatusCode::OK].repeat(5),
        "another reporter is told the code is wrong (not throttled), the staff site answers"
    );
    // Guessing codes from one address: refused after the hour's allowance, with the same words.
    let c = browser_client();
    let mut last = StatusCode::OK;
    for _ in 0..6 {
        let r = c
            .post(p.url("/follow"))
            .header("x-forwarded-for", "192.0.2.44")
            .form(&[("receipt_code", "0000 0000 0000 0001"), ("passphrase", "猜一猜猜一猜")])
            .send()
            .await
            .unwrap();
        last = r.status();
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS, "the sixth guess from one address");
    println!("portal flood: 200 posts from one address answered in {} ms", started.elapsed().as_millis());
}

/// What the test binary logs, from the first call on (a cap keeps it small).
fn captured_logs() -> std::sync::Arc<std::sync::Mutex<Vec<u8>>> {
    static LOG: std::sync::OnceLock<std::sync::Arc<std::sync::Mutex<Vec<u8>>>> = std::sync::OnceLock::new();
    LOG.get_or_init(|| {
        let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let sink = log.clone();
        let writer = move || Sink(sink.clone());
        let subscriber = tracing_subscriber::fmt()
            .with_writer(writer)
            .with_ansi(false)
            .with_max_level(tracing::Level::INFO)
            .finish();
        let _ = tracing::subscriber::set_global_default(subscriber);
        log
    })
    .clone()
}

struct Sink(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut log = self.0.lock().unwrap();
        if log.len() < 4 << 20 {
            log.extend_from_slice(buf);
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

async fn the_portal_logs_no_client_address_or_browser(b: Backend) {
    let log = captured_logs();
    let s = start(b).await;
    let limits = PortalLimits { bits: 4, reports_per_hour: 1, failures_per_hour: 1, ..Default::default() };
    let p = s.portal(limits).await;
    let c = browser_client();
    let who = [("x-forwarded-for", "203.0.113.77"), ("user-agent", "MarkerBrowser/9.9")];
    let send = |req: reqwest::RequestBuilder| async move {
        let req = who.iter().fold(req, |r, (k, v)| r.header(*k, *v));
        req.send().await.unwrap().status()
    };
    // Filing, guessing, a forged session, a cross-site post, and going over the limits.
    for _ in 0..3 {
        send(c.post(p.url("/report")).form(&[("what", "日志检查：反映某科长的问题，内容无意义")])).await;
        send(
            c.post(p.url("/follow")).form(&[("receipt_code", "1111 2222 3333 4444"), ("passphrase", "日志检查密码啊")]),
        )
        .await;
    }
    send(c.get(p.url("/status")).header("cookie", "qlp=forged")).await;
    send(c.post(p.url("/follow")).header("origin", "http://elsewhere.example").form(&[("receipt_code", "1")])).await;
    let text = String::from_utf8_lossy(&log.lock().unwrap()).into_owned();
    assert!(text.contains("portal request over its limit") && text.contains("path=/report"), "the log is captured");
    assert!(!text.contains("203.0.113.77") && !text.contains("MarkerBrowser"), "an address or browser in the log");
}

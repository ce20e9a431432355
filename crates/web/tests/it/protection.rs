//! Protection over HTTP: throttled sign-in, forced password change, personal tokens on the
//! API, the custodian's reveal, the auditor's export, HSTS behind TLS.

use calamine::{Data, Reader, Xlsx};
use reqwest::StatusCode;
use serde_json::Value;
use store::Backend;

use crate::support::{
    DEMO_PW, api_client, browser_client, hidden_csrf, lead_body, start, start_behind_proxy, start_with, unit_id,
};

testkit::both!(
    sign_in_is_throttled_and_reset_passwords_must_be_changed,
    personal_tokens_work_on_the_api_until_revoked,
    custodian_reveals_with_a_reason_and_the_auditor_exports_it,
    the_second_factor_is_set_up_on_the_account_page,
    behind_a_trusted_proxy_each_client_is_throttled_on_its_own,
);

/// An API sign-in as `username` through a proxy that says the client is `forwarded`.
async fn sign_in_via(s: &crate::support::Server, username: &str, password: &str, forwarded: &str) -> StatusCode {
    api_client()
        .post(s.url("/api/v1/auth/login"))
        .header("x-forwarded-for", forwarded)
        .json(&serde_json::json!({"username": username, "password": password}))
        .send()
        .await
        .unwrap()
        .status()
}

async fn behind_a_trusted_proxy_each_client_is_throttled_on_its_own(b: Backend) {
    let limit = app::CLIENT_LIMIT as usize;
    // The proxy appends the real client; the left entry is the client's own forgery.
    let s = start_behind_proxy(b).await;
    for i in 0..limit {
        let status = sign_in_via(&s, &format!("nobody{i}"), "wrong-password-x", "198.51.100.1, 203.0.113.9").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let blocked = sign_in_via(&s, "inspector", DEMO_PW, "198.51.100.1, 203.0.113.9").await;
    assert_eq!(blocked, StatusCode::TOO_MANY_REQUESTS, "the guessing client is throttled");
    let neighbour = sign_in_via(&s, "inspector", DEMO_PW, "203.0.113.10").await;
    assert_eq!(neighbour, StatusCode::OK, "another client behind the same proxy is not");

    // Without a trusted proxy the header is the client's own say-so and is ignored.
    let s = start(b).await;
    for i in 0..limit {
        let status = sign_in_via(&s, &format!("nobody{i}"), "wrong-password-x", &format!("203.0.113.{i}")).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let dodged = sign_in_via(&s, "inspector", DEMO_PW, "203.0.113.99").await;
    assert_eq!(dodged, StatusCode::TOO_MANY_REQUESTS, "a made-up X-Forwarded-For does not escape the throttle");
}

async fn sign_in_is_throttled_and_reset_passwords_must_be_changed(b: Backend) {
    let s = start(b).await;
    let c = browser_client();
    let page = c.get(s.url("/login")).send().await.unwrap().text().await.unwrap();
    let pre = hidden_csrf(&page);
    let attempt = |pw: &'static str| {
        let (c, pre, url) = (c.clone(), pre.clone(), s.url("/login"));
        async move {
            c.post(url)
                .form(&[("csrf_token", pre.as_str()), ("username", "custodian"), ("password", pw)])
                .send()
                .await
                .unwrap()
        }
    };
    for _ in 0..4 {
        assert_eq!(attempt("wrong-password-x").await.status(), StatusCode::UNAUTHORIZED);
    }
    let r = attempt("wrong-password-x").await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(r.text().await.unwrap().contains("15 分钟"));
    assert_eq!(attempt(DEMO_PW).await.status(), StatusCode::TOO_MANY_REQUESTS, "locked even with the right password");

    // The security administrator unlocks and resets through the admin page.
    let (sec, sec_csrf) = s.sign_in("sysadmin").await; // sysadmin cannot reset ...
    let accounts = s.app.protection().admin_accounts(&s.actor("sysadmin").await).await.unwrap();
    let target = accounts.iter().find(|a| a.username == "custodian").unwrap().id;
    let r = sec
        .post(s.url(&format!("/admin/accounts/{target}/reset")))
        .form(&[("csrf_token", sec_csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "... that is the security administrator's job");
    let (sa, sa_csrf) = s.sign_in("secadmin").await;
    let r = sa
        .post(s.url(&format!("/admin/accounts/{target}/reset")))
        .form(&[("csrf_token", sa_csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    let at = html.find("id=\"temp-password\">").unwrap() + "id=\"temp-password\">".len();
    let temp = html[at..at + html[at..].find('<').unwrap()].to_owned();

    // Signing in with it leads straight to the password page, and nowhere else.
    let u = browser_client();
    let page = u.get(s.url("/login")).send().await.unwrap().text().await.unwrap();
    let pre = hidden_csrf(&page);
    let r = u
        .post(s.url("/login"))
        .form(&[("csrf_token", pre.as_str()), ("username", "custodian"), ("password", temp.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["location"], "/account/password");
    let r = u.get(s.url("/ledger")).send().await.unwrap();
    assert_eq!(r.headers()["location"], "/account/password");
    let page = u.get(s.url("/account/password")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("must-change"));
    let csrf = hidden_csrf(&page);
    let change = |new: &'static str, confirm: &'static str| {
        let (u, csrf, temp, url) = (u.clone(), csrf.clone(), temp.clone(), s.url("/account/password"));
        async move {
            u.post(url)
                .form(&[
                    ("csrf_token", csrf.as_str()),
                    ("current_password", temp.as_str()),
                    ("new_password", new),
                    ("confirm_password", confirm),
                ])
                .send()
                .await
                .unwrap()
        }
    };
    let r = change("short", "short").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("密码至少 12 个字符"));
    assert_eq!(change("信访室-保密员-2026", "信访室-保密员-2027").await.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = change("信访室-保密员-2026", "信访室-保密员-2026").await;
    assert_eq!(r.headers()["location"], "/account?done=password");
    assert_eq!(u.get(s.url("/ledger")).send().await.unwrap().status(), StatusCode::OK);
}

async fn personal_tokens_work_on_the_api_until_revoked(b: Backend) {
    let s = start(b).await;
    let (c, csrf) = s.sign_in("inspector").await;
    let r = c
        .post(s.url("/account/tokens"))
        .form(&[("csrf_token", csrf.as_str()), ("name", "统计脚本"), ("days", "30")])
        .send()
        .await
        .unwrap();
    let html = r.text().await.unwrap();
    let at = html.find("id=\"new-token\">").unwrap() + "id=\"new-token\">".len();
    let token = html[at..at + html[at..].find('<').unwrap()].to_owned();
    assert!(token.starts_with("qlt_"));
    let again = c.get(s.url("/account")).send().await.unwrap().text().await.unwrap();
    assert!(!again.contains(&token), "shown once only");
    let api = api_client();
    let me: Value = api.get(s.url("/api/v1/me")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    assert_eq!(me["username"], "inspector");
    let tokens = s
        .app
        .protection()
        .api_tokens(
            &s.app
                .protection()
                .login(
                    &app::Credentials { username: "inspector", password: DEMO_PW, otp: None, client: "127.0.0.1" },
                    app::LoginKind::Browser,
                )
                .await
                .unwrap(),
        )
        .await
        .unwrap();
    let id = tokens[0].id;
    let r = c
        .post(s.url(&format!("/account/tokens/{id}/revoke")))
        .form(&[("csrf_token", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        api.get(s.url("/api/v1/me")).bearer_auth(&token).send().await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
}

async fn custodian_reveals_with_a_reason_and_the_auditor_exports_it(b: Backend) {
    let s = start(b).await;
    let api = api_client();
    let insp = s.token("inspector").await;
    let unit = unit_id(&s, &insp, "RMYY1").await;
    let mut body = lead_body(unit, "<script>alert(1)</script>反映某某", "揭某");
    body["reporter"]["name"] = "实名举报人诸葛某".into();
    let lead: Value =
        api.post(s.url("/api/v1/leads")).bearer_auth(&insp).json(&body).send().await.unwrap().json().await.unwrap();
    let id = lead["id"].as_i64().unwrap();

    let (c, csrf) = s.sign_in("custodian").await;
    let page = c.get(s.url(&format!("/leads/{id}"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("已保护") && !page.contains("诸葛某") && page.contains("reveal-form"));
    let r = c
        .post(s.url(&format!("/leads/{id}/reveal")))
        .form(&[("csrf_token", csrf.as_str()), ("reason", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!r.text().await.unwrap().contains("诸葛某"));
    let r = c
        .post(s.url(&format!("/leads/{id}/reveal")))
        .form(&[("csrf_token", csrf.as_str()), ("reason", "向实名举报人反馈受理情况")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("实名举报人诸葛某"));
    let r = c
        .post(s.url(&format!("/leads/{id}/reveal")))
        .form(&[("csrf_token", csrf.as_str()), ("reason", "<i>再次核实</i>")])
        .send()
        .await
        .unwrap();
    assert!(!r.text().await.unwrap().contains("<i>再次核实</i>"), "escaped on the page");
    let (other, other_csrf) = s.sign_in("supervisor").await;
    let r = other
        .post(s.url(&format!("/leads/{id}/reveal")))
        .form(&[("csrf_token", other_csrf.as_str()), ("reason", "我也想看看举报人")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    let (aud, _) = s.sign_in("auditor").await;
    let trail = aud.get(s.url("/audit?action=reporter.reveal")).send().await.unwrap().text().await.unwrap();
    assert!(trail.contains("向实名举报人反馈受理情况") && trail.contains("custodian"));
    let verified = aud.get(s.url("/audit?verify=1")).send().await.unwrap().text().await.unwrap();
    assert!(verified.contains("完整"), "chain intact");
    let page = aud.get(s.url("/audit?action=reporter.reveal")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("&#60;i&#62;再次核实") && !page.contains("<i>再次核实"), "escaped on the audit page");
    let r = aud.get(s.url("/audit/export.xlsx?record_type=lead")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()["content-type"].to_str().unwrap().contains("spreadsheetml"));
    let bytes = r.bytes().await.unwrap().to_vec();
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let sheet = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&sheet).unwrap();
    let cells: Vec<String> = range
        .rows()
        .flat_map(|r| {
            r.iter().map(|c| match c {
                Data::String(s) => s.clone(),
                other => other.to_string(),
            })
        })
        .collect();
    assert!(cells.iter().any(|c| c == "查看举报人身份"), "the action in words");
    assert!(cells.iter().any(|c| c.starts_with("reporter.reveal lead ")), "and the stored codes beside it");
    assert!(cells.iter().any(|c| c == "向实名举报人反馈受理情况"));
    assert!(!cells.iter().any(|c| c.contains("反映某某")), "the auditor's export holds no lead content (三员分立)");
    assert!(cells.iter().any(|c| c == "<i>再次核实</i>"), "markup in a field is kept as plain text in the export");
    assert!(!cells.iter().any(|c| c.contains("诸葛某")), "the export holds no reporter identity");
    // The export itself is audited.
    let t = aud.get(s.url("/audit?action=audit.export")).send().await.unwrap().text().await.unwrap();
    assert!(t.contains("导出审计记录"));
    assert!(t.contains("条记录") && !t.contains(" rows"), "the count in words, not the stored text");
    // The demo's 分办 names the handlers, not their account ids.
    let assigned = aud.get(s.url("/audit?action=lead.assign")).send().await.unwrap().text().await.unwrap();
    assert!(assigned.contains("承办人：刘某某") && !assigned.contains("handlers: "), "{assigned}");

    let tls = start_with(b, true).await;
    let r = browser_client().get(tls.url("/login")).send().await.unwrap();
    assert!(r.headers()["strict-transport-security"].to_str().unwrap().contains("max-age="));
    assert!(r.headers()["set-cookie"].to_str().unwrap().contains("Secure"));
}

async fn the_second_factor_is_set_up_on_the_account_page(b: Backend) {
    let s = start(b).await;
    let (c, csrf) = s.sign_in("unithead").await;
    let page = c.get(s.url("/account")).send().await.unwrap().text().await.unwrap();
    let at = page.find("id=\"totp-secret\">").unwrap() + "id=\"totp-secret\">".len();
    let secret = page[at..at + page[at..].find('<').unwrap()].to_owned();
    let raw = app::unbase32(&secret).unwrap();
    let wrong = c
        .post(s.url("/account/totp"))
        .form(&[("csrf_token", csrf.as_str()), ("secret", secret.as_str()), ("code", "000000")])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let code = app::totp_code_at(&raw, time::OffsetDateTime::now_utc().unix_timestamp());
    let r = c
        .post(s.url("/account/totp"))
        .form(&[("csrf_token", csrf.as_str()), ("secret", secret.as_str()), ("code", code.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["location"], "/account?done=totp");
    // Now the password alone is not enough, on the page and on the API.
    let u = browser_client();
    let login = u.get(s.url("/login")).send().await.unwrap().text().await.unwrap();
    let pre = hidden_csrf(&login);
    let r = u
        .post(s.url("/login"))
        .form(&[("csrf_token", pre.as_str()), ("username", "unithead"), ("password", DEMO_PW)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let api = api_client();
    let r = api
        .post(s.url("/api/v1/auth/login"))
        .json(&serde_json::json!({"username": "unithead", "password": DEMO_PW}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let code = app::totp_code_at(&raw, time::OffsetDateTime::now_utc().unix_timestamp());
    let r = u
        .post(s.url("/login"))
        .form(&[("csrf_token", pre.as_str()), ("username", "unithead"), ("password", DEMO_PW), ("otp", code.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = api
        .post(s.url("/api/v1/auth/login"))
        .json(&serde_json::json!({"username": "unithead", "password": DEMO_PW, "otp": code}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
}

//! A form posted after the session ended by idling is not lost: it is kept, sealed, and comes
//! back to the same user after signing in again, once.

use reqwest::Client;
use store::Backend;

use crate::support::{DEMO_PW, Server, browser_client, hidden_csrf, start};

testkit::both!(a_form_posted_after_the_idle_timeout_comes_back_after_signing_in, a_kept_form_is_only_its_users);

/// Ages every session as if its user had been away for three hours.
async fn idle_for_three_hours(s: &Server) {
    let mut tx = s.app.db().begin_write().await.unwrap();
    sqlx::query("UPDATE sessions SET last_seen_at = last_seen_at - 10800000000").execute(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
}

/// Posts `fields` as the page would (with `csrf`) and returns the kept form's id from the
/// redirect to the login page.
async fn post_after_idling(s: &Server, c: &Client, path: &str, csrf: &str, fields: &[(&str, &str)]) -> String {
    let mut form = vec![("csrf_token", csrf)];
    form.extend_from_slice(fields);
    let r = c.post(s.url(path)).form(&form).send().await.unwrap();
    assert_eq!(r.status(), 303, "{path}: sent to sign in again, not an error page");
    let to = r.headers()["location"].to_str().unwrap().to_owned();
    to.strip_prefix("/login?resume=").unwrap_or_else(|| panic!("sent to {to}")).to_owned()
}

/// Signs in again through the login page that the redirect showed; returns where it sends.
async fn sign_in_again(s: &Server, c: &Client, username: &str, resume: &str) -> String {
    let page = c.get(s.url(&format!("/login?resume={resume}"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("已为您保留一小时"), "the login page says the form is kept");
    let pre = hidden_csrf(&page);
    let r = c
        .post(s.url("/login"))
        .form(&[("csrf_token", pre.as_str()), ("username", username), ("password", DEMO_PW), ("resume", resume)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    r.headers()["location"].to_str().unwrap().to_owned()
}

async fn a_form_posted_after_the_idle_timeout_comes_back_after_signing_in(b: Backend) {
    let s = start(b).await;
    let (c, csrf) = s.sign_in("inspector").await;
    let unit = s.actor("inspector").await.unit_id.to_string();
    let summary = "反映某科室违规收受医药代表回扣（闲置后提交）";
    let fields = [
        ("unit_id", unit.as_str()),
        ("source", "petition_report"),
        ("received_on", "2019-05-06"),
        ("category", "protective_umbrella"),
        ("responsible_leader", "张副院长"),
        ("responsible_person", "李某某"),
        ("summary", summary),
        ("subjects[0].name", "孙某某"),
        ("subjects[0].post", "科长"),
        ("reporter.kind", "signed"),
        ("reporter.name", "举报人丙"),
        ("reporter.contact", "13900000001"),
    ];
    idle_for_three_hours(&s).await;
    let id = post_after_idling(&s, &c, "/leads", &csrf, &fields).await;
    // The session is over and nothing was registered yet; the kept body is sealed.
    let r = c.get(s.url("/ledger")).send().await.unwrap();
    assert_eq!(r.headers()["location"], "/login");
    let mut conn = s.app.db().begin_write().await.unwrap();
    let bodies: Vec<String> = sqlx::query_scalar("SELECT body FROM kept_forms").fetch_all(&mut *conn).await.unwrap();
    drop(conn);
    assert_eq!(bodies.len(), 1);
    assert!(!bodies[0].contains("13900000001") && !bodies[0].contains("%E4%B8%BE"), "sealed, not in clear");

    let to = sign_in_again(&s, &c, "inspector", &id).await;
    assert_eq!(to, format!("/resume/{id}"));
    let page = c.get(s.url(&to)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("登记问题线索") && !page.contains("重新提交"), "the register form itself, to go on typing");
    for typed in [summary, "孙某某", "举报人丙", "13900000001"] {
        assert!(page.contains(typed), "the register form comes back with {typed}");
    }
    assert_eq!(c.get(s.url(&to)).send().await.unwrap().status(), 404, "a kept form is taken once");
    // Saving the form as it came back registers the lead.
    let mut again = vec![("csrf_token", hidden_csrf(&page))];
    again.extend(fields.iter().map(|(k, v)| (*k, v.to_string())));
    let r = c.post(s.url("/leads")).form(&again).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let lead = c.get(s.url(r.headers()["location"].to_str().unwrap())).send().await.unwrap().text().await.unwrap();
    assert!(lead.contains(summary));

    // Any other form is shown to be submitted again: here the account's e-mail.
    let csrf = hidden_csrf(&c.get(s.url("/account")).send().await.unwrap().text().await.unwrap());
    idle_for_three_hours(&s).await;
    let id = post_after_idling(&s, &c, "/account/email", &csrf, &[("email", "li.inspector@example.cn")]).await;
    let to = sign_in_again(&s, &c, "inspector", &id).await;
    let page = c.get(s.url(&to)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("li.inspector@example.cn") && page.contains(r#"action="/account/email""#));
    let r = c
        .post(s.url("/account/email"))
        .form(&[("csrf_token", hidden_csrf(&page).as_str()), ("email", "li.inspector@example.cn")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let account = c.get(s.url("/account")).send().await.unwrap().text().await.unwrap();
    assert!(account.contains("li.inspector@example.cn"), "submitted again, saved");
}

async fn a_kept_form_is_only_its_users(b: Backend) {
    let s = start(b).await;
    let (c, csrf) = s.sign_in("inspector").await;
    idle_for_three_hours(&s).await;
    // A forged post with the ended session's cookie but not its token keeps nothing.
    let r = c.post(s.url("/account/email")).form(&[("csrf_token", "0".repeat(64).as_str()), ("email", "x@example.cn")]);
    assert_eq!(r.send().await.unwrap().status(), 403);
    let id = post_after_idling(&s, &c, "/account/email", &csrf, &[("email", "li@example.cn")]).await;
    // Another account that learns the id cannot take it, and does not spoil it for its user.
    let other = browser_client();
    let to = sign_in_again(&s, &other, "inspector2", &id).await;
    assert_eq!(to, format!("/resume/{id}"));
    let r = other.get(s.url(&to)).send().await.unwrap();
    assert_eq!(r.status(), 404);
    assert!(!r.text().await.unwrap().contains("li@example.cn"));
    let to = sign_in_again(&s, &c, "inspector", &id).await;
    let page = c.get(s.url(&to)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("li@example.cn"));
    // A live session's posts are not kept: they are served.
    let csrf = hidden_csrf(&page);
    let r = c.post(s.url("/account/email")).form(&[("csrf_token", csrf.as_str()), ("email", "li@example.cn")]);
    assert_eq!(r.send().await.unwrap().headers()["location"], "/account?done=email");
}

//! Server-rendered pages over HTTP: CSRF, sessions, forms that keep input, escaping.

use store::Backend;

use crate::support::{DEMO_PW, browser_client, hidden_csrf, start};

testkit::both!(
    csrf_is_required_on_every_unsafe_page_request,
    register_form_keeps_input_and_escapes_markup,
    security_headers_and_error_pages,
    stale_edit_keeps_the_users_input,
    the_board_pages_through_a_province_of_units,
    admin_forms_keep_input_on_error,
    the_printed_ledger_states_its_filters_body_and_date,
    a_refused_deadline_rule_keeps_its_input,
);

/// A deadline rule sent wrong comes back as typed with the error under its field, named in
/// the summary; sent right, it is saved.
async fn a_refused_deadline_rule_keeps_its_input(b: Backend) {
    let s = start(b).await;
    let (c, csrf) = s.sign_in("supervisor").await;
    let form = |blue: &str| {
        vec![
            ("csrf_token", csrf.clone()),
            ("amount", "20".to_owned()),
            ("unit", "working_days".to_owned()),
            ("blue_at_percent", blue.to_owned()),
            ("yellow_working_days", "3".to_owned()),
        ]
    };
    let r = c.post(s.url("/deadlines/rules/verification")).form(&form("150")).send().await.unwrap();
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("href=\"#rule-verification-blue_at_percent\">蓝色预警（已用时%）："), "named in the summary");
    assert!(page.contains("name=\"blue_at_percent\" value=\"150\""), "kept as typed");
    let r = c.post(s.url("/deadlines/rules/verification")).form(&form("60")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let rule = s.app.lifecycle().deadline_rules().iter().find(|r| r.code.code() == "verification").cloned().unwrap();
    assert_eq!(rule.blue_at_percent, 60);
}

/// Printed, the ledger says what it holds: its filters in words, the issuing body and when.
async fn the_printed_ledger_states_its_filters_body_and_date(b: Backend) {
    let s = start(b).await;
    let (c, _) = s.sign_in("inspector").await;
    let page = c.get(s.url("/ledger?overdue=true&q=%E8%B5%B5")).send().await.unwrap().text().await.unwrap();
    let head = &page[page.find("id=\"print-head\"").expect("a print heading")..];
    let head = &head[..head.find("</div>").unwrap()];
    assert!(head.contains("筛选条件：仅逾期未办结；关键词：赵"), "{head}");
    let today = domain::dates::format_date(s.app.today());
    assert!(head.contains("市第一人民医院 · 打印于 ") && head.contains(&today), "{head}");
    let all = c.get(s.url("/ledger")).send().await.unwrap().text().await.unwrap();
    assert!(all.contains("全部线索（未筛选）"));
}

/// A refused unit or account comes back with what was typed (never the password) and the
/// choices made, so the administrator corrects instead of starting again.
async fn admin_forms_keep_input_on_error(b: Backend) {
    let s = start(b).await;
    let (c, csrf) = s.sign_in("sysadmin").await;
    let units = s.app.ledger().unit_tree(&s.actor("sysadmin").await).await.unwrap();
    let second = units.iter().find(|u| u.code.as_str() == "RMYY2").unwrap().id.to_string();
    let r = c
        .post(s.url("/admin/accounts"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("username", "new-clerk"),
            ("display_name", "新录入员甲"),
            ("unit_id", second.as_str()),
            ("password", "short"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains(r#"value="new-clerk""#) && page.contains(r#"value="新录入员甲""#), "typed values kept");
    assert!(page.contains(&format!(r#"<option value="{second}" selected>"#)), "the unit chosen stays chosen");
    assert!(!page.contains(r#"value="short""#), "the password is not sent back");
    let r = c
        .post(s.url("/admin/units"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("code", "RMYY2"),
            ("name", "重复编码的单位"),
            ("kind", "school"),
            ("parent", second.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422, "the code is taken");
    let page = r.text().await.unwrap();
    assert!(page.contains(r#"value="RMYY2""#) && page.contains(r#"value="重复编码的单位""#));
    assert!(page.contains(r#"<option value="school" selected>"#), "the kind chosen stays chosen");
}

async fn csrf_is_required_on_every_unsafe_page_request(b: Backend) {
    let s = start(b).await;
    let c = browser_client();
    let page = c.get(s.url("/login")).send().await.unwrap().text().await.unwrap();
    let pre = hidden_csrf(&page);
    let creds = [("username", "inspector"), ("password", "qingling-demo")];
    // No token, and a forged one: refused before the password is even looked at.
    let r = c.post(s.url("/login")).form(&creds).send().await.unwrap();
    assert_eq!(r.status(), 403);
    let forged = "0".repeat(64);
    let r = c.post(s.url("/login")).form(&[("csrf_token", forged.as_str()), creds[0], creds[1]]).send().await.unwrap();
    assert_eq!(r.status(), 403);
    assert!(r.text().await.unwrap().contains("请求编号"), "error pages carry the request id");
    // A client without the pre-session cookie cannot replay someone else's token.
    let stranger = browser_client();
    let r =
        stranger.post(s.url("/login")).form(&[("csrf_token", pre.as_str()), creds[0], creds[1]]).send().await.unwrap();
    assert_eq!(r.status(), 403);
    let r = c.post(s.url("/login")).form(&[("csrf_token", pre.as_str()), creds[0], creds[1]]).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let set_cookie = r.headers().get("set-cookie").unwrap().to_str().unwrap().to_owned();
    assert!(set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"));
    let ledger = c.get(s.url("/ledger")).send().await.unwrap().text().await.unwrap();
    let csrf = hidden_csrf(&ledger);
    assert_ne!(csrf, pre, "the session has its own token");
    // Signed in: the pre-session token no longer works, the session's does.
    let form = [("summary", "x")];
    let r = c.post(s.url("/leads")).form(&[("csrf_token", pre.as_str()), form[0]]).send().await.unwrap();
    assert_eq!(r.status(), 403);
    let r = c.post(s.url("/leads")).form(&[("csrf_token", csrf.as_str()), form[0]]).send().await.unwrap();
    assert_eq!(r.status(), 422, "passes CSRF, then fails validation");
    let r = c.post(s.url("/leads")).header("x-csrf-token", &csrf).form(&form).send().await.unwrap();
    assert_eq!(r.status(), 422, "the header works too");
    // Logout is an unsafe method as well.
    assert_eq!(c.post(s.url("/logout")).send().await.unwrap().status(), 403);
    let r = c.post(s.url("/logout")).form(&[("csrf_token", csrf.as_str())]).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let r = c.get(s.url("/ledger")).send().await.unwrap();
    assert_eq!((r.status().as_u16(), r.headers()["location"].to_str().unwrap()), (303, "/login"));
}

async fn register_form_keeps_input_and_escapes_markup(b: Backend) {
    let s = start(b).await;
    let (c, csrf) = s.sign_in("inspector").await;
    let form = c.get(s.url("/leads/new")).send().await.unwrap().text().await.unwrap();
    assert!(form.contains("登记问题线索"));
    let unit_marker = "<option value=\"";
    let unit = {
        let start = form.find("id=\"unit_id\"").unwrap();
        let rest = &form[start..];
        let o = rest.find(unit_marker).unwrap() + unit_marker.len();
        let o2 = rest[o..].find(unit_marker).unwrap() + o + unit_marker.len();
        rest[o2..o2 + rest[o2..].find('"').unwrap()].to_owned()
    };
    let xss = "<script>alert('x')</script>反映郑某某";
    // Missing category and a future date: refused, everything typed comes back.
    let r = c
        .post(s.url("/leads"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("unit_id", unit.as_str()),
            ("source", "petition_report"),
            ("received_on", "2999-01-01"),
            ("summary", xss),
            ("subjects[0].name", "郑某某"),
            ("subjects[0].post", "副院长"),
            ("reporter.kind", "signed"),
            ("reporter.name", "冯某"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("受理日期不能晚于今天"));
    assert!(html.contains("此项必填"));
    assert!(html.contains("value=\"郑某某\"") && html.contains("value=\"副院长\"") && html.contains("value=\"冯某\""));
    assert!(
        html.contains("&#60;script&#62;alert(") && !html.contains("<script>alert"),
        "typed markup is kept, escaped"
    );
    let r = c
        .post(s.url("/leads"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("unit_id", unit.as_str()),
            ("source", "petition_report"),
            ("received_on", "2019-03-04"),
            ("category", "protective_umbrella"),
            ("responsible_leader", "张副院长"),
            ("responsible_person", "李某某"),
            ("summary", xss),
            ("subjects[0].name", "郑某某"),
            ("important", "on"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let to = r.headers()["location"].to_str().unwrap().to_owned();
    let detail = c.get(s.url(&to)).send().await.unwrap().text().await.unwrap();
    assert!(detail.contains("线索已登记"));
    assert!(detail.contains("&#60;script&#62;alert(") && !detail.contains("<script>alert"));
    let ledger = c.get(s.url("/ledger?q=%E9%83%91%E6%9F%90%E6%9F%90")).send().await.unwrap().text().await.unwrap();
    assert!(ledger.contains("<strong>1</strong>"), "found by subject name");
    assert!(!ledger.contains("<script>alert"));
}

async fn security_headers_and_error_pages(b: Backend) {
    let s = start(b).await;
    let c = browser_client();
    let r = c.get(s.url("/login")).send().await.unwrap();
    let h = r.headers();
    assert!(h["content-security-policy"].to_str().unwrap().contains("script-src 'self'"));
    assert_eq!(h["x-frame-options"], "DENY");
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["referrer-policy"], "no-referrer");
    assert_eq!(h["x-request-id"].to_str().unwrap().len(), 16);
    let (c, _) = s.sign_in("inspector2").await;
    let r = c.get(s.url("/leads/987654")).send().await.unwrap();
    assert_eq!(r.status(), 404);
    let body = r.text().await.unwrap();
    assert!(body.contains("未找到该记录") && body.contains("request-id"));
    let r = c.get(s.url("/no/such/page")).send().await.unwrap();
    assert_eq!(r.status(), 404);
    let r = c.get(s.url("/leads/abc")).send().await.unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("request-id"));
    // The English switch: same page, English words, and only local redirects.
    let r = c.get(s.url("/lang/en?next=%2Fledger")).send().await.unwrap();
    assert_eq!(r.headers()["location"], "/ledger");
    let page = c.get(s.url("/ledger")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Problem-lead ledger") && page.contains("lang=\"en\""));
    let r = c.get(s.url("/lang/en?next=%2F%2Fevil.example")).send().await.unwrap();
    assert_eq!(r.headers()["location"], "/");
    // The unit head reads the ledger but may not open the register form.
    let (head, _) = s.sign_in("unithead").await;
    assert_eq!(head.get(s.url("/ledger")).send().await.unwrap().status(), 200);
    assert_eq!(head.get(s.url("/leads/new")).send().await.unwrap().status(), 403);
}

async fn stale_edit_keeps_the_users_input(b: Backend) {
    let s = start(b).await;
    let (alice, a_csrf) = s.sign_in("inspector").await;
    let (bob, b_csrf) = s.sign_in("supervisor").await;
    let ledger = alice.get(s.url("/ledger?per_page=1&sort=number_asc")).send().await.unwrap().text().await.unwrap();
    let body = &ledger[ledger.find("<tbody>").unwrap()..];
    let at = body.find("href=\"/leads/").unwrap() + "href=\"/leads/".len();
    let id: i64 = body[at..at + body[at..].find('"').unwrap()].parse().unwrap();
    let edit_a = alice.get(s.url(&format!("/leads/{id}/edit"))).send().await.unwrap().text().await.unwrap();
    let edit_b = bob.get(s.url(&format!("/leads/{id}/edit"))).send().await.unwrap().text().await.unwrap();
    let form_pairs = |html: &str, csrf: &str, summary: &str| -> Vec<(String, String)> {
        let mut pairs = vec![("csrf_token".to_string(), csrf.to_string())];
        for name in
            ["unit_id", "source", "received_on", "category", "version", "responsible_leader", "responsible_person"]
        {
            pairs.push((name.into(), field_value(html, name)));
        }
        pairs.push(("summary".into(), summary.into()));
        pairs.push(("subjects[0].name".into(), "改后对象".into()));
        pairs
    };
    let r = bob
        .post(s.url(&format!("/leads/{id}")))
        .form(&form_pairs(&edit_b, &b_csrf, "监督员先保存"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let r = alice
        .post(s.url(&format!("/leads/{id}")))
        .form(&form_pairs(&edit_a, &a_csrf, "检查员后保存的内容"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    let html = r.text().await.unwrap();
    assert!(html.contains("已被他人修改"));
    assert!(html.contains("检查员后保存的内容"), "the loser's input is kept");
    let current = alice.get(s.url(&format!("/leads/{id}"))).send().await.unwrap().text().await.unwrap();
    assert!(current.contains("监督员先保存") && !current.contains("检查员后保存的内容"));
}

/// The submitted value of a form control: an input's value or a select's selected option.
fn field_value(html: &str, name: &str) -> String {
    let tag_at = html.find(&format!("name=\"{name}\"")).unwrap_or_else(|| panic!("no field {name}"));
    let open = html[..tag_at].rfind('<').unwrap();
    if html[open..].starts_with("<select") {
        let sel = html[tag_at..].find(" selected").unwrap() + tag_at;
        let v = html[..sel].rfind("value=\"").unwrap() + 7;
        return html[v..v + html[v..].find('"').unwrap()].to_owned();
    }
    let end = html[tag_at..].find('>').unwrap() + tag_at;
    let tag = &html[open..end];
    let v = tag.find("value=\"").map(|i| i + 7).unwrap();
    tag[v..v + tag[v..].find('"').unwrap()].to_owned()
}

/// Past 100 units the board shows a page at a time, lagging units first, with links to the
/// other pages and totals over all units on every page.
async fn the_board_pages_through_a_province_of_units(b: Backend) {
    let s = start(b).await;
    let committee = {
        let mut c = s.app.db().read().await.unwrap();
        store::ledger::units::by_code(&mut c, "ZWJ").await.unwrap().unwrap().id
    };
    s.app
        .protection()
        .create_account(&app::NewAccount {
            username: "registrar",
            display_name: "登记员",
            unit: committee,
            password: DEMO_PW,
            must_change_password: false,
            real_name: "",
            id_number: "",
            roles: &[(domain::protection::role::Role::Inspector, committee)],
        })
        .await
        .unwrap();
    let keeper = s.actor("registrar").await.ledger_keeper().unwrap();
    for i in 0..60 {
        let unit = s
            .app
            .protection()
            .create_unit(
                &format!("WSY{i:02}"),
                &format!("卫生院{i:02}"),
                domain::ledger::unit::UnitKind::Hospital,
                Some(committee),
            )
            .await
            .unwrap();
        let lead = domain::ledger::lead::LeadInput {
            unit_id: unit.to_string(),
            source: "petition_report".into(),
            received_on: "2019-05-06".into(),
            category: "protective_umbrella".into(),
            responsible_leader: "张副院长".into(),
            responsible_person: "李某某".into(),
            summary: format!("卫生院{i:02}的线索"),
            subjects: vec![domain::ledger::subject::SubjectInput { name: "某某".into(), ..Default::default() }],
            ..Default::default()
        };
        s.app.ledger().register(&keeper, &lead).await.unwrap().into_visible().unwrap();
    }
    let (c, _) = s.sign_in("supervisor").await;
    let first = c.get(s.url("/board")).send().await.unwrap().text().await.unwrap();
    let rows = |html: &str| html[html.find("<tbody>").unwrap()..html.find("</tbody>").unwrap()].matches("<tr>").count();
    assert_eq!(rows(&first), 100, "a page of 100 units");
    assert!(first.contains("1 / 2 页"), "where the user is");
    let campaign = s.app.supervision().clearance_board(&s.actor("supervisor").await, 1).await.unwrap().campaign_id;
    let link = |page: u32| format!("href=\"/board?campaign={campaign}&#38;sort=lagging&#38;page={page}\"");
    assert!(first.contains(&format!("{} rel=\"next\"", link(2))), "and the way on, in the same campaign");
    let second = c.get(s.url("/board?page=2")).send().await.unwrap().text().await.unwrap();
    assert!(second.contains(&format!("{} rel=\"prev\"", link(1))));
    let units = s.app.supervision().clearance_board(&s.actor("supervisor").await, 1).await.unwrap().units;
    assert!(units > 100);
    assert_eq!(rows(&second) as i64, units - 100, "the remaining units");
    let total = |html: &str| html[html.find("<tfoot>").unwrap()..html.find("</tfoot>").unwrap()].to_owned();
    assert_eq!(total(&first), total(&second), "totals over all units on every page");
    let odd = c.get(s.url("/board?page=abc")).send().await.unwrap();
    assert_eq!(odd.status(), 200);
    assert!(odd.text().await.unwrap().contains("1 / 2 页"), "anything but a page number shows the first page");
}

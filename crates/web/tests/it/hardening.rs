//! The findings of the outside probe (issue 10), each tried for real over HTTP.

use reqwest::StatusCode;
use serde_json::{Value, json};
use store::Backend;

use crate::support::{DEMO_PW, Server, api_client, lead_body, start, start_behind_proxy, unit_id};

testkit::both!(
    sign_in_answers_the_same_for_real_and_unknown_names,
    crafted_and_invisible_input_is_refused_with_field_errors,
    a_panicking_handler_answers_500_with_a_request_id,
    messages_on_the_lead_page_cannot_be_set_by_a_link,
    a_lead_naming_the_inspector_is_kept_from_them_over_the_api,
);

async fn sign_in_from(s: &Server, username: &str, password: &str, client: &str) -> (StatusCode, Value) {
    let r = api_client()
        .post(s.url("/api/v1/auth/login"))
        .header("x-forwarded-for", client)
        .json(&json!({"username": username, "password": password}))
        .send()
        .await
        .unwrap();
    let status = r.status();
    let mut body: Value = r.json().await.unwrap();
    body.as_object_mut().unwrap().remove("request_id");
    (status, body)
}

async fn sign_in_answers_the_same_for_real_and_unknown_names(b: Backend) {
    let s = start_behind_proxy(b).await;
    // The committee head's account and a name nobody has, each guessed from its own address.
    for attempt in 1..=20 {
        let real = sign_in_from(&s, "chief", "wrong-password-x", "198.51.100.7").await;
        let unknown = sign_in_from(&s, "no-such-chief", "wrong-password-x", "198.51.100.8").await;
        assert_eq!(real, unknown, "attempt {attempt}: the answers tell the names apart");
        let want = if attempt < 5 { StatusCode::UNAUTHORIZED } else { StatusCode::TOO_MANY_REQUESTS };
        assert_eq!(real.0, want, "attempt {attempt}");
    }
    // The guesser has not locked the committee head out: from the head's own machine the
    // right password works.
    let (status, _) = sign_in_from(&s, "chief", DEMO_PW, "198.51.100.20").await;
    assert_eq!(status, StatusCode::OK, "no account denial of service");
    // From the guessing address it stays held back, even with the right password.
    let (status, _) = sign_in_from(&s, "chief", DEMO_PW, "198.51.100.7").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    // The security administrator sees the attempts and unlocks.
    let sec = s.actor("secadmin").await;
    let accounts = s.app.protection().admin_accounts(&sec).await.unwrap();
    let head = accounts.iter().find(|a| a.username == "chief").unwrap();
    assert!(head.locked && head.failed_sign_ins >= 5, "{} failures", head.failed_sign_ins);
    let cap = sec.grant_admin().unwrap();
    s.app.protection().admin_unlock(&cap, head.id).await.unwrap();
    let (status, _) = sign_in_from(&s, "chief", DEMO_PW, "198.51.100.7").await;
    assert_eq!(status, StatusCode::OK, "unlocked");
}

async fn post_lead(s: &Server, token: &str, body: &Value) -> (StatusCode, Value) {
    let r = api_client().post(s.url("/api/v1/leads")).bearer_auth(token).json(body).send().await.unwrap();
    (r.status(), r.json().await.unwrap_or(Value::Null))
}

fn field_codes(body: &Value) -> Vec<(String, String)> {
    body["fields"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|f| (f["field"].as_str().unwrap().to_owned(), f["code"].as_str().unwrap().to_owned()))
                .collect()
        })
        .unwrap_or_default()
}

async fn crafted_and_invisible_input_is_refused_with_field_errors(b: Backend) {
    let s = start(b).await;
    let token = s.token("inspector").await;
    let unit = unit_id(&s, &token, "RMYY1").await;
    // An ID number of 18 bytes whose 17th byte falls inside a character.
    let mut body = lead_body(unit, "反映某某收受回扣", "钱某");
    body["subjects"][0]["id_number"] = json!("1234567890123456é");
    let (status, answer) = post_lead(&s, &token, &body).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert_eq!(field_codes(&answer), [("subjects[0].id_number".to_owned(), "invalid_id_number".to_owned())]);
    // Invisible and deceptive characters, and a line break in a name.
    for (name, code) in [
        ("钱某\u{202E}", "invalid_characters"),
        ("\u{200B}\u{200B}", "invalid_characters"),
        ("\u{FEFF}钱某", "invalid_characters"),
        ("钱\u{200D}某", "invalid_characters"),
        ("钱某\r\n孙某", "line_break"),
    ] {
        let (status, answer) = post_lead(&s, &token, &lead_body(unit, "反映某某收受回扣", name)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{name:?}");
        assert_eq!(field_codes(&answer), [("subjects[0].name".to_owned(), code.to_owned())], "{name:?}");
    }
    // Loose dates.
    for (field, value, code) in [
        ("received_on", "+2019-05-06", "invalid_date"),
        ("received_on", "1989-05-06", "too_early"),
        ("deadline", "9999-12-31", "too_far"),
    ] {
        let mut body = lead_body(unit, "反映某某收受回扣", "钱某");
        body[field] = json!(value);
        let (status, answer) = post_lead(&s, &token, &body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{field} {value}");
        assert_eq!(field_codes(&answer), [(field.to_owned(), code.to_owned())]);
    }
    // The same lead twice in a meeting's items: a field error, not a server error.
    let leads: Value = api_client()
        .get(s.url("/api/v1/leads?page_size=1"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let number = leads["items"][0]["number"].as_str().unwrap().to_owned();
    let r = api_client()
        .post(s.url("/api/v1/meetings"))
        .bearer_auth(&token)
        .json(&json!({"held_on": "2019-11-20", "title": "研判会", "attendees": "李某",
            "items": format!("{number}：初步核实\n{number}：谈话函询")}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field_codes(&r.json().await.unwrap()), [("items".to_owned(), "repeated_item".to_owned())]);

    // Forms: invalid UTF-8 is refused with a page, and a subject row no form produces is
    // an error, never dropped.
    let (c, csrf) = s.sign_in("inspector").await;
    let raw = format!(
        "csrf_token={csrf}&unit_id={unit}&source=petition_report&received_on=2019-05-06&category=protective_umbrella\
         &responsible_leader=%E5%BC%A0&responsible_person=%E6%9D%8E&summary=%E5%8F%8D%E6%98%A0&subjects%5B0%5D.name=%E9%92%B1%E6"
    );
    let r = c
        .post(s.url("/leads"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(raw)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(r.text().await.unwrap().contains("请求格式不正确"));
    let unit = unit.to_string();
    let form = [
        ("csrf_token", csrf.as_str()),
        ("unit_id", unit.as_str()),
        ("source", "petition_report"),
        ("received_on", "2019-05-06"),
        ("category", "protective_umbrella"),
        ("responsible_leader", "张副院长"),
        ("responsible_person", "李某某"),
        ("summary", "反映某某收受回扣（第二名被反映人行号异常）"),
        ("subjects[0].name", "钱某"),
        ("subjects[1000000].name", "孙某"),
    ];
    let r = c.post(s.url("/leads")).form(&form).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(page.contains("被反映人行号 1000000 无效"), "the error is shown");
    let listed: Value = api_client()
        .get(s.url("/api/v1/leads?q=%E8%A1%8C%E5%8F%B7%E5%BC%82%E5%B8%B8"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed["total"], 0, "nothing registered without the second subject");
}

async fn a_panicking_handler_answers_500_with_a_request_id(b: Backend) {
    let s = start(b).await;
    let state = web::AppState::new(s.app.clone(), false);
    async fn boom() -> &'static str {
        panic!("a handler bug")
    }
    let routes = axum::Router::<web::AppState>::new()
        .route("/boom", axum::routing::get(boom))
        .route("/api/v1/boom", axum::routing::get(boom));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = web::with_layers(routes, state);
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    let r = api_client().get(format!("{base}/boom")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let id = r.headers()["x-request-id"].to_str().unwrap().to_owned();
    let page = r.text().await.unwrap();
    assert!(page.contains(&id), "the page shows the request id");
    assert!(!page.contains("a handler bug"), "the panic message is logged, not shown");
    let r = api_client().get(format!("{base}/api/v1/boom")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let id = r.headers()["x-request-id"].to_str().unwrap().to_owned();
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["request_id"], id.as_str());
    task.abort();
}

async fn messages_on_the_lead_page_cannot_be_set_by_a_link(b: Backend) {
    let s = start(b).await;
    let token = s.token("inspector").await;
    let unit = unit_id(&s, &token, "RMYY1").await;
    let (_, lead) = post_lead(&s, &token, &lead_body(unit, "反映某某收受回扣", "钱某")).await;
    let id = lead["id"].as_i64().unwrap();
    let (c, csrf) = s.sign_in("inspector").await;
    let bait = "系统升级，请将密码发送至 evil@example.com";
    for key in ["done", "step_error"] {
        let page =
            c.get(s.url(&format!("/leads/{id}?{key}={}", urlencode(bait)))).send().await.unwrap().text().await.unwrap();
        assert!(!page.contains("evil@example.com"), "?{key}= text is not shown");
    }
    // A real refusal is shown on the response itself (the form as typed, 422), never carried
    // in the URL; a plain reload shows nothing.
    let r = c
        .post(s.url(&format!("/leads/{id}/steps")))
        .form(&[("csrf_token", csrf.as_str()), ("step", "no_such_step"), ("note", "我输入的说明")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert!(r.headers().get("location").is_none(), "no message in the URL");
    let first = r.text().await.unwrap();
    assert!(first.contains("class=\"alert error error-summary\""), "the refusal is shown");
    let again = c.get(s.url(&format!("/leads/{id}"))).send().await.unwrap().text().await.unwrap();
    assert!(!again.contains("error-summary"), "once");
}

fn urlencode(s: &str) -> String {
    s.bytes().map(|b| format!("%{b:02X}")).collect()
}

/// The demo's report about its own inspector 李某（纪检监察室）, written 「李某」 at 市第一人民医院,
/// over the API: kept from the inspector in lists and by id, shown to the supervising office
/// with whom it is kept from, and released when the office finds it is someone else.
async fn a_lead_naming_the_inspector_is_kept_from_them_over_the_api(b: Backend) {
    let s = start(b).await;
    let (insp, sup) = (s.token("inspector").await, s.token("supervisor").await);
    let get = |token: String, path: String| {
        let url = s.url(&path);
        async move {
            let r = api_client().get(url).bearer_auth(token).send().await.unwrap();
            (r.status(), r.json::<Value>().await.unwrap_or(Value::Null))
        }
    };
    let q = "/api/v1/leads?q=%E5%8E%8B%E4%BB%B6%E4%B8%8D%E5%8A%9E".to_owned(); // 压件不办
    let (_, listed) = get(sup.clone(), q.clone()).await;
    assert_eq!(listed["total"], 1);
    let id = listed["items"][0]["id"].as_i64().unwrap();
    let (_, mine) = get(insp.clone(), q.clone()).await;
    assert_eq!(mine["total"], 0, "not in the inspector's list");
    for path in
        [format!("/api/v1/leads/{id}"), format!("/api/v1/leads/{id}/dossier"), format!("/api/v1/leads/{id}/timeline")]
    {
        assert_eq!(get(insp.clone(), path.clone()).await.0, StatusCode::NOT_FOUND, "{path}");
    }
    let (_, dossier) = get(sup.clone(), format!("/api/v1/leads/{id}/dossier")).await;
    let kept_from = &dossier["recusals"][0];
    assert_eq!(kept_from["display_name"], "李某（纪检监察室）");
    assert_eq!(kept_from["basis"], "person", "the registry took 李某 of 市第一人民医院 for the account holder");
    assert_eq!(dossier["permissions"]["may_clear_recusals"], true);
    let clear = |token: String, reason: &'static str| {
        let (url, user) = (s.url(&format!("/api/v1/leads/{id}/recusal-clearances")), kept_from["user_id"].clone());
        async move {
            api_client()
                .post(url)
                .bearer_auth(token)
                .json(&json!({"user_id": user, "reason": reason}))
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(clear(insp.clone(), "本人不是").await, StatusCode::FORBIDDEN, "not the inspector's to decide");
    assert_eq!(clear(sup.clone(), "经核实为药剂科同名职工").await, StatusCode::NO_CONTENT);
    assert_eq!(get(insp, format!("/api/v1/leads/{id}")).await.0, StatusCode::OK, "released");
}

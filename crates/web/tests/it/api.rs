//! The JSON API, black-box.

use serde_json::{Value, json};
use store::Backend;

use crate::support::{api_client, lead_body, start, unit_id};

testkit::both!(
    api_lists_registers_and_reads_within_scope,
    api_refuses_bad_input_and_stale_versions,
    api_errors_are_uniform_json,
);

async fn api_lists_registers_and_reads_within_scope(b: Backend) {
    let s = start(b).await;
    let c = api_client();
    let insp = s.token("inspector").await;
    let page: Value =
        c.get(s.url("/api/v1/leads?per_page=10")).bearer_auth(&insp).send().await.unwrap().json().await.unwrap();
    let total = page["total"].as_i64().unwrap();
    assert!(total > 0);
    assert_eq!(page["items"].as_array().unwrap().len(), 10.min(total as usize));
    assert!(
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["id"].is_i64() && i["number"].as_str().unwrap().starts_with("RMYY1"))
    );

    let unit = unit_id(&s, &insp, "RMYY1").await;
    let r = c
        .post(s.url("/api/v1/leads"))
        .bearer_auth(&insp)
        .json(&lead_body(unit, "接口登记：反映钱某某收受回扣", "钱某某"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let lead: Value = r.json().await.unwrap();
    let id = lead["id"].as_i64().unwrap();
    assert!(lead["number"].as_str().unwrap().starts_with("RMYY1-"));
    assert_eq!(lead["reporter"]["kind"], "signed");
    assert!(lead["reporter"]["name"].is_null(), "identity is sealed, even from the inspector who typed it");
    assert_eq!(lead["subjects"][0]["name"], "钱某某");

    // Found by keyword, by the supervisor too.
    let sup = s.token("supervisor").await;
    let found: Value =
        c.get(s.url("/api/v1/leads?q=钱某某")).bearer_auth(&sup).send().await.unwrap().json().await.unwrap();
    assert_eq!(found["total"], 1);
    assert_eq!(found["items"][0]["id"], id);
    // Each list call is one line in the audit trail, with its filters and count, however
    // many leads it returned.
    let auditor = s.actor("auditor").await.audit_reader().unwrap();
    let listed = |auditor: app::AuditReader| {
        let s = &s;
        async move {
            let q = app::AuditQuery { action: "lead.list".into(), ..Default::default() };
            s.app.protection().audit_entries(&auditor, &q).await.unwrap().entries
        }
    };
    let before = listed(auditor.clone()).await.len();
    let big: Value =
        c.get(s.url("/api/v1/leads?per_page=100")).bearer_auth(&sup).send().await.unwrap().json().await.unwrap();
    assert_eq!(big["items"].as_array().unwrap().len(), 100);
    let after = listed(auditor.clone()).await;
    assert_eq!(after.len(), before + 1, "one entry for a page of 100");
    let search =
        after.iter().find(|e| e.detail.as_deref().unwrap_or("").contains("钱某某")).expect("the search is recorded");
    assert_eq!(search.actor_name, "supervisor");
    let detail: Value = serde_json::from_str(search.detail.as_deref().unwrap()).unwrap();
    assert_eq!((detail["filters"]["q"].as_str(), detail["total"].as_i64()), (Some("钱某某"), Some(1)));

    // Another hospital's inspector: 404, byte-for-byte the answer for a lead that does not exist.
    let other = s.token("inspector2").await;
    let hidden = c.get(s.url(&format!("/api/v1/leads/{id}"))).bearer_auth(&other).send().await.unwrap();
    assert_eq!(hidden.status(), 404);
    let hidden: Value = hidden.json().await.unwrap();
    let missing: Value =
        c.get(s.url("/api/v1/leads/987654321")).bearer_auth(&other).send().await.unwrap().json().await.unwrap();
    assert_eq!(
        (hidden["code"].clone(), hidden["message"].clone()),
        (missing["code"].clone(), missing["message"].clone())
    );
    // And cannot change it either.
    let mut body = lead_body(unit, "篡改", "钱某某");
    body["version"] = json!(1);
    let r = c.put(s.url(&format!("/api/v1/leads/{id}"))).bearer_auth(&other).json(&body).send().await.unwrap();
    assert_eq!(r.status(), 404);
    // Administrators read no lead content.
    let admin = s.token("sysadmin").await;
    let r = c.get(s.url("/api/v1/leads")).bearer_auth(&admin).send().await.unwrap();
    assert_eq!(r.status(), 403);
    // The unit head reads, but sees the reporter only as "signed".
    let head = s.token("unithead").await;
    let seen: Value =
        c.get(s.url(&format!("/api/v1/leads/{id}"))).bearer_auth(&head).send().await.unwrap().json().await.unwrap();
    assert_eq!(seen["reporter"]["kind"], "signed");
    assert!(seen["reporter"]["name"].is_null());
    // Me and logout.
    let me: Value = c.get(s.url("/api/v1/me")).bearer_auth(&insp).send().await.unwrap().json().await.unwrap();
    assert_eq!(me["username"], "inspector");
    assert_eq!(me["grants"][0]["role"], "inspector");
    assert_eq!(c.post(s.url("/api/v1/auth/logout")).bearer_auth(&insp).send().await.unwrap().status(), 204);
    assert_eq!(c.get(s.url("/api/v1/me")).bearer_auth(&insp).send().await.unwrap().status(), 401);
}

async fn api_refuses_bad_input_and_stale_versions(b: Backend) {
    let s = start(b).await;
    let c = api_client();
    let insp = s.token("inspector").await;
    let unit = unit_id(&s, &insp, "RMYY1").await;
    let before: Value =
        c.get(s.url("/api/v1/leads?per_page=1")).bearer_auth(&insp).send().await.unwrap().json().await.unwrap();

    let mut bad = lead_body(unit, "", "");
    bad["received_on"] = json!("2019-02-30");
    bad["source"] = json!("rumour");
    let r = c.post(s.url("/api/v1/leads")).bearer_auth(&insp).json(&bad).send().await.unwrap();
    assert_eq!(r.status(), 422);
    let e: Value = r.json().await.unwrap();
    assert_eq!(e["code"], "invalid_input");
    let fields: Vec<&str> = e["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    for f in ["source", "received_on", "summary", "subjects[0].name"] {
        assert!(fields.contains(&f), "{f} missing in {fields:?}");
    }
    assert!(e["fields"][0]["message"].as_str().unwrap().chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)));
    assert!(!e["fields"][0]["message_en"].as_str().unwrap().is_empty());

    let mut future = lead_body(unit, "未来日期", "某某");
    future["received_on"] = json!("2999-01-01");
    let e: Value =
        c.post(s.url("/api/v1/leads")).bearer_auth(&insp).json(&future).send().await.unwrap().json().await.unwrap();
    assert_eq!(e["fields"][0]["code"], "future_date");

    let unknown_unit = lead_body(99_999, "未知单位", "某某");
    let e: Value = c
        .post(s.url("/api/v1/leads"))
        .bearer_auth(&insp)
        .json(&unknown_unit)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(e["fields"][0]["code"], "unknown_unit");

    let mut huge = lead_body(unit, &"长".repeat(4001), "某某");
    huge["subjects"][0]["name"] = json!("名".repeat(61));
    let e: Value =
        c.post(s.url("/api/v1/leads")).bearer_auth(&insp).json(&huge).send().await.unwrap().json().await.unwrap();
    let codes: Vec<&str> = e["fields"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["too_long", "too_long"]);

    let after: Value =
        c.get(s.url("/api/v1/leads?per_page=1")).bearer_auth(&insp).send().await.unwrap().json().await.unwrap();
    assert_eq!(before["total"], after["total"], "refused input wrote nothing");

    // Optimistic locking.
    let lead: Value = c
        .post(s.url("/api/v1/leads"))
        .bearer_auth(&insp)
        .json(&lead_body(unit, "原文", "孙某"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = lead["id"].as_i64().unwrap();
    let mut edit = lead_body(unit, "第一次修改", "孙某");
    edit["version"] = json!(1);
    let r = c.put(s.url(&format!("/api/v1/leads/{id}"))).bearer_auth(&insp).json(&edit).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.unwrap()["version"], 2);
    edit["summary"] = json!("基于旧版本的修改");
    let r = c.put(s.url(&format!("/api/v1/leads/{id}"))).bearer_auth(&insp).json(&edit).send().await.unwrap();
    assert_eq!(r.status(), 409);
    let e: Value = r.json().await.unwrap();
    assert_eq!((e["code"].as_str(), e["current_version"].as_i64()), (Some("stale_version"), Some(2)));
    let now: Value =
        c.get(s.url(&format!("/api/v1/leads/{id}"))).bearer_auth(&insp).send().await.unwrap().json().await.unwrap();
    assert_eq!(now["summary"], "第一次修改");
}

async fn api_errors_are_uniform_json(b: Backend) {
    let s = start(b).await;
    let c = api_client();
    let r = c.get(s.url("/api/v1/leads")).send().await.unwrap();
    assert_eq!(r.status(), 401);
    let e: Value = r.json().await.unwrap();
    assert_eq!(e["code"], "unauthenticated");
    assert_eq!(e["request_id"].as_str().unwrap().len(), 16);
    let r = c
        .post(s.url("/api/v1/auth/login"))
        .json(&json!({"username": "inspector", "password": "wrong"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let r = c
        .post(s.url("/api/v1/auth/login"))
        .header("content-type", "application/json")
        .body("{\"username\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(r.json::<Value>().await.unwrap()["code"], "malformed_request");
    let insp = s.token("inspector").await;
    let r = c
        .post(s.url("/api/v1/leads"))
        .bearer_auth(&insp)
        .header("content-type", "application/json")
        .body("[1,2")
        .send()
        .await
        .unwrap();
    assert_eq!(r.json::<Value>().await.unwrap()["code"], "malformed_request");
    let big = format!("{{\"summary\": \"{}\"}}", "x".repeat(web::BODY_LIMIT + 10));
    let r = c
        .post(s.url("/api/v1/leads"))
        .bearer_auth(&insp)
        .header("content-type", "application/json")
        .body(big)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
    let r = c.get(s.url("/api/v1/leads?per_page=100000&sort=x")).bearer_auth(&insp).send().await.unwrap();
    assert_eq!(r.status(), 422);
    let e: Value = r.json().await.unwrap();
    assert_eq!(e["fields"].as_array().unwrap().len(), 2);
    let r = c.get(s.url("/api/v1/leads/not-a-number")).bearer_auth(&insp).send().await.unwrap();
    assert_eq!(r.status(), 400);
    // SQL metacharacters are data.
    let r = c.get(s.url("/api/v1/leads?q=%27%20OR%201%3D1%20--")).bearer_auth(&insp).send().await.unwrap();
    assert_eq!(r.json::<Value>().await.unwrap()["total"], 0);
}

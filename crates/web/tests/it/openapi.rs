//! The OpenAPI document (generated from the handlers) matches the implementation: the same
//! routes, and every documented operation is called for real here, its status one the
//! document lists and its body carrying every required property, with values of the
//! documented types and enums.

use std::collections::BTreeSet;

use serde_json::{Value, json};
use store::Backend;

use crate::support::{Server, api_client, lead_body, start, unit_id};

pub(crate) fn doc() -> Value {
    serde_json::to_value(web::openapi()).expect("the document serializes")
}

fn documented(d: &Value) -> BTreeSet<(String, String)> {
    let mut ops = BTreeSet::new();
    for (path, item) in d["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            ops.insert((method.clone(), path.clone()));
        }
    }
    ops
}

#[test]
fn documented_operations_are_exactly_the_routes() {
    let d = doc();
    assert!(d["openapi"].as_str().unwrap().starts_with("3.1"), "{}", d["openapi"]);
    let mut served: BTreeSet<(String, String)> =
        web::API_ROUTES.iter().map(|(m, p)| (m.to_string(), format!("/api/v1{p}"))).collect();
    served.insert(("get".into(), "/api/v1/openapi.json".into()));
    assert_eq!(documented(&d), served);
}

/// Resolves a `$ref` to the schema it names.
pub(crate) fn resolve<'a>(d: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(r) => resolve(d, &d["components"]["schemas"][r.rsplit('/').next().unwrap()]),
        None => schema,
    }
}

/// The document states what the server enforces, so a client can check before it sends.
#[test]
fn the_document_states_the_servers_constraints() {
    let d = doc();
    let schemas = &d["components"]["schemas"];
    for (schema, field, min, max) in [
        ("LeadInput", "summary", Some(1), Some(4000)),
        ("LeadInput", "unit_id", Some(1), None),
        ("SubjectInput", "name", Some(1), Some(60)),
        ("MeetingInput", "title", Some(1), Some(120)),
        ("Reveal", "reason", Some(1), Some(200)),
        ("RecusalClearance", "reason", Some(1), Some(200)),
        ("ExtensionRequest", "reason", Some(1), Some(1000)),
        ("Report", "content", Some(1), Some(2000)),
    ] {
        let p = &schemas[schema]["properties"][field];
        assert_eq!(p["minLength"].as_i64(), min, "{schema}.{field} minLength");
        assert_eq!(p["maxLength"].as_i64(), max, "{schema}.{field} maxLength");
    }
    assert!(schemas["LeadInput"]["properties"]["received_on"]["pattern"].is_string());
    // Every operation with a path id documents the 400 for one that is no number in range.
    for (path, item) in d["paths"].as_object().unwrap() {
        if path.contains("{id}") {
            for (method, op) in item.as_object().unwrap() {
                assert!(op["responses"]["400"].is_object(), "{method} {path} does not document 400");
            }
        }
    }
    let list = &d["paths"]["/api/v1/leads"]["get"];
    assert!(list["description"].as_str().unwrap_or_default().contains("empty value"), "empty filters documented");
}

/// The required properties and the properties of a schema, through `$ref` and `allOf`.
fn flatten(d: &Value, schema: &Value) -> (Vec<String>, serde_json::Map<String, Value>) {
    let s = resolve(d, schema);
    let mut required: Vec<String> =
        s["required"].as_array().into_iter().flatten().filter_map(Value::as_str).map(str::to_owned).collect();
    let mut props = s["properties"].as_object().cloned().unwrap_or_default();
    for part in s["allOf"].as_array().into_iter().flatten() {
        let (r, p) = flatten(d, part);
        required.extend(r);
        props.extend(p);
    }
    (required, props)
}

/// Whether the schema admits `null` (OpenAPI 3.1: a type list with "null", or a `oneOf`
/// alternative of type null).
fn nullable(s: &Value) -> bool {
    s["type"].as_array().is_some_and(|t| t.iter().any(|x| x == "null"))
        || s["oneOf"].as_array().is_some_and(|alt| alt.iter().any(|a| a["type"] == "null"))
        || s["type"] == "null"
}

/// Checks `value` against `schema`: required properties, types, enums, nullability, arrays
/// and nested objects (through `$ref`, `allOf` and `oneOf`).
fn conforms(d: &Value, schema: &Value, value: &Value, at: &str) {
    let s = resolve(d, schema);
    if value.is_null() {
        assert!(nullable(s), "{at} is null but the document does not allow it: {s}");
        return;
    }
    if let Some(parts) = s["allOf"].as_array() {
        for p in parts {
            conforms(d, p, value, at);
        }
    }
    if let Some(alt) = s["oneOf"].as_array() {
        let candidates: Vec<&Value> = alt.iter().filter(|a| a["type"] != "null").collect();
        if candidates.len() == 1 {
            conforms(d, candidates[0], value, at);
        } else {
            // A tagged union: the alternative whose required properties are all there and whose
            // tag (a property with a one-value enum) matches.
            let fits = candidates.iter().find(|a| {
                let (required, props) = flatten(d, a);
                required.iter().all(|k| value.get(k).is_some())
                    && props.iter().all(|(name, p)| match (resolve(d, p)["enum"].as_array(), value.get(name)) {
                        (Some(e), Some(v)) if e.len() == 1 => e.contains(v),
                        _ => true,
                    })
            });
            conforms(d, fits.unwrap_or_else(|| panic!("{at}: {value} fits no alternative")), value, at);
        }
    }
    if let Some(allowed) = s["enum"].as_array() {
        assert!(allowed.contains(value), "{at} = {value} is not in the documented enum {allowed:?}");
    }
    let types: Vec<&str> = match &s["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let fits = |t: &str| match t {
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "string" => value.is_string(),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => false,
    };
    assert!(types.is_empty() || types.iter().any(|t| fits(t)), "{at} = {value} is not of type {types:?}");
    if let (Some(items), Some(values)) = (s.get("items"), value.as_array()) {
        for (i, v) in values.iter().enumerate() {
            conforms(d, items, v, &format!("{at}[{i}]"));
        }
    }
    if let Some(required) = s["required"].as_array() {
        for r in required.iter().filter_map(Value::as_str) {
            assert!(value.get(r).is_some(), "{at}: missing required property {r} in {value}");
        }
    }
    if let Some(props) = s["properties"].as_object() {
        for (name, p) in props {
            if let Some(v) = value.get(name) {
                conforms(d, p, v, &format!("{at}.{name}"));
            }
        }
    }
}

/// Calls the API and checks each answer against the document, remembering which
/// operations were called.
pub(crate) struct Checker<'a> {
    d: Value,
    s: &'a Server,
    called: BTreeSet<(String, String)>,
}

impl Checker<'_> {
    /// `template` is the documented path; `path` the concrete one (with ids filled in).
    fn request(&self, method: &str, path: &str, token: Option<&str>) -> reqwest::RequestBuilder {
        let c = api_client();
        let url = self.s.url(&format!("/api/v1{path}"));
        let req = match method {
            "get" => c.get(&url),
            "post" => c.post(&url),
            "put" => c.put(&url),
            "delete" => c.delete(&url),
            m => panic!("unexpected method {m}"),
        };
        match token {
            Some(t) => req.bearer_auth(t),
            None => req,
        }
    }

    /// Posts a file as the request body (the import's upload).
    pub(crate) async fn upload(&mut self, template: &str, path: &str, token: &str, bytes: Vec<u8>) -> Value {
        let req =
            self.request("post", path, Some(token)).header("content-type", "application/octet-stream").body(bytes);
        self.check("post", template, path, req).await
    }

    pub(crate) async fn call(
        &mut self,
        method: &str,
        template: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Value {
        let mut req = self.request(method, path, token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        self.check(method, template, path, req).await
    }

    /// Sends the request and checks the answer against the document: its status is listed
    /// and a JSON body conforms to the schema.
    async fn check(&mut self, method: &str, template: &str, path: &str, req: reqwest::RequestBuilder) -> Value {
        let r = req.send().await.unwrap();
        let status = r.status().as_u16().to_string();
        let json =
            r.headers().get("content-type").is_some_and(|v| v.to_str().unwrap_or("").starts_with("application/json"));
        let bytes = r.bytes().await.unwrap();
        let text = if json { String::from_utf8(bytes.to_vec()).unwrap() } else { String::new() };
        let full = format!("/api/v1{template}");
        let op = &self.d["paths"][&full][method];
        assert!(op.is_object(), "{method} {full} is not documented");
        let response = &op["responses"][&status];
        assert!(response.is_object(), "{method} {path} answered {status}, which the document does not list: {text}");
        self.called.insert((method.to_owned(), full.clone()));
        let value: Value = if text.is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap() };
        let schema = &response["content"]["application/json"]["schema"];
        if schema.is_object() {
            conforms(&self.d, schema, &value, &format!("{method} {full} {status}"));
        }
        value
    }
}

testkit::both!(real_responses_conform_to_the_document);

async fn real_responses_conform_to_the_document(b: Backend) {
    let s = start(b).await;
    let mut k = Checker { d: doc(), s: &s, called: BTreeSet::new() };
    let login = k
        .call(
            "post",
            "/auth/login",
            "/auth/login",
            None,
            Some(json!({"username": "inspector", "password": "qingling-demo"})),
        )
        .await;
    let insp = login["token"].as_str().unwrap().to_owned();
    let sup = s.token("supervisor").await;
    k.call("post", "/auth/login", "/auth/login", None, Some(json!({"username": "inspector", "password": "wrong"})))
        .await;

    k.call("get", "/me", "/me", Some(&sup), None).await;
    k.call("get", "/units", "/units", Some(&sup), None).await;
    let handlers = k.call("get", "/handlers", "/handlers", Some(&insp), None).await;
    let page = k.call("get", "/leads", "/leads?per_page=20&status=open", Some(&sup), None).await;
    k.call("get", "/leads", "/leads?page=x", Some(&sup), None).await;
    // An empty filter is no filter; dates in the wrong order are refused.
    let all = k.call("get", "/leads", "/leads?unit_id=&source=&q=", Some(&sup), None).await;
    let unfiltered = k.call("get", "/leads", "/leads", Some(&sup), None).await;
    assert_eq!(all["total"], unfiltered["total"]);
    k.call("get", "/leads", "/leads?received_from=2019-06-01&received_to=2019-05-01", Some(&sup), None).await; // 422
    k.call("get", "/leads/{id}", "/leads/99999999999999999999", Some(&sup), None).await; // 400
    let id = page["items"][0]["id"].as_i64().unwrap();
    k.call("get", "/leads/{id}", &format!("/leads/{id}"), Some(&sup), None).await;
    k.call("get", "/leads/{id}", "/leads/99999999", Some(&sup), None).await;

    let unit = unit_id(&s, &insp, "RMYY1").await;
    let created =
        k.call("post", "/leads", "/leads", Some(&insp), Some(lead_body(unit, "文档核对：反映某某", "某某"))).await;
    let mine = created["id"].as_i64().unwrap();
    // Search finds the lead just registered by a phrase of its summary, with its snippet marked.
    let found = k.call("get", "/search", "/search?q=%E6%96%87%E6%A1%A3%E6%A0%B8%E5%AF%B9", Some(&insp), None).await;
    assert!(found["items"].as_array().unwrap().iter().any(|h| h["lead"]["id"] == mine), "{found}");
    assert!(found["items"][0]["snippet"].as_array().unwrap().iter().any(|p| p["marked"] == true), "{found}");
    k.call("get", "/search", "/search?page=x", Some(&insp), None).await; // 400
    crate::openapi_relations::repeats_and_relations(&mut k, (&insp, &sup), unit, mine).await;
    crate::openapi_reviews::reviews(&mut k, (&insp, &sup)).await;
    let head = s.token("unithead").await;
    crate::openapi_reviews::rectifications(&mut k, (&insp, &sup, &head), unit).await;
    crate::openapi_reviews::accountability(&mut k, (&insp, &sup), unit).await;
    let chief = s.token("chief").await;
    crate::openapi_reviews::clearings(&mut k, (&insp, &sup, &chief), unit).await;
    crate::openapi_reviews::library(&mut k, (&insp, &sup), unit).await;
    let today = domain::dates::format_date(s.app.today());
    crate::openapi_reporters::feedback(&mut k, (&insp, &sup), unit, &today).await;
    let report = crate::openapi_reporters::filed_on_the_portal(&s).await;
    crate::openapi_reporters::intake(&mut k, (&insp, &sup), report, unit).await;
    crate::openapi_reporters::attachments(&mut k, &insp, mine).await;
    crate::openapi_reporting::statistics(&mut k, (&insp, &sup), unit).await;
    crate::openapi_reporting::dashboard(&mut k, (&insp, &sup), unit).await;
    crate::openapi_reporting::bulletins(&mut k, (&insp, &sup, &s.token("chief").await)).await;
    crate::openapi_reporting::work_reports(&mut k, (&insp, &sup, &head), unit).await;
    k.call("post", "/leads", "/leads", Some(&insp), Some(json!({"summary": ""}))).await;
    let mut edit = lead_body(unit, "文档核对：已修改", "某某");
    edit["version"] = created["version"].clone();
    k.call("put", "/leads/{id}", &format!("/leads/{mine}"), Some(&insp), Some(edit.clone())).await;
    k.call("put", "/leads/{id}", &format!("/leads/{mine}"), Some(&insp), Some(edit)).await; // stale now
    let one = handlers["items"][0]["id"].clone();
    let path = format!("/leads/{mine}/handlers");
    k.call("put", "/leads/{id}/handlers", &path, Some(&insp), Some(json!({"handlers": [one]}))).await;
    k.call("put", "/leads/{id}/handlers", &path, Some(&insp), Some(json!({"handlers": [999999]}))).await;

    // The lifecycle: steps, the approval, an extension through its states, notifications.
    let steps = format!("/leads/{mine}/steps");
    let step = |s: &str, d: &str| json!({"step": s, "disposition": d, "note": "文档核对"});
    k.call("post", "/leads/{id}/steps", &steps, Some(&insp), Some(step("assess", ""))).await;
    k.call("post", "/leads/{id}/steps", &steps, Some(&insp), Some(step("reopen", ""))).await; // 422
    let pending = k.call("post", "/leads/{id}/steps", &steps, Some(&insp), Some(step("dispose", "talk_inquiry"))).await;
    assert_eq!(pending["outcome"], "pending");
    k.call("get", "/leads/{id}/timeline", &format!("/leads/{mine}/timeline"), Some(&insp), None).await;
    k.call("get", "/leads/{id}/timeline", "/leads/99999999/timeline", Some(&insp), None).await;
    let chief = s.token("chief").await;
    let queue = k.call("get", "/approvals", "/approvals", Some(&chief), None).await;
    k.call("get", "/approvals", "/approvals", Some(&insp), None).await; // 403
    let event = queue["items"].as_array().unwrap().iter().find(|q| q["lead_id"] == mine).unwrap()["event_id"].clone();
    let decide = format!("/approvals/{event}/decision");
    k.call("post", "/approvals/{id}/decision", &decide, Some(&chief), Some(json!({"approve": true, "note": "同意"})))
        .await;
    k.call("post", "/approvals/{id}/decision", &decide, Some(&chief), Some(json!({"approve": true}))).await; // gone
    let follow = format!("/leads/{mine}/follow-ups");
    k.call("post", "/leads/{id}/follow-ups", &follow, Some(&insp), Some(json!({"kind": "clearing", "note": "x"})))
        .await;
    let exts = format!("/leads/{mine}/extensions");
    let asked = k
        .call("post", "/leads/{id}/extensions", &exts, Some(&insp), Some(json!({"reason": "需调取材料", "days": 20})))
        .await;
    let ext = asked["id"].as_i64().unwrap();
    k.call("get", "/leads/{id}/extensions", &exts, Some(&insp), None).await;
    let head = s.token("unithead").await;
    k.call("get", "/extensions", "/extensions", Some(&head), None).await;
    k.call("post", "/extensions/{id}/sign", &format!("/extensions/{ext}/sign"), Some(&head), None).await;
    k.call("post", "/extensions/{id}/sign", &format!("/extensions/{ext}/sign"), Some(&head), None).await; // 422
    // Returning a signed one is refused (422); an empty reason too.
    k.call(
        "post",
        "/extensions/{id}/return",
        &format!("/extensions/{ext}/return"),
        Some(&head),
        Some(json!({"reason": "补充说明"})),
    )
    .await;
    k.call("post", "/extensions/{id}/file", &format!("/extensions/{ext}/file"), Some(&sup), None).await;
    let ext_decide = format!("/extensions/{ext}/decision");
    k.call("post", "/extensions/{id}/decision", &ext_decide, Some(&chief), Some(json!({"approve": true}))).await; // 422
    let inbox = k.call("get", "/notifications", "/notifications", Some(&sup), None).await;
    assert!(inbox["unread"].is_i64());
    let paged = k.call("get", "/notifications", "/notifications?page=1&unread=true", Some(&sup), None).await;
    assert!(paged["total"].as_i64().unwrap() >= paged["items"].as_array().unwrap().len() as i64);
    // Opening one notice marks it read (and names its lead); another's notice is not found.
    // The day's warning scan, as the server's job runs it, leaves notices to open.
    s.app.lifecycle().scan_warnings("openapi").await.unwrap();
    let mut opened = false;
    for (who, other) in [(&sup, &insp), (&head, &sup), (&chief, &sup), (&insp, &sup)] {
        let theirs = k.call("get", "/notifications", "/notifications", Some(who), None).await;
        if let Some(n) = theirs["items"].as_array().unwrap().first() {
            let one = format!("/notifications/{}/read", n["id"]);
            let read = k.call("post", "/notifications/{id}/read", &one, Some(who), None).await;
            assert_eq!(read["lead_id"], n["lead_id"]);
            k.call("post", "/notifications/{id}/read", &one, Some(other), None).await; // 404
            opened = true;
            break;
        }
    }
    assert!(opened, "someone has a notice to open");
    k.call("post", "/notifications/{id}/read", "/notifications/99999999/read", Some(&sup), None).await; // 404
    k.call("post", "/notifications/read", "/notifications/read", Some(&sup), None).await;

    // The dossier, the reporter's identity, supervision.
    k.call("get", "/leads/{id}/dossier", &format!("/leads/{mine}/dossier"), Some(&insp), None).await;
    k.call("get", "/leads/{id}/dossier", "/leads/99999999/dossier", Some(&insp), None).await;
    let reveal = format!("/leads/{mine}/reveal");
    let custodian = s.token("custodian").await;
    let why = json!({"reason": "向实名举报人反馈办理结果"});
    let shown = k.call("post", "/leads/{id}/reveal", &reveal, Some(&custodian), Some(why.clone())).await;
    assert_eq!(shown["name"], "举报人乙");
    k.call("post", "/leads/{id}/reveal", &reveal, Some(&insp), Some(why.clone())).await; // 403
    let with_identities = "/leads/export-identities.xlsx";
    k.call("post", with_identities, with_identities, Some(&custodian), Some(why.clone())).await;
    k.call("post", with_identities, with_identities, Some(&custodian), Some(json!({"reason": "看"}))).await; // 422
    k.call("post", with_identities, with_identities, Some(&insp), Some(why)).await; // 403
    let clearance = format!("/leads/{mine}/recusal-clearances");
    let not_kept = json!({"user_id": 1, "reason": "经核实不是同一人"});
    k.call("post", "/leads/{id}/recusal-clearances", &clearance, Some(&sup), Some(not_kept.clone())).await; // 422
    k.call("post", "/leads/{id}/recusal-clearances", &clearance, Some(&insp), Some(not_kept)).await; // 403
    // Not a transfer: refused with a field error; then a 404 for a lead out of sight.
    let receipt = json!({"received_on": "2019-11-20"});
    k.call(
        "post",
        "/leads/{id}/transfer-receipt",
        &format!("/leads/{mine}/transfer-receipt"),
        Some(&insp),
        Some(receipt.clone()),
    )
    .await; // 422
    k.call("post", "/leads/{id}/transfer-receipt", "/leads/99999999/transfer-receipt", Some(&insp), Some(receipt))
        .await;
    let talk = json!({"event": "talk_held", "on": "2019-11-20"});
    k.call("post", "/leads/{id}/inquiry-events", &format!("/leads/{mine}/inquiry-events"), Some(&insp), Some(talk))
        .await; // 422
    let own = format!("/leads/{mine}/ownership");
    k.call("put", "/leads/{id}/ownership", &own, Some(&sup), Some(json!({"kind": "key", "leader": "leader"}))).await;
    k.call("put", "/leads/{id}/ownership", &own, Some(&sup), Some(json!({"kind": "key", "leader": "nobody"}))).await;
    k.call("get", "/leads/{id}/ownership", &own, Some(&insp), None).await;
    let leader = s.token("leader").await;
    let visit =
        json!({"visited_on": domain::dates::format_date(s.app.today()), "place": "医院", "decision": "限期初核"});
    k.call("post", "/leads/{id}/visits", &format!("/leads/{mine}/visits"), Some(&leader), Some(visit)).await;
    let sign_off = format!("/leads/{mine}/sign-off");
    k.call("post", "/leads/{id}/sign-off", &sign_off, Some(&leader), Some(json!({"note": "同意"}))).await; // 422
    let due = domain::dates::format_date(s.app.today() + time::Duration::days(10));
    let orders = format!("/leads/{mine}/orders");
    let order = json!({"requirement": "十日内报告进展", "reply_due": due});
    let issued = k.call("post", "/leads/{id}/orders", &orders, Some(&sup), Some(order)).await;
    let report = json!({"stage": "first", "content": "已成立核查组"});
    let reports = format!("/orders/{}/reports", issued["id"]);
    k.call("post", "/orders/{id}/reports", &reports, Some(&insp), Some(report)).await;
    k.call("get", "/leads/{id}/orders", &orders, Some(&insp), None).await;
    let moved = json!({"mode": "designated_jurisdiction", "to": 0});
    k.call("post", "/leads/{id}/jurisdiction", &format!("/leads/{mine}/jurisdiction"), Some(&sup), Some(moved)).await;
    let meeting = json!({
        "held_on": domain::dates::format_date(s.app.today()),
        "title": "线索集体研判会",
        "attendees": "钱某、周某某",
        "items": format!("{}：继续核查", created["number"].as_str().unwrap()),
    });
    k.call("post", "/meetings", "/meetings", Some(&insp), Some(meeting)).await;
    k.call("post", "/meetings", "/meetings", Some(&insp), Some(json!({"title": ""}))).await; // 422
    k.call("get", "/board", "/board?page=1", Some(&sup), None).await;
    k.call("get", "/board/export.xlsx", "/board/export.xlsx?sort=rate", Some(&sup), None).await;
    k.call("get", "/board/export.xlsx", "/board/export.xlsx", Some(&insp), None).await; // 403
    k.call("get", "/board", "/board", Some(&insp), None).await; // 403

    // Deadline rules and the calendar.
    let rules = k.call("get", "/deadline-rules", "/deadline-rules", Some(&insp), None).await;
    let rule = rules["items"][0].clone();
    let change = json!({
        "amount": rule["amount"], "unit": rule["unit"],
        "blue_at_percent": rule["blue_at_percent"], "yellow_working_days": rule["yellow_working_days"],
    });
    let at = format!("/deadline-rules/{}", rule["code"].as_str().unwrap());
    k.call("put", "/deadline-rules/{code}", &at, Some(&sup), Some(change.clone())).await;
    k.call("put", "/deadline-rules/{code}", &at, Some(&insp), Some(change)).await; // 403
    let add = "/calendar/add-working-days?from=2019-09-30&days=5";
    let day = k.call("get", "/calendar/add-working-days", add, Some(&insp), None).await;
    assert_eq!(day["date"], "2019-10-12", "over the National Day holidays, to the Saturday worked in lieu (调休)");
    k.call("get", "/calendar/add-working-days", "/calendar/add-working-days?from=x&days=5", Some(&insp), None).await;
    let admin = s.token("sysadmin").await;
    let csv = json!({"csv": "2031-01-01,holiday,New Year,元旦"});
    k.call("post", "/calendar/days", "/calendar/days", Some(&admin), Some(csv.clone())).await;
    k.call("post", "/calendar/days", "/calendar/days", Some(&insp), Some(csv)).await; // 403

    // The caller's account.
    let tokens = "/account/tokens";
    k.call("get", tokens, tokens, Some(&insp), None).await;
    let issued = k.call("post", tokens, tokens, Some(&insp), Some(json!({"name": "脚本", "days": 30}))).await;
    let revoke = format!("/account/tokens/{}", issued["id"]);
    k.call("delete", "/account/tokens/{id}", &revoke, Some(&insp), None).await;
    k.call("delete", "/account/tokens/{id}", "/account/tokens/99999999", Some(&insp), None).await; // 404
    let wrong = json!({"current_password": "not-it", "new_password": "Another-long-password-1"});
    k.call("post", "/account/password", "/account/password", Some(&insp), Some(wrong)).await; // 422
    let offer = k.call("post", "/account/totp/offer", "/account/totp/offer", Some(&insp), None).await;
    let enable = json!({"secret": offer["secret"], "code": "000000"});
    k.call("post", "/account/totp", "/account/totp", Some(&insp), Some(enable)).await; // 422
    k.call("put", "/account/email", "/account/email", Some(&insp), Some(json!({"email": "li@example.org"}))).await;
    k.call("put", "/account/email", "/account/email", Some(&insp), Some(json!({"email": "x"}))).await; // 422
    let email = k.call("get", "/account/email", "/account/email", Some(&insp), None).await;
    assert_eq!(email["email"], "li@example.org");

    // Campaigns: the supervising office's next one, from the template, corrected and closed.
    let book = k.call("get", "/campaigns", "/campaigns", Some(&sup), None).await;
    k.call("get", "/campaigns", "/campaigns", Some(&insp), None).await; // 403
    let template = book["template"].clone();
    let made = k.call("post", "/campaigns", "/campaigns", Some(&sup), Some(template.clone())).await;
    k.call("post", "/campaigns", "/campaigns", Some(&sup), Some(json!({"name": ""}))).await; // 422
    let next = format!("/campaigns/{}", made["id"]);
    k.call("put", "/campaigns/{id}", &next, Some(&sup), Some(template.clone())).await;
    k.call("put", "/campaigns/{id}", "/campaigns/99999999", Some(&sup), Some(template)).await; // 404
    k.call("post", "/campaigns/{id}/close", &format!("{next}/close"), Some(&insp), None).await; // 403
    k.call("post", "/campaigns/{id}/close", &format!("{next}/close"), Some(&sup), None).await;
    k.call("post", "/campaigns/{id}/close", &format!("{next}/close"), Some(&sup), None).await; // 422

    // The audit trail.
    let auditor = s.token("auditor").await;
    let trail = k.call("get", "/audit", "/audit?action=lead.list", Some(&auditor), None).await;
    let why = "the six list calls above that were valid (three find cases to rectify, to clear, to tell)";
    assert_eq!(trail["total"], 6, "{why}");
    k.call("get", "/audit", "/audit", Some(&insp), None).await; // 403
    k.call("get", "/audit", "/audit?from=x", Some(&auditor), None).await; // 422
    k.call("get", "/audit/export", "/audit/export?action=lead.list", Some(&auditor), None).await;
    let verified = k.call("get", "/audit/verify", "/audit/verify", Some(&auditor), None).await;
    assert!(verified["first_broken"].is_null() && verified["entries"].as_i64().unwrap() > 10);
    k.call("get", "/audit/verify", "/audit/verify", Some(&sup), None).await; // 403

    // Administration.
    let sysadmin = s.token("sysadmin").await;
    let secadmin = s.token("secadmin").await;
    k.call("get", "/admin/accounts", "/admin/accounts", Some(&secadmin), None).await;
    let committee = unit_id(&s, &sup, "ZWJ").await;
    let unit = json!({"code": "DOCU", "name": "文档核对单位", "kind": "hospital", "parent": committee});
    let made = k.call("post", "/admin/units", "/admin/units", Some(&sysadmin), Some(unit.clone())).await;
    k.call("post", "/admin/units", "/admin/units", Some(&sysadmin), Some(unit)).await; // 422: the code is taken
    let account = json!({
        "username": "docu-handler", "display_name": "文档核对", "unit_id": made["id"],
        "initial_password": "Docu-initial-password-1",
    });
    let new_account = k.call("post", "/admin/accounts", "/admin/accounts", Some(&sysadmin), Some(account)).await;
    let id = new_account["id"].as_i64().unwrap();
    let grant = json!({"role": "handler", "unit_id": made["id"]});
    let grants = format!("/admin/accounts/{id}/grants");
    k.call("post", "/admin/accounts/{id}/grants", &grants, Some(&secadmin), Some(grant.clone())).await;
    k.call("post", "/admin/accounts/{id}/grants", &grants, Some(&sysadmin), Some(grant.clone())).await; // 403
    let revoke = format!("/admin/accounts/{id}/grants/revoke");
    k.call("post", "/admin/accounts/{id}/grants/revoke", &revoke, Some(&secadmin), Some(grant)).await;
    k.call("post", "/admin/accounts/{id}/unlock", &format!("/admin/accounts/{id}/unlock"), Some(&secadmin), None).await;
    let reset = k
        .call("post", "/admin/accounts/{id}/reset", &format!("/admin/accounts/{id}/reset"), Some(&secadmin), None)
        .await;
    assert!(reset["password"].as_str().unwrap().len() >= 12);
    let me = k.call("get", "/me", "/me", Some(&secadmin), None).await;
    let own = format!("/admin/accounts/{}/reset", me["id"]);
    k.call("post", "/admin/accounts/{id}/reset", &own, Some(&secadmin), None).await; // 422: not one's own

    // Importing a spreadsheet ledger, exporting the ledger, the printed forms.
    let fixture =
        |name: &str| std::fs::read(format!("{}/../../fixtures/ledgers/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let unit = unit_id(&s, &insp, "RMYY1").await;
    let up = format!("/imports?unit_id={unit}&file_name=messy.xlsx");
    let preview = k.upload("/imports", &up, &insp, fixture("messy.xlsx")).await;
    k.upload("/imports", &format!("/imports?unit_id={unit}&file_name=x.xlsx"), &insp, b"not a sheet".to_vec()).await; // 422
    let imp = preview["id"].as_i64().unwrap();
    k.call("get", "/imports/{id}", &format!("/imports/{imp}"), Some(&insp), None).await;
    k.call("get", "/imports/{id}", &format!("/imports/{imp}"), Some(&sup), None).await; // 404: not theirs
    let choices = json!({"resolutions": {"source": {"上级": "assigned_by_higher", "群众来电": "petition_report"},
        "category": {"违反廉洁纪律": "other"}}});
    let settings = format!("/imports/{imp}/settings");
    k.call("put", "/imports/{id}/settings", &settings, Some(&insp), Some(choices)).await;
    let bad = json!({"resolutions": {"source": {"上级": "nonsense"}}});
    k.call("put", "/imports/{id}/settings", &settings, Some(&insp), Some(bad)).await; // 422
    let confirm = format!("/imports/{imp}/confirm");
    k.call("post", "/imports/{id}/confirm", &confirm, Some(&insp), Some(json!({}))).await; // 422: rows with errors
    k.call("post", "/imports/{id}/confirm", &confirm, Some(&insp), Some(json!({"skip_invalid": true}))).await;
    k.call("get", "/imports/{id}/errors.xlsx", &format!("/imports/{imp}/errors.xlsx"), Some(&insp), None).await;
    let progress = format!("/imports/{imp}/progress");
    k.call("get", "/imports/{id}/progress", &progress, Some(&insp), None).await; // done
    k.call("get", "/imports/{id}/progress", &progress, Some(&sup), None).await; // 404: not theirs
    let cancel = format!("/imports/{imp}/cancel");
    k.call("post", "/imports/{id}/cancel", &cancel, Some(&insp), None).await; // too late: {"cancelled": false}
    k.call("post", "/imports/{id}/cancel", "/imports/99999999/cancel", Some(&insp), None).await; // 404
    k.call("get", "/imports/{id}/errors.xlsx", "/imports/99999999/errors.xlsx", Some(&insp), None).await; // 404
    k.call("get", "/leads/export.xlsx", &format!("/leads/export.xlsx?unit_id={unit}"), Some(&insp), None).await;
    k.call("get", "/leads/export.xlsx", "/leads/export.xlsx?received_from=x", Some(&insp), None).await; // 422
    let form = format!("/leads/{mine}/form.docx?entry={event}");
    k.call("get", "/leads/{id}/form.docx", &form, Some(&insp), None).await;
    k.call("get", "/leads/{id}/form.docx", &format!("/leads/{mine}/form.docx"), Some(&insp), None).await; // 422
    k.call("get", "/leads/{id}/record.docx", &format!("/leads/{mine}/record.docx"), Some(&insp), None).await;
    k.call("get", "/leads/{id}/record.docx", "/leads/99999999/record.docx", Some(&insp), None).await; // 404

    k.call("get", "/openapi.json", "/openapi.json", None, None).await;
    k.call("post", "/auth/logout", "/auth/logout", Some(&insp), None).await;
    k.call("get", "/me", "/me", Some(&insp), None).await; // the token is gone: 401

    let missing: Vec<_> = documented(&k.d).difference(&k.called).cloned().collect();
    assert!(missing.is_empty(), "documented operations this test never called: {missing:?}");
    let served: Value = api_client().get(s.url("/api/v1/openapi.json")).send().await.unwrap().json().await.unwrap();
    assert_eq!(served, k.d, "the served document is the generated one");
}

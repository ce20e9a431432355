//! The OpenAPI document matches the implementation: same routes, and real responses carry
//! every property the document calls required, with values from the documented enums.

use std::collections::BTreeSet;

use serde_json::Value;
use store::Backend;

use crate::support::{api_client, start};

fn doc() -> Value {
    serde_json::from_str(web::OPENAPI).expect("openapi.json is JSON")
}

#[test]
fn documented_operations_are_exactly_the_routes() {
    let d = doc();
    assert!(d["openapi"].as_str().unwrap().starts_with("3."));
    let mut documented = BTreeSet::new();
    for (path, item) in d["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            documented.insert((method.clone(), path.clone()));
        }
    }
    let mut served: BTreeSet<(String, String)> =
        web::API_ROUTES.iter().map(|(m, p)| (m.to_string(), format!("/api/v1{p}"))).collect();
    served.insert(("get".into(), "/api/v1/openapi.json".into()));
    assert_eq!(documented, served);
}

#[test]
fn documented_enums_are_the_domain_vocabularies() {
    let d = doc();
    let lead = &d["components"]["schemas"]["Lead"]["properties"];
    let codes = |v: &Value| -> Vec<String> {
        v["enum"].as_array().unwrap().iter().map(|x| x.as_str().unwrap().to_owned()).collect()
    };
    let domain_codes = |all: Vec<&str>| -> Vec<String> { all.into_iter().map(str::to_owned).collect() };
    use domain::ledger::lead::*;
    assert_eq!(codes(&lead["source"]), domain_codes(Source::ALL.iter().map(|s| s.code()).collect()));
    assert_eq!(codes(&lead["category"]), domain_codes(Category::ALL.iter().map(|s| s.code()).collect()));
    assert_eq!(codes(&lead["status"]), domain_codes(LeadStatus::ALL.iter().map(|s| s.code()).collect()));
    assert_eq!(codes(&lead["handling_mode"]), domain_codes(HandlingMode::ALL.iter().map(|s| s.code()).collect()));
    assert_eq!(codes(&lead["problem_domain"]), domain_codes(ProblemDomain::ALL.iter().map(|s| s.code()).collect()));
}

/// Resolves `$ref` and merges `allOf` into (required, properties).
fn flatten(d: &Value, schema: &Value) -> (Vec<String>, serde_json::Map<String, Value>) {
    if let Some(r) = schema["$ref"].as_str() {
        let name = r.rsplit('/').next().unwrap();
        return flatten(d, &d["components"]["schemas"][name]);
    }
    let mut required = Vec::new();
    let mut props = serde_json::Map::new();
    if let Some(parts) = schema["allOf"].as_array() {
        for p in parts {
            let (r, pr) = flatten(d, p);
            required.extend(r);
            props.extend(pr);
        }
    }
    if let Some(r) = schema["required"].as_array() {
        required.extend(r.iter().map(|x| x.as_str().unwrap().to_owned()));
    }
    if let Some(p) = schema["properties"].as_object() {
        props.extend(p.clone());
    }
    (required, props)
}

/// Checks `value` against the schema's required properties, types of enums and nullability.
fn conforms(d: &Value, schema: &Value, value: &Value, at: &str) {
    let (required, props) = flatten(d, schema);
    for r in &required {
        assert!(value.get(r).is_some(), "{at}: missing required property {r} in {value}");
    }
    for (name, p) in &props {
        let Some(v) = value.get(name) else { continue };
        if v.is_null() {
            assert!(p["nullable"].as_bool().unwrap_or(false), "{at}.{name} is null but not nullable");
            continue;
        }
        if let Some(allowed) = p["enum"].as_array() {
            assert!(allowed.contains(v), "{at}.{name} = {v} not in the documented enum");
        }
        match p["type"].as_str() {
            Some("integer") => assert!(v.is_i64(), "{at}.{name} should be an integer: {v}"),
            Some("string") => assert!(v.is_string(), "{at}.{name} should be a string: {v}"),
            Some("boolean") => assert!(v.is_boolean(), "{at}.{name} should be a boolean: {v}"),
            Some("array") => {
                for (i, item) in v.as_array().expect("array").iter().enumerate() {
                    conforms(d, &p["items"], item, &format!("{at}.{name}[{i}]"));
                }
            }
            _ => {
                if p.get("$ref").is_some() || p.get("allOf").is_some() {
                    conforms(d, p, v, &format!("{at}.{name}"));
                }
            }
        }
    }
}

fn response_schema<'a>(d: &'a Value, path: &str, method: &str, status: &str) -> &'a Value {
    &d["paths"][path][method]["responses"][status]["content"]["application/json"]["schema"]
}

testkit::both!(real_responses_conform_to_the_document);

async fn real_responses_conform_to_the_document(b: Backend) {
    let d = doc();
    let s = start(b).await;
    let c = api_client();
    let token = s.token("supervisor").await;
    let page: Value =
        c.get(s.url("/api/v1/leads?per_page=20")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    conforms(&d, response_schema(&d, "/api/v1/leads", "get", "200"), &page, "LeadPage");
    let id = page["items"][0]["id"].as_i64().unwrap();
    let one: Value =
        c.get(s.url(&format!("/api/v1/leads/{id}"))).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    conforms(&d, response_schema(&d, "/api/v1/leads/{id}", "get", "200"), &one, "LeadDetail");
    let me: Value = c.get(s.url("/api/v1/me")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    conforms(&d, response_schema(&d, "/api/v1/me", "get", "200"), &me, "Me");
    let units: Value = c.get(s.url("/api/v1/units")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    conforms(&d, response_schema(&d, "/api/v1/units", "get", "200"), &units, "Units");
    let err: Value =
        c.get(s.url("/api/v1/leads/99999999")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    conforms(&d, response_schema(&d, "/api/v1/leads/{id}", "get", "404"), &err, "Error");
    let served: Value = c.get(s.url("/api/v1/openapi.json")).send().await.unwrap().json().await.unwrap();
    assert_eq!(served, d);
}

//! The API of repeat reports and relations (issue 14), called for real for the OpenAPI check.

use serde_json::json;

use crate::openapi::Checker;
use crate::support::lead_body;

/// Calls every operation of repeat reports and relations: `mine` is a lead `insp` registered
/// in `unit` (about 某某), which a repeat of it finds.
pub(crate) async fn repeats_and_relations(k: &mut Checker<'_>, (insp, sup): (&str, &str), unit: i64, mine: i64) {
    // Repeat reports: the same report again is suggested with its reasons; registered as new.
    let again = lead_body(unit, "文档核对：反映某某", "某某");
    let cands =
        k.call("post", "/leads/repeat-candidates", "/leads/repeat-candidates", Some(insp), Some(again.clone())).await;
    let first = &cands.as_array().unwrap()[0];
    assert_eq!(first["lead"], mine, "{cands}");
    assert!(first["reasons"].as_array().unwrap().iter().any(|r| r["kind"] == "same_person"), "{cands}");
    k.call("post", "/leads/repeat-candidates", "/leads/repeat-candidates", Some(insp), Some(json!({"summary": ""})))
        .await; // 422
    k.call("post", "/leads/repeat-candidates", "/leads/repeat-candidates", Some(sup), Some(json!([1]))).await; // 400
    let repeat = k.call("post", "/leads", "/leads?repeat=new", Some(insp), Some(again)).await;
    assert!(repeat["id"].is_i64(), "{repeat}");
    k.call("post", "/leads", "/leads?repeat=whatever", Some(insp), Some(lead_body(unit, "文档核对", "某某"))).await; // 422
    // Relations: the lead's graph holds the lead itself and the person it names.
    let graph = k.call("get", "/relations/leads/{id}", &format!("/relations/leads/{mine}"), Some(insp), None).await;
    let nodes = graph["nodes"].as_array().unwrap();
    assert!(nodes.iter().any(|n| n["href"] == format!("/leads/{mine}")), "{graph}");
    let person = nodes.iter().find(|n| n["kind"] == "person").unwrap()["key"].as_str().unwrap().to_owned();
    k.call("get", "/relations/persons/{id}", &format!("/relations/persons/{person}"), Some(insp), None).await;
    k.call("get", "/relations/persons/{id}", "/relations/persons/99999999", Some(insp), None).await; // 404
    k.call("get", "/relations/units/{id}", &format!("/relations/units/{}", unit), Some(insp), None).await;
    k.call("get", "/relations/leads/{id}", "/relations/leads/x", Some(insp), None).await; // 400
    let frequent = k.call("get", "/relations/frequent", "/relations/frequent?min=2", Some(sup), None).await;
    assert!(frequent["total"].as_i64().unwrap() > 0, "{frequent}");
    k.call("get", "/relations/frequent", "/relations/frequent", Some(insp), None).await; // 403
    k.call("get", "/relations/frequent", "/relations/frequent?min=x", Some(sup), None).await; // 400
}

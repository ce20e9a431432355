//! The OpenAPI document read as a whole: every reference resolves, and the enums it documents
//! are the domain's vocabularies.

use serde_json::Value;

use crate::openapi::{doc, resolve};

/// Every `$ref` names a schema the document holds (Swagger UI shows nothing for one that does not).
#[test]
fn every_reference_resolves() {
    let d = doc();
    let text = d.to_string();
    let names = text.split("\"#/components/schemas/").skip(1).filter_map(|s| s.split('"').next());
    let missing: Vec<&str> = names.filter(|n| d["components"]["schemas"].get(*n).is_none()).collect();
    assert!(missing.is_empty(), "{missing:?}");
}

#[test]
fn documented_enums_are_the_domain_vocabularies() {
    let d = doc();
    let lead = &d["components"]["schemas"]["Lead"]["properties"];
    let codes = |v: &Value| -> Vec<String> {
        let mut s = resolve(&d, v);
        if let Some(alt) = s["oneOf"].as_array() {
            s = resolve(&d, alt.iter().find(|a| a["type"] != "null").unwrap());
        }
        s["enum"].as_array().unwrap().iter().map(|x| x.as_str().unwrap().to_owned()).collect()
    };
    let domain_codes = |all: Vec<&str>| -> Vec<String> { all.into_iter().map(str::to_owned).collect() };
    use domain::ledger::lead::*;
    assert_eq!(codes(&lead["source"]), domain_codes(Source::ALL.iter().map(|s| s.code()).collect()));
    assert_eq!(codes(&lead["category"]), domain_codes(Category::ALL.iter().map(|s| s.code()).collect()));
    assert_eq!(codes(&lead["status"]), domain_codes(LeadStatus::ALL.iter().map(|s| s.code()).collect()));
    assert_eq!(codes(&lead["handling_mode"]), domain_codes(HandlingMode::ALL.iter().map(|s| s.code()).collect()));
    assert_eq!(codes(&lead["problem_domain"]), domain_codes(ProblemDomain::ALL.iter().map(|s| s.code()).collect()));
    let finding = codes(&lead["finding"]);
    assert_eq!(finding.len(), domain::lifecycle::conclusion::Finding::ALL.len(), "an optional enum: {finding:?}");
}

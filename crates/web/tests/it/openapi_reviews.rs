//! The API of the review of unfounded closures (issue 15), called for real for the OpenAPI check.

use serde_json::json;

use crate::openapi::Checker;

/// Calls every review operation: the root supervisor `sup` fills the queue, takes one review
/// through to its result; `insp` (a hospital's inspector) may read but not draw.
pub(crate) async fn reviews(k: &mut Checker<'_>, (insp, sup): (&str, &str)) {
    let queue = k.call("get", "/reviews", "/reviews", Some(sup), None).await;
    assert!(queue["total"].as_i64().unwrap() > 0, "the demo has reviews: {queue}");
    k.call("get", "/reviews", "/reviews?state=x", Some(sup), None).await; // 422
    k.call("get", "/reviews", "/reviews?state=upheld&page=1", Some(insp), None).await;
    k.call("post", "/reviews/draw", "/reviews/draw", Some(sup), Some(json!({}))).await; // 422: no rule
    k.call("post", "/reviews/draw", "/reviews/draw", Some(insp), Some(json!({"all": true}))).await; // 403
    k.call("post", "/reviews/draw", "/reviews/draw", Some(sup), Some(json!({"all": "yes"}))).await; // 400
    let drawn = k
        .call("post", "/reviews/draw", "/reviews/draw", Some(sup), Some(json!({"categories": true, "seed": "7"})))
        .await;
    assert_eq!(drawn["seed"], "7", "{drawn}");
    let queued = k.call("get", "/reviews", "/reviews?state=queued", Some(sup), None).await;
    let id = queued["items"][0]["id"].as_i64().unwrap();
    let one = format!("/reviews/{id}");
    let review = k.call("get", "/reviews/{id}", &one, Some(sup), None).await;
    assert_eq!(review["may_assign"], true, "{review}");
    k.call("get", "/reviews/{id}", "/reviews/99999999", Some(sup), None).await; // 404
    let me = k.call("get", "/me", "/me", Some(sup), None).await;
    let reviewers = format!("/reviews/{id}/reviewers");
    k.call("post", "/reviews/{id}/reviewers", &reviewers, Some(sup), Some(json!({"users": []}))).await; // 422
    k.call("post", "/reviews/{id}/reviewers", &reviewers, Some(sup), Some(json!({"users": [me["id"]]}))).await;
    let methods = format!("/reviews/{id}/methods");
    k.call("post", "/reviews/{id}/methods", &methods, Some(sup), Some(json!({}))).await; // 422
    let method = json!({"method": "files", "held_on": "2001-01-01", "persons": "复审组", "notes": "调阅卷宗"});
    k.call("post", "/reviews/{id}/methods", &methods, Some(sup), Some(method)).await;
    let checks = format!("/reviews/{id}/checks");
    k.call("put", "/reviews/{id}/checks", &checks, Some(sup), Some(json!({"political": "no_problem"}))).await; // 422
    let answers = json!({
        "political": "no_problem", "political_reason": "专题研究过两次",
        "dereliction": "no_problem", "dereliction_reason": "核查程序完整",
        "depth": "no_problem", "depth_reason": "已核查亲属经营情况",
    });
    k.call("put", "/reviews/{id}/checks", &checks, Some(sup), Some(answers)).await;
    let result = format!("/reviews/{id}/result");
    let upheld = json!({"result": "upheld", "note": "结论有据，维持"});
    let decided = k.call("post", "/reviews/{id}/result", &result, Some(sup), Some(upheld.clone())).await;
    assert_eq!(decided["state"], "upheld", "{decided}");
    k.call("post", "/reviews/{id}/result", &result, Some(sup), Some(upheld)).await; // 422: decided
    let review = k.call("get", "/reviews/{id}", &one, Some(sup), None).await;
    assert_eq!((review["review"]["state"].as_str(), review["may_assign"].as_bool()), (Some("upheld"), Some(false)));
}

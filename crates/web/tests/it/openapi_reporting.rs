//! The API of reporting (issue 17), called for real for the OpenAPI check: the statistics as
//! figures and as a workbook, refused input included.

use crate::openapi::Checker;

/// The inspector `insp` and the supervisor `sup` read the statistics of unit `unit`'s campaign.
pub(crate) async fn statistics(k: &mut Checker<'_>, (insp, sup): (&str, &str), unit: i64) {
    let s = k.call("get", "/statistics", "/statistics?period=campaign", Some(sup), None).await;
    assert!(!s["rows"].as_array().unwrap().is_empty(), "{s}");
    assert!(s["total"]["counts"]["received_to_date"].as_i64().unwrap() > 0, "{s}");
    let mine = k.call("get", "/statistics", &format!("/statistics?unit={unit}&period=2026-Q4"), Some(insp), None).await;
    assert_eq!(mine["unit_id"].as_i64(), Some(unit), "{mine}");
    k.call("get", "/statistics", "/statistics?period=2026-13", Some(sup), None).await; // 422
    k.call("get", "/statistics", "/statistics?unit=x", Some(sup), None).await; // 400
    k.call("get", "/statistics", "/statistics?campaign=99999999", Some(sup), None).await; // 404
    k.call("get", "/statistics/export.xlsx", "/statistics/export.xlsx?period=campaign", Some(sup), None).await;
    k.call("get", "/statistics/export.xlsx", "/statistics/export.xlsx?from=2026-03-02&to=2026-03-01", Some(sup), None)
        .await; // 422
}

/// The supervisor `sup` and the inspector `insp` of unit `unit` read the dashboard.
pub(crate) async fn dashboard(k: &mut Checker<'_>, (insp, sup): (&str, &str), unit: i64) {
    let d = k.call("get", "/dashboard", "/dashboard", Some(sup), None).await;
    assert!(!d["burn_down"].as_array().unwrap().is_empty(), "{d}");
    assert!(d["forecast"]["remaining"].as_i64().is_some() && !d["ageing"].as_array().unwrap().is_empty(), "{d}");
    let mine = k.call("get", "/dashboard", &format!("/dashboard?unit={unit}"), Some(insp), None).await;
    assert_eq!(mine["unit_id"].as_i64(), Some(unit), "{mine}");
    k.call("get", "/dashboard", "/dashboard?unit=x", Some(sup), None).await; // 400
    k.call("get", "/dashboard", "/dashboard?campaign=99999999", Some(sup), None).await; // 404
}

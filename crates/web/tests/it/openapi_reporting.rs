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

/// The committee drafts, edits, signs and issues a bulletin; a unit's inspector reads it; the
/// score rules are read and saved; refused input included.
pub(crate) async fn bulletins(k: &mut Checker<'_>, (insp, sup, chief): (&str, &str, &str)) {
    let list = k.call("get", "/bulletins", "/bulletins", Some(sup), None).await;
    assert_eq!(list["may_draft"], true, "{list}");
    let draft = serde_json::json!({
        "period": "campaign", "title": "关于专项期间问题线索办理情况的通报",
        "doc_no": "文档核对〔2026〕1号", "addressees": "各委属单位纪检组织"
    });
    let id = k.call("post", "/bulletins", "/bulletins", Some(sup), Some(draft)).await["id"].as_i64().unwrap();
    k.call("post", "/bulletins", "/bulletins", Some(sup), Some(serde_json::json!({"period": "2026-13"}))).await; // 422
    let path = format!("/bulletins/{id}");
    let b = k.call("get", "/bulletins/{id}", &path, Some(sup), None).await;
    let unit = b["lines"][0]["unit_id"].as_i64().unwrap();
    let line = serde_json::json!({"unit_id": unit, "list": "summons", "reason": "文档核对：存量久拖"});
    k.call("post", "/bulletins/{id}/lines", &format!("{path}/lines"), Some(sup), Some(line)).await; // 204
    let short = serde_json::json!({"unit_id": unit, "list": "", "reason": "短"});
    k.call("post", "/bulletins/{id}/lines", &format!("{path}/lines"), Some(sup), Some(short)).await; // 422
    k.call("get", "/bulletins/{id}", &path, Some(insp), None).await; // 404: a draft
    k.call("post", "/bulletins/{id}/issue", &format!("{path}/issue"), Some(sup), None).await; // 422
    k.call("post", "/bulletins/{id}/sign", &format!("{path}/sign"), Some(sup), None).await; // 403
    let signed = k.call("post", "/bulletins/{id}/sign", &format!("{path}/sign"), Some(chief), None).await;
    assert_eq!(signed["hash"].as_str().unwrap().len(), 64, "{signed}");
    k.call("post", "/bulletins/{id}/issue", &format!("{path}/issue"), Some(sup), None).await; // 204
    let theirs = k.call("get", "/bulletins/{id}", &path, Some(insp), None).await;
    assert_eq!(theirs["summary"]["state"], "issued", "{theirs}");
    let summons = serde_json::json!({
        "unit_id": unit.to_string(), "held_on": "2026-12-01", "summoned_by": "纪委书记",
        "summoned": "院长", "notes": "文档核对：约谈记录"
    });
    k.call("post", "/bulletins/{id}/summons", &format!("{path}/summons"), Some(sup), Some(summons)).await; // 201
    k.call("post", "/bulletins/{id}/summons", &format!("{path}/summons"), Some(sup), Some(serde_json::json!({}))).await; // 422
    k.call("get", "/bulletins/{id}/document.docx", &format!("{path}/document.docx"), Some(insp), None).await;
    k.call("get", "/bulletins/{id}", "/bulletins/99999999", Some(sup), None).await; // 404
    let rules = k.call("get", "/score-rules", "/score-rules", Some(sup), None).await;
    let mut typed = serde_json::json!({
        "praise_at": "95", "criticise_below": "80", "summon_below": "60", "summon_overdue": "5",
        "note": "文档核对", "points": {}, "per_item": {}
    });
    for w in rules["rules"]["weights"].as_array().unwrap() {
        let code = w["criterion"].as_str().unwrap();
        typed["points"][code] = w["points"].to_string().into();
        typed["per_item"][code] = w["per_item"].to_string().into();
    }
    let saved = k.call("put", "/score-rules", "/score-rules", Some(sup), Some(typed.clone())).await;
    assert_eq!(saved["version"].as_i64(), Some(rules["version"].as_i64().unwrap() + 1), "{saved}");
    typed["praise_at"] = "50".into();
    k.call("put", "/score-rules", "/score-rules", Some(sup), Some(typed)).await; // 422
    k.call("get", "/score-rules", "/score-rules", Some(insp), None).await; // 403
    k.call("get", "/score-rules", "/score-rules?campaign=x", Some(sup), None).await; // 400
    k.call("get", "/score-rules", "/score-rules?campaign=99999999", Some(sup), None).await; // 404
    // The report outline: read, saved with guidance, refused when empty, closed to a unit.
    let outline = k.call("get", "/report-outline", "/report-outline", Some(sup), None).await;
    assert_eq!(outline["outline"].as_array().map(Vec::len), Some(7), "{outline}");
    let typed = serde_json::json!({"sections": ["basics", "clearance", "next_steps"], "guidance": {"clearance": "逐件写明办结情况"}});
    let campaign = outline["campaign_id"].as_i64().unwrap();
    let at = format!("/report-outline?campaign={campaign}");
    k.call("put", "/report-outline", &at, Some(sup), Some(typed)).await; // 204
    let saved = k.call("get", "/report-outline", &at, Some(sup), None).await;
    assert_eq!(saved["outline"][1]["guidance"], "逐件写明办结情况", "{saved}");
    k.call("put", "/report-outline", &at, Some(sup), Some(serde_json::json!({"sections": []}))).await; // 422
    k.call("get", "/report-outline", "/report-outline?campaign=x", Some(sup), None).await; // 400
    k.call("get", "/report-outline", "/report-outline?campaign=99999999", Some(sup), None).await; // 404
    k.call("get", "/report-outline", "/report-outline", Some(insp), None).await; // 403
    // Back to the plan's seven, for the work report checks that follow.
    let all = serde_json::json!({"sections": ["basics", "clearance", "digging", "institutions", "case_reform", "problems", "next_steps"]});
    k.call("put", "/report-outline", &at, Some(sup), Some(all)).await; // 204
}

/// The inspector `insp` of unit `unit` writes its work report, its head `head` signs it, the
/// inspector submits it and the supervisor `sup` verifies its code; refused input included.
pub(crate) async fn work_reports(k: &mut Checker<'_>, (insp, sup, head): (&str, &str, &str), unit: i64) {
    let book = k.call("get", "/work-reports", "/work-reports", Some(sup), None).await;
    assert_eq!(book["may_verify"], true, "{book}");
    assert!(book["lines"].as_array().unwrap().iter().any(|l| l["unit_id"] == unit), "{book}");
    k.call("get", "/work-reports", "/work-reports?campaign=x", Some(sup), None).await; // 400
    k.call("get", "/work-reports", "/work-reports?campaign=99999999", Some(sup), None).await; // 404
    let path = format!("/work-reports/{unit}");
    let r = k.call("get", "/work-reports/{id}", &path, Some(insp), None).await;
    assert_eq!(r["sections"].as_array().unwrap().len(), 7, "{r}");
    let mut sections = serde_json::Map::new();
    for s in r["sections"].as_array().unwrap() {
        sections.insert(s["section"].as_str().unwrap().into(), "文档核对：本院已按要求推进。".into());
    }
    let long = serde_json::json!({"sections": {"basics": "长".repeat(5001)}});
    k.call("put", "/work-reports/{id}", &path, Some(insp), Some(long)).await; // 422
    k.call("put", "/work-reports/{id}", &path, Some(insp), Some(serde_json::json!({"sections": sections}))).await; // 204
    k.call("post", "/work-reports/{id}/sign", &format!("{path}/sign"), Some(insp), None).await; // 403
    let signed = k.call("post", "/work-reports/{id}/sign", &format!("{path}/sign"), Some(head), None).await;
    let code = signed["code"].as_str().unwrap().to_owned();
    k.call("post", "/work-reports/{id}/sign", &format!("{path}/sign"), Some(head), None).await; // 422
    let typed = code.to_lowercase().replace('-', " ");
    let v = k.call("get", "/work-reports/verify", &format!("/work-reports/verify?code={typed}"), Some(sup), None).await;
    assert_eq!((v["code"].as_str(), v["report"]["signature"]["intact"].as_bool()), (Some(code.as_str()), Some(true)));
    k.call("get", "/work-reports/verify", "/work-reports/verify?code=nope", Some(sup), None).await; // 422
    k.call("get", "/work-reports/verify", "/work-reports/verify?code=nope", Some(insp), None).await; // 403
    k.call("post", "/work-reports/{id}/submit", &format!("{path}/submit"), Some(insp), None).await; // 204
    k.call("post", "/work-reports/{id}/submit", &format!("{path}/submit"), Some(insp), None).await; // 422
    let done = k.call("get", "/work-reports/{id}", &path, Some(sup), None).await;
    assert_eq!(done["state"], "submitted", "{done}");
    k.call("get", "/work-reports/{id}/document.docx", &format!("{path}/document.docx"), Some(insp), None).await;
    k.call("get", "/work-reports/{id}", "/work-reports/99999999", Some(sup), None).await; // 404
}

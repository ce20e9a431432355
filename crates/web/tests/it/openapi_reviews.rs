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
    let files = format!("/reviews/{id}/attachments?name=%E8%AE%B0%E5%BD%95.txt");
    let notes = "调阅记录：卷宗齐全。".as_bytes().to_vec();
    k.upload("/reviews/{id}/attachments", &files, insp, notes.clone()).await; // 403: not a supervisor
    let kept = k.upload("/reviews/{id}/attachments", &files, sup, notes).await;
    assert_eq!((kept["record"].as_str(), kept["record_id"].as_i64()), (Some("review"), Some(id)), "{kept}");
    let result = format!("/reviews/{id}/result");
    let upheld = json!({"result": "upheld", "note": "结论有据，维持"});
    let decided = k.call("post", "/reviews/{id}/result", &result, Some(sup), Some(upheld.clone())).await;
    assert_eq!(decided["state"], "upheld", "{decided}");
    k.call("post", "/reviews/{id}/result", &result, Some(sup), Some(upheld)).await; // 422: decided
    let review = k.call("get", "/reviews/{id}", &one, Some(sup), None).await;
    assert_eq!((review["review"]["state"].as_str(), review["may_assign"].as_bool()), (Some("upheld"), Some(false)));
}

/// Calls every rectification and institution operation: the root supervisor `sup` issues a
/// letter on a concluded case of the inspector's hospital (`unit`), the inspector `insp` writes
/// the analysis and a measure, its head `head` replies, `sup` accepts and re-checks.
pub(crate) async fn rectifications(k: &mut Checker<'_>, (insp, sup, head): (&str, &str, &str), unit: i64) {
    let list = k.call("get", "/rectifications", "/rectifications", Some(sup), None).await;
    let taken: Vec<i64> = list["items"].as_array().unwrap().iter().map(|r| r["lead_id"].as_i64().unwrap()).collect();
    let concluded =
        k.call("get", "/leads", &format!("/leads?status=concluded&unit_id={unit}&per_page=50"), Some(sup), None).await;
    let case =
        concluded["items"].as_array().unwrap().iter().find(|l| !taken.contains(&l["id"].as_i64().unwrap())).unwrap();
    let letter = json!({"lead": case["number"], "kind": "discipline", "content": "一、建立回避制度\n二、开展警示教育"});
    k.call("post", "/rectifications", "/rectifications", Some(sup), Some(json!({}))).await; // 422
    k.call("post", "/rectifications", "/rectifications", Some(insp), Some(letter.clone())).await; // 403
    let created = k.call("post", "/rectifications", "/rectifications", Some(sup), Some(letter)).await;
    let id = created["id"].as_i64().unwrap();
    let one = format!("/rectifications/{id}");
    let got = k.call("get", "/rectifications/{id}", &one, Some(insp), None).await;
    assert_eq!(got["may_write"], true, "{got}");
    k.call("get", "/rectifications/{id}", "/rectifications/99999999", Some(sup), None).await; // 404
    k.call("get", "/rectifications/{id}/letter.docx", &format!("{one}/letter.docx"), Some(insp), None).await;
    let analysis = format!("{one}/analysis");
    k.call("put", "/rectifications/{id}/analysis", &analysis, Some(insp), Some(json!({}))).await; // 422
    let a = json!({"causes": "权力集中", "risk_points": "采购验收", "loopholes": "缺少回避制度"});
    k.call("put", "/rectifications/{id}/analysis", &analysis, Some(insp), Some(a)).await;
    let measures = format!("{one}/measures");
    k.call("post", "/rectifications/{id}/measures", &measures, Some(insp), Some(json!({"due_on": "2001-01-01"}))).await; // 422
    let m = json!({"content": "制定回避制度", "owner": "院办", "due_on": "2099-12-31"});
    let added = k.call("post", "/rectifications/{id}/measures", &measures, Some(insp), Some(m)).await;
    let progress = json!({"content": "制定回避制度", "owner": "院办", "due_on": "2099-12-31", "status": "in_progress"});
    let measure = format!("/measures/{}", added["id"]);
    k.call("put", "/measures/{id}", &measure, Some(insp), Some(progress)).await;
    k.call("put", "/measures/{id}", "/measures/99999999", Some(insp), Some(json!({}))).await; // 404
    let files = format!("{one}/attachments?name=%E5%88%B6%E5%BA%A6.txt");
    let evidence = "整改佐证：采购回避制度全文。".as_bytes().to_vec();
    let kept = k.upload("/rectifications/{id}/attachments", &files, insp, evidence.clone()).await;
    assert_eq!((kept["record"].as_str(), kept["record_id"].as_i64()), (Some("rectification"), Some(id)), "{kept}");
    k.upload("/rectifications/{id}/attachments", "/rectifications/99999999/attachments?name=a.txt", insp, evidence)
        .await; // 404
    let reply = format!("{one}/reply");
    k.call("post", "/rectifications/{id}/reply", &reply, Some(insp), Some(json!({"reply": "已整改"}))).await; // 403
    k.call("post", "/rectifications/{id}/reply", &reply, Some(head), Some(json!({"reply": "已制定制度"}))).await;
    k.call("post", "/rectifications/{id}/reply", &reply, Some(head), Some(json!({"reply": "再次回复"}))).await; // 422
    let decision = format!("{one}/decision");
    k.call("post", "/rectifications/{id}/decision", &decision, Some(sup), Some(json!({"accept": false}))).await; // 422
    k.call("post", "/rectifications/{id}/decision", &decision, Some(sup), Some(json!({"accept": true}))).await;
    let recheck = format!("{one}/recheck");
    let held = json!({"held": true, "notes": "回头看：制度执行到位"});
    k.call("post", "/rectifications/{id}/recheck", &recheck, Some(sup), Some(held.clone())).await;
    k.call("post", "/rectifications/{id}/recheck", &recheck, Some(sup), Some(held)).await; // 422
    let inst = json!({"unit_id": unit.to_string(), "name": "采购回避制度", "doc_no": "院发〔2026〕1号",
        "issued_on": "2020-01-02", "rectification": id.to_string()});
    k.call("post", "/institutions", "/institutions", Some(insp), Some(inst)).await;
    k.call("post", "/institutions", "/institutions", Some(insp), Some(json!({"name": ""}))).await; // 422
    let listed = k.call("get", "/institutions", "/institutions", Some(sup), None).await;
    assert!(listed["items"].as_array().unwrap().iter().any(|i| i["rectification_id"] == id), "{listed}");
}

/// Calls every accountability and early-warning operation (`unit` is the inspector's hospital).
pub(crate) async fn accountability(k: &mut Checker<'_>, (insp, sup): (&str, &str), unit: i64) {
    let decision = json!({"target": "organisation", "unit_id": unit.to_string(), "ground": "weak_push",
        "form": "notice", "decided_on": "2020-01-02", "doc_no": "卫纪发〔2020〕1号", "source": "bulletin",
        "source_ref": "专项斗争通报第1期"});
    k.call("post", "/accountability", "/accountability", Some(insp), Some(decision.clone())).await; // 403
    k.call("post", "/accountability", "/accountability", Some(sup), Some(json!({"target": "person"}))).await; // 422
    k.call("post", "/accountability", "/accountability", Some(sup), Some(decision)).await;
    let book = k.call("get", "/accountability", "/accountability?year=2020", Some(insp), None).await;
    assert_eq!(book["items"].as_array().unwrap().len(), 1, "{book}");
    k.call("get", "/accountability", "/accountability?year=x", Some(sup), None).await; // 400
    let warning = json!({"unit_id": unit.to_string(), "person": "郑某", "problem": "接受宴请", "source": "reports",
        "intervention": "criticism", "given_on": "2020-01-02", "given_by": "纪检监察室"});
    let made = k.call("post", "/early-warnings", "/early-warnings", Some(insp), Some(warning)).await;
    k.call("post", "/early-warnings", "/early-warnings", Some(insp), Some(json!({}))).await; // 422
    let follow = format!("/early-warnings/{}/follow-up", made["id"]);
    k.call("post", "/early-warnings/{id}/follow-up", &follow, Some(insp), Some(json!({"follow_up": "已整改"}))).await;
    k.call(
        "post",
        "/early-warnings/{id}/follow-up",
        "/early-warnings/99999999/follow-up",
        Some(insp),
        Some(json!({"follow_up": "x"})),
    )
    .await; // 404
    let listed = k.call("get", "/early-warnings", "/early-warnings", Some(sup), None).await;
    assert!(listed["items"].as_array().unwrap().iter().any(|w| w["id"] == made["id"]), "{listed}");
}

/// Calls every clearing operation on a 查否 lead of the inspector's hospital (`unit`): proposed
/// by `insp`, approved by `chief`, carried out by `insp` with the written clearing, flagged by `sup`.
pub(crate) async fn clearings(k: &mut Checker<'_>, (insp, sup, chief): (&str, &str, &str), unit: i64) {
    let list = k.call("get", "/clearings", "/clearings", Some(insp), None).await;
    let taken: Vec<i64> = list["items"].as_array().unwrap().iter().map(|c| c["lead_id"].as_i64().unwrap()).collect();
    let concluded =
        k.call("get", "/leads", &format!("/leads?status=closed&unit_id={unit}&per_page=100"), Some(sup), None).await;
    let items = concluded["items"].as_array().unwrap();
    let case = items
        .iter()
        .find(|l| {
            l["finding"] == "unfounded"
                && (l["status"] == "concluded" || l["status"] == "struck_off")
                && !taken.contains(&l["id"].as_i64().unwrap())
        })
        .unwrap_or_else(|| panic!("a 查否 lead: {concluded}"));
    let other = items.iter().find(|l| l["id"] != case["id"]).unwrap();
    let person = case["subjects"][0]["name"].clone();
    k.call("post", "/clearings", "/clearings", Some(insp), Some(json!({}))).await; // 422
    let proposal = json!({"lead": case["number"], "origin": "unit", "person": person, "reason": "反映失实，予以澄清"});
    let made = k.call("post", "/clearings", "/clearings", Some(insp), Some(proposal)).await;
    let one = format!("/clearings/{}", made["id"]);
    k.call("get", "/clearings/{id}", &one, Some(insp), None).await;
    k.call("get", "/clearings/{id}", "/clearings/99999999", Some(insp), None).await; // 404
    let docx = format!("{one}/letter.docx");
    k.call("get", "/clearings/{id}/letter.docx", &docx, Some(insp), None).await; // 422: not carried out
    let decision = format!("{one}/decision");
    k.call("post", "/clearings/{id}/decision", &decision, Some(insp), Some(json!({"approve": true}))).await; // 403
    k.call("post", "/clearings/{id}/decision", &decision, Some(chief), Some(json!({"approve": true}))).await;
    let done = format!("{one}/done");
    k.call("post", "/clearings/{id}/done", &done, Some(insp), Some(json!({"mode": "letter"}))).await; // 422
    let carried = json!({"mode": "in_person", "held_on": "2020-01-02", "letter": "经核查，反映问题失实，予以澄清。"});
    k.call("post", "/clearings/{id}/done", &done, Some(insp), Some(carried)).await;
    k.call("get", "/clearings/{id}/letter.docx", &docx, Some(insp), None).await;
    let flag = format!("{one}/false-accusation");
    let bad = json!({"accuser_lead": "x", "note": "诬告"});
    k.call("post", "/clearings/{id}/false-accusation", &flag, Some(sup), Some(bad)).await; // 422
    let good = json!({"accuser_lead": other["number"], "note": "经查系诬告"});
    k.call("post", "/clearings/{id}/false-accusation", &flag, Some(sup), Some(good)).await;
    let got = k.call("get", "/clearings/{id}", &one, Some(sup), None).await;
    assert_eq!(got["false_accusation"]["accuser_lead_id"], other["id"], "{got}");
}

/// Calls every library and warning-education operation.
pub(crate) async fn library(k: &mut Checker<'_>, (insp, sup): (&str, &str), unit: i64) {
    let case = json!({"title": "某医院采购回扣案", "category": "other", "text": "某科长在采购中收受回扣", "lessons": "分权制衡"});
    k.call("post", "/library/cases", "/library/cases", Some(insp), Some(case.clone())).await; // 403
    k.call("post", "/library/cases", "/library/cases", Some(sup), Some(json!({"title": ""}))).await; // 422
    let made = k.call("post", "/library/cases", "/library/cases", Some(sup), Some(case)).await;
    let publish = format!("/library/cases/{}/publish", made["id"]);
    k.call("post", "/library/cases/{id}/publish", &publish, Some(sup), None).await;
    k.call("post", "/library/cases/{id}/publish", "/library/cases/99999999/publish", Some(sup), None).await; // 404
    let cases = k.call("get", "/library/cases", "/library/cases?q=%E5%9B%9E%E6%89%A3", Some(insp), None).await;
    assert!(cases["items"].as_array().unwrap().iter().any(|c| c["id"] == made["id"]), "published, found: {cases}");
    let practice =
        json!({"unit_id": unit.to_string(), "title": "双人询价", "practised_on": "2020-01-02", "text": "询价两人同行"});
    let p = k.call("post", "/library/practices", "/library/practices", Some(insp), Some(practice)).await;
    k.call("post", "/library/practices", "/library/practices", Some(insp), Some(json!({}))).await; // 422
    let publish = format!("/library/practices/{}/publish", p["id"]);
    k.call("post", "/library/practices/{id}/publish", &publish, Some(insp), None).await;
    k.call("get", "/library/practices", "/library/practices", Some(sup), None).await;
    let event = json!({"unit_id": unit.to_string(), "held_on": "2020-01-03", "form": "meeting", "attendance": "80",
        "case": made["id"].to_string()});
    k.call("post", "/education-events", "/education-events", Some(insp), Some(event)).await;
    k.call("post", "/education-events", "/education-events", Some(insp), Some(json!({"attendance": "0"}))).await; // 422
    let events = k.call("get", "/education-events", "/education-events", Some(sup), None).await;
    assert!(events["items"].as_array().unwrap().iter().any(|e| e["case_id"] == made["id"]), "{events}");
}

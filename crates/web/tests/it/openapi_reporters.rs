//! The API of feedback to reporters and the satisfaction rate (issue 16), called for real for the
//! OpenAPI check.

use serde_json::json;

use crate::openapi::Checker;

/// Calls every feedback operation: the inspector `insp` tells a signed reporter of the unit the
/// result of a concluded lead, follows up, records an objection and answers it; the root
/// supervisor `sup` reads the satisfaction rate.
pub(crate) async fn feedback(k: &mut Checker<'_>, (insp, sup): (&str, &str), unit: i64, today: &str) {
    let concluded =
        k.call("get", "/leads", &format!("/leads?status=concluded&unit_id={unit}&per_page=100"), Some(sup), None).await;
    let mut owed = None;
    for l in concluded["items"].as_array().unwrap() {
        let path = format!("/leads/{}/feedback", l["id"]);
        let page = k.call("get", "/leads/{id}/feedback", &path, Some(insp), None).await;
        if page["signed"] == true && page["may_record"] == json!(["result"]) {
            owed = Some(path);
            break;
        }
    }
    let path = owed.unwrap_or_else(|| panic!("a concluded signed lead owed its result: {concluded}"));
    k.call("get", "/leads/{id}/feedback", "/leads/99999999/feedback", Some(insp), None).await; // 404
    k.call("post", "/leads/{id}/feedback", &path, Some(insp), Some(json!({}))).await; // 422
    let result = json!({"kind": "result", "contacted_on": today, "method": "phone", "note": "电话告知办理结果"});
    let told = k.call("post", "/leads/{id}/feedback", &path, Some(insp), Some(result)).await;
    assert!(told["id"].as_i64().is_some(), "{told}");
    let follow = json!({"kind": "follow_up", "contacted_on": today, "method": "in_person",
        "rating": "unsatisfied", "reasons": "认为处理偏轻"});
    k.call("post", "/leads/{id}/feedback", &path, Some(insp), Some(follow)).await;
    let page = k.call("get", "/leads/{id}/feedback", &path, Some(insp), None).await;
    assert_eq!(page["feedback"].as_array().unwrap().len(), 2, "{page}");

    let objections = path.replace("/feedback", "/objections");
    k.call("post", "/leads/{id}/objections", &objections, Some(insp), Some(json!({}))).await; // 422
    let objection = json!({"received_on": today, "method": "letter", "content": "对处理结果有异议"});
    let made = k.call("post", "/leads/{id}/objections", &objections, Some(insp), Some(objection)).await;
    let answer = format!("{objections}/{}/answer", made["id"]);
    let route = "/leads/{id}/objections/{objection}/answer";
    k.call("post", route, &answer, Some(insp), Some(json!({}))).await; // 422
    let upheld = json!({"answered_on": today, "outcome": "upheld", "answer": "经复核，处理适当，维持原结论"});
    let answered = k.call("post", route, &answer, Some(insp), Some(upheld)).await;
    assert_eq!(answered["state"], "upheld", "{answered}");

    let rate = k.call("get", "/satisfaction", "/satisfaction", Some(sup), None).await;
    assert!(rate["total"]["followed_up"].as_i64().unwrap() >= 1, "{rate}");
    k.call("get", "/satisfaction", "/satisfaction?from=2019-12-31&to=2019-01-01", Some(sup), None).await; // 422
    k.call("get", "/satisfaction", "/satisfaction?from=x", Some(sup), None).await; // 422
}

/// Calls every intake operation on `report` (filed, not yet routed): the root supervisor `sup`
/// routes it to the inspector's hospital `unit`, the inspector `insp` asks and registers it.
pub(crate) async fn intake(k: &mut Checker<'_>, (insp, sup): (&str, &str), (report, file): (i64, i64), unit: i64) {
    let queue = k.call("get", "/portal-reports", "/portal-reports", Some(sup), None).await;
    assert!(queue["items"].as_array().unwrap().iter().any(|r| r["id"] == report), "{queue}");
    k.call("get", "/portal-reports", "/portal-reports?decided=x", Some(sup), None).await; // 400
    k.call("get", "/portal-reports", "/portal-reports?decided=true&page=1", Some(sup), None).await;
    let one = format!("/portal-reports/{report}");
    let d = k.call("get", "/portal-reports/{id}", &one, Some(sup), None).await;
    assert_eq!(d["may_decide"], true, "{d}");
    k.call("get", "/portal-reports/{id}", "/portal-reports/99999999", Some(sup), None).await; // 404
    let files = "/portal-reports/{id}/files/{file}";
    k.call("get", files, &format!("{one}/files/{file}"), Some(sup), None).await;
    k.call("get", files, &format!("{one}/files/99999999"), Some(sup), None).await; // 404
    let route = format!("{one}/route");
    let to = json!({"unit_id": unit.to_string()});
    k.call("post", "/portal-reports/{id}/route", &route, Some(insp), Some(to.clone())).await; // 403
    k.call("post", "/portal-reports/{id}/route", &route, Some(sup), Some(to)).await;
    let messages = format!("{one}/messages");
    k.call("post", "/portal-reports/{id}/messages", &messages, Some(insp), Some(json!({}))).await; // 400
    k.call("post", "/portal-reports/{id}/messages", &messages, Some(insp), Some(json!({"text": "请补充具体时间"})))
        .await;
    let register = format!("{one}/register");
    let bare = json!({"unit_id": unit.to_string(), "category": ""});
    k.call("post", "/portal-reports/{id}/register", &register, Some(insp), Some(bare)).await; // 422
    let full = json!({"unit_id": unit.to_string(), "category": "work_style", "subject": "某科长",
        "responsible_leader": "张副院长", "responsible_person": "李某某"});
    let lead = k.call("post", "/portal-reports/{id}/register", &register, Some(insp), Some(full)).await;
    assert!(lead["id"].as_i64().is_some(), "{lead}");
    let refuse = format!("{one}/not-accepted");
    k.call("post", "/portal-reports/{id}/not-accepted", &refuse, Some(insp), Some(json!({"reason": "不属于受理范围"})))
        .await; // 422
}

/// A report filed on the portal (not yet routed), for the intake's operations.
pub(crate) async fn filed_on_the_portal(s: &crate::support::Server) -> (i64, i64) {
    let r = s.app.reporters();
    let c = r.portal_challenge(1);
    let nonce = (0u64..).find(|n| domain::reporters::portal::proof_holds(&c.token, *n, 1)).unwrap().to_string();
    let input = domain::reporters::intake::PortalReportInput {
        what: "文档核对：网上举报某科室违规收费".into(),
        passphrase: "文档核对查询密码".into(),
        passphrase_again: "文档核对查询密码".into(),
        acknowledged: "on".into(),
        ..Default::default()
    };
    let receipt = r.portal_file(&input, (&c.token, &nonce), 1).await.unwrap();
    let token = r.portal_open(&receipt.code, "文档核对查询密码").await.unwrap();
    let csrf = r.portal_view(&token).await.unwrap().csrf;
    let text = "补充材料：收费单据的说明".as_bytes();
    let mut up = r.portal_attach_begin(&token, &csrf, "补充说明.txt", text).await.unwrap();
    r.attach_more(&mut up, text).await.unwrap();
    let file = r.portal_attach_finish(up).await.unwrap().id;
    let sup = s.actor("supervisor").await;
    (r.intake(&sup, true, 1).await.unwrap().items[0].id, file)
}

/// Calls every attachment operation on the inspector's lead `lead`.
pub(crate) async fn attachments(k: &mut Checker<'_>, insp: &str, lead: i64) {
    let list = format!("/leads/{lead}/attachments");
    let route = "/leads/{id}/attachments";
    let bad = format!("{list}?name=scan.pdf");
    k.upload(route, &bad, insp, b"MZ\x90\x00 not a pdf at all".to_vec()).await; // 422: content
    let good = format!("{list}?name=%E6%A0%B8%E6%9F%A5%E6%8A%A5%E5%91%8A.txt");
    let kept = k.upload(route, &good, insp, "核查报告：经核查，反映问题部分属实。".as_bytes().to_vec()).await;
    assert_eq!((kept["name"].as_str(), kept["kind"].as_str()), (Some("核查报告.txt"), Some("txt")), "{kept}");
    let steps = k.call("get", "/leads/{id}/timeline", &format!("/leads/{lead}/timeline"), Some(insp), None).await;
    let step = steps["items"][0]["id"].as_i64().unwrap();
    let on_step = format!("{list}?name=%E5%9B%9E%E5%A4%8D.txt&step={step}");
    let kept_on = k.upload(route, &on_step, insp, "函询回复：情况属实。".as_bytes().to_vec()).await;
    assert_eq!((kept_on["record"].as_str(), kept_on["record_id"].as_i64()), (Some("step"), Some(step)), "{kept_on}");
    k.upload(route, &format!("{list}?name=a.txt&step=99999999"), insp, b"text".to_vec()).await; // 422: not its step
    let listed = k.call("get", route, &list, Some(insp), None).await;
    assert_eq!(listed.as_array().unwrap().len(), 2, "{listed}");
    let one = format!("{list}/{}", kept["id"]);
    k.call("get", "/leads/{id}/attachments/{attachment}", &one, Some(insp), None).await;
    k.call("get", "/leads/{id}/attachments/{attachment}", &format!("{list}/99999999"), Some(insp), None).await; // 404
}

//! Feedback to a reporter in a real Chromium (issue 16): from the lead page the inspector tells a
//! signed reporter the result, records the follow-up — refused first without the reasons of an
//! unsatisfied reporter — and answers the reporter's objection; the supervisor reads the unit's
//! satisfaction rate.

use domain::reporters::feedback::FeedbackKind;
use fantoccini::{Client, Locator};
use store::Backend;

use crate::browser::{browser, chromedriver, screenshot_dir, sign_in, sign_in_as, wait_for_text};
use crate::support::start;

testkit::both!(a_reporter_is_told_followed_up_and_answered_in_the_browser);

async fn fill(c: &Client, id: &str, text: &str) {
    let e = c.find(Locator::Id(id)).await.unwrap();
    e.clear().await.unwrap();
    e.send_keys(text).await.unwrap();
}

async fn submit(c: &Client, form: &str) {
    c.find(Locator::Css(&format!("#{form} button[type=submit]"))).await.unwrap().click().await.unwrap();
}

async fn a_reporter_is_told_followed_up_and_answered_in_the_browser(b: Backend) {
    let s = start(b).await;
    let insp = s.actor("inspector").await;
    let params = domain::ledger::query::LedgerParams {
        status: "concluded".into(),
        unit_id: insp.unit_id.to_string(),
        per_page: "100".into(),
        ..Default::default()
    };
    // A concluded lead of a signed reporter still owed its result (the demo keeps some), and the
    // demo's objection waiting for its answer.
    let mut owed = None;
    let mut objected = None;
    for l in s.app.ledger().list(&insp.ledger().unwrap(), &params).await.unwrap().items {
        let f = s.app.reporters().feedback(&insp, l.id).await.unwrap();
        if owed.is_none() && f.signed && f.may_record == [FeedbackKind::Result] {
            owed = Some(l.id.get());
        }
        if objected.is_none() && !f.may_answer.is_empty() {
            objected = Some((l.id.get(), f.may_answer[0]));
        }
    }
    let (lead, (objected, objection)) = (owed.unwrap(), objected.unwrap());

    let driver = chromedriver().await;
    let profile = tempfile::tempdir().unwrap();
    let c = browser(&driver, profile.path()).await;
    c.set_window_size(1366, 768).await.unwrap();
    sign_in(&c, &s, "inspector").await;
    c.goto(&s.url(&format!("/leads/{lead}"))).await.unwrap();
    c.find(Locator::Id("feedback-link")).await.unwrap().click().await.unwrap();
    wait_for_text(&c, "办结后15个工作日内反馈办理结果").await;
    // The result notice, by phone today (the form's defaults).
    submit(&c, "fb-form").await;
    let page = wait_for_text(&c, "已登记反馈").await;
    assert!(page.contains("结果反馈") && page.contains("电话"), "{page}");
    // The follow-up: unsatisfied without reasons is refused, with the reasons recorded.
    c.find(Locator::Id("fb-kind")).await.unwrap().select_by_value("follow_up").await.unwrap();
    c.find(Locator::Id("fb-method")).await.unwrap().select_by_value("in_person").await.unwrap();
    c.find(Locator::Id("fb-rating")).await.unwrap().select_by_value("unsatisfied").await.unwrap();
    submit(&c, "fb-form").await;
    wait_for_text(&c, "举报人不满意的，请记录其理由").await;
    fill(&c, "fb-reasons", "认为处理偏轻").await;
    submit(&c, "fb-form").await;
    let page = wait_for_text(&c, "已登记反馈").await;
    assert!(page.contains("不满意") && page.contains("认为处理偏轻") && page.contains("当面"), "{page}");
    assert!(page.contains("目前没有应登记的反馈"), "told and followed up: nothing owed");
    if b == Backend::Sqlite {
        std::fs::write(screenshot_dir().join("feedback.png"), c.screenshot().await.unwrap()).unwrap();
    }

    // The reporter's objection brought new material: the answer says how it was checked.
    c.goto(&s.url(&format!("/leads/{objected}/feedback"))).await.unwrap();
    wait_for_text(&c, "提供了新材料").await;
    let form = format!("an{objection}");
    fill(&c, &format!("{form}-answer"), "经复核，原结论正确，维持").await;
    submit(&c, &format!("{form}-form")).await;
    wait_for_text(&c, "举报人提供了新材料，须写明核查情况").await;
    fill(&c, &format!("{form}-material_checked"), "调取转账记录核对，与所反映问题无关").await;
    submit(&c, &format!("{form}-form")).await;
    let page = wait_for_text(&c, "已登记答复").await;
    assert!(page.contains("已答复，维持原结论") && page.contains("调取转账记录核对"), "{page}");

    // The supervisor reads the rate per unit, the hospital's unsatisfied reporter counted.
    sign_in_as(&c, &s, "supervisor", lead).await;
    c.goto(&s.url("/reporters/satisfaction")).await.unwrap();
    let page = wait_for_text(&c, "满意率").await;
    assert!(page.contains("市第一人民医院") && page.contains("合计"), "{page}");
    let total = c.find(Locator::Id("satisfaction-total")).await.unwrap().text().await.unwrap();
    assert!(total.contains('%'), "{total}");
    if b == Backend::Sqlite {
        std::fs::write(screenshot_dir().join("satisfaction.png"), c.screenshot().await.unwrap()).unwrap();
    }
    c.close().await.unwrap();
}

//! The libraries in a real Chromium (issue 15): the supervisor writes a typical case — refused
//! while it names a person of the case it comes from — and publishes it; an inspector finds it
//! by a word and records the warning-education event that used it.

use fantoccini::{Client, Locator};
use store::Backend;

use crate::browser::{browser, chromedriver, screenshot_dir, sign_in, sign_in_as, wait_for_text};
use crate::support::start;

testkit::both!(a_typical_case_is_written_published_and_used_in_warning_education);

async fn fill(c: &Client, id: &str, text: &str) {
    let e = c.find(Locator::Id(id)).await.unwrap();
    e.clear().await.unwrap();
    e.send_keys(text).await.unwrap();
}

async fn a_typical_case_is_written_published_and_used_in_warning_education(b: Backend) {
    let s = start(b).await;
    // The 查否 lead about 褚某某 of the demo's relations: its name may not appear in the case.
    let sup = s.actor("supervisor").await;
    let params =
        domain::ledger::query::LedgerParams { q: "褚某某".into(), status: "closed".into(), ..Default::default() };
    let lead = s.app.ledger().list(&sup.ledger().unwrap(), &params).await.unwrap().items.remove(0);
    let driver = chromedriver().await;
    let profile = tempfile::tempdir().unwrap();
    let c = browser(&driver, profile.path()).await;
    c.set_window_size(1366, 768).await.unwrap();
    sign_in(&c, &s, "supervisor").await;
    c.find(Locator::LinkText("典型案例")).await.unwrap().click().await.unwrap();
    wait_for_text(&c, "隐去当事人姓名").await;
    c.find(Locator::Css("#lib summary")).await.unwrap().click().await.unwrap();
    fill(&c, "lib-title", "某医院设备科科长收受回扣案").await;
    c.find(Locator::Id("lib-category")).await.unwrap().select_by_value("gang_corruption").await.unwrap();
    fill(&c, "lib-lead", lead.number.as_str()).await;
    fill(&c, "lib-text", "设备科科长褚某某多次收受供应商回扣").await;
    fill(&c, "lib-lessons", "采购与验收必须分离").await;
    c.find(Locator::Css("#lib-form button[type=submit]")).await.unwrap().click().await.unwrap();
    wait_for_text(&c, "典型案例须隐去当事人姓名（发现“褚某某”）").await;
    fill(&c, "lib-text", "设备科某科长多次收受供应商回扣，查否后被再次反映").await;
    c.find(Locator::Css("#lib-form button[type=submit]")).await.unwrap().click().await.unwrap();
    let page = wait_for_text(&c, "已保存").await;
    assert!(page.contains("草稿"), "{page}");
    c.find(Locator::Css("#entries form.inline button")).await.unwrap().click().await.unwrap();
    wait_for_text(&c, "已发布，各单位均可查阅").await;
    let id = c.find(Locator::Css("#entries article")).await.unwrap().attr("id").await.unwrap().unwrap();
    let id = id.trim_start_matches("entry-").to_owned();

    sign_in_as(&c, &s, "inspector", lead.id.get()).await;
    c.goto(&s.url("/library/cases?q=%E6%9F%A5%E5%90%A6%E5%90%8E")).await.unwrap();
    let page = wait_for_text(&c, "查否后被再次反映").await;
    assert!(page.contains("已发布"), "{page}");
    c.goto(&s.url("/oversight/education")).await.unwrap();
    wait_for_text(&c, "警示教育").await;
    c.find(Locator::Css("#edu summary")).await.unwrap().click().await.unwrap();
    fill(&c, "edu-held_on", "2020-01-02").await;
    c.find(Locator::Id("edu-form")).await.unwrap();
    c.find(Locator::Css("#edu-form select[name=form]")).await.unwrap().select_by_value("case_talk").await.unwrap();
    fill(&c, "edu-attendance", "60").await;
    fill(&c, "edu-case", &id).await;
    c.find(Locator::Css("#edu-form button[type=submit]")).await.unwrap().click().await.unwrap();
    let page = wait_for_text(&c, "已登记警示教育活动").await;
    assert!(page.contains("某医院设备科科长收受回扣案") && page.contains("以案说法"), "{page}");
    if b == Backend::Sqlite {
        std::fs::write(screenshot_dir().join("education.png"), c.screenshot().await.unwrap()).unwrap();
    }
    c.close().await.unwrap();
}

//! Accountability and early intervention in a real Chromium (issue 15): from a review returned
//! with dereliction found, the supervisor records the accountability with the form filled from
//! the review; an inspector records an early warning and follows it up.

use fantoccini::{Client, Locator};
use store::Backend;

use crate::browser::{browser, chromedriver, screenshot_dir, sign_in, sign_out, wait_for_text};
use crate::support::start;

testkit::both!(accountability_from_a_review_and_an_early_warning_in_the_browser);

async fn fill(c: &Client, id: &str, text: &str) {
    let e = c.find(Locator::Id(id)).await.unwrap();
    e.clear().await.unwrap();
    e.send_keys(text).await.unwrap();
}

async fn choose(c: &Client, id: &str, value: &str) {
    c.find(Locator::Id(id)).await.unwrap().select_by_value(value).await.unwrap();
}

async fn accountability_from_a_review_and_an_early_warning_in_the_browser(b: Backend) {
    let s = start(b).await;
    let driver = chromedriver().await;
    let profile = tempfile::tempdir().unwrap();
    let c = browser(&driver, profile.path()).await;
    c.set_window_size(1366, 768).await.unwrap();

    // The demo's returned review proposes accountability; its link fills the form.
    sign_in(&c, &s, "supervisor").await;
    c.goto(&s.url("/oversight/reviews?state=returned")).await.unwrap();
    wait_for_text(&c, "退回重新调查").await;
    c.find(Locator::Css("#reviews tbody tr td:last-child a")).await.unwrap().click().await.unwrap();
    wait_for_text(&c, "发现失职失责，建议问责").await;
    c.find(Locator::Id("record-accountability")).await.unwrap().click().await.unwrap();
    wait_for_text(&c, "问责情形").await;
    let source = c.find(Locator::Id("acc-source")).await.unwrap().prop("value").await.unwrap();
    assert_eq!(source.as_deref(), Some("review"), "filled from the review");
    choose(&c, "acc-ground", "gangs_not_fought").await;
    choose(&c, "acc-form", "inspection").await;
    fill(&c, "acc-decided_on", "2020-01-02").await;
    c.find(Locator::Css("#acc-form button[type=submit]")).await.unwrap().click().await.unwrap();
    let page = wait_for_text(&c, "未能提交").await;
    assert!(page.contains("决定文号"), "the missing number is named: {page}");
    fill(&c, "acc-doc_no", "卫纪发〔2020〕3号").await;
    c.find(Locator::Css("#acc-form button[type=submit]")).await.unwrap().click().await.unwrap();
    wait_for_text(&c, "已登记问责").await;
    c.goto(&s.url("/oversight/accountability?year=2020")).await.unwrap();
    let page = wait_for_text(&c, "卫纪发〔2020〕3号").await;
    assert!(page.contains("有黑不打") && page.contains("复审退回重查"), "{page}");
    if b == Backend::Sqlite {
        std::fs::write(screenshot_dir().join("accountability.png"), c.screenshot().await.unwrap()).unwrap();
    }
    sign_out(&c).await;

    // An inspector records an early warning at the hospital and follows it up.
    sign_in(&c, &s, "inspector").await;
    c.find(Locator::LinkText("抓早抓小")).await.unwrap().click().await.unwrap();
    wait_for_text(&c, "苗头性问题").await;
    c.find(Locator::Css("#ew summary")).await.unwrap().click().await.unwrap();
    fill(&c, "ew-person", "韩某").await;
    choose(&c, "ew-source", "reports").await;
    choose(&c, "ew-intervention", "admonition").await;
    fill(&c, "ew-given_on", "2020-01-03").await;
    fill(&c, "ew-given_by", "纪检监察室 李某").await;
    fill(&c, "ew-problem", "利用职务便利为亲属承揽业务").await;
    c.find(Locator::Css("#ew-form button[type=submit]")).await.unwrap().click().await.unwrap();
    let page = wait_for_text(&c, "已登记").await;
    assert!(page.contains("利用职务便利为亲属承揽业务") && page.contains("诫勉"), "{page}");
    if b == Backend::Sqlite {
        std::fs::write(screenshot_dir().join("early-warnings.png"), c.screenshot().await.unwrap()).unwrap();
    }
    c.close().await.unwrap();
}

//! A campaign's report outline in a real Chromium (issue 17, point 5): the committee's
//! supervisor drops a section and says what another must cover, copies the campaign as next
//! year's from the campaigns page, and finds the outline in the copy; the hospital's inspector
//! writing next year's report sees the guidance beside the section and not the one dropped.

use fantoccini::Locator;
use store::Backend;

use crate::browser::{browser, chromedriver, screenshot_dir, sign_in, sign_out, wait_for_text};
use crate::support::start;

testkit::both!(the_committee_sets_the_outline_copies_the_campaign_and_a_unit_writes_to_it);

async fn the_committee_sets_the_outline_copies_the_campaign_and_a_unit_writes_to_it(b: Backend) {
    let s = start(b).await;
    let driver = chromedriver().await;
    let profile = tempfile::tempdir().unwrap();
    let c = browser(&driver, profile.path()).await;
    c.set_window_size(1366, 768).await.unwrap();
    let guidance = "写明下一阶段每月清零目标和责任人。";

    sign_in(&c, &s, "supervisor").await;
    c.find(Locator::Id("nav-work-reports")).await.unwrap().click().await.unwrap();
    c.find(Locator::Id("to-outline")).await.unwrap().click().await.unwrap();
    wait_for_text(&c, "写作要求").await;
    c.find(Locator::Id("outline-asked_institutions")).await.unwrap().click().await.unwrap();
    let next_steps = c.find(Locator::Id("outline-guidance_next_steps")).await.unwrap();
    next_steps.send_keys(guidance).await.unwrap();
    c.find(Locator::Id("outline-save")).await.unwrap().click().await.unwrap();
    wait_for_text(&c, "报告提纲已保存。").await;
    assert!(!c.find(Locator::Id("outline-asked_institutions")).await.unwrap().is_selected().await.unwrap());
    if b == Backend::Sqlite {
        std::fs::write(screenshot_dir().join("report-outline.png"), c.screenshot().await.unwrap()).unwrap();
    }

    // Next year's campaign, from the campaigns page's copy of this one.
    c.goto(&s.url("/campaigns")).await.unwrap();
    wait_for_text(&c, "评分规则和报告提纲一并复制").await;
    c.find(Locator::Css("#campaign-form button.primary")).await.unwrap().click().await.unwrap();
    wait_for_text(&c, "已新建专项工作").await;
    c.goto(&s.url("/reporting/report-outline")).await.unwrap();
    let page = wait_for_text(&c, "写作要求").await;
    assert!(page.contains("2027"), "the new campaign is the current one: {page:.200}");
    let kept = c.find(Locator::Id("outline-guidance_next_steps")).await.unwrap().prop("value").await.unwrap();
    assert_eq!(kept.as_deref(), Some(guidance), "the copy took the outline along");
    assert!(!c.find(Locator::Id("outline-asked_institutions")).await.unwrap().is_selected().await.unwrap());
    sign_out(&c).await;

    // The inspector writes next year's report to it.
    sign_in(&c, &s, "inspector").await;
    let insp = s.actor("inspector").await;
    c.goto(&s.url(&format!("/reporting/work-reports/{}", insp.unit_id))).await.unwrap();
    wait_for_text(&c, guidance).await;
    assert!(c.find(Locator::Id("report-section_institutions")).await.is_err(), "the section dropped is not asked for");
    assert!(c.find(Locator::Id("report-section_digging")).await.is_ok());
    let hint = c.find(Locator::Id("report-section_next_steps-hint")).await.unwrap().text().await.unwrap();
    assert_eq!(hint, guidance);
    if b == Backend::Sqlite {
        c.execute("document.getElementById('report-section_next_steps').scrollIntoView()", vec![]).await.unwrap();
        std::fs::write(screenshot_dir().join("work-report-outline.png"), c.screenshot().await.unwrap()).unwrap();
    }
    c.close().await.unwrap();
}

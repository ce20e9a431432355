//! Campaigns in a real Chromium: the supervising office creates next year's campaign from
//! the prefilled copy, sees it become current, and closes it after confirming.

use fantoccini::Locator;
use store::Backend;

use crate::browser::{browser, chromedriver, main_text, screenshot_dir, sign_in_as, wait_for_text};
use crate::support::start;

testkit::both!(the_supervising_office_creates_and_closes_a_campaign);

async fn the_supervising_office_creates_and_closes_a_campaign(b: Backend) {
    let s = start(b).await;
    let driver = chromedriver().await;
    let profile = tempfile::tempdir().unwrap();
    let c = browser(&driver, profile.path()).await;
    c.set_window_size(1366, 768).await.unwrap();
    sign_in_as(&c, &s, "supervisor", 0).await;
    c.goto(&s.url("/ledger")).await.unwrap();
    c.find(Locator::Css("nav a[href='/campaigns']")).await.unwrap().click().await.unwrap();
    let page = wait_for_text(&c, "新建专项工作").await;
    let current = s.app.ledger().campaigns(&s.actor("supervisor").await).await.unwrap().items.remove(0);
    assert!(page.contains(&current.campaign.plan.name) && page.contains("当前"), "{page}");
    // The form is the current campaign a year later; a wrong date comes back marked.
    let cutoff = c.find(Locator::Id("c-stock_cutoff")).await.unwrap();
    let typed = cutoff.prop("value").await.unwrap().unwrap();
    let next_year = domain::dates::add_months(current.campaign.plan.stock_cutoff, 12);
    assert_eq!(typed, domain::dates::format_date(next_year));
    let deadline = c.find(Locator::Id("c-clearance_deadline")).await.unwrap();
    deadline.clear().await.unwrap();
    deadline.send_keys(&typed).await.unwrap();
    c.find(Locator::Css("#campaign-form button[type=submit]")).await.unwrap().click().await.unwrap();
    // One message per field: the deadline is both not after the cut-off and past the period.
    let refused = wait_for_text(&c, "清零期限应").await;
    assert!(refused.contains("清零期限应"), "{refused}");
    let name = c.find(Locator::Id("c-name")).await.unwrap();
    assert!(!name.prop("value").await.unwrap().unwrap_or_default().is_empty(), "what was typed stays");
    let deadline = c.find(Locator::Id("c-clearance_deadline")).await.unwrap();
    deadline.clear().await.unwrap();
    let fixed = domain::dates::add_months(current.campaign.plan.clearance_deadline, 12);
    deadline.send_keys(&domain::dates::format_date(fixed)).await.unwrap();
    name.clear().await.unwrap();
    name.send_keys("下一年度扫黑除恶专项（浏览器测试）").await.unwrap();
    c.find(Locator::Css("#campaign-form button[type=submit]")).await.unwrap().click().await.unwrap();
    let listed = wait_for_text(&c, "已新建专项工作").await;
    assert!(listed.contains("下一年度扫黑除恶专项(浏览器测试)"), "{listed}");
    if b == Backend::Sqlite {
        std::fs::write(screenshot_dir().join("campaigns.png"), c.screenshot().await.unwrap()).unwrap();
    }
    let book = s.app.ledger().campaigns(&s.actor("supervisor").await).await.unwrap();
    let made = &book.items[0];
    assert!(made.current && made.campaign.plan.name.contains("浏览器测试"), "new leads go to it");
    // Closing asks first; the demo's campaign is current again.
    let close = format!("#campaign-{} form button[type=submit]", made.campaign.id);
    c.find(Locator::Css(&close)).await.unwrap().click().await.unwrap();
    assert!(c.get_alert_text().await.unwrap().contains("确认结束该专项工作"));
    c.accept_alert().await.unwrap();
    wait_for_text(&c, "专项工作已结束").await;
    let book = s.app.ledger().campaigns(&s.actor("supervisor").await).await.unwrap();
    assert!(book.items[0].closed && book.items[1].current);
    assert!(main_text(&c).await.contains("已结束"));
    c.close().await.unwrap();
}

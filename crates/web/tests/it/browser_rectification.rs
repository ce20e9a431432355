//! One rectification in a real Chromium (issue 15), from the letter to the re-check: the
//! supervisor issues the letter on a concluded case and prints it, the hospital's inspector
//! writes the analysis and a measure, its head signs the reply (confirming first), the
//! supervisor accepts it and records the re-check.

use fantoccini::{Client, Locator};
use store::Backend;

use crate::browser::{browser, chromedriver, screenshot_dir, sign_in, sign_out, wait_for_text};
use crate::support::start;

testkit::both!(a_rectification_goes_from_the_letter_to_the_recheck_in_the_browser);

async fn fill(c: &Client, id: &str, text: &str) {
    let e = c.find(Locator::Id(id)).await.unwrap();
    e.clear().await.unwrap();
    e.send_keys(text).await.unwrap();
}

async fn submit(c: &Client, form: &str) {
    c.find(Locator::Css(&format!("#{form} button[type=submit]"))).await.unwrap().click().await.unwrap();
}

async fn shot(c: &Client, b: Backend, name: &str) {
    if b == Backend::Sqlite {
        std::fs::write(screenshot_dir().join(name), c.screenshot().await.unwrap()).unwrap();
    }
}

async fn a_rectification_goes_from_the_letter_to_the_recheck_in_the_browser(b: Backend) {
    let s = start(b).await;
    // A concluded case of the First People's Hospital that has no rectification yet.
    let sup = s.actor("supervisor").await;
    let insp = s.actor("inspector").await;
    let params = domain::ledger::query::LedgerParams {
        status: "concluded".into(),
        unit_id: insp.unit_id.to_string(),
        per_page: "50".into(),
        ..Default::default()
    };
    let cases = s.app.ledger().list(&sup.ledger().unwrap(), &params).await.unwrap().items;
    let taken: Vec<_> =
        s.app.oversight().rectifications(&sup, 1).await.unwrap().items.into_iter().map(|r| r.lead_id).collect();
    let case = cases.iter().find(|l| !taken.contains(&l.id)).unwrap().number.to_string();

    let driver = chromedriver().await;
    let profile = tempfile::tempdir().unwrap();
    let c = browser(&driver, profile.path()).await;
    c.set_window_size(1366, 768).await.unwrap();

    // The supervisor issues the letter; a blank one is refused with what was typed kept.
    sign_in(&c, &s, "supervisor").await;
    c.find(Locator::LinkText("以案促改")).await.unwrap().click().await.unwrap();
    wait_for_text(&c, "以案促改（一案一整改）").await;
    c.find(Locator::Css("#issue summary")).await.unwrap().click().await.unwrap();
    fill(&c, "letter-lead", &case).await;
    submit(&c, "letter-form").await;
    let page = wait_for_text(&c, "未能提交").await;
    assert!(page.contains("整改建议"), "{page}");
    assert_eq!(
        c.find(Locator::Id("letter-lead")).await.unwrap().prop("value").await.unwrap().as_deref(),
        Some(case.as_str())
    );
    fill(&c, "letter-content", "一、建立采购人员回避制度；\n二、开展警示教育。").await;
    submit(&c, "letter-form").await;
    let page = wait_for_text(&c, "已发出整改建议书").await;
    assert!(page.contains("纪建〔") && page.contains("已发建议书，待回复"), "{page}");
    let here = c.current_url().await.unwrap().path().to_owned();
    c.find(Locator::Id("letter-link")).await.unwrap().click().await.unwrap();
    let letter = wait_for_text(&c, "纪律检查建议书").await;
    assert!(letter.contains("党委：") && letter.contains("建立采购人员回避制度"), "{letter}");
    shot(&c, b, "rectification-letter.png").await;
    sign_out(&c).await;

    // The inspector writes the analysis and a measure (not due before today).
    sign_in(&c, &s, "inspector").await;
    c.goto(&s.url(&here)).await.unwrap();
    wait_for_text(&c, "原因分析").await;
    fill(&c, "analysis-causes", "采购权力集中于个人").await;
    fill(&c, "analysis-risk_points", "供应商遴选和验收").await;
    fill(&c, "analysis-loopholes", "缺少回避制度").await;
    submit(&c, "analysis-form").await;
    wait_for_text(&c, "已保存原因分析").await;
    fill(&c, "measure-content", "制定采购人员回避办法").await;
    fill(&c, "measure-owner", "院办 王某").await;
    fill(&c, "measure-due_on", "2020-01-01").await;
    submit(&c, "measure-form").await;
    wait_for_text(&c, "完成时限不能早于提出该措施的日期").await;
    fill(&c, "measure-due_on", "2099-12-31").await;
    submit(&c, "measure-form").await;
    wait_for_text(&c, "已保存整改措施").await;
    sign_out(&c).await;

    // The unit head signs the reply, confirming first.
    sign_in(&c, &s, "unithead").await;
    c.goto(&s.url(&here)).await.unwrap();
    wait_for_text(&c, "整改回复").await;
    fill(&c, "reply-reply", "已制定回避办法并组织学习").await;
    submit(&c, "reply-form").await;
    let asked = c.get_alert_text().await.unwrap();
    assert!(asked.contains("签字回复"), "{asked}");
    c.accept_alert().await.unwrap();
    let page = wait_for_text(&c, "已签字回复").await;
    assert!(page.contains("已回复，待验收") && page.contains("签名摘要"), "{page}");
    sign_out(&c).await;

    // The supervisor accepts and, later, re-checks.
    sign_in(&c, &s, "supervisor").await;
    c.goto(&s.url(&here)).await.unwrap();
    wait_for_text(&c, "验收通过").await;
    c.find(Locator::Id("accept")).await.unwrap().click().await.unwrap();
    wait_for_text(&c, "已验收").await;
    c.find(Locator::Id("recheck-held")).await.unwrap().click().await.unwrap();
    fill(&c, "recheck-recheck_notes", "回头看：回避办法已执行").await;
    submit(&c, "recheck-form").await;
    let page = wait_for_text(&c, "已记录回头看").await;
    assert!(page.contains("已回头看") && page.contains("整改措施落实到位"), "{page}");
    shot(&c, b, "rectification-rechecked.png").await;
    c.close().await.unwrap();
}

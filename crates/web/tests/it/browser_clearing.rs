//! Clearing a name in a real Chromium (issue 15): the inspector proposes it on a 查否 lead, the
//! committee head approves, and the inspector — of the unit that verified — carries it out,
//! refused first without the written clearing, then with it; the Word file follows.

use fantoccini::{Client, Locator};
use store::Backend;

use crate::browser::{browser, chromedriver, screenshot_dir, sign_in, sign_in_as, wait_for_text};
use crate::support::start;

testkit::both!(a_clearing_is_proposed_approved_and_carried_out_in_the_browser);

async fn fill(c: &Client, id: &str, text: &str) {
    let e = c.find(Locator::Id(id)).await.unwrap();
    e.clear().await.unwrap();
    e.send_keys(text).await.unwrap();
}

async fn a_clearing_is_proposed_approved_and_carried_out_in_the_browser(b: Backend) {
    let s = start(b).await;
    let insp = s.actor("inspector").await;
    let params = domain::ledger::query::LedgerParams {
        status: "closed".into(),
        unit_id: insp.unit_id.to_string(),
        per_page: "100".into(),
        ..Default::default()
    };
    let taken: Vec<_> =
        s.app.oversight().clearings(&insp, 1).await.unwrap().items.into_iter().map(|c| c.lead_id).collect();
    let lead = s
        .app
        .ledger()
        .list(&insp.ledger().unwrap(), &params)
        .await
        .unwrap()
        .items
        .into_iter()
        .find(|l| {
            l.finding == Some(domain::lifecycle::conclusion::Finding::Unfounded)
                && matches!(
                    l.status,
                    domain::ledger::lead::LeadStatus::Concluded | domain::ledger::lead::LeadStatus::StruckOff
                )
                && !taken.contains(&l.id)
        })
        .unwrap();
    let (number, person, lead_id) = (lead.number.to_string(), lead.subjects[0].name.clone(), lead.id.get());

    let driver = chromedriver().await;
    let profile = tempfile::tempdir().unwrap();
    let c = browser(&driver, profile.path()).await;
    c.set_window_size(1366, 768).await.unwrap();
    sign_in(&c, &s, "inspector").await;
    c.find(Locator::LinkText("澄清正名")).await.unwrap().click().await.unwrap();
    wait_for_text(&c, "谁核实谁澄清").await;
    c.find(Locator::Css("#cl summary")).await.unwrap().click().await.unwrap();
    fill(&c, "cl-lead", &number).await;
    fill(&c, "cl-person", &person).await;
    fill(&c, "cl-reason", "经初核反映问题失实，需予澄清").await;
    c.find(Locator::Css("#cl-form button[type=submit]")).await.unwrap().click().await.unwrap();
    let page = wait_for_text(&c, "已提出澄清正名").await;
    assert!(page.contains("待审批") && page.contains("纪委书记（负责人）批准后"), "{page}");
    let here = c.current_url().await.unwrap().path().to_owned();
    sign_in_as(&c, &s, "chief", lead_id).await;
    c.goto(&s.url(&here)).await.unwrap();
    wait_for_text(&c, "批准").await;
    c.find(Locator::Id("approve")).await.unwrap().click().await.unwrap();
    wait_for_text(&c, "已批准澄清正名").await;
    sign_in_as(&c, &s, "inspector", lead_id).await;
    c.goto(&s.url(&here)).await.unwrap();
    wait_for_text(&c, "实施澄清").await;
    c.find(Locator::Id("done-mode")).await.unwrap().select_by_value("in_person").await.unwrap();
    fill(&c, "done-held_on", "2020-01-02").await;
    c.find(Locator::Css("#done-form button[type=submit]")).await.unwrap().click().await.unwrap();
    wait_for_text(&c, "澄清正名须有书面澄清材料").await;
    fill(&c, "done-letter", &format!("经核查，反映{person}的问题失实，特此澄清。")).await;
    c.find(Locator::Css("#done-form button[type=submit]")).await.unwrap().click().await.unwrap();
    let page = wait_for_text(&c, "已记录澄清正名").await;
    assert!(page.contains("已澄清") && page.contains("当面澄清"), "{page}");
    assert!(c.find(Locator::Id("clearing-docx")).await.is_ok(), "the written clearing as a Word file");
    if b == Backend::Sqlite {
        std::fs::write(screenshot_dir().join("clearing.png"), c.screenshot().await.unwrap()).unwrap();
    }
    c.close().await.unwrap();
}

//! Repeat reports and relations in a real Chromium (issue 14): an inspector registering a report
//! about a person already reported sees the earlier leads with why each was suggested (the one
//! closed as 查否 marked for re-review) before saving, confirms it as new and finds the decision
//! on the timeline; the lead's relations graph links to the person's, which stays within the
//! inspector's hospital; the supervisor's list puts the person named across two hospitals first.

use fantoccini::{Client, Locator};
use store::Backend;

use crate::browser::{browser, chromedriver, main_text, screenshot_dir, sign_in, sign_out, wait_for_text};
use crate::support::start;

testkit::both!(a_repeat_is_shown_before_saving_and_the_network_is_drawn_in_scope);

async fn fill(c: &Client, id: &str, text: &str) {
    let e = c.find(Locator::Id(id)).await.unwrap();
    e.clear().await.unwrap();
    e.send_keys(text).await.unwrap();
}

/// The graph's node links (SVG `<a href>`), as the page draws them.
async fn node_links(c: &Client) -> Vec<String> {
    let mut out = Vec::new();
    for a in c.find_all(Locator::Css("#graph svg a")).await.unwrap() {
        if let Some(h) = a.attr("href").await.unwrap() {
            out.push(h);
        }
    }
    out
}

/// Scrolls the graph to the top of the window (for the screenshot).
async fn show_graph(c: &Client) {
    c.execute("document.getElementById('graph').scrollIntoView()", Vec::new()).await.unwrap();
}

async fn a_repeat_is_shown_before_saving_and_the_network_is_drawn_in_scope(b: Backend) {
    let s = start(b).await;
    let driver = chromedriver().await;
    let profile = tempfile::tempdir().unwrap();
    let c = browser(&driver, profile.path()).await;
    c.set_window_size(1366, 768).await.unwrap();
    sign_in(&c, &s, "inspector").await;

    // The report about 褚某某 once more: it comes back with the earlier leads before saving.
    c.goto(&s.url("/leads/new")).await.unwrap();
    c.find(Locator::Id("source")).await.unwrap().select_by_value("petition_report").await.unwrap();
    c.find(Locator::Id("category")).await.unwrap().select_by_value("gang_corruption").await.unwrap();
    fill(&c, "summary", "群众来信反映设备科科长褚某某在医疗设备采购中收受供应商回扣").await;
    fill(&c, "subjects-0-name", "褚某某").await;
    c.find(Locator::Id("submit-lead")).await.unwrap().click().await.unwrap();
    let page = wait_for_text(&c, "可能是重复件").await;
    assert!(page.contains("同一被反映人（褚某某，市第一人民医院）"), "{page}");
    assert!(page.contains("问题摘要相似"), "{page}");
    assert!(page.contains("该线索已查否办结"), "the 查否 lead is marked: {page}");
    assert_eq!(
        c.find(Locator::Id("summary")).await.unwrap().prop("value").await.unwrap().as_deref(),
        Some("群众来信反映设备科科长褚某某在医疗设备采购中收受供应商回扣"),
        "what was typed is kept"
    );
    c.find(Locator::Id("repeat-check")).await.unwrap().click().await.unwrap();
    if b == Backend::Sqlite {
        std::fs::write(screenshot_dir().join("repeat-check.png"), c.screenshot().await.unwrap()).unwrap();
    }
    // Saving without a choice is refused; choosing "a new lead" registers it.
    c.find(Locator::Id("submit-lead")).await.unwrap().click().await.unwrap();
    let page = wait_for_text(&c, "请选择：并入其中一条原线索，或确认为新线索").await;
    assert!(page.contains("可能是重复件"), "the candidates stay: {page}");
    assert!(page.contains("RMYY1-"), "{page}");
    c.find(Locator::Id("repeat-new")).await.unwrap().click().await.unwrap();
    c.find(Locator::Id("submit-lead")).await.unwrap().click().await.unwrap();
    let page = wait_for_text(&c, "重复件比对").await;
    assert!(page.contains("确认为新线索"), "the decision is on the timeline: {page}");
    assert!(page.contains("已查否办结，列入复审复核"), "{page}");
    let lead = c.current_url().await.unwrap().path().trim_start_matches("/leads/").to_owned();

    // The lead's relations: every node a link; the person's graph from there.
    c.find(Locator::Id("lead-relations")).await.unwrap().click().await.unwrap();
    wait_for_text(&c, "线索关系网").await;
    let links = node_links(&c).await;
    assert!(links.contains(&format!("/leads/{lead}")), "{links:?}");
    let person = links.iter().find(|l| l.starts_with("/relations/persons/")).unwrap().clone();
    assert!(links.iter().any(|l| l.starts_with("/relations/units/")), "{links:?}");
    c.find(Locator::Css(&format!("#graph svg a[href='{person}']"))).await.unwrap().click().await.unwrap();
    let page = wait_for_text(&c, "被反映人关系网").await;
    assert!(page.contains("褚某某"), "{page}");
    // The inspector's graph holds 市第一人民医院's leads only.
    assert!(!page.contains("市第二人民医院"), "the other hospital's lead is out of sight: {page}");
    if b == Backend::Sqlite {
        show_graph(&c).await;
        std::fs::write(screenshot_dir().join("relations-lead.png"), c.screenshot().await.unwrap()).unwrap();
    }

    // The supervisor: 褚某某 first on the list (two hospitals), and both in the graph.
    sign_out(&c).await;
    sign_in(&c, &s, "supervisor").await;
    c.goto(&s.url("/relations")).await.unwrap();
    let list = wait_for_text(&c, "多次被反映人员").await;
    let first_row = c.find(Locator::Css("#frequent-persons tbody tr")).await.unwrap().text().await.unwrap();
    assert!(first_row.contains("褚某某") && first_row.contains('2'), "{first_row}\n{list}");
    c.find(Locator::Css("#frequent-persons tbody tr a")).await.unwrap().click().await.unwrap();
    let page = wait_for_text(&c, "被反映人关系网").await;
    assert!(page.contains("市第二人民医院") && page.contains("蒋某某"), "{page}");
    assert_eq!(c.current_url().await.unwrap().path(), person, "the same person");
    let reporters = c.find_all(Locator::Css("#graph svg a.reporter")).await.unwrap().len();
    assert_eq!(reporters, 1, "one signed reporter behind the reports, by a keyed hash");
    if b == Backend::Sqlite {
        show_graph(&c).await;
        std::fs::write(screenshot_dir().join("relations.png"), c.screenshot().await.unwrap()).unwrap();
    }
    let _ = main_text(&c).await;
    c.close().await.unwrap();
}

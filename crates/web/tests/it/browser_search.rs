//! Search in a real Chromium (issue 14): the box in the top bar finds a lead by the pinyin
//! initials of a subject's name and by a phrase of its summary, marks what matched, and finds
//! nothing for an inspector of another unit.

use fantoccini::{Client, Locator};
use store::Backend;

use crate::browser::{browser, chromedriver, main_text, screenshot_dir, sign_in, sign_out, wait_for_path};
use crate::support::{Server, start};

testkit::both!(the_top_bar_finds_a_lead_by_initials_and_phrase_in_scope_only);

async fn search_from_top_bar(c: &Client, typed: &str) -> String {
    let q = c.find(Locator::Id("top-search")).await.unwrap();
    q.clear().await.unwrap();
    q.send_keys(typed).await.unwrap();
    q.send_keys("\u{E007}").await.unwrap(); // Enter
    wait_for_path(c, "/search").await;
    for _ in 0..100 {
        if c.find(Locator::Id("s-q")).await.is_ok() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    main_text(c).await
}

async fn register(s: &Server) -> i64 {
    let keeper = s.actor("inspector").await.ledger_keeper().unwrap();
    let unit = s.actor("inspector").await.unit_id;
    let input = domain::ledger::lead::LeadInput {
        unit_id: unit.to_string(),
        source: "petition_report".into(),
        received_on: "2019-05-06".into(),
        category: "gang_corruption".into(),
        responsible_leader: "张副院长".into(),
        responsible_person: "李某某".into(),
        summary: "反映设备科科长欧阳某某在医疗设备采购中收受供应商回扣，并压件不办群众举报".into(),
        subjects: vec![domain::ledger::subject::SubjectInput { name: "欧阳某某".into(), ..Default::default() }],
        ..Default::default()
    };
    s.app.ledger().register(&keeper, &input).await.unwrap().into_visible().unwrap().id.get()
}

async fn the_top_bar_finds_a_lead_by_initials_and_phrase_in_scope_only(b: Backend) {
    let s = start(b).await;
    let lead = register(&s).await;
    let driver = chromedriver().await;
    let profile = tempfile::tempdir().unwrap();
    let c = browser(&driver, profile.path()).await;
    c.set_window_size(1366, 768).await.unwrap();
    sign_in(&c, &s, "supervisor").await;

    let found = search_from_top_bar(&c, "oymm").await;
    assert!(found.contains("欧阳某某"), "{found}");
    let link = c.find(Locator::Css(&format!("#hits a[href='/leads/{lead}']"))).await;
    assert!(link.is_ok(), "the result links to the lead");

    let found = search_from_top_bar(&c, "欧阳某某 供应商回扣").await;
    assert!(found.contains("共 1 件"), "{found}");
    let marked: Vec<String> = {
        let mut v = Vec::new();
        for m in c.find_all(Locator::Css("#hits mark")).await.unwrap() {
            v.push(m.text().await.unwrap());
        }
        v
    };
    assert!(marked.iter().any(|m| m == "欧阳某某") && marked.iter().any(|m| m == "供应商回扣"), "{marked:?}");
    if b == Backend::Sqlite {
        std::fs::write(screenshot_dir().join("search.png"), c.screenshot().await.unwrap()).unwrap();
    }
    // Query syntax and emoji are text: a page, never an error.
    let odd = search_from_top_bar(&c, "\"(* 😀").await;
    assert!(odd.contains("检索"), "{odd}");

    // The other hospital's inspector does not find it, by any of those.
    sign_out(&c).await;
    sign_in(&c, &s, "inspector2").await;
    let other = search_from_top_bar(&c, "oymm").await;
    assert!(!other.contains("欧阳某某"), "{other}");
    c.close().await.unwrap();
}

//! The dashboard in a real Chromium (issue 17, point 2): the committee's home, its charts
//! well-formed SVG with their data tables equal to the use case's figures, the units that will
//! miss listed first, down to a hospital and back; a unit inspector's home is their own unit's.

use fantoccini::{Client, Locator};
use quick_xml::{Reader, events::Event};
use store::Backend;

use crate::browser::{browser, chromedriver, screenshot_dir, sign_in, sign_out, wait_for_text};
use crate::support::start;

testkit::both!(the_committee_reads_its_dashboard_and_a_unit_its_own);

/// Every `<svg>…</svg>` of the page, each parsed whole as XML (a broken one fails).
fn charts(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<svg") {
        let end = rest[start..].find("</svg>").expect("an svg is closed") + start + 6;
        let svg = &rest[start..end];
        let mut r = Reader::from_str(svg);
        let mut depth = 0i32;
        loop {
            match r.read_event().unwrap_or_else(|e| panic!("not well-formed: {e}: {svg}")) {
                Event::Start(_) => depth += 1,
                Event::End(_) => depth -= 1,
                Event::Eof => break,
                _ => {}
            }
        }
        assert_eq!(depth, 0, "balanced: {svg}");
        out.push(svg.to_owned());
        rest = &rest[end..];
    }
    out
}

async fn column(c: &Client, css: &str) -> Vec<String> {
    let mut out = Vec::new();
    for e in c.find_all(Locator::Css(css)).await.unwrap() {
        out.push(e.text().await.unwrap());
    }
    out
}

async fn the_committee_reads_its_dashboard_and_a_unit_its_own(b: Backend) {
    let s = start(b).await;
    let sup = s.actor("supervisor").await;
    let expected = s.app.reporting().dashboard(&sup, None, None).await.unwrap();
    let driver = chromedriver().await;
    let profile = tempfile::tempdir().unwrap();
    let c = browser(&driver, profile.path()).await;
    c.set_window_size(1366, 768).await.unwrap();
    sign_in(&c, &s, "supervisor").await;
    // Home is the dashboard.
    assert_eq!(c.current_url().await.unwrap().path(), "/reporting/dashboard");
    wait_for_text(&c, &format!("概览 · {}", expected.unit_name)).await;
    let html = c.source().await.unwrap();
    let svgs = charts(&html);
    let titled = ["burn-down", "ranking", "trend", "ageing"];
    for id in titled {
        assert!(svgs.iter().any(|x| x.contains(&format!("id=\"{id}\""))), "the {id} chart is drawn");
    }
    // Each chart's table is the use case's figures.
    let days = column(&c, "#burn-data tbody td:nth-of-type(1)").await;
    let left = column(&c, "#burn-data tbody td:nth-of-type(2)").await;
    let want: Vec<(String, String)> =
        expected.burn_down.iter().map(|p| (domain::dates::format_date(p.day), p.left.to_string())).collect();
    assert_eq!(days.into_iter().zip(left).collect::<Vec<_>>(), want);
    let burn = svgs.iter().find(|x| x.contains("id=\"burn-down\"")).unwrap();
    let points = burn.split("points=\"").nth(1).unwrap().split('"').next().unwrap();
    assert_eq!(points.split(' ').count(), expected.burn_down.len(), "a point a week");
    let ranked = column(&c, "#ranking-data tbody th").await;
    assert_eq!(ranked, expected.ranking.iter().map(|u| u.unit_name.clone()).collect::<Vec<_>>());
    let ranking = svgs.iter().find(|x| x.contains("id=\"ranking\"")).unwrap();
    assert_eq!(ranking.matches("<rect").count(), expected.ranking.len(), "a bar a unit");
    let trend = column(&c, "#trend-data tbody td:nth-of-type(1)").await;
    assert_eq!(trend, expected.trend.iter().map(|m| m.received.to_string()).collect::<Vec<_>>());
    let ageing = column(&c, "#ageing-data tbody td").await;
    assert_eq!(ageing, expected.ageing.iter().map(|a| a.count.to_string()).collect::<Vec<_>>());
    // The units that will miss come first, marked.
    let misses = expected.units.iter().take_while(|u| u.forecast.will_miss).count();
    assert_eq!(c.find_all(Locator::Css("#outlook-units tr.will-miss")).await.unwrap().len(), misses);
    if b == Backend::Sqlite {
        std::fs::write(screenshot_dir().join("dashboard.png"), c.screenshot().await.unwrap()).unwrap();
        c.execute("document.getElementById('dash-ranking').scrollIntoView()", vec![]).await.unwrap();
        std::fs::write(screenshot_dir().join("dashboard-ranking.png"), c.screenshot().await.unwrap()).unwrap();
        c.execute("document.getElementById('dash-trend').scrollIntoView()", vec![]).await.unwrap();
        std::fs::write(screenshot_dir().join("dashboard-trend.png"), c.screenshot().await.unwrap()).unwrap();
    }
    // Down to the first ranked unit and back up.
    let first = &expected.ranking[0];
    c.find(Locator::XPath(&format!("//table[@id='ranking-data']//a[text()='{}']", first.unit_name)))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_text(&c, &format!("概览 · {}", first.unit_name)).await;
    c.find(Locator::Id("dash-up")).await.unwrap().click().await.unwrap();
    wait_for_text(&c, &format!("概览 · {}", expected.unit_name)).await;
    sign_out(&c).await;

    // A unit's inspector lands on their own unit's dashboard.
    let insp = s.actor("inspector").await;
    let own = s.app.reporting().dashboard(&insp, None, None).await.unwrap();
    assert_ne!(own.unit_id, expected.unit_id);
    sign_in(&c, &s, "inspector").await;
    assert_eq!(c.current_url().await.unwrap().path(), "/reporting/dashboard");
    wait_for_text(&c, &format!("概览 · {}", own.unit_name)).await;
    let remaining = c.find(Locator::Css("#dash-summary strong:nth-of-type(2)")).await.unwrap().text().await.unwrap();
    assert_eq!(remaining, own.forecast.remaining.to_string());
    if b == Backend::Sqlite {
        std::fs::write(screenshot_dir().join("dashboard-unit.png"), c.screenshot().await.unwrap()).unwrap();
    }
    c.close().await.unwrap();
}

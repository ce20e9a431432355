//! Statistics in a real Chromium (issue 17, point 1): the committee counts the campaign, reads
//! each figure's meaning, sees the rows add up to the 合计, opens the leads behind a number,
//! goes down to a hospital and back, and exports the 统计表, read back by an independent reader.

use calamine::{Data, Reader, Xlsx};
use domain::reporting::{figures::Count, period::PeriodInput};
use fantoccini::Locator;
use store::Backend;

use crate::browser::{browser, chromedriver, screenshot_dir, sign_in, wait_for_text};
use crate::support::start;

testkit::both!(the_committee_counts_the_campaign_and_exports_the_table);

async fn the_committee_counts_the_campaign_and_exports_the_table(b: Backend) {
    let s = start(b).await;
    let sup = s.actor("supervisor").await;
    let campaign = PeriodInput { period: "campaign".into(), ..Default::default() };
    let expected = s.app.reporting().statistics(&sup, None, None, &campaign).await.unwrap();
    let driver = chromedriver().await;
    let profile = tempfile::tempdir().unwrap();
    let c = browser(&driver, profile.path()).await;
    c.set_window_size(1366, 768).await.unwrap();
    sign_in(&c, &s, "supervisor").await;
    c.goto(&s.url("/ledger")).await.unwrap();
    c.find(Locator::LinkText("统计")).await.unwrap().click().await.unwrap();
    wait_for_text(&c, "指标说明").await;
    let period = c.find(Locator::Id("stats-period")).await.unwrap();
    period.clear().await.unwrap();
    period.send_keys("campaign").await.unwrap();
    c.find(Locator::Id("stats-show")).await.unwrap().click().await.unwrap();
    wait_for_text(&c, "专项工作期间").await;
    // Each heading says what it counts.
    let tip = c.find(Locator::Css("#stats-0 thead abbr")).await.unwrap().attr("title").await.unwrap().unwrap();
    assert_eq!(tip, Count::Received.explain(false));
    // The rows add up to the 合计 row, which is the use case's figure (累计受理, the 7th column).
    let rows = c.find_all(Locator::Css("#stats-0 tbody tr td:nth-of-type(7)")).await.unwrap();
    let mut sum = 0;
    for r in &rows {
        sum += r.text().await.unwrap().parse::<i64>().unwrap();
    }
    let total = c.find(Locator::Css("#stats-0 tfoot td:nth-of-type(7)")).await.unwrap().text().await.unwrap();
    assert_eq!((sum.to_string(), total.clone()), (total, expected.total.counts.get(Count::ReceivedToDate).to_string()));
    // The shares by category: a row each, largest first, as the use case counts them.
    let shares = c.find_all(Locator::Css("#stats-share-1 tbody tr td:nth-of-type(1)")).await.unwrap();
    assert_eq!(shares.len(), expected.by_category.len().max(1));
    if let Some(first) = expected.by_category.first() {
        assert_eq!(shares[0].text().await.unwrap(), first.count.to_string());
    }
    if b == Backend::Sqlite {
        std::fs::write(screenshot_dir().join("statistics.png"), c.screenshot().await.unwrap()).unwrap();
        c.execute("document.getElementById('stats-2').scrollIntoView()", vec![]).await.unwrap();
        std::fs::write(screenshot_dir().join("statistics-oversight.png"), c.screenshot().await.unwrap()).unwrap();
        c.execute("window.scrollTo(0, 0)", vec![]).await.unwrap();
    }
    // The first hospital's 累计受理 opens the ledger with as many leads.
    let first = &expected.rows.iter().find(|r| !r.own_only && r.counts.get(Count::ReceivedToDate) > 0).unwrap();
    let link = c
        .find(Locator::XPath(&format!("//table[@id='stats-0']//tr[th/a[text()='{}']]/td[7]/a", first.unit_name)))
        .await
        .unwrap();
    link.click().await.unwrap();
    wait_for_text(&c, "台账").await;
    let shown = c.find(Locator::Css("#total strong")).await.unwrap().text().await.unwrap();
    assert_eq!(shown, first.counts.get(Count::ReceivedToDate).to_string(), "the ledger behind it");
    // Down to that hospital and back up.
    c.back().await.unwrap();
    c.find(Locator::LinkText(&first.unit_name)).await.unwrap().click().await.unwrap();
    wait_for_text(&c, &format!("统计 · {}", first.unit_name)).await;
    c.find(Locator::Id("stats-up")).await.unwrap().click().await.unwrap();
    wait_for_text(&c, &format!("统计 · {}", expected.unit_name)).await;
    let export = c.find(Locator::Id("stats-export")).await.unwrap().attr("href").await.unwrap().unwrap();
    c.close().await.unwrap();

    let (client, _) = s.sign_in("supervisor").await;
    let r = client.get(s.url(&export)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(r.bytes().await.unwrap().to_vec())).unwrap();
    let range = book.worksheet_range(&book.sheet_names()[0].clone()).unwrap();
    let cell = |row: usize, col: usize| match range.get((row, col)) {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Float(f)) => f.to_string(),
        other => format!("{other:?}"),
    };
    assert!(cell(0, 0).starts_with("问题线索办理情况统计表"), "the title: {}", cell(0, 0));
    assert_eq!(cell(1, 0), format!("填报单位：{}", expected.unit_name));
    assert_eq!(cell(2, 0), "单位");
    assert_eq!(cell(2, 7), "累计受理");
    let last = 3 + expected.rows.len();
    assert_eq!(cell(last, 0), "合计");
    assert_eq!(cell(last, 7), expected.total.counts.get(Count::ReceivedToDate).to_string());
    assert_eq!(
        cell(3, 0),
        expected.rows[0].unit_name.clone() + if expected.rows[0].own_only { "（本级）" } else { "" }
    );
}

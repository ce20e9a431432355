//! The clearance board as the committee reads it (issue 12, point 6): every unit at full
//! height with its rank and the 合计 row in view, the figures adding up, columns that sort, and
//! the same board as an xlsx workbook read back by an independent reader.

use calamine::{Data, Reader, Xlsx};
use fantoccini::Locator;
use store::Backend;

use crate::browser::{browser, chromedriver, screenshot_dir, sign_in_as};
use crate::support::start;

testkit::both!(the_board_shows_every_unit_ranked_with_its_totals_and_exports_them);

async fn the_board_shows_every_unit_ranked_with_its_totals_and_exports_them(b: Backend) {
    let s = start(b).await;
    let sup = s.actor("supervisor").await;
    let board = s
        .app
        .supervision()
        .clearance_board_all(&sup, None, domain::supervision::ranking::BoardSort::Lagging)
        .await
        .unwrap();
    let driver = chromedriver().await;
    let profile = tempfile::tempdir().unwrap();
    let c = browser(&driver, profile.path()).await;
    c.set_window_size(1366, 768).await.unwrap();
    sign_in_as(&c, &s, "supervisor", 0).await;
    c.goto(&s.url("/board")).await.unwrap();
    let rows = c.find_all(Locator::Css("#board tbody tr")).await.unwrap();
    assert_eq!(rows.len() as i64, board.units, "every unit on one page");
    // The figures add up: the stock column's cells sum to the 合计 row.
    let mut sum = 0;
    for r in &rows {
        sum += r.find(Locator::Css("td:nth-of-type(2)")).await.unwrap().text().await.unwrap().parse::<i64>().unwrap();
    }
    let total = c.find(Locator::Css("#board-total td:nth-of-type(2)")).await.unwrap().text().await.unwrap();
    assert_eq!(total, sum.to_string());
    assert_eq!(sum, board.totals.stock_total);
    // Full height: scrolled to the end of the page, the 合计 row is on screen.
    c.execute("window.scrollTo(0, document.body.scrollHeight)", vec![]).await.unwrap();
    let visible = c
        .execute(
            "const r = document.getElementById('board-total').getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(visible, serde_json::Value::Bool(true), "the 合计 row is in view");
    if b == Backend::Sqlite {
        std::fs::write(screenshot_dir().join("board-total.png"), c.screenshot().await.unwrap()).unwrap();
    }
    // Rank 1 is the highest 清零率; sorting by rate puts it first.
    c.find(Locator::LinkText("排名")).await.unwrap().click().await.unwrap();
    let first = c.find(Locator::Css("#board tbody tr td")).await.unwrap().text().await.unwrap();
    assert_eq!(first, "1");
    c.close().await.unwrap();

    let (client, _) = s.sign_in("supervisor").await;
    let r = client.get(s.url("/board/export.xlsx")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let bytes = r.bytes().await.unwrap().to_vec();
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let range = book.worksheet_range(&book.sheet_names()[0].clone()).unwrap();
    let cell = |row: usize, col: usize| match range.get((row, col)) {
        Some(Data::String(s)) => s.clone(),
        other => format!("{other:?}"),
    };
    assert_eq!(range.height() as i64, board.units + 2, "a header, every unit, the 合计 row");
    let last = range.height() - 1;
    assert_eq!(cell(last, 1), "合计");
    assert_eq!(cell(last, 2), board.totals.stock_total.to_string());
    assert_eq!(cell(1, 1), board.rows[0].unit_name, "in the board's order");
}

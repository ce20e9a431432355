//! Importing a spreadsheet ledger over HTTP (issue 13): the API's upload → choices → confirm
//! → error workbook, the page's multipart upload behind CSRF, and the whole journey in a real
//! Chromium (upload, fix the values, preview, confirm, the leads in the ledger, the error
//! workbook).

use fantoccini::Locator;
use reqwest::StatusCode;
use serde_json::{Value, json};
use store::Backend;

use crate::browser::{browser, chromedriver, screenshot_dir, sign_in_as, wait_for_text};
use crate::support::{Server, api_client, start, start_showing_progress, unit_id};

testkit::both!(
    the_api_uploads_previews_confirms_and_hands_back_the_error_workbook,
    the_page_upload_is_multipart_behind_csrf,
    an_inspector_imports_the_units_ledger_in_the_browser,
    a_long_import_and_export_show_their_progress_in_the_browser,
);

fn fixture_path(name: &str) -> String {
    let p = format!("{}/../../fixtures/ledgers/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::canonicalize(p).unwrap().to_string_lossy().into_owned()
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(fixture_path(name)).unwrap()
}

async fn upload(s: &Server, token: &str, unit: i64, name: &str, bytes: Vec<u8>) -> reqwest::Response {
    api_client()
        .post(s.url(&format!("/api/v1/imports?unit_id={unit}&file_name={}", urlencode(name))))
        .bearer_auth(token)
        .header("content-type", "application/octet-stream")
        .body(bytes)
        .send()
        .await
        .unwrap()
}

fn urlencode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

async fn the_api_uploads_previews_confirms_and_hands_back_the_error_workbook(b: Backend) {
    let s = start(b).await;
    let token = s.token("inspector").await;
    let own = unit_id(&s, &token, "RMYY1").await;
    let other = unit_id(&s, &s.token("supervisor").await, "RMYY2").await;
    let r = upload(&s, &token, own, "messy.xlsx", fixture("messy.xlsx")).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let p: Value = r.json().await.unwrap();
    let id = p["id"].as_i64().unwrap();
    assert_eq!((p["counts"]["rows"].as_i64(), p["counts"]["invalid"].as_i64()), (Some(11), Some(6)));
    assert_eq!(p["errors"][0]["column"], "K", "{}", p["errors"]);

    let client = api_client();
    let url = |path: &str| s.url(&format!("/api/v1/imports/{id}{path}"));
    // Rows with errors: nothing is written unless the valid rows are chosen.
    let r = client.post(url("/confirm")).bearer_auth(&token).json(&json!({})).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let choices = json!({"resolutions": {"source": {"上级": "assigned_by_higher", "群众来电": "petition_report"},
        "category": {"违反廉洁纪律": "other"}}});
    let r = client.put(url("/settings")).bearer_auth(&token).json(&choices).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let p: Value = r.json().await.unwrap();
    assert_eq!(p["counts"]["valid"], 7);
    let bad = json!({"resolutions": {"source": {"上级": "no_such_source"}}});
    let r = client.put(url("/settings")).bearer_auth(&token).json(&bad).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "a choice must be one of ours");

    // Another keeper's token finds no such import.
    let theirs = s.token("inspector2").await;
    assert_eq!(client.get(url("")).bearer_auth(&theirs).send().await.unwrap().status(), StatusCode::NOT_FOUND);
    let r = client.post(url("/confirm")).bearer_auth(&theirs).json(&json!({"skip_invalid": true})).send().await;
    assert_eq!(r.unwrap().status(), StatusCode::NOT_FOUND);

    let r = client.post(url("/confirm")).bearer_auth(&token).json(&json!({"skip_invalid": true})).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let done: Value = r.json().await.unwrap();
    assert_eq!((done["written"].as_i64(), done["skipped"].as_i64()), (Some(7), Some(4)));
    let leads: Value = client
        .get(s.url("/api/v1/leads?q=违规收受红包"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(leads["items"][0]["original_no"], "YY-2019-002", "{leads}");
    let r = client.get(url("/errors.xlsx")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let book = office::sheet::read(&r.bytes().await.unwrap(), "errors.xlsx", &office::sheet::LIMITS).unwrap();
    assert_eq!(book.sheets[0].rows.len(), 2 + 4, "the header rows and the four rows left out");

    // The unit's ledger exported: the imported leads in the 台账 layout, which imports back
    // as nothing new.
    let r = client.get(s.url(&format!("/api/v1/leads/export.xlsx?unit_id={own}"))).bearer_auth(&token).send().await;
    let bytes = r.unwrap().bytes().await.unwrap().to_vec();
    let book = office::sheet::read(&bytes, "台账.xlsx", &office::sheet::LIMITS).unwrap();
    let text = format!("{:?}", book.sheets[0].rows);
    assert!(text.contains("YY-2019-002") && text.contains("合计："), "{text}");
    let r = upload(&s, &token, own, "台账.xlsx", bytes).await;
    let p: Value = r.json().await.unwrap();
    assert_eq!((p["counts"]["new"].as_i64(), p["counts"]["changed"].as_i64()), (Some(0), Some(0)), "{}", p["sample"]);

    // Refusals: a unit not the caller's, a file that is not a spreadsheet, one too large.
    let r = upload(&s, &token, other, "messy.xlsx", fixture("messy.xlsx")).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = upload(&s, &token, own, "scan.xlsx", fixture("not-a-spreadsheet.xlsx")).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = r.json().await.unwrap();
    assert!(body.to_string().contains("不是电子表格"), "{body}");
    assert_eq!(too_large(&s, &token, own).await, "HTTP/1.1 413 Payload Too Large", "refused before the body is read");
    // The server kept serving meanwhile.
    assert_eq!(client.get(s.url("/api/v1/me")).bearer_auth(&token).send().await.unwrap().status(), StatusCode::OK);
}

/// The status line the server answers a 40 MB upload with, before any of it is sent.
async fn too_large(s: &Server, token: &str, unit: i64) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = s.base.trim_start_matches("http://");
    let mut tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST /api/v1/imports?unit_id={unit}&file_name=big.csv HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/octet-stream\r\nContent-Length: {}\r\n\r\n",
        40 << 20
    );
    tcp.write_all(head.as_bytes()).await.unwrap();
    let mut buf = vec![0u8; 256];
    let n = tcp.read(&mut buf).await.unwrap();
    String::from_utf8_lossy(&buf[..n]).lines().next().unwrap_or_default().to_owned()
}

/// A multipart form as a browser sends it.
fn multipart(fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> (String, Vec<u8>) {
    let boundary = "----qinglingtestboundary7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").bytes());
    }
    if let Some((name, bytes)) = file {
        body.extend(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{boundary}--\r\n").bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn the_page_upload_is_multipart_behind_csrf(b: Backend) {
    let s = start(b).await;
    let (web, csrf) = s.sign_in("inspector").await;
    let unit = unit_id(&s, &s.token("inspector").await, "RMYY1").await.to_string();
    let page = web.get(s.url("/ledger/import")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("enctype=\"multipart/form-data\""), "{page}");
    let bytes = fixture("ledger-gb18030.csv");
    // Without the session's token the upload is refused, whatever else it carries.
    let (ct, body) = multipart(&[("unit_id", &unit)], Some(("台账.csv", &bytes)));
    let r = web.post(s.url("/ledger/import")).header("content-type", ct).body(body).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let (ct, body) = multipart(
        &[("csrf_token", "forged-token-of-the-right-length-000000"), ("unit_id", &unit)],
        Some(("台账.csv", &bytes)),
    );
    let r = web.post(s.url("/ledger/import")).header("content-type", ct).body(body).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // With it: kept for its preview.
    let (ct, body) = multipart(&[("csrf_token", &csrf), ("unit_id", &unit)], Some(("台账.csv", &bytes)));
    let r = web.post(s.url("/ledger/import")).header("content-type", ct).body(body).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let preview = r.headers()["location"].to_str().unwrap().to_owned();
    let html = web.get(s.url(&preview)).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("黄某、林某") && html.contains("2020-03-02"), "the sample shows the rows as read");
    assert!(html.contains("id=\"confirm-form\""), "three clean rows can be imported");
    // No file: the form comes back saying so, with the unit kept.
    let (ct, body) = multipart(&[("csrf_token", &csrf), ("unit_id", &unit)], None);
    let r = web.post(s.url("/ledger/import")).header("content-type", ct).body(body).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("请选择要导入的台账文件"));
    // Another keeper cannot open this preview.
    let (theirs, _) = s.sign_in("inspector2").await;
    assert_eq!(theirs.get(s.url(&preview)).send().await.unwrap().status(), StatusCode::NOT_FOUND);
}

async fn an_inspector_imports_the_units_ledger_in_the_browser(b: Backend) {
    let s = start(b).await;
    let driver = chromedriver().await;
    let profile = tempfile::tempdir().unwrap();
    let c = browser(&driver, profile.path()).await;
    c.set_window_size(1366, 768).await.unwrap();
    sign_in_as(&c, &s, "inspector", 0).await;
    c.goto(&s.url("/ledger")).await.unwrap();
    c.find(Locator::Css("nav a[href='/ledger/import']")).await.unwrap().click().await.unwrap();
    wait_for_text(&c, "上传并预览").await;
    c.find(Locator::Css("input[type=file]")).await.unwrap().send_keys(&fixture_path("messy.xlsx")).await.unwrap();
    c.find(Locator::Css("#import-form button[type=submit]")).await.unwrap().click().await.unwrap();
    let page = wait_for_text(&c, "导入预览").await;
    assert!(page.contains("问题线索台账") || page.contains("messy.xlsx"), "{page}");
    assert!(c.find(Locator::Id("import-blocked")).await.is_ok(), "values to choose block the import");

    // Fix the values: the ambiguous 上级, the unknown 群众来电 and 违反廉洁纪律.
    for (written, code) in [("上级", "assigned_by_higher"), ("群众来电", "petition_report"), ("违反廉洁纪律", "other")]
    {
        let row = c
            .find(Locator::XPath(&format!("//table[@id='import-values']//tr[td[2][normalize-space()='{written}']]")))
            .await
            .unwrap();
        let select = row.find(Locator::Css("select")).await.unwrap();
        select.select_by_value(code).await.unwrap();
    }
    std::fs::write(screenshot_dir().join("import-preview.png"), c.screenshot().await.unwrap()).unwrap();
    c.find(Locator::Css("#mapping-form button[type=submit]")).await.unwrap().click().await.unwrap();
    let page = wait_for_text(&c, "已按新的对应重新读取").await;
    assert!(page.contains("已按新的对应重新读取"), "{page}");
    let valid = c.find(Locator::Css("#import-counts div:nth-child(2) dd")).await.unwrap().text().await.unwrap();
    assert_eq!(valid, "7");

    // Confirm, importing the valid rows, after the confirmation dialog.
    c.find(Locator::Id("skip_invalid")).await.unwrap().click().await.unwrap();
    c.find(Locator::Css("#confirm-form button[type=submit]")).await.unwrap().click().await.unwrap();
    c.accept_alert().await.unwrap();
    let page = wait_for_text(&c, "已导入：新线索 7 条").await;
    assert!(page.contains("已导入：新线索 7 条"), "{page}");
    std::fs::write(screenshot_dir().join("import-done.png"), c.screenshot().await.unwrap()).unwrap();
    let href = c.find(Locator::Id("error-book")).await.unwrap().attr("href").await.unwrap().unwrap();

    // The leads are in the ledger.
    c.find(Locator::Css("#import-written a.primary")).await.unwrap().click().await.unwrap();
    let ledger = wait_for_text(&c, "违规收受红包").await;
    assert!(ledger.contains("违规收受红包") && ledger.contains("王某"), "{ledger}");

    // The error workbook: the rows left out, with why.
    let (web, _) = s.sign_in("inspector").await;
    let r = web.get(s.url(&href)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let book = office::sheet::read(&r.bytes().await.unwrap(), "errors.xlsx", &office::sheet::LIMITS).unwrap();
    let text = format!("{:?}", book.sheets[0].rows);
    assert!(text.contains("郑某") && text.contains("2019-02-30"), "{text}");
}

/// A sheet of `rows` good rows with their owners.
fn long_sheet(rows: usize) -> Vec<u8> {
    use office::ledger_book::{ColumnSpec, LedgerWriter, Value};
    let heads = ["线索编号", "线索来源", "受理时间", "被反映人", "反映的主要问题", "问题类别", "责任领导", "责任人"];
    let cols: Vec<ColumnSpec<'_>> = heads.iter().map(|h| ColumnSpec { header: h, width: 12.0, wrap: false }).collect();
    let mut w =
        LedgerWriter::new("台账", "问题线索台账", ("填报单位：市人民医院", "填报时间：2026年11月"), &cols).unwrap();
    for i in 0..rows {
        let (no, who, what) = (format!("W-{i:05}"), format!("孙{i}"), format!("反映第{i}号问题"));
        w.row(&[
            Value::Text(&no),
            Value::Text("信访举报"),
            Value::Date(2026, 10, 1 + (i % 28) as u8),
            Value::Text(&who),
            Value::Text(&what),
            Value::Text("其他"),
            Value::Text("王书记"),
            Value::Text("李主任"),
        ])
        .unwrap();
    }
    w.finish(&format!("合计：{rows}件")).unwrap()
}

/// Waits up to `secs` for `needle` in the page's main text.
async fn wait_long(c: &fantoccini::Client, needle: &str, secs: u64) -> String {
    let mut last = String::new();
    for _ in 0..secs * 10 {
        // Between two pages there is no `main` for a moment.
        last = match c.find(Locator::Css("main")).await {
            Ok(main) => main.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        if last.contains(needle) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    last
}

async fn a_long_import_and_export_show_their_progress_in_the_browser(b: Backend) {
    const ROWS: usize = 6_000;
    let s = start_showing_progress(b).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("长台账.xlsx");
    std::fs::write(&file, long_sheet(ROWS)).unwrap();
    let driver = chromedriver().await;
    let profile = tempfile::tempdir().unwrap();
    let c = browser(&driver, profile.path()).await;
    c.set_window_size(1366, 768).await.unwrap();
    sign_in_as(&c, &s, "inspector", 0).await;
    c.goto(&s.url("/ledger/import")).await.unwrap();
    c.find(Locator::Css("input[type=file]")).await.unwrap().send_keys(file.to_str().unwrap()).await.unwrap();
    c.find(Locator::Css("#import-form button[type=submit]")).await.unwrap().click().await.unwrap();
    let page = wait_long(&c, "导入预览", 60).await;
    assert!(page.contains(&format!("{ROWS}")), "{page}");

    // Confirmed: the progress panel follows the write; a cancel rolls it back.
    c.find(Locator::Css("#confirm-form button[type=submit]")).await.unwrap().click().await.unwrap();
    c.accept_alert().await.unwrap();
    let page = wait_long(&c, "正在导入", 10).await;
    assert!(page.contains("已处理（行）") && page.contains("预计剩余"), "{page}");
    assert!(c.find(Locator::Id("work-bar")).await.is_ok());
    std::fs::write(screenshot_dir().join("import-progress.png"), c.screenshot().await.unwrap()).unwrap();
    c.find(Locator::Id("cancel-work")).await.unwrap().click().await.unwrap();
    c.accept_alert().await.unwrap();
    let page = wait_long(&c, "导入已取消，未写入任何数据", 60).await;
    assert!(page.contains("导入已取消，未写入任何数据") && page.contains("导入预览"), "{page}");
    let reader = s.app.protection().console_operator(Some("inspector")).await.unwrap().ledger().unwrap();
    let imported = || async {
        let p = domain::ledger::query::LedgerParams { per_page: "100".into(), ..Default::default() };
        s.app.ledger().list(&reader, &p).await.unwrap().total
    };
    let before = imported().await;

    // Confirmed again and left to finish: the panel goes on to the written import.
    c.find(Locator::Css("#confirm-form button[type=submit]")).await.unwrap().click().await.unwrap();
    c.accept_alert().await.unwrap();
    let page = wait_long(&c, &format!("已导入：新线索 {ROWS} 条"), 180).await;
    assert!(page.contains(&format!("已导入：新线索 {ROWS} 条")), "{page}");
    assert_eq!(imported().await, before + ROWS as i64);

    // The whole ledger exported: followed to its download.
    c.goto(&s.url("/ledger/export.xlsx")).await.unwrap();
    let page = wait_long(&c, "台账已导出", 120).await;
    let total = before + ROWS as i64;
    assert!(page.contains(&format!("共导出 {total} 条线索")), "{page}");
    std::fs::write(screenshot_dir().join("export-progress.png"), c.screenshot().await.unwrap()).unwrap();
    let href = c.find(Locator::Id("export-download")).await.unwrap().attr("href").await.unwrap().unwrap();
    let (web, _) = s.sign_in("inspector").await;
    let r = web.get(s.url(&href)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let book = office::sheet::read(&r.bytes().await.unwrap(), "ledger.xlsx", &office::sheet::LIMITS).unwrap();
    assert!(format!("{:?}", book.sheets[0].rows).contains(&format!("合计：{total}件")));
    let (other, _) = s.sign_in("inspector2").await;
    assert_eq!(other.get(s.url(&href)).send().await.unwrap().status(), StatusCode::NOT_FOUND, "the reader's own");
}

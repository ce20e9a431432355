//! Work reports in a real Chromium (issue 17, point 4): the First People's Hospital's head signs
//! the report its inspector wrote (after confirming) and submits it; its print-ready copy
//! carries the same code and a QR code; the committee sees it submitted, types the printed code
//! in as a person would (lower case, a space for the hyphen) and sees that it matches; a code
//! voided by an edit finds nothing, and the demo's voided report says so.

use fantoccini::Locator;
use store::Backend;

use crate::browser::{browser, chromedriver, screenshot_dir, sign_in, sign_out, wait_for_text};
use crate::support::start;

testkit::both!(a_unit_head_signs_the_work_report_and_the_committee_verifies_the_printed_code);

async fn a_unit_head_signs_the_work_report_and_the_committee_verifies_the_printed_code(b: Backend) {
    let s = start(b).await;
    let driver = chromedriver().await;
    let profile = tempfile::tempdir().unwrap();
    let c = browser(&driver, profile.path()).await;
    c.set_window_size(1366, 768).await.unwrap();
    let head = s.actor("unithead").await;
    let unit = head.unit_id;

    sign_in(&c, &s, "unithead").await;
    c.find(Locator::Id("nav-work-reports")).await.unwrap().click().await.unwrap();
    wait_for_text(&c, "起草中").await;
    let own = c.find_all(Locator::Css("#work-reports tbody tr")).await.unwrap();
    assert_eq!(own.len(), 1, "a unit head sees their own unit's report");
    c.find(Locator::Css("#work-reports tbody th a")).await.unwrap().click().await.unwrap();
    wait_for_text(&c, "主要数据").await;
    assert!(c.find(Locator::Id("report-form")).await.is_err(), "the head signs; the inspector writes");
    c.find(Locator::Id("report-sign")).await.unwrap().click().await.unwrap();
    c.accept_alert().await.unwrap();
    wait_for_text(&c, "已签字。").await;
    let code = c.find(Locator::Id("report-code")).await.unwrap().text().await.unwrap();
    let view = s.app.reporting().work_report(&head, unit).await.unwrap();
    let sig = view.signature.expect("signed");
    assert_eq!((code.as_str(), sig.intact), (sig.code.as_str(), true));
    if b == Backend::Sqlite {
        std::fs::write(screenshot_dir().join("work-report-signed.png"), c.screenshot().await.unwrap()).unwrap();
    }
    // The print-ready copy: the same code, and a QR code drawn as SVG.
    c.find(Locator::Id("report-print")).await.unwrap().click().await.unwrap();
    wait_for_text(&c, "核验码").await;
    assert_eq!(c.find(Locator::Id("print-code")).await.unwrap().text().await.unwrap(), code);
    // Scanned as a phone would: the QR code read back from the pixels Chromium drew.
    let shot = c.find(Locator::Css("#verify-block svg")).await.unwrap().screenshot().await.unwrap();
    let scanned = read_qr(&shot);
    assert_eq!(scanned, s.url(&format!("/reporting/verify?code={code}")), "the QR code leads to this code's check");
    if b == Backend::Sqlite {
        c.execute("document.getElementById('verify-block').scrollIntoView()", vec![]).await.unwrap();
        std::fs::write(screenshot_dir().join("work-report-print.png"), c.screenshot().await.unwrap()).unwrap();
    }
    c.find(Locator::LinkText("返回报告")).await.unwrap().click().await.unwrap();
    c.find(Locator::Id("report-submit")).await.unwrap().click().await.unwrap();
    c.accept_alert().await.unwrap();
    wait_for_text(&c, "已报送。").await;
    sign_out(&c).await;

    // The committee sees it submitted and verifies the printed code as typed by hand.
    sign_in(&c, &s, "supervisor").await;
    c.find(Locator::Id("nav-work-reports")).await.unwrap().click().await.unwrap();
    wait_for_text(&c, "已报送").await;
    // Furthest along first: the two submitted (the demo's second hospital and this one) on top.
    let top: Vec<String> = {
        let mut v = Vec::new();
        for r in c.find_all(Locator::Css("#work-reports tbody tr")).await.unwrap().into_iter().take(2) {
            v.push(r.text().await.unwrap());
        }
        v
    };
    assert!(top.iter().all(|r| r.contains("已报送")) && top.iter().any(|r| r.contains("市第一人民医院")), "{top:?}");
    let tally = c.find(Locator::Id("report-tally")).await.unwrap().text().await.unwrap();
    assert!(tally.starts_with("2 已报送 · 1 已签字待报送 · 1 起草中"), "{tally}");
    if b == Backend::Sqlite {
        std::fs::write(screenshot_dir().join("work-reports.png"), c.screenshot().await.unwrap()).unwrap();
    }
    // Scanning it opens the check, the code filled in.
    c.goto(&scanned).await.unwrap();
    wait_for_text(&c, "一致：该核验码对应的报告与签名时完全相同").await;
    c.goto(&s.url("/reporting/work-reports")).await.unwrap();
    c.find(Locator::Id("to-verify")).await.unwrap().click().await.unwrap();
    let field = c.find(Locator::Id("verify-code")).await.unwrap();
    field.send_keys(&code.to_lowercase().replace('-', " ")).await.unwrap();
    c.find(Locator::Id("verify-go")).await.unwrap().click().await.unwrap();
    let shown = wait_for_text(&c, "一致：该核验码对应的报告与签名时完全相同").await;
    assert!(shown.contains("市第一人民医院") && shown.contains(&sig.hash), "{shown}");
    if b == Backend::Sqlite {
        std::fs::write(screenshot_dir().join("work-report-verified.png"), c.screenshot().await.unwrap()).unwrap();
    }
    // A code of the wrong shape is refused on the field; a well-formed unknown one finds nothing.
    c.goto(&s.url("/reporting/verify?code=12345")).await.unwrap();
    wait_for_text(&c, "核验码为10位字母数字").await;
    c.goto(&s.url("/reporting/verify?code=00000-00000")).await.unwrap();
    wait_for_text(&c, "未找到该核验码对应的已签字报告").await;
    // The demo's fifth hospital: signed, then edited — the page says the signature is void.
    let sup = s.actor("supervisor").await;
    let book = s.app.reporting().work_reports(&sup, None).await.unwrap();
    let fifth = book.lines.iter().find(|l| l.unit_name == "市第五人民医院").unwrap().unit_id;
    c.goto(&s.url(&format!("/reporting/work-reports/{fifth}"))).await.unwrap();
    wait_for_text(&c, "签名已因签字后的修改而失效").await;
    assert!(c.find(Locator::Id("report-signature")).await.is_err(), "no signature shown once void");
    c.close().await.unwrap();

    // The signed report's docx carries the code under the signature.
    let (client, _) = s.sign_in("supervisor").await;
    let r = client.get(s.url(&format!("/reporting/work-reports/{unit}/document.docx"))).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let bytes = r.bytes().await.unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml).unwrap();
    assert!(xml.contains(&format!("核验码：{code}")) && xml.contains("下步打算"), "{:.300}", xml);
    // A section too long is refused on its field, what was typed kept (the fifth hospital's
    // report, still open, written by the committee's supervisor).
    let (client, csrf) = s.sign_in("supervisor").await;
    let long = "长".repeat(5001);
    let form = [("csrf_token", csrf.as_str()), ("section_basics", long.as_str()), ("section_problems", "仍有问题")];
    let r = client.post(s.url(&format!("/reporting/work-reports/{fifth}"))).form(&form).send().await.unwrap();
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("仍有问题") && page.contains(&long), "what was typed is kept");
    assert!(
        page.contains("field wide invalid") && page.contains("id=\"report-section_basics-error\""),
        "and the field says why"
    );
}

/// The text of the one QR code in a PNG screenshot.
fn read_qr(png_bytes: &[u8]) -> String {
    let mut reader = png::Decoder::new(std::io::Cursor::new(png_bytes)).read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let (w, h) = (info.width as usize, info.height as usize);
    let step = info.line_size / w;
    let luma = |x: usize, y: usize| {
        let p = &buf[y * info.line_size + x * step..];
        // Greyscale or RGB(A): the green channel stands for the brightness of black and white.
        if step >= 3 { p[1] } else { p[0] }
    };
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, luma);
    let grids = img.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code in the picture");
    grids[0].decode().unwrap().1
}

//! Attachments in a real Chromium (issue 16): the inspector attaches a scanned letter to a lead
//! through the page's file field, is refused a file whose content is not its name's type, sees
//! the file listed with its SHA-256, and the download comes back byte for byte as an attachment
//! that runs nothing. A reply goes on one of the lead's steps and shows on its timeline; the
//! committee's reviewer adds notes to a review, the hospital evidence to its rectification.

use fantoccini::{Client, Locator};
use sha2::{Digest, Sha256};
use store::Backend;

use crate::browser::{browser, chromedriver, screenshot_dir, sign_in, wait_for_text};
use crate::support::start;

testkit::both!(an_inspector_attaches_a_scan_and_downloads_it_intact);

async fn upload(c: &Client, path: &std::path::Path) {
    c.find(Locator::Id("att-file")).await.unwrap().send_keys(&path.display().to_string()).await.unwrap();
    c.find(Locator::Id("upload")).await.unwrap().click().await.unwrap();
}

async fn an_inspector_attaches_a_scan_and_downloads_it_intact(b: Backend) {
    let s = start(b).await;
    let insp = s.actor("inspector").await;
    let params = domain::ledger::query::LedgerParams {
        unit_id: insp.unit_id.to_string(),
        status: "open".into(),
        per_page: "5".into(),
        ..Default::default()
    };
    let lead = s.app.ledger().list(&insp.ledger().unwrap(), &params).await.unwrap().items[2].id.get();
    let dir = tempfile::tempdir().unwrap();
    let fake = dir.path().join("伪装.pdf");
    std::fs::write(&fake, b"MZ\x90\x00\x03 this is a program, not a PDF").unwrap();
    let scan = dir.path().join("举报信扫描件.pdf");
    let mut bytes = app::demo::sample_pdf("Scanned letter (sample)");
    bytes.extend(std::iter::repeat_n(b'%', 300_000));
    std::fs::write(&scan, &bytes).unwrap();

    let driver = chromedriver().await;
    let profile = tempfile::tempdir().unwrap();
    let c = browser(&driver, profile.path()).await;
    c.set_window_size(1366, 768).await.unwrap();
    sign_in(&c, &s, "inspector").await;
    c.goto(&s.url(&format!("/leads/{lead}"))).await.unwrap();
    c.find(Locator::Id("attachments-link")).await.unwrap().click().await.unwrap();
    wait_for_text(&c, "文件类型按内容核验").await;
    upload(&c, &fake).await;
    wait_for_text(&c, "文件内容不是PDF，与文件名不符").await;
    upload(&c, &scan).await;
    let page = wait_for_text(&c, "附件已上传").await;
    let sha = hex::encode(Sha256::digest(&bytes));
    assert!(page.contains("举报信扫描件.pdf") && page.contains(&sha), "{page}");
    if b == Backend::Sqlite {
        std::fs::write(screenshot_dir().join("attachments.png"), c.screenshot().await.unwrap()).unwrap();
    }
    let href =
        c.find(Locator::Css("#attachments a[id^='download-']")).await.unwrap().attr("href").await.unwrap().unwrap();
    // The preview, in its own tab as the link opens it.
    c.goto(&s.url(&format!("{href}/preview"))).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(800)).await;
    if b == Backend::Sqlite {
        std::fs::write(screenshot_dir().join("attachment-preview.png"), c.screenshot().await.unwrap()).unwrap();
    }
    // A written reply on one of the lead's steps: chosen in the form, shown on the timeline.
    let reply = dir.path().join("函询回复.txt");
    std::fs::write(&reply, "函询回复：所反映问题不属实。".as_bytes()).unwrap();
    c.goto(&s.url(&format!("/leads/{lead}/attachments"))).await.unwrap();
    c.find(Locator::Css("#att-step option:nth-child(2)")).await.unwrap().click().await.unwrap();
    upload(&c, &reply).await;
    let page = wait_for_text(&c, "附件已上传").await;
    assert!(page.contains("办理步骤 #"), "listed as on a step: {page}");
    c.goto(&s.url(&format!("/leads/{lead}"))).await.unwrap();
    let on_timeline = c.find(Locator::Css("#timeline a.step-file")).await.unwrap().text().await.unwrap();
    assert!(on_timeline.contains("函询回复.txt"), "{on_timeline}");
    // The hospital's evidence for an open rectification of its own.
    let rects = s.app.oversight().rectifications(&insp, 1).await.unwrap();
    let open =
        rects.items.iter().find(|x| x.state.unit_may_write()).expect("the demo's rectification awaiting a reply");
    let evidence = dir.path().join("采购制度.pdf");
    std::fs::write(&evidence, app::demo::sample_pdf("Rules (sample)")).unwrap();
    c.goto(&s.url(&format!("/oversight/rectifications/{}", open.id))).await.unwrap();
    c.find(Locator::Id("files-file")).await.unwrap().send_keys(&evidence.display().to_string()).await.unwrap();
    c.find(Locator::Id("files-upload")).await.unwrap().click().await.unwrap();
    let page = wait_for_text(&c, "附件已上传").await;
    assert!(page.contains("采购制度.pdf"), "{page}");
    if b == Backend::Sqlite {
        c.execute("document.getElementById('files').scrollIntoView()", vec![]).await.unwrap();
        std::fs::write(screenshot_dir().join("rectification-files.png"), c.screenshot().await.unwrap()).unwrap();
    }
    c.close().await.unwrap();

    // The committee's reviewer adds the notes of a meeting to the review assigned to them.
    let sup = s.actor("supervisor").await;
    let mut mine = None;
    for r in s.app.oversight().review_queue(&sup, None, 1).await.unwrap().items {
        if s.app.oversight().review(&sup, r.id).await.unwrap().may_record {
            mine = Some(r.id);
        }
    }
    let review = mine.expect("the demo's review in progress");
    let notes = dir.path().join("会见举报人记录.txt");
    std::fs::write(&notes, "会见举报人：补充提供了转账记录线索。".as_bytes()).unwrap();
    let profile = tempfile::tempdir().unwrap();
    let c = browser(&driver, profile.path()).await;
    c.set_window_size(1366, 768).await.unwrap();
    sign_in(&c, &s, "supervisor").await;
    c.goto(&s.url(&format!("/oversight/reviews/{review}"))).await.unwrap();
    c.find(Locator::Id("files-file")).await.unwrap().send_keys(&notes.display().to_string()).await.unwrap();
    c.find(Locator::Id("files-upload")).await.unwrap().click().await.unwrap();
    let page = wait_for_text(&c, "附件已上传").await;
    assert!(page.contains("会见举报人记录.txt") && page.contains("卷宗调阅记录.txt"), "with the demo's file: {page}");
    if b == Backend::Sqlite {
        c.execute("document.getElementById('files').scrollIntoView()", vec![]).await.unwrap();
        std::fs::write(screenshot_dir().join("review-files.png"), c.screenshot().await.unwrap()).unwrap();
    }
    c.close().await.unwrap();

    // The download, as the browser would get it: the same bytes, as an attachment, sandboxed.
    let (web, _) = s.sign_in("inspector").await;
    let r = web.get(s.url(&href)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let h = r.headers().clone();
    assert!(h["content-disposition"].to_str().unwrap().starts_with("attachment; filename*=UTF-8''"));
    assert_eq!(
        (h["x-content-type-options"].to_str().unwrap(), h["content-type"].to_str().unwrap()),
        ("nosniff", "application/pdf")
    );
    assert!(h["content-security-policy"].to_str().unwrap().contains("sandbox"));
    assert!(r.bytes().await.unwrap().as_ref() == bytes.as_slice(), "byte for byte");
    let preview = web.get(s.url(&format!("{href}/preview"))).send().await.unwrap();
    assert!(preview.headers()["content-disposition"].to_str().unwrap().starts_with("inline"));
    // The lead's page and its printed record list it, with its hash.
    let lead_page = web.get(s.url(&format!("/leads/{lead}"))).send().await.unwrap().text().await.unwrap();
    assert!(lead_page.contains("举报信扫描件.pdf") && lead_page.contains(&sha));
    let record = web.get(s.url(&format!("/leads/{lead}/record"))).send().await.unwrap().text().await.unwrap();
    assert!(record.contains("举报信扫描件.pdf") && record.contains(&sha), "the record lists the file");
    // Another hospital's inspector cannot have it.
    let (other, _) = s.sign_in("inspector2").await;
    assert_eq!(other.get(s.url(&href)).send().await.unwrap().status(), 404);
}

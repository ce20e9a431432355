//! The printed forms over HTTP (issue 13): the print page of a disposition's approval form
//! and of the record, their docx opened back, and nothing for a lead out of the caller's sight.

use std::io::Read;

use reqwest::StatusCode;
use store::Backend;

use crate::support::{Server, start};

testkit::both!(approval_forms_and_the_record_print_and_download_for_those_who_read_the_lead);

/// The text runs of a docx's document part.
fn docx_text(bytes: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml").unwrap().read_to_string(&mut xml).unwrap();
    let mut out = String::new();
    for part in xml.split("<w:t").skip(1) {
        if let Some((_, rest)) = part.split_once('>')
            && let Some((text, _)) = rest.split_once("</w:t>")
        {
            out.push_str(text);
        }
    }
    out
}

async fn a_pending_disposition(s: &Server) -> (i64, i64) {
    let inspector = s.actor("inspector").await;
    let keeper = inspector.ledger_keeper().unwrap();
    let leads = s.app.ledger().list(keeper.reader(), &Default::default()).await.unwrap().items;
    for l in leads {
        let timeline = s.app.lifecycle().timeline(keeper.reader(), l.id).await.unwrap();
        if let Some(e) = timeline.iter().find(|e| e.kind.code() == "dispose") {
            return (l.id.get(), e.id);
        }
    }
    panic!("the demo has a disposition on the inspector's ledger");
}

async fn approval_forms_and_the_record_print_and_download_for_those_who_read_the_lead(b: Backend) {
    let s = start(b).await;
    let (lead, entry) = a_pending_disposition(&s).await;
    let (web, _) = s.sign_in("inspector").await;
    let page = web.get(s.url(&format!("/leads/{lead}"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains(&format!("/leads/{lead}/form?entry={entry}")), "the timeline links its form");
    let html = web.get(s.url(&format!("/leads/{lead}/form?entry={entry}"))).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("问题线索处置呈批表") && html.contains("承办意见") && html.contains("审批意见"), "{html}");
    let r = web.get(s.url(&format!("/leads/{lead}/form.docx?entry={entry}"))).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()["content-disposition"].to_str().unwrap().contains(".docx"));
    let text = docx_text(&r.bytes().await.unwrap());
    assert!(text.contains("问题线索处置呈批表") && text.contains("反映的主要问题"), "{text}");
    let record = web.get(s.url(&format!("/leads/{lead}/record.docx"))).send().await.unwrap();
    assert!(docx_text(&record.bytes().await.unwrap()).contains("办理过程"));
    let r = web.get(s.url(&format!("/leads/{lead}/form"))).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "which form is required");

    // The API gives the same file; another hospital's inspector gets nothing.
    let token = s.token("inspector").await;
    let api = crate::support::api_client();
    let r = api.get(s.url(&format!("/api/v1/leads/{lead}/form.docx?entry={entry}"))).bearer_auth(&token).send().await;
    assert!(docx_text(&r.unwrap().bytes().await.unwrap()).contains("问题线索处置呈批表"));
    let (theirs, _) = s.sign_in("inspector2").await;
    let r = theirs.get(s.url(&format!("/leads/{lead}/form.docx?entry={entry}"))).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = theirs.get(s.url(&format!("/leads/{lead}/record"))).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

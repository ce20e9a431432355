//! The reporters' figures of `qingling bench` (issue 16): a 50 MB attachment streamed in and
//! out over the API (encrypted in 256 KB chunks), and a reporter opening their report with the
//! receipt code and passphrase (an argon2 check, at most two at once).

// A harness: a step it cannot take is a broken benchmark, and stopping there is the answer.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::{Arc, Mutex};

use app::App;
use domain::reporters::{intake::PortalReportInput, portal::proof_holds};
use reqwest::Client;

use super::bench::{Stats, measure};

/// The file of A1 and A2: a PDF's signature, then 50 MB.
const FILE_BYTES: usize = 50 * 1024 * 1024;
const PASSPHRASE: &str = "bench-portal-passphrase";

pub(super) type Figure = (String, Stats, Stats, Option<Stats>);

/// A1 and A2 on the bench inspector's lead `lead` (a few files each: they are large).
pub(super) async fn attachments(http: &Client, base: &str, insp: &str, lead: i64) -> Result<Vec<Figure>, String> {
    let mut bytes = b"%PDF-1.7\n".to_vec();
    bytes.resize(FILE_BYTES, b'%');
    // A harness: one buffer for every request, never freed.
    let file: &'static [u8] = bytes.leak();
    let kept = Arc::new(Mutex::new(Vec::new()));
    let upload = {
        let (http, url, tok, kept) = (
            http.clone(),
            format!("{base}/api/v1/leads/{lead}/attachments?name=bench.pdf"),
            insp.to_owned(),
            kept.clone(),
        );
        move |_i: usize| {
            let (http, url, tok, kept) = (http.clone(), url.clone(), tok.clone(), kept.clone());
            async move {
                let r = http.post(url).bearer_auth(tok).body(file).send().await.expect("request");
                assert_eq!(r.status(), 201);
                let v: serde_json::Value = r.json().await.expect("kept");
                assert_eq!(v["size"].as_u64(), Some(FILE_BYTES as u64));
                kept.lock().expect("ids").push(v["id"].as_i64().expect("id"));
            }
        }
    };
    let a1 = measure(1, 3, upload.clone()).await;
    let a4 = measure(4, 4, upload).await;
    let id = kept.lock().expect("ids")[0];
    let download = {
        let (http, url, tok) = (http.clone(), format!("{base}/api/v1/leads/{lead}/attachments/{id}"), insp.to_owned());
        move |_i: usize| {
            let (http, url, tok) = (http.clone(), url.clone(), tok.clone());
            async move {
                let r = http.get(url).bearer_auth(tok).send().await.expect("request");
                assert_eq!(r.status(), 200);
                assert_eq!(r.bytes().await.expect("body").len(), FILE_BYTES);
            }
        }
    };
    let d1 = measure(1, 3, download.clone()).await;
    let d4 = measure(4, 4, download).await;
    Ok(vec![
        ("A1 upload a 50 MB attachment (API)".into(), a1, a4, None),
        ("A2 download a 50 MB attachment (API)".into(), d1, d4, None),
    ])
}

/// P1: a reporter opening a report filed on the portal (the receipt code's keyed hash found,
/// the passphrase checked by argon2).
pub(super) async fn portal_open(app: &App, iterations: usize) -> Result<Vec<Figure>, String> {
    let r = app.reporters();
    let c = r.portal_challenge(1);
    let nonce = (0u64..).find(|n| proof_holds(&c.token, *n, 1)).unwrap_or_default().to_string();
    let input = PortalReportInput {
        kind: "anonymous".into(),
        about_name: "基准对象".into(),
        what: "基准测试的网上举报：反映某科长收受回扣".into(),
        passphrase: PASSPHRASE.into(),
        passphrase_again: PASSPHRASE.into(),
        acknowledged: "on".into(),
        ..Default::default()
    };
    let receipt = r.portal_file(&input, (&c.token, &nonce), 1).await.map_err(|e| format!("{e:?}"))?;
    let open = {
        let (app, code) = (app.clone(), receipt.code.clone());
        move |_i: usize| {
            let (app, code) = (app.clone(), code.clone());
            async move {
                std::hint::black_box(app.reporters().portal_open(&code, PASSPHRASE).await.expect("opens"));
            }
        }
    };
    let n = iterations.min(40);
    let one = measure(1, n, open.clone()).await;
    let four = measure(4, n, open).await;
    Ok(vec![("P1 reporter opens a report (code + argon2)".into(), one, four, None)])
}

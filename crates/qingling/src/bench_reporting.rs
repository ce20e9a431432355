//! `qingling bench`, reporting (issue 17): R3 the dashboard page with all its charts, as the
//! committee's supervisor over every unit; R4 a bulletin drafted over every unit below the
//! committee (statistics, scores, ranks and lists written in one transaction), and its docx.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use reqwest::Client;
use serde_json::json;

use super::bench::{Stats, measure, page_session};

pub(super) type Row = (String, Stats, Stats, Option<Stats>);

pub(super) async fn dashboard(base: &str, sup: &str, iterations: usize) -> Result<Vec<Row>, String> {
    let (page, _) = page_session(base, "bench-supervisor").await?;
    let get = |c: Client, url: String, token: Option<String>| {
        move |_i: usize| {
            let (c, url, token) = (c.clone(), url.clone(), token.clone());
            async move {
                let mut r = c.get(url);
                if let Some(t) = token {
                    r = r.bearer_auth(t);
                }
                let r = r.send().await.expect("request");
                assert_eq!(r.status(), 200);
                std::hint::black_box(r.bytes().await.expect("body").len());
            }
        }
    };
    let n = iterations.min(50);
    let url = format!("{base}/reporting/dashboard");
    let one = measure(1, n, get(page.clone(), url.clone(), None)).await;
    let four = measure(4, n, get(page, url, None)).await;
    let api = Client::new();
    let url = format!("{base}/api/v1/dashboard");
    let a1 = measure(1, n, get(api.clone(), url.clone(), Some(sup.to_owned()))).await;
    let a4 = measure(4, n, get(api, url, Some(sup.to_owned()))).await;
    Ok(vec![
        ("R3 dashboard page, all charts, all units".into(), one, four, None),
        ("R3 dashboard figures (API)".into(), a1, a4, None),
    ])
}

pub(super) async fn bulletin(base: &str, sup: &str, iterations: usize) -> Result<Vec<Row>, String> {
    let http = Client::new();
    let drafted = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let tag = std::process::id();
    let draft = {
        let (http, base, sup, drafted) = (http.clone(), base.to_owned(), sup.to_owned(), drafted.clone());
        move |i: usize| {
            let (http, base, sup, drafted) = (http.clone(), base.clone(), sup.clone(), drafted.clone());
            async move {
                let body = json!({"period": "campaign", "title": "关于专项期间问题线索办理情况的通报",
                    "doc_no": format!("基准{tag}〔2026〕{i}号"), "addressees": "各委属单位纪检组织"});
                let r = http.post(format!("{base}/api/v1/bulletins")).bearer_auth(sup).json(&body).send().await;
                let r = r.expect("request");
                assert_eq!(r.status(), 201);
                let id = r.json::<serde_json::Value>().await.expect("json")["id"].as_i64().expect("id");
                drafted.lock().expect("list").push(id);
            }
        }
    };
    // Each draft writes a line per unit: a few make the figure.
    let n = iterations.clamp(1, 3);
    let d1 = measure(1, n, draft).await;
    let id = *drafted.lock().expect("list").last().ok_or("no bulletin drafted")?;
    let units = {
        let b: serde_json::Value = http
            .get(format!("{base}/api/v1/bulletins/{id}"))
            .bearer_auth(sup)
            .send()
            .await
            .map_err(|e| e.to_string())?
            .json()
            .await
            .map_err(|e| e.to_string())?;
        b["lines"].as_array().map_or(0, Vec::len)
    };
    println!("R4: each bulletin ranks {units} units");
    let docx = {
        let (http, url, sup) = (http.clone(), format!("{base}/api/v1/bulletins/{id}/document.docx"), sup.to_owned());
        move |_i: usize| {
            let (http, url, sup) = (http.clone(), url.clone(), sup.clone());
            async move {
                let r = http.get(url).bearer_auth(sup).send().await.expect("request");
                assert_eq!(r.status(), 200);
                std::hint::black_box(r.bytes().await.expect("body").len());
            }
        }
    };
    let x1 = measure(1, n, docx).await;
    Ok(vec![
        (format!("R4 bulletin drafted, {units} units"), d1, d1, None),
        (format!("R4 its docx, {units} units"), x1, x1, None),
    ])
}

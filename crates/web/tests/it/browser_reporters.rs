//! Reporters' identities in a real Chromium: a custodian reveals one with a reason, exports
//! a ledger view with identities after giving one, and the auditor sees who looked and why.

use std::time::Duration;

use fantoccini::{Client, Locator};
use reqwest::StatusCode;
use store::Backend;

use crate::browser::{
    browser, chromedriver, downloads, main_text, screenshot_dir, search, sign_in, sign_out, wait_for_path,
    wait_for_text,
};
use crate::support::{DEMO_PW, Server, start};

testkit::both!(
    custodian_reveals_with_a_reason_the_auditor_sees_it,
    a_custodian_exports_a_view_with_identities_after_giving_a_reason
);

async fn auditor_signs_in(c: &Client, s: &Server) {
    c.goto(&s.url("/login")).await.unwrap();
    c.find(Locator::Id("username")).await.unwrap().send_keys("auditor").await.unwrap();
    c.find(Locator::Id("password")).await.unwrap().send_keys(DEMO_PW).await.unwrap();
    c.find(Locator::Css("button[type=submit]")).await.unwrap().click().await.unwrap();
    wait_for_path(c, "/audit").await;
}

/// A signed lead of the inspector's unit whose summary holds `keyword`.
async fn signed_lead(s: &Server, keyword: &str, name: &str, contact: &str) -> domain::LeadId {
    let keeper = s.actor("inspector").await.ledger_keeper().unwrap();
    let unit = s.actor("inspector").await.unit_id;
    let mut input = domain::ledger::lead::LeadInput {
        unit_id: unit.to_string(),
        source: "petition_report".into(),
        received_on: "2019-05-06".into(),
        category: "protective_umbrella".into(),
        responsible_leader: "张副院长".into(),
        responsible_person: "李某某".into(),
        summary: format!("{keyword}：反映某科室负责人为涉恶团伙提供庇护"),
        subjects: vec![domain::ledger::subject::SubjectInput { name: "上官某".into(), ..Default::default() }],
        ..Default::default()
    };
    input.reporter =
        domain::reporters::ReporterInput { kind: "signed".into(), name: name.into(), contact: contact.into() };
    s.app.ledger().register(&keeper, &input).await.unwrap().into_visible().unwrap().id
}

/// The one workbook the browser saved, once it is whole.
async fn downloaded(dir: &std::path::Path) -> (String, Vec<u8>) {
    for _ in 0..200 {
        let done: Vec<_> = std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "xlsx"))
            .collect();
        if let [one] = done.as_slice() {
            let name = one.file_name().unwrap().to_string_lossy().into_owned();
            return (name, std::fs::read(one).unwrap());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("nothing downloaded to {}", dir.display());
}

async fn a_custodian_exports_a_view_with_identities_after_giving_a_reason(b: Backend) {
    let s = start(b).await;
    let keyword = format!("身份导出{}", rand::random::<u32>());
    signed_lead(&s, &keyword, "实名举报人端木某", "13500001111").await;
    // Only a custodian's ledger offers it.
    let (inspector, _) = s.sign_in("inspector").await;
    let page = inspector.get(s.url("/ledger")).send().await.unwrap().text().await.unwrap();
    assert!(!page.contains("export-identities"));
    assert_eq!(inspector.get(s.url("/ledger/export-identities")).send().await.unwrap().status(), StatusCode::FORBIDDEN);

    let driver = chromedriver().await;
    let profile = tempfile::tempdir().unwrap();
    let c = browser(&driver, profile.path()).await;
    c.set_window_size(1366, 768).await.unwrap();
    sign_in(&c, &s, "custodian").await;
    let listed = search(&c, &s, &keyword).await;
    assert!(listed.contains(&keyword), "{listed}");
    c.find(Locator::Id("export-identities")).await.unwrap().click().await.unwrap();
    let page = wait_for_text(&c, "导出含举报人身份的台账").await;
    assert!(page.contains("不得外传") && page.contains("记入审计日志"), "{page}");
    let leads = c.find(Locator::Id("identity-leads")).await.unwrap().text().await.unwrap();
    let signed = c.find(Locator::Id("identity-signed")).await.unwrap().text().await.unwrap();
    assert_eq!((leads.as_str(), signed.as_str()), ("1", "1"));
    if b == Backend::Sqlite {
        std::fs::write(screenshot_dir().join("identity-export.png"), c.screenshot().await.unwrap()).unwrap();
    }

    // A reason that says nothing comes back marked, as typed; nothing is downloaded.
    let reason = c.find(Locator::Id("identity-export-reason")).await.unwrap();
    reason.send_keys("看看").await.unwrap();
    c.find(Locator::Id("identity-export-button")).await.unwrap().click().await.unwrap();
    // The form's own label says 至少 4 个字 too: wait for the refusal itself.
    let page = wait_for_text(&c, "请写明查看理由").await;
    assert!(page.contains("请写明查看理由（至少 4 个字）"), "{page}");
    let typed = c.find(Locator::Id("identity-export-reason")).await.unwrap().prop("value").await.unwrap();
    assert_eq!(typed.as_deref(), Some("看看"));
    assert!(std::fs::read_dir(downloads(profile.path())).map_or(true, |mut d| d.next().is_none()));

    // With a reason: the view's one lead, with the reporter's name and number.
    let reason = c.find(Locator::Id("identity-export-reason")).await.unwrap();
    reason.clear().await.unwrap();
    reason.send_keys("向实名举报人集中反馈办理结果").await.unwrap();
    c.find(Locator::Id("identity-export-button")).await.unwrap().click().await.unwrap();
    let (name, bytes) = downloaded(&downloads(profile.path())).await;
    assert!(name.contains("含举报人身份"), "{name}");
    let book = office::sheet::read(&bytes, &name, &office::sheet::LIMITS).unwrap();
    let rows = format!("{:?}", book.sheets[0].rows);
    assert!(rows.contains("实名举报人端木某") && rows.contains("13500001111") && rows.contains("合计：1件"), "{rows}");
    sign_out(&c).await;

    // The auditor sees the export, its reason and its count; never the identity.
    auditor_signs_in(&c, &s).await;
    c.find(Locator::Id("a-action")).await.unwrap().select_by_label("导出含举报人身份的台账").await.unwrap();
    c.find(Locator::Css("form.filters button[type=submit]")).await.unwrap().click().await.unwrap();
    let trail = wait_for_text(&c, "向实名举报人集中反馈办理结果").await;
    assert!(trail.contains("custodian") && trail.contains("1 件线索；理由：向实名举报人集中反馈办理结果"), "{trail}");
    assert!(!trail.contains("端木某") && !trail.contains("13500001111"), "{trail}");
    c.close().await.unwrap();
}

async fn custodian_reveals_with_a_reason_the_auditor_sees_it(b: Backend) {
    let s = start(b).await;
    let lead = signed_lead(&s, "查看身份", "实名举报人司马某", "13700000000").await;

    let driver = chromedriver().await;
    let profile = tempfile::tempdir().unwrap();
    let c = browser(&driver, profile.path()).await;
    c.set_window_size(1366, 768).await.unwrap();
    sign_in(&c, &s, "custodian").await;
    c.goto(&s.url(&format!("/leads/{lead}"))).await.unwrap();
    let main = main_text(&c).await;
    assert!(main.contains("已保护") && !main.contains("司马某"));
    // The reason is required: an empty submit is stopped (by the browser or the server).
    c.find(Locator::Id("reveal-button")).await.unwrap().click().await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let still = main_text(&c).await;
    assert!(!still.contains("实名举报人司马某"), "no reason, no identity");
    c.find(Locator::Id("reveal-reason")).await.unwrap().send_keys("向实名举报人反馈办理结果").await.unwrap();
    c.find(Locator::Id("reveal-button")).await.unwrap().click().await.unwrap();
    let shown = wait_for_text(&c, "实名举报人司马某").await;
    assert!(shown.contains("实名举报人司马某") && shown.contains("13700000000"), "revealed after giving a reason");
    sign_out(&c).await;

    auditor_signs_in(&c, &s).await;
    // Filters are picked, in words (issue 12, point 7).
    c.find(Locator::Id("a-action")).await.unwrap().select_by_label("查看举报人身份").await.unwrap();
    c.find(Locator::Css("form.filters button[type=submit]")).await.unwrap().click().await.unwrap();
    let trail = wait_for_text(&c, "向实名举报人反馈办理结果").await;
    assert!(
        trail.contains("custodian") && trail.contains("向实名举报人反馈办理结果"),
        "the auditor sees who looked and why"
    );
    assert!(
        trail.contains("查看举报人身份") && trail.contains("线索 RMYY1-"),
        "in words: the action and the lead's number"
    );
    assert!(!trail.contains("reporter.reveal"), "not the code");
    assert!(!trail.contains("司马某"), "the trail does not hold the identity");
    if b == Backend::Sqlite {
        std::fs::write(screenshot_dir().join("audit.png"), c.screenshot().await.unwrap()).unwrap();
    }
    c.close().await.unwrap();
}

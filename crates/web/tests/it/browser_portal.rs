//! The public portal's main journey in a real Chromium (issue 16): a reporter files anonymously
//! on a phone-sized screen (the proof of work computed in the page), the committee routes the
//! report, the hospital's inspector asks a question and registers it as a lead, the reporter
//! answers with the receipt code, reads the result notice and rates it.

use fantoccini::{Client, Locator};
use store::Backend;
use web::portal::PortalLimits;

use crate::browser::{browser, chromedriver, main_text, screenshot_dir, sign_in, sign_in_as, wait_for_text};
use crate::support::start;

testkit::both!(a_reporter_files_on_the_portal_and_follows_it_to_the_result);

async fn fill(c: &Client, id: &str, text: &str) {
    let e = c.find(Locator::Id(id)).await.unwrap();
    e.clear().await.unwrap();
    e.send_keys(text).await.unwrap();
}

async fn click(c: &Client, css: &str) {
    c.find(Locator::Css(css)).await.unwrap().click().await.unwrap();
}

async fn shot(c: &Client, b: Backend, name: &str) {
    if b == Backend::Sqlite {
        std::fs::write(screenshot_dir().join(name), c.screenshot().await.unwrap()).unwrap();
    }
}

const PASS: &str = "我的查询密码2026";

async fn a_reporter_files_on_the_portal_and_follows_it_to_the_result(b: Backend) {
    let s = start(b).await;
    let p = s.portal(PortalLimits::default()).await;
    let driver = chromedriver().await;
    let profile = tempfile::tempdir().unwrap();
    let c = browser(&driver, profile.path()).await;

    // On a phone: the home page, then the form.
    c.set_window_size(360, 740).await.unwrap();
    c.goto(&p.url("/")).await.unwrap();
    click(&c, "#to-report").await;
    wait_for_text(&c, "如实举报").await;
    fill(&c, "about_name", "冯某").await;
    fill(&c, "about_unit", "市第一人民医院").await;
    fill(&c, "what", "总务科科长在食堂承包中收受承包商好处费，并安排亲属参与经营").await;
    fill(&c, "passphrase", PASS).await;
    fill(&c, "passphrase_again", PASS).await;
    click(&c, "#acknowledged").await;
    shot(&c, b, "portal-report.png").await;
    let started = std::time::Instant::now();
    click(&c, "#submit-report").await;
    let mut code = String::new();
    for _ in 0..600 {
        if let Ok(e) = c.find(Locator::Id("receipt-code")).await {
            code = e.text().await.unwrap();
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let took = started.elapsed();
    assert_eq!(code.replace(' ', "").len(), 16, "the receipt code: {}", main_text(&c).await);
    println!(
        "portal: proof of work at {} bits and filing took {} ms in headless Chromium",
        PortalLimits::default().bits,
        took.as_millis()
    );
    shot(&c, b, "portal-receipt.png").await;
    // With the code, the reporter sends a photo of the evidence with the report.
    c.goto(&p.url("/follow")).await.unwrap();
    fill(&c, "receipt_code", &code).await;
    fill(&c, "passphrase", PASS).await;
    click(&c, "#submit-follow").await;
    wait_for_text(&c, "已提交，待受理").await;
    let dir = tempfile::tempdir().unwrap();
    let photo = dir.path().join("承包合同照片.pdf");
    std::fs::write(&photo, app::demo::sample_pdf("Contract (photo)")).unwrap();
    c.find(Locator::Id("file-file")).await.unwrap().send_keys(&photo.display().to_string()).await.unwrap();
    click(&c, "#send-file").await;
    let page = wait_for_text(&c, "材料已上传").await;
    assert!(page.contains("承包合同照片.pdf"), "{page}");

    // The committee routes it to the inspector's hospital.
    c.set_window_size(1366, 768).await.unwrap();
    sign_in(&c, &s, "supervisor").await;
    c.goto(&s.url("/reporters/intake")).await.unwrap();
    wait_for_text(&c, "总务科科长在食堂承包中").await;
    let link = c.find(Locator::Css("#intake tbody tr:first-child a[href^='/reporters/intake/']")).await.unwrap();
    let here = link.attr("href").await.unwrap().unwrap();
    c.goto(&s.url(&here)).await.unwrap();
    let insp = s.actor("inspector").await;
    c.find(Locator::Id("route-unit_id")).await.unwrap().select_by_value(&insp.unit_id.to_string()).await.unwrap();
    click(&c, "#route-form button[type=submit]").await;
    wait_for_text(&c, "已转办").await;

    // The hospital's inspector asks, then registers it; the subject comes from the report.
    sign_in_as(&c, &s, "inspector", 0).await;
    c.goto(&s.url(&here)).await.unwrap();
    let page = wait_for_text(&c, "可能重复的线索").await;
    assert!(page.contains("承包合同照片.pdf"), "the intake sees the reporter's file: {page}");
    fill(&c, "ask-text", "请问好处费大约是什么时间、以什么方式给的？").await;
    click(&c, "#send-question").await;
    wait_for_text(&c, "留言已发送").await;
    c.find(Locator::Id("reg-category")).await.unwrap().select_by_value("work_style").await.unwrap();
    fill(&c, "reg-responsible_leader", "李副院长").await;
    fill(&c, "reg-responsible_person", "刘某").await;
    shot(&c, b, "portal-intake.png").await;
    click(&c, "#register-lead").await;
    let page = wait_for_text(&c, "已登记为线索").await;
    assert!(page.contains("冯某") && page.contains("承包合同照片.pdf"), "the file is the lead's now: {page}");
    let lead: i64 = c.current_url().await.unwrap().path().rsplit('/').next().unwrap().parse().unwrap();

    // The reporter, with the code and passphrase: accepted, the question there to answer.
    c.set_window_size(360, 740).await.unwrap();
    c.goto(&p.url("/follow")).await.unwrap();
    fill(&c, "receipt_code", &code).await;
    fill(&c, "passphrase", "错误的查询密码啊").await;
    click(&c, "#submit-follow").await;
    wait_for_text(&c, "查询码或查询密码不正确").await;
    fill(&c, "receipt_code", &code).await;
    fill(&c, "passphrase", PASS).await;
    click(&c, "#submit-follow").await;
    let page = wait_for_text(&c, "已受理").await;
    assert!(page.contains("以什么方式给的"), "{page}");
    fill(&c, "msg-text", "去年春节前后，现金当面给的").await;
    click(&c, "#submit-message").await;
    wait_for_text(&c, "留言已发送").await;

    // Concluded (through the app: the lifecycle has its own browser tests); the inspector tells
    // the result through the portal.
    let keeper = insp.ledger_keeper().unwrap();
    let chief = s.actor("chief").await.approver().unwrap();
    let id = domain::LeadId::from_raw(lead);
    for (step, disposition, finding) in
        [("assess", "", ""), ("dispose", "preliminary_verification", ""), ("conclude", "", "confirmed")]
    {
        let mut input = app::StepInput {
            step: step.into(),
            disposition: disposition.into(),
            note: "核查".into(),
            ..Default::default()
        };
        if !finding.is_empty() {
            input.conclusion = domain::lifecycle::conclusion::ConclusionInput {
                finding: finding.into(),
                outcomes: vec![("disciplinary".into(), "1".into(), "criticism".into())],
            };
        }
        if s.app.lifecycle().take_step(&keeper, id, &input).await.unwrap() == app::StepOutcome::Pending {
            for item in s.app.lifecycle().approval_queue(&chief).await.unwrap() {
                s.app.lifecycle().decide_step(&chief, item.event_id, true, "同意").await.unwrap();
            }
        }
    }
    c.set_window_size(1366, 768).await.unwrap();
    c.goto(&s.url(&format!("/leads/{lead}/feedback"))).await.unwrap();
    wait_for_text(&c, "网上举报平台").await;
    fill(&c, "fb-note", "经核查，反映问题基本属实，已对冯某进行批评教育并责令退还好处费。").await;
    click(&c, "#record-feedback").await;
    wait_for_text(&c, "已登记反馈").await;

    // The reporter reads the result and rates it.
    c.set_window_size(360, 740).await.unwrap();
    c.goto(&p.url("/follow")).await.unwrap();
    fill(&c, "receipt_code", &code).await;
    fill(&c, "passphrase", PASS).await;
    click(&c, "#submit-follow").await;
    let page = wait_for_text(&c, "已办结").await;
    assert!(page.contains("责令退还好处费"), "{page}");
    c.find(Locator::Id("rate-rating")).await.unwrap().select_by_value("basically_satisfied").await.unwrap();
    click(&c, "#submit-rating").await;
    let page = wait_for_text(&c, "评价已提交").await;
    assert!(page.contains("基本满意") && !page.contains("提交评价"), "rated once: {page}");
    shot(&c, b, "portal-status.png").await;
    c.close().await.unwrap();
}

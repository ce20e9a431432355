//! The clocks' own events in a real Chromium (issue 11): an inspector records the inquiry
//! letter on a lead in 谈话函询 and sees the reply clock on the timeline; records the receiving
//! body's receipt of a transfer, which then counts as cleared.

use domain::ledger::lead::LeadStatus;
use fantoccini::Locator;
use store::Backend;

use crate::browser::{browser, chromedriver, main_text, screenshot_dir, sign_in_as, wait_for_text};
use crate::support::start;

testkit::both!(an_inspector_records_the_letter_and_the_receipt);

async fn an_inspector_records_the_letter_and_the_receipt(b: Backend) {
    let s = start(b).await;
    let insp = s.actor("inspector").await;
    let reader = insp.ledger().unwrap();
    let find = |status: LeadStatus| {
        let (app, reader) = (s.app.clone(), reader.clone());
        async move {
            let p = domain::ledger::query::LedgerParams {
                status: status.code().into(),
                per_page: "100".into(),
                ..Default::default()
            };
            app.ledger().list(&reader, &p).await.unwrap().items
        }
    };
    let inquiry = find(LeadStatus::TalkInquiry).await.into_iter().next().expect("the demo has a lead in 谈话函询");
    // A lead transferred just now: its receipt is still to come.
    let keeper = insp.ledger_keeper().unwrap();
    let mut transfer = None;
    let open = [LeadStatus::Registered, LeadStatus::Assessed, LeadStatus::PreliminaryVerification, LeadStatus::Shelved];
    let mut candidates = Vec::new();
    for st in open {
        candidates.extend(find(st).await);
    }
    for l in candidates {
        let pending =
            s.app.lifecycle().timeline(&reader, l.id).await.unwrap().iter().any(|e| e.state.code() == "pending");
        if !pending {
            transfer = Some(l);
            break;
        }
    }
    let transfer = transfer.expect("the demo has an open lead with nothing pending");
    let step = app::StepInput {
        step: "transfer".into(),
        receiving_body: "市公安局".into(),
        note: "属公安机关管辖".into(),
        ..Default::default()
    };
    s.app.lifecycle().take_step(&keeper, transfer.id, &step).await.unwrap();
    // 移交 waits for the committee head (issue 12).
    let chief = s.actor("chief").await.approver().unwrap();
    for q in s.app.lifecycle().approval_queue(&chief).await.unwrap() {
        if q.lead_id == transfer.id {
            s.app.lifecycle().decide_step(&chief, q.event_id, true, "同意移交").await.unwrap();
        }
    }
    let today = domain::dates::format_date(s.app.today());

    let driver = chromedriver().await;
    let profile = tempfile::tempdir().unwrap();
    let c = browser(&driver, profile.path()).await;
    c.set_window_size(1366, 768).await.unwrap();
    sign_in_as(&c, &s, "inspector", inquiry.id.get()).await;
    c.find(Locator::Id("inquiry-event")).await.unwrap().select_by_value("letter_sent").await.unwrap();
    c.find(Locator::Id("inquiry-on")).await.unwrap().send_keys(&today).await.unwrap();
    c.find(Locator::Id("submit-inquiry")).await.unwrap().click().await.unwrap();
    let page = wait_for_text(&c, "已发函询函").await;
    assert!(page.contains(&format!("已发函询函 {today}")) && page.contains("函询书面回复"), "{page}");
    if b == Backend::Sqlite {
        c.execute("window.scrollTo(0, document.getElementById('timeline').offsetTop - 80)", vec![]).await.unwrap();
        std::fs::write(screenshot_dir().join("inquiry.png"), c.screenshot().await.unwrap()).unwrap();
    }
    let after = s.app.ledger().lead(&reader, inquiry.id).await.unwrap();
    assert_eq!(after.deadline_rule, Some(domain::lifecycle::deadline::RuleCode::InquiryReply));

    c.goto(&s.url(&format!("/leads/{}", transfer.id))).await.unwrap();
    // A date in the future is refused, and says why.
    c.find(Locator::Id("receipt-received_on")).await.unwrap().send_keys("2999-01-01").await.unwrap();
    c.find(Locator::Id("submit-receipt")).await.unwrap().click().await.unwrap();
    assert!(wait_for_text(&c, "签收日期应在").await.contains("签收日期应在"));
    let field = c.find(Locator::Id("receipt-received_on")).await.unwrap();
    assert_eq!(field.prop("value").await.unwrap().as_deref(), Some("2999-01-01"), "what was typed is kept");
    field.clear().await.unwrap();
    field.send_keys(&today).await.unwrap();
    c.find(Locator::Id("submit-receipt")).await.unwrap().click().await.unwrap();
    let page = wait_for_text(&c, "已记录「移交回执」").await;
    assert!(page.contains(&format!("接收单位 {today} 签收")), "{page}");
    assert!(c.find(Locator::Id("receipt-form")).await.is_err(), "recorded once: the form is gone");
    let lead = s.app.ledger().lead(&reader, transfer.id).await.unwrap();
    assert_eq!(lead.transfer_received_on, Some(s.app.today()));
    assert!(main_text(&c).await.contains("移交回执"));
    c.close().await.unwrap();
}

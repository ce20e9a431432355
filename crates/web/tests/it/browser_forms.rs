//! The one form pattern and the work queue in a real Chromium (issue 12): a step form shows
//! only its own fields; a refused form keeps what was typed, names the field and takes focus;
//! the success message says what happened; the committee head lands on 待办, whose badge
//! counts the approvals, and decides there with the lead's context in view; a supervision form
//! (督办单) refused and corrected.

use domain::ledger::lead::LeadStatus;
use fantoccini::Locator;
use store::Backend;

use crate::browser::{browser, chromedriver, main_text, screenshot_dir, sign_in_as, wait_for_text};
use crate::support::start;

testkit::both!(a_refused_step_keeps_its_input_and_the_head_decides_from_the_queue);

async fn a_refused_step_keeps_its_input_and_the_head_decides_from_the_queue(b: Backend) {
    let s = start(b).await;
    let insp = s.actor("inspector").await;
    let reader = insp.ledger().unwrap();
    let keeper = insp.ledger_keeper().unwrap();
    let i = domain::ledger::lead::LeadInput {
        unit_id: insp.unit_id.to_string(),
        source: "petition_report".into(),
        received_on: domain::dates::format_date(s.app.today()),
        category: "protective_umbrella".into(),
        summary: "反映某科室负责人收受回扣。".into(),
        subjects: vec![domain::ledger::subject::SubjectInput { name: "孙某某".into(), ..Default::default() }],
        ..Default::default()
    };
    let lead = s.app.ledger().register(&keeper, &i).await.unwrap().into_visible().unwrap();
    let assess = app::StepInput { step: "assess".into(), note: "研判".into(), ..Default::default() };
    s.app.lifecycle().take_step(&keeper, lead.id, &assess).await.unwrap();
    let driver = chromedriver().await;
    let profile = tempfile::tempdir().unwrap();
    let c = browser(&driver, profile.path()).await;
    c.set_window_size(1366, 768).await.unwrap();
    sign_in_as(&c, &s, "inspector", lead.id.get()).await;
    // Only the steps this lead allows, each with only its fields.
    assert!(c.find(Locator::Id("step-dispose-disposition")).await.is_ok());
    assert!(c.find(Locator::Id("step-dispose-finding")).await.is_err(), "no conclusion fields on a disposition");
    assert!(c.find(Locator::Id("step-conclude-form")).await.is_err(), "an assessed lead cannot be concluded");
    assert!(c.find(Locator::Id("step-transfer-confirm")).await.is_ok(), "移交 asks for confirmation");
    c.find(Locator::Css("#step-dispose summary")).await.unwrap().click().await.unwrap();
    c.find(Locator::Id("step-dispose-note")).await.unwrap().send_keys("经研判拟初核").await.unwrap();
    c.find(Locator::Id("submit-dispose")).await.unwrap().click().await.unwrap();
    let page = wait_for_text(&c, "请选择处置方式").await;
    assert!(page.contains("处置方式：请选择处置方式。"), "the summary names the field: {page}");
    let focused = c.active_element().await.unwrap().attr("id").await.unwrap();
    assert_eq!(focused.as_deref(), Some("step-dispose-errors"), "the summary takes focus");
    let kept = c.find(Locator::Id("step-dispose-note")).await.unwrap().prop("value").await.unwrap();
    assert_eq!(kept.as_deref(), Some("经研判拟初核"), "what was typed is kept");
    if b == Backend::Sqlite {
        std::fs::write(screenshot_dir().join("step-form-error.png"), c.screenshot().await.unwrap()).unwrap();
    }
    c.find(Locator::Id("step-dispose-disposition")).await.unwrap().select_by_value("talk_inquiry").await.unwrap();
    c.find(Locator::Id("submit-dispose")).await.unwrap().click().await.unwrap();
    assert!(wait_for_text(&c, "已提出「谈话函询」处置意见，待纪委书记审批").await.contains("待纪委书记审批"));

    // The committee head lands on 待办; the badge counts what waits for them.
    let chief = s.actor("chief").await.approver().unwrap();
    let waiting = s.app.lifecycle().approval_queue(&chief).await.unwrap().len();
    sign_in_as(&c, &s, "chief", lead.id.get()).await;
    c.goto(&s.url("/")).await.unwrap();
    assert_eq!(c.current_url().await.unwrap().path(), "/queue");
    let badge = c.find(Locator::Id("task-badge")).await.unwrap().text().await.unwrap();
    assert_eq!(badge, waiting.to_string());
    let page = main_text(&c).await;
    let row = page.lines().find(|l| l.contains(&lead.number.to_string())).unwrap_or_default().to_owned();
    assert!(row.contains(&lead.unit_name) && row.contains("谈话函询"), "the row has the context: {row}");
    if b == Backend::Sqlite {
        std::fs::write(screenshot_dir().join("queue.png"), c.screenshot().await.unwrap()).unwrap();
    }
    // Rejecting without a reason is refused, and says so; approving says what happened.
    let row_form = format!("//tr[td/a[text()='{}']]", lead.number);
    let reject = format!("{row_form}//button[@value='0']");
    c.find(Locator::XPath(&reject)).await.unwrap().click().await.unwrap();
    assert!(wait_for_text(&c, "驳回").await.contains("未能提交"));
    let approve = format!("{row_form}//button[@value='1']");
    c.find(Locator::XPath(&approve)).await.unwrap().click().await.unwrap();
    assert!(wait_for_text(&c, "已同意").await.contains("已同意，该事项已生效"));
    let after = s.app.ledger().lead(&reader, lead.id).await.unwrap();
    assert_eq!(after.status, LeadStatus::TalkInquiry);

    // The supervision forms follow the same pattern: a past reply deadline is refused under its
    // field, the requirement typed is kept, and the corrected form says what happened.
    sign_in_as(&c, &s, "supervisor", lead.id.get()).await;
    c.find(Locator::Id("order-requirement")).await.unwrap().send_keys("请十日内报告核查进展").await.unwrap();
    c.find(Locator::Id("order-reply_due")).await.unwrap().send_keys("2020-01-01").await.unwrap();
    c.find(Locator::Css("#order-form button[type=submit]")).await.unwrap().click().await.unwrap();
    let page = wait_for_text(&c, "回复期限不能早于今天").await;
    assert!(page.contains("回复期限：回复期限不能早于今天。"), "{page}");
    let focused = c.active_element().await.unwrap().attr("id").await.unwrap();
    assert_eq!(focused.as_deref(), Some("order-errors"));
    let kept = c.find(Locator::Id("order-requirement")).await.unwrap().prop("value").await.unwrap();
    assert_eq!(kept.as_deref(), Some("请十日内报告核查进展"));
    let due = c.find(Locator::Id("order-reply_due")).await.unwrap();
    due.clear().await.unwrap();
    let later = domain::dates::format_date(s.app.today() + time::Duration::days(10));
    due.send_keys(&later).await.unwrap();
    c.find(Locator::Css("#order-form button[type=submit]")).await.unwrap().click().await.unwrap();
    assert!(wait_for_text(&c, "已挂牌督办").await.contains("已挂牌督办，督办单已发出。"));
}

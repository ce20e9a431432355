//! The review of unfounded closures in a real Chromium (issue 15): the supervisor fills the
//! queue, takes one review from the queue through reviewers, a method and the checks to
//! "returned" (confirming first), and finds the lead reopened at its unit with the
//! resubmission deadline on its timeline.

use fantoccini::{Client, Locator};
use store::Backend;

use crate::browser::{browser, chromedriver, main_text, screenshot_dir, sign_in, wait_for_text};
use crate::support::start;

testkit::both!(a_review_goes_from_the_queue_to_returned_and_the_lead_reopens);

async fn fill(c: &Client, id: &str, text: &str) {
    let e = c.find(Locator::Id(id)).await.unwrap();
    e.clear().await.unwrap();
    e.send_keys(text).await.unwrap();
}

async fn choose(c: &Client, id: &str, value: &str) {
    c.find(Locator::Id(id)).await.unwrap().select_by_value(value).await.unwrap();
}

async fn submit(c: &Client, form: &str) {
    c.find(Locator::Css(&format!("#{form} button[type=submit]"))).await.unwrap().click().await.unwrap();
}

async fn shot(c: &Client, b: Backend, name: &str) {
    if b == Backend::Sqlite {
        std::fs::write(screenshot_dir().join(name), c.screenshot().await.unwrap()).unwrap();
    }
}

async fn a_review_goes_from_the_queue_to_returned_and_the_lead_reopens(b: Backend) {
    let s = start(b).await;
    let driver = chromedriver().await;
    let profile = tempfile::tempdir().unwrap();
    let c = browser(&driver, profile.path()).await;
    c.set_window_size(1366, 768).await.unwrap();
    sign_in(&c, &s, "supervisor").await;

    // The demo's queue: figures per unit, one upheld and one returned, the draw with its seed.
    c.find(Locator::LinkText("复审复核")).await.unwrap().click().await.unwrap();
    let page = wait_for_text(&c, "各单位复审情况").await;
    assert!(page.contains("维持原结论") && page.contains("退回重新调查"), "{page}");
    assert!(page.contains("20261207"), "the demo draw's seed is shown: {page}");
    shot(&c, b, "reviews-queue.png").await;

    // A draw with no rule is refused with the form kept; "all" queues what is left.
    c.find(Locator::Css("#draw summary")).await.unwrap().click().await.unwrap();
    for id in ["draw-repeat_reports", "draw-categories", "draw-still_complaining", "draw-returned_before"] {
        c.find(Locator::Id(id)).await.unwrap().click().await.unwrap();
    }
    fill(&c, "draw-sample_percent", "").await;
    submit(&c, "draw-form").await;
    wait_for_text(&c, "请至少选择一种列入方式").await;
    c.find(Locator::Id("draw-all")).await.unwrap().click().await.unwrap();
    fill(&c, "draw-seed", "99").await;
    submit(&c, "draw-form").await;
    let page = wait_for_text(&c, "已抽取：").await;
    assert!(page.contains("随机种子 99"), "{page}");

    // One queued review, opened from the queue.
    c.goto(&s.url("/oversight/reviews?state=queued")).await.unwrap();
    wait_for_text(&c, "待复审").await;
    let open = c.find(Locator::Css("#reviews tbody tr td:last-child a")).await.unwrap();
    open.click().await.unwrap();
    let page = wait_for_text(&c, "指定复审人员").await;
    assert!(page.contains("尚未指定复审人员"), "{page}");
    let number = c.find(Locator::Css("h1 a")).await.unwrap().text().await.unwrap();
    let lead_href = c.find(Locator::Css("h1 a")).await.unwrap().attr("href").await.unwrap().unwrap();

    // The supervisor assigns themself (the only one offered: of no hospital, named nowhere).
    let offered = c.find(Locator::Id("assign-reviewers")).await.unwrap().text().await.unwrap();
    assert!(offered.contains("周某某（监督检查室）"), "{offered}");
    c.find(Locator::Css("#assign-reviewers input[type=checkbox]")).await.unwrap().click().await.unwrap();
    submit(&c, "assign-form").await;
    wait_for_text(&c, "已指定复审人员").await;

    // The result before the work: refused, each reason named.
    c.execute("window.confirm = () => true", vec![]).await.unwrap();
    choose(&c, "result-result", "returned").await;
    submit(&c, "result-form").await;
    let page = wait_for_text(&c, "请先记录至少一种复审方式").await;
    assert!(page.contains("请先逐项回答三项检查并写明理由"), "{page}");

    // A method, then the checks.
    choose(&c, "method-method", "files").await;
    fill(&c, "method-held_on", "2020-01-02").await;
    fill(&c, "method-persons", "周某某、复审组").await;
    fill(&c, "method-notes", "调阅初核卷宗，未见银行流水和合同").await;
    submit(&c, "method-form").await;
    wait_for_text(&c, "已记录复审方式").await;
    for (code, answer, reason) in [
        ("political", "no_problem", "单位党委专题研究过两次"),
        ("dereliction", "problem", "未调取银行流水即作查否"),
        ("depth", "problem", "未核查其亲属经营的公司"),
    ] {
        choose(&c, &format!("checks-{code}"), answer).await;
        fill(&c, &format!("checks-{code}_reason"), reason).await;
    }
    c.execute("document.getElementById('methods').scrollIntoView()", vec![]).await.unwrap();
    shot(&c, b, "review-checks.png").await;
    submit(&c, "checks-form").await;
    wait_for_text(&c, "已保存检查结论").await;

    // Returned, confirmed first: the lead reopens.
    choose(&c, "result-result", "returned").await;
    fill(&c, "result-note", "核查不细，退回重新调查").await;
    c.find(Locator::Id("result-accountability")).await.unwrap().click().await.unwrap();
    submit(&c, "result-form").await;
    let asked = c.get_alert_text().await.unwrap();
    assert!(asked.contains("重新启动该线索"), "{asked}");
    c.accept_alert().await.unwrap();
    let page = wait_for_text(&c, "线索已重新启动").await;
    assert!(page.contains("重新报结期限"), "{page}");
    assert!(c.find(Locator::Id("review-state")).await.unwrap().text().await.unwrap().contains("退回重新调查"));
    shot(&c, b, "review-returned.png").await;

    // On the lead: reopened (已研判) by the review, with its resubmission clock.
    c.goto(&s.url(&lead_href)).await.unwrap();
    let page = wait_for_text(&c, "复审结论：退回重新调查").await;
    assert!(page.contains(&number) && page.contains("已研判"), "{page}");
    assert!(page.contains("复审退回后重新报结"), "the clock entry names the rule: {page}");
    assert!(main_text(&c).await.contains("重新启动"), "{page}");
    c.close().await.unwrap();
}

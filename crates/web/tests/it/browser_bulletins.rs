//! Bulletins in a real Chromium (issue 17, point 3): the committee drafts a bulletin and moves
//! a unit to another list with a reason; the committee head signs it after confirming and
//! issues it; a hospital's inspector then reads it and their own line, equal to the use
//! case's; the 公文 downloads as docx.

use fantoccini::Locator;
use store::Backend;

use crate::browser::{browser, chromedriver, screenshot_dir, sign_in, sign_out, wait_for_text};
use crate::support::start;

testkit::both!(the_committee_drafts_signs_and_issues_a_bulletin_and_a_unit_reads_its_line);

async fn the_committee_drafts_signs_and_issues_a_bulletin_and_a_unit_reads_its_line(b: Backend) {
    let s = start(b).await;
    let driver = chromedriver().await;
    let profile = tempfile::tempdir().unwrap();
    let c = browser(&driver, profile.path()).await;
    c.set_window_size(1366, 768).await.unwrap();
    sign_in(&c, &s, "supervisor").await;
    c.find(Locator::Id("nav-bulletins")).await.unwrap().click().await.unwrap();
    wait_for_text(&c, "起草通报").await;
    // The demo's issued bulletin and its draft are listed.
    let listed = c.find_all(Locator::Css("#bulletins tbody tr")).await.unwrap().len();
    assert_eq!(listed, 2);
    c.find(Locator::Css("#draft summary")).await.unwrap().click().await.unwrap();
    let period = c.find(Locator::Id("bulletin-period")).await.unwrap();
    period.send_keys("campaign").await.unwrap();
    let title = c.find(Locator::Id("bulletin-title")).await.unwrap();
    title.clear().await.unwrap();
    title.send_keys("关于专项工作期间问题线索办理情况的通报").await.unwrap();
    c.find(Locator::Id("bulletin-draft")).await.unwrap().click().await.unwrap();
    wait_for_text(&c, "通报草稿已生成").await;
    let id: i64 = c.current_url().await.unwrap().path().rsplit('/').next().unwrap().parse().unwrap();
    let sup = s.actor("supervisor").await;
    let view = s.app.reporting().bulletin(&sup, id).await.unwrap();
    assert_eq!(view.rules_version, 1);
    // The ranking on the page is the use case's.
    let ranked = c.find_all(Locator::Css("#ranking tbody th")).await.unwrap();
    assert_eq!(ranked.len(), view.lines.len());
    assert_eq!(ranked[0].text().await.unwrap(), view.lines[0].unit_name);
    if b == Backend::Sqlite {
        std::fs::write(screenshot_dir().join("bulletin-draft.png"), c.screenshot().await.unwrap()).unwrap();
    }
    // The first-ranked unit to the praise list, with a reason; a short reason is refused first.
    let first = &view.lines[0];
    let unit = c.find(Locator::Id("line-unit_id")).await.unwrap();
    unit.select_by_value(&first.unit_id.to_string()).await.unwrap();
    c.find(Locator::Id("line-list")).await.unwrap().select_by_value("praise").await.unwrap();
    c.find(Locator::Id("line-reason")).await.unwrap().send_keys("好").await.unwrap();
    c.find(Locator::Id("line-save")).await.unwrap().click().await.unwrap();
    wait_for_text(&c, "至少4个字").await;
    let reason = c.find(Locator::Id("line-reason")).await.unwrap();
    reason.clear().await.unwrap();
    reason.send_keys("存量线索全部清零，工作扎实").await.unwrap();
    c.find(Locator::Id("line-save")).await.unwrap().click().await.unwrap();
    wait_for_text(&c, "名单已调整").await;
    assert!(c.find(Locator::Id("bulletin-sign")).await.is_err(), "the committee does not sign");
    sign_out(&c).await;

    // The committee head signs after confirming, then issues.
    sign_in(&c, &s, "chief").await;
    c.goto(&s.url(&format!("/reporting/bulletins/{id}"))).await.unwrap();
    wait_for_text(&c, "通报表扬").await;
    c.find(Locator::Id("bulletin-sign")).await.unwrap().click().await.unwrap();
    c.accept_alert().await.unwrap();
    wait_for_text(&c, "已签发。").await;
    assert!(c.find(Locator::Id("sig-intact")).await.is_ok(), "the document matches its signature");
    c.find(Locator::Id("bulletin-issue")).await.unwrap().click().await.unwrap();
    c.accept_alert().await.unwrap();
    wait_for_text(&c, "已印发，各单位可以查看").await;
    sign_out(&c).await;

    // A hospital's inspector reads it and their own line.
    let insp = s.actor("inspector").await;
    let theirs = s.app.reporting().bulletin(&insp, id).await.unwrap();
    let own = theirs.lines.iter().find(|l| l.own).expect("the inspector's hospital has a line");
    sign_in(&c, &s, "inspector").await;
    c.find(Locator::Id("nav-bulletins")).await.unwrap().click().await.unwrap();
    wait_for_text(&c, "关于专项工作期间问题线索办理情况的通报").await;
    c.find(Locator::LinkText("关于专项工作期间问题线索办理情况的通报")).await.unwrap().click().await.unwrap();
    let text = wait_for_text(&c, "本单位").await;
    let line = c.find(Locator::Id("own-line")).await.unwrap().text().await.unwrap();
    assert!(line.contains(&own.unit_name) && line.contains(&own.score), "{line}");
    assert!(text.contains("通报表扬"), "the lists are the confirmed ones");
    assert!(c.find(Locator::Id("line-form")).await.is_err(), "a unit edits nothing");
    if b == Backend::Sqlite {
        std::fs::write(screenshot_dir().join("bulletin-unit.png"), c.screenshot().await.unwrap()).unwrap();
        c.execute("document.getElementById('document').scrollIntoView()", vec![]).await.unwrap();
        std::fs::write(screenshot_dir().join("bulletin-document.png"), c.screenshot().await.unwrap()).unwrap();
    }
    let docx = c.find(Locator::Id("bulletin-docx")).await.unwrap().attr("href").await.unwrap().unwrap();
    c.close().await.unwrap();
    let (client, _) = s.sign_in("inspector").await;
    let r = client.get(s.url(&docx)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"].to_str().unwrap().contains("wordprocessingml"));
    let bytes = r.bytes().await.unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml).unwrap();
    assert!(xml.contains("关于专项工作期间问题线索办理情况的通报") && xml.contains(&own.unit_name));
}

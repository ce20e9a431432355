//! A real headless Chromium, driven through chromedriver: an inspector registers a lead in
//! Chinese, finds it in the ledger; the supervisor sees it; another hospital's inspector
//! does not. Screenshots for the README are written to docs/screenshots/.

use std::{path::PathBuf, process::Stdio, time::Duration};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;
use store::Backend;
use tokio::process::{Child, Command};

use crate::support::{DEMO_PW, Server, start};

pub(crate) struct Driver {
    child: Child,
    url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
    }
}

pub(crate) async fn chromedriver() -> Driver {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let bin = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
    let child = Command::new(&bin)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {bin} ({e}); scripts/test.sh installs chromium-driver"));
    let url = format!("http://127.0.0.1:{port}");
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
            return Driver { child, url };
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("chromedriver did not start");
}

pub(crate) async fn browser(driver: &Driver, profile: &std::path::Path) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1366,768",
                "--lang=zh-CN", format!("--user-data-dir={}", profile.display())
            ],
            // Downloads land in the profile, where a test reads them back.
            "prefs": {
                "download.default_directory": downloads(profile),
                "download.prompt_for_download": false,
            }
        }),
    );
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&driver.url)
        .await
        .expect("connect to chromedriver")
}

/// Where the browser of `profile` saves what it downloads.
pub(crate) fn downloads(profile: &std::path::Path) -> PathBuf {
    profile.join("downloads")
}

pub(crate) async fn sign_in(c: &Client, s: &Server, user: &str) {
    c.goto(&s.url("/login")).await.unwrap();
    c.find(Locator::Id("username")).await.unwrap().send_keys(user).await.unwrap();
    c.find(Locator::Id("password")).await.unwrap().send_keys(DEMO_PW).await.unwrap();
    c.find(Locator::Css("button[type=submit]")).await.unwrap().click().await.unwrap();
    // Home: the dashboard for who reads a unit's ledger, the ledger for a handler, the queue
    // for the committee head.
    for _ in 0..100 {
        let path = c.current_url().await.unwrap().path().to_owned();
        if matches!(path.as_str(), "/reporting/dashboard" | "/ledger" | "/queue") {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("never left the login page; at {}", c.current_url().await.unwrap());
}

pub(crate) async fn sign_out(c: &Client) {
    c.find(Locator::Css("form.logout button")).await.unwrap().click().await.unwrap();
    wait_for_path(c, "/login").await;
}

pub(crate) async fn wait_for_path(c: &Client, path: &str) {
    for _ in 0..100 {
        if c.current_url().await.unwrap().path() == path {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("never reached {path}; at {}", c.current_url().await.unwrap());
}

/// The text of the page's main area, waiting out a page that is still being replaced.
pub(crate) async fn main_text(c: &Client) -> String {
    for _ in 0..50 {
        if let Ok(e) = c.find(Locator::Css("main")).await
            && let Ok(t) = e.text().await
        {
            return t;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no main area at {}", c.current_url().await.unwrap());
}

/// Waits until the main area contains `needle`; returns the text last seen.
pub(crate) async fn wait_for_text(c: &Client, needle: &str) -> String {
    let mut last = String::new();
    for _ in 0..100 {
        last = main_text(c).await;
        if last.contains(needle) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    last
}

async fn wait_for_path_prefix(c: &Client, prefix: &str) {
    for _ in 0..100 {
        let url = c.current_url().await.unwrap();
        if url.path().starts_with(prefix) && url.path() != "/leads/new" {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

pub(crate) async fn search(c: &Client, s: &Server, keyword: &str) -> String {
    c.goto(&s.url("/ledger")).await.unwrap();
    let q = c.find(Locator::Id("f-q")).await.unwrap();
    q.send_keys(keyword).await.unwrap();
    q.send_keys("\u{E007}").await.unwrap(); // Enter submits the filter form
    for _ in 0..100 {
        if c.current_url().await.unwrap().query().is_some_and(|q| q.contains("q=")) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    main_text(c).await
}

pub(crate) fn screenshot_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/screenshots")
}

testkit::both!(
    inspector_registers_and_only_the_right_people_see_it,
    a_lead_is_assessed_inquired_extended_and_concluded_with_approvals,
    an_inspector_assigns_a_lead_and_only_its_handler_sees_it,
    a_supervisor_finds_a_recused_inspector_is_someone_else
);

async fn inspector_registers_and_only_the_right_people_see_it(b: Backend) {
    let s = start(b).await;
    let driver = chromedriver().await;
    let profile = tempfile::tempdir().unwrap();
    let c = browser(&driver, profile.path()).await;
    c.set_window_size(1366, 768).await.unwrap();

    sign_in(&c, &s, "inspector").await;
    c.goto(&s.url("/leads/new")).await.unwrap();
    let keyword = format!("浏览器测试{}", rand::random::<u32>());
    c.find(Locator::Id("unit_id")).await.unwrap().select_by_value(&inspector_unit(&s).await).await.unwrap();
    c.find(Locator::Id("source")).await.unwrap().select_by_value("assigned_by_higher").await.unwrap();
    c.find(Locator::Id("source_doc_no")).await.unwrap().send_keys("郑纪交〔2019〕12号").await.unwrap();
    c.find(Locator::Id("category")).await.unwrap().select_by_value("protective_umbrella").await.unwrap();
    c.find(Locator::Id("responsible_person")).await.unwrap().send_keys("李某").await.unwrap();
    c.find(Locator::Id("summary"))
        .await
        .unwrap()
        .send_keys(&format!("{keyword}：反映某科室负责人为医院周边涉恶团伙充当“保护伞”。"))
        .await
        .unwrap();
    c.find(Locator::Id("subjects-0-name")).await.unwrap().send_keys("冯某某").await.unwrap();
    c.find(Locator::Id("subjects-0-post")).await.unwrap().send_keys("总务科科长").await.unwrap();
    // The "add a subject" button adds a second row (app.js) that can be filled in.
    c.find(Locator::Id("add-subject")).await.unwrap().click().await.unwrap();
    c.find(Locator::Id("subjects-1-name")).await.unwrap().send_keys("陈某").await.unwrap();
    // The received date defaults to today; keep it.
    if b == Backend::Sqlite {
        std::fs::create_dir_all(screenshot_dir()).unwrap();
        c.execute("window.scrollTo(0, 0)", vec![]).await.unwrap();
        std::fs::write(screenshot_dir().join("register.png"), c.screenshot().await.unwrap()).unwrap();
    }
    c.find(Locator::Id("submit-lead")).await.unwrap().click().await.unwrap();
    // 陈某 of the hospital is named by demo leads already: the form comes back with them
    // (重复件) before saving, and this report is a new one.
    let mut repeat = false;
    for _ in 0..100 {
        let path = c.current_url().await.unwrap().path().to_owned();
        if path.starts_with("/leads/") && path != "/leads/new" {
            break;
        }
        if c.find(Locator::Id("repeat-check")).await.is_ok() {
            repeat = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    if repeat {
        let new = c.find(Locator::Id("repeat-new")).await.unwrap();
        new.click().await.unwrap();
        assert_eq!(new.prop("checked").await.unwrap().as_deref(), Some("true"), "a new lead chosen");
        c.find(Locator::Id("submit-lead")).await.unwrap().click().await.unwrap();
    }
    wait_for_path_prefix(&c, "/leads/").await;
    let number = match c.find(Locator::Id("lead-number")).await {
        Ok(e) => e.text().await.unwrap(),
        Err(e) => panic!("no lead page after submitting ({e}); page was:\n{}", c.source().await.unwrap()),
    };
    assert!(number.starts_with("RMYY1-"), "registered as {number}");
    let page = c.find(Locator::Css("main")).await.unwrap().text().await.unwrap();
    assert!(page.contains("线索已登记") && page.contains("冯某某") && page.contains("陈某"));

    let found = search(&c, &s, &keyword).await;
    assert!(found.contains(&number), "the inspector finds it by keyword");
    assert!(found.contains("共 1 件"));
    if b == Backend::Sqlite {
        // The ledger as a user first sees it, for the README.
        c.goto(&s.url("/ledger")).await.unwrap();
        std::fs::write(screenshot_dir().join("ledger.png"), c.screenshot().await.unwrap()).unwrap();
    }
    sign_out(&c).await;

    sign_in(&c, &s, "supervisor").await;
    let seen = search(&c, &s, &keyword).await;
    assert!(seen.contains(&number), "the supervising committee sees every unit's leads");
    sign_out(&c).await;

    sign_in(&c, &s, "inspector2").await;
    let unseen = search(&c, &s, &keyword).await;
    assert!(!unseen.contains(&number) && unseen.contains("没有符合条件的线索"), "another hospital does not");
    let id = s
        .app
        .ledger()
        .list(
            &s.actor("supervisor").await.ledger().unwrap(),
            &domain::ledger::query::LedgerParams { q: keyword.clone(), ..Default::default() },
        )
        .await
        .unwrap()
        .items[0]
        .id;
    c.goto(&s.url(&format!("/leads/{id}"))).await.unwrap();
    let denied = c.find(Locator::Css("main")).await.unwrap().text().await.unwrap();
    assert!(denied.contains("未找到该记录") && !denied.contains(&keyword), "direct address answers not found");
    c.close().await.unwrap();
}

async fn inspector_unit(s: &Server) -> String {
    let actor = s.actor("inspector").await;
    actor.unit_id.to_string()
}

/// Takes a step through its own form (one per step, folded until opened): `extra` names the
/// step's fields as the form does (`outcomes[0].nature`).
async fn step(c: &Client, code: &str, extra: &[(&str, &str)], note: &str) {
    c.find(Locator::Css(&format!("#step-{code} summary"))).await.unwrap().click().await.unwrap();
    for (field, value) in extra {
        let id = format!("step-{code}-{}", field.replace(['[', '.'], "-").replace(']', ""));
        let e = c.find(Locator::Id(&id)).await.unwrap();
        if e.tag_name().await.unwrap() == "select" {
            e.select_by_value(value).await.unwrap();
        } else {
            e.send_keys(value).await.unwrap();
        }
    }
    c.find(Locator::Id(&format!("step-{code}-note"))).await.unwrap().send_keys(note).await.unwrap();
    c.find(Locator::Id(&format!("submit-{code}"))).await.unwrap().click().await.unwrap();
    wait_for_text(c, "").await;
}

pub(crate) async fn sign_in_as(c: &Client, s: &Server, user: &str, lead: i64) {
    c.goto(&s.url("/login")).await.unwrap();
    if c.current_url().await.unwrap().path() != "/login" {
        sign_out(c).await;
    }
    c.goto(&s.url("/login")).await.unwrap();
    c.find(Locator::Id("username")).await.unwrap().send_keys(user).await.unwrap();
    c.find(Locator::Id("password")).await.unwrap().send_keys(DEMO_PW).await.unwrap();
    c.find(Locator::Css("button[type=submit]")).await.unwrap().click().await.unwrap();
    for _ in 0..100 {
        if c.current_url().await.unwrap().path() != "/login" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    c.goto(&s.url(&format!("/leads/{lead}"))).await.unwrap();
}

async fn a_lead_is_assessed_inquired_extended_and_concluded_with_approvals(b: Backend) {
    let s = start(b).await;
    let keeper = s.actor("inspector").await.ledger_keeper().unwrap();
    let unit = s.actor("inspector").await.unit_id;
    let today = s.app.today();
    let input = |summary: &str, received: time::Date| domain::ledger::lead::LeadInput {
        unit_id: unit.to_string(),
        source: "petition_report".into(),
        received_on: domain::dates::format_date(received),
        category: "gang_corruption".into(),
        responsible_leader: "张副院长".into(),
        responsible_person: "李某某".into(),
        summary: summary.into(),
        subjects: vec![domain::ledger::subject::SubjectInput {
            name: "韩某某".into(),
            post: "科长".into(),
            ..Default::default()
        }],
        ..Default::default()
    };
    let lead = s
        .app
        .ledger()
        .register(&keeper, &input("浏览器办理流程：反映科长收受回扣", today))
        .await
        .unwrap()
        .into_visible()
        .unwrap();
    let id = lead.id.get();
    // A lead received long ago shows its red warning.
    let old = s
        .app
        .ledger()
        .register(&keeper, &input("久拖未办的线索", today - time::Duration::days(70)))
        .await
        .unwrap()
        .into_visible()
        .unwrap();

    let driver = chromedriver().await;
    let profile = tempfile::tempdir().unwrap();
    let c = browser(&driver, profile.path()).await;
    c.set_window_size(1366, 768).await.unwrap();

    sign_in_as(&c, &s, "inspector", old.id.get()).await;
    let page = main_text(&c).await;
    assert!(page.contains("红色预警"), "an overdue lead carries its red warning tag");

    c.goto(&s.url(&format!("/leads/{id}"))).await.unwrap();
    step(&c, "assess", &[], "经集体研判，拟函询").await;
    assert!(wait_for_text(&c, "已研判").await.contains("已研判"));
    step(&c, "dispose", &[("disposition", "talk_inquiry")], "拟谈话函询").await;
    let waiting = wait_for_text(&c, "待审批").await;
    assert!(waiting.contains("待审批"), "the disposition waits for approval");
    // An extension, requested now, signed and filed below.
    c.find(Locator::Id("extension-days")).await.unwrap().send_keys("20").await.unwrap();
    c.find(Locator::Id("extension-reason")).await.unwrap().send_keys("需调取银行流水").await.unwrap();
    c.find(Locator::Id("request-extension")).await.unwrap().click().await.unwrap();
    assert!(wait_for_text(&c, "待单位主要负责人签字").await.contains("待单位主要负责人签字"));

    sign_in_as(&c, &s, "chief", id).await;
    c.find(Locator::Id("decision-decision_note")).await.unwrap().send_keys("同意函询").await.unwrap();
    c.find(Locator::Id("approve-button")).await.unwrap().click().await.unwrap();
    assert!(wait_for_text(&c, "同意函询").await.contains("同意函询"), "the approval is on the timeline");

    sign_in_as(&c, &s, "unithead", id).await;
    // Signing asks first, naming the deadline it moves (the test answers yes).
    let asked =
        c.find(Locator::Css("form.confirm[action$='/sign']")).await.unwrap().attr("data-confirm").await.unwrap();
    assert!(asked.unwrap_or_default().contains("→"), "the question shows the old and the new deadline");
    c.execute("window.confirm = () => true", vec![]).await.unwrap();
    c.find(Locator::Id("sign-extension")).await.unwrap().click().await.unwrap();
    assert!(wait_for_text(&c, "待报委直属机关纪委").await.contains("待报委直属机关纪委"));
    sign_in_as(&c, &s, "supervisor", id).await;
    let before = s.app.ledger().lead(&s.actor("supervisor").await.ledger().unwrap(), lead.id).await.unwrap().deadline;
    c.find(Locator::Id("file-extension")).await.unwrap().click().await.unwrap();
    let moved = domain::dates::format_date(before + time::Duration::days(20));
    assert!(wait_for_text(&c, &moved).await.contains(&moved), "the deadline moved by 20 days once filed");

    sign_in_as(&c, &s, "inspector", id).await;
    step(
        &c,
        "conclude",
        &[
            ("finding", "confirmed"),
            ("outcomes[0].nature", "disciplinary"),
            ("outcomes[0].form", "2"),
            ("outcomes[0].sanction", "party_warning"),
        ],
        "查实，拟给予党内警告",
    )
    .await;
    assert!(wait_for_text(&c, "待审批").await.contains("待审批"));
    sign_in_as(&c, &s, "chief", id).await;
    c.find(Locator::Id("approve-button")).await.unwrap().click().await.unwrap();
    let done = wait_for_text(&c, "已办结").await;
    assert!(done.contains("已办结"), "concluded after approval");
    if b == Backend::Sqlite {
        c.execute("window.scrollTo(0, document.getElementById('timeline').offsetTop - 80)", vec![]).await.unwrap();
        std::fs::write(screenshot_dir().join("timeline.png"), c.screenshot().await.unwrap()).unwrap();
        c.goto(&s.url("/board")).await.unwrap();
        std::fs::write(screenshot_dir().join("board.png"), c.screenshot().await.unwrap()).unwrap();
    }
    let timeline = s.app.lifecycle().timeline(&s.actor("supervisor").await.ledger().unwrap(), lead.id).await.unwrap();
    // Each clock the steps moved has its own entry; here the steps themselves.
    let kinds: Vec<&str> = timeline.iter().map(|e| e.kind.code()).filter(|k| *k != "clock").collect();
    assert_eq!(kinds, ["assess", "dispose", "extension_requested", "extension_signed", "extension_filed", "conclude"]);
    assert!(timeline.iter().any(|e| e.kind.code() == "clock"), "and the clocks they moved");
    c.close().await.unwrap();
}

async fn an_inspector_assigns_a_lead_and_only_its_handler_sees_it(b: Backend) {
    let s = start(b).await;
    let inspector = s.actor("inspector").await;
    let mut input = domain::ledger::lead::LeadInput {
        unit_id: inspector.unit_id.to_string(),
        source: "petition_report".into(),
        received_on: domain::dates::format_date(s.app.today()),
        category: "protective_umbrella".into(),
        responsible_leader: "张副院长".into(),
        responsible_person: "李某某".into(),
        summary: "分办测试：反映后勤科负责人为涉恶团伙提供便利".into(),
        subjects: vec![domain::ledger::subject::SubjectInput { name: "欧阳某".into(), ..Default::default() }],
        ..Default::default()
    };
    input.responsible_person = "外聘人员某".into();
    let lead =
        s.app.ledger().register(&inspector.ledger_keeper().unwrap(), &input).await.unwrap().into_visible().unwrap();
    let driver = chromedriver().await;
    let profile = tempfile::tempdir().unwrap();
    let c = browser(&driver, profile.path()).await;
    c.set_window_size(1366, 768).await.unwrap();

    sign_in_as(&c, &s, "handler2", lead.id.get()).await;
    assert!(main_text(&c).await.contains("未找到该记录"), "not assigned yet: not found");
    sign_in_as(&c, &s, "inspector", lead.id.get()).await;
    let boxes = c.find_all(Locator::Css("#handlers-form input[type=checkbox]")).await.unwrap();
    assert_eq!(boxes.len(), 2, "the hospital's two handler accounts are offered");
    for b in boxes {
        if b.attr("value").await.unwrap() == Some(s.actor("handler2").await.id.to_string()) {
            b.click().await.unwrap();
        }
    }
    if b == Backend::Sqlite {
        c.execute("document.getElementById('handlers').scrollIntoView()", vec![]).await.unwrap();
        std::fs::write(screenshot_dir().join("handlers.png"), c.screenshot().await.unwrap()).unwrap();
    }
    c.find(Locator::Css("#handlers-form button[type=submit]")).await.unwrap().click().await.unwrap();
    wait_for_text(&c, "已办理").await;
    let shown = c.find(Locator::Id("responsible")).await.unwrap().text().await.unwrap();
    assert_eq!(shown, "陈某某（纪检监察室 承办人）、外聘人员某", "the handler is 责任人, then the free text");

    // The ledger filters by handler, and the handler sees the lead (their ledger only).
    c.goto(&s.url("/ledger")).await.unwrap();
    c.find(Locator::Id("f-handler")).await.unwrap().select_by_label("陈某某（纪检监察室 承办人）").await.unwrap();
    c.find(Locator::Css("form.filters button[type=submit]")).await.unwrap().click().await.unwrap();
    let filtered = wait_for_text(&c, lead.number.as_str()).await;
    assert!(filtered.contains(lead.number.as_str()) && filtered.contains("陈某某"));
    sign_in_as(&c, &s, "handler2", lead.id.get()).await;
    assert!(main_text(&c).await.contains("欧阳某"), "assigned: the handler reads it");
    assert!(c.find(Locator::Id("handlers-form")).await.is_err(), "a handler does not assign");
    c.goto(&s.url("/ledger")).await.unwrap();
    let theirs = main_text(&c).await;
    let reader = s.actor("handler2").await.ledger().unwrap();
    let total = s.app.ledger().list(&reader, &Default::default()).await.unwrap().total;
    assert!(theirs.contains(&format!("共 {total} 件")) && theirs.contains(lead.number.as_str()));
    let all = s.app.ledger().list(&inspector.ledger().unwrap(), &Default::default()).await.unwrap().total;
    assert!(total < all, "the handler's ledger holds their {total} leads, not the hospital's {all}");

    // The API reference renders from the vendored Swagger UI, this endpoint among the rest
    // (scrolled to: a long document's operations are drawn as they come into view).
    c.goto(&s.url("/api/docs")).await.unwrap();
    let mut shown = String::new();
    for _ in 0..200 {
        shown = c.find(Locator::Css("body")).await.unwrap().text().await.unwrap();
        if shown.contains("/api/v1/leads/{id}/handlers") {
            break;
        }
        c.execute("window.scrollBy(0, 400)", vec![]).await.unwrap();
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(shown.contains("/api/v1/leads/{id}/handlers") && shown.contains("OAS 3.1"), "{shown}");
    c.close().await.unwrap();
}

/// 回避: the demo's report about 李某 is kept from the inspector; the supervising office sees
/// whom it is kept from and, after checking, marks a different person (confirming first).
async fn a_supervisor_finds_a_recused_inspector_is_someone_else(b: Backend) {
    let s = start(b).await;
    let sup = s.actor("supervisor").await.ledger().unwrap();
    let params = domain::ledger::query::LedgerParams { q: "压件不办".into(), ..Default::default() };
    let lead = s.app.ledger().list(&sup, &params).await.unwrap().items.remove(0).id.get();
    let driver = chromedriver().await;
    let profile = tempfile::tempdir().unwrap();
    let c = browser(&driver, profile.path()).await;
    c.set_window_size(1366, 768).await.unwrap();

    sign_in_as(&c, &s, "inspector", lead).await;
    assert!(main_text(&c).await.contains("未找到该记录"), "kept from the inspector");
    sign_in_as(&c, &s, "supervisor", lead).await;
    let panel = c.find(Locator::Id("recusals")).await.unwrap().text().await.unwrap();
    assert!(panel.contains("李某（纪检监察室）") && panel.contains("市第一人民医院"), "{panel}");
    c.find(Locator::Id("recusal-reason")).await.unwrap().send_keys("经核实，被反映人系药剂科同名职工").await.unwrap();
    if b == Backend::Sqlite {
        c.execute("document.getElementById('recusals').scrollIntoView()", vec![]).await.unwrap();
        std::fs::write(screenshot_dir().join("recusal.png"), c.screenshot().await.unwrap()).unwrap();
    }
    c.find(Locator::Css("#recusal-form button[type=submit]")).await.unwrap().click().await.unwrap();
    let asked = c.get_alert_text().await.unwrap();
    assert!(asked.contains("确认该用户与被反映人不是同一人"), "{asked}");
    c.accept_alert().await.unwrap();
    wait_for_text(&c, "已办理").await;
    assert!(c.find(Locator::Id("recusals")).await.is_err(), "no one left to keep it from");
    sign_in_as(&c, &s, "inspector", lead).await;
    assert!(main_text(&c).await.contains("压件不办"), "the inspector reads it now");
    c.close().await.unwrap();
}

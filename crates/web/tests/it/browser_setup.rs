//! A new install in a real Chromium (issue 11): the three administrators `serve` printed sign
//! in and change their passwords; the system administrator builds the unit tree and the
//! accounts, the security administrator grants roles, the supervising office creates the
//! first campaign, and an inspector registers the first lead, which the campaign counts.

use fantoccini::{Client, Locator};
use store::Backend;

use crate::browser::{browser, chromedriver, main_text, screenshot_dir, wait_for_text};
use crate::support::{Server, start_empty};

testkit::both!(a_new_install_is_set_up_and_used_from_the_browser);

// Holds none of the usernames (a password may not contain its own).
const NEW_PW: &str = "Harbor-Teal-Cable-2026";

/// Signs in with a one-time password and changes it, as the first sign-in demands.
async fn first_sign_in(c: &Client, s: &Server, user: &str, once: &str) {
    c.goto(&s.url("/login")).await.unwrap();
    if c.current_url().await.unwrap().path() != "/login" {
        c.find(Locator::Css("form.logout button")).await.unwrap().click().await.unwrap();
        wait_for_text(c, "").await;
        c.goto(&s.url("/login")).await.unwrap();
    }
    c.find(Locator::Id("username")).await.unwrap().send_keys(user).await.unwrap();
    c.find(Locator::Id("password")).await.unwrap().send_keys(once).await.unwrap();
    c.find(Locator::Css("button[type=submit]")).await.unwrap().click().await.unwrap();
    wait_for_text(c, "再次输入新密码").await;
    c.find(Locator::Id("current_password")).await.unwrap().send_keys(once).await.unwrap();
    c.find(Locator::Id("new_password")).await.unwrap().send_keys(NEW_PW).await.unwrap();
    c.find(Locator::Id("confirm_password")).await.unwrap().send_keys(NEW_PW).await.unwrap();
    c.find(Locator::Id("change-password")).await.unwrap().click().await.unwrap();
    let done = wait_for_text(c, "密码已修改").await;
    assert!(done.contains("密码已修改"), "{user}: the new password was refused: {done}");
}

async fn fill(c: &Client, id: &str, value: &str) {
    let e = c.find(Locator::Id(id)).await.unwrap();
    if e.tag_name().await.unwrap() == "select" {
        e.select_by_value(value).await.unwrap();
    } else {
        e.clear().await.unwrap();
        e.send_keys(value).await.unwrap();
    }
}

async fn submit(c: &Client, form: &str) {
    c.find(Locator::Css(&format!("form[action='{form}'] button[type=submit]"))).await.unwrap().click().await.unwrap();
}

async fn a_new_install_is_set_up_and_used_from_the_browser(b: Backend) {
    let (s, boot) = start_empty(b).await;
    let once = |u: &str| boot.accounts.iter().find(|a| a.username == u).unwrap().password.clone();
    let driver = chromedriver().await;
    let profile = tempfile::tempdir().unwrap();
    let c = browser(&driver, profile.path()).await;
    c.set_window_size(1366, 768).await.unwrap();

    // 1. The system administrator: the guide, then units and accounts.
    first_sign_in(&c, &s, "sysadmin", &once("sysadmin")).await;
    c.goto(&s.url("/admin")).await.unwrap();
    let guide = wait_for_text(&c, "开始使用").await;
    assert!(guide.contains("建立单位树") && guide.contains("新建第一个专项工作"), "{guide}");
    if b == Backend::Sqlite {
        std::fs::write(screenshot_dir().join("new-install.png"), c.screenshot().await.unwrap()).unwrap();
    }
    let root = s.app.ledger().unit_tree(&s.actor_with("sysadmin", NEW_PW).await).await.unwrap()[0].id.to_string();
    for (code, name, kind) in [("WJW", "委直属机关纪委", "discipline_committee"), ("YYA", "市甲医院", "hospital")]
    {
        fill(&c, "unit-code", code).await;
        fill(&c, "unit-name", name).await;
        fill(&c, "unit-kind", kind).await;
        fill(&c, "unit-parent", &root).await;
        submit(&c, "/admin/units").await;
        wait_for_text(&c, name).await;
    }
    let tree = s.app.ledger().unit_tree(&s.actor_with("sysadmin", NEW_PW).await).await.unwrap();
    let unit = |code: &str| tree.iter().find(|u| u.code.as_str() == code).unwrap().id.to_string();
    for (user, display, at) in [("zhou", "周某（监督检查室）", unit("WJW")), ("li", "李某（甲医院纪检）", unit("YYA"))]
    {
        fill(&c, "account-username", user).await;
        fill(&c, "account-display_name", display).await;
        fill(&c, "account-unit_id", &at).await;
        fill(&c, "account-password", "Initial-pass-2026-x").await;
        submit(&c, "/admin/accounts").await;
        wait_for_text(&c, display).await;
    }

    // 2. The security administrator grants the roles.
    first_sign_in(&c, &s, "secadmin", &once("secadmin")).await;
    c.goto(&s.url("/admin")).await.unwrap();
    // The pickers start empty (no grant is preselected); granting asks first (answered yes).
    let blank =
        c.find(Locator::Css("select[id^='g-role-'] option:checked")).await.unwrap().attr("value").await.unwrap();
    assert_eq!(blank.as_deref(), Some(""), "no role preselected");
    c.execute("window.confirm = () => true", vec![]).await.unwrap();
    let accounts = s.app.protection().admin_accounts(&s.actor_with("secadmin", NEW_PW).await).await.unwrap();
    for (user, role, at) in [("zhou", "supervisor", unit("WJW")), ("li", "inspector", unit("YYA"))] {
        let id = accounts.iter().find(|a| a.username == user).unwrap().id;
        // The supervising office watches the whole tree below the root.
        let at = if role == "supervisor" { root.clone() } else { at };
        fill(&c, &format!("g-role-{id}"), role).await;
        fill(&c, &format!("g-unit-{id}"), &at).await;
        submit(&c, &format!("/admin/accounts/{id}/grants")).await;
        wait_for_text(&c, "").await;
        c.execute("window.confirm = () => true", vec![]).await.unwrap();
    }
    let grants: Vec<_> = s.app.protection().admin_accounts(&s.actor_with("secadmin", NEW_PW).await).await.unwrap();
    assert!(grants.iter().any(|a| a.username == "li" && !a.grants.is_empty()), "granted");

    // 3. The supervising office: no board yet, then the first campaign.
    first_sign_in(&c, &s, "zhou", "Initial-pass-2026-x").await;
    c.goto(&s.url("/board")).await.unwrap();
    assert!(wait_for_text(&c, "尚无专项工作").await.contains("尚无专项工作"));
    c.goto(&s.url("/campaigns")).await.unwrap();
    wait_for_text(&c, "新建专项工作").await;
    let year = s.app.today().year();
    for (id, v) in [
        ("c-name", format!("{year}年扫黑除恶专项")),
        ("c-stock_cutoff", format!("{year}-01-31")),
        ("c-clearance_deadline", format!("{year}-12-31")),
        ("c-starts_on", format!("{year}-01-01")),
        ("c-ends_on", format!("{year}-12-31")),
        ("c-report_due", format!("{year}-12-20")),
    ] {
        fill(&c, id, &v).await;
    }
    // The seed's two categories are ticked by default.
    assert!(c.find(Locator::Id("c-cat-gang_corruption")).await.unwrap().is_selected().await.unwrap());
    c.find(Locator::Css("#campaign-form button[type=submit]")).await.unwrap().click().await.unwrap();
    assert!(wait_for_text(&c, "已新建专项工作").await.contains(&format!("{year}年扫黑除恶专项")));

    // 4. The inspector registers the first lead; the campaign counts it as stock.
    first_sign_in(&c, &s, "li", "Initial-pass-2026-x").await;
    c.goto(&s.url("/leads/new")).await.unwrap();
    wait_for_text(&c, "登记").await;
    for (id, v) in [
        ("source", "petition_report".to_owned()),
        ("received_on", format!("{year}-01-15")),
        ("category", "protective_umbrella".to_owned()),
        ("responsible_leader", "张副院长".to_owned()),
        ("responsible_person", "李某某".to_owned()),
        ("summary", "反映某科室负责人为涉恶团伙提供庇护".to_owned()),
        ("subjects-0-name", "王某".to_owned()),
    ] {
        fill(&c, id, &v).await;
    }
    c.find(Locator::Css("form.lead-form button[type=submit]")).await.unwrap().click().await.unwrap();
    let page = wait_for_text(&c, "YYA-").await;
    assert!(page.contains(&format!("{year}年扫黑除恶专项")) && page.contains("存量"), "{page}");
    let sup = s.app.supervision().clearance_board(&s.actor_with("zhou", NEW_PW).await, 1).await.unwrap();
    assert_eq!(sup.totals.stock_total, 1, "the board counts the first lead");
    assert!(main_text(&c).await.contains("王某"));
    c.close().await.unwrap();
}

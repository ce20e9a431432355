//! The authorization matrix, generated from the route tables: every route × every role ×
//! the caller's own unit / another unit / a lead naming the caller. A route added without
//! an entry in `rule` fails this test.

use std::collections::HashMap;

use domain::{UnitId, ledger::lead::LeadInput, ledger::subject::SubjectInput, protection::role::Role};
use reqwest::{Client, StatusCode};
use store::Backend;

use crate::support::{DEMO_PW, Server, api_client, browser_client, hidden_csrf, start};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Case {
    Own,
    Other,
    Implicated,
}

pub(crate) const READERS: &[Role] =
    &[Role::Supervisor, Role::CommitteeHead, Role::Inspector, Role::UnitHead, Role::Custodian];
pub(crate) const KEEPERS: &[Role] = &[Role::Supervisor, Role::Inspector];

/// Whether `role` may use the route in `case`. Every route must have a rule.
fn rule(method: &str, path: &str, role: Role, case: Case) -> Option<bool> {
    let own = case == Case::Own;
    Some(match (method, path) {
        ("get", "/") | ("get", "/login") | ("post", "/login") | ("get", "/lang/{code}") | ("post", "/logout") => true,
        // The matrix's id is no form kept for the caller: nobody takes it (pages.rs takes their own).
        ("get", "/resume/{id}") => false,
        ("get", "/account") | ("get", "/account/password") | ("post", "/account/password") => true,
        ("post", "/account/tokens") | ("post", "/account/totp") | ("post", "/account/email") => true,
        ("post", "/account/tokens/{id}/revoke") | ("delete", "/account/tokens/{id}") => own,
        ("get", "/account/tokens") | ("post", "/account/totp/offer") => true,
        ("get", "/account/email") | ("put", "/account/email") => true,
        ("get", "/audit/export") | ("get", "/audit/verify") => role == Role::Auditor,
        ("get", "/admin/accounts") => matches!(role, Role::Sysadmin | Role::Secadmin),
        // An owning leader's ledger holds the leads they own, a handler's the leads assigned
        // to them (none in the fixture).
        ("get", "/ledger") | ("get", "/ledger/export.xlsx") | ("get", "/leads/export.xlsx") => {
            READERS.contains(&role) || matches!(role, Role::OwningLeader | Role::Handler)
        }
        ("get", "/leads/new") | ("post", "/leads") => KEEPERS.contains(&role),
        // Importing a spreadsheet ledger (pages and API alike); an import is its uploader's,
        // and the matrix's id is nobody's (pages.rs and api.rs open their own, and try others').
        ("get", "/ledger/import") | ("post", "/ledger/import") | ("post", "/imports") => KEEPERS.contains(&role),
        ("get", "/ledger/import/{id}")
        | ("post", "/ledger/import/{id}/settings")
        | ("post", "/ledger/import/{id}/confirm")
        | ("get", "/ledger/import/{id}/errors.xlsx")
        | ("get", "/imports/{id}")
        | ("put", "/imports/{id}/settings")
        | ("post", "/imports/{id}/confirm")
        | ("get", "/imports/{id}/errors.xlsx")
        | ("get", "/ledger/import/{id}/progress")
        | ("post", "/ledger/import/{id}/cancel")
        | ("get", "/imports/{id}/progress")
        | ("post", "/imports/{id}/cancel") => false,
        // A long export is its reader's, and the matrix's number is nobody's (import.rs
        // follows a real one).
        ("get", "/ledger/exports/{id}")
        | ("get", "/ledger/exports/{id}/progress")
        | ("post", "/ledger/exports/{id}/cancel")
        | ("get", "/ledger/exports/{id}/ledger.xlsx") => false,
        // The fixture's own lead is owned by the owning leader (包案).
        ("get", "/leads/{id}") => own && (READERS.contains(&role) || role == Role::OwningLeader),
        // Search (page and API): "allowed" is the case's lead among the results of a search for
        // its number, so the scope of the index query is what is checked.
        ("get", "/search") => own && (READERS.contains(&role) || role == Role::OwningLeader),
        // Relations (pages and API alike): "allowed" is the case's lead drawn in the graph around
        // it, the person it names or its unit, so the graph's scope is what is checked.
        ("get", "/relations/persons/{id}") | ("get", "/relations/leads/{id}") | ("get", "/relations/units/{id}") => {
            own && (READERS.contains(&role) || role == Role::OwningLeader)
        }
        ("get", "/relations") | ("get", "/relations/frequent") => {
            matches!(role, Role::Supervisor | Role::CommitteeHead)
        }
        ("post", "/leads/repeat-candidates") => KEEPERS.contains(&role),
        ("get", "/leads/{id}/edit") | ("post", "/leads/{id}") => own && KEEPERS.contains(&role),
        ("post", "/leads/{id}/handlers") => own && KEEPERS.contains(&role),
        ("post", "/leads/{id}/reveal") => own && role == Role::Custodian,
        // A ledger view with identities: a custodian's, over their custody (pages and API).
        ("get", "/ledger/export-identities")
        | ("post", "/ledger/export-identities")
        | ("post", "/leads/export-identities.xlsx") => role == Role::Custodian,
        ("post", "/leads/{id}/steps") | ("post", "/leads/{id}/follow-ups") => own && KEEPERS.contains(&role),
        ("post", "/approvals/{id}/decide") => own && role == Role::CommitteeHead,
        ("get", "/queue") | ("post", "/queue/read") | ("get", "/notices/{id}") => true,
        ("get", "/deadlines") => true,
        ("post", "/deadlines/rules/{id}") => role == Role::Supervisor,
        ("post", "/deadlines/calendar") => role == Role::Sysadmin,
        ("post", "/leads/{id}/ownership") | ("put", "/leads/{id}/ownership") => own && role == Role::Supervisor,
        ("post", "/leads/{id}/visits") | ("post", "/leads/{id}/sign-off") => own && role == Role::OwningLeader,
        ("get", "/meetings") | ("post", "/meetings") => KEEPERS.contains(&role),
        ("post", "/leads/{id}/orders") | ("post", "/leads/{id}/jurisdiction") => own && role == Role::Supervisor,
        // The page and the API alike (the account named is not one the lead is kept from:
        // a field error for the supervisor, who may make the finding).
        ("post", "/leads/{id}/recusal-clearances") => own && role == Role::Supervisor,
        ("post", "/orders/{id}/reports") => own && KEEPERS.contains(&role),
        ("get", "/board") | ("get", "/board/export.xlsx") => matches!(role, Role::Supervisor | Role::CommitteeHead),
        // Campaigns (pages and API alike): the committee reads them, supervisors keep them.
        ("get", "/campaigns") | ("get", "/campaigns/{id}") => matches!(role, Role::Supervisor | Role::CommitteeHead),
        ("post", "/campaigns") | ("post", "/campaigns/{id}") | ("put", "/campaigns/{id}") => role == Role::Supervisor,
        ("post", "/campaigns/{id}/close") => role == Role::Supervisor,
        ("post", "/leads/{id}/extensions") => own && KEEPERS.contains(&role),
        ("post", "/leads/{id}/transfer-receipt") | ("post", "/leads/{id}/inquiry-events") => {
            own && KEEPERS.contains(&role)
        }
        ("post", "/extensions/{id}/sign") | ("post", "/extensions/{id}/return") => own && role == Role::UnitHead,
        ("post", "/extensions/{id}/file") => own && role == Role::Supervisor,
        ("post", "/extensions/{id}/decide") => own && role == Role::CommitteeHead,
        ("get", "/audit") | ("get", "/audit/export.xlsx") => role == Role::Auditor,
        ("get", "/admin") => matches!(role, Role::Sysadmin | Role::Secadmin),
        ("post", "/admin/units") | ("post", "/admin/accounts") => role == Role::Sysadmin,
        ("post", "/admin/accounts/{id}/grants")
        | ("post", "/admin/accounts/{id}/grants/revoke")
        | ("post", "/admin/accounts/{id}/unlock")
        | ("post", "/admin/accounts/{id}/reset") => role == Role::Secadmin,
        // The API (paths under /api/v1).
        ("post", "/auth/login") => true,
        ("post", "/auth/logout") | ("get", "/me") | ("get", "/units") | ("get", "/handlers") => true,
        ("put", "/leads/{id}/handlers") => own && KEEPERS.contains(&role),
        ("get", "/leads/{id}/timeline")
        | ("get", "/leads/{id}/record")
        | ("get", "/leads/{id}/record.docx")
        | ("get", "/leads/{id}/form")
        | ("get", "/leads/{id}/form.docx")
        | ("get", "/leads/{id}/extensions")
        | ("get", "/leads/{id}/dossier")
        | ("get", "/leads/{id}/ownership")
        | ("get", "/leads/{id}/orders") => own && (READERS.contains(&role) || role == Role::OwningLeader),
        ("get", "/approvals") => role == Role::CommitteeHead,
        ("post", "/approvals/{id}/decision") | ("post", "/extensions/{id}/decision") => {
            own && role == Role::CommitteeHead
        }
        // Each caller's own queue and notifications (empty for most).
        ("get", "/extensions") | ("get", "/notifications") | ("post", "/notifications/read") => true,
        // The matrix's id is no notice of the caller's (openapi.rs opens a real one).
        ("post", "/notifications/{id}/read") => false,
        ("get", "/deadline-rules") | ("get", "/calendar/add-working-days") => true,
        ("put", "/deadline-rules/{code}") => role == Role::Supervisor,
        ("post", "/calendar/days") => role == Role::Sysadmin,
        ("get", "/leads") => READERS.contains(&role) || matches!(role, Role::OwningLeader | Role::Handler),
        ("post", "/api/leads") => KEEPERS.contains(&role),
        ("get", "/api/leads/{id}") => own && (READERS.contains(&role) || role == Role::OwningLeader),
        ("put", "/api/leads/{id}") => own && KEEPERS.contains(&role),
        _ => return crate::matrix_oversight::rule(method, path, role, case),
    })
}

/// API routes share some paths with pages; rules for API writes are keyed apart.
fn api_key(method: &str, path: &str) -> (String, String) {
    match (method, path) {
        ("post", "/leads") | ("get", "/leads/{id}") | ("put", "/leads/{id}") => (method.into(), format!("/api{path}")),
        _ => (method.into(), path.into()),
    }
}

struct Fixture {
    own_lead: i64,
    /// Like `own_lead`, for the API (so that a page's decision leaves the API one to decide).
    own_lead_api: i64,
    other_lead: i64,
    /// Per role: a lead in the caller's own unit that names the caller.
    implicated: HashMap<Role, i64>,
    other_account: i64,
    /// What hangs off each of those leads, by lead id.
    children: HashMap<i64, Children>,
    /// A campaign of its own for the campaign routes (closing it spoils nothing else).
    campaign: i64,
    /// Each lead's number, which search looks for.
    numbers: HashMap<i64, String>,
    /// Each lead's subject (in the person registry) and unit, whose graphs should draw it.
    persons: HashMap<i64, i64>,
    units: HashMap<i64, i64>,
    /// A draft bulletin issued by each unit, by unit.
    bulletins: HashMap<i64, i64>,
}

/// Records of a lead that routes address by their own id.
#[derive(Clone, Copy)]
struct Children {
    /// A disposition awaiting the committee head.
    approval: i64,
    order: i64,
    extension: i64,
    /// A review of a sibling lead (same unit, same person named) closed as 查否.
    review: i64,
    /// The sibling's rectification, and a measure of it.
    rectification: i64,
    measure: i64,
    /// An early warning of the lead's unit.
    warning: i64,
    /// A clearing proposed on the sibling.
    clearing: i64,
    /// Draft library entries beside the lead.
    case: i64,
    practice: i64,
    /// The sibling and its reporter's objection.
    objection: (i64, i64),
    /// A portal report routed to the lead's unit, and a file its reporter sent.
    report: (i64, i64),
    /// An image attached to the lead.
    attachment: i64,
}

/// Gives the lead an extension request, a supervision order and a pending disposition.
async fn children(s: &Server, sup: &app::Actor, lead: i64) -> Children {
    let id = domain::LeadId::from_raw(lead);
    let keeper = sup.ledger_keeper().unwrap();
    let extension = s.app.lifecycle().request_extension(&keeper, id, "矩阵：需调取材料", "20").await.unwrap();
    let due = domain::dates::format_date(s.app.today() + time::Duration::days(10));
    let order = s.app.supervision().issue_order(sup, id, "矩阵：报告进展", &due).await.unwrap();
    let step = |step: &str, disposition: &str| app::StepInput {
        step: step.into(),
        disposition: disposition.into(),
        note: "矩阵".into(),
        ..Default::default()
    };
    s.app.lifecycle().take_step(&keeper, id, &step("assess", "")).await.unwrap();
    s.app.lifecycle().take_step(&keeper, id, &step("dispose", "talk_inquiry")).await.unwrap();
    let timeline = s.app.lifecycle().timeline(keeper.reader(), id).await.unwrap();
    let pending = timeline.iter().find(|e| e.state == domain::lifecycle::timeline::EventState::Pending).unwrap();
    let (review, rectification, measure, clearing, objection) =
        crate::matrix_oversight::sibling_review(s, sup, id).await;
    let warning = crate::matrix_oversight::early_warning(s, sup, id).await;
    let (case, practice) = crate::matrix_oversight::drafts(s, id).await;
    Children {
        approval: pending.id,
        order,
        extension,
        review,
        rectification,
        measure,
        warning,
        clearing,
        case,
        practice,
        objection,
        report: crate::matrix_oversight::portal_report(s, sup, id).await,
        attachment: crate::matrix_oversight::attachment(s, sup, id).await,
    }
}

pub(crate) fn lead_input(unit: UnitId, summary: &str, subject: &str, subject_unit: &str) -> LeadInput {
    LeadInput {
        unit_id: unit.to_string(),
        source: "petition_report".into(),
        received_on: "2019-05-06".into(),
        category: "work_style".into(),
        summary: summary.into(),
        subjects: vec![SubjectInput { name: subject.into(), unit_name: subject_unit.into(), ..Default::default() }],
        ..Default::default()
    }
}

fn username(role: Role) -> String {
    format!("m-{}", role.code().replace('_', "-"))
}

async fn fixture(s: &Server) -> Fixture {
    let sup = s.actor("supervisor").await;
    let keeper = sup.ledger_keeper().unwrap();
    let units = s.app.ledger().unit_tree(&sup).await.unwrap();
    let unit = |code: &str| units.iter().find(|u| u.code.as_str() == code).unwrap().clone();
    let (own, other) = (unit("RMYY1"), unit("RMYY2"));
    let mut implicated = HashMap::new();
    for role in Role::ALL {
        let name = username(*role);
        s.app
            .protection()
            .create_account(&app::NewAccount {
                username: &name,
                display_name: &name,
                unit: own.id,
                password: DEMO_PW,
                must_change_password: false,
                real_name: "",
                id_number: "",
                roles: &[(*role, own.id)],
            })
            .await
            .unwrap();
        let l = s
            .app
            .ledger()
            .register(&keeper, &lead_input(own.id, "矩阵：涉及本人", &name, &own.name))
            .await
            .unwrap()
            .into_visible()
            .unwrap();
        implicated.insert(*role, l.id.get());
    }
    let register = |unit: domain::UnitId, summary: &'static str, subject: &'static str| {
        let keeper = keeper.clone();
        async move {
            let input = lead_input(unit, summary, subject, "");
            s.app.ledger().register(&keeper, &input).await.unwrap().into_visible().unwrap().id.get()
        }
    };
    let own_lead = register(own.id, "矩阵：本单位", "某甲").await;
    let own_lead_api = register(own.id, "矩阵：本单位（接口）", "某丙").await;
    let other_lead = register(other.id, "矩阵：外单位", "某乙").await;
    let accounts = s.app.protection().admin_accounts(&s.actor("sysadmin").await).await.unwrap();
    let other_account = accounts.iter().find(|a| a.username == "inspector2").unwrap().id.get();
    let mut kids = HashMap::new();
    for lead in [own_lead, own_lead_api, other_lead].into_iter().chain(implicated.values().copied()) {
        kids.insert(lead, children(s, &sup, lead).await);
    }
    let owner = username(Role::OwningLeader);
    for lead in [own_lead, own_lead_api] {
        s.app.supervision().mark_key_lead(&sup, domain::LeadId::from_raw(lead), "key", &owner).await.unwrap();
    }
    let bulletins = crate::matrix_oversight::bulletins(s, &sup, &[own.id, other.id]).await.into_iter().collect();
    // Created first of all would make it the current campaign; made last, it is, until a
    // supervisor closes it, and then the demo's is current again.
    let template = s.app.ledger().campaigns(&sup).await.unwrap().template;
    let campaign = s.app.ledger().create_campaign(&sup, &template).await.unwrap().get();
    let reader = sup.ledger().unwrap();
    let (mut numbers, mut persons, mut units) = (HashMap::new(), HashMap::new(), HashMap::new());
    // The root's supervisor, who sees every lead of the fixture.
    let all = s.actor("supervisor").await.ledger().unwrap();
    for lead in kids.keys() {
        let id = domain::LeadId::from_raw(*lead);
        let l = s.app.ledger().lead(&reader, id).await.unwrap();
        numbers.insert(*lead, l.number.to_string());
        units.insert(*lead, l.unit_id.get());
        let g = s.app.relations().graph(&all, app::relations::Centre::Lead(id), false).await.unwrap();
        let person = g.nodes.iter().find(|n| n.kind == domain::relations::NodeKind::Person).unwrap();
        persons.insert(*lead, person.key.parse().unwrap());
    }
    Fixture {
        own_lead,
        own_lead_api,
        other_lead,
        implicated,
        other_account,
        children: kids,
        campaign,
        numbers,
        persons,
        units,
        bulletins,
    }
}

/// A signed-in browser, its CSRF token, and an API token, for one role.
struct Caller {
    web: Client,
    csrf: String,
    token: String,
    own_token_id: i64,
    /// Another of the caller's tokens, for the API's revoke (the page revokes the first).
    own_api_token_id: i64,
}

async fn caller(s: &Server, role: Role) -> Caller {
    let name = username(role);
    let web = browser_client();
    let page = web.get(s.url("/login")).send().await.unwrap().text().await.unwrap();
    let pre = hidden_csrf(&page);
    let r = web
        .post(s.url("/login"))
        .form(&[("csrf_token", pre.as_str()), ("username", name.as_str()), ("password", DEMO_PW)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "{name} signs in");
    let account = web.get(s.url("/account")).send().await.unwrap().text().await.unwrap();
    let csrf = hidden_csrf(&account);
    let token = s.token(&name).await;
    let cred = app::Credentials { username: &name, password: DEMO_PW, otp: None, client: "127.0.0.1" };
    let session = s.app.protection().login(&cred, app::LoginKind::Browser).await.unwrap();
    let (own_token_id, _) = s.app.protection().create_api_token(&session, "matrix", 1).await.unwrap();
    let (own_api_token_id, _) = s.app.protection().create_api_token(&session, "matrix-api", 1).await.unwrap();
    Caller { web, csrf, token, own_token_id, own_api_token_id }
}

fn fill(path: &str, id: i64, f: &Fixture) -> String {
    let objection = f.children.values().find(|k| k.objection.0 == id).map_or(0, |k| k.objection.1);
    let attachment = f.children.get(&id).map_or(0, |k| k.attachment);
    let file = f.children.values().find(|k| k.report.0 == id).map_or(0, |k| k.report.1);
    path.replace("{id}", &id.to_string())
        .replace("{code}", "en")
        .replace("{objection}", &objection.to_string())
        .replace("{attachment}", &attachment.to_string())
        .replace("{file}", &file.to_string())
}

/// The id a route's `{id}` takes: a token, an account, or a record of the case's lead.
fn target(path: &str, lead: i64, token_id: i64, f: &Fixture) -> i64 {
    let kids = f.children[&lead];
    if path.starts_with("/account/tokens") {
        token_id
    } else if path.starts_with("/admin/accounts") {
        f.other_account
    } else if path.starts_with("/approvals/") {
        kids.approval
    } else if path.starts_with("/orders/") {
        kids.order
    } else if path.starts_with("/extensions/") {
        kids.extension
    } else if path.starts_with("/oversight/reviews/") || path.starts_with("/reviews/") {
        kids.review
    } else if path.starts_with("/oversight/rectifications/") || path.starts_with("/rectifications/") {
        kids.rectification
    } else if path.starts_with("/oversight/measures/") || path.starts_with("/measures/") {
        kids.measure
    } else if path.starts_with("/oversight/early-warnings/") || path.starts_with("/early-warnings/") {
        kids.warning
    } else if path.starts_with("/oversight/clearings/") || path.starts_with("/clearings/") {
        kids.clearing
    } else if path.starts_with("/library/cases/") {
        kids.case
    } else if path.starts_with("/reporters/intake/") || path.starts_with("/portal-reports/") {
        kids.report.0
    } else if path.contains("{objection}") {
        kids.objection.0
    } else if path.starts_with("/library/practices/") {
        kids.practice
    } else if path.starts_with("/reporting/bulletins/") || path.starts_with("/bulletins/") {
        f.bulletins[&f.units[&lead]]
    } else if path.starts_with("/reporting/work-reports/") || path.starts_with("/work-reports/") {
        f.units[&lead]
    } else if path.starts_with("/campaigns/") {
        f.campaign
    } else if path.starts_with("/relations/persons/") {
        f.persons[&lead]
    } else if path.starts_with("/relations/units/") {
        f.units[&lead]
    } else {
        lead
    }
}

async fn page_request(
    s: &Server,
    c: &Caller,
    method: &str,
    path: &str,
    lead: i64,
    token_id: i64,
    f: &Fixture,
) -> StatusCode {
    if path == "/search" {
        let r = c.web.get(s.url(&format!("/search?q={}", f.numbers[&lead]))).send().await.unwrap();
        return found(r.status(), &r.text().await.unwrap(), &format!("href=\"/leads/{lead}\""));
    }
    let id = target(path, lead, token_id, f);
    let mut url = s.url(&fill(path, id, f));
    if path.ends_with("/attachments") && method == "post" {
        url.push_str(&format!("?csrf_token={}", c.csrf));
    }
    if path.starts_with("/relations/") && path.ends_with("{id}") {
        let r = c.web.get(&url).send().await.unwrap();
        return found(r.status(), &r.text().await.unwrap(), &format!("href=\"/leads/{lead}\""));
    }
    let form: Vec<(&str, String)> = vec![
        ("csrf_token", c.csrf.clone()),
        ("reason", "矩阵测试核实身份".into()),
        ("role", "handler".into()),
        ("unit_id", "1".into()),
        ("version", "1".into()),
        ("lead", lead.to_string()),
        ("summary", "矩阵".into()),
        ("user_id", "1".into()),
    ];
    let r = match method {
        "get" => c.web.get(&url).send().await.unwrap(),
        "post" => c.web.post(&url).form(&form).send().await.unwrap(),
        m => panic!("unexpected method {m}"),
    };
    let st = r.status();
    // Being sent to the login page is a refusal too.
    if st == StatusCode::SEE_OTHER && r.headers()["location"] == "/login" {
        return StatusCode::UNAUTHORIZED;
    }
    st
}

async fn api_request(
    s: &Server,
    c: &Caller,
    method: &str,
    path: &str,
    lead: i64,
    token_id: i64,
    f: &Fixture,
) -> StatusCode {
    if path == "/search" {
        let url = s.url(&format!("/api/v1/search?q={}", f.numbers[&lead]));
        let r = api_client().get(&url).bearer_auth(&c.token).send().await.unwrap();
        let status = r.status();
        let body: serde_json::Value = r.json().await.unwrap_or_default();
        let ids: Vec<i64> =
            body["items"].as_array().into_iter().flatten().filter_map(|h| h["lead"]["id"].as_i64()).collect();
        return found(status, &format!("{ids:?}"), &lead.to_string());
    }
    let url = s.url(&format!("/api/v1{}", fill(path, target(path, lead, token_id, f), f)));
    if path.starts_with("/relations/") && path.ends_with("{id}") {
        let r = api_client().get(&url).bearer_auth(&c.token).send().await.unwrap();
        return found(r.status(), &r.text().await.unwrap(), &format!("\"href\":\"/leads/{lead}\""));
    }
    let client = api_client();
    let token = c.token.clone();
    let body = crate::matrix_oversight::api_body(path);
    let req = match method {
        "get" => client.get(&url),
        "post" => client.post(&url).json(&body),
        "put" => client.put(&url).json(&body),
        "delete" => client.delete(&url),
        m => panic!("unexpected method {m}"),
    };
    req.bearer_auth(token).send().await.unwrap().status()
}

/// A search answered: "allowed" when the lead is among its results (`mark` in what it
/// returned), else as if not found.
fn found(status: StatusCode, body: &str, mark: &str) -> StatusCode {
    if status == StatusCode::OK && !body.contains(mark) { StatusCode::NOT_FOUND } else { status }
}

fn allowed(status: StatusCode) -> bool {
    assert!(!status.is_server_error(), "server error {status}");
    !matches!(status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND | StatusCode::UNAUTHORIZED)
}

testkit::both!(every_route_every_role_every_case);

async fn every_route_every_role_every_case(b: Backend) {
    // Every route has a rule, before anything runs.
    for (m, p) in web::PAGE_ROUTES {
        assert!(rule(m, p, Role::Auditor, Case::Own).is_some(), "page route {m} {p} has no authorization rule");
    }
    for (m, p) in web::API_ROUTES {
        let (m2, p2) = api_key(m, p);
        assert!(rule(&m2, &p2, Role::Auditor, Case::Own).is_some(), "API route {m} {p} has no authorization rule");
    }
    let s = start(b).await;
    let f = fixture(&s).await;
    let mut checked = 0;
    let mut failures = Vec::new();
    for role in Role::ALL {
        let c = caller(&s, *role).await;
        let other_token = f.own_lead; // an id that is not this caller's token
        for case in [Case::Own, Case::Other, Case::Implicated] {
            let lead = match case {
                Case::Own => f.own_lead,
                Case::Other => f.other_lead,
                Case::Implicated => f.implicated[role],
            };
            let token_id = if case == Case::Own { c.own_token_id } else { other_token + 1_000_000 };
            for (m, p) in web::PAGE_ROUTES {
                if *p == "/logout" || (*p == "/account/password" && *m == "post") || (*p == "/login" && *m == "post") {
                    // Public or session-ending routes whose effects would spoil the rest of
                    // the run (logging out, changing the password, counting failed sign-ins
                    // against the test's address); pages.rs tests them.
                    continue;
                }
                let want = rule(m, p, *role, case).unwrap();
                let got = allowed(page_request(&s, &c, m, p, lead, token_id, &f).await);
                checked += 1;
                if want != got {
                    failures.push(format!("{role} {case:?} {m} {p}: expected {want}, got {got}"));
                }
            }
            for (m, p) in web::API_ROUTES {
                if *p == "/auth/logout" || *p == "/auth/login" {
                    continue; // logout ends the token; login takes no token (pages.rs, api.rs)
                }
                let (m2, p2) = api_key(m, p);
                let want = rule(&m2, &p2, *role, case).unwrap();
                let lead = if case == Case::Own { f.own_lead_api } else { lead };
                let token_id = if case == Case::Own { c.own_api_token_id } else { token_id };
                let got = allowed(api_request(&s, &c, m, p, lead, token_id, &f).await);
                checked += 1;
                if want != got {
                    failures.push(format!("{role} {case:?} API {m} {p}: expected {want}, got {got}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} of {checked} checks failed:\n{}", failures.len(), failures.join("\n"));
    println!("authorization matrix: {checked} checks ({} roles × 3 cases)", Role::ALL.len());
}

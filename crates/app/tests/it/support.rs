//! A small world of units and accounts on a fresh database, shared by the tests.

use std::sync::Arc;

use app::{Actor, App, AppError, CipherKind, Credentials, FixedClock, Keyring, LoginKind, NewAccount};
use domain::{
    UnitId, ledger::lead::LeadInput, ledger::query::LedgerParams, ledger::subject::SubjectInput,
    ledger::unit::UnitKind, protection::role::Role, reporters::ReporterInput,
};
use store::Backend;
use time::{OffsetDateTime, macros::datetime};

pub const PW: &str = "test-password-123";
/// 2019-11-28 18:00 Beijing: inside the seed campaign's second phase.
pub const NOW: OffsetDateTime = datetime!(2019-11-28 10:00 UTC);

pub fn new_app(db: store::Db, clock: Arc<FixedClock>) -> App {
    App::new(db, clock, Arc::new(Keyring::ephemeral(CipherKind::Aes256Gcm)))
}

pub fn creds<'a>(username: &'a str, password: &'a str) -> Credentials<'a> {
    Credentials { username, password, otp: None, client: "127.0.0.1" }
}

pub async fn login(app: &App, username: &str, password: &str) -> Result<app::SessionInfo, AppError> {
    app.protection().login(&creds(username, password), LoginKind::Browser).await
}

pub struct World {
    pub app: App,
    pub clock: Arc<FixedClock>,
    pub hospital_a: UnitId,
    pub hospital_b: UnitId,
    /// The root: the supervising committee, both hospitals' parent.
    pub committee: UnitId,
    pub _db: testkit::TestDb,
}

pub async fn world(backend: Backend) -> World {
    let tdb = testkit::fresh(backend).await;
    let clock = Arc::new(FixedClock::new(NOW));
    let app = new_app(tdb.connect().await, clock.clone());
    app.migrate().await.unwrap();
    let root = app.protection().create_unit("ZWJ", "直属机关纪委", UnitKind::DisciplineCommittee, None).await.unwrap();
    let a = app.protection().create_unit("YYA", "甲医院", UnitKind::Hospital, Some(root)).await.unwrap();
    let b = app.protection().create_unit("YYB", "乙医院", UnitKind::Hospital, Some(root)).await.unwrap();
    app.protection().create_unit("YYAKS", "甲医院药剂科", UnitKind::Department, Some(a)).await.unwrap();
    for (name, unit, role) in [
        ("sup", root, Role::Supervisor),
        ("insp_a", a, Role::Inspector),
        ("insp_b", b, Role::Inspector),
        ("head_a", a, Role::UnitHead),
        ("sysadmin", root, Role::Sysadmin),
        ("auditor", root, Role::Auditor),
        ("secadmin", root, Role::Secadmin),
        ("cust", root, Role::Custodian),
        ("chief", root, Role::CommitteeHead),
        ("leader", a, Role::OwningLeader),
        ("handler_a", a, Role::Handler),
        ("handler_a2", a, Role::Handler),
        ("handler_b", b, Role::Handler),
    ] {
        app.protection()
            .create_account(&NewAccount {
                username: name,
                display_name: name,
                unit,
                password: PW,
                must_change_password: false,
                real_name: "",
                id_number: "",
                roles: &[(role, unit)],
            })
            .await
            .unwrap();
    }
    let mut preset = domain::ledger::campaign::CampaignPlan::preset_2019();
    preset.name = "测试专项".into();
    let mut tx = app.db().begin_write().await.unwrap();
    store::ledger::campaigns::insert(&mut tx, &preset, 0).await.unwrap();
    tx.commit().await.unwrap();
    World { app, clock, hospital_a: a, hospital_b: b, committee: root, _db: tdb }
}

pub async fn actor(w: &World, name: &str) -> Actor {
    w.app.protection().login(&creds(name, PW), LoginKind::Browser).await.unwrap().actor
}

pub fn input(unit: UnitId, summary: &str, subject: &str) -> LeadInput {
    LeadInput {
        unit_id: unit.to_string(),
        source: "petition_report".into(),
        received_on: "2019-05-06".into(),
        category: "protective_umbrella".into(),
        summary: summary.into(),
        // A stock lead names both (逐件明确责任领导和责任人).
        responsible_leader: "张副院长".into(),
        responsible_person: "李某某".into(),
        subjects: vec![SubjectInput { name: subject.into(), post: "科长".into(), ..Default::default() }],
        reporter: ReporterInput { kind: "signed".into(), name: "举报人甲".into(), contact: "13800000000".into() },
        ..Default::default()
    }
}

/// Registers as `who` a lead of `unit` (`lead`: its summary and subject) received on `on.0`,
/// due on `on.1` (the rule's deadline when empty).
pub async fn register_dated(
    w: &World,
    who: &Actor,
    unit: UnitId,
    lead: (&str, &str),
    on: (&str, &str),
) -> domain::LeadId {
    let mut i = input(unit, lead.0, lead.1);
    i.received_on = on.0.into();
    i.deadline = on.1.into();
    w.app.ledger().register(&who.ledger_keeper().unwrap(), &i).await.unwrap().into_visible().unwrap().id
}

/// Registers through `keeper` a lead of 乙医院 about the supervisor (`sup`, of 直属机关纪委):
/// one the supervisor recuses from.
pub async fn register_about_sup(w: &World, keeper: &app::LedgerKeeper) -> app::Registered {
    let mut about_sup = input(w.hospital_b, "反映 sup 干预办案", "sup");
    about_sup.subjects[0].unit_name = "直属机关纪委".into();
    w.app.ledger().register(keeper, &about_sup).await.unwrap()
}

/// A unit of the world by its code.
pub async fn unit_by_code(w: &World, code: &str) -> UnitId {
    sqlx::query_scalar("SELECT id FROM units WHERE code = $1")
        .bind(code)
        .fetch_one(w.app.db().reader())
        .await
        .map(UnitId::from_raw)
        .unwrap()
}

pub fn keyword(q: &str) -> LedgerParams {
    LedgerParams { q: q.into(), ..Default::default() }
}

/// The committee head approves every step waiting in the queue.
pub async fn approve_pending(w: &World) {
    let chief = actor(w, "chief").await.approver().unwrap();
    for item in w.app.lifecycle().approval_queue(&chief).await.unwrap() {
        w.app.lifecycle().decide_step(&chief, item.event_id, true, "同意").await.unwrap();
    }
}

/// Takes the lead through to a conclusion of 查否, approving each step.
pub async fn close_unfounded(w: &World, keeper: &app::LedgerKeeper, lead: domain::LeadId) {
    close_as(w, keeper, lead, "unfounded").await
}

/// Assesses, verifies and concludes the lead with `finding` (the committee head approving).
pub async fn close_as(w: &World, keeper: &app::LedgerKeeper, lead: domain::LeadId, finding: &str) {
    let step = |step: &str, disposition: &str| app::StepInput {
        step: step.into(),
        disposition: disposition.into(),
        note: "测试".into(),
        ..Default::default()
    };
    w.app.lifecycle().take_step(keeper, lead, &step("assess", "")).await.unwrap();
    w.app.lifecycle().take_step(keeper, lead, &step("dispose", "preliminary_verification")).await.unwrap();
    approve_pending(w).await;
    let mut conclude = step("conclude", "");
    let outcome = if finding == "confirmed" {
        ("disciplinary".into(), "1".into(), "criticism".into())
    } else {
        ("no_violation".into(), String::new(), String::new())
    };
    conclude.conclusion =
        domain::lifecycle::conclusion::ConclusionInput { finding: finding.into(), outcomes: vec![outcome] };
    w.app.lifecycle().take_step(keeper, lead, &conclude).await.unwrap();
    approve_pending(w).await;
}

/// `who` records feedback of `kind` given today by phone (a follow-up: satisfied).
pub async fn tell(w: &World, who: &str, lead: domain::LeadId, kind: &str) -> Result<i64, AppError> {
    use app::Clock;
    let f = domain::reporters::feedback::FeedbackInput {
        kind: kind.into(),
        contacted_on: domain::dates::format_date(domain::dates::beijing_date(w.clock.now())),
        method: "phone".into(),
        rating: if kind == "follow_up" { "satisfied" } else { "" }.into(),
        ..Default::default()
    };
    w.app.reporters().record_feedback(&actor(w, who).await, lead, &f).await
}

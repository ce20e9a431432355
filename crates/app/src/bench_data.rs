//! Benchmark data sets at provincial scale (issue 5): thousands of units, up to millions of
//! leads, loaded in bulk. Same shape as the demo: sources, categories, statuses, deadlines, extensions, subjects.

use domain::{
    UnitId, dates::add_months, dates::beijing_date, dates::format_date, ledger::campaign::CampaignPlan,
    ledger::lead::Category, ledger::lead::HandlingMode, ledger::lead::LeadStatus, ledger::lead::ProblemDomain,
    ledger::lead::Source, ledger::unit::UnitKind, protection::role::Role,
};
use rand::{Rng, SeedableRng, rngs::StdRng};
use store::{StoreError, bulk, ledger::campaigns, to_micros};
use time::{Duration, macros::date};

use crate::{App, AppError, NewAccount};

pub const PASSWORD: &str = "qingling-bench";

#[derive(Debug, Clone)]
pub struct BenchSummary {
    pub units: usize,
    pub leads: usize,
    pub seconds: f64,
    /// A unit with leads, for per-unit measurements, and its inspector's username.
    pub sample_unit: UnitId,
}

/// Loads `leads` leads over `units` units into an empty database.
pub async fn generate(app: &App, leads: usize, units: usize) -> Result<BenchSummary, AppError> {
    let started = std::time::Instant::now();
    let now = app.now();
    let today = beijing_date(now);
    let root =
        app.protection().create_unit("BSJW", "省纪委监委（基准测试）", UnitKind::DisciplineCommission, None).await?;
    let mut unit_ids = Vec::with_capacity(units);
    let mut tx = app.db().begin_write().await?;
    for i in 0..units {
        let new = domain::ledger::unit::NewUnit {
            code: domain::ledger::unit::UnitCode::parse("code", &format!("U{i:05}")).map_err(AppError::field)?,
            name: domain::text::Name::parse("name", &format!("基准单位{i:05}")).map_err(AppError::field)?,
            kind: UnitKind::Hospital,
            parent: Some(root),
        };
        unit_ids.push(store::ledger::units::insert(&mut tx, &new, to_micros(now)).await?);
    }
    tx.commit().await.map_err(StoreError::from)?;
    let sample = unit_ids[0];
    for (name, unit, role) in [
        ("bench-supervisor", root, Role::Supervisor),
        ("bench-chief", root, Role::CommitteeHead),
        ("bench-inspector", sample, Role::Inspector),
    ] {
        app.protection()
            .create_account(&NewAccount {
                username: name,
                display_name: name,
                unit,
                password: PASSWORD,
                must_change_password: false,
                real_name: "",
                id_number: "",
                roles: &[(role, unit)],
            })
            .await?;
    }
    let actor = {
        let mut c = app.db().read().await?;
        store::protection::users::by_username(&mut c, "bench-inspector").await?.ok_or(AppError::NotFound)?.id
    };
    let plan = CampaignPlan::preset_2019()
        .shifted(format!("{}年专项（基准测试）", today.year()), (today - date!(2019 - 11 - 28)).whole_days());
    let mut tx = app.db().begin_write().await?;
    let campaign = campaigns::insert(&mut tx, &plan, to_micros(now)).await?;
    tx.commit().await.map_err(StoreError::from)?;

    let mut rng = StdRng::seed_from_u64(2000);
    let earliest = plan.stock_cutoff - Duration::days(540);
    let span = (today - earliest).whole_days().max(1);
    let mut next_seq = vec![0u32; units];
    // SQLite looks named parameters ($n) up by name, so cost grows with the square of the
    // parameters per statement: small batches are faster than large ones.
    const BATCH: usize = 40;
    const PER_TX: usize = 20_000;
    let mut done = 0;
    while done < leads {
        let mut tx = app.db().begin_write().await?;
        let end = (done + PER_TX).min(leads);
        let mut i = done;
        while i < end {
            let n = (end - i).min(BATCH);
            let mut rows = Vec::with_capacity(n);
            for _ in 0..n {
                let u = rng.random_range(0..units);
                next_seq[u] += 1;
                let received = earliest + Duration::days(rng.random_range(0..=span));
                let stock = received <= plan.stock_cutoff;
                let status = if stock && rng.random_bool(0.75) {
                    LeadStatus::Concluded
                } else {
                    LeadStatus::ALL[rng.random_range(0..LeadStatus::ALL.len())]
                };
                let deadline = if stock { plan.clearance_deadline } else { add_months(received, 1) };
                rows.push(bulk::BulkLead {
                    number: format!("U{u:05}-{}-{:04}", today.year(), next_seq[u]),
                    unit: unit_ids[u],
                    campaign,
                    source: Source::ALL[rng.random_range(0..Source::ALL.len())].code(),
                    received_on: format_date(received),
                    category: Category::ALL[rng.random_range(0..Category::ALL.len())].code(),
                    problem_domain: ProblemDomain::ALL[rng.random_range(0..ProblemDomain::ALL.len())].code(),
                    summary: "反映某科室负责人在药品耗材采购中收受回扣（基准数据）".into(),
                    important: rng.random_bool(0.1),
                    handling_mode: HandlingMode::OwnLevel.code(),
                    responsible_person: format!("承办人{}", rng.random_range(0..50)),
                    deadline: format_date(deadline),
                    status: status.code(),
                    stock_class: if stock { "stock" } else { "new" },
                    deadline_rule: domain::lifecycle::deadline::rule_for(status).map(|r| r.code()),
                    subject: format!("对象{}某", rng.random_range(0..100_000)),
                    by: actor,
                    at: to_micros(now),
                });
            }
            let ids = bulk::insert_leads(&mut tx, &rows).await?;
            // About one lead in 25 has asked for more time: most granted, some waiting,
            // some flagged for the committee head (a second or long extension).
            let mut extensions = Vec::new();
            for id in ids {
                if rng.random_bool(0.04) {
                    let state = if rng.random_bool(0.75) { "approved" } else { "requested" };
                    extensions.push(bulk::BulkExtension {
                        lead: id,
                        state,
                        needs_head: rng.random_bool(0.1),
                        days: rng.random_range(5..=30),
                        by: actor,
                        at: to_micros(now),
                    });
                }
            }
            bulk::insert_extensions(&mut tx, &extensions).await?;
            i += n;
        }
        tx.commit().await.map_err(StoreError::from)?;
        done = end;
    }
    let mut tx = app.db().begin_write().await?;
    for (u, last) in next_seq.iter().enumerate().filter(|(_, l)| **l > 0) {
        bulk::set_sequence(&mut tx, unit_ids[u], today.year(), *last).await?;
    }
    tx.commit().await.map_err(StoreError::from)?;
    network(app, &unit_ids).await?;
    // The statistics' kept figures, left uncounted by the bulk load, counted once here rather
    // than by the first reader.
    app.reporting().ensure_kept().await?;
    bulk::refresh_statistics(app.db()).await?;
    Ok(BenchSummary { units, leads, seconds: started.elapsed().as_secs_f64(), sample_unit: sample })
}

/// The person the relations figure (S3) draws: named in this many leads.
pub const NETWORK_PERSON: &str = "网络甲某";
pub const NETWORK_LEADS: usize = 50;

/// One person named by [`NETWORK_LEADS`] leads over ten units, each with a co-subject, every
/// fifth from the same signed reporter: registered through the use case, so the person registry
/// and the reporters' keyed hashes link them as they would in use.
async fn network(app: &App, unit_ids: &[UnitId]) -> Result<(), AppError> {
    use domain::{ledger::lead::LeadInput, ledger::subject::SubjectInput, reporters::ReporterInput};
    let who = crate::Credentials { username: "bench-supervisor", password: PASSWORD, otp: None, client: "bench" };
    let keeper = app.protection().login(&who, crate::LoginKind::Api).await?.actor.ledger_keeper()?;
    let today = format_date(beijing_date(app.now()));
    for i in 0..NETWORK_LEADS {
        let unit = unit_ids[i % unit_ids.len().min(10)];
        let person =
            SubjectInput { name: NETWORK_PERSON.into(), unit_name: "基准单位00000".into(), ..Default::default() };
        let other = SubjectInput {
            name: format!("同案{i}某"),
            unit_name: format!("基准单位{:05}", i % 10),
            ..Default::default()
        };
        let reporter = if i % 5 == 0 {
            ReporterInput { kind: "signed".into(), name: "基准举报人".into(), contact: "13700000000".into() }
        } else {
            ReporterInput { kind: "anonymous".into(), ..Default::default() }
        };
        let input = LeadInput {
            unit_id: unit.to_string(),
            source: "petition_report".into(),
            received_on: today.clone(),
            category: "protective_umbrella".into(),
            summary: format!("反映{NETWORK_PERSON}与同案{i}某在工程招标中串通（基准关系网）"),
            subjects: vec![person, other],
            reporter,
            ..Default::default()
        };
        app.ledger().register_decided(&keeper, &input, Some(domain::ledger::repeats::RepeatDecision::New)).await?;
    }
    Ok(())
}

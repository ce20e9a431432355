//! The demo data set: a city health commission's discipline committee, its affiliated
//! units, a campaign dated around today, thousands of leads and one account per role.
//! Every name is plainly fictitious (王某某 style).

mod accountability;
mod bulletins;
mod clearing;
mod feedback;
mod import;
mod library;
mod network;
mod portal;
mod rectification;
mod reviews;
mod walk;
mod work_reports;

pub use portal::{PORTAL_PASSPHRASE, sample_pdf};

use domain::lifecycle::timeline::Payload;
use domain::{
    UnitId, dates::add_months, dates::beijing_date, dates::format_date, ledger::campaign::CampaignPlan,
    ledger::campaign::StockClass, ledger::lead::Category, ledger::lead::HandlingMode, ledger::lead::LeadDraft,
    ledger::lead::LeadStatus, ledger::lead::ProblemDomain, ledger::lead::Source, ledger::lead_no::LeadNo,
    ledger::subject::CadreLevel, ledger::subject::PoliticalStatus, ledger::subject::Subject, ledger::unit::UnitKind,
    protection::role::Role, reporters::Reporter, reporters::ReporterKind,
};
use rand::{Rng, SeedableRng, rngs::StdRng};
use store::{StoreError, ledger::campaigns, ledger::leads, ledger::units, to_micros};
use time::{Duration, macros::date};

use crate::{App, AppError, NewAccount};

pub const PASSWORD: &str = "qingling-demo";

/// The demo accounts: (username, what they are), in the order they are printed.
pub const ACCOUNTS: &[(&str, &str)] = &[
    ("supervisor", "委直属机关纪委 监督检查，全系统 / supervising committee, whole tree"),
    ("inspector", "市第一人民医院 纪检监察人员 / inspector, First People's Hospital"),
    ("unithead", "市第一人民医院 主要负责人 / unit head, First People's Hospital"),
    ("handler", "市第一人民医院 承办人（只见分办给本人的线索）/ handler: only the leads assigned to them"),
    ("handler2", "市第一人民医院 承办人 / second handler, First People's Hospital"),
    ("inspector2", "市第二人民医院 纪检监察人员 / inspector, Second People's Hospital"),
    ("chief", "委直属机关纪委书记 审批处置、办结、延期 / committee head: approvals"),
    ("leader", "委领导班子成员 包案领导 / owning leader of key leads"),
    ("custodian", "信访受理/保密员 / custodian"),
    ("secadmin", "安全保密管理员 / security administrator (grants, unlocks, resets)"),
    ("auditor", "安全审计员 / security auditor"),
    ("sysadmin", "系统管理员 / system administrator"),
];

/// (code, name, kind) of the affiliated units.
const UNITS: &[(&str, &str, UnitKind)] = &[
    ("RMYY1", "市第一人民医院", UnitKind::Hospital),
    ("RMYY2", "市第二人民医院", UnitKind::Hospital),
    ("RMYY3", "市第三人民医院", UnitKind::Hospital),
    ("RMYY5", "市第五人民医院", UnitKind::Hospital),
    ("RMYY6", "市第六人民医院", UnitKind::Hospital),
    ("RMYY7", "市第七人民医院", UnitKind::Hospital),
    ("RMYY8", "市第八人民医院", UnitKind::Hospital),
    ("RMYY9", "市第九人民医院", UnitKind::Hospital),
    ("ZXYY", "市中心医院", UnitKind::Hospital),
    ("ZYY", "市中医院", UnitKind::Hospital),
    ("ETYY", "市儿童医院", UnitKind::Hospital),
    ("FYBJY", "市妇幼保健院", UnitKind::Hospital),
    ("ZLYY", "市肿瘤医院", UnitKind::Hospital),
    ("GKYY", "市骨科医院", UnitKind::Hospital),
    ("KQYY", "市口腔医院", UnitKind::Hospital),
    ("YKYY", "市眼科医院", UnitKind::Hospital),
    ("JSWSZX", "市精神卫生中心", UnitKind::Hospital),
    ("CRBYY", "市传染病医院", UnitKind::Hospital),
    ("JHBYY", "市结核病医院", UnitKind::Hospital),
    ("LNBYY", "市老年病医院", UnitKind::Hospital),
    ("KFYY", "市康复医院", UnitKind::Hospital),
    ("PFBYY", "市皮肤病医院", UnitKind::Hospital),
    ("ZYBFZY", "市职业病防治院", UnitKind::Hospital),
    ("ZXYJHYY", "市中西医结合医院", UnitKind::Hospital),
    ("RXYY", "市人民医院新区分院", UnitKind::Hospital),
    ("HKYY", "市航空港区医院", UnitKind::Hospital),
    ("JKYY", "市经开区医院", UnitKind::Hospital),
    ("GXYY", "市高新区医院", UnitKind::Hospital),
    ("CDC", "市疾病预防控制中心", UnitKind::PublicHealth),
    ("XZ", "市中心血站", UnitKind::PublicHealth),
    ("JJZX", "市急救中心", UnitKind::PublicHealth),
    ("WSJDS", "市卫生健康监督所", UnitKind::PublicHealth),
    ("FYZX", "市妇幼健康服务中心", UnitKind::PublicHealth),
    ("JKJYS", "市健康教育所", UnitKind::PublicHealth),
    ("WX", "市卫生学校", UnitKind::School),
    ("HLXY", "市护理职业学院", UnitKind::School),
    ("YXPX", "市医学继续教育培训中心", UnitKind::School),
    ("XXZX", "市卫生健康信息中心", UnitKind::Institution),
    ("YXKXS", "市医学科学研究所", UnitKind::Institution),
    ("JGFW", "市卫健委机关服务中心", UnitKind::Institution),
    ("YPCG", "市医药集中采购服务中心", UnitKind::Institution),
    ("TJZX", "市卫生健康统计中心", UnitKind::Institution),
    ("RCZX", "市卫生人才交流中心", UnitKind::Institution),
    ("JSZX", "市计划生育技术服务中心", UnitKind::Institution),
];

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马",
    "罗",
];
const POSTS: &[(&str, &str)] = &[
    ("院长", "正处级"),
    ("副院长", "副处级"),
    ("科主任", "正科级"),
    ("护士长", "副科级"),
    ("药剂科科长", "正科级"),
    ("设备科科长", "正科级"),
    ("总务科副科长", "副科级"),
    ("医生", "无"),
    ("采购员", "无"),
    ("财务科会计", "无"),
];
const SUMMARIES: &[&str] = &[
    "反映{s}在药品耗材采购中收受供应商回扣，并为其违规入院提供便利。",
    "反映{s}充当“保护伞”，为当地涉恶团伙把持医院周边停车、护工市场提供庇护。",
    "反映{s}在基建工程招投标中违规指定施工单位，疑与涉黑团伙存在利益输送。",
    "反映{s}利用职务便利虚报冒领医保基金，数额较大。",
    "反映{s}在人员招聘中弄虚作假，安排亲属违规入职。",
    "反映{s}工作作风简单粗暴，对群众诉求推诿扯皮。",
    "反映{s}在医疗设备采购中与“医闹”团伙相互勾连，压价排挤其他供应商。",
    "反映{s}违规收受患者红包，群众反映强烈。",
    "反映{s}对辖区非法行医问题查处不力，涉嫌失职渎职。",
    "反映{s}公车私用、违规报销差旅费用。",
];
const BODIES: &[&str] = &["市纪委监委", "市扫黑办", "市委巡察办", "市审计局", "市公安局", "省卫生健康委"];

/// One of `items`, at random (the demo's lists are constants, never empty).
fn any_of<'a, T>(rng: &mut StdRng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

/// A demo account holder's real name: the display name before its bracketed note.
fn real_name(display: &str) -> &str {
    display.split('（').next().unwrap_or(display)
}

/// A made-up name that is none of `holders`' (the demo account holders): a lead about an
/// account holder is kept from them (回避), and the demo's work would then lose its actors.
/// One lead is about one of them on purpose (see `seed_workflow`).
fn fictitious_name(rng: &mut StdRng, holders: &[&str]) -> String {
    loop {
        let s = any_of(rng, SURNAMES);
        let name = if rng.random_bool(0.7) { format!("{s}某某") } else { format!("{s}某") };
        if !holders.contains(&name.as_str()) {
            return name;
        }
    }
}

/// Loads the demo data set into an empty database. `today` dates the campaign: it is the
/// seed's plan moved so that today falls where 2019-11-28 fell (phase two, a month left).
pub async fn load(app: &App, leads_wanted: usize) -> Result<DemoSummary, AppError> {
    let now = app.now();
    let today = beijing_date(now);
    let root = app.protection().create_unit("SJW", "市纪委监委", UnitKind::DisciplineCommission, None).await?;
    let committee = app
        .protection()
        .create_unit("ZWJ", "市卫生健康委直属机关纪委", UnitKind::DisciplineCommittee, Some(root))
        .await?;
    let mut unit_ids: Vec<(UnitId, &str)> = Vec::new();
    for (code, name, kind) in UNITS {
        unit_ids.push((app.protection().create_unit(code, name, *kind, Some(committee)).await?, code));
    }
    let first = unit_ids[0].0;
    for (code, name) in [("RMYY1JJ", "纪检监察室"), ("RMYY1YJ", "药剂科")] {
        app.protection().create_unit(code, name, UnitKind::Department, Some(first)).await?;
    }
    let second = unit_ids[1].0;
    // (username, display name, home unit, the one role it holds over that unit)
    let accounts: [(&str, &str, UnitId, Role); 12] = [
        ("supervisor", "周某某（监督检查室）", committee, Role::Supervisor),
        ("chief", "钱某（纪委书记）", committee, Role::CommitteeHead),
        ("leader", "孔某某（副主任、包案领导）", committee, Role::OwningLeader),
        ("inspector", "李某（纪检监察室）", first, Role::Inspector),
        ("unithead", "王某某（院长）", first, Role::UnitHead),
        ("handler", "刘某某（纪检监察室 承办人）", first, Role::Handler),
        ("handler2", "陈某某（纪检监察室 承办人）", first, Role::Handler),
        ("inspector2", "赵某（纪检监察科）", second, Role::Inspector),
        ("custodian", "孙某某（信访室）", committee, Role::Custodian),
        ("secadmin", "冯某（安全保密管理员）", root, Role::Secadmin),
        ("auditor", "吴某（审计员）", root, Role::Auditor),
        ("sysadmin", "郑某（系统管理员）", root, Role::Sysadmin),
    ];
    let (mut supervisor, mut chief) = (None, None);
    for (username, display, unit, role) in &accounts {
        let id = app
            .protection()
            .create_account(&NewAccount {
                username,
                display_name: display,
                unit: *unit,
                password: PASSWORD,
                must_change_password: false,
                real_name: real_name(display),
                id_number: "",
                roles: &[(*role, *unit)],
            })
            .await?;
        if *username == "supervisor" {
            supervisor = Some(id);
        }
        if *username == "chief" {
            chief = Some(id);
        }
    }
    let actor = supervisor.ok_or_else(|| AppError::internal("the demo has no supervisor account"))?;
    let approver = chief.ok_or_else(|| AppError::internal("the demo has no committee head"))?;
    let holders: Vec<&str> = accounts.iter().map(|(_, display, _, _)| real_name(display)).collect();

    let days_from_seed = (today - date!(2019 - 11 - 28)).whole_days();
    let preset = CampaignPlan::preset_2019();
    let shifted = preset.shifted(format!("{}年扫黑除恶“排头兵”创建（演示）", today.year()), days_from_seed);

    let mut rng = StdRng::seed_from_u64(20191231);
    let mut tx = app.db().begin_write().await?;
    let t = to_micros(now);
    // The seed's own campaign, long over: kept as the record (and a template), closed.
    let seed = campaigns::insert(&mut tx, &preset, t).await?;
    campaigns::close(&mut tx, seed, t).await?;
    let campaign_id = campaigns::insert(&mut tx, &shifted, t).await?;
    let campaign = domain::ledger::campaign::Campaign { id: campaign_id, plan: shifted.clone() };
    let plan = &shifted;
    // Each unit's earlier leads, for a repeat (重复件) to merge into.
    let mut earlier: Vec<(UnitId, store::LeadHandle, String)> = Vec::new();
    let earliest = plan.stock_cutoff - Duration::days(540);
    let span = (today - earliest).whole_days().max(1);
    // Larger hospitals get more leads: weight the first units more.
    let weights: Vec<u32> = (0..unit_ids.len()).map(|i| if i < 10 { 6 } else { 2 }).collect();
    let total_weight: u32 = weights.iter().sum();
    // Registered in the order received, so numbers rise with received dates as in a real ledger.
    // One lead fewer: `seed_workflow` registers the last (the report about the inspector).
    let mut received: Vec<time::Date> =
        (0..leads_wanted.saturating_sub(1)).map(|_| earliest + Duration::days(rng.random_range(0..=span))).collect();
    received.sort();
    for (n, received_on) in received.into_iter().enumerate() {
        let mut pick = rng.random_range(0..total_weight);
        let mut idx = 0;
        while pick >= weights[idx] {
            pick -= weights[idx];
            idx += 1;
        }
        // The two hospitals with demo inspectors always have work, however the dice fall.
        if n < 8 {
            idx = n % 2;
        }
        let (unit_id, code) = unit_ids[idx];
        let status = match demo_status(&mut rng, received_on <= plan.stock_cutoff, n) {
            LeadStatus::Merged if !earlier.iter().any(|(u, ..)| *u == unit_id) => LeadStatus::Assessed,
            s => s,
        };
        let subjects: Vec<Subject> =
            (0..rng.random_range(1..=3)).map(|_| demo_subject(&mut rng, code, &holders)).collect();
        let summary = any_of(&mut rng, SUMMARIES).replace("{s}", &subjects[0].name);
        let source = Source::ALL[n % Source::ALL.len()];
        // Most demo leads are of the two categories the campaign counts; the rest are ordinary.
        let category = match (n / Source::ALL.len()) % 4 {
            0 => Category::GangCorruption,
            1 => Category::ProtectiveUmbrella,
            _ => Category::ALL[(n / (4 * Source::ALL.len())) % Category::ALL.len()],
        };
        // Only the leads the campaign counts are in it; the rest are ordinary handling.
        let membership = domain::ledger::campaign::Membership { category, source, received_on };
        let in_campaign = domain::ledger::campaign::campaign_for([(&campaign, true)], &membership).is_some();
        let stock = in_campaign && received_on <= plan.stock_cutoff;
        let deadline = if stock { plan.clearance_deadline } else { add_months(received_on, 1) };
        let signed = rng.random_bool(0.4);
        let draft = LeadDraft {
            unit_id,
            source,
            source_doc_no: matches!(source, Source::AssignedByHigher | Source::SupervisedByHigher)
                .then(|| format!("郑纪交〔{}〕{}号", received_on.year(), rng.random_range(1..300))),
            assigning_body: matches!(
                source,
                Source::AssignedByHigher | Source::SupervisedByHigher | Source::InspectionTransfer
            )
            .then(|| any_of(&mut rng, BODIES).to_string()),
            received_on,
            category,
            problem_domain: *any_of(&mut rng, ProblemDomain::ALL),
            summary,
            important: rng.random_bool(0.12),
            handling_mode: if rng.random_bool(0.8) {
                HandlingMode::OwnLevel
            } else {
                *any_of(&mut rng, HandlingMode::ALL)
            },
            // As the register form keeps a one-line text (NFKC: full-width brackets become
            // ASCII), so that the demo's leads export and import back unchanged.
            responsible_leader: Some(format!("{}(分管副院长)", fictitious_name(&mut rng, &holders))),
            responsible_person: Some(fictitious_name(&mut rng, &holders)),
            deadline: Some(deadline),
            subjects,
            reporter: Reporter {
                kind: if signed { ReporterKind::Signed } else { ReporterKind::Anonymous },
                name: signed.then(|| fictitious_name(&mut rng, &holders)),
                contact: signed.then(|| format!("138{:08}", rng.random_range(0..100_000_000u32))),
            },
        };
        let reg_year = if received_on.year() < today.year() { received_on.year() } else { today.year() };
        let unit = units::get(&mut tx, unit_id).await?.ok_or(AppError::NotFound)?;
        let seq = leads::next_sequence(&mut tx, unit_id, reg_year).await?;
        let number = LeadNo::new(&unit.code, reg_year, seq);
        let lead = leads::insert(
            &mut tx,
            &leads::NewLead {
                draft: &draft,
                person_key: app.keyring().person_key_id(),
                unit: unit_id,
                routed_from: None,
                number: &number,
                original_no: None,
                campaign_id: in_campaign.then_some(campaign_id),
                deadline,
                timing: store::ledger::leads::Timing {
                    rule: domain::lifecycle::deadline::rule_for(status),
                    started: if stock { plan.stock_cutoff.max(received_on) } else { received_on },
                    provisional: false,
                },
                status,
                stock_class: match (in_campaign, stock) {
                    (false, _) => StockClass::Ordinary,
                    (true, true) => StockClass::Stock,
                    (true, false) => StockClass::New,
                },
                actor,
                now: t,
            },
        )
        .await?;
        // A transfer names its receiving body (most have sent a receipt back); a repeat its
        // original, an earlier lead of the same unit.
        let (exit, exit_payload) = match status {
            LeadStatus::Transferred => {
                let to = any_of(&mut rng, BODIES).to_string();
                let received = rng.random_bool(0.7).then(|| (received_on + Duration::days(20)).min(today));
                let payload = Payload::Transfer { receiving_body: to.clone() };
                (Some(leads::Exit::Transferred { to, received_on: received }), Some(payload))
            }
            LeadStatus::Merged => match earlier.iter().rev().find(|(u, ..)| *u == unit_id) {
                Some((_, original, number)) => (
                    Some(leads::Exit::Merged(original.id())),
                    Some(Payload::Merge { original: original.id(), number: number.clone() }),
                ),
                None => (None, None),
            },
            _ => (None, None),
        };
        if let Some(exit) = exit {
            leads::set_exit(&mut tx, &lead, &exit).await?;
        }
        walk::walk(
            &mut tx,
            &walk::Walked {
                lead: &lead,
                status,
                subjects: draft.subjects.len(),
                signed_reporter: signed,
                received_on,
                exit: exit_payload,
                unfounded: n % 5 == 0,
            },
            (actor, approver),
            today,
        )
        .await?;
        // Its side clocks, as the real events would have left them: intake done and the reporter
        // told of acceptance once the lead is assessed.
        {
            use domain::lifecycle::{follow_up::FollowUp, side_clock::Trigger};
            let lc = app.lifecycle();
            let registered = Trigger::Registered { source, signed_reporter: signed };
            lc.move_side_clocks(&mut tx, &lead, source, registered, received_on, (actor, t)).await?;
            if status != LeadStatus::Registered {
                lc.move_side_clocks(&mut tx, &lead, source, Trigger::Entered(LeadStatus::Assessed), today, (actor, t))
                    .await?;
            }
            if status != LeadStatus::Registered {
                let told = Trigger::Recorded(FollowUp::AcceptanceNotice);
                lc.move_side_clocks(&mut tx, &lead, source, told, today, (actor, t)).await?;
            }
        }
        earlier.push((unit_id, lead, number.to_string()));
        store::reporters::identity::set_reporter(&mut tx, &lead, &app.seal_reporter(lead.id(), &draft.reporter)?)
            .await?;
    }
    store::lifecycle::timeline::fill_closed_on(&mut tx).await?; // the walk's days, not today
    crate::protection::audit::record(
        &mut tx,
        app,
        now,
        crate::protection::audit::Who::System,
        crate::protection::audit::Event::new("demo.load", "campaign", campaign_id)
            .detail(format!("{leads_wanted} demo leads")),
    )
    .await?;
    tx.commit().await.map_err(StoreError::from)?;
    seed_workflow(app).await?;
    let network = network::seed_network(app).await?;
    let imported = import::seed_import(app).await?;
    let reviews = reviews::seed_reviews(app).await?;
    rectification::seed_rectification(app).await?;
    accountability::seed_accountability(app).await?;
    bulletins::seed_bulletins(app).await?;
    clearing::seed_clearing(app).await?;
    library::seed_library(app).await?;
    feedback::seed_feedback(app).await?;
    let (portal_receipt, portal) = portal::seed_portal(app).await?;
    portal::seed_attachments(app).await?;
    Ok(DemoSummary {
        portal_receipt,
        portal,
        imported,
        network,
        reviews,
        units: UNITS.len() + 4,
        leads: leads_wanted,
        campaign: shifted.name.clone(),
        clearance_deadline: format_date(shifted.clearance_deadline),
    })
}

#[derive(Debug)]
pub struct DemoSummary {
    /// The receipt code of a portal report to follow as its reporter (passphrase
    /// [`PORTAL_PASSPHRASE`]).
    pub portal_receipt: String,
    /// Leads registered from portal reports, on top of `leads`.
    pub portal: usize,
    pub units: usize,
    pub leads: usize,
    /// Leads of the second hospital's old spreadsheet ledger, imported on top of `leads`.
    pub imported: usize,
    /// Leads registered for the relations graph and the repeat check, on top of `leads`.
    pub network: usize,
    /// Closures the demo's draw put in the review queue.
    pub reviews: usize,
    pub campaign: String,
    pub clearance_deadline: String,
}

/// Stock leads are mostly done by now; new ones are spread over the whole lifecycle.
/// The first dozen leads cover every status so that no status is ever missing.
fn demo_status(rng: &mut StdRng, stock: bool, n: usize) -> LeadStatus {
    // 已提级 is no longer a state a lead enters: 提级办理 moves the lead (issue 11).
    let statuses: Vec<LeadStatus> = LeadStatus::ALL
        .iter()
        .copied()
        .filter(|s| *s != LeadStatus::EscalatedAway && *s != LeadStatus::Merged)
        .collect();
    // The first leads of each unit cannot be repeats: there is nothing earlier to repeat.
    if n < statuses.len() {
        return statuses[n];
    }
    let closed = [LeadStatus::Concluded, LeadStatus::StruckOff, LeadStatus::Settled];
    if stock && rng.random_bool(0.75) {
        return *any_of(rng, &closed);
    }
    if rng.random_bool(0.03) {
        return LeadStatus::Merged;
    }
    *any_of(rng, &statuses)
}

fn demo_subject(rng: &mut StdRng, unit_code: &str, holders: &[&str]) -> Subject {
    let (post, rank) = any_of(rng, POSTS);
    Subject {
        name: fictitious_name(rng, holders),
        unit_name: UNITS.iter().find(|u| u.0 == unit_code).map(|u| u.1.to_string()).unwrap_or_default(),
        post: post.to_string(),
        rank: rank.to_string(),
        political_status: if rng.random_bool(0.8) { PoliticalStatus::PartyMember } else { PoliticalStatus::NonParty },
        // Demo leads about a unit's head would be sent up; the demo keeps them with the unit
        // only for heads of departments, so every hospital has leads of its own.
        is_unit_head: false,
        // Department heads are managed by their hospital (a 委管 cadre's lead would have gone up
        // to the committee: `domain::ledger::routing`).
        cadre_level: match *rank {
            "正处级" | "副处级" | "正科级" | "副科级" => CadreLevel::Unit,
            _ => CadreLevel::NotCadre,
        },
        id_number_hash: None,
    }
}

/// Work in progress for the demo's queues: steps awaiting the committee head and
/// extensions in every state, made through the use cases like real work.
async fn seed_workflow(app: &App) -> Result<(), AppError> {
    use crate::{Credentials, LoginKind, StepInput};
    let who = |name: &'static str| Credentials { username: name, password: PASSWORD, otp: None, client: "demo" };
    let inspector = app.protection().login(&who("inspector"), LoginKind::Browser).await?.actor;
    let head = app.protection().login(&who("unithead"), LoginKind::Browser).await?.actor;
    let supervisor = app.protection().login(&who("supervisor"), LoginKind::Browser).await?.actor;
    let chief = app.protection().login(&who("chief"), LoginKind::Browser).await?.actor;
    let keeper = inspector.ledger_keeper()?;
    let open = |status: &str| domain::ledger::query::LedgerParams {
        status: status.into(),
        per_page: "20".into(),
        ..Default::default()
    };
    // Two registered leads assessed, with a disposition awaiting the committee head.
    for (i, lead) in app.ledger().list(keeper.reader(), &open("registered")).await?.items.iter().take(2).enumerate() {
        let step = |s: &str, d: &str, note: &str| StepInput {
            step: s.into(),
            disposition: d.into(),
            note: note.into(),
            ..Default::default()
        };
        app.lifecycle().take_step(&keeper, lead.id, &step("assess", "", "经集体研判，问题具体、可查性强")).await?;
        let d = if i == 0 { "talk_inquiry" } else { "preliminary_verification" };
        app.lifecycle().take_step(&keeper, lead.id, &step("dispose", d, "拟按此方式处置，报请审批")).await?;
    }
    // Key leads owned by a leadership member, with a guidance visit, and a study meeting.
    let owner = app.protection().login(&who("leader"), LoginKind::Browser).await?.actor;
    let kinds = ["key", "difficult", "hot"];
    let candidates = app.ledger().list(keeper.reader(), &open("open")).await?.items;
    for (lead, kind) in candidates.iter().take(3).zip(kinds) {
        app.supervision().mark_key_lead(&supervisor, lead.id, kind, "leader").await?;
        let day = domain::dates::format_date(app.today() - time::Duration::days(7));
        app.supervision()
            .record_visit(&owner, lead.id, &day, "市第一人民医院纪检监察室", "听取汇报，要求倒排时间、十日内完成初核")
            .await?;
    }
    let studied: Vec<String> =
        candidates.iter().take(3).map(|l| format!("{}：继续深挖“保护伞”线索", l.number)).collect();
    if !studied.is_empty() {
        let meeting = domain::supervision::meeting::MeetingInput {
            held_on: domain::dates::format_date(app.today() - time::Duration::days(3)),
            title: "第五次线索集体研判会".into(),
            attendees: "钱某、周某某、孔某某、李某".into(),
            items: studied.join("\n"),
        };
        app.supervision().record_meeting(&keeper, &meeting).await?;
    }
    // One lead listed for supervision, with a first report from the hospital.
    if let Some(lead) = candidates.get(3) {
        let due = domain::dates::format_date(app.today() + time::Duration::days(10));
        let order = app
            .supervision()
            .issue_order(&supervisor, lead.id, "请于十日内报告核查进展，重点查清“保护伞”问题", &due)
            .await?;
        app.supervision().report_on_order(&keeper, order, "first", "已成立核查组，正在调取相关合同和资金往来").await?;
    }
    // 分办: open leads of the hospital assigned to its two handlers, one to both.
    if let Some(first) = candidates.first() {
        let people = app.ledger().handler_candidates(keeper.reader(), first.id).await?;
        let id_of = |name: &str| people.iter().find(|h| h.name.starts_with(name)).map(|h| h.id.to_string());
        let (liu, chen) = (id_of("刘某某"), id_of("陈某某"));
        let plan = [vec![liu.clone()], vec![liu.clone(), chen.clone()], vec![chen.clone()], vec![liu.clone()]];
        for (lead, who) in candidates.iter().rev().zip(plan) {
            let who: Vec<String> = who.into_iter().flatten().collect();
            app.ledger().assign_handlers(&keeper, lead.id, &who).await?;
        }
    }
    // Extensions: requested, signed, in effect, awaiting the committee head, refused, and one
    // the unit head returned for a better reason.
    let leads = app.ledger().list(keeper.reader(), &open("talk_inquiry")).await?.items;
    let more = app.ledger().list(keeper.reader(), &open("preliminary_verification")).await?.items;
    let targets: Vec<_> = leads.iter().chain(more.iter()).take(6).collect();
    let plans = [(20, 0), (15, 1), (25, 2), (45, 3), (60, 4), (10, 5)];
    for (lead, (days, stage)) in targets.iter().zip(plans) {
        let x = app
            .lifecycle()
            .request_extension(&keeper, lead.id, "案情复杂，需调取银行流水并询问相关证人", &days.to_string())
            .await?;
        if (1..5).contains(&stage) {
            app.lifecycle().sign_extension(&head, x).await?;
        }
        if (2..5).contains(&stage) {
            app.lifecycle().file_extension(&supervisor, x).await?;
        }
        if stage == 4 {
            app.lifecycle().decide_extension(&chief.approver()?, x, false).await?;
        }
        if stage == 5 {
            app.lifecycle().return_extension(&head, x, "理由过于笼统，请写明尚需调取的材料和完成时间").await?;
        }
    }
    // 回避: a report about the hospital's own inspector, registered by the supervising
    // office. 李某 never sees it; the office sees whom it is kept from.
    let about_inspector = domain::ledger::lead::LeadInput {
        unit_id: inspector.unit_id.to_string(),
        source: "petition_report".into(),
        received_on: domain::dates::format_date(app.today() - time::Duration::days(12)),
        category: "work_style".into(),
        summary: "反映市第一人民医院纪检监察室李某对群众信访件压件不办，并向被反映人通风报信".into(),
        subjects: vec![domain::ledger::subject::SubjectInput {
            name: "李某".into(),
            unit_name: "市第一人民医院".into(),
            post: "纪检监察员".into(),
            ..Default::default()
        }],
        reporter: domain::reporters::ReporterInput { kind: "anonymous".into(), ..Default::default() },
        ..Default::default()
    };
    app.ledger().register(&supervisor.ledger_keeper()?, &about_inspector).await?;
    Ok(())
}

//! The demo's relations (关系网) and repeat reports (重复件), made through the use cases: one
//! person named by leads of two hospitals over two years, one signed reporter behind two of
//! them, an early lead closed as 查否 that is reported again (flagged for re-review), and a
//! repeat merged into its original as it is registered.

use domain::{
    LeadId,
    ledger::{lead::LeadInput, repeats::RepeatDecision, subject::SubjectInput},
    lifecycle::{conclusion::ConclusionInput, timeline::EventState},
    reporters::ReporterInput,
};
use time::Duration;

use super::PASSWORD;
use crate::{Actor, App, AppError, Credentials, LedgerKeeper, LoginKind, StepInput};

const PERSON: &str = "褚某某";
const PERSON_UNIT: &str = "市第一人民医院";
const PHONE: &str = "139 1234 5678";
const DOC_NO: &str = "市卫健纪交〔2026〕12号";

fn subject(name: &str, unit: &str, post: &str) -> SubjectInput {
    SubjectInput { name: name.into(), unit_name: unit.into(), post: post.into(), ..Default::default() }
}

fn report(app: &App, unit: domain::UnitId, days_ago: i64, summary: &str, subjects: Vec<SubjectInput>) -> LeadInput {
    LeadInput {
        unit_id: unit.to_string(),
        source: "petition_report".into(),
        received_on: domain::dates::format_date(app.today() - Duration::days(days_ago)),
        category: "gang_corruption".into(),
        summary: summary.into(),
        subjects,
        reporter: ReporterInput { kind: "signed".into(), name: "沈某".into(), contact: PHONE.into() },
        // Stock leads of the campaign name both (逐件明确责任领导和责任人).
        responsible_leader: "韩副院长".into(),
        responsible_person: "杨某某".into(),
        ..Default::default()
    }
}

async fn registered(
    app: &App,
    keeper: &LedgerKeeper,
    input: &LeadInput,
    decision: RepeatDecision,
) -> Result<LeadId, AppError> {
    let r = app.ledger().register_decided(keeper, input, Some(decision)).await?;
    r.into_visible().map(|l| l.id).ok_or_else(|| AppError::internal("a demo network lead left the keeper's sight"))
}

/// Takes a step, and approves it as the committee head when it waits for approval.
async fn step(app: &App, keeper: &LedgerKeeper, chief: &Actor, id: LeadId, input: StepInput) -> Result<(), AppError> {
    if app.lifecycle().take_step(keeper, id, &input).await? == crate::StepOutcome::Pending {
        let timeline = app.lifecycle().timeline(keeper.reader(), id).await?;
        let pending = timeline
            .iter()
            .find(|e| e.state == EventState::Pending)
            .ok_or_else(|| AppError::internal("a pending step left no entry"))?;
        app.lifecycle().decide_step(&chief.approver()?, pending.id, true, "").await?;
    }
    Ok(())
}

/// Returns how many leads it registered.
pub(super) async fn seed_network(app: &App) -> Result<usize, AppError> {
    let who = |name: &'static str| Credentials { username: name, password: PASSWORD, otp: None, client: "demo" };
    let inspector = app.protection().login(&who("inspector"), LoginKind::Browser).await?.actor;
    let inspector2 = app.protection().login(&who("inspector2"), LoginKind::Browser).await?.actor;
    let chief = app.protection().login(&who("chief"), LoginKind::Browser).await?.actor;
    let (first, second) = (inspector.ledger_keeper()?, inspector2.ledger_keeper()?);
    let person = || subject(PERSON, PERSON_UNIT, "设备科科长");
    // Two years ago: 褚某某 and a supplier; checked and closed as unfounded (查否).
    let early = report(
        app,
        inspector.unit_id,
        700,
        "反映市第一人民医院设备科科长褚某某在医疗设备采购中收受供应商卫某回扣",
        vec![person(), subject("卫某", "某医疗器械公司", "销售经理")],
    );
    let early = registered(app, &first, &early, RepeatDecision::New).await?;
    let plain = |s: &str, d: &str, note: &str| StepInput {
        step: s.into(),
        disposition: d.into(),
        note: note.into(),
        ..Default::default()
    };
    step(app, &first, &chief, early, plain("assess", "", "问题具体，可查性强")).await?;
    step(app, &first, &chief, early, plain("dispose", "preliminary_verification", "拟初步核实")).await?;
    let unfounded = StepInput {
        step: "conclude".into(),
        note: "调取采购合同与资金往来，未发现收受回扣的事实".into(),
        conclusion: ConclusionInput {
            finding: "unfounded".into(),
            outcomes: vec![("no_violation".into(), String::new(), String::new()); 2],
        },
        ..Default::default()
    };
    step(app, &first, &chief, early, unfounded).await?;
    // Last year, at the second hospital: the same person (same name and unit in the registry)
    // with a colleague there, from the same signed reporter.
    let other = report(
        app,
        inspector2.unit_id,
        320,
        "反映褚某某与市第二人民医院设备科蒋某某串通，为亲属承揽两院设备维保业务",
        vec![person(), subject("蒋某某", "市第二人民医院", "设备科副科长")],
    );
    registered(app, &second, &other, RepeatDecision::New).await?;
    // This month: the old report again, assigned from above. Confirmed as new; the 查否 lead
    // it repeats is flagged for re-review.
    let mut again = report(
        app,
        inspector.unit_id,
        9,
        "再次反映市第一人民医院设备科科长褚某某在设备采购中收受供应商回扣，称此前核查走过场",
        vec![person()],
    );
    again.source = "assigned_by_higher".into();
    again.source_doc_no = DOC_NO.into();
    again.assigning_body = "市卫生健康委".into();
    let again_id = registered(app, &first, &again, RepeatDecision::New).await?;
    // The same assignment forwarded a second time: merged into the first as it is registered
    // (the 合并 step, approved by the committee head).
    let mut twice = again.clone();
    twice.received_on = domain::dates::format_date(app.today() - Duration::days(5));
    twice.reporter = ReporterInput { kind: "anonymous".into(), ..Default::default() };
    let number = app.ledger().lead(first.reader(), again_id).await?.number;
    let twice = registered(app, &first, &twice, RepeatDecision::Merge(number)).await?;
    let timeline = app.lifecycle().timeline(first.reader(), twice).await?;
    if let Some(pending) = timeline.iter().find(|e| e.state == EventState::Pending) {
        app.lifecycle().decide_step(&chief.approver()?, pending.id, true, "").await?;
    }
    Ok(4)
}

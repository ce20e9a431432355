//! The demo's clearing names (澄清正名), made through the use cases: at the First People's
//! Hospital (on leads closed as 查否 and struck off) one person cleared at a meeting with the written clearing, and one application
//! waiting for the committee head.

use domain::{
    ledger::query::LedgerParams,
    lifecycle::conclusion::Finding,
    oversight::clearing::{CarryOutInput, ClearingInput},
};
use time::Duration;

use super::PASSWORD;
use crate::{App, AppError, Credentials, LoginKind};

pub(super) async fn seed_clearing(app: &App) -> Result<(), AppError> {
    let who = |name: &'static str| Credentials { username: name, password: PASSWORD, otp: None, client: "demo" };
    let inspector = app.protection().login(&who("inspector"), LoginKind::Browser).await?.actor;
    let chief = app.protection().login(&who("chief"), LoginKind::Browser).await?.actor;
    let params = LedgerParams {
        status: "struck_off".into(),
        unit_id: inspector.unit_id.to_string(),
        per_page: "100".into(),
        ..Default::default()
    };
    let unfounded: Vec<_> = app
        .ledger()
        .list(&inspector.ledger()?, &params)
        .await?
        .items
        .into_iter()
        .filter(|l| l.finding == Some(Finding::Unfounded) && !l.subjects.is_empty())
        .collect();
    let o = app.oversight();
    let day = |ago: i64| domain::dates::format_date(app.today() - Duration::days(ago));
    if let Some(lead) = unfounded.first() {
        let person = lead.subjects[0].name.clone();
        let proposal = ClearingInput {
            lead: lead.number.to_string(),
            origin: "unit".into(),
            person: person.clone(),
            applied_on: String::new(),
            reason: "经初步核实，反映问题失实，对其工作和声誉造成不良影响，需予澄清".into(),
        };
        let id = o.propose_clearing(&inspector, &proposal).await?;
        o.decide_clearing(&chief, id, true, "同意在科室会议上澄清").await?;
        let carried = CarryOutInput {
            mode: "meeting".into(),
            held_on: day(2),
            scope_note: "所在科室全体职工会议".into(),
            letter: format!("经核查，反映{person}的问题失实。特此澄清，消除影响。"),
        };
        o.carry_out_clearing(&inspector, id, &carried).await?;
    }
    if let Some(lead) = unfounded.get(1) {
        let application = ClearingInput {
            lead: lead.number.to_string(),
            origin: "application".into(),
            person: lead.subjects[0].name.clone(),
            applied_on: day(3),
            reason: "本人书面申请：反映问题经查失实，请求组织澄清".into(),
        };
        o.propose_clearing(&inspector, &application).await?;
    }
    Ok(())
}

//! The demo's accountability (问责) and early intervention (抓早抓小), made through the use
//! cases: the unit whose closure a review returned is held accountable, a person is admonished
//! after a bulletin, and early warnings are given at both hospitals, one growing into a lead.

use domain::oversight::{
    accountability::AccountabilityInput, early_warning::EarlyWarningInput, reviewing::ReviewState,
};
use time::Duration;

use super::PASSWORD;
use crate::{App, AppError, Credentials, LoginKind};

pub(super) async fn seed_accountability(app: &App) -> Result<(), AppError> {
    let who = |name: &'static str| Credentials { username: name, password: PASSWORD, otp: None, client: "demo" };
    let supervisor = app.protection().login(&who("supervisor"), LoginKind::Browser).await?.actor;
    let inspector = app.protection().login(&who("inspector"), LoginKind::Browser).await?.actor;
    let inspector2 = app.protection().login(&who("inspector2"), LoginKind::Browser).await?.actor;
    let day = |ago: i64| domain::dates::format_date(app.today() - Duration::days(ago));
    let o = app.oversight();
    let returned = o.review_queue(&supervisor, Some(ReviewState::Returned), 1).await?.items;
    if let Some(r) = returned.first() {
        let decision = AccountabilityInput {
            target: "organisation".into(),
            unit_id: r.unit_id.to_string(),
            person: String::new(),
            ground: "weak_handling".into(),
            form: "notice".into(),
            decided_on: day(1),
            doc_no: "卫纪发〔2026〕21号".into(),
            source: "review".into(),
            source_ref: r.id.to_string(),
        };
        o.record_accountability(&supervisor, &decision).await?;
    }
    let person = AccountabilityInput {
        target: "person".into(),
        unit_id: inspector2.unit_id.to_string(),
        person: "蒋某某".into(),
        ground: "weak_push".into(),
        form: "admonition".into(),
        decided_on: day(15),
        doc_no: "卫纪发〔2026〕17号".into(),
        source: "bulletin".into(),
        source_ref: "专项斗争工作通报（2026年第4期）".into(),
    };
    o.record_accountability(&supervisor, &person).await?;
    let warning = |unit: domain::UnitId, person: &str, post: &str, problem: &str, src: &str, how: &str, ago: i64| {
        EarlyWarningInput {
            unit_id: unit.to_string(),
            person: person.into(),
            post: post.into(),
            problem: problem.into(),
            source: src.into(),
            intervention: how.into(),
            given_on: day(ago),
            given_by: "纪检监察室".into(),
        }
    };
    let first = inspector.unit_id;
    let w1 = warning(first, "郑某", "药剂科副主任", "多次接受医药代表宴请", "daily_supervision", "reminder", 30);
    let id = o.record_early_warning(&inspector, &w1).await?;
    let reader = inspector.ledger()?;
    let params = domain::ledger::query::LedgerParams { per_page: "5".into(), ..Default::default() };
    if let Some(lead) = app.ledger().list(&reader, &params).await?.items.first() {
        o.follow_up_warning(&inspector, id, "提醒后仍有反映，已作为问题线索登记", lead.number.as_str()).await?;
    }
    let w2 = warning(first, "冯某", "后勤科科长", "工程款结算中与施工方往来过密", "reports", "criticism", 12);
    o.record_early_warning(&inspector, &w2).await?;
    let w3 = warning(
        inspector2.unit_id,
        "褚某",
        "设备科职员",
        "在采购询价中未如实记录报价",
        "audit_tour",
        "self_examination",
        8,
    );
    o.record_early_warning(&inspector2, &w3).await?;
    Ok(())
}

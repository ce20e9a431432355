//! The demo's feedback to reporters, made through the use cases: across the units, concluded
//! leads of signed reporters told the result and followed up (most satisfied, some basically,
//! a few not — whose closures the review queue's "still complaining" rule then finds); at the
//! First People's Hospital an acceptance notice, results still owed, and an objection awaiting
//! its answer.

use domain::{
    ledger::{lead::LeadStatus, query::LedgerParams},
    reporters::{
        feedback::{FeedbackInput, FeedbackKind},
        objection::ObjectionInput,
    },
};

use super::PASSWORD;
use crate::{App, AppError, Credentials, LoginKind};

/// At most this many leads are told and followed up (the demo starts in seconds).
const FOLLOWED: usize = 160;

pub(super) async fn seed_feedback(app: &App) -> Result<(), AppError> {
    let who = |name: &'static str| Credentials { username: name, password: PASSWORD, otp: None, client: "demo" };
    let sup = app.protection().login(&who("supervisor"), LoginKind::Browser).await?.actor;
    let inspector = app.protection().login(&who("inspector"), LoginKind::Browser).await?.actor;
    let r = app.reporters();
    let today = domain::dates::format_date(app.today());
    let tell = |kind: FeedbackKind, method: &str, rating: &str, reasons: &str| FeedbackInput {
        kind: kind.code().into(),
        contacted_on: today.clone(),
        method: method.into(),
        rating: rating.into(),
        reasons: reasons.into(),
        ..Default::default()
    };
    let mut followed = 0;
    let mut kept_owed = 0;
    let mut objected = false;
    for page in 1..=20 {
        let params = LedgerParams {
            status: LeadStatus::Concluded.code().into(),
            page: page.to_string(),
            per_page: "100".into(),
            ..Default::default()
        };
        let leads = app.ledger().list(&sup.ledger()?, &params).await?.items;
        if leads.is_empty() || followed >= FOLLOWED {
            break;
        }
        for lead in leads {
            let page = r.feedback(&sup, lead.id).await?;
            if !page.signed || page.may_record != [FeedbackKind::Result] {
                continue;
            }
            // The inspector's own hospital has its objection first, then keeps a few results
            // owed, for its clocks and forms.
            let own = lead.unit_id == inspector.unit_id;
            if own && objected && kept_owed < 2 {
                kept_owed += 1;
                continue;
            }
            if followed >= FOLLOWED {
                break;
            }
            r.record_feedback(&sup, lead.id, &tell(FeedbackKind::Result, "phone", "", "")).await?;
            let (rating, reasons) = match lead.id.get() % 10 {
                0 => ("unsatisfied", "认为处理偏轻，对相关责任人未予追责"),
                1 | 2 => ("basically_satisfied", ""),
                _ => ("satisfied", ""),
            };
            let method = if lead.id.get() % 3 == 0 { "in_person" } else { "phone" };
            r.record_feedback(&sup, lead.id, &tell(FeedbackKind::FollowUp, method, rating, reasons)).await?;
            followed += 1;
            if own && !objected {
                let objection = ObjectionInput {
                    received_on: today.clone(),
                    method: "letter".into(),
                    content: "举报人来信：对办理结果有异议，认为核查未见到其所反映的转账记录，并附上转账截图".into(),
                    new_material: "on".into(),
                };
                r.record_objection(&inspector, lead.id, &objection).await?;
                objected = true;
            }
        }
    }
    // An acceptance notice at the inspector's hospital, by letter.
    let registered = LedgerParams {
        status: LeadStatus::Registered.code().into(),
        unit_id: inspector.unit_id.to_string(),
        per_page: "50".into(),
        ..Default::default()
    };
    for lead in app.ledger().list(&inspector.ledger()?, &registered).await?.items {
        if r.feedback(&inspector, lead.id).await?.may_record.contains(&FeedbackKind::Acceptance) {
            r.record_feedback(&inspector, lead.id, &tell(FeedbackKind::Acceptance, "letter", "", "")).await?;
            break;
        }
    }
    Ok(())
}

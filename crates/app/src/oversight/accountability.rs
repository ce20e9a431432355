//! Accountability (问责) and early intervention (抓早抓小): the committee records accountability
//! decisions over its subtree (from a review returned, a bulletin, a rectification overdue or a
//! lead); a unit's keepers record the early warnings they gave and follow them up. Both are
//! counted per unit.

use std::collections::BTreeMap;

use domain::{
    FieldError, LeadId, UnitId,
    dates::beijing_date,
    ledger::lead_no::LeadNo,
    lifecycle::timeline::Activity,
    oversight::{
        accountability::{
            AccountabilityForm, AccountabilityGround, AccountabilityInput, AccountabilitySource, AccountabilityTarget,
        },
        early_warning::{EarlyWarningInput, Intervention, WarningSource},
    },
    text::Prose,
};
use serde::Serialize;
use store::{
    StoreError,
    ledger::leads,
    oversight::{accountability as acc, rectifications, reviews},
    to_micros,
};
use time::Date;

use super::Oversight;
use crate::{
    Actor, AppError,
    lifecycle::Noted,
    protection::audit::{Event, Who, record},
};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AccountabilityView {
    pub id: i64,
    pub unit_id: UnitId,
    pub unit_name: String,
    pub target: AccountabilityTarget,
    pub person: String,
    pub ground: AccountabilityGround,
    pub form: AccountabilityForm,
    pub decided_on: Date,
    pub doc_no: String,
    pub source: AccountabilitySource,
    pub source_ref: String,
}

/// A unit's count in a register.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UnitCount {
    pub unit_id: UnitId,
    pub unit_name: String,
    pub count: i64,
}

fn per_unit<'a>(rows: impl Iterator<Item = (UnitId, &'a str)>) -> Vec<UnitCount> {
    let mut m: BTreeMap<(String, i64), i64> = BTreeMap::new();
    for (unit, name) in rows {
        *m.entry((name.to_owned(), unit.get())).or_default() += 1;
    }
    m.into_iter()
        .map(|((unit_name, id), count)| UnitCount { unit_id: UnitId::from_raw(id), unit_name, count })
        .collect()
}

/// The decisions of one year, with the count per unit.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AccountabilityBook {
    pub year: i32,
    pub items: Vec<AccountabilityView>,
    pub per_unit: Vec<UnitCount>,
    /// Whether the caller records decisions (the supervising committee).
    pub may_record: bool,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EarlyWarningView {
    pub id: i64,
    pub unit_id: UnitId,
    pub unit_name: String,
    pub person: String,
    pub post: String,
    pub problem: String,
    pub source: WarningSource,
    pub intervention: Intervention,
    pub given_on: Date,
    pub given_by: String,
    pub follow_up: Option<String>,
    pub lead_id: Option<LeadId>,
    pub lead_number: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EarlyWarningBook {
    pub items: Vec<EarlyWarningView>,
    pub per_unit: Vec<UnitCount>,
    /// Whether the caller records warnings (a unit's keepers).
    pub may_record: bool,
}

fn refusal(field: &str, code: &'static str, zh: &str, en: &str) -> AppError {
    AppError::field(FieldError::new(field, code, zh, en))
}

impl Oversight<'_> {
    #[tracing::instrument(name = "oversight.accountability", skip_all)]
    pub async fn accountability(&self, actor: &Actor, year: Option<i32>) -> Result<AccountabilityBook, AppError> {
        let reader = actor.ledger()?;
        // A year out of the calendar's range is this year (a list never answers with an error).
        let this_year = beijing_date(self.now()).year();
        let year = year.filter(|y| (2000..=2100).contains(y)).unwrap_or(this_year);
        let bound = |m, d| Date::from_calendar_date(year, m, d).map_err(|e| AppError::internal(e.to_string()));
        let (from, to) = (bound(time::Month::January, 1)?, bound(time::Month::December, 31)?);
        let mut c = self.reader().await?;
        // A handler or owning leader reads their own leads, not the unit's registers.
        let rows =
            if reader.scope.narrowed() { Vec::new() } else { acc::list(&mut c, &reader.scope, (from, to)).await? };
        let per_unit = per_unit(rows.iter().map(|r| (r.unit_id, r.unit_name.as_str())));
        let items = rows
            .into_iter()
            .map(|r| AccountabilityView {
                id: r.id,
                unit_id: r.unit_id,
                unit_name: r.unit_name,
                target: r.a.target,
                person: r.a.person,
                ground: r.a.ground,
                form: r.a.form,
                decided_on: r.a.decided_on,
                doc_no: r.a.doc_no.into_string(),
                source: r.a.source,
                source_ref: r.a.source_ref,
            })
            .collect();
        Ok(AccountabilityBook { year, items, per_unit, may_record: actor.supervised_scope().is_ok() })
    }

    /// The committee records a decision over a unit of its subtree; its source must be one the
    /// committee can see (a review, a rectification, a lead), or a bulletin named by its title.
    #[tracing::instrument(name = "oversight.record_accountability", skip_all)]
    pub async fn record_accountability(&self, actor: &Actor, input: &AccountabilityInput) -> Result<i64, AppError> {
        let scope = actor.supervised_scope()?;
        let now = self.now();
        let today = beijing_date(now);
        let (unit, a) = super::with_unit(&input.unit_id, input.parse(today))?;
        let mut tx = self.db().begin_write().await?;
        if !rectifications::unit_in_scope(&mut tx, &scope, unit).await? {
            return Err(refusal(
                "unit_id",
                "out_of_scope",
                "该单位不在您的监督范围内。",
                "That unit is not under your supervision.",
            ));
        }
        let unknown =
            || refusal("source_ref", "unknown", "未找到所引用的来源。", "No such source under your supervision.");
        let id_of = |s: &str| s.trim().parse::<i64>().map_err(|_| unknown());
        let source_unit = match a.source {
            AccountabilitySource::Review => {
                reviews::get(&mut tx, &scope, id_of(&a.source_ref)?).await?.map(|(_, r)| r.unit_id)
            }
            AccountabilitySource::Rectification => {
                rectifications::get(&mut tx, &scope, id_of(&a.source_ref)?, today).await?.map(|(_, r)| r.unit_id)
            }
            AccountabilitySource::Lead => {
                let number = LeadNo::parse(&a.source_ref).ok_or_else(unknown)?;
                leads::by_number(&mut tx, &scope, &number).await?.map(|(_, l)| l.unit_id)
            }
            AccountabilitySource::Bulletin => Some(unit),
        };
        // The source must concern the unit held accountable (or a unit below it).
        let Some(source_unit) = source_unit else { return Err(unknown()) };
        if !store::oversight::clearings::unit_within(&mut tx, source_unit, unit).await? {
            return Err(refusal(
                "source_ref",
                "other_unit",
                "所引用的来源不属于被问责单位。",
                "The source cited concerns another unit than the one held accountable.",
            ));
        }
        let id = acc::insert(&mut tx, unit, &a, (actor.id, to_micros(now))).await?;
        let detail = format!("unit {unit}, {} {} ({} {})", a.ground, a.form, a.source, a.source_ref);
        record(
            &mut tx,
            self,
            now,
            Who::User(actor),
            Event::new("accountability.record", "accountability", id).detail(detail),
        )
        .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(id)
    }

    #[tracing::instrument(name = "oversight.early_warnings", skip_all)]
    pub async fn early_warnings(&self, actor: &Actor) -> Result<EarlyWarningBook, AppError> {
        let reader = actor.ledger()?;
        let mut c = self.reader().await?;
        let rows = if reader.scope.narrowed() { Vec::new() } else { acc::warnings(&mut c, &reader.scope).await? };
        let per_unit = per_unit(rows.iter().map(|r| (r.unit_id, r.unit_name.as_str())));
        let items = rows
            .into_iter()
            .map(|w| EarlyWarningView {
                id: w.id,
                unit_id: w.unit_id,
                unit_name: w.unit_name,
                person: w.person,
                post: w.post,
                problem: w.problem,
                source: w.source,
                intervention: w.intervention,
                given_on: w.given_on,
                given_by: w.given_by,
                follow_up: w.follow_up,
                lead_id: w.lead.as_ref().map(|l| l.0),
                lead_number: w.lead.map(|l| l.1),
            })
            .collect();
        Ok(EarlyWarningBook { items, per_unit, may_record: actor.ledger_keeper().is_ok() })
    }

    /// A unit's keeper records an early warning given in one of their units.
    #[tracing::instrument(name = "oversight.record_early_warning", skip_all)]
    pub async fn record_early_warning(&self, actor: &Actor, input: &EarlyWarningInput) -> Result<i64, AppError> {
        let keeper = actor.ledger_keeper()?;
        let now = self.now();
        let (unit, w) = super::with_unit(&input.unit_id, input.parse(beijing_date(now)))?;
        let mut tx = self.db().begin_write().await?;
        if !rectifications::unit_in_scope(&mut tx, &keeper.scope, unit).await? {
            return Err(refusal("unit_id", "out_of_scope", "只能登记本单位的情况。", "Only your own units'."));
        }
        let id = acc::insert_warning(&mut tx, unit, &w, (actor.id, to_micros(now))).await?;
        let event =
            Event::new("early_warning.record", "early_warning", id).detail(format!("unit {unit}, {}", w.intervention));
        record(&mut tx, self, now, Who::User(actor), event).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(id)
    }

    /// The keeper records how it was followed up, and the lead it grew into (by number), if any.
    #[tracing::instrument(name = "oversight.follow_up_warning", skip_all)]
    pub async fn follow_up_warning(&self, actor: &Actor, id: i64, text: &str, lead: &str) -> Result<(), AppError> {
        let keeper = actor.ledger_keeper()?;
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        acc::get_warning(&mut tx, &keeper.scope, id).await?.ok_or(AppError::NotFound)?;
        let text = Prose::<2000>::parse("follow_up", text).map_err(AppError::field)?;
        let handle = match lead.trim() {
            "" => None,
            s => {
                let unknown = || {
                    refusal(
                        "lead",
                        "unknown_lead",
                        "线索不存在或不在您的管辖范围内。",
                        "No such lead within your jurisdiction.",
                    )
                };
                let number = LeadNo::parse(s).ok_or_else(unknown)?;
                Some(leads::by_number(&mut tx, &keeper.scope, &number).await?.ok_or_else(unknown)?.0)
            }
        };
        acc::follow_up(&mut tx, id, text.as_str(), handle.as_ref()).await?;
        if let Some(h) = &handle {
            let noted = Noted { activity: Activity::EarlyWarning, note: Some(text.as_str()), payload: None };
            self.note_activity(&mut tx, h, actor.id, now, noted).await?;
        }
        let detail = handle.map(|h| format!("lead {}", h.id())).unwrap_or_default();
        record(
            &mut tx,
            self,
            now,
            Who::User(actor),
            Event::new("early_warning.follow_up", "early_warning", id).detail(detail),
        )
        .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }
}

//! Ledger use cases: list, read, register, edit.

use domain::{
    FieldError, LeadId, UnitId,
    dates::beijing_date,
    lead::{Lead, LeadDraft, LeadInput, LeadStatus, default_deadline},
    lead_no::LeadNo,
    ledger::LedgerParams,
    ledger::Scope,
    person::names_head_of,
    subject::{Reporter, ReporterKind},
    unit::Unit,
};
use serde::Serialize;
use store::{
    Conn, StoreError, campaigns,
    leads::{self, ChangeOutcome, LeadChange, NewLead},
    to_micros, units,
};

use crate::{
    Actor, App, AppError, LedgerKeeper, LedgerReader,
    audit::{Event, Who, record},
    reporters::{identity_on_file, protected, write_reporter},
};

#[derive(Debug, Clone, Serialize)]
pub struct LeadPage {
    pub items: Vec<Lead>,
    pub total: i64,
    pub page: u32,
    pub per_page: u32,
}

impl LeadPage {
    pub fn page_count(&self) -> u32 {
        let pages = (self.total.max(0) as u64).div_ceil(u64::from(self.per_page.max(1)));
        pages.max(1) as u32
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct LeadDetail {
    #[serde(flatten)]
    pub lead: Lead,
    pub reporter: Reporter,
    pub created_by_name: String,
    pub updated_by_name: String,
    pub campaign_name: String,
    pub can_edit: bool,
}

async fn display_name(c: &mut Conn, id: domain::UserId) -> Result<String, AppError> {
    Ok(store::users::get(c, id).await?.map(|u| u.display_name).unwrap_or_default())
}

/// What an edit submits: the fields and the version the editor started from.
#[derive(Debug, Clone)]
pub struct SaveLead {
    pub input: LeadInput,
    pub expected_version: i64,
}

fn unit_not_allowed() -> FieldError {
    FieldError::new(
        "unit_id",
        "unknown_unit",
        "单位不存在或不在您的管辖范围内。",
        "No such unit within your jurisdiction.",
    )
}

/// Where a lead is held: its own unit, or the parent body when it names the unit's own
/// head (that head, and the unit, then cannot see it). Returns the holder and, if sent up,
/// the unit it came from.
async fn route(c: &mut Conn, draft: &LeadDraft, unit: Unit) -> Result<(Unit, Option<UnitId>), AppError> {
    if !names_head_of(&draft.subjects, &unit.name) {
        return Ok((unit, None));
    }
    let Some(parent) = unit.parent else { return Ok((unit, None)) };
    let holder = units::get(c, parent).await?.ok_or_else(|| AppError::Internal(format!("unit {parent} vanished")))?;
    Ok((holder, Some(unit.id)))
}

/// Checks that the draft's unit exists in the keeper's subtrees.
async fn check_unit(c: &mut Conn, keeper: &LedgerKeeper, draft: &LeadDraft) -> Result<domain::unit::Unit, AppError> {
    let unit = units::get(c, draft.unit_id).await?.ok_or_else(|| AppError::field(unit_not_allowed()))?;
    if !units::within(c, keeper.scope.roots(), unit.id).await? {
        return Err(AppError::field(unit_not_allowed()));
    }
    Ok(unit)
}

impl App {
    pub async fn list_leads(&self, reader: &LedgerReader, params: &LedgerParams) -> Result<LeadPage, AppError> {
        let q = params.parse()?;
        let mut c = self.reader().await?;
        let items = leads::list(&mut c, &reader.scope, &q).await?;
        let total = leads::count(&mut c, &reader.scope, &q.filter).await?;
        Ok(LeadPage { items, total, page: q.page, per_page: q.per_page })
    }

    /// One lead, without recording a view (for internal use and tests).
    pub async fn lead(&self, reader: &LedgerReader, id: LeadId) -> Result<Lead, AppError> {
        let mut c = self.reader().await?;
        leads::get(&mut c, &reader.scope, id).await?.ok_or(AppError::NotFound)
    }

    /// Everything the lead page shows: the lead, its reporter as the caller may see it
    /// (the kind only: identity is for a custodian's reveal), the names behind the record,
    /// and whether the caller may edit it. The view itself is audited.
    pub async fn lead_detail(&self, actor: &Actor, id: LeadId) -> Result<LeadDetail, AppError> {
        let reader = actor.ledger()?;
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        let lead = leads::get(&mut tx, &reader.scope, id).await?.ok_or(AppError::NotFound)?;
        let reporter = leads::reporter(&mut tx, &reader.scope, id).await?.map(|r| protected(&r)).unwrap_or(Reporter {
            kind: ReporterKind::Anonymous,
            name: None,
            contact: None,
        });
        let created_by_name = display_name(&mut tx, lead.created_by).await?;
        let updated_by_name = display_name(&mut tx, lead.updated_by).await?;
        let campaign_name = campaigns::get(&mut tx, lead.campaign_id).await?.map(|c| c.plan.name).unwrap_or_default();
        let can_edit = match actor.ledger_keeper() {
            Ok(k) => leads::get(&mut tx, &k.scope, id).await?.is_some(),
            Err(_) => false,
        };
        record(&mut tx, self, now, Who::User(actor), Event::new("lead.view", "lead", id)).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(LeadDetail { lead, reporter, created_by_name, updated_by_name, campaign_name, can_edit })
    }

    /// Registers a lead: checks the input, numbers it, seals the reporter's identity and
    /// records it in the audit trail, all in one transaction.
    pub async fn register_lead(&self, keeper: &LedgerKeeper, input: &LeadInput) -> Result<Lead, AppError> {
        let now = self.now();
        let today = beijing_date(now);
        let draft = input.parse(today)?;
        let mut tx = self.db().begin_write().await?;
        let unit = check_unit(&mut tx, keeper, &draft).await?;
        let campaign = campaigns::current(&mut tx).await?.ok_or_else(|| {
            AppError::field(FieldError::new(
                "campaign",
                "no_campaign",
                "尚未设置专项工作，请联系管理员。",
                "No campaign is set up yet; ask an administrator.",
            ))
        })?;
        let (holder, routed_from) = route(&mut tx, &draft, unit).await?;
        let sequence = leads::next_sequence(&mut tx, holder.id, today.year()).await?;
        let number = LeadNo::new(&holder.code, today.year(), sequence);
        let id = leads::insert(
            &mut tx,
            &NewLead {
                draft: &draft,
                unit: holder.id,
                routed_from,
                number: &number,
                campaign_id: campaign.id,
                deadline: draft.deadline.unwrap_or_else(|| default_deadline(&campaign.plan, draft.received_on)),
                status: LeadStatus::Registered,
                stock_class: campaign.plan.stock_class(draft.received_on),
                actor: keeper.actor.id,
                now: to_micros(now),
            },
        )
        .await?;
        leads::set_reporter(&mut tx, id, &self.seal_reporter(id, &draft.reporter)?).await?;
        // Read back where the lead now lives: a lead sent up is no longer the keeper's to see.
        let lead = leads::get(&mut tx, &Scope::of_unit(holder.id), id).await?.ok_or(AppError::NotFound)?;
        record(
            &mut tx,
            self,
            now,
            Who::User(&keeper.actor),
            Event::new("lead.register", "lead", id).after(&lead).detail(format!("reporter: {}", draft.reporter.kind)),
        )
        .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(lead)
    }

    /// Saves an edit if nobody saved since `expected_version`; before and after go to the
    /// audit trail with the change.
    pub async fn update_lead(&self, keeper: &LedgerKeeper, id: LeadId, save: &SaveLead) -> Result<Lead, AppError> {
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        let existing = leads::get(&mut tx, &keeper.scope, id).await?.ok_or(AppError::NotFound)?;
        let old_reporter = leads::reporter(&mut tx, &keeper.scope, id).await?;
        let draft = save.input.parse_with(beijing_date(now), identity_on_file(old_reporter.as_ref()))?;
        let unit = check_unit(&mut tx, keeper, &draft).await?;
        let (holder, routed_from) = route(&mut tx, &draft, unit).await?;
        let campaign = campaigns::get(&mut tx, existing.campaign_id)
            .await?
            .ok_or_else(|| AppError::Internal(format!("lead {id} has no campaign")))?;
        let outcome = leads::update(
            &mut tx,
            &keeper.scope,
            id,
            &LeadChange {
                draft: &draft,
                unit: holder.id,
                routed_from,
                deadline: draft.deadline.unwrap_or_else(|| default_deadline(&campaign.plan, draft.received_on)),
                stock_class: campaign.plan.stock_class(draft.received_on),
                expected_version: save.expected_version,
                actor: keeper.actor.id,
                now: to_micros(now),
            },
        )
        .await?;
        match outcome {
            ChangeOutcome::Saved { .. } => {}
            ChangeOutcome::Stale { current_version } => return Err(AppError::Stale { current_version }),
            ChangeOutcome::NotFound => return Err(AppError::NotFound),
        }
        write_reporter(&mut tx, self, id, &draft.reporter, old_reporter.as_ref()).await?;
        let lead = leads::get(&mut tx, &Scope::of_unit(holder.id), id).await?.ok_or(AppError::NotFound)?;
        record(
            &mut tx,
            self,
            now,
            Who::User(&keeper.actor),
            Event::new("lead.update", "lead", id).before(&existing).after(&lead),
        )
        .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(lead)
    }
}

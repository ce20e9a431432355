//! Ledger use cases: list, read, register, edit.

use super::Ledger;
use domain::{
    FieldError, LeadId, UnitId, dates::beijing_date, ledger::campaign::Campaign, ledger::campaign::StockClass,
    ledger::lead::Lead, ledger::lead::LeadDraft, ledger::lead::LeadInput, ledger::lead::LeadStatus,
    ledger::lead_no::LeadNo, ledger::query::LedgerParams, ledger::routing::names_head_of, ledger::unit::Unit,
    protection::scope::Scope, reporters::Reporter, reporters::ReporterKind,
};
use serde::Serialize;
use store::{
    Conn, StoreError, ledger::campaigns, ledger::leads, ledger::leads::ChangeOutcome, ledger::leads::LeadChange,
    ledger::leads::NewLead, ledger::units, to_micros,
};

use crate::{
    Actor, AppError, LedgerKeeper, LedgerReader, protection::audit::Event, protection::audit::Who,
    protection::audit::record, reporters::identity::identity_on_file, reporters::identity::protected,
    reporters::identity::write_reporter,
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
    Ok(store::protection::users::get(c, id).await?.map(|u| u.display_name).unwrap_or_default())
}

/// What the audit trail keeps of a lead: identifiers and state, never its content (the
/// auditor reads no lead content; 三员分立).
#[derive(Serialize)]
struct Trace<'a> {
    number: &'a str,
    unit_id: i64,
    status: &'a str,
    version: i64,
    subjects: usize,
}

impl<'a> Trace<'a> {
    fn of(l: &'a Lead) -> Self {
        Self {
            number: l.number.as_str(),
            unit_id: l.unit_id.get(),
            status: l.status.code(),
            version: l.version,
            subjects: l.subjects.len(),
        }
    }
}

/// The names of the fields an edit changed (names only, not values).
fn changed_fields(a: &Lead, b: &Lead) -> Vec<&'static str> {
    let mut out = Vec::new();
    let mut check = |name, same: bool| {
        if !same {
            out.push(name);
        }
    };
    check("unit_id", a.unit_id == b.unit_id);
    check("source", a.source == b.source);
    check("source_doc_no", a.source_doc_no == b.source_doc_no);
    check("assigning_body", a.assigning_body == b.assigning_body);
    check("received_on", a.received_on == b.received_on);
    check("category", a.category == b.category);
    check("problem_domain", a.problem_domain == b.problem_domain);
    check("summary", a.summary == b.summary);
    check("important", a.important == b.important);
    check("handling_mode", a.handling_mode == b.handling_mode);
    check("responsible_leader", a.responsible_leader == b.responsible_leader);
    check("responsible_person", a.responsible_person == b.responsible_person);
    check("deadline", a.deadline == b.deadline);
    check("subjects", a.subjects == b.subjects);
    out
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

/// The units at the top of the unit tree, as last read: they change about never, and what they
/// decide (how a ledger page is planned) cannot change a result, so a minute-old answer will do
/// and saves every page a statement.
#[derive(Clone, Default)]
pub(crate) struct TopUnits(std::sync::Arc<std::sync::Mutex<Option<ReadAt>>>);

type ReadAt = (std::time::Instant, Vec<domain::UnitId>);

const TOP_UNITS_FOR: std::time::Duration = std::time::Duration::from_secs(60);

impl Ledger<'_> {
    async fn starts_at_a_top_unit(&self, c: &mut store::Conn, scope: &Scope) -> Result<bool, AppError> {
        let cached = self.top_units.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone();
        let tops = match cached {
            Some((at, tops)) if at.elapsed() < TOP_UNITS_FOR => tops,
            _ => {
                let tops = store::ledger::units::top_level(c).await?;
                *self.top_units.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner) =
                    Some((std::time::Instant::now(), tops.clone()));
                tops
            }
        };
        Ok(scope.roots().iter().any(|r| tops.contains(r)))
    }

    /// A lead's deadline when registered or edited: the one typed in (stock leads no later
    /// than the clearance deadline), or the rule for its status. The clock of a new lead
    /// starts at receipt; a stock lead's when it enters the ledger (during the sorting-out).
    fn initial_deadline(
        &self,
        draft: &LeadDraft,
        campaign: &Campaign,
        status: LeadStatus,
        started: Option<time::Date>,
        today: time::Date,
    ) -> Result<(time::Date, store::ledger::leads::Timing), AppError> {
        let stock = campaign.plan.stock_class(draft.received_on);
        let base = started.unwrap_or(if stock == StockClass::Stock { today } else { draft.received_on });
        if let Some(d) = draft.deadline {
            if stock == StockClass::Stock && d > campaign.plan.clearance_deadline {
                return Err(AppError::field(FieldError::new(
                    "deadline",
                    "after_clearance",
                    format!(
                        "存量线索的办结期限不能晚于清零期限 {}；确需延期请申请延期。",
                        domain::dates::format_date(campaign.plan.clearance_deadline)
                    ),
                    format!(
                        "A stock lead is due by the clearance deadline {}; request an extension if needed.",
                        domain::dates::format_date(campaign.plan.clearance_deadline)
                    ),
                )));
            }
            return Ok((d, store::ledger::leads::Timing { rule: None, started: base, provisional: false }));
        }
        self.schedule(status, base, campaign, stock)
            .or_else(|| self.schedule(LeadStatus::Registered, base, campaign, stock))
            .ok_or_else(|| AppError::Internal("no deadline rule".into()))
    }
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
async fn check_unit(
    c: &mut Conn,
    keeper: &LedgerKeeper,
    draft: &LeadDraft,
) -> Result<domain::ledger::unit::Unit, AppError> {
    let unit = units::get(c, draft.unit_id).await?.ok_or_else(|| AppError::field(unit_not_allowed()))?;
    if !units::within(c, keeper.scope.roots(), unit.id).await? {
        return Err(AppError::field(unit_not_allowed()));
    }
    Ok(unit)
}

impl Ledger<'_> {
    #[tracing::instrument(name = "ledger.list", skip_all)]
    pub async fn list(&self, reader: &LedgerReader, params: &LedgerParams) -> Result<LeadPage, AppError> {
        let mut q = params.parse()?;
        if q.filter.overdue {
            q.filter.overdue_before = Some(self.today());
        }
        let mut c = self.reader().await?;
        let whole_tree = self.starts_at_a_top_unit(&mut c, &reader.scope).await?;
        let (items, total) = store::ledger::pages::page(&mut c, &reader.scope, &q, whole_tree).await?;
        Ok(LeadPage { items, total, page: q.page, per_page: q.per_page })
    }

    /// One lead, without recording a view (for internal use and tests).
    #[tracing::instrument(name = "ledger.lead", skip_all)]
    pub async fn lead(&self, reader: &LedgerReader, id: LeadId) -> Result<Lead, AppError> {
        let mut c = self.reader().await?;
        leads::get(&mut c, &reader.scope, id).await?.ok_or(AppError::NotFound)
    }

    /// Everything the lead page shows: the lead, its reporter as the caller may see it
    /// (the kind only: identity is for a custodian's reveal), the names behind the record,
    /// and whether the caller may edit it. The view itself is audited.
    #[tracing::instrument(name = "ledger.detail", skip_all)]
    pub async fn detail(&self, actor: &Actor, id: LeadId) -> Result<LeadDetail, AppError> {
        let reader = actor.ledger()?;
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        let lead = leads::get(&mut tx, &reader.scope, id).await?.ok_or(AppError::NotFound)?;
        let reporter = store::reporters::identity::reporter(&mut tx, &reader.scope, id)
            .await?
            .map(|r| protected(&r))
            .unwrap_or(Reporter { kind: ReporterKind::Anonymous, name: None, contact: None });
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
    #[tracing::instrument(name = "ledger.register", skip_all)]
    pub async fn register(&self, keeper: &LedgerKeeper, input: &LeadInput) -> Result<Lead, AppError> {
        let now = self.now();
        let today = beijing_date(now);
        let mut draft = input.parse(today)?;
        let mut tx = self.db().begin_write().await?;
        let unit = check_unit(&mut tx, keeper, &draft).await?;
        // A subject without a unit is taken to belong to the registering unit.
        for s in draft.subjects.iter_mut().filter(|s| s.unit_name.trim().is_empty()) {
            s.unit_name = unit.name.clone();
        }
        let campaign = campaigns::current(&mut tx).await?.ok_or_else(|| {
            AppError::field(FieldError::new(
                "campaign",
                "no_campaign",
                "尚未设置专项工作，请联系管理员。",
                "No campaign is set up yet; ask an administrator.",
            ))
        })?;
        let (holder, routed_from) = route(&mut tx, &draft, unit).await?;
        let (deadline, timing) = self.initial_deadline(&draft, &campaign, LeadStatus::Registered, None, today)?;
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
                deadline,
                timing,
                status: LeadStatus::Registered,
                stock_class: campaign.plan.stock_class(draft.received_on),
                actor: keeper.actor.id,
                now: to_micros(now),
            },
        )
        .await?;
        store::reporters::identity::set_reporter(&mut tx, id, &self.seal_reporter(id, &draft.reporter)?).await?;
        // Read back where the lead now lives: a lead sent up is no longer the keeper's to see.
        let lead = leads::get(&mut tx, &Scope::of_unit(holder.id), id).await?.ok_or(AppError::NotFound)?;
        record(
            &mut tx,
            self,
            now,
            Who::User(&keeper.actor),
            Event::new("lead.register", "lead", id)
                .after(&Trace::of(&lead))
                .detail(format!("reporter: {}", draft.reporter.kind)),
        )
        .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(lead)
    }

    /// Saves an edit if nobody saved since `expected_version`; before and after go to the
    /// audit trail with the change.
    #[tracing::instrument(name = "ledger.update", skip_all)]
    pub async fn update(&self, keeper: &LedgerKeeper, id: LeadId, save: &SaveLead) -> Result<Lead, AppError> {
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        let existing = leads::get(&mut tx, &keeper.scope, id).await?.ok_or(AppError::NotFound)?;
        let old_reporter = store::reporters::identity::reporter(&mut tx, &keeper.scope, id).await?;
        let mut draft = save.input.parse_with(beijing_date(now), identity_on_file(old_reporter.as_ref()))?;
        let unit = check_unit(&mut tx, keeper, &draft).await?;
        for s in draft.subjects.iter_mut().filter(|s| s.unit_name.trim().is_empty()) {
            s.unit_name = unit.name.clone();
        }
        // A lead already sent up stays where it went; only a new head subject sends one up.
        let (holder, routed_from) =
            if existing.routed_from_unit_id.is_some() { (unit, None) } else { route(&mut tx, &draft, unit).await? };
        let campaign = campaigns::get(&mut tx, existing.campaign_id)
            .await?
            .ok_or_else(|| AppError::Internal(format!("lead {id} has no campaign")))?;
        let (deadline, timing) = match draft.deadline {
            None => (
                existing.deadline,
                store::ledger::leads::Timing {
                    rule: existing.deadline_rule,
                    started: existing.clock_started_on.unwrap_or(existing.received_on),
                    provisional: existing.deadline_provisional,
                },
            ),
            Some(_) => {
                self.initial_deadline(&draft, &campaign, existing.status, existing.clock_started_on, beijing_date(now))?
            }
        };
        let outcome = leads::update(
            &mut tx,
            &keeper.scope,
            id,
            &LeadChange {
                draft: &draft,
                unit: holder.id,
                routed_from,
                deadline,
                timing,
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
            Event::new("lead.update", "lead", id)
                .before(&Trace::of(&existing))
                .after(&Trace::of(&lead))
                .detail(format!("changed: {}", changed_fields(&existing, &lead).join(", "))),
        )
        .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(lead)
    }
}

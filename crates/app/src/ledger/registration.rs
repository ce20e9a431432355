//! Registering and editing leads: checked input, numbering, routing (a lead about the unit's
//! own head goes up a level), sealing the reporter's identity, the audit entry.

use domain::{
    FieldError, LeadId, UnitId,
    dates::beijing_date,
    ledger::{
        campaign::{Campaign, Membership, StockClass, campaign_for, owners_required},
        lead::{Lead, LeadDraft, LeadInput, LeadStatus},
        lead_no::LeadNo,
        repeats::RepeatDecision,
    },
};
use serde::Serialize;
use store::{
    Conn, StoreError, Tx,
    ledger::{
        campaigns,
        leads::{self, ChangeOutcome, LeadChange},
        units,
    },
    to_micros,
};

use super::Ledger;
use crate::{
    AppError, LedgerKeeper,
    protection::audit::{Event, Who, record},
    reporters::identity::{identity_on_file, write_reporter},
};

/// Where a lead registered (or saved) by a keeper now is.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Registered {
    /// In the keeper's sight, as registered.
    Visible { lead: Box<Lead> },
    /// It names the unit's own head and went up a level: no longer the keeper's to read
    /// (回避). They learn its number and where it went, nothing more.
    SentUp { number: LeadNo, sent_to: String },
    /// It may name the keeper themselves (回避): kept from them from now on. They learn its
    /// number, nothing more; a supervisor may find it is someone else.
    Recused { number: LeadNo },
}

impl Registered {
    /// The lead, when it stayed in the keeper's sight.
    pub fn into_visible(self) -> Option<Lead> {
        match self {
            Registered::Visible { lead } => Some(*lead),
            Registered::SentUp { .. } | Registered::Recused { .. } => None,
        }
    }

    pub fn number(&self) -> &LeadNo {
        match self {
            Registered::Visible { lead } => &lead.number,
            Registered::SentUp { number, .. } | Registered::Recused { number } => number,
        }
    }
}

/// Whether the keeper still sees `lead` after the write.
pub(super) async fn where_it_is(c: &mut Conn, keeper: &LedgerKeeper, lead: Lead) -> Result<Registered, AppError> {
    if leads::get(c, &keeper.reader.scope, lead.id).await?.is_some() {
        return Ok(Registered::Visible { lead: Box::new(lead) });
    }
    if store::protection::recusals::is_recused(c, lead.id, keeper.reader.actor.id).await? {
        return Ok(Registered::Recused { number: lead.number });
    }
    Ok(Registered::SentUp { number: lead.number, sent_to: lead.unit_name })
}

/// What the audit trail keeps of a lead: identifiers and state, never its content (the
/// auditor reads no lead content; 三员分立).
#[derive(Serialize)]
pub(super) struct Trace<'a> {
    number: &'a str,
    unit_id: i64,
    status: &'a str,
    version: i64,
    subjects: usize,
}

impl<'a> Trace<'a> {
    pub(super) fn of(l: &'a Lead) -> Self {
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

impl Ledger<'_> {
    /// A lead's deadline when registered or edited: the one typed in (stock leads no later
    /// than the clearance deadline), or the rule for its status. The clock of a new lead
    /// starts at receipt; a stock lead's when it enters the ledger (during the sorting-out).
    pub(super) fn initial_deadline(
        &self,
        draft: &LeadDraft,
        campaign: Option<&Campaign>,
        status: LeadStatus,
        started: Option<time::Date>,
    ) -> Result<(time::Date, store::ledger::leads::Timing), AppError> {
        let stock = stock_class(campaign, draft);
        // The disposition clock runs from receipt, for stock leads too (issue 11): a stock
        // lead registered long after it came in is already late, which is what the
        // sorting-out (全面梳理) is for.
        let base = started.unwrap_or(draft.received_on);
        if let Some(d) = draft.deadline {
            if let Some(campaign) = campaign.filter(|_| stock == StockClass::Stock)
                && d > campaign.plan.clearance_deadline
            {
                return Err(AppError::field(FieldError::new(
                    "deadline",
                    "after_clearance",
                    format!(
                        "存量线索的期限不能晚于清零期限 {}；确需延期请申请延期。",
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
            .ok_or_else(|| AppError::internal("no deadline rule"))
    }
}

pub(super) fn stock_class(campaign: Option<&Campaign>, draft: &LeadDraft) -> StockClass {
    campaign.map_or(StockClass::Ordinary, |k| k.plan.stock_class(draft.received_on))
}

/// The campaign the lead belongs to, held by `holder`: the latest open one whose scope covers
/// it, or none (ordinary handling). A lead of a closed campaign stays in it: its figures are
/// final.
pub(super) async fn membership(
    c: &mut Conn,
    holder: UnitId,
    draft: &LeadDraft,
    current: Option<domain::CampaignId>,
) -> Result<Option<Campaign>, AppError> {
    if let Some(id) = current
        && campaigns::closed(c, id).await? == Some(true)
    {
        return Ok(campaigns::get(c, id).await?);
    }
    let open = campaigns::open_for_unit(c, holder).await?;
    let lead = Membership { category: draft.category, source: draft.source, received_on: draft.received_on };
    Ok(campaign_for(open.iter().map(|(k, inside)| (k, *inside)), &lead).cloned())
}

/// The owners a stock lead must name, as one refusal.
pub(super) fn check_owners(campaign: Option<&Campaign>, draft: &LeadDraft) -> Result<(), AppError> {
    let missing = owners_required(
        stock_class(campaign, draft),
        draft.responsible_leader.as_deref(),
        draft.responsible_person.as_deref(),
    );
    if missing.is_empty() { Ok(()) } else { Err(AppError::Invalid(domain::Invalid(missing))) }
}

impl Ledger<'_> {
    /// Keys the subjects' ID-number digests under the person key: only keyed hashes are kept.
    pub(super) fn key_id_numbers(&self, draft: &mut LeadDraft) {
        for s in &mut draft.subjects {
            s.id_number_hash = s.id_number_hash.take().map(|digest| self.keyring().person_hash(&digest));
        }
    }
}

/// Checks that the draft's unit exists in the keeper's subtrees.
async fn check_unit(
    c: &mut Conn,
    keeper: &LedgerKeeper,
    draft: &LeadDraft,
) -> Result<domain::ledger::unit::Unit, AppError> {
    unit_in_scope(c, keeper, draft.unit_id).await
}

/// The unit `id`, if it lies in the keeper's subtrees (a lead is registered, or a ledger
/// imported, only there).
pub(super) async fn unit_in_scope(
    c: &mut Conn,
    keeper: &LedgerKeeper,
    id: UnitId,
) -> Result<domain::ledger::unit::Unit, AppError> {
    let unit = units::get(c, id).await?.ok_or_else(|| AppError::field(unit_not_allowed()))?;
    if !units::within(c, keeper.scope.roots(), unit.id).await? {
        return Err(AppError::field(unit_not_allowed()));
    }
    Ok(unit)
}

impl Ledger<'_> {
    /// Registers a lead: checks the input, numbers it, seals the reporter's identity and
    /// records it in the audit trail, all in one transaction.
    #[tracing::instrument(name = "ledger.register", skip_all)]
    pub async fn register(&self, keeper: &LedgerKeeper, input: &LeadInput) -> Result<Registered, AppError> {
        self.register_decided(keeper, input, None).await
    }

    /// As [`Ledger::register`], with the keeper's decision on the earlier leads it may repeat
    /// (重复件): a new lead, or a repeat merged at once into the lead named (the 合并 step, in the
    /// same transaction). Without a decision, candidates found are kept as undecided.
    #[tracing::instrument(name = "ledger.register_decided", skip_all)]
    pub async fn register_decided(
        &self,
        keeper: &LedgerKeeper,
        input: &LeadInput,
        decision: Option<RepeatDecision>,
    ) -> Result<Registered, AppError> {
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        let (_, outcome) = self.register_in(&mut tx, keeper, input, decision, now).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(outcome)
    }

    /// [`Ledger::register_decided`] in the caller's transaction (a portal report registered and
    /// linked at once); the new lead's id with where it is.
    pub(crate) async fn register_in(
        &self,
        tx: &mut Tx,
        keeper: &LedgerKeeper,
        input: &LeadInput,
        decision: Option<RepeatDecision>,
        now: time::OffsetDateTime,
    ) -> Result<(LeadId, Registered), AppError> {
        let today = beijing_date(now);
        let mut draft = input.parse(today)?;
        self.key_id_numbers(&mut draft);
        let unit = check_unit(tx, keeper, &draft).await?;
        // A subject without a unit is taken to belong to the registering unit.
        for s in draft.subjects.iter_mut().filter(|s| s.unit_name.trim().is_empty()) {
            s.unit_name = unit.name.clone();
        }
        let from = unit.clone();
        let routed = super::routing::route(tx, &draft, unit).await?;
        let (holder, routed_from) = (routed.holder, routed.sent.map(|(u, _)| u));
        let campaign = membership(tx, holder.id, &draft, None).await?;
        check_owners(campaign.as_ref(), &draft)?;
        let arrival = super::insertion::Arrival {
            status: LeadStatus::Registered,
            original_no: None,
            sent_up: routed.sent.is_some(),
            campaign: campaign.as_ref(),
        };
        let (handle, deadline) = self.insert_new(tx, keeper, &draft, (&holder, routed_from), &arrival, now).await?;
        let lead = leads::by_handle(tx, &handle).await?;
        if let Some((_, why)) = routed.sent {
            let ends = (&from, &holder);
            super::routing::tell_both_ends(tx, (&handle, lead.number.as_str()), ends, why, deadline, to_micros(now))
                .await?;
        }
        let id = lead.id;
        let found = self.candidates(tx, &keeper.reader.scope, &draft, Some(id)).await?;
        // A repeat is merged only where the keeper still holds it (not sent up, not kept from
        // them); otherwise the decision is left to whoever holds it now.
        let holds = leads::get(tx, &keeper.scope, id).await?.is_some();
        let decision = decision.filter(|d| holds || *d == RepeatDecision::New);
        self.record_repeats(tx, &handle, &found, decision.as_ref(), (keeper.actor.id, to_micros(now))).await?;
        record(
            tx,
            self,
            now,
            Who::User(&keeper.actor),
            Event::new("lead.register", "lead", id)
                .after(&Trace::of(&lead))
                .detail(format!("reporter: {}", draft.reporter.kind)),
        )
        .await?;
        let lead = match decision {
            Some(RepeatDecision::Merge(into)) => {
                let step = crate::StepInput {
                    step: domain::lifecycle::step::Step::Merge.code().into(),
                    merge_into: into.to_string(),
                    note: "登记时认定为重复件".into(),
                    ..Default::default()
                };
                // The merge's refusals name the form's choice, not the step form's field.
                self.lifecycle().take_step_in(tx, keeper, id, &step, now).await.map_err(|e| match e {
                    AppError::Invalid(mut i) => {
                        for f in &mut i.0 {
                            if f.field == "merge_into" {
                                f.field = "repeat".into();
                            }
                        }
                        AppError::Invalid(i)
                    }
                    other => other,
                })?;
                leads::by_handle(tx, &handle).await?
            }
            _ => lead,
        };
        let outcome = where_it_is(tx, keeper, lead).await?;
        Ok((id, outcome))
    }

    /// Saves an edit if nobody saved since `expected_version`; before and after go to the
    /// audit trail with the change.
    #[tracing::instrument(name = "ledger.update", skip_all)]
    pub async fn update(&self, keeper: &LedgerKeeper, id: LeadId, save: &SaveLead) -> Result<Registered, AppError> {
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        let (handle, existing) = leads::get(&mut tx, &keeper.scope, id).await?.ok_or(AppError::NotFound)?;
        let old_reporter = store::reporters::identity::reporter(&mut tx, &handle).await?;
        let mut draft = save.input.parse_with(beijing_date(now), identity_on_file(old_reporter.as_ref()))?;
        self.key_id_numbers(&mut draft);
        let unit = check_unit(&mut tx, keeper, &draft).await?;
        for s in draft.subjects.iter_mut().filter(|s| s.unit_name.trim().is_empty()) {
            s.unit_name = unit.name.clone();
        }
        // A lead already sent up stays where it went; only a new head subject sends one up.
        let (holder, routed_from) = if existing.routed_from_unit_id.is_some() {
            (unit, None)
        } else {
            let r = super::routing::route(&mut tx, &draft, unit).await?;
            (r.holder, r.sent.map(|(u, _)| u))
        };
        let campaign = membership(&mut tx, holder.id, &draft, existing.campaign_id).await?;
        check_owners(campaign.as_ref(), &draft)?;
        let (deadline, timing) = match draft.deadline {
            None => (
                existing.deadline,
                store::ledger::leads::Timing {
                    rule: existing.deadline_rule,
                    started: existing.clock_started_on.unwrap_or(existing.received_on),
                    provisional: existing.deadline_provisional,
                },
            ),
            Some(_) => self.initial_deadline(&draft, campaign.as_ref(), existing.status, existing.clock_started_on)?,
        };
        let outcome = leads::update(
            &mut tx,
            &handle,
            &LeadChange {
                draft: &draft,
                person_key: self.keyring().person_key_id(),
                unit: holder.id,
                routed_from,
                campaign_id: campaign.as_ref().map(|k| k.id),
                deadline,
                timing,
                stock_class: stock_class(campaign.as_ref(), &draft),
                expected_version: save.expected_version,
                actor: keeper.actor.id,
                now: to_micros(now),
            },
        )
        .await?;
        match outcome {
            ChangeOutcome::Saved { .. } => {}
            ChangeOutcome::Stale { current_version } => return Err(AppError::Stale { current_version }),
        }
        write_reporter(&mut tx, self, &handle, &draft.reporter, old_reporter.as_ref()).await?;
        let lead = leads::by_handle(&mut tx, &handle).await?;
        if lead.deadline != existing.deadline {
            // A deadline typed in on an edit is on the timeline like every other change of it.
            use domain::lifecycle::timeline::{Activity, EventKind, Payload};
            let payload = Payload::DeadlineSet { old_deadline: existing.deadline, new_deadline: lead.deadline };
            let mut e = store::lifecycle::timeline::NewEvent::done(
                EventKind::Activity(Activity::Clock),
                keeper.actor.id,
                to_micros(now),
            );
            e.payload = Some(&payload);
            store::lifecycle::timeline::insert(&mut tx, &handle, &e).await?;
        }
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
        let outcome = where_it_is(&mut tx, keeper, lead).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(outcome)
    }
}

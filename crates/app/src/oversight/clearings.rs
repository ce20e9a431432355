//! Clearing the names of people reported falsely (澄清正名) and false accusation (诬告陷害):
//! the unit that verified proposes it (or records the person's written application), the
//! committee head approves it, and that same unit carries it out with the written clearing —
//! which also records the 澄清正名 follow-through on the lead. The committee flags a lead as a
//! false accusation, linked to the lead opened on the accuser.

use domain::{
    FieldError, LeadId,
    dates::beijing_date,
    ledger::{lead::LeadStatus, lead_no::LeadNo},
    lifecycle::{
        conclusion::Finding,
        follow_up::FollowUp,
        timeline::{Activity, EventKind, Payload},
    },
    oversight::clearing::{CarryOutInput, ClearingInput, ClearingMode, ClearingOrigin, ClearingState},
    text::Prose,
};
use serde::Serialize;
use store::{
    Constraint, StoreError,
    ledger::leads,
    lifecycle::timeline::{self, NewEvent},
    oversight::clearings as cx,
    to_micros,
};
use time::{Date, OffsetDateTime};

use super::Oversight;
use crate::{
    Actor, AppError,
    lifecycle::Noted,
    protection::audit::{Event, Who, record},
};

pub const CLEARING_PAGE: u32 = 30;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ClearingView {
    pub id: i64,
    pub lead_id: LeadId,
    pub lead_number: String,
    pub unit_name: String,
    pub origin: ClearingOrigin,
    pub person: String,
    pub applied_on: Option<Date>,
    pub reason: String,
    pub state: ClearingState,
    pub proposed_by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub proposed_at: OffsetDateTime,
    pub decided_by: Option<String>,
    pub decision_note: Option<String>,
    pub mode: Option<ClearingMode>,
    pub held_on: Option<Date>,
    pub scope_note: Option<String>,
    pub letter: Option<String>,
    pub done_by: Option<String>,
}

fn view(x: cx::ClearingRow) -> ClearingView {
    ClearingView {
        id: x.id,
        lead_id: x.lead_id,
        lead_number: x.lead_number,
        unit_name: x.unit_name,
        origin: x.origin,
        person: x.person,
        applied_on: x.applied_on,
        reason: x.reason,
        state: x.state,
        proposed_by: x.proposed_by,
        proposed_at: store::from_micros(x.proposed_at),
        decided_by: x.decided_by,
        decision_note: x.decision_note,
        mode: x.mode,
        held_on: x.held_on,
        scope_note: x.scope_note,
        letter: x.letter,
        done_by: x.done_by,
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ClearingList {
    pub items: Vec<ClearingView>,
    pub total: i64,
    pub page: u32,
    pub per_page: u32,
    /// Whether the caller may propose clearings (a unit's keepers).
    pub may_propose: bool,
}

impl ClearingList {
    pub fn page_count(&self) -> u32 {
        (self.total.max(1) as u32).div_ceil(self.per_page)
    }
}

/// The lead's false-accusation flag.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FalseAccusation {
    pub accuser_lead_id: LeadId,
    pub accuser_lead_number: String,
    pub note: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ClearingDetail {
    pub clearing: ClearingView,
    pub false_accusation: Option<FalseAccusation>,
    /// The committee head approves or refuses.
    pub may_decide: bool,
    /// The unit that verified carries it out.
    pub may_carry_out: bool,
    /// The committee flags a false accusation.
    pub may_flag: bool,
}

fn refusal(field: &str, code: &'static str, zh: &str, en: &str) -> AppError {
    AppError::field(FieldError::new(field, code, zh, en))
}

fn moved_on() -> AppError {
    refusal(
        "state",
        "moved_on",
        "该澄清正名的状态已变化，请刷新后核对。",
        "The clearing has moved on; reload and check.",
    )
}

fn unknown_lead() -> AppError {
    refusal("lead", "unknown_lead", "线索不存在或不在您的管辖范围内。", "No such lead within your jurisdiction.")
}

impl Oversight<'_> {
    #[tracing::instrument(name = "oversight.clearings", skip_all)]
    pub async fn clearings(&self, actor: &Actor, page: u32) -> Result<ClearingList, AppError> {
        let reader = actor.ledger()?;
        let page = page.max(1);
        let offset = i64::from(page - 1).saturating_mul(i64::from(CLEARING_PAGE));
        let mut c = self.reader().await?;
        let (rows, total) = cx::list(&mut c, &reader.scope, (i64::from(CLEARING_PAGE), offset)).await?;
        Ok(ClearingList {
            items: rows.into_iter().map(view).collect(),
            total,
            page,
            per_page: CLEARING_PAGE,
            may_propose: actor.ledger_keeper().is_ok(),
        })
    }

    /// The unit that verified proposes a clearing of a person a 查否 lead named, or records the
    /// person's written application for one.
    #[tracing::instrument(name = "oversight.propose_clearing", skip_all)]
    pub async fn propose_clearing(&self, actor: &Actor, input: &ClearingInput) -> Result<i64, AppError> {
        let keeper = actor.ledger_keeper()?;
        let now = self.now();
        let number = LeadNo::parse(&input.lead).ok_or_else(unknown_lead)?;
        let mut tx = self.db().begin_write().await?;
        let (handle, lead) = leads::by_number(&mut tx, &keeper.scope, &number).await?.ok_or_else(unknown_lead)?;
        let closed = matches!(lead.status, LeadStatus::Concluded | LeadStatus::StruckOff);
        if !closed || lead.finding != Some(Finding::Unfounded) {
            return Err(refusal(
                "lead",
                "not_unfounded",
                "只有以查否办结的线索才能澄清正名。",
                "Only a lead concluded as unfounded leads to a clearing.",
            ));
        }
        let c = input.parse(beijing_date(now), |p| lead.subjects.iter().any(|s| s.name == p))?;
        let id =
            cx::insert(&mut tx, &handle, lead.unit_id, &c, (actor.id, to_micros(now))).await.map_err(|e| match e {
                StoreError::Unique(Constraint::OneOpenClearing) => refusal(
                    "person",
                    "open_clearing",
                    "该人员已有正在办理的澄清正名。",
                    "A clearing of this person is already in progress.",
                ),
                other => other.into(),
            })?;
        let payload =
            Payload::ClearingStage { clearing: Some(id), person: c.person.to_string(), state: ClearingState::Proposed };
        let noted = Noted { activity: Activity::Clearing, note: Some(c.reason.as_str()), payload: Some(payload) };
        self.note_activity(&mut tx, &handle, actor.id, now, noted).await?;
        let event = Event::new("clearing.propose", "clearing", id).detail(format!("lead {}, {}", lead.id, c.origin));
        record(&mut tx, self, now, Who::User(actor), event).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(id)
    }

    #[tracing::instrument(name = "oversight.clearing", skip_all)]
    pub async fn clearing(&self, actor: &Actor, id: i64) -> Result<ClearingDetail, AppError> {
        let reader = actor.ledger()?;
        let mut c = self.reader().await?;
        let (handle, x) = cx::get(&mut c, &reader.scope, id).await?.ok_or(AppError::NotFound)?;
        let may_decide = match actor.approver() {
            Ok(a) => x.state == ClearingState::Proposed && cx::get(&mut c, &a.scope, id).await?.is_some(),
            Err(_) => false,
        };
        let may_carry_out = match actor.ledger_keeper() {
            Ok(k) => {
                x.state == ClearingState::Approved
                    && cx::get(&mut c, &k.scope, id).await?.is_some()
                    && cx::unit_within(&mut c, actor.unit_id, x.unit_id).await?
            }
            Err(_) => false,
        };
        // The flag names the accuser's lead, and so who reported this one: the committee's only,
        // and only a lead within its supervision.
        let (may_flag, false_accusation) = match actor.supervised_scope() {
            Ok(s) if cx::get(&mut c, &s, id).await?.is_some() => {
                let flag = cx::flag_of(&mut c, &s, &handle).await?;
                (true, flag.map(|(l, n, note)| FalseAccusation { accuser_lead_id: l, accuser_lead_number: n, note }))
            }
            _ => (false, None),
        };
        Ok(ClearingDetail { clearing: view(x), false_accusation, may_decide, may_carry_out, may_flag })
    }

    /// The committee head approves the clearing, or refuses it with the reasons.
    #[tracing::instrument(name = "oversight.decide_clearing", skip_all)]
    pub async fn decide_clearing(&self, actor: &Actor, id: i64, approve: bool, note: &str) -> Result<(), AppError> {
        let approver = actor.approver()?;
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        let (handle, x) = cx::get(&mut tx, &approver.scope, id).await?.ok_or(AppError::NotFound)?;
        let note = if approve {
            Prose::<2000>::parse_optional("note", note)
                .map_err(AppError::field)?
                .map(|n| n.into_string())
                .unwrap_or_default()
        } else {
            Prose::<2000>::parse("note", note).map_err(AppError::field)?.into_string()
        };
        if x.state != ClearingState::Proposed
            || !cx::decide(&mut tx, id, approve, &note, (actor.id, to_micros(now))).await?
        {
            return Err(moved_on());
        }
        let state = if approve { ClearingState::Approved } else { ClearingState::Rejected };
        let payload = Payload::ClearingStage { clearing: Some(id), person: x.person.clone(), state };
        let written = Some(note.as_str()).filter(|n| !n.is_empty());
        let noted = Noted { activity: Activity::Clearing, note: written, payload: Some(payload) };
        self.note_activity(&mut tx, &handle, actor.id, now, noted).await?;
        let action = if approve { "clearing.approve" } else { "clearing.reject" };
        let event = Event::new(action, "clearing", id).detail(format!("lead {}", handle.id()));
        record(&mut tx, self, now, Who::User(actor), event).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    /// The unit that verified carries the clearing out, with the written clearing; the lead's
    /// 澄清正名 follow-through is recorded with it.
    #[tracing::instrument(name = "oversight.carry_out_clearing", skip_all)]
    pub async fn carry_out_clearing(&self, actor: &Actor, id: i64, input: &CarryOutInput) -> Result<(), AppError> {
        let keeper = actor.ledger_keeper()?;
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        let (handle, x) = cx::get(&mut tx, &keeper.scope, id).await?.ok_or(AppError::NotFound)?;
        if !cx::unit_within(&mut tx, actor.unit_id, x.unit_id).await? {
            return Err(refusal(
                "mode",
                "not_verifying_unit",
                "澄清正名由负责核实的单位实施（谁核实谁澄清）。",
                "The unit that verified carries out the clearing.",
            ));
        }
        let d = input.parse(x.state, beijing_date(now))?;
        let at = to_micros(now);
        if !cx::carry_out(&mut tx, id, &d, (actor.id, at)).await? {
            return Err(moved_on());
        }
        let note = format!("{}：{}（{}）", d.mode.zh(), x.person, d.held_on);
        timeline::insert(
            &mut tx,
            &handle,
            &NewEvent::done(EventKind::FollowUp(FollowUp::Clearing), actor.id, at).note(&note),
        )
        .await?;
        let event =
            Event::new("clearing.carry_out", "clearing", id).detail(format!("lead {}, {}", handle.id(), d.mode));
        record(&mut tx, self, now, Who::User(actor), event).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    /// The committee flags the clearing's lead as a deliberate false accusation (诬告陷害),
    /// linked to the lead or case opened on the accuser.
    #[tracing::instrument(name = "oversight.flag_false_accusation", skip_all)]
    pub async fn flag_false_accusation(
        &self,
        actor: &Actor,
        id: i64,
        accuser_lead: &str,
        note: &str,
    ) -> Result<(), AppError> {
        let scope = actor.supervised_scope()?;
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        let (handle, _) = cx::get(&mut tx, &scope, id).await?.ok_or(AppError::NotFound)?;
        let note = Prose::<2000>::parse("note", note).map_err(AppError::field)?;
        let unknown = || {
            refusal(
                "accuser_lead",
                "unknown_lead",
                "线索不存在或不在您的监督范围内。",
                "No such lead under your supervision.",
            )
        };
        let number = LeadNo::parse(accuser_lead).ok_or_else(unknown)?;
        let (accuser, _) = leads::by_number(&mut tx, &scope, &number).await?.ok_or_else(unknown)?;
        if accuser == handle {
            return Err(unknown());
        }
        cx::flag(&mut tx, &handle, &accuser, note.as_str(), (actor.id, to_micros(now))).await?;
        let noted = Noted { activity: Activity::FalseAccusation, note: None, payload: Some(Payload::FalseAccusation) };
        self.note_activity(&mut tx, &handle, actor.id, now, noted).await?;
        let event = Event::new("clearing.false_accusation", "lead", handle.id())
            .detail(format!("accuser lead {}", accuser.id()));
        record(&mut tx, self, now, Who::User(actor), event).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }
}

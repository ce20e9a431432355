//! The committee head's decisions on steps waiting for approval, and their queue.

use domain::{
    FieldError, LeadId,
    ledger::lead::HandlingMode,
    lifecycle::{
        step::{Disposition, parse_note, target},
        timeline::{Activity, EventKind, EventState, Payload},
    },
};
use serde::Serialize;
use store::{StoreError, ledger::leads, lifecycle::timeline, to_micros};
use time::OffsetDateTime;

use super::{Lifecycle, steps::Checked};
use crate::{
    AppError, Approver,
    protection::audit::{Event, Who, record},
};

/// A step waiting for the approver.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct QueueItem {
    pub event_id: i64,
    pub lead_id: LeadId,
    pub number: String,
    pub kind: EventKind,
    pub disposition: Option<Disposition>,
    pub proposed_by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub proposed_at: OffsetDateTime,
    pub note: Option<String>,
    pub payload: Option<Payload>,
    /// The lead as the approver decides on it, without opening it: its unit, the people
    /// named, category and summary.
    pub unit_name: String,
    pub subjects: Vec<String>,
    pub category: domain::ledger::lead::Category,
    pub summary: String,
}

impl QueueItem {
    /// What is proposed, in the reader's language ("提出处置意见：初步核实").
    pub fn title(&self, english: bool) -> String {
        super::timeline::title(self.kind, self.disposition, english)
    }
}

fn refusal(code: &'static str, zh: &str, en: &str) -> AppError {
    AppError::field(FieldError::new("decision", code, zh, en))
}

impl Lifecycle<'_> {
    /// Approves or rejects a step waiting for approval. Approval applies it, provided the
    /// lead has not moved on since it was proposed. A rejection needs the approver's reason.
    #[tracing::instrument(name = "lifecycle.decide_step", skip_all)]
    pub async fn decide_step(
        &self,
        approver: &Approver,
        event_id: i64,
        approve: bool,
        note: &str,
    ) -> Result<(), AppError> {
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        // Scope first: a step outside the approver's scope is "not found", whatever was sent.
        let (handle, ev) = timeline::by_id(&mut tx, &approver.scope, event_id).await?.ok_or(AppError::NotFound)?;
        let lead = leads::by_handle(&mut tx, &handle).await?;
        let note = if note.trim().is_empty() && approve {
            None
        } else {
            Some(parse_note(note).map_err(|e| AppError::field(FieldError { field: "decision_note".into(), ..e }))?)
        };
        if ev.state != EventState::Pending {
            return Err(refusal("decided", "该事项已审批。", "This has been decided already."));
        }
        if ev.actor_id == approver.actor.id {
            return Err(refusal("own_proposal", "不能审批自己提出的事项。", "You cannot approve your own proposal."));
        }
        if !timeline::decide(&mut tx, &handle, event_id, approve, approver.actor.id, to_micros(now), note.as_deref())
            .await?
        {
            return Err(AppError::Conflict);
        }
        if ev.kind == EventKind::Activity(Activity::Jurisdiction) {
            // A proposed escalation (提级办理): approval moves the lead to the parent body
            // (the decision itself was recorded above).
            if approve {
                let Some(Payload::Escalation { to_unit: Some(target), .. }) = ev.payload else {
                    return Err(AppError::internal(format!("escalation {event_id} names no target")));
                };
                self.supervision()
                    .apply_move(&mut tx, (&handle, &lead), HandlingMode::Escalated, target, &approver.actor, now)
                    .await?;
            }
            record(
                &mut tx,
                self,
                now,
                Who::User(&approver.actor),
                Event::new(if approve { "lead.move_approved" } else { "lead.move_rejected" }, "lead", lead.id)
                    .detail(format!("jurisdiction (event {event_id})")),
            )
            .await?;
            tx.commit().await.map_err(StoreError::from)?;
            return Ok(());
        }
        let step = ev.kind.step().ok_or_else(|| AppError::internal(format!("pending entry {event_id} is no step")))?;
        if approve && step == domain::lifecycle::step::Step::Conclude && lead.owning_leader_id.is_some() {
            let signed = timeline::of_lead(&mut tx, &handle)
                .await?
                .iter()
                .any(|e| e.kind == EventKind::Activity(Activity::SignOff) && e.id > ev.id);
            if !signed {
                return Err(refusal(
                    "sign_off_missing",
                    "包案线索的办结意见须先经包案领导签署。",
                    "The owning leader must sign off the conclusion of an owned lead first.",
                ));
            }
        }
        if approve {
            let to = target(lead.status, step, ev.disposition).map_err(AppError::field)?;
            if ev.from_status != Some(lead.status) {
                return Err(AppError::Stale { current_version: lead.version });
            }
            let ch = Checked {
                step,
                disposition: ev.disposition,
                to,
                note: ev.note.clone().unwrap_or_default(),
                payload: ev.payload.clone(),
            };
            self.apply(&mut tx, (&handle, &lead), &ch, &approver.actor, now).await?;
        }
        record(
            &mut tx,
            self,
            now,
            Who::User(&approver.actor),
            Event::new(if approve { "lead.step_approved" } else { "lead.step_rejected" }, "lead", lead.id)
                .detail(format!("{} (event {event_id})", ev.kind.code())),
        )
        .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    /// Steps waiting for this approver.
    #[tracing::instrument(name = "lifecycle.approval_queue", skip_all)]
    pub async fn approval_queue(&self, approver: &Approver) -> Result<Vec<QueueItem>, AppError> {
        let mut c = self.reader().await?;
        let mut items = Vec::new();
        for (e, number) in timeline::pending_in_scope(&mut c, &approver.scope).await? {
            // Read in the approver's scope, as the pending entry was.
            let (_, lead) = leads::get(&mut c, &approver.scope, e.lead_id)
                .await?
                .ok_or_else(|| AppError::internal(format!("pending entry {} of a lead out of scope", e.id)))?;
            items.push(QueueItem {
                event_id: e.id,
                lead_id: e.lead_id,
                number,
                kind: e.kind,
                disposition: e.disposition,
                proposed_by: e.actor_name,
                proposed_at: store::from_micros(e.at),
                note: e.note,
                payload: e.payload,
                unit_name: lead.unit_name,
                subjects: lead.subjects.into_iter().map(|s| s.name).collect(),
                category: lead.category,
                summary: lead.summary,
            });
        }
        Ok(items)
    }
}

//! Taking a step on a lead: checked against the lifecycle's table and the rules, then applied
//! at once or queued for the committee head's approval.

use domain::{
    FieldError, Invalid, LeadId,
    ledger::{
        lead::{Lead, LeadStatus},
        lead_no::LeadNo,
    },
    lifecycle::{
        conclusion::{ConclusionInput, Finding},
        follow_up::{StrikeOffFacts, strike_off_blockers},
        step::{Disposition, Step, needs_approval, parse_note, target},
        timeline::{Activity, EventKind, EventState, Payload},
    },
    reporters::ReporterKind,
    text::Line,
};
use serde::{Deserialize, Serialize};
use store::{
    Conn, Constraint, LeadHandle, StoreError, Tx,
    ledger::{campaigns, leads, leads::Timing},
    lifecycle::timeline::{self, NewEvent, StatusChange},
    to_micros,
};
use time::OffsetDateTime;

use super::Lifecycle;
use crate::{
    Actor, AppError, LedgerKeeper,
    protection::audit::{Event, Who, record},
};

/// A step as submitted by a form or the API.
#[derive(Debug, Clone, Default, serde::Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct StepInput {
    pub step: String,
    pub disposition: String,
    pub note: String,
    /// For `conclude`.
    pub conclusion: ConclusionInput,
    /// For `transfer`: the receiving body.
    pub receiving_body: String,
    /// For `merge`: the number of the earlier lead this repeats.
    pub merge_into: String,
    /// For a disposition: the collective study meeting that decided it (its id), if any.
    pub meeting: String,
    /// The version the caller saw; the step is refused if the lead changed since.
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(tag = "outcome", content = "status", rename_all = "snake_case")]
pub enum StepOutcome {
    /// Done: the lead is now in this status.
    Applied(LeadStatus),
    /// Waiting in the approver's queue.
    Pending,
}

/// A step checked against the lead and ready to apply.
pub(super) struct Checked {
    pub step: Step,
    pub disposition: Option<Disposition>,
    pub to: LeadStatus,
    pub note: String,
    pub payload: Option<Payload>,
}

pub(super) fn pending_refusal() -> AppError {
    AppError::field(FieldError::new(
        "step",
        "pending",
        "该线索有待审批的事项，审批后才能进行下一步。",
        "This lead has a step awaiting approval; wait for the decision first.",
    ))
}

/// Whether the lead's reporter signed the report (实名).
async fn signed_reporter(c: &mut Conn, lead: &LeadHandle) -> Result<bool, AppError> {
    Ok(store::reporters::identity::reporter(c, lead).await?.is_some_and(|r| r.kind == ReporterKind::Signed))
}

impl Lifecycle<'_> {
    /// Checks a step against the lead's status and the rules; nothing is written.
    async fn check_step(
        &self,
        c: &mut Conn,
        keeper: &LedgerKeeper,
        (handle, lead): (&LeadHandle, &Lead),
        input: &StepInput,
    ) -> Result<Checked, AppError> {
        let mut e = Invalid::default();
        let step = e.take(Step::parse("step", &input.step));
        let note = e.take(parse_note(&input.note));
        let disposition = if input.disposition.trim().is_empty() {
            None
        } else {
            e.take(Disposition::parse("disposition", &input.disposition))
        };
        let (Some(step), Some(note)) = (step, note) else { return Err(e.into()) };
        if !e.is_empty() {
            return Err(e.into());
        }
        let to = target(lead.status, step, disposition).map_err(AppError::field)?;
        let payload = match step {
            Step::Conclude => Some(Payload::Conclusion(input.conclusion.parse(lead.subjects.len())?)),
            Step::Transfer => {
                let body = Line::parse("receiving_body", &input.receiving_body).map_err(AppError::field)?;
                Some(Payload::Transfer { receiving_body: body.into_string() })
            }
            Step::Dispose if !input.meeting.trim().is_empty() => {
                let cited = input.meeting.trim().parse::<i64>().ok();
                let held = store::supervision::ownership::meetings_of(c, handle).await?;
                let Some((meeting, on, title, _, decision)) = held.into_iter().find(|m| Some(m.0) == cited) else {
                    return Err(AppError::field(FieldError::new(
                        "meeting",
                        "not_discussed",
                        "所引用的研判会议未研究该线索。",
                        "The cited meeting did not discuss this lead.",
                    )));
                };
                Some(Payload::CitesMeeting { meeting: Some(meeting), held_on: Some(on), title, decision })
            }
            Step::Merge => {
                let unknown = || {
                    AppError::field(FieldError::new(
                        "merge_into",
                        "unknown_lead",
                        "原线索不存在或不在您的管辖范围内。",
                        "No such earlier lead within your jurisdiction.",
                    ))
                };
                let into = LeadNo::parse(&input.merge_into).ok_or_else(|| {
                    AppError::field(FieldError::new(
                        "merge_into",
                        "invalid",
                        "请填写原线索的编号。",
                        "Give the earlier lead's number.",
                    ))
                })?;
                let (_, original) = leads::by_number(c, &keeper.reader.scope, &into).await?.ok_or_else(unknown)?;
                domain::lifecycle::step::check_merge(
                    (lead.received_on, lead.id),
                    (original.received_on, original.id, original.status),
                )
                .map_err(AppError::field)?;
                Some(Payload::Merge { original: original.id, number: original.number.to_string() })
            }
            Step::StrikeOff => {
                let done = timeline::follow_ups_done(c, handle).await?;
                let blockers = strike_off_blockers(&StrikeOffFacts {
                    signed_reporter: signed_reporter(c, handle).await?,
                    finding: lead.finding,
                    settled_naming: domain::lifecycle::follow_up::settled_naming(lead.status, &lead.subjects),
                    done: &done,
                });
                if !blockers.is_empty() {
                    return Err(AppError::Invalid(Invalid(blockers)));
                }
                None
            }
            _ => None,
        };
        Ok(Checked { step, disposition, to, note, payload })
    }

    /// Changes the lead's status for a checked step (in the caller's transaction).
    pub(super) async fn apply(
        &self,
        tx: &mut Tx,
        (handle, lead): (&LeadHandle, &Lead),
        ch: &Checked,
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<(), AppError> {
        let campaign = match lead.campaign_id {
            Some(id) => Some(
                campaigns::get(tx, id)
                    .await?
                    .ok_or_else(|| AppError::internal(format!("lead {} names a missing campaign", lead.id)))?,
            ),
            None => None,
        };
        let today = domain::dates::beijing_date(now);
        let mut deadline = self.clock_after_step(lead, ch.to, today, campaign.as_ref());
        // A signed reporter is told the result within the result-notice rule (15 working days
        // by default) from the conclusion; the clock runs until the feedback is recorded.
        if matches!(ch.to, LeadStatus::Concluded | LeadStatus::Settled) && signed_reporter(tx, handle).await? {
            deadline = Some(self.result_notice_due(today));
        }
        let conclusion = match &ch.payload {
            Some(Payload::Conclusion(c)) if ch.step == Step::Conclude => Some(c),
            _ => None,
        };
        let merged_into = match &ch.payload {
            Some(Payload::Merge { original, .. }) if ch.step == Step::Merge => Some(*original),
            _ => None,
        };
        let transferred_to = match &ch.payload {
            Some(Payload::Transfer { receiving_body }) if ch.step == Step::Transfer => Some(receiving_body.as_str()),
            _ => None,
        };
        let changed = timeline::change_status(
            tx,
            handle,
            &StatusChange {
                from: lead.status,
                to: ch.to,
                expected_version: lead.version,
                deadline,
                finding: conclusion.map(|c| c.finding),
                merged_into,
                transferred_to,
                routed_late: (ch.step == Step::Assess).then(|| {
                    domain::lifecycle::clock::routed_late(
                        domain::lifecycle::clock::Running { deadline: lead.deadline, rule: lead.deadline_rule },
                        today,
                    )
                }),
                actor: actor.id,
                at: to_micros(now),
            },
        )
        .await?;
        if !changed {
            return Err(AppError::Stale { current_version: lead.version + 1 });
        }
        if let Some(c) = conclusion {
            timeline::set_outcomes(tx, handle, &c.outcomes).await?;
        }
        // The timeline says how the step moved the clock (old → new, with the rule).
        if let Some((due, Timing { rule: Some(rule), started, .. })) = deadline
            && (due != lead.deadline || Some(rule) != lead.deadline_rule)
        {
            let payload = Payload::Clock { rule, old_deadline: Some(lead.deadline), new_deadline: due, started };
            let mut e = NewEvent::done(EventKind::Activity(Activity::Clock), actor.id, to_micros(now));
            e.payload = Some(&payload);
            timeline::insert(tx, handle, &e).await?;
        }
        let entered = domain::lifecycle::side_clock::Trigger::Entered(ch.to);
        self.move_side_clocks(tx, handle, lead.source, entered, today, (actor.id, to_micros(now))).await?;
        Ok(())
    }

    /// 查否背书: whoever proposes a conclusion of 查否 or 无法查实 signs for it as they submit it
    /// (the form says so): a hash of the conclusion, by whom and when, kept with its entry.
    async fn endorse(
        &self,
        tx: &mut Tx,
        (handle, lead): (&LeadHandle, &Lead),
        (event, conclusion): (i64, &domain::lifecycle::conclusion::Conclusion),
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<(), AppError> {
        let json = serde_json::to_string(conclusion).map_err(|e| AppError::Internal(Box::new(e)))?;
        let at = to_micros(now);
        let hash = domain::oversight::reviewing::endorsement_hash(lead.number.as_str(), &json, actor.id.get(), at);
        store::oversight::endorsements::insert(tx, handle, event, (actor.id, at), &hash).await?;
        let mut e = NewEvent::done(EventKind::Activity(Activity::Endorsement), actor.id, at);
        let payload = Payload::Endorsed { hash };
        e.payload = Some(&payload);
        timeline::insert(tx, handle, &e).await?;
        Ok(())
    }

    /// Takes a step on a lead: applied at once, or queued for approval. Concurrent steps on
    /// the same lead: the first wins, the other is told the lead changed.
    #[tracing::instrument(name = "lifecycle.take_step", skip_all)]
    pub async fn take_step(
        &self,
        keeper: &LedgerKeeper,
        id: LeadId,
        input: &StepInput,
    ) -> Result<StepOutcome, AppError> {
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        let outcome = self.take_step_in(&mut tx, keeper, id, input, now).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(outcome)
    }

    /// [`Lifecycle::take_step`] in the caller's transaction (a repeat merged as it is registered).
    pub(crate) async fn take_step_in(
        &self,
        tx: &mut Tx,
        keeper: &LedgerKeeper,
        id: LeadId,
        input: &StepInput,
        now: OffsetDateTime,
    ) -> Result<StepOutcome, AppError> {
        let (handle, lead) = leads::get(tx, &keeper.scope, id).await?.ok_or(AppError::NotFound)?;
        if input.version != 0 && input.version != lead.version {
            return Err(AppError::Stale { current_version: lead.version });
        }
        if timeline::pending_of_lead(tx, &handle).await?.is_some() {
            return Err(pending_refusal());
        }
        let ch = self.check_step(tx, keeper, (&handle, &lead), input).await?;
        let pending = needs_approval(ch.step, lead.status);
        let event = timeline::insert(
            tx,
            &handle,
            &NewEvent {
                kind: EventKind::Step(ch.step),
                disposition: ch.disposition,
                from_status: Some(lead.status),
                to_status: Some(ch.to),
                state: if pending { EventState::Pending } else { EventState::Done },
                actor: keeper.actor.id,
                at: to_micros(now),
                note: Some(&ch.note),
                payload: ch.payload.as_ref(),
            },
        )
        .await
        .map_err(|e| match e {
            // Another proposal got in first (the one-pending-per-lead index).
            StoreError::Unique(Constraint::OnePendingStep) => pending_refusal(),
            other => other.into(),
        })?;
        if let Some(Payload::Conclusion(c)) = &ch.payload
            && ch.step == Step::Conclude
            && matches!(c.finding, Finding::Unfounded | Finding::Unverifiable)
        {
            self.endorse(tx, (&handle, &lead), (event, c), &keeper.actor, now).await?;
        }
        if !pending {
            self.apply(tx, (&handle, &lead), &ch, &keeper.actor, now).await?;
        }
        let action = if pending { "lead.step_proposed" } else { "lead.step" };
        record(
            tx,
            self,
            now,
            Who::User(&keeper.actor),
            Event::new(action, "lead", id)
                .before(&lead.status)
                .after(&ch.to)
                // The step's code and its timeline entry, not its note: the note is lead
                // content, and the auditor reads no lead content.
                .detail(format!("{} (event {event})", ch.step)),
        )
        .await?;
        Ok(if pending { StepOutcome::Pending } else { StepOutcome::Applied(ch.to) })
    }
}

//! Lifecycle use cases: take a step (at once, or into the approver's queue), approve or
//! reject, record follow-through, read the timeline.

use super::Lifecycle;
use domain::{
    FieldError, Invalid, LeadId, ledger::lead::Lead, ledger::lead::LeadStatus, ledger::query::LedgerParams,
    lifecycle::conclusion::ConclusionInput, lifecycle::follow_up::FollowUp, lifecycle::follow_up::StrikeOffFacts,
    lifecycle::follow_up::strike_off_blockers, lifecycle::step::Disposition, lifecycle::step::Step,
    lifecycle::step::needs_approval, lifecycle::step::parse_note, lifecycle::step::target, reporters::ReporterKind,
    text::Line,
};
use serde::{Deserialize, Serialize};
use store::{
    Conn, StoreError, ledger::campaigns, ledger::leads, lifecycle::timeline, lifecycle::timeline::NewEvent,
    lifecycle::timeline::StatusChange, to_micros,
};
use time::OffsetDateTime;

use crate::{
    Actor, AppError, Approver, LedgerKeeper, LedgerReader, protection::audit::Event, protection::audit::Who,
    protection::audit::record,
};

/// A step as submitted by a form or the API.
#[derive(Debug, Clone, Default, Deserialize)]
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum StepOutcome {
    /// Done: the lead is now in this status.
    Applied(LeadStatus),
    /// Waiting in the approver's queue.
    Pending,
}

/// One line of a lead's timeline, for display.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineEntry {
    pub id: i64,
    pub kind: String,
    pub disposition: Option<String>,
    pub from_status: Option<String>,
    pub to_status: Option<String>,
    pub state: String,
    pub actor_name: String,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub approver_name: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub decided_at: Option<OffsetDateTime>,
    pub note: String,
    pub decision_note: Option<String>,
}

/// A step waiting for the approver.
#[derive(Debug, Clone, Serialize)]
pub struct QueueItem {
    pub event_id: i64,
    pub lead_id: LeadId,
    pub number: String,
    pub step: String,
    pub disposition: Option<String>,
    pub proposed_by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub proposed_at: OffsetDateTime,
    pub note: String,
}

/// A step checked against the lead and ready to apply.
struct Checked {
    step: Step,
    disposition: Option<Disposition>,
    to: LeadStatus,
    note: String,
    payload: Option<String>,
}

fn pending_refusal() -> AppError {
    AppError::field(FieldError::new(
        "step",
        "pending",
        "该线索有待审批的事项，审批后才能进行下一步。",
        "This lead has a step awaiting approval; wait for the decision first.",
    ))
}

impl Lifecycle<'_> {
    /// Checks a step against the lead's status and the rules; nothing is written.
    async fn check_step(
        &self,
        c: &mut Conn,
        keeper: &LedgerKeeper,
        lead: &Lead,
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
        let mut payload = None;
        let mut note_suffix: Option<String> = None;
        match step {
            Step::Conclude => {
                let c = input.conclusion.parse(lead.subjects.len())?;
                payload = Some(serde_json::to_string(&c).map_err(|e| AppError::Internal(e.to_string()))?);
            }
            Step::Transfer => {
                let body = Line::parse("receiving_body", &input.receiving_body).map_err(AppError::field)?;
                payload = Some(body.into_string());
            }
            Step::Dispose if !input.meeting.trim().is_empty() => {
                let cited = input.meeting.trim().parse::<i64>().ok();
                let held = store::supervision::ownership::meetings_of(c, lead.id).await?;
                let Some((_, on, title, _, decision)) = held.into_iter().find(|m| Some(m.0) == cited) else {
                    return Err(AppError::field(FieldError::new(
                        "meeting",
                        "not_discussed",
                        "所引用的研判会议未研究该线索。",
                        "The cited meeting did not discuss this lead.",
                    )));
                };
                payload = Some(format!("meeting:{}", cited.unwrap_or_default()));
                note_suffix = Some(format!("（依据 {} 「{}」：{}）", domain::dates::format_date(on), title, decision));
            }
            Step::Merge => {
                let into = domain::ledger::lead_no::LeadNo::parse(&input.merge_into).ok_or_else(|| {
                    AppError::field(FieldError::new(
                        "merge_into",
                        "invalid",
                        "请填写原线索的编号。",
                        "Give the earlier lead's number.",
                    ))
                })?;
                let q = LedgerParams { q: into.to_string(), ..Default::default() };
                let (found, _) = store::ledger::pages::page(c, &keeper.reader.scope, &q.parse()?, false).await?;
                let original = found.into_iter().find(|l| l.number == into && l.id != lead.id).ok_or_else(|| {
                    AppError::field(FieldError::new(
                        "merge_into",
                        "unknown_lead",
                        "原线索不存在或不在您的管辖范围内。",
                        "No such earlier lead within your jurisdiction.",
                    ))
                })?;
                payload = Some(original.id.to_string());
            }
            Step::StrikeOff => {
                let done: Vec<FollowUp> = timeline::follow_ups_done(c, lead.id)
                    .await?
                    .iter()
                    .filter_map(|k| FollowUp::from_code(k))
                    .collect();
                let signed = store::reporters::identity::reporter(c, &keeper.reader.scope, lead.id)
                    .await?
                    .is_some_and(|r| r.kind == ReporterKind::Signed);
                let blockers = strike_off_blockers(&StrikeOffFacts {
                    signed_reporter: signed,
                    finding: lead.finding,
                    done: &done,
                });
                if !blockers.is_empty() {
                    return Err(AppError::Invalid(Invalid(blockers)));
                }
            }
            _ => {}
        }
        let note = match note_suffix {
            Some(s) => format!("{note}{s}"),
            None => note,
        };
        Ok(Checked { step, disposition, to, note, payload })
    }

    /// Changes the lead's status for a checked step (in the caller's transaction).
    async fn apply(
        &self,
        c: &mut Conn,
        lead: &Lead,
        ch: &Checked,
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<(), AppError> {
        let campaign = campaigns::get(c, lead.campaign_id)
            .await?
            .ok_or_else(|| AppError::Internal("lead without campaign".into()))?;
        let mut deadline = self.schedule(ch.to, self.today_at(now), &campaign, lead.stock_class);
        // A signed reporter is told the result within the result-notice rule (15 working days
        // by default) from the conclusion; the clock runs until the feedback is recorded.
        if matches!(ch.to, LeadStatus::Concluded | LeadStatus::Settled) {
            let unit = leads::unit_of(c, lead.id).await?.ok_or(AppError::NotFound)?;
            let signed =
                store::reporters::identity::reporter(c, &domain::protection::scope::Scope::of_unit(unit), lead.id)
                    .await?
                    .is_some_and(|r| r.kind == ReporterKind::Signed);
            if signed {
                deadline = Some(self.result_notice_due(self.today_at(now)));
            }
        }
        let conclusion = match (ch.step, &ch.payload) {
            (Step::Conclude, Some(p)) => Some(
                serde_json::from_str::<domain::lifecycle::conclusion::Conclusion>(p)
                    .map_err(|e| AppError::Internal(e.to_string()))?,
            ),
            _ => None,
        };
        let merged_into = match (ch.step, &ch.payload) {
            (Step::Merge, Some(p)) => p.parse::<LeadId>().ok(),
            _ => None,
        };
        let transferred_to = if ch.step == Step::Transfer { ch.payload.as_deref() } else { None };
        let changed = timeline::change_status(
            c,
            &StatusChange {
                lead: lead.id,
                from: lead.status,
                to: ch.to,
                expected_version: lead.version,
                deadline,
                finding: conclusion.as_ref().map(|c| c.finding),
                merged_into,
                transferred_to,
                actor: actor.id,
                at: to_micros(now),
            },
        )
        .await?;
        if !changed {
            return Err(AppError::Stale { current_version: lead.version + 1 });
        }
        if let Some(c2) = &conclusion {
            timeline::set_outcomes(c, lead.id, &c2.outcomes).await?;
        }
        Ok(())
    }

    fn today_at(&self, now: OffsetDateTime) -> time::Date {
        domain::dates::beijing_date(now)
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
        let lead = leads::get(&mut tx, &keeper.scope, id).await?.ok_or(AppError::NotFound)?;
        if input.version != 0 && input.version != lead.version {
            return Err(AppError::Stale { current_version: lead.version });
        }
        if timeline::pending_of_lead(&mut tx, id).await?.is_some() {
            return Err(pending_refusal());
        }
        let ch = self.check_step(&mut tx, keeper, &lead, input).await?;
        let pending = needs_approval(ch.step);
        let event = timeline::insert(
            &mut tx,
            &NewEvent {
                lead: id,
                kind: ch.step.code(),
                disposition: ch.disposition.map(|d| d.code()),
                from_status: Some(lead.status),
                to_status: Some(ch.to),
                state: if pending { "pending" } else { "done" },
                actor: keeper.actor.id,
                at: to_micros(now),
                note: &ch.note,
                payload: ch.payload.clone(),
            },
        )
        .await
        .map_err(|e| match e {
            // Another proposal got in first (the one-pending-per-lead index).
            StoreError::Unique(_) => pending_refusal(),
            other => other.into(),
        })?;
        if !pending {
            self.apply(&mut tx, &lead, &ch, &keeper.actor, now).await?;
        }
        let action = if pending { "lead.step_proposed" } else { "lead.step" };
        record(
            &mut tx,
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
        tx.commit().await.map_err(StoreError::from)?;
        Ok(if pending { StepOutcome::Pending } else { StepOutcome::Applied(ch.to) })
    }

    /// Approves or rejects a step waiting for approval. Approval applies it, provided the
    /// lead has not moved on since it was proposed.
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
        let ev = timeline::get(&mut tx, event_id).await?.ok_or(AppError::NotFound)?;
        let lead = leads::get(&mut tx, &approver.scope, ev.lead_id).await?.ok_or(AppError::NotFound)?;
        // Scope first: a step outside the approver's scope is "not found", whatever was sent.
        let note = if note.trim().is_empty() && approve {
            "同意".to_owned()
        } else {
            parse_note(note).map_err(|e| AppError::field(FieldError { field: "decision_note".into(), ..e }))?
        };
        if ev.state != "pending" {
            return Err(AppError::field(FieldError::new(
                "decision",
                "decided",
                "该事项已审批。",
                "This has been decided already.",
            )));
        }
        if ev.actor_id == approver.actor.id {
            return Err(AppError::field(FieldError::new(
                "decision",
                "own_proposal",
                "不能审批自己提出的事项。",
                "You cannot approve your own proposal.",
            )));
        }
        if !timeline::decide(
            &mut tx,
            event_id,
            if approve { "done" } else { "rejected" },
            approver.actor.id,
            to_micros(now),
            &note,
        )
        .await?
        {
            return Err(AppError::Conflict);
        }
        if ev.kind == "jurisdiction" {
            // A proposed escalation (提级办理): approval moves the lead to the parent body
            // (the decision itself was recorded above).
            if approve {
                let target = ev
                    .payload
                    .as_deref()
                    .and_then(|p| p.strip_prefix("escalated:"))
                    .and_then(|t| t.parse::<domain::UnitId>().ok())
                    .ok_or_else(|| AppError::Internal("malformed escalation".into()))?;
                self.supervision()
                    .apply_move(
                        &mut tx,
                        lead.id,
                        domain::ledger::lead::HandlingMode::Escalated,
                        target,
                        &approver.actor,
                        now,
                    )
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
        if approve && ev.kind == "conclude" && lead.owning_leader_id.is_some() {
            let signed =
                timeline::of_lead(&mut tx, lead.id).await?.iter().any(|e| e.kind == "sign_off" && e.id > ev.id);
            if !signed {
                return Err(AppError::field(FieldError::new(
                    "decision",
                    "sign_off_missing",
                    "包案线索的办结意见须先经包案领导签署。",
                    "The owning leader must sign off the conclusion of an owned lead first.",
                )));
            }
        }
        if approve {
            let step =
                Step::from_code(&ev.kind).ok_or_else(|| AppError::Internal(format!("unknown step {}", ev.kind)))?;
            let disposition = ev.disposition.as_deref().and_then(Disposition::from_code);
            let to = target(lead.status, step, disposition).map_err(AppError::field)?;
            if ev.from_status.as_deref() != Some(lead.status.code()) {
                return Err(AppError::Stale { current_version: lead.version });
            }
            let ch = Checked { step, disposition, to, note: ev.note.clone(), payload: ev.payload.clone() };
            self.apply(&mut tx, &lead, &ch, &approver.actor, now).await?;
        }
        record(
            &mut tx,
            self,
            now,
            Who::User(&approver.actor),
            Event::new(if approve { "lead.step_approved" } else { "lead.step_rejected" }, "lead", lead.id)
                .detail(format!("{} (event {event_id})", ev.kind)),
        )
        .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    /// Records follow-through (feedback, clearing, …) on a concluded or settled lead.
    #[tracing::instrument(name = "lifecycle.record_follow_up", skip_all)]
    pub async fn record_follow_up(
        &self,
        keeper: &LedgerKeeper,
        id: LeadId,
        kind: &str,
        note: &str,
    ) -> Result<(), AppError> {
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        let lead = leads::get(&mut tx, &keeper.scope, id).await?.ok_or(AppError::NotFound)?;
        let kind = FollowUp::parse("kind", kind).map_err(AppError::field)?;
        let note = parse_note(note).map_err(AppError::field)?;
        if !matches!(lead.status, LeadStatus::Concluded | LeadStatus::Settled) {
            return Err(AppError::field(FieldError::new(
                "kind",
                "not_concluded",
                "办结或予以了结后才能登记后续工作。",
                "Follow-through is recorded once the lead is concluded or settled.",
            )));
        }
        timeline::insert(
            &mut tx,
            &NewEvent {
                lead: id,
                kind: kind.code(),
                disposition: None,
                from_status: None,
                to_status: None,
                state: "done",
                actor: keeper.actor.id,
                at: to_micros(now),
                note: &note,
                payload: None,
            },
        )
        .await?;
        if kind == FollowUp::ResultFeedback {
            timeline::stop_result_clock(&mut tx, id).await?;
        }
        record(
            &mut tx,
            self,
            now,
            Who::User(&keeper.actor),
            Event::new("lead.follow_up", "lead", id).detail(kind.code()),
        )
        .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    /// The lead's full timeline (全程留痕), for anyone who may read the lead.
    #[tracing::instrument(name = "lifecycle.timeline", skip_all)]
    pub async fn timeline(&self, reader: &LedgerReader, id: LeadId) -> Result<Vec<TimelineEntry>, AppError> {
        let mut c = self.reader().await?;
        leads::get(&mut c, &reader.scope, id).await?.ok_or(AppError::NotFound)?;
        Ok(timeline::of_lead(&mut c, id)
            .await?
            .into_iter()
            .map(|e| TimelineEntry {
                id: e.id,
                kind: e.kind,
                disposition: e.disposition,
                from_status: e.from_status,
                to_status: e.to_status,
                state: e.state,
                actor_name: e.actor_name,
                at: store::from_micros(e.at),
                approver_name: e.approver_name,
                decided_at: e.decided_at.map(store::from_micros),
                note: e.note,
                decision_note: e.decision_note,
            })
            .collect())
    }

    /// Steps waiting for this approver.
    #[tracing::instrument(name = "lifecycle.approval_queue", skip_all)]
    pub async fn approval_queue(&self, approver: &Approver) -> Result<Vec<QueueItem>, AppError> {
        let mut c = self.reader().await?;
        Ok(timeline::pending_in_scope(&mut c, &approver.scope)
            .await?
            .into_iter()
            .map(|(e, number)| QueueItem {
                event_id: e.id,
                lead_id: e.lead_id,
                number,
                step: e.kind,
                disposition: e.disposition,
                proposed_by: e.actor_name,
                proposed_at: store::from_micros(e.at),
                note: e.note,
            })
            .collect())
    }
}

//! The lead's timeline (全程留痕): reading it, writing the entries that are not steps, and
//! follow-through after a conclusion.

use domain::{
    FieldError, LeadId, UserId,
    ledger::lead::LeadStatus,
    lifecycle::{
        follow_up::FollowUp,
        step::{Disposition, parse_note},
        timeline::{Activity, EventKind, EventState, Payload},
    },
};
use serde::Serialize;
use store::{
    LeadHandle, StoreError, Tx,
    ledger::leads,
    lifecycle::timeline::{self, NewEvent},
    to_micros,
};
use time::OffsetDateTime;

use super::Lifecycle;
use crate::{
    App, AppError, LedgerKeeper, LedgerReader,
    protection::audit::{Event, Who, record},
};

/// One entry of a lead's timeline, as the page and the API show it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TimelineEntry {
    pub id: i64,
    pub kind: EventKind,
    pub disposition: Option<Disposition>,
    pub from_status: Option<LeadStatus>,
    pub to_status: Option<LeadStatus>,
    pub state: EventState,
    pub actor_name: String,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub approver_name: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub decided_at: Option<OffsetDateTime>,
    /// What the person who took the step wrote.
    pub note: Option<String>,
    pub decision_note: Option<String>,
    /// The facts the system recorded (rendered by [`TimelineEntry::system_text`]).
    pub payload: Option<Payload>,
}

/// A kind's title, with the disposition chosen: "提出处置意见：初步核实".
pub(crate) fn title(kind: EventKind, disposition: Option<Disposition>, english: bool) -> String {
    match disposition {
        Some(d) => format!("{}{}{}", kind.label(english), if english { ": " } else { "：" }, d.label(english)),
        None => kind.label(english).to_owned(),
    }
}

impl TimelineEntry {
    pub fn title(&self, english: bool) -> String {
        title(self.kind, self.disposition, english)
    }

    /// What the system says of the entry, in the reader's language.
    pub fn system_text(&self, english: bool) -> String {
        self.payload.as_ref().map(|p| p.describe(english)).unwrap_or_default()
    }
}

/// A done timeline entry that is not a step: what happened, the person's own words, and the
/// facts the system records with it.
pub(crate) struct Noted<'a> {
    pub activity: Activity,
    pub note: Option<&'a str>,
    pub payload: Option<Payload>,
}

impl App {
    /// Puts a done entry on the lead's timeline (in the caller's transaction).
    pub(crate) async fn note_activity(
        &self,
        tx: &mut Tx,
        lead: &LeadHandle,
        actor: UserId,
        now: OffsetDateTime,
        entry: Noted<'_>,
    ) -> Result<(), AppError> {
        let mut e = NewEvent::done(EventKind::Activity(entry.activity), actor, to_micros(now));
        e.note = entry.note;
        e.payload = entry.payload.as_ref();
        timeline::insert(tx, lead, &e).await?;
        Ok(())
    }
}

impl Lifecycle<'_> {
    /// Records follow-through (clearing, 报结, …) on a concluded or settled lead. Feedback to the
    /// reporter is recorded with its method and date by `reporters().record_feedback`.
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
        let (handle, lead) = leads::get(&mut tx, &keeper.scope, id).await?.ok_or(AppError::NotFound)?;
        let kind = FollowUp::parse("kind", kind).map_err(AppError::field)?;
        if domain::reporters::feedback::is_feedback(kind) {
            return Err(AppError::field(FieldError::new(
                "kind",
                "use_feedback",
                "向举报人告知、反馈和回访，请在“反馈与回访”中登记日期和方式。",
                "Feedback to the reporter is recorded under Feedback, with its date and method.",
            )));
        }
        let note = parse_note(note).map_err(AppError::field)?;
        self.follow_up_in(&mut tx, (&handle, &lead), kind, &note, (keeper.actor.id, now, self.today())).await?;
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

    /// Puts follow-through on the timeline and moves the side clocks it starts or stops from
    /// `on` (the day it happened); its event's id.
    pub(crate) async fn follow_up_in(
        &self,
        tx: &mut Tx,
        (handle, lead): (&LeadHandle, &domain::ledger::lead::Lead),
        kind: FollowUp,
        note: &str,
        (actor, now, on): (UserId, OffsetDateTime, time::Date),
    ) -> Result<i64, AppError> {
        if !kind.while_open() && !matches!(lead.status, LeadStatus::Concluded | LeadStatus::Settled) {
            return Err(AppError::field(FieldError::new(
                "kind",
                "not_concluded",
                "办结或予以了结后才能登记后续工作。",
                "Follow-through is recorded once the lead is concluded or settled.",
            )));
        }
        let event =
            timeline::insert(tx, handle, &NewEvent::done(EventKind::FollowUp(kind), actor, to_micros(now)).note(note))
                .await?;
        if kind == FollowUp::ResultFeedback {
            timeline::stop_result_clock(tx, handle).await?;
        }
        let recorded = domain::lifecycle::side_clock::Trigger::Recorded(kind);
        self.move_side_clocks(tx, handle, lead.source, recorded, on, (actor, to_micros(now))).await?;
        Ok(event)
    }

    /// The lead's full timeline (全程留痕), for anyone who may read the lead.
    #[tracing::instrument(name = "lifecycle.timeline", skip_all)]
    pub async fn timeline(&self, reader: &LedgerReader, id: LeadId) -> Result<Vec<TimelineEntry>, AppError> {
        let mut c = self.reader().await?;
        let (handle, _) = leads::get(&mut c, &reader.scope, id).await?.ok_or(AppError::NotFound)?;
        let events = timeline::of_lead(&mut c, &handle).await?;
        entries_for(&mut c, &reader.scope, events).await
    }
}

/// The entries as `scope` may read them: a repeat check names only the earlier leads in scope
/// (the others, and whether they were closed as 查否, are not the reader's to know).
pub(crate) async fn entries_for(
    c: &mut store::Conn,
    scope: &domain::protection::scope::Scope,
    events: Vec<timeline::Event>,
) -> Result<Vec<TimelineEntry>, AppError> {
    let mut out = entries(events);
    let numbers: Vec<String> = out
        .iter()
        .filter_map(|e| match &e.payload {
            Some(Payload::RepeatCheck { candidates, .. }) => Some(candidates.clone()),
            _ => None,
        })
        .flatten()
        .collect();
    if numbers.is_empty() {
        return Ok(out);
    }
    let refs: Vec<&str> = numbers.iter().map(String::as_str).collect();
    let seen = store::ledger::repeats::visible_numbers(c, scope, &refs).await?;
    for e in &mut out {
        if let Some(Payload::RepeatCheck { candidates, unfounded, .. }) = &mut e.payload {
            candidates.retain(|n| seen.contains(n));
            unfounded.retain(|n| seen.contains(n));
        }
    }
    Ok(out)
}

fn entries(events: Vec<timeline::Event>) -> Vec<TimelineEntry> {
    events
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
            payload: e.payload,
        })
        .collect()
}

//! Leadership ownership (包案, seed 二(三)), guidance visits and sign-off, and collective study
//! meetings (集体研判).

use domain::{
    FieldError, LeadId,
    dates::parse_date,
    ledger::lead::Lead,
    lifecycle::{
        step::{Step, parse_note},
        timeline::{Activity, EventKind, Payload},
    },
    protection::role::Role,
    supervision::{meeting::MeetingInput, ownership::KeyKind},
    text::Text,
};
use serde::Serialize;
use store::{
    Conn, Constraint, LeadHandle, StoreError,
    ledger::{leads, units},
    lifecycle::timeline,
    protection::users,
    supervision::ownership,
    to_micros,
};
use time::Date;

use super::Supervision;
use crate::{
    Actor, AppError, LedgerKeeper, LedgerReader,
    lifecycle::Noted,
    protection::audit::{Event, Who, record},
};

/// An owning leader's guidance visit.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct VisitView {
    pub on: Date,
    pub place: String,
    pub decision: String,
    pub leader: String,
}

/// A collective study meeting that discussed the lead, and what it decided about it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MeetingView {
    pub id: i64,
    pub held_on: Date,
    pub title: String,
    pub attendees: String,
    pub decision: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OwnershipView {
    pub kind: Option<KeyKind>,
    pub leader: Option<String>,
    pub visits: Vec<VisitView>,
    pub meetings: Vec<MeetingView>,
}

fn not_leader() -> AppError {
    AppError::field(FieldError::new(
        "leader",
        "not_owning_leader",
        "该账号不是本单位的包案领导。",
        "That account is not an owning leader of this unit.",
    ))
}

impl Supervision<'_> {
    /// A supervisor marks a lead key / difficult / hot and gives it to an owning leader,
    /// who must hold that role over the lead's unit.
    #[tracing::instrument(name = "supervision.mark_key_lead", skip_all)]
    pub async fn mark_key_lead(&self, actor: &Actor, id: LeadId, kind: &str, leader: &str) -> Result<(), AppError> {
        let scope = actor.supervised_scope()?;
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        let (handle, lead) = leads::get(&mut tx, &scope, id).await?.ok_or(AppError::NotFound)?;
        let kind = KeyKind::parse("kind", kind).map_err(AppError::field)?;
        let user = users::by_username(&mut tx, leader.trim()).await?.ok_or_else(not_leader)?;
        let roots: Vec<_> = users::grants(&mut tx, user.id)
            .await?
            .into_iter()
            .filter(|g| g.role == Role::OwningLeader)
            .map(|g| g.unit)
            .collect();
        if roots.is_empty() || !units::within(&mut tx, &roots, lead.unit_id).await? {
            return Err(not_leader());
        }
        ownership::set_owner(&mut tx, &handle, kind, user.id, (actor.id, to_micros(now))).await?;
        let payload = Payload::Ownership { kind, leader: user.display_name.clone() };
        self.note_activity(
            &mut tx,
            &handle,
            actor.id,
            now,
            Noted { activity: Activity::Ownership, note: None, payload: Some(payload) },
        )
        .await?;
        record(
            &mut tx,
            self,
            now,
            Who::User(actor),
            Event::new("lead.own", "lead", id).detail(format!("{kind} → user {}", user.id)),
        )
        .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    /// The owning leader records a guidance visit (沉到一线): date, place, what was decided.
    #[tracing::instrument(name = "supervision.record_visit", skip_all)]
    pub async fn record_visit(
        &self,
        actor: &Actor,
        id: LeadId,
        on: &str,
        place: &str,
        decision: &str,
    ) -> Result<(), AppError> {
        let reader = actor.ledger()?;
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        let (handle, lead) = leads::get(&mut tx, &reader.scope, id).await?.ok_or(AppError::NotFound)?;
        if lead.owning_leader_id != Some(actor.id) {
            return Err(AppError::Forbidden);
        }
        let mut e = domain::Invalid::default();
        let on = e.take(parse_date("visited_on", on));
        let place = e.take(Text::<120>::parse("place", place));
        let decision = e.take(domain::text::Prose::<1000>::parse("decision", decision));
        let (Some(on), Some(place), Some(decision)) = (on, place, decision) else { return Err(e.into()) };
        ownership::add_visit(&mut tx, &handle, actor.id, on, place.as_str(), decision.as_str(), to_micros(now)).await?;
        let payload = Payload::Visit { on, place: place.into_string() };
        self.note_activity(
            &mut tx,
            &handle,
            actor.id,
            now,
            Noted { activity: Activity::Visit, note: Some(decision.as_str()), payload: Some(payload) },
        )
        .await?;
        record(&mut tx, self, now, Who::User(actor), Event::new("lead.visit", "lead", id)).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    /// The owning leader signs off a proposed conclusion before the committee head decides.
    #[tracing::instrument(name = "supervision.sign_off_conclusion", skip_all)]
    pub async fn sign_off_conclusion(&self, actor: &Actor, id: LeadId, note: &str) -> Result<(), AppError> {
        let reader = actor.ledger()?;
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        let (handle, lead) = leads::get(&mut tx, &reader.scope, id).await?.ok_or(AppError::NotFound)?;
        if lead.owning_leader_id != Some(actor.id) {
            return Err(AppError::Forbidden);
        }
        let pending = timeline::pending_of_lead(&mut tx, &handle).await?;
        if pending.as_ref().map(|p| p.kind) != Some(EventKind::Step(Step::Conclude)) {
            return Err(AppError::field(FieldError::new(
                "note",
                "nothing_to_sign",
                "没有待签署的办结意见。",
                "There is no proposed conclusion to sign off.",
            )));
        }
        let note = parse_note(note).map_err(AppError::field)?;
        self.note_activity(
            &mut tx,
            &handle,
            actor.id,
            now,
            Noted { activity: Activity::SignOff, note: Some(&note), payload: None },
        )
        .await?;
        record(&mut tx, self, now, Who::User(actor), Event::new("lead.sign_off", "lead", id)).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    /// Records a collective study meeting and, on each lead's timeline, its decision.
    #[tracing::instrument(name = "supervision.record_meeting", skip_all)]
    pub async fn record_meeting(&self, keeper: &LedgerKeeper, input: &MeetingInput) -> Result<i64, AppError> {
        let now = self.now();
        let m = input.parse(self.today())?;
        let mut tx = self.db().begin_write().await?;
        let mut found = Vec::new();
        for (no, decision) in &m.items {
            let (handle, _) = leads::by_number(&mut tx, &keeper.scope, no).await?.ok_or_else(|| {
                AppError::field(FieldError::new(
                    "items",
                    "unknown_lead",
                    format!("线索 {no} 不存在或不在您的管辖范围内。"),
                    format!("Lead {no} does not exist within your jurisdiction."),
                ))
            })?;
            found.push((handle, no, decision));
        }
        let meeting = ownership::add_meeting(
            &mut tx,
            keeper.actor.unit_id,
            m.held_on,
            &m.title,
            &m.attendees,
            keeper.actor.id,
            to_micros(now),
        )
        .await?;
        for (handle, no, decision) in found {
            ownership::add_meeting_item(&mut tx, meeting, &handle, decision).await.map_err(|e| match e {
                StoreError::Unique(Constraint::MeetingItem) => AppError::field(FieldError::new(
                    "items",
                    "repeated_lead",
                    format!("线索 {no} 列了不止一次，请合并为一行。"),
                    format!("Lead {no} is listed more than once; put it on one line."),
                )),
                other => other.into(),
            })?;
            let payload = Payload::Meeting {
                meeting: Some(meeting),
                held_on: m.held_on,
                title: m.title.clone(),
                attendees: m.attendees.clone(),
            };
            self.note_activity(
                &mut tx,
                &handle,
                keeper.actor.id,
                now,
                Noted { activity: Activity::Meeting, note: Some(decision), payload: Some(payload) },
            )
            .await?;
        }
        record(
            &mut tx,
            self,
            now,
            Who::User(&keeper.actor),
            Event::new("meeting.record", "meeting", meeting).detail(format!("{} leads", m.items.len())),
        )
        .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(meeting)
    }

    #[tracing::instrument(name = "supervision.ownership_of", skip_all)]
    pub async fn ownership_of(&self, reader: &LedgerReader, id: LeadId) -> Result<OwnershipView, AppError> {
        let mut c = self.reader().await?;
        let (handle, lead) = leads::get(&mut c, &reader.scope, id).await?.ok_or(AppError::NotFound)?;
        self.ownership_in(&mut c, &handle, &lead).await
    }

    pub(crate) async fn ownership_in(
        &self,
        c: &mut Conn,
        handle: &LeadHandle,
        lead: &Lead,
    ) -> Result<OwnershipView, AppError> {
        let leader = match lead.owning_leader_id {
            Some(u) => Some(
                users::get(c, u)
                    .await?
                    .map(|u| u.display_name)
                    .ok_or_else(|| AppError::internal(format!("owning leader {u} of lead {} is missing", lead.id)))?,
            ),
            None => None,
        };
        let visits = ownership::visits(c, handle)
            .await?
            .into_iter()
            .map(|v| VisitView { on: v.visited_on, place: v.place, decision: v.decision, leader: v.leader_name })
            .collect();
        let meetings = ownership::meetings_of(c, handle)
            .await?
            .into_iter()
            .map(|(id, held_on, title, attendees, decision)| MeetingView { id, held_on, title, attendees, decision })
            .collect();
        Ok(OwnershipView { kind: lead.key_kind, leader, visits, meetings })
    }
}

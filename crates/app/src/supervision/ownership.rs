//! Leadership ownership (包案, seed 二(三)) and collective study meetings (集体研判).

use super::Supervision;
use domain::{
    FieldError, LeadId, dates::format_date, dates::parse_date, ledger::query::LedgerParams, protection::role::Role,
    supervision::meeting::MeetingInput, supervision::ownership::KeyKind, text::Text,
};
use serde::Serialize;
use store::{
    StoreError, ledger::leads, ledger::units, lifecycle::timeline, protection::users, supervision::ownership, to_micros,
};

use crate::{
    Actor, AppError, LedgerKeeper, LedgerReader, protection::audit::Event, protection::audit::Who,
    protection::audit::record,
};

#[derive(Debug, Clone, Serialize)]
pub struct OwnershipView {
    pub kind: Option<KeyKind>,
    pub leader: Option<String>,
    /// (date, place, decision, leader)
    pub visits: Vec<(String, String, String, String)>,
    /// (date, title, attendees, decision)
    pub meetings: Vec<(String, String, String, String)>,
    /// (meeting id, "date title") for citing in a disposition.
    pub meeting_ids: Vec<(i64, String)>,
}

impl Supervision<'_> {
    /// A supervisor marks a lead key / difficult / hot and gives it to an owning leader,
    /// who must hold that role over the lead's unit.
    #[tracing::instrument(name = "supervision.mark_key_lead", skip_all)]
    pub async fn mark_key_lead(&self, actor: &Actor, id: LeadId, kind: &str, leader: &str) -> Result<(), AppError> {
        let scope = actor.supervised_scope()?;
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        let lead = leads::get(&mut tx, &scope, id).await?.ok_or(AppError::NotFound)?;
        let kind = KeyKind::parse("kind", kind).map_err(AppError::field)?;
        let not_leader = || {
            AppError::field(FieldError::new(
                "leader",
                "not_owning_leader",
                "该账号不是本单位的包案领导。",
                "That account is not an owning leader of this unit.",
            ))
        };
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
        ownership::set_owner(&mut tx, id, kind, user.id, to_micros(now)).await?;
        self.note_event(
            &mut tx,
            id,
            actor.id,
            now,
            "ownership",
            &format!("{}，包案领导：{}", kind.zh(), user.display_name),
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
        let lead = leads::get(&mut tx, &reader.scope, id).await?.ok_or(AppError::NotFound)?;
        if lead.owning_leader_id != Some(actor.id) {
            return Err(AppError::Forbidden);
        }
        let mut e = domain::Invalid::default();
        let on = e.take(parse_date("visited_on", on));
        let place = e.take(Text::<120>::parse("place", place));
        let decision = e.take(Text::<1000>::parse("decision", decision));
        let (Some(on), Some(place), Some(decision)) = (on, place, decision) else { return Err(e.into()) };
        ownership::add_visit(&mut tx, id, actor.id, on, place.as_str(), decision.as_str(), to_micros(now)).await?;
        self.note_event(&mut tx, id, actor.id, now, "visit", &format!("{} {}：{}", format_date(on), place, decision))
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
        let lead = leads::get(&mut tx, &reader.scope, id).await?.ok_or(AppError::NotFound)?;
        if lead.owning_leader_id != Some(actor.id) {
            return Err(AppError::Forbidden);
        }
        let pending = timeline::pending_of_lead(&mut tx, id).await?;
        if pending.as_ref().map(|p| p.kind.as_str()) != Some("conclude") {
            return Err(AppError::field(FieldError::new(
                "note",
                "nothing_to_sign",
                "没有待签署的办结意见。",
                "There is no proposed conclusion to sign off.",
            )));
        }
        let note = domain::lifecycle::step::parse_note(note).map_err(AppError::field)?;
        self.note_event(&mut tx, id, actor.id, now, "sign_off", &note).await?;
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
            let q = LedgerParams { q: no.to_string(), ..Default::default() }.parse()?;
            let lead = store::ledger::pages::page(&mut tx, &keeper.scope, &q, false)
                .await?
                .0
                .into_iter()
                .find(|l| &l.number == no)
                .ok_or_else(|| {
                    AppError::field(FieldError::new(
                        "items",
                        "unknown_lead",
                        format!("线索 {no} 不存在或不在您的管辖范围内。"),
                        format!("Lead {no} does not exist within your jurisdiction."),
                    ))
                })?;
            found.push((lead, decision));
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
        for (lead, decision) in found {
            ownership::add_meeting_item(&mut tx, meeting, lead.id, decision).await?;
            let note = format!("{}「{}」（{}）：{}", format_date(m.held_on), m.title, m.attendees, decision);
            self.note_event(&mut tx, lead.id, keeper.actor.id, now, "meeting", &note).await?;
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
        let lead = leads::get(&mut c, &reader.scope, id).await?.ok_or(AppError::NotFound)?;
        let leader = match lead.owning_leader_id {
            Some(u) => users::get(&mut c, u).await?.map(|u| u.display_name),
            None => None,
        };
        let visits = ownership::visits(&mut c, id)
            .await?
            .into_iter()
            .map(|v| (format_date(v.visited_on), v.place, v.decision, v.leader_name))
            .collect();
        let held = ownership::meetings_of(&mut c, id).await?;
        let meeting_ids =
            held.iter().map(|(mid, on, title, ..)| (*mid, format!("{} {title}", format_date(*on)))).collect();
        let meetings = held
            .into_iter()
            .map(|(_, on, title, attendees, decision)| (format_date(on), title, attendees, decision))
            .collect();
        Ok(OwnershipView { kind: lead.key_kind, leader, visits, meetings, meeting_ids })
    }
}

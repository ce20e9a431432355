//! Leadership ownership (包案), guidance visits, collective study meetings.

use domain::{UnitId, UserId, supervision::ownership::KeyKind};
use sqlx::Row;

use crate::{Conn, LeadHandle, StoreError, Tx, sql::date_text, sql::parse_stored_date};

pub async fn set_owner(
    tx: &mut Tx,
    lead: &LeadHandle,
    kind: KeyKind,
    leader: UserId,
    (by, at): (UserId, i64),
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE leads SET key_kind = $1, owning_leader_id = $2, updated_at = $3, updated_by = $5,
         version = version + 1 WHERE id = $4",
    )
    .bind(kind.code())
    .bind(leader.get())
    .bind(at)
    .bind(lead.raw())
    .bind(by.get())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[derive(Debug, Clone)]
pub struct Visit {
    pub leader_name: String,
    pub visited_on: time::Date,
    pub place: String,
    pub decision: String,
}

pub async fn add_visit(
    tx: &mut Tx,
    lead: &LeadHandle,
    leader: UserId,
    on: time::Date,
    place: &str,
    decision: &str,
    at: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO guidance_visits (lead_id, leader_id, visited_on, place, decision, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(lead.raw())
    .bind(leader.get())
    .bind(date_text(on))
    .bind(place)
    .bind(decision)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn visits(c: &mut Conn, lead: &LeadHandle) -> Result<Vec<Visit>, StoreError> {
    sqlx::query(
        "SELECT u.display_name, v.visited_on, v.place, v.decision FROM guidance_visits v JOIN users u ON u.id = v.leader_id
         WHERE v.lead_id = $1 ORDER BY v.visited_on, v.id",
    )
    .bind(lead.raw())
    .fetch_all(&mut *c)
    .await?
    .iter()
    .map(|r| {
        Ok(Visit {
            leader_name: r.try_get(0)?,
            visited_on: parse_stored_date(&r.try_get::<String, _>(1)?)?,
            place: r.try_get(2)?,
            decision: r.try_get(3)?,
        })
    })
    .collect()
}

pub async fn add_meeting(
    tx: &mut Tx,
    unit: UnitId,
    held_on: time::Date,
    title: &str,
    attendees: &str,
    by: UserId,
    at: i64,
) -> Result<i64, StoreError> {
    Ok(sqlx::query(
        "INSERT INTO meetings (unit_id, held_on, title, attendees, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(unit.get())
    .bind(date_text(held_on))
    .bind(title)
    .bind(attendees)
    .bind(by.get())
    .bind(at)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?)
}

pub async fn add_meeting_item(tx: &mut Tx, meeting: i64, lead: &LeadHandle, decision: &str) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO meeting_items (meeting_id, lead_id, decision) VALUES ($1, $2, $3)")
        .bind(meeting)
        .bind(lead.raw())
        .bind(decision)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The meetings that discussed a lead: (meeting id, date, title, attendees, decision).
pub async fn meetings_of(
    c: &mut Conn,
    lead: &LeadHandle,
) -> Result<Vec<(i64, time::Date, String, String, String)>, StoreError> {
    sqlx::query(
        "SELECT m.id, m.held_on, m.title, m.attendees, i.decision FROM meeting_items i JOIN meetings m ON m.id = i.meeting_id
         WHERE i.lead_id = $1 ORDER BY m.held_on, m.id",
    )
    .bind(lead.raw())
    .fetch_all(&mut *c)
    .await?
    .iter()
    .map(|r| {
        Ok((r.try_get(0)?, parse_stored_date(&r.try_get::<String, _>(1)?)?, r.try_get(2)?, r.try_get(3)?, r.try_get(4)?))
    })
    .collect()
}

//! Recusal (回避) by person: which accounts may be a person a lead names, kept in `recusals`
//! and left out of every scoped read (`scope::push_as`).
//!
//! An account's person matches a subject when (a) the subject was linked to that very
//! person, (b) both have ID numbers and the keyed hashes are equal, or (c) their name keys
//! (`domain::protection::person::name_key`) are equal, they do not have two different ID
//! numbers, and the subject's unit is the account's unit, its parent, or one of its
//! children. A subject's unit is the unit its text names exactly (preferring one in the lead's
//! own part of the tree), else the lead's unit. A supervisor may clear a match.

use domain::{LeadId, UnitId, UserId};
use sqlx::Row;

use crate::{Conn, StoreError, Tx, scope::LeadHandle, sql::SqlBuilder, sql::Value};

/// The unit a subject belongs to: the unit named exactly by `text`, else `lead_unit`.
pub async fn subject_unit(tx: &mut Tx, lead_unit: UnitId, text: &str) -> Result<UnitId, StoreError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(lead_unit);
    }
    // Names repeat across the tree (every hospital has a 纪检监察室): prefer the one under the
    // lead unit's parent, then the only one there is.
    let rows = sqlx::query(
        "SELECT u.id, CASE WHEN EXISTS (SELECT 1 FROM unit_closure c JOIN units lu ON lu.id = $2
                 WHERE c.ancestor_id = COALESCE(lu.parent_id, lu.id) AND c.descendant_id = u.id) THEN 0 ELSE 1 END AS far
         FROM units u WHERE u.name = $1 ORDER BY far, u.id",
    )
    .bind(text)
    .bind(lead_unit.get())
    .fetch_all(&mut **tx)
    .await?;
    let near: Vec<i64> =
        rows.iter().filter(|r| r.try_get::<i64, _>("far").ok() == Some(0)).filter_map(|r| r.try_get(0).ok()).collect();
    Ok(match (near.first(), rows.len()) {
        (Some(id), _) => UnitId::from_raw(*id),
        (None, 1) => UnitId::from_raw(rows[0].try_get(0)?),
        _ => lead_unit,
    })
}

/// The match condition between subject `s` and account `u` (with person `p`).
const MATCHES: &str = "(s.person_id = p.id
    OR (p.id_number_hash IS NOT NULL AND s.id_number_hash = p.id_number_hash)
    OR (s.name_key = p.name_key
        AND NOT (p.id_number_hash IS NOT NULL AND s.id_number_hash IS NOT NULL AND s.id_number_hash <> p.id_number_hash)
        AND (s.unit_ref = u.unit_id
             OR s.unit_ref = (SELECT parent_id FROM units WHERE id = u.unit_id)
             OR s.unit_ref IN (SELECT id FROM units WHERE parent_id = u.unit_id))))";

/// The strongest reason, for the record: the ID number, then the person, then the name.
const BASIS: &str =
    "MIN(CASE WHEN p.id_number_hash IS NOT NULL AND s.id_number_hash = p.id_number_hash THEN 'id_number'
    WHEN s.person_id = p.id THEN 'person' ELSE 'name' END)";

/// Rebuilds the matches of one lead (after its subjects were written).
pub async fn rematch_lead(tx: &mut Tx, lead: LeadId) -> Result<(), StoreError> {
    rematch_leads(tx, lead, lead).await
}

/// Rebuilds the matches of the leads with ids `first..=last` (a bulk load's).
pub async fn rematch_leads(tx: &mut Tx, first: LeadId, last: LeadId) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM recusals WHERE lead_id BETWEEN $1 AND $2")
        .bind(first.get())
        .bind(last.get())
        .execute(&mut **tx)
        .await?;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO recusals (user_id, lead_id, basis)
         SELECT u.id, s.lead_id, {BASIS}
         FROM lead_subjects s
         JOIN persons p ON (p.id = s.person_id OR p.name_key = s.name_key
                            OR (s.id_number_hash IS NOT NULL AND p.id_number_hash = s.id_number_hash))
         JOIN users u ON u.person_id = p.id
         WHERE s.lead_id BETWEEN $1 AND $2 AND {MATCHES}
           AND NOT EXISTS (SELECT 1 FROM recusal_clearances k WHERE k.lead_id = s.lead_id AND k.user_id = u.id)
         GROUP BY u.id, s.lead_id"
    )))
    .bind(first.get())
    .bind(last.get())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Rebuilds the matches of one account (after its person or unit changed).
pub async fn rematch_user(tx: &mut Tx, user: UserId) -> Result<(), StoreError> {
    let kept_from = || {
        let mut b = SqlBuilder::new("SELECT lead_id FROM recusals WHERE user_id = ");
        b.bind(Value::Int(user.get()));
        b
    };
    // The leads kept from the account before and after: the search index scopes by them.
    crate::search::touch_where(tx, kept_from()).await?;
    sqlx::query("DELETE FROM recusals WHERE user_id = $1").bind(user.get()).execute(&mut **tx).await?;
    // Three ways in, each through an index: the linked person, the name key, the ID number.
    for join in ["s.person_id = p.id", "s.name_key = p.name_key", "s.id_number_hash = p.id_number_hash"] {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO recusals (user_id, lead_id, basis)
             SELECT u.id, s.lead_id, {BASIS}
             FROM users u JOIN persons p ON p.id = u.person_id
             JOIN lead_subjects s ON {join}
             WHERE u.id = $1 AND {MATCHES}
               AND NOT EXISTS (SELECT 1 FROM recusal_clearances k WHERE k.lead_id = s.lead_id AND k.user_id = u.id)
               AND NOT EXISTS (SELECT 1 FROM recusals r WHERE r.lead_id = s.lead_id AND r.user_id = u.id)
             GROUP BY u.id, s.lead_id"
        )))
        .bind(user.get())
        .execute(&mut **tx)
        .await?;
    }
    crate::search::touch_where(tx, kept_from()).await
}

/// The migration's step: name keys and units for every subject and person written before
/// there were any, then every account's matches.
pub async fn rematch_everything(tx: &mut Tx) -> Result<(), StoreError> {
    let persons = sqlx::query("SELECT id, name FROM persons").fetch_all(&mut **tx).await?;
    for r in persons {
        let name: String = r.try_get(1)?;
        sqlx::query("UPDATE persons SET name_key = $1 WHERE id = $2")
            .bind(domain::protection::person::name_key(&name))
            .bind(r.try_get::<i64, _>(0)?)
            .execute(&mut **tx)
            .await?;
    }
    let subjects = sqlx::query(
        "SELECT s.lead_id, s.ordinal, s.name, s.unit_name, l.unit_id FROM lead_subjects s JOIN leads l ON l.id = s.lead_id",
    )
    .fetch_all(&mut **tx)
    .await?;
    for r in subjects {
        let (name, unit_name): (String, String) = (r.try_get(2)?, r.try_get(3)?);
        let unit = subject_unit(tx, UnitId::from_raw(r.try_get(4)?), &unit_name).await?;
        sqlx::query(
            "UPDATE lead_subjects SET name_key = $1, unit_ref = $2,
                id_number_hash = (SELECT p.id_number_hash FROM persons p WHERE p.id = lead_subjects.person_id)
             WHERE lead_id = $3 AND ordinal = $4",
        )
        .bind(domain::protection::person::name_key(&name))
        .bind(unit.get())
        .bind(r.try_get::<i64, _>(0)?)
        .bind(r.try_get::<i64, _>(1)?)
        .execute(&mut **tx)
        .await?;
    }
    let users = sqlx::query("SELECT id FROM users WHERE person_id IS NOT NULL").fetch_all(&mut **tx).await?;
    for r in users {
        rematch_user(tx, UserId::from_raw(r.try_get(0)?)).await?;
    }
    Ok(())
}

/// A possible match on a lead, as the keepers and supervisors see it.
#[derive(Debug, Clone)]
pub struct Match {
    pub user_id: UserId,
    pub display_name: String,
    pub unit_name: String,
    pub basis: domain::protection::person::MatchBasis,
}

pub async fn for_lead(c: &mut Conn, lead: &LeadHandle) -> Result<Vec<Match>, StoreError> {
    sqlx::query(
        "SELECT r.user_id, u.display_name, n.name, r.basis FROM recusals r
         JOIN users u ON u.id = r.user_id JOIN units n ON n.id = u.unit_id
         WHERE r.lead_id = $1 ORDER BY u.display_name, r.user_id",
    )
    .bind(lead.raw())
    .fetch_all(&mut *c)
    .await?
    .iter()
    .map(|r| {
        Ok(Match {
            user_id: UserId::from_raw(r.try_get(0)?),
            display_name: r.try_get(1)?,
            unit_name: r.try_get(2)?,
            basis: crate::sql::code(&r.try_get::<String, _>(3)?, domain::protection::person::MatchBasis::from_code)?,
        })
    })
    .collect()
}

/// Whether `user` must be kept from `lead`.
pub async fn is_recused(c: &mut Conn, lead: LeadId, user: UserId) -> Result<bool, StoreError> {
    Ok(sqlx::query("SELECT 1 FROM recusals WHERE lead_id = $1 AND user_id = $2")
        .bind(lead.get())
        .bind(user.get())
        .fetch_optional(&mut *c)
        .await?
        .is_some())
}

/// Marks `user` and the person `lead` names as different people: the match is dropped and
/// not made again. `false` when there was no such match.
pub async fn clear(
    tx: &mut Tx,
    lead: &LeadHandle,
    user: UserId,
    by: UserId,
    reason: &str,
    now: i64,
) -> Result<bool, StoreError> {
    let gone = sqlx::query("DELETE FROM recusals WHERE lead_id = $1 AND user_id = $2")
        .bind(lead.raw())
        .bind(user.get())
        .execute(&mut **tx)
        .await?
        .rows_affected();
    if gone == 0 {
        return Ok(false);
    }
    crate::search::touch(tx, [lead.raw()]).await?;
    sqlx::query(
        "INSERT INTO recusal_clearances (lead_id, user_id, cleared_by, reason, cleared_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(lead.raw())
    .bind(user.get())
    .bind(by.get())
    .bind(reason)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(true)
}

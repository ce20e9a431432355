//! Sessions live in the database so that several instances can share them.

use domain::UserId;
use sqlx::Row;

use crate::{Conn, StoreError, Tx};

#[derive(Debug, Clone)]
pub struct SessionRecord {
    pub user_id: UserId,
    pub kind: String,
    pub csrf_token: String,
    pub last_seen_at: i64,
    pub expires_at: i64,
    /// The message for the next page, as the app encoded it.
    pub flash: Option<String>,
}

pub struct NewSession<'a> {
    pub token_hash: &'a str,
    pub user_id: UserId,
    pub kind: &'a str,
    pub csrf_token: &'a str,
    pub now: i64,
    pub expires_at: i64,
}

pub async fn insert(tx: &mut Tx, s: &NewSession<'_>) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, kind, csrf_token, created_at, last_seen_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $5, $6)",
    )
    .bind(s.token_hash)
    .bind(s.user_id.get())
    .bind(s.kind)
    .bind(s.csrf_token)
    .bind(s.now)
    .bind(s.expires_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A signed-in request's session, its user, the name of the user's unit and the user's
/// grants, in one statement (one row per grant): every signed-in request starts here.
pub struct SignedIn {
    pub session: SessionRecord,
    pub user: crate::protection::users::UserRecord,
    pub unit_name: String,
    pub grants: Vec<domain::protection::role::Grant>,
}

pub async fn signed_in(c: &mut Conn, token_hash: &str) -> Result<Option<SignedIn>, StoreError> {
    let user_columns: Vec<String> =
        crate::protection::users::COLUMNS.split(", ").map(|col| format!("u.{}", col.trim())).collect();
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT s.user_id, s.kind, s.csrf_token, s.last_seen_at, s.expires_at, s.flash, {}, n.name AS unit_name,
            g.role AS grant_role, g.unit_id AS grant_unit
         FROM sessions s JOIN users u ON u.id = s.user_id JOIN units n ON n.id = u.unit_id
            LEFT JOIN grants g ON g.user_id = u.id
         WHERE s.token_hash = $1 ORDER BY g.id",
        user_columns.join(", ")
    )))
    .bind(token_hash)
    .fetch_all(&mut *c)
    .await?;
    let Some(r) = rows.first() else { return Ok(None) };
    let session = SessionRecord {
        user_id: UserId::from_raw(r.try_get("user_id")?),
        kind: r.try_get("kind")?,
        csrf_token: r.try_get("csrf_token")?,
        last_seen_at: r.try_get("last_seen_at")?,
        expires_at: r.try_get("expires_at")?,
        flash: r.try_get("flash")?,
    };
    let mut grants = Vec::new();
    for g in &rows {
        if let Some(role) = g.try_get::<Option<String>, _>("grant_role")? {
            grants.push(domain::protection::role::Grant {
                role: crate::sql::code(&role, domain::protection::role::Role::from_code)?,
                unit: domain::UnitId::from_raw(g.try_get("grant_unit")?),
            });
        }
    }
    Ok(Some(SignedIn {
        session,
        user: crate::protection::users::user_from_row(r)?,
        unit_name: r.try_get("unit_name")?,
        grants,
    }))
}

pub async fn touch(tx: &mut Tx, token_hash: &str, now: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
        .bind(now)
        .bind(token_hash)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Sets (or, with `None`, clears) the session's message for its next page.
pub async fn set_flash(tx: &mut Tx, token_hash: &str, flash: Option<&str>) -> Result<(), StoreError> {
    sqlx::query("UPDATE sessions SET flash = $1 WHERE token_hash = $2")
        .bind(flash)
        .bind(token_hash)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn delete(tx: &mut Tx, token_hash: &str) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(&mut **tx).await?;
    Ok(())
}

/// Ends `user`'s sessions that have expired (housekeeping at each sign-in).
pub async fn delete_expired_for_user(tx: &mut Tx, user: UserId, now: i64) -> Result<u64, StoreError> {
    Ok(sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND expires_at <= $2")
        .bind(user.get())
        .bind(now)
        .execute(&mut **tx)
        .await?
        .rows_affected())
}

/// Ends every session of `user` (after a password reset or a lock).
pub async fn delete_for_user(tx: &mut Tx, user: UserId) -> Result<u64, StoreError> {
    Ok(sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user.get())
        .execute(&mut **tx)
        .await?
        .rows_affected())
}

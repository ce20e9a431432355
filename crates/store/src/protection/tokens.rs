//! Personal API tokens: only a hash is stored.

use domain::UserId;
use sqlx::Row;

use crate::{Conn, StoreError, Tx};

#[derive(Debug, Clone)]
pub struct TokenRecord {
    pub id: i64,
    pub user_id: UserId,
    pub name: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub revoked_at: Option<i64>,
    pub last_used_at: Option<i64>,
}

fn from_row(r: &sqlx::any::AnyRow) -> Result<TokenRecord, StoreError> {
    Ok(TokenRecord {
        id: r.try_get("id")?,
        user_id: UserId::from_raw(r.try_get("user_id")?),
        name: r.try_get("name")?,
        created_at: r.try_get("created_at")?,
        expires_at: r.try_get("expires_at")?,
        revoked_at: r.try_get("revoked_at")?,
        last_used_at: r.try_get("last_used_at")?,
    })
}

const COLUMNS: &str = "id, user_id, name, created_at, expires_at, revoked_at, last_used_at";

pub async fn insert(
    tx: &mut Tx,
    user: UserId,
    name: &str,
    hash: &str,
    now: i64,
    expires_at: i64,
) -> Result<i64, StoreError> {
    Ok(sqlx::query(
        "INSERT INTO api_tokens (user_id, name, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(user.get())
    .bind(name)
    .bind(hash)
    .bind(now)
    .bind(expires_at)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?)
}

pub async fn by_hash(c: &mut Conn, hash: &str) -> Result<Option<TokenRecord>, StoreError> {
    sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM api_tokens WHERE token_hash = $1")))
        .bind(hash)
        .fetch_optional(&mut *c)
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

pub async fn of_user(c: &mut Conn, user: UserId) -> Result<Vec<TokenRecord>, StoreError> {
    sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM api_tokens WHERE user_id = $1 ORDER BY id DESC")))
        .bind(user.get())
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(from_row)
        .collect()
}

/// Revokes one of `user`'s tokens; false if there is no such live token of theirs.
pub async fn revoke(tx: &mut Tx, user: UserId, id: i64, now: i64) -> Result<bool, StoreError> {
    Ok(sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL")
        .bind(now)
        .bind(id)
        .bind(user.get())
        .execute(&mut **tx)
        .await?
        .rows_affected()
        == 1)
}

pub async fn touch(tx: &mut Tx, id: i64, now: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2").bind(now).bind(id).execute(&mut **tx).await?;
    Ok(())
}

/// Revokes every live token of `user` (after a password reset or change).
pub async fn revoke_all(tx: &mut Tx, user: UserId, now: i64) -> Result<u64, StoreError> {
    Ok(sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL")
        .bind(now)
        .bind(user.get())
        .execute(&mut **tx)
        .await?
        .rows_affected())
}

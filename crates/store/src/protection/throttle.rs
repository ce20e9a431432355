//! Failed sign-ins per (claimed username, client address); see `domain::protection::throttle`.

use sqlx::Row;

use crate::{Conn, StoreError, Tx};

/// A pair's standing: failures in a row and until when it is held back.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Standing {
    pub failures: i64,
    pub locked_until: i64,
}

/// The pair's standing, forgetting failures older than `forget_before`.
pub async fn standing(c: &mut Conn, username: &str, client: &str, forget_before: i64) -> Result<Standing, StoreError> {
    let row = sqlx::query(
        "SELECT failures, locked_until, last_failed_at FROM sign_in_throttle WHERE username = $1 AND client = $2",
    )
    .bind(username)
    .bind(client)
    .fetch_optional(&mut *c)
    .await?;
    let Some(r) = row else { return Ok(Standing::default()) };
    let last: i64 = r.try_get("last_failed_at")?;
    let locked_until: i64 = r.try_get("locked_until")?;
    if last < forget_before && locked_until < forget_before {
        return Ok(Standing::default());
    }
    Ok(Standing { failures: r.try_get("failures")?, locked_until })
}

/// Writes the pair's standing after a failure at `now`.
pub async fn record_failure(
    tx: &mut Tx,
    username: &str,
    client: &str,
    standing: Standing,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM sign_in_throttle WHERE username = $1 AND client = $2")
        .bind(username)
        .bind(client)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "INSERT INTO sign_in_throttle (username, client, failures, locked_until, last_failed_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(username)
    .bind(client)
    .bind(standing.failures)
    .bind(standing.locked_until)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Forgets the pair (after a successful sign-in).
pub async fn clear(tx: &mut Tx, username: &str, client: &str) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM sign_in_throttle WHERE username = $1 AND client = $2")
        .bind(username)
        .bind(client)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Forgets every address's failures for `username` (the security administrator's unlock).
pub async fn clear_name(tx: &mut Tx, username: &str) -> Result<u64, StoreError> {
    Ok(sqlx::query("DELETE FROM sign_in_throttle WHERE username = $1")
        .bind(username)
        .execute(&mut **tx)
        .await?
        .rows_affected())
}

/// Per counted username: recent failures (since `since`) over all addresses, and whether
/// any address is held back at `now`. For the administrators' account list.
pub async fn summary(c: &mut Conn, since: i64, now: i64) -> Result<Vec<(String, i64, bool)>, StoreError> {
    sqlx::query(
        "SELECT username, CAST(SUM(failures) AS BIGINT), MAX(locked_until) FROM sign_in_throttle
         WHERE last_failed_at >= $1 OR locked_until > $2 GROUP BY username",
    )
    .bind(since)
    .bind(now)
    .fetch_all(&mut *c)
    .await?
    .iter()
    .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get::<i64, _>(2)? > now)))
    .collect()
}

//! Forms kept across an expired session: sealed bodies, one use each, for their own user.

use domain::UserId;
use sqlx::Row;

use crate::{StoreError, Tx};

pub struct NewKeptForm<'a> {
    pub id: &'a str,
    pub user_id: UserId,
    pub path: &'a str,
    pub key_id: &'a str,
    pub body: &'a str,
    pub now: i64,
}

pub struct KeptForm {
    pub path: String,
    pub key_id: String,
    pub body: String,
}

/// Keeps a form, first dropping the user's forms older than `older_than` and all but the
/// newest `keep - 1` others, so one account never holds more than `keep`.
pub async fn insert(tx: &mut Tx, f: &NewKeptForm<'_>, older_than: i64, keep: i64) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM kept_forms WHERE user_id = $1 AND created_at <= $2")
        .bind(f.user_id.get())
        .bind(older_than)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "DELETE FROM kept_forms WHERE user_id = $1 AND id NOT IN
            (SELECT id FROM kept_forms WHERE user_id = $1 ORDER BY created_at DESC LIMIT $2)",
    )
    .bind(f.user_id.get())
    .bind(keep - 1)
    .execute(&mut **tx)
    .await?;
    sqlx::query("INSERT INTO kept_forms (id, user_id, path, key_id, body, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(f.id)
        .bind(f.user_id.get())
        .bind(f.path)
        .bind(f.key_id)
        .bind(f.body)
        .bind(f.now)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Takes (reads and deletes) `user`'s form `id` if it was kept after `since`.
pub async fn take(tx: &mut Tx, user: UserId, id: &str, since: i64) -> Result<Option<KeptForm>, StoreError> {
    let row = sqlx::query("SELECT path, key_id, body, created_at FROM kept_forms WHERE id = $1 AND user_id = $2")
        .bind(id)
        .bind(user.get())
        .fetch_optional(&mut **tx)
        .await?;
    let Some(r) = row else { return Ok(None) };
    sqlx::query("DELETE FROM kept_forms WHERE id = $1").bind(id).execute(&mut **tx).await?;
    if r.try_get::<i64, _>("created_at")? <= since {
        return Ok(None);
    }
    Ok(Some(KeptForm { path: r.try_get("path")?, key_id: r.try_get("key_id")?, body: r.try_get("body")? }))
}

//! The person registry: the same person named in several leads is one row, matched by the
//! hash of their ID number when known, otherwise by name and unit.

use sqlx::Row;

use crate::{Conn, StoreError};

pub async fn resolve(
    c: &mut Conn,
    id_hash: Option<&str>,
    name: &str,
    unit_name: &str,
    now: i64,
) -> Result<i64, StoreError> {
    if let Some(h) = id_hash {
        if let Some(r) = sqlx::query("SELECT id FROM persons WHERE id_number_hash = $1 ORDER BY id LIMIT 1")
            .bind(h)
            .fetch_optional(&mut *c)
            .await?
        {
            return Ok(r.try_get(0)?);
        }
    } else if let Some(r) = sqlx::query("SELECT id FROM persons WHERE name = $1 AND unit_name = $2 ORDER BY id LIMIT 1")
        .bind(name)
        .bind(unit_name)
        .fetch_optional(&mut *c)
        .await?
    {
        return Ok(r.try_get(0)?);
    }
    Ok(sqlx::query(
        "INSERT INTO persons (id_number_hash, name, unit_name, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(id_hash)
    .bind(name)
    .bind(unit_name)
    .bind(now)
    .fetch_one(&mut *c)
    .await?
    .try_get(0)?)
}

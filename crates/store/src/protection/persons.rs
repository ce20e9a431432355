//! The person registry: the same person named in several leads is one row, matched by the
//! hash of their ID number when known, otherwise by name and unit.

use sqlx::Row;

use crate::{StoreError, Tx};

pub async fn resolve(
    tx: &mut Tx,
    id_hash: Option<&str>,
    name: &str,
    unit_name: &str,
    now: i64,
) -> Result<i64, StoreError> {
    if let Some(h) = id_hash
        && let Some(r) = sqlx::query("SELECT id FROM persons WHERE id_number_hash = $1 ORDER BY id LIMIT 1")
            .bind(h)
            .fetch_optional(&mut **tx)
            .await?
    {
        return Ok(r.try_get(0)?);
    }
    // Not known by ID number: the same name in the same unit is the same person (and an
    // account holder is linked this way), so a new ID number joins that person.
    if let Some(r) =
        sqlx::query("SELECT id, id_number_hash FROM persons WHERE name = $1 AND unit_name = $2 ORDER BY id LIMIT 1")
            .bind(name)
            .bind(unit_name)
            .fetch_optional(&mut **tx)
            .await?
    {
        let id: i64 = r.try_get(0)?;
        let known: Option<String> = r.try_get(1)?;
        match (id_hash, known) {
            (Some(h), None) => {
                sqlx::query("UPDATE persons SET id_number_hash = $1 WHERE id = $2")
                    .bind(h)
                    .bind(id)
                    .execute(&mut **tx)
                    .await?;
                return Ok(id);
            }
            (Some(_), Some(_)) => {} // another person with the same name: a new row
            (None, _) => return Ok(id),
        }
    }
    Ok(sqlx::query(
        "INSERT INTO persons (id_number_hash, name, unit_name, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(id_hash)
    .bind(name)
    .bind(unit_name)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?)
}

//! The person registry: the same person named in several leads is one row, matched by the
//! hash of their ID number when known, otherwise by name and unit.

use std::collections::{HashMap, HashSet};

use sqlx::Row;

use crate::{Conn, StoreError, Tx, sql::SqlBuilder, sql::Value, sql::rows_per_statement};

/// The person a subject (or an account holder) is: found by the keyed hash of their ID
/// number, else by name and unit; created when new. `key_id` names the hash's key.
pub async fn resolve(
    tx: &mut Tx,
    id_hash: Option<&str>,
    key_id: &str,
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
                sqlx::query("UPDATE persons SET id_number_hash = $1, id_hash_key = $2 WHERE id = $3")
                    .bind(h)
                    .bind(key_id)
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
        "INSERT INTO persons (id_number_hash, id_hash_key, name, unit_name, created_at, name_key)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(id_hash)
    .bind(id_hash.map(|_| key_id))
    .bind(name)
    .bind(unit_name)
    .bind(now)
    .bind(domain::protection::person::name_key(name))
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?)
}

/// A subject's person, as [`resolve_many`] looks it up.
#[derive(Debug, Clone)]
pub struct Wanted {
    pub id_hash: Option<String>,
    pub name: String,
    pub unit_name: String,
}

/// [`resolve`] for many subjects at once, in their order: those without an ID number (nearly
/// every imported one) by one lookup per batch of names and one insert of the persons not
/// known yet; two subjects with the same name in the same unit are one person.
pub async fn resolve_many(tx: &mut Tx, wanted: &[Wanted], key_id: &str, now: i64) -> Result<Vec<i64>, StoreError> {
    let mut out = vec![0i64; wanted.len()];
    // Those with an ID number first, one by one: a person they create is found by name after.
    for (i, w) in wanted.iter().enumerate().filter(|(_, w)| w.id_hash.is_some()) {
        out[i] = resolve(tx, w.id_hash.as_deref(), key_id, &w.name, &w.unit_name, now).await?;
    }
    let plain: Vec<usize> = (0..wanted.len()).filter(|i| wanted[*i].id_hash.is_none()).collect();
    let key = |i: usize| (wanted[i].name.clone(), wanted[i].unit_name.clone());
    let keys: HashSet<(String, String)> = plain.iter().map(|i| key(*i)).collect();
    let mut known: HashMap<(String, String), i64> = HashMap::new();
    let mut names: Vec<&str> = keys.iter().map(|(n, _)| n.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    for chunk in names.chunks(rows_per_statement(1)) {
        let mut b = SqlBuilder::bulk(tx, "SELECT id, name, unit_name FROM persons WHERE name IN (");
        for (i, n) in chunk.iter().enumerate() {
            if i > 0 {
                b.push(", ");
            }
            b.bind(Value::Text((*n).to_owned()));
        }
        b.push(") ORDER BY id DESC");
        for r in b.build().fetch_all(&mut **tx).await? {
            let (id, k): (i64, (String, String)) = (r.try_get(0)?, (r.try_get(1)?, r.try_get(2)?));
            // Highest id first, so the lowest, the one `resolve` takes, is left standing.
            if keys.contains(&k) {
                known.insert(k, id);
            }
        }
    }
    // In the order they were named, so that person ids follow the sheet.
    let mut seen = HashSet::new();
    let missing: Vec<(String, String)> =
        plain.iter().map(|i| key(*i)).filter(|k| !known.contains_key(k) && seen.insert(k.clone())).collect();
    for chunk in missing.chunks(rows_per_statement(6)) {
        let mut b = SqlBuilder::bulk(
            tx,
            "INSERT INTO persons (id_number_hash, id_hash_key, name, unit_name, created_at, name_key) VALUES ",
        );
        for (i, (name, unit)) in chunk.iter().enumerate() {
            b.push_row(
                i == 0,
                [
                    Value::TextOpt(None),
                    Value::TextOpt(None),
                    Value::Text(name.clone()),
                    Value::Text(unit.clone()),
                    Value::Int(now),
                    Value::Text(domain::protection::person::name_key(name)),
                ],
            );
        }
        b.push(" RETURNING id, name, unit_name");
        for r in b.build().fetch_all(&mut **tx).await? {
            known.insert((r.try_get(1)?, r.try_get(2)?), r.try_get(0)?);
        }
    }
    for i in plain {
        out[i] = *known.get(&key(i)).ok_or_else(|| StoreError::corrupt("a person was neither found nor inserted"))?;
    }
    Ok(out)
}

/// Persons whose ID-number hash predates the person key (plain SHA-256), a page at a time.
pub async fn unkeyed(c: &mut Conn, limit: i64) -> Result<Vec<(i64, String)>, StoreError> {
    sqlx::query("SELECT id, id_number_hash FROM persons WHERE id_number_hash IS NOT NULL AND id_hash_key IS NULL ORDER BY id LIMIT $1")
        .bind(limit)
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect()
}

/// Replaces a person's plain hash with its keyed one (and the subjects' copies of it).
pub async fn rekey(tx: &mut Tx, person: i64, hash: &str, key_id: &str) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE lead_subjects SET id_number_hash = $1 WHERE person_id = $2 AND id_number_hash =
            (SELECT id_number_hash FROM persons WHERE id = $2 AND id_hash_key IS NULL)",
    )
    .bind(hash)
    .bind(person)
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE persons SET id_number_hash = $1, id_hash_key = $2 WHERE id = $3 AND id_hash_key IS NULL")
        .bind(hash)
        .bind(key_id)
        .bind(person)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

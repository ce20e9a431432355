use domain::{UnitId, ledger::unit::NewUnit, ledger::unit::Unit, ledger::unit::UnitCode, ledger::unit::UnitKind};
use sqlx::{Row, any::AnyRow};

use crate::{Conn, StoreError, Tx, sql::code};

fn unit_from_row(r: &AnyRow) -> Result<Unit, StoreError> {
    let code_text: String = r.try_get("code")?;
    Ok(Unit {
        id: UnitId::from_raw(r.try_get("id")?),
        code: UnitCode::parse("", &code_text).map_err(|_| StoreError::corrupt("unit code"))?,
        name: r.try_get("name")?,
        kind: code(&r.try_get::<String, _>("kind")?, UnitKind::from_code)?,
        parent: r.try_get::<Option<i64>, _>("parent_id")?.map(UnitId::from_raw),
    })
}

/// Inserts a unit and its closure rows (itself at depth 0, then every ancestor).
pub async fn insert(tx: &mut Tx, u: &NewUnit, now: i64) -> Result<UnitId, StoreError> {
    let id: i64 = sqlx::query(
        "INSERT INTO units (code, name, kind, parent_id, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(u.code.as_str())
    .bind(u.name.as_str())
    .bind(u.kind.code())
    .bind(u.parent.map(UnitId::get))
    .bind(now)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?;
    sqlx::query("INSERT INTO unit_closure (ancestor_id, descendant_id, depth) VALUES ($1, $1, 0)")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    if let Some(parent) = u.parent {
        sqlx::query(
            "INSERT INTO unit_closure (ancestor_id, descendant_id, depth)
             SELECT ancestor_id, $1, depth + 1 FROM unit_closure WHERE descendant_id = $2",
        )
        .bind(id)
        .bind(parent.get())
        .execute(&mut **tx)
        .await?;
    }
    Ok(UnitId::from_raw(id))
}

/// All units, parents before children, siblings by code.
pub async fn list(c: &mut Conn) -> Result<Vec<Unit>, StoreError> {
    sqlx::query(
        "SELECT u.id, u.code, u.name, u.kind, u.parent_id FROM units u
         JOIN (SELECT descendant_id, MAX(depth) AS lvl FROM unit_closure GROUP BY descendant_id) d
           ON d.descendant_id = u.id
         ORDER BY d.lvl, u.code",
    )
    .fetch_all(&mut *c)
    .await?
    .iter()
    .map(unit_from_row)
    .collect()
}

pub async fn get(c: &mut Conn, id: UnitId) -> Result<Option<Unit>, StoreError> {
    sqlx::query("SELECT id, code, name, kind, parent_id FROM units WHERE id = $1")
        .bind(id.get())
        .fetch_optional(&mut *c)
        .await?
        .as_ref()
        .map(unit_from_row)
        .transpose()
}

pub async fn by_code(c: &mut Conn, code: &str) -> Result<Option<Unit>, StoreError> {
    sqlx::query("SELECT id, code, name, kind, parent_id FROM units WHERE code = $1")
        .bind(code)
        .fetch_optional(&mut *c)
        .await?
        .as_ref()
        .map(unit_from_row)
        .transpose()
}

/// Whether `unit` lies in the subtree of any of `roots`.
pub async fn within(c: &mut Conn, roots: &[UnitId], unit: UnitId) -> Result<bool, StoreError> {
    for root in roots {
        let hit = sqlx::query("SELECT 1 FROM unit_closure WHERE ancestor_id = $1 AND descendant_id = $2")
            .bind(root.get())
            .bind(unit.get())
            .fetch_optional(&mut *c)
            .await?;
        if hit.is_some() {
            return Ok(true);
        }
    }
    Ok(false)
}

/// A unit and every unit above it.
pub async fn ancestors_of(c: &mut Conn, unit: UnitId) -> Result<Vec<UnitId>, StoreError> {
    sqlx::query("SELECT ancestor_id FROM unit_closure WHERE descendant_id = $1")
        .bind(unit.get())
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(|r| Ok(UnitId::from_raw(r.try_get(0)?)))
        .collect()
}

/// The units at the top of a tree (no parent).
pub async fn top_level(c: &mut Conn) -> Result<Vec<UnitId>, StoreError> {
    sqlx::query("SELECT id FROM units WHERE parent_id IS NULL ORDER BY id")
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(|r| Ok(UnitId::from_raw(r.try_get(0)?)))
        .collect()
}

pub async fn count(c: &mut Conn) -> Result<i64, StoreError> {
    Ok(sqlx::query("SELECT COUNT(*) FROM units").fetch_one(&mut *c).await?.try_get(0)?)
}

/// The units in the subtrees of `roots`, parents before children.
pub async fn list_within(c: &mut Conn, roots: &[UnitId]) -> Result<Vec<Unit>, StoreError> {
    if roots.is_empty() {
        return Ok(Vec::new());
    }
    // Chosen in SQL: a unit inspector's statistics read one unit, not the province's thousands.
    let mut b = crate::sql::SqlBuilder::new(
        "SELECT u.id, u.code, u.name, u.kind, u.parent_id FROM units u
         WHERE u.id IN (SELECT descendant_id FROM unit_closure WHERE ancestor_id IN (",
    );
    for (i, r) in roots.iter().enumerate() {
        if i > 0 {
            b.push(", ");
        }
        b.bind(crate::sql::Value::Int(r.get()));
    }
    b.push(")) ORDER BY (SELECT MAX(x.depth) FROM unit_closure x WHERE x.descendant_id = u.id), u.code");
    b.build().fetch_all(&mut *c).await?.iter().map(unit_from_row).collect()
}

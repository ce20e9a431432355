use domain::{
    UnitId, UserId,
    role::{Grant, Role},
};
use sqlx::{Row, any::AnyRow};

use crate::{Conn, StoreError, sql::code};

/// An account as stored; the password hash never leaves the app layer.
#[derive(Debug, Clone)]
pub struct UserRecord {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub unit_id: UnitId,
    pub password_hash: String,
    pub must_change_password: bool,
    pub disabled: bool,
}

pub struct NewUser<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub unit_id: UnitId,
    pub password_hash: &'a str,
    pub must_change_password: bool,
}

const COLUMNS: &str =
    "id, username, display_name, unit_id, password_hash, must_change_password, disabled";

fn user_from_row(r: &AnyRow) -> Result<UserRecord, StoreError> {
    Ok(UserRecord {
        id: UserId::from_raw(r.try_get("id")?),
        username: r.try_get("username")?,
        display_name: r.try_get("display_name")?,
        unit_id: UnitId::from_raw(r.try_get("unit_id")?),
        password_hash: r.try_get("password_hash")?,
        must_change_password: r.try_get::<i64, _>("must_change_password")? != 0,
        disabled: r.try_get::<i64, _>("disabled")? != 0,
    })
}

pub async fn insert(c: &mut Conn, u: &NewUser<'_>, now: i64) -> Result<UserId, StoreError> {
    let id: i64 = sqlx::query(
        "INSERT INTO users (username, display_name, unit_id, password_hash, must_change_password, disabled, created_at)
         VALUES ($1, $2, $3, $4, $5, 0, $6) RETURNING id",
    )
    .bind(u.username)
    .bind(u.display_name)
    .bind(u.unit_id.get())
    .bind(u.password_hash)
    .bind(i64::from(u.must_change_password))
    .bind(now)
    .fetch_one(&mut *c)
    .await?
    .try_get(0)?;
    Ok(UserId::from_raw(id))
}

pub async fn by_username(c: &mut Conn, username: &str) -> Result<Option<UserRecord>, StoreError> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM users WHERE username = $1"
    )))
    .bind(username)
    .fetch_optional(&mut *c)
    .await?
    .as_ref()
    .map(user_from_row)
    .transpose()
}

pub async fn get(c: &mut Conn, id: UserId) -> Result<Option<UserRecord>, StoreError> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM users WHERE id = $1"
    )))
    .bind(id.get())
    .fetch_optional(&mut *c)
    .await?
    .as_ref()
    .map(user_from_row)
    .transpose()
}

pub async fn count(c: &mut Conn) -> Result<i64, StoreError> {
    Ok(sqlx::query("SELECT COUNT(*) FROM users")
        .fetch_one(&mut *c)
        .await?
        .try_get(0)?)
}

pub async fn grant(c: &mut Conn, user: UserId, g: Grant, now: i64) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO grants (user_id, role, unit_id, created_at) VALUES ($1, $2, $3, $4)")
        .bind(user.get())
        .bind(g.role.code())
        .bind(g.unit.get())
        .bind(now)
        .execute(&mut *c)
        .await?;
    Ok(())
}

pub async fn grants(c: &mut Conn, user: UserId) -> Result<Vec<Grant>, StoreError> {
    sqlx::query("SELECT role, unit_id FROM grants WHERE user_id = $1 ORDER BY id")
        .bind(user.get())
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(|r| {
            Ok(Grant {
                role: code(&r.try_get::<String, _>("role")?, Role::from_code)?,
                unit: UnitId::from_raw(r.try_get("unit_id")?),
            })
        })
        .collect()
}

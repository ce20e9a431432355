use domain::{UnitId, UserId, protection::role::Grant, protection::role::Role};
use sqlx::{Row, any::AnyRow};

use crate::{Conn, StoreError, Tx, sql::code};

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
    pub totp_secret: Option<String>,
    /// The user as a person, so leads naming them stay out of their sight.
    pub person_id: Option<i64>,
    pub email: Option<String>,
}

pub struct NewUser<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub unit_id: UnitId,
    pub password_hash: &'a str,
    pub must_change_password: bool,
}

pub(crate) const COLUMNS: &str = "id, username, display_name, unit_id, password_hash, must_change_password, disabled, \
                       totp_secret, person_id, email";

pub(crate) fn user_from_row(r: &AnyRow) -> Result<UserRecord, StoreError> {
    Ok(UserRecord {
        id: UserId::from_raw(r.try_get("id")?),
        username: r.try_get("username")?,
        display_name: r.try_get("display_name")?,
        unit_id: UnitId::from_raw(r.try_get("unit_id")?),
        password_hash: r.try_get("password_hash")?,
        must_change_password: r.try_get::<i64, _>("must_change_password")? != 0,
        disabled: r.try_get::<i64, _>("disabled")? != 0,
        totp_secret: r.try_get("totp_secret")?,
        person_id: r.try_get("person_id")?,
        email: r.try_get("email")?,
    })
}

pub async fn insert(tx: &mut Tx, u: &NewUser<'_>, now: i64) -> Result<UserId, StoreError> {
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
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?;
    Ok(UserId::from_raw(id))
}

pub async fn by_username(c: &mut Conn, username: &str) -> Result<Option<UserRecord>, StoreError> {
    sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM users WHERE username = $1")))
        .bind(username)
        .fetch_optional(&mut *c)
        .await?
        .as_ref()
        .map(user_from_row)
        .transpose()
}

pub async fn get(c: &mut Conn, id: UserId) -> Result<Option<UserRecord>, StoreError> {
    sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM users WHERE id = $1")))
        .bind(id.get())
        .fetch_optional(&mut *c)
        .await?
        .as_ref()
        .map(user_from_row)
        .transpose()
}

pub async fn count(c: &mut Conn) -> Result<i64, StoreError> {
    Ok(sqlx::query("SELECT COUNT(*) FROM users").fetch_one(&mut *c).await?.try_get(0)?)
}

/// How many accounts hold `role` anywhere.
pub async fn holders_of(c: &mut Conn, role: domain::protection::role::Role) -> Result<i64, StoreError> {
    Ok(sqlx::query("SELECT COUNT(DISTINCT user_id) FROM grants WHERE role = $1")
        .bind(role.code())
        .fetch_one(&mut *c)
        .await?
        .try_get(0)?)
}

/// The first account granted `role` (the longest-standing holder), if any.
pub async fn first_holder_of(c: &mut Conn, role: domain::protection::role::Role) -> Result<Option<UserId>, StoreError> {
    let row =
        sqlx::query("SELECT MIN(user_id) FROM grants WHERE role = $1").bind(role.code()).fetch_one(&mut *c).await?;
    Ok(row.try_get::<Option<i64>, _>(0)?.map(UserId::from_raw))
}

pub async fn grant(tx: &mut Tx, user: UserId, g: Grant, now: i64) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO grants (user_id, role, unit_id, created_at) VALUES ($1, $2, $3, $4)")
        .bind(user.get())
        .bind(g.role.code())
        .bind(g.unit.get())
        .bind(now)
        .execute(&mut **tx)
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

pub async fn set_password(tx: &mut Tx, user: UserId, hash: &str, must_change: bool) -> Result<(), StoreError> {
    sqlx::query("UPDATE users SET password_hash = $1, must_change_password = $2 WHERE id = $3")
        .bind(hash)
        .bind(i64::from(must_change))
        .bind(user.get())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn set_totp_secret(tx: &mut Tx, user: UserId, secret: Option<&str>) -> Result<(), StoreError> {
    sqlx::query("UPDATE users SET totp_secret = $1 WHERE id = $2")
        .bind(secret)
        .bind(user.get())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn note_client_failure(tx: &mut Tx, client: &str, at: i64) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO login_failures (client, at) VALUES ($1, $2)")
        .bind(client)
        .bind(at)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Failed sign-ins from `client` since `since`.
pub async fn client_failures(c: &mut Conn, client: &str, since: i64) -> Result<i64, StoreError> {
    Ok(sqlx::query("SELECT COUNT(*) FROM login_failures WHERE client = $1 AND at >= $2")
        .bind(client)
        .bind(since)
        .fetch_one(&mut *c)
        .await?
        .try_get(0)?)
}

/// Forgets `client`'s failures older than `before` (they no longer count).
pub async fn forget_client_failures(tx: &mut Tx, client: &str, before: i64) -> Result<u64, StoreError> {
    Ok(sqlx::query("DELETE FROM login_failures WHERE client = $1 AND at < $2")
        .bind(client)
        .bind(before)
        .execute(&mut **tx)
        .await?
        .rows_affected())
}

/// All accounts, by username (for administrators).
pub async fn list(c: &mut Conn) -> Result<Vec<UserRecord>, StoreError> {
    sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM users ORDER BY username")))
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(user_from_row)
        .collect()
}

pub async fn revoke_grant(tx: &mut Tx, user: UserId, g: Grant) -> Result<u64, StoreError> {
    Ok(sqlx::query("DELETE FROM grants WHERE user_id = $1 AND role = $2 AND unit_id = $3")
        .bind(user.get())
        .bind(g.role.code())
        .bind(g.unit.get())
        .execute(&mut **tx)
        .await?
        .rows_affected())
}

pub async fn set_person(tx: &mut Tx, user: UserId, person: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE users SET person_id = $1 WHERE id = $2")
        .bind(person)
        .bind(user.get())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn set_email(tx: &mut Tx, user: UserId, email: Option<&str>) -> Result<(), StoreError> {
    sqlx::query("UPDATE users SET email = $1 WHERE id = $2").bind(email).bind(user.get()).execute(&mut **tx).await?;
    Ok(())
}

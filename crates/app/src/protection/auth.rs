//! Passwords (argon2id), sign-in with throttling, lockout and an optional second factor,
//! and database-backed sessions.

use super::Protection;
use argon2::{
    Argon2, PasswordHash, PasswordHasher, PasswordVerifier,
    password_hash::{SaltString, rand_core::OsRng},
};
use domain::{FieldError, protection::password::Password};
use rand::RngCore;
use sha2::{Digest, Sha256};
use store::{
    StoreError, ledger::units, protection::sessions, protection::sessions::NewSession, protection::throttle,
    protection::users, to_micros,
};
use time::Duration;

use crate::{
    Actor, AppError, protection::audit::Event, protection::audit::Who, protection::audit::record, protection::totp,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginKind {
    /// A browser session: cookie, CSRF token, idle timeout.
    Browser,
    /// A bearer token for `/api/v1`.
    Api,
}

impl LoginKind {
    pub(crate) fn code(self) -> &'static str {
        match self {
            LoginKind::Browser => "browser",
            LoginKind::Api => "api",
        }
    }
    fn idle(self) -> Duration {
        match self {
            LoginKind::Browser => Duration::hours(2),
            LoginKind::Api => Duration::hours(12),
        }
    }
    fn absolute(self) -> Duration {
        Duration::hours(12)
    }
}

pub use domain::protection::throttle::CLIENT_LIMIT;
use domain::protection::throttle::{LONGEST_LOCK, counted_name, hold_after};

/// A sign-in attempt.
#[derive(Debug, Clone)]
pub struct Credentials<'a> {
    pub username: &'a str,
    pub password: &'a str,
    /// The six-digit code, for accounts with a second factor.
    pub otp: Option<&'a str>,
    /// The client's address, for per-address throttling.
    pub client: &'a str,
}

/// A live session: the secret token (only ever held by the client), its CSRF token and
/// who it belongs to.
#[derive(Debug, Clone)]
pub struct SessionInfo {
    pub token: String,
    pub csrf_token: String,
    pub actor: Actor,
    /// Unread notifications, for the badge on every page (browser sessions only).
    pub unread_notices: i64,
    /// Work waiting for the caller's hand (approvals, extensions to sign, file or approve).
    pub open_tasks: i64,
    /// The message left for the next page (browser sessions only); see `take_flash`.
    pub flash: Option<super::flash::Flash>,
}

pub(crate) fn hash_password(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::internal(format!("hashing failed: {e}")))
}

pub(crate) fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash).map(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok()).unwrap_or(false)
}

/// A hash of a password nobody has, verified when the username is unknown so that a
/// wrong username takes as long as a wrong password.
pub(crate) static DUMMY_HASH: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| hash_password("no such user, no such password").unwrap_or_default());

pub(crate) fn random_token() -> String {
    let mut b = [0u8; 32];
    rand::rng().fill_bytes(&mut b);
    hex::encode(b)
}

/// The idle limit of browser sessions, in microseconds.
pub(crate) fn browser_idle_micros() -> i64 {
    LoginKind::Browser.idle().whole_microseconds() as i64
}

/// Compares secrets (tokens) in time that does not depend on where they differ.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub(crate) fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// What a failed attempt leaves behind; written even though the sign-in fails.
enum Failure {
    /// Held back: the address, or this name from this address, failed too often.
    Held,
    Counted {
        why: &'static str,
    },
}

impl Protection<'_> {
    /// Checks the credentials and opens a session with a fresh token (a new id on every
    /// sign-in). Failures are counted per (claimed name, address) and per address, an
    /// unknown or disabled name exactly like a known one, and audited.
    #[tracing::instrument(name = "protection.login", skip_all)]
    pub async fn login(&self, cred: &Credentials<'_>, kind: LoginKind) -> Result<SessionInfo, AppError> {
        let now = self.now();
        let t = to_micros(now);
        let window_start = to_micros(now - LONGEST_LOCK);
        let name = counted_name(cred.username);
        let mut tx = self.db().begin_write().await?;
        let standing = throttle::standing(&mut tx, &name, cred.client, window_start).await?;
        let outcome = async {
            // Held back before anything is looked up: the answer and its timing do not
            // depend on whether the name exists.
            if users::client_failures(&mut tx, cred.client, window_start).await? >= CLIENT_LIMIT
                || standing.locked_until > t
            {
                return Ok::<_, AppError>(Err(Failure::Held));
            }
            let user = users::by_username(&mut tx, cred.username.trim()).await?;
            let Some(user) = user.filter(|u| !u.disabled) else {
                let _ = verify_password(&DUMMY_HASH, cred.password);
                return Ok(Err(Failure::Counted { why: "unknown account" }));
            };
            if !verify_password(&user.password_hash, cred.password) {
                return Ok(Err(Failure::Counted { why: "wrong password" }));
            }
            if let Some(secret) = &user.totp_secret {
                let secret = self.protection().open_totp_secret(user.id, secret)?;
                if !cred.otp.is_some_and(|code| totp::verify(&secret, t / 1_000_000, code)) {
                    return Ok(Err(Failure::Counted { why: "wrong second-factor code" }));
                }
            }
            Ok(Ok(user))
        }
        .await?;
        let user = match outcome {
            Ok(user) => user,
            Err(Failure::Held) => {
                record(
                    &mut tx,
                    self,
                    now,
                    Who::Claimed(cred.username),
                    Event::new("session.login_refused", "user", cred.username).detail(cred.client),
                )
                .await?;
                tx.commit().await.map_err(StoreError::from)?;
                return Err(AppError::Throttled);
            }
            Err(Failure::Counted { why }) => {
                users::forget_client_failures(&mut tx, cred.client, window_start).await?;
                users::note_client_failure(&mut tx, cred.client, t).await?;
                let failures = standing.failures + 1;
                let hold = hold_after(failures);
                let locked_until = hold.map_or(0, |h| to_micros(now + h));
                throttle::record_failure(&mut tx, &name, cred.client, throttle::Standing { failures, locked_until }, t)
                    .await?;
                let held = hold.map(|h| format!("; held back {} min", h.whole_minutes())).unwrap_or_default();
                let detail = format!("{why}; client {}; failure {failures}{held}", cred.client);
                record(
                    &mut tx,
                    self,
                    now,
                    Who::Claimed(cred.username),
                    Event::new("session.login_failed", "user", cred.username).detail(detail),
                )
                .await?;
                tx.commit().await.map_err(StoreError::from)?;
                return Err(if hold.is_some() { AppError::Throttled } else { AppError::Unauthenticated });
            }
        };
        throttle::clear(&mut tx, &name, cred.client).await?;
        sessions::delete_expired_for_user(&mut tx, user.id, t).await?;
        let token = random_token();
        let csrf_token = random_token();
        sessions::insert(
            &mut tx,
            &NewSession {
                token_hash: &token_hash(&token),
                user_id: user.id,
                kind: kind.code(),
                csrf_token: &csrf_token,
                now: t,
                expires_at: to_micros(now + kind.absolute()),
            },
        )
        .await?;
        let actor = load_actor(&mut tx, user).await?;
        record(
            &mut tx,
            self,
            now,
            Who::User(&actor),
            Event::new("session.login", "user", actor.id).detail(format!("{}; client {}", kind.code(), cred.client)),
        )
        .await?;
        let open_tasks =
            if kind == LoginKind::Browser { crate::lifecycle::task_count(&mut tx, &actor).await? } else { 0 };
        tx.commit().await.map_err(StoreError::from)?;
        Ok(SessionInfo { token, csrf_token, actor, unread_notices: 0, open_tasks, flash: None })
    }

    /// The session behind `token`, if it is live and of the right kind.
    #[tracing::instrument(name = "protection.authenticate", skip_all)]
    pub async fn authenticate(&self, token: &str, kind: LoginKind) -> Result<Option<SessionInfo>, AppError> {
        let now = to_micros(self.now());
        let hash = token_hash(token);
        let mut c = self.reader().await?;
        let Some(sessions::SignedIn { session: s, user, unit_name, grants }) =
            sessions::signed_in(&mut c, &hash).await?
        else {
            drop(c);
            return if kind == LoginKind::Api {
                self.protection().authenticate_personal_token(token).await
            } else {
                Ok(None)
            };
        };
        let idle_limit = s.last_seen_at + (kind.idle().whole_microseconds() as i64);
        if s.kind != kind.code() || s.expires_at <= now || idle_limit <= now || user.disabled {
            return Ok(None);
        }
        let actor = actor_from(user, unit_name, grants);
        let (unread_notices, open_tasks) = if kind == LoginKind::Browser {
            (
                store::lifecycle::notices::unread(&mut c, actor.id).await?,
                crate::lifecycle::task_count(&mut c, &actor).await?,
            )
        } else {
            (0, 0)
        };
        drop(c);
        // Sliding idle window, written at most once a minute to keep reads read-only.
        if now - s.last_seen_at > 60_000_000 {
            let mut tx = self.db().begin_write().await?;
            sessions::touch(&mut tx, &hash, now).await?;
            tx.commit().await.map_err(StoreError::from)?;
        }
        let flash = super::flash::Flash::decode(s.flash.as_deref());
        Ok(Some(SessionInfo {
            token: token.to_owned(),
            csrf_token: s.csrf_token,
            actor,
            unread_notices,
            open_tasks,
            flash,
        }))
    }

    /// Ends the session (or personal-token use) behind `token`.
    #[tracing::instrument(name = "protection.logout", skip_all)]
    pub async fn logout(&self, token: &str, actor: &Actor) -> Result<(), AppError> {
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        sessions::delete(&mut tx, &token_hash(token)).await?;
        record(&mut tx, self, now, Who::User(actor), Event::new("session.logout", "user", actor.id)).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    /// Changes the caller's own password; clears "must change" and ends their other sessions.
    #[tracing::instrument(name = "protection.change_password", skip_all)]
    pub async fn change_password(&self, session: &SessionInfo, current: &str, new: &str) -> Result<(), AppError> {
        let now = self.now();
        let actor = &session.actor;
        let new = Password::parse(&actor.username, new)
            .map_err(|e| AppError::field(FieldError { field: "new_password".into(), ..e }))?;
        if new.expose() == current {
            return Err(AppError::field(FieldError::new(
                "new_password",
                "unchanged",
                "新密码不能与当前密码相同。",
                "The new password must differ from the current one.",
            )));
        }
        let hash = hash_password(new.expose())?;
        let mut tx = self.db().begin_write().await?;
        let user = users::get(&mut tx, actor.id).await?.ok_or(AppError::Unauthenticated)?;
        if !verify_password(&user.password_hash, current) {
            return Err(AppError::field(FieldError::new(
                "current_password",
                "wrong",
                "当前密码不正确。",
                "The current password is wrong.",
            )));
        }
        users::set_password(&mut tx, actor.id, &hash, false).await?;
        sessions::delete_for_user(&mut tx, actor.id).await?;
        store::protection::tokens::revoke_all(&mut tx, actor.id, to_micros(now)).await?;
        sessions::insert(
            &mut tx,
            &NewSession {
                token_hash: &token_hash(&session.token),
                user_id: actor.id,
                kind: LoginKind::Browser.code(),
                csrf_token: &session.csrf_token,
                now: to_micros(now),
                expires_at: to_micros(now + LoginKind::Browser.absolute()),
            },
        )
        .await?;
        record(&mut tx, self, now, Who::User(actor), Event::new("account.password_change", "user", actor.id)).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }
}

impl Protection<'_> {
    /// The account a console command acts as (`--as`), or else the first supervising
    /// committee account: a command-line import is recorded under a person, like any other.
    pub async fn console_operator(&self, username: Option<&str>) -> Result<Actor, AppError> {
        let mut c = self.db().read().await?;
        let user = match username {
            Some(name) => users::by_username(&mut c, name).await?,
            None => match users::first_holder_of(&mut c, domain::protection::role::Role::Supervisor).await? {
                Some(id) => users::get(&mut c, id).await?,
                None => None,
            },
        };
        let user = user.filter(|u| !u.disabled).ok_or(AppError::NotFound)?;
        load_actor(&mut c, user).await
    }
}

pub(crate) async fn load_actor(c: &mut store::Conn, u: users::UserRecord) -> Result<Actor, AppError> {
    let unit_name = units::get(c, u.unit_id)
        .await?
        .map(|u| u.name)
        .ok_or_else(|| AppError::internal(format!("the unit of user {} is missing", u.id)))?;
    let grants = users::grants(c, u.id).await?;
    Ok(actor_from(u, unit_name, grants))
}

pub(crate) fn actor_from(
    u: users::UserRecord,
    unit_name: String,
    grants: Vec<domain::protection::role::Grant>,
) -> Actor {
    Actor {
        id: u.id,
        username: u.username,
        display_name: u.display_name,
        unit_id: u.unit_id,
        unit_name,
        grants,
        must_change_password: u.must_change_password,
        has_second_factor: u.totp_secret.is_some(),
        person_id: u.person_id,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_comparison() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"abcd"));
    }

    #[test]
    fn passwords_verify_only_themselves() {
        let h = hash_password("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password(&h, "correct horse battery"));
        assert!(!verify_password(&h, "correct horse batterY"));
        assert!(!verify_password("not a hash", "x"));
    }

    #[test]
    fn tokens_are_random_and_hashed() {
        let (a, b) = (random_token(), random_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert_ne!(token_hash(&a), a);
    }
}

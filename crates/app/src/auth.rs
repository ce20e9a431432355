//! Passwords (argon2id) and database-backed sessions.

use argon2::{
    Argon2, PasswordHash, PasswordHasher, PasswordVerifier,
    password_hash::{SaltString, rand_core::OsRng},
};
use rand::RngCore;
use sha2::{Digest, Sha256};
use store::{
    sessions::{self, NewSession},
    to_micros, units, users,
};
use time::Duration;

use crate::{Actor, App, AppError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginKind {
    /// A browser session: cookie, CSRF token, idle timeout.
    Browser,
    /// A bearer token for `/api/v1`.
    Api,
}

impl LoginKind {
    fn code(self) -> &'static str {
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

/// A live session: the secret token (only ever held by the client), its CSRF token and
/// who it belongs to.
#[derive(Debug, Clone)]
pub struct SessionInfo {
    pub token: String,
    pub csrf_token: String,
    pub actor: Actor,
}

pub(crate) fn hash_password(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(format!("hashing failed: {e}")))
}

fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash of a password nobody has, verified when the username is unknown so that a
/// wrong username takes as long as a wrong password.
static DUMMY_HASH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    hash_password("no such user, no such password").unwrap_or_default()
});

pub(crate) fn random_token() -> String {
    let mut b = [0u8; 32];
    rand::rng().fill_bytes(&mut b);
    hex::encode(b)
}

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

impl App {
    /// Checks the password and opens a session with a fresh token (a new id on every login).
    pub async fn login(
        &self,
        username: &str,
        password: &str,
        kind: LoginKind,
    ) -> Result<SessionInfo, AppError> {
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        let user = users::by_username(&mut tx, username.trim()).await?;
        let Some(user) = user.filter(|u| !u.disabled) else {
            let _ = verify_password(&DUMMY_HASH, password);
            return Err(AppError::Unauthenticated);
        };
        if !verify_password(&user.password_hash, password) {
            return Err(AppError::Unauthenticated);
        }
        let token = random_token();
        let csrf_token = random_token();
        sessions::insert(
            &mut tx,
            &NewSession {
                token_hash: &token_hash(&token),
                user_id: user.id,
                kind: kind.code(),
                csrf_token: &csrf_token,
                now: to_micros(now),
                expires_at: to_micros(now + kind.absolute()),
            },
        )
        .await?;
        let actor = load_actor(&mut tx, user).await?;
        tx.commit().await.map_err(store::StoreError::from)?;
        tracing::info!(user = %actor.username, kind = kind.code(), "login");
        Ok(SessionInfo {
            token,
            csrf_token,
            actor,
        })
    }

    /// The session behind `token`, if it is live and of the right kind.
    pub async fn authenticate(
        &self,
        token: &str,
        kind: LoginKind,
    ) -> Result<Option<SessionInfo>, AppError> {
        let now = to_micros(self.now());
        let hash = token_hash(token);
        let mut c = self.reader().await?;
        let Some(s) = sessions::get(&mut c, &hash).await? else {
            return Ok(None);
        };
        let idle_limit = s.last_seen_at + (kind.idle().whole_microseconds() as i64);
        if s.kind != kind.code() || s.expires_at <= now || idle_limit <= now {
            return Ok(None);
        }
        let Some(user) = users::get(&mut c, s.user_id).await?.filter(|u| !u.disabled) else {
            return Ok(None);
        };
        let actor = load_actor(&mut c, user).await?;
        drop(c);
        // Sliding idle window, written at most once a minute to keep reads read-only.
        if now - s.last_seen_at > 60_000_000 {
            let mut tx = self.db().begin_write().await?;
            sessions::touch(&mut tx, &hash, now).await?;
            tx.commit().await.map_err(store::StoreError::from)?;
        }
        Ok(Some(SessionInfo {
            token: token.to_owned(),
            csrf_token: s.csrf_token,
            actor,
        }))
    }

    pub async fn logout(&self, token: &str) -> Result<(), AppError> {
        let mut tx = self.db().begin_write().await?;
        sessions::delete(&mut tx, &token_hash(token)).await?;
        tx.commit().await.map_err(store::StoreError::from)?;
        Ok(())
    }
}

async fn load_actor(c: &mut store::Conn, u: users::UserRecord) -> Result<Actor, AppError> {
    let grants = users::grants(c, u.id).await?;
    let unit_name = units::get(c, u.unit_id)
        .await?
        .map(|u| u.name)
        .unwrap_or_default();
    Ok(Actor {
        id: u.id,
        username: u.username,
        display_name: u.display_name,
        unit_id: u.unit_id,
        unit_name,
        grants,
        must_change_password: u.must_change_password,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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

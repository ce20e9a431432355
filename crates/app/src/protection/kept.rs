//! Forms posted after the browser session ended by idling. What was typed is not thrown away:
//! the body is sealed (a register form holds the reporter's identity) and kept for an hour,
//! for the same user to take back once after signing in again.

use super::Protection;
use store::{
    StoreError,
    protection::{kept_forms, sessions},
    to_micros,
};
use time::Duration;

use crate::{
    AppError, SessionInfo,
    protection::audit::{Event, Who, record},
    protection::auth::{actor_from, random_token, token_hash},
};

/// How long a kept form waits for its user to sign in again.
pub const KEEP_FOR: Duration = Duration::hours(1);
/// Kept forms one account may hold at a time.
const KEEP_AT_MOST: i64 = 5;

/// A form taken back after signing in: where it was posted and its url-encoded body.
#[derive(Debug, Clone)]
pub struct KeptForm {
    pub path: String,
    pub body: String,
}

pub(crate) fn aad(id: &str) -> String {
    format!("kept_form:{id}")
}

impl Protection<'_> {
    /// Keeps `body`, posted to `path` with the cookie `token` of a browser session that has
    /// ended (idle or past its lifetime), when it carries that session's CSRF token: only the
    /// page that session served can have sent it. `None` when the form cannot be kept.
    #[tracing::instrument(name = "protection.keep_form", skip_all)]
    pub async fn keep_form(
        &self,
        token: &str,
        csrf: &str,
        path: &str,
        body: &[u8],
    ) -> Result<Option<String>, AppError> {
        let Ok(body) = std::str::from_utf8(body) else { return Ok(None) };
        let now = self.now();
        let t = to_micros(now);
        let mut tx = self.db().begin_write().await?;
        let Some(sessions::SignedIn { session: s, user, unit_name, grants }) =
            sessions::signed_in(&mut tx, &token_hash(token)).await?
        else {
            return Ok(None);
        };
        let live = s.expires_at > t && s.last_seen_at + super::auth::browser_idle_micros() > t;
        let csrf_ok = crate::protection::auth::constant_time_eq(csrf.as_bytes(), s.csrf_token.as_bytes());
        if s.kind != crate::LoginKind::Browser.code() || live || user.disabled || !csrf_ok {
            return Ok(None);
        }
        let actor = actor_from(user, unit_name, grants);
        let id = random_token();
        let sealed = self.keyring().seal(body, &aad(&id))?;
        kept_forms::insert(
            &mut tx,
            &kept_forms::NewKeptForm {
                id: &id,
                user_id: actor.id,
                path,
                key_id: &sealed.key_id,
                body: &sealed.value,
                now: t,
            },
            to_micros(now - KEEP_FOR),
            KEEP_AT_MOST,
        )
        .await?;
        record(&mut tx, self, now, Who::User(&actor), Event::new("session.form_kept", "user", actor.id).detail(path))
            .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(Some(id))
    }

    /// Takes back the caller's kept form `id` (once; within [`KEEP_FOR`]).
    #[tracing::instrument(name = "protection.take_kept_form", skip_all)]
    pub async fn take_kept_form(&self, session: &SessionInfo, id: &str) -> Result<Option<KeptForm>, AppError> {
        let now = self.now();
        let actor = &session.actor;
        let mut tx = self.db().begin_write().await?;
        let Some(k) = kept_forms::take(&mut tx, actor.id, id, to_micros(now - KEEP_FOR)).await? else {
            return Ok(None);
        };
        let body = self.keyring().open(&crate::Sealed { key_id: k.key_id, value: k.body }, &aad(id))?;
        record(
            &mut tx,
            self,
            now,
            Who::User(actor),
            Event::new("session.form_resumed", "user", actor.id).detail(&k.path),
        )
        .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(Some(KeptForm { path: k.path, body }))
    }
}

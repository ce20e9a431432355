//! Personal API tokens: shown once, stored hashed, expiring, revocable; they act with their
//! owner's grants.

use super::Protection;
use domain::{FieldError, text::Name};
use serde::Serialize;
use store::{StoreError, from_micros, protection::tokens, protection::users, to_micros};
use time::{Duration, OffsetDateTime};

use crate::{
    AppError, SessionInfo, protection::audit::Event, protection::audit::Who, protection::audit::record,
    protection::auth::load_actor, protection::auth::random_token, protection::auth::token_hash,
};

pub const MAX_TOKEN_DAYS: i64 = 365;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TokenInfo {
    pub id: i64,
    pub name: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
    pub revoked: bool,
    pub expired: bool,
}

impl Protection<'_> {
    /// Creates a token for the caller; the returned secret is never shown again.
    #[tracing::instrument(name = "protection.create_api_token", skip_all)]
    pub async fn create_api_token(
        &self,
        session: &SessionInfo,
        name: &str,
        days: i64,
    ) -> Result<(i64, String), AppError> {
        let name = Name::parse("name", name).map_err(AppError::field)?;
        if !(1..=MAX_TOKEN_DAYS).contains(&days) {
            return Err(AppError::field(FieldError::new(
                "days",
                "out_of_range",
                format!("有效期须为 1 到 {MAX_TOKEN_DAYS} 天。"),
                format!("Validity must be 1 to {MAX_TOKEN_DAYS} days."),
            )));
        }
        let now = self.now();
        let secret = format!("qlt_{}", random_token());
        let mut tx = self.db().begin_write().await?;
        let id = tokens::insert(
            &mut tx,
            session.actor.id,
            name.as_str(),
            &token_hash(&secret),
            to_micros(now),
            to_micros(now + Duration::days(days)),
        )
        .await?;
        record(
            &mut tx,
            self,
            now,
            Who::User(&session.actor),
            Event::new("token.create", "api_token", id).detail(format!("{}; {days} days", name.as_str())),
        )
        .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok((id, secret))
    }

    #[tracing::instrument(name = "protection.api_tokens", skip_all)]
    pub async fn api_tokens(&self, session: &SessionInfo) -> Result<Vec<TokenInfo>, AppError> {
        let now = to_micros(self.now());
        let mut c = self.reader().await?;
        Ok(tokens::of_user(&mut c, session.actor.id)
            .await?
            .into_iter()
            .map(|t| TokenInfo {
                id: t.id,
                name: t.name,
                created_at: from_micros(t.created_at),
                expires_at: from_micros(t.expires_at),
                revoked: t.revoked_at.is_some(),
                expired: t.expires_at <= now,
            })
            .collect())
    }

    #[tracing::instrument(name = "protection.revoke_api_token", skip_all)]
    pub async fn revoke_api_token(&self, session: &SessionInfo, id: i64) -> Result<(), AppError> {
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        if !tokens::revoke(&mut tx, session.actor.id, id, to_micros(now)).await? {
            return Err(AppError::NotFound);
        }
        record(&mut tx, self, now, Who::User(&session.actor), Event::new("token.revoke", "api_token", id)).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    /// The owner of a live personal token, as an API session.
    pub(crate) async fn authenticate_personal_token(&self, token: &str) -> Result<Option<SessionInfo>, AppError> {
        if !token.starts_with("qlt_") {
            return Ok(None);
        }
        let now = to_micros(self.now());
        let mut c = self.reader().await?;
        let Some(t) = tokens::by_hash(&mut c, &token_hash(token)).await? else { return Ok(None) };
        if t.revoked_at.is_some() || t.expires_at <= now {
            return Ok(None);
        }
        let Some(user) = users::get(&mut c, t.user_id).await?.filter(|u| !u.disabled) else { return Ok(None) };
        let actor = load_actor(&mut c, user).await?;
        drop(c);
        if t.last_used_at.is_none_or(|l| now - l > 60_000_000) {
            let mut tx = self.db().begin_write().await?;
            tokens::touch(&mut tx, t.id, now).await?;
            tx.commit().await.map_err(StoreError::from)?;
        }
        Ok(Some(SessionInfo {
            token: token.to_owned(),
            csrf_token: String::new(),
            actor,
            unread_notices: 0,
            open_tasks: 0,
            flash: None,
        }))
    }
}

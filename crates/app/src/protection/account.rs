//! The caller's own account settings that are not sign-in: the e-mail address for warning mail.

use store::StoreError;

use crate::{
    Actor, AppError,
    protection::{
        Protection,
        audit::{Event, Who, record},
    },
};

impl Protection<'_> {
    #[tracing::instrument(name = "protection.email_of", skip_all)]
    pub async fn email_of(&self, actor: &Actor) -> Result<String, AppError> {
        let mut c = self.reader().await?;
        let user = store::protection::users::get(&mut c, actor.id).await?.ok_or(AppError::Unauthenticated)?;
        Ok(user.email.unwrap_or_default())
    }

    /// Sets (or clears, when empty) the caller's own e-mail address for warning mail.
    #[tracing::instrument(name = "protection.set_email", skip_all)]
    pub async fn set_email(&self, actor: &Actor, email: &str) -> Result<(), AppError> {
        let email = email.trim();
        if !email.is_empty() && !crate::mail::valid_address(email) {
            return Err(AppError::field(domain::FieldError::new(
                "email",
                "invalid_email",
                "电子邮箱地址格式不正确。",
                "That is not a valid e-mail address.",
            )));
        }
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        store::protection::users::set_email(&mut tx, actor.id, Some(email).filter(|e| !e.is_empty())).await?;
        record(&mut tx, self, now, Who::User(actor), Event::new("account.email", "user", actor.id)).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }
}

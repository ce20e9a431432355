//! The optional second factor: time-based one-time codes (RFC 6238: HMAC-SHA1, 30-second
//! steps, 6 digits), accepted one step either side for clock drift. The shared secret is
//! sealed like reporter identity.

use super::Protection;
use domain::{FieldError, UserId};
use rand::RngCore;
use store::{StoreError, protection::users};
use totp_rs::{Algorithm, Secret, TOTP};

use crate::{
    AppError, SessionInfo, protection::audit::Event, protection::audit::Who, protection::audit::record,
    protection::secrets::Sealed,
};

/// The authenticator as RFC 6238 defines it: HMAC-SHA1, 6 digits, 30-second steps, one step
/// of drift either side. `None` for a secret shorter than the 128 bits the RFC asks for.
fn authenticator(secret: &[u8], account: &str) -> Option<TOTP> {
    TOTP::new(Algorithm::SHA1, 6, 1, 30, secret.to_vec(), Some(ISSUER.to_owned()), account.to_owned()).ok()
}

const ISSUER: &str = "Qingling";

/// Whether `code` is right for `secret` at `unix_secs`, allowing one step of drift.
pub fn verify(secret: &[u8], unix_secs: i64, code: &str) -> bool {
    let code = code.trim();
    let (Some(t), Ok(at)) = (authenticator(secret, "-"), u64::try_from(unix_secs)) else { return false };
    code.len() == 6 && code.chars().all(|c| c.is_ascii_digit()) && t.check(code, at)
}

/// The current code (for tests and for showing what an authenticator app should display).
pub fn code_at(secret: &[u8], unix_secs: i64) -> String {
    match (authenticator(secret, "-"), u64::try_from(unix_secs)) {
        (Some(t), Ok(at)) => t.generate(at),
        _ => String::new(),
    }
}

pub fn base32(bytes: &[u8]) -> String {
    Secret::Raw(bytes.to_vec()).to_encoded().to_string()
}

pub fn unbase32(s: &str) -> Option<Vec<u8>> {
    let clean: String = s.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
    Secret::Encoded(clean.trim_end_matches('=').to_owned()).to_bytes().ok()
}

pub(crate) fn aad(user: UserId) -> String {
    format!("totp:{user}")
}

/// A secret offered for enrolment, with the URI authenticator apps read.
pub struct TotpOffer {
    pub secret: String,
    pub uri: String,
}

impl Protection<'_> {
    /// Re-seals second-factor secrets under the current key (part of key rotation).
    #[tracing::instrument(name = "protection.reseal_totp_secrets", skip_all)]
    pub async fn reseal_totp_secrets(&self) -> Result<u64, AppError> {
        let key = self.keyring().current_id();
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        let mut n = 0;
        for u in store::protection::users::list(&mut tx).await? {
            let Some(stored) = &u.totp_secret else { continue };
            if stored.starts_with(&format!("{key}:")) {
                continue;
            }
            let secret = self.protection().open_totp_secret(u.id, stored)?;
            let b32 = crate::protection::totp::base32(&secret);
            let sealed = self.keyring().seal(&b32, &crate::protection::totp::aad(u.id))?;
            store::protection::users::set_totp_secret(
                &mut tx,
                u.id,
                Some(&format!("{}:{}", sealed.key_id, sealed.value)),
            )
            .await?;
            n += 1;
        }
        if n > 0 {
            record(
                &mut tx,
                self,
                now,
                Who::System,
                Event::new("account.totp_reseal", "key", &key).detail(format!("{n} accounts")),
            )
            .await?;
        }
        tx.commit().await.map_err(StoreError::from)?;
        Ok(n)
    }

    pub fn totp_offer(&self, session: &SessionInfo) -> TotpOffer {
        let mut secret = [0u8; 20];
        rand::rng().fill_bytes(&mut secret);
        let uri = authenticator(&secret, &session.actor.username).map(|t| t.get_url()).unwrap_or_default();
        TotpOffer { secret: base32(&secret), uri }
    }

    /// The offer again for a secret being enrolled (the code was mistyped, the user's app
    /// already has the secret); `None` if it is not a valid secret.
    pub fn totp_offer_again(&self, session: &SessionInfo, secret_b32: &str) -> Option<TotpOffer> {
        let secret = unbase32(secret_b32).filter(|s| s.len() >= 16)?;
        let uri = authenticator(&secret, &session.actor.username)?.get_url();
        Some(TotpOffer { secret: base32(&secret), uri })
    }

    /// Turns the second factor on once the user proves their app shows the right code.
    #[tracing::instrument(name = "protection.totp_enable", skip_all)]
    pub async fn totp_enable(&self, session: &SessionInfo, secret_b32: &str, code: &str) -> Result<(), AppError> {
        let now = self.now();
        let secret = unbase32(secret_b32).filter(|s| s.len() >= 16).ok_or_else(|| {
            AppError::field(FieldError::new(
                "secret",
                "invalid",
                "密钥无效，请重新开始。",
                "The secret is invalid; start again.",
            ))
        })?;
        if !verify(&secret, now.unix_timestamp(), code) {
            return Err(AppError::field(FieldError::new("code", "wrong", "验证码不正确。", "The code is wrong.")));
        }
        let sealed = self.keyring().seal(secret_b32.trim(), &aad(session.actor.id))?;
        let mut tx = self.db().begin_write().await?;
        users::set_totp_secret(&mut tx, session.actor.id, Some(&format!("{}:{}", sealed.key_id, sealed.value))).await?;
        record(
            &mut tx,
            self,
            now,
            Who::User(&session.actor),
            Event::new("account.totp_enable", "user", session.actor.id),
        )
        .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    pub(crate) fn open_totp_secret(&self, user: UserId, stored: &str) -> Result<Vec<u8>, AppError> {
        let (key_id, value) =
            stored.split_once(':').ok_or_else(|| AppError::internal("malformed second-factor secret"))?;
        let b32 = self.keyring().open(&Sealed { key_id: key_id.into(), value: value.into() }, &aad(user))?;
        unbase32(&b32).ok_or_else(|| AppError::internal("malformed second-factor secret"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc6238_vector() {
        // RFC 6238 appendix B, SHA-1, T = 59 s: 94287082 (8 digits) → 287082 (6 digits).
        assert_eq!(code_at(b"12345678901234567890", 59), "287082");
        assert_eq!(code_at(b"12345678901234567890", 1111111109), "081804");
    }

    #[test]
    fn drift_of_one_step_is_accepted_not_more() {
        let s = b"12345678901234567890";
        let code = code_at(s, 1_000_000);
        assert!(verify(s, 1_000_000 + 30, &code));
        assert!(!verify(s, 1_000_000 + 90, &code));
        assert!(!verify(s, 1_000_000, "12345"));
    }

    #[test]
    fn base32_round_trips() {
        assert_eq!(base32(b"foobar"), "MZXW6YTBOI");
        assert_eq!(unbase32("MZXW6YTBOI").unwrap(), b"foobar");
        let raw = [7u8; 20];
        assert_eq!(unbase32(&base32(&raw)).unwrap(), raw);
    }
}

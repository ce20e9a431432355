//! The optional second factor: time-based one-time codes (RFC 6238: HMAC-SHA1, 30-second
//! steps, 6 digits), accepted one step either side for clock drift. The shared secret is
//! sealed like reporter identity.

use super::Protection;
use domain::{FieldError, UserId};
use hmac::{Hmac, Mac};
use rand::RngCore;
use store::{StoreError, protection::users};

use crate::{
    AppError, SessionInfo, protection::audit::Event, protection::audit::Who, protection::audit::record,
    protection::secrets::Sealed,
};

fn hotp(secret: &[u8], counter: u64) -> u32 {
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(&counter.to_be_bytes());
    let h = mac.finalize().into_bytes();
    let offset = (h[19] & 0x0f) as usize;
    let bin = u32::from_be_bytes([h[offset] & 0x7f, h[offset + 1], h[offset + 2], h[offset + 3]]);
    bin % 1_000_000
}

/// Whether `code` is right for `secret` at `unix_secs`, allowing one step of drift.
pub fn verify(secret: &[u8], unix_secs: i64, code: &str) -> bool {
    let code = code.trim();
    if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
        return false;
    }
    let Ok(want) = code.parse::<u32>() else { return false };
    let step = unix_secs.div_euclid(30);
    (-1..=1).any(|d| u64::try_from(step + d).is_ok_and(|s| hotp(secret, s) == want))
}

/// The current code (for tests and for showing what an authenticator app should display).
pub fn code_at(secret: &[u8], unix_secs: i64) -> String {
    format!("{:06}", hotp(secret, unix_secs.div_euclid(30) as u64))
}

const B32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

pub fn base32(bytes: &[u8]) -> String {
    let mut out = String::new();
    for chunk in bytes.chunks(5) {
        let mut buf = [0u8; 5];
        buf[..chunk.len()].copy_from_slice(chunk);
        let n = u64::from_be_bytes([0, 0, 0, buf[0], buf[1], buf[2], buf[3], buf[4]]);
        let chars = (chunk.len() * 8).div_ceil(5);
        for i in 0..chars {
            out.push(B32[((n >> (35 - i * 5)) & 31) as usize] as char);
        }
    }
    out
}

pub fn unbase32(s: &str) -> Option<Vec<u8>> {
    let mut bits = 0u64;
    let mut nbits = 0;
    let mut out = Vec::new();
    for c in s.trim().trim_end_matches('=').chars().filter(|c| !c.is_whitespace()) {
        let v = B32.iter().position(|&b| b as char == c.to_ascii_uppercase())? as u64;
        bits = (bits << 5) | v;
        nbits += 5;
        if nbits >= 8 {
            nbits -= 8;
            out.push((bits >> nbits) as u8);
            bits &= (1 << nbits) - 1;
        }
    }
    Some(out)
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
        let secret = base32(&secret);
        let uri = format!("otpauth://totp/Qingling:{}?secret={secret}&issuer=Qingling", session.actor.username);
        TotpOffer { secret, uri }
    }

    /// Turns the second factor on once the user proves their app shows the right code.
    pub async fn totp_enable(&self, session: &SessionInfo, secret_b32: &str, code: &str) -> Result<(), AppError> {
        let now = self.now();
        let secret = unbase32(secret_b32).filter(|s| s.len() >= 10).ok_or_else(|| {
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
            stored.split_once(':').ok_or_else(|| AppError::Internal("malformed second-factor secret".into()))?;
        let b32 = self.keyring().open(&Sealed { key_id: key_id.into(), value: value.into() }, &aad(user))?;
        unbase32(&b32).ok_or_else(|| AppError::Internal("malformed second-factor secret".into()))
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

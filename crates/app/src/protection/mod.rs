//! Protection use cases: sign-in and sessions, the second factor, personal tokens, the three
//! administrators' work, installation setup, the audit trail; and the keys that seal secrets.

mod account;
pub(crate) mod admin;
pub(crate) mod audit;
pub(crate) mod auth;
mod flash;
mod kept;
mod persons;
pub(crate) mod recusal;
mod resealing;
pub(crate) mod secrets;
mod setup;
mod tokens;
pub(crate) mod totp;

pub use admin::{AccountRequest, AccountRow, GrantAdmin, UnitAdmin};
pub use audit::{AuditNames, AuditPage, AuditQuery};
pub use auth::{CLIENT_LIMIT, Credentials, LoginKind, SessionInfo, constant_time_eq};
pub use flash::{Flash, FlashKind};
pub use kept::{KEEP_FOR, KeptForm};
pub use recusal::RecusalView;
pub use secrets::{CipherKind, Keyring, Sealed};
pub use setup::{BootAccount, Bootstrap, FIRST_STEPS, NewAccount, SetupProgress};
pub use tokens::TokenInfo;
pub use totp::{TotpOffer, code_at as totp_code_at, unbase32};

crate::facade!(
    /// Protection's use cases: `app.protection()`.
    Protection,
    protection
);

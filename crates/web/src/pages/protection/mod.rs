//! Protection pages: sign-in, my account, the administrators' pages, the audit trail.

pub(super) mod account;
pub(super) mod admin;
pub(crate) mod audit;
pub(super) mod login;
pub(super) mod recusal;
pub(super) mod resume;

//! Protection's records: accounts and grants, sessions, personal tokens, the person registry
//! and the audit chain.

pub mod audit;
pub mod kept_forms;
pub mod persons;
pub mod recusals;
pub mod sealed;
pub mod sessions;
pub mod throttle;
pub mod tokens;
pub mod users;

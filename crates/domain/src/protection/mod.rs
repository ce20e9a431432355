//! Protection: roles and scopes, passwords, the people a lead must be kept from, and the
//! audit trail's chain rule.

pub mod audit;
pub mod audit_detail;
pub mod audit_words;
pub mod password;
pub mod person;
pub mod role;
pub mod scope;
pub mod throttle;

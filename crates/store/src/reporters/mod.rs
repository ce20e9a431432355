//! Reporters' records: a lead's reporter, identity sealed.

pub mod identity;

//! Reporters' records: a lead's reporter, identity sealed; feedback to them and their objections.

pub mod feedback;
pub mod identity;

//! Reporters' records: a lead's reporter, identity sealed; feedback to them and their objections;
//! the public portal's reports.

pub mod attachments;
pub mod feedback;
pub mod identity;
pub mod portal;

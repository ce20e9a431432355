//! Reporters: a lead's reporter, whose identity is sealed and revealed only to a custodian
//! with a reason; feedback to them, their objections and the satisfaction rate; the public
//! portal's reports and the committee's intake of them.

pub(crate) mod attachments;
pub(crate) mod export;
pub(crate) mod feedback;
pub(crate) mod identity;
pub(crate) mod intake;
pub(crate) mod portal;
pub(crate) mod satisfaction;

crate::facade!(
    /// The reporters' use cases: `app.reporters()`.
    Reporters,
    reporters
);

//! Reporters: a lead's reporter, whose identity is sealed and revealed only to a custodian
//! with a reason. Feedback, satisfaction and the public portal will live here too.

pub(crate) mod export;
pub(crate) mod identity;

crate::facade!(
    /// The reporters' use cases: `app.reporters()`.
    Reporters,
    reporters
);

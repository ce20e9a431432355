//! The lifecycle's records: the timeline (steps, approvals, follow-through), extensions,
//! the deadline setup, and notices.

pub mod deadlines;
pub mod extensions;
pub(crate) mod legacy;
pub mod notices;
pub mod side_clocks;
pub mod timeline;

//! Oversight pages: the review of unfounded closures (查否复审复核) and rectification
//! (以案促改) with the institutions it leaves.

pub(crate) mod rectifications;
pub(crate) mod reviews;

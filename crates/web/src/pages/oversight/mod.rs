//! Oversight pages: the review of unfounded closures (查否复审复核) and rectification
//! (以案促改) with the institutions it leaves, accountability (问责) and early intervention (抓早抓小).

pub(crate) mod accountability;
pub(crate) mod clearings;
pub(crate) mod library;
pub(crate) mod rectifications;
pub(crate) mod reviews;

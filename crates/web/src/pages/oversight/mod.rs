//! Oversight pages: so far the review of unfounded closures (查否复审复核).

pub(crate) mod reviews;

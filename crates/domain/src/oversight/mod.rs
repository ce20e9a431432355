//! Oversight after a conclusion (design brief §7–§8): re-review of leads closed as unfounded,
//! rectification, institutions, early warnings, accountability, clearing. So far the review:
//! which closures the queue takes and why (`review`), and what a review records (`reviewing`).

pub mod review;
pub mod reviewing;

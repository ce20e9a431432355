//! Oversight after a conclusion (design brief §7–§8): re-review of leads closed as unfounded,
//! rectification, institutions, early warnings, accountability, clearing. So far the rules of
//! the review queue (which closures, why, who may review).

pub mod review;

//! Oversight after a conclusion (design brief §7–§8): re-review of leads closed as unfounded,
//! rectification, institutions, early warnings, accountability, clearing. So far the review:
//! which closures the queue takes and why (`review`), and what a review records (`reviewing`);
//! rectification after a case and the institutions it leaves (`rectification`); accountability
//! (`accountability`) and early intervention (`early_warning`); clearing names and false
//! accusation (`clearing`).

pub mod accountability;
pub mod clearing;
pub mod early_warning;
pub mod library;
pub mod rectification;
pub mod review;
pub mod reviewing;

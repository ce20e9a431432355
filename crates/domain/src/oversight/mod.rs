//! Oversight after a conclusion (design brief §7–§8): re-review of leads closed as unfounded,
//! rectification, institutions, early warnings, accountability, clearing. Empty for now.

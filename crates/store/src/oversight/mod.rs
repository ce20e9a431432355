//! Oversight's records: the re-review of unfounded closures (`reviews`) and the closers'
//! endorsements it reads (`endorsements`); rectification and institutions (`rectifications`);
//! accountability decisions and early warnings (`accountability`); clearings (`clearings`).

pub mod accountability;
pub mod clearings;
pub mod endorsements;
pub mod library;
pub mod rectifications;
pub mod reviews;

//! Oversight's records: the re-review of unfounded closures (`reviews`) and the closers'
//! endorsements it reads (`endorsements`); rectification and institutions (`rectifications`).

pub mod endorsements;
pub mod rectifications;
pub mod reviews;

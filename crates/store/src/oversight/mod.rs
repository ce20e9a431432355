//! Oversight's records: so far the re-review of unfounded closures (`reviews`) and the closers'
//! endorsements it reads (`endorsements`).

pub mod endorsements;
pub mod reviews;

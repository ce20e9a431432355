//! Supervision's records: follow-up orders and moves of jurisdiction, ownership, visits and
//! meetings, and the clearance board's figures (kept and recounted).

pub mod board;
pub(crate) mod counting;
pub mod handling;
pub mod ownership;
pub mod tallies;

//! Supervision pages: the clearance board, listed supervision and moves of jurisdiction, ownership
//! and visits, collective study meetings.

pub(crate) mod board;
pub(super) mod handling;
pub(super) mod ownership;

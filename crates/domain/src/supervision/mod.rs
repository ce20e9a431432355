//! Supervision (design brief §6): ownership by a leadership member, collective study meetings,
//! and the clearance board's arithmetic.

pub mod clearance;
pub mod meeting;
pub mod ownership;
pub mod ranking;
pub mod tally;

//! Reporting's records: the statistics' counts; bulletins and work reports follow.

pub mod statistics;

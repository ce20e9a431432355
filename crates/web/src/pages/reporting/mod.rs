//! Reporting pages: statistics (bulletins and work reports follow).

pub(crate) mod statistics;

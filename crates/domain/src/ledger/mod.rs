//! The ledger (台账): leads, their subjects, numbers, units and campaigns, and how a list of
//! them is filtered, sorted and paged.

pub mod campaign;
pub mod campaign_input;
pub mod import;
pub mod lead;
pub mod lead_no;
pub mod query;
pub mod repeats;
pub mod routing;
pub mod subject;
pub mod unit;

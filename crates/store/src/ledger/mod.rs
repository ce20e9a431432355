//! The ledger's rows: leads and their subjects, numbering, the ledger's pages, units and
//! campaigns.

pub mod bulk;
pub mod campaign_scope;
pub mod campaigns;
pub mod export;
pub mod handlers;
pub mod imports;
pub mod leads;
pub mod pages;
pub mod repeats;
pub mod units;

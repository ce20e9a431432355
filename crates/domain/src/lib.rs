//! Qingling's domain: value types, the ledger's vocabulary and its rules.
//!
//! Nothing here performs IO or reads the clock; "today" is always a parameter.

pub mod audit;
pub mod calendar;
pub mod campaign;
pub mod dates;
pub mod deadline;
pub mod error;
pub mod extension;
pub mod ids;
pub mod labels;
pub mod lead;
pub mod lead_no;
pub mod ledger;
pub mod lifecycle;
pub mod password;
pub mod person;
pub mod role;
pub mod subject;
pub mod tally;
pub mod text;
pub mod unit;

pub use error::{FieldError, Invalid};
pub use ids::{CampaignId, LeadId, UnitId, UserId};

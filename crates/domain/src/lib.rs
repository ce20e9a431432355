//! Qingling's domain: value types, the vocabularies of the brief and their rules, one module
//! per concept (the same rooms as in `store`, `app` and `web`).
//!
//! Nothing here performs IO or reads the clock; "today" is always a parameter.

pub mod dates;
pub mod error;
pub mod ids;
pub mod labels;
pub mod text;

pub mod ledger;
pub mod lifecycle;
pub mod oversight;
pub mod protection;
pub mod relations;
pub mod reporters;
pub mod reporting;
pub mod supervision;

pub use error::{FieldError, Invalid};
pub use ids::{CampaignId, ImportId, LeadId, UnitId, UserId};
/// For `labelled_enum!` expanded in other modules: their schemas for the OpenAPI document.
#[doc(hidden)]
pub use utoipa as __utoipa;

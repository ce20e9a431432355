//! Ledger use cases: list, read, register and edit leads; the unit tree.

mod leads;
mod units;

pub use leads::{LeadDetail, LeadPage, SaveLead};

crate::facade!(
    /// The ledger's use cases: `app.ledger()`.
    Ledger,
    ledger
);
pub(crate) use leads::TopUnits;

//! Ledger use cases: list, read, register and edit leads; a lead's dossier; the unit tree.

mod campaigns;
mod dossier;
mod export;
mod handlers;
mod import;
mod leads;
mod registration;
mod routing;
mod units;

pub use campaigns::{CampaignBook, CampaignRow};
pub use dossier::{Dossier, LeadDetail, Permissions};
pub use handlers::MAX_HANDLERS;
pub use import::{
    ImportConfirm, ImportCounts, ImportDone, ImportErrorView, ImportPreview, ImportSettings, MappedColumn, PreviewRow,
    SheetChoice, ValueChoice, cell_text,
};
pub use leads::LeadPage;
pub(crate) use leads::TopUnits;
pub use registration::{Registered, SaveLead};

crate::facade!(
    /// The ledger's use cases: `app.ledger()`.
    Ledger,
    ledger
);

//! Ledger use cases: list, read, register and edit leads; a lead's dossier; the unit tree.

mod campaigns;
mod dossier;
mod export;
mod handlers;
mod import;
mod insertion;
mod leads;
mod progress;
mod registration;
mod repeats;
mod routing;
mod search;
mod units;

pub use campaigns::{CampaignBook, CampaignRow};
pub use dossier::{Dossier, LeadDetail, Permissions};
pub use export::ExportStart;
pub use handlers::MAX_HANDLERS;
pub use import::{
    ImportConfirm, ImportCounts, ImportDone, ImportErrorView, ImportPreview, ImportSettings, MappedColumn, PreviewRow,
    SheetChoice, ValueChoice, cell_text,
};
pub use leads::LeadPage;
pub(crate) use leads::TopUnits;
pub(crate) use leads::pages_for;
pub(crate) use progress::{ExportFile, Work, WorkBoard, failure};
pub use progress::{Phase, Progress, ProgressView};
pub use registration::{Registered, SaveLead};
pub use search::{SEARCH_PAGE, SearchHit, SearchResults, SnippetPiece, searched_text};

crate::facade!(
    /// The ledger's use cases: `app.ledger()`.
    Ledger,
    ledger
);

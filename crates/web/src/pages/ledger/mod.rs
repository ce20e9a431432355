//! Ledger pages: the ledger itself, the lead page, the register and edit form, search.

pub(super) mod campaigns;
pub(crate) mod form;
pub(crate) mod import;
pub(super) mod lead;
pub(crate) mod list;
pub(super) mod progress;
pub(super) mod search;

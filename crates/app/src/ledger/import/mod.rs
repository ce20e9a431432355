//! Importing a unit's own spreadsheet ledger (issue 13): upload, preview with the column
//! mapping and the value table, confirm. Nothing is written until the confirmation, which
//! writes every row in one transaction and one audit entry.

mod analysis;
mod preview;
mod repeats;
mod watch;
mod write;

pub use analysis::{ImportSettings, cell_text};
pub use domain::ledger::import::row::CellError as ImportErrorView;
pub use preview::{ImportCounts, ImportPreview, MappedColumn, PreviewRow, SheetChoice, ValueChoice};
pub use write::{ImportConfirm, ImportDone};

use domain::{FieldError, ImportId, UnitId};
use office::sheet::{Book, LIMITS, ReadError};
use sha2::{Digest, Sha256};
use store::{StoreError, ledger::imports, to_micros};

use super::Ledger;
use crate::{AppError, LedgerKeeper};

fn unreadable(e: &ReadError) -> AppError {
    AppError::field(FieldError::new("file", "unreadable", e.zh(), e.en()))
}

/// Reads an upload, refusing what is not a readable spreadsheet.
pub(crate) fn read_book(bytes: &[u8], file_name: &str) -> Result<Book, AppError> {
    office::sheet::read(bytes, file_name, &LIMITS).map_err(|e| unreadable(&e))
}

pub(super) fn sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn clean_name(file_name: &str) -> String {
    // Only the file's own name, never a path the browser sent; kept short for the audit trail.
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or_default().trim();
    let name: String = base.chars().filter(|c| !c.is_control()).take(120).collect();
    if name.is_empty() { "ledger".to_owned() } else { name }
}

impl Ledger<'_> {
    /// Keeps an uploaded ledger for its preview: the unit must be in the keeper's subtrees and
    /// the file readable. Nothing reaches the ledger yet.
    #[tracing::instrument(name = "ledger.import_upload", skip_all)]
    pub async fn import_upload(
        &self,
        keeper: &LedgerKeeper,
        unit: UnitId,
        file_name: &str,
        bytes: &[u8],
    ) -> Result<ImportId, AppError> {
        let name = clean_name(file_name);
        self.import_upload_with(keeper, unit, &name, bytes, None).await
    }

    /// As [`Ledger::import_upload`], with the user's choices made beforehand (the command
    /// line's value table and sheet).
    pub async fn import_upload_with(
        &self,
        keeper: &LedgerKeeper,
        unit: UnitId,
        file_name: &str,
        bytes: &[u8],
        chosen: Option<&ImportSettings>,
    ) -> Result<ImportId, AppError> {
        let name = clean_name(file_name);
        if bytes.is_empty() {
            return Err(AppError::field(FieldError::new(
                "file",
                "required",
                "请选择要导入的台账文件。",
                "Choose the ledger file to import.",
            )));
        }
        // Read before anything is kept: a file that is not a spreadsheet is refused here.
        let book = read_book(bytes, &name)?;
        let mut tx = self.db().begin_write().await?;
        let unit = self.import_unit(&mut tx, keeper, unit).await?;
        let mut settings = chosen.cloned().unwrap_or_default();
        if settings.sheet.is_none() {
            settings.sheet = self.analyse(&mut tx, keeper, &unit, &book, &settings).await?.sheet;
        }
        let json = serde_json::to_string(&settings).map_err(|e| AppError::internal(e.to_string()))?;
        let id = imports::insert(
            &mut tx,
            &imports::NewImport {
                unit: unit.id,
                file_name: &name,
                sha256: &sha256(bytes),
                content: bytes,
                settings: &json,
                actor: keeper.actor.id,
                now: to_micros(self.now()),
            },
        )
        .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(id)
    }

    /// The unit an import goes to, if it lies in the keeper's subtrees.
    async fn import_unit(
        &self,
        c: &mut store::Conn,
        keeper: &LedgerKeeper,
        unit: UnitId,
    ) -> Result<domain::ledger::unit::Unit, AppError> {
        super::registration::unit_in_scope(c, keeper, unit).await
    }

    /// Saves the user's sheet, mapping and value choices for an import not yet written.
    #[tracing::instrument(name = "ledger.import_settings", skip_all)]
    pub async fn import_settings(
        &self,
        keeper: &LedgerKeeper,
        id: ImportId,
        settings: &ImportSettings,
    ) -> Result<(), AppError> {
        settings.resolutions.check().map_err(AppError::field)?;
        let json = serde_json::to_string(settings).map_err(|e| AppError::internal(e.to_string()))?;
        let mut tx = self.db().begin_write().await?;
        let stored = imports::get(&mut tx, id, keeper.actor.id).await?.ok_or(AppError::NotFound)?;
        if stored.state == imports::State::Written
            || !imports::set_settings(&mut tx, id, keeper.actor.id, &json).await?
        {
            return Err(written_already());
        }
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    /// The error workbook of a written import: the rows not written as they were, with why.
    pub async fn import_error_book(&self, keeper: &LedgerKeeper, id: ImportId) -> Result<Vec<u8>, AppError> {
        let mut c = self.db().read().await?;
        imports::error_book(&mut c, id, keeper.actor.id).await?.ok_or(AppError::NotFound)
    }
}

fn written_already() -> AppError {
    AppError::field(FieldError::new(
        "import",
        "written",
        "该文件已导入，不能再修改；如需更改请重新上传。",
        "This file has been imported already; upload it again to change anything.",
    ))
}

//! An import's write followed while it runs: tracked on the instance's work board, so that
//! the page and the API can read its progress and cancel it until it commits. Started from
//! a page, it runs on a task of its own and the page follows it.

use domain::{FieldError, ImportId};

use super::{
    super::{Ledger, Progress, ProgressView, Work, failure},
    ImportConfirm, ImportDone,
};
use crate::{AppError, LedgerKeeper};

fn running() -> AppError {
    AppError::field(FieldError::new(
        "import",
        "running",
        "该文件正在导入，请等待完成或先取消。",
        "This file is being imported; wait for it to finish, or cancel it first.",
    ))
}

/// The refusal a cancelled import ends with; nothing was written.
pub(super) fn cancelled() -> AppError {
    AppError::field(FieldError::new(
        "import",
        "cancelled",
        "导入已取消，未写入任何数据。",
        "The import was cancelled; nothing was written.",
    ))
}

impl Ledger<'_> {
    /// Writes an import the user confirmed (see [`Ledger::import_confirm_watched`]), tracked
    /// on this instance's work board meanwhile.
    pub async fn import_confirm(
        &self,
        keeper: &LedgerKeeper,
        id: ImportId,
        confirm: ImportConfirm,
    ) -> Result<ImportDone, AppError> {
        let progress = self.work.start(Work::Import(id), keeper.actor.id).ok_or_else(running)?;
        let out = self.import_confirm_watched(keeper, id, confirm, &progress).await;
        self.settle(keeper, id, &out, false);
        out
    }

    /// What the board keeps of a write that ended: nothing of an import that is not the
    /// keeper's (else its progress would tell that the id exists), nor of a written one
    /// whose page says what was written (`forget_done`).
    fn settle(&self, keeper: &LedgerKeeper, id: ImportId, out: &Result<ImportDone, AppError>, forget_done: bool) {
        if matches!(out, Err(AppError::NotFound | AppError::Forbidden)) || (forget_done && out.is_ok()) {
            self.work.forget(Work::Import(id), keeper.actor.id);
        }
    }

    /// Writes an import reporting to `progress`, which ends done, failed or cancelled.
    pub async fn import_confirm_watched(
        &self,
        keeper: &LedgerKeeper,
        id: ImportId,
        confirm: ImportConfirm,
        progress: &Progress,
    ) -> Result<ImportDone, AppError> {
        let out = self.write_import(keeper, id, confirm, progress).await;
        progress.finish(out.as_ref().map(|_| ()).map_err(|e| Some(failure(e))));
        out
    }

    /// Starts the write on a task of its own and waits a second: a short import is done by
    /// then and its outcome is returned; a long one goes on (`None`) and its page follows it.
    pub async fn import_begin(
        &self,
        keeper: &LedgerKeeper,
        id: ImportId,
        confirm: ImportConfirm,
    ) -> Result<Option<ImportDone>, AppError> {
        let progress = self.work.start(Work::Import(id), keeper.actor.id).ok_or_else(running)?;
        let (app, keeper) = (self.app.clone(), keeper.clone());
        let task = tokio::spawn(async move {
            let out = app.ledger().import_confirm_watched(&keeper, id, confirm, &progress).await;
            app.ledger().settle(&keeper, id, &out, true);
            out
        });
        match self.wait_for(task).await {
            Some(joined) => joined?.map(Some),
            // The task goes on without its handle.
            None => Ok(None),
        }
    }

    /// The progress of the keeper's own import on this instance, if it runs or just ended.
    pub fn import_progress(&self, keeper: &LedgerKeeper, id: ImportId) -> Option<ProgressView> {
        self.work.get(Work::Import(id), keeper.actor.id).map(|p| p.view())
    }

    /// Asks the keeper's running import to stop; false once it commits or ended.
    pub fn import_cancel(&self, keeper: &LedgerKeeper, id: ImportId) -> Result<bool, AppError> {
        let p = self.work.get(Work::Import(id), keeper.actor.id).ok_or(AppError::NotFound)?;
        Ok(p.cancel())
    }

    /// Forgets an ended import's progress once its outcome was shown.
    pub fn import_seen(&self, keeper: &LedgerKeeper, id: ImportId) {
        self.work.forget(Work::Import(id), keeper.actor.id);
    }
}

//! The confirmation: every row written in one transaction (a failure half-way writes
//! nothing), one audit entry for the whole import, and the error workbook of the rows left out.

use domain::{
    FieldError, ImportId, Invalid,
    dates::beijing_date,
    ledger::import::{matching::Fate, matching::carry_over, row::ReadRow},
    ledger::lead::LeadDraft,
    lifecycle::timeline::{Activity, EventKind, Payload},
};
use serde::{Deserialize, Serialize};
use store::{
    StoreError,
    ledger::{imports, leads},
    lifecycle::timeline::{self, NewEvent},
    to_micros,
};

use super::{
    super::{
        Ledger, Progress,
        insertion::Arrival,
        registration::{membership, stock_class},
    },
    ImportSettings,
    analysis::{Analysis, RowOutcome},
    preview::counts,
    read_book,
    watch::cancelled,
    written_already,
};
use crate::{
    AppError, LedgerKeeper,
    protection::audit::{Event, Who, record},
};

/// The user's confirmation.
#[derive(Debug, Clone, Copy, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ImportConfirm {
    /// Write the valid rows even though others have errors ("import the valid rows").
    pub skip_invalid: bool,
    /// Apply the rows that changed since the last import of the sheet.
    pub apply_changed: bool,
}

/// What the write did.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ImportDone {
    pub id: ImportId,
    pub rows: u32,
    pub written: u32,
    pub updated: u32,
    pub unchanged: u32,
    /// Rows with errors, and changed rows not applied.
    pub skipped: u32,
    pub has_error_book: bool,
}

/// New rows written per batch.
const BATCH: usize = 500;

fn refused(code: &'static str, zh: String, en: String) -> AppError {
    AppError::field(FieldError::new("import", code, zh, en))
}

/// The bad rows as they were, with why, ready to be fixed and imported again.
fn error_book(a: &Analysis) -> Result<Option<Vec<u8>>, AppError> {
    let bad: Vec<(&RowOutcome, String)> = a
        .rows
        .iter()
        .filter(|r| !r.errors.is_empty())
        .map(|r| {
            let why: Vec<String> = r
                .errors
                .iter()
                .map(|e| {
                    if e.column.is_empty() { e.message_zh.clone() } else { format!("{}列 {}", e.column, e.message_zh) }
                })
                .collect();
            (r, why.join("；"))
        })
        .collect();
    if bad.is_empty() {
        return Ok(None);
    }
    let rows: Vec<(&[office::sheet::Cell], &str)> =
        bad.iter().map(|(r, why)| (r.cells.as_slice(), why.as_str())).collect();
    office::error_workbook(a.sheet.as_deref().unwrap_or("台账"), &a.header_cells, &rows)
        .map(Some)
        .map_err(|e| AppError::internal(e.to_string()))
}

impl Ledger<'_> {
    /// Writes an import the user confirmed, reading the file again inside the transaction so
    /// that what is written is what the ledger holds now; `progress` follows it and may
    /// cancel it until the commit.
    #[tracing::instrument(name = "ledger.import_confirm", skip_all)]
    pub(super) async fn write_import(
        &self,
        keeper: &LedgerKeeper,
        id: ImportId,
        confirm: ImportConfirm,
        progress: &Progress,
    ) -> Result<ImportDone, AppError> {
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        let stored = imports::get(&mut tx, id, keeper.actor.id).await?.ok_or(AppError::NotFound)?;
        let Some(content) = stored.content.as_deref() else { return Err(written_already()) };
        let unit = self.import_unit(&mut tx, keeper, stored.unit_id).await?;
        let settings: ImportSettings =
            serde_json::from_str(&stored.settings).map_err(|e| AppError::internal(e.to_string()))?;
        let book = read_book(content, &stored.file_name)?;
        let a = self.analyse(&mut tx, keeper, &unit, &book, &settings).await?;
        // Every row is its draft now (and a bad row its cells): the sheet's cells can go
        // before the write needs its memory.
        drop(book);
        progress.check().map_err(|_| cancelled())?;
        if !a.problems.is_empty() {
            return Err(AppError::Invalid(Invalid(a.problems.clone())));
        }
        let n = counts(&a);
        if n.invalid > 0 && !confirm.skip_invalid {
            return Err(refused(
                "invalid_rows",
                format!("有 {} 行有错误，未导入任何数据。请修正后重新上传，或选择“只导入有效行”。", n.invalid),
                format!(
                    "{} rows have errors; nothing was imported. Fix them and upload again, or choose \"import the valid rows\".",
                    n.invalid
                ),
            ));
        }
        if n.new == 0 && !(confirm.apply_changed && n.changed > 0) {
            return Err(refused(
                "nothing_to_write",
                "没有需要写入的行（没有新线索，也没有选择更新有变化的线索）。".into(),
                "Nothing to write: no new leads, and changed leads were not chosen to be updated.".into(),
            ));
        }
        let to_write = n.new + if confirm.apply_changed { n.changed } else { 0 };
        store::long_write_cache(&mut tx, self.db().backend(), true).await?;
        progress.writing(u64::from(to_write)).map_err(|_| cancelled())?;
        let (mut written, mut updated) = (0u32, 0u32);
        let at = to_micros(now);
        // New rows in batches, in the sheet's order: numbered and written together, each with
        // its "imported" entry.
        let new_rows: Vec<(&RowOutcome, &ReadRow, &LeadDraft)> = a
            .rows
            .iter()
            .filter(|r| matches!(r.fate, Some(Fate::New)))
            .filter_map(|r| r.read.as_ref().map(|(read, draft)| (r, read, draft)))
            .collect();
        for batch in new_rows.chunks(BATCH) {
            let drafts: Vec<LeadDraft> = batch
                .iter()
                .map(|(_, _, draft)| {
                    let mut draft = (*draft).clone();
                    for s in draft.subjects.iter_mut().filter(|s| s.unit_name.trim().is_empty()) {
                        s.unit_name = unit.name.clone();
                    }
                    draft
                })
                .collect();
            let arrivals: Vec<Arrival<'_>> = batch
                .iter()
                .map(|(r, read, _)| Arrival {
                    status: read.status,
                    original_no: read.original_no.as_deref(),
                    sent_up: false,
                    campaign: r.campaign.and_then(|i| a.campaigns.get(i)),
                })
                .collect();
            let items: Vec<(&LeadDraft, &Arrival<'_>)> = drafts.iter().zip(&arrivals).collect();
            let made = self.insert_many(&mut tx, keeper, (&unit, None), &items, now).await?;
            let payloads: Vec<Payload> = batch
                .iter()
                .map(|(r, read, _)| Payload::Imported {
                    file: stored.file_name.clone(),
                    row: r.row,
                    status: read.status,
                })
                .collect();
            let events: Vec<NewEvent<'_>> = payloads
                .iter()
                .zip(batch)
                .map(|(payload, (_, read, _))| {
                    let mut e = NewEvent::done(EventKind::Activity(Activity::Imported), keeper.actor.id, at);
                    e.to_status = Some(read.status);
                    e.payload = Some(payload);
                    e
                })
                .collect();
            let pairs: Vec<_> = made.iter().map(|(h, _)| h).zip(&events).collect();
            timeline::insert_many(&mut tx, &pairs).await?;
            self.keep_repeats(
                &mut tx,
                &a,
                batch.iter().map(|(r, _, _)| r.row).zip(made.iter().map(|(h, _)| h)),
                (keeper.actor.id, at),
            )
            .await?;
            written += u32::try_from(batch.len()).unwrap_or(u32::MAX);
            progress.advance(batch.len() as u64).map_err(|_| cancelled())?;
        }
        // Changed rows one by one: few, and each saved only over the version it was compared with.
        for r in a.rows.iter().filter(|_| confirm.apply_changed) {
            let (Some((_, draft)), Some(Fate::Changed(_)), Some(lead)) = (&r.read, &r.fate, &r.existing) else {
                continue;
            };
            progress.advance(1).map_err(|_| cancelled())?;
            let mut draft = draft.clone();
            carry_over(&mut draft, lead, &a.mapping);
            let campaign = membership(&mut tx, lead.unit_id, &draft, lead.campaign_id).await?;
            let (deadline, timing) = match draft.deadline.filter(|d| *d != lead.deadline) {
                Some(_) => self.initial_deadline(&draft, campaign.as_ref(), lead.status, lead.clock_started_on)?,
                None => (
                    lead.deadline,
                    leads::Timing {
                        rule: lead.deadline_rule,
                        started: lead.clock_started_on.unwrap_or(lead.received_on),
                        provisional: lead.deadline_provisional,
                    },
                ),
            };
            let (handle, _) = leads::get(&mut tx, &keeper.scope, lead.id).await?.ok_or(AppError::NotFound)?;
            let change = leads::LeadChange {
                draft: &draft,
                person_key: self.keyring().person_key_id(),
                unit: lead.unit_id,
                routed_from: None,
                campaign_id: campaign.as_ref().map(|k| k.id),
                deadline,
                timing,
                stock_class: stock_class(campaign.as_ref(), &draft),
                expected_version: lead.version,
                actor: keeper.actor.id,
                now: at,
            };
            match leads::update(&mut tx, &handle, &change).await? {
                leads::ChangeOutcome::Saved { .. } => updated += 1,
                leads::ChangeOutcome::Stale { current_version } => {
                    return Err(AppError::Stale { current_version });
                }
            }
        }
        let book = error_book(&a)?;
        let skipped = n.rows - written - updated - n.unchanged;
        let outcome = imports::Outcome {
            rows_read: i64::from(n.rows),
            written: i64::from(written),
            updated: i64::from(updated),
            skipped: i64::from(skipped),
            error_book: book.as_deref(),
        };
        if !imports::finish(&mut tx, id, keeper.actor.id, &outcome, at).await? {
            return Err(written_already());
        }
        record(
            &mut tx,
            self,
            now,
            Who::User(&keeper.actor),
            Event::new("ledger.import", "import", id).detail(format!(
                "file: {}; sha256: {}; unit: {}; rows: {}; written: {written}; updated: {updated}; unchanged: {}; skipped: {skipped}; on: {}",
                stored.file_name,
                stored.sha256,
                unit.id,
                n.rows,
                n.unchanged,
                beijing_date(now)
            )),
        )
        .await?;
        progress.committing().map_err(|_| cancelled())?;
        store::long_write_cache(&mut tx, self.db().backend(), false).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(ImportDone {
            id,
            rows: n.rows,
            written,
            updated,
            unchanged: n.unchanged,
            skipped,
            has_error_book: book.is_some(),
        })
    }
}

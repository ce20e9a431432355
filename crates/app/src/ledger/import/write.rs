//! The confirmation: every row written in one transaction (a failure half-way writes
//! nothing), one audit entry for the whole import, and the error workbook of the rows left out.

use domain::{
    FieldError, ImportId, Invalid,
    dates::beijing_date,
    ledger::import::{matching::Fate, matching::carry_over},
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
        Ledger,
        registration::{Arrival, membership, stock_class},
    },
    ImportSettings,
    analysis::{Analysis, RowOutcome},
    preview::counts,
    read_book, written_already,
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
    /// that what is written is what the ledger holds now.
    #[tracing::instrument(name = "ledger.import_confirm", skip_all)]
    pub async fn import_confirm(
        &self,
        keeper: &LedgerKeeper,
        id: ImportId,
        confirm: ImportConfirm,
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
        let (mut written, mut updated) = (0u32, 0u32);
        let at = to_micros(now);
        for r in &a.rows {
            let Some((read, draft)) = &r.read else { continue };
            match (&r.fate, &r.existing) {
                (Some(Fate::New), _) => {
                    let mut draft = draft.clone();
                    for s in draft.subjects.iter_mut().filter(|s| s.unit_name.trim().is_empty()) {
                        s.unit_name = unit.name.clone();
                    }
                    let arrival = Arrival {
                        status: read.status,
                        original_no: read.original_no.as_deref(),
                        sent_up: false,
                        campaign: r.campaign.and_then(|i| a.campaigns.get(i)),
                    };
                    let (handle, _) = self.insert_new(&mut tx, keeper, &draft, (&unit, None), &arrival, now).await?;
                    let payload = Payload::Imported { file: stored.file_name.clone(), row: r.row, status: read.status };
                    let mut e = NewEvent::done(EventKind::Activity(Activity::Imported), keeper.actor.id, at);
                    e.to_status = Some(read.status);
                    e.payload = Some(&payload);
                    timeline::insert(&mut tx, &handle, &e).await?;
                    written += 1;
                }
                (Some(Fate::Changed(_)), Some(lead)) if confirm.apply_changed => {
                    let mut draft = draft.clone();
                    carry_over(&mut draft, lead, &a.mapping);
                    let campaign = membership(&mut tx, lead.unit_id, &draft, lead.campaign_id).await?;
                    let (deadline, timing) = match draft.deadline.filter(|d| *d != lead.deadline) {
                        Some(_) => {
                            self.initial_deadline(&draft, campaign.as_ref(), lead.status, lead.clock_started_on)?
                        }
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
                _ => {}
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

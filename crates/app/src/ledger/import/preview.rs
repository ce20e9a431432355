//! What the user sees before confirming: how each column is read, how each value maps, the
//! first rows as they will be written, every error, and the counts.

use domain::{
    ImportId, UnitId,
    ledger::import::{
        cells::column_letters,
        header::Column,
        matching::Fate,
        row::{CellError, VocabField},
        vocab::Mapped,
    },
};
use serde::Serialize;
use store::ledger::imports;

use super::{
    super::Ledger,
    ImportSettings,
    analysis::{Analysis, RowOutcome},
    read_book,
};
use crate::{AppError, LedgerKeeper};

/// Rows shown as they will be read.
pub const SAMPLE_ROWS: usize = 20;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SheetChoice {
    pub name: String,
    pub hidden: bool,
    pub chosen: bool,
}

/// A sheet column, its header label and what it is read as.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MappedColumn {
    pub index: usize,
    pub letter: String,
    pub label: String,
    pub column: Option<Column>,
}

/// A value written in a vocabulary column, and what it maps to.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ValueChoice {
    pub field: VocabField,
    pub written: String,
    pub rows: u32,
    /// The code it maps to without doubt, if it does.
    pub mapped: Option<String>,
    /// The codes it could mean, when ambiguous.
    pub candidates: Vec<String>,
    /// The user's choice, which wins over the mapping.
    pub chosen: Option<String>,
}

impl ValueChoice {
    /// Whether the user must still choose.
    pub fn open(&self) -> bool {
        self.mapped.is_none() && self.chosen.is_none()
    }
}

#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct ImportCounts {
    pub rows: u32,
    pub valid: u32,
    pub invalid: u32,
    pub new: u32,
    pub unchanged: u32,
    pub changed: u32,
    /// Blank, 合计 and signature rows.
    pub not_leads: u32,
    /// New rows that may repeat leads already registered (重复件).
    pub repeats: u32,
}

/// A new row and the earlier leads it may repeat.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ImportRepeat {
    pub row: u32,
    pub candidates: Vec<domain::ledger::repeats::RepeatCandidate>,
}

/// The most rows with repeat candidates a preview lists (all are kept with their leads).
pub const REPEAT_ROWS_SHOWN: usize = 100;

/// A row as it will be written.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PreviewRow {
    pub row: u32,
    /// `new`, `unchanged`, `changed` or `invalid`.
    pub fate: &'static str,
    pub changed: Vec<Column>,
    pub original_no: String,
    pub source: String,
    pub received_on: String,
    pub subjects: String,
    pub summary: String,
    pub category: String,
    pub status: String,
    pub deadline: String,
    pub errors: Vec<CellError>,
}

/// The preview of an uploaded ledger, or the record of a written one.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ImportPreview {
    pub id: ImportId,
    pub file_name: String,
    pub sha256: String,
    pub unit_id: UnitId,
    pub unit_name: String,
    pub written: bool,
    pub sheets: Vec<SheetChoice>,
    pub header_row: Option<u32>,
    pub columns: Vec<MappedColumn>,
    /// Problems with the file or the mapping: no row is read until they are solved.
    pub problems: Vec<CellError>,
    pub values: Vec<ValueChoice>,
    pub counts: ImportCounts,
    pub sample: Vec<PreviewRow>,
    pub errors: Vec<CellError>,
    /// Of a written import: leads written, leads updated, rows skipped.
    pub written_counts: Option<(i64, i64, i64)>,
    pub has_error_book: bool,
    /// New rows that may repeat leads already registered, the first [`REPEAT_ROWS_SHOWN`].
    pub repeats: Vec<ImportRepeat>,
}

fn fate_code(r: &RowOutcome) -> (&'static str, Vec<Column>) {
    match &r.fate {
        Some(Fate::New) => ("new", vec![]),
        Some(Fate::Unchanged) => ("unchanged", vec![]),
        Some(Fate::Changed(c)) => ("changed", c.clone()),
        None => ("invalid", vec![]),
    }
}

fn sample(r: &RowOutcome, english: bool) -> PreviewRow {
    let (fate, changed) = fate_code(r);
    let mut p = PreviewRow {
        row: r.row,
        fate,
        changed,
        original_no: String::new(),
        source: String::new(),
        received_on: String::new(),
        subjects: String::new(),
        summary: String::new(),
        category: String::new(),
        status: String::new(),
        deadline: String::new(),
        errors: r.errors.clone(),
    };
    if let Some((read, d)) = &r.read {
        let sep = if english { ", " } else { "、" };
        p.original_no = read.original_no.clone().unwrap_or_default();
        p.source = d.source.label(english).to_owned();
        p.received_on = domain::dates::format_date(d.received_on);
        p.subjects = d
            .subjects
            .iter()
            .map(|s| match (s.post.is_empty(), english) {
                (true, _) => s.name.clone(),
                (false, false) => format!("{}（{}）", s.name, s.post),
                (false, true) => format!("{} ({})", s.name, s.post),
            })
            .collect::<Vec<_>>()
            .join(sep);
        p.summary = d.summary.chars().take(80).collect();
        p.category = d.category.label(english).to_owned();
        p.status = read.status.label(english).to_owned();
        p.deadline = d.deadline.map(domain::dates::format_date).unwrap_or_default();
    }
    p
}

fn blank(id: ImportId, file_name: &str, sha256: String, unit: &domain::ledger::unit::Unit) -> ImportPreview {
    ImportPreview {
        id,
        file_name: file_name.to_owned(),
        sha256,
        unit_id: unit.id,
        unit_name: unit.name.clone(),
        written: false,
        sheets: Vec::new(),
        header_row: None,
        columns: Vec::new(),
        problems: Vec::new(),
        values: Vec::new(),
        counts: ImportCounts::default(),
        sample: Vec::new(),
        errors: Vec::new(),
        written_counts: None,
        has_error_book: false,
        repeats: Vec::new(),
    }
}

fn fill(p: &mut ImportPreview, a: &Analysis, english: bool) {
    p.sheets = a
        .sheets
        .iter()
        .map(|(name, hidden)| SheetChoice {
            name: name.clone(),
            hidden: *hidden,
            chosen: a.sheet.as_ref() == Some(name),
        })
        .collect();
    p.header_row = a.header_row;
    p.columns = a
        .labels
        .iter()
        .enumerate()
        .map(|(i, label)| MappedColumn {
            index: i,
            letter: column_letters(i),
            label: label.clone(),
            column: a.mapping.0.get(&i).copied(),
        })
        .collect();
    p.problems = a
        .problems
        .iter()
        .map(|e| CellError {
            row: 0,
            column: String::new(),
            message_zh: e.message_zh.clone(),
            message_en: e.message_en.clone(),
        })
        .collect();
    p.values = a
        .values
        .iter()
        .map(|v| ValueChoice {
            field: v.field,
            written: v.written.clone(),
            rows: v.rows,
            mapped: v.mapped.as_ref().ok().map(|c| (*c).to_owned()),
            candidates: match &v.mapped {
                Err(Mapped::Ambiguous(codes)) => codes.iter().map(|c| (*c).to_owned()).collect(),
                _ => Vec::new(),
            },
            chosen: v.chosen.clone(),
        })
        .collect();
    p.counts = counts(a);
    p.sample = a.rows.iter().take(SAMPLE_ROWS).map(|r| sample(r, english)).collect();
    p.errors = a.rows.iter().flat_map(|r| r.errors.iter().cloned()).collect();
    p.repeats = a
        .repeats
        .iter()
        .take(REPEAT_ROWS_SHOWN)
        .map(|(row, candidates)| ImportRepeat { row: *row, candidates: candidates.clone() })
        .collect();
}

pub(super) fn counts(a: &Analysis) -> ImportCounts {
    let mut c = ImportCounts {
        rows: a.rows.len() as u32,
        not_leads: a.not_leads,
        repeats: a.repeats.len() as u32,
        ..ImportCounts::default()
    };
    for r in &a.rows {
        match &r.fate {
            Some(Fate::New) => c.new += 1,
            Some(Fate::Unchanged) => c.unchanged += 1,
            Some(Fate::Changed(_)) => c.changed += 1,
            None => c.invalid += 1,
        }
    }
    c.valid = c.rows - c.invalid;
    c
}

impl Ledger<'_> {
    /// What importing `bytes` would do, without keeping the file or writing anything (the
    /// command line's `--dry-run`).
    pub async fn import_dry_run(
        &self,
        keeper: &LedgerKeeper,
        unit: UnitId,
        file_name: &str,
        bytes: &[u8],
        settings: &ImportSettings,
    ) -> Result<ImportPreview, AppError> {
        let book = read_book(bytes, file_name)?;
        let mut c = self.db().read().await?;
        let unit = self.import_unit(&mut c, keeper, unit).await?;
        let a = self.analyse(&mut c, keeper, &unit, &book, settings).await?;
        let mut p = blank(ImportId::from_raw(0), file_name, super::sha256(bytes), &unit);
        fill(&mut p, &a, false);
        Ok(p)
    }

    /// The preview of an import (`english` for the words of the sample rows).
    #[tracing::instrument(name = "ledger.import_preview", skip_all)]
    pub async fn import_preview(
        &self,
        keeper: &LedgerKeeper,
        id: ImportId,
        english: bool,
    ) -> Result<ImportPreview, AppError> {
        let mut c = self.db().read().await?;
        let stored = imports::get(&mut c, id, keeper.actor.id).await?.ok_or(AppError::NotFound)?;
        let unit = self.import_unit(&mut c, keeper, stored.unit_id).await?;
        let mut p = blank(id, &stored.file_name, stored.sha256.clone(), &unit);
        p.written = stored.state == imports::State::Written;
        p.has_error_book = stored.has_error_book;
        let Some(content) = &stored.content else {
            p.written_counts = Some((stored.written, stored.updated, stored.skipped));
            p.counts.rows = stored.rows_read as u32;
            return Ok(p);
        };
        let settings: ImportSettings =
            serde_json::from_str(&stored.settings).map_err(|e| AppError::internal(e.to_string()))?;
        let book = read_book(content, &stored.file_name)?;
        let a = self.analyse(&mut c, keeper, &unit, &book, &settings).await?;
        fill(&mut p, &a, english);
        Ok(p)
    }
}

//! Reading an uploaded ledger the way its write will: the sheet, its header and mapping, every
//! lead row checked by the register form's rules and the campaign's, matched against the
//! unit's ledger. The preview shows this; the write redoes it inside its transaction.

use std::collections::{BTreeMap, HashMap};

use domain::{
    LeadId,
    dates::beijing_date,
    ledger::{
        campaign::{Campaign, Membership, campaign_for, owners_required},
        import::{
            cells::{RowKind, column_letters, excel_serial_date, row_kind},
            header::{Column, HEADER_WITHIN, find_header},
            matching::{Fate, Known, compare},
            row::{CellError, Mapping, ReadRow, Resolutions, RowReader, VocabField},
            vocab::Mapped,
        },
        lead::{Lead, LeadDraft},
        unit::Unit,
    },
};
use office::sheet::{Book, Cell};
use serde::{Deserialize, Serialize};
use store::{Conn, ledger::campaigns, ledger::imports, ledger::leads};

use super::super::{Ledger, registration::stock_class};
use crate::{AppError, LedgerKeeper};

/// The user's choices for one import: the sheet, the column mapping, the value choices.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ImportSettings {
    /// The sheet to read; the first visible one with a header when not chosen.
    pub sheet: Option<String>,
    /// Sheet column (0-based) → what it holds; as the header says when not chosen.
    #[schema(value_type = Option<BTreeMap<String, Column>>)]
    pub mapping: Option<Mapping>,
    #[schema(value_type = Object)]
    pub resolutions: Resolutions,
}

/// One lead row of the sheet as read.
#[derive(Debug, Clone)]
pub struct RowOutcome {
    pub row: u32,
    /// The cells as the file holds them, for the error workbook.
    pub cells: Vec<Cell>,
    pub read: Option<(ReadRow, LeadDraft)>,
    /// The campaign it belongs to: an index into [`Analysis::campaigns`].
    pub campaign: Option<usize>,
    // Boxed: a lead is large and most rows match none.
    pub existing: Option<Box<Lead>>,
    pub fate: Option<Fate>,
    pub errors: Vec<CellError>,
}

/// A written value of a vocabulary column and how it maps.
#[derive(Debug, Clone)]
pub struct ValueUse {
    pub field: VocabField,
    pub written: String,
    pub rows: u32,
    pub mapped: Result<&'static str, Mapped>,
    pub chosen: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Analysis {
    pub sheets: Vec<(String, bool)>,
    pub sheet: Option<String>,
    /// The header's (lower) row as Excel numbers it.
    pub header_row: Option<u32>,
    pub header_cells: Vec<Vec<Cell>>,
    /// The header's label of each column.
    pub labels: Vec<String>,
    pub mapping: Mapping,
    pub problems: Vec<domain::FieldError>,
    pub values: Vec<ValueUse>,
    pub rows: Vec<RowOutcome>,
    /// The campaigns open for the unit.
    pub campaigns: Vec<Campaign>,
    /// Blank, total (合计) and signature rows, which are not leads.
    pub not_leads: u32,
    /// The earlier leads each new row may repeat (重复件), by row number.
    pub repeats: std::collections::BTreeMap<u32, Vec<domain::ledger::repeats::RepeatCandidate>>,
}

/// A cell as the register form would have it typed: a date cell as its date, a whole number
/// without its `.0`.
pub fn cell_text(c: &Cell) -> String {
    match c {
        Cell::Empty | Cell::FormulaWithoutValue => String::new(),
        Cell::Text(s) => s.clone(),
        Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
        Cell::Number(n) => n.to_string(),
        Cell::Date(serial) => excel_serial_date(*serial).map_or_else(|| serial.to_string(), |d| d.to_string()),
        Cell::Error(e) => e.clone(),
    }
}

fn texts(row: &[Cell]) -> Vec<String> {
    row.iter().map(cell_text).collect()
}

fn formula_error(row: u32, col: usize, what: Column) -> CellError {
    CellError {
        row,
        column: column_letters(col),
        message_zh: format!(
            "{}：单元格是公式，文件里没有它的计算结果；请在 Excel 或 WPS 中打开并保存后再导入，或将该列“选择性粘贴为数值”。",
            what.zh()
        ),
        message_en: format!(
            "{}: the cell is a formula whose result the file does not hold; open and save the file in Excel or WPS, or paste the column as values.",
            what.en()
        ),
    }
}

/// The sheet to read: the one chosen, else the first visible one with a header.
fn choose<'b>(book: &'b Book, chosen: Option<&str>) -> Option<&'b office::sheet::Sheet> {
    if let Some(name) = chosen {
        return book.sheets.iter().find(|s| s.name == name);
    }
    let visible = || book.sheets.iter().filter(|s| !s.hidden);
    let has_header = |s: &&office::sheet::Sheet| {
        let top: Vec<Vec<String>> = s.rows.iter().take(HEADER_WITHIN).map(|r| texts(r)).collect();
        find_header(&top).is_some()
    };
    visible().find(has_header).or_else(|| visible().next())
}

impl Ledger<'_> {
    /// Reads `book` for `unit` with `settings`, against the unit's ledger as `keeper` sees it.
    pub(super) async fn analyse(
        &self,
        c: &mut Conn,
        keeper: &LedgerKeeper,
        unit: &Unit,
        book: &Book,
        settings: &ImportSettings,
    ) -> Result<Analysis, AppError> {
        let today = beijing_date(self.now());
        let sheets = book.sheets.iter().map(|s| (s.name.clone(), s.hidden)).collect();
        let mut a = Analysis {
            sheets,
            sheet: None,
            header_row: None,
            header_cells: Vec::new(),
            labels: Vec::new(),
            mapping: Mapping::default(),
            problems: Vec::new(),
            values: Vec::new(),
            rows: Vec::new(),
            campaigns: Vec::new(),
            not_leads: 0,
            repeats: Default::default(),
        };
        let Some(sheet) = choose(book, settings.sheet.as_deref()) else {
            a.problems.push(domain::FieldError::new(
                "sheet",
                "no_sheet",
                "文件中没有可读取的工作表。",
                "The file has no sheet to read.",
            ));
            return Ok(a);
        };
        a.sheet = Some(sheet.name.clone());
        let top: Vec<Vec<String>> = sheet.rows.iter().take(HEADER_WITHIN).map(|r| texts(r)).collect();
        let Some(header) = find_header(&top) else {
            a.problems.push(domain::FieldError::new(
                "header",
                "no_header",
                format!("前 {HEADER_WITHIN} 行中没有找到表头（如 序号、被反映人、反映的主要问题、受理时间）。"),
                format!(
                    "No header in the first {HEADER_WITHIN} rows (such as 序号, 被反映人, 反映的主要问题, 受理时间)."
                ),
            ));
            return Ok(a);
        };
        a.header_row = Some(header.row as u32 + 1);
        let first_header = header.row.saturating_sub(1);
        a.header_cells = sheet.rows[first_header..=header.row].to_vec();
        let width = sheet.rows.iter().map(Vec::len).max().unwrap_or(0);
        a.labels = (0..width)
            .map(|c| {
                let (lower, upper) =
                    (top[header.row].get(c), top.get(header.row.wrapping_sub(1)).and_then(|r| r.get(c)));
                lower.filter(|s| !s.trim().is_empty()).or(upper).cloned().unwrap_or_default()
            })
            .collect();
        a.mapping = settings.mapping.clone().unwrap_or_else(|| Mapping::from_header(&header));
        a.problems = a.mapping.problems();
        if settings.mapping.is_none() {
            // Two columns with names of the same thing: the user says which one holds it.
            a.problems.extend(header.duplicates.iter().map(|(c, first, second)| {
                let (x, y) = (column_letters(*first), column_letters(*second));
                domain::FieldError::new(
                    c.code(),
                    "named_twice",
                    format!("{x} 列和 {y} 列都像是「{}」；请在列对应表中选定一列，另一列选“不导入”。", c.zh()),
                    format!("Columns {x} and {y} both look like \"{}\"; choose one in the column table and set the other to \"not imported\".", c.en()),
                )
            }));
        }
        if !a.problems.is_empty() {
            return Ok(a);
        }
        let reader = RowReader::new(&a.mapping, &settings.resolutions, unit.id.to_string(), today);
        let known = Known::new(imports::known_leads(c, &keeper.scope, unit.id).await?);
        let open = campaigns::open_for_unit(c, unit.id).await?;
        let mut values: BTreeMap<(u8, String), ValueUse> = BTreeMap::new();
        let mut numbers: HashMap<String, u32> = HashMap::new();
        let mut matched: HashMap<LeadId, u32> = HashMap::new();
        for (i, cells) in sheet.rows.iter().enumerate().skip(header.row + 1) {
            let row = i as u32 + 1;
            let text = texts(cells);
            if row_kind(&text) != RowKind::Lead {
                a.not_leads += 1;
                continue;
            }
            for f in VocabField::ALL {
                let written = a.mapping.position(f.column()).and_then(|p| text.get(p)).map_or("", |s| s.trim());
                let entry = values.entry((*f as u8, written.to_owned())).or_insert_with(|| ValueUse {
                    field: *f,
                    written: written.to_owned(),
                    rows: 0,
                    mapped: reader.map_value(*f, written),
                    chosen: settings.resolutions.get(*f, written).map(str::to_owned),
                });
                entry.rows += 1;
            }
            let mut errors: Vec<CellError> = a
                .mapping
                .0
                .iter()
                .filter(|(p, _)| cells.get(**p) == Some(&Cell::FormulaWithoutValue))
                .map(|(p, c)| formula_error(row, *p, *c))
                .collect();
            let mut outcome = RowOutcome {
                row,
                cells: Vec::new(),
                read: None,
                campaign: None,
                existing: None,
                fate: None,
                errors: vec![],
            };
            match reader.read(row, &text) {
                Ok((read, draft)) if errors.is_empty() => {
                    if let Some(no) = &read.original_no
                        && let Some(first) = numbers.insert(no.clone(), row)
                    {
                        errors.push(CellError {
                            row,
                            column: a.mapping.position(Column::OriginalNumber).map(column_letters).unwrap_or_default(),
                            message_zh: format!("原编号「{no}」与第 {first} 行重复。"),
                            message_en: format!("The sheet's number \"{no}\" repeats row {first}."),
                        });
                    }
                    let lead_no = a.mapping.position(Column::LeadNumber).and_then(|p| text.get(p)).map(String::as_str);
                    let m =
                        Membership { category: draft.category, source: draft.source, received_on: draft.received_on };
                    let campaign = campaign_for(open.iter().map(|(k, inside)| (k, *inside)), &m);
                    let owners = owners_required(
                        stock_class(campaign, &draft),
                        draft.responsible_leader.as_deref(),
                        draft.responsible_person.as_deref(),
                    );
                    errors.extend(owners.iter().map(|e| reader.field_error(row, e)));
                    if let Err(AppError::Invalid(inv)) = self.initial_deadline(&draft, campaign, read.status, None) {
                        errors.extend(inv.0.iter().map(|e| reader.field_error(row, e)));
                    }
                    if let Some(id) = known.find(lead_no, &read, &draft) {
                        if let Some(first) = matched.insert(id, row) {
                            errors.push(CellError {
                                row,
                                column: String::new(),
                                message_zh: format!("与第 {first} 行是同一条线索。"),
                                message_en: format!("The same lead as row {first}."),
                            });
                        }
                        match leads::get(c, &keeper.scope, id).await? {
                            Some((_, lead)) => {
                                outcome.fate = Some(compare(&read, &draft, &lead, &a.mapping));
                                outcome.existing = Some(Box::new(lead));
                            }
                            // Kept from the keeper (回避): in the ledger already, left as it is.
                            None => outcome.fate = Some(Fate::Unchanged),
                        }
                    } else {
                        outcome.fate = Some(Fate::New);
                    }
                    outcome.campaign = campaign.and_then(|k| open.iter().position(|(o, _)| o.id == k.id));
                    outcome.read = Some((read, draft));
                }
                Ok(_) => {}
                Err(found) => {
                    let formula_cols: Vec<String> = errors.iter().map(|e| e.column.clone()).collect();
                    errors.extend(found.into_iter().filter(|e| !formula_cols.contains(&e.column)));
                }
            }
            if !errors.is_empty() {
                outcome.read = None;
                outcome.fate = None;
            }
            // The cells as they were are kept for the error workbook only: a good row is its
            // draft (100,000 rows held twice cost 120 MB).
            if !errors.is_empty() {
                outcome.cells.clone_from(cells);
            }
            outcome.errors = errors;
            a.rows.push(outcome);
        }
        a.campaigns = open.into_iter().map(|(k, _)| k).collect();
        a.values = values.into_values().filter(|v| !(v.field == VocabField::Status && v.written.is_empty())).collect();
        a.repeats = super::repeats::of_rows(c, &keeper.reader.scope, unit, &a).await?;
        Ok(a)
    }
}

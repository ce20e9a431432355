//! One sheet row read as a lead: the cells the mapping points at turned into the register
//! form's input, then checked by the register form's own rules, every problem named by the
//! row number and column letter Excel shows.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::Date;

use super::{
    cells::{SEPARATORS, column_letters, parse_sheet_date, split_subjects},
    header::{Column, Header},
    vocab::{self, Mapped, Vocabulary},
};
use crate::{
    FieldError, labelled_enum,
    ledger::lead::{LeadDraft, LeadInput, LeadStatus},
    ledger::subject::SubjectInput,
    reporters::ReporterInput,
};

/// Which sheet column (0-based) holds what: found in the header, corrected by the user.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mapping(pub BTreeMap<usize, Column>);

impl Mapping {
    pub fn from_header(h: &Header) -> Self {
        Self(h.columns.iter().copied().collect())
    }

    pub fn position(&self, c: Column) -> Option<usize> {
        self.0.iter().find(|(_, x)| **x == c).map(|(i, _)| *i)
    }

    /// Problems with the mapping itself, before any row is read: a column chosen twice, or
    /// none holding the subject or the summary (without them no row is a lead).
    pub fn problems(&self) -> Vec<FieldError> {
        let mut out = Vec::new();
        for c in Column::ALL {
            let at: Vec<usize> = self.0.iter().filter(|(_, x)| *x == c).map(|(i, _)| *i).collect();
            if at.len() > 1 {
                let letters: Vec<String> = at.iter().map(|i| column_letters(*i)).collect();
                out.push(FieldError::new(
                    c.code(),
                    "mapped_twice",
                    format!("「{}」对应了多列（{}），请只选一列。", c.zh(), letters.join("、")),
                    format!("\"{}\" is mapped to several columns ({}); choose one.", c.en(), letters.join(", ")),
                ));
            }
        }
        for c in [Column::SubjectName, Column::Summary, Column::ReceivedOn] {
            if self.position(c).is_none() {
                out.push(FieldError::new(
                    c.code(),
                    "unmapped",
                    format!("没有哪一列对应「{}」，请在列对应表中选择。", c.zh()),
                    format!("No column is mapped to \"{}\"; choose one in the column table.", c.en()),
                ));
            }
        }
        out
    }
}

labelled_enum!(
    /// The columns whose values are mapped onto a vocabulary.
    VocabField {
        Source = ("source", "线索来源", "Source"),
        Category = ("category", "问题类别", "Category"),
        Status = ("status", "办理情况", "Progress"),
    }
);

impl VocabField {
    pub const fn column(self) -> Column {
        match self {
            VocabField::Source => Column::Source,
            VocabField::Category => Column::Category,
            VocabField::Status => Column::Progress,
        }
    }

    pub fn vocabulary(self) -> Vocabulary {
        match self {
            VocabField::Source => vocab::sources(),
            VocabField::Category => vocab::categories(),
            VocabField::Status => vocab::statuses(),
        }
    }

    /// The entries' codes and labels, for the user's choice.
    pub fn choices(self, english: bool) -> Vec<(&'static str, &'static str)> {
        use crate::ledger::lead::{Category, Source};
        match self {
            VocabField::Source => Source::ALL.iter().map(|s| (s.code(), s.label(english))).collect(),
            VocabField::Category => Category::ALL.iter().map(|s| (s.code(), s.label(english))).collect(),
            VocabField::Status => LeadStatus::ALL.iter().map(|s| (s.code(), s.label(english))).collect(),
        }
    }
}

/// The user's choices for values the vocabularies could not map, per field: written value →
/// code. The CLI reads it from a JSON file (`{"source": {"群众来电": "petition_report"}}`);
/// an empty written value stands for blank cells, so a sheet without a 问题类别 column can give
/// every row one category.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Resolutions {
    pub source: BTreeMap<String, String>,
    pub category: BTreeMap<String, String>,
    pub status: BTreeMap<String, String>,
}

impl Resolutions {
    pub fn get(&self, f: VocabField, written: &str) -> Option<&str> {
        let m = match f {
            VocabField::Source => &self.source,
            VocabField::Category => &self.category,
            VocabField::Status => &self.status,
        };
        m.get(written.trim()).map(String::as_str).filter(|c| !c.is_empty())
    }

    /// Every choice names one of our entries (a code a form or a file could have altered).
    pub fn check(&self) -> Result<(), FieldError> {
        let fields = [
            (VocabField::Source, &self.source),
            (VocabField::Category, &self.category),
            (VocabField::Status, &self.status),
        ];
        for (f, choices) in fields {
            for (written, code) in choices {
                if !code.is_empty() && !f.choices(false).iter().any(|(c, _)| c == code) {
                    return Err(FieldError::new(
                        f.code(),
                        "unknown_value",
                        format!("「{written}」的取值不是可选的值，请从列表中选择。"),
                        format!(
                            "The value chosen for \"{written}\" is not one of the allowed values; choose one from the list."
                        ),
                    ));
                }
            }
        }
        Ok(())
    }

    pub fn set(&mut self, f: VocabField, written: &str, code: &str) {
        let m = match f {
            VocabField::Source => &mut self.source,
            VocabField::Category => &mut self.category,
            VocabField::Status => &mut self.status,
        };
        m.insert(written.trim().to_owned(), code.to_owned());
    }
}

/// A problem in one cell, named as Excel names it (row 17, column "E"); row 0 is a problem of
/// the file or its mapping as a whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CellError {
    pub row: u32,
    /// Empty when the problem is the row's as a whole (no column holds the field).
    pub column: String,
    pub message_zh: String,
    pub message_en: String,
}

impl CellError {
    pub fn message(&self, english: bool) -> &str {
        if english { &self.message_en } else { &self.message_zh }
    }
}

/// A row read as a lead: what the sheet says beside the register form's fields (the lead is
/// the draft read with it; the form's input is not kept: a sheet's rows are many).
#[derive(Debug, Clone)]
pub struct ReadRow {
    /// The row number Excel shows.
    pub row: u32,
    pub original_no: Option<String>,
    pub status: LeadStatus,
}

/// Reads rows with one mapping and one set of resolutions, for one unit.
pub struct RowReader<'a> {
    mapping: &'a Mapping,
    resolutions: &'a Resolutions,
    vocabularies: [Vocabulary; 3],
    unit_id: String,
    today: Date,
}

fn cell(cells: &[String], at: Option<usize>) -> &str {
    at.and_then(|i| cells.get(i)).map_or("", |s| s.trim())
}

/// A cell holding one value per subject (`科长、` when the second has none), or one value for
/// them all.
fn per_subject(cell: &str, subjects: usize) -> Vec<String> {
    let parts = split_subjects(cell);
    if parts.len() == subjects {
        return parts;
    }
    let positional: Vec<String> = cell.split(SEPARATORS).map(|s| s.trim().to_owned()).collect();
    if positional.len() == subjects { positional } else { vec![cell.to_owned(); subjects] }
}

impl<'a> RowReader<'a> {
    pub fn new(mapping: &'a Mapping, resolutions: &'a Resolutions, unit_id: String, today: Date) -> Self {
        let vocabularies = [VocabField::Source, VocabField::Category, VocabField::Status].map(VocabField::vocabulary);
        Self { mapping, resolutions, vocabularies, unit_id, today }
    }

    fn at(&self, c: Column) -> Option<usize> {
        self.mapping.position(c)
    }

    fn error(&self, row: u32, column: Option<Column>, zh: &str, en: &str) -> CellError {
        let letters = column.and_then(|c| self.at(c)).map(column_letters).unwrap_or_default();
        let (lz, le) = column.map_or(("", ""), |c| (c.zh(), c.en()));
        CellError {
            row,
            column: letters,
            message_zh: if lz.is_empty() { zh.to_owned() } else { format!("{lz}：{zh}") },
            message_en: if le.is_empty() { en.to_owned() } else { format!("{le}: {en}") },
        }
    }

    /// A register-form refusal found after reading (by the app: a stock lead without its
    /// owners), named by the cell it comes from.
    pub fn field_error(&self, row: u32, e: &FieldError) -> CellError {
        self.error(row, column_of(&e.field), &e.message_zh, &e.message_en)
    }

    /// The code a written value maps to: the vocabulary's own match, or the user's choice.
    pub fn map_value(&self, f: VocabField, written: &str) -> Result<&'static str, Mapped> {
        let vocabulary = &self.vocabularies[f as usize];
        if let Some(code) = self.resolutions.get(f, written) {
            let known = vocabulary.entries.iter().find(|(c, _)| *c == code).map(|(c, _)| *c);
            return known.ok_or(Mapped::Unknown);
        }
        match vocabulary.map(written) {
            Mapped::One(code) => Ok(code),
            other => Err(other),
        }
    }

    fn vocab(&self, row: u32, cells: &[String], f: VocabField, errors: &mut Vec<CellError>) -> String {
        let written = cell(cells, self.at(f.column()));
        if written.is_empty() && f == VocabField::Status && self.resolutions.get(f, "").is_none() {
            return LeadStatus::Registered.code().to_owned();
        }
        match self.map_value(f, written) {
            Ok(code) => code.to_owned(),
            Err(Mapped::Ambiguous(codes)) => {
                let label = |english: bool| {
                    let all = f.choices(english);
                    let named: Vec<&str> =
                        codes.iter().filter_map(|c| all.iter().find(|(x, _)| x == c).map(|(_, l)| *l)).collect();
                    named.join(if english { " or " } else { "、" })
                };
                errors.push(self.error(
                    row,
                    Some(f.column()),
                    &format!("「{written}」可能指{}，请在取值对应表中选择。", label(false)),
                    &format!("\"{written}\" could mean {}; choose one in the value table.", label(true)),
                ));
                String::new()
            }
            Err(_) if written.is_empty() => {
                errors.push(self.error(
                    row,
                    Some(f.column()),
                    "未填写，请补填，或在取值对应表中为空白指定取值。",
                    "Blank; fill it in, or choose a value for blank cells in the value table.",
                ));
                String::new()
            }
            Err(_) => {
                errors.push(self.error(
                    row,
                    Some(f.column()),
                    &format!("「{written}」不是可识别的取值，请在取值对应表中选择。"),
                    &format!("\"{written}\" is not a value Qingling knows; choose one in the value table."),
                ));
                String::new()
            }
        }
    }

    fn date(&self, row: u32, cells: &[String], c: Column, errors: &mut Vec<CellError>) -> String {
        let written = cell(cells, self.at(c));
        if written.is_empty() {
            return String::new();
        }
        match parse_sheet_date(c.code(), written) {
            Ok(d) => d.to_string(),
            Err(e) => {
                errors.push(self.error(row, Some(c), &e.message_zh, &e.message_en));
                String::new()
            }
        }
    }

    /// Reads one lead row (`row` as Excel numbers it): every problem at once, or the input
    /// and the checked draft.
    pub fn read(&self, row: u32, cells: &[String]) -> Result<(ReadRow, LeadDraft), Vec<CellError>> {
        let mut errors = Vec::new();
        let source = self.vocab(row, cells, VocabField::Source, &mut errors);
        let category = self.vocab(row, cells, VocabField::Category, &mut errors);
        let status = self.vocab(row, cells, VocabField::Status, &mut errors);
        let received_on = self.date(row, cells, Column::ReceivedOn, &mut errors);
        let deadline = self.date(row, cells, Column::Deadline, &mut errors);
        let names = split_subjects(cell(cells, self.at(Column::SubjectName)));
        let units = per_subject(cell(cells, self.at(Column::SubjectUnit)), names.len());
        let posts = per_subject(cell(cells, self.at(Column::SubjectPost)), names.len());
        let ranks = per_subject(cell(cells, self.at(Column::SubjectRank)), names.len());
        let subjects = names
            .iter()
            .enumerate()
            .map(|(i, name)| SubjectInput {
                name: name.clone(),
                unit_name: units[i].clone(),
                post: posts[i].clone(),
                rank: ranks[i].clone(),
                political_status: String::new(),
                is_unit_head: false,
                cadre_level: String::new(),
                id_number: String::new(),
            })
            .collect();
        let mut summary = cell(cells, self.at(Column::Summary)).to_owned();
        let remarks = cell(cells, self.at(Column::Remarks));
        if !remarks.is_empty() {
            // The sheet's 备注 is kept with the summary: nothing the unit wrote is lost.
            summary = format!("{summary}（备注：{remarks}）");
        }
        let original_no = Some(cell(cells, self.at(Column::OriginalNumber)).to_owned()).filter(|s| !s.is_empty());
        let input = LeadInput {
            unit_id: self.unit_id.clone(),
            source,
            source_doc_no: cell(cells, self.at(Column::SourceDocNo)).to_owned(),
            assigning_body: String::new(),
            received_on,
            category,
            problem_domain: String::new(),
            summary,
            important: false,
            handling_mode: String::new(),
            responsible_leader: cell(cells, self.at(Column::ResponsibleLeader)).to_owned(),
            responsible_person: cell(cells, self.at(Column::ResponsiblePerson)).to_owned(),
            deadline,
            subjects,
            reporter: ReporterInput::default(),
        };
        if let Some(no) = &original_no
            && no.chars().count() > 60
        {
            errors.push(self.error(row, Some(Column::OriginalNumber), "不能超过 60 个字。", "At most 60 characters."));
        }
        let checked = input.parse(self.today);
        let draft = match checked {
            Ok(d) => Some(d),
            Err(invalid) => {
                for e in invalid.0 {
                    // A field already reported from its cell (an unreadable date or value) is
                    // not reported again as missing.
                    let column = column_of(&e.field);
                    let already = column.and_then(|c| self.at(c)).map(column_letters);
                    if e.code == "required" && already.is_some_and(|l| errors.iter().any(|x| x.column == l)) {
                        continue;
                    }
                    errors.push(self.error(row, column, &e.message_zh, &e.message_en));
                }
                None
            }
        };
        match (errors.is_empty(), draft, LeadStatus::from_code(&status)) {
            (true, Some(draft), Some(status)) => Ok((ReadRow { row, original_no, status }, draft)),
            _ => Err(errors),
        }
    }
}

/// The sheet column a register-form field comes from.
pub fn column_of(field: &str) -> Option<Column> {
    let leaf = field.rsplit('.').next().unwrap_or(field);
    Some(match (field.starts_with("subjects"), leaf) {
        (true, "unit_name") => Column::SubjectUnit,
        (true, "post") => Column::SubjectPost,
        (true, "rank") => Column::SubjectRank,
        (true, _) => Column::SubjectName,
        (false, "source") => Column::Source,
        (false, "source_doc_no") => Column::SourceDocNo,
        (false, "received_on") => Column::ReceivedOn,
        (false, "category") => Column::Category,
        (false, "summary") => Column::Summary,
        (false, "responsible_leader") => Column::ResponsibleLeader,
        (false, "responsible_person") => Column::ResponsiblePerson,
        (false, "deadline") => Column::Deadline,
        _ => return None,
    })
}

#[cfg(test)]
#[path = "row_tests.rs"]
mod tests;

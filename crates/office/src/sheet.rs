//! Reading a spreadsheet someone else wrote — xlsx, xls and ods through calamine, CSV in
//! UTF-8 or GB18030 — into rows of cells, after checking that the file is what its name says
//! and that it is not too large to read (a zip bomb is refused before it is inflated).

use std::io::Cursor;

use calamine::{Data, Error, Reader, SheetVisible, Sheets};

/// How much an upload may hold.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// The file as uploaded.
    pub max_bytes: usize,
    /// A zip-based file (xlsx, ods) once inflated.
    pub max_inflated: u64,
    /// Rows of one sheet, title and header included.
    pub max_rows: usize,
}

pub const LIMITS: Limits = Limits { max_bytes: 32 << 20, max_inflated: 400 << 20, max_rows: 100_050 };

/// Columns a ledger sheet may use: far more than any ledger has, few enough that a cell placed
/// at the sheet's far corner cannot make a reader lay out billions of empty cells.
pub const MAX_COLUMNS: u32 = 256;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Xlsx,
    Xls,
    Ods,
    Csv,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Xls => "xls",
            Format::Ods => "ods",
            Format::Csv => "CSV",
        }
    }

    fn of_name(file_name: &str) -> Option<Format> {
        let ext = file_name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase())?;
        Some(match ext.as_str() {
            "xlsx" | "xlsm" => Format::Xlsx,
            "xls" | "et" => Format::Xls,
            "ods" => Format::Ods,
            "csv" | "txt" => Format::Csv,
            _ => return None,
        })
    }
}

/// One cell as the file holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    /// A date cell: its Excel serial (days since 1899-12-30).
    Date(f64),
    /// A formula whose result the file does not hold (written by a program that does not
    /// calculate): the value the user sees in Excel is not in the file.
    FormulaWithoutValue,
    /// An error value such as `#DIV/0!`.
    Error(String),
}

#[derive(Debug, Clone)]
pub struct Sheet {
    pub name: String,
    pub hidden: bool,
    /// From the sheet's first row (row 1 in Excel) down; each row from column A.
    pub rows: Vec<Vec<Cell>>,
}

#[derive(Debug, Clone)]
pub struct Book {
    pub format: Format,
    pub sheets: Vec<Sheet>,
}

/// Why a file could not be read; each says so in Chinese and English.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    TooLarge { bytes: usize, max: usize },
    Inflates { max: u64 },
    TooManyRows { sheet: String, max: usize },
    TooWide { sheet: String, max: u32 },
    UnknownKind { file_name: String },
    NotWhatItsNameSays { named: &'static str, found: Option<&'static str> },
    NotText,
    Unreadable(String),
}

impl ReadError {
    pub fn zh(&self) -> String {
        match self {
            ReadError::TooLarge { bytes, max } => {
                format!("文件有 {:.1} MB，超过上限 {} MB；请分成几个文件导入。", mb(*bytes), max >> 20)
            }
            ReadError::Inflates { max } => {
                format!("文件解压后超过 {} MB，不像是台账（可能是压缩炸弹），未读取。", max >> 20)
            }
            ReadError::TooManyRows { sheet, max } => {
                format!("工作表「{sheet}」超过 {max} 行；请分成几个文件导入。")
            }
            ReadError::TooWide { sheet, max } => {
                format!("工作表「{sheet}」用到了第 {max} 列以后的列，不像是台账；请删去多余的列后再导入。")
            }
            ReadError::UnknownKind { file_name } => {
                format!("无法识别「{file_name}」的格式：请上传 xlsx、xls、ods 或 CSV 文件。")
            }
            ReadError::NotWhatItsNameSays { named, found: Some(f) } => {
                format!("文件名是 .{named}，内容却是 {f} 格式；请用正确的扩展名重新保存后上传。")
            }
            ReadError::NotWhatItsNameSays { named, found: None } => {
                format!("文件名是 .{named}，内容却不是电子表格；请确认上传的是台账文件。")
            }
            ReadError::NotText => "CSV 文件不是 UTF-8 或 GB18030 编码的文本，无法读取。".into(),
            ReadError::Unreadable(why) => format!("文件已损坏或无法读取：{why}"),
        }
    }

    pub fn en(&self) -> String {
        match self {
            ReadError::TooLarge { bytes, max } => {
                format!(
                    "The file is {:.1} MB, over the {} MB limit; import it in several files.",
                    mb(*bytes),
                    max >> 20
                )
            }
            ReadError::Inflates { max } => {
                format!("The file inflates to more than {} MB: not a ledger (perhaps a zip bomb); not read.", max >> 20)
            }
            ReadError::TooManyRows { sheet, max } => {
                format!("Sheet \"{sheet}\" has more than {max} rows; import it in several files.")
            }
            ReadError::TooWide { sheet, max } => {
                format!(
                    "Sheet \"{sheet}\" uses columns beyond the {max}th: not a ledger; delete the extra columns first."
                )
            }
            ReadError::UnknownKind { file_name } => {
                format!("\"{file_name}\" is not a format Qingling reads: upload an xlsx, xls, ods or CSV file.")
            }
            ReadError::NotWhatItsNameSays { named, found: Some(f) } => {
                format!("The file is named .{named} but holds the {f} format; save it with the right extension.")
            }
            ReadError::NotWhatItsNameSays { named, found: None } => {
                format!("The file is named .{named} but is not a spreadsheet; check that it is the ledger.")
            }
            ReadError::NotText => "The CSV file is not text in UTF-8 or GB18030.".into(),
            ReadError::Unreadable(why) => format!("The file is damaged or cannot be read: {why}"),
        }
    }
}

fn mb(bytes: usize) -> f64 {
    bytes as f64 / f64::from(1 << 20)
}

/// What the bytes are, by their content.
fn sniff(bytes: &[u8], limits: &Limits) -> Result<Option<Format>, ReadError> {
    if bytes.starts_with(b"PK\x03\x04") {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| ReadError::Unreadable(e.to_string()))?;
        let mut inflated = 0u64;
        let (mut ods, mut xlsx) = (false, false);
        for i in 0..zip.len() {
            let entry = zip.by_index_raw(i).map_err(|e| ReadError::Unreadable(e.to_string()))?;
            inflated = inflated.saturating_add(entry.size());
            let name = entry.name().map_err(|e| ReadError::Unreadable(e.to_string()))?;
            xlsx |= name == "xl/workbook.xml";
            ods |= name == "content.xml";
        }
        if inflated > limits.max_inflated {
            return Err(ReadError::Inflates { max: limits.max_inflated });
        }
        return Ok(if xlsx {
            Some(Format::Xlsx)
        } else if ods {
            Some(Format::Ods)
        } else {
            None
        });
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Ok(Some(Format::Xls));
    }
    // Documents and pictures whose first bytes happen to decode as text are not CSV.
    let not_tables: [&[u8]; 5] = [b"%PDF", b"\x89PNG", b"\xFF\xD8\xFF", b"GIF8", b"{\\rtf"];
    if not_tables.iter().any(|m| bytes.starts_with(m)) {
        return Ok(None);
    }
    Ok(text(bytes).map(|_| Format::Csv))
}

/// The text of a CSV file: UTF-8 (with or without a byte-order mark), else GB18030 as WPS and
/// older Excel save it on Chinese Windows.
fn text(bytes: &[u8]) -> Option<String> {
    if bytes.contains(&0) {
        return None;
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Some(s.to_owned());
    }
    encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes).map(|c| c.into_owned())
}

/// Reads every sheet of an uploaded file named `file_name`.
pub fn read(bytes: &[u8], file_name: &str, limits: &Limits) -> Result<Book, ReadError> {
    if bytes.len() > limits.max_bytes {
        return Err(ReadError::TooLarge { bytes: bytes.len(), max: limits.max_bytes });
    }
    let found = sniff(bytes, limits)?;
    let named = Format::of_name(file_name);
    let format = match (named, found) {
        (Some(n), Some(f)) if n == f => f,
        (Some(n), found) => {
            return Err(ReadError::NotWhatItsNameSays { named: n.name(), found: found.map(Format::name) });
        }
        (None, Some(f)) if f != Format::Csv => f,
        (None, _) => return Err(ReadError::UnknownKind { file_name: file_name.to_owned() }),
    };
    let sheets = match format {
        Format::Csv => vec![csv_sheet(bytes, file_name, limits)?],
        Format::Xlsx => xlsx_sheets(bytes, limits)?,
        _ => workbook_sheets(bytes, format, limits)?,
    };
    Ok(Book { format, sheets })
}

fn csv_sheet(bytes: &[u8], file_name: &str, limits: &Limits) -> Result<Sheet, ReadError> {
    let text = text(bytes).ok_or(ReadError::NotText)?;
    let first = text.lines().next().unwrap_or_default();
    let delimiter = if first.contains('\t') && !first.contains(',') { b'\t' } else { b',' };
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    let name = file_name.rsplit_once('.').map_or(file_name, |(n, _)| n).to_owned();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| ReadError::Unreadable(e.to_string()))?;
        if rows.len() >= limits.max_rows {
            return Err(ReadError::TooManyRows { sheet: name, max: limits.max_rows });
        }
        rows.push(record.iter().map(|c| if c.is_empty() { Cell::Empty } else { Cell::Text(c.to_owned()) }).collect());
    }
    Ok(Sheet { name, hidden: false, rows })
}

/// An xlsx file read cell by cell (calamine's cell reader), never as a dense range: a range
/// spans from the first used cell to the last, so one cell at XFD1048576 in a 5 KB file would
/// ask for 17 billion cells. Cells past the row or column limit refuse the file as they come.
fn xlsx_sheets(bytes: &[u8], limits: &Limits) -> Result<Vec<Sheet>, ReadError> {
    let unreadable = |e: calamine::XlsxError| ReadError::Unreadable(e.to_string());
    let mut book: calamine::Xlsx<_> = calamine::Xlsx::new(Cursor::new(bytes)).map_err(unreadable)?;
    let meta: Vec<(String, bool)> =
        book.sheets_metadata().iter().map(|s| (s.name.clone(), s.visible != SheetVisible::Visible)).collect();
    let mut out = Vec::new();
    for (name, hidden) in meta {
        let mut cells = match book.worksheet_cells_reader(&name) {
            Ok(r) => r,
            Err(_) if hidden => continue,
            Err(e) => return Err(unreadable(e)),
        };
        let mut rows: Vec<Vec<Cell>> = Vec::new();
        while let Some(c) = cells.next_cell_with_formula().map_err(unreadable)? {
            let (r, col) = c.pos;
            if r as usize >= limits.max_rows {
                return Err(ReadError::TooManyRows { sheet: name, max: limits.max_rows });
            }
            if col >= MAX_COLUMNS {
                return Err(ReadError::TooWide { sheet: name, max: MAX_COLUMNS });
            }
            let value = match (&c.value, c.formula.as_deref()) {
                (calamine::DataRef::Empty, Some(f)) if !f.is_empty() => Cell::FormulaWithoutValue,
                (v, _) => cell_ref(v),
            };
            if value == Cell::Empty {
                continue;
            }
            let (r, col) = (r as usize, col as usize);
            if rows.len() <= r {
                rows.resize(r + 1, Vec::new());
            }
            let row = &mut rows[r];
            if row.len() <= col {
                row.resize(col + 1, Cell::Empty);
            }
            row[col] = value;
        }
        // A row grown cell by cell holds up to twice its cells (100,000 rows: 16 MB).
        rows.iter_mut().for_each(Vec::shrink_to_fit);
        out.push(Sheet { name, hidden, rows });
    }
    Ok(out)
}

fn cell_ref(v: &calamine::DataRef<'_>) -> Cell {
    use calamine::DataRef as D;
    match v {
        D::String(s) => cell(&Data::String(s.clone())),
        D::SharedString(s) => cell(&Data::String((*s).to_owned())),
        D::Int(i) => Cell::Number(*i as f64),
        D::Float(f) => Cell::Number(*f),
        D::Bool(b) => cell(&Data::Bool(*b)),
        D::DateTime(d) => cell(&Data::DateTime(*d)),
        D::DateTimeIso(s) => cell(&Data::DateTimeIso(s.clone())),
        D::DurationIso(s) => cell(&Data::DurationIso(s.clone())),
        D::Error(e) => Cell::Error(e.to_string()),
        D::Empty => Cell::Empty,
    }
}

fn workbook_sheets(bytes: &[u8], format: Format, limits: &Limits) -> Result<Vec<Sheet>, ReadError> {
    let unreadable = |e: calamine::Error| ReadError::Unreadable(e.to_string());
    // Opened as the format found, so that its reader's own complaint reaches the user (trying
    // every reader in turn ends in "Cannot detect file format").
    let data = Cursor::new(bytes);
    let mut book: Sheets<_> = match format {
        Format::Xls => Sheets::Xls(calamine::open_workbook_from_rs(data).map_err(|e| unreadable(Error::Xls(e)))?),
        Format::Ods => Sheets::Ods(calamine::open_workbook_from_rs(data).map_err(|e| unreadable(Error::Ods(e)))?),
        _ => calamine::open_workbook_auto_from_rs(data).map_err(unreadable)?,
    };
    let meta: Vec<(String, bool)> =
        book.sheets_metadata().iter().map(|s| (s.name.clone(), s.visible != SheetVisible::Visible)).collect();
    let mut out = Vec::new();
    for (name, hidden) in meta {
        let range = match book.worksheet_range(&name) {
            Ok(r) => r,
            // A chart sheet or a dialog sheet holds no cells.
            Err(_) if hidden => continue,
            Err(e) => return Err(unreadable(e)),
        };
        let (top, left) = range.start().unwrap_or((0, 0));
        if top as usize + range.height() > limits.max_rows {
            return Err(ReadError::TooManyRows { sheet: name, max: limits.max_rows });
        }
        // xls cannot be wider; an ods can (a repeated empty cell, then one 16,000 columns out).
        if left as usize + range.width() > MAX_COLUMNS as usize {
            return Err(ReadError::TooWide { sheet: name, max: MAX_COLUMNS });
        }
        // Formulas are read only where a cell shows nothing: is there a formula without its value?
        let formulas = if format == Format::Xls { None } else { book.worksheet_formula(&name).ok() };
        let mut rows: Vec<Vec<Cell>> = vec![Vec::new(); top as usize];
        for (r, row) in range.rows().enumerate() {
            let mut cells = vec![Cell::Empty; left as usize];
            for (c, v) in row.iter().enumerate() {
                let at = (top + r as u32, left + c as u32);
                let formula = || formulas.as_ref().and_then(|f| f.get_value(at)).is_some_and(|f| !f.is_empty());
                cells.push(match v {
                    Data::Empty if formula() => Cell::FormulaWithoutValue,
                    other => cell(other),
                });
            }
            while cells.last() == Some(&Cell::Empty) {
                cells.pop();
            }
            rows.push(cells);
        }
        out.push(Sheet { name, hidden, rows });
    }
    Ok(out)
}

fn cell(v: &Data) -> Cell {
    match v {
        Data::Empty => Cell::Empty,
        Data::String(s) if s.trim().is_empty() => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Text(if *b { "TRUE".into() } else { "FALSE".into() }),
        Data::DateTime(d) if d.is_datetime() => Cell::Date(serial_1900(d)),
        Data::DateTime(d) => Cell::Number(d.as_f64()),
        // ODS keeps dates as ISO text; the date part is what a ledger means.
        Data::DateTimeIso(s) => Cell::Text(s.split('T').next().unwrap_or(s).to_owned()),
        Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Error(e.to_string()),
    }
}

/// A date cell's serial in the 1900 date system, whichever system its workbook uses: a
/// workbook saved in the 1904 system (Excel for Mac) numbers the same day 1,462 lower, and
/// calamine hands over the serial as written.
fn serial_1900(d: &calamine::ExcelDateTime) -> f64 {
    let (y, m, day, ..) = d.to_ymd_hms_milli();
    // Days from 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
    let days = |y: i64, m: i64, d: i64| {
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
        era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
    };
    let whole = days(i64::from(y), i64::from(m), i64::from(day)) - days(1899, 12, 30);
    whole as f64 + d.as_f64().fract()
}

#[cfg(test)]
#[path = "sheet_tests.rs"]
mod tests;

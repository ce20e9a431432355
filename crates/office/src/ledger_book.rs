//! A ledger in the 台账 layout users send upward: a title row, 填报单位 and 导出时间, a frozen
//! bold header, column widths that fit, wrapped text, dates as dates, and a 合计 row. Rows
//! stream to a temporary file (rust_xlsxwriter's constant-memory mode), so a million leads
//! take no more memory than ten.

use std::io::{Read, Seek};

use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, XlsxError};

/// One cell of a ledger row.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Text(&'a str),
    /// A calendar date (year, month, day).
    Date(u16, u8, u8),
    Number(f64),
    Empty,
}

/// A column: its header and its width in characters.
pub struct ColumnSpec<'a> {
    pub header: &'a str,
    pub width: f64,
    /// Long text, wrapped within the width.
    pub wrap: bool,
}

pub struct LedgerWriter {
    book: Workbook,
    row: u32,
    columns: Vec<bool>,
    text: Format,
    wrapped: Format,
    date: Format,
}

/// Rows above the header: the title, then 填报单位 and 导出时间.
const HEAD_ROW: u32 = 2;

impl LedgerWriter {
    pub fn new(
        sheet: &str,
        title: &str,
        (unit, exported): (&str, &str),
        columns: &[ColumnSpec<'_>],
    ) -> Result<Self, XlsxError> {
        let mut book = Workbook::new();
        // Deflate was most of an export's time (1,000,000 leads: 63.8 s at the default level 6);
        // level 1 trades a larger file for speed.
        book.set_zip_compression_level(1);
        let ws = book.add_worksheet_with_constant_memory()?;
        ws.set_name(sheet)?;
        let last = columns.len().saturating_sub(1) as u16;
        let title_f = Format::new().set_bold().set_font_size(16).set_align(FormatAlign::Center);
        let meta = Format::new();
        let head = Format::new()
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter)
            .set_border(FormatBorder::Thin)
            .set_background_color("#E8EBF0");
        for (c, col) in columns.iter().enumerate() {
            ws.set_column_width(c as u16, col.width)?;
        }
        ws.merge_range(0, 0, 0, last, title, &title_f)?;
        ws.set_row_height(0, 28)?;
        ws.write_string_with_format(1, 0, unit, &meta)?;
        ws.write_string_with_format(1, last, exported, &meta)?;
        for (c, col) in columns.iter().enumerate() {
            ws.write_string_with_format(HEAD_ROW, c as u16, col.header, &head)?;
        }
        ws.set_freeze_panes(HEAD_ROW + 1, 0)?;
        let border = |f: Format| f.set_border(FormatBorder::Thin).set_align(FormatAlign::Top);
        Ok(Self {
            book,
            row: HEAD_ROW + 1,
            columns: columns.iter().map(|c| c.wrap).collect(),
            text: border(Format::new()),
            wrapped: border(Format::new().set_text_wrap()),
            date: border(Format::new().set_num_format("yyyy-mm-dd")),
        })
    }

    /// Adds the next row. Text is written as text, never as a formula.
    pub fn row(&mut self, cells: &[Value<'_>]) -> Result<(), XlsxError> {
        let r = self.row;
        let ws = self.book.worksheet_from_index(0)?;
        for (c, v) in cells.iter().enumerate() {
            let col = c as u16;
            let wrap = self.columns.get(c).copied().unwrap_or(false);
            let f = if wrap { &self.wrapped } else { &self.text };
            match v {
                Value::Text(s) => ws.write_string_with_format(r, col, *s, f).map(|_| ())?,
                Value::Number(n) => ws.write_number_with_format(r, col, *n, f).map(|_| ())?,
                Value::Date(y, m, d) => {
                    let dt = ExcelDateTime::from_ymd(*y, *m, *d)?;
                    ws.write_datetime_with_format(r, col, &dt, &self.date).map(|_| ())?
                }
                Value::Empty => ws.write_blank(r, col, f).map(|_| ())?,
            }
        }
        self.row += 1;
        Ok(())
    }

    /// Ends the sheet with its 合计 row (`total`, e.g. 合计：12件) and gives the file.
    pub fn finish(mut self, total: &str) -> Result<Vec<u8>, XlsxError> {
        let r = self.row;
        let bold = Format::new().set_bold();
        let ws = self.book.worksheet_from_index(0)?;
        ws.write_string_with_format(r, 0, total, &bold)?;
        // Zipped into a file and read back at its size: zipped into memory, the buffer grew
        // by doubling, and a 145 MB export held the last two sizes at once (380 MB peak).
        let mut file = tempfile::tempfile()?;
        self.book.save_to_writer(&mut file)?;
        let size = file.stream_position()?;
        file.rewind()?;
        let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
        file.read_to_end(&mut bytes)?;
        Ok(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sheet::{Cell, LIMITS, read};

    #[test]
    fn an_independent_reader_finds_the_ledger_layout_back() {
        let cols = [
            ColumnSpec { header: "序号", width: 6.0, wrap: false },
            ColumnSpec { header: "受理时间", width: 12.0, wrap: false },
            ColumnSpec { header: "反映的主要问题", width: 40.0, wrap: true },
        ];
        let mut w = LedgerWriter::new(
            "问题线索台账",
            "问题线索台账",
            ("填报单位：市第一人民医院", "导出时间：2026-12-02 10:00"),
            &cols,
        )
        .unwrap();
        w.row(&[Value::Number(1.0), Value::Date(2019, 7, 1), Value::Text("=HYPERLINK(\"x\")")]).unwrap();
        w.row(&[Value::Number(2.0), Value::Empty, Value::Text("收受回扣")]).unwrap();
        let bytes = w.finish("合计：2件").unwrap();
        let book = read(&bytes, "export.xlsx", &LIMITS).unwrap();
        let rows = &book.sheets[0].rows;
        assert_eq!(rows[0][0], Cell::Text("问题线索台账".into()));
        assert_eq!(rows[1][0], Cell::Text("填报单位：市第一人民医院".into()));
        assert_eq!(rows[2][2], Cell::Text("反映的主要问题".into()));
        assert_eq!(rows[3][1], Cell::Date(43647.0), "a date cell");
        assert_eq!(rows[3][2], Cell::Text("=HYPERLINK(\"x\")".into()), "text, not a formula");
        assert_eq!(rows[5][0], Cell::Text("合计：2件".into()));
    }
}

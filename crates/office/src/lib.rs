//! Office formats, kept out of the other crates: tables as xlsx, spreadsheets of other tools
//! read back ([`sheet`]), documents (docx) next.

pub mod docx;
pub mod ledger_book;
pub mod sheet;

pub use rust_xlsxwriter::XlsxError;
use rust_xlsxwriter::{Format, FormatBorder, Workbook};

/// A one-sheet workbook: a bold, frozen header row and one row per record, all text (so
/// numbers like lead numbers and ids keep their exact form).
pub fn table_xlsx(sheet: &str, headers: &[&str], rows: &[Vec<String>]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name(sheet)?;
    let head = Format::new().set_bold().set_border_bottom(FormatBorder::Thin).set_background_color("#E8EBF0");
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &head)?;
        ws.set_column_width(c as u16, 16)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            // Formula-looking text is written as plain text, never evaluated (CSV/xlsx injection).
            ws.write_string((r + 1) as u32, c as u16, v)?;
        }
    }
    ws.set_freeze_panes(1, 0)?;
    if !rows.is_empty() {
        ws.autofilter(0, 0, rows.len() as u32, headers.len().saturating_sub(1) as u16)?;
    }
    book.save_to_buffer()
}

/// The rows of an import that were not written, as they were, under the sheet's own header
/// rows, with a last column saying why: ready to be fixed and imported again.
pub fn error_workbook(
    sheet: &str,
    header: &[Vec<sheet::Cell>],
    rows: &[(&[sheet::Cell], &str)],
) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    // Excel refuses sheet names over 31 characters or with []:*?/\.
    let name: String = sheet.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(31).collect();
    ws.set_name(if name.is_empty() { "台账" } else { &name })?;
    let head = Format::new().set_bold().set_background_color("#E8EBF0");
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let wrap = Format::new().set_text_wrap().set_font_color("#9B1C1C");
    let width = header
        .iter()
        .chain(rows.iter().map(|(r, _)| *r).map(|r| r.to_vec()).collect::<Vec<_>>().iter())
        .map(Vec::len)
        .max()
        .unwrap_or(0) as u16;
    let write = |ws: &mut rust_xlsxwriter::Worksheet,
                 r: u32,
                 cells: &[sheet::Cell],
                 fmt: Option<&Format>|
     -> Result<(), XlsxError> {
        for (c, v) in cells.iter().enumerate() {
            let c = c as u16;
            match (v, fmt) {
                (sheet::Cell::Text(s), Some(f)) => ws.write_string_with_format(r, c, s, f).map(|_| ())?,
                (sheet::Cell::Text(s), None) | (sheet::Cell::Error(s), None) => ws.write_string(r, c, s).map(|_| ())?,
                (sheet::Cell::Number(n), _) => ws.write_number(r, c, *n).map(|_| ())?,
                (sheet::Cell::Date(n), _) => ws.write_number_with_format(r, c, *n, &date).map(|_| ())?,
                _ => {}
            }
        }
        Ok(())
    };
    for (r, cells) in header.iter().enumerate() {
        write(ws, r as u32, cells, Some(&head))?;
    }
    ws.write_string_with_format(0, width, "错误原因 / Reason", &head)?;
    ws.set_column_width(width, 60)?;
    let top = header.len() as u32;
    for (i, (cells, why)) in rows.iter().enumerate() {
        write(ws, top + i as u32, cells, None)?;
        ws.write_string_with_format(top + i as u32, width, *why, &wrap)?;
    }
    ws.set_freeze_panes(top, 0)?;
    book.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use calamine::{Data, Reader, Xlsx};

    use super::*;

    #[test]
    fn an_independent_reader_gets_the_same_table_back() {
        let rows = vec![
            vec!["1".to_string(), "张三".into(), "=1+1".into()],
            vec!["2".to_string(), "<script>".into(), "".into()],
        ];
        let bytes = table_xlsx("审计", &["序号", "用户", "说明"], &rows).unwrap();
        let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let range = book.worksheet_range("审计").unwrap();
        assert_eq!(range.get((0, 1)), Some(&Data::String("用户".into())));
        assert_eq!(range.get((1, 1)), Some(&Data::String("张三".into())));
        assert_eq!(range.get((1, 2)), Some(&Data::String("=1+1".into())), "text, not a formula");
        assert_eq!(range.get((2, 1)), Some(&Data::String("<script>".into())));
    }

    #[test]
    fn the_error_workbook_keeps_the_rows_as_they_were_and_says_why() {
        use sheet::Cell;
        let header = vec![vec![Cell::Text("序号".into()), Cell::Text("受理时间".into()), Cell::Text("姓名".into())]];
        let bad = [Cell::Number(7.0), Cell::Date(43647.0), Cell::Text("张某".into())];
        let bytes = error_workbook("问题线索台账", &header, &[(&bad, "B列 受理时间：不能晚于今天")]).unwrap();
        let back = sheet::read(&bytes, "errors.xlsx", &sheet::LIMITS).unwrap();
        let rows = &back.sheets[0].rows;
        assert_eq!(rows[0][3], Cell::Text("错误原因 / Reason".into()));
        assert_eq!(rows[1][0], Cell::Number(7.0));
        assert_eq!(rows[1][1], Cell::Date(43647.0), "a date stays a date");
        assert_eq!(rows[1][3], Cell::Text("B列 受理时间：不能晚于今天".into()));
    }
}

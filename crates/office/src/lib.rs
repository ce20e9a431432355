//! Office formats, kept out of the other crates: tables as xlsx, spreadsheets of other tools
//! read back ([`sheet`]), documents (docx) next.

pub mod sheet;

use rust_xlsxwriter::{Format, FormatBorder, Workbook, XlsxError};

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
}

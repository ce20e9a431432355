use super::*;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/../../fixtures/ledgers/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn text(c: &Cell) -> String {
    match c {
        Cell::Text(s) => s.clone(),
        Cell::Number(n) => n.to_string(),
        Cell::Date(d) => format!("date:{d}"),
        Cell::FormulaWithoutValue => "formula".into(),
        Cell::Error(e) => format!("error:{e}"),
        Cell::Empty => String::new(),
    }
}

fn ledger_sheet(book: &Book) -> &Sheet {
    book.sheets.iter().find(|s| !s.hidden).unwrap()
}

#[test]
fn the_same_ledger_reads_alike_from_xlsx_xls_and_ods() {
    for name in ["messy.xlsx", "messy.xls", "messy.ods"] {
        let book = read(&fixture(name), name, &LIMITS).unwrap();
        assert!(book.sheets[0].hidden, "{name}: the drop-down sheet is hidden");
        let s = ledger_sheet(&book);
        assert_eq!(s.name, "问题线索台账", "{name}");
        assert_eq!(text(&s.rows[0][0]), "市第一人民医院问题线索台账", "{name}: row 1 is row 1");
        assert_eq!(text(&s.rows[3][5]), "姓名", "{name}: the lower header row");
        assert_eq!(text(&s.rows[4][5]), "张某、李某", "{name}");
        // xlsx and xls keep an Excel date serial; ods keeps the date as ISO text.
        let first_date = text(&s.rows[4][4]);
        assert!(first_date == "date:43647" || first_date == "2019-07-01", "{name}: {first_date}");
        assert_eq!(text(&s.rows[5][4]), "2019.7.1", "{name}: a date written as text stays text");
        assert!(s.rows[6].iter().all(|c| *c == Cell::Empty), "{name}: the blank row is kept in place");
        assert_eq!(text(&s.rows[16][0]), "合计：11件", "{name}");
    }
}

#[test]
fn a_formula_without_its_value_is_told_apart_from_an_empty_cell() {
    // openpyxl writes formulas without results; LibreOffice computed it when converting.
    let book = read(&fixture("messy.xlsx"), "messy.xlsx", &LIMITS).unwrap();
    assert_eq!(ledger_sheet(&book).rows[14][4], Cell::FormulaWithoutValue);
    let book = read(&fixture("messy.ods"), "messy.ods", &LIMITS).unwrap();
    assert_eq!(ledger_sheet(&book).rows[14][4], Cell::Number(43650.0), "its result, a serial without a date format");
}

#[test]
fn csv_reads_in_gb18030_and_in_utf8_with_a_byte_order_mark() {
    for name in ["ledger-gb18030.csv", "ledger-utf8-bom.csv"] {
        let book = read(&fixture(name), name, &LIMITS).unwrap();
        assert_eq!(book.format, Format::Csv);
        let rows = &book.sheets[0].rows;
        assert_eq!(text(&rows[0][0]), "序号", "{name}: no byte-order mark left in the first cell");
        assert_eq!(text(&rows[2][5]), "黄某、林某", "{name}");
        assert_eq!(text(&rows[2][3]), "市纪委〔2020〕8号", "{name}");
    }
}

#[test]
fn files_that_are_not_what_they_say_or_too_large_are_refused_with_a_reason() {
    let pdf = read(&fixture("not-a-spreadsheet.xlsx"), "not-a-spreadsheet.xlsx", &LIMITS).unwrap_err();
    assert_eq!(pdf, ReadError::NotWhatItsNameSays { named: "xlsx", found: None }, "a PDF is not a CSV either");
    assert!(pdf.zh().contains(".xlsx") && pdf.en().contains(".xlsx"));
    let xls_named_xlsx = read(&fixture("messy.xls"), "台账.xlsx", &LIMITS).unwrap_err();
    assert_eq!(xls_named_xlsx, ReadError::NotWhatItsNameSays { named: "xlsx", found: Some("xls") });
    let bomb = read(&fixture("bomb.xlsx"), "bomb.xlsx", &LIMITS).unwrap_err();
    assert_eq!(bomb, ReadError::Inflates { max: LIMITS.max_inflated }, "refused before inflating");
    let big = vec![b'a'; LIMITS.max_bytes + 1];
    assert!(matches!(read(&big, "big.csv", &LIMITS), Err(ReadError::TooLarge { .. })));
    let png = b"\x89PNG\r\n\x1a\n\0\0\0";
    assert!(matches!(read(png, "scan.png", &LIMITS), Err(ReadError::UnknownKind { .. })));
    let latin1 = b"\xff\xfe\x00a";
    assert_eq!(
        read(latin1, "x.csv", &LIMITS).unwrap_err(),
        ReadError::NotWhatItsNameSays { named: "CSV", found: None }
    );
}

#[test]
fn a_cell_at_the_far_corner_is_refused_without_laying_out_the_sheet() {
    // Written by openpyxl: 序号 in A1 and one cell at XFD1048576, 4.9 KB. Read as a range it
    // asked for 17 billion cells and aborted the process.
    let e = read(&fixture("far-corner.xlsx"), "far-corner.xlsx", &LIMITS).unwrap_err();
    assert!(matches!(e, ReadError::TooManyRows { .. } | ReadError::TooWide { .. }), "{e:?}");
    assert!(e.zh().contains("「Sheet」") && e.en().contains("\"Sheet\""), "{}", e.zh());
}

#[test]
fn a_sheet_past_the_row_limit_is_refused() {
    let mut csv = String::from("序号,姓名\n");
    for i in 0..200_000 {
        csv.push_str(&format!("{i},张某\n"));
    }
    let e = read(csv.as_bytes(), "big.csv", &LIMITS).unwrap_err();
    assert!(matches!(e, ReadError::TooManyRows { max: 100_050, .. }), "{e:?}");
    let empty = read(&fixture("empty.xlsx"), "empty.xlsx", &LIMITS).unwrap();
    assert!(empty.sheets[0].rows.is_empty());
}

#[test]
fn a_workbook_in_the_1904_date_system_reads_the_same_days() {
    // Written by openpyxl with the Mac 1904 epoch: 2019-07-01 is stored as 42185.
    let book = read(&fixture("mac-1904.xlsx"), "mac-1904.xlsx", &LIMITS).unwrap();
    let s = ledger_sheet(&book);
    assert_eq!(text(&s.rows[1][2]), "date:43647", "受理时间 2019-07-01 as the 1900 system numbers it");
    assert_eq!(text(&s.rows[1][6]), "date:43830", "办结时限 2019-12-31");
    // And a 1900-system workbook is left as it was.
    let messy = read(&fixture("messy.xlsx"), "messy.xlsx", &LIMITS).unwrap();
    assert_eq!(text(&ledger_sheet(&messy).rows[4][4]), "date:43647");
}

/// An ods written to be expanded: a row repeated a million times, a cell 16,000 columns out.
/// ods has no cell reader in calamine: the sheet is laid out, then held to the limits. Written
/// here rather than by LibreOffice, which will not save a sheet shaped like this.
fn crafted_ods(rows_repeated: u32, columns_repeated: u32) -> Vec<u8> {
    use std::io::Write;
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="台账"><table:table-row><table:table-cell office:value-type="string"><text:p>序号</text:p></table:table-cell></table:table-row><table:table-row table:number-rows-repeated="{rows_repeated}"><table:table-cell table:number-columns-repeated="{columns_repeated}"/><table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    w.start_file("mimetype", stored).unwrap();
    w.write_all(b"application/vnd.oasis.opendocument.spreadsheet").unwrap();
    w.start_file("META-INF/manifest.xml", zip::write::SimpleFileOptions::default()).unwrap();
    w.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#).unwrap();
    w.start_file("content.xml", zip::write::SimpleFileOptions::default()).unwrap();
    w.write_all(content.as_bytes()).unwrap();
    w.finish().unwrap().into_inner()
}

#[test]
fn a_crafted_ods_that_repeats_rows_and_columns_is_refused_with_a_message() {
    for (rows, cols) in [(1_000_000, 1), (1, 16_000)] {
        let file = crafted_ods(rows, cols);
        assert!(file.len() < 2_000, "a few hundred bytes that ask for {rows} rows, {cols} columns");
        let e = read(&file, "crafted.ods", &LIMITS).unwrap_err();
        let expected = if rows > 1 {
            ReadError::TooManyRows { sheet: "台账".into(), max: LIMITS.max_rows }
        } else {
            ReadError::TooWide { sheet: "台账".into(), max: MAX_COLUMNS }
        };
        assert_eq!(e, expected, "{}", e.zh());
    }
    // Both at once: calamine's own cap on cells refuses it before laying anything out.
    let e = read(&crafted_ods(1_000_000, 16_000), "crafted.ods", &LIMITS).unwrap_err();
    assert!(matches!(&e, ReadError::Unreadable(why) if why.contains("Cell limit exceeded")), "{e:?}");
}

//! Printed forms as docx (docx-rs): the approval form (呈批表) and a lead's record, on A4
//! with the margins and fonts of 公文 — the title in 方正小标宋简体, the body in 仿宋_GB2312 —
//! so that the file opens in WPS or Word ready to sign. Computers without those fonts show
//! the closest Song/FangSong face they have.

use std::io::Cursor;

use docx_rs::{AlignmentType, Docx, PageMargin, Paragraph, Run, RunFonts, Table, TableCell, TableRow, WidthType};

/// A form as office prints it (its meaning is the domain's: `domain::lifecycle::forms`).
pub struct FormSheet<'a> {
    pub title: &'a str,
    pub number: &'a str,
    pub unit: &'a str,
    pub facts: &'a [(String, String)],
    /// The steps table's heading, its columns' headers, and its rows (the record only).
    pub steps_title: &'a str,
    pub steps_head: [&'a str; 4],
    pub steps: &'a [[String; 4]],
    /// (capacity, opinion, name, date); a blank one leaves room to sign by hand.
    pub opinions: &'a [(String, String, String, String)],
    pub printed: &'a str,
    /// 签名 / 日期, as the form's language says them.
    pub sign_words: (&'a str, &'a str),
}

const TITLE_FONT: &str = "方正小标宋简体";
const BODY_FONT: &str = "仿宋_GB2312";
/// A4 in twentieths of a point; 公文 margins (top 37 mm, bottom 35 mm, left 28 mm, right 26 mm).
const A4: (u32, u32) = (11_906, 16_838);
const TEXT_WIDTH: usize = 11_906 - 1_587 - 1_474;

fn body() -> RunFonts {
    RunFonts::new().east_asia(BODY_FONT).ascii("FangSong").hi_ansi("FangSong")
}

fn text(s: &str, size: usize) -> Run {
    Run::new().add_text(s).size(size).fonts(body())
}

fn cell(s: &str, width: usize) -> TableCell {
    TableCell::new().width(width, WidthType::Dxa).add_paragraph(Paragraph::new().add_run(text(s, 28)))
}

fn label(s: &str, width: usize) -> TableCell {
    TableCell::new()
        .width(width, WidthType::Dxa)
        .add_paragraph(Paragraph::new().align(AlignmentType::Center).add_run(text(s, 28).bold()))
}

/// The form as a docx file.
pub fn form_docx(f: &FormSheet<'_>) -> Result<Vec<u8>, String> {
    let title = Paragraph::new().align(AlignmentType::Center).add_run(
        Run::new()
            .add_text(f.title)
            .size(44)
            .fonts(RunFonts::new().east_asia(TITLE_FONT).ascii("SimSun").hi_ansi("SimSun")),
    );
    let head = Paragraph::new().add_run(text(f.unit, 28)).add_run(text("    ", 28)).add_run(text(f.number, 28));
    let (lw, vw) = (2_200, TEXT_WIDTH - 2_200);
    let mut rows: Vec<TableRow> = f.facts.iter().map(|(k, v)| TableRow::new(vec![label(k, lw), cell(v, vw)])).collect();
    for (role, opinion, name, date) in f.opinions {
        let (sign, on) = f.sign_words;
        let signed = format!("{sign}：{name}    {on}：{date}");
        let block = TableCell::new()
            .width(vw, WidthType::Dxa)
            .add_paragraph(Paragraph::new().add_run(text(opinion, 28)))
            // Room to write and sign by hand.
            .add_paragraph(Paragraph::new().add_run(text("", 28)))
            .add_paragraph(Paragraph::new().add_run(text("", 28)))
            .add_paragraph(Paragraph::new().add_run(text("", 28)))
            .add_paragraph(Paragraph::new().align(AlignmentType::Right).add_run(text(&signed, 28)));
        rows.push(TableRow::new(vec![label(role, lw), block]));
    }
    let mut doc = Docx::new()
        .page_size(A4.0, A4.1)
        .page_margin(PageMargin::new().top(2_098).bottom(1_984).left(1_587).right(1_474))
        .default_fonts(body())
        .add_paragraph(title)
        .add_paragraph(head)
        .add_table(Table::new(rows).set_grid(vec![lw, vw]));
    if !f.steps.is_empty() {
        // When, what (the widest), by whom, state.
        let widths = [2_000, TEXT_WIDTH - 2_000 - 1_900 - 1_200, 1_900, 1_200];
        let mut steps = vec![TableRow::new(f.steps_head.iter().zip(widths).map(|(h, w)| label(h, w)).collect())];
        steps.extend(f.steps.iter().map(|r| TableRow::new(r.iter().zip(widths).map(|(c, w)| cell(c, w)).collect())));
        let heading = Paragraph::new().add_run(text(f.steps_title, 32).bold());
        doc = doc.add_paragraph(heading).add_table(Table::new(steps).set_grid(widths.to_vec()));
    }
    doc = doc.add_paragraph(Paragraph::new().align(AlignmentType::Right).add_run(text(f.printed, 21)));
    let mut out = Cursor::new(Vec::new());
    doc.build().pack(&mut out).map_err(|e| e.to_string())?;
    Ok(out.into_inner())
}

/// A letter as 公文 prints it: the title, the number, the addressee, the body paragraphs, the
/// issuing body and date at the foot (a recommendation letter, 纪律检查建议书 / 监察建议书).
pub struct LetterSheet<'a> {
    pub title: &'a str,
    pub number: &'a str,
    pub addressee: &'a str,
    pub paragraphs: &'a [String],
    pub issuer: &'a str,
    pub date: &'a str,
}

/// The letter as a docx file.
pub fn letter_docx(l: &LetterSheet<'_>) -> Result<Vec<u8>, String> {
    let title = Paragraph::new().align(AlignmentType::Center).add_run(
        Run::new()
            .add_text(l.title)
            .size(44)
            .fonts(RunFonts::new().east_asia(TITLE_FONT).ascii("SimSun").hi_ansi("SimSun")),
    );
    let mut doc = Docx::new()
        .page_size(A4.0, A4.1)
        .page_margin(PageMargin::new().top(2_098).bottom(1_984).left(1_587).right(1_474))
        .default_fonts(body())
        .add_paragraph(title)
        .add_paragraph(Paragraph::new().align(AlignmentType::Center).add_run(text(l.number, 32)))
        .add_paragraph(Paragraph::new().add_run(text("", 32)))
        .add_paragraph(Paragraph::new().add_run(text(&format!("{}：", l.addressee), 32)));
    for p in l.paragraphs.iter().filter(|p| !p.trim().is_empty()) {
        // 公文 body: 三号仿宋, each paragraph indented two characters.
        doc = doc.add_paragraph(Paragraph::new().add_run(text(&format!("\u{3000}\u{3000}{}", p.trim()), 32)));
    }
    doc = doc
        .add_paragraph(Paragraph::new().add_run(text("", 32)))
        .add_paragraph(Paragraph::new().align(AlignmentType::Right).add_run(text(l.issuer, 32)))
        .add_paragraph(Paragraph::new().align(AlignmentType::Right).add_run(text(l.date, 32)));
    let mut out = Cursor::new(Vec::new());
    doc.build().pack(&mut out).map_err(|e| e.to_string())?;
    Ok(out.into_inner())
}

/// A bulletin (通报) as 公文 prints it (GB/T 9704): the issuing body in red over a red rule,
/// the document number, the title, the addressees, the body, the attachment's name, the
/// issuing body and date; then the attachment — the ranking table — on a page of its own.
pub struct BulletinSheet<'a> {
    pub issuer: &'a str,
    pub doc_no: &'a str,
    pub title: &'a str,
    pub addressees: &'a str,
    pub paragraphs: &'a [String],
    pub attachment_title: &'a str,
    pub head: &'a [&'a str],
    pub rows: &'a [Vec<String>],
    pub dated: &'a str,
}

/// The bulletin as a docx file.
pub fn bulletin_docx(b: &BulletinSheet<'_>) -> Result<Vec<u8>, String> {
    use docx_rs::{BreakType, TableCellBorder, TableCellBorderPosition};
    let title_font = || RunFonts::new().east_asia(TITLE_FONT).ascii("SimSun").hi_ansi("SimSun");
    let red = Paragraph::new()
        .align(AlignmentType::Center)
        .add_run(Run::new().add_text(b.issuer).size(52).color("FF0000").fonts(title_font()));
    // The red rule under the number: a borderless one-cell table with a red bottom edge.
    let rule = Table::new(vec![TableRow::new(vec![
        TableCell::new()
            .width(TEXT_WIDTH, WidthType::Dxa)
            .set_border(TableCellBorder::new(TableCellBorderPosition::Bottom).color("FF0000").size(16))
            .add_paragraph(Paragraph::new().align(AlignmentType::Center).add_run(text(b.doc_no, 32))),
    ])])
    .clear_all_border()
    .set_grid(vec![TEXT_WIDTH]);
    let mut doc = Docx::new()
        .page_size(A4.0, A4.1)
        .page_margin(PageMargin::new().top(2_098).bottom(1_984).left(1_587).right(1_474))
        .default_fonts(body())
        .add_paragraph(red)
        .add_table(rule)
        .add_paragraph(Paragraph::new().add_run(text("", 32)))
        .add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Center)
                .add_run(Run::new().add_text(b.title).size(44).fonts(title_font())),
        )
        .add_paragraph(Paragraph::new().add_run(text(&format!("{}：", b.addressees), 32)));
    for p in b.paragraphs.iter().filter(|p| !p.trim().is_empty()) {
        doc = doc.add_paragraph(Paragraph::new().add_run(text(&format!("\u{3000}\u{3000}{}", p.trim()), 32)));
    }
    doc = doc
        .add_paragraph(Paragraph::new().add_run(text("", 32)))
        .add_paragraph(Paragraph::new().add_run(text(&format!("\u{3000}\u{3000}附件：{}", b.attachment_title), 32)))
        .add_paragraph(Paragraph::new().add_run(text("", 32)))
        .add_paragraph(Paragraph::new().align(AlignmentType::Right).add_run(text(b.issuer, 32)))
        .add_paragraph(Paragraph::new().align(AlignmentType::Right).add_run(text(b.dated, 32)))
        .add_paragraph(Paragraph::new().add_run(Run::new().add_break(BreakType::Page)))
        .add_paragraph(Paragraph::new().add_run(text("附件", 32).bold()))
        .add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Center)
                .add_run(Run::new().add_text(b.attachment_title).size(36).fonts(title_font())),
        );
    let n = b.head.len().max(1);
    // The unit's column is the widest; the others share the rest.
    let unit = TEXT_WIDTH / 3;
    let other = (TEXT_WIDTH - unit) / (n - 1).max(1);
    let widths: Vec<usize> = (0..n).map(|i| if i == 1 { unit } else { other }).collect();
    let small = |s: &str, w: usize| {
        TableCell::new()
            .width(w, WidthType::Dxa)
            .add_paragraph(Paragraph::new().align(AlignmentType::Center).add_run(text(s, 24)))
    };
    let mut rows = vec![TableRow::new(b.head.iter().zip(&widths).map(|(h, w)| label(h, *w)).collect())];
    rows.extend(b.rows.iter().map(|r| TableRow::new(r.iter().zip(&widths).map(|(c, w)| small(c, *w)).collect())));
    doc = doc.add_table(Table::new(rows).set_grid(widths));
    let mut out = Cursor::new(Vec::new());
    doc.build().pack(&mut out).map_err(|e| e.to_string())?;
    Ok(out.into_inner())
}

/// A unit's work report (工作情况报告): the title, the unit and campaign, its figures as a
/// table, its sections each under its heading, and at the foot the signature line and the
/// verification code that ties the paper to the signed electronic version.
pub struct ReportSheet<'a> {
    pub title: &'a str,
    pub unit: &'a str,
    pub figures: &'a [(String, String)],
    pub figures_title: &'a str,
    pub sections: &'a [(String, String)],
    pub signed: &'a str,
    pub code: &'a str,
}

/// The work report as a docx file.
pub fn report_docx(r: &ReportSheet<'_>) -> Result<Vec<u8>, String> {
    let title_font = RunFonts::new().east_asia(TITLE_FONT).ascii("SimSun").hi_ansi("SimSun");
    let mut doc = Docx::new()
        .page_size(A4.0, A4.1)
        .page_margin(PageMargin::new().top(2_098).bottom(1_984).left(1_587).right(1_474))
        .default_fonts(body())
        .add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Center)
                .add_run(Run::new().add_text(r.title).size(44).fonts(title_font)),
        )
        .add_paragraph(Paragraph::new().align(AlignmentType::Center).add_run(text(r.unit, 32)))
        .add_paragraph(Paragraph::new().add_run(text(r.figures_title, 32).bold()));
    let (lw, vw) = (TEXT_WIDTH * 2 / 3, TEXT_WIDTH - TEXT_WIDTH * 2 / 3);
    let rows: Vec<TableRow> = r.figures.iter().map(|(k, v)| TableRow::new(vec![label(k, lw), cell(v, vw)])).collect();
    doc = doc.add_table(Table::new(rows).set_grid(vec![lw, vw]));
    for (heading, body_text) in r.sections {
        doc = doc.add_paragraph(Paragraph::new().add_run(text(heading, 32).bold()));
        for line in body_text.lines().filter(|l| !l.trim().is_empty()) {
            doc = doc.add_paragraph(Paragraph::new().add_run(text(&format!("\u{3000}\u{3000}{}", line.trim()), 32)));
        }
    }
    doc = doc
        .add_paragraph(Paragraph::new().add_run(text("", 32)))
        .add_paragraph(Paragraph::new().align(AlignmentType::Right).add_run(text(r.signed, 28)))
        .add_paragraph(Paragraph::new().align(AlignmentType::Right).add_run(text(r.code, 28)));
    let mut out = Cursor::new(Vec::new());
    doc.build().pack(&mut out).map_err(|e| e.to_string())?;
    Ok(out.into_inner())
}

#[cfg(test)]
#[path = "docx_tests.rs"]
mod tests;

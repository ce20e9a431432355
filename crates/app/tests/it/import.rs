//! Importing a unit's own spreadsheet ledger (issue 13), from fixture files written by
//! openpyxl and LibreOffice: every good row right, every bad row named, nothing written until
//! confirmed, one transaction and one audit entry, no duplicates on a re-import.

use app::{AppError, ImportConfirm, ImportSettings};
use domain::{
    ledger::import::row::VocabField,
    ledger::lead::{Lead, LeadStatus},
    ledger::query::LedgerParams,
    lifecycle::deadline::RuleCode,
    lifecycle::timeline::{Activity, EventKind, Payload},
};
use office::sheet::{Cell, LIMITS};
use store::Backend;
use time::macros::date;

use crate::support::*;

testkit::both!(
    a_messy_ledger_goes_in_with_every_good_row_right_and_every_bad_row_named,
    a_reimport_creates_no_duplicates_and_applies_changes_only_when_asked,
    an_import_is_refused_outside_the_keepers_units_and_for_files_that_are_not_ledgers,
    an_exported_ledger_view_imports_back_to_the_same_leads,
    a_long_import_shows_its_progress_rolls_back_when_cancelled_and_keeps_the_board_exact,
    a_long_export_is_followed_to_its_download_or_cancelled,
);

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/../../fixtures/ledgers/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn code(e: AppError) -> &'static str {
    match e {
        AppError::Invalid(i) => i.0[0].code,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// The choices the sheet needs: an ambiguous source, an unknown source, an unknown category.
fn choices() -> ImportSettings {
    let mut s = ImportSettings::default();
    s.resolutions.set(VocabField::Source, "上级", "assigned_by_higher");
    s.resolutions.set(VocabField::Source, "群众来电", "petition_report");
    s.resolutions.set(VocabField::Category, "违反廉洁纪律", "other");
    s
}

async fn ledger_of(w: &World, keeper: &app::LedgerKeeper) -> Vec<Lead> {
    let params = LedgerParams { unit_id: w.hospital_a.to_string(), per_page: "100".into(), ..Default::default() };
    w.app.ledger().list(keeper.reader(), &params).await.unwrap().items
}

fn imported<'a>(leads: &'a [Lead], original: &str) -> &'a Lead {
    leads.iter().find(|l| l.original_no.as_deref() == Some(original)).unwrap_or_else(|| panic!("{original}"))
}

async fn a_messy_ledger_goes_in_with_every_good_row_right_and_every_bad_row_named(b: Backend) {
    let w = world(b).await;
    let keeper = actor(&w, "insp_a").await.ledger_keeper().unwrap();
    let before = ledger_of(&w, &keeper).await.len();
    let id = w.app.ledger().import_upload(&keeper, w.hospital_a, "messy.xlsx", &fixture("messy.xlsx")).await.unwrap();
    let p = w.app.ledger().import_preview(&keeper, id, false).await.unwrap();
    assert_eq!(p.header_row, Some(4), "the lower row of the two-row header");
    assert_eq!(p.sheets.iter().filter(|s| s.chosen).map(|s| s.name.as_str()).collect::<Vec<_>>(), ["问题线索台账"]);
    assert_eq!((p.counts.rows, p.counts.valid, p.counts.invalid, p.counts.new, p.counts.not_leads), (11, 5, 6, 5, 4));
    let mut at: Vec<(u32, &str)> = p.errors.iter().map(|e| (e.row, e.column.as_str())).collect();
    at.sort_unstable();
    assert_eq!(at, [(8, "K"), (11, "C"), (12, "C"), (12, "E"), (13, "E"), (14, "J"), (15, "E")]);
    let ambiguous = p.values.iter().find(|v| v.written == "上级").unwrap();
    assert_eq!(ambiguous.candidates, ["assigned_by_higher", "supervised_by_higher"]);
    assert!(ambiguous.open());
    let mapped = p.values.iter().find(|v| v.written == "市纪委交办").unwrap();
    assert_eq!(mapped.mapped.as_deref(), Some("assigned_by_higher"), "shown as mapped in the table");
    let first = &p.sample[0];
    assert_eq!((first.row, first.fate, first.status.as_str()), (5, "new", "初步核实"));
    assert_eq!(first.subjects, "张某（科长）、李某（科长）");

    // Nothing is written while rows have errors, unless the valid rows are chosen.
    let refused = w.app.ledger().import_confirm(&keeper, id, ImportConfirm::default()).await.unwrap_err();
    assert_eq!(code(refused), "invalid_rows");
    assert_eq!(ledger_of(&w, &keeper).await.len(), before);

    w.app.ledger().import_settings(&keeper, id, &choices()).await.unwrap();
    let p = w.app.ledger().import_preview(&keeper, id, false).await.unwrap();
    assert_eq!(
        (p.counts.valid, p.counts.invalid),
        (7, 4),
        "the value table solved rows 8 and 11 (row 12 has a bad date too)"
    );
    let done = w
        .app
        .ledger()
        .import_confirm(&keeper, id, ImportConfirm { skip_invalid: true, apply_changed: false })
        .await
        .unwrap();
    assert_eq!((done.written, done.skipped, done.has_error_book), (7, 4, true));

    let leads = ledger_of(&w, &keeper).await;
    assert_eq!(leads.len(), before + 7);
    let one = imported(&leads, "YY-2019-001");
    assert_eq!(one.status, LeadStatus::PreliminaryVerification, "正在初核");
    assert_eq!((one.source.code(), one.source_doc_no.as_deref()), ("assigned_by_higher", Some("市纪委〔2019〕12号")));
    assert_eq!((one.received_on, one.deadline), (date!(2019 - 07 - 01), date!(2019 - 12 - 31)), "截止日 with 前");
    let subjects: Vec<(&str, &str)> = one.subjects.iter().map(|s| (s.name.as_str(), s.unit_name.as_str())).collect();
    assert_eq!(subjects, [("张某", "药剂科"), ("李某", "总务科")]);
    assert!(one.summary.contains("备注：重点线索"));
    assert_eq!(imported(&leads, "YY-2019-002").received_on, date!(2019 - 07 - 01), "2019.7.1");
    assert_eq!(imported(&leads, "YY-2019-003").status, LeadStatus::CaseFiled, "已立案");
    assert_eq!(imported(&leads, "YY-2019-005").subjects.len(), 2, "孙某；周某");
    assert_eq!(imported(&leads, "YY-2019-006").source.code(), "assigned_by_higher", "as the user chose");
    assert!(imported(&leads, "YY-2019-004").subjects[0].unit_name == "甲医院", "a blank unit is the registering unit");

    // An imported lead that was concluded arrives concluded, and says where it came from.
    let concluded = imported(&leads, "YY-2019-002");
    assert_eq!(concluded.status, LeadStatus::Concluded);
    let timeline = w.app.lifecycle().timeline(keeper.reader(), concluded.id).await.unwrap();
    let entry = timeline.iter().find(|e| e.kind == EventKind::Activity(Activity::Imported)).unwrap();
    assert_eq!(entry.actor_name, "insp_a");
    assert!(matches!(&entry.payload, Some(Payload::Imported { file, row: 6, .. }) if file == "messy.xlsx"));

    // A row still awaiting intake starts the intake clock from its receipt, with its timeline
    // entry; a row imported further on was taken in long ago and starts none.
    let insp = actor(&w, "insp_a").await;
    let clocks = |id| {
        let (w, insp) = (&w, &insp);
        async move { w.app.ledger().dossier(insp, id).await.unwrap().side_clocks }
    };
    let waiting = leads
        .iter()
        .filter(|l| l.original_no.is_some() && l.status == LeadStatus::Registered)
        .find(|l| domain::lifecycle::side_clock::transferred_in(l.source))
        .expect("the messy sheet has a registered row from a higher body");
    let started = clocks(waiting.id).await;
    assert_eq!(
        started.iter().map(|k| (k.rule, k.started_on, k.running)).collect::<Vec<_>>(),
        [(RuleCode::TransferredIntake, waiting.received_on, true)]
    );
    let timeline = w.app.lifecycle().timeline(keeper.reader(), waiting.id).await.unwrap();
    assert!(timeline.iter().any(|e| matches!(
        e.payload,
        Some(Payload::Clock { rule: RuleCode::TransferredIntake, new_deadline, .. }) if new_deadline == started[0].due_on
    )));
    assert!(clocks(concluded.id).await.is_empty());

    // One audited action for the whole import.
    let auditor = actor(&w, "auditor").await.audit_reader().unwrap();
    let q = app::AuditQuery { action: "ledger.import".into(), ..Default::default() };
    let page = w.app.protection().audit_entries(&auditor, &q).await.unwrap();
    assert_eq!(page.total, 1);
    let detail = page.entries[0].detail.clone().unwrap_or_default();
    assert!(detail.contains(&p.sha256) && detail.contains("written: 7") && detail.contains("skipped: 4"), "{detail}");

    // The error workbook: the bad rows as they were, under the sheet's header, with why.
    let book = w.app.ledger().import_error_book(&keeper, id).await.unwrap();
    let back = office::sheet::read(&book, "errors.xlsx", &LIMITS).unwrap();
    let rows = &back.sheets[0].rows;
    assert_eq!(rows.len(), 2 + 4, "two header rows and four bad rows");
    assert_eq!(rows[1][5], Cell::Text("姓名".into()));
    assert_eq!(rows[2][5], Cell::Text("郑某".into()), "row 12, as it was");
    let reason = rows[2].last().unwrap();
    assert!(matches!(reason, Cell::Text(r) if r.contains("E列") && r.contains("2019-02-30")), "{reason:?}");

    // A second confirmation writes nothing more.
    let all = ImportConfirm { skip_invalid: true, apply_changed: true };
    assert_eq!(code(w.app.ledger().import_confirm(&keeper, id, all).await.unwrap_err()), "written");
    assert_eq!(ledger_of(&w, &keeper).await.len(), before + 7);
}

async fn a_reimport_creates_no_duplicates_and_applies_changes_only_when_asked(b: Backend) {
    let w = world(b).await;
    let keeper = actor(&w, "insp_a").await.ledger_keeper().unwrap();
    let confirm = |skip, apply| ImportConfirm { skip_invalid: skip, apply_changed: apply };
    let upload = |name: &'static str, bytes: Vec<u8>| {
        let (w, keeper) = (&w, &keeper);
        async move {
            let id = w.app.ledger().import_upload(keeper, w.hospital_a, name, &bytes).await.unwrap();
            w.app.ledger().import_settings(keeper, id, &choices()).await.unwrap();
            id
        }
    };
    let first = upload("messy.xlsx", fixture("messy.xlsx")).await;
    w.app.ledger().import_confirm(&keeper, first, confirm(true, false)).await.unwrap();
    let count = ledger_of(&w, &keeper).await.len();

    // The same ledger saved by LibreOffice as xls: the same leads, and the formula LibreOffice
    // calculated (row 15) is a new one.
    let again = upload("messy.xls", fixture("messy.xls")).await;
    let p = w.app.ledger().import_preview(&keeper, again, false).await.unwrap();
    assert_eq!((p.counts.new, p.counts.unchanged, p.counts.changed), (1, 7, 0));
    assert_eq!(p.sample.iter().find(|r| r.row == 15).unwrap().fate, "new");

    // An updated sheet: row 6's summary and progress changed.
    let mut csv = String::from("序号,线索编号,线索来源,受理时间,被反映人,单位,反映的主要问题,问题类别,办理情况\n");
    csv.push_str("1,YY-2019-002,信访举报,2019.7.1,王某,检验科,违规收受红包及购物卡,其他,已办结\n");
    csv.push_str("2,YY-2019-003,巡察移交,2019年7月1日,赵某,设备科,设备采购中收受好处费,其他,正在初核\n");
    let updated = upload("更新.csv", csv.into_bytes()).await;
    let p = w.app.ledger().import_preview(&keeper, updated, false).await.unwrap();
    assert_eq!((p.counts.new, p.counts.changed), (0, 2), "{:?}", p.sample);
    let changed: Vec<String> = p.sample[0].changed.iter().map(|c| c.code().to_owned()).collect();
    assert_eq!(changed, ["summary"]);
    let second: Vec<String> = p.sample[1].changed.iter().map(|c| c.code().to_owned()).collect();
    assert_eq!(second, ["progress"], "the sheet has no 职务 column: the post it lacks is no change");
    // Changed rows are not applied unless asked; with nothing new, there is nothing to write.
    assert_eq!(
        code(w.app.ledger().import_confirm(&keeper, updated, confirm(false, false)).await.unwrap_err()),
        "nothing_to_write"
    );
    let done = w.app.ledger().import_confirm(&keeper, updated, confirm(false, true)).await.unwrap();
    assert_eq!((done.written, done.updated), (0, 2));
    let leads = ledger_of(&w, &keeper).await;
    assert_eq!(leads.len(), count, "no duplicates");
    let two = imported(&leads, "YY-2019-002");
    assert_eq!(two.summary, "违规收受红包及购物卡");
    assert_eq!(two.status, LeadStatus::Concluded, "the sheet never moves a lead through the lifecycle");
    assert_eq!(imported(&leads, "YY-2019-003").status, LeadStatus::CaseFiled);
}

async fn an_import_is_refused_outside_the_keepers_units_and_for_files_that_are_not_ledgers(b: Backend) {
    let w = world(b).await;
    let keeper = actor(&w, "insp_a").await.ledger_keeper().unwrap();
    let other = w.app.ledger().import_upload(&keeper, w.hospital_b, "messy.xlsx", &fixture("messy.xlsx")).await;
    assert_eq!(code(other.unwrap_err()), "unknown_unit", "another hospital's ledger is not the inspector's to fill");
    for name in ["bomb.xlsx", "not-a-spreadsheet.xlsx"] {
        let r = w.app.ledger().import_upload(&keeper, w.hospital_a, name, &fixture(name)).await;
        assert_eq!(code(r.unwrap_err()), "unreadable", "{name}");
    }
    let empty =
        w.app.ledger().import_upload(&keeper, w.hospital_a, "empty.xlsx", &fixture("empty.xlsx")).await.unwrap();
    let p = w.app.ledger().import_preview(&keeper, empty, false).await.unwrap();
    assert!(p.problems[0].message_zh.contains("没有找到表头"), "{:?}", p.problems);
    assert_eq!(
        code(w.app.ledger().import_confirm(&keeper, empty, ImportConfirm::default()).await.unwrap_err()),
        "no_header"
    );
    let dup = w
        .app
        .ledger()
        .import_upload(&keeper, w.hospital_a, "d.xlsx", &fixture("duplicate-headers.xlsx"))
        .await
        .unwrap();
    let p = w.app.ledger().import_preview(&keeper, dup, true).await.unwrap();
    assert!(p.problems.iter().any(|e| e.message_en.contains("Columns B and C")), "{:?}", p.problems);
    // An import is its uploader's: another keeper of the same unit cannot open or write it.
    let sup = actor(&w, "sup").await.ledger_keeper().unwrap();
    assert!(matches!(w.app.ledger().import_preview(&sup, dup, false).await, Err(AppError::NotFound)));
    assert!(matches!(
        w.app.ledger().import_confirm(&sup, dup, ImportConfirm::default()).await,
        Err(AppError::NotFound)
    ));
    // Someone who keeps no ledger has no import at all.
    assert!(matches!(actor(&w, "auditor").await.ledger_keeper(), Err(AppError::Forbidden)));
}

async fn an_exported_ledger_view_imports_back_to_the_same_leads(b: Backend) {
    let w = world(b).await;
    let keeper = actor(&w, "insp_a").await.ledger_keeper().unwrap();
    // A stock lead registered on the form (owners, a signed reporter) and the messy sheet's.
    let mut typed = input(w.hospital_a, "利用职权为涉黑团伙提供保护", "周某");
    typed.subjects.push(domain::ledger::subject::SubjectInput { name: "吴某".into(), ..Default::default() });
    w.app.ledger().register(&keeper, &typed).await.unwrap();
    let id = w.app.ledger().import_upload(&keeper, w.hospital_a, "messy.xlsx", &fixture("messy.xlsx")).await.unwrap();
    w.app.ledger().import_settings(&keeper, id, &choices()).await.unwrap();
    let all = ImportConfirm { skip_invalid: true, apply_changed: false };
    w.app.ledger().import_confirm(&keeper, id, all).await.unwrap();
    let before = ledger_of(&w, &keeper).await;

    let params = LedgerParams { unit_id: w.hospital_a.to_string(), ..Default::default() };
    let (bytes, n) = w.app.ledger().export_xlsx(keeper.reader(), &params).await.unwrap();
    assert_eq!(n as usize, before.len());
    // The 台账 layout, read by calamine: title, 填报单位 and 导出时间, the header, dates as
    // dates, the 合计 row; never the reporter's identity.
    let book = office::sheet::read(&bytes, "台账.xlsx", &LIMITS).unwrap();
    let rows = &book.sheets[0].rows;
    assert_eq!(rows[0][0], Cell::Text("问题线索台账".into()));
    assert!(matches!(&rows[1][0], Cell::Text(t) if t.starts_with("填报单位：")));
    assert_eq!(rows[2][1], Cell::Text("清零编号".into()));
    assert!(matches!(rows[3][6], Cell::Date(_)), "{:?}", rows[3][6]);
    assert_eq!(rows[3 + before.len()][0], Cell::Text(format!("合计：{}件", before.len())));
    let text = format!("{rows:?}");
    assert!(!text.contains("举报人甲") && !text.contains("13800000000"), "no reporter identity in an export");

    // Imported back: every lead found, every field equal, nothing new.
    let back = w.app.ledger().import_upload(&keeper, w.hospital_a, "台账.xlsx", &bytes).await.unwrap();
    let p = w.app.ledger().import_preview(&keeper, back, false).await.unwrap();
    assert_eq!(p.counts.rows as usize, before.len());
    assert_eq!((p.counts.new, p.counts.changed, p.counts.invalid), (0, 0, 0), "{:?} {:?}", p.sample, p.errors);
    assert_eq!(p.counts.unchanged as usize, before.len());
    let auditor = actor(&w, "auditor").await.audit_reader().unwrap();
    let q = app::AuditQuery { action: "ledger.export".into(), ..Default::default() };
    assert_eq!(w.app.protection().audit_entries(&auditor, &q).await.unwrap().total, 1);
}

/// A ledger of `rows` good rows, each with its owners (a stock lead needs them).
fn long_sheet(rows: usize) -> Vec<u8> {
    use office::ledger_book::{ColumnSpec, LedgerWriter, Value};
    let heads = ["线索编号", "线索来源", "受理时间", "被反映人", "反映的主要问题", "问题类别", "责任领导", "责任人"];
    let cols: Vec<ColumnSpec<'_>> = heads.iter().map(|h| ColumnSpec { header: h, width: 12.0, wrap: false }).collect();
    let mut w = LedgerWriter::new("台账", "问题线索台账", ("填报单位：甲医院", "填报时间：2019年11月"), &cols).unwrap();
    for i in 0..rows {
        let (no, who, what) = (format!("L-{i:05}"), format!("钱{i}"), format!("反映第{i}号问题"));
        let source = if i % 3 == 0 { "市纪委交办" } else { "信访举报" };
        w.row(&[
            Value::Text(&no),
            Value::Text(source),
            Value::Date(2019, 6, 1 + (i % 28) as u8),
            Value::Text(&who),
            Value::Text(&what),
            Value::Text("其他"),
            Value::Text("王书记"),
            Value::Text("李主任"),
        ])
        .unwrap();
    }
    w.finish(&format!("合计：{rows}件")).unwrap()
}

async fn a_long_import_shows_its_progress_rolls_back_when_cancelled_and_keeps_the_board_exact(b: Backend) {
    const ROWS: usize = 1_200;
    let w = world(b).await;
    let sup = actor(&w, "sup").await;
    let keeper = actor(&w, "insp_a").await.ledger_keeper().unwrap();
    let before = ledger_of(&w, &keeper).await.len();
    let ledger = w.app.ledger();
    let id = ledger.import_upload(&keeper, w.hospital_a, "long.xlsx", &long_sheet(ROWS)).await.unwrap();
    let all = ImportConfirm { skip_invalid: false, apply_changed: false };

    // Cancelled before it began: nothing written, the import may still be confirmed.
    let early = app::Progress::new();
    assert!(early.cancel());
    assert_eq!(code(ledger.import_confirm_watched(&keeper, id, all, &early).await.unwrap_err()), "cancelled");
    assert_eq!(early.view().phase, app::Phase::Cancelled);

    // Cancelled once the first batch is written: that batch is rolled back too.
    let mid = app::Progress::new();
    let watcher = {
        let mid = mid.clone();
        tokio::spawn(async move {
            while mid.view().done == 0 {
                tokio::time::sleep(std::time::Duration::from_millis(1)).await;
            }
            let seen = mid.view();
            (seen.done, seen.total, mid.cancel())
        })
    };
    let refused = ledger.import_confirm_watched(&keeper, id, all, &mid).await.unwrap_err();
    let (done, total, taken) = watcher.await.unwrap();
    assert!(taken && done > 0 && done < total && total == ROWS as u64, "{done} of {total}, taken: {taken}");
    assert_eq!(code(refused), "cancelled");
    assert_eq!(ledger_of(&w, &keeper).await.len(), before, "nothing of the cancelled write remains");
    same_board(&w, &sup, "a cancelled import").await;

    // Written in full: its progress says so, to its keeper only.
    let written = ledger.import_confirm(&keeper, id, all).await.unwrap();
    assert_eq!(written.written, ROWS as u32);
    let v = ledger.import_progress(&keeper, id).expect("followed on this instance");
    assert_eq!((v.phase, v.done, v.total, v.cancellable), (app::Phase::Done, ROWS as u64, ROWS as u64, false));
    let other = actor(&w, "insp_b").await.ledger_keeper().unwrap();
    assert!(ledger.import_progress(&other, id).is_none(), "another keeper's import is not theirs to follow");
    assert!(matches!(ledger.import_cancel(&keeper, id), Ok(false)), "too late once written");

    // Numbered in the sheet's order, without gaps, and counted on the board as a recount would.
    let mut numbers: Vec<(String, String)> = Vec::new();
    let mut page = 1;
    loop {
        let p = LedgerParams {
            unit_id: w.hospital_a.to_string(),
            per_page: "100".into(),
            page: page.to_string(),
            ..Default::default()
        };
        let items = w.app.ledger().list(keeper.reader(), &p).await.unwrap().items;
        if items.is_empty() {
            break;
        }
        numbers.extend(items.iter().filter_map(|l| l.original_no.clone().map(|o| (o, l.number.as_str().to_owned()))));
        page += 1;
    }
    numbers.sort();
    assert_eq!(numbers.len(), ROWS);
    let seq = |n: &str| n.rsplit('-').next().unwrap().parse::<u32>().unwrap();
    for pair in numbers.windows(2) {
        assert_eq!(seq(&pair[1].1), seq(&pair[0].1) + 1, "{pair:?}");
    }
    same_board(&w, &sup, "a written import").await;
}

async fn same_board(w: &World, who: &app::Actor, after: &str) {
    use app::BoardSource as Source;
    let kept = w.app.supervision().clearance_board_from(who, Source::Kept, 1, 100).await.unwrap();
    let recount = w.app.supervision().clearance_board_from(who, Source::Recount, 1, 100).await.unwrap();
    assert_eq!(kept, recount, "kept figures differ from a recount after {after}");
}

async fn a_long_export_is_followed_to_its_download_or_cancelled(b: Backend) {
    let w = world(b).await;
    // Pages that do not wait: every export is followed on its progress page.
    let app = w.app.clone().with_progress_wait(std::time::Duration::ZERO);
    let reader = actor(&w, "insp_a").await.ledger().unwrap();
    let audited = || async {
        let auditor = actor(&w, "auditor").await.audit_reader().unwrap();
        let q = app::AuditQuery { action: "ledger.export".into(), ..Default::default() };
        w.app.protection().audit_entries(&auditor, &q).await.unwrap().total
    };
    let before = audited().await;
    let params = LedgerParams::default();
    let app::ExportStart::Running(n) = app.ledger().export_begin(&reader, &params, None).await.unwrap() else {
        panic!("a page that does not wait follows the export")
    };
    let v = loop {
        let v = app.ledger().export_progress(&reader, n).expect("its reader follows it");
        if v.phase.finished() {
            break v;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    let listed = app.ledger().list(&reader, &LedgerParams::default()).await.unwrap().total as u64;
    assert_eq!((v.phase, v.done, v.total), (app::Phase::Done, listed, listed));
    let (bytes, leads) = app.ledger().export_file(&reader, n).unwrap();
    assert_eq!(leads, listed);
    let book = office::sheet::read(&bytes, "ledger.xlsx", &LIMITS).unwrap();
    assert!(format!("{:?}", book.sheets[0].rows).contains(&format!("合计：{listed}件")));
    let other = actor(&w, "insp_b").await.ledger().unwrap();
    assert!(app.ledger().export_progress(&other, n).is_none() && app.ledger().export_file(&other, n).is_err());
    assert_eq!(audited().await, before + 1, "one audit entry for the export");

    // Cancelled at once: no file, no audit entry.
    let app::ExportStart::Running(m) = app.ledger().export_begin(&reader, &params, None).await.unwrap() else {
        panic!("followed")
    };
    let _ = app.ledger().export_cancel(&reader, m);
    let v = loop {
        let v = app.ledger().export_progress(&reader, m).unwrap();
        if v.phase.finished() {
            break v;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    if v.phase == app::Phase::Cancelled {
        assert!(app.ledger().export_file(&reader, m).is_err(), "a cancelled export has no file");
        assert_eq!(audited().await, before + 1, "nor an audit entry");
    } else {
        // It finished before the cancel arrived: then it is whole and audited.
        assert_eq!(v.phase, app::Phase::Done);
        assert_eq!(audited().await, before + 2);
    }
}

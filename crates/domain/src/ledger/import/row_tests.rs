use time::macros::date;

use super::*;
use crate::ledger::import::header::find_header;

fn grid(rows: &[&[&str]]) -> Vec<Vec<String>> {
    rows.iter().map(|r| r.iter().map(|c| c.to_string()).collect()).collect()
}

const HEAD: &[&str] = &[
    "序号",
    "线索编号",
    "线索来源",
    "受理时间",
    "被反映人",
    "单位",
    "职务",
    "反映的主要问题",
    "问题类别",
    "办理情况",
    "办结时限",
    "备注",
];

fn mapping() -> Mapping {
    Mapping::from_header(&find_header(&grid(&[HEAD])).unwrap())
}

fn sheet_row(cells: &[&str], resolutions: &Resolutions) -> Result<(ReadRow, LeadDraft), Vec<CellError>> {
    let m = mapping();
    let r = RowReader::new(&m, resolutions, "7".into(), date!(2026 - 12 - 02));
    r.read(17, &cells.iter().map(|c| c.to_string()).collect::<Vec<_>>())
}

#[test]
fn a_messy_row_reads_as_the_register_form_would_take_it() {
    let row = [
        "1",
        "YY-2019-003",
        "市纪委交办",
        "2019.7.1",
        "张某、李某",
        "药剂科、总务科",
        "科长",
        "收受回扣",
        "其他",
        "正在初核",
        "2019年12月31日前",
        "重点",
    ];
    let (read, draft) = sheet_row(&row, &Resolutions::default()).unwrap();
    assert_eq!(read.row, 17);
    assert_eq!(read.original_no.as_deref(), Some("YY-2019-003"));
    assert_eq!(read.status, LeadStatus::PreliminaryVerification);
    assert_eq!(draft.source.code(), "assigned_by_higher");
    assert_eq!(draft.category.code(), "other");
    assert_eq!(draft.received_on, date!(2019 - 07 - 01));
    assert_eq!(draft.deadline, Some(date!(2019 - 12 - 31)));
    let names: Vec<(&str, &str, &str)> =
        draft.subjects.iter().map(|s| (s.name.as_str(), s.unit_name.as_str(), s.post.as_str())).collect();
    assert_eq!(names, vec![("张某", "药剂科", "科长"), ("李某", "总务科", "科长")], "one post for both");
    let row = ["1", "", "信访举报", "2019.7.1", "张某、李某", "", "科长、", "收受回扣", "其他", "", "", ""];
    let (_, second) = sheet_row(&row, &Resolutions::default()).unwrap();
    let posts: Vec<&str> = second.subjects.iter().map(|s| s.post.as_str()).collect();
    assert_eq!(posts, ["科长", ""], "a post for the first subject only, as an export writes it");
    assert_eq!(draft.summary, "收受回扣（备注：重点）", "the remark is kept");
}

#[test]
fn every_problem_names_its_row_and_column_in_both_languages() {
    let long = "问".repeat(10_000);
    let row = ["2", "", "群众来电", "2019-02-30", "", "", "", &long, "上级", "", "", ""];
    let errors = sheet_row(&row, &Resolutions::default()).unwrap_err();
    let at: Vec<(u32, &str)> = errors.iter().map(|e| (e.row, e.column.as_str())).collect();
    assert!(at.contains(&(17, "C")), "the unknown source: {errors:?}");
    assert!(at.contains(&(17, "D")), "the impossible date");
    assert!(at.contains(&(17, "E")), "no subject");
    assert!(at.contains(&(17, "H")), "the summary is too long");
    let date = errors.iter().find(|e| e.column == "D").unwrap();
    assert!(date.message_zh.contains("2019-02-30") && date.message_zh.starts_with("受理时间"), "{date:?}");
    assert!(date.message_en.starts_with("Received on"), "{date:?}");
    assert_eq!(errors.iter().filter(|e| e.column == "D").count(), 1, "not reported again as missing");
    assert!(errors.iter().all(|e| !e.message_en.is_empty() && !e.message_zh.is_empty()));
}

#[test]
fn a_date_in_the_future_is_refused_as_on_the_form() {
    let row = ["3", "", "信访举报", "2027-1-5", "王某", "", "", "吃拿卡要", "其他", "", "", ""];
    let errors = sheet_row(&row, &Resolutions::default()).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].column, "D");
    assert!(errors[0].message_zh.contains("不能晚于今天"));
}

#[test]
fn the_users_choices_resolve_unknown_and_blank_values() {
    let row = ["4", "", "群众来电", "2019/07/01", "王某", "", "", "吃拿卡要", "", "已办结", "", ""];
    assert!(sheet_row(&row, &Resolutions::default()).is_err());
    let mut r = Resolutions::default();
    r.set(VocabField::Source, "群众来电", "petition_report");
    r.set(VocabField::Category, "", "other");
    let (read, draft) = sheet_row(&row, &r).unwrap();
    assert_eq!(draft.source.code(), "petition_report");
    assert_eq!(draft.category.code(), "other", "blank cells take the value chosen for blank");
    assert_eq!(read.status, LeadStatus::Concluded);
    assert_eq!(r.check(), Ok(()));
    r.set(VocabField::Source, "群众来电", "no_such_code");
    assert!(sheet_row(&row, &r).is_err(), "a choice must be one of ours");
    assert_eq!(r.check().unwrap_err().field, "source");
}

#[test]
fn a_mapping_without_the_essential_columns_or_with_a_column_twice_says_so() {
    let mut m = mapping();
    assert!(m.problems().is_empty());
    m.0.insert(11, Column::Summary);
    m.0.remove(&4);
    let problems = m.problems();
    let codes: Vec<(&str, &str)> = problems.iter().map(|e| (e.field.as_str(), e.code)).collect();
    assert!(codes.contains(&("summary", "mapped_twice")), "{codes:?}");
    assert!(codes.contains(&("subject_name", "unmapped")), "{codes:?}");
}

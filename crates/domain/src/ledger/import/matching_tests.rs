use time::macros::{date, datetime};

use super::*;
use crate::{
    LeadId, UnitId, UserId,
    ledger::{
        campaign::StockClass,
        import::{
            header::find_header,
            row::{Mapping, Resolutions, RowReader},
        },
        lead::{HandlingMode, LeadStatus},
        lead_no::LeadNo,
    },
};

const HEAD: &[&str] =
    &["线索编号", "线索来源", "来源文号", "受理时间", "被反映人", "反映的主要问题", "问题类别", "办理情况"];

fn mapping() -> Mapping {
    Mapping::from_header(&find_header(&[HEAD.iter().map(|s| s.to_string()).collect()]).unwrap())
}

fn read(cells: &[&str]) -> (ReadRow, LeadDraft) {
    let m = mapping();
    let r = Resolutions::default();
    let cells: Vec<String> = cells.iter().map(|c| c.to_string()).collect();
    RowReader::new(&m, &r, "7".into(), date!(2026 - 12 - 02)).read(5, &cells).unwrap()
}

/// The lead a row was imported as.
fn stored(row: &ReadRow, d: &LeadDraft, id: i64) -> Lead {
    let at = datetime!(2026-12-01 08:00 UTC);
    Lead {
        id: LeadId::from_raw(id),
        number: LeadNo::from_stored(format!("YY-2026-{id:04}")),
        unit_id: UnitId::from_raw(7),
        unit_name: "市第一人民医院".into(),
        campaign_id: None,
        source: d.source,
        source_doc_no: d.source_doc_no.clone(),
        assigning_body: None,
        original_no: row.original_no.clone(),
        received_on: d.received_on,
        category: d.category,
        problem_domain: d.problem_domain,
        summary: d.summary.clone(),
        important: false,
        handling_mode: HandlingMode::OwnLevel,
        responsible_leader: d.responsible_leader.clone(),
        responsible_person: d.responsible_person.clone(),
        deadline: date!(2027 - 01 - 15),
        deadline_provisional: false,
        clock_started_on: None,
        deadline_rule: None,
        status: row.status,
        stock_class: StockClass::Ordinary,
        finding: None,
        merged_into: None,
        transferred_to: None,
        transfer_received_on: None,
        routed_late: false,
        key_kind: None,
        owning_leader_id: None,
        previous_unit_id: None,
        subjects: d.subjects.clone(),
        handlers: Vec::new(),
        routed_from_unit_id: None,
        created_by: UserId::from_raw(1),
        created_at: at,
        updated_by: UserId::from_raw(1),
        updated_at: at,
        version: 1,
    }
}

fn known(leads: &[&Lead]) -> Known {
    Known::new(leads.iter().map(|l| KnownLead {
        id: l.id,
        number: l.number.as_str().to_owned(),
        original_no: l.original_no.clone(),
        source_doc_no: l.source_doc_no.clone(),
        first_subject: l.subjects.first().map(|s| s.name.clone()),
        received_on: l.received_on,
    }))
}

#[test]
fn a_row_is_found_by_its_own_number_else_by_document_subject_and_date() {
    let (a_row, a) = read(&["YY-003", "信访举报", "", "2019-7-1", "张某", "收受回扣", "其他", "正在初核"]);
    let (b_row, b) = read(&["", "上级交办", "卫纪〔2019〕5号", "2019-7-2", "李某、王某", "吃拿卡要", "其他", ""]);
    let la = stored(&a_row, &a, 1);
    let lb = stored(&b_row, &b, 2);
    let k = known(&[&la, &lb]);
    assert_eq!(k.find(None, &a_row, &a), Some(la.id));
    assert_eq!(k.find(None, &b_row, &b), Some(lb.id), "no own number: document + first subject + date");
    assert_eq!(k.find(Some("YY-2026-0002"), &a_row, &a), Some(lb.id), "the Qingling number wins");
    let (other, o) = read(&["", "上级交办", "卫纪〔2019〕5号", "2019-7-2", "赵某", "吃拿卡要", "其他", ""]);
    assert_eq!(k.find(None, &other, &o), None, "the same letter about someone else is a new lead");
    let (renumbered, r) = read(&["YY-004", "信访举报", "", "2019-7-1", "张某", "收受回扣", "其他", ""]);
    assert_eq!(k.find(None, &renumbered, &r), None, "another own number is another lead");
}

#[test]
fn the_preview_says_unchanged_or_what_changed() {
    let (row, d) = read(&["YY-003", "信访举报", "", "2019-7-1", "张某", "收受回扣", "其他", "正在初核"]);
    let lead = stored(&row, &d, 1);
    assert_eq!(compare(&row, &d, &lead, &mapping()), Fate::Unchanged);
    let (row2, d2) = read(&["YY-003", "信访举报", "", "2019-7-1", "张某", "收受回扣及药品回扣", "其他", "已办结"]);
    assert_eq!(compare(&row2, &d2, &lead, &mapping()), Fate::Changed(vec![Column::Summary, Column::Progress]));
    let mut moved = lead.clone();
    moved.status = LeadStatus::CaseFiled;
    assert_eq!(compare(&row, &d, &moved, &mapping()), Fate::Changed(vec![Column::Progress]));
    let mut posted = lead.clone();
    posted.subjects[0].post = "科长".into();
    assert_eq!(
        compare(&row, &d, &posted, &mapping()),
        Fate::Unchanged,
        "the sheet has no 职务 column: it says nothing"
    );
}

#[test]
fn an_update_keeps_what_the_sheet_does_not_carry() {
    use crate::ledger::lead::ProblemDomain;
    let (row, d) = read(&["YY-003", "信访举报", "", "2019-7-1", "张某", "收受回扣", "其他", "正在初核"]);
    let mut lead = stored(&row, &d, 1);
    lead.important = true;
    lead.assigning_body = Some("市纪委".into());
    lead.problem_domain = ProblemDomain::ALL[1];
    lead.subjects[0].unit_name = "药剂科".into();
    lead.subjects[0].id_number_hash = Some("k1:abc".into());
    lead.subjects[0].post = "科长".into();
    lead.responsible_leader = Some("院长".into());
    let (_, mut d2) = read(&["YY-003", "信访举报", "", "2019-7-1", "张某", "收受回扣及红包", "其他", "正在初核"]);
    carry_over(&mut d2, &lead, &mapping());
    assert!(d2.important);
    assert_eq!(d2.assigning_body.as_deref(), Some("市纪委"));
    assert_eq!(d2.problem_domain, ProblemDomain::ALL[1]);
    assert_eq!(d2.subjects[0].unit_name, "药剂科", "a blank unit keeps the lead's");
    assert_eq!(d2.subjects[0].id_number_hash.as_deref(), Some("k1:abc"));
    assert_eq!(d2.subjects[0].post, "科长", "no 职务 column in this sheet");
    assert_eq!(d2.responsible_leader.as_deref(), Some("院长"), "no 责任领导 column either");
    assert_eq!(d2.summary, "收受回扣及红包", "what the sheet carries is the sheet's");
}

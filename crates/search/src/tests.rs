//! The index on its own: what finds a lead, what the scope keeps out, exact totals.

use domain::{
    LeadId, UnitId, UserId,
    ledger::campaign::StockClass,
    ledger::lead::{Category, LeadStatus, Source},
    ledger::query::{LedgerFilter, LedgerSort},
    protection::role::{Grant, Role},
    protection::scope::Scope,
};
use time::macros::date;

use super::*;

fn lead(id: i64, unit: i64, summary: &str, subject: &str) -> LeadDoc {
    LeadDoc {
        id: LeadId::from_raw(id),
        units: vec![UnitId::from_raw(1), UnitId::from_raw(unit)],
        previous_units: Vec::new(),
        owner: None,
        handlers: Vec::new(),
        recused: Vec::new(),
        campaign: None,
        source: Source::PetitionReport,
        category: Category::GangCorruption,
        status: LeadStatus::Registered,
        stock_class: StockClass::New,
        responsible_person: None,
        received_on: date!(2026 - 11 - 01),
        deadline: date!(2026 - 12 - 01),
        number_order: format!("{id:08}"),
        flags: LeadFlags { open: true, ..Default::default() },
        number: format!("RMYY1-2026-{id:04}"),
        original_no: None,
        source_doc_no: None,
        summary: summary.into(),
        subjects: vec![SubjectText {
            name: subject.into(), unit: "药剂科".into(), post: "科长".into(), person: None
        }],
        notes: Vec::new(),
    }
}

fn scope_of(unit: i64) -> Scope {
    Scope::from_grants(&[Grant { role: Role::Inspector, unit: UnitId::from_raw(unit) }], Role::reads_ledger).unwrap()
}

fn find(index: &Index, scope: &Scope, typed: &str) -> Found {
    let filter = LedgerFilter { keyword: Some(typed.into()), ..Default::default() };
    index.find(&Request { scope, filter: &filter, order: SearchOrder::Relevance, offset: 0, limit: 50 }).unwrap()
}

fn ids(f: &Found) -> Vec<i64> {
    let mut v: Vec<i64> = f.ids.iter().map(|i| i.get()).collect();
    v.sort_unstable();
    v
}

fn sample() -> Index {
    let index = Index::in_memory().unwrap();
    let docs = [
        lead(1, 10, "反映药剂科科长王某某收受回扣，压件不办", "王某某"),
        lead(2, 10, "反映总务科采购中存在围标串标问题", "李某"),
        lead(3, 20, "群众反映王某某充当保护伞", "王某某"),
        lead(4, 10, "反映单某在招聘中优亲厚友", "单某"),
    ];
    index.apply(&docs, &[], 7).unwrap();
    index
}

#[test]
fn a_phrase_a_name_a_part_of_a_name_and_its_initials_find_the_lead() {
    let index = sample();
    let all = scope_of(1);
    assert_eq!(ids(&find(&index, &all, "压件不办")), [1]);
    assert_eq!(ids(&find(&index, &all, "王某某")), [1, 3]);
    assert_eq!(ids(&find(&index, &all, "王某")), [1, 3]);
    assert_eq!(ids(&find(&index, &all, "wmm")), [1, 3], "pinyin initials");
    assert_eq!(ids(&find(&index, &all, "WMM")), [1, 3]);
    assert_eq!(ids(&find(&index, &all, "sm")), [4], "单 read as shan");
    assert_eq!(ids(&find(&index, &all, "rmyy1-2026-0002")), [2], "the lead number");
    assert_eq!(ids(&find(&index, &all, "ＲＭＹＹ1-2026-0002")), [2], "typed full-width");
    assert_eq!(ids(&find(&index, &all, "围标 采购")), [2], "every part must match");
    assert_eq!(ids(&find(&index, &all, "围标 保护伞")), Vec::<i64>::new());
    assert_eq!(ids(&find(&index, &all, "伞")), [3], "one character");
    assert_eq!(ids(&find(&index, &all, "涉黑涉恶")), [1, 2, 3, 4], "the category's name");
    assert_eq!(index.applied().unwrap(), Some(7));
}

#[test]
fn query_syntax_emoji_and_long_queries_are_text() {
    let index = sample();
    let all = scope_of(1);
    for typed in ["\"", "AND", "*:*", "(王某", "王某)", "+-&&||!^~", "😀", "", &"某".repeat(1000)] {
        let _ = find(&index, &all, typed);
    }
    assert_eq!(ids(&find(&index, &all, "😀压件不办😀")), [1]);
    assert_eq!(find(&index, &all, "😀").total, 0);
}

#[test]
fn the_scope_is_part_of_the_query_and_totals_are_exact() {
    let index = Index::in_memory().unwrap();
    let mut docs: Vec<LeadDoc> = (1..=120).map(|i| lead(i, 10 + i % 2, "反映某某问题", "张某")).collect();
    docs[0].recused = vec![UserId::from_raw(99)];
    docs[2].handlers = vec![UserId::from_raw(5)];
    index.apply(&docs, &[], 1).unwrap();
    let unit10 = scope_of(10);
    let f = find(&index, &unit10, "某某问题");
    assert_eq!(f.total, 60, "only unit 10's leads, counted whole");
    assert_eq!(f.ids.len(), 50, "a page");
    let recusing = scope_of(11).recusing(UserId::from_raw(99));
    assert_eq!(find(&index, &recusing, "张某").total, 59, "lead 1 names the caller");
    let handler = scope_of(11).assigned_to(5);
    assert_eq!(ids(&find(&index, &handler, "张某")), [3]);
    assert_eq!(find(&index, &scope_of(30), "张某").total, 0);
}

#[test]
fn the_ledgers_filters_and_orders_apply_inside_the_index() {
    let index = Index::in_memory().unwrap();
    let mut docs: Vec<LeadDoc> = (1..=6).map(|i| lead(i, 10, "反映某某问题", "张某")).collect();
    docs[1].received_on = date!(2026 - 10 - 01);
    docs[2].status = LeadStatus::Concluded;
    docs[2].flags = LeadFlags { cleared: true, ..Default::default() };
    docs[3].deadline = date!(2026 - 11 - 15);
    docs[4].flags.important = true;
    index.apply(&docs, &[], 1).unwrap();
    let scope = scope_of(10);
    let run = |filter: LedgerFilter, order| {
        let f = index.find(&Request { scope: &scope, filter: &filter, order, offset: 0, limit: 10 }).unwrap();
        f.ids.iter().map(|i| i.get()).collect::<Vec<_>>()
    };
    let q = || LedgerFilter { keyword: Some("张某".into()), ..Default::default() };
    assert_eq!(run(LedgerFilter { closed_only: true, ..q() }, SearchOrder::Relevance), [3]);
    assert_eq!(run(LedgerFilter { open_only: true, ..q() }, SearchOrder::of(LedgerSort::NumberAsc)), [1, 2, 4, 5, 6]);
    assert_eq!(run(LedgerFilter { important: Some(true), ..q() }, SearchOrder::Relevance), [5]);
    let overdue = LedgerFilter { overdue_before: Some(date!(2026 - 11 - 20)), ..q() };
    assert_eq!(run(overdue, SearchOrder::Relevance), [4]);
    let october = LedgerFilter { received_to: Some(date!(2026 - 10 - 31)), ..q() };
    assert_eq!(run(october, SearchOrder::Relevance), [2]);
    let by_received = run(q(), SearchOrder::of(LedgerSort::ReceivedAsc));
    assert_eq!(by_received, [2, 1, 3, 4, 5, 6], "the day, then the lead");
    assert_eq!(run(q(), SearchOrder::of(LedgerSort::DeadlineDesc))[5], 4);
    index.apply(&[], &[LeadId::from_raw(2)], 2).unwrap();
    assert_eq!(run(q(), SearchOrder::Relevance).len(), 5, "removed");
    let mut changed = docs[0].clone();
    changed.summary = "反映另一问题".into();
    index.apply(&[changed], &[], 3).unwrap();
    assert_eq!(index.len(), 5, "replaced, not added");
}

#[test]
fn a_damaged_index_is_made_anew_and_a_snippet_marks_what_matched() {
    let dir = tempfile::tempdir().unwrap();
    {
        let index = Index::open(dir.path()).unwrap();
        assert_eq!(index.applied().unwrap(), None, "new: to be built");
        index.apply(&[lead(1, 10, "反映药剂科科长王某某收受回扣", "王某某")], &[], 3).unwrap();
    }
    assert_eq!(Index::open(dir.path()).unwrap().applied().unwrap(), Some(3), "kept");
    {
        // An index another instance holds is refused, never wiped.
        let held = Index::open(dir.path()).unwrap();
        let refused = Index::open(dir.path()).err().expect("a second writer is refused");
        assert!(refused.in_use(), "{refused}");
        assert_eq!(held.applied().unwrap(), Some(3));
    }
    std::fs::write(dir.path().join("meta.json"), b"{ not json").unwrap();
    let index = Index::open(dir.path()).unwrap();
    assert_eq!((index.applied().unwrap(), index.len()), (None, 0), "damaged: empty, to be built");
    index.apply(&[lead(1, 10, "反映药剂科科长王某某收受回扣", "王某某")], &[], 4).unwrap();
    let scope = scope_of(10);
    let filter = LedgerFilter { keyword: Some("收受回扣".into()), ..Default::default() };
    let r = Request { scope: &scope, filter: &filter, order: SearchOrder::Relevance, offset: 0, limit: 10 };
    let pieces = &index.snippets(&r, &[LeadId::from_raw(1)]).unwrap()[0];
    let marked: Vec<&str> = pieces.iter().filter(|p| p.marked).map(|p| p.text.as_str()).collect();
    assert_eq!(marked, ["收受回扣"]);
    assert_eq!(pieces.iter().map(|p| p.text.as_str()).collect::<String>(), "反映药剂科科长王某某收受回扣");
}

#[test]
fn similar_summaries_are_found_within_the_scope_best_first() {
    let index = Index::in_memory().unwrap();
    let docs = [
        lead(1, 2, "反映药剂科主任王某某收受医药代表回扣", "王某某"),
        lead(2, 2, "反映食堂承包经营存在违规转包问题", "李某"),
        lead(3, 3, "反映药剂科主任王某某收受医药代表回扣", "王某某"),
        lead(4, 2, "药剂科主任收受回扣", "赵某"),
    ];
    index.apply(&docs, &[], 1).unwrap();
    let found = index.similar(&scope_of(2), "举报药剂科主任王某某收受医药代表的回扣", 10).unwrap();
    let got: Vec<i64> = found.iter().map(|i| i.get()).collect();
    assert_eq!(got, [1, 4], "the closest first; unit 3's twin is out of scope; the canteen is unlike");
    assert!(index.similar(&scope_of(2), "😀 !!", 10).unwrap().is_empty(), "nothing to compare");
}

#[test]
fn pairs_nearly_every_summary_holds_make_no_likeness() {
    let index = Index::in_memory().unwrap();
    // 1,200 leads all "反映…" (more than one in twenty hold 反映), one about 药剂科.
    let mut docs: Vec<LeadDoc> = (1..=1200).map(|i| lead(i, 2, &format!("反映第{i}号问题"), "某某")).collect();
    docs.push(lead(5000, 2, "反映药剂科主任收受回扣", "王某某"));
    index.apply(&docs, &[], 1).unwrap();
    let found = index.similar(&scope_of(2), "反映药剂科", 10).unwrap();
    assert_eq!(found, [LeadId::from_raw(5000)], "反映 alone makes no lead alike");
    assert!(index.similar(&scope_of(2), "反映", 10).unwrap().is_empty());
}

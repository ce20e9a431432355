//! Repeat reports and relations (issue 14): the earlier leads a report may repeat, found before
//! it is saved with why; the decision on the timeline; a 查否 lead reported again flagged for
//! re-review; the graph around a person, a lead and a unit, within the caller's scope.

use app::{LedgerKeeper, relations::Centre};
use domain::{
    ledger::{
        lead::{Lead, LeadInput, LeadStatus},
        repeats::{RepeatDecision, RepeatReason},
    },
    lifecycle::timeline::Payload,
    relations::NodeKind,
};
use store::Backend;

use crate::support::*;

testkit::both!(
    a_report_is_checked_for_repeats_before_it_is_saved_and_the_decision_kept,
    an_imported_ledger_is_checked_for_repeats_before_it_is_written,
    the_relations_graph_stays_within_the_callers_scope
);

async fn registered(w: &World, keeper: &LedgerKeeper, input: &LeadInput, decision: Option<RepeatDecision>) -> Lead {
    w.app.ledger().register_decided(keeper, input, decision).await.unwrap().into_visible().unwrap()
}

async fn a_report_is_checked_for_repeats_before_it_is_saved_and_the_decision_kept(b: Backend) {
    let w = world(b).await;
    let a = actor(&w, "insp_a").await.ledger_keeper().unwrap();
    let bk = actor(&w, "insp_b").await.ledger_keeper().unwrap();
    let mut first = input(w.hospital_a, "反映药剂科主任王某某收受医药代表回扣", "王某某");
    first.source_doc_no = "卫纪交〔2019〕3号".into();
    let original = registered(&w, &a, &first, None).await;
    let unrelated = registered(&w, &a, &input(w.hospital_a, "反映食堂承包经营违规转包", "李某"), None).await;
    // 乙医院's lead about the same name is out of 甲医院's sight.
    registered(&w, &bk, &input(w.hospital_b, "反映药剂科主任王某某收受医药代表回扣", "王某某"), None).await;
    w.app.search_catch_up().await.unwrap();

    // Same source document number, same person, similar summary: all three reasons, the
    // unrelated lead not at all.
    let mut again = input(w.hospital_a, "举报药剂科主任王某某收受医药代表的回扣", "王某某");
    again.source_doc_no = "卫纪交〔2019〕3号".into();
    let found = w.app.ledger().repeat_candidates(&a, &again).await.unwrap();
    assert_eq!(found.iter().map(|c| c.lead).collect::<Vec<_>>(), [original.id], "{found:?}");
    let reasons = &found[0].reasons;
    assert!(reasons.contains(&RepeatReason::SameDocNo { doc_no: "卫纪交〔2019〕3号".into() }), "{reasons:?}");
    assert!(reasons.iter().any(|r| matches!(r, RepeatReason::SamePerson { name, .. } if name == "王某某")));
    assert!(reasons.iter().any(|r| matches!(r, RepeatReason::SimilarSummary { percent } if *percent >= 70)));
    assert!(!found[0].closed_unfounded);
    // By summary alone (another person, no number), and nothing for a report like no other.
    let alike = input(w.hospital_a, "反映药剂科主任收受医药代表回扣问题", "赵某");
    let by_summary = w.app.ledger().repeat_candidates(&a, &alike).await.unwrap();
    assert_eq!(by_summary.len(), 1);
    assert!(matches!(by_summary[0].reasons[..], [RepeatReason::SimilarSummary { .. }]), "{by_summary:?}");
    let fresh = input(w.hospital_a, "反映后勤科违规发放津贴补贴", "钱某");
    assert!(w.app.ledger().repeat_candidates(&a, &fresh).await.unwrap().is_empty());
    // Invalid input is refused as registering would refuse it.
    let bad = LeadInput { summary: String::new(), ..again.clone() };
    assert!(matches!(w.app.ledger().repeat_candidates(&a, &bad).await, Err(app::AppError::Invalid(_))));

    // Confirmed as new: on the timeline with the candidates.
    let new = registered(&w, &a, &again, Some(RepeatDecision::New)).await;
    assert_eq!(new.status, LeadStatus::Registered);
    let timeline = w.app.lifecycle().timeline(a.reader(), new.id).await.unwrap();
    let check = timeline.iter().find_map(|e| match &e.payload {
        Some(Payload::RepeatCheck { outcome, candidates, unfounded }) => Some((*outcome, candidates, unfounded)),
        _ => None,
    });
    let (outcome, candidates, unfounded) = check.expect("the repeat check on the timeline");
    assert_eq!(outcome.code(), "new");
    assert_eq!(candidates, &vec![original.number.to_string()]);
    assert!(unfounded.is_empty());

    // Merged as it is registered: the 合并 step, waiting for the committee head.
    let merged = registered(&w, &a, &again, Some(RepeatDecision::Merge(original.number.clone()))).await;
    let timeline = w.app.lifecycle().timeline(a.reader(), merged.id).await.unwrap();
    assert!(
        timeline.iter().any(|e| matches!(&e.payload, Some(Payload::Merge { original: o, .. }) if *o == original.id)),
        "{timeline:?}"
    );
    approve_pending(&w).await;
    let after = w.app.ledger().lead(a.reader(), merged.id).await.unwrap();
    assert_eq!((after.status, after.merged_into), (LeadStatus::Merged, Some(original.id)));
    // A merge the rules refuse (into a later lead) refuses the registration: nothing is saved.
    let before = w.app.ledger().list(a.reader(), &Default::default()).await.unwrap().total;
    let mut earlier = again.clone();
    earlier.received_on = "2019-01-02".into();
    let refused =
        w.app.ledger().register_decided(&a, &earlier, Some(RepeatDecision::Merge(unrelated.number.clone()))).await;
    match refused {
        Err(app::AppError::Invalid(i)) => assert_eq!(i.0[0].field, "repeat", "{i:?}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(w.app.ledger().list(a.reader(), &Default::default()).await.unwrap().total, before);

    // The original closed as 查否, then reported again: flagged for the re-review.
    close_unfounded(&w, &a, original.id).await;
    let found = w.app.ledger().repeat_candidates(&a, &again).await.unwrap();
    assert!(found.iter().any(|c| c.lead == original.id && c.closed_unfounded), "{found:?}");
    let sup = actor(&w, "sup").await.ledger().unwrap();
    assert!(w.app.ledger().reported_again(&sup).await.unwrap().is_empty());
    registered(&w, &a, &again, None).await;
    assert_eq!(w.app.ledger().reported_again(&sup).await.unwrap(), [(original.id, 1)]);
    // 乙医院's inspector does not see 甲医院's flag.
    let other = actor(&w, "insp_b").await.ledger().unwrap();
    assert!(w.app.ledger().reported_again(&other).await.unwrap().is_empty());

    // A report the supervisor registers for 乙医院 repeats 甲医院's leads: 乙医院's inspector reads
    // the decision on its timeline, but not which of 甲医院's leads it was compared with.
    let sup_keeper = actor(&w, "sup").await.ledger_keeper().unwrap();
    let mut in_b = again.clone();
    in_b.unit_id = w.hospital_b.to_string();
    in_b.subjects[0].unit_name = "甲医院".into();
    let lead_b = registered(&w, &sup_keeper, &in_b, Some(RepeatDecision::New)).await;
    let check = |entries: Vec<app::TimelineEntry>| {
        entries.into_iter().find_map(|e| match e.payload {
            Some(Payload::RepeatCheck { candidates, unfounded, .. }) => Some((candidates, unfounded)),
            _ => None,
        })
    };
    let (seen_all, unfounded_all) = check(w.app.lifecycle().timeline(&sup, lead_b.id).await.unwrap()).unwrap();
    assert!(seen_all.contains(&original.number.to_string()) && !unfounded_all.is_empty());
    let (seen_b, unfounded_b) = check(w.app.lifecycle().timeline(&other, lead_b.id).await.unwrap()).unwrap();
    assert!(!seen_b.contains(&original.number.to_string()) && unfounded_b.is_empty(), "{seen_b:?} {unfounded_b:?}");
}

async fn an_imported_ledger_is_checked_for_repeats_before_it_is_written(b: Backend) {
    let w = world(b).await;
    let a = actor(&w, "insp_a").await.ledger_keeper().unwrap();
    let mut first = input(w.hospital_a, "反映药剂科主任王某某收受医药代表回扣", "王某某");
    first.source_doc_no = "卫纪交〔2019〕7号".into();
    let original = registered(&w, &a, &first, None).await;
    close_unfounded(&w, &a, original.id).await;
    // Row 2 names the same person (same name, same unit); row 3 carries the same document
    // number; row 4 is like nothing before.
    let mut csv = String::from("序号,来源文号,线索来源,受理时间,被反映人,单位,反映的主要问题,问题类别,办理情况\n");
    csv.push_str("1,,信访举报,2019.7.1,王某某,甲医院,再次反映收受回扣,其他,正在初核\n");
    csv.push_str("2,卫纪交〔2019〕7号,上级交办,2019.7.2,赵某,设备科,设备采购问题,其他,正在初核\n");
    csv.push_str("3,,信访举报,2019.7.3,钱某,总务科,食堂转包,其他,正在初核\n");
    let id = w.app.ledger().import_upload(&a, w.hospital_a, "重复.csv", csv.as_bytes()).await.unwrap();
    let p = w.app.ledger().import_preview(&a, id, false).await.unwrap();
    assert_eq!((p.counts.new, p.counts.repeats), (3, 2), "{:?}", p.repeats);
    let rows: Vec<u32> = p.repeats.iter().map(|r| r.row).collect();
    assert_eq!(rows, [2, 3]);
    for r in &p.repeats {
        assert_eq!(r.candidates.iter().map(|c| c.lead).collect::<Vec<_>>(), [original.id]);
        assert!(r.candidates[0].closed_unfounded);
    }
    assert!(matches!(p.repeats[0].candidates[0].reasons[..], [RepeatReason::SamePerson { .. }]));
    assert!(matches!(p.repeats[1].candidates[0].reasons[..], [RepeatReason::SameDocNo { .. }]));
    // Nothing was written by the preview; the write keeps the flags with the new leads.
    let sup = actor(&w, "sup").await.ledger().unwrap();
    assert!(w.app.ledger().reported_again(&sup).await.unwrap().is_empty());
    let confirm = app::ImportConfirm { skip_invalid: false, apply_changed: false };
    assert_eq!(w.app.ledger().import_confirm(&a, id, confirm).await.unwrap().written, 3);
    assert_eq!(w.app.ledger().reported_again(&sup).await.unwrap(), [(original.id, 2)]);
    let p = domain::ledger::query::LedgerParams { q: "再次反映收受回扣".into(), ..Default::default() };
    let again = w.app.ledger().list(a.reader(), &p).await.unwrap().items;
    let timeline = w.app.lifecycle().timeline(a.reader(), again[0].id).await.unwrap();
    let check = timeline.iter().find_map(|e| match &e.payload {
        Some(Payload::RepeatCheck { outcome, candidates, unfounded }) => {
            Some((outcome.code(), candidates.len(), unfounded.len()))
        }
        _ => None,
    });
    assert_eq!(check, Some(("imported", 1, 1)), "{timeline:?}");
}

async fn the_relations_graph_stays_within_the_callers_scope(b: Backend) {
    let w = world(b).await;
    let a = actor(&w, "insp_a").await.ledger_keeper().unwrap();
    let bk = actor(&w, "insp_b").await.ledger_keeper().unwrap();
    // 王某某 of 甲医院 named by a lead of each hospital (乙医院's names 甲医院 as his unit).
    let mut with_colleague = input(w.hospital_a, "反映王某某与李某串通收受回扣", "王某某");
    with_colleague.subjects.push(domain::ledger::subject::SubjectInput { name: "李某".into(), ..Default::default() });
    let in_a = registered(&w, &a, &with_colleague, Some(RepeatDecision::New)).await;
    let mut in_b = input(w.hospital_b, "反映王某某为亲属承揽乙医院业务", "王某某");
    in_b.subjects[0].unit_name = "甲医院".into();
    let in_b = registered(&w, &bk, &in_b, Some(RepeatDecision::New)).await;
    let sup = actor(&w, "sup").await.ledger().unwrap();
    let around = w.app.relations().graph(&sup, Centre::Lead(in_a.id), false).await.unwrap();
    let person = around.nodes.iter().find(|n| n.kind == NodeKind::Person && n.label == "王某某").unwrap();
    let person: i64 = person.key.parse().unwrap();

    // The supervisor sees him across both hospitals, his colleague, both units, and the one
    // signed reporter behind both leads (by a short keyed hash only).
    let g = w.app.relations().graph(&sup, Centre::Person(person), false).await.unwrap();
    let keys = |kind: NodeKind| {
        let mut v: Vec<String> = g.nodes.iter().filter(|n| n.kind == kind).map(|n| n.key.clone()).collect();
        v.sort();
        v
    };
    assert_eq!(keys(NodeKind::Lead), {
        let mut v = vec![in_a.id.to_string(), in_b.id.to_string()];
        v.sort();
        v
    });
    assert_eq!(keys(NodeKind::Unit).len(), 2);
    assert_eq!(keys(NodeKind::Reporter).len(), 1, "one reporter behind both: {:?}", g.nodes);
    let reporter = g.nodes.iter().find(|n| n.kind == NodeKind::Reporter).unwrap();
    assert_eq!(reporter.detail, "2 件");
    assert!(!format!("{g:?}").contains("举报人甲") && !format!("{g:?}").contains("13800000000"), "never who they are");
    assert!(g.nodes.iter().any(|n| n.kind == NodeKind::Person && n.label == "李某"));
    assert!(g.nodes.iter().all(|n| !n.href.is_empty()), "every node a link");

    // 甲医院's inspector sees only 甲医院's lead; 乙医院's lead and unit are not there.
    let ga = w.app.relations().graph(a.reader(), Centre::Person(person), false).await.unwrap();
    let leads: Vec<&str> = ga.nodes.iter().filter(|n| n.kind == NodeKind::Lead).map(|n| n.key.as_str()).collect();
    assert_eq!(leads, [in_a.id.to_string()]);
    // Reporter links are the oversight roles': a keeper could probe them with a guessed phone.
    assert!(!ga.nodes.iter().any(|n| n.kind == NodeKind::Reporter), "{:?}", ga.nodes);
    assert!(!ga.nodes.iter().any(|n| n.kind == NodeKind::Unit && n.key == w.hospital_b.to_string()));
    // A lead or unit out of sight is not found, never an empty graph.
    for centre in [Centre::Lead(in_b.id), Centre::Unit(w.hospital_b)] {
        assert!(matches!(w.app.relations().graph(a.reader(), centre, false).await, Err(app::AppError::NotFound)));
    }
    // Every view is audited.
    let auditor = actor(&w, "auditor").await.audit_reader().unwrap();
    let trail = app::AuditQuery { action: "relations.view".into(), ..Default::default() };
    assert_eq!(w.app.protection().audit_entries(&auditor, &trail).await.unwrap().total, 3);

    // The supervisors' list: 王某某 in two leads; an inspector may not read it.
    let sup_actor = actor(&w, "sup").await;
    let f = w.app.relations().frequent(&sup_actor, 2, 1).await.unwrap();
    assert_eq!(f.total, 1);
    assert_eq!((f.persons[0].name.as_str(), f.persons[0].leads, f.persons[0].units), ("王某某", 2, 2));
    assert!(w.app.relations().frequent(&sup_actor, 3, 1).await.unwrap().persons.is_empty());
    let inspector = actor(&w, "insp_a").await;
    assert!(matches!(w.app.relations().frequent(&inspector, 2, 1).await, Err(app::AppError::Forbidden)));
}

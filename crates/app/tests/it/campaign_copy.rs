//! Across campaigns (issue 17, point 5): a campaign's score rules and report outline are its
//! own, and come with it when it is copied as next year's template; a work report follows its
//! campaign's outline, and one saved before the outline changed is saved again before signing.

use app::AppError;
use domain::reporting::{
    outline::OutlineInput,
    work_report::{ReportInput, Section},
};
use store::Backend;

use crate::support::*;

testkit::both!(score_rules_and_the_report_outline_travel_with_a_copied_campaign);

fn outline(codes: &[&str], guidance: &[(&str, &str)]) -> OutlineInput {
    OutlineInput {
        sections: codes.iter().map(|c| (*c).to_owned()).collect(),
        guidance: guidance.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect(),
    }
}

fn code_of(r: Result<impl std::fmt::Debug, AppError>) -> &'static str {
    match r {
        Err(AppError::Invalid(i)) => i.0[0].code,
        other => panic!("not refused as input: {other:?}"),
    }
}

async fn score_rules_and_the_report_outline_travel_with_a_copied_campaign(b: Backend) {
    let w = world(b).await;
    let (sup, insp_a, head_a, chief) =
        (actor(&w, "sup").await, actor(&w, "insp_a").await, actor(&w, "head_a").await, actor(&w, "chief").await);
    let (r, a) = (w.app.reporting(), w.hospital_a);

    // This year's campaign: rules v2 and a three-section outline with guidance.
    let first = r.score_rules(&sup, None).await.unwrap();
    let mut typed = app::RulesInput::of(&first.rules);
    typed.praise_at = "92".into();
    typed.note = "提高表扬线".into();
    assert_eq!(r.save_score_rules(&sup, None, &typed).await.unwrap(), first.version + 1);
    let three = outline(&["basics", "clearance", "next_steps"], &[("clearance", "逐件写明存量线索办结情况")]);
    assert!(matches!(r.save_report_outline(&insp_a, None, &three).await, Err(AppError::Forbidden)));
    assert_eq!(code_of(r.save_report_outline(&sup, None, &outline(&[], &[])).await), "none");
    r.save_report_outline(&sup, None, &three).await.unwrap();
    assert!(!r.report_outline(&chief, None).await.unwrap().may_edit, "the committee head reads it");

    // A unit's report has the outline's sections, with what each must cover.
    let v = r.work_report(&insp_a, a).await.unwrap();
    let shown: Vec<(Section, &str)> = v.sections.iter().map(|s| (s.section, s.guidance.as_str())).collect();
    assert_eq!(
        shown,
        [(Section::Basics, ""), (Section::Clearance, "逐件写明存量线索办结情况"), (Section::NextSteps, "")]
    );
    let mut all = ReportInput::default();
    for s in Section::ALL {
        all.sections.insert(s.code().into(), format!("{}：已完成。", s.zh()));
    }
    r.save_work_report(&insp_a, a, &all).await.unwrap();
    assert_eq!(r.work_report(&head_a, a).await.unwrap().sections.len(), 3, "text for other sections is not kept");
    // The committee adds a section: the draft is saved again before its head signs it.
    let four =
        outline(&["basics", "clearance", "problems", "next_steps"], &[("clearance", "逐件写明存量线索办结情况")]);
    r.save_report_outline(&sup, None, &four).await.unwrap();
    assert_eq!(code_of(r.sign_work_report(&head_a, a).await), "outline_changed");
    r.save_work_report(&insp_a, a, &all).await.unwrap();
    r.sign_work_report(&head_a, a).await.unwrap();
    assert_eq!(r.work_report(&head_a, a).await.unwrap().sections.len(), 4);

    // A campaign made from nothing takes the newest rules and the plan's seven sections, and
    // its rules change on their own.
    let ledger = w.app.ledger();
    let book = ledger.campaigns(&sup).await.unwrap();
    assert_eq!(book.template.copy_of, first.campaign_id.get().to_string());
    let mut fresh = book.template.clone();
    fresh.copy_of = String::new();
    fresh.name = "2020年另一专项".into();
    let other = ledger.create_campaign(&sup, &fresh).await.unwrap();
    assert_eq!(r.score_rules(&sup, Some(other)).await.unwrap().rules.praise_at, 92);
    assert_eq!(r.report_outline(&sup, Some(other)).await.unwrap().outline.items().len(), 7);
    typed.praise_at = "94".into();
    assert_eq!(r.save_score_rules(&sup, Some(other), &typed).await.unwrap(), first.version + 2);
    assert_eq!(r.score_rules(&sup, Some(first.campaign_id)).await.unwrap().rules.praise_at, 92);

    // Next year's copy of this year's: it scores and reports as this one does, not by the
    // newest rules.
    let next = ledger.create_campaign(&sup, &book.template).await.unwrap();
    let copied = r.score_rules(&sup, Some(next)).await.unwrap();
    assert_eq!((copied.version, copied.rules.praise_at), (first.version + 1, 92));
    let copied_outline = r.report_outline(&sup, Some(next)).await.unwrap().outline;
    assert_eq!(OutlineInput::of(&copied_outline).sections, four.sections);
    assert_eq!(copied_outline.guidance(Section::Clearance), Some("逐件写明存量线索办结情况"));

    // A copy of a campaign that does not exist is refused, and nothing is made.
    let mut dangling = fresh.clone();
    dangling.copy_of = "99999".into();
    dangling.name = "2020年第三专项".into();
    assert_eq!(code_of(ledger.create_campaign(&sup, &dangling).await), "unknown");
    assert_eq!(ledger.campaigns(&sup).await.unwrap().items.len(), 3);

    // A closed campaign's outline and rules stay as they were.
    ledger.close_campaign(&sup, first.campaign_id).await.unwrap();
    assert_eq!(code_of(r.save_report_outline(&sup, Some(first.campaign_id), &three).await), "closed");
    assert_eq!(code_of(r.save_score_rules(&sup, Some(first.campaign_id), &typed).await), "closed");

    let auditor = actor(&w, "auditor").await.audit_reader().unwrap();
    for (action, n) in [("report_outline.save", 2), ("score_rules.save", 2)] {
        let q = app::AuditQuery { action: action.into(), ..Default::default() };
        assert_eq!(w.app.protection().audit_entries(&auditor, &q).await.unwrap().total, n, "{action}");
    }
}

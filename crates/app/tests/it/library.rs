//! The libraries end to end: drafts seen within the writer's units, published entries by every
//! unit; typical cases anonymised against the case they come from; education events citing them.

use app::AppError;
use domain::oversight::library::{CaseInput, EducationInput, PracticeInput};
use store::Backend;

use crate::support::*;

testkit::both!(library_entries_are_drafted_published_and_used);

fn code<T: std::fmt::Debug>(r: Result<T, AppError>) -> &'static str {
    match r {
        Err(AppError::Invalid(i)) => i.0[0].code,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

async fn library_entries_are_drafted_published_and_used(b: Backend) {
    let w = world(b).await;
    let sup = actor(&w, "sup").await;
    let insp = actor(&w, "insp_a").await;
    let insp_b = actor(&w, "insp_b").await;
    let keeper = insp.ledger_keeper().unwrap();
    let lead = w.app.ledger().register(&keeper, &input(w.hospital_a, "反映设备科长收受回扣", "褚某某")).await.unwrap();
    let lead = lead.into_visible().unwrap();
    let o = w.app.oversight();
    let case = |lead: &str, text: &str| CaseInput {
        title: "某医院设备采购回扣案".into(),
        category: "gang_corruption".into(),
        lead: lead.into(),
        text: text.into(),
        lessons: "采购权力须分散制衡".into(),
        publish: false,
    };
    assert_eq!(code(o.add_typical_case(&sup, &case(lead.number.as_str(), "某科长收受回扣")).await), "not_concluded");
    close_unfounded(&w, &keeper, lead.id).await;
    assert_eq!(code(o.add_typical_case(&sup, &case(lead.number.as_str(), "褚某某收受回扣")).await), "not_anonymised");
    assert!(matches!(o.add_typical_case(&insp, &case("", "某科长收受回扣")).await, Err(AppError::Forbidden)));
    let id = o.add_typical_case(&sup, &case(lead.number.as_str(), "某科长收受回扣")).await.unwrap();
    // A draft is the committee's; once published every unit reads it, and finds it by its words.
    assert!(o.typical_cases(&insp, "").await.unwrap().items.is_empty());
    o.publish_entry(&sup, true, id).await.unwrap();
    o.publish_entry(&sup, true, id).await.unwrap(); // again: no change
    assert!(matches!(o.publish_entry(&insp, true, id).await, Err(AppError::Forbidden)), "the committee's to publish");
    assert_eq!(o.typical_cases(&insp_b, "回扣").await.unwrap().items.len(), 1);
    assert!(o.typical_cases(&insp_b, "红包").await.unwrap().items.is_empty());

    // A practice: a unit's keeper for their units; a draft seen within them only.
    let practice = |unit: domain::UnitId| PracticeInput {
        unit_id: unit.to_string(),
        title: "采购双人询价".into(),
        practised_on: "2019-11-01".into(),
        text: "询价由两人共同完成并签字".into(),
        publish: false,
    };
    assert_eq!(code(o.add_good_practice(&insp, &practice(w.hospital_b)).await), "out_of_scope");
    let p = o.add_good_practice(&insp, &practice(w.hospital_a)).await.unwrap();
    assert_eq!(o.good_practices(&sup, "").await.unwrap().items.len(), 1, "the committee sees its subtree's drafts");
    assert!(o.good_practices(&insp_b, "").await.unwrap().items.is_empty());
    assert!(matches!(o.publish_entry(&insp_b, false, p).await, Err(AppError::NotFound)));
    o.publish_entry(&insp, false, p).await.unwrap();
    assert_eq!(o.good_practices(&insp_b, "").await.unwrap().items.len(), 1);

    // An education event cites a case its unit may read.
    let event = |case: &str| EducationInput {
        unit_id: w.hospital_a.to_string(),
        held_on: "2019-11-20".into(),
        form: "case_talk".into(),
        attendance: "45".into(),
        case: case.into(),
    };
    assert_eq!(code(o.record_education(&insp, &event("99999")).await), "unknown");
    o.record_education(&insp, &event(&id.to_string())).await.unwrap();
    let book = o.education(&sup).await.unwrap();
    assert_eq!((book.items.len(), book.items[0].case_id, book.items[0].attendance), (1, Some(id), 45));
    assert!(o.education(&insp_b).await.unwrap().items.is_empty());
}

//! Accountability decisions and early warnings end to end: who may record them, over which
//! units, from which sources, and the counts per unit.

use app::AppError;
use domain::oversight::{accountability::AccountabilityInput, early_warning::EarlyWarningInput};
use store::Backend;

use crate::support::*;

testkit::both!(accountability_and_early_warnings_are_kept_per_unit);

fn code<T: std::fmt::Debug>(r: Result<T, AppError>) -> &'static str {
    match r {
        Err(AppError::Invalid(i)) => i.0[0].code,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

async fn accountability_and_early_warnings_are_kept_per_unit(b: Backend) {
    let w = world(b).await;
    let sup = actor(&w, "sup").await;
    let insp = actor(&w, "insp_a").await;
    let insp_b = actor(&w, "insp_b").await;
    let keeper = insp.ledger_keeper().unwrap();
    let lead =
        w.app.ledger().register(&keeper, &input(w.hospital_a, "反映科室推进专项斗争不力", "某某")).await.unwrap();
    let lead = lead.into_visible().unwrap();
    let b_lead = w
        .app
        .ledger()
        .register(&insp_b.ledger_keeper().unwrap(), &input(w.hospital_b, "反映乙医院问题", "某乙"))
        .await
        .unwrap()
        .into_visible()
        .unwrap();
    let o = w.app.oversight();

    // Accountability: the committee's, over a unit it supervises, from a source it can see.
    let decision = AccountabilityInput {
        target: "organisation".into(),
        unit_id: w.hospital_a.to_string(),
        person: String::new(),
        ground: "weak_handling".into(),
        form: "notice".into(),
        decided_on: "2019-11-20".into(),
        doc_no: "卫纪发〔2019〕7号".into(),
        source: "lead".into(),
        source_ref: lead.number.to_string(),
    };
    assert!(matches!(o.record_accountability(&insp, &decision).await, Err(AppError::Forbidden)));
    let unknown = AccountabilityInput { source_ref: "RMYY9-2019-0001".into(), ..decision.clone() };
    assert_eq!(code(o.record_accountability(&sup, &unknown).await), "unknown");
    let review = AccountabilityInput { source: "review".into(), source_ref: "99999".into(), ..decision.clone() };
    assert_eq!(code(o.record_accountability(&sup, &review).await), "unknown");
    let nameless = AccountabilityInput { target: "person".into(), ..decision.clone() };
    assert_eq!(code(o.record_accountability(&sup, &nameless).await), "required");
    let elsewhere = AccountabilityInput { unit_id: w.hospital_b.to_string(), ..decision.clone() };
    assert_eq!(code(o.record_accountability(&sup, &elsewhere).await), "other_unit");
    o.record_accountability(&sup, &decision).await.unwrap();
    let person = AccountabilityInput {
        target: "person".into(),
        person: "孙某某".into(),
        form: "admonition".into(),
        unit_id: w.hospital_b.to_string(),
        source: "bulletin".into(),
        source_ref: "2019年第3期专项斗争通报".into(),
        ..decision.clone()
    };
    o.record_accountability(&sup, &person).await.unwrap();
    let book = o.accountability(&sup, Some(2019)).await.unwrap();
    assert_eq!(book.items.len(), 2);
    let counts: Vec<(String, i64)> = book.per_unit.iter().map(|u| (u.unit_name.clone(), u.count)).collect();
    assert_eq!(counts, [("乙医院".to_owned(), 1), ("甲医院".to_owned(), 1)]);
    assert!(o.accountability(&sup, Some(2018)).await.unwrap().items.is_empty(), "counted per year");
    let seen_by_a = o.accountability(&insp, Some(2019)).await.unwrap();
    assert_eq!((seen_by_a.items.len(), seen_by_a.may_record), (1, false), "甲医院 sees its own");

    // Early warnings: a unit's keepers, for their units; followed up into a lead of theirs.
    let warning = |unit: domain::UnitId| EarlyWarningInput {
        unit_id: unit.to_string(),
        person: "郑某".into(),
        post: "药剂科副主任".into(),
        problem: "多次接受医药代表宴请".into(),
        source: "daily_supervision".into(),
        intervention: "reminder".into(),
        given_on: "2019-11-25".into(),
        given_by: "纪检监察室 李某".into(),
    };
    assert_eq!(code(o.record_early_warning(&insp, &warning(w.hospital_b)).await), "out_of_scope");
    assert!(matches!(
        o.record_early_warning(&actor(&w, "head_a").await, &warning(w.hospital_a)).await,
        Err(AppError::Forbidden)
    ));
    let id = o.record_early_warning(&insp, &warning(w.hospital_a)).await.unwrap();
    let theirs = b_lead.number.to_string();
    assert_eq!(code(o.follow_up_warning(&insp, id, "已发展为问题线索", &theirs).await), "unknown_lead");
    assert_eq!(code(o.follow_up_warning(&insp, id, "", "").await), "required");
    o.follow_up_warning(&insp, id, "已发展为问题线索", lead.number.as_str()).await.unwrap();
    let book = o.early_warnings(&sup).await.unwrap();
    assert_eq!(book.items[0].lead_id, Some(lead.id));
    let timeline = w.app.lifecycle().timeline(keeper.reader(), lead.id).await.unwrap();
    let grew = domain::lifecycle::timeline::EventKind::Activity(domain::lifecycle::timeline::Activity::EarlyWarning);
    assert!(timeline.iter().any(|e| e.kind == grew), "on the lead's timeline");
    assert_eq!((book.per_unit.len(), book.per_unit[0].count), (1, 1));
    assert!(o.early_warnings(&insp_b).await.unwrap().items.is_empty());
    assert!(matches!(o.follow_up_warning(&insp_b, id, "x", "").await, Err(AppError::NotFound)));
}

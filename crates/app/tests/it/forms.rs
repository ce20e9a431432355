//! The printed forms (issue 13): the approval form of a disposition, before and after the
//! committee head decides, the extension form, and the whole record; only for those who
//! may read the lead, never with the reporter's identity.

use app::{AppError, FormOf};
use domain::lifecycle::forms::FormKind;
use store::Backend;

use crate::{lifecycle::step, support::*};

testkit::both!(an_approval_form_prints_the_facts_the_proposal_and_each_signature);

async fn an_approval_form_prints_the_facts_the_proposal_and_each_signature(b: Backend) {
    let w = world(b).await;
    let insp = actor(&w, "insp_a").await;
    let keeper = insp.ledger_keeper().unwrap();
    let lead = w.app.ledger().register(&keeper, &input(w.hospital_a, "反映某科长收受回扣", "孙某")).await.unwrap();
    let lead = lead.into_visible().unwrap();
    w.app.lifecycle().take_step(&keeper, lead.id, &step("assess", "经集体研判")).await.unwrap();
    let mut dispose = step("dispose", "拟予以初步核实");
    dispose.disposition = "preliminary_verification".into();
    w.app.lifecycle().take_step(&keeper, lead.id, &dispose).await.unwrap();
    let timeline = w.app.lifecycle().timeline(keeper.reader(), lead.id).await.unwrap();
    let entry = timeline.iter().find(|e| e.kind.code() == "dispose").unwrap().id;
    let assess = timeline.iter().find(|e| e.kind.code() == "assess").unwrap().id;

    let f = w.app.lifecycle().form(&insp, lead.id, FormOf::Entry(entry), false).await.unwrap();
    assert_eq!((f.kind, f.title.as_str()), (FormKind::Disposition, "问题线索处置呈批表"));
    assert_eq!(f.number, format!("{}-D{entry}", lead.number.as_str()));
    let fact = |k: &str| f.facts.iter().find(|(l, _)| l == k).map(|(_, v)| v.clone()).unwrap_or_default();
    assert_eq!(fact("线索编号"), lead.number.as_str());
    assert!(fact("被反映人").starts_with("孙某（"), "{:?}", f.facts);
    assert_eq!(fact("反映的主要问题"), "反映某科长收受回扣");
    assert!(
        f.opinions[0].text.contains("初步核实") && f.opinions[0].text.contains("拟予以初步核实"),
        "{:?}",
        f.opinions
    );
    assert_eq!(f.opinions[0].name, "insp_a");
    assert_eq!((f.opinions[1].name.as_str(), f.opinions[1].text.as_str()), ("", ""), "left to sign by hand");
    let text = format!("{f:?}");
    assert!(!text.contains("举报人甲") && !text.contains("13800000000"), "never the reporter");

    // Decided: the committee head's opinion is printed with name and date.
    approve_pending(&w).await;
    let f = w.app.lifecycle().form(&insp, lead.id, FormOf::Entry(entry), true).await.unwrap();
    assert_eq!(f.title, "Lead disposition approval form");
    assert_eq!(f.opinions[1].name, "chief");
    assert!(f.opinions[1].text.starts_with("Approved") && f.opinions[1].date == "2019-11-28", "{:?}", f.opinions[1]);

    // An extension's form, and the whole record with every step.
    let x = w.app.lifecycle().request_extension(&keeper, lead.id, "需调取银行流水", "20").await.unwrap();
    let f = w.app.lifecycle().form(&insp, lead.id, FormOf::Extension(x), false).await.unwrap();
    assert_eq!(f.kind, FormKind::Extension);
    assert!(f.facts.iter().any(|(k, v)| k == "申请延期" && v == "延期 20 天"), "{:?}", f.facts);
    assert_eq!(f.opinions[0].text, "需调取银行流水");
    let r = w.app.lifecycle().form(&insp, lead.id, FormOf::Record, false).await.unwrap();
    assert_eq!(r.kind, FormKind::Record);
    assert!(r.steps.len() >= 3, "{:?}", r.steps);
    assert!(r.steps.iter().any(|s| s[1].contains("研判")));

    // No form for a step that needed no approval; none for a lead out of sight.
    assert!(matches!(
        w.app.lifecycle().form(&insp, lead.id, FormOf::Entry(assess), false).await,
        Err(AppError::NotFound)
    ));
    let other = actor(&w, "insp_b").await;
    assert!(matches!(w.app.lifecycle().form(&other, lead.id, FormOf::Record, false).await, Err(AppError::NotFound)));
}

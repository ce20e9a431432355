//! Rectification after a case end to end: the numbered letter, the unit's analysis and measures,
//! the head's signed reply, return and acceptance, overdue measures, the re-check, institutions.

use app::AppError;
use domain::{
    lifecycle::timeline::{Activity, EventKind},
    oversight::rectification::{AnalysisInput, InstitutionInput, LetterInput, MeasureInput, RectificationState},
};
use store::Backend;

use crate::support::*;

testkit::both!(a_rectification_goes_from_the_letter_to_the_recheck);

fn code<T: std::fmt::Debug>(r: Result<T, AppError>) -> &'static str {
    match r {
        Err(AppError::Invalid(i)) => i.0[0].code,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

async fn a_rectification_goes_from_the_letter_to_the_recheck(b: Backend) {
    let w = world(b).await;
    let sup = actor(&w, "sup").await;
    let insp = actor(&w, "insp_a").await;
    let keeper = insp.ledger_keeper().unwrap();
    let head = actor(&w, "head_a").await;
    let register = |summary: &'static str| {
        let keeper = keeper.clone();
        let w = &w;
        async move {
            w.app
                .ledger()
                .register(&keeper, &input(w.hospital_a, summary, "吴某"))
                .await
                .unwrap()
                .into_visible()
                .unwrap()
        }
    };
    let case = register("反映药剂科采购中收受回扣").await;
    let open = register("反映后勤科虚报冒领").await;
    close_unfounded(&w, &keeper, case.id).await;
    let o = w.app.oversight();

    // The letter: only on a concluded case of the committee's, once per case, numbered.
    let letter = |lead: &str| LetterInput {
        lead: lead.into(),
        kind: "discipline".into(),
        content: "一、建立药品耗材采购回避制度；\n二、开展警示教育。".into(),
        reply_due: String::new(),
    };
    assert!(matches!(o.issue_letter(&insp, &letter(case.number.as_str())).await, Err(AppError::Forbidden)));
    assert_eq!(code(o.issue_letter(&sup, &letter("RMYY9-2019-9999")).await), "unknown_lead");
    assert_eq!(code(o.issue_letter(&sup, &letter(open.number.as_str())).await), "not_concluded");
    let id = o.issue_letter(&sup, &letter(case.number.as_str())).await.unwrap();
    assert_eq!(code(o.issue_letter(&sup, &letter(case.number.as_str())).await), "one_per_case");
    let d = o.rectification(&insp, id).await.unwrap();
    assert_eq!(d.rectification.number, "纪建〔2019〕1号");
    assert_eq!(domain::dates::format_date(d.rectification.reply_due), "2019-12-28", "one month by default");
    assert!(d.may_write && !d.may_reply && !d.may_decide);
    assert!(matches!(o.rectification(&actor(&w, "insp_b").await, id).await, Err(AppError::NotFound)));

    // The reply waits for the analysis and a measure; a measure is not due before it was set.
    assert_eq!(code(o.reply_rectification(&head, id, "已按要求整改").await), "no_analysis");
    let analysis = AnalysisInput {
        causes: "采购权力集中于个人".into(),
        risk_points: "供应商遴选、验收".into(),
        loopholes: "缺少回避和轮岗制度".into(),
    };
    o.record_analysis(&insp, id, &analysis).await.unwrap();
    let measure = |due: &str| MeasureInput {
        content: "制定采购回避制度".into(),
        owner: "药剂科 王某".into(),
        due_on: due.into(),
        ..Default::default()
    };
    assert_eq!(code(o.add_measure(&insp, id, &measure("2019-11-27")).await), "before_set");
    let m = o.add_measure(&insp, id, &measure("2019-12-20")).await.unwrap();
    // Files: the unit's while it writes, the committee's until the re-check; another unit's never.
    let attach = |who: app::Actor, name: &'static str| {
        let w = &w;
        async move {
            let bytes = b"%PDF-1.7\n% evidence\n";
            let r = w.app.reporters();
            let mut up = r.attach_begin(&who, app::AttachPlace::Rectification(id), name, bytes).await?;
            r.attach_more(&mut up, bytes).await?;
            r.attach_finish(&who, up).await
        }
    };
    attach(insp.clone(), "回避制度.pdf").await.unwrap();
    assert!(matches!(attach(actor(&w, "insp_b").await, "x.pdf").await, Err(AppError::NotFound)));
    assert!(matches!(o.reply_rectification(&insp, id, "x").await, Err(AppError::Forbidden)), "the unit head signs");
    o.reply_rectification(&head, id, "已制定制度并组织学习").await.unwrap();
    let d = o.rectification(&sup, id).await.unwrap();
    assert_eq!(d.rectification.state, RectificationState::Replied);
    assert_eq!(d.rectification.reply_signature.as_ref().map(String::len), Some(64));
    assert!(d.may_decide && !d.may_write);
    assert_eq!(code(o.add_measure(&insp, id, &measure("2019-12-21")).await), "moved_on");
    assert_eq!(code(attach(insp.clone(), "late.pdf").await), "closed", "the unit replied");
    attach(sup.clone(), "验收记录.pdf").await.unwrap();

    // Returned with reasons, replied again, accepted; no reply after acceptance.
    assert_eq!(code(o.decide_rectification(&sup, id, false, "").await), "required");
    o.decide_rectification(&sup, id, false, "措施不具体，请补充轮岗安排").await.unwrap();
    o.reply_rectification(&head, id, "已补充轮岗安排").await.unwrap();
    o.decide_rectification(&sup, id, true, "").await.unwrap();
    assert_eq!(code(o.reply_rectification(&head, id, "再次回复").await), "closed");

    // Past its date and not done, a measure is overdue; done needs its evidence.
    w.clock.set(NOW + time::Duration::days(23));
    let d = o.rectification(&insp, id).await.unwrap();
    assert_eq!((d.rectification.overdue_measures, d.measures[0].overdue), (1, true));
    // It warns like a lead deadline: the unit's inspector and head and the letter's issuer,
    // once; insp_b hears nothing.
    assert_eq!(o.scan_rectifications().await.unwrap(), 3);
    assert_eq!(o.scan_rectifications().await.unwrap(), 0, "announced once");
    for who in [&insp, &head, &sup] {
        let inbox = w.app.lifecycle().inbox(who, false).await.unwrap();
        assert!(
            inbox.iter().any(|n| n.message.contains("整改措施逾期") && n.message.contains("纪建〔2019〕1号")),
            "{inbox:?}"
        );
    }
    assert!(w.app.lifecycle().inbox(&actor(&w, "insp_b").await, false).await.unwrap().is_empty());
    // Signed and accepted: what was promised stays; only progress and evidence move.
    let later = MeasureInput { due_on: "2020-01-31".into(), ..measure("2019-12-20") };
    assert_eq!(code(o.update_measure(&insp, m, &later).await), "signed");
    let done = MeasureInput { status: "done".into(), ..measure("2019-12-20") };
    assert_eq!(code(o.update_measure(&insp, m, &done).await), "required_when_done");
    let shown = MeasureInput { evidence: "院发〔2019〕30号".into(), ..done };
    o.update_measure(&insp, m, &shown).await.unwrap();
    assert_eq!(o.rectification(&insp, id).await.unwrap().rectification.overdue_measures, 0);

    // The re-check closes it; each stage is on the lead's timeline.
    o.recheck_rectification(&sup, id, true, "回头看：制度执行到位，未发现新问题").await.unwrap();
    let d = o.rectification(&insp, id).await.unwrap();
    assert_eq!((d.rectification.state, d.rectification.recheck_held), (RectificationState::Rechecked, Some(true)));
    assert!(!d.may_update_measures && !d.may_attach);
    let names: Vec<&str> = d.files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["回避制度.pdf", "验收记录.pdf"]);
    assert_eq!(code(attach(sup.clone(), "after.pdf").await), "closed", "re-checked");
    let timeline = w.app.lifecycle().timeline(keeper.reader(), case.id).await.unwrap();
    let stages = timeline.iter().filter(|e| e.kind == EventKind::Activity(Activity::Rectification)).count();
    assert_eq!(stages, 6, "issued, replied, returned, replied, accepted, re-checked");

    // Institutions: the unit's own, linked to its rectification; listed within scope only.
    let inst = |unit: domain::UnitId, rect: String| InstitutionInput {
        unit_id: unit.to_string(),
        name: "药品耗材采购回避制度".into(),
        doc_no: "院发〔2019〕30号".into(),
        issued_on: "2019-12-15".into(),
        rectification: rect,
    };
    assert_eq!(code(o.add_institution(&insp, &inst(w.hospital_b, String::new())).await), "out_of_scope");
    assert_eq!(code(o.add_institution(&insp, &inst(w.hospital_a, "999999".into())).await), "unknown");
    o.add_institution(&insp, &inst(w.hospital_a, id.to_string())).await.unwrap();
    let listed = o.institutions(&sup).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].rectification_number.as_deref(), Some("纪建〔2019〕1号"));
    assert!(o.institutions(&actor(&w, "insp_b").await).await.unwrap().is_empty());
}

//! Work reports (issue 17, point 4): a hospital writes its report, its head signs it, an edit
//! voids the signature, signed again and submitted; the committee sees who submitted and who is
//! late, and verifies the printed code — a voided code finds nothing, a tampered report shows.

use app::AppError;
use domain::reporting::work_report::{ReportInput, ReportState, Section};
use store::Backend;

use crate::support::*;

testkit::both!(a_report_is_written_signed_voided_signed_submitted_and_verified);

fn written(extra: &str) -> ReportInput {
    let mut i = ReportInput::default();
    for s in Section::ALL {
        i.sections.insert(s.code().into(), format!("{}：本院已按要求推进。{extra}", s.zh()));
    }
    i
}

fn code_of(r: Result<impl std::fmt::Debug, AppError>) -> &'static str {
    match r {
        Err(AppError::Invalid(i)) => i.0[0].code,
        other => panic!("not refused as input: {other:?}"),
    }
}

async fn a_report_is_written_signed_voided_signed_submitted_and_verified(b: Backend) {
    let w = world(b).await;
    let (insp_a, insp_b, head_a, sup) =
        (actor(&w, "insp_a").await, actor(&w, "insp_b").await, actor(&w, "head_a").await, actor(&w, "sup").await);
    let r = w.app.reporting();
    let a = w.hospital_a;
    // Half-written: its head cannot sign it.
    let mut half = written("");
    half.sections.insert("problems".into(), String::new());
    r.save_work_report(&insp_a, a, &half).await.unwrap();
    assert_eq!(code_of(r.sign_work_report(&head_a, a).await), "incomplete");
    assert!(matches!(r.save_work_report(&insp_b, a, &half).await, Err(AppError::Forbidden)));
    assert!(matches!(r.work_report(&insp_b, a).await, Err(AppError::NotFound)));
    assert!(matches!(r.sign_work_report(&insp_a, a).await, Err(AppError::Forbidden)), "only the head signs");
    r.save_work_report(&insp_a, a, &written("")).await.unwrap();
    let first = r.sign_work_report(&head_a, a).await.unwrap();
    let v = r.work_report(&insp_a, a).await.unwrap();
    assert_eq!(v.state, Some(ReportState::Signed));
    let sig = v.signature.clone().unwrap();
    assert_eq!((sig.code.as_str(), sig.intact, sig.hash.len()), (first.as_str(), true, 64));
    assert!(v.figures.iter().any(|f| f.label == "清零率"), "{:?}", v.figures);
    assert!(v.may_submit && !v.may_sign);

    // An edit after signing voids the signature, and says so.
    r.save_work_report(&insp_a, a, &written("补充。")).await.unwrap();
    let v = r.work_report(&head_a, a).await.unwrap();
    assert_eq!((v.state, v.signature.is_none(), v.voided_at.is_some()), (Some(ReportState::Draft), true, true));
    assert!(v.may_sign);
    assert_eq!(code_of(r.submit_work_report(&insp_a, a).await), "not_signed");
    let second = r.sign_work_report(&head_a, a).await.unwrap();
    assert_ne!(second, first);
    r.submit_work_report(&insp_a, a).await.unwrap();
    assert_eq!(code_of(r.save_work_report(&insp_a, a, &written("")).await), "submitted");

    // The committee: who submitted, who has not; nobody late before the report date (12-10).
    let book = r.work_reports(&sup, None).await.unwrap();
    let lines: Vec<(&str, Option<ReportState>, bool)> =
        book.lines.iter().map(|l| (l.unit_name.as_str(), l.state, l.late)).collect();
    assert_eq!(lines, [("甲医院", Some(ReportState::Submitted), false), ("乙医院", None, false)]);
    assert_eq!(r.work_reports(&insp_b, None).await.unwrap().lines.len(), 1, "a unit sees its own");

    // The printed code, typed as a person would; the voided one finds nothing.
    let typed = second.to_lowercase().replace('-', " ");
    let found = r.verify_work_report(&sup, &typed).await.unwrap();
    let report = found.report.unwrap();
    assert_eq!((report.unit_name.as_str(), report.signature.unwrap().intact), ("甲医院", true));
    assert!(r.verify_work_report(&sup, &first).await.unwrap().report.is_none(), "a voided signature's code");
    assert_eq!(code_of(r.verify_work_report(&sup, "12345").await), "invalid_code");
    assert!(matches!(r.verify_work_report(&insp_a, &second).await, Err(AppError::Forbidden)));

    // A change behind the application's back no longer matches the paper.
    let mut tx = w.app.db().begin_write().await.unwrap();
    sqlx::query("UPDATE work_reports SET figures = REPLACE(figures, '清零率', '清零') WHERE unit_id = $1")
        .bind(a.get())
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let tampered = r.verify_work_report(&sup, &second).await.unwrap().report.unwrap();
    assert!(!tampered.signature.unwrap().intact);

    // After the report date, a unit that has not submitted is late.
    w.clock.set(NOW + time::Duration::days(13));
    let book = r.work_reports(&sup, None).await.unwrap();
    assert_eq!(book.lines.iter().map(|l| l.late).collect::<Vec<_>>(), [false, true]);
}

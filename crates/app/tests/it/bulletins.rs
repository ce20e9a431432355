//! Bulletins (issue 17, point 3): a month's bulletin drafted from hand-counted leads, scored by
//! the rules' first version, its lists changed with reasons, signed by the committee head over
//! the exact document (a change behind its back shows), issued to the units, who each see
//! their own line; summons only of units on the summons list; rules saved as a new version.

use app::AppError;
use domain::{
    UnitId,
    reporting::{
        bulletin::{BulletinInput, BulletinState, ListChangeInput, SummonsInput},
        period::PeriodInput,
        score::{Criterion, ListKind, ReportTimeliness},
    },
};
use store::Backend;

use crate::support::*;

testkit::both!(a_bulletin_is_drafted_signed_issued_and_read_by_each_unit);

fn bulletin(doc_no: &str) -> BulletinInput {
    BulletinInput {
        title: "关于2019年11月问题线索办理情况的通报".into(),
        doc_no: doc_no.into(),
        addressees: "各委属单位纪检组织".into(),
        remarks: "各单位要对照问题逐项整改。".into(),
    }
}

fn invalid_code(r: Result<impl std::fmt::Debug, AppError>) -> &'static str {
    match r {
        Err(AppError::Invalid(i)) => i.0[0].code,
        other => panic!("not refused as input: {other:?}"),
    }
}

async fn a_bulletin_is_drafted_signed_issued_and_read_by_each_unit(b: Backend) {
    let w = world(b).await;
    let (insp_a, insp_b, sup, chief) =
        (actor(&w, "insp_a").await, actor(&w, "insp_b").await, actor(&w, "sup").await, actor(&w, "chief").await);
    let lead = ("通报测试线索", "孙某");
    // 甲医院: three stock leads, two closed today (2019-11-28), one 8 days overdue; 乙医院: a
    // stock lead open and in time.
    let a1 = register_dated(&w, &insp_a, w.hospital_a, lead, ("2019-05-06", "")).await;
    let a2 = register_dated(&w, &insp_a, w.hospital_a, lead, ("2019-05-06", "")).await;
    register_dated(&w, &insp_a, w.hospital_a, lead, ("2019-05-06", "2019-11-20")).await;
    register_dated(&w, &insp_b, w.hospital_b, lead, ("2019-05-06", "2019-12-20")).await;
    let keeper = insp_a.ledger_keeper().unwrap();
    close_as(&w, &keeper, a1, "confirmed").await;
    close_as(&w, &keeper, a2, "unfounded").await;

    let r = w.app.reporting();
    let month = PeriodInput { period: "2019-11".into(), ..Default::default() };
    assert!(matches!(
        r.draft_bulletin(&insp_a, None, None, &month, &bulletin("纪通〔2019〕1号")).await,
        Err(AppError::Forbidden)
    ));
    let bad = PeriodInput { period: "2019-13".into(), ..Default::default() };
    match r.draft_bulletin(&sup, None, None, &bad, &BulletinInput::default()).await {
        Err(AppError::Invalid(i)) => {
            let fields: Vec<&str> = i.0.iter().map(|e| e.field.as_str()).collect();
            assert!(fields.contains(&"period") && fields.contains(&"doc_no"), "every field at once: {fields:?}");
        }
        other => panic!("{other:?}"),
    }
    let id = r.draft_bulletin(&sup, None, None, &month, &bulletin("纪通〔2019〕1号")).await.unwrap();
    assert_eq!(invalid_code(r.draft_bulletin(&sup, None, None, &month, &bulletin("纪通〔2019〕1号")).await), "taken");

    let v = r.bulletin(&sup, id).await.unwrap();
    assert_eq!((v.summary.state, v.rules_version, v.may_edit, v.may_sign), (BulletinState::Draft, 1, true, false));
    let names: Vec<(&str, u32, &str, Option<ListKind>)> =
        v.lines.iter().map(|l| (l.unit_name.as_str(), l.rank, l.score.as_str(), l.proposed)).collect();
    // 乙医院 cleared none of its stock and closed nothing: 45 points off, below the summons line.
    assert_eq!(
        names,
        [("甲医院", 1, "79.7", Some(ListKind::Criticism)), ("乙医院", 2, "55.0", Some(ListKind::Summons))]
    );
    // 甲医院 by hand: clearance 2 of 3 → 20.0 of 30; closed 2 of 3 received → 10.0 of 15; one
    // of 3 ever overdue → 6.7 of 10; one overdue now → 8 of 10; the report is not due until
    // 12-10 → 5 of 5.
    let a = &v.lines[0];
    let part = |c: Criterion| a.parts.iter().find(|p| p.criterion == c).unwrap().tenths;
    assert_eq!(
        [Criterion::Clearance, Criterion::Closure, Criterion::Timeliness, Criterion::Overdue, Criterion::WorkReport]
            .map(part),
        [200, 100, 67, 80, 50]
    );
    assert_eq!(a.report, ReportTimeliness::NotDue);
    let sum: u32 = a.parts.iter().map(|p| p.tenths).sum();
    assert_eq!(a.score, format!("{}.{}", sum / 10, sum % 10));
    assert_eq!(a.clearance, "66.7%");
    assert!(v.paragraphs[1].contains("存量线索4件，已清零2件，清零率50.0%"), "{}", v.paragraphs[1]);

    // The committee's changes need a reason; nobody else makes them; a unit does not see a draft.
    let to = |list: &str, reason: &str| ListChangeInput { list: list.into(), reason: reason.into() };
    assert_eq!(invalid_code(r.change_list(&sup, id, w.hospital_a, &to("", "短")).await), "too_short");
    assert!(matches!(r.change_list(&insp_a, id, w.hospital_a, &to("", "理由充分")).await, Err(AppError::Forbidden)));
    r.change_list(&sup, id, w.hospital_a, &to("", "两件已清零，差距在0.3分内")).await.unwrap();
    let changed = &r.bulletin(&sup, id).await.unwrap().lines[0];
    assert_eq!((changed.proposed, changed.list), (Some(ListKind::Criticism), None));
    assert_eq!(changed.reason.as_deref(), Some("两件已清零，差距在0.3分内"));
    assert!(matches!(r.bulletin(&insp_a, id).await, Err(AppError::NotFound)));
    assert_eq!(invalid_code(r.issue_bulletin(&sup, id).await), "not_signed");
    assert!(matches!(r.sign_bulletin(&sup, id).await, Err(AppError::Forbidden)), "only the head signs");

    let hash = r.sign_bulletin(&chief, id).await.unwrap();
    let v = r.bulletin(&chief, id).await.unwrap();
    let sig = v.signature.clone().unwrap();
    assert_eq!((sig.hash.as_str(), sig.intact, sig.signer.as_str()), (hash.as_str(), true, "chief"));
    assert!(v.paragraphs.iter().any(|p| p.contains("乙医院等1个单位问题较多")), "{:?}", v.paragraphs);
    assert_eq!(invalid_code(r.change_list(&sup, id, w.hospital_a, &to("praise", "补充表扬名单")).await), "signed");
    assert_eq!(invalid_code(r.sign_bulletin(&chief, id).await), "signed");

    r.issue_bulletin(&sup, id).await.unwrap();
    for (who, own) in [(&insp_a, "甲医院"), (&insp_b, "乙医院")] {
        let v = r.bulletin(who, id).await.unwrap();
        let mine: Vec<&str> = v.lines.iter().filter(|l| l.own).map(|l| l.unit_name.as_str()).collect();
        assert_eq!(mine, [own]);
        assert!(!v.may_edit && !v.may_summon);
        assert_eq!(r.bulletins(who).await.unwrap().items.len(), 1);
    }

    // Summons: of the unit on the list only.
    let summons = |unit: UnitId| SummonsInput {
        unit_id: unit.to_string(),
        held_on: "2019-11-28".into(),
        summoned_by: "纪委书记".into(),
        summoned: "乙医院院长".into(),
        notes: "指出存量线索久拖未办，要求限期清零".into(),
        follow_up: String::new(),
    };
    assert_eq!(invalid_code(r.record_summons(&sup, id, &summons(w.hospital_a)).await), "not_summoned");
    r.record_summons(&sup, id, &summons(w.hospital_b)).await.unwrap();
    let v = r.bulletin(&sup, id).await.unwrap();
    assert_eq!(v.summons.iter().map(|s| s.unit_name.as_str()).collect::<Vec<_>>(), ["乙医院"]);
    assert_eq!(v.lines[1].list, Some(ListKind::Summons));

    // A change behind the application's back no longer matches the signature.
    let mut tx = w.app.db().begin_write().await.unwrap();
    sqlx::query("UPDATE bulletin_lines SET list = NULL WHERE bulletin_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert!(!r.bulletin(&sup, id).await.unwrap().signature.unwrap().intact);

    // New rules are the next version; the bulletin keeps the one it used.
    let view = r.score_rules(&sup, None).await.unwrap();
    let mut typed = app::RulesInput::of(&view.rules);
    typed.note = "加大清零率权重".into();
    typed.points.insert("clearance".into(), "35".into());
    assert_eq!(invalid_code(r.save_score_rules(&sup, None, &typed).await), "not_100");
    typed.points.insert("closure".into(), "10".into());
    assert_eq!(r.save_score_rules(&sup, None, &typed).await.unwrap(), 2);
    assert!(matches!(r.save_score_rules(&insp_a, None, &typed).await, Err(AppError::Forbidden)));
    assert_eq!(r.bulletin(&sup, id).await.unwrap().rules_version, 1);
    let next = r.draft_bulletin(&sup, None, None, &month, &bulletin("纪通〔2019〕2号")).await.unwrap();
    assert_eq!(r.bulletin(&sup, next).await.unwrap().rules_version, 2);
}

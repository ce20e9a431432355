//! Clearing names and false accusation end to end: proposed by the unit that verified, approved
//! by the committee head, carried out by that unit with the written clearing (the lead's
//! follow-through recorded with it); the false-accusation flag linked to the accuser's lead.

use app::AppError;
use domain::{
    lifecycle::{
        follow_up::FollowUp,
        timeline::{Activity, EventKind},
    },
    oversight::clearing::{CarryOutInput, ClearingInput, ClearingState},
};
use store::Backend;

use crate::support::*;

testkit::both!(a_clearing_is_approved_and_carried_out_by_the_unit_that_verified);

fn code<T: std::fmt::Debug>(r: Result<T, AppError>) -> &'static str {
    match r {
        Err(AppError::Invalid(i)) => i.0[0].code,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

async fn a_clearing_is_approved_and_carried_out_by_the_unit_that_verified(b: Backend) {
    let w = world(b).await;
    let sup = actor(&w, "sup").await;
    let chief = actor(&w, "chief").await;
    let insp = actor(&w, "insp_a").await;
    let keeper = insp.ledger_keeper().unwrap();
    let register = |summary: &'static str, subject: &'static str| {
        let keeper = keeper.clone();
        let w = &w;
        async move {
            w.app
                .ledger()
                .register(&keeper, &input(w.hospital_a, summary, subject))
                .await
                .unwrap()
                .into_visible()
                .unwrap()
        }
    };
    let lead = register("反映设备科科长收受回扣", "褚某某").await;
    let open = register("反映食堂违规转包", "钱某").await;
    let accuser = register("反映某人捏造事实诬告他人", "卫某").await;
    close_unfounded(&w, &keeper, lead.id).await;
    let o = w.app.oversight();
    let proposal = |number: &str, person: &str| ClearingInput {
        lead: number.into(),
        origin: "unit".into(),
        person: person.into(),
        applied_on: String::new(),
        reason: "经初核，反映问题失实，需为其澄清正名".into(),
    };

    // Only after 查否, only a person the lead names, one at a time.
    assert_eq!(code(o.propose_clearing(&insp, &proposal(open.number.as_str(), "钱某")).await), "not_unfounded");
    assert_eq!(code(o.propose_clearing(&insp, &proposal(lead.number.as_str(), "卫某")).await), "not_named");
    let id = o.propose_clearing(&insp, &proposal(lead.number.as_str(), "褚某某")).await.unwrap();
    assert_eq!(code(o.propose_clearing(&insp, &proposal(lead.number.as_str(), "褚某某")).await), "open_clearing");

    // Carried out only once approved, by the committee head; refused ones need reasons.
    let carry = CarryOutInput {
        mode: "meeting".into(),
        held_on: "2019-11-28".into(),
        scope_note: "设备科全体职工会议".into(),
        letter: "经核查，反映褚某某收受回扣问题失实，予以澄清。".into(),
    };
    assert_eq!(code(o.carry_out_clearing(&insp, id, &carry).await), "not_approved");
    assert!(matches!(o.decide_clearing(&insp, id, true, "").await, Err(AppError::Forbidden)));
    assert_eq!(code(o.decide_clearing(&chief, id, false, "").await), "required");
    o.decide_clearing(&chief, id, true, "同意澄清").await.unwrap();
    assert!(o.clearing(&insp, id).await.unwrap().may_carry_out);

    // By the unit that verified — not the committee — and always with the written clearing.
    assert!(!o.clearing(&sup, id).await.unwrap().may_carry_out);
    assert_eq!(code(o.carry_out_clearing(&sup, id, &carry).await), "not_verifying_unit");
    let bare = CarryOutInput { letter: String::new(), ..carry.clone() };
    assert_eq!(code(o.carry_out_clearing(&insp, id, &bare).await), "letter_required");
    o.carry_out_clearing(&insp, id, &carry).await.unwrap();
    let d = o.clearing(&insp, id).await.unwrap();
    assert_eq!(d.clearing.state, ClearingState::Done);
    assert_eq!(code(o.carry_out_clearing(&insp, id, &carry).await), "not_approved");
    let timeline = w.app.lifecycle().timeline(keeper.reader(), lead.id).await.unwrap();
    assert!(
        timeline.iter().any(|e| e.kind == EventKind::FollowUp(FollowUp::Clearing)),
        "the follow-through is recorded"
    );
    let stages = timeline.iter().filter(|e| e.kind == EventKind::Activity(Activity::Clearing)).count();
    assert_eq!(stages, 2, "proposed and approved, on the lead's timeline");

    // The committee flags the false accusation, linked to the accuser's lead.
    assert!(matches!(
        o.flag_false_accusation(&insp, id, accuser.number.as_str(), "诬告").await,
        Err(AppError::Forbidden)
    ));
    assert_eq!(code(o.flag_false_accusation(&sup, id, lead.number.as_str(), "诬告").await), "unknown_lead");
    o.flag_false_accusation(&sup, id, accuser.number.as_str(), "经查系捏造事实诬告").await.unwrap();
    let flag = o.clearing(&sup, id).await.unwrap().false_accusation.unwrap();
    assert!(o.clearing(&insp, id).await.unwrap().false_accusation.is_none(), "the accuser's lead tells who reported");
    assert_eq!(flag.accuser_lead_id, accuser.id);
    let timeline = w.app.lifecycle().timeline(keeper.reader(), lead.id).await.unwrap();
    assert!(
        timeline.iter().any(|e| e.kind == EventKind::Activity(Activity::FalseAccusation)),
        "flagged on the timeline"
    );
    assert!(matches!(o.clearing(&actor(&w, "insp_b").await, id).await, Err(AppError::NotFound)));
}

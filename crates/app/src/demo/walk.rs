//! The demo's leads reach their status along the lifecycle (issue 11, point 7): each step of a
//! lead's path is checked against the transition table (`domain::lifecycle::step::target`) and
//! written to its timeline as the use cases write it — steps that need approval decided by the
//! committee head the next day — dated between the lead's receipt and today. A conclusion
//! carries its finding and each subject's outcome; a struck-off lead has the follow-through
//! strike-off asks for first.

use domain::{
    UserId,
    ledger::lead::LeadStatus,
    lifecycle::{
        conclusion::{Conclusion, Finding, Nature, SubjectOutcome},
        follow_up::FollowUp,
        step::{Disposition, Step, needs_approval, target},
        timeline::{EventKind, EventState, Payload},
    },
};
use store::{LeadHandle, Tx, lifecycle::timeline};
use time::{Date, Duration};

use crate::AppError;

/// The steps that bring a registered lead to `status`.
fn path(status: LeadStatus) -> Vec<(Step, Option<Disposition>)> {
    use {Disposition as D, LeadStatus as S, Step as T};
    let verify = [(T::Assess, None), (T::Dispose, Some(D::PreliminaryVerification))];
    match status {
        S::Registered | S::EscalatedAway => Vec::new(),
        S::Assessed => vec![(T::Assess, None)],
        S::TalkInquiry => vec![(T::Assess, None), (T::Dispose, Some(D::TalkInquiry))],
        S::PreliminaryVerification => verify.to_vec(),
        S::Shelved => vec![(T::Assess, None), (T::Dispose, Some(D::Shelve))],
        S::Settled => vec![(T::Assess, None), (T::Dispose, Some(D::Settle))],
        S::CaseFiled => [&verify[..], &[(T::FileCase, None)]].concat(),
        S::Concluded => [&verify[..], &[(T::Conclude, None)]].concat(),
        S::StruckOff => [&verify[..], &[(T::Conclude, None), (T::StrikeOff, None)]].concat(),
        S::Transferred => vec![(T::Assess, None), (T::Transfer, None)],
        S::Merged => vec![(T::Merge, None)],
    }
}

/// What the walk needs to know of the lead.
pub(super) struct Walked<'a> {
    pub lead: &'a LeadHandle,
    pub status: LeadStatus,
    pub subjects: usize,
    pub signed_reporter: bool,
    pub received_on: Date,
    /// The exit's payload (移交's receiving body, 合并's original).
    pub exit: Option<Payload>,
    /// Picks the finding of a conclusion.
    pub unfounded: bool,
}

fn micros(d: Date) -> i64 {
    // 10:00 Beijing (02:00 UTC).
    (d.midnight().assume_utc().unix_timestamp() + 2 * 3600) * 1_000_000
}

pub(super) async fn walk(
    tx: &mut Tx,
    w: &Walked<'_>,
    (keeper, approver): (UserId, UserId),
    today: Date,
) -> Result<(), AppError> {
    let steps = path(w.status);
    let span = (today - w.received_on).whole_days().max(1);
    let mut from = LeadStatus::Registered;
    for (i, (step, disposition)) in steps.iter().copied().enumerate() {
        let to = target(from, step, disposition)
            .map_err(|e| AppError::internal(format!("the demo's path is not the lifecycle's: {}", e.message_en)))?;
        let on = w.received_on + Duration::days(span * (i as i64 + 1) / (steps.len() as i64 + 1));
        let conclusion = (step == Step::Conclude).then(|| Conclusion {
            finding: if w.unfounded { Finding::Unfounded } else { Finding::Confirmed },
            outcomes: (0..w.subjects)
                .map(|ordinal| SubjectOutcome {
                    ordinal,
                    nature: if w.unfounded { Nature::NoViolation } else { Nature::Disciplinary },
                    form: (!w.unfounded).then_some(1),
                    sanction: None,
                })
                .collect(),
        });
        if step == Step::StrikeOff {
            let mut done = Vec::new();
            if w.signed_reporter {
                done.push(FollowUp::ResultFeedback);
            }
            if w.unfounded {
                done.push(FollowUp::ClearingNotNeeded);
            }
            for f in done {
                let e = timeline::NewEvent::done(EventKind::FollowUp(f), keeper, micros(on)).note("演示数据");
                timeline::insert(tx, w.lead, &e).await?;
            }
        }
        let payload = match step {
            Step::Conclude => conclusion.clone().map(Payload::Conclusion),
            Step::Transfer | Step::Merge => w.exit.clone(),
            _ => None,
        };
        let pending = needs_approval(step, from);
        let id = timeline::insert(
            tx,
            w.lead,
            &timeline::NewEvent {
                kind: EventKind::Step(step),
                disposition,
                from_status: Some(from),
                to_status: Some(to),
                state: if pending { EventState::Pending } else { EventState::Done },
                actor: keeper,
                at: micros(on),
                note: Some("演示数据"),
                payload: payload.as_ref(),
            },
        )
        .await?;
        if pending {
            timeline::decide(tx, w.lead, id, true, approver, micros(on) + 86_400_000_000, Some("同意")).await?;
        }
        if let Some(c) = &conclusion {
            timeline::set_outcomes(tx, w.lead, &c.outcomes).await?;
            timeline::set_finding(tx, w.lead, c.finding).await?;
        }
        from = to;
    }
    if from != w.status && !steps.is_empty() {
        return Err(AppError::internal(format!("the demo's path ends at {from}, not {}", w.status)));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_a_demo_lead_takes_is_reached_by_the_lifecycle() {
        for status in LeadStatus::ALL.iter().filter(|s| **s != LeadStatus::EscalatedAway) {
            let mut at = LeadStatus::Registered;
            for (step, d) in path(*status) {
                at = target(at, step, d).unwrap_or_else(|e| panic!("{status}: {}", e.message_en));
            }
            assert_eq!(at, *status);
        }
    }
}

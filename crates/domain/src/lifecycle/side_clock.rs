//! Clocks that run beside a lead's stage clock (design brief §4, issue 11): registering or
//! re-routing a transferred report, telling a signed reporter of acceptance, the satisfaction
//! follow-up after the result is told, and reporting back (报结) to the body that assigned or
//! supervises a lead. Each starts on its own event and stops when its work is recorded.

use crate::{
    ledger::lead::{LeadStatus, Source},
    lifecycle::{deadline::RuleCode, follow_up::FollowUp},
};

/// What happened to the lead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    Registered {
        source: Source,
        signed_reporter: bool,
    },
    /// Its status changed (a step applied).
    Entered(LeadStatus),
    Recorded(FollowUp),
}

/// The side clocks a trigger starts (counted from the day it happens; from receipt for a
/// registration) and stops.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Change {
    pub start: Vec<RuleCode>,
    pub stop: Vec<RuleCode>,
}

/// Sources that come from another body, which the rules time: the receiving body registers
/// and accepts or re-routes them within 5 working days (检举控告规则 art. 16).
pub const fn transferred_in(source: Source) -> bool {
    matches!(
        source,
        Source::AssignedByHigher
            | Source::SupervisedByHigher
            | Source::InspectionTransfer
            | Source::AuditTransfer
            | Source::JudicialTransfer
    )
}

/// Leads a higher body assigned or supervises report their result back to it (报结).
pub const fn reports_back(source: Source) -> bool {
    matches!(source, Source::AssignedByHigher | Source::SupervisedByHigher)
}

pub fn on(trigger: Trigger, source: Source) -> Change {
    use RuleCode as R;
    let mut c = Change::default();
    match trigger {
        Trigger::Registered { source, signed_reporter } => {
            if transferred_in(source) {
                c.start.push(R::TransferredIntake);
            }
            if signed_reporter {
                c.start.push(R::AcceptanceNotice);
            }
        }
        Trigger::Entered(LeadStatus::Assessed | LeadStatus::Transferred | LeadStatus::Merged) => {
            // Taken in (研判), passed on, or found a repeat: the intake is done.
            c.stop.push(R::TransferredIntake);
            if matches!(trigger, Trigger::Entered(LeadStatus::Merged)) {
                c.stop.push(R::AcceptanceNotice);
            }
        }
        Trigger::Entered(LeadStatus::Concluded | LeadStatus::Settled) if reports_back(source) => {
            c.start.push(R::ReportBack);
        }
        Trigger::Entered(_) => {}
        Trigger::Recorded(f) => match f {
            FollowUp::AcceptanceNotice => c.stop.push(R::AcceptanceNotice),
            FollowUp::ResultFeedback => c.start.push(R::SatisfactionFollowUp),
            FollowUp::Satisfaction => c.stop.push(R::SatisfactionFollowUp),
            FollowUp::ReportBack => c.stop.push(R::ReportBack),
            FollowUp::Clearing | FollowUp::ClearingNotNeeded | FollowUp::Rectification => {}
        },
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;
    use RuleCode as R;

    #[test]
    fn each_side_clock_starts_and_stops_on_its_own_event() {
        let reg = |source, signed_reporter| on(Trigger::Registered { source, signed_reporter }, source).start;
        assert_eq!(reg(Source::AssignedByHigher, true), [R::TransferredIntake, R::AcceptanceNotice]);
        assert_eq!(reg(Source::PetitionReport, true), [R::AcceptanceNotice], "our own intake: no transfer clock");
        assert!(reg(Source::FoundInSupervision, false).is_empty());
        let p = Source::PetitionReport;
        assert_eq!(on(Trigger::Entered(LeadStatus::Assessed), p).stop, [R::TransferredIntake]);
        assert_eq!(on(Trigger::Entered(LeadStatus::Merged), p).stop, [R::TransferredIntake, R::AcceptanceNotice]);
        assert!(on(Trigger::Entered(LeadStatus::Concluded), p).start.is_empty(), "nobody assigned it");
        assert_eq!(on(Trigger::Entered(LeadStatus::Concluded), Source::SupervisedByHigher).start, [R::ReportBack]);
        assert_eq!(on(Trigger::Entered(LeadStatus::Settled), Source::AssignedByHigher).start, [R::ReportBack]);
        assert_eq!(on(Trigger::Recorded(FollowUp::ReportBack), p).stop, [R::ReportBack]);
        assert_eq!(on(Trigger::Recorded(FollowUp::ResultFeedback), p).start, [R::SatisfactionFollowUp]);
        assert_eq!(on(Trigger::Recorded(FollowUp::Satisfaction), p).stop, [R::SatisfactionFollowUp]);
        assert_eq!(on(Trigger::Recorded(FollowUp::AcceptanceNotice), p).stop, [R::AcceptanceNotice]);
        assert_eq!(on(Trigger::Recorded(FollowUp::Clearing), p), Change::default());
    }
}

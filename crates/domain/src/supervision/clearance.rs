//! What 清零 counts: the one definition of a cleared lead, used by the clearance board, the
//! ledger's filters and every statistic after them (seed 一(一); issue 11).
//!
//! A lead in a campaign's scope is cleared when it is 办结, 销号 or 予以了结. A transfer (移交)
//! counts only once the receiving body's receipt is recorded, unless the campaign waives it.
//! A merged repeat (重复件) is not a lead of its own: it leaves the totals and is counted once,
//! under its original. Escalation (提级办理) moves the lead, so it counts where it now is.

use crate::ledger::lead::LeadStatus;

/// How a lead counts towards clearance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counting {
    /// Not counted: a repeat, counted under its original.
    Excluded,
    /// Counted, not cleared yet.
    Pending,
    /// Counted and cleared.
    Cleared,
}

/// Always cleared, whatever the campaign says.
pub const CLEARED: [LeadStatus; 3] = [LeadStatus::Concluded, LeadStatus::StruckOff, LeadStatus::Settled];
/// Left out of the totals.
pub const EXCLUDED: LeadStatus = LeadStatus::Merged;
/// Cleared once its receipt is recorded (or at once, where the campaign waives the receipt).
pub const ON_RECEIPT: LeadStatus = LeadStatus::Transferred;

/// The facts that decide it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClearanceFacts {
    pub status: LeadStatus,
    /// The receiving body's receipt of a transfer is recorded.
    pub transfer_received: bool,
    /// The lead's campaign counts a transfer only with its receipt.
    pub transfer_needs_receipt: bool,
}

/// Whether a step into `status` closes the lead (its day is the lead's closing day, which the
/// statistics count by): a conclusion, settling, striking off or a transfer. A transfer that
/// waits for its receipt counts on the receipt's day instead.
pub fn closes(status: LeadStatus) -> bool {
    CLEARED.contains(&status) || status == ON_RECEIPT
}

pub fn counting(f: &ClearanceFacts) -> Counting {
    if f.status == EXCLUDED {
        Counting::Excluded
    } else if CLEARED.contains(&f.status)
        || (f.status == ON_RECEIPT && (f.transfer_received || !f.transfer_needs_receipt))
    {
        Counting::Cleared
    } else {
        Counting::Pending
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use LeadStatus as S;

    /// Every status by hand, with and without the receipt, under both campaign options.
    #[test]
    fn each_status_counts_as_the_work_plan_means() {
        let c = |status, transfer_received, transfer_needs_receipt| {
            counting(&ClearanceFacts { status, transfer_received, transfer_needs_receipt })
        };
        for s in [S::Registered, S::Assessed, S::TalkInquiry, S::PreliminaryVerification, S::Shelved, S::CaseFiled] {
            for (r, n) in [(false, false), (false, true), (true, false), (true, true)] {
                assert_eq!(c(s, r, n), Counting::Pending, "{s:?} is open");
            }
        }
        for s in [S::Concluded, S::StruckOff, S::Settled] {
            assert_eq!(c(s, false, true), Counting::Cleared, "{s:?}");
        }
        assert_eq!(c(S::Transferred, false, true), Counting::Pending, "no receipt yet");
        assert_eq!(c(S::Transferred, true, true), Counting::Cleared, "receipt recorded");
        assert_eq!(c(S::Transferred, false, false), Counting::Cleared, "the campaign waives the receipt");
        assert_eq!(c(S::Merged, false, true), Counting::Excluded, "counted under its original");
        assert_eq!(c(S::EscalatedAway, false, true), Counting::Pending, "an old escalation is nobody's conclusion");
    }

    #[test]
    fn closing_statuses_are_the_cleared_ones_and_transfers() {
        let closing: Vec<S> = S::ALL.iter().copied().filter(|s| closes(*s)).collect();
        assert_eq!(closing, [S::Settled, S::Concluded, S::StruckOff, S::Transferred]);
    }
}

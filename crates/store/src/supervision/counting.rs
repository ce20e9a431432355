//! The SQL form of `domain::supervision::clearance` and `Tally::of`, built from the domain's
//! constants so that the recounts and the ledger's filter say what the domain says. The kept
//! figures (summed from `Tally::of` lead by lead) must equal these recounts: the board's tests
//! compare the two.

use domain::{
    ledger::lead::LeadStatus,
    supervision::clearance::{CLEARED, EXCLUDED, ON_RECEIPT},
    supervision::tally::Tally,
};

use crate::sql::date_text;

fn list(statuses: impl Iterator<Item = LeadStatus>) -> String {
    let codes: Vec<String> = statuses.map(|s| format!("'{}'", s.code())).collect();
    format!("({})", codes.join(", "))
}

/// The lead `l` is cleared (清零) under its campaign's options.
pub(crate) fn cleared() -> String {
    format!(
        "(l.status IN {} OR (l.status = '{}' AND (l.transfer_received_on IS NOT NULL OR EXISTS (
            SELECT 1 FROM campaigns kc WHERE kc.id = l.campaign_id AND kc.transfer_needs_receipt = 0))))",
        list(CLEARED.into_iter()),
        ON_RECEIPT.code()
    )
}

/// The lead `l` is not cleared yet (a merged repeat aside). The statuses are listed so that
/// a unit's count reads the (unit, status) index alone: `NOT cleared` over a unit's leads
/// read every row (2.3 ms for a unit's 480 leads at 1M; 0.07 ms listed).
pub(crate) fn not_cleared() -> String {
    let open = LeadStatus::ALL.iter().copied().filter(|s| !CLEARED.contains(s) && *s != EXCLUDED);
    format!("(l.status IN {} AND NOT {})", list(open), cleared())
}

/// The lead `l` is cleared, with its possible statuses listed for the index (as above).
pub(crate) fn cleared_listed() -> String {
    let done = CLEARED.into_iter().chain([ON_RECEIPT]);
    format!("(l.status IN {} AND {})", list(done), cleared())
}

/// The lead `l` counts at all (a merged repeat does not).
fn counted() -> String {
    format!("l.status <> '{}'", EXCLUDED.code())
}

/// The lead `l` is open in the lifecycle: its clock runs.
fn timed() -> String {
    format!("l.status IN {}", list(LeadStatus::ALL.iter().copied().filter(|s| s.is_open())))
}

/// The SELECT list of a recount over `leads l`, in the order of `Tally::FIELDS`, as of
/// `today`; `extensions` and `flagged` are the caller's expressions for the two extension
/// counters.
pub(crate) fn tally_sums(today: time::Date, extensions: &str, flagged: &str) -> String {
    let (counted, cleared, timed) = (counted(), cleared(), timed());
    let late = format!("l.deadline < '{}'", date_text(today));
    let owned = "(l.responsible_leader IS NOT NULL AND l.responsible_person IS NOT NULL)";
    let sum = |cond: String| format!("SUM(CASE WHEN {cond} THEN 1 ELSE 0 END)");
    let (stock, new) = ("l.stock_class = 'stock'", "l.stock_class = 'new'");
    Tally::FIELDS
        .iter()
        .map(|f| match *f {
            "stock_total" => sum(format!("{stock} AND {counted}")),
            "stock_cleared" => sum(format!("{stock} AND {counted} AND {cleared}")),
            "stock_overdue" => sum(format!("{stock} AND {timed} AND {late}")),
            "new_total" => sum(format!("{new} AND {counted}")),
            "new_open" => sum(format!("{new} AND {counted} AND NOT {cleared}")),
            "new_overdue" => sum(format!("{new} AND {timed} AND {late}")),
            "new_routed_late" => {
                sum(format!("{new} AND {counted} AND (l.routed_late = 1 OR (l.status = 'registered' AND {late}))"))
            }
            "extensions" => extensions.to_owned(),
            "flagged_extensions" => flagged.to_owned(),
            "stock_unowned" => sum(format!("{stock} AND {counted} AND NOT {cleared} AND NOT {owned}")),
            "stock_transferred" => sum(format!("{stock} AND l.status = 'transferred'")),
            "stock_awaiting_receipt" => sum(format!("{stock} AND l.status = 'transferred' AND NOT {cleared}")),
            other => unreachable!("Tally field {other} has no SQL"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

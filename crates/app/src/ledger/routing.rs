//! Where a registered lead is held (`domain::ledger::routing`): with its unit, or sent up to
//! the body whose business it is (the unit's own head; a cadre managed higher up). A lead sent
//! up runs the pass-up clock (5 working days by default) for that body to take it in, and
//! both ends are told.

use domain::{
    UnitId,
    ledger::{
        lead::LeadDraft,
        routing::{SentUp, holder},
        unit::Unit,
    },
    lifecycle::deadline::{DeadlineRule, RuleCode},
    protection::role::Role,
};
use store::{Conn, LeadHandle, Tx, ledger::leads::Timing, ledger::units, lifecycle::notices};

use super::Ledger;
use crate::AppError;

/// Where the lead goes: the holder, and the unit and reason it was sent up from.
pub(super) struct Routed {
    pub holder: Unit,
    pub sent: Option<(UnitId, SentUp)>,
}

/// The unit, then its parents up to the root.
async fn chain(c: &mut Conn, unit: Unit) -> Result<Vec<Unit>, AppError> {
    let mut out = vec![unit];
    while let Some(parent) = out.last().and_then(|u| u.parent) {
        if out.len() > 64 {
            return Err(AppError::internal("the unit tree has a cycle"));
        }
        let p = units::get(c, parent).await?.ok_or_else(|| AppError::internal(format!("unit {parent} vanished")))?;
        out.push(p);
    }
    Ok(out)
}

pub(super) async fn route(c: &mut Conn, draft: &LeadDraft, unit: Unit) -> Result<Routed, AppError> {
    let chain = chain(c, unit).await?;
    let sent = holder(&draft.subjects, &chain).map(|(to, why)| (chain[0].id, to, why));
    let to = sent.map_or(chain[0].id, |(_, to, _)| to);
    let holder = chain
        .into_iter()
        .find(|u| u.id == to)
        .ok_or_else(|| AppError::internal("the holder is not on the unit's chain"))?;
    Ok(Routed { holder, sent: sent.map(|(from, _, why)| (from, why)) })
}

impl Ledger<'_> {
    /// The pass-up clock, counted from the report's receipt (检举控告规则 art. 15).
    pub(super) fn pass_up_clock(&self, today: time::Date) -> (time::Date, Timing) {
        let rules = self.lifecycle().deadline_rules();
        let rule = rules
            .iter()
            .find(|r| r.code == RuleCode::PassUp)
            .copied()
            .unwrap_or_else(|| DeadlineRule::default_for(RuleCode::PassUp));
        let due = rule.due(today, &self.lifecycle().calendar());
        (due.date, Timing { rule: Some(RuleCode::PassUp), started: today, provisional: due.provisional })
    }
}

/// Tells both ends: the receiving body's supervisors and inspectors that a lead came in and
/// by when to take it, the sending unit's inspectors where it went (never the subject).
pub(super) async fn tell_both_ends(
    tx: &mut Tx,
    (lead, number): (&LeadHandle, &str),
    (from, to): (&Unit, &Unit),
    why: SentUp,
    due: time::Date,
    at: i64,
) -> Result<(), AppError> {
    let (why_zh, why_en) = match why {
        SentUp::UnitHead => ("反映本单位主要负责人".to_owned(), "it names the unit's own head".to_owned()),
        SentUp::CadreLevel(l) => {
            (format!("涉及{}", l.zh()), format!("it names a cadre managed higher up ({})", l.en()))
        }
    };
    let due = domain::dates::format_date(due);
    let zh = format!("{} 报送的线索 {number}（{why_zh}）已转本单位，请于 {due} 前受理。", from.name);
    let en = format!("Lead {number} from {} came to you ({why_en}); take it in by {due}.", from.name);
    let mut told = Vec::new();
    for role in [Role::Supervisor, Role::Inspector] {
        for user in notices::holders(tx, role, to.id, lead).await? {
            if !told.contains(&user) {
                told.push(user);
                let n = notices::NewNotice { user, lead: Some(lead), kind: "routed_in", zh: &zh, en: &en, at };
                notices::insert(tx, &n).await?;
            }
        }
    }
    let zh = format!("线索 {number}（{why_zh}）已按管辖报送 {}。", to.name);
    let en = format!("Lead {number} went to {} ({why_en}).", to.name);
    for user in notices::holders(tx, Role::Inspector, from.id, lead).await? {
        if !told.contains(&user) {
            // The sending side learns where it went, not what it says: no link to the lead.
            let n = notices::NewNotice { user, lead: None, kind: "routed_out", zh: &zh, en: &en, at };
            notices::insert(tx, &n).await?;
        }
    }
    Ok(())
}

//! The dashboard's series, from the kept figures or counted afresh (`counting::Counting`): stock
//! closings for each unit's forecast and, day by day, for the burn-down of the unit shown; the
//! monthly trend; open leads past their deadline for the ageing.

use std::collections::HashMap;

use domain::{
    UnitId,
    protection::scope::Scope,
    reporting::{
        figures::ancestors,
        forecast::PACE_WEEKS,
        kept::Field,
        trend::{Ageing, YearMonth},
    },
};
use store::{
    Conn,
    reporting::{
        dashboard::{self as series, ByUnit},
        statistics::Leads,
        sums::{Over, by_day, by_month, up_to},
    },
    supervision::tallies,
};
use time::{Date, Duration};

use super::counting::Counting;
use crate::AppError;

pub(crate) struct Series {
    /// Each unit's own stock by the day it closed (`None`: not closed). From the kept figures,
    /// only the days the forecast tells apart: closed before its pace weeks, in them, or not.
    pub closings: ByUnit<Date>,
    /// The shown unit's subtree's, day by day over the campaign.
    pub shown: Vec<(Option<Date>, i64)>,
    pub received: Vec<(YearMonth, i64)>,
    pub closed: Vec<(YearMonth, i64)>,
    /// Open leads past their deadline, by deadline (from the kept figures one day per
    /// ageing bucket).
    pub overdue: Vec<(Date, i64)>,
}

/// The entries of `by` whose unit is in `root`'s subtree, merged.
pub(crate) fn subtree<K: Copy>(
    by: &ByUnit<K>,
    parent: &HashMap<UnitId, Option<UnitId>>,
    root: UnitId,
) -> Vec<(Option<K>, i64)> {
    by.iter().filter(|(u, _)| ancestors(parent, **u).any(|a| a == root)).flat_map(|(_, v)| v.iter().copied()).collect()
}

/// [`subtree`] for every unit at once: each unit's entries added to it and to every unit above
/// it, one walk up a unit (the dashboard's outlook of 2,000 units was 2,000 walks over all of
/// them).
pub(crate) fn subtrees<K: Copy>(
    by: &ByUnit<K>,
    parent: &HashMap<UnitId, Option<UnitId>>,
) -> HashMap<UnitId, Vec<(Option<K>, i64)>> {
    let mut out: HashMap<UnitId, Vec<(Option<K>, i64)>> = HashMap::new();
    for (unit, v) in by {
        for a in ancestors(parent, *unit) {
            out.entry(a).or_default().extend(v.iter().copied());
        }
    }
    out
}

fn known<K: Copy>(v: &[(Option<K>, i64)]) -> Vec<(K, i64)> {
    v.iter().filter_map(|(k, n)| k.map(|k| (k, *n))).collect()
}

/// The campaign and days a dashboard's series are of.
pub(crate) struct Span {
    pub campaign: domain::CampaignId,
    pub starts_on: Date,
    pub today: Date,
    /// The unit shown is the system's only top unit and the caller sees all of it: its
    /// subtree is every unit, read from the running sums of them all.
    pub whole: bool,
}

pub(crate) async fn series(
    c: &mut Conn,
    scope: &Scope,
    (parent, shown): (&HashMap<UnitId, Option<UnitId>>, UnitId),
    span: &Span,
    counting: Counting,
) -> Result<Series, AppError> {
    let k = span.campaign;
    if counting == Counting::Recount || !tallies::answers(scope) {
        let closings = series::stock_closings(c, (scope, Leads::InScope), k).await?;
        let (received, closed) = series::monthly(c, (scope, Leads::InScope), k).await?;
        let overdue = series::overdue_by_deadline(c, (scope, Leads::InScope), k, span.today).await?;
        return Ok(Series {
            shown: subtree(&closings, parent, shown),
            closings,
            received: known(&subtree(&received, parent, shown)),
            closed: known(&subtree(&closed, parent, shown)),
            overdue: known(&subtree(&overdue, parent, shown)),
        });
    }
    let mut s = kept_series(c, scope, shown, span).await?;
    // The kept figures hold the leads naming the caller, which their scope leaves out.
    let ids = match scope.recused_user() {
        Some(user) => store::reporting::statistics::naming(c, user).await?,
        None => Vec::new(),
    };
    if !ids.is_empty() {
        let naming = (scope, Leads::Only(&ids));
        let negate = |v: &Vec<(Option<Date>, i64)>| v.iter().map(|(d, n)| (*d, -n)).collect::<Vec<_>>();
        let closings = series::stock_closings(c, naming, k).await?;
        for (unit, v) in &closings {
            s.closings.entry(*unit).or_default().extend(negate(v));
        }
        s.shown.extend(negate(&subtree(&closings, parent, shown)));
        let (received, closed) = series::monthly(c, naming, k).await?;
        s.received.extend(known(&subtree(&received, parent, shown)).into_iter().map(|(m, n)| (m, -n)));
        s.closed.extend(known(&subtree(&closed, parent, shown)).into_iter().map(|(m, n)| (m, -n)));
        let overdue = series::overdue_by_deadline(c, naming, k, span.today).await?;
        s.overdue.extend(known(&subtree(&overdue, parent, shown)).into_iter().map(|(d, n)| (d, -n)));
    }
    Ok(s)
}

async fn kept_series(c: &mut Conn, scope: &Scope, shown: UnitId, span: &Span) -> Result<Series, AppError> {
    let (k, today) = (span.campaign, span.today);
    let day = Duration::days(1);
    let since = today - Duration::days(7 * i64::from(PACE_WEEKS));
    let each = Over::EachUnit(scope);
    let fields = [Field::StockReceived, Field::StockClosed];
    let mut at = up_to(c, each, k, &[today, since], &fields).await?.into_iter();
    let (now, then) = (at.next().unwrap_or_default(), at.next().unwrap_or_default());
    let mut closings: ByUnit<Date> = HashMap::new();
    for (unit, n) in &now {
        let before = then.get(unit).map_or(0, |t| t.get(Field::StockClosed));
        let closed = n.get(Field::StockClosed);
        closings.insert(
            *unit,
            vec![(None, n.get(Field::StockReceived) - closed), (Some(since), before), (Some(today), closed - before)],
        );
    }
    let under = if span.whole { Over::Everything(shown) } else { Over::Subtree(scope, shown) };
    let start = span.starts_on.min(today);
    let mut at = up_to(c, under, k, &[today, start - day], &fields).await?.into_iter();
    let (now, then) = (at.next().unwrap_or_default(), at.next().unwrap_or_default());
    let (now, then) = (now.get(&shown).copied().unwrap_or_default(), then.get(&shown).copied().unwrap_or_default());
    let mut shown_closings = vec![
        (None, now.get(Field::StockReceived) - now.get(Field::StockClosed)),
        (Some(start - day), then.get(Field::StockClosed)),
    ];
    shown_closings
        .extend(by_day(c, under, k, Field::StockClosed, (start, today)).await?.into_iter().map(|(d, n)| (Some(d), n)));
    let months = by_month(c, under, k, &[Field::Received, Field::Closed]).await?;
    let pick = |f: Field| months.iter().map(|(m, v)| (*m, v.get(f))).filter(|x| x.1 != 0).collect::<Vec<_>>();
    // One deadline per ageing bucket: its latest, with the bucket's count.
    let bounds: Vec<Date> = Ageing::ALL.iter().map(|a| a.deadlines(today).1).collect();
    let due = up_to(c, under, k, &bounds, &[Field::OpenDue]).await?;
    let open = |i: usize| due.get(i).and_then(|m| m.get(&shown)).map_or(0, |v| v.get(Field::OpenDue));
    let overdue = (0..bounds.len()).map(|i| (bounds[i], open(i) - if i + 1 < bounds.len() { open(i + 1) } else { 0 }));
    Ok(Series {
        closings,
        shown: shown_closings,
        received: pick(Field::Received),
        closed: pick(Field::Closed),
        overdue: overdue.filter(|x| x.1 != 0).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every unit's entries from the one walk are the ones `subtree` finds for it.
    #[test]
    fn subtrees_hold_what_subtree_finds_for_every_unit() {
        let u = UnitId::from_raw;
        // 1 ← 2 ← 4, 1 ← 3; 5 stands alone.
        let parent: HashMap<UnitId, Option<UnitId>> =
            [(1, None), (2, Some(1)), (3, Some(1)), (4, Some(2)), (5, None)].map(|(a, p)| (u(a), p.map(u))).into();
        let by: ByUnit<i64> = [(2, vec![(Some(7), 1)]), (4, vec![(None, 2), (Some(8), 3)]), (5, vec![(Some(9), 4)])]
            .map(|(a, v)| (u(a), v))
            .into();
        let all = subtrees(&by, &parent);
        for unit in 1..=5 {
            let mut one = subtree(&by, &parent, u(unit));
            let mut many = all.get(&u(unit)).cloned().unwrap_or_default();
            one.sort();
            many.sort();
            assert_eq!(many, one, "unit {unit}");
        }
        assert_eq!(all[&u(1)].len(), 3);
    }
}

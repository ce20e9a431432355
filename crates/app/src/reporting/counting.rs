//! Where the statistics' counts come from: the kept figures (`store::reporting::kept`, what the
//! pages and the API read), or every lead counted afresh — what the kept figures must equal, and
//! the only way for a scope the kept figures cannot answer (one narrowed to a leader's or a
//! handler's own leads, or reaching leads moved away).

use std::collections::HashMap;

use domain::{
    CampaignId, UnitId,
    protection::scope::Scope,
    reporting::{
        figures::{Count, Counts},
        kept::{Field, Kept, Sums},
    },
};
use store::{
    Conn,
    reporting::{
        kept,
        statistics::{self as st, Breakdown, Leads, Window},
        sums::{Over, up_to},
    },
    supervision::tallies,
};
use time::Date;

use super::Reporting;
use crate::AppError;

/// Where a use case's counts come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counting {
    /// The figures kept in step with every change.
    Kept,
    /// Every lead counted afresh.
    Recount,
}

/// Whose shares (leads by category and by source, subjects by sanction) a use case shows: none,
/// a unit's subtree's, or the whole system's when that unit is its only top and the caller
/// sees all of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SharesOf {
    None,
    Subtree(UnitId),
    Everything(UnitId),
}

/// A period's counts per unit (its own, not its subtree's), and the leads it received by
/// category and by source: from the kept figures, summed for the unit of `SharesOf`, counted
/// afresh, per unit.
#[derive(Debug, Default)]
pub(crate) struct UnitFigures {
    pub counts: HashMap<UnitId, Counts>,
    pub by_category: HashMap<UnitId, Vec<(String, i64)>>,
    pub by_source: HashMap<UnitId, Vec<(String, i64)>>,
    /// Subjects of the leads closed in it, by sanction.
    pub by_sanction: HashMap<UnitId, Vec<(String, i64)>>,
}

impl Reporting<'_> {
    /// Counts the kept figures afresh if a bulk load (or their first use) left them uncounted.
    pub(crate) async fn ensure_kept(&self) -> Result<(), AppError> {
        if kept::counted(&mut *self.reader().await?).await? {
            return Ok(());
        }
        let mut tx = self.db().begin_write().await?;
        kept::recount(&mut tx).await?;
        tx.commit().await.map_err(store::StoreError::from)?;
        Ok(())
    }

    /// The figures of `w` for the units of `scope`, and the `shares` asked for. `memo` keeps
    /// the sums read, for the next call over the same scope.
    pub(crate) async fn unit_figures(
        &self,
        c: &mut Conn,
        scope: &Scope,
        w: &Window,
        counting: Counting,
        shares: SharesOf,
        memo: &mut Prefixes,
    ) -> Result<UnitFigures, AppError> {
        if counting == Counting::Recount || !tallies::answers(scope) {
            let mut f = UnitFigures { counts: st::counts(c, scope, w).await?, ..UnitFigures::default() };
            if shares != SharesOf::None {
                f.by_category = st::breakdown(c, scope, w, Breakdown::Category, Leads::InScope).await?;
                f.by_source = st::breakdown(c, scope, w, Breakdown::Source, Leads::InScope).await?;
                f.by_sanction = st::breakdown(c, scope, w, Breakdown::Sanction, Leads::InScope).await?;
            }
            return Ok(f);
        }
        let mut f = match shares {
            SharesOf::None => UnitFigures::default(),
            SharesOf::Subtree(at) => kept_shares(c, Over::Subtree(scope, at), w).await?,
            SharesOf::Everything(at) => kept_shares(c, Over::Everything(at), w).await?,
        };
        f.counts = kept_counts(c, Over::EachUnit(scope), w, memo).await?;
        // The kept figures hold the leads naming the caller, which their scope leaves out.
        let naming = match scope.recused_user() {
            Some(user) => st::naming(c, user).await?,
            None => Vec::new(),
        };
        if !naming.is_empty() {
            let only = Leads::Only(&naming);
            let mut theirs = st::lead_counts(c, scope, w, only).await?;
            for (unit, n) in st::forms(c, scope, w, only).await? {
                theirs.entry(unit).or_default().add(&n);
            }
            for (unit, n) in theirs {
                let counts = f.counts.entry(unit).or_default();
                for count in Count::ALL {
                    counts.set(*count, counts.get(*count) - n.get(*count));
                }
            }
            if shares != SharesOf::None {
                let by = [
                    (Breakdown::Category, &mut f.by_category),
                    (Breakdown::Source, &mut f.by_source),
                    (Breakdown::Sanction, &mut f.by_sanction),
                ];
                for (by, into) in by {
                    for (unit, codes) in st::breakdown(c, scope, w, by, only).await? {
                        into.entry(unit).or_default().extend(codes.into_iter().map(|(code, n)| (code, -n)));
                    }
                }
            }
        }
        st::add_others(c, scope, w, &mut f.counts).await?;
        Ok(f)
    }

    /// The counts of `w` over every unit (`everything`, the scope of all of them under `top`):
    /// what the statistics compare a unit with.
    pub(crate) async fn system_counts(
        &self,
        c: &mut Conn,
        (everything, top): (&Scope, UnitId),
        w: &Window,
        counting: Counting,
    ) -> Result<Counts, AppError> {
        let by_unit = if counting == Counting::Recount || !tallies::answers(everything) {
            self.unit_figures(c, everything, w, counting, SharesOf::None, &mut Prefixes::default()).await?.counts
        } else {
            let mut counts = kept_counts(c, Over::Everything(top), w, &mut Prefixes::default()).await?;
            st::add_others(c, everything, w, &mut counts).await?;
            counts
        };
        let mut sum = Counts::default();
        for counts in by_unit.values() {
            sum.add(counts);
        }
        Ok(sum)
    }
}

/// Sums up to a day already read for one use case's scope, by campaign and day: a period's
/// first day is often the period before's last, and today the same for both.
#[derive(Debug, Default)]
pub(crate) struct Prefixes(HashMap<(CampaignId, Date), HashMap<UnitId, Kept>>);

/// The counts of `w` for each unit `over` reads (the subtree's or everything's, summed, keyed
/// by its unit), each sum read once with just the fields the counts need.
async fn kept_counts(
    c: &mut Conn,
    over: Over<'_>,
    w: &Window,
    memo: &mut Prefixes,
) -> Result<HashMap<UnitId, Counts>, AppError> {
    let days = Sums::days(w.from, w.to, w.today);
    // Every count field for each day: a day often plays another part in the period before
    // (this period's first is its last), and a second pass costs far more than a few columns.
    let mut fields: Vec<Field> = Vec::new();
    for f in Sums::count_fields().into_iter().flatten() {
        if !fields.contains(&f) {
            fields.push(f);
        }
    }
    for (i, d) in days.iter().enumerate() {
        if memo.0.contains_key(&(w.campaign, *d)) || days[..i].contains(d) {
            continue;
        }
        let sums = up_to(c, over, w.campaign, &[*d], &fields).await?.pop().unwrap_or_default();
        memo.0.insert((w.campaign, *d), sums);
    }
    let at = days.map(|d| memo.0.get(&(w.campaign, d)));
    let units: std::collections::BTreeSet<UnitId> = at.iter().flatten().flat_map(|m| m.keys()).copied().collect();
    let get = |i: usize, u: &UnitId| at[i].and_then(|m| m.get(u)).copied().unwrap_or_default();
    Ok(units
        .into_iter()
        .map(|u| {
            let sums = Sums { to: get(0, &u), before: get(1, &u), before_today: get(2, &u), before_as_of: get(3, &u) };
            (u, sums.counts())
        })
        .collect())
}

/// The shares of `w` over `over` (a subtree or everything, summed), keyed by its unit.
async fn kept_shares(c: &mut Conn, over: Over<'_>, w: &Window) -> Result<UnitFigures, AppError> {
    let [to, before, ..] = Sums::days(w.from, w.to, w.today);
    let mut read = up_to(c, over, w.campaign, &[to, before], &Sums::share_fields()).await?.into_iter();
    let (to, before) = (read.next().unwrap_or_default(), read.next().unwrap_or_default());
    let mut f = UnitFigures::default();
    for (u, k) in &to {
        let nothing = Kept::default();
        let sums =
            Sums { to: *k, before: *before.get(u).unwrap_or(&nothing), before_today: nothing, before_as_of: nothing };
        let s = sums.shares();
        f.by_category.insert(*u, s.categories.iter().map(|(c, n)| (c.code().to_owned(), *n)).collect());
        f.by_source.insert(*u, s.sources.iter().map(|(c, n)| (c.code().to_owned(), *n)).collect());
        f.by_sanction.insert(*u, s.sanctions.iter().map(|(c, n)| (c.code().to_owned(), *n)).collect());
    }
    Ok(f)
}

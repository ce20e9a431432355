//! Where the statistics' counts come from: the kept figures (`store::reporting::kept`, what the
//! pages and the API read), or every lead counted afresh — what the kept figures must equal, and
//! the only way for a scope the kept figures cannot answer (one narrowed to a leader's or a
//! handler's own leads, or reaching leads moved away).

use std::collections::HashMap;

use domain::{
    UnitId,
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

/// A period's counts per unit (its own, not its subtree's), and the leads it received by
/// category and by source.
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

    /// The figures of `w` for the units of `scope`; the shares by category and source only when
    /// `shares`.
    pub(crate) async fn unit_figures(
        &self,
        c: &mut Conn,
        scope: &Scope,
        w: &Window,
        counting: Counting,
        shares: bool,
    ) -> Result<UnitFigures, AppError> {
        if counting == Counting::Recount || !tallies::answers(scope) {
            let mut f = UnitFigures { counts: st::counts(c, scope, w).await?, ..UnitFigures::default() };
            if shares {
                f.by_category = st::breakdown(c, scope, w, Breakdown::Category, Leads::InScope).await?;
                f.by_source = st::breakdown(c, scope, w, Breakdown::Source, Leads::InScope).await?;
                f.by_sanction = st::breakdown(c, scope, w, Breakdown::Sanction, Leads::InScope).await?;
            }
            return Ok(f);
        }
        let mut f = kept_figures(c, scope, w, shares).await?;
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
            if shares {
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
}

async fn kept_figures(c: &mut Conn, scope: &Scope, w: &Window, shares: bool) -> Result<UnitFigures, AppError> {
    let over = Over::EachUnit(scope);
    let [to, before, before_today, before_as_of] = Sums::days(w.from, w.to, w.today);
    // The shares' fields (most of a row) only when asked for: the period before and the whole
    // system are compared by their counts alone.
    let all: Vec<Field> = Field::all()
        .filter(|f| shares || !matches!(f, Field::Category(_) | Field::Source(_) | Field::Sanction(_)))
        .collect();
    let window: Vec<Field> = all
        .iter()
        .copied()
        .filter(|f| {
            !matches!(
                f,
                Field::StockReceived | Field::StockClosed | Field::Confirmed | Field::OpenDue | Field::OverdueFrom
            )
        })
        .collect();
    let at_end = up_to(c, over, w.campaign, &[to], &all).await?.pop().unwrap_or_default();
    let at_start = up_to(c, over, w.campaign, &[before], &window).await?.pop().unwrap_or_default();
    let overdue =
        up_to(c, over, w.campaign, &[before_today, before_as_of], &[Field::OpenDue, Field::OverdueFrom]).await?;
    let units: std::collections::BTreeSet<UnitId> =
        at_end.keys().chain(at_start.keys()).chain(overdue.iter().flat_map(|m| m.keys())).copied().collect();
    let get = |m: Option<&HashMap<UnitId, Kept>>, u: &UnitId| m.and_then(|m| m.get(u)).copied().unwrap_or_default();
    let mut f = UnitFigures::default();
    for u in units {
        let sums = Sums {
            to: get(Some(&at_end), &u),
            before: get(Some(&at_start), &u),
            before_today: get(overdue.first(), &u),
            before_as_of: get(overdue.get(1), &u),
        };
        f.counts.insert(u, sums.counts());
        if shares {
            let s = sums.shares();
            f.by_category.insert(u, s.categories.iter().map(|(c, n)| (c.code().to_owned(), *n)).collect());
            f.by_source.insert(u, s.sources.iter().map(|(c, n)| (c.code().to_owned(), *n)).collect());
            f.by_sanction.insert(u, s.sanctions.iter().map(|(c, n)| (c.code().to_owned(), *n)).collect());
        }
    }
    Ok(f)
}

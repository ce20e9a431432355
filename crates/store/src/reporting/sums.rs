//! Reading the statistics' kept figures (`reporting::kept`): sums up to a day, per unit or over
//! a subtree, each read from the fewest kept rows (`domain::reporting::kept::prefix`): a unit's
//! totals, whole months and at most half a month of days.

use std::collections::HashMap;

use domain::{
    CampaignId, UnitId,
    protection::scope::Scope,
    reporting::kept::{Field, Kept, prefix},
    reporting::trend::YearMonth,
};
use sqlx::Row;
use time::Date;

use crate::{
    Conn, StoreError, scope,
    sql::{SqlBuilder, Value, date_text, parse_stored_date},
};

/// Which units a sum is over.
#[derive(Debug, Clone, Copy)]
pub enum Over<'a> {
    /// Each unit of the scope apart.
    EachUnit(&'a Scope),
    /// The units of the scope under this one (itself included), summed into one row keyed by it.
    Subtree(&'a Scope, UnitId),
}

impl Over<'_> {
    fn push(&self, b: &mut SqlBuilder) {
        match self {
            Over::EachUnit(s) => scope::push_units(b, s, "t.unit_id"),
            Over::Subtree(s, root) => {
                scope::push_units(b, s, "t.unit_id");
                b.push(" AND t.unit_id IN (SELECT descendant_id FROM unit_closure WHERE ancestor_id = ");
                b.bind(Value::Int(root.get())).push(")");
            }
        }
    }

    /// The unit a summed row stands for (`None`: one row per unit).
    fn root(&self) -> Option<UnitId> {
        match self {
            Over::EachUnit(_) => None,
            Over::Subtree(_, root) => Some(*root),
        }
    }
}

/// The first and last months with kept rows for `campaign` (`None`: none).
async fn span(c: &mut Conn, campaign: CampaignId) -> Result<Option<(YearMonth, YearMonth)>, StoreError> {
    let r = sqlx::query("SELECT MIN(month), MAX(month) FROM stat_months WHERE campaign_id = $1")
        .bind(campaign.get())
        .fetch_one(&mut *c)
        .await?;
    let (lo, hi): (Option<String>, Option<String>) = (r.try_get(0)?, r.try_get(1)?);
    Ok(lo.as_deref().and_then(YearMonth::parse).zip(hi.as_deref().and_then(YearMonth::parse)))
}

/// For each of `days`, the sums of `fields` up to it (inclusive): per unit with anything kept,
/// or one row for a subtree. Fields not asked for are left 0.
pub async fn up_to(
    c: &mut Conn,
    over: Over<'_>,
    campaign: CampaignId,
    days: &[Date],
    fields: &[Field],
) -> Result<Vec<HashMap<UnitId, Kept>>, StoreError> {
    let span = span(c, campaign).await?;
    let mut out = Vec::with_capacity(days.len());
    for (i, day) in days.iter().enumerate() {
        // The same day twice (the day before today and before the period's end, often) is
        // read once.
        if let Some(j) = days[..i].iter().position(|d| d == day) {
            let same = out.get(j).cloned().unwrap_or_default();
            out.push(same);
            continue;
        }
        out.push(match span {
            Some(span) => one(c, over, campaign, prefix(*day, Some(span)), fields).await?,
            None => HashMap::new(),
        });
    }
    Ok(out)
}

async fn one(
    c: &mut Conn,
    over: Over<'_>,
    campaign: CampaignId,
    p: domain::reporting::kept::Prefix,
    fields: &[Field],
) -> Result<HashMap<UnitId, Kept>, StoreError> {
    let cols: Vec<String> = fields.iter().map(|f| f.column()).collect();
    let signed = |sign: i64| -> String {
        cols.iter()
            .map(|c| if sign < 0 { format!("-t.{c} AS {c}") } else { format!("t.{c}") })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let sums: Vec<String> = cols.iter().map(|c| format!("CAST(SUM(x.{c}) AS BIGINT)")).collect();
    let grouped = over.root().is_none();
    let mut b =
        SqlBuilder::new(&format!("SELECT {}{} FROM (", if grouped { "x.unit_id, " } else { "" }, sums.join(", ")));
    let mut arms = 0;
    let mut arm = |b: &mut SqlBuilder, table: &str, sign: i64| {
        if arms > 0 {
            b.push(" UNION ALL ");
        }
        arms += 1;
        b.push(&format!("SELECT t.unit_id, {} FROM {table} t WHERE t.campaign_id = ", signed(sign)));
        b.bind(Value::Int(campaign.get()));
    };
    if p.totals {
        arm(&mut b, "stat_totals", 1);
        over.push(&mut b);
    }
    arm(&mut b, "stat_months", p.months_sign);
    if let Some(from) = p.months.from {
        b.push(" AND t.month >= ").bind(Value::Text(from.label()));
    }
    if let Some(to) = p.months.to {
        b.push(" AND t.month <= ").bind(Value::Text(to.label()));
    }
    over.push(&mut b);
    if p.days.0 <= p.days.1 {
        arm(&mut b, "stat_days", p.days_sign);
        b.push(" AND t.day >= ").bind(Value::Text(date_text(p.days.0)));
        b.push(" AND t.day <= ").bind(Value::Text(date_text(p.days.1)));
        over.push(&mut b);
    }
    b.push(") x");
    if grouped {
        b.push(" GROUP BY x.unit_id");
    }
    let mut out = HashMap::new();
    let skip = usize::from(grouped);
    for r in b.build().fetch_all(&mut *c).await? {
        let mut k = Kept::default();
        for (i, f) in fields.iter().enumerate() {
            k.0[f.index()] = r.try_get::<Option<i64>, _>(i + skip)?.unwrap_or(0);
        }
        let unit = match over.root() {
            Some(root) => root,
            None => UnitId::from_raw(r.try_get(0)?),
        };
        out.insert(unit, k);
    }
    Ok(out)
}

/// A subtree's `field` day by day from `from` to `to` (days with nothing left out).
pub async fn by_day(
    c: &mut Conn,
    over: Over<'_>,
    campaign: CampaignId,
    field: Field,
    (from, to): (Date, Date),
) -> Result<Vec<(Date, i64)>, StoreError> {
    let col = field.column();
    let mut b =
        SqlBuilder::new(&format!("SELECT t.day, CAST(SUM(t.{col}) AS BIGINT) FROM stat_days t WHERE t.campaign_id = "));
    b.bind(Value::Int(campaign.get()));
    b.push(" AND t.day >= ").bind(Value::Text(date_text(from)));
    b.push(" AND t.day <= ").bind(Value::Text(date_text(to)));
    b.push(&format!(" AND t.{col} <> 0"));
    over.push(&mut b);
    b.push(" GROUP BY t.day");
    let mut out = Vec::new();
    for r in b.build().fetch_all(&mut *c).await? {
        let n: i64 = r.try_get::<Option<i64>, _>(1)?.unwrap_or(0);
        if n != 0 {
            out.push((parse_stored_date(&r.try_get::<String, _>(0)?)?, n));
        }
    }
    Ok(out)
}

/// A subtree's `fields` month by month (months with no row left out).
pub async fn by_month(
    c: &mut Conn,
    over: Over<'_>,
    campaign: CampaignId,
    fields: &[Field],
) -> Result<Vec<(YearMonth, Kept)>, StoreError> {
    let sums: Vec<String> = fields.iter().map(|f| format!("CAST(SUM(t.{}) AS BIGINT)", f.column())).collect();
    let mut b =
        SqlBuilder::new(&format!("SELECT t.month, {} FROM stat_months t WHERE t.campaign_id = ", sums.join(", ")));
    b.bind(Value::Int(campaign.get()));
    over.push(&mut b);
    b.push(" GROUP BY t.month");
    let mut out = Vec::new();
    for r in b.build().fetch_all(&mut *c).await? {
        let month: String = r.try_get(0)?;
        let month =
            YearMonth::parse(&month).ok_or_else(|| StoreError::corrupt(format!("not a kept month: {month}")))?;
        let mut k = Kept::default();
        for (i, f) in fields.iter().enumerate() {
            k.0[f.index()] = r.try_get::<Option<i64>, _>(i + 1)?.unwrap_or(0);
        }
        out.push((month, k));
    }
    Ok(out)
}

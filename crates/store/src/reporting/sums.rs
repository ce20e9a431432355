//! Reading the statistics' kept figures (`reporting::kept`): sums up to a day, per unit, over a
//! subtree or over every unit, each one running sum (`running`) a unit, or one in all.

use std::collections::HashMap;

use domain::{
    CampaignId, UnitId,
    protection::scope::Scope,
    reporting::kept::{Field, Kept},
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
    /// Every unit of the campaign, summed into one row keyed by this one: the whole system, for
    /// a caller who sees it all (its top unit) or who compares with it.
    Everything(UnitId),
}

impl Over<'_> {
    fn push(&self, b: &mut SqlBuilder, col: &str) {
        match self {
            Over::EachUnit(s) => scope::push_units(b, s, col),
            Over::Subtree(s, root) => {
                scope::push_units(b, s, col);
                b.push(&format!(" AND {col} IN (SELECT descendant_id FROM unit_closure WHERE ancestor_id = "));
                b.bind(Value::Int(root.get())).push(")");
            }
            Over::Everything(_) => {}
        }
    }
}

/// For each of `days`, the sums of `fields` up to it (inclusive): per unit with anything kept,
/// or one row for a subtree or everything. Fields not asked for are left 0.
pub async fn up_to(
    c: &mut Conn,
    over: Over<'_>,
    campaign: CampaignId,
    days: &[Date],
    fields: &[Field],
) -> Result<Vec<HashMap<UnitId, Kept>>, StoreError> {
    let mut out = Vec::with_capacity(days.len());
    for (i, day) in days.iter().enumerate() {
        // The same day twice (the day before today and before the period's end, often) is
        // read once.
        if let Some(j) = days[..i].iter().position(|d| d == day) {
            let same = out.get(j).cloned().unwrap_or_default();
            out.push(same);
            continue;
        }
        out.push(one(c, over, campaign, *day, fields).await?);
    }
    Ok(out)
}

async fn one(
    c: &mut Conn,
    over: Over<'_>,
    campaign: CampaignId,
    day: Date,
    fields: &[Field],
) -> Result<HashMap<UnitId, Kept>, StoreError> {
    let cols: Vec<String> = fields.iter().map(|f| f.column()).collect();
    let b = match over {
        Over::Everything(_) => {
            let picked: Vec<String> = cols.iter().map(|c| format!("r.{c}")).collect();
            let mut b = SqlBuilder::new(&format!(
                "SELECT {} FROM stat_running_all r WHERE r.campaign_id = ",
                picked.join(", ")
            ));
            b.bind(Value::Int(campaign.get()));
            b.push(" AND r.day = (SELECT MAX(x.day) FROM stat_running_all x WHERE x.campaign_id = ");
            b.bind(Value::Int(campaign.get())).push(" AND x.day <= ").bind(Value::Text(date_text(day))).push(")");
            b
        }
        Over::Subtree(..) => {
            let sums: Vec<String> = cols.iter().map(|c| format!("CAST(SUM(r.{c}) AS BIGINT)")).collect();
            latest_of_each_unit(over, campaign, day, &sums.join(", "))
        }
        // Every unit's latest row on or before the day, one index step each, comes back
        // within one text ("unit,v1,v2,…;…"): for two thousand units the driver's cost per row
        // is otherwise most of the time.
        Over::EachUnit(_) => {
            let packed: Vec<String> = std::iter::once("u.id".to_owned())
                .chain(cols.iter().map(|c| format!("r.{c}")))
                .map(|e| format!("CAST({e} AS TEXT)"))
                .collect();
            let mut b = SqlBuilder::new(&format!(
                "SELECT string_agg((SELECT {} FROM stat_running r WHERE r.campaign_id = ",
                packed.join(" || ',' || ")
            ));
            b.bind(Value::Int(campaign.get())).push(" AND r.unit_id = u.id AND r.day <= ");
            b.bind(Value::Text(date_text(day))).push(" ORDER BY r.day DESC LIMIT 1), ';') FROM units u WHERE 1 = 1");
            over.push(&mut b, "u.id");
            b
        }
    };
    let mut out = HashMap::new();
    let row = b.build().fetch_optional(&mut *c).await?;
    let Some(r) = row else { return Ok(out) };
    let read = |values: &mut dyn Iterator<Item = Result<i64, StoreError>>| -> Result<Kept, StoreError> {
        let mut k = Kept::default();
        for f in fields {
            k.0[f.index()] = values.next().transpose()?.unwrap_or(0);
        }
        Ok(k)
    };
    match over {
        Over::EachUnit(_) => {
            let packed: Option<String> = r.try_get(0)?;
            for unit in packed.as_deref().unwrap_or("").split(';').filter(|u| !u.is_empty()) {
                let mut values = unit
                    .split(',')
                    .map(|v| v.parse::<i64>().map_err(|_| StoreError::corrupt(format!("not a kept figure: {v}"))));
                let id = values.next().transpose()?.unwrap_or(0);
                out.insert(UnitId::from_raw(id), read(&mut values)?);
            }
        }
        Over::Subtree(_, root) | Over::Everything(root) => {
            let mut values = (0..fields.len()).map(|i| Ok(r.try_get::<Option<i64>, _>(i)?.unwrap_or(0)));
            out.insert(root, read(&mut values)?);
        }
    }
    Ok(out)
}

/// `SELECT {select}` over each unit's latest running sum on or before `day` (`r`), found unit
/// by unit (CROSS JOIN keeps SQLite from starting at the running rows).
fn latest_of_each_unit(over: Over<'_>, campaign: CampaignId, day: Date, select: &str) -> SqlBuilder {
    let mut b = SqlBuilder::new(&format!(
        "SELECT {select} FROM (SELECT u.id AS unit_id, (SELECT MAX(x.day) FROM stat_running x WHERE x.campaign_id = "
    ));
    b.bind(Value::Int(campaign.get())).push(" AND x.unit_id = u.id AND x.day <= ");
    b.bind(Value::Text(date_text(day))).push(") AS day FROM units u WHERE 1 = 1");
    over.push(&mut b, "u.id");
    b.push(") m CROSS JOIN stat_running r WHERE r.campaign_id = ").bind(Value::Int(campaign.get()));
    b.push(" AND r.unit_id = m.unit_id AND r.day = m.day");
    b
}

/// The running sums of `cols` of every unit of `campaign`, on each day that changed them from
/// `since` (with the latest before it, if any) on.
async fn running_all(
    c: &mut Conn,
    campaign: CampaignId,
    cols: &[String],
    since: Option<Date>,
) -> Result<Vec<(Date, Vec<i64>)>, StoreError> {
    let mut b = SqlBuilder::new(&format!("SELECT day, {} FROM stat_running_all WHERE campaign_id = ", cols.join(", ")));
    b.bind(Value::Int(campaign.get()));
    if let Some(since) = since {
        b.push(" AND day >= COALESCE((SELECT MAX(x.day) FROM stat_running_all x WHERE x.campaign_id = ");
        b.bind(Value::Int(campaign.get())).push(" AND x.day < ").bind(Value::Text(date_text(since))).push("), '')");
    }
    b.push(" ORDER BY day");
    let mut out = Vec::new();
    for r in b.build().fetch_all(&mut *c).await? {
        let values = (1..=cols.len()).map(|i| r.try_get::<i64, _>(i)).collect::<Result<_, _>>()?;
        out.push((parse_stored_date(&r.try_get::<String, _>(0)?)?, values));
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
    let mut out = Vec::new();
    if let Over::Everything(_) = over {
        let mut last = 0;
        for (day, v) in running_all(c, campaign, std::slice::from_ref(&col), Some(from)).await? {
            let n = v[0] - last;
            last = v[0];
            if day >= from && day <= to && n != 0 {
                out.push((day, n));
            }
        }
        return Ok(out);
    }
    let mut b =
        SqlBuilder::new(&format!("SELECT t.day, CAST(SUM(t.{col}) AS BIGINT) FROM stat_days t WHERE t.campaign_id = "));
    b.bind(Value::Int(campaign.get()));
    b.push(" AND t.day >= ").bind(Value::Text(date_text(from)));
    b.push(" AND t.day <= ").bind(Value::Text(date_text(to)));
    b.push(&format!(" AND t.{col} <> 0"));
    over.push(&mut b, "t.unit_id");
    b.push(" GROUP BY t.day");
    for r in b.build().fetch_all(&mut *c).await? {
        let n: i64 = r.try_get::<Option<i64>, _>(1)?.unwrap_or(0);
        if n != 0 {
            out.push((parse_stored_date(&r.try_get::<String, _>(0)?)?, n));
        }
    }
    Ok(out)
}

/// A subtree's `fields` month by month (months with nothing kept left out).
pub async fn by_month(
    c: &mut Conn,
    over: Over<'_>,
    campaign: CampaignId,
    fields: &[Field],
) -> Result<Vec<(YearMonth, Kept)>, StoreError> {
    let cols: Vec<String> = fields.iter().map(|f| f.column()).collect();
    let mut out: Vec<(YearMonth, Kept)> = Vec::new();
    if let Over::Everything(_) = over {
        // Each month's last running sum less the month before's.
        let mut last = vec![0; cols.len()];
        for (day, v) in running_all(c, campaign, &cols, None).await? {
            let month = YearMonth::of(day);
            if out.last().is_none_or(|(m, _)| *m != month) {
                out.push((month, Kept::default()));
            }
            if let Some((_, k)) = out.last_mut() {
                for (i, f) in fields.iter().enumerate() {
                    k.0[f.index()] += v[i] - last[i];
                }
            }
            last = v;
        }
        out.retain(|(_, k)| !k.is_zero());
        return Ok(out);
    }
    let sums: Vec<String> = cols.iter().map(|c| format!("CAST(SUM(t.{c}) AS BIGINT)")).collect();
    let mut b = SqlBuilder::new(&format!(
        "SELECT SUBSTR(t.day, 1, 7) AS month, {} FROM stat_days t WHERE t.campaign_id = ",
        sums.join(", ")
    ));
    b.bind(Value::Int(campaign.get()));
    over.push(&mut b, "t.unit_id");
    b.push(" GROUP BY SUBSTR(t.day, 1, 7)");
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

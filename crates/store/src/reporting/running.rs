//! The statistics' running sums (migration 0037): for each unit, and for every unit of a
//! campaign together, what the leads add up to from the first day through each day that changed
//! it. A sum up to a day is the latest row on or before it: one row a unit, one for the whole
//! system. A change adds its share to the row of its day (made from the row before it if there
//! is none) and to every later row; [`recount`] builds them from the day rows in one pass.

use std::collections::BTreeMap;

use domain::reporting::kept::{FIELDS, Field, Kept};
use sqlx::Row;
use time::Date;

use crate::{
    Conn, StoreError, Tx,
    sql::{SqlBuilder, Value, date_text},
};

/// The two tables of running sums.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Table {
    /// One unit's, keyed by campaign and unit.
    Unit,
    /// Every unit of a campaign together, keyed by campaign.
    All,
}

impl Table {
    fn name(self) -> &'static str {
        match self {
            Table::Unit => "stat_running",
            Table::All => "stat_running_all",
        }
    }

    fn key(self) -> &'static [&'static str] {
        match self {
            Table::Unit => &["campaign_id", "unit_id"],
            Table::All => &["campaign_id"],
        }
    }

    /// `alias.key = $n AND …` for `values`.
    fn push_match(self, b: &mut SqlBuilder, alias: &str, values: &[i64]) {
        for (i, (col, v)) in self.key().iter().zip(values).enumerate() {
            b.push(&format!("{}{alias}.{col} = ", if i > 0 { " AND " } else { "" })).bind(Value::Int(*v));
        }
    }
}

fn columns() -> Vec<String> {
    Field::all().map(Field::column).collect()
}

/// Adds the day rows' changes (`days`, keyed by campaign, unit and day) to the running sums of
/// their units and of their campaigns.
pub(crate) async fn add(tx: &mut Tx, days: &BTreeMap<((i64, i64), Date), Kept>) -> Result<(), StoreError> {
    let mut all: BTreeMap<(i64, Date), Kept> = BTreeMap::new();
    for (((campaign, unit), day), k) in days {
        add_one(tx, Table::Unit, &[*campaign, *unit], *day, k).await?;
        all.entry((*campaign, *day)).or_default().add(k, 1);
    }
    for ((campaign, day), k) in all {
        if !k.is_zero() {
            add_one(tx, Table::All, &[campaign], day, &k).await?;
        }
    }
    Ok(())
}

async fn add_one(tx: &mut Tx, table: Table, key: &[i64], day: Date, k: &Kept) -> Result<(), StoreError> {
    let (t, cols) = (table.name(), columns());
    let keys = table.key().join(", ");
    // The day's row, if it has none yet: the running sums of the row before it (or nothing).
    let mut b = SqlBuilder::new(&format!("INSERT INTO {t} ({keys}, day, {}) SELECT ", cols.join(", ")));
    for v in key {
        b.bind(Value::Int(*v)).push(", ");
    }
    b.bind(Value::Text(date_text(day)));
    let carried: Vec<String> = cols.iter().map(|c| format!("COALESCE(p.{c}, 0)")).collect();
    b.push(&format!(", {} FROM (SELECT 1 AS one) o LEFT JOIN {t} p ON ", carried.join(", ")));
    table.push_match(&mut b, "p", key);
    b.push(&format!(" AND p.day = (SELECT MAX(q.day) FROM {t} q WHERE "));
    table.push_match(&mut b, "q", key);
    b.push(" AND q.day < ").bind(Value::Text(date_text(day)));
    b.push(&format!(") WHERE NOT EXISTS (SELECT 1 FROM {t} e WHERE "));
    table.push_match(&mut b, "e", key);
    b.push(" AND e.day = ").bind(Value::Text(date_text(day))).push(")");
    b.build().execute(&mut **tx).await?;
    // Then the change, to it and to every later row.
    let changed: Vec<(&String, i64)> = cols.iter().zip(k.0).filter(|(_, v)| *v != 0).collect();
    if changed.is_empty() {
        return Ok(());
    }
    let mut b = SqlBuilder::new(&format!("UPDATE {t} SET "));
    for (i, (c, v)) in changed.iter().enumerate() {
        b.push(&format!("{}{c} = {c} + ", if i > 0 { ", " } else { "" })).bind(Value::Int(*v));
    }
    b.push(" WHERE ");
    table.push_match(&mut b, t, key);
    b.push(&format!(" AND {t}.day >= ")).bind(Value::Text(date_text(day)));
    b.build().execute(&mut **tx).await?;
    Ok(())
}

/// Builds the running sums afresh from the day rows (which the caller has just counted).
pub(crate) async fn recount(tx: &mut Tx) -> Result<(), StoreError> {
    let cols = columns();
    let running: Vec<String> = cols.iter().map(|c| format!("CAST(SUM({c}) OVER w AS BIGINT)")).collect();
    let sums: Vec<String> = cols.iter().map(|c| format!("SUM({c}) AS {c}")).collect();
    let (cols, running) = (cols.join(", "), running.join(", "));
    let steps = [
        "DELETE FROM stat_running".to_owned(),
        "DELETE FROM stat_running_all".to_owned(),
        format!(
            "INSERT INTO stat_running (campaign_id, unit_id, day, {cols})
             SELECT campaign_id, unit_id, day, {running} FROM stat_days
             WINDOW w AS (PARTITION BY campaign_id, unit_id ORDER BY day ROWS UNBOUNDED PRECEDING)"
        ),
        format!(
            "INSERT INTO stat_running_all (campaign_id, day, {cols})
             SELECT campaign_id, day, {running}
             FROM (SELECT campaign_id, day, {} FROM stat_days GROUP BY campaign_id, day) x
             WINDOW w AS (PARTITION BY campaign_id ORDER BY day ROWS UNBOUNDED PRECEDING)",
            sums.join(", ")
        ),
    ];
    for sql in steps {
        sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut **tx).await?;
    }
    Ok(())
}

/// What each running row adds to the one before it, where it adds anything, keyed as
/// `table campaign/unit day` (the tests compare these with the day rows a recount makes).
pub(crate) async fn dump(c: &mut Conn) -> Result<Vec<(String, Vec<i64>)>, StoreError> {
    let cols = columns().join(", ");
    let mut out = Vec::new();
    for (table, unit) in [("stat_running", "unit_id"), ("stat_running_all", "CAST(0 AS BIGINT)")] {
        let sql =
            format!("SELECT campaign_id, {unit} AS unit, day, {cols} FROM {table} ORDER BY campaign_id, unit, day");
        let mut last: Option<((i64, i64), Vec<i64>)> = None;
        for r in sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(&mut *c).await? {
            let key: (i64, i64) = (r.try_get(0)?, r.try_get(1)?);
            let values: Vec<i64> = (3..3 + FIELDS).map(|i| r.try_get(i)).collect::<Result<_, _>>()?;
            let before = match &last {
                Some((k, v)) if *k == key => v.clone(),
                _ => vec![0; FIELDS],
            };
            let added: Vec<i64> = values.iter().zip(&before).map(|(a, b)| a - b).collect();
            if added.iter().any(|v| *v != 0) {
                out.push((format!("{table} {}/{} {}", key.0, key.1, r.try_get::<String, _>(2)?), added));
            }
            last = Some((key, values));
        }
    }
    Ok(out)
}

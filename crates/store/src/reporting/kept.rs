//! The statistics' kept figures (migrations 0036 and 0037, `domain::reporting::kept`): what each
//! lead adds to its unit's figures by day (and, in `running`, through each day), changed in the
//! same transaction as the lead. The board's hooks (`supervision::tallies::before_change` and `after_change`) carry
//! them, so every store function that changes a lead keeps both. A bulk load marks them
//! uncounted; the next reader counts them afresh ([`recount`], one grouped pass in SQL — a
//! second definition of the same shares, which the tests hold equal to the kept rows).

use std::collections::BTreeMap;

use domain::{
    CampaignId, LeadId, UnitId,
    ledger::{
        campaign::StockClass,
        lead::{Category, LeadStatus, Source},
    },
    lifecycle::conclusion::{Finding, FourForms, Sanction},
    reporting::kept::{FIELDS, Field, Kept, LeadFacts, SANCTIONS},
};
use sqlx::{Row, any::AnyRow};
use time::Date;

use super::statistics::CLOSED_ON;
use crate::{
    Conn, StoreError, Tx,
    sql::{SqlBuilder, Value, code, date_text, parse_stored_date},
};

fn facts_sql() -> String {
    // A lead's subjects by form and by sanction: a handful of rows, found by its id.
    let outcome = |cond: String, name: String| {
        format!("(SELECT COUNT(*) FROM subject_outcomes o WHERE o.lead_id = l.id AND {cond}) AS {name}")
    };
    let forms = FourForms::ALL.iter().map(|f| outcome(format!("o.form = {}", f.code()), Field::Form(*f).column()));
    let sanctions =
        Sanction::ALL.iter().map(|s| outcome(format!("o.sanction = '{}'", s.code()), Field::Sanction(*s).column()));
    format!(
        "SELECT l.campaign_id, l.unit_id, l.status, l.stock_class, l.received_on, {CLOSED_ON} AS cd, l.deadline,
            l.finding, l.category, l.source, {}
         FROM leads l JOIN campaigns k ON k.id = l.campaign_id",
        forms.chain(sanctions).collect::<Vec<_>>().join(", ")
    )
}

fn lead_facts(r: &AnyRow) -> Result<LeadFacts, StoreError> {
    let day = |col: &str| -> Result<Option<Date>, StoreError> {
        r.try_get::<Option<String>, _>(col)?.filter(|s| !s.is_empty()).map(|s| parse_stored_date(&s)).transpose()
    };
    Ok(LeadFacts {
        campaign: CampaignId::from_raw(r.try_get("campaign_id")?),
        unit: UnitId::from_raw(r.try_get("unit_id")?),
        status: code(&r.try_get::<String, _>("status")?, LeadStatus::from_code)?,
        stock_class: code(&r.try_get::<String, _>("stock_class")?, StockClass::from_code)?,
        received_on: parse_stored_date(&r.try_get::<String, _>("received_on")?)?,
        closed_on: day("cd")?,
        deadline: parse_stored_date(&r.try_get::<String, _>("deadline")?)?,
        finding: r.try_get::<Option<String>, _>("finding")?.as_deref().and_then(Finding::from_code),
        category: code(&r.try_get::<String, _>("category")?, Category::from_code)?,
        source: code(&r.try_get::<String, _>("source")?, Source::from_code)?,
        forms: {
            let mut n = [0; 4];
            for (slot, f) in n.iter_mut().zip(FourForms::ALL) {
                *slot = r.try_get(Field::Form(*f).column().as_str())?;
            }
            n
        },
        sanctions: {
            let mut n = [0; SANCTIONS];
            for (slot, s) in n.iter_mut().zip(Sanction::ALL) {
                *slot = r.try_get(Field::Sanction(*s).column().as_str())?;
            }
            n
        },
    })
}

/// What `lead` adds to the statistics now (`None`: it is in no campaign).
pub(crate) async fn facts(c: &mut Conn, lead: LeadId) -> Result<Option<LeadFacts>, StoreError> {
    sqlx::query(sqlx::AssertSqlSafe(format!("{} WHERE l.id = $1", facts_sql())))
        .bind(lead.get())
        .fetch_optional(&mut *c)
        .await?
        .as_ref()
        .map(lead_facts)
        .transpose()
}

/// [`facts`] of many leads, read in batches.
pub(crate) async fn facts_of(tx: &mut Tx, leads: &[LeadId]) -> Result<Vec<LeadFacts>, StoreError> {
    let mut out = Vec::with_capacity(leads.len());
    for chunk in leads.chunks(crate::sql::rows_per_statement(1)) {
        let mut b = SqlBuilder::new(&format!("{} WHERE l.id IN (", facts_sql()));
        b.push_ints(chunk.iter().map(|id| id.get())).push(")");
        for r in b.build().fetch_all(&mut **tx).await? {
            out.push(lead_facts(&r)?);
        }
    }
    Ok(out)
}

/// Whether the kept rows have been counted (and kept in step since).
pub async fn counted(c: &mut Conn) -> Result<bool, StoreError> {
    let n: i64 =
        sqlx::query("SELECT counted FROM stat_tally_state WHERE id = 1").fetch_one(&mut *c).await?.try_get(0)?;
    Ok(n != 0)
}

/// Marks them for a recount (a bulk load, a campaign adopting many leads at once).
pub(crate) async fn invalidate(c: &mut Conn) -> Result<(), StoreError> {
    sqlx::query("UPDATE stat_tally_state SET counted = 0 WHERE id = 1").execute(&mut *c).await?;
    Ok(())
}

type Key = (i64, i64);

/// Adds each lead's shares, times its sign (−1: the lead as it was before a change, +1: as it
/// is after), to the kept rows. The caller holds the audit head's lock, as the board's keeping
/// does, so a recount is wholly before or after it.
pub(crate) async fn apply(tx: &mut Tx, changes: &[(LeadFacts, i64)]) -> Result<(), StoreError> {
    if changes.is_empty() || !counted(tx).await? {
        return Ok(());
    }
    let mut days: BTreeMap<(Key, Date), Kept> = BTreeMap::new();
    for (f, sign) in changes {
        for (day, k) in f.shares() {
            days.entry(((f.campaign.get(), f.unit.get()), day)).or_default().add(&k, *sign);
        }
    }
    days.retain(|_, k| !k.is_zero());
    let rows = days.iter().map(|((key, day), k)| (*key, date_text(*day), *k)).collect();
    upsert(tx, rows).await?;
    super::running::add(tx, &days).await
}

/// Adds `rows` into the day rows, keyed by campaign, unit and day.
async fn upsert(tx: &mut Tx, rows: Vec<(Key, String, Kept)>) -> Result<(), StoreError> {
    let cols: Vec<String> = Field::all().map(Field::column).collect();
    let key = "campaign_id, unit_id, day";
    let sets: Vec<String> = cols.iter().map(|c| format!("{c} = stat_days.{c} + excluded.{c}")).collect();
    for chunk in rows.chunks(crate::sql::rows_per_statement(FIELDS + 3)) {
        let mut b = SqlBuilder::bulk(tx, &format!("INSERT INTO stat_days ({key}, {}) VALUES ", cols.join(", ")));
        for (i, ((campaign, unit), day, k)) in chunk.iter().enumerate() {
            let mut row = vec![Value::Int(*campaign), Value::Int(*unit), Value::Text(day.clone())];
            row.extend(k.0.iter().map(|v| Value::Int(*v)));
            b.push_row(i == 0, row);
        }
        b.push(&format!(" ON CONFLICT ({key}) DO UPDATE SET {}", sets.join(", ")));
        b.build().execute(&mut **tx).await?;
    }
    Ok(())
}

/// One arm of the recount: the leads that add to fields on one kind of day.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Arm {
    Received,
    Closed,
    Due,
    Overdue,
    /// Each subject's outcome, by the day its lead closed.
    Outcome,
}

/// The SQL expression for what a lead adds to `f` in `arm` (0 or 1).
fn expr(arm: Arm, f: Field) -> String {
    let when = |cond: String| format!("CASE WHEN {cond} THEN 1 ELSE 0 END");
    match (arm, f) {
        (Arm::Received, Field::Received) | (Arm::Closed, Field::Closed) => "1".into(),
        (Arm::Due, Field::OpenDue) | (Arm::Overdue, Field::OverdueFrom) => "1".into(),
        (Arm::Received, Field::NewReceived) => when("l.stock_class = 'new'".into()),
        (Arm::Received, Field::StockReceived) | (Arm::Closed, Field::StockClosed) => {
            when("l.stock_class = 'stock'".into())
        }
        (Arm::Closed, Field::Confirmed) => when("l.finding IN ('confirmed', 'partly_confirmed')".into()),
        (Arm::Received, Field::Category(c)) => when(format!("l.category = '{}'", c.code())),
        (Arm::Received, Field::Source(s)) => when(format!("l.source = '{}'", s.code())),
        (Arm::Outcome, Field::Form(f)) => when(format!("o.form = {}", f.code())),
        (Arm::Outcome, Field::Sanction(s)) => when(format!("o.sanction = '{}'", s.code())),
        _ => "0".into(),
    }
}

/// Counts every campaign's leads afresh into the kept rows. Returns false when they were
/// already counted (another reader did it first).
pub async fn recount(tx: &mut Tx) -> Result<bool, StoreError> {
    sqlx::query("UPDATE audit_head SET seq = seq WHERE id = 1").execute(&mut **tx).await?;
    if counted(tx).await? {
        return Ok(false);
    }
    sqlx::query("DELETE FROM stat_days").execute(&mut **tx).await?;
    let fields: Vec<Field> = Field::all().collect();
    let cols: Vec<String> = fields.iter().map(|f| f.column()).collect();
    let open: Vec<String> = LeadStatus::ALL.iter().filter(|s| s.is_open()).map(|s| format!("'{}'", s.code())).collect();
    let cd = CLOSED_ON;
    // The day each arm counts on, and which leads it counts (codes are the domain's own).
    let leads = "leads l JOIN campaigns k ON k.id = l.campaign_id";
    let arms = [
        (Arm::Received, leads, "l.received_on".to_owned(), "l.status <> 'merged'".to_owned()),
        (Arm::Closed, leads, cd.to_owned(), format!("l.status <> 'merged' AND {cd} IS NOT NULL")),
        (Arm::Due, leads, "l.deadline".to_owned(), format!("l.status IN ({})", open.join(", "))),
        (
            Arm::Overdue,
            leads,
            "CASE WHEN l.deadline > l.received_on THEN l.deadline ELSE l.received_on END".to_owned(),
            format!("l.status <> 'merged' AND ({cd} IS NULL OR {cd} > l.deadline)"),
        ),
        (
            Arm::Outcome,
            "subject_outcomes o JOIN leads l ON l.id = o.lead_id JOIN campaigns k ON k.id = l.campaign_id",
            cd.to_owned(),
            format!("{cd} IS NOT NULL"),
        ),
    ];
    let selects: Vec<String> = arms
        .iter()
        .map(|(arm, from, day, cond)| {
            let values: Vec<String> =
                fields.iter().zip(&cols).map(|(f, c)| format!("{} AS {c}", expr(*arm, *f))).collect();
            format!("SELECT l.campaign_id, l.unit_id, {day} AS day, {} FROM {from} WHERE {cond}", values.join(", "))
        })
        .collect();
    let sums: Vec<String> = cols.iter().map(|c| format!("SUM({c})")).collect();
    let (cols, sums) = (cols.join(", "), sums.join(", "));
    let sql = format!(
        "INSERT INTO stat_days (campaign_id, unit_id, day, {cols}) SELECT campaign_id, unit_id, day, {sums}
             FROM ({}) x GROUP BY campaign_id, unit_id, day",
        selects.join(" UNION ALL ")
    );
    sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut **tx).await?;
    super::running::recount(tx).await?;
    sqlx::query("UPDATE stat_tally_state SET counted = 1 WHERE id = 1").execute(&mut **tx).await?;
    Ok(true)
}

/// Every kept day row, then what each running sum adds to the one before it, in key order
/// (the tests compare them with a recount): a key and its figures.
pub async fn dump(c: &mut Conn) -> Result<Vec<(String, Vec<i64>)>, StoreError> {
    let cols: Vec<String> = Field::all().map(Field::column).collect();
    let sql = format!(
        "SELECT campaign_id, unit_id, day, {} FROM stat_days ORDER BY campaign_id, unit_id, day",
        cols.join(", ")
    );
    let mut out = Vec::new();
    for r in sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(&mut *c).await? {
        let values: Vec<i64> = (3..3 + FIELDS).map(|i| r.try_get(i)).collect::<Result<_, _>>()?;
        if values.iter().all(|v| *v == 0) {
            continue;
        }
        let (campaign, unit, day): (i64, i64, String) = (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?);
        out.push((format!("stat_days {campaign}/{unit} {day}"), values));
    }
    out.extend(super::running::dump(c).await?);
    Ok(out)
}

//! The statistics' counts (`domain::reporting::figures`), each unit's own, for a campaign and a
//! period, within the caller's scope. Every count is one grouped query over the table that
//! records it; the app sums units into their subtrees.

use std::collections::HashMap;

use domain::{
    CampaignId, UnitId,
    dates::BEIJING,
    ledger::lead::LeadStatus,
    protection::scope::Scope,
    reporting::figures::{Count, Counts},
};
use sqlx::Row;
use time::{Date, Duration, Time};

use crate::{
    Conn, StoreError, scope,
    sql::{SqlBuilder, Value, date_text, parse_stored_date, to_micros},
};

/// What is counted: a campaign's leads, over the days `from`–`to`, as of `today`.
#[derive(Debug, Clone, Copy)]
pub struct Window {
    pub campaign: CampaignId,
    pub from: Date,
    pub to: Date,
    pub today: Date,
}

impl Window {
    /// The period's instants, for the tables that keep times: its first moment, and the first
    /// moment after it (Beijing days).
    fn instants(&self) -> (i64, i64) {
        let at = |d: Date| to_micros(d.with_time(Time::MIDNIGHT).assume_offset(BEIJING));
        (at(self.from), at(self.to + Duration::days(1)))
    }
}

/// The day a lead closed, as clearance counts it: a transfer that waits for its receipt closes
/// on the day of the receipt.
pub(crate) const CLOSED_ON: &str = "(CASE WHEN l.status = 'transferred' AND k.transfer_needs_receipt = 1 THEN l.transfer_received_on ELSE l.closed_on END)";

fn codes(pick: impl Fn(LeadStatus) -> bool) -> String {
    LeadStatus::ALL.iter().filter(|s| pick(**s)).map(|s| format!("'{}'", s.code())).collect::<Vec<_>>().join(", ")
}

fn add(out: &mut HashMap<UnitId, Counts>, unit: i64, count: Count, n: i64) {
    let c = out.entry(UnitId::from_raw(unit)).or_default();
    c.set(count, c.get(count) + n);
}

/// Which of the scope's leads are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Leads<'a> {
    /// Those the scope reaches (leads naming the caller left out).
    InScope,
    /// Only these of the scope's leads (ids the store read: [`naming`]'s), leads naming the
    /// caller included: what the kept figures hold and the caller's statistics take away.
    Only(&'a [i64]),
}

pub(crate) fn push_leads(b: &mut SqlBuilder, scope: &Scope, which: Leads<'_>) {
    match which {
        Leads::InScope => scope::push(b, scope),
        Leads::Only(ids) => {
            scope::push_as(b, scope, "l.unit_id", false);
            b.push(" AND l.id IN (").push_ints(ids.iter().copied()).push(")");
        }
    }
}

/// The leads naming the account `user` (its recusals: a handful at most).
pub async fn naming(c: &mut Conn, user: i64) -> Result<Vec<i64>, StoreError> {
    let rows = sqlx::query("SELECT lead_id FROM recusals WHERE user_id = $1 ORDER BY lead_id")
        .bind(user)
        .fetch_all(&mut *c)
        .await?;
    rows.iter().map(|r| r.try_get(0).map_err(StoreError::from)).collect()
}

/// Each unit's own counts (units with nothing to count are absent), every one counted afresh.
pub async fn counts(c: &mut Conn, scope: &Scope, w: &Window) -> Result<HashMap<UnitId, Counts>, StoreError> {
    let mut out = lead_counts(c, scope, w, Leads::InScope).await?;
    for (unit, n) in forms(c, scope, w, Leads::InScope).await? {
        for count in [Count::Form1, Count::Form2, Count::Form3, Count::Form4] {
            add(&mut out, unit.get(), count, n.get(count));
        }
    }
    add_others(c, scope, w, &mut out).await?;
    Ok(out)
}

/// Adds the counts that come from records other than the leads themselves and their subjects'
/// outcomes (extensions, dispositions, reviews, rectifications and the rest).
pub async fn add_others(
    c: &mut Conn,
    scope: &Scope,
    w: &Window,
    out: &mut HashMap<UnitId, Counts>,
) -> Result<(), StoreError> {
    activities(c, scope, w, out).await?;
    oversight(c, scope, w, out).await?;
    for c in out.values_mut() {
        c.set(Count::ReviewsDone, c.get(Count::ReviewsUpheld) + c.get(Count::ReviewsReturned));
    }
    Ok(())
}

/// Each unit's counts made from its leads alone (those `domain::reporting::kept` keeps).
pub async fn lead_counts(
    c: &mut Conn,
    scope: &Scope,
    w: &Window,
    which: Leads<'_>,
) -> Result<HashMap<UnitId, Counts>, StoreError> {
    let mut out = HashMap::new();
    leads(c, scope, w, which, &mut out).await?;
    Ok(out)
}

async fn leads(
    c: &mut Conn,
    scope: &Scope,
    w: &Window,
    which: Leads<'_>,
    out: &mut HashMap<UnitId, Counts>,
) -> Result<(), StoreError> {
    let (from, to, today) = (date_text(w.from), date_text(w.to), date_text(w.today));
    let as_of = date_text(w.to.min(w.today));
    let open = codes(LeadStatus::is_open);
    let cd = CLOSED_ON;
    // The status codes are the domain's own, never input; every value is bound.
    let mut b = SqlBuilder::new("SELECT l.unit_id, SUM(CASE WHEN l.received_on >= ");
    b.bind(Value::Text(from.clone())).push(" AND l.received_on <= ").bind(Value::Text(to.clone()));
    b.push(" THEN 1 ELSE 0 END) AS received, SUM(CASE WHEN l.stock_class = 'new' AND l.received_on >= ");
    b.bind(Value::Text(from.clone())).push(" AND l.received_on <= ").bind(Value::Text(to.clone()));
    b.push(&format!(" THEN 1 ELSE 0 END) AS new_received, SUM(CASE WHEN {cd} >= "));
    b.bind(Value::Text(from)).push(&format!(" AND {cd} <= ")).bind(Value::Text(to.clone()));
    b.push(" THEN 1 ELSE 0 END) AS closed, SUM(CASE WHEN l.stock_class = 'stock' AND l.received_on <= ");
    b.bind(Value::Text(to.clone()));
    b.push(&format!(" THEN 1 ELSE 0 END) AS stock_total, SUM(CASE WHEN l.stock_class = 'stock' AND {cd} <= "));
    b.bind(Value::Text(to.clone()));
    b.push(" THEN 1 ELSE 0 END) AS stock_cleared, SUM(CASE WHEN l.received_on <= ").bind(Value::Text(to.clone()));
    b.push(&format!(" THEN 1 ELSE 0 END) AS received_to_date, SUM(CASE WHEN {cd} <= ")).bind(Value::Text(to.clone()));
    b.push(&format!(" THEN 1 ELSE 0 END) AS closed_to_date, SUM(CASE WHEN {cd} <= ")).bind(Value::Text(to.clone()));
    b.push(" AND l.finding IN ('confirmed', 'partly_confirmed') THEN 1 ELSE 0 END) AS confirmed_to_date,");
    b.push(&format!(" SUM(CASE WHEN l.status IN ({open}) AND l.deadline < ")).bind(Value::Text(today));
    // Ever overdue by the period's end: not closed by its deadline, and past both its deadline
    // and the day it came in before the period's last day (or today, if that is earlier). For
    // a lead received by its deadline this is: closed after its deadline by then, or not
    // closed by then and past its deadline.
    b.push(&format!(" THEN 1 ELSE 0 END) AS overdue_now, SUM(CASE WHEN ({cd} IS NULL OR {cd} > l.deadline)"));
    b.push(" AND (CASE WHEN l.deadline > l.received_on THEN l.deadline ELSE l.received_on END) < ");
    b.bind(Value::Text(as_of));
    b.push(" THEN 1 ELSE 0 END) AS overdue_ever FROM leads l JOIN campaigns k ON k.id = l.campaign_id");
    b.push(" WHERE l.status <> 'merged' AND l.campaign_id = ").bind(Value::Int(w.campaign.get()));
    push_leads(&mut b, scope, which);
    b.push(" GROUP BY l.unit_id");
    let named = [
        ("received", Count::Received),
        ("new_received", Count::NewReceived),
        ("closed", Count::Closed),
        ("stock_total", Count::StockTotal),
        ("stock_cleared", Count::StockCleared),
        ("received_to_date", Count::ReceivedToDate),
        ("closed_to_date", Count::ClosedToDate),
        ("confirmed_to_date", Count::ConfirmedToDate),
        ("overdue_now", Count::OverdueNow),
        ("overdue_ever", Count::OverdueEver),
    ];
    for r in b.build().fetch_all(&mut *c).await? {
        let unit: i64 = r.try_get("unit_id")?;
        for (col, count) in named {
            add(out, unit, count, r.try_get::<Option<i64>, _>(col)?.unwrap_or(0));
        }
    }
    Ok(())
}

/// The campaign and the scope for a count over a table of records joined to `leads l`. Those
/// queries say `records CROSS JOIN leads l WHERE l.id = records.lead_id`: SQLite then starts
/// from the records, few and narrowed by their own day, and looks each one's lead up, where it
/// otherwise walked the campaign's leads (a million at R1's size, a second a query) probing
/// each for records. PostgreSQL orders the join itself either way. The unary `+` keeps SQLite
/// from trading the lookup for the leads' campaign or unit index.
fn drive_from_records(b: &mut SqlBuilder, scope: &Scope, w: &Window) {
    b.push(" AND +l.campaign_id = ").bind(Value::Int(w.campaign.get()));
    scope::push_as(b, scope, "+l.unit_id", true);
}

/// One grouped count over `FROM …` (which joins `leads l` and `campaigns k`), keyed by unit and
/// an optional second column that `key` turns into the count it adds to.
async fn grouped(
    c: &mut Conn,
    scope: &Scope,
    w: &Window,
    (select, tail): (&str, SqlBuilder),
    key: impl Fn(Option<&str>) -> Option<Count>,
    out: &mut HashMap<UnitId, Counts>,
) -> Result<(), StoreError> {
    let mut b = tail;
    drive_from_records(&mut b, scope, w);
    b.push(" GROUP BY ").push(select);
    for r in b.build().fetch_all(&mut *c).await? {
        let unit: i64 = r.try_get(0)?;
        let k: Option<String> = if r.len() > 2 { r.try_get(1)? } else { None };
        let n: i64 = r.try_get(r.len() - 1)?;
        if let Some(count) = key(k.as_deref()) {
            add(out, unit, count, n);
        }
    }
    Ok(())
}

/// Extensions, feedback due and dispositions.
async fn activities(
    c: &mut Conn,
    scope: &Scope,
    w: &Window,
    out: &mut HashMap<UnitId, Counts>,
) -> Result<(), StoreError> {
    let (start, end) = w.instants();
    let mut b = SqlBuilder::new(
        "SELECT l.unit_id, COUNT(*) FROM extensions e CROSS JOIN leads l
         WHERE l.id = e.lead_id AND e.state = 'approved' AND e.approved_at >= ",
    );
    b.bind(Value::Int(start)).push(" AND e.approved_at < ").bind(Value::Int(end));
    grouped(c, scope, w, ("l.unit_id", b), |_| Some(Count::Extensions), out).await?;
    let mut b = SqlBuilder::new(
        "SELECT l.unit_id, COUNT(*) FROM extensions e CROSS JOIN leads l
         WHERE l.id = e.lead_id AND e.state = 'approved' AND e.needs_head = 1 AND e.approved_at >= ",
    );
    b.bind(Value::Int(start)).push(" AND e.approved_at < ").bind(Value::Int(end));
    grouped(c, scope, w, ("l.unit_id", b), |_| Some(Count::FlaggedExtensions), out).await?;
    // Feedback to signed reporters due in the period; on time when given by its due day.
    let mut b = SqlBuilder::new(
        "SELECT l.unit_id, k.due_on, k.stopped_at FROM lead_clocks k CROSS JOIN leads l
         WHERE l.id = k.lead_id AND k.rule IN ('acceptance_notice', 'result_notice') AND k.due_on >= ",
    );
    b.bind(Value::Text(date_text(w.from))).push(" AND k.due_on <= ").bind(Value::Text(date_text(w.to)));
    drive_from_records(&mut b, scope, w);
    for r in b.build().fetch_all(&mut *c).await? {
        let unit: i64 = r.try_get("unit_id")?;
        add(out, unit, Count::FeedbackDue, 1);
        let due = parse_stored_date(&r.try_get::<String, _>("due_on")?)?;
        let given: Option<i64> = r.try_get("stopped_at")?;
        if given.is_some_and(|at| domain::dates::beijing_date(crate::from_micros(at)) <= due) {
            add(out, unit, Count::FeedbackOnTime, 1);
        }
    }

    let mut b = SqlBuilder::new(
        "SELECT l.unit_id, e.disposition, COUNT(*) FROM lead_events e CROSS JOIN leads l
         WHERE l.id = e.lead_id AND e.kind = 'dispose' AND e.state = 'done' AND COALESCE(e.decided_at, e.at) >= ",
    );
    b.bind(Value::Int(start)).push(" AND COALESCE(e.decided_at, e.at) < ").bind(Value::Int(end));
    let disposition = |d: Option<&str>| match d? {
        "talk_inquiry" => Some(Count::TalkInquiry),
        "preliminary_verification" => Some(Count::PreliminaryVerification),
        "shelve" => Some(Count::Shelved),
        "settle" => Some(Count::Settled),
        "file_case" => Some(Count::CaseFiled),
        _ => None,
    };
    grouped(c, scope, w, ("l.unit_id, e.disposition", b), disposition, out).await?;

    Ok(())
}

/// Each unit's subjects by form (四种形态), in leads closed in the period.
pub async fn forms(
    c: &mut Conn,
    scope: &Scope,
    w: &Window,
    which: Leads<'_>,
) -> Result<HashMap<UnitId, Counts>, StoreError> {
    let mut out = HashMap::new();
    let cd = CLOSED_ON;
    let mut b = SqlBuilder::new(&format!(
        "SELECT l.unit_id, CAST(o.form AS TEXT), COUNT(*) FROM subject_outcomes o CROSS JOIN leads l
         JOIN campaigns k ON k.id = l.campaign_id WHERE l.id = o.lead_id AND o.form IS NOT NULL AND {cd} >= "
    ));
    b.bind(Value::Text(date_text(w.from))).push(&format!(" AND {cd} <= ")).bind(Value::Text(date_text(w.to)));
    let form = |f: Option<&str>| match f? {
        "1" => Some(Count::Form1),
        "2" => Some(Count::Form2),
        "3" => Some(Count::Form3),
        "4" => Some(Count::Form4),
        _ => None,
    };
    if which == Leads::InScope {
        grouped(c, scope, w, ("l.unit_id, o.form", b), form, &mut out).await?;
    } else {
        b.push(" AND l.campaign_id = ").bind(Value::Int(w.campaign.get()));
        push_leads(&mut b, scope, which);
        b.push(" GROUP BY l.unit_id, o.form");
        for r in b.build().fetch_all(&mut *c).await? {
            let f: Option<String> = r.try_get(1)?;
            if let Some(count) = form(f.as_deref()) {
                add(&mut out, r.try_get(0)?, count, r.try_get(2)?);
            }
        }
    }
    Ok(out)
}

/// Reviews, rectifications, institutions, early warnings, accountability and satisfaction.
async fn oversight(
    c: &mut Conn,
    scope: &Scope,
    w: &Window,
    out: &mut HashMap<UnitId, Counts>,
) -> Result<(), StoreError> {
    let (start, end) = w.instants();
    let mut b = SqlBuilder::new(
        "SELECT r.unit_id, r.state, COUNT(*) FROM reviews r CROSS JOIN leads l
         WHERE l.id = r.lead_id AND r.decided_at >= ",
    );
    b.bind(Value::Int(start)).push(" AND r.decided_at < ").bind(Value::Int(end));
    let review = |s: Option<&str>| match s? {
        "upheld" => Some(Count::ReviewsUpheld),
        "returned" => Some(Count::ReviewsReturned),
        _ => None,
    };
    grouped(c, scope, w, ("r.unit_id, r.state", b), review, out).await?;

    // Letters issued and re-checks recorded in the period (the column is one of these constants).
    for (at, count) in [("issued_at", Count::RectificationsIssued), ("rechecked_at", Count::RectificationsRechecked)] {
        let mut b = SqlBuilder::new(&format!(
            "SELECT x.unit_id, COUNT(*) FROM rectifications x CROSS JOIN leads l WHERE l.id = x.lead_id AND x.{at} >= "
        ));
        b.bind(Value::Int(start)).push(&format!(" AND x.{at} < ")).bind(Value::Int(end));
        grouped(c, scope, w, ("x.unit_id", b), |_| Some(count), out).await?;
    }
    // On time: replied in the period, by the reply's due day (a Beijing day, so compared here).
    let mut b = SqlBuilder::new(
        "SELECT x.unit_id, x.reply_due, x.replied_at FROM rectifications x CROSS JOIN leads l
         WHERE l.id = x.lead_id AND x.replied_at >= ",
    );
    b.bind(Value::Int(start)).push(" AND x.replied_at < ").bind(Value::Int(end));
    drive_from_records(&mut b, scope, w);
    for r in b.build().fetch_all(&mut *c).await? {
        let due = parse_stored_date(&r.try_get::<String, _>("reply_due")?)?;
        let replied = domain::dates::beijing_date(crate::from_micros(r.try_get("replied_at")?));
        if replied <= due {
            add(out, r.try_get("unit_id")?, Count::RectificationsOnTime, 1);
        }
    }

    // Records kept by unit (not by lead): scoped by unit, any campaign.
    for (table, day, count) in [
        ("institutions", "issued_on", Count::Institutions),
        ("early_warnings", "given_on", Count::EarlyWarnings),
        ("accountabilities", "decided_on", Count::Accountability),
    ] {
        // Table and column names are the constants above.
        let mut b = SqlBuilder::new(&format!("SELECT t.unit_id, COUNT(*) FROM {table} t WHERE t.{day} >= "));
        b.bind(Value::Text(date_text(w.from))).push(&format!(" AND t.{day} <= ")).bind(Value::Text(date_text(w.to)));
        scope::push_units(&mut b, scope, "t.unit_id");
        b.push(" GROUP BY t.unit_id");
        for r in b.build().fetch_all(&mut *c).await? {
            add(out, r.try_get(0)?, count, r.try_get(1)?);
        }
    }

    let mut b = SqlBuilder::new(
        "SELECT l.unit_id, f.rating, COUNT(*) FROM reporter_feedback f CROSS JOIN leads l
         WHERE l.id = f.lead_id AND f.kind = 'follow_up' AND f.contacted_on >= ",
    );
    b.bind(Value::Text(date_text(w.from))).push(" AND f.contacted_on <= ").bind(Value::Text(date_text(w.to)));
    let rating = |r: Option<&str>| match r {
        Some("satisfied" | "basically_satisfied") => Some(Count::Satisfied),
        _ => None,
    };
    grouped(c, scope, w, ("l.unit_id, f.rating", b), rating, out).await?;
    let mut b = SqlBuilder::new(
        "SELECT l.unit_id, COUNT(*) FROM reporter_feedback f CROSS JOIN leads l
         WHERE l.id = f.lead_id AND f.kind = 'follow_up' AND f.contacted_on >= ",
    );
    b.bind(Value::Text(date_text(w.from))).push(" AND f.contacted_on <= ").bind(Value::Text(date_text(w.to)));
    grouped(c, scope, w, ("l.unit_id", b), |_| Some(Count::FollowedUp), out).await
}

/// What a breakdown sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Breakdown {
    /// Leads received in the period, by category.
    Category,
    /// Leads received in the period, by source.
    Source,
    /// Subjects of leads closed in the period, by the sanction given.
    Sanction,
}

/// Each unit's own counts by `by`'s code (units and codes with nothing are absent).
pub async fn breakdown(
    c: &mut Conn,
    scope: &Scope,
    w: &Window,
    by: Breakdown,
    which: Leads<'_>,
) -> Result<HashMap<UnitId, Vec<(String, i64)>>, StoreError> {
    let (from, to) = (date_text(w.from), date_text(w.to));
    let cd = CLOSED_ON;
    let (select, mut b) = match by {
        Breakdown::Category | Breakdown::Source => {
            let col = if by == Breakdown::Category { "l.category" } else { "l.source" };
            let mut b = SqlBuilder::new(&format!(
                "SELECT l.unit_id, {col}, COUNT(*) FROM leads l WHERE l.status <> 'merged' AND l.received_on >= "
            ));
            b.bind(Value::Text(from)).push(" AND l.received_on <= ").bind(Value::Text(to));
            (format!("l.unit_id, {col}"), b)
        }
        Breakdown::Sanction => {
            let mut b = SqlBuilder::new(&format!(
                "SELECT l.unit_id, o.sanction, COUNT(*) FROM subject_outcomes o CROSS JOIN leads l
                 JOIN campaigns k ON k.id = l.campaign_id WHERE l.id = o.lead_id AND o.sanction IS NOT NULL AND o.sanction <> '' AND {cd} >= "
            ));
            b.bind(Value::Text(from)).push(&format!(" AND {cd} <= ")).bind(Value::Text(to));
            ("l.unit_id, o.sanction".to_owned(), b)
        }
    };
    if by == Breakdown::Sanction && which == Leads::InScope {
        drive_from_records(&mut b, scope, w);
    } else {
        b.push(" AND l.campaign_id = ").bind(Value::Int(w.campaign.get()));
        push_leads(&mut b, scope, which);
    }
    b.push(" GROUP BY ").push(&select);
    let mut out: HashMap<UnitId, Vec<(String, i64)>> = HashMap::new();
    for r in b.build().fetch_all(&mut *c).await? {
        out.entry(UnitId::from_raw(r.try_get(0)?)).or_default().push((r.try_get(1)?, r.try_get(2)?));
    }
    Ok(out)
}

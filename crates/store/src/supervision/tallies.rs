//! The clearance board's figures kept per campaign and unit (see migration 0008 and
//! `domain::supervision::tally`).
//!
//! Every store function that changes what the board counts (a lead's unit, class, status or
//! deadline; an extension's state) reads the lead's facts before the change with
//! [`before_change`] and hands them to [`after_change`], in the same transaction. The same two
//! keep the statistics' figures (`reporting::kept`), which also count a lead's day received,
//! finding, category and source: a change of any of those goes through them too.
//!
//! Locking (PostgreSQL; SQLite has one writer): `before_change` locks the lead's row first,
//! so its facts cannot change underneath; `after_change` then takes the audit head's row
//! lock, which every writer takes anyway to append its audit entry, before reading the
//! date the figures are as of. The daily [`recount`] takes that lock too, so a change is
//! applied either wholly before a recount (which then counts it) or wholly after (on the
//! new date). The order — lead row, then audit head — is the order every use case already
//! takes them in.

use domain::reporting::kept::LeadFacts;
use domain::{
    CampaignId, LeadId, UnitId, ledger::campaign::StockClass, ledger::lead::LeadStatus, protection::scope::Scope,
    supervision::tally::BoardFacts, supervision::tally::Tally,
};
use sqlx::{Row, any::AnyRow};

use crate::{
    Conn, StoreError, Tx, reporting::kept, sql::SqlBuilder, sql::Value, sql::code, sql::date_text,
    sql::parse_stored_date,
};

/// A lead's facts and where the board counts them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counted {
    pub campaign: CampaignId,
    pub unit: UnitId,
    pub facts: BoardFacts,
}

// The extension counts test only `lead_id` in WHERE: with `state = 'approved'` there too,
// SQLite chose the state index and read every granted extension (6 ms per change at 40,000).
const FACTS: &str = "SELECT l.campaign_id, l.unit_id, l.stock_class, l.status, l.deadline,
        (SELECT COALESCE(SUM(CASE WHEN x.state = 'approved' THEN 1 ELSE 0 END), 0)
            FROM extensions x WHERE x.lead_id = l.id) AS approved,
        (SELECT COALESCE(SUM(CASE WHEN x.needs_head = 1 AND x.state = 'approved' THEN 1 ELSE 0 END), 0)
            FROM extensions x WHERE x.lead_id = l.id) AS flagged,
        l.transfer_received_on, l.routed_late, l.responsible_leader, l.responsible_person,
        (SELECT k.transfer_needs_receipt FROM campaigns k WHERE k.id = l.campaign_id) AS needs_receipt
    FROM leads l";

/// `None`: the lead is in no campaign, so no board counts it.
fn counted(r: &AnyRow) -> Result<Option<Counted>, StoreError> {
    let Some(campaign) = r.try_get::<Option<i64>, _>("campaign_id")? else { return Ok(None) };
    let given = |col: &str| -> Result<bool, StoreError> { Ok(r.try_get::<Option<String>, _>(col)?.is_some()) };
    Ok(Some(Counted {
        campaign: CampaignId::from_raw(campaign),
        unit: UnitId::from_raw(r.try_get("unit_id")?),
        facts: BoardFacts {
            stock_class: code(&r.try_get::<String, _>("stock_class")?, StockClass::from_code)?,
            status: code(&r.try_get::<String, _>("status")?, LeadStatus::from_code)?,
            deadline: parse_stored_date(&r.try_get::<String, _>("deadline")?)?,
            approved_extensions: r.try_get("approved")?,
            flagged_extensions: r.try_get("flagged")?,
            transfer_received: given("transfer_received_on")?,
            transfer_needs_receipt: r.try_get::<Option<i64>, _>("needs_receipt")?.unwrap_or(1) != 0,
            owned: given("responsible_leader")? && given("responsible_person")?,
            routed_late: r.try_get::<i64, _>("routed_late")? != 0,
        },
    }))
}

async fn facts(c: &mut Conn, lead: LeadId) -> Result<Option<Counted>, StoreError> {
    sqlx::query(sqlx::AssertSqlSafe(format!("{FACTS} WHERE l.id = $1")))
        .bind(lead.get())
        .fetch_optional(&mut *c)
        .await?
        .as_ref()
        .map(counted)
        .transpose()
        .map(Option::flatten)
}

/// What a lead counted for before a change: on the board and in the statistics' kept figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Before {
    board: Option<Counted>,
    stats: Option<LeadFacts>,
}

/// Locks `lead`'s row and reads what the board and the statistics count of it, before
/// changing it.
pub(crate) async fn before_change(tx: &mut Tx, lead: LeadId) -> Result<Before, StoreError> {
    sqlx::query("UPDATE leads SET version = version WHERE id = $1").bind(lead.get()).execute(&mut **tx).await?;
    Ok(Before { board: facts(tx, lead).await?, stats: kept::facts(tx, lead).await? })
}

/// Takes the audit head's lock; returns the date the kept figures are as of (`None` when
/// they have not been counted yet, so there is nothing to keep in step).
async fn lock(c: &mut Conn) -> Result<Option<time::Date>, StoreError> {
    lock_audit_head(c).await?;
    as_of(c).await
}

async fn lock_audit_head(c: &mut Conn) -> Result<(), StoreError> {
    sqlx::query("UPDATE audit_head SET seq = seq WHERE id = 1").execute(&mut *c).await?;
    Ok(())
}

/// Applies the difference `lead` made since `before` to the kept figures: the board's and the
/// statistics'.
pub(crate) async fn after_change(c: &mut Tx, lead: LeadId, before: Before) -> Result<(), StoreError> {
    let stats = kept::facts(c, lead).await?;
    if stats != before.stats {
        lock_audit_head(c).await?;
        let changes: Vec<(LeadFacts, i64)> =
            [(before.stats, -1), (stats, 1)].into_iter().filter_map(|(f, sign)| f.map(|f| (f, sign))).collect();
        kept::apply(c, &changes).await?;
    }
    board_after_change(c, lead, before.board).await
}

async fn board_after_change(c: &mut Tx, lead: LeadId, before: Option<Counted>) -> Result<(), StoreError> {
    let after = facts(c, lead).await?;
    if before == after {
        return Ok(());
    }
    let Some(as_of) = lock(c).await? else { return Ok(()) };
    let share = |x: &Option<Counted>| x.map(|x| ((x.campaign, x.unit), Tally::of(&x.facts, as_of)));
    match (share(&before), share(&after)) {
        (Some((from, old)), Some((to, new))) if from == to => add(c, to, new.minus(old)).await,
        (old, new) => {
            if let Some((from, old)) = old {
                add(c, from, Tally::default().minus(old)).await?;
            }
            if let Some((to, new)) = new {
                add(c, to, new).await?;
            }
            Ok(())
        }
    }
}

/// [`after_change`] for leads just inserted (they were counted nowhere before): their facts
/// read in one statement per batch, the lock taken once, one addition per campaign and unit.
pub(crate) async fn after_insert(tx: &mut Tx, leads: &[LeadId]) -> Result<(), StoreError> {
    let stats = kept::facts_of(tx, leads).await?;
    if !stats.is_empty() {
        lock_audit_head(tx).await?;
        kept::apply(tx, &stats.into_iter().map(|f| (f, 1)).collect::<Vec<_>>()).await?;
    }
    let mut counted = Vec::with_capacity(leads.len());
    for chunk in leads.chunks(crate::sql::rows_per_statement(1)) {
        let mut b = SqlBuilder::bulk(tx, &format!("{FACTS} WHERE l.id IN ("));
        for (i, id) in chunk.iter().enumerate() {
            if i > 0 {
                b.push(", ");
            }
            b.bind(Value::Int(id.get()));
        }
        b.push(")");
        for r in b.build().fetch_all(&mut **tx).await? {
            counted.extend(self::counted(&r)?);
        }
    }
    if counted.is_empty() {
        return Ok(());
    }
    let Some(as_of) = lock(tx).await? else { return Ok(()) };
    let mut sums: std::collections::BTreeMap<(CampaignId, UnitId), Tally> = Default::default();
    for c in counted {
        let t = sums.entry((c.campaign, c.unit)).or_default();
        *t = t.plus(Tally::of(&c.facts, as_of));
    }
    for (at, t) in sums {
        add(tx, at, t).await?;
    }
    Ok(())
}

async fn add(tx: &mut Tx, (campaign, unit): (CampaignId, UnitId), delta: Tally) -> Result<(), StoreError> {
    if delta.is_zero() {
        return Ok(());
    }
    let cols = Tally::FIELDS.join(", ");
    let mut b = SqlBuilder::new(&format!("INSERT INTO board_tallies (campaign_id, unit_id, {cols}) VALUES ("));
    b.bind(Value::Int(campaign.get())).push(", ").bind(Value::Int(unit.get()));
    for v in delta.values() {
        b.push(", ").bind(Value::Int(v));
    }
    b.push(") ON CONFLICT (campaign_id, unit_id) DO UPDATE SET ");
    let sets: Vec<String> = Tally::FIELDS.iter().map(|f| format!("{f} = board_tallies.{f} + excluded.{f}")).collect();
    b.push(&sets.join(", "));
    b.build().execute(&mut **tx).await?;
    Ok(())
}

/// Marks the kept figures as needing a recount (after a bulk load or a calendar change that
/// moved many deadlines at once).
pub async fn invalidate(c: &mut Conn) -> Result<(), StoreError> {
    lock_audit_head(c).await?;
    kept::invalidate(c).await?;
    sqlx::query("UPDATE board_tally_state SET as_of = '' WHERE id = 1").execute(&mut *c).await?;
    Ok(())
}

/// The date the kept figures are as of (`None`: not counted yet).
pub async fn as_of(c: &mut Conn) -> Result<Option<time::Date>, StoreError> {
    let as_of: String =
        sqlx::query("SELECT as_of FROM board_tally_state WHERE id = 1").fetch_one(&mut *c).await?.try_get(0)?;
    if as_of.is_empty() { Ok(None) } else { parse_stored_date(&as_of).map(Some) }
}

/// Counts every lead afresh as of `today` (one pass over all leads). Returns false when
/// another transaction already did it for `today`.
pub async fn recount(tx: &mut Tx, today: time::Date) -> Result<bool, StoreError> {
    if lock(tx).await? == Some(today) {
        return Ok(false);
    }
    sqlx::query("DELETE FROM board_tallies").execute(&mut **tx).await?;
    let sums =
        crate::supervision::counting::tally_sums(today, "COALESCE(SUM(x.approved), 0)", "COALESCE(SUM(x.flagged), 0)");
    let sql = format!(
        "INSERT INTO board_tallies (campaign_id, unit_id, {cols})
         SELECT l.campaign_id, l.unit_id, {sums}
         FROM leads l LEFT JOIN (
            SELECT lead_id, SUM(CASE WHEN state = 'approved' THEN 1 ELSE 0 END) AS approved,
                SUM(CASE WHEN needs_head = 1 AND state = 'approved' THEN 1 ELSE 0 END) AS flagged
            FROM extensions GROUP BY lead_id
         ) x ON x.lead_id = l.id
         WHERE l.campaign_id IS NOT NULL
         GROUP BY l.campaign_id, l.unit_id",
        cols = Tally::FIELDS.join(", ")
    );
    sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut **tx).await?;
    sqlx::query("UPDATE board_tally_state SET as_of = $1 WHERE id = 1")
        .bind(date_text(today))
        .execute(&mut **tx)
        .await?;
    Ok(true)
}

/// One unit's kept figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitTally {
    pub unit_id: UnitId,
    pub unit_name: String,
    pub tally: Tally,
}

/// Whether the kept figures can answer for `scope`: they are per unit, so a scope that
/// narrows by owner or reaches moved-away leads needs the leads themselves.
pub fn answers(scope: &Scope) -> bool {
    !scope.narrowed() && !scope.includes_moved_away()
}

/// The kept figures of the units in `scope` with leads in `campaign`. Leads naming the
/// caller are still in them: take [`naming`]'s share away.
pub async fn figures(c: &mut Conn, scope: &Scope, campaign: CampaignId) -> Result<Vec<UnitTally>, StoreError> {
    let cols: Vec<String> = Tally::FIELDS.iter().map(|f| format!("t.{f}")).collect();
    let mut b = SqlBuilder::new(&format!(
        "SELECT t.unit_id, u.name, {} FROM board_tallies t JOIN units u ON u.id = t.unit_id WHERE t.campaign_id = ",
        cols.join(", ")
    ));
    b.bind(Value::Int(campaign.get()));
    b.push(" AND t.stock_total + t.new_total > 0");
    crate::scope::push_units(&mut b, scope, "t.unit_id");
    b.build().fetch_all(&mut *c).await?.iter().map(unit_tally).collect()
}

/// The leads in `scope` and `campaign` that the account `user` is kept from (its recusals:
/// a handful at most).
pub async fn naming(c: &mut Conn, scope: &Scope, campaign: CampaignId, user: i64) -> Result<Vec<Counted>, StoreError> {
    let mut b =
        SqlBuilder::new(&format!("{FACTS} WHERE l.id IN (SELECT xr.lead_id FROM recusals xr WHERE xr.user_id = "));
    b.bind(Value::Int(user)).push(") AND l.campaign_id = ").bind(Value::Int(campaign.get()));
    crate::scope::push_units(&mut b, scope, "l.unit_id");
    Ok(b.build()
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(counted)
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .flatten()
        .collect())
}

fn unit_tally(r: &AnyRow) -> Result<UnitTally, StoreError> {
    let mut v = [0i64; Tally::FIELDS.len()];
    for (i, slot) in v.iter_mut().enumerate() {
        *slot = r.try_get(i + 2)?;
    }
    Ok(UnitTally { unit_id: UnitId::from_raw(r.try_get(0)?), unit_name: r.try_get(1)?, tally: Tally::from_values(v) })
}

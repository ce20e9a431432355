//! The search index's side of the database: the outbox that every write touching a lead's
//! indexed text, scope or filters adds to in its own transaction, and the leads read back as
//! the index holds them. These reads are the system's own (the index serves every caller and
//! applies each one's scope at query time); no user request reaches them.

use std::collections::HashMap;

use domain::{LeadId, UnitId, UserId};
use search::{LeadDoc, LeadFlags, SubjectText};
use sqlx::Row;

use crate::{
    Conn, StoreError, Tx,
    sql::{SqlBuilder, Value, code, parse_stored_date},
    supervision::counting::{cleared_listed, not_cleared},
};

/// Records that the leads of `leads` changed.
pub(crate) async fn touch(tx: &mut Tx, leads: impl IntoIterator<Item = i64>) -> Result<(), StoreError> {
    let leads: Vec<i64> = leads.into_iter().collect();
    for chunk in leads.chunks(crate::sql::rows_per_statement(1)) {
        let mut b = SqlBuilder::bulk(tx, "INSERT INTO search_outbox (lead_id) VALUES ");
        for (i, id) in chunk.iter().enumerate() {
            b.push_row(i == 0, [Value::Int(*id)]);
        }
        b.build().execute(&mut **tx).await?;
    }
    Ok(())
}

/// Records that the leads `select` (a `SELECT id FROM leads …` with its values) chose changed,
/// for the writes that change many leads in one statement.
pub(crate) async fn touch_where(tx: &mut Tx, select: SqlBuilder) -> Result<(), StoreError> {
    let rows = select.build().fetch_all(&mut **tx).await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.try_get::<i64, _>(0)).collect::<Result<_, _>>()?;
    touch(tx, ids).await
}

/// One change: its place in the sequence and the lead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    pub seq: i64,
    pub lead: LeadId,
}

/// The changes after `seq`, oldest first, at most `limit`.
pub async fn changes_after(c: &mut Conn, seq: i64, limit: i64) -> Result<Vec<Change>, StoreError> {
    let rows = sqlx::query("SELECT seq, lead_id FROM search_outbox WHERE seq > $1 ORDER BY seq LIMIT $2")
        .bind(seq)
        .bind(limit)
        .fetch_all(&mut *c)
        .await?;
    rows.iter().map(|r| Ok(Change { seq: r.try_get(0)?, lead: LeadId::from_raw(r.try_get(1)?) })).collect()
}

/// The changes among `seqs` that are there now (numbers skipped before: their transaction
/// has committed since, or never will).
pub async fn changes_in(c: &mut Conn, seqs: &[i64]) -> Result<Vec<Change>, StoreError> {
    if seqs.is_empty() {
        return Ok(Vec::new());
    }
    let mut b = SqlBuilder::new("SELECT seq, lead_id FROM search_outbox WHERE seq IN (");
    b.push_ints(seqs.iter().take(1_000).copied()).push(") ORDER BY seq");
    let rows = b.build().fetch_all(&mut *c).await?;
    rows.iter().map(|r| Ok(Change { seq: r.try_get(0)?, lead: LeadId::from_raw(r.try_get(1)?) })).collect()
}

/// The last change recorded, 0 when none.
pub async fn latest(c: &mut Conn) -> Result<i64, StoreError> {
    let r = sqlx::query("SELECT MAX(seq) FROM search_outbox").fetch_one(&mut *c).await?;
    Ok(r.try_get::<Option<i64>, _>(0)?.unwrap_or(0))
}

/// The ids of the leads after `after`, in order, at most `limit` (a rebuild reads them all).
pub async fn lead_ids_after(c: &mut Conn, after: i64, limit: i64) -> Result<Vec<LeadId>, StoreError> {
    let rows = sqlx::query("SELECT id FROM leads WHERE id > $1 ORDER BY id LIMIT $2")
        .bind(after)
        .bind(limit)
        .fetch_all(&mut *c)
        .await?;
    rows.iter().map(|r| Ok(LeadId::from_raw(r.try_get(0)?))).collect()
}

fn ids_in(b: &mut SqlBuilder, column: &str, ids: &[LeadId]) {
    b.push(column).push(" IN (").push_ints(ids.iter().map(|id| id.get())).push(")");
}

/// The leads of `ids` as the index holds them; an id without a lead is left out.
pub async fn docs(c: &mut Conn, ids: &[LeadId]) -> Result<Vec<LeadDoc>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut b = SqlBuilder::new(&format!(
        "SELECT l.id, l.unit_id, l.previous_unit_id, l.owning_leader_id, l.campaign_id, l.source, l.category,
                l.status, l.stock_class, l.responsible_person, l.received_on, l.deadline, l.number_order, l.important,
                l.routed_late, l.number, l.original_no, l.source_doc_no, l.summary,
                CASE WHEN {} THEN 1 ELSE 0 END AS is_cleared, CASE WHEN {} THEN 1 ELSE 0 END AS is_open
         FROM leads l WHERE ",
        cleared_listed(),
        not_cleared()
    ));
    ids_in(&mut b, "l.id", ids);
    let rows = b.build().fetch_all(&mut *c).await?;
    let mut units: Vec<i64> = Vec::new();
    for r in &rows {
        units.push(r.try_get("unit_id")?);
        units.extend(r.try_get::<Option<i64>, _>("previous_unit_id")?);
    }
    units.sort_unstable();
    units.dedup();
    let ancestors = ancestors(c, &units).await?;
    let above = |unit: Option<i64>| -> Vec<UnitId> {
        unit.map(|u| ancestors.get(&u).cloned().unwrap_or_else(|| vec![u]))
            .unwrap_or_default()
            .into_iter()
            .map(UnitId::from_raw)
            .collect()
    };
    let mut docs = Vec::with_capacity(rows.len());
    for r in &rows {
        let text = |col: &str| -> Result<String, StoreError> { Ok(r.try_get::<String, _>(col)?) };
        let flag = |col: &str| -> Result<bool, StoreError> { Ok(r.try_get::<i64, _>(col)? != 0) };
        docs.push(LeadDoc {
            id: LeadId::from_raw(r.try_get("id")?),
            units: above(Some(r.try_get("unit_id")?)),
            previous_units: above(r.try_get("previous_unit_id")?),
            owner: r.try_get::<Option<i64>, _>("owning_leader_id")?.map(UserId::from_raw),
            handlers: Vec::new(),
            recused: Vec::new(),
            campaign: r.try_get("campaign_id")?,
            source: code(&text("source")?, domain::ledger::lead::Source::from_code)?,
            category: code(&text("category")?, domain::ledger::lead::Category::from_code)?,
            status: code(&text("status")?, domain::ledger::lead::LeadStatus::from_code)?,
            stock_class: code(&text("stock_class")?, domain::ledger::campaign::StockClass::from_code)?,
            responsible_person: r.try_get("responsible_person")?,
            received_on: parse_stored_date(&text("received_on")?)?,
            deadline: parse_stored_date(&text("deadline")?)?,
            number_order: text("number_order")?,
            flags: LeadFlags {
                important: flag("important")?,
                cleared: flag("is_cleared")?,
                open: flag("is_open")?,
                extended: false,
                extension_flagged: false,
                routed_late: flag("routed_late")?,
            },
            number: text("number")?,
            original_no: r.try_get("original_no")?,
            source_doc_no: r.try_get("source_doc_no")?,
            summary: text("summary")?,
            subjects: Vec::new(),
            notes: Vec::new(),
        });
    }
    let at: HashMap<i64, usize> = docs.iter().enumerate().map(|(i, d)| (d.id.get(), i)).collect();
    let of =
        |r: &sqlx::any::AnyRow| -> Result<Option<usize>, StoreError> { Ok(at.get(&r.try_get::<i64, _>(0)?).copied()) };
    for r in rows_of(c, "SELECT lead_id, name, unit_name, post, person_id FROM lead_subjects WHERE ", ids).await? {
        if let Some(i) = of(&r)? {
            let person = r.try_get(4)?;
            docs[i].subjects.push(SubjectText {
                name: r.try_get(1)?,
                unit: r.try_get(2)?,
                post: r.try_get(3)?,
                person,
            });
        }
    }
    // Read by lead and told apart here: `EXISTS (… x.state = 'approved')` per lead made SQLite
    // walk every approved extension through the state index (8 ms a lead at 1M).
    for r in rows_of(c, "SELECT lead_id, state, needs_head FROM extensions WHERE ", ids).await? {
        if let Some(i) = of(&r)?
            && r.try_get::<String, _>(1)? == "approved"
        {
            docs[i].flags.extended = true;
            docs[i].flags.extension_flagged |= r.try_get::<i64, _>(2)? != 0;
        }
    }
    for r in rows_of(c, "SELECT lead_id, user_id FROM lead_handlers WHERE ", ids).await? {
        if let Some(i) = of(&r)? {
            docs[i].handlers.push(UserId::from_raw(r.try_get(1)?));
        }
    }
    for r in rows_of(c, "SELECT lead_id, user_id FROM recusals WHERE ", ids).await? {
        if let Some(i) = of(&r)? {
            docs[i].recused.push(UserId::from_raw(r.try_get(1)?));
        }
    }
    for r in rows_of(c, "SELECT lead_id, note, decision_note FROM lead_events WHERE ", ids).await? {
        if let Some(i) = of(&r)? {
            let notes = [r.try_get::<Option<String>, _>(1)?, r.try_get::<Option<String>, _>(2)?];
            docs[i].notes.extend(notes.into_iter().flatten().filter(|n| !n.trim().is_empty()));
        }
    }
    Ok(docs)
}

async fn rows_of(c: &mut Conn, sql: &str, ids: &[LeadId]) -> Result<Vec<sqlx::any::AnyRow>, StoreError> {
    let mut b = SqlBuilder::new(sql);
    ids_in(&mut b, "lead_id", ids);
    Ok(b.build().fetch_all(&mut *c).await?)
}

/// Each of `units` with the units above it, itself included.
async fn ancestors(c: &mut Conn, units: &[i64]) -> Result<HashMap<i64, Vec<i64>>, StoreError> {
    let mut b = SqlBuilder::new("SELECT descendant_id, ancestor_id FROM unit_closure WHERE descendant_id IN (");
    b.push_ints(units.iter().copied()).push(")");
    let rows = if units.is_empty() { Vec::new() } else { b.build().fetch_all(&mut *c).await? };
    let mut out: HashMap<i64, Vec<i64>> = HashMap::new();
    for r in &rows {
        out.entry(r.try_get(0)?).or_default().push(r.try_get(1)?);
    }
    Ok(out)
}

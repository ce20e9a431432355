//! Bulk loading for benchmark data sets: many rows per statement, in the caller's
//! transaction. Not for production writes (no audit, no sealing: reporters are anonymous).

use domain::{CampaignId, LeadId, UnitId, UserId};
use sqlx::Row;

use crate::{StoreError, Tx, sql::SqlBuilder, sql::Value};

/// One generated lead, already numbered.
#[derive(Debug, Clone)]
pub struct BulkLead {
    pub number: String,
    pub unit: UnitId,
    pub campaign: CampaignId,
    pub source: &'static str,
    pub received_on: String,
    pub category: &'static str,
    pub problem_domain: &'static str,
    pub summary: String,
    pub important: bool,
    pub handling_mode: &'static str,
    pub responsible_person: String,
    pub deadline: String,
    pub status: &'static str,
    pub stock_class: &'static str,
    pub deadline_rule: Option<&'static str>,
    pub subject: String,
    pub by: UserId,
    pub at: i64,
}

const COLUMNS: &str = "number, unit_id, campaign_id, source, received_on, category, problem_domain, summary, important, \
    handling_mode, responsible_person, deadline, status, stock_class, search_text, created_by, created_at, updated_by, \
    updated_at, version, clock_started_on, number_order, deadline_rule, closed_on";

/// Inserts the leads (with one subject and an anonymous reporter each); returns their ids.
pub async fn insert_leads(tx: &mut Tx, rows: &[BulkLead]) -> Result<Vec<LeadId>, StoreError> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let mut b = SqlBuilder::new(&format!("INSERT INTO leads ({COLUMNS}) VALUES "));
    for (i, r) in rows.iter().enumerate() {
        if i > 0 {
            b.push(", ");
        }
        let search = format!("{} {} {}", r.number, r.subject, r.summary).to_lowercase();
        b.push("(");
        let vals = [
            Value::Text(r.number.clone()),
            Value::Int(r.unit.get()),
            Value::Int(r.campaign.get()),
            Value::Text(r.source.into()),
            Value::Text(r.received_on.clone()),
            Value::Text(r.category.into()),
            Value::Text(r.problem_domain.into()),
            Value::Text(r.summary.clone()),
            Value::Int(i64::from(r.important)),
            Value::Text(r.handling_mode.into()),
            Value::Text(r.responsible_person.clone()),
            Value::Text(r.deadline.clone()),
            Value::Text(r.status.into()),
            Value::Text(r.stock_class.into()),
            Value::Text(search),
            Value::Int(r.by.get()),
            Value::Int(r.at),
            Value::Int(r.by.get()),
            Value::Int(r.at),
            Value::Int(1),
            Value::Text(r.received_on.clone()),
            Value::Text(domain::ledger::lead_no::LeadNo::from_stored(r.number.clone()).sort_key()),
        ];
        for (j, v) in vals.into_iter().enumerate() {
            if j > 0 {
                b.push(", ");
            }
            b.bind(v);
        }
        match r.deadline_rule {
            Some(rule) => b.push(", ").bind(Value::Text(rule.into())),
            None => b.push(", NULL"),
        };
        // Generated leads have no timeline: a closed one closes by its deadline.
        let closed =
            domain::ledger::lead::LeadStatus::from_code(r.status).is_some_and(domain::supervision::clearance::closes);
        if closed {
            b.push(", ").bind(Value::Text(r.deadline.clone()))
        } else {
            b.push(", NULL")
        };
        b.push(")");
    }
    b.push(" RETURNING id");
    let ids: Vec<LeadId> = b
        .build()
        .fetch_all(&mut **tx)
        .await?
        .iter()
        .map(|r| Ok(LeadId::from_raw(r.try_get(0)?)))
        .collect::<Result<_, StoreError>>()?;
    let mut s = SqlBuilder::new(
        "INSERT INTO lead_subjects (lead_id, ordinal, name, unit_name, post, subject_rank, political_status, is_unit_head, cadre_level, name_key, unit_ref) VALUES ",
    );
    let mut rep = SqlBuilder::new("INSERT INTO reporters (lead_id, kind) VALUES ");
    for (i, (id, r)) in ids.iter().zip(rows).enumerate() {
        if i > 0 {
            s.push(", ");
            rep.push(", ");
        }
        s.push("(").bind(Value::Int(id.get())).push(", 0, ").bind(Value::Text(r.subject.clone()));
        s.push(", '', '', '', 'unknown', 0, 'not_cadre', ");
        s.bind(Value::Text(domain::protection::person::name_key(&r.subject))).push(", ");
        s.bind(Value::Int(r.unit.get())).push(")");
        rep.push("(").bind(Value::Int(id.get())).push(", 'anonymous')");
    }
    s.build().execute(&mut **tx).await?;
    rep.build().execute(&mut **tx).await?;
    // Bulk subjects are linked to no person, so only an account's name can match them.
    if let (Some(first), Some(last)) = (ids.iter().min(), ids.iter().max()) {
        crate::protection::recusals::rematch_leads(tx, *first, *last).await?;
    }
    // Too many leads to keep in step one by one: the board counts afresh next time.
    crate::supervision::tallies::invalidate(tx).await?;
    Ok(ids)
}

pub struct BulkExtension {
    pub lead: LeadId,
    pub state: &'static str,
    pub needs_head: bool,
    pub days: u32,
    pub by: UserId,
    pub at: i64,
}

/// Inserts extensions (the board's kept figures are recounted after a bulk load anyway).
pub async fn insert_extensions(tx: &mut Tx, rows: &[BulkExtension]) -> Result<(), StoreError> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut b = SqlBuilder::new(
        "INSERT INTO extensions (lead_id, requested_by, requested_at, reason, days, state, needs_head) VALUES ",
    );
    for (i, r) in rows.iter().enumerate() {
        if i > 0 {
            b.push(", ");
        }
        b.push("(").bind(Value::Int(r.lead.get())).push(", ").bind(Value::Int(r.by.get()));
        b.push(", ").bind(Value::Int(r.at)).push(", '案情复杂，需调取银行流水（基准数据）', ");
        b.bind(Value::Int(i64::from(r.days))).push(", ").bind(Value::Text(r.state.into()));
        b.push(", ").bind(Value::Int(i64::from(r.needs_head))).push(")");
    }
    b.build().execute(&mut **tx).await?;
    crate::supervision::tallies::invalidate(tx).await
}

/// Sets the numbering so registrations after the load continue where it ended.
pub async fn set_sequence(tx: &mut Tx, unit: UnitId, year: i32, last: u32) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO lead_sequences (unit_id, year, last_value) VALUES ($1, $2, $3)
         ON CONFLICT (unit_id, year) DO UPDATE SET last_value = $3",
    )
    .bind(unit.get())
    .bind(i64::from(year))
    .bind(i64::from(last))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// After a bulk load, PostgreSQL's planner needs fresh statistics (autovacuum would get there
/// minutes later; until then a unit's page was planned as a scan, 80 ms instead of 3). SQLite
/// is left without them: its statistics make every statement with a bound range re-prepare.
pub async fn refresh_statistics(db: &crate::Db) -> Result<(), StoreError> {
    if db.backend() == crate::Backend::Postgres {
        sqlx::query("ANALYZE").execute(db.reader()).await?;
    }
    Ok(())
}

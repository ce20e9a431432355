//! The audit trail: an append-only, hash-chained log written in the same transaction as
//! the change or view it records.

use domain::{
    protection::audit::AuditFields, protection::audit::GENESIS, protection::audit::HashAlgo,
    protection::audit::chain_hash,
};
use sqlx::{Row, any::AnyRow};

use crate::{Conn, StoreError, Tx, sql::SqlBuilder, sql::Value};

/// What happened, before it is numbered and chained.
#[derive(Debug, Clone, Default)]
pub struct NewEntry {
    pub at: i64,
    pub actor_id: Option<i64>,
    pub actor_name: String,
    pub action: String,
    pub record_type: String,
    pub record_id: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub detail: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub seq: i64,
    pub at: i64,
    pub actor_id: Option<i64>,
    pub actor_name: String,
    pub action: String,
    pub record_type: String,
    pub record_id: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub detail: Option<String>,
    pub algo: String,
    pub prev_hash: String,
    pub hash: String,
}

impl Entry {
    fn fields(&self) -> AuditFields<'_> {
        AuditFields {
            seq: self.seq,
            at_micros: self.at,
            actor_id: self.actor_id,
            actor_name: &self.actor_name,
            action: &self.action,
            record_type: &self.record_type,
            record_id: &self.record_id,
            before: self.before.as_deref(),
            after: self.after.as_deref(),
            detail: self.detail.as_deref(),
        }
    }
}

/// Appends `e` to the chain. The head row's lock, held until the caller's transaction
/// ends, serialises appenders across connections and instances.
pub async fn append(tx: &mut Tx, algo: HashAlgo, e: &NewEntry) -> Result<i64, StoreError> {
    let head = sqlx::query("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash")
        .fetch_one(&mut **tx)
        .await?;
    let seq: i64 = head.try_get("seq")?;
    let prev_hash: String = head.try_get("hash")?;
    let entry = Entry {
        seq,
        at: e.at,
        actor_id: e.actor_id,
        actor_name: e.actor_name.clone(),
        action: e.action.clone(),
        record_type: e.record_type.clone(),
        record_id: e.record_id.clone(),
        before: e.before.clone(),
        after: e.after.clone(),
        detail: e.detail.clone(),
        algo: algo.code().to_owned(),
        prev_hash,
        hash: String::new(),
    };
    let hash = chain_hash(algo, &entry.prev_hash, &entry.fields());
    sqlx::query(
        "INSERT INTO audit_log (seq, at, actor_id, actor_name, action, record_type, record_id, before_state,
            after_state, detail, algo, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(seq)
    .bind(entry.at)
    .bind(entry.actor_id)
    .bind(&entry.actor_name)
    .bind(&entry.action)
    .bind(&entry.record_type)
    .bind(&entry.record_id)
    .bind(entry.before.clone())
    .bind(entry.after.clone())
    .bind(entry.detail.clone())
    .bind(&entry.algo)
    .bind(&entry.prev_hash)
    .bind(&hash)
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1").bind(&hash).execute(&mut **tx).await?;
    Ok(seq)
}

const COLUMNS: &str = "seq, at, actor_id, actor_name, action, record_type, record_id, before_state, after_state, \
                       detail, algo, prev_hash, hash";

fn entry_from_row(r: &AnyRow) -> Result<Entry, StoreError> {
    Ok(Entry {
        seq: r.try_get("seq")?,
        at: r.try_get("at")?,
        actor_id: r.try_get("actor_id")?,
        actor_name: r.try_get("actor_name")?,
        action: r.try_get("action")?,
        record_type: r.try_get("record_type")?,
        record_id: r.try_get("record_id")?,
        before: r.try_get("before_state")?,
        after: r.try_get("after_state")?,
        detail: r.try_get("detail")?,
        algo: r.try_get("algo")?,
        prev_hash: r.try_get("prev_hash")?,
        hash: r.try_get("hash")?,
    })
}

/// Which entries the auditor wants to see.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub actor_name: Option<String>,
    pub action: Option<String>,
    pub record_type: Option<String>,
    pub record_id: Option<String>,
    pub from: Option<i64>,
    pub to: Option<i64>,
}

fn push_filter(b: &mut SqlBuilder, f: &AuditFilter) {
    let mut eq = |col: &str, v: &Option<String>| {
        if let Some(v) = v {
            b.push(col).bind(Value::Text(v.clone()));
        }
    };
    eq(" AND actor_name = ", &f.actor_name);
    eq(" AND action = ", &f.action);
    eq(" AND record_type = ", &f.record_type);
    eq(" AND record_id = ", &f.record_id);
    if let Some(t) = f.from {
        b.push(" AND at >= ").bind(Value::Int(t));
    }
    if let Some(t) = f.to {
        b.push(" AND at < ").bind(Value::Int(t));
    }
}

/// Newest first.
pub async fn list(c: &mut Conn, f: &AuditFilter, limit: i64, offset: i64) -> Result<Vec<Entry>, StoreError> {
    let mut b = SqlBuilder::new(&format!("SELECT {COLUMNS} FROM audit_log WHERE 1 = 1"));
    push_filter(&mut b, f);
    b.push(" ORDER BY seq DESC LIMIT ").push_int(limit).push(" OFFSET ").push_int(offset);
    b.build().fetch_all(&mut *c).await?.iter().map(entry_from_row).collect()
}

pub async fn count(c: &mut Conn, f: &AuditFilter) -> Result<i64, StoreError> {
    let mut b = SqlBuilder::new("SELECT COUNT(*) FROM audit_log WHERE 1 = 1");
    push_filter(&mut b, f);
    Ok(b.build().fetch_one(&mut *c).await?.try_get(0)?)
}

/// The outcome of checking the whole chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    pub entries: i64,
    /// The first entry (by sequence number) where the chain breaks, and why.
    pub first_broken: Option<(i64, String)>,
}

/// Re-computes every link from the first entry to the head.
pub async fn verify(c: &mut Conn) -> Result<Verification, StoreError> {
    const BATCH: i64 = 5_000;
    // The head first: entries appended while the check runs are beyond it and not judged.
    let head = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1").fetch_one(&mut *c).await?;
    let (head_seq, head_hash): (i64, String) = (head.try_get("seq")?, head.try_get("hash")?);
    let mut expected_seq = 1;
    let mut prev = GENESIS.to_owned();
    let mut after_seq = 0;
    'batches: loop {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM audit_log WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3"
        )))
        .bind(after_seq)
        .bind(head_seq)
        .bind(BATCH)
        .fetch_all(&mut *c)
        .await?;
        if rows.is_empty() {
            break;
        }
        for r in &rows {
            let e = entry_from_row(r)?;
            let broken = |why: String| Ok(Verification { entries: expected_seq - 1, first_broken: Some((e.seq, why)) });
            if e.seq != expected_seq {
                return Ok(Verification {
                    entries: expected_seq - 1,
                    first_broken: Some((
                        expected_seq,
                        format!("entry {expected_seq} is missing (next present is {})", e.seq),
                    )),
                });
            }
            if e.prev_hash != prev {
                return broken("does not link to the entry before it".into());
            }
            let Some(algo) = HashAlgo::from_code(&e.algo) else {
                return broken(format!("unknown hash algorithm {:?}", e.algo));
            };
            if chain_hash(algo, &e.prev_hash, &e.fields()) != e.hash {
                return broken("content does not match its hash".into());
            }
            prev = e.hash.clone();
            after_seq = e.seq;
            expected_seq += 1;
            if e.seq == head_seq {
                break 'batches;
            }
        }
    }
    let last = expected_seq - 1;
    if head_seq != last || head_hash != prev {
        return Ok(Verification {
            entries: last,
            first_broken: Some((last + 1, format!("the chain ends at {last} but its head records entry {head_seq}"))),
        });
    }
    Ok(Verification { entries: last, first_broken: None })
}

/// Names for what an audit page shows: each record's label (a lead's number, an account's or
/// unit's name, an extension's lead) and each actor's display name.
#[derive(Debug, Clone, Default)]
pub struct Labels {
    pub records: std::collections::HashMap<(String, String), String>,
    pub people: std::collections::HashMap<i64, String>,
}

async fn names(c: &mut Conn, sql: &str, ids: &[i64]) -> Result<Vec<(i64, String)>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut b = SqlBuilder::new(sql);
    b.push(" IN (");
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            b.push(", ");
        }
        b.bind(Value::Int(*id));
    }
    b.push(")");
    b.build().fetch_all(&mut *c).await?.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).collect()
}

pub async fn labels(c: &mut Conn, entries: &[Entry]) -> Result<Labels, StoreError> {
    let ids = |kind: &str| -> Vec<i64> {
        let mut v: Vec<i64> =
            entries.iter().filter(|e| e.record_type == kind).filter_map(|e| e.record_id.parse().ok()).collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let mut out = Labels::default();
    for (kind, sql) in [
        ("lead", "SELECT id, number FROM leads WHERE id"),
        ("user", "SELECT id, display_name FROM users WHERE id"),
        ("unit", "SELECT id, name FROM units WHERE id"),
        ("extension", "SELECT x.id, l.number FROM extensions x JOIN leads l ON l.id = x.lead_id WHERE x.id"),
        ("campaign", "SELECT id, name FROM campaigns WHERE id"),
    ] {
        for (id, name) in names(c, sql, &ids(kind)).await? {
            out.records.insert((kind.to_owned(), id.to_string()), name);
        }
    }
    // The people an entry names: who acted, and the accounts its detail names by id.
    let named = entries
        .iter()
        .flat_map(|e| domain::protection::audit_detail::people_in(&e.action, e.detail.as_deref().unwrap_or_default()));
    let mut actors: Vec<i64> = entries.iter().filter_map(|e| e.actor_id).chain(named).collect();
    actors.sort_unstable();
    actors.dedup();
    out.people = names(c, "SELECT id, display_name FROM users WHERE id", &actors).await?.into_iter().collect();
    Ok(out)
}

/// Every account, for picking a person in the audit filter: (username, display name).
pub async fn people(c: &mut Conn) -> Result<Vec<(String, String)>, StoreError> {
    sqlx::query("SELECT username, display_name FROM users ORDER BY display_name, username")
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect()
}

//! The ledger's rows. Every read takes the caller's [`Scope`]; there is no way to load a
//! lead by bare id from outside this module.

use domain::{
    CampaignId, LeadId, UnitId, UserId, ledger::campaign::StockClass, ledger::lead::Category,
    ledger::lead::HandlingMode, ledger::lead::Lead, ledger::lead::LeadDraft, ledger::lead::LeadStatus,
    ledger::lead::ProblemDomain, ledger::lead::Source, ledger::lead_no::LeadNo, ledger::subject::CadreLevel,
    ledger::subject::PoliticalStatus, ledger::subject::Subject, protection::scope::Scope,
};
use sqlx::Row;

use crate::{
    Conn, LeadHandle, StoreError, Tx, columns::Cols, scope, sql::SqlBuilder, sql::Value, sql::code, sql::date_text,
    sql::from_micros, sql::parse_stored_date,
};

/// How the current deadline was set: the rule, when its clock started, and whether it rests
/// on a year whose calendar is not loaded (then it is recomputed when the year is added).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timing {
    pub rule: Option<domain::lifecycle::deadline::RuleCode>,
    pub started: time::Date,
    pub provisional: bool,
}

/// Everything a new ledger row needs beyond the checked draft.
pub struct NewLead<'a> {
    /// Its subjects' ID-number hashes are keyed already, under `person_key`.
    pub draft: &'a LeadDraft,
    pub person_key: &'a str,
    /// The unit that holds the lead (the draft's, or the one the routing rules chose).
    pub unit: UnitId,
    pub routed_from: Option<UnitId>,
    pub number: &'a LeadNo,
    /// The number of the unit's own spreadsheet ledger, for an imported lead (原编号).
    pub original_no: Option<&'a str>,
    /// `None`: in no campaign's scope (ordinary handling).
    pub campaign_id: Option<CampaignId>,
    pub deadline: time::Date,
    pub timing: Timing,
    pub status: LeadStatus,
    pub stock_class: StockClass,
    pub actor: UserId,
    pub now: i64,
}

/// Field changes to an existing lead, applied only if its version is still `expected_version`.
pub struct LeadChange<'a> {
    /// Its subjects' ID-number hashes are keyed already, under `person_key`.
    pub draft: &'a LeadDraft,
    pub person_key: &'a str,
    pub unit: UnitId,
    /// Kept as it was when `None`.
    pub routed_from: Option<UnitId>,
    pub campaign_id: Option<CampaignId>,
    pub deadline: time::Date,
    pub timing: Timing,
    pub stock_class: StockClass,
    pub expected_version: i64,
    pub actor: UserId,
    pub now: i64,
}

#[derive(Debug, PartialEq, Eq)]
pub enum ChangeOutcome {
    Saved {
        version: i64,
    },
    /// Someone saved first; nothing was written.
    Stale {
        current_version: i64,
    },
}

/// Hands out the next sequence number of `unit` in `year` (see [`super::bulk::reserve_sequences`]).
pub async fn next_sequence(tx: &mut Tx, unit: UnitId, year: i32) -> Result<u32, StoreError> {
    super::bulk::reserve_sequences(tx, unit, year, 1).await
}

/// Lower-cased number, subject names and summary: what the keyword filter searches.
pub(super) fn search_text(number: &str, d: &LeadDraft) -> String {
    let mut s = String::from(number);
    for sub in &d.subjects {
        s.push(' ');
        s.push_str(&sub.name);
    }
    s.push(' ');
    s.push_str(&d.summary);
    s.to_lowercase()
}

/// Registers a lead; the writer gets its handle (wherever the routing rules put it).
pub async fn insert(tx: &mut Tx, n: &NewLead<'_>) -> Result<LeadHandle, StoreError> {
    let mut handles = super::bulk::insert_many(tx, std::slice::from_ref(n)).await?;
    handles.pop().ok_or_else(|| StoreError::corrupt("the inserted lead is missing"))
}

/// Where a lead registered past its exit went: for loaders (the demo, an imported ledger)
/// that register a lead already transferred or merged, so that its facts are whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Exit {
    Transferred { to: String, received_on: Option<time::Date> },
    Merged(LeadId),
}

/// Records a registered lead's exit facts (see [`Exit`]); the board follows.
pub async fn set_exit(tx: &mut Tx, lead: &LeadHandle, exit: &Exit) -> Result<(), StoreError> {
    let before = crate::supervision::tallies::before_change(tx, lead.id()).await?;
    let (to, received, merged) = match exit {
        Exit::Transferred { to, received_on } => (Some(to.as_str()), received_on.map(date_text), None),
        Exit::Merged(original) => (None, None, Some(original.get())),
    };
    sqlx::query("UPDATE leads SET transferred_to = $1, transfer_received_on = $2, merged_into = $3 WHERE id = $4")
        .bind(to)
        .bind(received)
        .bind(merged)
        .bind(lead.raw())
        .execute(&mut **tx)
        .await?;
    crate::supervision::tallies::after_change(tx, lead.id(), before).await
}

/// Replaces a lead's subjects with the draft's, each linked to its person.
async fn write_people(
    tx: &mut Tx,
    id: LeadId,
    d: &LeadDraft,
    (unit, key_id): (UnitId, &str),
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM lead_subjects WHERE lead_id = $1").bind(id.get()).execute(&mut **tx).await?;
    super::bulk::write_subjects(tx, &[(id, unit, d)], key_id, now).await?;
    crate::protection::recusals::rematch_lead(tx, id).await
}

/// Saves a change if the lead is unchanged since `expected_version`.
pub async fn update(tx: &mut Tx, lead: &LeadHandle, ch: &LeadChange<'_>) -> Result<ChangeOutcome, StoreError> {
    let id = lead.id();
    let current: i64 =
        sqlx::query("SELECT version FROM leads WHERE id = $1").bind(id.get()).fetch_one(&mut **tx).await?.try_get(0)?;
    let d = ch.draft;
    let before = crate::supervision::tallies::before_change(tx, id).await?;
    let number: String =
        sqlx::query("SELECT number FROM leads WHERE id = $1").bind(id.get()).fetch_one(&mut **tx).await?.try_get(0)?;
    // The version check is in the UPDATE itself, so a concurrent writer cannot slip in
    // between the read above and this write.
    let done = sqlx::query(
        "UPDATE leads SET unit_id = $1, source = $2, source_doc_no = $3, assigning_body = $4, received_on = $5,
            category = $6, problem_domain = $7, summary = $8, important = $9, handling_mode = $10,
            responsible_leader = $11, responsible_person = $12, deadline = $13, stock_class = $14,
            search_text = $15, updated_by = $16, updated_at = $17, version = version + 1,
            routed_from_unit_id = COALESCE($20, routed_from_unit_id), deadline_rule = $21, clock_started_on = $22,
            deadline_provisional = $23, campaign_id = $24
         WHERE id = $18 AND version = $19",
    )
    .bind(ch.unit.get())
    .bind(d.source.code())
    .bind(d.source_doc_no.clone())
    .bind(d.assigning_body.clone())
    .bind(date_text(d.received_on))
    .bind(d.category.code())
    .bind(d.problem_domain.code())
    .bind(&d.summary)
    .bind(i64::from(d.important))
    .bind(d.handling_mode.code())
    .bind(d.responsible_leader.clone())
    .bind(d.responsible_person.clone())
    .bind(date_text(ch.deadline))
    .bind(ch.stock_class.code())
    .bind(search_text(&number, d))
    .bind(ch.actor.get())
    .bind(ch.now)
    .bind(id.get())
    .bind(ch.expected_version)
    .bind(ch.routed_from.map(UnitId::get))
    .bind(ch.timing.rule.map(|r| r.code()))
    .bind(date_text(ch.timing.started))
    .bind(i64::from(ch.timing.provisional))
    .bind(ch.campaign_id.map(CampaignId::get))
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if done == 0 {
        return Ok(ChangeOutcome::Stale { current_version: current });
    }
    write_people(tx, id, d, (ch.unit, ch.person_key), ch.now).await?;
    crate::supervision::tallies::after_change(tx, id, before).await?;
    // An edit leaves no timeline entry of its own (the audit trail has it).
    crate::search::touch(tx, [id.get()]).await?;
    Ok(ChangeOutcome::Saved { version: ch.expected_version + 1 })
}

pub(crate) const LEAD_COLUMNS: &str =
    "l.id, l.number, l.unit_id, u.name AS unit_name, l.campaign_id, l.source, l.source_doc_no,
    l.assigning_body, l.received_on, l.category, l.problem_domain, l.summary, l.important, l.handling_mode,
    l.responsible_leader, l.responsible_person, l.deadline, l.status, l.stock_class, l.created_by, l.created_at,
    l.updated_by, l.updated_at, l.version, l.routed_from_unit_id, l.deadline_provisional, l.clock_started_on,
    l.deadline_rule, l.finding, l.merged_into, l.transferred_to, l.key_kind, l.owning_leader_id, l.previous_unit_id,
    l.transfer_received_on, l.routed_late, l.original_no";

pub(crate) fn lead_from_row<R: Cols>(r: &R) -> Result<Lead, StoreError> {
    let text = |col: &str| -> Result<String, StoreError> { Ok(r.col::<String>(col)?) };
    Ok(Lead {
        id: LeadId::from_raw(r.col("id")?),
        number: LeadNo::from_stored(text("number")?),
        unit_id: UnitId::from_raw(r.col("unit_id")?),
        unit_name: text("unit_name")?,
        campaign_id: r.col::<Option<i64>>("campaign_id")?.map(CampaignId::from_raw),
        source: code(&text("source")?, Source::from_code)?,
        source_doc_no: r.col("source_doc_no")?,
        assigning_body: r.col("assigning_body")?,
        original_no: r.col("original_no")?,
        received_on: parse_stored_date(&text("received_on")?)?,
        category: code(&text("category")?, Category::from_code)?,
        problem_domain: code(&text("problem_domain")?, ProblemDomain::from_code)?,
        summary: text("summary")?,
        important: r.col::<i64>("important")? != 0,
        handling_mode: code(&text("handling_mode")?, HandlingMode::from_code)?,
        responsible_leader: r.col("responsible_leader")?,
        responsible_person: r.col("responsible_person")?,
        deadline: parse_stored_date(&text("deadline")?)?,
        deadline_provisional: r.col::<i64>("deadline_provisional")? != 0,
        clock_started_on: r.col::<Option<String>>("clock_started_on")?.map(|d| parse_stored_date(&d)).transpose()?,
        deadline_rule: r
            .col::<Option<String>>("deadline_rule")?
            .map(|c| code(&c, domain::lifecycle::deadline::RuleCode::from_code))
            .transpose()?,
        status: code(&text("status")?, LeadStatus::from_code)?,
        stock_class: code(&text("stock_class")?, StockClass::from_code)?,
        finding: r
            .col::<Option<String>>("finding")?
            .map(|c| code(&c, domain::lifecycle::conclusion::Finding::from_code))
            .transpose()?,
        merged_into: r.col::<Option<i64>>("merged_into")?.map(LeadId::from_raw),
        transferred_to: r.col("transferred_to")?,
        transfer_received_on: r
            .col::<Option<String>>("transfer_received_on")?
            .map(|d| parse_stored_date(&d))
            .transpose()?,
        routed_late: r.col::<i64>("routed_late")? != 0,
        key_kind: r
            .col::<Option<String>>("key_kind")?
            .map(|c| code(&c, domain::supervision::ownership::KeyKind::from_code))
            .transpose()?,
        owning_leader_id: r.col::<Option<i64>>("owning_leader_id")?.map(UserId::from_raw),
        previous_unit_id: r.col::<Option<i64>>("previous_unit_id")?.map(UnitId::from_raw),
        subjects: Vec::new(),
        handlers: Vec::new(),
        routed_from_unit_id: r.col::<Option<i64>>("routed_from_unit_id")?.map(UnitId::from_raw),
        created_by: UserId::from_raw(r.col("created_by")?),
        created_at: from_micros(r.col("created_at")?),
        updated_by: UserId::from_raw(r.col("updated_by")?),
        updated_at: from_micros(r.col("updated_at")?),
        version: r.col("version")?,
    })
}

/// One lead with its subjects, if it exists and lies in `scope`, with its handle.
pub async fn get(c: &mut Conn, scope: &Scope, id: LeadId) -> Result<Option<(LeadHandle, Lead)>, StoreError> {
    let mut b =
        SqlBuilder::new(&format!("SELECT {LEAD_COLUMNS} FROM leads l JOIN units u ON u.id = l.unit_id WHERE l.id = "));
    b.bind(Value::Int(id.get()));
    scope::push(&mut b, scope);
    one(c, b).await
}

/// The lead numbered `number`, if it lies in `scope`.
pub async fn by_number(c: &mut Conn, scope: &Scope, number: &LeadNo) -> Result<Option<(LeadHandle, Lead)>, StoreError> {
    let mut b = SqlBuilder::new(&format!(
        "SELECT {LEAD_COLUMNS} FROM leads l JOIN units u ON u.id = l.unit_id WHERE l.number = "
    ));
    b.bind(Value::Text(number.as_str().to_owned()));
    scope::push(&mut b, scope);
    one(c, b).await
}

/// The lead behind a handle (read again after a write, wherever the lead now is). It exists:
/// leads are never deleted, so a missing one is a corrupt database.
pub async fn by_handle(c: &mut Conn, lead: &LeadHandle) -> Result<Lead, StoreError> {
    let mut b =
        SqlBuilder::new(&format!("SELECT {LEAD_COLUMNS} FROM leads l JOIN units u ON u.id = l.unit_id WHERE l.id = "));
    b.bind(Value::Int(lead.raw()));
    one(c, b).await?.map(|(_, l)| l).ok_or_else(|| StoreError::corrupt(format!("lead {} vanished", lead.raw())))
}

async fn one(c: &mut Conn, b: SqlBuilder) -> Result<Option<(LeadHandle, Lead)>, StoreError> {
    let Some(row) = b.build().fetch_optional(&mut *c).await? else {
        return Ok(None);
    };
    let mut leads = vec![lead_from_row(&row)?];
    attach_subjects(c, &mut leads).await?;
    let Some(mut lead) = leads.pop() else { return Ok(None) };
    let handle = LeadHandle::found(lead.id);
    lead.handlers = crate::ledger::handlers::of_lead(c, &handle).await?;
    Ok(Some((handle, lead)))
}

/// A subject read from columns named with `prefix` (`""` from `lead_subjects` itself).
pub(crate) fn subject_from_row<R: Cols>(r: &R, prefix: &str) -> Result<Subject, StoreError> {
    let col = |name: &str| format!("{prefix}{name}");
    Ok(Subject {
        name: r.col(col("name").as_str())?,
        unit_name: r.col(col("unit_name").as_str())?,
        post: r.col(col("post").as_str())?,
        rank: r.col(col("subject_rank").as_str())?,
        political_status: code(&r.col::<String>(col("political_status").as_str())?, PoliticalStatus::from_code)?,
        is_unit_head: r.col::<i64>(col("is_unit_head").as_str())? != 0,
        cadre_level: code(&r.col::<String>(col("cadre_level").as_str())?, CadreLevel::from_code)?,
        id_number_hash: None,
    })
}

async fn attach_subjects(c: &mut Conn, leads: &mut [Lead]) -> Result<(), StoreError> {
    if leads.is_empty() {
        return Ok(());
    }
    let mut b = SqlBuilder::new(
        "SELECT lead_id, name, unit_name, post, subject_rank, political_status, is_unit_head, cadre_level
         FROM lead_subjects WHERE lead_id IN (",
    );
    for (i, l) in leads.iter().enumerate() {
        if i > 0 {
            b.push(", ");
        }
        b.bind(Value::Int(l.id.get()));
    }
    b.push(") ORDER BY lead_id, ordinal");
    for r in b.build().fetch_all(&mut *c).await? {
        let lead_id = LeadId::from_raw(r.try_get("lead_id")?);
        let s = subject_from_row(&r, "")?;
        if let Some(l) = leads.iter_mut().find(|l| l.id == lead_id) {
            l.subjects.push(s);
        }
    }
    Ok(())
}

/// Migration 10's data step: the sort key of every lead number written before it existed.
pub(crate) async fn fill_number_order(tx: &mut Tx) -> Result<(), StoreError> {
    let rows = sqlx::query("SELECT id, number FROM leads WHERE number_order = ''").fetch_all(&mut **tx).await?;
    for r in rows {
        let key = LeadNo::from_stored(r.try_get("number")?).sort_key();
        sqlx::query("UPDATE leads SET number_order = $1 WHERE id = $2")
            .bind(key)
            .bind(r.try_get::<i64, _>("id")?)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Every lead number of a unit, in numbering order, for integrity checks.
pub async fn numbers_of(c: &mut Conn, unit: UnitId) -> Result<Vec<String>, StoreError> {
    sqlx::query("SELECT number FROM leads WHERE unit_id = $1 ORDER BY number_order")
        .bind(unit.get())
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(|r| Ok(r.try_get(0)?))
        .collect()
}

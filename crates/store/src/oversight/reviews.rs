//! The review queue (查否复审复核): closures waiting to be drawn, the draws, and each review
//! with its reviewers, methods, checks and result. A review is reached through the scoped lead
//! it hangs off, like every child record of a lead.

use std::collections::HashSet;

use domain::{
    LeadId, UnitId, UserId,
    ledger::lead::{Category, LeadStatus},
    lifecycle::conclusion::Finding,
    oversight::{
        review::{ReviewPolicy, ReviewReason},
        reviewing::{Answered, CheckAnswer, Decision, MethodRecord, ReviewCheck, ReviewMethod, ReviewState},
    },
    protection::scope::Scope,
};
use sqlx::{Row, any::AnyRow};

use crate::{
    Conn, LeadHandle, StoreError, Tx, scope,
    sql::{SqlBuilder, Value, code, date_text, parse_stored_date},
};

/// A closure the queue may take: a lead concluded (or struck off) as 查否 or 无法查实, by its
/// latest conclusion, that no review has taken up.
#[derive(Debug, Clone)]
pub struct ClosureRow {
    pub lead: LeadId,
    pub unit: UnitId,
    pub status: LeadStatus,
    pub finding: Option<Finding>,
    pub category: Category,
    pub closure_event: i64,
}

/// Closures in scope not yet reviewed (and those of any finding a reporter was once unsatisfied
/// with: the caller checks the follow-up came after the closure). The statuses and findings are the program's codes,
/// written into the statement (see `extensions::in_state` for why).
pub async fn unreviewed_closures(c: &mut Conn, scope: &Scope) -> Result<Vec<ClosureRow>, StoreError> {
    let mut b = SqlBuilder::new(
        "SELECT l.id, l.unit_id, l.status, l.finding, l.category,
           (SELECT MAX(e.id) FROM lead_events e WHERE e.lead_id = l.id AND e.kind = 'conclude' AND e.state = 'done') AS closure
         FROM leads l WHERE l.status IN ('concluded', 'struck_off') AND (l.finding IN ('unfounded', 'unverifiable')
           OR EXISTS (SELECT 1 FROM reporter_feedback f WHERE f.lead_id = l.id AND f.rating = 'unsatisfied'))",
    );
    scope::push(&mut b, scope);
    b.push(" ORDER BY l.id");
    let mut out = Vec::new();
    for r in b.build().fetch_all(&mut *c).await? {
        let Some(closure_event) = r.try_get::<Option<i64>, _>("closure")? else { continue };
        out.push(ClosureRow {
            lead: LeadId::from_raw(r.try_get("id")?),
            unit: UnitId::from_raw(r.try_get("unit_id")?),
            status: code(&r.try_get::<String, _>("status")?, LeadStatus::from_code)?,
            finding: r.try_get::<Option<String>, _>("finding")?.as_deref().and_then(Finding::from_code),
            category: code(&r.try_get::<String, _>("category")?, Category::from_code)?,
            closure_event,
        });
    }
    let reviewed: HashSet<i64> = sqlx::query(
        "SELECT r.closure_event FROM reviews r JOIN leads l ON l.id = r.lead_id
         WHERE l.status IN ('concluded', 'struck_off')",
    )
    .fetch_all(&mut *c)
    .await?
    .iter()
    .map(|r| r.try_get(0))
    .collect::<Result<_, _>>()?;
    out.retain(|r| !reviewed.contains(&r.closure_event));
    Ok(out)
}

/// Of the closed leads given, those a lead in scope received after the closure names a person
/// of (the public still complaining). Received, not registered: a ledger imported late holds
/// reports that came in long before.
pub async fn complained_after(c: &mut Conn, scope: &Scope, closed: &[LeadId]) -> Result<HashSet<LeadId>, StoreError> {
    let mut out = HashSet::new();
    for chunk in closed.chunks(500) {
        let ids = || chunk.iter().map(|l| l.get());
        let mut closed_on = std::collections::HashMap::new();
        let mut b = SqlBuilder::new(
            "SELECT e.lead_id, MAX(COALESCE(e.decided_at, e.at)) FROM lead_events e
             WHERE e.kind = 'conclude' AND e.state = 'done' AND e.lead_id IN (",
        );
        b.push_ints(ids()).push(") GROUP BY e.lead_id");
        for r in b.build().fetch_all(&mut *c).await? {
            let at: i64 = r.try_get(1)?;
            closed_on.insert(r.try_get::<i64, _>(0)?, domain::dates::beijing_date(crate::from_micros(at)));
        }
        let mut b = SqlBuilder::new(
            "SELECT DISTINCT s1.lead_id, l.received_on FROM lead_subjects s1
             JOIN lead_subjects s2 ON s2.person_id = s1.person_id AND s2.lead_id <> s1.lead_id
             JOIN leads l ON l.id = s2.lead_id
             WHERE s1.person_id IS NOT NULL AND s1.lead_id IN (",
        );
        b.push_ints(ids()).push(")");
        scope::push(&mut b, scope);
        for r in b.build().fetch_all(&mut *c).await? {
            let lead: i64 = r.try_get(0)?;
            let received = parse_stored_date(&r.try_get::<String, _>(1)?)?;
            if closed_on.get(&lead).is_some_and(|closed| received > *closed) {
                out.insert(LeadId::from_raw(lead));
            }
        }
    }
    Ok(out)
}

/// Units in scope that had a review returned for re-investigation.
pub async fn units_returned_before(c: &mut Conn, scope: &Scope) -> Result<HashSet<UnitId>, StoreError> {
    let mut b = SqlBuilder::new("SELECT DISTINCT r.unit_id FROM reviews r WHERE r.state = 'returned'");
    scope::push_units(&mut b, scope, "r.unit_id");
    b.build().fetch_all(&mut *c).await?.iter().map(|r| Ok(UnitId::from_raw(r.try_get(0)?))).collect()
}

/// Records a draw: the rules, the seed and what it took.
pub async fn insert_draw(
    tx: &mut Tx,
    unit: UnitId,
    p: &ReviewPolicy,
    (considered, picked): (usize, usize),
    (actor, at): (UserId, i64),
) -> Result<i64, StoreError> {
    let flag = |b: bool| i64::from(b);
    Ok(sqlx::query(
        "INSERT INTO review_draws (unit_id, seed, rule_all, sample_percent, rule_repeat, rule_category,
           rule_complaint, rule_returned, considered, picked, actor, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
    )
    .bind(unit.get())
    .bind(p.seed.to_string())
    .bind(flag(p.all))
    .bind(i64::from(p.sample_percent))
    .bind(flag(p.repeat_reports))
    .bind(flag(p.categories))
    .bind(flag(p.still_complaining))
    .bind(flag(p.returned_before))
    .bind(considered as i64)
    .bind(picked as i64)
    .bind(actor.get())
    .bind(at)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?)
}

/// A draw as recorded.
#[derive(Debug, Clone)]
pub struct Draw {
    pub id: i64,
    pub policy: ReviewPolicy,
    pub considered: i64,
    pub picked: i64,
    pub by: String,
    pub at: i64,
}

/// The latest draws made over units in scope.
pub async fn draws(c: &mut Conn, scope: &Scope, limit: i64) -> Result<Vec<Draw>, StoreError> {
    let mut b =
        SqlBuilder::new("SELECT d.*, u.display_name FROM review_draws d JOIN users u ON u.id = d.actor WHERE 1 = 1");
    scope::push_units(&mut b, scope, "d.unit_id");
    b.push(" ORDER BY d.id DESC LIMIT ").push_int(limit);
    let on = |r: &AnyRow, col: &str| -> Result<bool, StoreError> { Ok(r.try_get::<i64, _>(col)? != 0) };
    b.build()
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(|r| {
            let seed: String = r.try_get("seed")?;
            Ok(Draw {
                id: r.try_get("id")?,
                policy: ReviewPolicy {
                    all: on(r, "rule_all")?,
                    sample_percent: u8::try_from(r.try_get::<i64, _>("sample_percent")?).unwrap_or(0),
                    seed: seed.parse().map_err(|_| StoreError::corrupt(format!("seed {seed:?}")))?,
                    repeat_reports: on(r, "rule_repeat")?,
                    categories: on(r, "rule_category")?,
                    still_complaining: on(r, "rule_complaint")?,
                    returned_before: on(r, "rule_returned")?,
                },
                considered: r.try_get("considered")?,
                picked: r.try_get("picked")?,
                by: r.try_get("display_name")?,
                at: r.try_get("at")?,
            })
        })
        .collect()
}

/// Queues one closure; a second open review of the lead, or a second review of the same
/// closure, is refused by the indexes (`Constraint::OneOpenReview`, `ReviewOfClosure`).
pub async fn insert(
    tx: &mut Tx,
    lead: &LeadHandle,
    (closure_event, draw, unit): (i64, i64, UnitId),
    (reasons, finding): (&[ReviewReason], Option<Finding>),
    at: i64,
) -> Result<i64, StoreError> {
    let reasons: Vec<&str> = reasons.iter().map(|r| r.code()).collect();
    Ok(sqlx::query(
        "INSERT INTO reviews (lead_id, closure_event, draw_id, unit_id, reasons, finding, state, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'queued', $7) RETURNING id",
    )
    .bind(lead.raw())
    .bind(closure_event)
    .bind(draw)
    .bind(unit.get())
    .bind(reasons.join(","))
    .bind(finding.map(|f| f.code()))
    .bind(at)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?)
}

/// A review as stored, with its lead's number and unit.
#[derive(Debug, Clone)]
pub struct Review {
    pub id: i64,
    pub lead_id: LeadId,
    pub number: String,
    pub summary: String,
    pub category: Category,
    /// The finding of the closure under review (the lead's own is gone once it is reopened).
    pub finding: Option<Finding>,
    pub lead_status: LeadStatus,
    pub unit_id: UnitId,
    pub unit_name: String,
    pub closure_event: i64,
    pub reasons: Vec<ReviewReason>,
    pub state: ReviewState,
    pub checks: Vec<Answered>,
    pub result_note: Option<String>,
    pub accountability: bool,
    pub resubmit_due: Option<time::Date>,
    pub decided_by: Option<String>,
    pub decided_at: Option<i64>,
    pub created_at: i64,
}

const SELECT: &str = "SELECT r.*, l.number, l.summary, l.category, l.status AS lead_status,
    u.name AS unit_name, du.display_name AS decided_by_name
    FROM reviews r JOIN leads l ON l.id = r.lead_id JOIN units u ON u.id = r.unit_id
    LEFT JOIN users du ON du.id = r.decided_by";

fn from_row(r: &AnyRow) -> Result<Review, StoreError> {
    let reasons: String = r.try_get("reasons")?;
    let mut checks = Vec::new();
    for check in ReviewCheck::ALL {
        let answer: Option<String> = r.try_get(check.code())?;
        let reason: Option<String> = r.try_get(format!("{}_reason", check.code()).as_str())?;
        if let (Some(a), Some(reason)) = (answer, reason) {
            checks.push(Answered { check: *check, answer: code(&a, CheckAnswer::from_code)?, reason });
        }
    }
    Ok(Review {
        id: r.try_get("id")?,
        lead_id: LeadId::from_raw(r.try_get("lead_id")?),
        number: r.try_get("number")?,
        summary: r.try_get("summary")?,
        category: code(&r.try_get::<String, _>("category")?, Category::from_code)?,
        finding: r.try_get::<Option<String>, _>("finding")?.as_deref().and_then(Finding::from_code),
        lead_status: code(&r.try_get::<String, _>("lead_status")?, LeadStatus::from_code)?,
        unit_id: UnitId::from_raw(r.try_get("unit_id")?),
        unit_name: r.try_get("unit_name")?,
        closure_event: r.try_get("closure_event")?,
        reasons: reasons
            .split(',')
            .filter(|s| !s.is_empty())
            .map(|s| code(s, ReviewReason::from_code))
            .collect::<Result<_, _>>()?,
        state: code(&r.try_get::<String, _>("state")?, ReviewState::from_code)?,
        checks,
        result_note: r.try_get("result_note")?,
        accountability: r.try_get::<i64, _>("accountability")? != 0,
        resubmit_due: r.try_get::<Option<String>, _>("resubmit_due")?.map(|d| parse_stored_date(&d)).transpose()?,
        decided_by: r.try_get("decided_by_name")?,
        decided_at: r.try_get("decided_at")?,
        created_at: r.try_get("created_at")?,
    })
}

/// One review whose lead lies in `scope`, with the lead's handle.
pub async fn get(c: &mut Conn, scope: &Scope, id: i64) -> Result<Option<(LeadHandle, Review)>, StoreError> {
    let mut b = SqlBuilder::new(&format!("{SELECT} WHERE r.id = "));
    b.bind(Value::Int(id));
    scope::push(&mut b, scope);
    let Some(r) = b.build().fetch_optional(&mut *c).await? else { return Ok(None) };
    let x = from_row(&r)?;
    Ok(Some((LeadHandle::found(x.lead_id), x)))
}

/// Reviews of leads in scope, newest first, open ones only if `open`: a page of them and the total.
pub async fn list(
    c: &mut Conn,
    scope: &Scope,
    state: Option<ReviewState>,
    (limit, offset): (i64, i64),
) -> Result<(Vec<Review>, i64), StoreError> {
    let filter = |b: &mut SqlBuilder| {
        if let Some(s) = state {
            b.push(" AND r.state = ").bind(Value::Text(s.code().into()));
        }
    };
    let mut count = SqlBuilder::new("SELECT COUNT(*) FROM reviews r JOIN leads l ON l.id = r.lead_id WHERE 1 = 1");
    filter(&mut count);
    scope::push(&mut count, scope);
    let total: i64 = count.build().fetch_one(&mut *c).await?.try_get(0)?;
    let mut b = SqlBuilder::new(&format!("{SELECT} WHERE 1 = 1"));
    filter(&mut b);
    scope::push(&mut b, scope);
    b.push(" ORDER BY r.id DESC LIMIT ").push_int(limit).push(" OFFSET ").push_int(offset);
    let rows = b.build().fetch_all(&mut *c).await?.iter().map(from_row).collect::<Result<_, _>>()?;
    Ok((rows, total))
}

/// Reviews of one lead, oldest first.
pub async fn of_lead(c: &mut Conn, lead: &LeadHandle) -> Result<Vec<Review>, StoreError> {
    sqlx::query(sqlx::AssertSqlSafe(format!("{SELECT} WHERE r.lead_id = $1 ORDER BY r.id")))
        .bind(lead.raw())
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(from_row)
        .collect()
}

/// Per unit in scope: reviews, and how many are open, upheld and returned.
pub async fn figures(c: &mut Conn, scope: &Scope) -> Result<Vec<(UnitId, String, [i64; 4])>, StoreError> {
    let mut b = SqlBuilder::new(
        "SELECT r.unit_id, u.name, COUNT(*),
           SUM(CASE WHEN r.state IN ('queued', 'in_review') THEN 1 ELSE 0 END),
           SUM(CASE WHEN r.state = 'upheld' THEN 1 ELSE 0 END),
           SUM(CASE WHEN r.state = 'returned' THEN 1 ELSE 0 END)
         FROM reviews r JOIN leads l ON l.id = r.lead_id JOIN units u ON u.id = r.unit_id WHERE 1 = 1",
    );
    scope::push(&mut b, scope);
    b.push(" GROUP BY r.unit_id, u.name ORDER BY r.unit_id");
    b.build()
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(|r| {
            Ok((
                UnitId::from_raw(r.try_get(0)?),
                r.try_get(1)?,
                [r.try_get(2)?, r.try_get(3)?, r.try_get(4)?, r.try_get(5)?],
            ))
        })
        .collect()
}

/// A reviewer as the review shows them.
#[derive(Debug, Clone)]
pub struct Reviewer {
    pub user: UserId,
    pub name: String,
    pub unit_name: String,
}

pub async fn reviewers(c: &mut Conn, review: i64) -> Result<Vec<Reviewer>, StoreError> {
    sqlx::query(
        "SELECT u.id, u.display_name, un.name FROM review_reviewers rr JOIN users u ON u.id = rr.user_id
         JOIN units un ON un.id = u.unit_id WHERE rr.review_id = $1 ORDER BY rr.assigned_at, u.id",
    )
    .bind(review)
    .fetch_all(&mut *c)
    .await?
    .iter()
    .map(|r| Ok(Reviewer { user: UserId::from_raw(r.try_get(0)?), name: r.try_get(1)?, unit_name: r.try_get(2)? }))
    .collect()
}

/// Accounts that could review closures of the lead: supervisors whose grant covers its unit,
/// each with whether they are of the handling unit (or below it) and whether the lead names them.
pub async fn reviewer_candidates(c: &mut Conn, lead: &LeadHandle) -> Result<Vec<(Reviewer, bool, bool)>, StoreError> {
    sqlx::query(
        "SELECT DISTINCT u.id, u.display_name, un.name,
           CASE WHEN EXISTS (SELECT 1 FROM unit_closure hc WHERE hc.ancestor_id = l.unit_id AND hc.descendant_id = u.unit_id)
             THEN 1 ELSE 0 END AS own_unit,
           CASE WHEN EXISTS (SELECT 1 FROM recusals x WHERE x.lead_id = l.id AND x.user_id = u.id) THEN 1 ELSE 0 END AS named
         FROM leads l JOIN unit_closure gc ON gc.descendant_id = l.unit_id
         JOIN grants g ON g.unit_id = gc.ancestor_id AND g.role = 'supervisor'
         JOIN users u ON u.id = g.user_id JOIN units un ON un.id = u.unit_id
         WHERE l.id = $1 ORDER BY u.id",
    )
    .bind(lead.raw())
    .fetch_all(&mut *c)
    .await?
    .iter()
    .map(|r| {
        Ok((
            Reviewer { user: UserId::from_raw(r.try_get(0)?), name: r.try_get(1)?, unit_name: r.try_get(2)? },
            r.try_get::<i64, _>(3)? != 0,
            r.try_get::<i64, _>(4)? != 0,
        ))
    })
    .collect()
}

pub async fn add_reviewer(
    tx: &mut Tx,
    lead: &LeadHandle,
    review: i64,
    user: UserId,
    by: UserId,
    at: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO review_reviewers (review_id, user_id, assigned_by, assigned_at)
         SELECT r.id, $2, $3, $4 FROM reviews r WHERE r.id = $1 AND r.lead_id = $5 AND r.state IN ('queued', 'in_review')",
    )
    .bind(review)
    .bind(user.get())
    .bind(by.get())
    .bind(at)
    .bind(lead.raw())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A method as recorded.
#[derive(Debug, Clone)]
pub struct Method {
    pub id: i64,
    pub method: ReviewMethod,
    pub held_on: time::Date,
    pub persons: String,
    pub notes: String,
    pub by: String,
}

pub async fn methods(c: &mut Conn, review: i64) -> Result<Vec<Method>, StoreError> {
    sqlx::query(
        "SELECT m.id, m.method, m.held_on, m.persons, m.notes, u.display_name FROM review_methods m
         JOIN users u ON u.id = m.actor WHERE m.review_id = $1 ORDER BY m.held_on, m.id",
    )
    .bind(review)
    .fetch_all(&mut *c)
    .await?
    .iter()
    .map(|r| {
        Ok(Method {
            id: r.try_get(0)?,
            method: code(&r.try_get::<String, _>(1)?, ReviewMethod::from_code)?,
            held_on: parse_stored_date(&r.try_get::<String, _>(2)?)?,
            persons: r.try_get(3)?,
            notes: r.try_get(4)?,
            by: r.try_get(5)?,
        })
    })
    .collect()
}

/// Records a method while the review is open (checked in the statement: a result given in the
/// meantime wins); `None` once it is decided.
pub async fn add_method(
    tx: &mut Tx,
    review: i64,
    m: &MethodRecord,
    (actor, at): (UserId, i64),
) -> Result<Option<i64>, StoreError> {
    let row = sqlx::query(
        "INSERT INTO review_methods (review_id, method, held_on, persons, notes, actor, at)
         SELECT $1, $2, $3, $4, $5, $6, $7 FROM reviews r WHERE r.id = $1 AND r.state IN ('queued', 'in_review')
         RETURNING id",
    )
    .bind(review)
    .bind(m.method.code())
    .bind(date_text(m.held_on))
    .bind(m.persons.as_str())
    .bind(m.notes.as_str())
    .bind(actor.get())
    .bind(at)
    .fetch_optional(&mut **tx)
    .await?;
    row.map(|r| r.try_get(0)).transpose().map_err(StoreError::from)
}

/// Moves an open review from `from` to `to`; false when it was no longer in `from`.
pub async fn advance(tx: &mut Tx, review: i64, from: ReviewState, to: ReviewState) -> Result<bool, StoreError> {
    Ok(sqlx::query("UPDATE reviews SET state = $1 WHERE id = $2 AND state = $3")
        .bind(to.code())
        .bind(review)
        .bind(from.code())
        .execute(&mut **tx)
        .await?
        .rows_affected()
        == 1)
}

pub async fn set_checks(tx: &mut Tx, review: i64, answers: &[Answered]) -> Result<(), StoreError> {
    for a in answers {
        let col = a.check.code();
        debug_assert!(col.chars().all(|ch| ch.is_ascii_lowercase()));
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE reviews SET {col} = $1, {col}_reason = $2 WHERE id = $3 AND state IN ('queued', 'in_review')"
        )))
        .bind(a.answer.code())
        .bind(a.reason.as_str())
        .bind(review)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Records the result on a review still open; false when someone decided it first.
pub async fn decide(
    tx: &mut Tx,
    review: i64,
    d: &Decision,
    resubmit_due: Option<time::Date>,
    (by, at): (UserId, i64),
) -> Result<bool, StoreError> {
    let to = match d.result {
        domain::oversight::reviewing::ReviewResult::Upheld => ReviewState::Upheld,
        domain::oversight::reviewing::ReviewResult::Returned => ReviewState::Returned,
    };
    Ok(sqlx::query(
        "UPDATE reviews SET state = $1, result_note = $2, accountability = $3, resubmit_due = $4,
           decided_by = $5, decided_at = $6 WHERE id = $7 AND state IN ('queued', 'in_review')",
    )
    .bind(to.code())
    .bind(d.note.as_str())
    .bind(i64::from(d.accountability))
    .bind(resubmit_due.map(date_text))
    .bind(by.get())
    .bind(at)
    .bind(review)
    .execute(&mut **tx)
    .await?
    .rows_affected()
        == 1)
}

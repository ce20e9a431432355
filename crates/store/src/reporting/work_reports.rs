//! Work reports (工作情况报告): one per unit and campaign, read and written only for units the
//! caller's use case has already checked it reaches (the app passes the unit it checked).

use std::collections::HashMap;

use domain::{
    CampaignId, UnitId, UserId,
    reporting::{
        outline::Outline,
        work_report::{ReportState, Section, Sections},
    },
};
use sqlx::Row;
use time::Date;

use crate::{
    Conn, StoreError, Tx,
    sql::{code, date_text, parse_stored_date},
};

/// A report as kept.
#[derive(Debug, Clone)]
pub struct ReportRow {
    pub id: i64,
    pub campaign_id: i64,
    pub unit_id: UnitId,
    pub sections: Sections,
    pub state: ReportState,
    pub edited_at: i64,
    pub voided_at: Option<i64>,
    /// The figures as signed: (figure, value).
    pub figures: Option<Vec<(String, String)>>,
    /// (signer, signer's name, at, signature, code).
    pub signed: Option<(UserId, String, i64, String, String)>,
    pub submitted_at: Option<i64>,
    pub submitted_on: Option<Date>,
}

/// The outline `campaign` asks its units' reports to follow (the plan's when it has none).
pub async fn outline(c: &mut Conn, campaign: CampaignId) -> Result<Outline, StoreError> {
    let kept: Option<String> = sqlx::query("SELECT report_outline FROM campaigns WHERE id = $1")
        .bind(campaign.get())
        .fetch_optional(&mut *c)
        .await?
        .map(|r| r.try_get(0))
        .transpose()?
        .flatten();
    match kept {
        Some(json) => serde_json::from_str(&json).map_err(|e| StoreError::corrupt(format!("report_outline: {e}"))),
        None => Ok(Outline::default()),
    }
}

pub async fn set_outline(tx: &mut Tx, campaign: CampaignId, outline: &Outline) -> Result<(), StoreError> {
    let json = serde_json::to_string(outline).map_err(|e| StoreError::corrupt(e.to_string()))?;
    sqlx::query("UPDATE campaigns SET report_outline = $1 WHERE id = $2")
        .bind(json)
        .bind(campaign.get())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

fn sections_json(s: &Sections) -> Result<String, StoreError> {
    let pairs: Vec<(&str, &str)> = s.iter().map(|(k, v)| (k.code(), v.as_str())).collect();
    serde_json::to_string(&pairs).map_err(|e| StoreError::corrupt(e.to_string()))
}

fn row(r: &sqlx::any::AnyRow) -> Result<ReportRow, StoreError> {
    let pairs: Vec<(String, String)> = serde_json::from_str(&r.try_get::<String, _>("sections")?)
        .map_err(|e| StoreError::corrupt(format!("sections: {e}")))?;
    let sections =
        pairs.into_iter().map(|(k, v)| Ok((code(&k, Section::from_code)?, v))).collect::<Result<_, StoreError>>()?;
    let figures: Option<String> = r.try_get("figures")?;
    let figures = figures
        .map(|f| serde_json::from_str(&f).map_err(|e| StoreError::corrupt(format!("figures: {e}"))))
        .transpose()?;
    let signed_by: Option<i64> = r.try_get("signed_by")?;
    let signed = match signed_by {
        Some(by) => Some((
            UserId::from_raw(by),
            r.try_get::<Option<String>, _>("signer_name")?.unwrap_or_default(),
            r.try_get::<Option<i64>, _>("signed_at")?.unwrap_or_default(),
            r.try_get::<Option<String>, _>("signature")?.unwrap_or_default(),
            r.try_get::<Option<String>, _>("code")?.unwrap_or_default(),
        )),
        None => None,
    };
    let submitted_on: Option<String> = r.try_get("submitted_on")?;
    Ok(ReportRow {
        id: r.try_get("id")?,
        campaign_id: r.try_get("campaign_id")?,
        unit_id: UnitId::from_raw(r.try_get("unit_id")?),
        sections,
        state: code(&r.try_get::<String, _>("state")?, ReportState::from_code)?,
        edited_at: r.try_get("edited_at")?,
        voided_at: r.try_get("voided_at")?,
        figures,
        signed,
        submitted_at: r.try_get("submitted_at")?,
        submitted_on: submitted_on.as_deref().map(parse_stored_date).transpose()?,
    })
}

const SELECT: &str =
    "SELECT w.*, s.display_name AS signer_name FROM work_reports w LEFT JOIN users s ON s.id = w.signed_by";

/// The report of a unit the caller reaches, for a campaign.
pub async fn get(c: &mut Conn, campaign: i64, unit: UnitId) -> Result<Option<ReportRow>, StoreError> {
    sqlx::query(sqlx::AssertSqlSafe(format!("{SELECT} WHERE w.campaign_id = $1 AND w.unit_id = $2")))
        .bind(campaign)
        .bind(unit.get())
        .fetch_optional(&mut *c)
        .await?
        .as_ref()
        .map(row)
        .transpose()
}

/// Every report of a campaign, by unit (the app keeps those of units the caller reaches).
pub async fn of_campaign(c: &mut Conn, campaign: i64) -> Result<HashMap<UnitId, ReportRow>, StoreError> {
    sqlx::query(sqlx::AssertSqlSafe(format!("{SELECT} WHERE w.campaign_id = $1")))
        .bind(campaign)
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(|r| row(r).map(|x| (x.unit_id, x)))
        .collect()
}

/// The report a printed code names, if any.
pub async fn by_code(c: &mut Conn, code: &str) -> Result<Option<ReportRow>, StoreError> {
    sqlx::query(sqlx::AssertSqlSafe(format!("{SELECT} WHERE w.code = $1 ORDER BY w.id DESC")))
        .bind(code)
        .fetch_optional(&mut *c)
        .await?
        .as_ref()
        .map(row)
        .transpose()
}

/// Writes the sections: a new report, or the one there (a signed one back to a draft, its
/// signature cleared and the voiding noted).
pub async fn save(
    tx: &mut Tx,
    (campaign, unit): (i64, UnitId),
    sections: &Sections,
    voids: bool,
    (actor, at): (UserId, i64),
) -> Result<i64, StoreError> {
    let json = sections_json(sections)?;
    let updated = sqlx::query(
        "UPDATE work_reports SET sections = $1, state = 'draft', edited_by = $2, edited_at = $3,
            voided_at = CASE WHEN $4 = 1 THEN $3 ELSE voided_at END,
            figures = NULL, signed_by = NULL, signed_at = NULL, signature = NULL, code = NULL
         WHERE campaign_id = $5 AND unit_id = $6 AND state <> 'submitted' RETURNING id",
    )
    .bind(&json)
    .bind(actor.get())
    .bind(at)
    .bind(i64::from(voids))
    .bind(campaign)
    .bind(unit.get())
    .fetch_optional(&mut **tx)
    .await?;
    if let Some(r) = updated {
        return Ok(r.try_get(0)?);
    }
    Ok(sqlx::query(
        "INSERT INTO work_reports (campaign_id, unit_id, sections, state, edited_by, edited_at)
         VALUES ($1, $2, $3, 'draft', $4, $5) RETURNING id",
    )
    .bind(campaign)
    .bind(unit.get())
    .bind(&json)
    .bind(actor.get())
    .bind(at)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?)
}

/// Signs a draft: the figures as signed, the signature and its code. False when it was no
/// longer the draft read.
pub async fn sign(
    tx: &mut Tx,
    report: &ReportRow,
    figures: &[(String, String)],
    (signature, code): (&str, &str),
    (actor, at): (UserId, i64),
) -> Result<bool, StoreError> {
    let figures = serde_json::to_string(figures).map_err(|e| StoreError::corrupt(e.to_string()))?;
    let done = sqlx::query(
        "UPDATE work_reports SET state = 'signed', figures = $1, signature = $2, code = $3, signed_by = $4, signed_at = $5
         WHERE id = $6 AND state = 'draft' AND edited_at = $7",
    )
    .bind(figures)
    .bind(signature)
    .bind(code)
    .bind(actor.get())
    .bind(at)
    .bind(report.id)
    .bind(report.edited_at)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn submit(tx: &mut Tx, report: &ReportRow, on: Date, (actor, at): (UserId, i64)) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE work_reports SET state = 'submitted', submitted_by = $1, submitted_at = $2, submitted_on = $3
         WHERE id = $4 AND state = 'signed'",
    )
    .bind(actor.get())
    .bind(at)
    .bind(date_text(on))
    .bind(report.id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

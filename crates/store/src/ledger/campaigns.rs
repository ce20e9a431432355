use domain::{CampaignId, ledger::campaign::Campaign, ledger::campaign::CampaignPlan, ledger::campaign::Phase};
use sqlx::Row;

use crate::{Conn, StoreError, Tx, sql::date_text, sql::parse_stored_date};

pub async fn insert(tx: &mut Tx, p: &CampaignPlan, now: i64) -> Result<CampaignId, StoreError> {
    let id: i64 = sqlx::query(
        "INSERT INTO campaigns (name, stock_cutoff, clearance_deadline, starts_on, ends_on, report_due, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(&p.name)
    .bind(date_text(p.stock_cutoff))
    .bind(date_text(p.clearance_deadline))
    .bind(date_text(p.starts_on))
    .bind(date_text(p.ends_on))
    .bind(date_text(p.report_due))
    .bind(now)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?;
    for (i, ph) in p.phases.iter().enumerate() {
        sqlx::query(
            "INSERT INTO campaign_phases (campaign_id, ordinal, name, starts_on, ends_on) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(i as i64)
        .bind(&ph.name)
        .bind(date_text(ph.starts_on))
        .bind(date_text(ph.ends_on))
        .execute(&mut **tx)
        .await?;
    }
    Ok(CampaignId::from_raw(id))
}

pub async fn get(c: &mut Conn, id: CampaignId) -> Result<Option<Campaign>, StoreError> {
    let Some(r) = sqlx::query(
        "SELECT name, stock_cutoff, clearance_deadline, starts_on, ends_on, report_due FROM campaigns WHERE id = $1",
    )
    .bind(id.get())
    .fetch_optional(&mut *c)
    .await?
    else {
        return Ok(None);
    };
    let d = |col: &str| -> Result<time::Date, StoreError> { parse_stored_date(&r.try_get::<String, _>(col)?) };
    let mut plan = CampaignPlan {
        name: r.try_get("name")?,
        stock_cutoff: d("stock_cutoff")?,
        clearance_deadline: d("clearance_deadline")?,
        starts_on: d("starts_on")?,
        ends_on: d("ends_on")?,
        report_due: d("report_due")?,
        phases: Vec::new(),
    };
    for p in sqlx::query("SELECT name, starts_on, ends_on FROM campaign_phases WHERE campaign_id = $1 ORDER BY ordinal")
        .bind(id.get())
        .fetch_all(&mut *c)
        .await?
    {
        plan.phases.push(Phase {
            name: p.try_get("name")?,
            starts_on: parse_stored_date(&p.try_get::<String, _>("starts_on")?)?,
            ends_on: parse_stored_date(&p.try_get::<String, _>("ends_on")?)?,
        });
    }
    Ok(Some(Campaign { id, plan }))
}

/// The campaign new leads are registered under: the most recently created one.
pub async fn current(c: &mut Conn) -> Result<Option<Campaign>, StoreError> {
    let id: Option<i64> = sqlx::query("SELECT MAX(id) FROM campaigns").fetch_one(&mut *c).await?.try_get(0)?;
    match id {
        Some(id) => get(c, CampaignId::from_raw(id)).await,
        None => Ok(None),
    }
}

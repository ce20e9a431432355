use domain::{CampaignId, ledger::campaign::Campaign, ledger::campaign::CampaignPlan, ledger::campaign::Phase};
use sqlx::Row;

use crate::{Conn, StoreError, Tx, sql::date_text, sql::parse_stored_date};

/// A campaign as the committee's list shows it.
#[derive(Debug, Clone)]
pub struct Listed {
    pub campaign: Campaign,
    pub closed_at: Option<i64>,
    pub leads: i64,
}

/// Every campaign, newest first, with its number of leads.
pub async fn list(c: &mut Conn) -> Result<Vec<Listed>, StoreError> {
    let rows = sqlx::query(
        "SELECT k.id, k.closed_at, (SELECT COUNT(*) FROM leads l WHERE l.campaign_id = k.id) AS leads
         FROM campaigns k ORDER BY k.id DESC",
    )
    .fetch_all(&mut *c)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let id = CampaignId::from_raw(r.try_get("id")?);
        // Read in the same snapshot as the ids, so every one is there.
        if let Some(campaign) = get(c, id).await? {
            out.push(Listed { campaign, closed_at: r.try_get("closed_at")?, leads: r.try_get("leads")? });
        }
    }
    Ok(out)
}

/// Replaces a campaign's name, dates and phases.
pub async fn update(tx: &mut Tx, id: CampaignId, p: &CampaignPlan) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE campaigns SET name = $1, stock_cutoff = $2, clearance_deadline = $3, starts_on = $4, ends_on = $5,
            report_due = $6 WHERE id = $7",
    )
    .bind(&p.name)
    .bind(date_text(p.stock_cutoff))
    .bind(date_text(p.clearance_deadline))
    .bind(date_text(p.starts_on))
    .bind(date_text(p.ends_on))
    .bind(date_text(p.report_due))
    .bind(id.get())
    .execute(&mut **tx)
    .await?;
    sqlx::query("DELETE FROM campaign_phases WHERE campaign_id = $1").bind(id.get()).execute(&mut **tx).await?;
    insert_phases(tx, id.get(), p).await
}

/// Closes a campaign; `false` if it was closed already.
pub async fn close(tx: &mut Tx, id: CampaignId, now: i64) -> Result<bool, StoreError> {
    Ok(sqlx::query("UPDATE campaigns SET closed_at = $1 WHERE id = $2 AND closed_at IS NULL")
        .bind(now)
        .bind(id.get())
        .execute(&mut **tx)
        .await?
        .rows_affected()
        == 1)
}

/// Whether a campaign is closed (`None`: no such campaign).
pub async fn closed(c: &mut Conn, id: CampaignId) -> Result<Option<bool>, StoreError> {
    Ok(sqlx::query("SELECT closed_at FROM campaigns WHERE id = $1")
        .bind(id.get())
        .fetch_optional(&mut *c)
        .await?
        .map(|r| r.try_get::<Option<i64>, _>(0).map(|v| v.is_some()))
        .transpose()?)
}

/// How many leads a campaign holds.
pub async fn lead_count(c: &mut Conn, id: CampaignId) -> Result<i64, StoreError> {
    Ok(sqlx::query("SELECT COUNT(*) FROM leads WHERE campaign_id = $1")
        .bind(id.get())
        .fetch_one(&mut *c)
        .await?
        .try_get(0)?)
}

async fn insert_phases(tx: &mut Tx, id: i64, p: &CampaignPlan) -> Result<(), StoreError> {
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
    Ok(())
}

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
    insert_phases(tx, id, p).await?;
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

/// The campaign new leads are registered under: the most recently created open one.
pub async fn current(c: &mut Conn) -> Result<Option<Campaign>, StoreError> {
    let id: Option<i64> =
        sqlx::query("SELECT MAX(id) FROM campaigns WHERE closed_at IS NULL").fetch_one(&mut *c).await?.try_get(0)?;
    match id {
        Some(id) => get(c, CampaignId::from_raw(id)).await,
        None => Ok(None),
    }
}

use domain::{
    CampaignId, UnitId,
    ledger::campaign::{Campaign, CampaignPlan, CampaignScope, Phase},
    ledger::lead::{Category, Source},
};
use sqlx::Row;

use crate::{Conn, StoreError, Tx, sql::date_text, sql::parse_stored_date};

/// A campaign as the committee's list shows it.
#[derive(Debug, Clone)]
pub struct Listed {
    pub campaign: Campaign,
    pub closed_at: Option<i64>,
    pub leads: i64,
}

/// Every campaign's id, name and whether it is closed, newest first: for choosing one (the
/// board's chooser reads this on every page; counting each campaign's leads cost 55 ms at 1M).
pub async fn choices(c: &mut Conn) -> Result<Vec<(CampaignId, String, bool)>, StoreError> {
    sqlx::query("SELECT id, name, closed_at FROM campaigns ORDER BY id DESC")
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(|r| {
            let closed: Option<i64> = r.try_get("closed_at")?;
            Ok((CampaignId::from_raw(r.try_get("id")?), r.try_get("name")?, closed.is_some()))
        })
        .collect()
}

/// Every campaign's id, name, first and last day (the statistics compare a campaign with the
/// one before it).
pub async fn spans(c: &mut Conn) -> Result<Vec<(CampaignId, String, time::Date, time::Date)>, StoreError> {
    sqlx::query("SELECT id, name, starts_on, ends_on FROM campaigns ORDER BY id")
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(|r| {
            let d = |col: &str| -> Result<time::Date, StoreError> { parse_stored_date(&r.try_get::<String, _>(col)?) };
            Ok((CampaignId::from_raw(r.try_get("id")?), r.try_get("name")?, d("starts_on")?, d("ends_on")?))
        })
        .collect()
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
            report_due = $6, scope_unit_id = $7, counted_categories = $8, counted_sources = $9,
            transfer_needs_receipt = $10, extension_cap_months = $11 WHERE id = $12",
    )
    .bind(&p.name)
    .bind(date_text(p.stock_cutoff))
    .bind(date_text(p.clearance_deadline))
    .bind(date_text(p.starts_on))
    .bind(date_text(p.ends_on))
    .bind(date_text(p.report_due))
    .bind(p.scope.unit.map(UnitId::get))
    .bind(codes(p.scope.categories.iter().map(|c| c.code())))
    .bind(codes(p.scope.sources.iter().map(|c| c.code())))
    .bind(i64::from(p.scope.transfer_needs_receipt))
    .bind(i64::from(p.scope.extension_cap_months))
    .bind(id.get())
    .execute(&mut **tx)
    .await?;
    // Whether a transfer counts as cleared before its receipt may have changed.
    let mut transfers =
        crate::sql::SqlBuilder::new("SELECT id FROM leads WHERE status = 'transferred' AND campaign_id = ");
    transfers.bind(crate::sql::Value::Int(id.get()));
    crate::search::touch_where(tx, transfers).await?;
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

/// How many leads the ledger holds, in any campaign or none.
pub async fn lead_total(c: &mut Conn) -> Result<i64, StoreError> {
    Ok(sqlx::query("SELECT COUNT(*) FROM leads").fetch_one(&mut *c).await?.try_get(0)?)
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
        "INSERT INTO campaigns (name, stock_cutoff, clearance_deadline, starts_on, ends_on, report_due, created_at,
            scope_unit_id, counted_categories, counted_sources, transfer_needs_receipt, extension_cap_months)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
    )
    .bind(&p.name)
    .bind(date_text(p.stock_cutoff))
    .bind(date_text(p.clearance_deadline))
    .bind(date_text(p.starts_on))
    .bind(date_text(p.ends_on))
    .bind(date_text(p.report_due))
    .bind(now)
    .bind(p.scope.unit.map(UnitId::get))
    .bind(codes(p.scope.categories.iter().map(|c| c.code())))
    .bind(codes(p.scope.sources.iter().map(|c| c.code())))
    .bind(i64::from(p.scope.transfer_needs_receipt))
    .bind(i64::from(p.scope.extension_cap_months))
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?;
    insert_phases(tx, id, p).await?;
    Ok(CampaignId::from_raw(id))
}

pub async fn get(c: &mut Conn, id: CampaignId) -> Result<Option<Campaign>, StoreError> {
    let Some(r) = sqlx::query(
        "SELECT name, stock_cutoff, clearance_deadline, starts_on, ends_on, report_due, scope_unit_id,
            counted_categories, counted_sources, transfer_needs_receipt, extension_cap_months
         FROM campaigns WHERE id = $1",
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
        scope: CampaignScope {
            unit: r.try_get::<Option<i64>, _>("scope_unit_id")?.map(UnitId::from_raw),
            categories: parse_codes(&r.try_get::<String, _>("counted_categories")?, Category::from_code)?,
            sources: parse_codes(&r.try_get::<String, _>("counted_sources")?, Source::from_code)?,
            transfer_needs_receipt: r.try_get::<i64, _>("transfer_needs_receipt")? != 0,
            extension_cap_months: u32::try_from(r.try_get::<i64, _>("extension_cap_months")?)
                .map_err(|_| StoreError::corrupt("campaign extension cap"))?,
        },
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

/// The most recently created open campaign (the one a new campaign copies).
pub async fn current(c: &mut Conn) -> Result<Option<Campaign>, StoreError> {
    let id: Option<i64> =
        sqlx::query("SELECT MAX(id) FROM campaigns WHERE closed_at IS NULL").fetch_one(&mut *c).await?.try_get(0)?;
    match id {
        Some(id) => get(c, CampaignId::from_raw(id)).await,
        None => Ok(None),
    }
}

/// Every open campaign, each with whether `unit` is in its subtree: what
/// `domain::ledger::campaign::campaign_for` chooses from.
pub async fn open_for_unit(c: &mut Conn, unit: UnitId) -> Result<Vec<(Campaign, bool)>, StoreError> {
    let ids: Vec<i64> = sqlx::query("SELECT id FROM campaigns WHERE closed_at IS NULL ORDER BY id")
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(|r| r.try_get(0))
        .collect::<Result<_, _>>()?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let Some(k) = get(c, CampaignId::from_raw(id)).await? else { continue };
        let inside = match k.plan.scope.unit {
            None => true,
            Some(root) => crate::ledger::units::within(c, &[root], unit).await?,
        };
        out.push((k, inside));
    }
    Ok(out)
}

/// Takes into a new campaign the leads in ordinary handling that its scope covers (a backlog
/// the committee now means to clear), classing each by the cut-off. Returns how many.
pub async fn adopt_ordinary_leads(tx: &mut Tx, id: CampaignId, p: &CampaignPlan) -> Result<u64, StoreError> {
    let mut b = crate::sql::SqlBuilder::new("UPDATE leads SET stock_class = CASE WHEN received_on <= ");
    b.bind(crate::sql::Value::Text(date_text(p.stock_cutoff)));
    b.push(" THEN 'stock' ELSE 'new' END, campaign_id = ").bind(crate::sql::Value::Int(id.get()));
    b.push(" WHERE campaign_id IS NULL AND received_on <= ").bind(crate::sql::Value::Text(date_text(p.ends_on)));
    let list = |b: &mut crate::sql::SqlBuilder, col: &str, codes: Vec<&str>| {
        b.push(&format!(" AND {col} IN ("));
        for (i, c) in codes.into_iter().enumerate() {
            if i > 0 {
                b.push(", ");
            }
            b.bind(crate::sql::Value::Text(c.to_owned()));
        }
        b.push(")");
    };
    list(&mut b, "category", p.scope.categories.iter().map(|c| c.code()).collect());
    if !p.scope.sources.is_empty() {
        list(&mut b, "source", p.scope.sources.iter().map(|c| c.code()).collect());
    }
    if let Some(root) = p.scope.unit {
        b.push(" AND unit_id IN (SELECT descendant_id FROM unit_closure WHERE ancestor_id = ")
            .bind(crate::sql::Value::Int(root.get()))
            .push(")");
    }
    let n = b.build().execute(&mut **tx).await?.rows_affected();
    if n > 0 {
        crate::supervision::tallies::invalidate(tx).await?;
        let mut adopted = crate::sql::SqlBuilder::new("SELECT id FROM leads WHERE campaign_id = ");
        adopted.bind(crate::sql::Value::Int(id.get()));
        crate::search::touch_where(tx, adopted).await?;
    }
    Ok(n)
}

fn codes<'a>(c: impl Iterator<Item = &'a str>) -> String {
    c.collect::<Vec<_>>().join(" ")
}

fn parse_codes<T>(s: &str, from: fn(&str) -> Option<T>) -> Result<Vec<T>, StoreError> {
    s.split_whitespace().map(|c| from(c).ok_or_else(|| StoreError::corrupt(format!("campaign code {c}")))).collect()
}

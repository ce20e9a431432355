//! The dashboard's series (issue 17, point 2), each unit's own, within the caller's scope: its
//! stock by the day each lead closed, its leads received and closed by month, and its open
//! leads past their deadline by deadline. The app sums units into their subtrees.

use std::collections::HashMap;

use domain::{CampaignId, UnitId, ledger::lead::LeadStatus, protection::scope::Scope, reporting::trend::YearMonth};
use sqlx::Row;
use time::Date;

use super::statistics::{CLOSED_ON, Leads, push_leads};
use crate::{
    Conn, StoreError,
    sql::{SqlBuilder, Value, date_text, parse_stored_date},
};

/// Counts by unit and a key column (the query's second column, `None` when NULL).
pub type ByUnit<K> = HashMap<UnitId, Vec<(Option<K>, i64)>>;

async fn by_unit<K>(
    c: &mut Conn,
    mut b: SqlBuilder,
    (scope, which): (&Scope, Leads<'_>),
    key: &str,
    parse: impl Fn(&str) -> Result<K, StoreError>,
) -> Result<ByUnit<K>, StoreError> {
    push_leads(&mut b, scope, which);
    b.push(&format!(" GROUP BY l.unit_id, {key}"));
    let mut out: ByUnit<K> = HashMap::new();
    for r in b.build().fetch_all(&mut *c).await? {
        let k: Option<String> = r.try_get(1)?;
        let k = k.as_deref().map(&parse).transpose()?;
        out.entry(UnitId::from_raw(r.try_get(0)?)).or_default().push((k, r.try_get(2)?));
    }
    Ok(out)
}

fn from_leads(select: &str, campaign: CampaignId) -> SqlBuilder {
    let mut b = SqlBuilder::new(&format!(
        "SELECT l.unit_id, {select}, COUNT(*) FROM leads l JOIN campaigns k ON k.id = l.campaign_id
         WHERE l.status <> 'merged' AND l.campaign_id = "
    ));
    b.bind(Value::Int(campaign.get()));
    b
}

/// Each unit's stock leads of the campaign by the day they closed (`None`: not closed).
pub async fn stock_closings(
    c: &mut Conn,
    scope: (&Scope, Leads<'_>),
    campaign: CampaignId,
) -> Result<ByUnit<Date>, StoreError> {
    let mut b = from_leads(&format!("{CLOSED_ON} AS closed"), campaign);
    b.push(" AND l.stock_class = 'stock'");
    by_unit(c, b, scope, CLOSED_ON, parse_stored_date).await
}

fn month(s: &str) -> Result<YearMonth, StoreError> {
    YearMonth::parse(s).ok_or_else(|| StoreError::corrupt(format!("not a stored day: {s}")))
}

/// Each unit's leads of the campaign received, and closed, by month.
pub async fn monthly(
    c: &mut Conn,
    scope: (&Scope, Leads<'_>),
    campaign: CampaignId,
) -> Result<(ByUnit<YearMonth>, ByUnit<YearMonth>), StoreError> {
    let received = "SUBSTR(l.received_on, 1, 7)";
    let received = by_unit(c, from_leads(received, campaign), scope, received, month).await?;
    let closed = format!("SUBSTR({CLOSED_ON}, 1, 7)");
    let mut b = from_leads(&closed, campaign);
    b.push(&format!(" AND {CLOSED_ON} IS NOT NULL"));
    let closed = by_unit(c, b, scope, &closed, month).await?;
    Ok((received, closed))
}

/// Each unit's open leads of the campaign whose deadline is before `today`, by deadline.
pub async fn overdue_by_deadline(
    c: &mut Conn,
    scope: (&Scope, Leads<'_>),
    campaign: CampaignId,
    today: Date,
) -> Result<ByUnit<Date>, StoreError> {
    let open: Vec<String> = LeadStatus::ALL.iter().filter(|s| s.is_open()).map(|s| format!("'{}'", s.code())).collect();
    let mut b = from_leads("l.deadline", campaign);
    // The status codes are the domain's own, never input.
    b.push(&format!(" AND l.status IN ({}) AND l.deadline < ", open.join(", "))).bind(Value::Text(date_text(today)));
    by_unit(c, b, scope, "l.deadline", parse_stored_date).await
}

//! The clearance board's figures counted afresh per unit, in one pass over the campaign's
//! leads: what the kept figures (`tallies`) must always equal, and the answer for scopes
//! they cannot serve.

use domain::{CampaignId, UnitId, protection::scope::Scope, supervision::tally::Tally};
use sqlx::Row;

use crate::{
    Conn, StoreError, sql::SqlBuilder, sql::Value, sql::date_text, sql::push_statuses, supervision::tallies::UnitTally,
};

/// Counts the campaign's leads in `scope` per unit as of `today`.
pub async fn recount(
    c: &mut Conn,
    scope: &Scope,
    campaign: CampaignId,
    today: time::Date,
) -> Result<Vec<UnitTally>, StoreError> {
    let today = date_text(today);
    let mut b = SqlBuilder::new("SELECT l.unit_id, u.name AS unit_name, ");
    b.push("SUM(CASE WHEN l.stock_class = 'stock' THEN 1 ELSE 0 END) AS stock_total, ");
    b.push("SUM(CASE WHEN l.stock_class = 'stock' AND l.status IN ");
    push_statuses(&mut b, false);
    b.push(" THEN 1 ELSE 0 END) AS stock_cleared, ");
    b.push("SUM(CASE WHEN l.stock_class = 'stock' AND l.status IN ");
    push_statuses(&mut b, true);
    b.push(" AND l.deadline < ").bind(Value::Text(today.clone())).push(" THEN 1 ELSE 0 END) AS stock_overdue, ");
    b.push("SUM(CASE WHEN l.stock_class = 'new' THEN 1 ELSE 0 END) AS new_total, ");
    b.push("SUM(CASE WHEN l.stock_class = 'new' AND l.status IN ");
    push_statuses(&mut b, true);
    b.push(" THEN 1 ELSE 0 END) AS new_open, ");
    b.push("SUM(CASE WHEN l.stock_class = 'new' AND l.status IN ");
    push_statuses(&mut b, true);
    b.push(" AND l.deadline < ").bind(Value::Text(today.clone())).push(" THEN 1 ELSE 0 END) AS new_overdue, ");
    b.push("SUM(CASE WHEN l.stock_class = 'new' AND l.status = 'registered' AND l.deadline < ")
        .bind(Value::Text(today))
        .push(" THEN 1 ELSE 0 END) AS new_routed_late ");
    b.push("FROM leads l JOIN units u ON u.id = l.unit_id WHERE l.campaign_id = ").bind(Value::Int(campaign.get()));
    crate::scope::push(&mut b, scope);
    b.push(" GROUP BY l.unit_id, u.name");
    let mut out: Vec<UnitTally> = b
        .build()
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(|r| {
            Ok(UnitTally {
                unit_id: UnitId::from_raw(r.try_get("unit_id")?),
                unit_name: r.try_get("unit_name")?,
                tally: Tally {
                    stock_total: r.try_get("stock_total")?,
                    stock_cleared: r.try_get("stock_cleared")?,
                    stock_overdue: r.try_get("stock_overdue")?,
                    new_total: r.try_get("new_total")?,
                    new_open: r.try_get("new_open")?,
                    new_overdue: r.try_get("new_overdue")?,
                    new_routed_late: r.try_get("new_routed_late")?,
                    extensions: 0,
                    flagged_extensions: 0,
                },
            })
        })
        .collect::<Result<_, StoreError>>()?;
    let mut b = SqlBuilder::new(
        "SELECT l.unit_id, SUM(CASE WHEN x.state = 'approved' THEN 1 ELSE 0 END) AS n,
            SUM(CASE WHEN x.needs_head = 1 THEN 1 ELSE 0 END) AS flagged
         FROM extensions x JOIN leads l ON l.id = x.lead_id WHERE l.campaign_id = ",
    );
    b.bind(Value::Int(campaign.get()));
    crate::scope::push(&mut b, scope);
    b.push(" GROUP BY l.unit_id");
    for r in b.build().fetch_all(&mut *c).await? {
        let unit = UnitId::from_raw(r.try_get("unit_id")?);
        if let Some(f) = out.iter_mut().find(|f| f.unit_id == unit) {
            f.tally.extensions = r.try_get("n")?;
            f.tally.flagged_extensions = r.try_get("flagged")?;
        }
    }
    Ok(out)
}

//! The clearance board's figures counted afresh per unit, in one pass over the campaign's
//! leads: what the kept figures (`tallies`) must always equal, and the answer for scopes
//! they cannot serve.

use domain::{CampaignId, UnitId, protection::scope::Scope, supervision::tally::Tally};
use sqlx::Row;

use crate::{Conn, StoreError, sql::SqlBuilder, sql::Value, supervision::tallies::UnitTally};

/// Counts the campaign's leads in `scope` per unit as of `today`.
pub async fn recount(
    c: &mut Conn,
    scope: &Scope,
    campaign: CampaignId,
    today: time::Date,
) -> Result<Vec<UnitTally>, StoreError> {
    // The extension counters come from the second query below.
    let sums = crate::supervision::counting::tally_sums(today, "0", "0");
    let mut b = SqlBuilder::new(&format!(
        "SELECT l.unit_id, u.name AS unit_name, {sums} FROM leads l JOIN units u ON u.id = l.unit_id
         WHERE l.campaign_id = "
    ));
    b.bind(Value::Int(campaign.get()));
    crate::scope::push(&mut b, scope);
    b.push(" GROUP BY l.unit_id, u.name");
    let mut out: Vec<UnitTally> = b
        .build()
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(|r| {
            let mut v = [0i64; Tally::FIELDS.len()];
            for (i, slot) in v.iter_mut().enumerate() {
                // SQLite gives the literal 0 as an integer, PostgreSQL as INT4.
                *slot = r.try_get::<i64, _>(i + 2).or_else(|_| r.try_get::<i32, _>(i + 2).map(i64::from))?;
            }
            Ok(UnitTally {
                unit_id: UnitId::from_raw(r.try_get("unit_id")?),
                unit_name: r.try_get("unit_name")?,
                tally: Tally::from_values(v),
            })
        })
        .collect::<Result<_, StoreError>>()?;
    let mut b = SqlBuilder::new(
        "SELECT l.unit_id, SUM(CASE WHEN x.state = 'approved' THEN 1 ELSE 0 END) AS n,
            SUM(CASE WHEN x.needs_head = 1 AND x.state = 'approved' THEN 1 ELSE 0 END) AS flagged
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

//! 查否背书: whoever proposes a 查否 (or 无法查实) conclusion signs for it, kept with the
//! conclusion's timeline entry.

use domain::UserId;
use sqlx::Row;

use crate::{Conn, LeadHandle, StoreError, Tx};

/// An endorsement as a review shows it.
#[derive(Debug, Clone)]
pub struct Endorsement {
    pub event_id: i64,
    pub signer: String,
    pub signed_at: i64,
    pub hash: String,
}

pub async fn insert(
    tx: &mut Tx,
    lead: &LeadHandle,
    event_id: i64,
    (signer, at): (UserId, i64),
    hash: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO unfounded_endorsements (lead_id, event_id, signer, signed_at, conclusion_hash)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(lead.raw())
    .bind(event_id)
    .bind(signer.get())
    .bind(at)
    .bind(hash)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The endorsement of one conclusion of the lead, if it was signed.
pub async fn of_conclusion(c: &mut Conn, lead: &LeadHandle, event_id: i64) -> Result<Option<Endorsement>, StoreError> {
    let row = sqlx::query(
        "SELECT e.event_id, u.display_name, e.signed_at, e.conclusion_hash FROM unfounded_endorsements e
         JOIN users u ON u.id = e.signer WHERE e.lead_id = $1 AND e.event_id = $2",
    )
    .bind(lead.raw())
    .bind(event_id)
    .fetch_optional(&mut *c)
    .await?;
    row.map(|r| {
        Ok(Endorsement {
            event_id: r.try_get(0)?,
            signer: r.try_get(1)?,
            signed_at: r.try_get(2)?,
            hash: r.try_get(3)?,
        })
    })
    .transpose()
}

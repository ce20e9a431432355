//! Leases on background jobs, so that with several instances on one database one runs each.

use crate::{StoreError, Tx};

/// Takes (or renews) the lease on a background job; false while another holder has it.
pub async fn take_lease(tx: &mut Tx, name: &str, holder: &str, now: i64, until: i64) -> Result<bool, StoreError> {
    let renewed =
        sqlx::query("UPDATE job_leases SET holder = $1, until = $2 WHERE name = $3 AND (until < $4 OR holder = $1)")
            .bind(holder)
            .bind(until)
            .bind(name)
            .bind(now)
            .execute(&mut **tx)
            .await?
            .rows_affected();
    if renewed == 1 {
        return Ok(true);
    }
    let inserted =
        sqlx::query("INSERT INTO job_leases (name, holder, until) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING")
            .bind(name)
            .bind(holder)
            .bind(until)
            .execute(&mut **tx)
            .await?
            .rows_affected();
    Ok(inserted == 1)
}

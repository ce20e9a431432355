//! Key rotation for the values sealed outside the reporters' identities and second factors:
//! portal reports and messages, attachments' names and keys, kept forms. Each is re-sealed under
//! the current key in small transactions, so old keys can be retired without losing one.

use store::{
    StoreError,
    protection::sealed::{self, SealedTable, StaleRow},
};

use super::Protection;
use crate::{
    AppError,
    protection::{
        audit::{Event, Who, record},
        secrets::Sealed,
    },
};

/// What a column's values were sealed with (their additional data), so a value moved to
/// another row or column does not open.
fn aad(t: SealedTable, column: &str, row: &StaleRow) -> String {
    match (t, column) {
        (SealedTable::PortalReports, "sealed_report") => "portal:report".into(),
        (SealedTable::PortalReports, _) => "portal:reporter".into(),
        (SealedTable::PortalMessages, _) => "portal:message".into(),
        (SealedTable::Attachments, "sealed_key") => "attachment-key".into(),
        (SealedTable::Attachments, _) => "attachment-name".into(),
        (SealedTable::KeptForms, _) => super::kept::aad(&row.id.to_string()),
    }
}

const BATCH: i64 = 200;

impl Protection<'_> {
    /// Re-seals every value of the sealed tables not under the current key. Returns how many
    /// rows of each table were re-sealed.
    #[tracing::instrument(name = "protection.reseal_stored", skip_all)]
    pub async fn reseal_stored(&self) -> Result<Vec<(SealedTable, u64)>, AppError> {
        let key = self.keyring().current_id();
        let mut done = Vec::new();
        for t in SealedTable::ALL {
            let mut n = 0;
            loop {
                let now = self.now();
                let mut tx = self.db().begin_write().await?;
                let batch = sealed::stale(&mut tx, t, &key, BATCH).await?;
                if batch.is_empty() {
                    break;
                }
                for row in &batch {
                    let mut values = Vec::with_capacity(row.values.len());
                    for (column, v) in t.columns().iter().zip(&row.values) {
                        let aad = aad(t, column, row);
                        let again = match v {
                            Some(v) => {
                                let plain = self
                                    .keyring()
                                    .open(&Sealed { key_id: row.key_id.clone(), value: v.clone() }, &aad)?;
                                Some(self.keyring().seal(&plain, &aad)?.value)
                            }
                            None => None,
                        };
                        values.push(again);
                    }
                    if !sealed::reseal(&mut tx, t, row, &key, &values).await? {
                        return Err(AppError::Conflict);
                    }
                }
                n += batch.len() as u64;
                let event =
                    Event::new("keys.reseal", "key", &key).detail(format!("{} rows of {}", batch.len(), t.name()));
                record(&mut tx, self, now, Who::System, event).await?;
                tx.commit().await.map_err(StoreError::from)?;
            }
            done.push((t, n));
        }
        Ok(done)
    }
}

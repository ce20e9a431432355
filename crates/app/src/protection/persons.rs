//! ID numbers under the person key: hashes written before the key existed (plain SHA-256 of
//! the number) are keyed in place at start, so old and new registrations of the same number
//! still meet.

use store::StoreError;

use super::Protection;
use crate::{
    AppError,
    protection::audit::{Event, Who, record},
};

impl Protection<'_> {
    /// Re-keys every plain ID-number hash, a batch per transaction; returns how many.
    #[tracing::instrument(name = "protection.rekey_person_hashes", skip_all)]
    pub async fn rekey_person_hashes(&self) -> Result<u64, AppError> {
        let key = self.keyring().person_key_id().to_owned();
        let mut done = 0;
        loop {
            let now = self.now();
            let mut tx = self.db().begin_write().await?;
            let batch = store::protection::persons::unkeyed(&mut tx, 500).await?;
            if batch.is_empty() {
                break;
            }
            for (person, plain) in &batch {
                let keyed = self.keyring().person_hash(plain);
                store::protection::persons::rekey(&mut tx, *person, &keyed, &key).await?;
            }
            done += batch.len() as u64;
            record(
                &mut tx,
                self,
                now,
                Who::System,
                Event::new("person.rekey", "key", &key).detail(format!("{} persons", batch.len())),
            )
            .await?;
            tx.commit().await.map_err(StoreError::from)?;
        }
        Ok(done)
    }
}

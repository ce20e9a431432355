//! Reporter identity: sealed on the way in, revealed only to a custodian who gives a reason
//! (audited), re-sealed when keys rotate.

use super::Reporters;
use domain::{LeadId, reporters::Reporter, reporters::ReporterKind, reporters::RevealReason};
use store::{StoreError, reporters::identity::StoredReporter};

use crate::{
    App, AppError, IdentityCustodian, protection::audit::Event, protection::audit::Who, protection::audit::record,
    protection::secrets::Sealed,
};

fn aad(lead: LeadId, field: &str) -> String {
    format!("reporter:{lead}:{field}")
}

impl Reporters<'_> {
    /// Shows a reporter's identity to a custodian, who must say why; the reveal and its
    /// reason are audited in the same transaction.
    #[tracing::instrument(name = "reporters.reveal", skip_all)]
    pub async fn reveal(&self, custodian: &IdentityCustodian, id: LeadId, reason: &str) -> Result<Reporter, AppError> {
        let reason = RevealReason::parse(reason).map_err(AppError::field)?;
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        let (handle, _) = store::ledger::leads::get(&mut tx, &custodian.scope, id).await?.ok_or(AppError::NotFound)?;
        let stored = store::reporters::identity::reporter(&mut tx, &handle)
            .await?
            .ok_or_else(|| AppError::internal(format!("lead {id} has no reporter row")))?;
        let r = self.open_reporter(id, &stored)?;
        record(
            &mut tx,
            self,
            now,
            Who::User(&custodian.actor),
            Event::new("reporter.reveal", "lead", id).detail(reason.as_str()),
        )
        .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(r)
    }

    /// Re-seals every reporter not sealed under the current key (identities written before
    /// sealing existed, or under an older key), in small transactions so reads never wait
    /// long. Returns how many were re-sealed.
    #[tracing::instrument(name = "reporters.reseal", skip_all)]
    pub async fn reseal(&self) -> Result<u64, AppError> {
        let key = self.keyring().current_id();
        let mut after = 0;
        let mut done = 0;
        loop {
            let now = self.now();
            let mut tx = self.db().begin_write().await?;
            let batch = store::reporters::identity::reporters_to_reseal(&mut tx, &key, after, 200).await?;
            let Some((last, _)) = batch.last() else { break };
            after = last.id().get();
            for (lead, stored) in &batch {
                let plain = self.open_reporter(lead.id(), stored)?;
                let sealed = self.seal_reporter(lead.id(), &plain)?;
                store::reporters::identity::set_reporter(&mut tx, lead, &sealed).await?;
            }
            done += batch.len() as u64;
            record(
                &mut tx,
                self,
                now,
                Who::System,
                Event::new("reporter.reseal", "key", &key)
                    .detail(format!("{} reporters up to lead {after}", batch.len())),
            )
            .await?;
            tx.commit().await.map_err(StoreError::from)?;
        }
        Ok(done)
    }
}

impl App {
    /// Seals a reporter's identity for `lead` (the lead id is bound into the ciphertext, so
    /// a sealed value copied to another lead does not open).
    pub(crate) fn seal_reporter(&self, lead: LeadId, r: &Reporter) -> Result<StoredReporter, AppError> {
        let seal = |field: &str, v: &Option<String>| -> Result<Option<Sealed>, AppError> {
            v.as_deref().map(|v| self.keyring().seal(v, &aad(lead, field))).transpose()
        };
        let name = seal("name", &r.name)?;
        let contact = seal("contact", &r.contact)?;
        let key_id = name.as_ref().or(contact.as_ref()).map(|s| s.key_id.clone());
        Ok(StoredReporter {
            kind: r.kind,
            name_sealed: name.map(|s| s.value),
            contact_sealed: contact.map(|s| s.value),
            key_id,
            // Empty, not absent, when there is nothing to link by: a reporter is keyed once.
            identity_key: Some(r.identity_text().map(|t| self.keyring().person_hash(&t)).unwrap_or_default()),
            legacy_name: None,
            legacy_contact: None,
        })
    }

    pub(crate) fn open_reporter(&self, lead: LeadId, s: &StoredReporter) -> Result<Reporter, AppError> {
        let open =
            |field: &str, sealed: &Option<String>, legacy: &Option<String>| -> Result<Option<String>, AppError> {
                match (sealed, &s.key_id) {
                    (Some(v), Some(key_id)) => self
                        .keyring()
                        .open(&Sealed { key_id: key_id.clone(), value: v.clone() }, &aad(lead, field))
                        .map(Some),
                    _ => Ok(legacy.clone()),
                }
            };
        Ok(Reporter {
            kind: s.kind,
            name: open("name", &s.name_sealed, &s.legacy_name)?,
            contact: open("contact", &s.contact_sealed, &s.legacy_contact)?,
        })
    }
}

/// The reporter as everyone but a revealing custodian sees it: the kind only.
pub(crate) fn protected(s: &StoredReporter) -> Reporter {
    Reporter { kind: s.kind, name: None, contact: None }
}

/// Whether a signed reporter's identity is on file (so an edit may keep it).
pub(crate) fn identity_on_file(s: Option<&StoredReporter>) -> bool {
    s.is_some_and(|s| {
        s.kind == ReporterKind::Signed
            && (s.name_sealed.is_some() || s.legacy_name.is_some() || s.contact_sealed.is_some())
    })
}

/// Keeps the stored identity when an edit leaves a signed reporter's fields empty.
pub(crate) async fn write_reporter(
    tx: &mut store::Tx,
    app: &App,
    handle: &store::LeadHandle,
    new: &Reporter,
    old: Option<&StoredReporter>,
) -> Result<(), AppError> {
    let lead = handle.id();
    let keep = new.kind == ReporterKind::Signed && new.name.is_none() && new.contact.is_none();
    let stored = match (keep, old) {
        (true, Some(old)) if old.legacy_name.is_none() && old.legacy_contact.is_none() => old.clone(),
        (true, Some(old)) => app.seal_reporter(lead, &app.open_reporter(lead, old)?)?,
        _ => app.seal_reporter(lead, new)?,
    };
    store::reporters::identity::set_reporter(tx, handle, &stored).await?;
    Ok(())
}

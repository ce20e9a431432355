//! A ledger view exported with its reporters' identities: only by a custodian, over the leads
//! in their custody, with a reason, audited as its own action ("reporter.export"). Every other
//! export leaves the identity out.

use domain::{protection::scope::Scope, reporters::Reporter, reporters::RevealReason};
use office::ledger_book::Value;
use store::reporters::identity::StoredReporter;

use super::Reporters;
use crate::{App, AppError, IdentityCustodian};

/// The columns an identity export adds after the 台账's own.
pub(crate) const IDENTITY_COLUMNS: &[(&str, f64, bool)] =
    &[("举报方式", 8.0, false), ("举报人姓名", 12.0, true), ("举报人联系方式", 18.0, true)];

/// A custodian's request to export identities, its reason already read.
#[derive(Debug, Clone)]
pub struct IdentityExport {
    pub(crate) custodian: IdentityCustodian,
    pub(crate) reason: RevealReason,
}

impl IdentityCustodian {
    /// The right to export the identities in this custodian's scope, for `reason`.
    pub fn identity_export(&self, reason: &str) -> Result<IdentityExport, AppError> {
        let reason = RevealReason::parse(reason).map_err(AppError::field)?;
        Ok(IdentityExport { custodian: self.clone(), reason })
    }
}

impl IdentityExport {
    /// The leads an identity export covers: those in the custodian's custody, never wider
    /// than a reveal one by one would reach.
    pub(crate) fn scope(&self) -> &Scope {
        &self.custodian.scope
    }

    pub fn reason(&self) -> &str {
        self.reason.as_str()
    }
}

impl Reporters<'_> {
    /// How many leads an identity export of `params` would hold, and how many of them name a
    /// signed reporter: what the custodian is told before giving the reason.
    pub async fn identity_export_count(
        &self,
        custodian: &IdentityCustodian,
        params: &domain::ledger::query::LedgerParams,
    ) -> Result<(i64, i64), AppError> {
        let q = self.ledger_query(params)?;
        let mut c = self.reader().await?;
        let leads = store::ledger::pages::count(&mut c, &custodian.scope, &q.filter).await?;
        let signed = store::ledger::export::signed_reporters(&mut c, &custodian.scope, &q.filter).await?;
        Ok((leads, signed))
    }
}

/// A lead's reporter opened for its row: kind, name, contact (empty when anonymous).
pub(crate) fn identity_cells(
    app: &App,
    lead: domain::LeadId,
    stored: Option<&StoredReporter>,
) -> Result<[String; 3], AppError> {
    let Some(stored) = stored else { return Ok(Default::default()) };
    let Reporter { kind, name, contact } = app.open_reporter(lead, stored)?;
    Ok([kind.zh().to_owned(), name.unwrap_or_default(), contact.unwrap_or_default()])
}

/// The three cells as the sheet writes them.
pub(crate) fn identity_values(cells: &[String; 3]) -> [Value<'_>; 3] {
    cells.each_ref().map(|c| if c.is_empty() { Value::Empty } else { Value::Text(c) })
}

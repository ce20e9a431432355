//! Institutions established (建章立制): kept per unit, linked to the rectification they came
//! from — the campaign's second phase asks for them.

use domain::{FieldError, UnitId, dates::beijing_date, oversight::rectification::InstitutionInput};
use serde::Serialize;
use store::{StoreError, oversight::rectifications as rx, to_micros};
use time::Date;

use super::Oversight;
use crate::{
    Actor, AppError,
    protection::audit::{Event, Who, record},
};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct InstitutionView {
    pub id: i64,
    pub unit_id: UnitId,
    pub unit_name: String,
    pub name: String,
    pub doc_no: String,
    pub issued_on: Date,
    pub rectification_id: Option<i64>,
    pub rectification_number: Option<String>,
}

fn refusal(field: &str, code: &'static str, zh: &str, en: &str) -> AppError {
    AppError::field(FieldError::new(field, code, zh, en))
}

impl Oversight<'_> {
    /// Institutions of the units the caller reads.
    #[tracing::instrument(name = "oversight.institutions", skip_all)]
    pub async fn institutions(&self, actor: &Actor) -> Result<Vec<InstitutionView>, AppError> {
        let reader = actor.ledger()?;
        if reader.scope.narrowed() {
            return Ok(Vec::new());
        }
        let mut c = self.reader().await?;
        Ok(rx::institutions(&mut c, &reader.scope)
            .await?
            .into_iter()
            .map(|i| InstitutionView {
                id: i.id,
                unit_id: i.unit_id,
                unit_name: i.unit_name,
                name: i.name,
                doc_no: i.doc_no,
                issued_on: i.issued_on,
                rectification_id: i.rectification.as_ref().map(|r| r.0),
                rectification_number: i.rectification.map(|r| r.1),
            })
            .collect())
    }

    /// A unit's keeper records an institution established, linked to a rectification of that
    /// unit if it came from one.
    #[tracing::instrument(name = "oversight.add_institution", skip_all)]
    pub async fn add_institution(&self, actor: &Actor, input: &InstitutionInput) -> Result<i64, AppError> {
        let keeper = actor.ledger_keeper()?;
        let now = self.now();
        let today = beijing_date(now);
        let (unit, parsed) = super::with_unit(&input.unit_id, input.parse(today))?;
        let mut tx = self.db().begin_write().await?;
        if !rx::unit_in_scope(&mut tx, &keeper.scope, unit).await? {
            return Err(refusal(
                "unit_id",
                "out_of_scope",
                "只能登记本单位的制度。",
                "Only your own units' institutions.",
            ));
        }
        let rectification = match input.rectification.trim() {
            "" => None,
            s => {
                let wrong = || {
                    refusal(
                        "rectification",
                        "unknown",
                        "所选整改不属于该单位。",
                        "The rectification chosen is not that unit's.",
                    )
                };
                let id = s.parse::<i64>().map_err(|_| wrong())?;
                let (_, x) = rx::get(&mut tx, &keeper.scope, id, today).await?.ok_or_else(wrong)?;
                if x.unit_id != unit {
                    return Err(wrong());
                }
                Some(id)
            }
        };
        let id = rx::add_institution(&mut tx, unit, &parsed, rectification, (actor.id, to_micros(now))).await?;
        let event = Event::new("institution.add", "institution", id).detail(format!("unit {unit}"));
        record(&mut tx, self, now, Who::User(actor), event).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(id)
    }
}

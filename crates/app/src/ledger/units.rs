use super::Ledger;
use domain::ledger::unit::Unit;
use store::ledger::units;

use crate::{Actor, AppError};

impl Ledger<'_> {
    /// The unit tree, parents before children. Unit names are not secret: every signed-in
    /// user may see the tree (it fills the unit pickers).
    #[tracing::instrument(name = "ledger.unit_tree", skip_all)]
    pub async fn unit_tree(&self, _actor: &Actor) -> Result<Vec<Unit>, AppError> {
        let mut c = self.reader().await?;
        Ok(units::list(&mut c).await?)
    }

    /// The units whose leads the caller may read (the ledger's unit filter).
    #[tracing::instrument(name = "ledger.readable_units", skip_all)]
    pub async fn readable_units(&self, actor: &Actor) -> Result<Vec<Unit>, AppError> {
        let Ok(reader) = actor.ledger() else {
            return Ok(Vec::new());
        };
        let mut c = self.reader().await?;
        Ok(units::list_within(&mut c, reader.scope.roots()).await?)
    }

    /// The handler accounts in the caller's units, to filter the ledger by (none for a
    /// caller who reads no ledger).
    #[tracing::instrument(name = "ledger.handlers_in_scope", skip_all)]
    pub async fn handlers_in_scope(&self, actor: &Actor) -> Result<Vec<domain::ledger::lead::Handler>, AppError> {
        let Ok(reader) = actor.ledger() else {
            return Ok(Vec::new());
        };
        let mut c = self.reader().await?;
        Ok(store::ledger::handlers::within(&mut c, reader.scope.roots()).await?)
    }

    /// The units in which the caller may register leads.
    #[tracing::instrument(name = "ledger.registrable_units", skip_all)]
    pub async fn registrable_units(&self, actor: &Actor) -> Result<Vec<Unit>, AppError> {
        let Ok(keeper) = actor.ledger_keeper() else {
            return Ok(Vec::new());
        };
        let mut c = self.reader().await?;
        Ok(units::list_within(&mut c, keeper.scope.roots()).await?)
    }
}

//! Authorization as capabilities: a use case that reads or writes the ledger takes a
//! handle that only an authorized actor can obtain, and the handle carries the scope.

use domain::{
    UnitId, UserId,
    ledger::Scope,
    role::{Grant, Role},
};

use crate::AppError;

/// A signed-in person and everything they were granted.
#[derive(Debug, Clone)]
pub struct Actor {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub unit_id: UnitId,
    pub unit_name: String,
    pub grants: Vec<Grant>,
    pub must_change_password: bool,
}

impl Actor {
    /// The right to read leads in the caller's subtrees.
    pub fn ledger(&self) -> Result<LedgerReader, AppError> {
        Scope::from_grants(&self.grants, Role::reads_ledger)
            .map(|scope| LedgerReader {
                actor: self.id,
                scope,
            })
            .ok_or(AppError::Forbidden)
    }

    /// The right to register and edit leads in the caller's subtrees.
    pub fn ledger_keeper(&self) -> Result<LedgerKeeper, AppError> {
        let keep =
            Scope::from_grants(&self.grants, Role::keeps_ledger).ok_or(AppError::Forbidden)?;
        let read = self.ledger()?;
        Ok(LedgerKeeper {
            actor: self.id,
            scope: keep,
            reader: read,
        })
    }

    pub fn roles(&self) -> Vec<Role> {
        let mut r: Vec<Role> = self.grants.iter().map(|g| g.role).collect();
        r.dedup();
        r
    }

    pub fn has_role(&self, role: Role) -> bool {
        self.grants.iter().any(|g| g.role == role)
    }
}

/// Reads leads within `scope`. Only [`Actor::ledger`] makes one.
#[derive(Debug, Clone)]
pub struct LedgerReader {
    pub(crate) actor: UserId,
    pub(crate) scope: Scope,
}

/// Registers and edits leads within `scope`. Only [`Actor::ledger_keeper`] makes one.
#[derive(Debug, Clone)]
pub struct LedgerKeeper {
    pub(crate) actor: UserId,
    pub(crate) scope: Scope,
    pub(crate) reader: LedgerReader,
}

impl LedgerKeeper {
    pub fn reader(&self) -> &LedgerReader {
        &self.reader
    }
}

impl LedgerReader {
    pub fn actor(&self) -> UserId {
        self.actor
    }
}

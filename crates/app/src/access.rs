//! Authorization as capabilities: a use case that reads or writes the ledger takes a
//! handle that only an authorized actor can obtain, and the handle carries the scope.

use domain::{UnitId, UserId, protection::role::Grant, protection::role::Role, protection::scope::Scope};

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
    pub has_second_factor: bool,
    /// The person this user is; leads naming them are outside every scope of theirs.
    pub person_id: Option<i64>,
}

impl Actor {
    /// The right to read leads in the caller's subtrees.
    pub fn ledger(&self) -> Result<LedgerReader, AppError> {
        Scope::from_grants(&self.grants, Role::reads_ledger)
            // An owning leader without another reading role sees the leads they own (包案); a
            // handler, the leads assigned to them (分办).
            .or_else(|| {
                Scope::from_grants(&self.grants, |r| r == Role::OwningLeader).map(|s| s.owned_by(self.id.get()))
            })
            .or_else(|| Scope::from_grants(&self.grants, |r| r == Role::Handler).map(|s| s.assigned_to(self.id.get())))
            .map(|scope| scope.recusing(self.id).with_moved_away())
            .map(|scope| LedgerReader { actor: self.clone(), scope })
            .ok_or(AppError::Forbidden)
    }

    /// The right to register and edit leads in the caller's subtrees.
    pub fn ledger_keeper(&self) -> Result<LedgerKeeper, AppError> {
        let keep = Scope::from_grants(&self.grants, Role::keeps_ledger).ok_or(AppError::Forbidden)?.recusing(self.id);
        let read = self.ledger()?;
        Ok(LedgerKeeper { actor: self.clone(), scope: keep, reader: read })
    }

    /// The right to read the audit trail (安全审计员 only).
    pub fn audit_reader(&self) -> Result<AuditReader, AppError> {
        if self.has_role(Role::Auditor) { Ok(AuditReader { actor: self.clone() }) } else { Err(AppError::Forbidden) }
    }

    /// The right to reveal reporter identity in the custodian's subtrees, with a reason.
    pub fn identity_custodian(&self) -> Result<IdentityCustodian, AppError> {
        Scope::from_grants(&self.grants, |r| r == Role::Custodian)
            .map(|scope| scope.recusing(self.id))
            .map(|scope| IdentityCustodian { actor: self.clone(), scope })
            .ok_or(AppError::Forbidden)
    }

    /// Each role the caller holds, once, in the order first granted (a role held over two
    /// units is still one role).
    pub fn roles(&self) -> Vec<Role> {
        let mut r: Vec<Role> = Vec::new();
        for g in &self.grants {
            if !r.contains(&g.role) {
                r.push(g.role);
            }
        }
        r
    }

    pub fn has_role(&self, role: Role) -> bool {
        self.grants.iter().any(|g| g.role == role)
    }
}

/// Reads leads within `scope`. Only [`Actor::ledger`] makes one.
#[derive(Debug, Clone)]
pub struct LedgerReader {
    pub(crate) actor: Actor,
    pub(crate) scope: Scope,
}

/// Registers and edits leads within `scope`. Only [`Actor::ledger_keeper`] makes one.
#[derive(Debug, Clone)]
pub struct LedgerKeeper {
    pub(crate) actor: Actor,
    pub(crate) scope: Scope,
    pub(crate) reader: LedgerReader,
}

impl LedgerKeeper {
    pub fn reader(&self) -> &LedgerReader {
        &self.reader
    }
}

impl LedgerReader {
    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// Reads whole units' leads, not only those an owning leader owns or a handler was given.
    pub fn reads_units(&self) -> bool {
        self.scope.owner().is_none() && self.scope.handler().is_none()
    }
}

/// Reads the audit trail. Only [`Actor::audit_reader`] makes one.
#[derive(Debug, Clone)]
pub struct AuditReader {
    pub(crate) actor: Actor,
}

/// Reveals reporter identity within `scope`. Only [`Actor::identity_custodian`] makes one.
#[derive(Debug, Clone)]
pub struct IdentityCustodian {
    pub(crate) actor: Actor,
    pub(crate) scope: Scope,
}

/// Approves steps that wait for approval within `scope` (纪委书记/负责人). Only
/// [`Actor::approver`] makes one.
#[derive(Debug, Clone)]
pub struct Approver {
    pub(crate) actor: Actor,
    pub(crate) scope: Scope,
}

impl Actor {
    pub fn approver(&self) -> Result<Approver, AppError> {
        Scope::from_grants(&self.grants, domain::lifecycle::step::may_approve)
            .map(|scope| Approver { actor: self.clone(), scope: scope.recusing(self.id) })
            .ok_or(AppError::Forbidden)
    }
}

impl Actor {
    /// The subtrees this person supervises (监督检查): from supervisor grants only, never
    /// widened by other roles or by leads that moved away.
    pub(crate) fn supervised_scope(&self) -> Result<Scope, AppError> {
        Scope::from_grants(&self.grants, |r| r == Role::Supervisor)
            .map(|s| s.recusing(self.id))
            .ok_or(AppError::Forbidden)
    }

    /// The units this person heads (单位主要负责人), who sign for them.
    pub(crate) fn unit_head_scope(&self) -> Result<Scope, AppError> {
        Scope::from_grants(&self.grants, |r| r == Role::UnitHead)
            .map(|s| s.recusing(self.id))
            .ok_or(AppError::Forbidden)
    }

    /// The subtrees whose clearance board this person sees (supervisors, committee heads).
    pub(crate) fn board_scope(&self) -> Result<Scope, AppError> {
        Scope::from_grants(&self.grants, |r| matches!(r, Role::Supervisor | Role::CommitteeHead))
            .map(|s| s.recusing(self.id))
            .ok_or(AppError::Forbidden)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(grants: &[(Role, i64)]) -> Actor {
        Actor {
            id: UserId::from_raw(1),
            username: "u".into(),
            display_name: "U".into(),
            unit_id: UnitId::from_raw(1),
            unit_name: "甲".into(),
            grants: grants.iter().map(|(role, u)| Grant { role: *role, unit: UnitId::from_raw(*u) }).collect(),
            must_change_password: false,
            has_second_factor: false,
            person_id: None,
        }
    }

    #[test]
    fn each_role_is_listed_once_however_many_units_it_covers() {
        let a = actor(&[(Role::Inspector, 1), (Role::UnitHead, 1), (Role::Inspector, 2)]);
        assert_eq!(a.roles(), [Role::Inspector, Role::UnitHead]);
    }
}

//! Roles of design brief §1. A grant gives a role over a unit subtree.

use crate::{UnitId, labelled_enum};

labelled_enum!(
    /// What a person does in Qingling; permissions follow from the role, scoped by the grant.
    Role {
        Supervisor = ("supervisor", "监督检查（委直属机关纪委）", "Supervising committee"),
        CommitteeHead = ("committee_head", "纪委书记/负责人", "Committee head"),
        Inspector = ("inspector", "单位纪检监察人员", "Unit inspector"),
        UnitHead = ("unit_head", "单位主要负责人", "Unit head"),
        OwningLeader = ("owning_leader", "包案领导", "Owning leader"),
        Handler = ("handler", "承办人", "Handler"),
        Custodian = ("custodian", "信访受理/保密员", "Custodian"),
        Sysadmin = ("sysadmin", "系统管理员", "System administrator"),
        Secadmin = ("secadmin", "安全保密管理员", "Security administrator"),
        Auditor = ("auditor", "安全审计员", "Security auditor"),
    }
);

impl Role {
    /// Roles that read lead content across their subtree. The three administrators never
    /// do (三员分立); an owning leader sees only the leads they own (see `Scope::owned_by`),
    /// a handler only those assigned to them (`Scope::assigned_to`).
    pub const fn reads_ledger(self) -> bool {
        matches!(self, Role::Supervisor | Role::CommitteeHead | Role::Inspector | Role::UnitHead | Role::Custodian)
    }

    /// Roles that register and edit leads in their subtree.
    pub const fn keeps_ledger(self) -> bool {
        matches!(self, Role::Supervisor | Role::Inspector)
    }
}

/// A role held over a unit and everything below it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grant {
    pub role: Role,
    pub unit: UnitId,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn administrators_never_read_leads() {
        for r in [Role::Sysadmin, Role::Secadmin, Role::Auditor] {
            assert!(!r.reads_ledger() && !r.keeps_ledger(), "{r}");
        }
    }

    #[test]
    fn every_keeper_is_a_reader() {
        for r in Role::ALL {
            assert!(!r.keeps_ledger() || r.reads_ledger(), "{r}");
        }
    }

    #[test]
    fn codes_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::from_code(r.code()), Some(*r));
        }
        assert!(Role::parse("role", "root").is_err());
    }
}

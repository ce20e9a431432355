//! Roles of design brief §1. A grant gives a role over a unit subtree.

use crate::{UnitId, labelled_enum};

impl Role {
    /// What a grant of this role allows, in the words the security administrator reads before
    /// granting it (the authorization matrix is the rule; this describes it).
    pub fn allows(self, english: bool) -> &'static str {
        match (self, english) {
            (Role::Supervisor, false) => "查看并办理所选单位及下属单位的全部线索，督办、改变管辖、查看清零进度",
            (Role::Supervisor, true) => {
                "Reads and handles every lead of the unit and those below it; supervises, moves jurisdiction, reads the board"
            }
            (Role::CommitteeHead, false) => "审批所选单位及下属单位的处置、办结、移交、合并、延期等事项",
            (Role::CommitteeHead, true) => {
                "Approves dispositions, conclusions, transfers, merges and extensions in the unit and below"
            }
            (Role::Inspector, false) => "登记并办理本单位（含下属部门）的线索",
            (Role::Inspector, true) => "Registers and handles the leads of the unit (with its departments)",
            (Role::UnitHead, false) => "查看本单位线索，签署延期申请，接收红色预警",
            (Role::UnitHead, true) => "Reads the unit's leads, signs extensions, receives red warnings",
            (Role::OwningLeader, false) => "查看并签署本人包案的线索",
            (Role::OwningLeader, true) => "Reads and signs off the leads they own",
            (Role::Handler, false) => "只查看分办给本人的线索",
            (Role::Handler, true) => "Reads only the leads assigned to them",
            (Role::Custodian, false) => "在说明理由后查看举报人身份（每次留痕）",
            (Role::Custodian, true) => "Reveals a reporter's identity, with a reason, each time recorded",
            (Role::Sysadmin, false) => "维护单位、账号、节假日日历，不接触线索内容",
            (Role::Sysadmin, true) => "Keeps units, accounts and the calendar; no lead content",
            (Role::Secadmin, false) => "授予和撤销权限、解锁账号、重置密码，不接触线索内容",
            (Role::Secadmin, true) => "Grants and withdraws roles, unlocks accounts, resets passwords; no lead content",
            (Role::Auditor, false) => "查阅、校验和导出审计日志，不接触线索内容",
            (Role::Auditor, true) => "Reads, verifies and exports the audit trail; no lead content",
        }
    }
}

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

//! Which leads a caller may see: the unit subtrees of their grants, minus the leads that name
//! them, narrowed for owning leaders. Built only from grants; every lead query takes one.

use crate::{UnitId, protection::role::Role};

/// The unit subtrees a caller may read. It can only be built from grants, and every lead
/// query in the store takes one, so no query can forget the caller's scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    roots: Vec<UnitId>,
    /// The caller's account: leads that may name them (their recusals, 回避) are never in
    /// their scope.
    recused_user: Option<i64>,
    /// An owning leader sees only the leads they own (包案).
    owned_by: Option<i64>,
    /// A handler (承办人) sees only the leads assigned to them (分办).
    assigned_to: Option<i64>,
    /// Readers also see leads whose jurisdiction moved away from their units (提级办理,
    /// 指定管辖), read-only: keepers' scopes leave this off.
    with_moved_away: bool,
}

impl Scope {
    /// Roots of the subtrees granted by the roles that `qualifies`; `None` if no role of
    /// the caller qualifies.
    pub fn from_grants(grants: &[crate::protection::role::Grant], qualifies: impl Fn(Role) -> bool) -> Option<Self> {
        let mut roots: Vec<UnitId> = grants.iter().filter(|g| qualifies(g.role)).map(|g| g.unit).collect();
        roots.sort();
        roots.dedup();
        (!roots.is_empty()).then_some(Self {
            roots,
            recused_user: None,
            owned_by: None,
            assigned_to: None,
            with_moved_away: false,
        })
    }

    /// Leaves out every lead that may name the account `user` (its recusals).
    pub fn recusing(mut self, user: crate::UserId) -> Self {
        self.recused_user = Some(user.get());
        self
    }

    pub fn recused_user(&self) -> Option<i64> {
        self.recused_user
    }

    /// Narrows the scope to the leads owned by `leader`.
    pub fn owned_by(mut self, leader: i64) -> Self {
        self.owned_by = Some(leader);
        self
    }

    pub fn owner(&self) -> Option<i64> {
        self.owned_by
    }

    /// Narrows the scope to the leads assigned to `handler`.
    pub fn assigned_to(mut self, handler: i64) -> Self {
        self.assigned_to = Some(handler);
        self
    }

    pub fn handler(&self) -> Option<i64> {
        self.assigned_to
    }

    /// Whether the scope reaches only some leads of its units (owned or assigned ones).
    pub fn narrowed(&self) -> bool {
        self.owned_by.is_some() || self.assigned_to.is_some()
    }

    /// Adds the leads that moved away from the scope's units (a read-only view).
    pub fn with_moved_away(mut self) -> Self {
        self.with_moved_away = true;
        self
    }

    /// Leaves the leads that moved away out again: for figures counted under each lead's
    /// current unit (the statistics), where a lead moved away counts under a unit the caller
    /// does not see and so adds nothing they could read.
    pub fn own_units(mut self) -> Self {
        self.with_moved_away = false;
        self
    }

    pub fn includes_moved_away(&self) -> bool {
        self.with_moved_away
    }

    pub fn roots(&self) -> &[UnitId] {
        &self.roots
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protection::role::Grant;

    #[test]
    fn own_units_leaves_moved_away_leads_out_and_keeps_the_rest() {
        let u = UnitId::from_raw(7);
        let read = Scope::from_grants(&[Grant { role: Role::Inspector, unit: u }], Role::reads_ledger)
            .unwrap()
            .recusing(crate::UserId::from_raw(3))
            .with_moved_away();
        let own = read.clone().own_units();
        assert!(read.includes_moved_away() && !own.includes_moved_away());
        assert_eq!((own.roots(), own.recused_user()), (read.roots(), Some(3)), "recusal and units kept");
    }

    #[test]
    fn scope_comes_only_from_reading_roles() {
        let u = UnitId::from_raw(7);
        assert_eq!(Scope::from_grants(&[Grant { role: Role::Auditor, unit: u }], Role::reads_ledger), None);
        let grants = [Grant { role: Role::Inspector, unit: u }, Grant { role: Role::UnitHead, unit: u }];
        assert_eq!(Scope::from_grants(&grants, Role::reads_ledger).unwrap().roots(), &[u]);
        let head_only = [Grant { role: Role::UnitHead, unit: u }];
        assert_eq!(Scope::from_grants(&head_only, Role::keeps_ledger), None);
    }
}

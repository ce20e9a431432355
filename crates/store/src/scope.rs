//! The caller's scope as SQL: every query over `leads l` that a user's request reaches adds it,
//! so no list or lookup can reach past the units the caller may see. A lead found that way is
//! handed out as a [`LeadHandle`], and the tables hanging off a lead (its timeline, reporter,
//! extensions, orders, visits, meetings, handlers) are read and written only through one.

use domain::{LeadId, protection::scope::Scope};

use crate::sql::{SqlBuilder, Value};

/// A lead the caller was allowed to reach: made only by the store's scoped lookups, by the
/// write that creates a lead, and by the system's own scans (the warning scan, sealing,
/// recomputing deadlines). A function of a child table takes one instead of a bare lead id,
/// so it cannot be pointed at a lead outside the caller's scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LeadHandle(LeadId);

impl LeadHandle {
    /// Only the store makes handles, from rows it found in scope.
    pub(crate) const fn found(id: LeadId) -> Self {
        Self(id)
    }

    pub const fn id(&self) -> LeadId {
        self.0
    }

    pub(crate) const fn raw(&self) -> i64 {
        self.0.get()
    }
}

/// Adds the caller's scope to a query over `leads l`.
pub(crate) fn push(b: &mut SqlBuilder, scope: &Scope) {
    push_as(b, scope, "l.unit_id", true)
}

pub(crate) fn push_roots(b: &mut SqlBuilder, scope: &Scope) {
    for (i, root) in scope.roots().iter().enumerate() {
        if i > 0 {
            b.push(", ");
        }
        b.bind(Value::Int(root.get()));
    }
}

/// Only the unit part of the scope, for tables keyed by unit.
pub(crate) fn push_units(b: &mut SqlBuilder, scope: &Scope, unit_column: &str) {
    b.push(" AND ").push(unit_column).push(" IN (SELECT descendant_id FROM unit_closure WHERE ancestor_id IN (");
    push_roots(b, scope);
    b.push("))");
}

/// `unit_column` is `+l.unit_id` when the planner should walk the sort order's index and test
/// the scope row by row rather than gather every lead of every unit and sort them: at 1M
/// leads that is 4 ms against 100 ms for the ids alone, and keeps full rows out of a
/// temporary sort (161 MB resident). `with_exclusion: false` leaves out the leads-naming-the-
/// caller test for a caller that takes them away itself (the ledger count).
pub(crate) fn push_as(b: &mut SqlBuilder, scope: &Scope, unit_column: &str, with_exclusion: bool) {
    b.push(" AND (").push(unit_column).push(" IN (SELECT descendant_id FROM unit_closure WHERE ancestor_id IN (");
    push_roots(b, scope);
    b.push("))");
    if scope.includes_moved_away() {
        b.push(" OR l.previous_unit_id IN (SELECT descendant_id FROM unit_closure WHERE ancestor_id IN (");
        push_roots(b, scope);
        b.push("))");
    }
    b.push(")");
    if let Some(owner) = scope.owner() {
        b.push(" AND l.owning_leader_id = ").bind(Value::Int(owner));
    }
    if let Some(handler) = scope.handler() {
        b.push(" AND l.id IN (SELECT lead_id FROM lead_handlers WHERE user_id = ").bind(Value::Int(handler)).push(")");
    }
    if let Some(user) = scope.recused_user().filter(|_| with_exclusion) {
        b.push(" AND NOT EXISTS (SELECT 1 FROM recusals xr WHERE xr.lead_id = l.id AND xr.user_id = ")
            .bind(Value::Int(user))
            .push(")");
    }
}

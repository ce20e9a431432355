//! Lifecycle pages: steps and approvals on the lead page, the queue (待办), extensions, deadline
//! rules and the calendar.

pub(super) mod deadlines;
pub(super) mod extensions;
pub(crate) mod forms;
pub(super) mod queue;
pub(super) mod steps;

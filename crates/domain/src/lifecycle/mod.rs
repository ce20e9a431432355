//! The lifecycle (design brief §3–§4): steps and approvals, conclusions, follow-through,
//! deadlines on the working-day calendar, warnings, extensions.

pub mod calendar;
pub mod clock;
pub mod conclusion;
pub mod deadline;
pub mod extension;
pub mod follow_up;
pub mod forms;
pub mod inquiry;
pub mod side_clock;
pub mod step;
pub mod timeline;

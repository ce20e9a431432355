//! Lifecycle use cases: steps and approvals, follow-through, the timeline, extensions, the
//! deadline setup, the warning scan and the inbox.

mod deadlines;
mod decisions;
mod extensions;
mod forms;
mod inquiries;
mod receipts;
mod side_clocks;
mod steps;
pub(crate) mod timeline;
mod warnings;

pub(crate) use deadlines::SharedSetup;
pub use deadlines::{DeadlineSetup, DeadlineView};
pub use decisions::QueueItem;
pub(crate) use extensions::task_count;
pub use extensions::{ExtensionQueue, ExtensionView};
pub use forms::FormOf;
pub use side_clocks::SideClockView;
pub use steps::{StepInput, StepOutcome};
pub(crate) use timeline::Noted;
pub use timeline::TimelineEntry;
pub use warnings::{InboxFilter, InboxItem, InboxPage};

crate::facade!(
    /// The lifecycle's use cases: `app.lifecycle()`.
    Lifecycle,
    lifecycle
);

//! Lifecycle use cases: steps and approvals, follow-through, the timeline, extensions, the
//! deadline setup, the warning scan and the inbox.

mod deadlines;
mod extensions;
mod steps;
mod timeline;
mod warnings;

pub use deadlines::DeadlineSetup;
pub(crate) use deadlines::SharedSetup;
pub use extensions::{ExtensionQueue, ExtensionView};
pub use steps::{QueueItem, StepInput, StepOutcome, TimelineEntry};
pub use warnings::InboxItem;

crate::facade!(
    /// The lifecycle's use cases: `app.lifecycle()`.
    Lifecycle,
    lifecycle
);

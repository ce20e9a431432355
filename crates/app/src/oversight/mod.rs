//! Oversight after a conclusion (design brief §7–§8). So far the re-review of unfounded
//! closures (`reviews`) and rectification with the institutions it leaves (`rectifications`);
//! accountability decisions and early warnings (`accountability`); clearing names (`clearings`).

mod accountability;
mod clearings;
mod library;
mod rectifications;
mod review_views;
mod reviews;

pub use accountability::{AccountabilityBook, AccountabilityView, EarlyWarningBook, EarlyWarningView, UnitCount};
pub use clearings::{CLEARING_PAGE, ClearingDetail, ClearingList, ClearingView, FalseAccusation};
pub use library::{EducationBook, EducationView, Library, LibraryEntry};
pub use rectifications::{
    InstitutionView, MeasureView, RECTIFICATION_PAGE, RectificationDetail, RectificationList, RectificationView,
};
pub use reviews::{
    DrawDone, DrawView, EndorsementView, MethodView, REVIEW_PAGE, ReviewDetail, ReviewFigures, ReviewQueue, ReviewRow,
    ReviewerView,
};

crate::facade!(
    /// Oversight: `app.oversight()`.
    Oversight,
    oversight
);

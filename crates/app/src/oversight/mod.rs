//! Oversight after a conclusion (design brief §7–§8). So far the re-review of unfounded
//! closures (`reviews`) and rectification with the institutions it leaves (`rectifications`);
//! accountability decisions and early warnings (`accountability`).

mod accountability;
mod rectifications;
mod reviews;

pub use accountability::{AccountabilityBook, AccountabilityView, EarlyWarningBook, EarlyWarningView, UnitCount};
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

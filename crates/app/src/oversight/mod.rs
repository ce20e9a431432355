//! Oversight after a conclusion (design brief §7–§8). So far the re-review of unfounded
//! closures (`reviews`); rectification, accountability and early warnings are to come.

mod reviews;

pub use reviews::{
    DrawDone, DrawView, EndorsementView, MethodView, REVIEW_PAGE, ReviewDetail, ReviewFigures, ReviewQueue, ReviewRow,
    ReviewerView,
};

crate::facade!(
    /// Oversight: `app.oversight()`.
    Oversight,
    oversight
);

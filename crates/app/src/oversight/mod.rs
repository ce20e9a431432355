//! Oversight after a conclusion (design brief §7–§8): the re-review of unfounded closures
//! (`reviews`), rectification (`rectifications`) and the institutions it leaves
//! (`institutions`), accountability decisions and early warnings (`accountability`), clearing
//! names (`clearings`), and the libraries with warning education (`library`).

mod accountability;
mod clearings;
mod institutions;
mod library;
mod rectifications;
mod review_views;
mod reviews;

pub use accountability::{AccountabilityBook, AccountabilityView, EarlyWarningBook, EarlyWarningView, UnitCount};
pub use clearings::{CLEARING_PAGE, ClearingDetail, ClearingList, ClearingView, FalseAccusation};
pub use institutions::InstitutionView;
pub use library::{EducationBook, EducationView, Library, LibraryEntry};
pub use rectifications::{MeasureView, RECTIFICATION_PAGE, RectificationDetail, RectificationList, RectificationView};
pub use reviews::{
    DrawDone, DrawView, EndorsementView, MethodView, REVIEW_PAGE, ReviewDetail, ReviewFigures, ReviewQueue, ReviewRow,
    ReviewerView,
};

/// A form naming the unit it is about: the unit's id and the rest parsed, every fault of both
/// told together.
pub(super) fn with_unit<T>(
    unit_id: &str,
    rest: Result<T, domain::Invalid>,
) -> Result<(domain::UnitId, T), crate::AppError> {
    let unit = unit_id.trim().parse::<i64>().map(domain::UnitId::from_raw);
    match (unit, rest) {
        (Ok(u), Ok(r)) => Ok((u, r)),
        (u, r) => {
            let mut e = domain::Invalid::default();
            if u.is_err() {
                e.push(domain::FieldError::required("unit_id"));
            }
            if let Err(i) = r {
                e.0.extend(i.0);
            }
            Err(crate::AppError::Invalid(e))
        }
    }
}

crate::facade!(
    /// Oversight: `app.oversight()`.
    Oversight,
    oversight
);

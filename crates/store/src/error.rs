use std::fmt;

/// The unique constraints a user's input can run into, by name, so that a use case turns each
/// into the right field error (as realworld-axum-sqlx matches constraint names). PostgreSQL
/// reports the constraint's (or unique index's) name; SQLite reports the columns instead, so
/// each constraint is listed with both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Constraint {
    UnitCode,
    Username,
    Grant,
    LeadNumber,
    /// At most one step awaiting approval per lead.
    OnePendingStep,
    /// At most one extension in progress per lead.
    OneOpenExtension,
    MeetingItem,
    LeadHandler,
    /// At most one review in progress per lead.
    OneOpenReview,
    /// One review per closure.
    ReviewOfClosure,
    Reviewer,
    /// One rectification per case.
    OneRectification,
    LetterNumber,
    /// One clearing of a person in progress at a time.
    OneOpenClearing,
    /// A bulletin's document number, once.
    BulletinNumber,
    /// Score rules' versions, once each (two committees saving at once).
    ScoreRulesVersion,
    /// One work report per unit and campaign.
    OneWorkReport,
}

/// (constraint, PostgreSQL name, SQLite's "table.column, …" list).
const UNIQUES: &[(Constraint, &str, &str)] = &[
    (Constraint::UnitCode, "units_code_unique", "units.code"),
    (Constraint::Username, "users_username_unique", "users.username"),
    (Constraint::Grant, "grants_unique", "grants.user_id, grants.role, grants.unit_id"),
    (Constraint::LeadNumber, "leads_number_unique", "leads.number"),
    (Constraint::OnePendingStep, "lead_events_one_pending", "lead_events.lead_id"),
    (Constraint::OneOpenExtension, "extensions_one_open", "extensions.lead_id"),
    (Constraint::MeetingItem, "meeting_items_pkey", "meeting_items.meeting_id, meeting_items.lead_id"),
    (Constraint::LeadHandler, "lead_handlers_pkey", "lead_handlers.lead_id, lead_handlers.user_id"),
    (Constraint::OneOpenReview, "reviews_one_open", "reviews.lead_id"),
    (Constraint::ReviewOfClosure, "reviews_one_per_closure", "reviews.closure_event"),
    (Constraint::Reviewer, "review_reviewers_pkey", "review_reviewers.review_id, review_reviewers.user_id"),
    (Constraint::OneRectification, "rectifications_one_per_lead", "rectifications.lead_id"),
    (Constraint::OneOpenClearing, "clearings_one_open", "clearings.lead_id, clearings.person"),
    (Constraint::BulletinNumber, "bulletins_doc_no_unique", "bulletins.doc_no"),
    (Constraint::ScoreRulesVersion, "score_rules_version_unique", "score_rules.version"),
    (Constraint::OneWorkReport, "work_reports_one_per_unit", "work_reports.campaign_id, work_reports.unit_id"),
    (
        Constraint::LetterNumber,
        "rectifications_number_unique",
        "rectifications.kind, rectifications.year, rectifications.seq",
    ),
];

impl Constraint {
    /// The constraint named by a database's report: PostgreSQL's name, or the column list at
    /// the end of SQLite's "UNIQUE constraint failed: t.a, t.b".
    fn from_report(constraint: Option<&str>, message: &str) -> Option<Constraint> {
        if let Some(name) = constraint {
            return UNIQUES.iter().find(|u| u.1 == name).map(|u| u.0);
        }
        let columns = message.rsplit_once(": ").map_or(message, |(_, c)| c).trim();
        UNIQUES.iter().find(|u| u.2 == columns).map(|u| u.0)
    }
}

/// A persistence failure. Constraint violations are told apart so the app layer can turn
/// them into field errors; everything else is an internal error to be logged, not shown.
#[derive(Debug)]
pub enum StoreError {
    /// A unique constraint known to the product was violated.
    Unique(Constraint),
    /// A foreign key pointed nowhere.
    ForeignKey,
    /// Two writers raced and this one lost; retrying is safe.
    Conflict,
    /// The database could not be reached or refused (the source says why).
    Database(sqlx::Error),
    /// Stored data that cannot be read back into domain types (a bug or manual tampering).
    Corrupt(String),
}

impl StoreError {
    pub fn corrupt(what: impl Into<String>) -> Self {
        StoreError::Corrupt(what.into())
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &e {
            match db.kind() {
                sqlx::error::ErrorKind::UniqueViolation => {
                    // A unique constraint the product does not know of is a bug: it stays a
                    // database error, logged with its message.
                    if let Some(c) = Constraint::from_report(db.constraint(), db.message()) {
                        return StoreError::Unique(c);
                    }
                }
                sqlx::error::ErrorKind::ForeignKeyViolation => return StoreError::ForeignKey,
                _ => {}
            }
            // 40001 serialization failure / 40P01 deadlock (PostgreSQL); SQLITE_BUSY (5).
            if matches!(db.code().as_deref(), Some("40001") | Some("40P01") | Some("5") | Some("517")) {
                return StoreError::Conflict;
            }
        }
        StoreError::Database(e)
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Unique(c) => write!(f, "unique constraint violated: {c:?}"),
            StoreError::ForeignKey => write!(f, "foreign key violated"),
            StoreError::Conflict => write!(f, "write conflict"),
            StoreError::Database(_) => write!(f, "database error"),
            StoreError::Corrupt(w) => write!(f, "stored data unreadable: {w}"),
        }
    }
}

impl std::error::Error for StoreError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StoreError::Database(e) => Some(e),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_backends_reports_name_the_same_constraint() {
        assert_eq!(Constraint::from_report(Some("users_username_unique"), "duplicate key"), Some(Constraint::Username));
        assert_eq!(
            Constraint::from_report(None, "UNIQUE constraint failed: meeting_items.meeting_id, meeting_items.lead_id"),
            Some(Constraint::MeetingItem)
        );
        assert_eq!(
            Constraint::from_report(None, "UNIQUE constraint failed: lead_events.lead_id"),
            Some(Constraint::OnePendingStep)
        );
        assert_eq!(Constraint::from_report(Some("something_else"), ""), None);
        assert_eq!(Constraint::from_report(None, "UNIQUE constraint failed: sessions.token_hash"), None);
    }
}

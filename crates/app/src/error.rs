use domain::{FieldError, Invalid};
use store::StoreError;

/// Every way a use case can fail. The web layer maps each variant to one HTTP status.
#[derive(Debug)]
pub enum AppError {
    /// The input was refused; each field says why, in Chinese and English.
    Invalid(Invalid),
    /// Wrong username or password, or an expired session: deliberately unspecific.
    Unauthenticated,
    /// The caller has no role that may do this.
    Forbidden,
    /// Nothing there, or nothing the caller may see; the two are indistinguishable.
    NotFound,
    /// Too many failed sign-ins from this account or address; try again later.
    Throttled,
    /// The account must change its initial or reset password before anything else.
    PasswordChangeRequired,
    /// Someone else saved first; nothing was written.
    Stale { current_version: i64 },
    /// A transient conflict between concurrent writers; the action may be retried.
    Conflict,
    /// A bug or an outage. The error (with its chain of causes) is logged with the request id,
    /// never shown.
    Internal(Box<dyn std::error::Error + Send + Sync>),
}

impl AppError {
    pub fn field(e: FieldError) -> Self {
        AppError::Invalid(Invalid::one(e))
    }
}

impl From<Invalid> for AppError {
    fn from(e: Invalid) -> Self {
        AppError::Invalid(e)
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict => AppError::Conflict,
            // Unique violations that a use case expects are turned into field errors there;
            // one that reaches this point is a bug.
            other => AppError::Internal(Box::new(other)),
        }
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AppError::Invalid(i) => write!(f, "invalid input: {i}"),
            AppError::Unauthenticated => f.write_str("not authenticated"),
            AppError::Forbidden => f.write_str("forbidden"),
            AppError::Throttled => f.write_str("too many failed sign-ins"),
            AppError::PasswordChangeRequired => f.write_str("password change required"),
            AppError::NotFound => f.write_str("not found"),
            AppError::Stale { current_version } => {
                write!(f, "stale version (current {current_version})")
            }
            AppError::Conflict => f.write_str("write conflict"),
            AppError::Internal(m) => write!(f, "internal error: {m}"),
        }
    }
}

impl std::error::Error for AppError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            AppError::Internal(e) => Some(e.as_ref()),
            _ => None,
        }
    }
}

impl AppError {
    /// An internal error described in words (a broken invariant, not a failed call).
    pub fn internal(what: impl Into<String>) -> Self {
        AppError::Internal(what.into().into())
    }
}

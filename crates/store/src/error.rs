use std::fmt;

/// A persistence failure. Constraint violations are told apart so the app layer can turn
/// them into field errors; everything else is an internal error to be logged, not shown.
#[derive(Debug)]
pub enum StoreError {
    /// A unique constraint was violated; the string names the constraint or column.
    Unique(String),
    /// A foreign key pointed nowhere.
    ForeignKey,
    /// Two writers raced and this one lost; retrying is safe.
    Conflict,
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
                    // PostgreSQL names the constraint; SQLite names the columns in its message.
                    let name = db.constraint().map(str::to_owned).unwrap_or_else(|| db.message().to_owned());
                    return StoreError::Unique(name);
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
            StoreError::Unique(c) => write!(f, "unique constraint violated: {c}"),
            StoreError::ForeignKey => write!(f, "foreign key violated"),
            StoreError::Conflict => write!(f, "write conflict"),
            StoreError::Database(e) => write!(f, "database error: {e}"),
            StoreError::Corrupt(w) => write!(f, "stored data unreadable: {w}"),
        }
    }
}

impl std::error::Error for StoreError {}

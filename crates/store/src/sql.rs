//! Small helpers shared by the query modules: dynamic SQL with numbered placeholders, and
//! the conversions between domain values and their stored form.

use sqlx::{Any, any::AnyArguments, query::Query};
use time::{Date, OffsetDateTime};

use crate::StoreError;

/// A bindable value; `Any` supports only these few types, which is all the schema uses.
#[derive(Debug, Clone)]
pub(crate) enum Value {
    Int(i64),
    Text(String),
    /// A NULL is typed too: PostgreSQL refuses a text NULL for an integer column.
    IntOpt(Option<i64>),
    TextOpt(Option<String>),
}

/// How many rows of `width` bound values one multi-row statement takes (a few hundred values:
/// measured on the import).
pub(crate) fn rows_per_statement(width: usize) -> usize {
    (PARAMS_PER_STATEMENT / width.max(1)).max(1)
}

const PARAMS_PER_STATEMENT: usize = 1024;

/// Builds a statement whose WHERE clause depends on the filter, numbering `$n` as it goes.
/// Only fixed SQL fragments are pushed as text; every user-supplied value is bound.
#[derive(Debug, Default)]
pub(crate) struct SqlBuilder {
    sql: String,
    values: Vec<Value>,
    /// Bare `?` placeholders instead of `$n`.
    anonymous: bool,
}

impl SqlBuilder {
    pub fn new(sql: &str) -> Self {
        Self { sql: sql.to_owned(), values: Vec::new(), anonymous: false }
    }
    /// A builder for a statement of many bound values (a multi-row write), on `c`'s database.
    /// SQLite looks each named parameter (`$n`) up by a linear search of the statement's
    /// names, so binding n of them costs n² (6% of an import's time); a bare `?` has no name.
    /// Every value is bound in order, so on SQLite the two mean the same; PostgreSQL takes
    /// only `$n`. The SQL pushed into such a builder must hold no placeholders of its own.
    pub fn bulk(c: &sqlx::AnyConnection, sql: &str) -> Self {
        Self { anonymous: c.backend_name() == "SQLite", ..Self::new(sql) }
    }
    pub fn push(&mut self, fragment: &str) -> &mut Self {
        debug_assert!(!self.anonymous || !fragment.contains('$'), "a bulk statement's SQL with its own placeholder");
        self.sql.push_str(fragment);
        self
    }
    /// Appends a placeholder for `v`.
    pub fn bind(&mut self, v: Value) -> &mut Self {
        self.values.push(v);
        if self.anonymous {
            self.sql.push('?');
        } else {
            self.sql.push('$');
            self.sql.push_str(&self.values.len().to_string());
        }
        self
    }
    /// Appends an integer as a literal. For LIMIT and OFFSET: SQLite re-prepares a statement
    /// whenever a bound LIMIT or OFFSET is bound again (it plans constant limits), which
    /// cost a parse and plan on every page; an `i64` cannot carry SQL.
    /// Appends one `(…)` row of a multi-row `VALUES` list (`first`: no comma before it),
    /// every value bound.
    pub fn push_row(&mut self, first: bool, values: impl IntoIterator<Item = Value>) -> &mut Self {
        self.sql.push_str(if first { "(" } else { ", (" });
        for (i, v) in values.into_iter().enumerate() {
            if i > 0 {
                self.sql.push_str(", ");
            }
            self.bind(v);
        }
        self.sql.push(')');
        self
    }

    pub fn push_int(&mut self, n: i64) -> &mut Self {
        self.sql.push_str(&n.to_string());
        self
    }

    /// `$1, $2, $3`: texts bound as parameters (a user's input may be among them).
    pub fn bind_texts<'t>(&mut self, texts: impl IntoIterator<Item = &'t str>) -> &mut Self {
        for (i, t) in texts.into_iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.bind(Value::Text(t.to_owned()));
        }
        self
    }

    /// `a, b, c`: integers the store itself read (ids), never a user's input.
    pub fn push_ints(&mut self, ns: impl IntoIterator<Item = i64>) -> &mut Self {
        for (i, n) in ns.into_iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.push_int(n);
        }
        self
    }

    #[cfg(test)]
    pub fn sql(&self) -> &str {
        &self.sql
    }
    pub fn build(&self) -> Query<'_, Any, AnyArguments> {
        let mut q = sqlx::query(sqlx::AssertSqlSafe(self.sql.clone()));
        for v in &self.values {
            q = match v {
                Value::Int(i) => q.bind(*i),
                Value::Text(s) => q.bind(s.clone()),
                Value::IntOpt(i) => q.bind(*i),
                Value::TextOpt(s) => q.bind(s.clone()),
            };
        }
        q
    }
}

/// Appends `(…)`: the open statuses, or the closed ones, each bound.
pub(crate) fn push_statuses(b: &mut SqlBuilder, open: bool) {
    b.push("(");
    for (i, s) in domain::ledger::lead::LeadStatus::ALL.iter().filter(|s| s.is_open() == open).enumerate() {
        if i > 0 {
            b.push(", ");
        }
        b.bind(Value::Text(s.code().into()));
    }
    b.push(")");
}

pub fn to_micros(t: OffsetDateTime) -> i64 {
    (t.unix_timestamp_nanos() / 1_000) as i64
}

pub fn from_micros(us: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(us as i128 * 1_000).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

pub(crate) fn date_text(d: Date) -> String {
    domain::dates::format_date(d)
}

pub(crate) fn parse_stored_date(s: &str) -> Result<Date, StoreError> {
    domain::dates::parse_date("", s).map_err(|_| StoreError::corrupt(format!("date {s:?}")))
}

/// Reads a stored vocabulary code back into its enum.
pub(crate) fn code<T>(s: &str, from: fn(&str) -> Option<T>) -> Result<T, StoreError> {
    from(s).ok_or_else(|| StoreError::corrupt(format!("code {s:?}")))
}

/// Escapes `%`, `_` and `\` so user text is matched literally by `LIKE … ESCAPE '\'`.
pub(crate) fn like_pattern(needle: &str) -> String {
    let mut p = String::with_capacity(needle.len() + 2);
    p.push('%');
    for c in needle.chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_in_order() {
        let mut b = SqlBuilder::new("SELECT 1 WHERE a = ");
        b.bind(Value::Int(1)).push(" AND b = ").bind(Value::Text("x".into()));
        assert_eq!(b.sql(), "SELECT 1 WHERE a = $1 AND b = $2");
    }

    #[test]
    fn like_metacharacters_are_escaped() {
        assert_eq!(like_pattern("50%_a\\"), "%50\\%\\_a\\\\%");
    }

    #[test]
    fn micros_round_trip() {
        let t = time::macros::datetime!(2019-06-30 12:34:56.789012 UTC);
        assert_eq!(from_micros(to_micros(t)), t);
    }
}

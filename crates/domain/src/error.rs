//! Field-level validation errors, worded in Chinese and English.

use serde::Serialize;

/// One problem with one input field. `code` is stable and machine-readable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub code: &'static str,
    pub message_zh: String,
    pub message_en: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: &'static str, zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self { field: field.into(), code, message_zh: zh.into(), message_en: en.into() }
    }

    pub fn required(field: &str) -> Self {
        Self::new(field, "required", "此项必填。", "This field is required.")
    }
}

/// All the problems found in one input; empty means valid.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Invalid(pub Vec<FieldError>);

impl Invalid {
    pub fn push(&mut self, e: FieldError) {
        self.0.push(e);
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn one(e: FieldError) -> Self {
        Self(vec![e])
    }
    /// Records the error of `r`, if any, and yields its value.
    pub fn take<T>(&mut self, r: Result<T, FieldError>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.push(e);
                None
            }
        }
    }
    pub fn into_result<T>(self, value: impl FnOnce() -> T) -> Result<T, Invalid> {
        if self.0.is_empty() { Ok(value()) } else { Err(self) }
    }
}

impl std::fmt::Display for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self.0.iter().map(|e| format!("{}: {}", e.field, e.message_en)).collect();
        write!(f, "{}", parts.join("; "))
    }
}

impl std::error::Error for Invalid {}

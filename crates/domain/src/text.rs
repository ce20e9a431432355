//! Bounded text: trimmed, length-checked once at the edge, trusted afterwards.

use crate::error::FieldError;

/// Required text of 1..=MAX characters (not bytes: Chinese text counts per character).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Text<const MAX: usize>(String);

impl<const MAX: usize> Text<MAX> {
    pub fn parse(field: &str, input: &str) -> Result<Self, FieldError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(FieldError::required(field));
        }
        check_len::<MAX>(field, trimmed)?;
        if trimmed.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
            return Err(FieldError::new(
                field,
                "invalid_characters",
                "含有不可见的控制字符，请删除后重试。",
                "Contains invisible control characters; remove them and try again.",
            ));
        }
        Ok(Self(trimmed.to_owned()))
    }

    /// Empty input means "not given".
    pub fn parse_optional(field: &str, input: &str) -> Result<Option<Self>, FieldError> {
        if input.trim().is_empty() { Ok(None) } else { Self::parse(field, input).map(Some) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
    pub fn into_string(self) -> String {
        self.0
    }
}

impl<const MAX: usize> std::fmt::Display for Text<MAX> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn check_len<const MAX: usize>(field: &str, s: &str) -> Result<(), FieldError> {
    let n = s.chars().count();
    if n > MAX {
        return Err(FieldError::new(
            field,
            "too_long",
            format!("最多 {MAX} 个字符，当前 {n} 个。"),
            format!("At most {MAX} characters; this has {n}."),
        ));
    }
    Ok(())
}

/// Short names: people, units, posts.
pub type Name = Text<60>;
/// One-line references: document numbers, bodies.
pub type Line = Text<120>;
/// The lead's summary of the reported problem.
pub type Summary = Text<4000>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_counts_characters_not_bytes() {
        let t = Text::<3>::parse("f", "  张三丰 ").unwrap();
        assert_eq!(t.as_str(), "张三丰");
        let e = Text::<3>::parse("f", "张三丰二").unwrap_err();
        assert_eq!(e.code, "too_long");
    }

    #[test]
    fn blank_is_required_or_absent() {
        assert_eq!(Text::<5>::parse("f", "   ").unwrap_err().code, "required");
        assert_eq!(Text::<5>::parse_optional("f", "  ").unwrap(), None);
    }

    #[test]
    fn control_characters_are_refused() {
        assert_eq!(Text::<10>::parse("f", "a\u{0}b").unwrap_err().code, "invalid_characters");
        assert!(Text::<10>::parse("f", "a\nb").is_ok());
    }
}

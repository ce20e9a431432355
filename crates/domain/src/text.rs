//! Bounded text: trimmed, length-checked once at the edge, trusted afterwards.

use crate::error::FieldError;

/// Required text of 1..=MAX characters (not bytes: Chinese text counts per character), on
/// one line unless `PROSE`. Every text the product takes passes the same policy:
/// - normalised: NFKC for one-line texts (names, numbers and references compare as typed
///   in any width), NFC for prose (a summary keeps its full-width Chinese punctuation);
/// - refused when it holds control characters, bidirectional controls, zero-width or other
///   invisible format characters (they hide or reorder what a reader sees), or a line break
///   in a one-line field;
/// - trimmed; a required text must keep a visible character.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Text<const MAX: usize, const PROSE: bool = false>(String);

/// Multi-line text: summaries, notes, reasons, decisions.
pub type Prose<const MAX: usize> = Text<MAX, true>;

impl<const MAX: usize, const PROSE: bool> Text<MAX, PROSE> {
    pub fn parse(field: &str, input: &str) -> Result<Self, FieldError> {
        let clean = clean(field, input, PROSE)?;
        if clean.is_empty() {
            return Err(FieldError::required(field));
        }
        check_len::<MAX>(field, &clean)?;
        Ok(Self(clean))
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

/// Characters that change what a reader sees without being seen: bidirectional controls,
/// zero-width characters and the other format characters (Unicode category Cf).
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}' | '\u{180B}'..='\u{180F}'
        | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{206F}' | '\u{3164}'
        | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFA0}' | '\u{FFF0}'..='\u{FFFB}'
        | '\u{0600}'..='\u{0605}' | '\u{06DD}' | '\u{070F}' | '\u{08E2}' | '\u{110BD}' | '\u{110CD}'
        | '\u{1D173}'..='\u{1D17A}' | '\u{E0000}'..='\u{E0FFF}')
}

fn is_line_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{0085}' | '\u{2028}' | '\u{2029}' | '\u{000B}' | '\u{000C}')
}

/// The text policy (see [`Text`]): the normalised, trimmed text, or why it is refused.
fn clean(field: &str, input: &str, prose: bool) -> Result<String, FieldError> {
    use unicode_normalization::UnicodeNormalization;
    let normal: String = if prose { input.replace("\r\n", "\n").nfc().collect() } else { input.nfkc().collect() };
    if !prose && normal.chars().any(is_line_break) {
        return Err(FieldError::new(
            field,
            "line_break",
            "此项只能填写一行，请删除换行。",
            "This field takes one line; remove the line break.",
        ));
    }
    let allowed = |c: char| prose && (c == '\n' || c == '\t');
    if normal.chars().any(|c| (c.is_control() && !allowed(c)) || is_invisible(c)) {
        return Err(FieldError::new(
            field,
            "invalid_characters",
            "含有不可见字符或控制字符（如零宽字符、文字方向控制符），请删除后重试。",
            "Contains invisible or control characters (such as zero-width or text-direction characters); remove them and try again.",
        ));
    }
    Ok(normal.trim().to_owned())
}

impl<const MAX: usize, const PROSE: bool> std::fmt::Display for Text<MAX, PROSE> {
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
pub type Summary = Prose<4000>;

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
        assert_eq!(Prose::<10>::parse("f", "a\r\nb").unwrap().as_str(), "a\nb");
    }

    #[test]
    fn invisible_and_deceptive_characters_are_refused() {
        for bad in [
            "李某\u{202E}",     // right-to-left override
            "\u{200B}\u{200B}", // only zero-width spaces: not "given"
            "\u{FEFF}李某",
            "李\u{200D}某",
            "李\u{2066}某\u{2069}",
            "李\u{00AD}某",
        ] {
            assert_eq!(Name::parse("f", bad).unwrap_err().code, "invalid_characters", "{bad:?}");
            assert_eq!(Summary::parse("f", bad).unwrap_err().code, "invalid_characters", "{bad:?}");
        }
    }

    #[test]
    fn one_line_fields_take_no_line_break() {
        for bad in ["李某\r\n王某", "李某\n", "a\u{2028}b", "a\rb"] {
            let e = Name::parse("f", &format!("x{bad}")).unwrap_err();
            assert_eq!(e.code, "line_break", "{bad:?}");
        }
        assert!(Summary::parse("f", "第一行\n第二行\t备注").is_ok());
    }

    #[test]
    fn one_line_texts_fold_width_prose_keeps_chinese_punctuation() {
        assert_eq!(Line::parse("f", "卫纪〔２０１９〕１２号").unwrap().as_str(), "卫纪〔2019〕12号");
        assert_eq!(Name::parse("f", "李某（纪检监察室）").unwrap().as_str(), "李某(纪检监察室)");
        assert_eq!(Summary::parse("f", "反映某某，收受回扣。").unwrap().as_str(), "反映某某，收受回扣。");
        // Composed and decomposed forms store the same.
        assert_eq!(Name::parse("f", "Jose\u{301}").unwrap(), Name::parse("f", "Jos\u{E9}").unwrap());
        assert_eq!(
            Text::<3>::parse("f", "\u{3000}张三\u{3000}").unwrap().as_str(),
            "张三",
            "ideographic spaces trimmed"
        );
    }
}

//! The one form pattern of every page: what was typed is kept, each error sits next to its
//! field under the field's name, and a summary at the top of the form links to each field and
//! takes focus (`templates/forms.html` holds the markup, `static/app.js` the focus).

use std::collections::HashMap;

use domain::FieldError;

/// One error as the summary lists it.
#[derive(Clone)]
pub struct FieldMsg {
    pub field: String,
    /// The element id of the field (empty when the error is about the form as a whole).
    pub anchor: String,
    pub message: String,
    /// "label：message", as the summary lists it.
    pub line: String,
}

/// A form as the user typed it, and what was wrong with it.
#[derive(Default, Clone)]
pub struct FormState {
    /// Prefix of every element id, so that several forms on one page never share one.
    pub name: String,
    values: HashMap<String, String>,
    errors: Vec<FieldMsg>,
}

/// The id of a field's element: `outcomes[0].nature` in form `conclude` is
/// `conclude-outcomes-0-nature`.
pub fn anchor(form: &str, field: &str) -> String {
    let tail: String = field
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if form.is_empty() { tail } else { format!("{form}-{tail}") }
}

/// The value of a form field as posted (the last one sent).
pub fn field<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or_default()
}

impl FormState {
    /// Which form this is (a page with several shows the errors at the one refused).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// An untouched form.
    pub fn blank(name: &str) -> Self {
        Self { name: name.to_owned(), ..Default::default() }
    }

    /// The form as submitted (the last value of a repeated field wins).
    pub fn typed(name: &str, pairs: &[(String, String)]) -> Self {
        let values = pairs.iter().filter(|(k, _)| k != "csrf_token").cloned().collect();
        Self { name: name.to_owned(), values, errors: Vec::new() }
    }

    /// Attaches the refusal: `label` names each field as its label does; an error on a field
    /// the form does not show (`None`) is listed without a link.
    pub fn refused(mut self, errors: &[FieldError], en: bool, label: impl Fn(&str) -> Option<&'static str>) -> Self {
        self.errors = errors
            .iter()
            .map(|e| {
                let shown = label(&e.field);
                let message = if en { e.message_en.clone() } else { e.message_zh.clone() };
                FieldMsg {
                    field: e.field.clone(),
                    anchor: shown.map(|_| anchor(&self.name, &e.field)).unwrap_or_default(),
                    line: match shown {
                        Some(l) => format!("{l}{}{message}", if en { ": " } else { "：" }),
                        None => message.clone(),
                    },
                    message,
                }
            })
            .collect();
        self
    }

    /// This state if it is the form `name` (the one refused), else that form untouched: a
    /// page with several forms shows each through this.
    pub fn or_blank(&self, name: &str) -> FormState {
        if self.name == name { self.clone() } else { FormState::blank(name) }
    }

    /// [`FormState::or_blank`], with a fresh form's date field `field` set to `today` (the
    /// usual answer for work recorded as it is done).
    pub fn or_dated(&self, name: &str, field: &str, today: &str) -> FormState {
        if self.name == name { self.clone() } else { FormState::typed(name, &[(field.to_owned(), today.to_owned())]) }
    }

    /// The summary's element id (a page's one unnamed form has `form-errors`).
    pub fn summary_id(&self) -> String {
        if self.name.is_empty() { "form-errors".into() } else { format!("{}-errors", self.name) }
    }

    pub fn id(&self, field: &str) -> String {
        anchor(&self.name, field)
    }

    pub fn value(&self, field: &str) -> &str {
        self.values.get(field).map(String::as_str).unwrap_or_default()
    }

    pub fn checked(&self, field: &str) -> bool {
        !self.value(field).is_empty()
    }

    pub fn selected(&self, field: &str, option: &str) -> bool {
        self.value(field) == option
    }

    /// Every message for this field, joined (a field may break two rules).
    pub fn err(&self, field: &str) -> Option<String> {
        let m: Vec<&str> = self.errors.iter().filter(|e| e.field == field).map(|e| e.message.as_str()).collect();
        (!m.is_empty()).then(|| m.join(" "))
    }

    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    pub fn summary(&self) -> &[FieldMsg] {
        &self.errors
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    }

    #[test]
    fn ids_are_unique_per_form_and_valid_html() {
        assert_eq!(anchor("conclude", "outcomes[0].nature"), "conclude-outcomes-0-nature");
        assert_eq!(anchor("", "reporter.name"), "reporter-name");
        assert_ne!(anchor("transfer", "note"), anchor("merge", "note"));
    }

    #[test]
    fn keeps_input_and_names_each_field() {
        let f = FormState::typed("ext", &pairs(&[("days", "40"), ("reason", "材料未齐"), ("csrf_token", "x")]))
            .refused(
                &[
                    FieldError::new("days", "too_long", "延期不能超过 30 天。", "At most 30 days."),
                    FieldError::new("step", "pending", "有待审批事项。", "A step is pending."),
                ],
                false,
                |f| (f == "days").then_some("天数"),
            );
        assert_eq!(f.value("reason"), "材料未齐");
        assert_eq!(f.value("csrf_token"), "", "the token is never echoed back");
        assert_eq!(f.err("days").as_deref(), Some("延期不能超过 30 天。"));
        let s = f.summary();
        assert_eq!((s[0].line.as_str(), s[0].anchor.as_str()), ("天数：延期不能超过 30 天。", "ext-days"));
        assert_eq!(s[1].anchor, "", "an error on no shown field has no link");
        assert!(FormState::blank("ext").err("days").is_none());
    }
}

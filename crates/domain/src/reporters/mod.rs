//! Reporters (反映人 / 举报人): who reported a lead, signed (实名) or anonymous. Their identity
//! is sealed at rest and shown only to a custodian with a recorded reason. Feedback to them and
//! the satisfaction follow-up (`feedback`), their objections (`objection`), the satisfaction
//! rate (`satisfaction`) and the public portal's receipt code and proof of work (`portal`).

pub mod attachment;
pub mod feedback;
pub mod intake;
pub mod objection;
pub mod portal;
pub mod satisfaction;

use serde::{Deserialize, Serialize};

use crate::{
    FieldError, Invalid, labelled_enum,
    text::{Line, Name, Text},
};

labelled_enum!(
    ReporterKind {
        Signed = ("signed", "实名", "Signed"),
        Anonymous = ("anonymous", "匿名", "Anonymous"),
    }
);

/// The reporter exactly as submitted.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ReporterInput {
    #[schema(min_length = 1)]
    pub kind: String,
    #[schema(max_length = 60)]
    pub name: String,
    #[schema(max_length = 120)]
    pub contact: String,
}

/// Identity fields are kept apart from the lead so that they can be protected on their own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Reporter {
    pub kind: ReporterKind,
    pub name: Option<String>,
    pub contact: Option<String>,
}

impl ReporterInput {
    /// With `identity_on_file`, a signed reporter may leave name and contact empty: the
    /// identity already sealed is kept (editors do not see it, so cannot retype it).
    pub fn parse(&self, errors: &mut Invalid, identity_on_file: bool) -> Option<Reporter> {
        let kind = errors.take(if self.kind.trim().is_empty() {
            Ok(ReporterKind::Anonymous)
        } else {
            ReporterKind::parse("reporter.kind", &self.kind)
        })?;
        let name = errors.take(Name::parse_optional("reporter.name", &self.name));
        let contact = errors.take(Line::parse_optional("reporter.contact", &self.contact));
        let (name, contact) = (name?, contact?);
        if kind == ReporterKind::Signed && name.is_none() && !(identity_on_file && contact.is_none()) {
            errors.push(FieldError::new(
                "reporter.name",
                "required",
                "实名举报须填写举报人姓名。",
                "A signed report needs the reporter's name.",
            ));
            return None;
        }
        Some(Reporter { kind, name: name.map(|t| t.into_string()), contact: contact.map(|t| t.into_string()) })
    }
}

/// Why a custodian needs a reporter's identity, looked at on one lead or exported with a
/// ledger view: required, at least four characters (so "看看" or "1" is no reason), kept in
/// the audit trail with the look.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevealReason(Text<200>);

impl RevealReason {
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let reason = Text::<200>::parse("reason", input)?;
        if reason.as_str().chars().count() < 4 {
            return Err(FieldError::new(
                "reason",
                "too_short",
                "请写明查看理由（至少 4 个字）。",
                "Give the reason for looking (at least 4 characters).",
            ));
        }
        Ok(Self(reason))
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl Reporter {
    /// What identifies a signed reporter across reports, before it is hashed under the person
    /// key (relations link reports through the hash alone): a phone number (its digits, at least
    /// seven) or an e-mail address in their contact. `None` otherwise: a name alone, or a contact
    /// like 不详, would link different people.
    pub fn identity_text(&self) -> Option<String> {
        if self.kind != ReporterKind::Signed {
            return None;
        }
        let contact = self.contact.as_deref()?;
        let digits: String = contact.chars().filter(char::is_ascii_digit).collect();
        if digits.len() >= 7 {
            return Some(format!("reporter:phone:{digits}"));
        }
        let mail: String = contact.chars().filter(|c| !c.is_whitespace()).flat_map(char::to_lowercase).collect();
        let (user, host) = mail.split_once('@')?;
        (!user.is_empty() && host.contains('.')).then(|| format!("reporter:mail:{mail}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_is_required_and_says_something() {
        assert_eq!(RevealReason::parse("").unwrap_err().code, "required");
        assert_eq!(RevealReason::parse("  看看 ").unwrap_err().code, "too_short");
        assert_eq!(RevealReason::parse("向实名举报人反馈").unwrap().as_str(), "向实名举报人反馈");
        assert_eq!(RevealReason::parse(&"理".repeat(201)).unwrap_err().field, "reason");
        assert!(RevealReason::parse(&"理".repeat(200)).is_ok());
    }

    #[test]
    fn a_signed_reporter_is_known_by_their_phone_or_mail_only() {
        let r = |kind, name: &str, contact: &str| Reporter {
            kind,
            name: (!name.is_empty()).then(|| name.to_owned()),
            contact: (!contact.is_empty()).then(|| contact.to_owned()),
        };
        let s = ReporterKind::Signed;
        assert_eq!(r(s, "张三", "138-0013 8000").identity_text(), r(s, "张 三三", "13800138000").identity_text());
        assert_eq!(r(s, "", "Zhang@Example.org ").identity_text().as_deref(), Some("reporter:mail:zhang@example.org"));
        // A name alone, a placeholder or a short number links nobody.
        for contact in ["", "不详", "无", "12345", "a@b"] {
            assert_eq!(r(s, "张三", contact).identity_text(), None, "{contact:?}");
        }
        assert_eq!(r(ReporterKind::Anonymous, "张三", "13800138000").identity_text(), None);
    }
}

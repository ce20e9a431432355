//! The people a lead is about (被反映人) and the person who reported it (反映人).

use serde::{Deserialize, Serialize};

use crate::{
    FieldError, Invalid, labelled_enum,
    text::{Line, Name},
};

labelled_enum!(
    PoliticalStatus {
        PartyMember = ("party_member", "中共党员", "CPC member"),
        OtherParty = ("other_party", "民主党派", "Other party"),
        NonParty = ("non_party", "群众", "No party"),
        Unknown = ("unknown", "不详", "Unknown"),
    }
);

labelled_enum!(
    /// 干部管理权限: which body manages the subject as a cadre.
    CadreLevel {
        Provincial = ("provincial", "省管干部", "Province-managed"),
        Municipal = ("municipal", "市管干部", "City-managed"),
        Commission = ("commission", "委管干部", "Commission-managed"),
        Unit = ("unit", "单位管理", "Unit-managed"),
        NotCadre = ("not_cadre", "非干部", "Not a cadre"),
    }
);

labelled_enum!(
    ReporterKind {
        Signed = ("signed", "实名", "Signed"),
        Anonymous = ("anonymous", "匿名", "Anonymous"),
    }
);

/// A subject exactly as submitted, before any checking.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SubjectInput {
    pub name: String,
    pub unit_name: String,
    pub post: String,
    pub rank: String,
    pub political_status: String,
    pub is_unit_head: bool,
    pub cadre_level: String,
    /// 身份证号, optional; only its keyed hash is kept, to recognise the same person again.
    pub id_number: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Subject {
    pub name: String,
    pub unit_name: String,
    pub post: String,
    pub rank: String,
    pub political_status: PoliticalStatus,
    pub is_unit_head: bool,
    pub cadre_level: CadreLevel,
    /// Hash of the ID number, when one was given; never the number itself.
    #[serde(skip)]
    pub id_number_hash: Option<String>,
}

pub const MAX_SUBJECTS: usize = 20;

impl SubjectInput {
    /// Checks one subject; field names carry the position (`subjects[0].name`).
    pub fn parse(&self, index: usize, errors: &mut Invalid) -> Option<Subject> {
        let f = |name: &str| format!("subjects[{index}].{name}");
        let id_hash = errors.take(crate::person::id_number_hash(&f("id_number"), &self.id_number));
        let name = errors.take(Name::parse(&f("name"), &self.name));
        let unit_name = errors.take(Line::parse_optional(&f("unit_name"), &self.unit_name));
        let post = errors.take(Name::parse_optional(&f("post"), &self.post));
        let rank = errors.take(Name::parse_optional(&f("rank"), &self.rank));
        let political_status = errors.take(if self.political_status.trim().is_empty() {
            Ok(PoliticalStatus::Unknown)
        } else {
            PoliticalStatus::parse(&f("political_status"), &self.political_status)
        });
        let cadre_level = errors.take(if self.cadre_level.trim().is_empty() {
            Ok(CadreLevel::NotCadre)
        } else {
            CadreLevel::parse(&f("cadre_level"), &self.cadre_level)
        });
        Some(Subject {
            name: name?.into_string(),
            unit_name: unit_name?.map(|t| t.into_string()).unwrap_or_default(),
            post: post?.map(|t| t.into_string()).unwrap_or_default(),
            rank: rank?.map(|t| t.into_string()).unwrap_or_default(),
            political_status: political_status?,
            is_unit_head: self.is_unit_head,
            cadre_level: cadre_level?,
            id_number_hash: id_hash?,
        })
    }

    pub fn is_blank(&self) -> bool {
        [&self.name, &self.unit_name, &self.post, &self.rank].iter().all(|s| s.trim().is_empty()) && !self.is_unit_head
    }
}

/// The reporter exactly as submitted.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ReporterInput {
    pub kind: String,
    pub name: String,
    pub contact: String,
}

/// Identity fields are kept apart from the lead so that they can be protected on their own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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

//! The people a lead is about (被反映人).

use serde::{Deserialize, Serialize};

use crate::{Invalid, labelled_enum, text::Line, text::Name};

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

/// A subject exactly as submitted, before any checking.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct SubjectInput {
    #[schema(min_length = 1, max_length = 60)]
    pub name: String,
    #[schema(max_length = 120)]
    pub unit_name: String,
    #[schema(max_length = 60)]
    pub post: String,
    #[schema(max_length = 60)]
    pub rank: String,
    pub political_status: String,
    pub is_unit_head: bool,
    pub cadre_level: String,
    /// 身份证号, optional; only its keyed hash is kept, to recognise the same person again.
    #[schema(pattern = r"^([0-9]{15}|[0-9]{17}[0-9Xx])?$")]
    pub id_number: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Subject {
    pub name: String,
    pub unit_name: String,
    pub post: String,
    pub rank: String,
    pub political_status: PoliticalStatus,
    pub is_unit_head: bool,
    pub cadre_level: CadreLevel,
    /// The ID number's digest when parsed, replaced by its keyed hash before the app stores it;
    /// never the number itself.
    #[serde(skip)]
    pub id_number_hash: Option<String>,
}

pub const MAX_SUBJECTS: usize = 20;

impl SubjectInput {
    /// Checks one subject; field names carry the position (`subjects[0].name`).
    pub fn parse(&self, index: usize, errors: &mut Invalid) -> Option<Subject> {
        let f = |name: &str| format!("subjects[{index}].{name}");
        let id_hash = errors.take(crate::protection::person::id_number_digest(&f("id_number"), &self.id_number));
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

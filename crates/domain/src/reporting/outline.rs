//! A campaign's report outline (报告提纲, issue 17 point 5): which of the work report's sections
//! the campaign asks each unit to write and what each must cover. It belongs to the campaign and
//! travels with it when the committee copies it as next year's template, as its score rules do.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::work_report::{ReportInput, Section, Sections};
use crate::{FieldError, Invalid, text::Prose};

/// One section the campaign asks for, with what it must cover (may be empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OutlineItem {
    pub section: Section,
    pub guidance: String,
}

/// The sections asked for, in the plan's order; never empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(transparent)]
pub struct Outline(Vec<OutlineItem>);

impl Default for Outline {
    /// The plan's seven sections, with nothing more said about them.
    fn default() -> Self {
        Self(Section::ALL.iter().map(|s| OutlineItem { section: *s, guidance: String::new() }).collect())
    }
}

impl Outline {
    pub fn items(&self) -> &[OutlineItem] {
        &self.0
    }

    pub fn sections(&self) -> impl Iterator<Item = Section> + '_ {
        self.0.iter().map(|i| i.section)
    }

    pub fn guidance(&self, section: Section) -> Option<&str> {
        self.0.iter().find(|i| i.section == section).map(|i| i.guidance.as_str())
    }

    /// A report is signed with the sections its outline asks for: one saved before the
    /// committee changed the outline is saved again first.
    pub fn check_report(&self, sections: &Sections) -> Result<(), FieldError> {
        if sections.iter().map(|(s, _)| *s).eq(self.sections()) {
            Ok(())
        } else {
            Err(FieldError::new(
                "sections",
                "outline_changed",
                "报告提纲已调整，请按新提纲填写并保存后再签字。",
                "The report outline has changed: write the report to the new outline and save it before signing.",
            ))
        }
    }

    /// The typed sections of a report under this outline: the ones asked for, in order, each
    /// at most 5,000 characters; text for a section not asked for is not kept.
    pub fn parse_report(&self, input: &ReportInput) -> Result<Sections, Invalid> {
        let mut e = Invalid::default();
        let mut out = Vec::new();
        for s in self.sections() {
            let typed = input.sections.get(s.code()).map_or("", |t| t.as_str());
            if let Some(text) = e.take(Prose::<5000>::parse_optional(&format!("section_{}", s.code()), typed)) {
                out.push((s, text.map(|t| t.into_string()).unwrap_or_default()));
            }
        }
        if e.is_empty() { Ok(out) } else { Err(e) }
    }
}

/// The outline as the committee types it: the codes of the sections asked for, and what each
/// must cover, by code.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct OutlineInput {
    pub sections: Vec<String>,
    pub guidance: BTreeMap<String, String>,
}

impl OutlineInput {
    pub fn of(outline: &Outline) -> Self {
        Self {
            sections: outline.sections().map(|s| s.code().to_owned()).collect(),
            guidance: outline.items().iter().map(|i| (i.section.code().to_owned(), i.guidance.clone())).collect(),
        }
    }

    pub fn parse(&self) -> Result<Outline, Invalid> {
        let mut e = Invalid::default();
        for code in &self.sections {
            if Section::from_code(code).is_none() {
                e.push(FieldError::new(
                    "sections",
                    "unknown",
                    format!("没有“{code}”这一部分。"),
                    format!("There is no section “{code}”."),
                ));
            }
        }
        let mut items = Vec::new();
        for s in Section::ALL.iter().filter(|s| self.sections.iter().any(|c| c == s.code())) {
            let typed = self.guidance.get(s.code()).map_or("", |t| t.as_str());
            if let Some(g) = e.take(Prose::<500>::parse_optional(&format!("guidance_{}", s.code()), typed)) {
                items.push(OutlineItem { section: *s, guidance: g.map(|g| g.into_string()).unwrap_or_default() });
            }
        }
        if self.sections.is_empty() {
            e.push(FieldError::new(
                "sections",
                "none",
                "报告提纲至少要有一个部分。",
                "The outline asks for at least one section.",
            ));
        }
        if e.is_empty() { Ok(Outline(items)) } else { Err(e) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(codes: &[&str], guidance: &[(&str, &str)]) -> OutlineInput {
        OutlineInput {
            sections: codes.iter().map(|c| (*c).to_owned()).collect(),
            guidance: guidance.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect(),
        }
    }

    #[test]
    fn the_default_asks_for_the_plans_seven_sections() {
        let o = Outline::default();
        assert_eq!(o.sections().collect::<Vec<_>>(), Section::ALL.to_vec());
        assert_eq!(o.guidance(Section::Problems), Some(""));
    }

    #[test]
    fn sections_keep_the_plans_order_whatever_order_they_are_typed_in() {
        let o =
            input(&["next_steps", "basics"], &[("basics", "  写明线索总数 "), ("problems", "不用")]).parse().unwrap();
        assert_eq!(o.sections().collect::<Vec<_>>(), vec![Section::Basics, Section::NextSteps]);
        assert_eq!(o.guidance(Section::Basics), Some("写明线索总数"));
        // Guidance for a section not asked for is not kept.
        assert_eq!(o.guidance(Section::Problems), None);
        assert_eq!(OutlineInput::of(&o).parse().unwrap(), o);
    }

    #[test]
    fn an_empty_outline_an_unknown_section_or_long_guidance_is_refused() {
        let fields = |i: OutlineInput| i.parse().unwrap_err().0.iter().map(|f| f.code).collect::<Vec<_>>();
        assert_eq!(fields(input(&[], &[])), vec!["none"]);
        assert_eq!(fields(input(&["basics", "gossip"], &[])), vec!["unknown"]);
        let long = "字".repeat(501);
        assert_eq!(fields(input(&["basics"], &[("basics", &long)])), vec!["too_long"]);
    }

    #[test]
    fn a_report_under_an_outline_keeps_only_the_sections_asked_for() {
        let o = input(&["clearance", "problems"], &[]).parse().unwrap();
        let mut r = ReportInput::default();
        for (k, v) in [("basics", "不要"), ("clearance", "已清零"), ("problems", "")] {
            r.sections.insert(k.into(), v.into());
        }
        let s = o.parse_report(&r).unwrap();
        assert_eq!(s, vec![(Section::Clearance, "已清零".to_owned()), (Section::Problems, String::new())]);
        assert_eq!(o.check_report(&s), Ok(()));
        // Saved under the plan's seven sections, it is saved again before it is signed.
        let old = ReportInput::default().parse().unwrap();
        assert_eq!(o.check_report(&old).unwrap_err().code, "outline_changed");
    }
}

//! Early intervention on incipient problems (抓早抓小, seed 二(六)): who, what and from where,
//! the intervention given (提醒谈话, 批评教育, 责令检查, 诫勉) with its date and who gave it, the
//! follow-up, and — if it grows into one — the lead it became. Counted per unit.

use time::Date;

use crate::{
    FieldError, Invalid,
    dates::parse_date,
    labelled_enum,
    text::{Line, Name, Prose},
};

labelled_enum!(
    /// The intervention given, from the lightest.
    Intervention {
        Reminder = ("reminder", "提醒谈话", "Reminder talk"),
        Criticism = ("criticism", "批评教育", "Criticism and education"),
        SelfExamination = ("self_examination", "责令检查", "Ordered to examine themselves"),
        Admonition = ("admonition", "诫勉", "Admonition"),
    }
);

labelled_enum!(
    /// Where the problem came to light.
    WarningSource {
        Reports = ("reports", "信访举报", "Reports from the public"),
        DailySupervision = ("daily_supervision", "日常监督", "Daily supervision"),
        AuditTour = ("audit_tour", "审计巡察", "Audit or inspection tour"),
        Other = ("other", "其他", "Other"),
    }
);

/// An early warning as typed.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct EarlyWarningInput {
    pub unit_id: String,
    /// The person it concerns.
    pub person: String,
    pub post: String,
    /// The incipient problem.
    pub problem: String,
    pub source: String,
    pub intervention: String,
    /// YYYY-MM-DD, not after today.
    pub given_on: String,
    pub given_by: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EarlyWarning {
    pub person: Name,
    pub post: String,
    pub problem: Prose<2000>,
    pub source: WarningSource,
    pub intervention: Intervention,
    pub given_on: Date,
    pub given_by: Line,
}

impl EarlyWarningInput {
    pub fn parse(&self, today: Date) -> Result<EarlyWarning, Invalid> {
        let mut e = Invalid::default();
        let person = e.take(Name::parse("person", &self.person));
        let post = e.take(Line::parse_optional("post", &self.post));
        let problem = e.take(Prose::parse("problem", &self.problem));
        let source = e.take(WarningSource::parse("source", &self.source));
        let intervention = e.take(Intervention::parse("intervention", &self.intervention));
        let given_on = e.take(parse_date("given_on", &self.given_on).and_then(|d| {
            if d > today {
                Err(FieldError::new("given_on", "future", "日期不能晚于今天。", "The date cannot be after today."))
            } else {
                Ok(d)
            }
        }));
        let given_by = e.take(Line::parse("given_by", &self.given_by));
        match (person, post, problem, source, intervention, given_on, given_by) {
            (
                Some(person),
                Some(post),
                Some(problem),
                Some(source),
                Some(intervention),
                Some(given_on),
                Some(given_by),
            ) if e.is_empty() => Ok(EarlyWarning {
                person,
                post: post.map(|p| p.into_string()).unwrap_or_default(),
                problem,
                source,
                intervention,
                given_on,
                given_by,
            }),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn an_early_warning_names_who_what_where_from_and_the_intervention() {
        let ok = EarlyWarningInput {
            unit_id: "1".into(),
            person: "郑某".into(),
            post: "药剂科副主任".into(),
            problem: "多次接受医药代表宴请".into(),
            source: "daily_supervision".into(),
            intervention: "reminder".into(),
            given_on: "2026-12-01".into(),
            given_by: "纪检监察室 李某".into(),
        };
        let w = ok.parse(date!(2026 - 12 - 07)).unwrap();
        assert_eq!((w.intervention, w.source), (Intervention::Reminder, WarningSource::DailySupervision));
        let future = EarlyWarningInput { given_on: "2026-12-08".into(), ..ok.clone() };
        assert_eq!(future.parse(date!(2026 - 12 - 07)).unwrap_err().0[0].code, "future");
        let blank = EarlyWarningInput::default().parse(date!(2026 - 12 - 07)).unwrap_err();
        let fields: Vec<&str> = blank.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["person", "problem", "source", "intervention", "given_on", "given_by"]);
    }
}

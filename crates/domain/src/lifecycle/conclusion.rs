//! What a conclusion (办结) records: the finding, and per subject the nature, the form (四种形态)
//! and the sanction.

use serde::Serialize;

use crate::{FieldError, Invalid, labelled_enum};

labelled_enum!(
    Finding {
        Confirmed = ("confirmed", "属实", "Confirmed"),
        PartlyConfirmed = ("partly_confirmed", "部分属实", "Partly confirmed"),
        Unfounded = ("unfounded", "查否（失实）", "Unfounded"),
        Unverifiable = ("unverifiable", "无法查实", "Cannot be verified"),
    }
);

labelled_enum!(
    Nature {
        Disciplinary = ("disciplinary", "违纪", "Breach of discipline"),
        Illegal = ("illegal", "违法", "Breach of law"),
        Criminal = ("criminal", "涉嫌犯罪", "Suspected crime"),
        NoViolation = ("no_violation", "不构成违纪违法", "No breach"),
    }
);

labelled_enum!(
    Sanction {
        Criticism = ("criticism", "批评教育", "Criticism and education"),
        Admonition = ("admonition", "诫勉", "Admonition"),
        PartyWarning = ("party_warning", "党纪警告", "Party warning"),
        PartySerious = ("party_serious", "党纪严重警告", "Serious Party warning"),
        PartyRemoval = ("party_removal", "撤销党内职务", "Removal from Party posts"),
        PartyProbation = ("party_probation", "留党察看", "Party probation"),
        PartyExpulsion = ("party_expulsion", "开除党籍", "Expulsion from the Party"),
        GovernmentSanction = ("government_sanction", "政务处分", "Government sanction"),
        OrganisationalMeasure = ("organisational_measure", "组织处理", "Organisational measure"),
        Prosecution = ("prosecution", "移送司法机关", "Referred for prosecution"),
    }
);

labelled_enum!(
    /// 四种形态 (the four forms of supervision and discipline), recorded per subject; the code
    /// is the form's number.
    FourForms {
        First = ("1", "第一种形态", "First form"),
        Second = ("2", "第二种形态", "Second form"),
        Third = ("3", "第三种形态", "Third form"),
        Fourth = ("4", "第四种形态", "Fourth form"),
    }
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct SubjectOutcome {
    pub ordinal: usize,
    pub nature: Nature,
    /// 四种形态, 1–4; required unless there was no breach.
    pub form: Option<u8>,
    pub sanction: Option<Sanction>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Conclusion {
    pub finding: Finding,
    pub outcomes: Vec<SubjectOutcome>,
}

/// A conclusion as submitted.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ConclusionInput {
    pub finding: String,
    /// Per subject in order: (nature, form, sanction) codes.
    pub outcomes: Vec<(String, String, String)>,
}

impl ConclusionInput {
    pub fn parse(&self, subjects: usize) -> Result<Conclusion, Invalid> {
        let mut e = Invalid::default();
        let finding = e.take(Finding::parse("finding", &self.finding));
        let mut outcomes = Vec::new();
        for i in 0..subjects {
            let (nature, form, sanction) = self.outcomes.get(i).cloned().unwrap_or_default();
            let f = |name: &str| format!("outcomes[{i}].{name}");
            let Some(nature) = e.take(Nature::parse(&f("nature"), &nature)) else { continue };
            let form = match form.trim() {
                "" if nature == Nature::NoViolation => None,
                "" => {
                    e.push(FieldError::new(f("form"), "required", "请选择四种形态。", "Choose the form (1–4)."));
                    None
                }
                s => match s.parse::<u8>() {
                    Ok(n @ 1..=4) => Some(n),
                    _ => {
                        e.push(FieldError::new(
                            f("form"),
                            "out_of_range",
                            "四种形态为 1 至 4。",
                            "The form is 1 to 4.",
                        ));
                        None
                    }
                },
            };
            let sanction =
                if sanction.trim().is_empty() { None } else { e.take(Sanction::parse(&f("sanction"), &sanction)) };
            outcomes.push(SubjectOutcome { ordinal: i, nature, form, sanction });
        }
        let finding = finding.unwrap_or(Finding::Unverifiable);
        e.into_result(|| Conclusion { finding, outcomes })
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conclusions_need_a_finding_and_per_subject_outcomes() {
        let c = ConclusionInput::default().parse(1).unwrap_err();
        let fields: Vec<_> = c.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["finding", "outcomes[0].nature"]);
        let ok = ConclusionInput {
            finding: "confirmed".into(),
            outcomes: vec![
                ("disciplinary".into(), "2".into(), "party_warning".into()),
                ("no_violation".into(), "".into(), "".into()),
            ],
        }
        .parse(2)
        .unwrap();
        assert_eq!(ok.outcomes[0].form, Some(2));
        assert_eq!(ok.outcomes[1].form, None);
        let bad =
            ConclusionInput { finding: "confirmed".into(), outcomes: vec![("illegal".into(), "5".into(), "".into())] };
        assert_eq!(bad.parse(1).unwrap_err().0[0].code, "out_of_range");
        let missing =
            ConclusionInput { finding: "confirmed".into(), outcomes: vec![("illegal".into(), "".into(), "".into())] };
        assert_eq!(missing.parse(1).unwrap_err().0[0].code, "required");
    }
}

//! Accountability (问责, seed 四(一)): against a unit's party organisation or a person, on a
//! ground the work plan names, in one of the forms, by a decision with its date and document
//! number, and from a source (a review returned, a bulletin, a rectification overdue, a lead).
//! Counted per unit and period.

use time::Date;

use crate::{
    FieldError, Invalid,
    dates::parse_date,
    labelled_enum,
    text::{Line, Name},
};

labelled_enum!(
    /// Who is held accountable.
    AccountabilityTarget {
        Organisation = ("organisation", "党组织", "The party organisation"),
        Person = ("person", "个人", "A person"),
    }
);

labelled_enum!(
    /// The ground (seed 四(一)).
    AccountabilityGround {
        WeakPush = ("weak_push", "工作推进不力", "The work pushed weakly"),
        GangsNotFought = ("gangs_not_fought", "有黑不打", "Organised crime present and not fought"),
        EvilNotRemoved = ("evil_not_removed", "有恶不除", "Vice present and not removed"),
        WeakHandling = ("weak_handling", "查处不力", "Leads handled weakly"),
        PublicOutcry = ("public_outcry", "群众反映强烈", "Strong public complaints"),
        Other = ("other", "其他", "Other"),
    }
);

labelled_enum!(
    /// The form, from the lightest.
    AccountabilityForm {
        Inspection = ("inspection", "检查", "Written examination"),
        Notice = ("notice", "通报", "Circulated notice"),
        Admonition = ("admonition", "诫勉", "Admonition"),
        Organisational = ("organisational", "组织调整或组织处理", "Organisational adjustment or handling"),
        Disciplinary = ("disciplinary", "纪律处分", "Disciplinary sanction"),
    }
);

labelled_enum!(
    /// What it came from.
    AccountabilitySource {
        Review = ("review", "复审退回重查", "A review returned"),
        Bulletin = ("bulletin", "通报", "A bulletin"),
        Rectification = ("rectification", "整改逾期", "A rectification overdue"),
        Lead = ("lead", "问题线索", "A lead"),
    }
);

/// An accountability decision as typed.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct AccountabilityInput {
    pub target: String,
    pub unit_id: String,
    /// The person held accountable (for `person`).
    pub person: String,
    pub ground: String,
    pub form: String,
    /// YYYY-MM-DD, not after today.
    pub decided_on: String,
    pub doc_no: String,
    pub source: String,
    /// The source's reference: a review's or rectification's id, a lead's number, a bulletin's title.
    pub source_ref: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accountability {
    pub target: AccountabilityTarget,
    pub person: String,
    pub ground: AccountabilityGround,
    pub form: AccountabilityForm,
    pub decided_on: Date,
    pub doc_no: Line,
    pub source: AccountabilitySource,
    pub source_ref: String,
}

impl AccountabilityInput {
    pub fn parse(&self, today: Date) -> Result<Accountability, Invalid> {
        let mut e = Invalid::default();
        let target = e.take(AccountabilityTarget::parse("target", &self.target));
        let person = match target {
            Some(AccountabilityTarget::Person) => e.take(Name::parse("person", &self.person)).map(|p| p.into_string()),
            _ => Some(String::new()),
        };
        let ground = e.take(AccountabilityGround::parse("ground", &self.ground));
        let form = e.take(AccountabilityForm::parse("form", &self.form));
        let decided_on = e.take(parse_date("decided_on", &self.decided_on).and_then(|d| {
            if d > today {
                Err(FieldError::new("decided_on", "future", "日期不能晚于今天。", "The date cannot be after today."))
            } else {
                Ok(d)
            }
        }));
        let doc_no = e.take(Line::parse("doc_no", &self.doc_no));
        let source = e.take(AccountabilitySource::parse("source", &self.source));
        let source_ref = e.take(Line::parse("source_ref", &self.source_ref));
        match (target, person, ground, form, decided_on, doc_no, source, source_ref) {
            (
                Some(target),
                Some(person),
                Some(ground),
                Some(form),
                Some(decided_on),
                Some(doc_no),
                Some(source),
                Some(r),
            ) if e.is_empty() => Ok(Accountability {
                target,
                person,
                ground,
                form,
                decided_on,
                doc_no,
                source,
                source_ref: r.into_string(),
            }),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn typed() -> AccountabilityInput {
        AccountabilityInput {
            target: "organisation".into(),
            unit_id: "3".into(),
            person: String::new(),
            ground: "weak_handling".into(),
            form: "notice".into(),
            decided_on: "2026-12-01".into(),
            doc_no: "卫纪发〔2026〕7号".into(),
            source: "review".into(),
            source_ref: "12".into(),
        }
    }

    #[test]
    fn a_unit_is_held_accountable_without_a_person_a_person_with_their_name() {
        let today = date!(2026 - 12 - 07);
        let a = typed().parse(today).unwrap();
        assert_eq!(
            (a.target, a.person.as_str(), a.form),
            (AccountabilityTarget::Organisation, "", AccountabilityForm::Notice)
        );
        let nameless = AccountabilityInput { target: "person".into(), ..typed() };
        assert_eq!(nameless.parse(today).unwrap_err().0[0].field, "person");
        let named = AccountabilityInput { target: "person".into(), person: "孙某某".into(), ..typed() };
        assert_eq!(named.parse(today).unwrap().person, "孙某某");
        let later = AccountabilityInput { decided_on: "2026-12-08".into(), ..typed() };
        assert_eq!(later.parse(today).unwrap_err().0[0].code, "future");
        assert_eq!(AccountabilityInput::default().parse(today).unwrap_err().0.len(), 7);
    }
}

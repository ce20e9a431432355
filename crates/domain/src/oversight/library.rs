//! The libraries (seed 四(三)): typical cases written by the committee from concluded cases,
//! anonymised; good practices of the units; and the warning-education events that use them.
//! Published entries are read by every unit's users.

use time::Date;

use crate::{
    FieldError, Invalid,
    dates::parse_date,
    labelled_enum,
    ledger::lead::Category,
    text::{Line, Prose},
};

labelled_enum!(
    /// How a warning-education event was held.
    EducationForm {
        Meeting = ("meeting", "警示教育大会", "Warning-education meeting"),
        Film = ("film", "观看警示教育片", "Warning-education film"),
        Visit = ("visit", "参观警示教育基地", "Visit to a warning-education base"),
        CaseTalk = ("case_talk", "以案说法", "A case explained"),
        Other = ("other", "其他", "Other"),
    }
);

/// A typical case as typed by the committee.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct CaseInput {
    pub title: String,
    pub category: String,
    /// The concluded lead it is written from (its number), if any.
    pub lead: String,
    /// The case told without the names of the persons involved.
    pub text: String,
    pub lessons: String,
    pub publish: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypicalCase {
    pub title: Line,
    pub category: Category,
    pub text: Prose<8000>,
    pub lessons: Prose<4000>,
    pub publish: bool,
}

impl CaseInput {
    /// `names`: the persons the source lead names; none of them may appear in the text or the
    /// lessons (the library is read by every unit).
    pub fn parse(&self, names: &[String]) -> Result<TypicalCase, Invalid> {
        let mut e = Invalid::default();
        let title = e.take(Line::parse("title", &self.title));
        let category = e.take(Category::parse("category", &self.category));
        let text = e.take(Prose::parse("text", &self.text));
        let lessons = e.take(Prose::parse("lessons", &self.lessons));
        for (field, value) in [("title", &self.title), ("text", &self.text), ("lessons", &self.lessons)] {
            if let Some(n) = names.iter().find(|n| n.chars().count() >= 2 && value.contains(n.as_str())) {
                e.push(FieldError::new(
                    field,
                    "not_anonymised",
                    format!("典型案例须隐去当事人姓名（发现“{n}”）。"),
                    format!("A typical case leaves out the names of those involved (found \"{n}\")."),
                ));
            }
        }
        match (title, category, text, lessons) {
            (Some(title), Some(category), Some(text), Some(lessons)) if e.is_empty() => {
                Ok(TypicalCase { title, category, text, lessons, publish: self.publish })
            }
            _ => Err(e),
        }
    }
}

/// A good practice as typed by a unit.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct PracticeInput {
    pub unit_id: String,
    pub title: String,
    /// YYYY-MM-DD, not after today.
    pub practised_on: String,
    pub text: String,
    pub publish: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Practice {
    pub title: Line,
    pub practised_on: Date,
    pub text: Prose<8000>,
    pub publish: bool,
}

fn not_after(field: &str, input: &str, today: Date) -> Result<Date, FieldError> {
    parse_date(field, input).and_then(|d| {
        if d > today {
            Err(FieldError::new(field, "future", "日期不能晚于今天。", "The date cannot be after today."))
        } else {
            Ok(d)
        }
    })
}

impl PracticeInput {
    pub fn parse(&self, today: Date) -> Result<Practice, Invalid> {
        let mut e = Invalid::default();
        let title = e.take(Line::parse("title", &self.title));
        let practised_on = e.take(not_after("practised_on", &self.practised_on, today));
        let text = e.take(Prose::parse("text", &self.text));
        match (title, practised_on, text) {
            (Some(title), Some(practised_on), Some(text)) => {
                Ok(Practice { title, practised_on, text, publish: self.publish })
            }
            _ => Err(e),
        }
    }
}

/// A warning-education event as typed.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct EducationInput {
    pub unit_id: String,
    /// YYYY-MM-DD, not after today.
    pub held_on: String,
    pub form: String,
    /// How many attended.
    pub attendance: String,
    /// The typical case used (its id), if any.
    pub case: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Education {
    pub held_on: Date,
    pub form: EducationForm,
    pub attendance: u32,
}

impl EducationInput {
    pub fn parse(&self, today: Date) -> Result<Education, Invalid> {
        let mut e = Invalid::default();
        let held_on = e.take(not_after("held_on", &self.held_on, today));
        let form = e.take(EducationForm::parse("form", &self.form));
        let attendance =
            e.take(self.attendance.trim().parse::<u32>().ok().filter(|n| (1..=100_000).contains(n)).ok_or_else(|| {
                FieldError::new(
                    "attendance",
                    "invalid",
                    "参加人数应为正整数。",
                    "Attendance is a whole number above 0.",
                )
            }));
        match (held_on, form, attendance) {
            (Some(held_on), Some(form), Some(attendance)) => Ok(Education { held_on, form, attendance }),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_typical_case_leaves_out_the_names_the_lead_holds() {
        let input = CaseInput {
            title: "某医院设备科科长收受回扣案".into(),
            category: "gang_corruption".into(),
            lead: String::new(),
            text: "某医院设备科科长褚某某在设备采购中收受回扣。".into(),
            lessons: "采购权力须分散制衡。".into(),
            publish: true,
        };
        let names = vec!["褚某某".to_owned(), "卫".to_owned()];
        let refused = input.parse(&names).unwrap_err();
        assert_eq!((refused.0[0].field.as_str(), refused.0[0].code), ("text", "not_anonymised"));
        let anonymised = CaseInput {
            text: "某医院设备科科长褚某在设备采购中收受回扣。".replace("褚某", "C某"),
            ..input
        };
        assert!(anonymised.parse(&names).unwrap().publish, "a one-character name is not looked for");
    }

    #[test]
    fn a_practice_and_an_education_event_are_dated_up_to_today() {
        let today = date!(2026 - 12 - 07);
        let p = PracticeInput {
            unit_id: "1".into(),
            title: "采购“双人双锁”".into(),
            practised_on: "2026-12-08".into(),
            text: "采购询价由两人共同完成".into(),
            publish: false,
        };
        assert_eq!(p.parse(today).unwrap_err().0[0].code, "future");
        let e = EducationInput {
            unit_id: "1".into(),
            held_on: "2026-12-01".into(),
            form: "meeting".into(),
            attendance: "0".into(),
            case: String::new(),
        };
        assert_eq!(e.parse(today).unwrap_err().0[0].field, "attendance");
        assert_eq!(EducationInput { attendance: "120".into(), ..e }.parse(today).unwrap().attendance, 120);
    }
}

//! A reporter's objection (异议) to the result: recorded and answered; new material the reporter
//! brings is checked, and may reopen the lead by the normal transition (domain rules §1.8:
//! "objections are recorded and answered; new evidence must be checked").

use time::Date;

use crate::{
    FieldError, Invalid,
    dates::parse_past_date,
    labelled_enum,
    reporters::feedback::ContactMethod,
    text::{Name, Prose},
};

labelled_enum!(
    ObjectionState {
        Open = ("open", "待答复", "Awaiting an answer"),
        Upheld = ("upheld", "已答复，维持原结论", "Answered: the conclusion stands"),
        Reopened = ("reopened", "已答复，重新核查", "Answered: the lead is re-checked"),
    }
);

impl ObjectionState {
    pub const fn is_open(self) -> bool {
        matches!(self, ObjectionState::Open)
    }
}

#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ObjectionInput {
    /// YYYY-MM-DD, not after today nor before the closure.
    pub received_on: String,
    /// phone, letter, in_person or portal.
    pub method: String,
    /// What the reporter objects to.
    pub content: String,
    /// Whether the reporter brought new material ("on", "true" or "1").
    pub new_material: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Objection {
    pub received_on: Date,
    pub method: ContactMethod,
    pub content: Prose<2000>,
    pub new_material: bool,
}

fn checked(input: &str) -> bool {
    matches!(input.trim(), "on" | "true" | "1" | "yes")
}

impl ObjectionInput {
    pub fn parse(&self, closed_on: Option<Date>, today: Date) -> Result<Objection, Invalid> {
        let Some(closed_on) = closed_on else {
            return Err(Invalid::one(FieldError::new(
                "content",
                "not_concluded",
                "线索办结或予以了结后，举报人才能对结果提出异议。",
                "A reporter objects to the result once the lead is concluded or settled.",
            )));
        };
        let mut e = Invalid::default();
        let received_on = e.take(parse_past_date("received_on", &self.received_on, today).and_then(|d| {
            if d < closed_on {
                Err(FieldError::new(
                    "received_on",
                    "too_early",
                    "收到异议的日期早于办结日期。",
                    "The objection is dated before the closure.",
                ))
            } else {
                Ok(d)
            }
        }));
        let method = e.take(ContactMethod::parse("method", &self.method));
        let content = e.take(Prose::parse("content", &self.content));
        match (received_on, method, content) {
            (Some(received_on), Some(method), Some(content)) if e.is_empty() => {
                Ok(Objection { received_on, method, content, new_material: checked(&self.new_material) })
            }
            _ => Err(e),
        }
    }
}

#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct AnswerInput {
    /// YYYY-MM-DD, not after today nor before the objection came in.
    pub answered_on: String,
    /// upheld (the conclusion stands) or reopened (re-checked: the lead reopens).
    pub outcome: String,
    /// The answer given to the reporter.
    pub answer: String,
    /// How the new material was checked (required when there was some).
    pub material_checked: String,
    /// Who answered; the recorder when blank.
    pub given_by: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub answered_on: Date,
    pub outcome: ObjectionState,
    pub answer: Prose<2000>,
    pub material_checked: Option<Prose<2000>>,
    pub given_by: Option<Name>,
}

impl AnswerInput {
    pub fn parse(&self, objection: &Objection, state: ObjectionState, today: Date) -> Result<Answer, Invalid> {
        if !state.is_open() {
            return Err(Invalid::one(FieldError::new(
                "answer",
                "answered",
                "该异议已经答复。",
                "The objection has been answered.",
            )));
        }
        let mut e = Invalid::default();
        let answered_on = e.take(parse_past_date("answered_on", &self.answered_on, today).and_then(|d| {
            if d < objection.received_on {
                Err(FieldError::new(
                    "answered_on",
                    "too_early",
                    "答复日期早于收到异议的日期。",
                    "The answer is dated before the objection came in.",
                ))
            } else {
                Ok(d)
            }
        }));
        let outcome = e.take(
            ObjectionState::parse("outcome", &self.outcome)
                .and_then(|s| if s.is_open() { Err(FieldError::required("outcome")) } else { Ok(s) }),
        );
        let answer = e.take(Prose::parse("answer", &self.answer));
        let material_checked = e.take(Prose::<2000>::parse_optional("material_checked", &self.material_checked));
        if objection.new_material && material_checked.as_ref().is_some_and(Option::is_none) {
            e.push(FieldError::new(
                "material_checked",
                "material_unchecked",
                "举报人提供了新材料，须写明核查情况。",
                "The reporter brought new material: say how it was checked.",
            ));
        }
        let given_by = e.take(Name::parse_optional("given_by", &self.given_by));
        match (answered_on, outcome, answer, material_checked, given_by) {
            (Some(answered_on), Some(outcome), Some(answer), Some(material_checked), Some(given_by))
                if e.is_empty() =>
            {
                Ok(Answer { answered_on, outcome, answer, material_checked, given_by })
            }
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2019 - 12 - 02);

    fn codes<T>(r: Result<T, Invalid>) -> Vec<&'static str> {
        r.err().map(|e| e.0.into_iter().map(|f| f.code).collect()).unwrap_or_default()
    }

    fn objection(new_material: &str) -> ObjectionInput {
        ObjectionInput {
            received_on: "2019-11-25".into(),
            method: "letter".into(),
            content: "对查否结论有异议，补充了转账记录".into(),
            new_material: new_material.into(),
        }
    }

    #[test]
    fn an_objection_follows_the_closure() {
        assert_eq!(codes(objection("").parse(None, TODAY)), ["not_concluded"]);
        assert_eq!(codes(objection("").parse(Some(date!(2019 - 11 - 26)), TODAY)), ["too_early"]);
        let o = objection("on").parse(Some(date!(2019 - 11 - 20)), TODAY).unwrap();
        assert!(o.new_material);
        assert!(!objection("").parse(Some(date!(2019 - 11 - 20)), TODAY).unwrap().new_material);
        let mut blank = objection("");
        blank.content = "  ".into();
        assert_eq!(codes(blank.parse(Some(date!(2019 - 11 - 20)), TODAY)), ["required"]);
    }

    #[test]
    fn new_material_is_checked_before_the_answer_and_an_answer_is_given_once() {
        let o = objection("on").parse(Some(date!(2019 - 11 - 20)), TODAY).unwrap();
        let mut a = AnswerInput {
            answered_on: "2019-11-28".into(),
            outcome: "upheld".into(),
            answer: "经复核，原结论正确".into(),
            ..Default::default()
        };
        assert_eq!(codes(a.parse(&o, ObjectionState::Open, TODAY)), ["material_unchecked"]);
        a.material_checked = "调取转账记录核对，与反映问题无关".into();
        assert_eq!(a.parse(&o, ObjectionState::Open, TODAY).unwrap().outcome, ObjectionState::Upheld);
        assert_eq!(codes(a.parse(&o, ObjectionState::Upheld, TODAY)), ["answered"]);
        a.outcome = "open".into();
        assert_eq!(codes(a.parse(&o, ObjectionState::Open, TODAY)), ["required"], "an answer decides");
        a.outcome = "reopened".into();
        a.answered_on = "2019-11-24".into();
        assert_eq!(codes(a.parse(&o, ObjectionState::Open, TODAY)), ["too_early"]);
    }
}

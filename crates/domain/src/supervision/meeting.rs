//! Collective study meetings (集体研判): attendees, the leads discussed and each decision.

use crate::{FieldError, Invalid, text::Text};

/// A collective study meeting (集体研判) as submitted: the leads discussed are given by
/// number, one per line, each followed by the decision after a colon.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct MeetingInput {
    #[schema(format = Date, pattern = r"^\d{4}-\d{2}-\d{2}$")]
    pub held_on: String,
    #[schema(min_length = 1, max_length = 120)]
    pub title: String,
    #[schema(min_length = 1, max_length = 500)]
    pub attendees: String,
    #[schema(min_length = 1)]
    pub items: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meeting {
    pub held_on: time::Date,
    pub title: String,
    pub attendees: String,
    /// (lead number, decision)
    pub items: Vec<(crate::ledger::lead_no::LeadNo, String)>,
}

impl MeetingInput {
    pub fn parse(&self, today: time::Date) -> Result<Meeting, Invalid> {
        let mut e = Invalid::default();
        let held_on = e.take(crate::dates::parse_date("held_on", &self.held_on).and_then(|d| {
            if d > today {
                Err(FieldError::new(
                    "held_on",
                    "future_date",
                    "会议日期不能晚于今天。",
                    "The meeting cannot be in the future.",
                ))
            } else {
                Ok(d)
            }
        }));
        let title = e.take(Text::<120>::parse("title", &self.title));
        let attendees = e.take(Text::<500>::parse("attendees", &self.attendees));
        let mut items = Vec::new();
        for (i, line) in self.items.lines().map(str::trim).filter(|l| !l.is_empty()).enumerate() {
            let (no, decision) = line.split_once(['：', ':']).unwrap_or((line, ""));
            match (crate::ledger::lead_no::LeadNo::parse(no.trim()), Text::<500>::parse("items", decision)) {
                (Some(no), Ok(_)) if items.iter().any(|(n, _)| *n == no) => e.push(FieldError::new(
                    "items",
                    "repeated_item",
                    format!("第 {} 行的线索 {} 已在前面列出，每件线索只列一次。", i + 1, no.as_str()),
                    format!("Line {}: lead {} is listed already; list each lead once.", i + 1, no.as_str()),
                )),
                (Some(no), Ok(d)) => items.push((no, d.into_string())),
                _ => e.push(FieldError::new(
                    "items",
                    "invalid_item",
                    format!("第 {} 行应为“线索编号：研判意见”。", i + 1),
                    format!("Line {} should read \"lead number: decision\".", i + 1),
                )),
            }
        }
        if items.is_empty() && e.is_empty() {
            e.push(FieldError::new(
                "items",
                "required",
                "请至少填写一件研判的线索。",
                "List at least one lead discussed.",
            ));
        }
        let (Some(held_on), Some(title), Some(attendees)) = (held_on, title, attendees) else { return Err(e) };
        e.into_result(|| Meeting { held_on, title: title.into_string(), attendees: attendees.into_string(), items })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meetings_list_leads_with_decisions() {
        let today = time::macros::date!(2019 - 11 - 28);
        let m = MeetingInput {
            held_on: "2019-11-20".into(),
            title: "第三次集体研判会".into(),
            attendees: "钱某、周某某、李某".into(),
            items: "ZWJ-2019-0001：初步核实\nYYA-2019-0002: 谈话函询\n".into(),
        }
        .parse(today)
        .unwrap();
        assert_eq!(m.items.len(), 2);
        assert_eq!(m.items[1].1, "谈话函询");
        let bad = MeetingInput { held_on: "2019-12-01".into(), items: "not a number：x".into(), ..Default::default() };
        let codes: Vec<_> = bad.parse(today).unwrap_err().0.iter().map(|e| e.code).collect();
        assert!(codes.contains(&"future_date") && codes.contains(&"invalid_item"), "{codes:?}");
    }

    #[test]
    fn a_lead_is_listed_once() {
        let m = MeetingInput {
            held_on: "2019-11-20".into(),
            title: "研判会".into(),
            attendees: "钱某".into(),
            items: "ZWJ-2019-0001：初步核实\nZWJ-2019-0001：谈话函询".into(),
        };
        let errors = m.parse(time::macros::date!(2019 - 11 - 28)).unwrap_err().0;
        assert_eq!(errors[0].code, "repeated_item");
        assert!(errors[0].message_zh.contains("第 2 行"));
    }
}

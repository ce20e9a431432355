//! The 说明 of an audit entry in people's words. Entries keep the short facts their action
//! wrote when it happened ("lead 3, 15 days", "handlers: 6,7"): they are part of the hash
//! chain and never rewritten, so the words are made when the trail is read. A detail this
//! release does not know is shown as written.

use crate::ledger::lead::HandlingMode;
use crate::lifecycle::{follow_up::FollowUp, inquiry::InquiryEvent, step::Step, timeline::ReportStage};
use crate::reporters::ReporterKind;
use crate::supervision::ownership::KeyKind;

/// The accounts a detail names by id, so that the reader can look their names up first.
pub fn people_in(action: &str, detail: &str) -> Vec<i64> {
    match action {
        "lead.assign" => {
            detail.strip_prefix("handlers: ").map(|ids| ids.split(',').filter_map(|i| i.trim().parse().ok()).collect())
        }
        "lead.own" => detail.rsplit_once("→ user ").and_then(|(_, id)| id.trim().parse().ok()).map(|id| vec![id]),
        _ => None,
    }
    .unwrap_or_default()
}

/// A count before a word ("12 leads") as the number.
fn count(detail: &str, word: &str) -> Option<u64> {
    detail.strip_suffix(word)?.trim().parse().ok()
}

/// The detail in the reader's language; `person` names an account by id.
pub fn readable_detail(action: &str, detail: &str, en: bool, person: impl Fn(i64) -> Option<String>) -> String {
    let name = |id: i64| person(id).unwrap_or_else(|| format!("#{id}"));
    let said = match action {
        "extension.request" => detail
            .rsplit_once(", ")
            .and_then(|(_, days)| count(days, "days"))
            .map(|n| if en { format!("{n} days") } else { format!("延期 {n} 天") }),
        "lead.assign" => detail.strip_prefix("handlers: ").map(|_| {
            let names: Vec<String> = people_in(action, detail).into_iter().map(name).collect();
            if en { format!("Handlers: {}", names.join(", ")) } else { format!("承办人：{}", names.join("、")) }
        }),
        "lead.own" => detail.split_once(" → user ").and_then(|(kind, id)| {
            let kind = KeyKind::from_code(kind.trim())?.label(en);
            let who = name(id.trim().parse().ok()?);
            Some(if en { format!("{kind}, owned by {who}") } else { format!("{kind}，包案领导 {who}") })
        }),
        "lead.order" => detail.strip_prefix("order ").and_then(|r| r.split_once(", due ")).map(|(n, due)| {
            if en { format!("Order {n}, reply by {due}") } else { format!("督办单 {n}，{due} 前回复") }
        }),
        "lead.order_report" => detail.strip_prefix("order ").and_then(|r| r.split_once(": ")).and_then(|(n, s)| {
            let stage = ReportStage::from_code(s.trim())?.label(en);
            Some(if en { format!("Order {n}: {stage}") } else { format!("督办单 {n}：{stage}") })
        }),
        "lead.move" => detail
            .split_once(':')
            .and_then(|(mode, _)| HandlingMode::from_code(mode.trim()))
            .map(|m| m.label(en).to_owned()),
        "lead.move_proposed" => Some(HandlingMode::Escalated.label(en).to_owned()),
        "lead.follow_up" => FollowUp::from_code(detail.trim()).map(|k| k.label(en).to_owned()),
        "lead.inquiry_event" => detail
            .split_once(' ')
            .and_then(|(event, on)| Some(format!("{} {on}", InquiryEvent::from_code(event)?.label(en)))),
        "lead.create" => detail
            .strip_prefix("reporter: ")
            .and_then(|k| ReporterKind::from_code(k.trim()))
            .map(|k| if en { format!("Reporter: {}", k.label(en)) } else { format!("反映人：{}", k.label(en)) }),
        "session.login" => detail.split_once("; client ").map(|(kind, from)| match (kind, en) {
            ("api", true) => format!("API, from {from}"),
            ("api", false) => format!("接口登录，来自 {from}"),
            (_, true) => format!("Browser, from {from}"),
            (_, false) => format!("网页登录，来自 {from}"),
        }),
        "token.create" => detail.rsplit_once("; ").and_then(|(token, days)| {
            let n = count(days, "days")?;
            Some(if en { format!("{token}, {n} days") } else { format!("{token}，{n} 天") })
        }),
        "meeting.record" | "deadline.recompute" => {
            count(detail, "leads").map(|n| if en { format!("{n} leads") } else { format!("{n} 件线索") })
        }
        "campaign.create" => count(detail, "leads taken in")
            .map(|n| if en { format!("{n} leads taken in") } else { format!("纳入 {n} 件线索") }),
        "calendar.load" => count(detail, "days").map(|n| if en { format!("{n} days") } else { format!("{n} 天") }),
        "audit.export" => {
            count(detail, "rows").map(|n| if en { format!("{n} entries") } else { format!("{n} 条记录") })
        }
        "warnings.scan" => {
            count(detail, "notifications").map(|n| if en { format!("{n} notices") } else { format!("{n} 条提醒") })
        }
        "account.totp_reseal" => {
            count(detail, "accounts").map(|n| if en { format!("{n} accounts") } else { format!("{n} 个账号") })
        }
        // An export wrote JSON: how many leads, and a custodian's reason.
        "ledger.export" | "reporter.export" => serde_json::from_str::<serde_json::Value>(detail).ok().and_then(|v| {
            let n = v["exported"].as_u64()?;
            let leads = if en { format!("{n} leads") } else { format!("{n} 件线索") };
            Some(match v["reason"].as_str() {
                Some(why) if en => format!("{leads}; reason: {why}"),
                Some(why) => format!("{leads}；理由：{why}"),
                None => leads,
            })
        }),
        "demo.load" => {
            count(detail, "demo leads").map(|n| if en { format!("{n} demo leads") } else { format!("{n} 件演示线索") })
        }
        _ => None,
    };
    // Steps and decisions write "<step> (event N)": the step's name says it.
    said.or_else(|| {
        let (code, _) = detail.split_once(" (event ")?;
        Some(match Step::from_code(code) {
            Some(s) => s.label(en).to_owned(),
            None if code == "jurisdiction" => if en { "Jurisdiction" } else { "管辖变更" }.to_owned(),
            None => return None,
        })
    })
    .unwrap_or_else(|| detail.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(id: i64) -> Option<String> {
        match id {
            6 => Some("刘某某".into()),
            7 => Some("陈某某".into()),
            _ => None,
        }
    }

    #[test]
    fn an_export_says_how_many_and_why() {
        let plain = r#"{"filters":{"q":"x"},"exported":12,"on":"2026-12-03"}"#;
        assert_eq!(readable_detail("ledger.export", plain, false, names), "12 件线索");
        let custodian = r#"{"filters":{},"exported":3,"on":"2026-12-03","reason":"向实名举报人反馈"}"#;
        assert_eq!(readable_detail("reporter.export", custodian, false, names), "3 件线索；理由：向实名举报人反馈");
        assert_eq!(readable_detail("reporter.export", custodian, true, names), "3 leads; reason: 向实名举报人反馈");
        assert_eq!(readable_detail("reporter.export", "not json", false, names), "not json");
    }

    #[test]
    fn ids_become_names_and_codes_words() {
        assert_eq!(people_in("lead.assign", "handlers: 6,7"), vec![6, 7]);
        assert_eq!(readable_detail("lead.assign", "handlers: 6,7", false, names), "承办人：刘某某、陈某某");
        assert_eq!(readable_detail("lead.assign", "handlers: 6,9", true, names), "Handlers: 刘某某, #9");
        assert_eq!(readable_detail("extension.request", "lead 3, 15 days", false, names), "延期 15 天");
        assert_eq!(readable_detail("extension.request", "lead 3, 15 days", true, names), "15 days");
        assert_eq!(people_in("lead.own", "key → user 7"), vec![7]);
        assert_eq!(readable_detail("lead.own", "key → user 7", false, names), "重点案件，包案领导 陈某某");
        assert_eq!(
            readable_detail("lead.order", "order 4, due 2027-01-10", false, names),
            "督办单 4，2027-01-10 前回复"
        );
        assert_eq!(readable_detail("lead.order_report", "order 4: first", true, names), "Order 4: First report");
        assert_eq!(readable_detail("lead.step", "dispose (event 12)", false, names), "提出处置意见");
        assert_eq!(readable_detail("audit.export", "120 rows", false, names), "120 条记录");
        assert_eq!(readable_detail("session.login", "browser; client 10.0.0.8", true, names), "Browser, from 10.0.0.8");
    }

    #[test]
    fn what_is_not_known_is_shown_as_written() {
        assert_eq!(readable_detail("reporter.reveal", "向实名举报人反馈", true, names), "向实名举报人反馈");
        assert_eq!(readable_detail("lead.own", "no such kind → user 7", false, names), "no such kind → user 7");
        assert_eq!(readable_detail("lead.step", "unknown_step (event 3)", false, names), "unknown_step (event 3)");
    }
}

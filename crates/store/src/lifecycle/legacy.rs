//! Timeline rows written before the timeline was typed (migration 9): the system's notes were
//! Chinese sentences and payloads a private format. Each is turned into a typed kind, a
//! payload and the person's own words, so that old entries read in either language too.

use domain::{
    LeadId, UnitId,
    dates::parse_date,
    ledger::lead::HandlingMode,
    lifecycle::{
        conclusion::Conclusion,
        timeline::{Activity, EventKind, Payload, ReportStage},
    },
    supervision::ownership::KeyKind,
};

/// A row as the first half of the product stored it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OldRow {
    pub kind: String,
    pub state: String,
    pub note: String,
    pub payload: Option<String>,
    pub decision_note: Option<String>,
}

/// The same row, typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRow {
    pub kind: EventKind,
    pub note: String,
    pub payload: Option<Payload>,
    pub decision_note: Option<String>,
}

/// `text` split at the first `sep`.
fn split<'a>(text: &'a str, sep: &str) -> Option<(&'a str, &'a str)> {
    text.split_once(sep)
}

/// `（依据 2026-11-20 「title」：decision）` at the end of a disposition's note.
fn cited_meeting(note: &str) -> (String, Option<Payload>) {
    let Some(start) = note.rfind("（依据 ") else { return (note.to_owned(), None) };
    let Some(inner) = note[start + "（依据 ".len()..].strip_suffix('）') else { return (note.to_owned(), None) };
    let (date, rest) = split(inner, " ").unwrap_or(("", inner));
    let (title, decision) = match rest.strip_prefix('「').and_then(|r| split(r, "」：")) {
        Some((t, d)) => (t.to_owned(), d.to_owned()),
        None => (rest.to_owned(), String::new()),
    };
    let held_on = parse_date("", date).ok();
    (note[..start].to_owned(), Some(Payload::CitesMeeting { meeting: None, held_on, title, decision }))
}

pub fn convert(old: &OldRow) -> Result<NewRow, String> {
    let note = old.note.clone();
    // The approver's default "同意" was the system's word, not theirs.
    let decision_note = old.decision_note.clone().filter(|n| !n.is_empty() && n != "同意");
    let done = |kind: Activity, note: String, payload: Option<Payload>| NewRow {
        kind: EventKind::Activity(kind),
        note,
        payload,
        decision_note: decision_note.clone(),
    };
    if let Some(kind) = EventKind::from_code(&old.kind).filter(|k| !matches!(k, EventKind::Activity(_))) {
        let (note, payload) = match (kind, old.payload.as_deref()) {
            (EventKind::Step(domain::lifecycle::step::Step::Conclude), Some(json)) => {
                let c: Conclusion = serde_json::from_str(json).map_err(|e| format!("conclusion payload: {e}"))?;
                (note, Some(Payload::Conclusion(c)))
            }
            (EventKind::Step(domain::lifecycle::step::Step::Transfer), Some(body)) => {
                (note, Some(Payload::Transfer { receiving_body: body.to_owned() }))
            }
            (EventKind::Step(domain::lifecycle::step::Step::Merge), Some(id)) => {
                let original = id.trim().parse::<LeadId>().map_err(|_| format!("merge payload {id:?}"))?;
                (note, Some(Payload::Merge { original, number: String::new() }))
            }
            (EventKind::Step(domain::lifecycle::step::Step::Dispose), Some(p)) if p.starts_with("meeting:") => {
                let (note, cited) = cited_meeting(&note);
                let meeting = p["meeting:".len()..].parse::<i64>().ok();
                let cited = cited.map(|c| match c {
                    Payload::CitesMeeting { held_on, title, decision, .. } => {
                        Payload::CitesMeeting { meeting, held_on, title, decision }
                    }
                    other => other,
                });
                (note, cited)
            }
            _ => (note, None),
        };
        return Ok(NewRow { kind, note, payload, decision_note });
    }
    Ok(match old.kind.as_str() {
        "extension" => {
            if let Some(rest) = note.strip_prefix("申请延期 ") {
                let (days, reason) = split(rest, " 天：").ok_or("extension request")?;
                let days = days.parse::<u32>().map_err(|_| "extension days")?;
                done(
                    Activity::ExtensionRequested,
                    reason.to_owned(),
                    Some(Payload::ExtensionRequested { extension: None, days }),
                )
            } else if let Some(rest) = note.strip_prefix("单位主要负责人签字（") {
                let signature = rest.trim_end_matches('）').to_owned();
                done(
                    Activity::ExtensionSigned,
                    String::new(),
                    Some(Payload::ExtensionSigned { extension: None, signature }),
                )
            } else if note == "报委直属机关纪委备案" {
                done(Activity::ExtensionFiled, String::new(), None)
            } else if note == "纪委书记同意延期" {
                done(Activity::ExtensionApproved, String::new(), None)
            } else if note == "纪委书记未同意延期" {
                done(Activity::ExtensionRejected, String::new(), None)
            } else {
                return Err(format!("extension note {note:?}"));
            }
        }
        "order" => {
            let rest = note.strip_prefix("挂牌督办，").ok_or("order note")?;
            let (due, requirement) = split(rest, " 前回复：").ok_or("order note")?;
            let reply_due = parse_date("", due).map_err(|_| "order due date")?;
            done(Activity::Order, requirement.to_owned(), Some(Payload::Order { order: None, reply_due }))
        }
        "report" => {
            let (stage, content) = split(&note, "：").ok_or("report note")?;
            let stage = ReportStage::ALL.iter().copied().find(|s| s.zh() == stage).ok_or("report stage")?;
            done(Activity::Report, content.to_owned(), Some(Payload::Report { order: None, stage }))
        }
        "ownership" => {
            let (kind, leader) = split(&note, "，包案领导：").ok_or("ownership note")?;
            let kind = KeyKind::ALL.iter().copied().find(|k| k.zh() == kind).ok_or("key kind")?;
            done(Activity::Ownership, String::new(), Some(Payload::Ownership { kind, leader: leader.to_owned() }))
        }
        "visit" => {
            let (date, rest) = split(&note, " ").ok_or("visit note")?;
            let (place, decision) = split(rest, "：").ok_or("visit note")?;
            let on = parse_date("", date).map_err(|_| "visit date")?;
            done(Activity::Visit, decision.to_owned(), Some(Payload::Visit { on, place: place.to_owned() }))
        }
        "meeting" => {
            let (date, rest) = split(&note, "「").ok_or("meeting note")?;
            let (title, rest) = split(rest, "」（").ok_or("meeting note")?;
            let (attendees, decision) = split(rest, "）：").ok_or("meeting note")?;
            let held_on = parse_date("", date).map_err(|_| "meeting date")?;
            done(
                Activity::Meeting,
                decision.to_owned(),
                Some(Payload::Meeting {
                    meeting: None,
                    held_on,
                    title: title.to_owned(),
                    attendees: attendees.to_owned(),
                }),
            )
        }
        "sign_off" => done(Activity::SignOff, note, None),
        "jurisdiction" => {
            let pending = old.payload.as_deref().and_then(|p| p.strip_prefix("escalated:"));
            let (mode, names) = split(&note, "：").ok_or("jurisdiction note")?;
            let (from_name, to_name) = split(names, " → ").ok_or("jurisdiction note")?;
            let (from_name, to_name) = (from_name.to_owned(), to_name.to_owned());
            match pending {
                Some(to) => done(
                    Activity::Jurisdiction,
                    String::new(),
                    Some(Payload::Escalation { to_unit: to.parse::<UnitId>().ok(), from_name, to_name }),
                ),
                None => {
                    let mode = HandlingMode::ALL.iter().copied().find(|m| m.zh() == mode).ok_or("handling mode")?;
                    done(Activity::Jurisdiction, String::new(), Some(Payload::Moved { mode, from_name, to_name }))
                }
            }
        }
        other => return Err(format!("unknown timeline kind {other:?} ({})", old.state)),
    })
}

/// Migration 9's data step: every timeline row, converted in place.
pub(crate) async fn convert_all(tx: &mut crate::Tx) -> Result<(), crate::StoreError> {
    use sqlx::Row;
    let rows = sqlx::query("SELECT id, kind, state, note, payload, decision_note FROM lead_events ORDER BY id")
        .fetch_all(&mut **tx)
        .await?;
    for r in rows {
        let id: i64 = r.try_get("id")?;
        let old = OldRow {
            kind: r.try_get("kind")?,
            state: r.try_get("state")?,
            note: r.try_get("note")?,
            payload: r.try_get("payload")?,
            decision_note: r.try_get("decision_note")?,
        };
        let new = convert(&old).map_err(|why| crate::StoreError::corrupt(format!("timeline entry {id}: {why}")))?;
        let payload = new
            .payload
            .as_ref()
            .map(serde_json::to_string)
            .transpose()
            .map_err(|e| crate::StoreError::corrupt(format!("timeline entry {id}: {e}")))?;
        sqlx::query("UPDATE lead_events SET kind = $1, note = $2, payload = $3, decision_note = $4 WHERE id = $5")
            .bind(new.kind.code())
            .bind(new.note)
            .bind(payload)
            .bind(new.decision_note)
            .bind(id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;
    use domain::lifecycle::step::Step;

    fn old(kind: &str, note: &str, payload: Option<&str>) -> OldRow {
        OldRow {
            kind: kind.into(),
            state: "done".into(),
            note: note.into(),
            payload: payload.map(str::to_owned),
            decision_note: None,
        }
    }

    #[test]
    fn each_kind_of_legacy_note_becomes_a_typed_entry_with_only_the_persons_words() {
        let c = |o: OldRow| convert(&o).unwrap();
        let r = c(old("extension", "申请延期 20 天：案情复杂，需调取银行流水", None));
        assert_eq!(r.kind, EventKind::Activity(Activity::ExtensionRequested));
        assert_eq!(r.note, "案情复杂，需调取银行流水");
        assert_eq!(r.payload, Some(Payload::ExtensionRequested { extension: None, days: 20 }));
        let r = c(old("extension", "单位主要负责人签字（0123456789abcdef）", None));
        assert_eq!(r.payload, Some(Payload::ExtensionSigned { extension: None, signature: "0123456789abcdef".into() }));
        assert_eq!(r.note, "");
        assert_eq!(
            c(old("extension", "报委直属机关纪委备案", None)).kind,
            EventKind::Activity(Activity::ExtensionFiled)
        );
        assert_eq!(
            c(old("extension", "纪委书记未同意延期", None)).kind,
            EventKind::Activity(Activity::ExtensionRejected)
        );
        let r = c(old("order", "挂牌督办，2026-12-10 前回复：请于十日内报告核查进展", None));
        assert_eq!(
            (r.note.as_str(), r.payload),
            ("请于十日内报告核查进展", Some(Payload::Order { order: None, reply_due: date!(2026 - 12 - 10) }))
        );
        let r = c(old("report", "首次报告：已成立核查组", None));
        assert_eq!(r.payload, Some(Payload::Report { order: None, stage: ReportStage::First }));
        let r = c(old("ownership", "难点案件，包案领导：孔某某（副主任、包案领导）", None));
        assert_eq!(
            r.payload,
            Some(Payload::Ownership {
                kind: KeyKind::Difficult, leader: "孔某某（副主任、包案领导）".into()
            })
        );
        let r = c(old("visit", "2026-11-24 市第一人民医院纪检监察室：听取汇报，要求倒排时间", None));
        assert_eq!(
            (r.note.as_str(), r.payload),
            (
                "听取汇报，要求倒排时间",
                Some(Payload::Visit {
                    on: date!(2026 - 11 - 24), place: "市第一人民医院纪检监察室".into()
                })
            )
        );
        let r = c(old("meeting", "2026-11-28「第五次线索集体研判会」（钱某、周某某）：继续深挖", None));
        assert_eq!(r.note, "继续深挖");
        assert!(matches!(r.payload, Some(Payload::Meeting { ref title, .. }) if title == "第五次线索集体研判会"));
        let r = c(old("jurisdiction", "提级办理：市第一人民医院 → 直属机关纪委", Some("escalated:2")));
        assert!(matches!(r.payload, Some(Payload::Escalation { to_unit: Some(u), .. }) if u == UnitId::from_raw(2)));
        let r = c(old("jurisdiction", "指定管辖：甲医院 → 乙医院", None));
        assert!(matches!(r.payload, Some(Payload::Moved { mode: HandlingMode::DesignatedJurisdiction, .. })));
    }

    #[test]
    fn steps_keep_their_kind_and_payloads_become_typed() {
        let r = convert(&old("transfer", "移送公安机关", Some("市公安局"))).unwrap();
        assert_eq!(r.kind, EventKind::Step(Step::Transfer));
        assert_eq!(r.payload, Some(Payload::Transfer { receiving_body: "市公安局".into() }));
        let r = convert(&old("merge", "重复件", Some("17"))).unwrap();
        assert!(matches!(r.payload, Some(Payload::Merge { original, .. }) if original == LeadId::from_raw(17)));
        let r = convert(&old("dispose", "拟初核（依据 2026-11-20 「第三次研判会」：初步核实）", Some("meeting:4")))
            .unwrap();
        assert_eq!(r.note, "拟初核");
        assert!(
            matches!(r.payload, Some(Payload::CitesMeeting { meeting: Some(4), ref title, .. }) if title == "第三次研判会")
        );
        let json = r#"{"finding":"unfounded","outcomes":[]}"#;
        assert!(matches!(convert(&old("conclude", "查否", Some(json))).unwrap().payload, Some(Payload::Conclusion(_))));
        let mut approved = old("assess", "研判", None);
        approved.decision_note = Some("同意".into());
        assert_eq!(convert(&approved).unwrap().decision_note, None, "the system's default is not the approver's word");
    }

    #[test]
    fn unknown_shapes_are_reported_not_guessed() {
        assert!(convert(&old("extension", "something else", None)).is_err());
        assert!(convert(&old("nonsense", "", None)).is_err());
    }
}

//! Bulletins (通报, issue 17, point 3): a period's ranking of units by score, with the lists
//! the rules propose and the committee confirms (a change needs a reason), signed by the
//! committee head over the exact document and then issued to every unit. The document's
//! words are built here, once, for the page, the docx and the signature alike.

use sha2::{Digest, Sha256};

use crate::{
    FieldError, Invalid, labelled_enum,
    reporting::score::ListKind,
    text::{Line, Prose},
};

labelled_enum!(
    /// A bulletin's state: a draft is edited; a signed one is fixed; an issued one is read by
    /// every unit.
    BulletinState {
        Draft = ("draft", "草稿", "Draft"),
        Signed = ("signed", "已签发", "Signed"),
        Issued = ("issued", "已印发", "Issued"),
    }
);

/// What is done to a bulletin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BulletinAction {
    Edit,
    Sign,
    Issue,
}

/// The state an action leaves a bulletin in, or why it may not be taken.
pub fn next(state: BulletinState, action: BulletinAction) -> Result<BulletinState, FieldError> {
    use {BulletinAction as A, BulletinState as S};
    match (state, action) {
        (S::Draft, A::Edit) => Ok(S::Draft),
        (S::Draft, A::Sign) => Ok(S::Signed),
        (S::Signed, A::Issue) => Ok(S::Issued),
        (S::Draft, A::Issue) => Err(FieldError::new(
            "state",
            "not_signed",
            "通报须经纪委负责人签发后才能印发。",
            "A bulletin is issued only once the committee head has signed it.",
        )),
        (_, _) => Err(FieldError::new(
            "state",
            "signed",
            "通报已签发，不能再修改或重复签发。",
            "The bulletin is signed: it can no longer be changed or signed again.",
        )),
    }
}

/// A bulletin as typed when drafted (its period is typed apart, as the statistics' is).
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct BulletinInput {
    pub title: String,
    /// The document number, e.g. 郑卫直机纪〔2026〕5号.
    pub doc_no: String,
    /// To whom it is sent, e.g. 各委属单位纪检组织.
    pub addressees: String,
    /// The committee's requirements, the body's last part (optional).
    pub remarks: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulletinDraft {
    pub title: Line,
    pub doc_no: Line,
    pub addressees: Line,
    pub remarks: Option<Prose<2000>>,
}

impl BulletinInput {
    pub fn parse(&self) -> Result<BulletinDraft, Invalid> {
        let mut e = Invalid::default();
        let title = e.take(Line::parse("title", &self.title));
        let doc_no = e.take(Line::parse("doc_no", &self.doc_no));
        let addressees = e.take(Line::parse("addressees", &self.addressees));
        let remarks = e.take(Prose::<2000>::parse_optional("remarks", &self.remarks));
        match (title, doc_no, addressees, remarks) {
            (Some(title), Some(doc_no), Some(addressees), Some(remarks)) if e.is_empty() => {
                Ok(BulletinDraft { title, doc_no, addressees, remarks })
            }
            _ => Err(e),
        }
    }
}

/// The committee's change of a unit's list, as typed: the list's code (empty: none) and why.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ListChangeInput {
    pub list: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListChange {
    pub list: Option<ListKind>,
    pub reason: Prose<500>,
}

impl ListChangeInput {
    pub fn parse(&self) -> Result<ListChange, Invalid> {
        let mut e = Invalid::default();
        let list = if self.list.trim().is_empty() {
            Some(None)
        } else {
            e.take(ListKind::parse("list", &self.list).map(Some))
        };
        let reason = e.take(Prose::<500>::parse("reason", &self.reason).and_then(|r| {
            if r.as_str().chars().count() < 4 {
                Err(FieldError::new(
                    "reason",
                    "too_short",
                    "请写明调整理由（至少4个字）。",
                    "Give the reason for the change (at least 4 characters).",
                ))
            } else {
                Ok(r)
            }
        }));
        match (list, reason) {
            (Some(list), Some(reason)) if e.is_empty() => Ok(ListChange { list, reason }),
            _ => Err(e),
        }
    }
}

/// One unit's line in the document's ranking table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RankLine {
    pub rank: u32,
    pub unit: String,
    /// The score in tenths of a point.
    pub tenths: u32,
    /// 清零率 as shown (e.g. 66.7%, or —).
    pub clearance: String,
    pub overdue: i64,
    pub list: Option<ListKind>,
}

/// The totals the body's first part states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Overall {
    pub units: usize,
    pub stock: i64,
    pub cleared: i64,
    pub received: i64,
    pub closed: i64,
    pub overdue: i64,
}

/// Everything the document says, in order: what the page prints, the docx holds and the head
/// signs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub issuer: String,
    pub doc_no: String,
    pub title: String,
    pub addressees: String,
    pub paragraphs: Vec<String>,
    pub attachment_title: String,
    pub lines: Vec<RankLine>,
    /// The date under the signature (the day it was signed; the draft's day until then).
    pub dated: String,
}

pub fn format_score(tenths: u32) -> String {
    format!("{}.{}", tenths / 10, tenths % 10)
}

fn percent(n: i64, d: i64) -> String {
    crate::reporters::satisfaction::format_rate(crate::reporters::satisfaction::rate_of(
        n.max(0) as u64,
        d.max(0) as u64,
    ))
}

fn names(lines: &[RankLine], list: ListKind) -> Vec<&str> {
    lines.iter().filter(|l| l.list == Some(list)).map(|l| l.unit.as_str()).collect()
}

/// The body: the overall figures, the three lists as confirmed, and the committee's remarks.
pub fn body(period: &str, o: &Overall, lines: &[RankLine], remarks: Option<&str>) -> Vec<String> {
    let mut out = vec![
        format!("为推动问题线索清零工作落实落地，现将{period}各单位问题线索办理情况通报如下。"),
        format!(
            "一、总体情况。{period}，纳入通报的{}个单位存量线索{}件，已清零{}件，清零率{}；累计受理{}件，办结{}件，查结率{}；目前超期未办结{}件。",
            o.units,
            o.stock,
            o.cleared,
            percent(o.cleared, o.stock),
            o.received,
            o.closed,
            percent(o.closed, o.received),
            o.overdue
        ),
    ];
    let mut n = 1;
    let ordinal = ["二", "三", "四", "五"];
    for (list, text) in [
        (ListKind::Praise, "工作扎实、成效明显，予以通报表扬。"),
        (ListKind::Criticism, "工作推进不力、进度迟缓，予以通报批评，限期整改。"),
        (ListKind::Summons, "问题较多、进度缓慢，由委直属机关纪委约谈其主要负责人。"),
    ] {
        let who = names(lines, list);
        if !who.is_empty() {
            out.push(format!("{}、{}。{}等{}个单位{text}", ordinal[n - 1], list.zh(), who.join("、"), who.len()));
            n += 1;
        }
    }
    if let Some(r) = remarks.filter(|r| !r.trim().is_empty()) {
        out.push(format!("{}、工作要求。{}", ordinal[n - 1], r.trim()));
    }
    out
}

impl Document {
    /// The exact text signed: every word of the document, one field a line.
    pub fn canonical(&self) -> String {
        let mut s = format!(
            "bulletin\nissuer={}\ndoc_no={}\ntitle={}\nto={}\n",
            self.issuer, self.doc_no, self.title, self.addressees
        );
        for p in &self.paragraphs {
            s.push_str(&format!("p={p}\n"));
        }
        s.push_str(&format!("attachment={}\n", self.attachment_title));
        for l in &self.lines {
            let list = l.list.map_or("", |k| k.code());
            s.push_str(&format!(
                "line={}|{}|{}|{}|{}|{list}\n",
                l.rank,
                l.unit,
                format_score(l.tenths),
                l.clearance,
                l.overdue
            ));
        }
        s.push_str(&format!("dated={}\n", self.dated));
        s
    }
}

/// The head's signature: SHA-256 over the document's exact text, the signer and the time.
pub fn signature(doc: &Document, signer: i64, at: i64) -> String {
    let text = format!("signer={signer}\nat={at}\n{}", doc.canonical());
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// A suggested document number: the n-th bulletin of the year, 纪通〔2026〕3号 (the committee
/// types its own office's form over it).
pub fn suggested_doc_no(year: i32, n: i64) -> String {
    format!("纪通〔{year}〕{n}号")
}

/// The suggested title for a period.
pub fn suggested_title(period: &str) -> String {
    format!("关于{period}问题线索办理情况的通报")
}

/// A summons (约谈主要负责人) as typed: of a unit on the bulletin's summons list.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct SummonsInput {
    pub unit_id: String,
    /// YYYY-MM-DD, not after today.
    pub held_on: String,
    /// Who held it (e.g. the committee's secretary).
    pub summoned_by: String,
    /// Whom: the unit's principal person in charge.
    pub summoned: String,
    pub notes: String,
    /// What followed (optional).
    pub follow_up: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summons {
    pub held_on: time::Date,
    pub summoned_by: crate::text::Name,
    pub summoned: crate::text::Name,
    pub notes: Prose<2000>,
    pub follow_up: Option<Prose<2000>>,
}

impl SummonsInput {
    pub fn parse(&self, today: time::Date) -> Result<Summons, Invalid> {
        let mut e = Invalid::default();
        let held_on = e.take(crate::dates::parse_past_date("held_on", &self.held_on, today));
        let summoned_by = e.take(crate::text::Name::parse("summoned_by", &self.summoned_by));
        let summoned = e.take(crate::text::Name::parse("summoned", &self.summoned));
        let notes = e.take(Prose::<2000>::parse("notes", &self.notes));
        let follow_up = e.take(Prose::<2000>::parse_optional("follow_up", &self.follow_up));
        match (held_on, summoned_by, summoned, notes, follow_up) {
            (Some(held_on), Some(summoned_by), Some(summoned), Some(notes), Some(follow_up)) if e.is_empty() => {
                Ok(Summons { held_on, summoned_by, summoned, notes, follow_up })
            }
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(rank: u32, unit: &str, tenths: u32, list: Option<ListKind>) -> RankLine {
        RankLine { rank, unit: unit.into(), tenths, clearance: "50.0%".into(), overdue: 1, list }
    }

    #[test]
    fn a_draft_is_edited_and_signed_then_issued_and_never_changed_after() {
        use {BulletinAction as A, BulletinState as S};
        assert_eq!(next(S::Draft, A::Edit), Ok(S::Draft));
        assert_eq!(next(S::Draft, A::Sign), Ok(S::Signed));
        assert_eq!(next(S::Signed, A::Issue), Ok(S::Issued));
        assert_eq!(next(S::Draft, A::Issue).unwrap_err().code, "not_signed");
        for (s, a) in [(S::Signed, A::Edit), (S::Signed, A::Sign), (S::Issued, A::Edit), (S::Issued, A::Issue)] {
            assert_eq!(next(s, a).unwrap_err().code, "signed", "{s:?} {a:?}");
        }
    }

    #[test]
    fn the_body_names_each_list_and_numbers_its_parts() {
        let lines = [
            line(1, "甲医院", 980, Some(ListKind::Praise)),
            line(2, "乙医院", 900, None),
            line(3, "丙医院", 550, Some(ListKind::Summons)),
        ];
        let o = Overall { units: 3, stock: 10, cleared: 6, received: 20, closed: 8, overdue: 3 };
        let b = body("2026年11月", &o, &lines, Some("各单位要对照问题逐项整改。"));
        assert_eq!(b.len(), 5);
        assert!(b[1].contains("清零率60.0%") && b[1].contains("查结率40.0%"), "{}", b[1]);
        assert_eq!(b[2], "二、通报表扬。甲医院等1个单位工作扎实、成效明显，予以通报表扬。");
        assert!(b[3].starts_with("三、约谈主要负责人。丙医院"), "no criticism: the numbering closes up: {}", b[3]);
        assert_eq!(b[4], "四、工作要求。各单位要对照问题逐项整改。");
    }

    #[test]
    fn a_signature_changes_with_any_word_of_the_document() {
        let doc = Document {
            issuer: "委直属机关纪委".into(),
            doc_no: "郑卫直机纪〔2026〕5号".into(),
            title: "关于2026年11月问题线索办理情况的通报".into(),
            addressees: "各委属单位纪检组织".into(),
            paragraphs: vec!["一、总体情况。".into()],
            attachment_title: "排名表".into(),
            lines: vec![line(1, "甲医院", 980, Some(ListKind::Praise))],
            dated: "2026年12月7日".into(),
        };
        let s = signature(&doc, 7, 100);
        assert_eq!(s.len(), 64);
        assert_eq!(s, signature(&doc.clone(), 7, 100), "the same document, the same signature");
        let mut moved = doc.clone();
        moved.lines[0].list = None;
        assert_ne!(signature(&moved, 7, 100), s, "a list");
        let mut retitled = doc.clone();
        retitled.paragraphs[0].push('。');
        assert_ne!(signature(&retitled, 7, 100), s, "a paragraph");
        assert_ne!(signature(&doc, 8, 100), s, "the signer");
    }

    #[test]
    fn a_summons_is_dated_no_later_than_today() {
        let today = time::macros::date!(2026 - 12 - 07);
        let typed = SummonsInput {
            unit_id: "3".into(),
            held_on: "2026-12-07".into(),
            summoned_by: "王书记".into(),
            summoned: "张院长".into(),
            notes: "通报问题，提出整改要求".into(),
            follow_up: String::new(),
        };
        let s = typed.parse(today).unwrap();
        assert_eq!((s.held_on, s.follow_up), (today, None));
        let late = SummonsInput { held_on: "2026-12-08".into(), ..typed.clone() }.parse(today).unwrap_err();
        assert_eq!(late.0[0].field, "held_on");
        let blank = SummonsInput { notes: " ".into(), ..typed }.parse(today).unwrap_err();
        assert_eq!(blank.0[0].code, "required");
        assert_eq!(suggested_doc_no(2026, 3), "纪通〔2026〕3号");
    }

    #[test]
    fn a_list_change_needs_a_reason() {
        let c = ListChangeInput { list: "criticism".into(), reason: "连续两月超期".into() }.parse().unwrap();
        assert_eq!(c.list, Some(ListKind::Criticism));
        let none = ListChangeInput { list: String::new(), reason: "已整改到位".into() }.parse().unwrap();
        assert_eq!(none.list, None);
        let e = ListChangeInput { list: "praise".into(), reason: "好".into() }.parse().unwrap_err();
        assert_eq!(e.0[0].code, "too_short");
        let e = ListChangeInput { list: "medal".into(), reason: "理由充分".into() }.parse().unwrap_err();
        assert_eq!(e.0[0].code, "unknown_value");
    }
}

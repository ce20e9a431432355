//! Work reports (工作情况报告, issue 17, point 4): each unit's report on the campaign, due on its
//! report date — its figures as tables, filled in from the statistics, and seven narrative
//! sections the inspector writes. The unit head signs the exact document (SM3 over its words,
//! the signer and the time); any change after signing voids the signature and says so. The
//! printed copy carries a verification code derived from the signature, which the committee
//! types in (or scans as a QR code) to see that the paper is the signed electronic version.

use sm3::{Digest, Sm3};

use crate::{FieldError, Invalid, labelled_enum};

labelled_enum!(
    /// The report's narrative sections, in the order the plan asks for them.
    Section {
        Basics = ("basics", "基本情况", "The situation"),
        Clearance = ("clearance", "线索清零", "Clearing the leads"),
        Digging = ("digging", "深挖彻查", "Digging deep"),
        Institutions = ("institutions", "建章立制", "Institutions built"),
        CaseReform = ("case_reform", "以案促改", "Reform from cases"),
        Problems = ("problems", "存在问题", "Problems"),
        NextSteps = ("next_steps", "下步打算", "Next steps"),
    }
);

labelled_enum!(
    /// Where a report stands: written (and re-written), signed by the unit head, submitted.
    ReportState {
        Draft = ("draft", "起草中", "Being written"),
        Signed = ("signed", "已签字", "Signed"),
        Submitted = ("submitted", "已报送", "Submitted"),
    }
);

/// The sections as typed, by code (a section left empty stays empty).
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ReportInput {
    pub sections: std::collections::BTreeMap<String, String>,
}

/// The sections as kept: each at most 5,000 characters.
pub type Sections = Vec<(Section, String)>;

impl ReportInput {
    /// The sections under the plan's outline (all seven); a campaign's own outline parses
    /// with `outline::Outline::parse_report`.
    pub fn parse(&self) -> Result<Sections, Invalid> {
        super::outline::Outline::default().parse_report(self)
    }
}

/// What an action does to a report's state, or why it may not be taken. Saving a signed report
/// takes it back to a draft (the signature is void); a submitted one is no longer written.
pub fn after_save(state: ReportState) -> Result<ReportState, FieldError> {
    match state {
        ReportState::Draft | ReportState::Signed => Ok(ReportState::Draft),
        ReportState::Submitted => Err(submitted()),
    }
}

pub fn after_sign(state: ReportState, sections: &Sections) -> Result<ReportState, FieldError> {
    match state {
        ReportState::Draft if sections.iter().any(|(_, t)| t.trim().is_empty()) => Err(FieldError::new(
            "sections",
            "incomplete",
            "报告各部分都要填写后才能签字。",
            "Every section must be written before the report is signed.",
        )),
        ReportState::Draft => Ok(ReportState::Signed),
        ReportState::Signed => Err(FieldError::new("state", "signed", "报告已签字。", "The report is already signed.")),
        ReportState::Submitted => Err(submitted()),
    }
}

pub fn after_submit(state: ReportState) -> Result<ReportState, FieldError> {
    match state {
        ReportState::Signed => Ok(ReportState::Submitted),
        ReportState::Draft => Err(FieldError::new(
            "state",
            "not_signed",
            "报告须经单位主要负责人签字后才能报送。",
            "The report is submitted once the unit head has signed it.",
        )),
        ReportState::Submitted => Err(submitted()),
    }
}

fn submitted() -> FieldError {
    FieldError::new(
        "state",
        "submitted",
        "报告已报送，不能再修改。",
        "The report is submitted: it can no longer change.",
    )
}

/// Everything the signed document says: the unit, the campaign, the figures as lines of a
/// table, and the sections.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportDocument {
    pub unit: String,
    pub campaign: String,
    pub title: String,
    /// (figure, value) as printed.
    pub figures: Vec<(String, String)>,
    pub sections: Sections,
}

impl ReportDocument {
    pub fn canonical(&self) -> String {
        let mut s = format!("work-report\nunit={}\ncampaign={}\ntitle={}\n", self.unit, self.campaign, self.title);
        for (k, v) in &self.figures {
            s.push_str(&format!("figure={k}|{v}\n"));
        }
        for (k, v) in &self.sections {
            // A section's lines are kept apart from the next field by escaping its breaks.
            s.push_str(&format!("section={}|{}\n", k.code(), v.replace('\\', "\\\\").replace('\n', "\\n")));
        }
        s
    }
}

/// The unit head's signature: SM3 (国密) over the document's exact text, the signer and the time.
pub fn signature(doc: &ReportDocument, signer: i64, at: i64) -> String {
    let text = format!("signer={signer}\nat={at}\n{}", doc.canonical());
    hex::encode(Sm3::digest(text.as_bytes()))
}

/// The verification code printed on the paper: the signature's first 50 bits in Crockford's
/// base 32 (no I, L, O, U), as XXXXX-XXXXX. Typing it back finds the report; the page then shows
/// whether the signed electronic version still yields that signature.
pub fn verification_code(signature: &str) -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let bytes = hex::decode(signature.get(..14).unwrap_or("")).unwrap_or_default();
    let mut bits: u64 = 0;
    for b in bytes.iter().take(7) {
        bits = (bits << 8) | u64::from(*b);
    }
    let bits = bits >> 6; // 56 bits read, 50 kept
    let code: String = (0..10).rev().map(|i| ALPHABET[((bits >> (i * 5)) & 31) as usize] as char).collect();
    format!("{}-{}", &code[..5], &code[5..])
}

/// A typed code in the printed form: case, spaces and dashes ignored; O read as 0, I and L as 1.
pub fn normalise_code(typed: &str) -> Option<String> {
    let clean: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        })
        .collect();
    (clean.len() == 10 && clean.chars().all(|c| c.is_ascii_alphanumeric() && c != 'U'))
        .then(|| format!("{}-{}", &clean[..5], &clean[5..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> ReportDocument {
        ReportDocument {
            unit: "市第一人民医院".into(),
            campaign: "2026年专项".into(),
            title: "市第一人民医院扫黑除恶专项斗争工作情况报告".into(),
            figures: vec![("存量线索".into(), "9".into()), ("清零率".into(), "55.6%".into())],
            sections: Section::ALL.iter().map(|s| (*s, format!("{}：已完成。", s.zh()))).collect(),
        }
    }

    #[test]
    fn a_report_is_signed_when_whole_then_submitted_and_a_later_edit_voids_the_signature() {
        use ReportState as S;
        let whole = doc().sections;
        let mut gap = whole.clone();
        gap[5].1 = " ".into();
        assert_eq!(after_sign(S::Draft, &gap).unwrap_err().code, "incomplete");
        assert_eq!(after_sign(S::Draft, &whole), Ok(S::Signed));
        assert_eq!(after_save(S::Signed), Ok(S::Draft), "an edit after signing voids it");
        assert_eq!(after_submit(S::Draft).unwrap_err().code, "not_signed");
        assert_eq!(after_submit(S::Signed), Ok(S::Submitted));
        assert_eq!(after_save(S::Submitted).unwrap_err().code, "submitted");
        assert_eq!(after_sign(S::Signed, &whole).unwrap_err().code, "signed");
    }

    #[test]
    fn the_signature_and_its_code_change_with_any_word() {
        let s = signature(&doc(), 7, 100);
        assert_eq!(s.len(), 64);
        let mut changed = doc();
        changed.sections[2].1.push('。');
        assert_ne!(signature(&changed, 7, 100), s);
        let mut figures = doc();
        figures.figures[1].1 = "66.7%".into();
        assert_ne!(signature(&figures, 7, 100), s);
        // A line break cannot pass for the next field.
        let mut a = doc();
        a.sections[0].1 = "x\nsection=clearance|y".into();
        let mut b = doc();
        b.sections[0].1 = "x".into();
        b.sections[1].1 = "y".into();
        assert_ne!(a.canonical(), b.canonical());
        let code = verification_code(&s);
        assert_eq!(code.len(), 11);
        assert_eq!(&code[5..6], "-");
        assert_ne!(verification_code(&signature(&changed, 7, 100)), code);
    }

    #[test]
    fn a_code_is_read_as_typed_on_paper() {
        assert_eq!(verification_code(&"0".repeat(64)), "00000-00000");
        // ff…: all ones → the alphabet's last letter, Z.
        assert_eq!(verification_code(&"f".repeat(64)), "ZZZZZ-ZZZZZ");
        assert_eq!(normalise_code(" abcde fghjk "), Some("ABCDE-FGHJK".into()));
        assert_eq!(normalise_code("o1il0-23456"), Some("01110-23456".into()), "O, I and L read as digits");
        assert_eq!(normalise_code("ABCDE-FGHJ"), None, "too short");
        assert_eq!(normalise_code("ABCDE-FGHJU"), None, "U is never printed");
    }

    #[test]
    fn sections_are_bounded() {
        let mut i = ReportInput::default();
        i.sections.insert("basics".into(), "甲".repeat(5001));
        assert_eq!(i.parse().unwrap_err().0[0].field, "section_basics");
        i.sections.insert("basics".into(), "一切正常".into());
        let s = i.parse().unwrap();
        assert_eq!(s.len(), 7);
        assert_eq!((s[0].0, s[0].1.as_str(), s[1].1.as_str()), (Section::Basics, "一切正常", ""));
    }
}

//! The lead (问题线索) and the vocabularies of its ledger columns (design brief §2).

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use crate::{
    FieldError, Invalid, LeadId, UnitId, UserId, dates::parse_date, dates::parse_optional_date, labelled_enum,
    ledger::campaign::StockClass, ledger::lead_no::LeadNo, ledger::subject::MAX_SUBJECTS, ledger::subject::Subject,
    ledger::subject::SubjectInput, reporters::Reporter, reporters::ReporterInput, text::Line, text::Name,
    text::Summary,
};

labelled_enum!(
    Source {
        AssignedByHigher = ("assigned_by_higher", "上级交办", "Assigned by a higher body"),
        SupervisedByHigher = ("supervised_by_higher", "上级督办", "Supervised by a higher body"),
        PetitionReport = ("petition_report", "信访举报", "Petition or report"),
        InspectionTransfer = ("inspection_transfer", "巡视巡察移交", "Inspection tour transfer"),
        AuditTransfer = ("audit_transfer", "审计移交", "Audit transfer"),
        JudicialTransfer = ("judicial_transfer", "公检法机关移交", "Police/procuratorate/court transfer"),
        FoundInSupervision = ("found_in_supervision", "监督检查中发现", "Found in supervision"),
        FoundInInvestigation = ("found_in_investigation", "审查调查中发现", "Found in investigation"),
        Other = ("other", "其他", "Other"),
    }
);

labelled_enum!(
    /// Seed §四(二): keep organised-crime corruption apart from ordinary misconduct.
    Category {
        GangCorruption = ("gang_corruption", "涉黑涉恶腐败", "Organised-crime corruption"),
        ProtectiveUmbrella = ("protective_umbrella", "充当“保护伞”", "Acting as a protective umbrella"),
        HarmToPublic = ("harm_to_public", "一般性侵害群众利益", "Ordinary harm to the public"),
        WorkStyle = ("work_style", "作风问题", "Work-style problem"),
        WorkError = ("work_error", "工作失误", "Work error"),
        Other = ("other", "其他", "Other"),
    }
);

labelled_enum!(
    ProblemDomain {
        DrugProcurement = ("drug_procurement", "药品耗材采购", "Drug and consumables procurement"),
        EquipmentProcurement = ("equipment_procurement", "医疗设备采购", "Medical equipment procurement"),
        Construction = ("construction", "基建工程", "Construction projects"),
        InsuranceFund = ("insurance_fund", "医保基金", "Medical insurance fund"),
        Personnel = ("personnel", "人事招聘", "Personnel and hiring"),
        Enforcement = ("enforcement", "行政审批执法", "Licensing and enforcement"),
        Finance = ("finance", "财务资金", "Finance"),
        ServiceConduct = ("service_conduct", "医疗服务行风", "Medical service conduct"),
        Other = ("other", "其他", "Other"),
    }
);

labelled_enum!(
    /// Who handles and who watches; independent of the disposition.
    HandlingMode {
        OwnLevel = ("own_level", "本级办理", "Handled at own level"),
        LedByHigher = ("led_by_higher", "上级领办", "Led by a higher body"),
        DirectInvestigation = ("direct_investigation", "直查直办", "Investigated directly"),
        ListedSupervision = ("listed_supervision", "挂牌督办", "Listed for supervision"),
        Escalated = ("escalated", "提级办理", "Escalated"),
        DesignatedJurisdiction = ("designated_jurisdiction", "指定管辖", "Designated jurisdiction"),
    }
);

labelled_enum!(
    /// Where a lead stands in the lifecycle of design brief §3.
    LeadStatus {
        Registered = ("registered", "已登记", "Registered"),
        Assessed = ("assessed", "已研判", "Assessed"),
        TalkInquiry = ("talk_inquiry", "谈话函询", "Talk or written inquiry"),
        PreliminaryVerification = ("preliminary_verification", "初步核实", "Preliminary verification"),
        Shelved = ("shelved", "暂存待查", "Shelved pending"),
        Settled = ("settled", "予以了结", "Settled"),
        CaseFiled = ("case_filed", "立案审查调查", "Case filed"),
        Concluded = ("concluded", "已办结", "Concluded"),
        StruckOff = ("struck_off", "已销号", "Struck off"),
        Transferred = ("transferred", "已移交", "Transferred"),
        EscalatedAway = ("escalated_away", "已提级", "Escalated away"),
        Merged = ("merged", "已合并", "Merged as repeat"),
    }
);

impl LeadStatus {
    /// Open leads still count against clearance (清零).
    pub const fn is_open(self) -> bool {
        !matches!(
            self,
            LeadStatus::Concluded
                | LeadStatus::StruckOff
                | LeadStatus::Transferred
                | LeadStatus::EscalatedAway
                | LeadStatus::Merged
                | LeadStatus::Settled
        )
    }
}

/// A deadline further than this from receipt is a typing error (and would never warn).
pub const MAX_DEADLINE_YEARS: u32 = 10;

/// A lead exactly as submitted by a form or the API, before any checking.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct LeadInput {
    #[schema(min_length = 1)]
    pub unit_id: String,
    #[schema(min_length = 1)]
    pub source: String,
    #[schema(max_length = 120)]
    pub source_doc_no: String,
    #[schema(max_length = 120)]
    pub assigning_body: String,
    #[schema(format = Date, pattern = r"^\d{4}-\d{2}-\d{2}$")]
    pub received_on: String,
    #[schema(min_length = 1)]
    pub category: String,
    pub problem_domain: String,
    #[schema(min_length = 1, max_length = 4000)]
    pub summary: String,
    pub important: bool,
    pub handling_mode: String,
    #[schema(max_length = 60)]
    pub responsible_leader: String,
    #[schema(max_length = 60)]
    pub responsible_person: String,
    #[schema(pattern = r"^(\d{4}-\d{2}-\d{2})?$")]
    pub deadline: String,
    pub subjects: Vec<SubjectInput>,
    pub reporter: ReporterInput,
}

/// A checked lead, ready to be registered or to replace an existing lead's fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeadDraft {
    pub unit_id: UnitId,
    pub source: Source,
    pub source_doc_no: Option<String>,
    pub assigning_body: Option<String>,
    pub received_on: Date,
    pub category: Category,
    pub problem_domain: ProblemDomain,
    pub summary: String,
    pub important: bool,
    pub handling_mode: HandlingMode,
    pub responsible_leader: Option<String>,
    pub responsible_person: Option<String>,
    /// None means "use the default for this lead" (see [`default_deadline`]).
    pub deadline: Option<Date>,
    pub subjects: Vec<Subject>,
    pub reporter: Reporter,
}

impl LeadInput {
    /// Checks every field and reports every problem at once; `today` is the Beijing date.
    pub fn parse(&self, today: Date) -> Result<LeadDraft, Invalid> {
        self.parse_with(today, false)
    }

    /// As [`LeadInput::parse`], for an edit of a lead whose signed reporter's identity is
    /// already on file: empty identity fields then mean "keep it".
    pub fn parse_with(&self, today: Date, identity_on_file: bool) -> Result<LeadDraft, Invalid> {
        let mut e = Invalid::default();
        let unit_id = e.take(
            self.unit_id
                .trim()
                .parse::<UnitId>()
                .map_err(|_| FieldError::new("unit_id", "unknown_unit", "请选择单位。", "Choose a unit.")),
        );
        let source = e.take(Source::parse("source", &self.source));
        let source_doc_no = e.take(Line::parse_optional("source_doc_no", &self.source_doc_no));
        let assigning_body = e.take(Line::parse_optional("assigning_body", &self.assigning_body));
        let received_on = e.take(parse_date("received_on", &self.received_on).and_then(|d| {
            if d > today {
                Err(FieldError::new(
                    "received_on",
                    "future_date",
                    "受理日期不能晚于今天。",
                    "The received date cannot be later than today.",
                ))
            } else if d.year() < 1990 {
                Err(FieldError::new(
                    "received_on",
                    "too_early",
                    "受理日期不能早于 1990 年。",
                    "The received date cannot be before 1990.",
                ))
            } else {
                Ok(d)
            }
        }));
        let category = e.take(Category::parse("category", &self.category));
        let problem_domain = e.take(if self.problem_domain.trim().is_empty() {
            Ok(ProblemDomain::Other)
        } else {
            ProblemDomain::parse("problem_domain", &self.problem_domain)
        });
        let summary = e.take(Summary::parse("summary", &self.summary));
        let handling_mode = e.take(if self.handling_mode.trim().is_empty() {
            Ok(HandlingMode::OwnLevel)
        } else {
            HandlingMode::parse("handling_mode", &self.handling_mode)
        });
        let leader = e.take(Name::parse_optional("responsible_leader", &self.responsible_leader));
        let person = e.take(Name::parse_optional("responsible_person", &self.responsible_person));
        let deadline = e.take(parse_optional_date("deadline", &self.deadline));
        if let (Some(Some(dl)), Some(rec)) = (deadline, received_on)
            && dl < rec
        {
            e.push(FieldError::new(
                "deadline",
                "before_received",
                "期限不能早于受理日期。",
                "The deadline cannot be before the received date.",
            ));
        }
        if let (Some(Some(dl)), Some(rec)) = (deadline, received_on)
            && dl > crate::dates::add_months(rec, 12 * MAX_DEADLINE_YEARS)
        {
            e.push(FieldError::new(
                "deadline",
                "too_far",
                format!("期限不能晚于受理日期后 {MAX_DEADLINE_YEARS} 年。"),
                format!("The deadline cannot be more than {MAX_DEADLINE_YEARS} years after the received date."),
            ));
        }
        let given: Vec<&SubjectInput> = self.subjects.iter().filter(|s| !s.is_blank()).collect();
        if given.is_empty() {
            e.push(FieldError::new(
                "subjects",
                "required",
                "至少填写一名被反映人。",
                "Name at least one subject of the report.",
            ));
        } else if given.len() > MAX_SUBJECTS {
            e.push(FieldError::new(
                "subjects",
                "too_many",
                format!("被反映人最多 {MAX_SUBJECTS} 名。"),
                format!("At most {MAX_SUBJECTS} subjects."),
            ));
        }
        let subjects: Vec<Option<Subject>> = given.iter().enumerate().map(|(i, s)| s.parse(i, &mut e)).collect();
        let reporter = self.reporter.parse(&mut e, identity_on_file);
        let subjects: Option<Vec<Subject>> = subjects.into_iter().collect();
        let (
            Some(unit_id),
            Some(source),
            Some(source_doc_no),
            Some(assigning_body),
            Some(received_on),
            Some(category),
            Some(problem_domain),
            Some(summary),
            Some(handling_mode),
            Some(leader),
            Some(person),
            Some(deadline),
            Some(subjects),
            Some(reporter),
        ) = (
            unit_id,
            source,
            source_doc_no,
            assigning_body,
            received_on,
            category,
            problem_domain,
            summary,
            handling_mode,
            leader,
            person,
            deadline,
            subjects,
            reporter,
        )
        else {
            return Err(e);
        };
        e.into_result(|| LeadDraft {
            unit_id,
            source,
            source_doc_no: source_doc_no.map(|t| t.into_string()),
            assigning_body: assigning_body.map(|t| t.into_string()),
            received_on,
            category,
            problem_domain,
            summary: summary.into_string(),
            important: self.important,
            handling_mode,
            responsible_leader: leader.map(|t| t.into_string()),
            responsible_person: person.map(|t| t.into_string()),
            deadline,
            subjects,
            reporter,
        })
    }
}

/// A handler account a lead is assigned to (分办).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Handler {
    pub id: UserId,
    pub name: String,
}

/// A registered lead as the ledger shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Lead {
    pub id: LeadId,
    pub number: LeadNo,
    pub unit_id: UnitId,
    pub unit_name: String,
    /// `None`: in no campaign's scope (ordinary handling).
    pub campaign_id: Option<crate::CampaignId>,
    pub source: Source,
    pub source_doc_no: Option<String>,
    pub assigning_body: Option<String>,
    /// The number the unit's own spreadsheet ledger gave it, when it was imported (原编号).
    pub original_no: Option<String>,
    #[serde(with = "crate::dates::serde_date")]
    #[schema(value_type = String, format = Date)]
    pub received_on: Date,
    pub category: Category,
    pub problem_domain: ProblemDomain,
    pub summary: String,
    pub important: bool,
    pub handling_mode: HandlingMode,
    pub responsible_leader: Option<String>,
    pub responsible_person: Option<String>,
    #[serde(with = "crate::dates::serde_date")]
    #[schema(value_type = String, format = Date)]
    pub deadline: Date,
    /// Rests on a year whose holiday calendar is not loaded yet: may move when it is.
    pub deadline_provisional: bool,
    /// When the current deadline's clock started, and the rule that set it.
    #[serde(with = "crate::dates::serde_opt_date")]
    #[schema(value_type = Option<String>, format = Date)]
    pub clock_started_on: Option<Date>,
    pub deadline_rule: Option<crate::lifecycle::deadline::RuleCode>,
    pub status: LeadStatus,
    pub stock_class: StockClass,
    pub finding: Option<crate::lifecycle::conclusion::Finding>,
    pub merged_into: Option<LeadId>,
    pub transferred_to: Option<String>,
    /// The day the receiving body's receipt of a transfer was recorded (回执).
    #[serde(with = "crate::dates::serde_opt_date")]
    #[schema(value_type = Option<String>, format = Date)]
    pub transfer_received_on: Option<Date>,
    /// 研判 came after the disposition clock ran out (not routed in time).
    pub routed_late: bool,
    pub key_kind: Option<crate::supervision::ownership::KeyKind>,
    pub owning_leader_id: Option<UserId>,
    /// The unit that held the lead before its jurisdiction moved (提级办理 / 指定管辖).
    pub previous_unit_id: Option<UnitId>,
    pub subjects: Vec<Subject>,
    /// The handler accounts it is assigned to (shown with `responsible_person` as 责任人).
    pub handlers: Vec<Handler>,
    /// Set when the lead was sent up from this unit because it names that unit's head.
    pub routed_from_unit_id: Option<UnitId>,
    pub created_by: UserId,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    pub updated_by: UserId,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    pub version: i64,
}

impl Lead {
    /// Who the ledger names as 责任人: the handler accounts it is assigned to, then the
    /// free-text name kept for people without an account (unless it repeats a handler).
    pub fn responsible_shown(&self, english: bool) -> String {
        responsible_names(&self.handlers, self.responsible_person.as_deref(), english)
    }
}

fn responsible_names(handlers: &[Handler], free_text: Option<&str>, english: bool) -> String {
    let mut names: Vec<&str> = handlers.iter().map(|h| h.name.as_str()).collect();
    if let Some(p) = free_text.map(str::trim).filter(|p| !p.is_empty() && !names.contains(p)) {
        names.push(p);
    }
    names.join(if english { ", " } else { "、" })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn valid() -> LeadInput {
        LeadInput {
            unit_id: "3".into(),
            source: "petition_report".into(),
            received_on: "2019-05-06".into(),
            category: "protective_umbrella".into(),
            summary: "反映某科室负责人为涉恶团伙充当保护伞。".into(),
            subjects: vec![SubjectInput { name: "王某某".into(), ..Default::default() }],
            ..Default::default()
        }
    }

    #[test]
    fn a_complete_input_parses_with_defaults() {
        let d = valid().parse(date!(2019 - 07 - 01)).unwrap();
        assert_eq!(d.handling_mode, HandlingMode::OwnLevel);
        assert_eq!(d.problem_domain, ProblemDomain::Other);
        assert_eq!(d.reporter.kind, crate::reporters::ReporterKind::Anonymous);
        assert_eq!(d.subjects[0].name, "王某某");
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let input = LeadInput { received_on: "2019-02-30".into(), ..Default::default() };
        let err = input.parse(date!(2019 - 07 - 01)).unwrap_err();
        let fields: Vec<&str> = err.0.iter().map(|e| e.field.as_str()).collect();
        for f in ["unit_id", "source", "received_on", "category", "summary", "subjects"] {
            assert!(fields.contains(&f), "{f} missing from {fields:?}");
        }
    }

    #[test]
    fn future_received_date_and_early_deadline_are_refused() {
        let mut i = valid();
        i.received_on = "2019-07-02".into();
        let e = i.parse(date!(2019 - 07 - 01)).unwrap_err();
        assert_eq!(e.0[0].code, "future_date");
        let mut i = valid();
        i.deadline = "2019-05-01".into();
        assert_eq!(i.parse(date!(2019 - 07 - 01)).unwrap_err().0[0].code, "before_received");
        let mut i = valid();
        i.received_on = "1989-12-31".into();
        assert_eq!(i.parse(date!(2019 - 07 - 01)).unwrap_err().0[0].code, "too_early");
    }

    #[test]
    fn a_deadline_is_within_ten_years_of_receipt() {
        let mut i = valid();
        i.deadline = "9999-12-31".into();
        assert_eq!(i.parse(date!(2019 - 07 - 01)).unwrap_err().0[0].code, "too_far");
        i.deadline = "2029-05-06".into(); // received 2019-05-06: exactly ten years
        assert!(i.parse(date!(2019 - 07 - 01)).is_ok());
        i.deadline = "2029-05-07".into();
        assert_eq!(i.parse(date!(2019 - 07 - 01)).unwrap_err().0[0].code, "too_far");
    }

    #[test]
    fn signed_reporter_needs_a_name_and_subjects_are_checked_by_position() {
        let mut i = valid();
        i.reporter.kind = "signed".into();
        i.subjects.push(SubjectInput { post: "科长".into(), ..Default::default() });
        let e = i.parse(date!(2019 - 07 - 01)).unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["subjects[1].name", "reporter.name"]);
    }

    #[test]
    fn an_edit_may_keep_the_identity_on_file() {
        let mut i = valid();
        i.reporter.kind = "signed".into();
        assert!(i.parse(date!(2019 - 07 - 01)).is_err());
        let d = i.parse_with(date!(2019 - 07 - 01), true).unwrap();
        assert_eq!((d.reporter.name, d.reporter.contact), (None, None));
        i.reporter.contact = "138".into();
        assert!(i.parse_with(date!(2019 - 07 - 01), true).is_err(), "a new contact needs the name too");
    }

    #[test]
    fn oversized_summary_is_refused() {
        let mut i = valid();
        i.summary = "问".repeat(4001);
        assert_eq!(i.parse(date!(2019 - 07 - 01)).unwrap_err().0[0].code, "too_long");
    }

    #[test]
    fn closed_states_are_not_open() {
        assert!(LeadStatus::Registered.is_open());
        assert!(LeadStatus::Shelved.is_open());
        assert!(!LeadStatus::StruckOff.is_open());
    }

    #[test]
    fn handlers_come_first_as_the_responsible_person_and_are_not_repeated() {
        let h = |id, name: &str| Handler { id: UserId::from_raw(id), name: name.into() };
        assert_eq!(responsible_names(&[], Some("王某"), false), "王某");
        assert_eq!(responsible_names(&[h(1, "刘某某"), h(2, "陈某")], Some("王某"), false), "刘某某、陈某、王某");
        assert_eq!(responsible_names(&[h(1, "Liu"), h(2, "Chen")], Some("Wang"), true), "Liu, Chen, Wang");
        assert_eq!(responsible_names(&[h(1, "刘某某")], Some("刘某某"), false), "刘某某");
        assert_eq!(responsible_names(&[h(1, "刘某某")], Some("  "), false), "刘某某");
        assert_eq!(responsible_names(&[], None, false), "");
    }
}

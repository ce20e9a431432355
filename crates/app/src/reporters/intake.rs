//! The committee's intake of portal reports (信访受理): the reports awaiting a decision and those
//! decided; each read with the earlier leads it may repeat, registered as a lead (the report's
//! sealed identity moving into the lead's), routed to a unit, or not accepted with a reason the
//! reporter reads; questions to the reporter. Unrouted reports are the committee's; a routed one
//! is its unit's keepers'. Every decision and question is audited.

use domain::{
    FieldError, LeadId, UnitId,
    ledger::{lead::LeadInput, repeats::RepeatCandidate, subject::SubjectInput},
    reporters::{
        ReporterInput, ReporterKind,
        intake::{self, IntakeState, PortalReport, PortalStatus},
    },
};
use serde::{Deserialize, Serialize};
use store::{Conn, StoreError, reporters::portal as px, to_micros};
use time::Date;

use super::{Reporters, portal::PortalMessage};
use crate::{
    Actor, AppError, LedgerKeeper,
    protection::{
        audit::{Event, Who, record},
        secrets::Sealed,
    },
};

pub const INTAKE_PAGE: u32 = 30;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct IntakeItem {
    pub id: i64,
    #[serde(serialize_with = "domain::dates::serde_date::serialize")]
    pub received_on: Date,
    pub kind: ReporterKind,
    pub state: IntakeState,
    pub unit_name: Option<String>,
    pub lead_id: Option<LeadId>,
    pub lead_number: Option<String>,
    /// The opening of what was reported.
    pub excerpt: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct IntakeList {
    pub items: Vec<IntakeItem>,
    pub total: i64,
    pub page: u32,
    pub per_page: u32,
    /// Awaiting a decision (or decided).
    pub open: bool,
}

impl IntakeList {
    pub fn page_count(&self) -> u32 {
        (self.total.max(1) as u32).div_ceil(self.per_page)
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct IntakeMessage {
    pub from_reporter: bool,
    pub text: String,
    pub sent_on: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct IntakeDetail {
    pub item: IntakeItem,
    #[schema(value_type = Object)]
    pub report: PortalReport,
    /// What the reporter sees.
    pub status: PortalStatus,
    pub reason: Option<String>,
    pub messages: Vec<IntakeMessage>,
    /// Earlier leads in the caller's sight it may repeat.
    pub candidates: Vec<RepeatCandidate>,
    /// Files the reporter sent (until it is a lead; then they are the lead's).
    pub files: Vec<crate::AttachmentView>,
    pub may_decide: bool,
    /// The committee routes a report not yet routed.
    pub may_route: bool,
}

/// A portal report registered as a lead: the lead's fields the registrar chooses.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct IntakeRegisterInput {
    pub unit_id: String,
    pub category: String,
    /// The lead's summary; the report's text when blank.
    pub summary: String,
    /// The person reported on, when the report does not name them (or names them wrongly).
    pub subject: String,
    /// For a lead of the campaign's stock: its responsible leader and person.
    pub responsible_leader: String,
    pub responsible_person: String,
}

fn item(r: &px::ReportRow, report: &PortalReport) -> IntakeItem {
    IntakeItem {
        id: r.id,
        received_on: r.received_on,
        kind: r.kind,
        state: r.state,
        unit_name: r.unit_name.clone(),
        lead_id: r.lead_id,
        lead_number: r.lead_number.clone(),
        excerpt: report.what.chars().take(60).collect(),
    }
}

fn moved_on() -> AppError {
    AppError::field(FieldError::new(
        "state",
        "moved_on",
        "该举报已被处理，请刷新后核对。",
        "The report has been dealt with; reload and check.",
    ))
}

impl Reporters<'_> {
    /// A read of reporters' words is audited like a read of a lead.
    async fn record_read(&self, actor: &Actor, event: Event<'_>) -> Result<(), AppError> {
        let mut tx = self.db().begin_write().await?;
        record(&mut tx, self, self.now(), Who::User(actor), event).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    fn open_sealed(&self, key_id: &str, value: &str, what: &str) -> Result<String, AppError> {
        self.keyring().open(&Sealed { key_id: key_id.into(), value: value.into() }, &format!("portal:{what}"))
    }

    fn report_of(&self, r: &px::ReportRow) -> Result<PortalReport, AppError> {
        let json = self.open_sealed(&r.key_id, &r.sealed_report, "report")?;
        serde_json::from_str(&json).map_err(|e| AppError::internal(e.to_string()))
    }

    pub(super) async fn reach(
        &self,
        c: &mut Conn,
        keeper: &LedgerKeeper,
        actor: &Actor,
        id: i64,
    ) -> Result<px::ReportRow, AppError> {
        let committee = actor.supervised_scope().is_ok();
        px::get(c, &keeper.scope, committee, id).await?.ok_or(AppError::NotFound)
    }

    #[tracing::instrument(name = "reporters.intake", skip_all)]
    pub async fn intake(&self, actor: &Actor, open: bool, page: u32) -> Result<IntakeList, AppError> {
        let keeper = actor.ledger_keeper()?;
        let page = page.max(1);
        let offset = i64::from(page - 1).saturating_mul(i64::from(INTAKE_PAGE));
        let mut c = self.reader().await?;
        let committee = actor.supervised_scope().is_ok();
        let (rows, total) = px::list(&mut c, &keeper.scope, committee, open, (i64::from(INTAKE_PAGE), offset)).await?;
        let items: Vec<IntakeItem> =
            rows.iter().map(|r| Ok(item(r, &self.report_of(r)?))).collect::<Result<_, AppError>>()?;
        drop(c);
        self.record_read(
            actor,
            Event::new("portal.list", "portal_report", "").detail(format!("{} shown", items.len())),
        )
        .await?;
        Ok(IntakeList { items, total, page, per_page: INTAKE_PAGE, open })
    }

    /// One report, with the earlier leads it may repeat.
    #[tracing::instrument(name = "reporters.intake_report", skip_all)]
    pub async fn intake_report(&self, actor: &Actor, id: i64) -> Result<IntakeDetail, AppError> {
        let keeper = actor.ledger_keeper()?;
        let mut c = self.reader().await?;
        let r = self.reach(&mut c, &keeper, actor, id).await?;
        let report = self.report_of(&r)?;
        let lead_status = match r.lead_id {
            Some(_) => px::lead_of_report(&mut c, r.id).await?.map(|(_, s)| s),
            None => None,
        };
        let files = self.report_files(&mut c, r.id).await?;
        let messages = self
            .open_messages(px::messages(&mut c, r.id).await?)?
            .into_iter()
            .map(|m: PortalMessage| IntakeMessage { from_reporter: m.from_reporter, text: m.text, sent_on: m.sent_on })
            .collect();
        drop(c);
        let candidates = if r.state.is_open() {
            let unit = r.unit_id.unwrap_or(actor.unit_id);
            // A report that names nobody yet has nothing to compare: no candidates, not an error.
            match self.app.ledger().repeat_candidates(&keeper, &lead_input(&r, &report, unit, "other", "")).await {
                Ok(found) => found,
                Err(AppError::Invalid(_)) => Vec::new(),
                Err(e) => return Err(e),
            }
        } else {
            Vec::new()
        };
        self.record_read(actor, Event::new("portal.view", "portal_report", r.id)).await?;
        Ok(IntakeDetail {
            item: item(&r, &report),
            status: intake::portal_status(r.state, lead_status),
            reason: r.reason.clone(),
            report,
            messages,
            candidates,
            files,
            may_decide: r.state.is_open(),
            may_route: r.state == IntakeState::Submitted && actor.supervised_scope().is_ok(),
        })
    }

    /// Registers the report as a lead of `unit`: the report's identity moves sealed into the
    /// lead's, the report points at the lead, in one transaction.
    #[tracing::instrument(name = "reporters.intake_register", skip_all)]
    pub async fn intake_register(
        &self,
        actor: &Actor,
        id: i64,
        input: &IntakeRegisterInput,
    ) -> Result<LeadId, AppError> {
        let keeper = actor.ledger_keeper()?;
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        let r = self.reach(&mut tx, &keeper, actor, id).await?;
        if !r.state.is_open() {
            return Err(moved_on());
        }
        let report = self.report_of(&r)?;
        let unit: i64 = input.unit_id.trim().parse().map_err(|_| {
            AppError::field(FieldError::new("unit_id", "required", "请选择承办单位。", "Choose the handling unit."))
        })?;
        let mut lead = lead_input(&r, &report, UnitId::from_raw(unit), &input.category, &input.summary);
        if !input.subject.trim().is_empty() {
            lead.subjects = vec![SubjectInput {
                name: input.subject.trim().to_owned(),
                unit_name: report.about_unit.clone(),
                post: report.about_post.clone(),
                ..Default::default()
            }];
        }
        lead.responsible_leader = input.responsible_leader.clone();
        lead.responsible_person = input.responsible_person.clone();
        if let Some(sealed) = &r.sealed_reporter {
            let who: serde_json::Value = serde_json::from_str(&self.open_sealed(&r.key_id, sealed, "reporter")?)
                .map_err(|e| AppError::internal(e.to_string()))?;
            let text = |k: &str| who[k].as_str().unwrap_or_default().to_owned();
            lead.reporter = ReporterInput {
                kind: ReporterKind::Signed.code().into(),
                name: text("name"),
                contact: text("contact"),
            };
        }
        let registered = self.app.ledger().register_in(&mut tx, &keeper, &lead, None, now).await?;
        let (lead_id, _) = registered;
        if !px::decide(
            &mut tx,
            r.id,
            IntakeState::Registered,
            (Some(UnitId::from_raw(unit)), Some(lead_id), None),
            (actor.id, to_micros(now)),
        )
        .await?
        {
            return Err(moved_on());
        }
        // The reporter's files follow the report to its lead (wherever registration put it).
        if let Some((handle, _)) = px::lead_of_report(&mut tx, r.id).await? {
            store::reporters::attachments::move_to_lead(&mut tx, r.id, &handle).await?;
        }
        let event = Event::new("portal.register", "portal_report", r.id).detail(format!("lead {lead_id}"));
        record(&mut tx, self, now, Who::User(actor), event).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(lead_id)
    }

    /// The committee routes an unrouted report to a unit, whose keepers then decide on it.
    #[tracing::instrument(name = "reporters.intake_route", skip_all)]
    pub async fn intake_route(&self, actor: &Actor, id: i64, unit: &str) -> Result<(), AppError> {
        let keeper = actor.ledger_keeper()?;
        actor.supervised_scope()?;
        let now = self.now();
        let unit = unit.trim().parse::<i64>().map(UnitId::from_raw).map_err(|_| {
            AppError::field(FieldError::new("unit_id", "required", "请选择承办单位。", "Choose the unit."))
        })?;
        let mut tx = self.db().begin_write().await?;
        let r = self.reach(&mut tx, &keeper, actor, id).await?;
        if !store::ledger::units::within(&mut tx, keeper.scope.roots(), unit).await? {
            return Err(AppError::field(FieldError::new(
                "unit_id",
                "out_of_scope",
                "该单位不在您的管辖范围内。",
                "That unit is outside your jurisdiction.",
            )));
        }
        if r.state != IntakeState::Submitted
            || !px::decide(&mut tx, r.id, IntakeState::Routed, (Some(unit), None, None), (actor.id, to_micros(now)))
                .await?
        {
            return Err(moved_on());
        }
        let event = Event::new("portal.route", "portal_report", r.id).detail(format!("unit {unit}"));
        record(&mut tx, self, now, Who::User(actor), event).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    /// Not accepted, with the reason the reporter reads.
    #[tracing::instrument(name = "reporters.intake_reject", skip_all)]
    pub async fn intake_reject(&self, actor: &Actor, id: i64, reason: &str) -> Result<(), AppError> {
        let keeper = actor.ledger_keeper()?;
        let now = self.now();
        let reason = intake::not_accepted_reason(reason).map_err(AppError::field)?;
        let mut tx = self.db().begin_write().await?;
        let r = self.reach(&mut tx, &keeper, actor, id).await?;
        let decided = (None, None, Some(reason.as_str()));
        if !r.state.is_open()
            || !px::decide(&mut tx, r.id, IntakeState::NotAccepted, decided, (actor.id, to_micros(now))).await?
        {
            return Err(moved_on());
        }
        record(&mut tx, self, now, Who::User(actor), Event::new("portal.not_accepted", "portal_report", r.id)).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    /// A question (or any word) to the reporter, sealed; they read it with their code.
    #[tracing::instrument(name = "reporters.intake_ask", skip_all)]
    pub async fn intake_ask(&self, actor: &Actor, id: i64, text: &str) -> Result<(), AppError> {
        let keeper = actor.ledger_keeper()?;
        let now = self.now();
        let text = intake::message(text).map_err(AppError::field)?;
        let mut tx = self.db().begin_write().await?;
        let r = self.reach(&mut tx, &keeper, actor, id).await?;
        let sealed = self.keyring().seal(text.as_str(), "portal:message")?;
        let m = px::add_message(
            &mut tx,
            r.id,
            (&sealed.key_id, &sealed.value),
            self.today(),
            Some((actor.id, to_micros(now))),
        )
        .await?;
        record(
            &mut tx,
            self,
            now,
            Who::User(actor),
            Event::new("portal.ask", "portal_report", r.id).detail(format!("message {m}")),
        )
        .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }
}

/// The lead a report becomes: its text, the person it names, the day it came in.
fn lead_input(r: &px::ReportRow, report: &PortalReport, unit: UnitId, category: &str, summary: &str) -> LeadInput {
    let subjects = if report.about_name.is_empty() {
        Vec::new()
    } else {
        vec![SubjectInput {
            name: report.about_name.clone(),
            unit_name: report.about_unit.clone(),
            post: report.about_post.clone(),
            ..Default::default()
        }]
    };
    LeadInput {
        unit_id: unit.to_string(),
        source: domain::ledger::lead::Source::PetitionReport.code().into(),
        received_on: domain::dates::format_date(r.received_on),
        category: category.into(),
        summary: if summary.trim().is_empty() { report.summary() } else { summary.into() },
        subjects,
        reporter: ReporterInput { kind: ReporterKind::Anonymous.code().into(), ..Default::default() },
        ..Default::default()
    }
}

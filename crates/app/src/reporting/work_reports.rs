//! Work reports (工作情况报告, issue 17, point 4): each unit's report on the campaign — its
//! figures filled in from the statistics (fixed when signed), seven sections its keepers write —
//! signed by the unit head over the exact document (SM3), any later edit voiding the signature;
//! then submitted, late when after the campaign's report date. The committee sees who submitted,
//! when, and who is late, and verifies a printed copy by its code.

use domain::{
    CampaignId, FieldError, UnitId,
    dates::{format_date, format_instant},
    reporters::satisfaction::format_rate,
    reporting::{
        figures::{Count, Rate},
        period::PeriodInput,
        work_report::{self as w, ReportDocument, ReportInput, ReportState, Section},
    },
};
use serde::Serialize;
use store::{
    Conn, StoreError,
    ledger::{campaigns, units},
    oversight::rectifications::unit_in_scope,
    reporting::work_reports::{self as st, ReportRow},
    to_micros,
};

use super::Reporting;
use crate::{
    Actor, AppError,
    protection::audit::{Event, Who, record},
};

/// A unit's line in the committee's list: where its report stands.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct WorkReportLine {
    pub unit_id: UnitId,
    pub unit_name: String,
    /// `None`: not started.
    pub state: Option<ReportState>,
    pub submitted_at: Option<String>,
    /// Submitted after the report date, or not submitted and the date has passed.
    pub late: bool,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct WorkReportBook {
    pub campaign: String,
    pub due: String,
    /// Furthest along first (submitted, signed, being written, not started), then by name.
    pub lines: Vec<WorkReportLine>,
    /// How many units stand at each point, and how many are late.
    pub submitted: usize,
    pub signed: usize,
    pub drafting: usize,
    pub not_started: usize,
    pub late: usize,
    /// Whether the caller verifies printed copies (the committee).
    pub may_verify: bool,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct WorkReportSignature {
    pub signer: String,
    pub signed_at: String,
    /// SM3 of the exact document, the signer and the time.
    pub hash: String,
    /// The code printed on the paper.
    pub code: String,
    /// The document as kept still yields that signature.
    pub intact: bool,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct WorkReportSection {
    pub section: Section,
    pub text: String,
    /// What the campaign's outline asks this section to cover (may be empty).
    pub guidance: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct WorkReportFigure {
    pub label: String,
    pub value: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct WorkReportView {
    pub unit_id: UnitId,
    pub unit_name: String,
    pub campaign: String,
    pub title: String,
    pub due: String,
    /// `None`: not started.
    pub state: Option<ReportState>,
    /// Live until signed; as signed after.
    pub figures: Vec<WorkReportFigure>,
    pub sections: Vec<WorkReportSection>,
    pub signature: Option<WorkReportSignature>,
    /// When an edit last voided a signature.
    pub voided_at: Option<String>,
    pub submitted_at: Option<String>,
    pub late: bool,
    pub may_edit: bool,
    pub may_sign: bool,
    pub may_submit: bool,
}

/// The result of typing in a printed code.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct WorkReportVerification {
    /// The code as read.
    pub code: String,
    /// The report it names, if one the caller reaches does.
    pub report: Option<WorkReportView>,
}

/// The figures a report carries, from the unit's statistics over the campaign.
fn figures_of(c: &domain::reporting::figures::Counts) -> Vec<(String, String)> {
    let n = |k: Count| (k.zh().to_owned(), c.get(k).to_string());
    let r = |k: Rate| (k.zh().to_owned(), format_rate(c.rate(k)));
    vec![
        n(Count::ReceivedToDate),
        n(Count::StockTotal),
        n(Count::StockCleared),
        r(Rate::Clearance),
        n(Count::ClosedToDate),
        r(Rate::Closure),
        r(Rate::Confirmation),
        n(Count::OverdueNow),
        n(Count::CaseFiled),
        n(Count::RectificationsIssued),
        n(Count::Institutions),
        n(Count::EarlyWarnings),
        n(Count::Accountability),
    ]
}

fn title(unit: &str, campaign: &str) -> String {
    format!("{unit}关于{campaign}工作情况的报告")
}

impl Reporting<'_> {
    /// Whether the caller reaches `unit`'s report: its committee, or who reads the unit itself.
    async fn reaches(&self, c: &mut Conn, actor: &Actor, unit: UnitId) -> Result<bool, AppError> {
        if let Ok(s) = actor.board_scope()
            && unit_in_scope(c, &s, unit).await?
        {
            return Ok(true);
        }
        Ok(match actor.ledger() {
            Ok(r) if r.reads_units() => unit_in_scope(c, &r.scope, unit).await?,
            _ => false,
        })
    }

    async fn covers(
        &self,
        c: &mut Conn,
        scope: Result<domain::protection::scope::Scope, AppError>,
        unit: UnitId,
    ) -> Result<bool, AppError> {
        Ok(match scope {
            Ok(s) => unit_in_scope(c, &s, unit).await?,
            Err(_) => false,
        })
    }

    /// Where each unit's report stands: the units below the top of the committee's scope, or
    /// the caller's own unit.
    #[tracing::instrument(name = "reporting.work_reports", skip_all)]
    pub async fn work_reports(&self, actor: &Actor, campaign: Option<CampaignId>) -> Result<WorkReportBook, AppError> {
        let reader = actor.ledger()?;
        let today = self.today();
        let mut c = self.reader().await?;
        let k = super::chosen_campaign(&mut c, campaign).await?;
        let reports = st::of_campaign(&mut c, k.id.get()).await?;
        let committee = actor.board_scope().ok();
        let listed: Vec<(UnitId, String)> = match &committee {
            Some(s) => {
                let visible = units::list_within(&mut c, s.roots()).await?;
                let top: Vec<UnitId> = s.roots().to_vec();
                visible
                    .into_iter()
                    .filter(|u| u.parent.is_some_and(|p| top.contains(&p)))
                    .map(|u| (u.id, u.name))
                    .collect()
            }
            None if reader.reads_units() => match units::get(&mut c, actor.unit_id).await? {
                Some(u) => vec![(u.id, u.name)],
                None => Vec::new(),
            },
            None => Vec::new(),
        };
        let lines = listed
            .into_iter()
            .map(|(unit_id, unit_name)| {
                let r = reports.get(&unit_id);
                let on = r.and_then(|r| r.submitted_on);
                WorkReportLine {
                    unit_id,
                    unit_name,
                    state: r.map(|r| r.state),
                    submitted_at: r.and_then(|r| r.submitted_at).map(|t| format_instant(store::from_micros(t))),
                    late: on.map_or(today > k.plan.report_due, |d| d > k.plan.report_due),
                }
            })
            .collect::<Vec<_>>();
        // The committee reads progress at a glance: who is done at the top, who owes at the foot.
        let rank = |s: Option<ReportState>| match s {
            Some(ReportState::Submitted) => 0,
            Some(ReportState::Signed) => 1,
            Some(ReportState::Draft) => 2,
            None => 3,
        };
        let mut lines = lines;
        lines.sort_by_key(|l| rank(l.state));
        let count = |s: Option<ReportState>| lines.iter().filter(|l| l.state == s).count();
        Ok(WorkReportBook {
            campaign: k.plan.name.clone(),
            due: format_date(k.plan.report_due),
            submitted: count(Some(ReportState::Submitted)),
            signed: count(Some(ReportState::Signed)),
            drafting: count(Some(ReportState::Draft)),
            not_started: count(None),
            late: lines.iter().filter(|l| l.late).count(),
            lines,
            may_verify: committee.is_some(),
        })
    }

    /// A unit's report for the current campaign (a blank one when not started).
    #[tracing::instrument(name = "reporting.work_report", skip_all)]
    pub async fn work_report(&self, actor: &Actor, unit: UnitId) -> Result<WorkReportView, AppError> {
        let mut c = self.reader().await?;
        if !self.reaches(&mut c, actor, unit).await? {
            return Err(AppError::NotFound);
        }
        let k = campaigns::current(&mut c).await?.ok_or(AppError::NotFound)?;
        let row = st::get(&mut c, k.id.get(), unit).await?;
        self.view(&mut c, actor, unit, row).await
    }

    async fn view(
        &self,
        c: &mut Conn,
        actor: &Actor,
        unit: UnitId,
        row: Option<ReportRow>,
    ) -> Result<WorkReportView, AppError> {
        let k = match &row {
            Some(r) => campaigns::get(c, CampaignId::from_raw(r.campaign_id)).await?,
            None => campaigns::current(c).await?,
        }
        .ok_or(AppError::NotFound)?;
        let u = units::get(c, unit).await?.ok_or(AppError::NotFound)?;
        let figures = match row.as_ref().and_then(|r| r.figures.clone()) {
            Some(f) => f,
            None => self.live_figures(c, actor, k.id, unit).await?,
        };
        let title = title(&u.name, &k.plan.name);
        let outline = st::outline(c, k.id).await?;
        // A signed or submitted report shows the sections it was signed with; a draft the
        // campaign's outline, with what was written for each.
        let sections: Vec<(Section, String)> = match &row {
            Some(r) if r.state != ReportState::Draft => r.sections.clone(),
            _ => outline
                .sections()
                .map(|s| {
                    let written = row.as_ref().and_then(|r| r.sections.iter().find(|(x, _)| *x == s));
                    (s, written.map(|(_, t)| t.clone()).unwrap_or_default())
                })
                .collect(),
        };
        let doc = ReportDocument {
            unit: u.name.clone(),
            campaign: k.plan.name.clone(),
            title: title.clone(),
            figures: figures.clone(),
            sections: sections.clone(),
        };
        let state = row.as_ref().map(|r| r.state);
        let keeps = self.covers(c, actor.ledger_keeper().map(|k| k.scope), unit).await?;
        let heads = self.covers(c, actor.unit_head_scope(), unit).await?;
        let open = state != Some(ReportState::Submitted);
        let today = self.today();
        let on = row.as_ref().and_then(|r| r.submitted_on);
        Ok(WorkReportView {
            unit_id: unit,
            unit_name: u.name,
            campaign: k.plan.name.clone(),
            title,
            due: format_date(k.plan.report_due),
            state,
            figures: figures.into_iter().map(|(label, value)| WorkReportFigure { label, value }).collect(),
            sections: sections
                .into_iter()
                .map(|(section, text)| WorkReportSection {
                    guidance: outline.guidance(section).unwrap_or_default().to_owned(),
                    section,
                    text,
                })
                .collect(),
            signature: row.as_ref().and_then(|r| r.signed.as_ref()).map(|(by, name, at, hash, code)| {
                WorkReportSignature {
                    signer: name.clone(),
                    signed_at: format_instant(store::from_micros(*at)),
                    hash: hash.clone(),
                    code: code.clone(),
                    intact: w::signature(&doc, by.get(), *at) == *hash,
                }
            }),
            voided_at: row.as_ref().and_then(|r| r.voided_at).map(|t| format_instant(store::from_micros(t))),
            submitted_at: row.as_ref().and_then(|r| r.submitted_at).map(|t| format_instant(store::from_micros(t))),
            late: on.map_or(today > k.plan.report_due, |d| d > k.plan.report_due),
            may_edit: keeps && open,
            may_sign: heads && state == Some(ReportState::Draft),
            may_submit: (keeps || heads) && state == Some(ReportState::Signed),
        })
    }

    /// The unit's figures over the campaign, as its report prints them.
    async fn live_figures(
        &self,
        _c: &mut Conn,
        actor: &Actor,
        campaign: CampaignId,
        unit: UnitId,
    ) -> Result<Vec<(String, String)>, AppError> {
        let whole = PeriodInput { period: "campaign".into(), ..PeriodInput::default() };
        // A committee member outside the unit's own reading still counts it through its scope.
        let s = self.statistics(actor, Some(campaign), Some(unit), &whole).await?;
        Ok(figures_of(&s.total.counts))
    }

    /// The unit's keepers write the sections; a signed report becomes a draft again, its
    /// signature void.
    #[tracing::instrument(name = "reporting.save_work_report", skip_all)]
    pub async fn save_work_report(&self, actor: &Actor, unit: UnitId, input: &ReportInput) -> Result<(), AppError> {
        let keeper = actor.ledger_keeper()?;
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        if !unit_in_scope(&mut tx, &keeper.scope, unit).await? {
            return Err(AppError::Forbidden);
        }
        let k = campaigns::current(&mut tx).await?.ok_or(AppError::NotFound)?;
        let before = st::get(&mut tx, k.id.get(), unit).await?;
        let state = before.as_ref().map_or(ReportState::Draft, |r| r.state);
        w::after_save(state).map_err(AppError::field)?;
        let sections = st::outline(&mut tx, k.id).await?.parse_report(input)?;
        let voids = state == ReportState::Signed;
        let id = st::save(&mut tx, (k.id.get(), unit), &sections, voids, (actor.id, to_micros(now))).await?;
        let detail = if voids { "signature voided by an edit" } else { "sections saved" };
        record(&mut tx, self, now, Who::User(actor), Event::new("work_report.save", "work_report", id).detail(detail))
            .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    /// The unit head signs the report as it stands, its figures fixed from now on.
    #[tracing::instrument(name = "reporting.sign_work_report", skip_all)]
    pub async fn sign_work_report(&self, actor: &Actor, unit: UnitId) -> Result<String, AppError> {
        let scope = actor.unit_head_scope()?;
        let now = self.now();
        let at = to_micros(now);
        let mut c = self.reader().await?;
        if !unit_in_scope(&mut c, &scope, unit).await? {
            return Err(AppError::Forbidden);
        }
        let k = campaigns::current(&mut c).await?.ok_or(AppError::NotFound)?;
        let row = st::get(&mut c, k.id.get(), unit).await?.ok_or_else(|| {
            AppError::field(FieldError::new(
                "sections",
                "incomplete",
                "报告尚未起草。",
                "The report is not written yet.",
            ))
        })?;
        if row.state == ReportState::Draft {
            st::outline(&mut c, k.id).await?.check_report(&row.sections).map_err(AppError::field)?;
        }
        w::after_sign(row.state, &row.sections).map_err(AppError::field)?;
        let figures = self.live_figures(&mut c, actor, k.id, unit).await?;
        let u = units::get(&mut c, unit).await?.ok_or(AppError::NotFound)?;
        drop(c);
        let doc = ReportDocument {
            unit: u.name.clone(),
            campaign: k.plan.name.clone(),
            title: title(&u.name, &k.plan.name),
            figures: figures.clone(),
            sections: row.sections.clone(),
        };
        let hash = w::signature(&doc, actor.id.get(), at);
        let code = w::verification_code(&hash);
        let mut tx = self.db().begin_write().await?;
        if !st::sign(&mut tx, &row, &figures, (&hash, &code), (actor.id, at)).await? {
            return Err(AppError::Conflict);
        }
        let e = Event::new("work_report.sign", "work_report", row.id).detail(format!("sm3 {hash} code {code}"));
        record(&mut tx, self, now, Who::User(actor), e).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(code)
    }

    /// The signed report is submitted (by its keepers or its head); after the report date it
    /// is late, which the bulletin counts.
    #[tracing::instrument(name = "reporting.submit_work_report", skip_all)]
    pub async fn submit_work_report(&self, actor: &Actor, unit: UnitId) -> Result<(), AppError> {
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        let keeps = self.covers(&mut tx, actor.ledger_keeper().map(|k| k.scope), unit).await?;
        let heads = self.covers(&mut tx, actor.unit_head_scope(), unit).await?;
        if !keeps && !heads {
            return Err(AppError::Forbidden);
        }
        let k = campaigns::current(&mut tx).await?.ok_or(AppError::NotFound)?;
        let row = st::get(&mut tx, k.id.get(), unit).await?;
        w::after_submit(row.as_ref().map_or(ReportState::Draft, |r| r.state)).map_err(AppError::field)?;
        let Some(row) = row else { return Err(AppError::NotFound) };
        if !st::submit(&mut tx, &row, self.today(), (actor.id, to_micros(now))).await? {
            return Err(AppError::Conflict);
        }
        record(&mut tx, self, now, Who::User(actor), Event::new("work_report.submit", "work_report", row.id)).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    /// Whether the caller verifies printed copies (the committee: its supervisors and head).
    pub fn verifier(&self, actor: &Actor) -> Result<(), AppError> {
        actor.board_scope().map(|_| ())
    }

    /// The committee types in (or scans) a printed copy's code: the report it names, and
    /// whether the signed version still yields its signature. Audited, found or not.
    #[tracing::instrument(name = "reporting.verify_work_report", skip_all)]
    pub async fn verify_work_report(&self, actor: &Actor, typed: &str) -> Result<WorkReportVerification, AppError> {
        let scope = actor.board_scope()?;
        let code = w::normalise_code(typed).ok_or_else(|| {
            AppError::field(FieldError::new(
                "code",
                "invalid_code",
                "核验码为10位字母数字，如 7K3QD-9M2XA。",
                "A verification code is 10 letters and digits, like 7K3QD-9M2XA.",
            ))
        })?;
        let mut c = self.reader().await?;
        let found = st::by_code(&mut c, &code).await?;
        let report = match found {
            Some(r) if unit_in_scope(&mut c, &scope, r.unit_id).await? => {
                let unit = r.unit_id;
                Some(self.view(&mut c, actor, unit, Some(r)).await?)
            }
            _ => None,
        };
        drop(c);
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        let outcome = match &report {
            Some(r) => format!("{code}: {} {}", r.unit_name, r.signature.as_ref().is_some_and(|s| s.intact)),
            None => format!("{code}: not found"),
        };
        record(
            &mut tx,
            self,
            now,
            Who::User(actor),
            Event::new("work_report.verify", "work_report", 0).detail(outcome),
        )
        .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(WorkReportVerification { code, report })
    }
}

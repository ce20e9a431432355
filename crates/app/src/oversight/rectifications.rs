//! Rectification after a case (以案促改、一案一整改, design brief §8): the committee issues a
//! numbered recommendation letter on a concluded lead; the unit records its analysis and
//! measures and its head signs the reply; the committee accepts or returns it and later
//! re-checks (回头看) whether the measures held. Institutions established: `institutions`.

use domain::{
    FieldError, LeadId, UnitId,
    dates::beijing_date,
    ledger::{lead::LeadStatus, lead_no::LeadNo},
    lifecycle::{deadline::RuleCode, timeline::Activity, timeline::Payload},
    oversight::rectification::{
        AnalysisInput, LetterInput, LetterKind, MeasureInput, MeasureStatus, RectificationState, check_reply,
        letter_number, measure_overdue, reply_signature,
    },
    protection::role::Role,
    reporters::attachment::AttachedTo,
    text::Prose,
};
use serde::Serialize;
use store::{
    Constraint, LeadHandle, StoreError, Tx,
    ledger::leads,
    oversight::rectifications::{self as rx, NewLetter},
    to_micros,
};
use time::{Date, OffsetDateTime};

use super::Oversight;
use crate::{
    Actor, AppError,
    lifecycle::Noted,
    protection::audit::{Event, Who, record},
};

/// Rectifications a page of the list shows.
pub const RECTIFICATION_PAGE: u32 = 30;

/// A rectification as the list and its page show it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RectificationView {
    pub id: i64,
    pub lead_id: LeadId,
    pub lead_number: String,
    pub lead_summary: String,
    pub unit_id: UnitId,
    pub unit_name: String,
    pub kind: LetterKind,
    pub number: String,
    pub content: String,
    pub reply_due: Date,
    /// Not replied and past the reply deadline.
    pub reply_overdue: bool,
    pub state: RectificationState,
    pub causes: Option<String>,
    pub risk_points: Option<String>,
    pub loopholes: Option<String>,
    pub reply: Option<String>,
    pub reply_signature: Option<String>,
    pub replied_by: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub replied_at: Option<OffsetDateTime>,
    pub decision_note: Option<String>,
    pub decided_by: Option<String>,
    pub recheck_held: Option<bool>,
    pub recheck_notes: Option<String>,
    pub rechecked_by: Option<String>,
    pub issued_by: String,
    pub issuer_unit: String,
    #[serde(with = "time::serde::rfc3339")]
    pub issued_at: OffsetDateTime,
    pub measures: i64,
    pub overdue_measures: i64,
}

fn view(x: rx::Rectification, today: Date) -> RectificationView {
    RectificationView {
        reply_overdue: x.state.unit_may_write() && x.reply_due < today,
        id: x.id,
        lead_id: x.lead_id,
        lead_number: x.lead_number,
        lead_summary: x.lead_summary,
        unit_id: x.unit_id,
        unit_name: x.unit_name,
        kind: x.kind,
        number: x.number,
        content: x.content,
        reply_due: x.reply_due,
        state: x.state,
        causes: x.causes,
        risk_points: x.risk_points,
        loopholes: x.loopholes,
        reply: x.reply,
        reply_signature: x.reply_signature,
        replied_by: x.replied_by,
        replied_at: x.replied_at.map(store::from_micros),
        decision_note: x.decision_note,
        decided_by: x.decided_by,
        recheck_held: x.recheck_held,
        recheck_notes: x.recheck_notes,
        rechecked_by: x.rechecked_by,
        issued_by: x.issued_by,
        issuer_unit: x.issuer_unit,
        issued_at: store::from_micros(x.issued_at),
        measures: x.measures,
        overdue_measures: x.overdue,
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RectificationList {
    pub items: Vec<RectificationView>,
    pub total: i64,
    pub page: u32,
    pub per_page: u32,
    /// Whether the caller may issue letters (the supervising committee).
    pub may_issue: bool,
}

impl RectificationList {
    pub fn page_count(&self) -> u32 {
        (self.total.max(1) as u32).div_ceil(self.per_page)
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MeasureView {
    pub id: i64,
    pub content: String,
    pub owner: String,
    pub due_on: Date,
    pub status: MeasureStatus,
    pub evidence: String,
    pub set_on: Date,
    pub overdue: bool,
}

/// One rectification whole, with what the caller may do on it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RectificationDetail {
    pub rectification: RectificationView,
    pub measures: Vec<MeasureView>,
    /// The unit's keepers: the analysis and measures (until accepted; progress until re-checked).
    pub may_write: bool,
    pub may_update_measures: bool,
    /// The unit head signs the reply.
    pub may_reply: bool,
    /// The committee accepts or returns the reply, and re-checks.
    pub may_decide: bool,
    pub may_recheck: bool,
    /// Its files (the unit's evidence, the committee's re-check), and whether the caller may add one.
    pub files: Vec<crate::AttachmentView>,
    pub may_attach: bool,
}

fn refusal(field: &str, code: &'static str, zh: &str, en: &str) -> AppError {
    AppError::field(FieldError::new(field, code, zh, en))
}

fn moved_on() -> AppError {
    refusal(
        "state",
        "moved_on",
        "该整改的状态已变化，请刷新后核对。",
        "The rectification has moved on; reload and check.",
    )
}

impl Oversight<'_> {
    fn today_here(&self) -> Date {
        beijing_date(self.now())
    }

    /// Puts where the rectification stands on its lead's timeline and in the audit trail.
    async fn noted(
        &self,
        tx: &mut Tx,
        (handle, x): (&LeadHandle, (i64, &str)),
        (state, action): (RectificationState, &str),
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<(), AppError> {
        let (id, number) = x;
        let payload = Payload::Rectification { rectification: Some(id), number: number.to_owned(), state };
        let noted = Noted { activity: Activity::Rectification, note: None, payload: Some(payload) };
        self.note_activity(tx, handle, actor.id, now, noted).await?;
        let event = Event::new(action, "rectification", id).detail(format!("lead {}, {number}", handle.id()));
        record(tx, self, now, Who::User(actor), event).await?;
        Ok(())
    }

    #[tracing::instrument(name = "oversight.rectifications", skip_all)]
    pub async fn rectifications(&self, actor: &Actor, page: u32) -> Result<RectificationList, AppError> {
        let reader = actor.ledger()?;
        let page = page.max(1);
        let offset = i64::from(page - 1).saturating_mul(i64::from(RECTIFICATION_PAGE));
        let today = self.today_here();
        let mut c = self.reader().await?;
        let (rows, total) = rx::list(&mut c, &reader.scope, today, (i64::from(RECTIFICATION_PAGE), offset)).await?;
        Ok(RectificationList {
            items: rows.into_iter().map(|x| view(x, today)).collect(),
            total,
            page,
            per_page: RECTIFICATION_PAGE,
            may_issue: actor.supervised_scope().is_ok(),
        })
    }

    /// The committee issues the letter on a concluded lead: numbered by kind and year, with the
    /// reply deadline typed or the rule's (one month by default).
    #[tracing::instrument(name = "oversight.issue_letter", skip_all)]
    pub async fn issue_letter(&self, actor: &Actor, input: &LetterInput) -> Result<i64, AppError> {
        let scope = actor.supervised_scope()?;
        let now = self.now();
        let today = beijing_date(now);
        let letter = input.parse(today)?;
        let unknown = || {
            refusal("lead", "unknown_lead", "线索不存在或不在您的监督范围内。", "No such lead under your supervision.")
        };
        let number = LeadNo::parse(&input.lead).ok_or_else(unknown)?;
        let mut tx = self.db().begin_write().await?;
        let (handle, lead) = leads::by_number(&mut tx, &scope, &number).await?.ok_or_else(unknown)?;
        if !matches!(lead.status, LeadStatus::Concluded | LeadStatus::StruckOff) {
            return Err(refusal(
                "lead",
                "not_concluded",
                "只能对已办结的案件提出整改建议。",
                "Only a concluded case is rectified.",
            ));
        }
        let reply_due = letter.reply_due.unwrap_or_else(|| self.rule_due(RuleCode::RectificationReply, today).0);
        let year = today.year();
        let seq = rx::next_seq(&mut tx, letter.kind, year).await?;
        let number = letter_number(letter.kind, year, seq);
        let new = NewLetter {
            unit: lead.unit_id,
            kind: letter.kind,
            year,
            seq,
            number: &number,
            content: letter.content.as_str(),
            reply_due,
            by: actor.id,
            at: to_micros(now),
        };
        let id = rx::insert(&mut tx, &handle, &new).await.map_err(|e| match e {
            StoreError::Unique(Constraint::OneRectification) => refusal(
                "lead",
                "one_per_case",
                "该案件已有整改建议书（一案一整改）。",
                "This case has its rectification already (one per case).",
            ),
            StoreError::Unique(Constraint::LetterNumber) => AppError::Conflict,
            other => other.into(),
        })?;
        self.noted(&mut tx, (&handle, (id, &number)), (RectificationState::Issued, "rectification.issue"), actor, now)
            .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(id)
    }

    #[tracing::instrument(name = "oversight.rectification", skip_all)]
    pub async fn rectification(&self, actor: &Actor, id: i64) -> Result<RectificationDetail, AppError> {
        let reader = actor.ledger()?;
        let today = self.today_here();
        let mut c = self.reader().await?;
        let (handle, x) = rx::get(&mut c, &reader.scope, id, today).await?.ok_or(AppError::NotFound)?;
        let files = self.reporters().files_on(&mut c, &handle, AttachedTo::Rectification(id)).await?;
        // Which of the caller's capacities reach this rectification: keeper, unit head, committee.
        let scopes =
            [actor.ledger_keeper().map(|k| k.scope).ok(), actor.unit_head_scope().ok(), actor.supervised_scope().ok()];
        let mut covered = [false; 3];
        for (i, s) in scopes.into_iter().enumerate() {
            if let Some(s) = s {
                covered[i] = rx::get(&mut c, &s, id, today).await?.is_some();
            }
        }
        let measures = rx::measures(&mut c, id)
            .await?
            .into_iter()
            .map(|m| MeasureView {
                overdue: measure_overdue(m.status, m.due_on, today),
                id: m.id,
                content: m.content,
                owner: m.owner,
                due_on: m.due_on,
                status: m.status,
                evidence: m.evidence,
                set_on: m.set_on,
            })
            .collect();
        let state = x.state;
        Ok(RectificationDetail {
            may_write: covered[0] && state.unit_may_write(),
            may_update_measures: covered[0] && state != RectificationState::Rechecked,
            may_reply: covered[1] && state.unit_may_write(),
            may_decide: covered[2] && state == RectificationState::Replied,
            may_recheck: covered[2] && state == RectificationState::Accepted,
            may_attach: covered[0] && state.takes_files(true) || covered[2] && state.takes_files(false),
            rectification: view(x, today),
            measures,
            files,
        })
    }

    /// The unit's keeper records (or rewrites) the analysis while the unit may write.
    #[tracing::instrument(name = "oversight.record_analysis", skip_all)]
    pub async fn record_analysis(&self, actor: &Actor, id: i64, input: &AnalysisInput) -> Result<(), AppError> {
        let keeper = actor.ledger_keeper()?;
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        let (handle, x) = rx::get(&mut tx, &keeper.scope, id, beijing_date(now)).await?.ok_or(AppError::NotFound)?;
        let a = input.parse()?;
        if !x.state.unit_may_write() || !rx::set_analysis(&mut tx, id, &a).await? {
            return Err(moved_on());
        }
        let event = Event::new("rectification.analysis", "rectification", id).detail(format!("lead {}", handle.id()));
        record(&mut tx, self, now, Who::User(actor), event).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    /// The unit's keeper adds a measure while the unit may write.
    #[tracing::instrument(name = "oversight.add_measure", skip_all)]
    pub async fn add_measure(&self, actor: &Actor, id: i64, input: &MeasureInput) -> Result<i64, AppError> {
        let keeper = actor.ledger_keeper()?;
        let now = self.now();
        let today = beijing_date(now);
        let mut tx = self.db().begin_write().await?;
        let (handle, x) = rx::get(&mut tx, &keeper.scope, id, today).await?.ok_or(AppError::NotFound)?;
        let m = input.parse(today)?;
        if !x.state.unit_may_write() {
            return Err(moved_on());
        }
        let measure =
            rx::add_measure(&mut tx, id, &m, today, (actor.id, to_micros(now))).await?.ok_or_else(moved_on)?;
        let event = Event::new("rectification.measure", "rectification", id)
            .detail(format!("lead {}, measure {measure}", handle.id()));
        record(&mut tx, self, now, Who::User(actor), event).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(measure)
    }

    /// The unit's keeper updates a measure's progress (until the re-check).
    #[tracing::instrument(name = "oversight.update_measure", skip_all)]
    /// Returns the measure's rectification.
    pub async fn update_measure(&self, actor: &Actor, measure: i64, input: &MeasureInput) -> Result<i64, AppError> {
        let keeper = actor.ledger_keeper()?;
        let now = self.now();
        let today = beijing_date(now);
        let mut tx = self.db().begin_write().await?;
        let (handle, m) = rx::get_measure(&mut tx, &keeper.scope, measure).await?.ok_or(AppError::NotFound)?;
        let (_, x) = rx::get(&mut tx, &keeper.scope, m.rectification_id, today).await?.ok_or(AppError::NotFound)?;
        let parsed = input.parse(m.set_on)?;
        if x.state == RectificationState::Rechecked {
            return Err(moved_on());
        }
        // Once the head signed the reply, what was promised stays as signed: only progress moves.
        let promised = (m.content.as_str(), m.owner.as_str(), m.due_on);
        if !x.state.unit_may_write() && promised != (parsed.content.as_str(), parsed.owner.as_str(), parsed.due_on) {
            return Err(refusal(
                "content",
                "signed",
                "整改回复已签字，措施内容、责任人和完成时限不能再改，只能更新进展和佐证。",
                "The reply is signed: a measure's content, owner and due date stay; only progress and evidence change.",
            ));
        }
        if !rx::update_measure(&mut tx, measure, &parsed, (actor.id, to_micros(now))).await? {
            return Err(moved_on());
        }
        let event = Event::new("rectification.measure_update", "rectification", x.id)
            .before(&serde_json::json!({"status": m.status, "due_on": m.due_on, "evidence": m.evidence}))
            .after(&serde_json::json!({"status": parsed.status, "due_on": parsed.due_on, "evidence": parsed.evidence}))
            .detail(format!("lead {}, measure {measure}", handle.id()));
        record(&mut tx, self, now, Who::User(actor), event).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(x.id)
    }

    /// The unit head signs and sends the reply: refused without the analysis and a measure,
    /// and once replied or accepted.
    #[tracing::instrument(name = "oversight.reply_rectification", skip_all)]
    pub async fn reply_rectification(&self, actor: &Actor, id: i64, reply: &str) -> Result<(), AppError> {
        let scope = actor.unit_head_scope()?;
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        let (handle, x) = rx::get(&mut tx, &scope, id, beijing_date(now)).await?.ok_or(AppError::NotFound)?;
        let text = Prose::<4000>::parse("reply", reply).map_err(AppError::field)?;
        check_reply(x.state, x.causes.is_some(), x.measures as usize)?;
        let at = to_micros(now);
        let sig = reply_signature(&x.number, text.as_str(), actor.id.get(), at);
        if !rx::reply(&mut tx, id, text.as_str(), &sig, (actor.id, at)).await? {
            return Err(moved_on());
        }
        let state = RectificationState::Replied;
        self.noted(&mut tx, (&handle, (id, &x.number)), (state, "rectification.reply"), actor, now).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    /// The committee accepts the reply, or returns it for more (with the reasons).
    #[tracing::instrument(name = "oversight.decide_rectification", skip_all)]
    pub async fn decide_rectification(&self, actor: &Actor, id: i64, accept: bool, note: &str) -> Result<(), AppError> {
        let scope = actor.supervised_scope()?;
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        let (handle, x) = rx::get(&mut tx, &scope, id, beijing_date(now)).await?.ok_or(AppError::NotFound)?;
        let note = if accept {
            Prose::<2000>::parse_optional("note", note)
                .map_err(AppError::field)?
                .map(|n| n.into_string())
                .unwrap_or_default()
        } else {
            Prose::<2000>::parse("note", note).map_err(AppError::field)?.into_string()
        };
        let to = if accept { RectificationState::Accepted } else { RectificationState::Returned };
        if x.state != RectificationState::Replied
            || !rx::decide(&mut tx, id, to, &note, (actor.id, to_micros(now))).await?
        {
            return Err(moved_on());
        }
        let action = if accept { "rectification.accept" } else { "rectification.return" };
        self.noted(&mut tx, (&handle, (id, &x.number)), (to, action), actor, now).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    /// The committee's re-check (回头看) of an accepted rectification: did the measures hold.
    #[tracing::instrument(name = "oversight.recheck_rectification", skip_all)]
    pub async fn recheck_rectification(&self, actor: &Actor, id: i64, held: bool, notes: &str) -> Result<(), AppError> {
        let scope = actor.supervised_scope()?;
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        let (handle, x) = rx::get(&mut tx, &scope, id, beijing_date(now)).await?.ok_or(AppError::NotFound)?;
        let notes = Prose::<2000>::parse("recheck_notes", notes).map_err(AppError::field)?;
        if x.state != RectificationState::Accepted
            || !rx::recheck(&mut tx, id, held, notes.as_str(), (actor.id, to_micros(now))).await?
        {
            return Err(moved_on());
        }
        let state = RectificationState::Rechecked;
        self.noted(&mut tx, (&handle, (id, &x.number)), (state, "rectification.recheck"), actor, now).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    /// The letter as printed (page and docx).
    pub async fn letter(&self, actor: &Actor, id: i64) -> Result<RectificationView, AppError> {
        let reader = actor.ledger()?;
        let today = self.today_here();
        let mut c = self.reader().await?;
        let (_, x) = rx::get(&mut c, &reader.scope, id, today).await?.ok_or(AppError::NotFound)?;
        Ok(view(x, today))
    }
}

impl Oversight<'_> {
    /// Announces, once each, the measures past their date and the letters past their reply
    /// deadline: to the unit's inspectors and head and to the letter's issuer, as lead warnings
    /// reach their people. Returns how many notices it wrote.
    #[tracing::instrument(name = "oversight.scan_rectifications", skip_all)]
    pub async fn scan_rectifications(&self) -> Result<usize, AppError> {
        let now = self.now();
        let today = beijing_date(now);
        let overdue = {
            let mut c = self.reader().await?;
            rx::overdue_unannounced(&mut c, today).await?
        };
        let mut sent = 0;
        let mut tx = self.db().begin_write().await?;
        for o in &overdue {
            if !rx::mark_announced(&mut tx, o).await? {
                continue;
            }
            let (zh, en) = match o.measure {
                Some(_) => (
                    format!("整改措施逾期：{}「{}」应于 {} 前完成", o.number, o.what, o.due),
                    format!("Rectification measure overdue: {} \"{}\" was due {}", o.number, o.what, o.due),
                ),
                None => (
                    format!("整改回复逾期：{} 应于 {} 前回复", o.number, o.due),
                    format!("Rectification reply overdue: {} was due {}", o.number, o.due),
                ),
            };
            let mut to = store::lifecycle::notices::holders(&mut tx, Role::Inspector, o.unit, &o.lead).await?;
            to.extend(store::lifecycle::notices::holders(&mut tx, Role::UnitHead, o.unit, &o.lead).await?);
            if rx::may_be_told(&mut tx, o.issued_by, &o.lead).await? {
                to.push(o.issued_by);
            }
            to.sort_by_key(|u| u.get());
            to.dedup();
            for user in to {
                let n = store::lifecycle::notices::NewNotice {
                    user,
                    lead: Some(&o.lead),
                    kind: "rectification_overdue",
                    zh: &zh,
                    en: &en,
                    at: to_micros(now),
                };
                store::lifecycle::notices::insert(&mut tx, &n).await?;
                sent += 1;
            }
        }
        if sent > 0 {
            record(
                &mut tx,
                self,
                now,
                Who::System,
                Event::new("rectification.overdue_scan", "rectification", "").detail(sent.to_string()),
            )
            .await?;
        }
        tx.commit().await.map_err(StoreError::from)?;
        Ok(sent)
    }
}

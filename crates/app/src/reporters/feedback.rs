//! Feedback to a signed reporter (受理告知, 结果反馈) and the satisfaction follow-up (回访), each
//! with its date, method and who gave it; the reporter's objections (异议), answered — new
//! material checked, and the lead reopened by the normal transition when it warrants. Recording
//! feedback records the lead's follow-through, so its clocks and the strike-off rule follow.

use domain::{
    LeadId,
    dates::beijing_date,
    ledger::lead::{Lead, LeadStatus},
    lifecycle::timeline::{Activity, Payload},
    reporters::{
        ReporterKind,
        feedback::{ContactMethod, FeedbackFacts, FeedbackInput, FeedbackKind},
        objection::{AnswerInput, Objection, ObjectionInput, ObjectionState},
        satisfaction::Satisfaction,
    },
    text::Prose,
};
use serde::Serialize;
use store::{Conn, LeadHandle, StoreError, ledger::leads, reporters::feedback as fx, to_micros};
use time::Date;

use super::Reporters;
use crate::{
    Actor, AppError,
    lifecycle::{Noted, StepInput},
    protection::audit::{Event, Who, record},
};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FeedbackView {
    pub id: i64,
    pub kind: FeedbackKind,
    #[serde(serialize_with = "domain::dates::serde_date::serialize")]
    pub contacted_on: Date,
    pub method: ContactMethod,
    pub given_by: String,
    pub note: Option<String>,
    pub rating: Option<Satisfaction>,
    pub reasons: Option<String>,
    pub recorded_by: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ObjectionView {
    pub id: i64,
    #[serde(serialize_with = "domain::dates::serde_date::serialize")]
    pub received_on: Date,
    pub method: ContactMethod,
    pub content: String,
    pub new_material: bool,
    pub state: ObjectionState,
    pub recorded_by: String,
    #[serde(serialize_with = "domain::dates::serde_opt_date::serialize")]
    pub answered_on: Option<Date>,
    pub answer: Option<String>,
    pub material_checked: Option<String>,
    pub given_by: Option<String>,
}

/// A lead's feedback and objections, with what the caller may record now.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LeadFeedback {
    pub lead_id: LeadId,
    pub lead_number: String,
    pub status: LeadStatus,
    /// Whether the reporter signed (实名): the notices are owed to them.
    pub signed: bool,
    pub feedback: Vec<FeedbackView>,
    pub objections: Vec<ObjectionView>,
    /// The feedback the caller may record now (empty when none).
    pub may_record: Vec<FeedbackKind>,
    pub may_object: bool,
    /// Open objections the caller may answer.
    pub may_answer: Vec<i64>,
    /// The recorder's name, the default for "who gave it".
    pub recorder: String,
}

fn feedback_view(r: fx::FeedbackRow) -> FeedbackView {
    FeedbackView {
        id: r.id,
        kind: r.kind,
        contacted_on: r.contacted_on,
        method: r.method,
        given_by: r.given_by,
        note: r.note,
        rating: r.rating,
        reasons: r.reasons,
        recorded_by: r.recorded_by,
    }
}

fn objection_view(r: fx::ObjectionRow) -> ObjectionView {
    ObjectionView {
        id: r.id,
        received_on: r.received_on,
        method: r.method,
        content: r.content,
        new_material: r.new_material,
        state: r.state,
        recorded_by: r.recorded_by,
        answered_on: r.answered_on,
        answer: r.answer,
        material_checked: r.material_checked,
        given_by: r.given_by,
    }
}

fn as_objection(r: &fx::ObjectionRow) -> Result<Objection, AppError> {
    Ok(Objection {
        received_on: r.received_on,
        method: r.method,
        content: Prose::parse("content", &r.content).map_err(|e| AppError::internal(e.message_en))?,
        new_material: r.new_material,
    })
}

impl Reporters<'_> {
    /// What the feedback rules need to know of the lead, and its feedback as read for them.
    async fn facts(
        &self,
        c: &mut Conn,
        handle: &LeadHandle,
        lead: &Lead,
    ) -> Result<(FeedbackFacts, Vec<fx::FeedbackRow>), AppError> {
        let signed =
            store::reporters::identity::reporter(c, handle).await?.is_some_and(|r| r.kind == ReporterKind::Signed);
        let closure = if lead.status.is_open() { None } else { fx::latest_closure(c, handle).await? };
        let feedback = fx::of_lead(c, handle).await?;
        let closure_event = closure.map_or(i64::MAX, |(e, _)| e);
        // The result told since that closure (once a closure, so the latest is the one).
        let result = feedback.iter().rev().find(|f| f.kind == FeedbackKind::Result && f.event_id > closure_event);
        let facts = FeedbackFacts {
            signed,
            status: lead.status,
            received_on: lead.received_on,
            closed_on: closure.map(|(_, at)| beijing_date(store::from_micros(at))),
            result_told_on: result.map(|r| r.contacted_on),
            acceptance_told: feedback.iter().any(|f| f.kind == FeedbackKind::Acceptance),
            followed_up: result
                .is_some_and(|r| feedback.iter().any(|f| f.kind == FeedbackKind::FollowUp && f.event_id > r.event_id)),
            today: self.today(),
        };
        Ok((facts, feedback))
    }

    #[tracing::instrument(name = "reporters.feedback", skip_all)]
    pub async fn feedback(&self, actor: &Actor, id: LeadId) -> Result<LeadFeedback, AppError> {
        let reader = actor.ledger()?;
        let mut c = self.reader().await?;
        let (handle, lead) = leads::get(&mut c, &reader.scope, id).await?.ok_or(AppError::NotFound)?;
        let (facts, rows) = self.facts(&mut c, &handle, &lead).await?;
        let keeps = match actor.ledger_keeper() {
            Ok(k) => leads::get(&mut c, &k.scope, id).await?.is_some(),
            Err(_) => false,
        };
        // Offer only what the rules would accept today (a kind's own date checks aside).
        let may_record = if keeps {
            FeedbackKind::ALL
                .iter()
                .copied()
                .filter(|k| {
                    let probe = FeedbackInput {
                        kind: k.code().into(),
                        contacted_on: domain::dates::format_date(facts.today),
                        method: if facts.signed { "phone" } else { "portal" }.into(),
                        rating: if *k == FeedbackKind::FollowUp { "satisfied" } else { "" }.into(),
                        ..Default::default()
                    };
                    probe.parse(&facts).is_ok()
                })
                .collect()
        } else {
            Vec::new()
        };
        let objections: Vec<ObjectionView> =
            fx::objections_of_lead(&mut c, &handle).await?.into_iter().map(objection_view).collect();
        Ok(LeadFeedback {
            lead_id: id,
            lead_number: lead.number.to_string(),
            status: lead.status,
            signed: facts.signed,
            feedback: rows.into_iter().map(feedback_view).collect(),
            may_answer: if keeps {
                objections.iter().filter(|o| o.state.is_open()).map(|o| o.id).collect()
            } else {
                Vec::new()
            },
            objections,
            may_record,
            may_object: keeps && facts.closed_on.is_some(),
            recorder: actor.display_name.clone(),
        })
    }

    /// Records feedback given to the reporter, and with it the lead's follow-through.
    #[tracing::instrument(name = "reporters.record_feedback", skip_all)]
    pub async fn record_feedback(&self, actor: &Actor, id: LeadId, input: &FeedbackInput) -> Result<i64, AppError> {
        let keeper = actor.ledger_keeper()?;
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        let (handle, lead) = leads::get(&mut tx, &keeper.scope, id).await?.ok_or(AppError::NotFound)?;
        let (facts, _) = self.facts(&mut tx, &handle, &lead).await?;
        let f = input.parse(&facts)?;
        let given_by = f.given_by.as_ref().map_or(actor.display_name.as_str(), |g| g.as_str()).to_owned();
        let mut note = format!("{} · {} · {}", f.method.zh(), f.contacted_on, given_by);
        if let Some(r) = f.rating {
            note.push_str(&format!(" · {}", r.zh()));
        }
        let event = self
            .app
            .lifecycle()
            .follow_up_in(&mut tx, (&handle, &lead), f.kind.follow_up(), &note, (actor.id, now, f.contacted_on))
            .await?;
        let fid = fx::insert(&mut tx, &handle, event, &f, &given_by, (actor.id, to_micros(now))).await?;
        let detail =
            format!("lead {id}, {}, {}{}", f.kind, f.method, f.rating.map(|r| format!(", {r}")).unwrap_or_default());
        record(&mut tx, self, now, Who::User(actor), Event::new("reporter.feedback", "feedback", fid).detail(detail))
            .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(fid)
    }

    /// Records the reporter's objection to the result.
    #[tracing::instrument(name = "reporters.record_objection", skip_all)]
    pub async fn record_objection(&self, actor: &Actor, id: LeadId, input: &ObjectionInput) -> Result<i64, AppError> {
        let keeper = actor.ledger_keeper()?;
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        let (handle, lead) = leads::get(&mut tx, &keeper.scope, id).await?.ok_or(AppError::NotFound)?;
        let (facts, _) = self.facts(&mut tx, &handle, &lead).await?;
        let o = input.parse(facts.closed_on, facts.today)?;
        let oid = fx::insert_objection(&mut tx, &handle, &o, (actor.id, to_micros(now))).await?;
        let noted = Noted { activity: Activity::Objection, note: Some(o.content.as_str()), payload: None };
        self.app.note_activity(&mut tx, &handle, actor.id, now, noted).await?;
        let detail = format!("lead {id}, new material: {}", o.new_material);
        record(&mut tx, self, now, Who::User(actor), Event::new("reporter.objection", "objection", oid).detail(detail))
            .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(oid)
    }

    /// Answers an objection. Re-checking reopens the lead by the normal 重新启动 step, which
    /// waits for approval like any reopening of an approved closure.
    #[tracing::instrument(name = "reporters.answer_objection", skip_all)]
    pub async fn answer_objection(
        &self,
        actor: &Actor,
        id: LeadId,
        objection: i64,
        input: &AnswerInput,
    ) -> Result<ObjectionState, AppError> {
        let keeper = actor.ledger_keeper()?;
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        let (handle, _) = leads::get(&mut tx, &keeper.scope, id).await?.ok_or(AppError::NotFound)?;
        let row = fx::objection(&mut tx, &handle, objection).await?.ok_or(AppError::NotFound)?;
        let a = input.parse(&as_objection(&row)?, row.state, self.today())?;
        let given_by = a.given_by.as_ref().map_or(actor.display_name.as_str(), |g| g.as_str()).to_owned();
        if !fx::answer(&mut tx, &handle, objection, &a, &given_by, (actor.id, to_micros(now))).await? {
            return Err(AppError::field(domain::FieldError::new(
                "answer",
                "answered",
                "该异议已经答复。",
                "The objection has been answered.",
            )));
        }
        let text = format!("{}：{}", a.outcome.zh(), a.answer);
        if a.outcome == ObjectionState::Reopened {
            let step = StepInput {
                step: "reopen".into(),
                note: format!("举报人异议，重新核查：{}", a.answer),
                ..Default::default()
            };
            self.app.lifecycle().take_step_in(&mut tx, &keeper, id, &step, now).await?;
        } else {
            let noted = Noted { activity: Activity::Objection, note: Some(&text), payload: None::<Payload> };
            self.app.note_activity(&mut tx, &handle, actor.id, now, noted).await?;
        }
        let detail = format!("lead {id}, {}", a.outcome);
        record(
            &mut tx,
            self,
            now,
            Who::User(actor),
            Event::new("reporter.answer", "objection", objection).detail(detail),
        )
        .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(a.outcome)
    }
}

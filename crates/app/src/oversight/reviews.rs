//! Re-review of unfounded closures (查否复审复核, design brief §7): the supervising committee
//! fills the queue by rule, assigns reviewers (never of the handling unit, never named in the
//! lead), who record their methods, answer the checks and give the result. A returned lead
//! reopens at its unit — a transition on its timeline, never an edit — with a resubmission
//! deadline on the lead's own clock, so it warns like any other.

use std::collections::HashSet;

use domain::{
    FieldError, LeadId,
    dates::beijing_date,
    ledger::lead::LeadStatus,
    lifecycle::{
        deadline::RuleCode,
        step::Step,
        timeline::{Activity, EventKind, EventState, Payload},
    },
    oversight::{
        review::{Closure, DrawInput, check_reviewer, pick},
        reviewing::{ChecksInput, MethodInput, ResultInput, ReviewResult, ReviewSoFar, ReviewState},
    },
    protection::scope::Scope,
    reporters::attachment::AttachedTo,
};
use store::{
    Conn, Constraint, LeadHandle, StoreError, Tx,
    ledger::{leads, repeats},
    lifecycle::timeline::{self, NewEvent, StatusChange},
    oversight::{endorsements, reviews},
    to_micros,
};
use time::{Date, OffsetDateTime};

use super::Oversight;
use super::review_views::row;
pub use super::review_views::*;
use crate::{
    Actor, AppError,
    lifecycle::Noted,
    protection::audit::{Event, Who, record},
};

/// Reviews a page of the queue shows.
pub const REVIEW_PAGE: u32 = 30;

fn refusal(field: &str, code: &'static str, zh: &str, en: &str) -> AppError {
    AppError::field(FieldError::new(field, code, zh, en))
}

fn decided() -> AppError {
    refusal("result", "decided", "该复审已有结论。", "This review has its result already.")
}

/// A seed for a draw typed without one: recorded with the draw, so it need not be secret.
fn fresh_seed(now: OffsetDateTime) -> u64 {
    (now.unix_timestamp_nanos() as u64).rotate_left(17) ^ 0x5DEE_CE66_D1CE_B00C
}

impl Oversight<'_> {
    /// The queue as the caller may see it: a unit its own leads' reviews, the committee its subtree's.
    #[tracing::instrument(name = "oversight.review_queue", skip_all)]
    pub async fn review_queue(
        &self,
        actor: &Actor,
        state: Option<ReviewState>,
        page: u32,
    ) -> Result<ReviewQueue, AppError> {
        let reader = actor.ledger()?;
        let page = page.max(1);
        let offset = i64::from(page - 1).saturating_mul(i64::from(REVIEW_PAGE));
        let mut c = self.reader().await?;
        let (items, total) = reviews::list(&mut c, &reader.scope, state, (i64::from(REVIEW_PAGE), offset)).await?;
        let figures = reviews::figures(&mut c, &reader.scope)
            .await?
            .into_iter()
            .map(|(unit, unit_name, [reviews, open, upheld, returned])| ReviewFigures {
                unit_id: unit.get(),
                unit_name,
                reviews,
                open,
                upheld,
                returned,
            })
            .collect();
        let draws = reviews::draws(&mut c, &reader.scope, 5)
            .await?
            .into_iter()
            .map(|d| DrawView {
                id: d.id,
                all: d.policy.all,
                sample_percent: d.policy.sample_percent,
                seed: d.policy.seed.to_string(),
                repeat_reports: d.policy.repeat_reports,
                categories: d.policy.categories,
                still_complaining: d.policy.still_complaining,
                returned_before: d.policy.returned_before,
                considered: d.considered,
                picked: d.picked,
                by: d.by,
                at: store::from_micros(d.at),
            })
            .collect();
        Ok(ReviewQueue {
            items: items.iter().map(row).collect(),
            total,
            page,
            per_page: REVIEW_PAGE,
            state,
            figures,
            draws,
            may_draw: actor.supervised_scope().is_ok(),
        })
    }

    /// Fills the queue from the closures in the supervisor's subtree that no review has taken
    /// up, by the rules typed; the draw, its seed and each pick's reasons are recorded.
    #[tracing::instrument(name = "oversight.draw_reviews", skip_all)]
    pub async fn draw_reviews(&self, actor: &Actor, input: &DrawInput) -> Result<DrawDone, AppError> {
        let scope = actor.supervised_scope()?;
        let now = self.now();
        let policy = input.parse(fresh_seed(now))?;
        let mut tx = self.db().begin_write().await?;
        let closures = reviews::unreviewed_closures(&mut tx, &scope).await?;
        let leads_closed: Vec<LeadId> = closures.iter().map(|c| c.lead).collect();
        let again: HashSet<LeadId> =
            repeats::reported_again(&mut tx, &scope).await?.into_iter().map(|(l, _)| l).collect();
        let complained = reviews::complained_after(&mut tx, &scope, &leads_closed).await?;
        let at_closure: Vec<(LeadId, i64)> = closures.iter().map(|c| (c.lead, c.closure_event)).collect();
        let unsatisfied: HashSet<LeadId> =
            store::reporters::feedback::unsatisfied_since(&mut tx, &at_closure).await?.into_iter().collect();
        let returned = reviews::units_returned_before(&mut tx, &scope).await?;
        let facts: Vec<Closure> = closures
            .iter()
            .map(|c| Closure {
                lead: c.lead,
                unit: c.unit,
                status: c.status,
                finding: c.finding,
                category: c.category,
                reported_again: again.contains(&c.lead),
                complaint_after: complained.contains(&c.lead),
                unsatisfied: unsatisfied.contains(&c.lead),
                unit_returned_before: returned.contains(&c.unit),
            })
            .collect();
        let picked = pick(&policy, &facts);
        let unit = *scope.roots().first().ok_or(AppError::Forbidden)?;
        let at = to_micros(now);
        let draw = reviews::insert_draw(&mut tx, unit, &policy, (closures.len(), picked.len()), (actor.id, at)).await?;
        for (lead, reasons) in &picked {
            let closure =
                closures.iter().find(|c| c.lead == *lead).ok_or_else(|| AppError::internal("picked no closure"))?;
            let (handle, _) = leads::get(&mut tx, &scope, *lead).await?.ok_or(AppError::NotFound)?;
            let id = reviews::insert(
                &mut tx,
                &handle,
                (closure.closure_event, draw, closure.unit),
                (reasons, closure.finding),
                at,
            )
            .await
            .map_err(|e| match e {
                // Another draw took the same closure in the meantime.
                StoreError::Unique(Constraint::OneOpenReview | Constraint::ReviewOfClosure) => refusal(
                    "all",
                    "raced",
                    "同时有他人抽取了复审案件，请刷新后重试。",
                    "Someone else filled the queue at the same time; reload and try again.",
                ),
                other => other.into(),
            })?;
            let payload = Payload::ReviewQueued { review: Some(id), reasons: reasons.clone() };
            let noted = Noted { activity: Activity::Review, note: None, payload: Some(payload) };
            self.note_activity(&mut tx, &handle, actor.id, now, noted).await?;
        }
        let detail = serde_json::json!({
            "seed": policy.seed.to_string(), "all": policy.all, "sample_percent": policy.sample_percent,
            "repeat_reports": policy.repeat_reports, "categories": policy.categories,
            "still_complaining": policy.still_complaining, "returned_before": policy.returned_before,
            "considered": closures.len(), "picked": picked.len(),
        });
        record(
            &mut tx,
            self,
            now,
            Who::User(actor),
            Event::new("review.draw", "review_draw", draw).detail(detail.to_string()),
        )
        .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(DrawDone { draw, seed: policy.seed.to_string(), considered: closures.len(), picked: picked.len() })
    }

    /// The reviews of one lead the caller may read, oldest first.
    #[tracing::instrument(name = "oversight.reviews_of_lead", skip_all)]
    pub async fn reviews_of_lead(&self, actor: &Actor, lead: LeadId) -> Result<Vec<ReviewRow>, AppError> {
        let reader = actor.ledger()?;
        let mut c = self.reader().await?;
        let (handle, _) = leads::get(&mut c, &reader.scope, lead).await?.ok_or(AppError::NotFound)?;
        Ok(reviews::of_lead(&mut c, &handle).await?.iter().map(row).collect())
    }

    /// One review, whole, for anyone who may read its lead.
    #[tracing::instrument(name = "oversight.review", skip_all)]
    pub async fn review(&self, actor: &Actor, id: i64) -> Result<ReviewDetail, AppError> {
        let reader = actor.ledger()?;
        let mut c = self.reader().await?;
        let (handle, r) = reviews::get(&mut c, &reader.scope, id).await?.ok_or(AppError::NotFound)?;
        let reviewers = reviews::reviewers(&mut c, id).await?;
        let supervises = match actor.supervised_scope() {
            Ok(s) => reviews::get(&mut c, &s, id).await?.is_some(),
            Err(_) => false,
        };
        let may_assign = supervises && r.state.is_open();
        let may_record = may_assign && reviewers.iter().any(|x| x.user == actor.id);
        let candidates = if may_assign {
            reviews::reviewer_candidates(&mut c, &handle)
                .await?
                .into_iter()
                .filter(|(x, own, named)| !own && !named && !reviewers.iter().any(|y| y.user == x.user))
                .map(|(x, _, _)| ReviewerView { user_id: x.user.get(), name: x.name, unit_name: x.unit_name })
                .collect()
        } else {
            Vec::new()
        };
        let endorsement = endorsements::of_conclusion(&mut c, &handle, r.closure_event)
            .await?
            .map(|e| EndorsementView { signer: e.signer, signed_at: store::from_micros(e.signed_at), hash: e.hash });
        let methods = reviews::methods(&mut c, id)
            .await?
            .into_iter()
            .map(|m| MethodView {
                method: m.method,
                held_on: m.held_on,
                persons: m.persons,
                notes: m.notes,
                recorded_by: m.by,
            })
            .collect();
        let files = self.reporters().files_on(&mut c, &handle, AttachedTo::Review(id)).await?;
        Ok(ReviewDetail {
            review: row(&r),
            checks: r.checks.clone(),
            result_note: r.result_note.clone(),
            decided_by: r.decided_by.clone(),
            decided_at: r.decided_at.map(store::from_micros),
            reviewers: reviewers
                .into_iter()
                .map(|x| ReviewerView { user_id: x.user.get(), name: x.name, unit_name: x.unit_name })
                .collect(),
            methods,
            endorsement,
            candidates,
            may_assign,
            may_record,
            files,
        })
    }

    /// Assigns reviewers: supervisors over the lead's unit, none of the handling unit (or
    /// below it), none named in the lead.
    #[tracing::instrument(name = "oversight.assign_reviewers", skip_all)]
    pub async fn assign_reviewers(&self, actor: &Actor, id: i64, users: &[i64]) -> Result<(), AppError> {
        let scope = actor.supervised_scope()?;
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        let (handle, r) = reviews::get(&mut tx, &scope, id).await?.ok_or(AppError::NotFound)?;
        if !r.state.is_open() {
            return Err(decided());
        }
        if users.is_empty() {
            return Err(refusal("reviewers", "required", "请选择复审人员。", "Choose the reviewers."));
        }
        let candidates = reviews::reviewer_candidates(&mut tx, &handle).await?;
        let already: Vec<domain::UserId> = reviews::reviewers(&mut tx, id).await?.into_iter().map(|x| x.user).collect();
        let (mut names, mut added) = (Vec::new(), Vec::new());
        for user in users {
            let Some((x, own, named)) = candidates.iter().find(|(x, _, _)| x.user.get() == *user) else {
                return Err(refusal(
                    "reviewers",
                    "not_candidate",
                    "所选人员不是对该线索有监督职责的委直属机关纪委人员。",
                    "The person chosen does not supervise this lead's unit.",
                ));
            };
            check_reviewer(*own, *named).map_err(AppError::field)?;
            if !already.contains(&x.user) && !added.contains(&x.user) {
                added.push(x.user);
                reviews::add_reviewer(&mut tx, &handle, id, x.user, actor.id, to_micros(now)).await?;
                names.push(x.name.clone());
            }
        }
        // A result given in the meantime would have moved it on: then nothing is assigned.
        if r.state == ReviewState::Queued
            && !reviews::advance(&mut tx, id, ReviewState::Queued, ReviewState::InReview).await?
        {
            return Err(decided());
        }
        let note = format!("复审人员 / Reviewers: {}", names.join("、"));
        let noted = Noted { activity: Activity::Review, note: Some(&note), payload: None };
        self.note_activity(&mut tx, &handle, actor.id, now, noted).await?;
        let event = Event::new("review.assign", "review", id).detail(format!("lead {}, users {users:?}", r.lead_id));
        record(&mut tx, self, now, Who::User(actor), event).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    /// The review as its assigned reviewer may work on it (open, in the caller's supervision).
    pub(crate) async fn reviewing(
        &self,
        c: &mut Conn,
        actor: &Actor,
        id: i64,
    ) -> Result<(LeadHandle, reviews::Review), AppError> {
        let scope: Scope = actor.supervised_scope()?;
        let (handle, r) = reviews::get(c, &scope, id).await?.ok_or(AppError::NotFound)?;
        if !r.state.is_open() {
            return Err(decided());
        }
        if !reviews::reviewers(c, id).await?.iter().any(|x| x.user == actor.id) {
            return Err(refusal(
                "reviewer",
                "not_reviewer",
                "只有被指定的复审人员才能记录复审情况。",
                "Only an assigned reviewer records the review.",
            ));
        }
        Ok((handle, r))
    }

    /// A reviewer records one method used (听取汇报, 查阅案卷, …).
    #[tracing::instrument(name = "oversight.record_method", skip_all)]
    pub async fn record_method(&self, actor: &Actor, id: i64, input: &MethodInput) -> Result<(), AppError> {
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        // Who and which review first: the input's faults are only told to its reviewer.
        let (_, r) = self.reviewing(&mut tx, actor, id).await?;
        let m = input.parse(beijing_date(now))?;
        let method = reviews::add_method(&mut tx, id, &m, (actor.id, to_micros(now))).await?.ok_or_else(decided)?;
        let event =
            Event::new("review.method", "review", id).detail(format!("lead {}, {} (#{method})", r.lead_id, m.method));
        record(&mut tx, self, now, Who::User(actor), event).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    /// A reviewer answers the three checks, each with reasons (answered again, they replace).
    #[tracing::instrument(name = "oversight.record_checks", skip_all)]
    pub async fn record_checks(&self, actor: &Actor, id: i64, input: &ChecksInput) -> Result<(), AppError> {
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        let (_, r) = self.reviewing(&mut tx, actor, id).await?;
        let answers = input.parse()?;
        reviews::set_checks(&mut tx, id, &answers).await?;
        let summary: Vec<String> = answers.iter().map(|a| format!("{}={}", a.check, a.answer)).collect();
        let event =
            Event::new("review.checks", "review", id).detail(format!("lead {}, {}", r.lead_id, summary.join(" ")));
        record(&mut tx, self, now, Who::User(actor), event).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    /// A reviewer gives the result. Upheld: noted on the lead. Returned: the lead reopens at
    /// its unit (重新启动, by the review's authority) with the resubmission deadline.
    #[tracing::instrument(name = "oversight.decide_review", skip_all)]
    pub async fn decide_review(&self, actor: &Actor, id: i64, input: &ResultInput) -> Result<ReviewState, AppError> {
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        let (handle, r) = self.reviewing(&mut tx, actor, id).await?;
        let so_far = ReviewSoFar {
            state: r.state,
            reviewers: reviews::reviewers(&mut tx, id).await?.len(),
            methods: reviews::methods(&mut tx, id).await?.len(),
            checks_answered: r.checks.len() == domain::oversight::reviewing::ReviewCheck::ALL.len(),
        };
        let d = input.parse(&so_far)?;
        let resubmit_due = match d.result {
            ReviewResult::Returned => Some(self.reopen(&mut tx, &handle, &r, d.note.as_str(), actor, now).await?),
            ReviewResult::Upheld => {
                let payload = Payload::ReviewDecided { review: Some(id), result: d.result, resubmit_due: None };
                let noted = Noted { activity: Activity::Review, note: Some(d.note.as_str()), payload: Some(payload) };
                self.note_activity(&mut tx, &handle, actor.id, now, noted).await?;
                None
            }
        };
        if !reviews::decide(&mut tx, id, &d, resubmit_due, (actor.id, to_micros(now))).await? {
            return Err(decided());
        }
        let to = if d.result == ReviewResult::Returned { ReviewState::Returned } else { ReviewState::Upheld };
        let event = Event::new("review.decide", "review", id)
            .before(&r.state)
            .after(&to)
            .detail(format!("lead {}, accountability {}", r.lead_id, d.accountability));
        record(&mut tx, self, now, Who::User(actor), event).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(to)
    }

    /// Reopens the reviewed closure: refused if the lead has moved on since (reopened, or a
    /// step waiting for approval). Returns the resubmission deadline.
    async fn reopen(
        &self,
        tx: &mut Tx,
        handle: &LeadHandle,
        r: &reviews::Review,
        note: &str,
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<Date, AppError> {
        let lead = leads::by_handle(tx, handle).await?;
        let events = timeline::of_lead(tx, handle).await?;
        let latest = events
            .iter()
            .filter(|e| e.kind == EventKind::Step(Step::Conclude) && e.state == EventState::Done)
            .map(|e| e.id)
            .max();
        let closed = matches!(lead.status, LeadStatus::Concluded | LeadStatus::StruckOff);
        if !closed || latest != Some(r.closure_event) || events.iter().any(|e| e.state == EventState::Pending) {
            return Err(refusal(
                "result",
                "lead_moved",
                "该线索在复审期间已有新的办理（重新启动或待审批事项），请核对后再作结论。",
                "The lead has moved on during the review (reopened, or a step awaits approval); check it first.",
            ));
        }
        let today = beijing_date(now);
        let (due, timing) = self.rule_due(RuleCode::ReviewResubmission, today);
        let to = LeadStatus::Assessed;
        let payload =
            Payload::ReviewDecided { review: Some(r.id), result: ReviewResult::Returned, resubmit_due: Some(due) };
        timeline::insert(
            tx,
            handle,
            &NewEvent {
                kind: EventKind::Step(Step::Reopen),
                disposition: None,
                from_status: Some(lead.status),
                to_status: Some(to),
                state: EventState::Done,
                actor: actor.id,
                at: to_micros(now),
                note: Some(note),
                payload: Some(&payload),
            },
        )
        .await?;
        let change = StatusChange {
            from: lead.status,
            to,
            expected_version: lead.version,
            deadline: Some((due, timing)),
            finding: None,
            merged_into: None,
            transferred_to: None,
            routed_late: None,
            actor: actor.id,
            at: to_micros(now),
        };
        if !timeline::change_status(tx, handle, &change).await? {
            return Err(AppError::Stale { current_version: lead.version + 1 });
        }
        let clock = Payload::Clock {
            rule: RuleCode::ReviewResubmission,
            old_deadline: Some(lead.deadline),
            new_deadline: due,
            started: today,
        };
        self.note_activity(
            tx,
            handle,
            actor.id,
            now,
            Noted { activity: Activity::Clock, note: None, payload: Some(clock) },
        )
        .await?;
        Ok(due)
    }
}

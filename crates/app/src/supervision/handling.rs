//! Handling modes that change who handles and who watches (seed 二(二)): listed
//! supervision with follow-up orders and staged reports, and moves of jurisdiction.

use domain::{
    FieldError, LeadId, UnitId,
    dates::{format_date, parse_date},
    ledger::{lead::HandlingMode, lead::Lead, unit::Unit},
    lifecycle::timeline::{Activity, EventKind, EventState, Payload, ReportStage},
    text::Prose,
};
use serde::Serialize;
use store::{
    Conn, Constraint, LeadHandle, StoreError, Tx,
    ledger::{leads, units},
    lifecycle::timeline,
    supervision::handling,
    to_micros,
};
use time::{Date, OffsetDateTime};

use super::Supervision;
use crate::{
    Actor, AppError, LedgerKeeper, LedgerReader,
    lifecycle::Noted,
    protection::audit::{Event, Who, record},
};

/// One report on a follow-up order.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReportView {
    pub stage: ReportStage,
    pub content: String,
    pub by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OrderView {
    pub id: i64,
    pub issued_by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub issued_at: OffsetDateTime,
    pub requirement: String,
    pub reply_due: Date,
    /// Not replied to (no report yet) past its reply deadline.
    pub overdue: bool,
    pub closed: bool,
    pub reports: Vec<ReportView>,
}

fn field(field: &str, code: &'static str, zh: &str, en: &str) -> AppError {
    AppError::field(FieldError::new(field, code, zh, en))
}

async fn unit(c: &mut Conn, id: UnitId) -> Result<Unit, AppError> {
    units::get(c, id).await?.ok_or_else(|| AppError::internal(format!("unit {id} is referred to but missing")))
}

impl Supervision<'_> {
    /// Lists a lead for supervision (挂牌督办) with a follow-up order and its reply deadline.
    #[tracing::instrument(name = "supervision.issue_order", skip_all)]
    pub async fn issue_order(
        &self,
        actor: &Actor,
        id: LeadId,
        requirement: &str,
        reply_due: &str,
    ) -> Result<i64, AppError> {
        let scope = actor.supervised_scope()?;
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        let (handle, _) = leads::get(&mut tx, &scope, id).await?.ok_or(AppError::NotFound)?;
        let mut e = domain::Invalid::default();
        let requirement = e.take(Prose::<1000>::parse("requirement", requirement));
        let due = e.take(parse_date("reply_due", reply_due).and_then(|d| {
            if d < self.today() {
                Err(FieldError::new(
                    "reply_due",
                    "past",
                    "回复期限不能早于今天。",
                    "The reply deadline cannot be in the past.",
                ))
            } else {
                Ok(d)
            }
        }));
        let (Some(requirement), Some(due)) = (requirement, due) else { return Err(e.into()) };
        let order =
            handling::insert_order(&mut tx, &handle, actor.id, to_micros(now), requirement.as_str(), due).await?;
        handling::set_handling_mode(&mut tx, &handle, HandlingMode::ListedSupervision, (actor.id, to_micros(now)))
            .await?;
        let payload = Payload::Order { order: Some(order), reply_due: due };
        self.note_activity(
            &mut tx,
            &handle,
            actor.id,
            now,
            Noted { activity: Activity::Order, note: Some(requirement.as_str()), payload: Some(payload) },
        )
        .await?;
        record(
            &mut tx,
            self,
            now,
            Who::User(actor),
            Event::new("lead.order", "lead", id).detail(format!("order {order}, due {}", format_date(due))),
        )
        .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(order)
    }

    /// The handling unit reports on an order: first, then progress, then final (which closes it).
    #[tracing::instrument(name = "supervision.report_on_order", skip_all)]
    pub async fn report_on_order(
        &self,
        keeper: &LedgerKeeper,
        order: i64,
        stage: &str,
        content: &str,
    ) -> Result<(), AppError> {
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        let (handle, o) = handling::order_by_id(&mut tx, &keeper.scope, order).await?.ok_or(AppError::NotFound)?;
        let stage = ReportStage::parse("stage", stage).map_err(AppError::field)?;
        let content = Prose::<2000>::parse("content", content).map_err(AppError::field)?;
        if o.closed_at.is_some() {
            return Err(field("stage", "closed", "该督办单已办结。", "This order is closed."));
        }
        let earlier = handling::reports_of(&mut tx, &handle).await?.into_iter().filter(|r| r.order_id == order).count();
        if stage != ReportStage::First && earlier == 0 {
            return Err(field("stage", "first_missing", "请先提交首次报告。", "Send the first report first."));
        }
        handling::insert_report(&mut tx, order, stage, content.as_str(), keeper.actor.id, to_micros(now)).await?;
        if stage == ReportStage::Final {
            handling::close_order(&mut tx, order, to_micros(now)).await?;
        }
        let payload = Payload::Report { order: Some(order), stage };
        self.note_activity(
            &mut tx,
            &handle,
            keeper.actor.id,
            now,
            Noted { activity: Activity::Report, note: Some(content.as_str()), payload: Some(payload) },
        )
        .await?;
        record(
            &mut tx,
            self,
            now,
            Who::User(&keeper.actor),
            Event::new("lead.order_report", "lead", o.lead_id).detail(format!("order {order}: {stage}")),
        )
        .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    /// Moves jurisdiction (提级办理 to the parent body; 指定管辖 to a unit the supervisor
    /// names). The history stays; the original unit keeps a read-only view.
    #[tracing::instrument(name = "supervision.move_jurisdiction", skip_all)]
    pub async fn move_jurisdiction(&self, actor: &Actor, id: LeadId, mode: &str, to: &str) -> Result<UnitId, AppError> {
        let scope = actor.supervised_scope()?;
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        let (handle, lead) = leads::get(&mut tx, &scope, id).await?.ok_or(AppError::NotFound)?;
        let mode = HandlingMode::parse("mode", mode).map_err(AppError::field)?;
        let current = unit(&mut tx, lead.unit_id).await?;
        let target = match mode {
            HandlingMode::Escalated => current
                .parent
                .ok_or_else(|| field("mode", "no_parent", "该单位没有上级单位。", "This unit has no parent body."))?,
            HandlingMode::DesignatedJurisdiction => to
                .trim()
                .parse::<UnitId>()
                .map_err(|_| field("to", "unknown_unit", "请选择指定管辖的单位。", "Choose the designated unit."))?,
            _ => {
                return Err(field(
                    "mode",
                    "not_a_move",
                    "只有提级办理和指定管辖会改变管辖。",
                    "Only escalation and designated jurisdiction move a lead.",
                ));
            }
        };
        if target == lead.unit_id || !units::within(&mut tx, scope.roots(), target).await? {
            return Err(field(
                "to",
                "unknown_unit",
                "目标单位不在您的管辖范围内，或与当前单位相同。",
                "The target unit is outside your jurisdiction or is the current one.",
            ));
        }
        if mode == HandlingMode::Escalated {
            // 提级 waits for the committee head (brief §1); the approval makes the move.
            let to_unit = unit(&mut tx, target).await?;
            let payload = Payload::Escalation { to_unit: Some(target), from_name: current.name, to_name: to_unit.name };
            let mut e = timeline::NewEvent::done(EventKind::Activity(Activity::Jurisdiction), actor.id, to_micros(now));
            e.state = EventState::Pending;
            e.payload = Some(&payload);
            timeline::insert(&mut tx, &handle, &e).await.map_err(|e| match e {
                StoreError::Unique(Constraint::OnePendingStep) => field(
                    "mode",
                    "pending",
                    "该线索有待审批的事项，审批后才能进行下一步。",
                    "This lead has a step awaiting approval; wait for the decision first.",
                ),
                other => other.into(),
            })?;
            record(
                &mut tx,
                self,
                now,
                Who::User(actor),
                Event::new("lead.move_proposed", "lead", id).detail(format!("escalated → {target}")),
            )
            .await?;
        } else {
            self.apply_move(&mut tx, (&handle, &lead), mode, target, actor, now).await?;
        }
        tx.commit().await.map_err(StoreError::from)?;
        Ok(target)
    }

    /// Moves a lead and records it (designation at once; escalation once approved).
    pub(crate) async fn apply_move(
        &self,
        tx: &mut Tx,
        (handle, lead): (&LeadHandle, &Lead),
        mode: HandlingMode,
        target: UnitId,
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<(), AppError> {
        let from = unit(tx, lead.unit_id).await?;
        let to = unit(tx, target).await?;
        handling::move_lead(tx, handle, from.id, target, mode, (actor.id, to_micros(now))).await?;
        let payload = Payload::Moved { mode, from_name: from.name, to_name: to.name };
        self.note_activity(
            tx,
            handle,
            actor.id,
            now,
            Noted { activity: Activity::Jurisdiction, note: None, payload: Some(payload) },
        )
        .await?;
        record(
            tx,
            self,
            now,
            Who::User(actor),
            Event::new("lead.move", "lead", lead.id).detail(format!("{mode}: {} → {target}", from.id)),
        )
        .await?;
        Ok(())
    }

    /// A lead's follow-up orders with their reports.
    #[tracing::instrument(name = "supervision.orders_of", skip_all)]
    pub async fn orders_of(&self, reader: &LedgerReader, id: LeadId) -> Result<Vec<OrderView>, AppError> {
        let mut c = self.reader().await?;
        let (handle, _) = leads::get(&mut c, &reader.scope, id).await?.ok_or(AppError::NotFound)?;
        self.orders_in(&mut c, &handle).await
    }

    pub(crate) async fn orders_in(&self, c: &mut Conn, handle: &LeadHandle) -> Result<Vec<OrderView>, AppError> {
        let reports = handling::reports_of(c, handle).await?;
        let today = self.today();
        Ok(handling::orders_of(c, handle)
            .await?
            .into_iter()
            .map(|o| {
                let mine: Vec<ReportView> = reports
                    .iter()
                    .filter(|r| r.order_id == o.id)
                    .map(|r| ReportView {
                        stage: r.stage,
                        content: r.content.clone(),
                        by: r.by_name.clone(),
                        at: store::from_micros(r.at),
                    })
                    .collect();
                OrderView {
                    id: o.id,
                    issued_by: o.issued_by_name,
                    issued_at: store::from_micros(o.issued_at),
                    requirement: o.requirement,
                    reply_due: o.reply_due,
                    overdue: o.closed_at.is_none() && mine.is_empty() && o.reply_due < today,
                    closed: o.closed_at.is_some(),
                    reports: mine,
                }
            })
            .collect())
    }
}

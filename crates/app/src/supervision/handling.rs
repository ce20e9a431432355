//! Handling modes that change who handles and who watches (seed 二(二)): listed
//! supervision with follow-up orders and staged reports, and moves of jurisdiction.

use super::Supervision;
use domain::{
    FieldError, LeadId, UnitId, dates::format_date, dates::format_instant, dates::parse_date,
    ledger::lead::HandlingMode, text::Text,
};
use serde::Serialize;
use store::{StoreError, ledger::leads, ledger::units, lifecycle::timeline, supervision::handling, to_micros};

use crate::{
    Actor, AppError, LedgerKeeper, LedgerReader, protection::audit::Event, protection::audit::Who,
    protection::audit::record,
};

#[derive(Debug, Clone, Serialize)]
pub struct OrderView {
    pub id: i64,
    pub issued_by: String,
    pub issued_at: String,
    pub requirement: String,
    pub reply_due: String,
    pub overdue: bool,
    pub closed: bool,
    /// (stage label, content, by, at)
    pub reports: Vec<(String, String, String, String)>,
}

const STAGES: &[(&str, &str, &str)] = &[
    ("first", "首次报告", "First report"),
    ("progress", "进展报告", "Progress report"),
    ("final", "办结报告", "Final report"),
];

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
        leads::get(&mut tx, &scope, id).await?.ok_or(AppError::NotFound)?;
        let mut e = domain::Invalid::default();
        let requirement = e.take(Text::<1000>::parse("requirement", requirement));
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
        let order = handling::insert_order(&mut tx, id, actor.id, to_micros(now), requirement.as_str(), due).await?;
        handling::set_handling_mode(&mut tx, id, HandlingMode::ListedSupervision, to_micros(now)).await?;
        self.note_event(
            &mut tx,
            id,
            actor.id,
            now,
            "order",
            &format!("挂牌督办，{} 前回复：{}", format_date(due), requirement),
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
        let o = handling::order_by_id(&mut tx, order).await?.ok_or(AppError::NotFound)?;
        leads::get(&mut tx, &keeper.scope, o.lead_id).await?.ok_or(AppError::NotFound)?;
        let Some((code, zh, _)) = STAGES.iter().find(|s| s.0 == stage.trim()) else {
            return Err(AppError::field(FieldError::new(
                "stage",
                "unknown_value",
                "请选择报告类型。",
                "Choose the kind of report.",
            )));
        };
        let content = Text::<2000>::parse("content", content).map_err(AppError::field)?;
        if o.closed_at.is_some() {
            return Err(AppError::field(FieldError::new(
                "stage",
                "closed",
                "该督办单已办结。",
                "This order is closed.",
            )));
        }
        let earlier =
            handling::reports_of(&mut tx, o.lead_id).await?.into_iter().filter(|r| r.order_id == order).count();
        if *code != "first" && earlier == 0 {
            return Err(AppError::field(FieldError::new(
                "stage",
                "first_missing",
                "请先提交首次报告。",
                "Send the first report first.",
            )));
        }
        handling::insert_report(&mut tx, order, code, content.as_str(), keeper.actor.id, to_micros(now)).await?;
        if *code == "final" {
            handling::close_order(&mut tx, order, to_micros(now)).await?;
        }
        self.note_event(&mut tx, o.lead_id, keeper.actor.id, now, "report", &format!("{zh}：{content}")).await?;
        record(
            &mut tx,
            self,
            now,
            Who::User(&keeper.actor),
            Event::new("lead.order_report", "lead", o.lead_id).detail(format!("order {order}: {code}")),
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
        let lead = leads::get(&mut tx, &scope, id).await?.ok_or(AppError::NotFound)?;
        let mode = HandlingMode::parse("mode", mode).map_err(AppError::field)?;
        let current = units::get(&mut tx, lead.unit_id).await?.ok_or(AppError::NotFound)?;
        let target = match mode {
            HandlingMode::Escalated => current.parent.ok_or_else(|| {
                AppError::field(FieldError::new(
                    "mode",
                    "no_parent",
                    "该单位没有上级单位。",
                    "This unit has no parent body.",
                ))
            })?,
            HandlingMode::DesignatedJurisdiction => to.trim().parse::<UnitId>().map_err(|_| {
                AppError::field(FieldError::new(
                    "to",
                    "unknown_unit",
                    "请选择指定管辖的单位。",
                    "Choose the designated unit.",
                ))
            })?,
            _ => {
                return Err(AppError::field(FieldError::new(
                    "mode",
                    "not_a_move",
                    "只有提级办理和指定管辖会改变管辖。",
                    "Only escalation and designated jurisdiction move a lead.",
                )));
            }
        };
        if target == lead.unit_id || !units::within(&mut tx, scope.roots(), target).await? {
            return Err(AppError::field(FieldError::new(
                "to",
                "unknown_unit",
                "目标单位不在您的管辖范围内，或与当前单位相同。",
                "The target unit is outside your jurisdiction or is the current one.",
            )));
        }
        if mode == HandlingMode::Escalated {
            // 提级 waits for the committee head (brief §1); the approval makes the move.
            let to_name = units::get(&mut tx, target).await?.map(|u| u.name).unwrap_or_default();
            timeline::insert(
                &mut tx,
                &timeline::NewEvent {
                    lead: id,
                    kind: "jurisdiction",
                    disposition: None,
                    from_status: None,
                    to_status: None,
                    state: "pending",
                    actor: actor.id,
                    at: to_micros(now),
                    note: &format!("提级办理：{} → {}", current.name, to_name),
                    payload: Some(format!("escalated:{target}")),
                },
            )
            .await
            .map_err(|e| match e {
                StoreError::Unique(_) => AppError::field(FieldError::new(
                    "mode",
                    "pending",
                    "该线索有待审批的事项，审批后才能进行下一步。",
                    "This lead has a step awaiting approval; wait for the decision first.",
                )),
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
            self.supervision().apply_move(&mut tx, id, mode, target, actor, now).await?;
        }
        tx.commit().await.map_err(StoreError::from)?;
        Ok(target)
    }

    /// Moves a lead and records it (designation at once; escalation once approved).
    pub(crate) async fn apply_move(
        &self,
        tx: &mut store::Conn,
        id: LeadId,
        mode: HandlingMode,
        target: UnitId,
        actor: &Actor,
        now: time::OffsetDateTime,
    ) -> Result<(), AppError> {
        let from = leads::unit_of(tx, id).await?.ok_or(AppError::NotFound)?;
        let from_name = units::get(tx, from).await?.map(|u| u.name).unwrap_or_default();
        let to_name = units::get(tx, target).await?.map(|u| u.name).unwrap_or_default();
        handling::move_lead(tx, id, from, target, mode, to_micros(now)).await?;
        self.note_event(tx, id, actor.id, now, "jurisdiction", &format!("{}：{from_name} → {to_name}", mode.zh()))
            .await?;
        record(
            tx,
            self,
            now,
            Who::User(actor),
            Event::new("lead.move", "lead", id).detail(format!("{mode}: {from} → {target}")),
        )
        .await?;
        Ok(())
    }

    #[tracing::instrument(name = "supervision.orders_of", skip_all)]
    pub async fn orders_of(
        &self,
        reader: &LedgerReader,
        id: LeadId,
        english: bool,
    ) -> Result<Vec<OrderView>, AppError> {
        let mut c = self.reader().await?;
        leads::get(&mut c, &reader.scope, id).await?.ok_or(AppError::NotFound)?;
        let reports = handling::reports_of(&mut c, id).await?;
        let today = self.today();
        Ok(handling::orders_of(&mut c, id)
            .await?
            .into_iter()
            .map(|o| {
                let mine: Vec<_> = reports.iter().filter(|r| r.order_id == o.id).collect();
                OrderView {
                    id: o.id,
                    issued_by: o.issued_by_name,
                    issued_at: format_instant(store::from_micros(o.issued_at)),
                    requirement: o.requirement,
                    reply_due: format_date(o.reply_due),
                    overdue: o.closed_at.is_none() && mine.is_empty() && o.reply_due < today,
                    closed: o.closed_at.is_some(),
                    reports: mine
                        .iter()
                        .map(|r| {
                            let label = STAGES
                                .iter()
                                .find(|s| s.0 == r.stage)
                                .map(|s| if english { s.2 } else { s.1 })
                                .unwrap_or("");
                            (
                                label.to_owned(),
                                r.content.clone(),
                                r.by_name.clone(),
                                format_instant(store::from_micros(r.at)),
                            )
                        })
                        .collect(),
                }
            })
            .collect())
    }
}

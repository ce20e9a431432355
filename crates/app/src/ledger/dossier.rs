//! A lead as its page shows it: the record, its reporter as the caller may see it, the
//! timeline, extensions, orders, ownership, the deadline's warning and reverse schedule, and
//! what the caller may do with it, decided here from their grants and the lead's state. One
//! scope check, one transaction, one audited view.

use domain::{
    LeadId, UserId,
    ledger::{
        lead::{Lead, LeadStatus},
        unit::Unit,
    },
    lifecycle::{
        deadline::Warning,
        extension::ExtensionState,
        step::{Step, steps_from},
        timeline::{EventKind, EventState},
    },
    protection::{role::Role, scope::Scope},
    reporters::{Reporter, ReporterKind},
};
use serde::Serialize;
use store::{Conn, LeadHandle, StoreError, ledger::campaigns, ledger::leads, ledger::units, lifecycle::timeline};
use time::Date;

use super::Ledger;
use crate::{
    Actor, AppError, ExtensionView, OrderView, OwnershipView, TimelineEntry,
    protection::audit::{Event, Who, record},
    reporters::identity::protected,
};

/// The lead record as the API's `GET /leads/{id}` returns it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LeadDetail {
    #[serde(flatten)]
    pub lead: Lead,
    pub reporter: Reporter,
    pub created_by_name: String,
    pub updated_by_name: String,
    /// `None`: in no campaign's scope (ordinary handling).
    pub campaign_name: Option<String>,
    /// The caller may edit the record.
    pub may_edit: bool,
}

/// What the caller may do with a lead, each decided from their grants and the lead's state.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Permissions {
    pub may_edit: bool,
    /// The steps the caller may take now (none while a step awaits approval).
    pub may_take_steps: Vec<Step>,
    /// The pending step the caller may approve or reject.
    pub may_decide: Option<i64>,
    pub may_record_follow_up: bool,
    /// Which follow-through the caller may record now (acceptance notice while open; the rest
    /// once concluded or settled).
    pub follow_up_kinds: Vec<domain::lifecycle::follow_up::FollowUp>,
    pub may_request_extension: bool,
    /// Extensions the caller may sign (unit head), file (supervising committee) or decide
    /// (committee head).
    pub may_sign_extensions: Vec<i64>,
    pub may_file_extensions: Vec<i64>,
    pub may_decide_extensions: Vec<i64>,
    pub may_mark_key: bool,
    pub may_record_visit: bool,
    pub may_sign_off: bool,
    pub may_issue_order: bool,
    pub may_move: bool,
    /// Open orders the caller may report on.
    pub may_report_on_orders: Vec<i64>,
    pub may_reveal_reporter: bool,
    /// 分办: the caller may (re)assign the lead's handlers.
    pub may_assign_handlers: bool,
    /// A supervisor may find that an account the lead is kept from is someone else.
    pub may_clear_recusals: bool,
    /// The receiving body's receipt of this transfer may be recorded (移交回执).
    pub may_record_receipt: bool,
    /// A talk, a letter or a reply may be recorded (谈话函询).
    pub may_record_inquiry: bool,
}

/// Everything the lead page shows.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Dossier {
    #[serde(flatten)]
    pub detail: LeadDetail,
    pub timeline: Vec<TimelineEntry>,
    pub extensions: Vec<ExtensionView>,
    pub ownership: OwnershipView,
    pub orders: Vec<OrderView>,
    pub warning: Option<Warning>,
    /// The stage deadline and the final deadline, apart.
    pub deadlines: crate::lifecycle::DeadlineView,
    /// 倒排时间 for an open stock lead: the latest date of each remaining step.
    pub reverse_plan: Vec<(Step, Date)>,
    /// Where a supervisor may move the lead (提级办理 / 指定管辖).
    pub move_targets: Vec<Unit>,
    /// Whom the caller may assign the lead to (when they may assign it).
    pub handler_candidates: Vec<domain::ledger::lead::Handler>,
    /// The accounts the lead is kept from (回避), for its keepers and supervisors.
    pub recusals: Vec<crate::RecusalView>,
    /// Whether to clear the person named (澄清正名) is still to be decided: found unfounded,
    /// or settled with someone named.
    pub clearing_question: bool,
    /// The clocks beside the stage clock (acceptance notice, intake, follow-up, 报结).
    pub side_clocks: Vec<crate::SideClockView>,
    /// Its files (附件), listed in its record too.
    pub attachments: Vec<crate::AttachmentView>,
    pub permissions: Permissions,
}

impl Dossier {
    pub fn pending(&self) -> Option<&TimelineEntry> {
        self.timeline.iter().find(|e| e.state == EventState::Pending)
    }
}

async fn display_name(c: &mut Conn, id: UserId) -> Result<String, AppError> {
    store::protection::users::get(c, id)
        .await?
        .map(|u| u.display_name)
        .ok_or_else(|| AppError::internal(format!("user {id} is named on a lead but does not exist")))
}

/// Whether `lead` lies in a scope made of the caller's grants of `role`.
async fn in_role_scope(c: &mut Conn, actor: &Actor, role: Role, lead: &Lead) -> Result<bool, AppError> {
    match Scope::from_grants(&actor.grants, |r| r == role) {
        Some(s) => Ok(units::within(c, s.roots(), lead.unit_id).await?),
        None => Ok(false),
    }
}

impl Ledger<'_> {
    async fn detail_in(
        &self,
        c: &mut Conn,
        actor: &Actor,
        handle: &LeadHandle,
        lead: Lead,
    ) -> Result<LeadDetail, AppError> {
        let reporter = store::reporters::identity::reporter(c, handle)
            .await?
            .map(|r| protected(&r))
            .ok_or_else(|| AppError::internal(format!("lead {} has no reporter row", lead.id)))?;
        let created_by_name = display_name(c, lead.created_by).await?;
        let updated_by_name = display_name(c, lead.updated_by).await?;
        let campaign_name = match lead.campaign_id {
            Some(id) => Some(
                campaigns::get(c, id)
                    .await?
                    .map(|k| k.plan.name)
                    .ok_or_else(|| AppError::internal(format!("lead {} names a missing campaign", lead.id)))?,
            ),
            None => None,
        };
        let may_edit = match actor.ledger_keeper() {
            Ok(k) => leads::get(c, &k.scope, lead.id).await?.is_some(),
            Err(_) => false,
        };
        Ok(LeadDetail { lead, reporter, created_by_name, updated_by_name, campaign_name, may_edit })
    }

    /// The lead's record (no timeline); the view is audited.
    #[tracing::instrument(name = "ledger.detail", skip_all)]
    pub async fn detail(&self, actor: &Actor, id: LeadId) -> Result<LeadDetail, AppError> {
        let reader = actor.ledger()?;
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        let (handle, lead) = leads::get(&mut tx, &reader.scope, id).await?.ok_or(AppError::NotFound)?;
        let d = self.detail_in(&mut tx, actor, &handle, lead).await?;
        record(&mut tx, self, now, Who::User(actor), Event::new("lead.view", "lead", id)).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(d)
    }

    /// Everything the lead page shows, and what the caller may do; the view is audited.
    #[tracing::instrument(name = "ledger.dossier", skip_all)]
    pub async fn dossier(&self, actor: &Actor, id: LeadId) -> Result<Dossier, AppError> {
        let reader = actor.ledger()?;
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        let (handle, lead) = leads::get(&mut tx, &reader.scope, id).await?.ok_or(AppError::NotFound)?;
        let detail = self.detail_in(&mut tx, actor, &handle, lead).await?;
        let lead = &detail.lead;
        let events = timeline::of_lead(&mut tx, &handle).await?;
        let timeline = crate::lifecycle::timeline::entries_for(&mut tx, &reader.scope, events).await?;
        let extensions = self.lifecycle().extension_views(&mut tx, &handle).await?;
        let ownership = self.supervision().ownership_in(&mut tx, &handle, lead).await?;
        let orders = self.supervision().orders_in(&mut tx, &handle).await?;
        let warning = self.lifecycle().warning_of(lead);
        let clearance = match lead.campaign_id {
            Some(id) => campaigns::get(&mut tx, id).await?.map(|k| k.plan.clearance_deadline),
            None => None,
        };
        let deadlines = self.lifecycle().deadline_view(lead, clearance);
        let reverse_plan = self.lifecycle().reverse_plan(lead).await?;
        let supervises = in_role_scope(&mut tx, actor, Role::Supervisor, lead).await?;
        let move_targets = if supervises && lead.status.is_open() {
            let roots = Scope::from_grants(&actor.grants, |r| r == Role::Supervisor).map(|s| s.roots().to_vec());
            units::list_within(&mut tx, &roots.unwrap_or_default()).await?
        } else {
            Vec::new()
        };
        let pending = timeline.iter().find(|e| e.state == EventState::Pending);
        let open = lead.status.is_open();
        let may_edit = detail.may_edit;
        let approves = match actor.approver() {
            Ok(a) => units::within(&mut tx, a.scope.roots(), lead.unit_id).await?,
            Err(_) => false,
        };
        let with_state = |state: ExtensionState| -> Vec<i64> {
            extensions.iter().filter(|x| x.state == state && open).map(|x| x.id).collect()
        };
        let signs = in_role_scope(&mut tx, actor, Role::UnitHead, lead).await?;
        let custodian = in_role_scope(&mut tx, actor, Role::Custodian, lead).await?;
        let owner = lead.owning_leader_id == Some(actor.id);
        let concluded = matches!(lead.status, LeadStatus::Concluded | LeadStatus::Settled);
        let follow_up_kinds: Vec<domain::lifecycle::follow_up::FollowUp> = domain::lifecycle::follow_up::FollowUp::ALL
            .iter()
            .copied()
            // Feedback to the reporter has its own form, with the date and method.
            .filter(|f| !domain::reporters::feedback::is_feedback(*f))
            .filter(|f| if f.while_open() { lead.status.is_open() } else { concluded })
            .collect();
        let permissions = Permissions {
            may_edit,
            may_take_steps: if may_edit && pending.is_none() { steps_from(lead.status) } else { Vec::new() },
            may_decide: pending.filter(|_| approves).map(|p| p.id),
            may_record_follow_up: may_edit && !follow_up_kinds.is_empty(),
            follow_up_kinds: if may_edit { follow_up_kinds } else { Vec::new() },
            may_record_inquiry: may_edit && lead.status == LeadStatus::TalkInquiry,
            may_record_receipt: may_edit
                && lead.status == LeadStatus::Transferred
                && lead.transfer_received_on.is_none(),
            may_request_extension: may_edit && open && !extensions.iter().any(|x| x.state.is_open()),
            may_sign_extensions: if signs { with_state(ExtensionState::Requested) } else { Vec::new() },
            may_file_extensions: if supervises { with_state(ExtensionState::Signed) } else { Vec::new() },
            may_decide_extensions: if approves {
                extensions.iter().filter(|x| x.state == ExtensionState::Filed).map(|x| x.id).collect()
            } else {
                Vec::new()
            },
            may_mark_key: supervises && open,
            may_record_visit: owner,
            may_sign_off: owner && pending.is_some_and(|p| p.kind == EventKind::Step(Step::Conclude)),
            may_issue_order: supervises && may_edit && open,
            may_move: supervises && may_edit && open,
            may_report_on_orders: if may_edit {
                orders.iter().filter(|o| !o.closed).map(|o| o.id).collect()
            } else {
                Vec::new()
            },
            may_reveal_reporter: custodian && detail.reporter.kind == ReporterKind::Signed,
            may_assign_handlers: may_edit && open,
            may_clear_recusals: supervises,
        };
        let recusals = if may_edit || supervises {
            crate::protection::recusal::on_lead(&mut tx, &handle).await?
        } else {
            Vec::new()
        };
        let handler_candidates = if permissions.may_assign_handlers {
            store::ledger::handlers::candidates(&mut tx, detail.lead.unit_id).await?
        } else {
            Vec::new()
        };
        let side_clocks = self.lifecycle().side_clock_views(&mut tx, &handle).await?;
        let attachments = self.reporters().attachments_in(&mut tx, &handle).await?;
        // The follow-through since the lead was last concluded or settled, as strike-off reads it.
        let done = timeline::follow_ups_done(&mut tx, &handle).await?;
        let clearing_question = matches!(detail.lead.status, LeadStatus::Concluded | LeadStatus::Settled)
            && domain::lifecycle::follow_up::clearing_question_open(&domain::lifecycle::follow_up::StrikeOffFacts {
                signed_reporter: false,
                finding: detail.lead.finding,
                settled_naming: domain::lifecycle::follow_up::settled_naming(detail.lead.status, &detail.lead.subjects),
                done: &done,
            });
        record(&mut tx, self, now, Who::User(actor), Event::new("lead.view", "lead", id)).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(Dossier {
            side_clocks,
            attachments,
            clearing_question,
            detail,
            timeline,
            extensions,
            ownership,
            orders,
            warning,
            deadlines,
            reverse_plan,
            move_targets,
            handler_candidates,
            recusals,
            permissions,
        })
    }
}

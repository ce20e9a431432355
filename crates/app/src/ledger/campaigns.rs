//! Campaigns (专项工作) as the supervising committee keeps them: created (usually as a copy of
//! last year's), corrected, closed. New leads go to the latest open campaign.

use domain::{
    CampaignId, FieldError, ledger::campaign::Campaign, ledger::campaign_input::CampaignInput, protection::role::Role,
};
use serde::Serialize;
use store::{StoreError, ledger::campaigns, to_micros};

use super::Ledger;
use crate::{
    Actor, AppError,
    protection::audit::{Event, Who, record},
};

/// A campaign in the committee's list.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CampaignRow {
    pub campaign: Campaign,
    pub closed: bool,
    /// Leads registered under it; its cut-off and clearance deadline are fixed once it has any.
    pub leads: i64,
    /// New leads are registered under this one.
    pub current: bool,
}

/// The campaigns page: the list, and what the caller may do.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CampaignBook {
    pub items: Vec<CampaignRow>,
    /// Supervisors create, correct and close campaigns; committee heads read them.
    pub may_manage: bool,
    /// The form for a new campaign: a copy of the current one a year later (its score rules
    /// and report outline come with it), or empty.
    pub template: CampaignInput,
    /// The units a campaign's scope may name (the caller's supervised tree).
    pub units: Vec<domain::ledger::unit::Unit>,
}

/// Who may keep campaigns: a supervisor over the top of their tree.
fn manager(actor: &Actor) -> Result<(), AppError> {
    if actor.has_role(Role::Supervisor) { Ok(()) } else { Err(AppError::Forbidden) }
}

impl Ledger<'_> {
    #[tracing::instrument(name = "ledger.campaigns", skip_all)]
    pub async fn campaigns(&self, actor: &Actor) -> Result<CampaignBook, AppError> {
        if !(actor.has_role(Role::Supervisor) || actor.has_role(Role::CommitteeHead)) {
            return Err(AppError::Forbidden);
        }
        let mut c = self.reader().await?;
        let current = campaigns::current(&mut c).await?.map(|k| k.id);
        let items: Vec<CampaignRow> = campaigns::list(&mut c)
            .await?
            .into_iter()
            .map(|l| CampaignRow {
                current: Some(l.campaign.id) == current,
                closed: l.closed_at.is_some(),
                leads: l.leads,
                campaign: l.campaign,
            })
            .collect();
        let template = items
            .iter()
            .find(|r| r.current)
            .or(items.first())
            .map(|r| CampaignInput {
                copy_of: r.campaign.id.get().to_string(),
                ..CampaignInput::a_year_after(&r.campaign.plan)
            })
            .unwrap_or_default();
        let units = match actor.supervised_scope() {
            Ok(scope) => store::ledger::units::list_within(&mut c, scope.roots()).await?,
            Err(_) => Vec::new(),
        };
        Ok(CampaignBook { items, may_manage: manager(actor).is_ok(), template, units })
    }

    #[tracing::instrument(name = "ledger.create_campaign", skip_all)]
    pub async fn create_campaign(&self, actor: &Actor, input: &CampaignInput) -> Result<CampaignId, AppError> {
        manager(actor)?;
        let plan = input.parse()?;
        let copy_of = input.copied_from().map_err(AppError::field)?;
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        check_scope_unit(&mut tx, actor, &plan).await?;
        let id = campaigns::insert(&mut tx, &plan, to_micros(now)).await?;
        // A copy of last year's campaign scores and reports as it did.
        if let Some(from) = copy_of {
            crate::reporting::outline::carry_over(&mut tx, from, id).await?;
        }
        let adopted = campaigns::adopt_ordinary_leads(&mut tx, id, &plan).await?;
        record(
            &mut tx,
            self,
            now,
            Who::User(actor),
            Event::new("campaign.create", "campaign", id).after(&plan).detail(match copy_of {
                Some(from) => format!("{adopted} leads taken in; rules and report outline of campaign {from}"),
                None => format!("{adopted} leads taken in"),
            }),
        )
        .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(id)
    }

    /// Corrects a campaign. Once it holds leads, its cut-off and clearance deadline stay:
    /// every lead's stock class and deadline were worked out from them.
    #[tracing::instrument(name = "ledger.update_campaign", skip_all)]
    pub async fn update_campaign(&self, actor: &Actor, id: CampaignId, input: &CampaignInput) -> Result<(), AppError> {
        manager(actor)?;
        let plan = input.parse()?;
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        let before = campaigns::get(&mut tx, id).await?.ok_or(AppError::NotFound)?;
        if campaigns::closed(&mut tx, id).await? == Some(true) {
            return Err(closed());
        }
        check_scope_unit(&mut tx, actor, &plan).await?;
        if campaigns::lead_count(&mut tx, id).await? > 0 {
            let mut e = domain::Invalid::default();
            if plan.stock_cutoff != before.plan.stock_cutoff {
                e.push(fixed("stock_cutoff"));
            }
            if plan.clearance_deadline != before.plan.clearance_deadline {
                e.push(fixed("clearance_deadline"));
            }
            // Which leads it holds was decided by its scope: that stays too.
            let (was, now_) = (&before.plan.scope, &plan.scope);
            if was.unit != now_.unit {
                e.push(fixed("scope_unit_id"));
            }
            if was.categories != now_.categories {
                e.push(fixed("categories"));
            }
            if was.sources != now_.sources {
                e.push(fixed("sources"));
            }
            if !e.is_empty() {
                return Err(e.into());
            }
        }
        campaigns::update(&mut tx, id, &plan).await?;
        if plan.scope.transfer_needs_receipt != before.plan.scope.transfer_needs_receipt {
            // What counts as cleared changed for its transfers: count them again.
            store::supervision::tallies::invalidate(&mut tx).await?;
        }
        record(
            &mut tx,
            self,
            now,
            Who::User(actor),
            Event::new("campaign.update", "campaign", id).before(&before.plan).after(&plan),
        )
        .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    /// Closes a campaign: no new leads go to it; its leads stay where they are.
    #[tracing::instrument(name = "ledger.close_campaign", skip_all)]
    pub async fn close_campaign(&self, actor: &Actor, id: CampaignId) -> Result<(), AppError> {
        manager(actor)?;
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        campaigns::get(&mut tx, id).await?.ok_or(AppError::NotFound)?;
        if !campaigns::close(&mut tx, id, to_micros(now)).await? {
            return Err(closed());
        }
        record(&mut tx, self, now, Who::User(actor), Event::new("campaign.close", "campaign", id)).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }
}

/// A campaign's scope names a unit in the caller's supervised tree.
async fn check_scope_unit(
    c: &mut store::Conn,
    actor: &Actor,
    plan: &domain::ledger::campaign::CampaignPlan,
) -> Result<(), AppError> {
    let Some(unit) = plan.scope.unit else { return Ok(()) };
    let scope = actor.supervised_scope()?;
    if store::ledger::units::within(c, scope.roots(), unit).await? {
        return Ok(());
    }
    Err(AppError::field(FieldError::new(
        "scope_unit_id",
        "not_allowed",
        "该单位不在您的监督范围内。",
        "That unit is outside the tree you supervise.",
    )))
}

fn closed() -> AppError {
    AppError::field(FieldError::new("campaign", "closed", "该专项工作已结束。", "That campaign is closed."))
}

fn fixed(field: &str) -> FieldError {
    FieldError::new(
        field,
        "fixed",
        "已有线索登记在该专项工作下，存量截止日、清零期限和计入范围不能再改；如需调整，请结束本专项并新建。",
        "Leads are registered under this campaign, so its cut-off, clearance deadline and scope stay; to change them, close it and create a new one.",
    )
}

//! A campaign's report outline (报告提纲, issue 17 point 5): the committee says which sections
//! its units' work reports have and what each must cover; a copy of the campaign as next year's
//! template takes the outline and the score rules with it ([`carry_over`]).

use domain::{
    CampaignId, FieldError,
    reporting::outline::{Outline, OutlineInput},
};
use serde::Serialize;
use store::{
    StoreError, Tx,
    ledger::campaigns,
    reporting::{bulletins, work_reports as st},
};

use super::Reporting;
use crate::{
    Actor, AppError,
    protection::audit::{Event, Who, record},
};

/// A campaign's outline as the committee reads and edits it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OutlineView {
    pub campaign_id: CampaignId,
    pub campaign: String,
    /// Every campaign: (id, name, closed).
    pub campaigns: Vec<(i64, String, bool)>,
    pub outline: Outline,
    /// A supervisor, and the campaign still open.
    pub may_edit: bool,
}

/// Gives `to` (a campaign just made as a copy of `from`) the outline and score rules of `from`.
pub(crate) async fn carry_over(tx: &mut Tx, from: CampaignId, to: CampaignId) -> Result<(), AppError> {
    if campaigns::get(tx, from).await?.is_none() {
        return Err(AppError::field(FieldError::new(
            "copy_of",
            "unknown",
            "要复制的专项不存在。",
            "The campaign to copy does not exist.",
        )));
    }
    let outline = st::outline(tx, from).await?;
    st::set_outline(tx, to, &outline).await?;
    if let Some(rules) = bulletins::campaign_rules(tx, from).await? {
        bulletins::set_campaign_rules(tx, to, rules.id).await?;
    }
    Ok(())
}

impl Reporting<'_> {
    /// The outline of `campaign` (the current one when `None`).
    #[tracing::instrument(name = "reporting.report_outline", skip_all)]
    pub async fn report_outline(&self, actor: &Actor, campaign: Option<CampaignId>) -> Result<OutlineView, AppError> {
        actor.board_scope()?;
        let mut c = self.reader().await?;
        let k = super::chosen_campaign(&mut c, campaign).await?;
        let (campaigns, closed) = super::campaign_choices(&mut c, k.id).await?;
        Ok(OutlineView {
            campaign_id: k.id,
            campaign: k.plan.name.clone(),
            campaigns,
            outline: st::outline(&mut c, k.id).await?,
            may_edit: actor.supervised_scope().is_ok() && !closed,
        })
    }

    /// The committee sets the outline of an open campaign. Reports already signed keep the
    /// sections they were signed with; drafts follow the new outline from their next save.
    #[tracing::instrument(name = "reporting.save_report_outline", skip_all)]
    pub async fn save_report_outline(
        &self,
        actor: &Actor,
        campaign: Option<CampaignId>,
        input: &OutlineInput,
    ) -> Result<(), AppError> {
        actor.supervised_scope()?;
        let outline = input.parse()?;
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        let k = super::open_campaign(&mut tx, campaign).await?;
        let before = st::outline(&mut tx, k.id).await?;
        st::set_outline(&mut tx, k.id, &outline).await?;
        let e = Event::new("report_outline.save", "campaign", k.id).before(&before).after(&outline);
        record(&mut tx, self, now, Who::User(actor), e).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }
}

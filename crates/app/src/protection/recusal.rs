//! Recusal (回避) seen from a lead: the accounts it is kept from, and a supervisor's finding
//! that one of them is a different person.

use super::Protection;
use domain::{LeadId, UserId, protection::person::MatchBasis, text::Text};
use serde::Serialize;
use store::{Conn, LeadHandle, StoreError, ledger::leads, protection::recusals, to_micros};

use crate::{
    Actor, AppError,
    protection::audit::{Event, Who, record},
};

/// An account a lead is kept from, as keepers and supervisors see it on the lead.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RecusalView {
    pub user_id: UserId,
    pub display_name: String,
    pub unit_name: String,
    pub basis: MatchBasis,
}

pub(crate) async fn on_lead(c: &mut Conn, lead: &LeadHandle) -> Result<Vec<RecusalView>, AppError> {
    Ok(recusals::for_lead(c, lead)
        .await?
        .into_iter()
        .map(|m| RecusalView {
            user_id: m.user_id,
            display_name: m.display_name,
            unit_name: m.unit_name,
            basis: m.basis,
        })
        .collect())
}

impl Protection<'_> {
    /// A supervisor finds that `user` is not the person `lead` names: the lead is no longer
    /// kept from them, and the match is not made again. The reason is kept and audited.
    #[tracing::instrument(name = "protection.clear_recusal", skip_all)]
    pub async fn clear_recusal(&self, actor: &Actor, lead: LeadId, user: UserId, reason: &str) -> Result<(), AppError> {
        let scope = actor.supervised_scope()?;
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        let (handle, _) = leads::get(&mut tx, &scope, lead).await?.ok_or(AppError::NotFound)?;
        let reason = Text::<200>::parse("reason", reason).map_err(AppError::field)?;
        if !recusals::clear(&mut tx, &handle, user, actor.id, reason.as_str(), to_micros(now)).await? {
            return Err(AppError::field(domain::FieldError::new(
                "user_id",
                "not_recused",
                "本线索未对该账号回避。",
                "The lead is not kept from that account.",
            )));
        }
        let detail = format!("user {user}: {}", reason.as_str());
        record(&mut tx, self, now, Who::User(actor), Event::new("recusal.clear", "lead", lead).detail(detail)).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }
}

//! Handler assignment (分办): the inspector gives an open lead to handler accounts of its
//! unit, who then see it (and only the leads given to them), are told of its warnings and
//! show as its 责任人.

use domain::{
    FieldError, LeadId, UserId,
    ledger::lead::Handler,
    lifecycle::timeline::{Activity, Payload},
};
use store::{StoreError, ledger::handlers, ledger::leads, to_micros};

use super::Ledger;
use crate::{
    AppError, LedgerKeeper, LedgerReader,
    lifecycle::Noted,
    protection::audit::{Event, Who, record},
};

/// At most this many handlers on one lead.
pub const MAX_HANDLERS: usize = 10;

fn refused(code: &'static str, zh: &str, en: &str) -> AppError {
    AppError::field(FieldError::new("handlers", code, zh, en))
}

impl Ledger<'_> {
    /// Assigns the lead to `users` (replacing whoever had it; none clears the assignment).
    /// Each must hold the handler role over the lead's unit.
    #[tracing::instrument(name = "ledger.assign_handlers", skip_all)]
    pub async fn assign_handlers(
        &self,
        keeper: &LedgerKeeper,
        id: LeadId,
        users: &[String],
    ) -> Result<Vec<Handler>, AppError> {
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        let (handle, lead) = leads::get(&mut tx, &keeper.scope, id).await?.ok_or(AppError::NotFound)?;
        if !lead.status.is_open() {
            return Err(refused("closed", "已办结的线索不再分办。", "A closed lead is not assigned any more."));
        }
        let mut wanted: Vec<UserId> = Vec::new();
        for raw in users.iter().map(|u| u.trim()).filter(|u| !u.is_empty()) {
            let user = raw
                .parse::<UserId>()
                .map_err(|_| refused("unknown_user", "请从列表中选择承办人。", "Choose the handlers from the list."))?;
            if !wanted.contains(&user) {
                wanted.push(user);
            }
        }
        if wanted.len() > MAX_HANDLERS {
            return Err(refused(
                "too_many",
                &format!("一件线索最多分办给 {MAX_HANDLERS} 名承办人。"),
                &format!("A lead goes to at most {MAX_HANDLERS} handlers."),
            ));
        }
        let candidates = handlers::candidates(&mut tx, lead.unit_id).await?;
        let mut chosen = Vec::new();
        for user in &wanted {
            let Some(h) = candidates.iter().find(|c| c.id == *user) else {
                return Err(refused(
                    "not_a_handler",
                    "所选账号不是该线索所在单位的承办人。",
                    "That account is not a handler of the lead's unit.",
                ));
            };
            chosen.push(h.clone());
        }
        handlers::set(&mut tx, &handle, &wanted, keeper.actor.id, to_micros(now)).await?;
        let payload = Payload::Handlers { names: chosen.iter().map(|h| h.name.clone()).collect() };
        let entry = Noted { activity: Activity::Assignment, note: None, payload: Some(payload) };
        self.note_activity(&mut tx, &handle, keeper.actor.id, now, entry).await?;
        let ids: Vec<String> = wanted.iter().map(|u| u.to_string()).collect();
        record(
            &mut tx,
            self,
            now,
            Who::User(&keeper.actor),
            Event::new("lead.assign", "lead", id).detail(format!("handlers: {}", ids.join(","))),
        )
        .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(chosen)
    }

    /// Whom the lead may be assigned to: handler accounts over its unit.
    #[tracing::instrument(name = "ledger.handler_candidates", skip_all)]
    pub async fn handler_candidates(&self, reader: &LedgerReader, id: LeadId) -> Result<Vec<Handler>, AppError> {
        let mut c = self.reader().await?;
        let (_, lead) = leads::get(&mut c, &reader.scope, id).await?.ok_or(AppError::NotFound)?;
        Ok(handlers::candidates(&mut c, lead.unit_id).await?)
    }
}

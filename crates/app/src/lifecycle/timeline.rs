//! Writing the lead's timeline (全程留痕) entries that are not steps.

use domain::LeadId;
use store::{
    lifecycle::timeline::{self, NewEvent},
    to_micros,
};

use crate::{App, AppError};

impl App {
    /// Puts a done entry of `kind` with `note` on the lead's timeline (in the caller's transaction).
    pub(crate) async fn note_event(
        &self,
        tx: &mut store::Conn,
        lead: LeadId,
        actor: domain::UserId,
        now: time::OffsetDateTime,
        kind: &str,
        note: &str,
    ) -> Result<(), AppError> {
        timeline::insert(
            tx,
            &NewEvent {
                lead,
                kind,
                disposition: None,
                from_status: None,
                to_status: None,
                state: "done",
                actor,
                at: to_micros(now),
                note,
                payload: None,
            },
        )
        .await?;
        Ok(())
    }
}

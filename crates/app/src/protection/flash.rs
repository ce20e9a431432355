//! A message for the next page a browser session opens ("the step was applied", or why it
//! was refused). Kept with the session and shown once: a link cannot put words on a page.

use super::Protection;
use serde::{Deserialize, Serialize};
use store::{StoreError, protection::sessions};

use crate::{AppError, SessionInfo, protection::auth::token_hash};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FlashKind {
    /// Something was done.
    Done,
    /// Something was refused; the page shows it as an error.
    Refused,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flash {
    pub kind: FlashKind,
    pub text: String,
}

/// Longer messages are cut: a flash is a line or two, not a document.
const MAX_CHARS: usize = 500;

impl Flash {
    pub fn new(kind: FlashKind, text: &str) -> Self {
        Self { kind, text: text.chars().take(MAX_CHARS).collect() }
    }

    pub(crate) fn decode(stored: Option<&str>) -> Option<Self> {
        // An unreadable message is dropped rather than failing the page it was meant for.
        stored.and_then(|s| serde_json::from_str(s).ok())
    }
}

impl Protection<'_> {
    /// Leaves `flash` for the next page the session `token` opens.
    #[tracing::instrument(name = "protection.set_flash", skip_all)]
    pub async fn set_flash(&self, token: &str, flash: &Flash) -> Result<(), AppError> {
        let encoded = serde_json::to_string(flash).map_err(|e| AppError::Internal(Box::new(e)))?;
        let mut tx = self.db().begin_write().await?;
        sessions::set_flash(&mut tx, &token_hash(token), Some(&encoded)).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    /// The session's message, taken: the next page will not show it again.
    #[tracing::instrument(name = "protection.take_flash", skip_all)]
    pub async fn take_flash(&self, session: &SessionInfo) -> Result<Option<Flash>, AppError> {
        if session.flash.is_none() {
            return Ok(None);
        }
        let mut tx = self.db().begin_write().await?;
        sessions::set_flash(&mut tx, &token_hash(&session.token), None).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(session.flash.clone())
    }
}

//! Extension use cases: request (inspector) → sign (unit head) → file (supervising
//! committee) → [approve (committee head), for long or repeated ones] → the deadline moves.

use super::Lifecycle;
use domain::{
    FieldError, LeadId,
    ledger::lead::Lead,
    lifecycle::{
        extension::{ExtensionState, cap_days, needs_committee_head, parse_request, signature},
        timeline::{Activity, Payload},
    },
    protection::{role::Role, scope::Scope},
};
use serde::Serialize;
use store::{
    Constraint, LeadHandle, StoreError, Tx,
    ledger::leads,
    lifecycle::{
        extensions::{self, Advance, Extension},
        timeline,
    },
    to_micros,
};
use time::{Date, Duration, OffsetDateTime};

use crate::{
    Actor, AppError, Approver, LedgerKeeper, LedgerReader, lifecycle::Noted, protection::audit::Event,
    protection::audit::Who, protection::audit::record,
};

/// An extension as pages and the API show it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ExtensionView {
    pub id: i64,
    pub lead_id: LeadId,
    pub number: String,
    pub requested_by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub requested_at: OffsetDateTime,
    pub reason: String,
    pub days: i64,
    pub state: ExtensionState,
    /// Longer than the cap or repeated: needs the committee head, and is flagged.
    pub flagged: bool,
    pub signed_by: Option<String>,
    pub signature: Option<String>,
    /// The lead's deadline before and after, once the extension is in effect.
    pub old_deadline: Option<Date>,
    pub new_deadline: Option<Date>,
    /// While the request is open: the deadline now and the one it would give, so that
    /// whoever signs, files or approves sees what they agree to.
    pub proposed: Option<(Date, Date)>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub signed_at: Option<OffsetDateTime>,
}

fn view(x: Extension) -> ExtensionView {
    ExtensionView {
        id: x.id,
        lead_id: x.lead_id,
        number: x.number,
        requested_by: x.requested_by_name,
        requested_at: store::from_micros(x.requested_at),
        reason: x.reason,
        days: x.days,
        state: x.state,
        flagged: x.needs_head,
        signed_by: x.signed_by_name,
        signature: x.signature,
        old_deadline: x.old_deadline,
        new_deadline: x.new_deadline,
        proposed: x.state.is_open().then(|| (x.lead_deadline, x.lead_deadline + Duration::days(x.days))),
        signed_at: x.signed_at.map(store::from_micros),
    }
}

/// Extensions waiting for the caller, by what they must do.
#[derive(Debug, Default, Serialize, utoipa::ToSchema)]
pub struct ExtensionQueue {
    pub to_sign: Vec<ExtensionView>,
    pub to_file: Vec<ExtensionView>,
    pub to_approve: Vec<ExtensionView>,
}

fn scope_of(actor: &Actor, role: Role) -> Result<Scope, AppError> {
    Scope::from_grants(&actor.grants, |r| r == role).map(|s| s.recusing(actor.id)).ok_or(AppError::Forbidden)
}

fn raced() -> AppError {
    AppError::field(FieldError::new(
        "extension",
        "moved_on",
        "该延期申请已被他人处理。",
        "Someone has acted on this request already.",
    ))
}

fn open_request() -> AppError {
    AppError::field(FieldError::new(
        "days",
        "open_request",
        "该线索已有未完成的延期申请。",
        "This lead has an extension request in progress.",
    ))
}

/// An extension only means something while its lead is open.
fn ensure_open(lead: &Lead) -> Result<(), AppError> {
    if lead.status.is_open() {
        Ok(())
    } else {
        Err(AppError::field(FieldError::new(
            "extension",
            "lead_closed",
            "该线索已办结，延期申请不再处理。",
            "The lead is closed; the extension request lapses.",
        )))
    }
}

impl Lifecycle<'_> {
    #[tracing::instrument(name = "lifecycle.request_extension", skip_all)]
    pub async fn request_extension(
        &self,
        keeper: &LedgerKeeper,
        id: LeadId,
        reason: &str,
        days: &str,
    ) -> Result<i64, AppError> {
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        let (handle, lead) = leads::get(&mut tx, &keeper.scope, id).await?.ok_or(AppError::NotFound)?;
        let req = parse_request(reason, days)?;
        if !lead.status.is_open() {
            return Err(AppError::field(FieldError::new(
                "days",
                "closed",
                "已办结的线索无需延期。",
                "A closed lead needs no extension.",
            )));
        }
        if extensions::of_lead(&mut tx, &handle).await?.iter().any(|x| x.state.is_open()) {
            return Err(open_request());
        }
        let earlier = extensions::in_effect(&mut tx, &handle).await?;
        // The campaign's cap (one calendar month by default, ordinary leads too).
        let months = match lead.campaign_id {
            Some(k) => {
                store::ledger::campaigns::get(&mut tx, k).await?.map_or(1, |k| k.plan.scope.extension_cap_months)
            }
            None => 1,
        };
        let needs_head = needs_committee_head(req.days, earlier, cap_days(lead.deadline, months));
        let ext =
            extensions::insert(&mut tx, &handle, keeper.actor.id, to_micros(now), &req.reason, req.days, needs_head)
                .await
                .map_err(|e| match e {
                    // A concurrent request got in first (the one-open-request index).
                    StoreError::Unique(Constraint::OneOpenExtension) => open_request(),
                    other => other.into(),
                })?;
        let payload = Payload::ExtensionRequested { extension: Some(ext), days: req.days };
        self.note_activity(
            &mut tx,
            &handle,
            keeper.actor.id,
            now,
            Noted { activity: Activity::ExtensionRequested, note: Some(&req.reason), payload: Some(payload) },
        )
        .await?;
        record(
            &mut tx,
            self,
            now,
            Who::User(&keeper.actor),
            Event::new("extension.request", "extension", ext).detail(format!("lead {id}, {} days", req.days)),
        )
        .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(ext)
    }

    /// The unit head signs: the signature is a hash of exactly what was requested.
    #[tracing::instrument(name = "lifecycle.sign_extension", skip_all)]
    pub async fn sign_extension(&self, actor: &Actor, ext: i64) -> Result<(), AppError> {
        let scope = scope_of(actor, Role::UnitHead)?;
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        let (handle, x) = extensions::get(&mut tx, &scope, ext).await?.ok_or(AppError::NotFound)?;
        ensure_open(&leads::by_handle(&mut tx, &handle).await?)?;
        let sig = signature(&x.number, &x.reason, x.days as u32, x.requested_by.get(), x.requested_at, actor.id.get());
        if !extensions::advance(
            &mut tx,
            &handle,
            &Advance {
                id: ext,
                from: ExtensionState::Requested,
                to: ExtensionState::Signed,
                by: actor.id,
                at: to_micros(now),
                signature: Some(&sig),
            },
        )
        .await?
        {
            return Err(raced());
        }
        let payload = Payload::ExtensionSigned { extension: Some(ext), signature: sig.clone() };
        self.note_activity(
            &mut tx,
            &handle,
            actor.id,
            now,
            Noted { activity: Activity::ExtensionSigned, note: None, payload: Some(payload) },
        )
        .await?;
        record(&mut tx, self, now, Who::User(actor), Event::new("extension.sign", "extension", ext).detail(sig))
            .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    /// The unit head returns a request to the requester instead of signing it, with the
    /// reason (on the timeline); the requester may ask again.
    #[tracing::instrument(name = "lifecycle.return_extension", skip_all)]
    pub async fn return_extension(&self, actor: &Actor, ext: i64, reason: &str) -> Result<(), AppError> {
        let scope = scope_of(actor, Role::UnitHead)?;
        let reason = domain::text::Prose::<1000>::parse("reason", reason).map_err(AppError::field)?;
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        let (handle, _) = extensions::get(&mut tx, &scope, ext).await?.ok_or(AppError::NotFound)?;
        let advance = Advance {
            id: ext,
            from: ExtensionState::Requested,
            to: ExtensionState::Returned,
            by: actor.id,
            at: to_micros(now),
            signature: None,
        };
        if !extensions::advance(&mut tx, &handle, &advance).await? {
            return Err(raced());
        }
        let noted = Noted { activity: Activity::ExtensionReturned, note: Some(reason.as_str()), payload: None };
        self.note_activity(&mut tx, &handle, actor.id, now, noted).await?;
        record(&mut tx, self, now, Who::User(actor), Event::new("extension.return", "extension", ext)).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    /// The supervising committee files it; within the cap it takes effect now.
    #[tracing::instrument(name = "lifecycle.file_extension", skip_all)]
    pub async fn file_extension(&self, actor: &Actor, ext: i64) -> Result<(), AppError> {
        let scope = scope_of(actor, Role::Supervisor)?;
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        let (handle, x) = extensions::get(&mut tx, &scope, ext).await?.ok_or(AppError::NotFound)?;
        let lead = leads::by_handle(&mut tx, &handle).await?;
        ensure_open(&lead)?;
        let to = if x.needs_head { ExtensionState::Filed } else { ExtensionState::Approved };
        if !extensions::advance(
            &mut tx,
            &handle,
            &Advance { id: ext, from: ExtensionState::Signed, to, by: actor.id, at: to_micros(now), signature: None },
        )
        .await?
        {
            return Err(raced());
        }
        let moved = if to == ExtensionState::Approved {
            Some(self.put_in_effect(&mut tx, (&handle, &lead), &x, (actor.id, now)).await?)
        } else {
            None
        };
        let payload = moved.map(|(old, new)| Payload::ExtensionDecided {
            extension: Some(ext),
            old_deadline: Some(old),
            new_deadline: Some(new),
        });
        self.note_activity(
            &mut tx,
            &handle,
            actor.id,
            now,
            Noted { activity: Activity::ExtensionFiled, note: None, payload },
        )
        .await?;
        record(&mut tx, self, now, Who::User(actor), Event::new("extension.file", "extension", ext)).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    /// The committee head decides a long or repeated extension.
    #[tracing::instrument(name = "lifecycle.decide_extension", skip_all)]
    pub async fn decide_extension(&self, approver: &Approver, ext: i64, approve: bool) -> Result<(), AppError> {
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        let (handle, x) = extensions::get(&mut tx, &approver.scope, ext).await?.ok_or(AppError::NotFound)?;
        let lead = leads::by_handle(&mut tx, &handle).await?;
        if approve {
            ensure_open(&lead)?;
        }
        let to = if approve { ExtensionState::Approved } else { ExtensionState::Rejected };
        if !extensions::advance(
            &mut tx,
            &handle,
            &Advance {
                id: ext,
                from: ExtensionState::Filed,
                to,
                by: approver.actor.id,
                at: to_micros(now),
                signature: None,
            },
        )
        .await?
        {
            return Err(raced());
        }
        let (old, new) = if approve {
            let (old, new) = self.put_in_effect(&mut tx, (&handle, &lead), &x, (approver.actor.id, now)).await?;
            (Some(old), Some(new))
        } else {
            (None, None)
        };
        let activity = if approve { Activity::ExtensionApproved } else { Activity::ExtensionRejected };
        let payload = Payload::ExtensionDecided { extension: Some(ext), old_deadline: old, new_deadline: new };
        self.note_activity(
            &mut tx,
            &handle,
            approver.actor.id,
            now,
            Noted { activity, note: None, payload: Some(payload) },
        )
        .await?;
        record(
            &mut tx,
            self,
            now,
            Who::User(&approver.actor),
            Event::new(if approve { "extension.approve" } else { "extension.reject" }, "extension", ext),
        )
        .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    /// Moves the deadline by the extension's days: only now, when the extension is complete.
    /// Returns the deadline before and after.
    async fn put_in_effect(
        &self,
        tx: &mut Tx,
        (handle, lead): (&LeadHandle, &Lead),
        x: &Extension,
        (by, now): (domain::UserId, OffsetDateTime),
    ) -> Result<(Date, Date), AppError> {
        let new = lead.deadline + Duration::days(x.days);
        timeline::move_deadline(tx, handle, new, (by, to_micros(now))).await?;
        extensions::set_deadlines(tx, x.id, lead.deadline, new).await?;
        Ok((lead.deadline, new))
    }

    #[tracing::instrument(name = "lifecycle.extensions_of", skip_all)]
    pub async fn extensions_of(&self, reader: &LedgerReader, id: LeadId) -> Result<Vec<ExtensionView>, AppError> {
        let mut c = self.reader().await?;
        let (handle, _) = leads::get(&mut c, &reader.scope, id).await?.ok_or(AppError::NotFound)?;
        self.extension_views(&mut c, &handle).await
    }

    pub(crate) async fn extension_views(
        &self,
        c: &mut store::Conn,
        handle: &LeadHandle,
    ) -> Result<Vec<ExtensionView>, AppError> {
        Ok(extensions::of_lead(c, handle).await?.into_iter().map(view).collect())
    }

    /// What the caller has to sign, file or approve.
    #[tracing::instrument(name = "lifecycle.extension_queue", skip_all)]
    pub async fn extension_queue(&self, actor: &Actor) -> Result<ExtensionQueue, AppError> {
        let mut c = self.reader().await?;
        extension_queue_in(&mut c, actor).await
    }
}

/// The extensions waiting for the caller (to sign, file or approve).
pub(crate) async fn extension_queue_in(c: &mut store::Conn, actor: &Actor) -> Result<ExtensionQueue, AppError> {
    let mut q = ExtensionQueue::default();
    if let Ok(s) = scope_of(actor, Role::UnitHead) {
        q.to_sign = extensions::in_state(c, &s, ExtensionState::Requested).await?.into_iter().map(view).collect();
    }
    if let Ok(s) = scope_of(actor, Role::Supervisor) {
        q.to_file = extensions::in_state(c, &s, ExtensionState::Signed).await?.into_iter().map(view).collect();
    }
    if let Ok(a) = actor.approver() {
        q.to_approve = extensions::in_state(c, &a.scope, ExtensionState::Filed).await?.into_iter().map(view).collect();
    }
    Ok(q)
}

/// What waits for the caller's hand: steps to approve and extensions to sign, file or
/// approve. The badge of 待办 counts these (work, not notifications).
pub(crate) async fn task_count(c: &mut store::Conn, actor: &Actor) -> Result<i64, AppError> {
    let approvals = match actor.approver() {
        Ok(a) => store::lifecycle::timeline::pending_in_scope(c, &a.scope).await?.len(),
        Err(_) => 0,
    };
    let x = extension_queue_in(c, actor).await?;
    Ok((approvals + x.to_sign.len() + x.to_file.len() + x.to_approve.len()) as i64)
}

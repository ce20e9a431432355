//! Extension use cases: request (inspector) → sign (unit head) → file (supervising
//! committee) → [approve (committee head), for long or repeated ones] → the deadline moves.

use super::Lifecycle;
use domain::{
    FieldError, LeadId, dates::format_date, lifecycle::extension::DEFAULT_MAX_DAYS,
    lifecycle::extension::ExtensionState, lifecycle::extension::needs_committee_head,
    lifecycle::extension::parse_request, lifecycle::extension::signature, protection::role::Role,
    protection::scope::Scope,
};
use serde::Serialize;
use store::{
    StoreError, ledger::leads, lifecycle::extensions, lifecycle::extensions::Extension, lifecycle::timeline, to_micros,
};
use time::{Duration, OffsetDateTime};

use crate::{
    Actor, AppError, Approver, LedgerKeeper, LedgerReader, protection::audit::Event, protection::audit::Who,
    protection::audit::record,
};

/// An extension as pages and the API show it.
#[derive(Debug, Clone, Serialize)]
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
    pub old_deadline: Option<String>,
    pub new_deadline: Option<String>,
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
    }
}

/// Extensions waiting for the caller, by what they must do.
#[derive(Debug, Default, Serialize)]
pub struct ExtensionQueue {
    pub to_sign: Vec<ExtensionView>,
    pub to_file: Vec<ExtensionView>,
    pub to_approve: Vec<ExtensionView>,
}

fn scope_of(actor: &Actor, role: Role) -> Result<Scope, AppError> {
    Scope::from_grants(&actor.grants, |r| r == role).map(|s| s.excluding(actor.person_id)).ok_or(AppError::Forbidden)
}

fn raced() -> AppError {
    AppError::field(FieldError::new(
        "extension",
        "moved_on",
        "该延期申请已被他人处理。",
        "Someone has acted on this request already.",
    ))
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
        let lead = leads::get(&mut tx, &keeper.scope, id).await?.ok_or(AppError::NotFound)?;
        let req = parse_request(reason, days)?;
        if !lead.status.is_open() {
            return Err(AppError::field(FieldError::new(
                "days",
                "closed",
                "已办结的线索无需延期。",
                "A closed lead needs no extension.",
            )));
        }
        if extensions::of_lead(&mut tx, id).await?.iter().any(|x| x.state.is_open()) {
            return Err(AppError::field(FieldError::new(
                "days",
                "open_request",
                "该线索已有未完成的延期申请。",
                "This lead has an extension request in progress.",
            )));
        }
        let earlier = extensions::in_effect(&mut tx, id).await?;
        let needs_head = needs_committee_head(req.days, earlier, DEFAULT_MAX_DAYS);
        let ext = extensions::insert(&mut tx, id, keeper.actor.id, to_micros(now), &req.reason, req.days, needs_head)
            .await
            .map_err(|e| match e {
                // A concurrent request got in first (the one-open-request index).
                StoreError::Unique(_) => AppError::field(FieldError::new(
                    "days",
                    "open_request",
                    "该线索已有未完成的延期申请。",
                    "This lead has an extension request in progress.",
                )),
                other => other.into(),
            })?;
        self.note_event(
            &mut tx,
            id,
            keeper.actor.id,
            now,
            "extension",
            &format!("申请延期 {} 天：{}", req.days, req.reason),
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
        let x = extensions::get(&mut tx, &scope, ext).await?.ok_or(AppError::NotFound)?;
        self.ensure_open(&mut tx, x.lead_id).await?;
        let sig = signature(&x.number, &x.reason, x.days as u32, x.requested_by.get(), x.requested_at, actor.id.get());
        if !extensions::advance(
            &mut tx,
            ext,
            ExtensionState::Requested,
            ExtensionState::Signed,
            actor.id,
            to_micros(now),
            Some(&sig),
        )
        .await?
        {
            return Err(raced());
        }
        self.note_event(
            &mut tx,
            x.lead_id,
            actor.id,
            now,
            "extension",
            &format!("单位主要负责人签字（{}）", &sig[..16]),
        )
        .await?;
        record(&mut tx, self, now, Who::User(actor), Event::new("extension.sign", "extension", ext).detail(sig))
            .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    /// The supervising committee files it; within the cap it takes effect now.
    #[tracing::instrument(name = "lifecycle.file_extension", skip_all)]
    pub async fn file_extension(&self, actor: &Actor, ext: i64) -> Result<(), AppError> {
        let scope = scope_of(actor, Role::Supervisor)?;
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        let x = extensions::get(&mut tx, &scope, ext).await?.ok_or(AppError::NotFound)?;
        self.ensure_open(&mut tx, x.lead_id).await?;
        let to = if x.needs_head { ExtensionState::Filed } else { ExtensionState::Approved };
        if !extensions::advance(&mut tx, ext, ExtensionState::Signed, to, actor.id, to_micros(now), None).await? {
            return Err(raced());
        }
        if to == ExtensionState::Approved {
            self.put_in_effect(&mut tx, &x, now).await?;
        }
        self.note_event(&mut tx, x.lead_id, actor.id, now, "extension", "报委直属机关纪委备案").await?;
        record(&mut tx, self, now, Who::User(actor), Event::new("extension.file", "extension", ext)).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    /// The committee head decides a long or repeated extension.
    #[tracing::instrument(name = "lifecycle.decide_extension", skip_all)]
    pub async fn decide_extension(&self, approver: &Approver, ext: i64, approve: bool) -> Result<(), AppError> {
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        let x = extensions::get(&mut tx, &approver.scope, ext).await?.ok_or(AppError::NotFound)?;
        if approve {
            self.ensure_open(&mut tx, x.lead_id).await?;
        }
        let to = if approve { ExtensionState::Approved } else { ExtensionState::Rejected };
        if !extensions::advance(&mut tx, ext, ExtensionState::Filed, to, approver.actor.id, to_micros(now), None)
            .await?
        {
            return Err(raced());
        }
        if approve {
            self.put_in_effect(&mut tx, &x, now).await?;
        }
        let note = if approve { "纪委书记同意延期" } else { "纪委书记未同意延期" };
        self.note_event(&mut tx, x.lead_id, approver.actor.id, now, "extension", note).await?;
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
    async fn put_in_effect(&self, tx: &mut store::Conn, x: &Extension, now: OffsetDateTime) -> Result<(), AppError> {
        let unit = self.unit_of(tx, x.lead_id).await?;
        let lead = leads::get(tx, &Scope::of_unit(unit), x.lead_id).await?.ok_or(AppError::NotFound)?;
        let new = lead.deadline + Duration::days(x.days);
        timeline::move_deadline(tx, x.lead_id, new, to_micros(now)).await?;
        extensions::set_deadlines(tx, x.id, &format_date(lead.deadline), &format_date(new)).await?;
        Ok(())
    }

    /// An extension only means something while its lead is open.
    async fn ensure_open(&self, tx: &mut store::Conn, lead: LeadId) -> Result<(), AppError> {
        let unit = self.unit_of(tx, lead).await?;
        let l = leads::get(tx, &Scope::of_unit(unit), lead).await?.ok_or(AppError::NotFound)?;
        if l.status.is_open() {
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

    async fn unit_of(&self, tx: &mut store::Conn, lead: LeadId) -> Result<domain::UnitId, AppError> {
        leads::unit_of(tx, lead).await?.ok_or(AppError::NotFound)
    }

    #[tracing::instrument(name = "lifecycle.extensions_of", skip_all)]
    pub async fn extensions_of(&self, reader: &LedgerReader, id: LeadId) -> Result<Vec<ExtensionView>, AppError> {
        let mut c = self.reader().await?;
        leads::get(&mut c, &reader.scope, id).await?.ok_or(AppError::NotFound)?;
        Ok(extensions::of_lead(&mut c, id).await?.into_iter().map(view).collect())
    }

    /// What the caller has to sign, file or approve.
    #[tracing::instrument(name = "lifecycle.extension_queue", skip_all)]
    pub async fn extension_queue(&self, actor: &Actor) -> Result<ExtensionQueue, AppError> {
        let mut c = self.reader().await?;
        let mut q = ExtensionQueue::default();
        if let Ok(s) = scope_of(actor, Role::UnitHead) {
            q.to_sign =
                extensions::in_state(&mut c, &s, ExtensionState::Requested).await?.into_iter().map(view).collect();
        }
        if let Ok(s) = scope_of(actor, Role::Supervisor) {
            q.to_file = extensions::in_state(&mut c, &s, ExtensionState::Signed).await?.into_iter().map(view).collect();
        }
        if let Ok(a) = actor.approver() {
            q.to_approve =
                extensions::in_state(&mut c, &a.scope, ExtensionState::Filed).await?.into_iter().map(view).collect();
        }
        Ok(q)
    }
}

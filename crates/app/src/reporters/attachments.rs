//! Attachments of a lead (附件), on the lead itself or one of its steps, reviews or
//! rectifications: uploaded in chunks, each encrypted under the file's own key (under the key
//! file's cipher, AES-256-GCM or SM4-GCM; the key sealed by the key file), so a file is never
//! held whole in memory nor written in plain; downloaded chunk by chunk by whoever may read the
//! lead, every download audited.

use domain::{
    FieldError, LeadId,
    dates::beijing_date,
    reporters::attachment::{self, AttachedTo, FileKind, RecordKind},
};
use serde::Serialize;
use sha2::{Digest, Sha256};
use store::{
    LeadHandle, StoreError, ledger::leads, lifecycle::timeline, oversight::rectifications as rx,
    reporters::attachments as ax, to_micros,
};
use time::OffsetDateTime;

use super::Reporters;
use crate::{
    Actor, AppError, CipherKind,
    protection::{
        audit::{Event, Who, record},
        secrets::{FileKey, Sealed},
    },
};

/// Plaintext bytes a chunk holds.
pub const CHUNK: usize = 256 * 1024;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AttachmentView {
    pub id: i64,
    pub name: String,
    pub kind: FileKind,
    pub size: i64,
    /// Of the file as uploaded, to check a copy against.
    pub sha256: String,
    pub uploaded_by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub uploaded_at: OffsetDateTime,
    pub previewable: bool,
    /// Which record of the lead it is on, and that record's id.
    pub record: RecordKind,
    pub record_id: Option<i64>,
}

/// Where a file is to be attached, as the caller names it.
#[derive(Debug, Clone, Copy)]
pub enum Place {
    Lead(LeadId),
    /// One of the lead's steps (its timeline entry).
    Step(LeadId, i64),
    Review(i64),
    Rectification(i64),
}

/// An upload under way: the file's key and what has come so far.
pub struct Upload {
    owner: ax::Owner,
    /// The most bytes this upload may bring.
    max: u64,
    id: i64,
    key: FileKey,
    seq: i64,
    size: u64,
    hash: Sha256,
    /// Bytes not yet making a whole chunk.
    pending: Vec<u8>,
    kind: FileKind,
    /// A text file's last bytes that may begin a character the next bytes end.
    utf8_tail: Vec<u8>,
}

/// A file being read back, chunk by chunk.
pub struct Download {
    pub view: AttachmentView,
    id: i64,
    key: FileKey,
    next: i64,
    db: store::Db,
}

fn nonce(seq: i64) -> [u8; 12] {
    let mut n = [0u8; 12];
    n[4..].copy_from_slice(&seq.to_be_bytes());
    n
}

fn aad(id: i64, seq: i64) -> Vec<u8> {
    format!("attachment:{id}:{seq}").into_bytes()
}

fn not_text() -> AppError {
    AppError::field(domain::FieldError::new(
        "file",
        "content_mismatch",
        "文件内容不是 UTF-8 文本，与文件名不符。",
        "The file's content is not UTF-8 text, as its name says.",
    ))
}

/// Whether a text file is still UTF-8 with `bytes` added; a character cut at the end waits in
/// `tail` for the next bytes.
fn still_text(tail: &mut Vec<u8>, bytes: &[u8]) -> bool {
    if bytes.contains(&0) {
        return false;
    }
    tail.extend_from_slice(bytes);
    match std::str::from_utf8(tail) {
        Ok(_) => {
            tail.clear();
            true
        }
        Err(e) if e.error_len().is_none() => {
            *tail = tail.split_off(e.valid_up_to());
            true
        }
        Err(_) => false,
    }
}

fn no_more_files(field: &'static str, zh: &str, en: &str) -> AppError {
    AppError::field(FieldError::new(field, "closed", zh, en))
}

impl Reporters<'_> {
    fn open_key(&self, r: &ax::AttachmentRow) -> Result<FileKey, AppError> {
        let hexkey =
            self.keyring().open(&Sealed { key_id: r.key_id.clone(), value: r.sealed_key.clone() }, "attachment-key")?;
        let kind = CipherKind::from_code(&r.cipher)
            .ok_or_else(|| AppError::internal(format!("attachment {} has an unknown cipher", r.id)))?;
        FileKey::from_hex(kind, &hexkey)
    }

    /// Writes an upload's row in `tx`, under a new key of the key file's cipher (the key and the
    /// name sealed by the key file), and hands the upload back.
    async fn start_upload(
        &self,
        tx: &mut store::Tx,
        owner: ax::Owner,
        (name, kind): (&str, FileKind),
        at: (Option<domain::UserId>, i64),
        max: u64,
    ) -> Result<Upload, AppError> {
        let key = FileKey::generate(self.keyring().current_kind());
        let sealed_key = self.keyring().seal(&key.hex(), "attachment-key")?;
        let sealed_name = self.keyring().seal(name, "attachment-name")?;
        let keys = (sealed_key.key_id.as_str(), sealed_key.value.as_str(), key.kind().code());
        let id = ax::begin(tx, &owner, (&sealed_name.value, kind), keys, at).await?;
        Ok(Upload {
            owner,
            max,
            id,
            key,
            seq: 0,
            size: 0,
            hash: Sha256::new(),
            pending: Vec::new(),
            kind,
            utf8_tail: Vec::new(),
        })
    }

    /// The lead and record the caller may attach to at `place`: a lead or its step for its
    /// keepers; a review for its assigned reviewers while it is open; a rectification for the
    /// unit while it writes, for the committee until the re-check.
    async fn attach_target(
        &self,
        c: &mut store::Conn,
        actor: &Actor,
        place: Place,
    ) -> Result<(LeadHandle, AttachedTo), AppError> {
        match place {
            Place::Lead(lead) => {
                let keeper = actor.ledger_keeper()?;
                let (h, _) = leads::get(c, &keeper.scope, lead).await?.ok_or(AppError::NotFound)?;
                Ok((h, AttachedTo::Lead))
            }
            Place::Step(lead, step) => {
                let keeper = actor.ledger_keeper()?;
                let (h, _) = leads::get(c, &keeper.scope, lead).await?.ok_or(AppError::NotFound)?;
                match timeline::by_id(c, &keeper.scope, step).await? {
                    Some((of, _)) if of.id() == lead => Ok((h, AttachedTo::Step(step))),
                    _ => Err(AppError::field(FieldError::new(
                        "step",
                        "not_on_lead",
                        "所选办理步骤不属于本线索。",
                        "The step chosen is not one of this lead's.",
                    ))),
                }
            }
            Place::Review(id) => {
                let (h, _) = self.oversight().reviewing(c, actor, id).await?;
                Ok((h, AttachedTo::Review(id)))
            }
            Place::Rectification(id) => {
                if actor.ledger_keeper().is_err() {
                    actor.supervised_scope()?;
                }
                let today = beijing_date(self.now());
                let mut found = false;
                if let Ok(k) = actor.ledger_keeper()
                    && let Some((h, x)) = rx::get(c, &k.scope, id, today).await?
                {
                    found = true;
                    if x.state.takes_files(true) {
                        return Ok((h, AttachedTo::Rectification(id)));
                    }
                }
                if let Ok(scope) = actor.supervised_scope()
                    && let Some((h, x)) = rx::get(c, &scope, id, today).await?
                {
                    found = true;
                    if x.state.takes_files(false) {
                        return Ok((h, AttachedTo::Rectification(id)));
                    }
                }
                if !found {
                    return Err(AppError::NotFound);
                }
                Err(no_more_files(
                    "file",
                    "整改已进入下一环节，不再接收附件。",
                    "The rectification has moved on and takes no more files.",
                ))
            }
        }
    }

    fn view(&self, r: &ax::AttachmentRow) -> Result<AttachmentView, AppError> {
        let name = self
            .keyring()
            .open(&Sealed { key_id: r.key_id.clone(), value: r.sealed_name.clone() }, "attachment-name")?;
        Ok(AttachmentView {
            id: r.id,
            name,
            kind: r.kind,
            size: r.size,
            sha256: r.sha256.clone().unwrap_or_default(),
            uploaded_by: r.uploaded_by.clone().unwrap_or_else(|| "举报人（网上举报平台）".to_owned()),
            uploaded_at: store::from_micros(r.uploaded_at),
            previewable: r.kind.previewable(),
            record: r.attached_to.kind(),
            record_id: r.attached_to.id(),
        })
    }

    /// The attachments of a lead already found in the caller's scope (its dossier).
    pub(crate) async fn attachments_in(
        &self,
        c: &mut store::Conn,
        lead: &LeadHandle,
    ) -> Result<Vec<AttachmentView>, AppError> {
        ax::of_lead(c, lead).await?.iter().map(|r| self.view(r)).collect()
    }

    /// What the reporter sent with their report (its names and sizes are theirs to see).
    pub(crate) async fn sent_files(&self, c: &mut store::Conn, report: i64) -> Result<Vec<AttachmentView>, AppError> {
        ax::sent_with_report(c, report).await?.iter().map(|r| self.view(r)).collect()
    }

    /// A portal report's files, before it is a lead.
    pub(crate) async fn report_files(&self, c: &mut store::Conn, report: i64) -> Result<Vec<AttachmentView>, AppError> {
        ax::of_report(c, report).await?.iter().map(|r| self.view(r)).collect()
    }

    /// Opens a file a reporter sent, for the intake that may read the report (audited).
    #[tracing::instrument(name = "reporters.intake_file_open", skip_all)]
    pub async fn intake_file_open(&self, actor: &Actor, report: i64, id: i64) -> Result<Download, AppError> {
        let keeper = actor.ledger_keeper()?;
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        let r = self.reach(&mut tx, &keeper, actor, report).await?;
        let file = ax::get_of_report(&mut tx, r.id, id).await?.ok_or(AppError::NotFound)?;
        let event = Event::new("attachment.download", "attachment", id).detail(format!("portal report {}", r.id));
        record(&mut tx, self, now, Who::User(actor), event).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(Download { view: self.view(&file)?, id, key: self.open_key(&file)?, next: 0, db: self.db().clone() })
    }

    /// The files on one record of a lead already found in the caller's scope.
    pub(crate) async fn files_on(
        &self,
        c: &mut store::Conn,
        lead: &LeadHandle,
        on: AttachedTo,
    ) -> Result<Vec<AttachmentView>, AppError> {
        ax::of_record(c, lead, on).await?.iter().map(|r| self.view(r)).collect()
    }

    /// The lead's attachments, for whoever may read it.
    #[tracing::instrument(name = "reporters.attachments", skip_all)]
    pub async fn attachments(&self, actor: &Actor, lead: LeadId) -> Result<Vec<AttachmentView>, AppError> {
        let reader = actor.ledger()?;
        let mut c = self.reader().await?;
        let (handle, _) = leads::get(&mut c, &reader.scope, lead).await?.ok_or(AppError::NotFound)?;
        ax::of_lead(&mut c, &handle).await?.iter().map(|r| self.view(r)).collect()
    }

    /// Whether the caller may attach files at `place`: asked before a body is read, so a
    /// refusal costs no upload.
    pub async fn may_attach(&self, actor: &Actor, place: Place) -> Result<(), AppError> {
        let mut c = self.reader().await?;
        self.attach_target(&mut c, actor, place).await.map(|_| ())
    }

    /// Starts an upload at `place`: the name and first bytes must agree on a type the ledger
    /// keeps.
    pub async fn attach_begin(&self, actor: &Actor, place: Place, name: &str, head: &[u8]) -> Result<Upload, AppError> {
        let name = attachment::clean_name(name).map_err(AppError::field)?;
        let kind = attachment::sniff(&name, head).map_err(AppError::field)?;
        let mut tx = self.db().begin_write().await?;
        let (handle, on) = self.attach_target(&mut tx, actor, place).await?;
        let at = (Some(actor.id), to_micros(self.now()));
        let up =
            self.start_upload(&mut tx, ax::Owner::Lead(handle, on), (&name, kind), at, attachment::MAX_BYTES).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(up)
    }

    /// Starts a file a reporter sends with their report (while it is not yet a lead): at most
    /// [`attachment::PORTAL_MAX_FILES`] of [`attachment::PORTAL_MAX_BYTES`] each, dated by the day.
    pub async fn portal_attach_begin(
        &self,
        token: &str,
        csrf: &str,
        name: &str,
        head: &[u8],
    ) -> Result<Upload, AppError> {
        let (row, expected) = self.portal_session(token).await?;
        Self::check_csrf(&expected, csrf)?;
        if row.lead_id.is_some() || !row.state.is_open() {
            return Err(AppError::field(domain::FieldError::new(
                "file",
                "not_open",
                "举报已处理，如需补充材料请留言说明。",
                "The report has been dealt with; say what you would add in a message.",
            )));
        }
        let name = attachment::clean_name(name).map_err(AppError::field)?;
        let kind = attachment::sniff(&name, head).map_err(AppError::field)?;
        let mut c = self.reader().await?;
        if ax::of_report(&mut c, row.id).await?.len() >= attachment::PORTAL_MAX_FILES {
            return Err(AppError::field(domain::FieldError::new(
                "file",
                "too_many_files",
                format!("每件举报最多附{}个文件。", attachment::PORTAL_MAX_FILES),
                format!("At most {} files a report.", attachment::PORTAL_MAX_FILES),
            )));
        }
        drop(c);
        let day = super::portal::midnight(self.today());
        let mut tx = self.db().begin_write().await?;
        let owner = ax::Owner::Report(row.id);
        let up = self
            .start_upload(&mut tx, owner, (&name, kind), (None, to_micros(day)), attachment::PORTAL_MAX_BYTES)
            .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(up)
    }

    /// Ends a reporter's file.
    pub async fn portal_attach_finish(&self, up: Upload) -> Result<AttachmentView, AppError> {
        self.finish_upload(None, up).await
    }

    async fn store_chunk(&self, up: &mut Upload, plain: &[u8]) -> Result<(), AppError> {
        let sealed = up.key.encrypt(&nonce(up.seq), &aad(up.id, up.seq), plain)?;
        let mut tx = self.db().begin_write().await?;
        ax::add_chunk(&mut tx, up.id, up.seq, &sealed).await?;
        tx.commit().await.map_err(StoreError::from)?;
        up.seq += 1;
        Ok(())
    }

    /// Takes the next bytes of the file; refused (and the upload dropped) past the size kept,
    /// or when a text file turns out not to be text.
    pub async fn attach_more(&self, up: &mut Upload, bytes: &[u8]) -> Result<(), AppError> {
        up.size += bytes.len() as u64;
        if let Err(e) = attachment::within(up.size, up.max) {
            self.attach_abort(up).await;
            return Err(AppError::field(e));
        }
        if up.kind == FileKind::Txt && !still_text(&mut up.utf8_tail, bytes) {
            self.attach_abort(up).await;
            return Err(not_text());
        }
        up.hash.update(bytes);
        up.pending.extend_from_slice(bytes);
        while up.pending.len() >= CHUNK {
            let rest = up.pending.split_off(CHUNK);
            let whole = std::mem::replace(&mut up.pending, rest);
            self.store_chunk(up, &whole).await?;
        }
        Ok(())
    }

    /// Drops an upload that will not be finished.
    pub async fn attach_abort(&self, up: &Upload) {
        if let Ok(mut tx) = self.db().begin_write().await
            && ax::discard(&mut tx, up.id).await.is_ok()
        {
            let _ = tx.commit().await;
        }
    }

    /// Ends the upload: the last bytes stored, the file listed with its size and hash, audited.
    pub async fn attach_finish(&self, actor: &Actor, up: Upload) -> Result<AttachmentView, AppError> {
        self.finish_upload(Some(actor), up).await
    }

    /// Ends an upload: by a member of staff (audited), or by a reporter on the portal (not: it
    /// would time them).
    pub(crate) async fn finish_upload(
        &self,
        actor: Option<&Actor>,
        mut up: Upload,
    ) -> Result<AttachmentView, AppError> {
        if let Err(e) = attachment::within(up.size, up.max) {
            self.attach_abort(&up).await;
            return Err(AppError::field(e));
        }
        if up.kind == FileKind::Txt && !up.utf8_tail.is_empty() {
            self.attach_abort(&up).await;
            return Err(not_text());
        }
        let last = std::mem::take(&mut up.pending);
        if !last.is_empty() {
            self.store_chunk(&mut up, &last).await?;
        }
        let sha = hex::encode(up.hash.clone().finalize());
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        if !ax::finish(&mut tx, up.id, up.size as i64, &sha).await? {
            return Err(AppError::NotFound);
        }
        let r = match &up.owner {
            ax::Owner::Lead(lead, _) => ax::get(&mut tx, lead, up.id).await?,
            ax::Owner::Report(report) => ax::get_of_report(&mut tx, *report, up.id).await?,
        }
        .ok_or(AppError::NotFound)?;
        if let (Some(actor), ax::Owner::Lead(lead, on)) = (actor, &up.owner) {
            let detail =
                format!("lead {}, on {}, {}, {} bytes, sha256 {sha}", lead.id(), on.label(true), up.kind, up.size);
            let event = Event::new("attachment.upload", "attachment", up.id).detail(detail);
            record(&mut tx, self, now, Who::User(actor), event).await?;
        }
        tx.commit().await.map_err(StoreError::from)?;
        self.view(&r)
    }

    /// Opens an attachment of a lead the caller reads, for download (`inline` for a preview);
    /// the download is audited before a byte is sent.
    #[tracing::instrument(name = "reporters.attachment_open", skip_all)]
    pub async fn attachment_open(
        &self,
        actor: &Actor,
        lead: LeadId,
        id: i64,
        inline: bool,
    ) -> Result<Download, AppError> {
        let reader = actor.ledger()?;
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        let (handle, _) = leads::get(&mut tx, &reader.scope, lead).await?.ok_or(AppError::NotFound)?;
        let r = ax::get(&mut tx, &handle, id).await?.ok_or(AppError::NotFound)?;
        if inline && !r.kind.previewable() {
            return Err(AppError::NotFound);
        }
        let action = if inline { "attachment.preview" } else { "attachment.download" };
        record(
            &mut tx,
            self,
            now,
            Who::User(actor),
            Event::new(action, "attachment", id).detail(format!("lead {lead}")),
        )
        .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(Download { view: self.view(&r)?, id, key: self.open_key(&r)?, next: 0, db: self.db().clone() })
    }
}

impl Download {
    /// The next piece of the file, or `None` at its end.
    pub async fn next_chunk(&mut self) -> Result<Option<Vec<u8>>, AppError> {
        let mut c = self.db.read().await?;
        let Some(sealed) = ax::chunk(&mut c, self.id, self.next).await? else { return Ok(None) };
        let plain = self
            .key
            .decrypt(&nonce(self.next), &aad(self.id, self.next), &sealed)
            .map_err(|_| AppError::internal(format!("attachment {} chunk {} does not open", self.id, self.next)))?;
        self.next += 1;
        Ok(Some(plain))
    }
}

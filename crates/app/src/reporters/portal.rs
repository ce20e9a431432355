//! The public portal's use cases (网上举报): a reporter files a report after a proof of work and
//! gets a receipt code; with it and their passphrase they follow the report — its status, the
//! handlers' questions and their answers, the result notice — and rate their satisfaction.
//! Nothing here knows the reporter's address: limits by address live in the portal's web layer,
//! and a report keeps only the day it came in.

use domain::{
    Invalid,
    dates::beijing_date,
    reporters::{
        ReporterKind,
        feedback::{ContactMethod, FeedbackFacts, FeedbackInput, FeedbackKind},
        intake::{self, IntakeState, PortalReport, PortalReportInput, PortalStatus},
        portal::{ReceiptCode, proof_holds},
        satisfaction::Satisfaction,
    },
};
use rand::RngCore;
use serde::Serialize;
use sha2::{Digest, Sha256};
use store::{StoreError, reporters::portal as px, to_micros};
use time::Date;

use super::Reporters;
use crate::{AppError, protection::secrets::Sealed};

/// How long a proof-of-work challenge stays good, and a reporter's session.
const CHALLENGE_SECS: i64 = 30 * 60;
const SESSION_SECS: i64 = 30 * 60;

/// A challenge to solve before filing: SHA-256(token ‖ nonce) with `bits` leading zero bits.
#[derive(Debug, Clone, Serialize)]
pub struct PortalChallenge {
    pub token: String,
    pub bits: u8,
}

/// What the reporter is shown once.
#[derive(Debug, Clone)]
pub struct Receipt {
    pub code: String,
    pub received_on: Date,
}

#[derive(Debug, Clone, Serialize)]
pub struct PortalMessage {
    pub from_reporter: bool,
    pub text: String,
    pub sent_on: String,
}

/// The report as its reporter sees it.
#[derive(Debug, Clone)]
pub struct PortalView {
    pub status: PortalStatus,
    pub received_on: Date,
    pub kind: ReporterKind,
    pub report: PortalReport,
    /// Why it was not accepted.
    pub reason: Option<String>,
    pub messages: Vec<PortalMessage>,
    /// The result notice given through the portal: its day and text.
    pub result: Option<(Date, String)>,
    pub may_rate: bool,
    pub rated: Option<Satisfaction>,
    pub csrf: String,
    /// The files the reporter sent, and whether they may send more.
    pub files: Vec<crate::AttachmentView>,
    pub may_send_files: bool,
}

/// The same refusal for a wrong code and a wrong passphrase: which one was wrong is not told.
pub fn not_found() -> AppError {
    AppError::field(domain::FieldError::new(
        "receipt_code",
        "no_match",
        "查询码或查询密码不正确。",
        "The receipt code or the passphrase is not right.",
    ))
}

/// The first moment of a Beijing day.
pub(crate) fn midnight(day: Date) -> time::OffsetDateTime {
    day.midnight().assume_offset(time::UtcOffset::from_hms(8, 0, 0).unwrap_or(time::UtcOffset::UTC))
}

fn sha256(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

fn random_hex() -> String {
    let mut b = [0u8; 32];
    rand::rng().fill_bytes(&mut b);
    hex::encode(b)
}

/// Rounds a moment up to the hour: what the portal keeps of when a reporter came.
fn to_the_hour(unix: i64) -> i64 {
    (unix + 3599).div_euclid(3600) * 3600
}

/// Argon2 off the async workers, a few at a time, so a burst of guesses cannot stall the
/// staff site that shares the runtime.
async fn hashing<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T, AppError> {
    static PERMITS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);
    let _permit = PERMITS.acquire().await.map_err(|e| AppError::internal(e.to_string()))?;
    tokio::task::spawn_blocking(f).await.map_err(|e| AppError::internal(e.to_string()))
}

fn aad(what: &str) -> String {
    format!("portal:{what}")
}

impl Reporters<'_> {
    fn keyed(&self, purpose: &str, data: &str) -> String {
        self.keyring().person_hash(&format!("portal-{purpose}:{data}"))
    }

    /// A fresh challenge, good for half an hour, signed so the server keeps nothing until it
    /// is spent.
    pub fn portal_challenge(&self, bits: u8) -> PortalChallenge {
        let expires = self.now().unix_timestamp() + CHALLENGE_SECS;
        let body = format!("{expires}.{bits}.{}", random_hex());
        let mac = self.keyed("challenge", &body);
        PortalChallenge { token: format!("{body}.{mac}"), bits }
    }

    fn check_challenge(&self, token: &str, nonce: &str, bits: u8) -> Result<i64, AppError> {
        let refused = || {
            AppError::field(domain::FieldError::new(
                "proof",
                "proof_failed",
                "浏览器验证未通过或已过期，请重新提交（须启用 JavaScript）。",
                "The browser check failed or expired; submit again (JavaScript is needed).",
            ))
        };
        let (body, mac) = token.rsplit_once('.').ok_or_else(refused)?;
        let mut parts = body.splitn(3, '.');
        let expires: i64 = parts.next().and_then(|e| e.parse().ok()).ok_or_else(refused)?;
        let asked: u8 = parts.next().and_then(|b| b.parse().ok()).ok_or_else(refused)?;
        let nonce: u64 = nonce.trim().parse().map_err(|_| refused())?;
        let genuine = crate::constant_time_eq(self.keyed("challenge", body).as_bytes(), mac.as_bytes());
        if !genuine || asked < bits || expires <= self.now().unix_timestamp() || !proof_holds(token, nonce, asked) {
            return Err(refused());
        }
        Ok(expires)
    }

    /// Files a report: checks the proof of work (each challenge once), seals the report and
    /// the reporter's identity, keeps the code's keyed hash and the passphrase's argon2 hash.
    /// No audit entry and no time of day: the report's arrival leaves no timing trace; the
    /// intake's decisions on it are audited.
    #[tracing::instrument(name = "reporters.portal_file", skip_all)]
    pub async fn portal_file(
        &self,
        input: &PortalReportInput,
        (token, nonce): (&str, &str),
        bits: u8,
    ) -> Result<Receipt, AppError> {
        let filed = input.parse()?;
        let expires = self.check_challenge(token, nonce, bits)?;
        let now = self.now();
        // Spent first, on its own: a replay costs no hashing, and the spent row shares no
        // transaction with the report (its expiry is kept to the hour, no finer).
        let mut tx = self.db().begin_write().await?;
        if !px::spend_challenge(&mut tx, &sha256(token), to_the_hour(expires), now.unix_timestamp()).await? {
            return Err(AppError::field(domain::FieldError::new(
                "proof",
                "proof_spent",
                "该表单已提交过，请刷新页面后重新填写提交。",
                "This form was sent already; reload the page and send it again.",
            )));
        }
        tx.commit().await.map_err(StoreError::from)?;
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        let code = ReceiptCode::from_random(&bytes);
        let receipt_hash = self.keyed("receipt", code.digits());
        let passphrase_hash = hashing(move || crate::protection::auth::hash_password(&filed.passphrase)).await??;
        let report_json = serde_json::to_string(&filed.report).map_err(|e| AppError::internal(e.to_string()))?;
        let sealed = self.keyring().seal(&report_json, &aad("report"))?;
        let identity = match filed.reporter.kind {
            ReporterKind::Signed => {
                let json = serde_json::json!({"name": filed.reporter.name, "contact": filed.reporter.contact});
                Some(self.keyring().seal(&json.to_string(), &aad("reporter"))?.value)
            }
            ReporterKind::Anonymous => None,
        };
        let received_on = beijing_date(now);
        let mut tx = self.db().begin_write().await?;
        let new = px::NewReport {
            receipt_hash: &receipt_hash,
            passphrase_hash: &passphrase_hash,
            kind: filed.reporter.kind,
            key_id: &sealed.key_id,
            sealed_report: &sealed.value,
            sealed_reporter: identity.as_deref(),
            received_on,
        };
        px::insert(&mut tx, &new).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(Receipt { code: code.display(), received_on })
    }

    /// Opens a session for the report a code and passphrase name; the same refusal whichever
    /// is wrong, after the same work.
    #[tracing::instrument(name = "reporters.portal_open", skip_all)]
    pub async fn portal_open(&self, code: &str, passphrase: &str) -> Result<String, AppError> {
        let code = ReceiptCode::parse(code).map_err(|_| not_found())?;
        let mut c = self.reader().await?;
        let row = px::by_receipt(&mut c, &self.keyed("receipt", code.digits())).await?;
        drop(c);
        // A missing report still costs one hash check, so timing does not tell the two apart.
        let hash = row.as_ref().map_or(crate::protection::auth::DUMMY_HASH.clone(), |r| r.passphrase_hash.clone());
        let passphrase = passphrase.to_owned();
        let matches = hashing(move || crate::protection::auth::verify_password(&hash, &passphrase)).await?;
        let row = row.filter(|_| matches).ok_or_else(not_found)?;
        let token = random_hex();
        let now = self.now().unix_timestamp();
        let mut tx = self.db().begin_write().await?;
        px::start_session(&mut tx, &sha256(&token), row.id, &random_hex(), to_the_hour(now + SESSION_SECS)).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(token)
    }

    pub(crate) async fn portal_session(&self, token: &str) -> Result<(px::ReportRow, String), AppError> {
        let mut c = self.reader().await?;
        let (id, csrf) =
            px::session(&mut c, &sha256(token), self.now().unix_timestamp()).await?.ok_or(AppError::Unauthenticated)?;
        let row = px::own(&mut c, id).await?.ok_or(AppError::Unauthenticated)?;
        Ok((row, csrf))
    }

    fn open_report(&self, row: &px::ReportRow) -> Result<PortalReport, AppError> {
        let json = self
            .keyring()
            .open(&Sealed { key_id: row.key_id.clone(), value: row.sealed_report.clone() }, &aad("report"))?;
        serde_json::from_str(&json).map_err(|e| AppError::internal(e.to_string()))
    }

    pub(crate) fn open_messages(&self, rows: Vec<px::MessageRow>) -> Result<Vec<PortalMessage>, AppError> {
        rows.into_iter()
            .map(|m| {
                let text = self.keyring().open(&Sealed { key_id: m.key_id, value: m.sealed_text }, &aad("message"))?;
                Ok(PortalMessage {
                    from_reporter: m.from_reporter,
                    text,
                    sent_on: domain::dates::format_date(m.sent_on),
                })
            })
            .collect()
    }

    /// The lead's feedback as the portal shows it: the result notice given through the portal,
    /// and whether the follow-up is still the reporter's to give.
    async fn portal_feedback(
        &self,
        c: &mut store::Conn,
        row: &px::ReportRow,
    ) -> Result<(Option<(Date, String)>, Option<Satisfaction>, Option<domain::UserId>), AppError> {
        let Some((handle, _)) = px::lead_of_report(c, row.id).await? else { return Ok((None, None, None)) };
        let feedback = store::reporters::feedback::of_lead(c, &handle).await?;
        let result =
            feedback.iter().rev().find(|f| f.kind == FeedbackKind::Result && f.method == ContactMethod::Portal);
        let rated = result.and_then(|r| {
            feedback.iter().find(|f| f.kind == FeedbackKind::FollowUp && f.event_id > r.event_id).and_then(|f| f.rating)
        });
        Ok((result.map(|r| (r.contacted_on, r.note.clone().unwrap_or_default())), rated, result.map(|r| r.recorder)))
    }

    #[tracing::instrument(name = "reporters.portal_view", skip_all)]
    pub async fn portal_view(&self, token: &str) -> Result<PortalView, AppError> {
        let (row, csrf) = self.portal_session(token).await?;
        let mut c = self.reader().await?;
        let lead_status = px::lead_of_report(&mut c, row.id).await?.map(|(_, s)| s);
        let (result, rated, _) = self.portal_feedback(&mut c, &row).await?;
        let messages = self.open_messages(px::messages(&mut c, row.id).await?)?;
        let files = self.sent_files(&mut c, row.id).await?;
        let may_send_files = row.lead_id.is_none()
            && row.state.is_open()
            && files.len() < domain::reporters::attachment::PORTAL_MAX_FILES;
        Ok(PortalView {
            files,
            may_send_files,
            status: intake::portal_status(row.state, lead_status),
            received_on: row.received_on,
            kind: row.kind,
            report: self.open_report(&row)?,
            reason: row.reason.clone().filter(|_| row.state == IntakeState::NotAccepted),
            messages,
            may_rate: result.is_some() && rated.is_none(),
            result,
            rated,
            csrf,
        })
    }

    pub(crate) fn check_csrf(expected: &str, given: &str) -> Result<(), AppError> {
        if expected.is_empty() || !crate::constant_time_eq(expected.as_bytes(), given.as_bytes()) {
            Err(AppError::Forbidden)
        } else {
            Ok(())
        }
    }

    /// The reporter answers a question or adds material: sealed, dated by the day only.
    #[tracing::instrument(name = "reporters.portal_send", skip_all)]
    pub async fn portal_send(&self, token: &str, csrf: &str, text: &str) -> Result<(), AppError> {
        let (row, expected) = self.portal_session(token).await?;
        Self::check_csrf(&expected, csrf)?;
        let text = intake::message(text).map_err(AppError::field)?;
        let mut tx = self.db().begin_write().await?;
        intake::may_send(px::count_from_reporter(&mut tx, row.id).await? as usize).map_err(AppError::field)?;
        let sealed = self.keyring().seal(text.as_str(), &aad("message"))?;
        px::add_message(&mut tx, row.id, (&sealed.key_id, &sealed.value), self.today(), None).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    /// The reporter rates their satisfaction with the result told through the portal: the
    /// lead's follow-up, recorded under the handler who told the result.
    #[tracing::instrument(name = "reporters.portal_rate", skip_all)]
    pub async fn portal_rate(&self, token: &str, csrf: &str, rating: &str, reasons: &str) -> Result<(), AppError> {
        let (row, expected) = self.portal_session(token).await?;
        Self::check_csrf(&expected, csrf)?;
        let mut tx = self.db().begin_write().await?;
        let (result, rated, recorder) = self.portal_feedback(&mut tx, &row).await?;
        let lead = px::lead_of_report(&mut tx, row.id).await?;
        let (Some((handle, _)), Some((told_on, _)), None, Some(recorder)) = (lead, result, rated, recorder) else {
            return Err(AppError::field(domain::FieldError::new(
                "rating",
                "not_owed",
                "办理结果反馈后才能评价，且只评价一次。",
                "You rate once, after the result is told.",
            )));
        };
        let l = store::ledger::leads::by_handle(&mut tx, &handle).await?;
        let input = FeedbackInput {
            kind: FeedbackKind::FollowUp.code().into(),
            contacted_on: domain::dates::format_date(self.today()),
            method: ContactMethod::Portal.code().into(),
            given_by: "举报人（网上举报平台）".into(),
            rating: rating.into(),
            reasons: reasons.into(),
            note: String::new(),
        };
        let facts = FeedbackFacts {
            signed: row.kind == ReporterKind::Signed,
            status: l.status,
            received_on: l.received_on,
            closed_on: Some(told_on),
            result_told_on: Some(told_on),
            acceptance_told: true,
            followed_up: false,
            today: self.today(),
        };
        let f = input.parse(&facts).map_err(|e: Invalid| AppError::Invalid(e))?;
        let note = format!("{} · {}", ContactMethod::Portal.zh(), f.rating.map(|r| r.zh()).unwrap_or_default());
        // Kept to the day: the moment a reporter rated is no one's to know.
        let day = midnight(self.today());
        let event = self
            .app
            .lifecycle()
            .follow_up_in(&mut tx, (&handle, &l), f.kind.follow_up(), &note, (recorder, day, f.contacted_on))
            .await?;
        let given_by = f.given_by.as_ref().map(|g| g.to_string()).unwrap_or_default();
        // No audit entry: like the filing, a reporter's own act would be timed by it; the
        // follow-up stands on the lead's timeline under the handler who told the result.
        store::reporters::feedback::insert(&mut tx, &handle, event, &f, &given_by, (recorder, to_micros(day))).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    /// Ends the reporter's session (and any expired ones); a forged request ends nothing.
    pub async fn portal_leave(&self, token: &str, csrf: &str) -> Result<(), AppError> {
        let (_, expected) = self.portal_session(token).await?;
        Self::check_csrf(&expected, csrf)?;
        let mut tx = self.db().begin_write().await?;
        px::end_session(&mut tx, &sha256(token), self.now().unix_timestamp()).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }
}

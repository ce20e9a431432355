//! Writing and reading the audit trail. Every use case that changes something (or reveals
//! lead content) calls [`record`] with its own transaction, so the entry commits or rolls
//! back with the change.

use super::Protection;
use domain::{FieldError, Invalid, dates::parse_optional_date};
use serde::Serialize;
use store::{
    StoreError, protection::audit, protection::audit::AuditFilter, protection::audit::Entry,
    protection::audit::NewEntry, protection::audit::Verification,
};
use time::OffsetDateTime;

use crate::{Actor, App, AppError, AuditReader};

/// Who did it, for the trail: a person, or the system itself (command line, demo loader).
pub(crate) enum Who<'a> {
    User(&'a Actor),
    /// A sign-in attempt names the account tried, whether or not it exists.
    Claimed(&'a str),
    System,
}

pub(crate) struct Event<'a> {
    pub action: &'a str,
    pub record_type: &'a str,
    pub record_id: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub detail: Option<String>,
}

impl<'a> Event<'a> {
    pub fn new(action: &'a str, record_type: &'a str, record_id: impl ToString) -> Self {
        Self { action, record_type, record_id: record_id.to_string(), before: None, after: None, detail: None }
    }
    pub fn before(mut self, v: &impl Serialize) -> Self {
        self.before = serde_json::to_string(v).ok();
        self
    }
    pub fn after(mut self, v: &impl Serialize) -> Self {
        self.after = serde_json::to_string(v).ok();
        self
    }
    pub fn detail(mut self, d: impl Into<String>) -> Self {
        self.detail = Some(d.into());
        self
    }
}

pub(crate) async fn record(
    tx: &mut store::Tx,
    app: &App,
    now: OffsetDateTime,
    who: Who<'_>,
    e: Event<'_>,
) -> Result<i64, AppError> {
    let (actor_id, actor_name) = match who {
        Who::User(a) => (Some(a.id.get()), a.username.clone()),
        Who::Claimed(name) => (None, name.chars().take(60).collect()),
        Who::System => (None, "system".to_owned()),
    };
    Ok(audit::append(
        tx,
        app.audit_algo,
        &NewEntry {
            at: store::to_micros(now),
            actor_id,
            actor_name,
            action: e.action.to_owned(),
            record_type: e.record_type.to_owned(),
            record_id: e.record_id,
            before: e.before,
            after: e.after,
            detail: e.detail,
        },
    )
    .await?)
}

/// The auditor's filters as submitted.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// A username, exactly.
    pub user: String,
    /// An action code (`lead.view`, `reporter.reveal`, …).
    pub action: String,
    pub record_type: String,
    pub record_id: String,
    /// From this day (YYYY-MM-DD).
    #[param(value_type = Option<String>, format = Date)]
    pub from: String,
    /// To this day, inclusive.
    #[param(value_type = Option<String>, format = Date)]
    pub to: String,
    #[param(value_type = Option<u32>, minimum = 1)]
    pub page: String,
}

/// The names an audit page shows instead of ids: each record's (a lead's number, an
/// account's or unit's name) and each actor's.
#[derive(Debug, Clone, Default)]
pub struct AuditNames(store::protection::audit::Labels);

impl AuditNames {
    /// "线索 RMYY1-2026-0001", "账号 周某某"; the kind and id where the record has no name
    /// (or is gone).
    pub fn record(&self, e: &Entry, english: bool) -> String {
        let kind = domain::protection::audit_words::record_kind(&e.record_type, english);
        match self.0.records.get(&(e.record_type.clone(), e.record_id.clone())) {
            Some(name) => format!("{kind} {name}"),
            None if e.record_id == "-" => kind.to_owned(),
            None => format!("{kind} #{}", e.record_id),
        }
    }

    /// The entry's 说明 in the reader's words (accounts by name, codes as words).
    pub fn detail(&self, e: &Entry, english: bool) -> String {
        let detail = e.detail.as_deref().unwrap_or_default();
        domain::protection::audit_detail::readable_detail(&e.action, detail, english, |id| {
            self.0.people.get(&id).cloned()
        })
    }

    /// "周某某 · zhou": the person's name, with the username the entry recorded.
    pub fn actor(&self, e: &Entry) -> String {
        match e.actor_id.and_then(|id| self.0.people.get(&id)) {
            Some(name) if *name != e.actor_name => format!("{name} · {}", e.actor_name),
            _ => e.actor_name.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct AuditPage {
    #[serde(skip)]
    pub entries: Vec<Entry>,
    #[serde(skip)]
    pub names: AuditNames,
    /// Every account, to pick one in the filter: (username, display name).
    #[serde(skip)]
    pub people: Vec<(String, String)>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

impl AuditQuery {
    fn parse(&self) -> Result<(AuditFilter, i64), Invalid> {
        let mut e = Invalid::default();
        let from = e.take(parse_optional_date("from", &self.from));
        let to = e.take(parse_optional_date("to", &self.to));
        let page = match self.page.trim() {
            "" => 1,
            p => match p.parse::<i64>() {
                Ok(n) if n >= 1 => n,
                _ => {
                    e.push(FieldError::new(
                        "page",
                        "out_of_range",
                        "页码须为正整数。",
                        "The page must be a positive number.",
                    ));
                    1
                }
            },
        };
        let text = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        // Dates are Beijing days: [from 00:00, to + 1 day 00:00) in Beijing time.
        let start_of = |d: time::Date| store::to_micros(d.midnight().assume_offset(domain::dates::BEIJING));
        let filter = AuditFilter {
            actor_name: text(&self.user),
            action: text(&self.action),
            record_type: text(&self.record_type),
            record_id: text(&self.record_id),
            from: from.flatten().map(start_of),
            to: to.flatten().map(|d| start_of(d + time::Duration::days(1))),
        };
        e.into_result(|| (filter, page))
    }
}

pub const AUDIT_PAGE_SIZE: i64 = 100;

impl Protection<'_> {
    #[tracing::instrument(name = "protection.audit_entries", skip_all)]
    pub async fn audit_entries(&self, _cap: &AuditReader, q: &AuditQuery) -> Result<AuditPage, AppError> {
        let (filter, page) = q.parse()?;
        let mut c = self.reader().await?;
        let entries = audit::list(&mut c, &filter, AUDIT_PAGE_SIZE, (page - 1) * AUDIT_PAGE_SIZE).await?;
        let total = audit::count(&mut c, &filter).await?;
        let names = AuditNames(audit::labels(&mut c, &entries).await?);
        let people = audit::people(&mut c).await?;
        Ok(AuditPage { entries, names, people, total, page, per_page: AUDIT_PAGE_SIZE })
    }

    /// Every entry matching the filters, oldest first, for export (capped); the export itself
    /// goes on the trail in the same transaction as the read, so no export goes unrecorded.
    #[tracing::instrument(name = "protection.audit_export", skip_all)]
    pub async fn audit_export(&self, cap: &AuditReader, q: &AuditQuery) -> Result<(Vec<Entry>, AuditNames), AppError> {
        let (filter, _) = q.parse()?;
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        let mut rows = audit::list(&mut tx, &filter, 100_000, 0).await?;
        rows.reverse();
        record(
            &mut tx,
            self,
            now,
            Who::User(&cap.actor),
            Event::new("audit.export", "audit", "-").detail(format!("{} rows", rows.len())),
        )
        .await?;
        let names = AuditNames(audit::labels(&mut tx, &rows).await?);
        tx.commit().await.map_err(StoreError::from)?;
        Ok((rows, names))
    }

    /// Checks the whole chain; for the command line and the auditor.
    #[tracing::instrument(name = "protection.verify_audit", skip_all)]
    pub async fn verify_audit(&self) -> Result<Verification, AppError> {
        let mut c = self.reader().await?;
        Ok(audit::verify(&mut c).await?)
    }
}

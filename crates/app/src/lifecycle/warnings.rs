//! The warning scan: each open lead's colour, announced once per colour to the people it
//! escalates to (handler → owning leader → unit head and supervisor), and the inbox.

use super::Lifecycle;
use domain::{
    dates::format_date, lifecycle::deadline::DeadlineRule, lifecycle::deadline::RuleCode,
    lifecycle::deadline::rule_for, lifecycle::deadline::warning,
};
use serde::Serialize;
use store::{StoreError, lifecycle::notices, lifecycle::notices::NewNotice, to_micros};
use time::{Duration, OffsetDateTime};

/// Leads read per page by the warning scan: at 1M leads, reading every open lead at once
/// held ~280 MB after the first scan.
const SCAN_PAGE: i64 = 1000;

use crate::{Actor, AppError, protection::audit::Event, protection::audit::Who, protection::audit::record};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct InboxItem {
    pub id: i64,
    pub lead_id: Option<i64>,
    /// The lead's number and unit, when the notice is about a lead.
    pub number: Option<String>,
    pub unit_name: Option<String>,
    /// `blue`, `yellow`, `red` for a warning (a side clock's too), else the notice's kind.
    pub colour: String,
    pub message: String,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub read: bool,
}

impl Lifecycle<'_> {
    /// Recomputes every open lead's warning and notifies on changes. Runs under a lease so
    /// that, with several instances, one runs it; returns `None` when another holds it.
    #[tracing::instrument(name = "lifecycle.scan_warnings", skip_all)]
    pub async fn scan_warnings(&self, holder: &str) -> Result<Option<usize>, AppError> {
        self.lifecycle().scan_warnings_in_pages(holder, SCAN_PAGE).await
    }

    /// [`Self::scan_warnings`], reading `page` leads at a time (tests use tiny pages to cross
    /// page boundaries).
    #[tracing::instrument(name = "lifecycle.scan_warnings_in_pages", skip_all)]
    pub async fn scan_warnings_in_pages(&self, holder: &str, page: i64) -> Result<Option<usize>, AppError> {
        // Another instance or the command line may have changed the calendar or the rules.
        self.reload_deadline_setup().await?;
        let today = self.today();
        // The lease is taken, and renewed page by page, in transactions of its own; each page's
        // notices are written in a short transaction too. One transaction over every open
        // lead held the write lock for 30 s at 1M leads, and every registration waited.
        if !self.renew_scan_lease(holder).await? {
            return Ok(None);
        }
        let (cal, rules) = {
            let s = self.deadlines.read().unwrap_or_else(std::sync::PoisonError::into_inner);
            (s.calendar.clone(), s.rules.clone())
        };
        let mut sent = 0;
        let mut mails: Vec<crate::mail::Mail> = Vec::new();
        let mut after = None;
        loop {
            let leads = notices::open_leads(&mut *self.reader().await?, after, page.max(1)).await?;
            let last_page = (leads.len() as i64) < page.max(1);
            after = leads.last().map(|l| l.lead.id());
            let due: Vec<_> = leads
                .into_iter()
                .filter_map(|l| {
                    let code = l.rule.as_deref().and_then(RuleCode::from_code).or_else(|| rule_for(l.status))?;
                    let rule = rules
                        .iter()
                        .find(|r| r.code == code)
                        .copied()
                        .unwrap_or_else(|| DeadlineRule::default_for(code));
                    let colour = warning(today, l.started.unwrap_or(l.received_on), l.deadline, &rule, &cal)?;
                    (l.notified.as_deref() != Some(colour.code())).then_some((l, colour))
                })
                .collect();
            if !due.is_empty() {
                let now = self.now();
                let mut tx = self.db().begin_write().await?;
                for (l, colour) in due {
                    if !notices::claim_colour(&mut tx, &l, colour.code()).await? {
                        continue;
                    }
                    let zh = format!("线索 {} {}，环节期限 {}。", l.number, colour.zh(), format_date(l.deadline));
                    let en = format!("Lead {}: {}; stage due {}.", l.number, colour.en(), format_date(l.deadline));
                    let mut told = Vec::new();
                    for role in colour.escalation_target() {
                        // An owning leader hears only of the leads they own; a handler, of the
                        // leads assigned to them.
                        let users = match role {
                            domain::protection::role::Role::OwningLeader => l.owner.into_iter().collect(),
                            domain::protection::role::Role::Handler => {
                                store::ledger::handlers::of_lead(&mut tx, &l.lead)
                                    .await?
                                    .into_iter()
                                    .map(|h| h.id)
                                    .collect()
                            }
                            _ => notices::holders(&mut tx, *role, l.unit, &l.lead).await?,
                        };
                        for user in users {
                            if told.contains(&user) {
                                continue;
                            }
                            told.push(user);
                            let n = NewNotice {
                                user,
                                lead: Some(&l.lead),
                                kind: colour.code(),
                                zh: &zh,
                                en: &en,
                                at: to_micros(now),
                            };
                            notices::insert(&mut tx, &n).await?;
                            sent += 1;
                            if self.mailer.is_some()
                                && let Some(to) =
                                    store::protection::users::get(&mut tx, user).await?.and_then(|u| u.email)
                            {
                                mails.push(crate::mail::Mail {
                                    to,
                                    subject: format!("【清零】{zh}"),
                                    body: format!("{zh}\n{en}\n"),
                                });
                            }
                        }
                    }
                }
                tx.commit().await.map_err(StoreError::from)?;
            }
            if last_page || !self.renew_scan_lease(holder).await? {
                break;
            }
        }
        sent += self.scan_side_clocks(page).await?;
        if sent > 0 {
            let now = self.now();
            let mut tx = self.db().begin_write().await?;
            record(
                &mut tx,
                self,
                now,
                Who::System,
                Event::new("warnings.scan", "job", holder).detail(format!("{sent} notifications")),
            )
            .await?;
            tx.commit().await.map_err(StoreError::from)?;
        }
        // Mail goes out after the commits: a slow relay never holds a transaction.
        if let Some(m) = &self.mailer {
            for mail in &mails {
                if let Err(e) = m.send(mail).await {
                    tracing::warn!(to = %mail.to, "warning mail not sent: {e}");
                }
            }
        }
        Ok(Some(sent))
    }

    /// Takes or renews the warning scan's lease for five minutes; false while another holds it.
    async fn renew_scan_lease(&self, holder: &str) -> Result<bool, AppError> {
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        let held =
            store::jobs::take_lease(&mut tx, "warnings", holder, to_micros(now), to_micros(now + Duration::minutes(5)))
                .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(held)
    }

    #[tracing::instrument(name = "lifecycle.unread_notices", skip_all)]
    pub async fn unread_notices(&self, actor: &Actor) -> Result<i64, AppError> {
        let mut c = self.reader().await?;
        Ok(notices::unread(&mut c, actor.id).await?)
    }

    #[tracing::instrument(name = "lifecycle.inbox", skip_all)]
    pub async fn inbox(&self, actor: &Actor, english: bool) -> Result<Vec<InboxItem>, AppError> {
        Ok(self.inbox_page(actor, &InboxFilter::default(), 1, english).await?.items)
    }

    /// One page of the caller's notices (newest first), filtered by colour, unit and read
    /// state, with how many match and the units to filter by.
    #[tracing::instrument(name = "lifecycle.inbox_page", skip_all)]
    pub async fn inbox_page(
        &self,
        actor: &Actor,
        f: &InboxFilter,
        page: i64,
        english: bool,
    ) -> Result<InboxPage, AppError> {
        let mut c = self.reader().await?;
        let filter = notices::NoticeFilter {
            colour: domain::lifecycle::deadline::Warning::from_code(f.colour.trim()).map(|w| w.code().to_owned()),
            unit: f.unit.trim().parse::<i64>().ok().map(domain::UnitId::from_raw),
            unread_only: f.unread_only,
        };
        let page = page.max(1);
        let (rows, total) = notices::page(&mut c, actor.id, &filter, (page - 1) * INBOX_PAGE, INBOX_PAGE).await?;
        let units = notices::units_of(&mut c, actor.id).await?;
        let items = rows
            .into_iter()
            .map(|r| InboxItem {
                id: r.notice.id,
                lead_id: r.notice.lead_id.map(|l| l.get()),
                number: r.number,
                unit_name: r.unit_name,
                colour: r.notice.kind.rsplit(':').next().unwrap_or_default().to_owned(),
                message: if english { r.notice.message_en } else { r.notice.message_zh },
                at: store::from_micros(r.notice.created_at),
                read: r.notice.read,
            })
            .collect();
        Ok(InboxPage { items, total, page, page_count: ((total + INBOX_PAGE - 1) / INBOX_PAGE).max(1), units })
    }

    /// Opens one of the caller's notices: marked read; the lead it is about, if any (`None`
    /// when it is not the caller's notice).
    #[tracing::instrument(name = "lifecycle.open_notice", skip_all)]
    pub async fn open_notice(&self, actor: &Actor, id: i64) -> Result<Option<Option<domain::LeadId>>, AppError> {
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        let lead = notices::open(&mut tx, actor.id, id, to_micros(now)).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(lead)
    }

    #[tracing::instrument(name = "lifecycle.mark_inbox_read", skip_all)]
    pub async fn mark_inbox_read(&self, actor: &Actor) -> Result<(), AppError> {
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        notices::mark_read(&mut tx, actor.id, to_micros(now)).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }
}

/// Notices per page of 待办.
const INBOX_PAGE: i64 = 30;

/// Which notices to list, as the filter form sends it.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct InboxFilter {
    pub colour: String,
    pub unit: String,
    pub unread_only: bool,
}

/// One page of notices.
#[derive(Debug, Clone, Serialize)]
pub struct InboxPage {
    pub items: Vec<InboxItem>,
    pub total: i64,
    pub page: i64,
    pub page_count: i64,
    pub units: Vec<(domain::UnitId, String)>,
}

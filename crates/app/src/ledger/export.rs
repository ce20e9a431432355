//! A ledger view as a spreadsheet in the 台账 layout (issue 13): the same filters and scope as
//! the page and the API, every lead streamed, one audit entry. The columns are the import's,
//! so an exported sheet imports back to the same leads. The sheet is a Chinese document, as
//! the ones sent upward are, whatever the language of the page it was asked from. A
//! custodian's export adds the reporters' identities (`reporters::export`).

use domain::{
    dates::{beijing_date, format_instant},
    ledger::{lead::Lead, query::LedgerParams},
};
use office::ledger_book::{ColumnSpec, LedgerWriter, Value};
use store::{ledger::export, reporters::identity::StoredReporter};

use super::{ExportFile, Ledger, Progress, ProgressView, Work, failure};
use crate::{
    AppError, IdentityExport, LedgerReader,
    reporters::export::{IDENTITY_COLUMNS, identity_cells, identity_values},
};

const COLUMNS: &[(&str, f64, bool)] = &[
    ("序号", 6.0, false),
    ("清零编号", 18.0, false),
    ("原编号", 14.0, false),
    ("承办单位", 16.0, true),
    ("线索来源", 12.0, false),
    ("来源文号", 16.0, true),
    ("受理时间", 11.0, false),
    ("被反映人", 12.0, true),
    ("单位", 14.0, true),
    ("职务", 10.0, true),
    ("职级", 8.0, true),
    ("反映的主要问题", 42.0, true),
    ("问题类别", 12.0, true),
    ("办理情况", 10.0, false),
    ("责任领导", 9.0, false),
    ("责任人", 9.0, false),
    ("办结时限", 11.0, false),
];

fn cancelled() -> AppError {
    AppError::field(domain::FieldError::new("export", "cancelled", "导出已取消。", "The export was cancelled."))
}

fn xl_err(e: office::XlsxError) -> AppError {
    AppError::Internal(Box::new(e))
}

fn date(d: time::Date) -> Value<'static> {
    Value::Date(u16::try_from(d.year()).unwrap_or(1900), u8::from(d.month()), d.day())
}

/// One subject's field per subject, joined as ledgers write them (empty when all are).
fn joined(lead: &Lead, f: impl Fn(&domain::ledger::subject::Subject) -> &str) -> String {
    let parts: Vec<&str> = lead.subjects.iter().map(f).collect();
    if parts.iter().all(|p| p.is_empty()) { String::new() } else { parts.join("、") }
}

fn opt(v: &Option<String>) -> Value<'_> {
    v.as_deref().map_or(Value::Empty, Value::Text)
}

fn write_row(w: &mut LedgerWriter, n: u64, l: &Lead, identity: Option<&[String; 3]>) -> Result<(), AppError> {
    let names = joined(l, |s| &s.name);
    let units = joined(l, |s| &s.unit_name);
    let posts = joined(l, |s| &s.post);
    let ranks = joined(l, |s| &s.rank);
    let cells = [
        Value::Number(n as f64),
        Value::Text(l.number.as_str()),
        opt(&l.original_no),
        Value::Text(&l.unit_name),
        Value::Text(l.source.zh()),
        opt(&l.source_doc_no),
        date(l.received_on),
        Value::Text(&names),
        Value::Text(&units),
        Value::Text(&posts),
        Value::Text(&ranks),
        Value::Text(&l.summary),
        Value::Text(l.category.zh()),
        Value::Text(l.status.zh()),
        opt(&l.responsible_leader),
        opt(&l.responsible_person),
        date(l.deadline),
    ];
    match identity {
        None => w.row(&cells),
        Some(id) => w.row(&[cells.as_slice(), &identity_values(id)].concat()),
    }
    .map_err(xl_err)
}

impl Ledger<'_> {
    /// The leads `params` selects in the reader's scope, every one of them, as an xlsx 台账;
    /// recorded once in the audit trail with the filters and the count.
    pub async fn export_xlsx(&self, reader: &LedgerReader, params: &LedgerParams) -> Result<(Vec<u8>, u64), AppError> {
        self.export_xlsx_watched(reader, params, None, &Progress::new()).await
    }

    /// As [`Ledger::export_xlsx`] over the leads in a custodian's custody, with each
    /// reporter's identity; audited as "reporter.export" with the reason.
    pub async fn export_identities_xlsx(
        &self,
        reader: &LedgerReader,
        params: &LedgerParams,
        identity: &IdentityExport,
    ) -> Result<(Vec<u8>, u64), AppError> {
        self.export_xlsx_watched(reader, params, Some(identity), &Progress::new()).await
    }

    /// As [`Ledger::export_xlsx`], reporting to `progress`, which may cancel it; with
    /// `identity`, a custodian's export of identities.
    #[tracing::instrument(name = "ledger.export", skip_all)]
    pub async fn export_xlsx_watched(
        &self,
        reader: &LedgerReader,
        params: &LedgerParams,
        identity: Option<&IdentityExport>,
        progress: &Progress,
    ) -> Result<(Vec<u8>, u64), AppError> {
        let q = self.ledger_query(params)?;
        let now = self.now();
        let extra = if identity.is_some() { IDENTITY_COLUMNS } else { &[] };
        let specs: Vec<ColumnSpec<'_>> = COLUMNS
            .iter()
            .chain(extra)
            .map(|(header, width, wrap)| ColumnSpec { header, width: *width, wrap: *wrap })
            .collect();
        let scope = identity.map_or(&reader.scope, IdentityExport::scope);
        let unit = format!("填报单位：{}", reader.actor.unit_name);
        let at = format!("导出时间：{}", format_instant(now));
        let mut w = LedgerWriter::new("问题线索台账", "问题线索台账", (&unit, &at), &specs).map_err(xl_err)?;
        let mut c = self.reader().await?;
        let total = store::ledger::pages::count(&mut c, scope, &q.filter).await?;
        progress.writing(u64::try_from(total).unwrap_or(0)).map_err(|_| cancelled())?;
        let mut n = 0u64;
        let app = self.app;
        let each = |lead: Lead, reporter: Option<StoredReporter>| -> Result<(), AppError> {
            n += 1;
            // The lock is cheap, but a sheet of a million rows need not take it a million times.
            if n.is_multiple_of(256) {
                progress.advance(256).map_err(|_| cancelled())?;
            }
            let cells = identity.map(|_| identity_cells(app, lead.id, reporter.as_ref())).transpose()?;
            write_row(&mut w, n, &lead, cells.as_ref())
        };
        export::each(&mut c, scope, (&q.filter, q.sort), identity.is_some(), each).await?;
        drop(c);
        progress.advance(n % 256).map_err(|_| cancelled())?;
        let bytes = w.finish(&format!("合计：{n}件")).map_err(xl_err)?;
        let mut detail = serde_json::json!({ "filters": params, "exported": n, "on": beijing_date(now).to_string() });
        let action = match identity {
            Some(id) => {
                detail["reason"] = id.reason().into();
                "reporter.export"
            }
            None => "ledger.export",
        };
        let mut tx = self.db().begin_write().await?;
        let event = crate::protection::audit::Event::new(action, "lead", "").detail(detail.to_string());
        crate::protection::audit::record(&mut tx, self, now, crate::protection::audit::Who::User(&reader.actor), event)
            .await?;
        progress.committing().map_err(|_| cancelled())?;
        tx.commit().await.map_err(store::StoreError::from)?;
        Ok((bytes, n))
    }

    /// Starts an export on a task of its own and waits a second: a small one is ready by
    /// then; a long one goes on under the number returned, and its page follows it.
    pub async fn export_begin(
        &self,
        reader: &LedgerReader,
        params: &LedgerParams,
        identity: Option<IdentityExport>,
    ) -> Result<ExportStart, AppError> {
        // A bad filter is refused here, not on the progress page.
        params.parse()?;
        let number = self.work.new_export();
        let work = Work::Export(number);
        let owner = reader.actor.id;
        let progress = self.work.start(work, owner).ok_or(AppError::Conflict)?;
        let (app, reader, params) = (self.app.clone(), reader.clone(), params.clone());
        let task = tokio::spawn(async move {
            match app.ledger().export_xlsx_watched(&reader, &params, identity.as_ref(), &progress).await {
                Ok((bytes, leads)) => {
                    // The file first: whoever sees it done may download it at once.
                    app.work.keep_file(work, ExportFile { bytes, leads });
                    progress.finish(Ok(()));
                    Ok(())
                }
                Err(e) => {
                    progress.finish(Err(Some(failure(&e))));
                    Err(e)
                }
            }
        });
        if let Some(joined) = self.wait_for(task).await {
            joined??;
            let file = self.work.file(work, owner).ok_or(AppError::NotFound)?;
            self.work.forget(work, owner);
            return Ok(ExportStart::Ready { bytes: file.bytes.clone(), leads: file.leads });
        }
        Ok(ExportStart::Running(number))
    }

    /// The progress of the reader's own export `number` on this instance.
    pub fn export_progress(&self, reader: &LedgerReader, number: u64) -> Option<ProgressView> {
        self.work.get(Work::Export(number), reader.actor.id).map(|p| p.view())
    }

    /// Asks the reader's running export to stop; false once it ended.
    pub fn export_cancel(&self, reader: &LedgerReader, number: u64) -> Result<bool, AppError> {
        let p = self.work.get(Work::Export(number), reader.actor.id).ok_or(AppError::NotFound)?;
        Ok(p.cancel())
    }

    /// A finished export's workbook and its count of leads, for its download.
    pub fn export_file(&self, reader: &LedgerReader, number: u64) -> Result<(Vec<u8>, u64), AppError> {
        let file = self.work.file(Work::Export(number), reader.actor.id).ok_or(AppError::NotFound)?;
        Ok((file.bytes.clone(), file.leads))
    }
}

/// An export begun from a page.
#[derive(Debug)]
pub enum ExportStart {
    /// Done within the wait: the workbook and its count of leads.
    Ready { bytes: Vec<u8>, leads: u64 },
    /// Still running under this number.
    Running(u64),
}

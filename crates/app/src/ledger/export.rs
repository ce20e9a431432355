//! A ledger view as a spreadsheet in the 台账 layout (issue 13): the same filters and scope as
//! the page and the API, every lead streamed, one audit entry. The columns are the import's,
//! so an exported sheet imports back to the same leads. The sheet is a Chinese document, as
//! the ones sent upward are, whatever the language of the page it was asked from.

use domain::{
    dates::{beijing_date, format_instant},
    ledger::{lead::Lead, query::LedgerParams},
};
use office::ledger_book::{ColumnSpec, LedgerWriter, Value};
use store::ledger::export;

use super::Ledger;
use crate::{AppError, LedgerReader};

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

fn write_row(w: &mut LedgerWriter, n: u64, l: &Lead) -> Result<(), AppError> {
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
    w.row(&cells).map_err(xl_err)
}

impl Ledger<'_> {
    /// The leads `params` selects in the reader's scope, every one of them, as an xlsx 台账;
    /// recorded once in the audit trail with the filters and the count.
    #[tracing::instrument(name = "ledger.export", skip_all)]
    pub async fn export_xlsx(&self, reader: &LedgerReader, params: &LedgerParams) -> Result<(Vec<u8>, u64), AppError> {
        let mut q = params.parse()?;
        if q.filter.overdue {
            q.filter.overdue_before = Some(self.today());
        }
        if q.filter.routed_late {
            q.filter.routed_late_before = Some(self.today());
        }
        let now = self.now();
        let specs: Vec<ColumnSpec<'_>> =
            COLUMNS.iter().map(|(header, width, wrap)| ColumnSpec { header, width: *width, wrap: *wrap }).collect();
        let unit = format!("填报单位：{}", reader.actor.unit_name);
        let at = format!("导出时间：{}", format_instant(now));
        let mut w = LedgerWriter::new("问题线索台账", "问题线索台账", (&unit, &at), &specs).map_err(xl_err)?;
        let mut c = self.reader().await?;
        let mut n = 0u64;
        export::each(&mut c, &reader.scope, &q.filter, q.sort, |lead: Lead| -> Result<(), AppError> {
            n += 1;
            write_row(&mut w, n, &lead)
        })
        .await?;
        drop(c);
        let bytes = w.finish(&format!("合计：{n}件")).map_err(xl_err)?;
        let detail = serde_json::json!({ "filters": params, "exported": n, "on": beijing_date(now).to_string() });
        let mut tx = self.db().begin_write().await?;
        let event = crate::protection::audit::Event::new("ledger.export", "lead", "").detail(detail.to_string());
        crate::protection::audit::record(&mut tx, self, now, crate::protection::audit::Who::User(&reader.actor), event)
            .await?;
        tx.commit().await.map_err(store::StoreError::from)?;
        Ok((bytes, n))
    }
}

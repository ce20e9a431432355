//! The whole of a ledger view, for its export: every lead the caller's filter selects in
//! their scope, in the view's order, with its subjects, streamed row by row so that a
//! province's million leads never sit in memory at once. The reporter comes along (still
//! sealed) only when a custodian's export asks for it.

use domain::{
    LeadId,
    ledger::lead::Lead,
    ledger::query::{LedgerFilter, LedgerSort},
    protection::scope::Scope,
};
use futures_util::TryStreamExt;
use sqlx::Row;

use crate::{
    Conn, StoreError,
    columns::{Cols, Columns},
    ledger::leads::{LEAD_COLUMNS, lead_from_row, subject_from_row},
    ledger::pages::{SUBJECT_COLUMNS, order_by, push_filter},
    reporters::identity::{REPORTER_COLUMNS, StoredReporter, reporter_from_row},
    scope,
    sql::SqlBuilder,
};

/// Hands every matching lead to `each`, in order, with its stored reporter when
/// `with_reporters`; returns how many there were. The handler accounts are not read (the
/// export names the 责任人 as written).
pub async fn each<E: From<StoreError>>(
    c: &mut Conn,
    scope: &Scope,
    (filter, sort): (&LedgerFilter, LedgerSort),
    with_reporters: bool,
    mut each: impl FnMut(Lead, Option<StoredReporter>) -> Result<(), E>,
) -> Result<u64, E> {
    let order = order_by(sort);
    let mut b = SqlBuilder::new(&if with_reporters {
        format!(
            "SELECT {LEAD_COLUMNS}, {SUBJECT_COLUMNS}, {REPORTER_COLUMNS} FROM leads l JOIN units u ON u.id = l.unit_id
             LEFT JOIN lead_subjects s ON s.lead_id = l.id LEFT JOIN reporters r ON r.lead_id = l.id WHERE 1 = 1"
        )
    } else {
        format!(
            "SELECT {LEAD_COLUMNS}, {SUBJECT_COLUMNS} FROM leads l JOIN units u ON u.id = l.unit_id
             LEFT JOIN lead_subjects s ON s.lead_id = l.id WHERE 1 = 1"
        )
    });
    scope::push(&mut b, scope);
    push_filter(&mut b, filter);
    b.push(order).push(", s.ordinal");
    let query = b.build();
    let mut rows = query.fetch(&mut *c);
    let mut current: Option<(Lead, Option<StoredReporter>)> = None;
    let mut n = 0u64;
    let mut columns: Option<Columns> = None;
    while let Some(row) = rows.try_next().await.map_err(StoreError::from)? {
        let r = columns.get_or_insert_with(|| Columns::of(&row)).at(&row);
        let id = LeadId::from_raw(r.col("id").map_err(StoreError::from)?);
        if current.as_ref().is_none_or(|(l, _)| l.id != id) {
            if let Some((lead, reporter)) = current.take() {
                n += 1;
                each(lead, reporter)?;
            }
            let has_reporter = with_reporters && r.col::<Option<String>>("r_kind").map_err(StoreError::from)?.is_some();
            let reporter = if has_reporter { Some(reporter_from_row(&r, "r_")?) } else { None };
            current = Some((lead_from_row(&r)?, reporter));
        }
        if r.col::<Option<i64>>("s_lead_id").map_err(StoreError::from)?.is_some()
            && let Some((lead, _)) = current.as_mut()
        {
            lead.subjects.push(subject_from_row(&r, "s_")?);
        }
    }
    if let Some((lead, reporter)) = current.take() {
        n += 1;
        each(lead, reporter)?;
    }
    Ok(n)
}

/// How many of the leads `each` would hand over name a signed reporter (实名).
pub async fn signed_reporters(c: &mut Conn, scope: &Scope, filter: &LedgerFilter) -> Result<i64, StoreError> {
    let mut b = SqlBuilder::new(
        "SELECT COUNT(*) FROM leads l JOIN units u ON u.id = l.unit_id
         JOIN reporters r ON r.lead_id = l.id AND r.kind = 'signed' WHERE 1 = 1",
    );
    scope::push(&mut b, scope);
    push_filter(&mut b, filter);
    Ok(b.build().fetch_one(&mut *c).await?.try_get(0)?)
}

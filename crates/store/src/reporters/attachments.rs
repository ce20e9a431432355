//! Attachments of a lead and their encrypted chunks, reached through the scoped lead.

use domain::{
    UserId,
    reporters::attachment::{AttachedTo, FileKind},
};
use sqlx::{Row, any::AnyRow};

use crate::{
    Conn, LeadHandle, StoreError, Tx,
    sql::{SqlBuilder, Value, code},
};

/// An attachment as stored (its name and key still sealed).
#[derive(Debug, Clone)]
pub struct AttachmentRow {
    pub id: i64,
    pub sealed_name: String,
    pub kind: FileKind,
    pub size: i64,
    pub sha256: Option<String>,
    pub key_id: String,
    pub sealed_key: String,
    /// The cipher its chunks are sealed with (a `CipherKind` code of the app's key file).
    pub cipher: String,
    pub attached_to: AttachedTo,
    /// A member of staff, or `None` for the reporter (on the portal).
    pub uploaded_by: Option<String>,
    pub uploaded_at: i64,
}

fn row(r: &AnyRow) -> Result<AttachmentRow, StoreError> {
    Ok(AttachmentRow {
        id: r.try_get("id")?,
        sealed_name: r.try_get("sealed_name")?,
        kind: code(&r.try_get::<String, _>("kind")?, FileKind::from_code)?,
        size: r.try_get("size")?,
        sha256: r.try_get("sha256")?,
        key_id: r.try_get("key_id")?,
        sealed_key: r.try_get("sealed_key")?,
        cipher: r.try_get("cipher")?,
        attached_to: AttachedTo::from_columns(
            r.try_get("step_id")?,
            r.try_get("review_id")?,
            r.try_get("rectification_id")?,
        )
        .ok_or_else(|| {
            StoreError::Corrupt(format!(
                "attachment {} belongs to two records",
                r.try_get::<i64, _>("id").unwrap_or_default()
            ))
        })?,
        uploaded_by: r.try_get("uploaded_by_name")?,
        uploaded_at: r.try_get("uploaded_at")?,
    })
}

/// Whose a file is.
#[derive(Debug, Clone)]
pub enum Owner {
    /// A lead's, on the lead itself or one of its records (the app has found the record in
    /// the lead).
    Lead(LeadHandle, AttachedTo),
    /// A portal report's, sent by its reporter (no account).
    Report(i64),
}

/// Starts an upload: the row, not yet listed.
pub async fn begin(
    tx: &mut Tx,
    owner: &Owner,
    (sealed_name, kind): (&str, FileKind),
    (key_id, sealed_key, cipher): (&str, &str, &str),
    (by, at): (Option<UserId>, i64),
) -> Result<i64, StoreError> {
    let (lead, report, on) = match owner {
        Owner::Lead(l, on) => (Some(l.raw()), None, *on),
        Owner::Report(r) => (None, Some(*r), AttachedTo::Lead),
    };
    let (step, review, rectification) = on.columns();
    Ok(sqlx::query(
        "INSERT INTO attachments (lead_id, portal_report_id, sealed_name, kind, size, key_id, sealed_key, cipher, state,
           uploaded_by, uploaded_at, step_id, review_id, rectification_id)
         VALUES ($1, $2, $3, $4, 0, $5, $6, $7, 'uploading', $8, $9, $10, $11, $12) RETURNING id",
    )
    .bind(lead)
    .bind(report)
    .bind(sealed_name)
    .bind(kind.code())
    .bind(key_id)
    .bind(sealed_key)
    .bind(cipher)
    .bind(by.map(|u| u.get()))
    .bind(at)
    .bind(step)
    .bind(review)
    .bind(rectification)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?)
}

pub async fn add_chunk(tx: &mut Tx, attachment: i64, seq: i64, bytes: &[u8]) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO attachment_chunks (attachment_id, seq, bytes) VALUES ($1, $2, $3)")
        .bind(attachment)
        .bind(seq)
        .bind(bytes)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Lists the upload with its size and hash; false if it is no upload in progress.
pub async fn finish(tx: &mut Tx, attachment: i64, size: i64, sha256: &str) -> Result<bool, StoreError> {
    Ok(sqlx::query(
        "UPDATE attachments SET state = 'ready', size = $1, sha256 = $2 WHERE id = $3 AND state = 'uploading'",
    )
    .bind(size)
    .bind(sha256)
    .bind(attachment)
    .execute(&mut **tx)
    .await?
    .rows_affected()
        == 1)
}

/// Drops an upload that failed part-way, with its chunks.
pub async fn discard(tx: &mut Tx, attachment: i64) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM attachment_chunks WHERE attachment_id = $1").bind(attachment).execute(&mut **tx).await?;
    sqlx::query("DELETE FROM attachments WHERE id = $1 AND state = 'uploading'")
        .bind(attachment)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

fn of_owner(owner: &Owner) -> SqlBuilder {
    let mut b = SqlBuilder::new(
        "SELECT a.*, u.display_name AS uploaded_by_name FROM attachments a
         LEFT JOIN users u ON u.id = a.uploaded_by WHERE a.state = 'ready' AND ",
    );
    match owner {
        Owner::Lead(l, _) => b.push("a.lead_id = ").bind(Value::Int(l.raw())),
        Owner::Report(r) => b.push("a.lead_id IS NULL AND a.portal_report_id = ").bind(Value::Int(*r)),
    };
    b
}

/// Every file of the lead, whichever of its records it is on.
fn of(lead: &LeadHandle) -> SqlBuilder {
    of_owner(&Owner::Lead(*lead, AttachedTo::Lead))
}

/// A portal report's files (before it is a lead), oldest first.
pub async fn of_report(c: &mut Conn, report: i64) -> Result<Vec<AttachmentRow>, StoreError> {
    let mut b = of_owner(&Owner::Report(report));
    b.push(" ORDER BY a.id");
    b.build().fetch_all(&mut *c).await?.iter().map(row).collect()
}

/// Every file a reporter sent with a report, before and after it became a lead's.
pub async fn sent_with_report(c: &mut Conn, report: i64) -> Result<Vec<AttachmentRow>, StoreError> {
    let mut b = SqlBuilder::new(
        "SELECT a.*, NULL AS uploaded_by_name FROM attachments a WHERE a.state = 'ready' AND a.uploaded_by IS NULL
         AND a.portal_report_id = ",
    );
    b.bind(Value::Int(report)).push(" ORDER BY a.id");
    b.build().fetch_all(&mut *c).await?.iter().map(row).collect()
}

/// A portal report's file `id`, read only through its report.
pub async fn get_of_report(c: &mut Conn, report: i64, id: i64) -> Result<Option<AttachmentRow>, StoreError> {
    let mut b = of_owner(&Owner::Report(report));
    b.push(" AND a.id = ").bind(Value::Int(id));
    b.build().fetch_optional(&mut *c).await?.as_ref().map(row).transpose()
}

/// A registered report's files become its lead's.
pub async fn move_to_lead(tx: &mut Tx, report: i64, lead: &LeadHandle) -> Result<(), StoreError> {
    sqlx::query("UPDATE attachments SET lead_id = $1 WHERE portal_report_id = $2 AND lead_id IS NULL")
        .bind(lead.raw())
        .bind(report)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The lead's attachments, oldest first.
pub async fn of_lead(c: &mut Conn, lead: &LeadHandle) -> Result<Vec<AttachmentRow>, StoreError> {
    let mut b = of(lead);
    b.push(" ORDER BY a.id");
    b.build().fetch_all(&mut *c).await?.iter().map(row).collect()
}

/// The files on one record of the lead (its step, review or rectification), oldest first.
pub async fn of_record(c: &mut Conn, lead: &LeadHandle, on: AttachedTo) -> Result<Vec<AttachmentRow>, StoreError> {
    let mut b = of(lead);
    let column = match on {
        AttachedTo::Lead => {
            b.push(" AND a.step_id IS NULL AND a.review_id IS NULL AND a.rectification_id IS NULL ORDER BY a.id");
            return b.build().fetch_all(&mut *c).await?.iter().map(row).collect();
        }
        AttachedTo::Step(_) => "a.step_id",
        AttachedTo::Review(_) => "a.review_id",
        AttachedTo::Rectification(_) => "a.rectification_id",
    };
    b.push(" AND ").push(column).push(" = ").bind(Value::Int(on.id().unwrap_or_default())).push(" ORDER BY a.id");
    b.build().fetch_all(&mut *c).await?.iter().map(row).collect()
}

/// The lead's attachment `id`: a child record, read only through its lead.
pub async fn get(c: &mut Conn, lead: &LeadHandle, id: i64) -> Result<Option<AttachmentRow>, StoreError> {
    let mut b = of(lead);
    b.push(" AND a.id = ").bind(Value::Int(id));
    b.build().fetch_optional(&mut *c).await?.as_ref().map(row).transpose()
}

/// One chunk of a file, by its place.
pub async fn chunk(c: &mut Conn, attachment: i64, seq: i64) -> Result<Option<Vec<u8>>, StoreError> {
    let r = sqlx::query("SELECT bytes FROM attachment_chunks WHERE attachment_id = $1 AND seq = $2")
        .bind(attachment)
        .bind(seq)
        .fetch_optional(&mut *c)
        .await?;
    r.map(|r| r.try_get::<Vec<u8>, _>(0).map_err(StoreError::from)).transpose()
}

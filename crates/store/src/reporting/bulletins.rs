//! Bulletins (通报) and the score rules they use: rules by version; a bulletin with its lines
//! and summons, reached only through [`Reach`] — the committee reaches the bulletins of units
//! it supervises in any state, a unit's reader an issued bulletin of a unit it reads or of a
//! unit above its own.

use domain::{
    CampaignId, UnitId, UserId,
    protection::scope::Scope,
    reporting::{
        bulletin::BulletinState,
        figures::Counts,
        score::{ListKind, Part, ReportTimeliness, ScoreRules},
    },
};
use sqlx::Row;

use crate::{
    Conn, StoreError, Tx, scope,
    sql::{SqlBuilder, Value, code, date_text, parse_stored_date},
};

fn json<T: serde::Serialize>(v: &T) -> Result<String, StoreError> {
    serde_json::to_string(v).map_err(|e| StoreError::corrupt(e.to_string()))
}

fn from_json<T: serde::de::DeserializeOwned>(s: &str) -> Result<T, StoreError> {
    serde_json::from_str(s).map_err(|e| StoreError::corrupt(format!("stored json: {e}")))
}

/// A version of the score rules.
#[derive(Debug, Clone)]
pub struct RulesRow {
    pub id: i64,
    pub version: i32,
    pub rules: ScoreRules,
    pub note: Option<String>,
    pub created_at: i64,
}

fn rules_row(r: &sqlx::any::AnyRow) -> Result<RulesRow, StoreError> {
    Ok(RulesRow {
        id: r.try_get("id")?,
        version: r.try_get::<i64, _>("version")? as i32,
        rules: from_json(&r.try_get::<String, _>("rules")?)?,
        note: r.try_get("note")?,
        created_at: r.try_get("created_at")?,
    })
}

/// Every version, newest first.
pub async fn rules_history(c: &mut Conn) -> Result<Vec<RulesRow>, StoreError> {
    sqlx::query("SELECT * FROM score_rules ORDER BY version DESC")
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(rules_row)
        .collect()
}

pub async fn rules_by_id(c: &mut Conn, id: i64) -> Result<Option<RulesRow>, StoreError> {
    sqlx::query("SELECT * FROM score_rules WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *c)
        .await?
        .as_ref()
        .map(rules_row)
        .transpose()
}

/// The version `campaign`'s bulletins score by (`None`: it has none yet).
pub async fn campaign_rules(c: &mut Conn, campaign: CampaignId) -> Result<Option<RulesRow>, StoreError> {
    sqlx::query("SELECT r.* FROM score_rules r JOIN campaigns k ON k.score_rules_id = r.id WHERE k.id = $1")
        .bind(campaign.get())
        .fetch_optional(&mut *c)
        .await?
        .as_ref()
        .map(rules_row)
        .transpose()
}

/// Makes `rules` the version `campaign`'s bulletins score by.
pub async fn set_campaign_rules(tx: &mut Tx, campaign: CampaignId, rules: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE campaigns SET score_rules_id = $1 WHERE id = $2")
        .bind(rules)
        .bind(campaign.get())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Saves `rules` as the version after the newest.
pub async fn insert_rules(
    tx: &mut Tx,
    rules: &ScoreRules,
    note: Option<&str>,
    (actor, at): (Option<UserId>, i64),
) -> Result<RulesRow, StoreError> {
    let version: i64 =
        sqlx::query("SELECT COALESCE(MAX(version), 0) + 1 FROM score_rules").fetch_one(&mut **tx).await?.try_get(0)?;
    let id: i64 = sqlx::query(
        "INSERT INTO score_rules (version, rules, note, created_by, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(version)
    .bind(json(rules)?)
    .bind(note)
    .bind(actor.map(|a| a.get()))
    .bind(at)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?;
    Ok(RulesRow { id, version: version as i32, rules: rules.clone(), note: note.map(str::to_owned), created_at: at })
}

/// Who reaches which bulletins.
#[derive(Debug, Clone)]
pub struct Reach<'a> {
    /// The units the caller supervises or approves for: their bulletins in any state.
    pub committee: Option<&'a Scope>,
    /// The units the caller reads: their issued bulletins.
    pub reader: Option<&'a Scope>,
    /// The caller's own unit: issued bulletins of it and of every unit above it.
    pub unit: UnitId,
}

fn push_reach(b: &mut SqlBuilder, r: &Reach<'_>) {
    let roots = |b: &mut SqlBuilder, s: &Scope| {
        b.push("b.unit_id IN (SELECT descendant_id FROM unit_closure WHERE ancestor_id IN (");
        scope::push_roots(b, s);
        b.push("))");
    };
    b.push(" AND (1 = 0");
    if let Some(s) = r.committee {
        b.push(" OR ");
        roots(b, s);
    }
    b.push(" OR (b.state = 'issued' AND (b.unit_id IN (SELECT ancestor_id FROM unit_closure WHERE descendant_id = ");
    b.bind(Value::Int(r.unit.get())).push(")");
    if let Some(s) = r.reader {
        b.push(" OR ");
        roots(b, s);
    }
    b.push(")))");
}

/// A bulletin's own record.
#[derive(Debug, Clone)]
pub struct BulletinRow {
    pub id: i64,
    pub campaign_id: i64,
    pub campaign: String,
    pub unit_id: UnitId,
    pub unit_name: String,
    pub rules_id: i64,
    pub period_code: String,
    pub period_from: time::Date,
    pub period_to: time::Date,
    pub period_label: String,
    pub title: String,
    pub doc_no: String,
    pub addressees: String,
    pub remarks: Option<String>,
    /// The overall figures it was drafted with (JSON of the app's own).
    pub overall: String,
    pub dated: String,
    pub state: BulletinState,
    pub drafted_at: i64,
    pub signed: Option<(UserId, String, i64, String)>,
    pub issued_at: Option<i64>,
}

const SELECT: &str = "SELECT b.*, u.name AS unit_name, k.name AS campaign_name, s.display_name AS signer_name
     FROM bulletins b JOIN units u ON u.id = b.unit_id JOIN campaigns k ON k.id = b.campaign_id
     LEFT JOIN users s ON s.id = b.signed_by WHERE 1 = 1";

fn bulletin_row(r: &sqlx::any::AnyRow) -> Result<BulletinRow, StoreError> {
    let signed_by: Option<i64> = r.try_get("signed_by")?;
    let signed = match signed_by {
        Some(by) => Some((
            UserId::from_raw(by),
            r.try_get::<Option<String>, _>("signer_name")?.unwrap_or_default(),
            r.try_get::<Option<i64>, _>("signed_at")?.unwrap_or_default(),
            r.try_get::<Option<String>, _>("signature")?.unwrap_or_default(),
        )),
        None => None,
    };
    Ok(BulletinRow {
        id: r.try_get("id")?,
        campaign_id: r.try_get("campaign_id")?,
        campaign: r.try_get("campaign_name")?,
        unit_id: UnitId::from_raw(r.try_get("unit_id")?),
        unit_name: r.try_get("unit_name")?,
        rules_id: r.try_get("rules_id")?,
        period_code: r.try_get("period_code")?,
        period_from: parse_stored_date(&r.try_get::<String, _>("period_from")?)?,
        period_to: parse_stored_date(&r.try_get::<String, _>("period_to")?)?,
        period_label: r.try_get("period_label")?,
        title: r.try_get("title")?,
        doc_no: r.try_get("doc_no")?,
        addressees: r.try_get("addressees")?,
        remarks: r.try_get("remarks")?,
        overall: r.try_get("overall")?,
        dated: r.try_get("dated")?,
        state: code(&r.try_get::<String, _>("state")?, BulletinState::from_code)?,
        drafted_at: r.try_get("drafted_at")?,
        signed,
        issued_at: r.try_get("issued_at")?,
    })
}

/// The bulletins the caller reaches, newest first.
pub async fn list(c: &mut Conn, reach: &Reach<'_>) -> Result<Vec<BulletinRow>, StoreError> {
    let mut b = SqlBuilder::new(SELECT);
    push_reach(&mut b, reach);
    b.push(" ORDER BY b.id DESC");
    b.build().fetch_all(&mut *c).await?.iter().map(bulletin_row).collect()
}

/// One bulletin, if the caller reaches it.
pub async fn get(c: &mut Conn, reach: &Reach<'_>, id: i64) -> Result<Option<BulletinRow>, StoreError> {
    let mut b = SqlBuilder::new(SELECT);
    b.push(" AND b.id = ").bind(Value::Int(id));
    push_reach(&mut b, reach);
    b.build().fetch_optional(&mut *c).await?.as_ref().map(bulletin_row).transpose()
}

/// A bulletin being drafted.
pub struct NewBulletin<'a> {
    pub campaign_id: i64,
    pub unit: UnitId,
    pub rules_id: i64,
    pub period: (&'a str, time::Date, time::Date, &'a str),
    pub title: &'a str,
    pub doc_no: &'a str,
    pub addressees: &'a str,
    pub remarks: Option<&'a str>,
    pub overall: String,
    pub dated: &'a str,
}

/// A unit's line as scored.
pub struct NewLine {
    pub unit: UnitId,
    pub unit_name: String,
    pub rank: u32,
    pub tenths: u32,
    pub parts: Vec<Part>,
    pub counts: Counts,
    pub report: ReportTimeliness,
    pub proposed: Option<ListKind>,
}

pub async fn insert(
    tx: &mut Tx,
    n: &NewBulletin<'_>,
    lines: &[NewLine],
    (actor, at): (UserId, i64),
) -> Result<i64, StoreError> {
    let id: i64 = sqlx::query(
        "INSERT INTO bulletins (campaign_id, unit_id, rules_id, period_code, period_from, period_to, period_label, title,
            doc_no, addressees, remarks, overall, dated, state, drafted_by, drafted_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'draft', $14, $15) RETURNING id",
    )
    .bind(n.campaign_id)
    .bind(n.unit.get())
    .bind(n.rules_id)
    .bind(n.period.0)
    .bind(date_text(n.period.1))
    .bind(date_text(n.period.2))
    .bind(n.period.3)
    .bind(n.title)
    .bind(n.doc_no)
    .bind(n.addressees)
    .bind(n.remarks)
    .bind(&n.overall)
    .bind(n.dated)
    .bind(actor.get())
    .bind(at)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?;
    for l in lines {
        sqlx::query(
            "INSERT INTO bulletin_lines (bulletin_id, unit_id, unit_name, rank, score, parts, counts, report, proposed, list)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
        )
        .bind(id)
        .bind(l.unit.get())
        .bind(&l.unit_name)
        .bind(i64::from(l.rank))
        .bind(i64::from(l.tenths))
        .bind(json(&l.parts)?)
        .bind(json(&l.counts)?)
        .bind(l.report.code())
        .bind(l.proposed.map(|k| k.code()))
        .execute(&mut **tx)
        .await?;
    }
    Ok(id)
}

/// A line as kept.
#[derive(Debug, Clone)]
pub struct LineRow {
    pub unit_id: UnitId,
    pub unit_name: String,
    pub rank: u32,
    pub tenths: u32,
    pub parts: Vec<Part>,
    pub counts: Counts,
    pub report: ReportTimeliness,
    pub proposed: Option<ListKind>,
    pub list: Option<ListKind>,
    pub reason: Option<String>,
}

/// The lines of a bulletin the caller reached, by rank.
pub async fn lines(c: &mut Conn, bulletin: &BulletinRow) -> Result<Vec<LineRow>, StoreError> {
    let kind = |s: Option<String>| s.map(|s| code(&s, ListKind::from_code)).transpose();
    sqlx::query("SELECT * FROM bulletin_lines WHERE bulletin_id = $1 ORDER BY rank, unit_name")
        .bind(bulletin.id)
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(|r| {
            Ok(LineRow {
                unit_id: UnitId::from_raw(r.try_get("unit_id")?),
                unit_name: r.try_get("unit_name")?,
                rank: r.try_get::<i64, _>("rank")? as u32,
                tenths: r.try_get::<i64, _>("score")? as u32,
                parts: from_json(&r.try_get::<String, _>("parts")?)?,
                counts: from_json(&r.try_get::<String, _>("counts")?)?,
                report: code(&r.try_get::<String, _>("report")?, ReportTimeliness::from_code)?,
                proposed: kind(r.try_get("proposed")?)?,
                list: kind(r.try_get("list")?)?,
                reason: r.try_get("reason")?,
            })
        })
        .collect()
}

/// Sets a unit's list on a draft; false when the bulletin is no longer a draft or has no
/// such line.
pub async fn set_list(
    tx: &mut Tx,
    bulletin: &BulletinRow,
    unit: UnitId,
    (list, reason): (Option<ListKind>, &str),
    (actor, at): (UserId, i64),
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE bulletin_lines SET list = $1, reason = $2, changed_by = $3, changed_at = $4
         WHERE bulletin_id = $5 AND unit_id = $6 AND EXISTS (SELECT 1 FROM bulletins WHERE id = $5 AND state = 'draft')",
    )
    .bind(list.map(|k| k.code()))
    .bind(reason)
    .bind(actor.get())
    .bind(at)
    .bind(bulletin.id)
    .bind(unit.get())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Signs a draft (its date becomes the signing day's); false when it was no longer a draft.
pub async fn sign(
    tx: &mut Tx,
    bulletin: &BulletinRow,
    dated: &str,
    signature: &str,
    (actor, at): (UserId, i64),
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE bulletins SET state = 'signed', dated = $1, signature = $2, signed_by = $3, signed_at = $4
         WHERE id = $5 AND state = 'draft'",
    )
    .bind(dated)
    .bind(signature)
    .bind(actor.get())
    .bind(at)
    .bind(bulletin.id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Issues a signed bulletin; false when it was not signed (or already issued).
pub async fn issue(tx: &mut Tx, bulletin: &BulletinRow, (actor, at): (UserId, i64)) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE bulletins SET state = 'issued', issued_by = $1, issued_at = $2 WHERE id = $3 AND state = 'signed'",
    )
    .bind(actor.get())
    .bind(at)
    .bind(bulletin.id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A summons (约谈) recorded on a bulletin.
#[derive(Debug, Clone)]
pub struct SummonsRow {
    pub id: i64,
    pub unit_id: UnitId,
    pub unit_name: String,
    pub held_on: time::Date,
    pub summoned_by: String,
    pub summoned: String,
    pub notes: String,
    pub follow_up: Option<String>,
}

pub async fn insert_summons(
    tx: &mut Tx,
    bulletin: &BulletinRow,
    unit: UnitId,
    s: &domain::reporting::bulletin::Summons,
    (actor, at): (UserId, i64),
) -> Result<i64, StoreError> {
    Ok(sqlx::query(
        "INSERT INTO summons (bulletin_id, unit_id, held_on, summoned_by, summoned, notes, follow_up, recorded_by, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(bulletin.id)
    .bind(unit.get())
    .bind(date_text(s.held_on))
    .bind(s.summoned_by.as_str())
    .bind(s.summoned.as_str())
    .bind(s.notes.as_str())
    .bind(s.follow_up.as_ref().map(|f| f.as_str()))
    .bind(actor.get())
    .bind(at)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?)
}

pub async fn summons(c: &mut Conn, bulletin: &BulletinRow) -> Result<Vec<SummonsRow>, StoreError> {
    sqlx::query(
        "SELECT s.*, u.name AS unit_name FROM summons s JOIN units u ON u.id = s.unit_id WHERE s.bulletin_id = $1 ORDER BY s.id",
    )
    .bind(bulletin.id)
    .fetch_all(&mut *c)
    .await?
    .iter()
    .map(|r| {
        Ok(SummonsRow {
            id: r.try_get("id")?,
            unit_id: UnitId::from_raw(r.try_get("unit_id")?),
            unit_name: r.try_get("unit_name")?,
            held_on: parse_stored_date(&r.try_get::<String, _>("held_on")?)?,
            summoned_by: r.try_get("summoned_by")?,
            summoned: r.try_get("summoned")?,
            notes: r.try_get("notes")?,
            follow_up: r.try_get("follow_up")?,
        })
    })
    .collect()
}

/// How many bulletins a unit issued in `year` (for the next document number).
pub async fn count_in_year(c: &mut Conn, unit: UnitId, year: i32) -> Result<i64, StoreError> {
    Ok(sqlx::query("SELECT COUNT(*) FROM bulletins WHERE unit_id = $1 AND dated LIKE $2")
        .bind(unit.get())
        .bind(format!("{year}年%"))
        .fetch_one(&mut *c)
        .await?
        .try_get(0)?)
}

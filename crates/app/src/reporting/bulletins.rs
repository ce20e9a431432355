//! Bulletins (通报, issue 17, point 3): the committee drafts one for a period — each unit below
//! it scored by the current rules (the version is kept with it), ranked, and put on the list
//! its score proposes — edits the lists with reasons, the committee head signs the exact
//! document, and it is issued: every unit's users then read it and their own line.

use std::collections::HashMap;

use domain::{
    CampaignId, UnitId,
    dates::{format_date_zh, format_instant},
    reporters::satisfaction::format_rate,
    reporting::{
        bulletin::{
            self as b, BulletinAction, BulletinInput, BulletinState, Document, Overall, RankLine, format_score,
        },
        figures::{Count, Rate},
        period::PeriodInput,
        score::{ListKind, Part, ReportTimeliness, ScoreRules, ranks},
    },
};
use serde::Serialize;
use store::{
    Conn, StoreError, Tx,
    ledger::campaigns,
    oversight::rectifications::unit_in_scope,
    reporting::bulletins::{self as st, BulletinRow, LineRow, NewBulletin, NewLine, Reach},
    to_micros,
};

use super::Reporting;
use crate::{
    Actor, AppError,
    protection::audit::{Event, Who, record},
};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BulletinSummary {
    pub id: i64,
    pub campaign: String,
    /// The issuing unit (the committee's).
    pub unit_id: UnitId,
    pub unit_name: String,
    pub period: String,
    pub title: String,
    pub doc_no: String,
    pub state: BulletinState,
    pub drafted_at: String,
    pub issued_at: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BulletinLine {
    pub unit_id: UnitId,
    pub unit_name: String,
    pub rank: u32,
    /// The score out of 100, one decimal.
    pub score: String,
    pub parts: Vec<Part>,
    /// 清零率 as drafted.
    pub clearance: String,
    pub overdue: i64,
    pub report: ReportTimeliness,
    /// The list the score proposed, and the one confirmed (a change has its reason).
    pub proposed: Option<ListKind>,
    pub list: Option<ListKind>,
    pub reason: Option<String>,
    /// The caller's own unit's line (or its parent's).
    pub own: bool,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SignatureView {
    pub signer: String,
    pub signed_at: String,
    /// SHA-256 of the exact document, the signer and the time.
    pub hash: String,
    /// The document as kept still yields that hash.
    pub intact: bool,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SummonsView {
    pub id: i64,
    pub unit_id: UnitId,
    pub unit_name: String,
    pub held_on: String,
    pub summoned_by: String,
    pub summoned: String,
    pub notes: String,
    pub follow_up: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BulletinView {
    pub summary: BulletinSummary,
    pub rules_version: i32,
    pub rules: ScoreRules,
    pub addressees: String,
    /// The document's body, its attachment's title and its date.
    pub paragraphs: Vec<String>,
    pub attachment_title: String,
    pub dated: String,
    pub lines: Vec<BulletinLine>,
    pub signature: Option<SignatureView>,
    pub summons: Vec<SummonsView>,
    pub may_edit: bool,
    pub may_sign: bool,
    pub may_issue: bool,
    pub may_summon: bool,
    /// The committee may hold the units on its criticism and summons lists accountable.
    pub may_hold_accountable: bool,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BulletinList {
    pub items: Vec<BulletinSummary>,
    /// Whether the caller drafts bulletins (the committee), and what the form suggests.
    pub may_draft: bool,
    pub suggested: BulletinInput,
}

/// Who reaches which bulletins: the committee (supervisors, its head) over its units in any
/// state, a reader over the units it reads, everyone the issued ones of the units above them.
pub(crate) fn reach_of(
    actor: &Actor,
) -> (Option<domain::protection::scope::Scope>, Option<domain::protection::scope::Scope>) {
    (actor.board_scope().ok(), actor.ledger().ok().map(|r| r.scope))
}

pub(crate) fn summary(r: &BulletinRow) -> BulletinSummary {
    BulletinSummary {
        id: r.id,
        campaign: r.campaign.clone(),
        unit_id: r.unit_id,
        unit_name: r.unit_name.clone(),
        period: r.period_label.clone(),
        title: r.title.clone(),
        doc_no: r.doc_no.clone(),
        state: r.state,
        drafted_at: format_instant(store::from_micros(r.drafted_at)),
        issued_at: r.issued_at.map(|t| format_instant(store::from_micros(t))),
    }
}

/// The document as kept: what the page prints, the docx holds and the head signs.
pub(crate) fn document(r: &BulletinRow, lines: &[LineRow]) -> Result<Document, AppError> {
    let overall: Overall = serde_json::from_str(&r.overall).map_err(|e| AppError::internal(e.to_string()))?;
    let ranked: Vec<RankLine> = lines
        .iter()
        .map(|l| RankLine {
            rank: l.rank,
            unit: l.unit_name.clone(),
            tenths: l.tenths,
            clearance: format_rate(l.counts.rate(Rate::Clearance)),
            overdue: l.counts.get(Count::OverdueNow),
            list: l.list,
        })
        .collect();
    Ok(Document {
        issuer: r.unit_name.clone(),
        doc_no: r.doc_no.clone(),
        title: r.title.clone(),
        addressees: r.addressees.clone(),
        paragraphs: b::body(&r.period_label, &overall, &ranked, r.remarks.as_deref()),
        attachment_title: format!("{}各单位问题线索办理情况排名表", r.period_label),
        lines: ranked,
        dated: r.dated.clone(),
    })
}

/// Whether `scope` (if any) reaches `unit`.
async fn covers(
    c: &mut Conn,
    scope: Result<domain::protection::scope::Scope, AppError>,
    unit: UnitId,
) -> Result<bool, AppError> {
    Ok(match scope {
        Ok(s) => unit_in_scope(c, &s, unit).await?,
        Err(_) => false,
    })
}

impl Reporting<'_> {
    /// The bulletin `id` as the caller reaches it (404 otherwise).
    pub(crate) async fn reached(&self, c: &mut Conn, actor: &Actor, id: i64) -> Result<BulletinRow, AppError> {
        let (committee, reader) = reach_of(actor);
        let reach = Reach { committee: committee.as_ref(), reader: reader.as_ref(), unit: actor.unit_id };
        st::get(c, &reach, id).await?.ok_or(AppError::NotFound)
    }

    #[tracing::instrument(name = "reporting.bulletins", skip_all)]
    pub async fn bulletins(&self, actor: &Actor) -> Result<BulletinList, AppError> {
        let (committee, reader) = reach_of(actor);
        if committee.is_none() && reader.is_none() {
            return Err(AppError::Forbidden);
        }
        let mut c = self.reader().await?;
        let reach = Reach { committee: committee.as_ref(), reader: reader.as_ref(), unit: actor.unit_id };
        let items: Vec<BulletinSummary> = st::list(&mut c, &reach).await?.iter().map(summary).collect();
        let may_draft = actor.supervised_scope().is_ok();
        let today = self.today();
        let suggested = match (may_draft, actor.supervised_scope()) {
            (true, Ok(scope)) => {
                let top = scope.roots().first().copied().unwrap_or(actor.unit_id);
                let n = st::count_in_year(&mut c, top, today.year()).await? + 1;
                let month = domain::reporting::period::PeriodInput::default().parse(today, (today, today))?;
                BulletinInput {
                    title: b::suggested_title(&month.previous().label(false)),
                    doc_no: b::suggested_doc_no(today.year(), n),
                    addressees: "各委属单位纪检组织".into(),
                    remarks: String::new(),
                }
            }
            _ => BulletinInput::default(),
        };
        Ok(BulletinList { items, may_draft, suggested })
    }

    #[tracing::instrument(name = "reporting.bulletin", skip_all)]
    pub async fn bulletin(&self, actor: &Actor, id: i64) -> Result<BulletinView, AppError> {
        if actor.board_scope().is_err() && actor.ledger().is_err() {
            return Err(AppError::Forbidden);
        }
        let mut c = self.reader().await?;
        let row = self.reached(&mut c, actor, id).await?;
        let lines = st::lines(&mut c, &row).await?;
        let rules = st::rules_by_id(&mut c, row.rules_id).await?.ok_or_else(|| AppError::internal("rules gone"))?;
        let doc = document(&row, &lines)?;
        let signature = row.signed.as_ref().map(|(by, name, at, hash)| SignatureView {
            signer: name.clone(),
            signed_at: format_instant(store::from_micros(*at)),
            hash: hash.clone(),
            intact: b::signature(&doc, by.get(), *at) == *hash,
        });
        let supervises = covers(&mut c, actor.supervised_scope(), row.unit_id).await?;
        let approves = covers(&mut c, actor.approver().map(|a| a.scope), row.unit_id).await?;
        // The caller's own line: their unit's, or the line of the unit above it.
        let mine: Vec<UnitId> = store::ledger::units::ancestors_of(&mut c, actor.unit_id).await?;
        let summons = st::summons(&mut c, &row)
            .await?
            .into_iter()
            .map(|s| SummonsView {
                id: s.id,
                unit_id: s.unit_id,
                unit_name: s.unit_name,
                held_on: domain::dates::format_date(s.held_on),
                summoned_by: s.summoned_by,
                summoned: s.summoned,
                notes: s.notes,
                follow_up: s.follow_up,
            })
            .collect();
        let may_summon =
            row.state == BulletinState::Issued && supervises && lines.iter().any(|l| l.list == Some(ListKind::Summons));
        Ok(BulletinView {
            summary: summary(&row),
            rules_version: rules.version,
            rules: rules.rules,
            addressees: row.addressees.clone(),
            paragraphs: doc.paragraphs,
            attachment_title: doc.attachment_title,
            dated: doc.dated,
            lines: lines
                .iter()
                .map(|l| BulletinLine {
                    unit_id: l.unit_id,
                    unit_name: l.unit_name.clone(),
                    rank: l.rank,
                    score: format_score(l.tenths),
                    parts: l.parts.clone(),
                    clearance: format_rate(l.counts.rate(Rate::Clearance)),
                    overdue: l.counts.get(Count::OverdueNow),
                    report: l.report,
                    proposed: l.proposed,
                    list: l.list,
                    reason: l.reason.clone(),
                    own: mine.contains(&l.unit_id),
                })
                .collect(),
            signature,
            summons,
            may_edit: row.state == BulletinState::Draft && supervises,
            may_sign: row.state == BulletinState::Draft && approves,
            may_issue: row.state == BulletinState::Signed && (supervises || approves),
            may_summon,
            may_hold_accountable: row.state == BulletinState::Issued && supervises,
        })
    }

    /// The committee drafts a bulletin of `period` over the units just below `unit` (default:
    /// the top of its scope), scored by the current rules.
    #[tracing::instrument(name = "reporting.draft_bulletin", skip_all)]
    pub async fn draft_bulletin(
        &self,
        actor: &Actor,
        campaign: Option<CampaignId>,
        unit: Option<UnitId>,
        period: &PeriodInput,
        input: &BulletinInput,
    ) -> Result<i64, AppError> {
        let scope = actor.supervised_scope()?;
        let typed = input.parse();
        let stats = match (self.statistics(actor, campaign, unit, period).await, typed) {
            (Ok(s), Ok(_)) => s,
            (Err(AppError::Invalid(mut a)), Err(b)) => {
                a.0.extend(b.0);
                return Err(AppError::Invalid(a));
            }
            (Err(e), _) => return Err(e),
            (Ok(_), Err(b)) => return Err(AppError::Invalid(b)),
        };
        let draft = input.parse()?;
        let now = self.now();
        let today = self.today();
        let mut tx = self.db().begin_write().await?;
        if !unit_in_scope(&mut tx, &scope, stats.unit_id).await? {
            return Err(AppError::Forbidden);
        }
        let k = campaigns::get(&mut tx, stats.campaign_id).await?.ok_or(AppError::NotFound)?;
        let rules = current_rules(&mut tx, now, k.id).await?;
        let units: Vec<&crate::StatRow> = stats.rows.iter().filter(|r| !r.own_only).collect();
        // Each unit's work report as it stood at the period's end (late ones lose half).
        let reports = store::reporting::work_reports::of_campaign(&mut tx, k.id.get()).await?;
        let report_of = |u: UnitId| {
            let submitted = reports.get(&u).and_then(|r| r.submitted_on);
            ReportTimeliness::of(k.plan.report_due, stats.period.to.min(today), submitted)
        };
        let scored: Vec<_> = units.iter().map(|r| rules.rules.score(&r.counts, report_of(r.unit_id))).collect();
        let rank = ranks(&scored.iter().map(|s| s.tenths).collect::<Vec<_>>());
        let mut lines: Vec<NewLine> = units
            .iter()
            .zip(scored)
            .zip(rank)
            .map(|((r, s), rank)| NewLine {
                unit: r.unit_id,
                unit_name: r.unit_name.clone(),
                rank,
                proposed: rules.rules.propose(&s, &r.counts),
                tenths: s.tenths,
                parts: s.parts,
                counts: r.counts,
                report: report_of(r.unit_id),
            })
            .collect();
        lines.sort_by(|a, b| a.rank.cmp(&b.rank).then(a.unit_name.cmp(&b.unit_name)));
        let t = &stats.total.counts;
        let overall = Overall {
            units: lines.len(),
            stock: t.get(Count::StockTotal),
            cleared: t.get(Count::StockCleared),
            received: t.get(Count::ReceivedToDate),
            closed: t.get(Count::ClosedToDate),
            overdue: t.get(Count::OverdueNow),
        };
        let (code, label) = (stats.period.code(), stats.period.label(false));
        let new = NewBulletin {
            campaign_id: k.id.get(),
            unit: stats.unit_id,
            rules_id: rules.id,
            period: (&code, stats.period.from, stats.period.to, &label),
            title: draft.title.as_str(),
            doc_no: draft.doc_no.as_str(),
            addressees: draft.addressees.as_str(),
            remarks: draft.remarks.as_ref().map(|r| r.as_str()),
            overall: serde_json::to_string(&overall).map_err(|e| AppError::internal(e.to_string()))?,
            dated: &format_date_zh(today),
        };
        let id = match st::insert(&mut tx, &new, &lines, (actor.id, to_micros(now))).await {
            Err(StoreError::Unique(store::Constraint::BulletinNumber)) => {
                return Err(AppError::field(domain::FieldError::new(
                    "doc_no",
                    "taken",
                    "该文号已被另一份通报使用。",
                    "Another bulletin already has that document number.",
                )));
            }
            other => other?,
        };
        let detail = format!("{} {} ({} units, rules v{})", draft.doc_no.as_str(), code, lines.len(), rules.version);
        record(&mut tx, self, now, Who::User(actor), Event::new("bulletin.draft", "bulletin", id).detail(detail))
            .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(id)
    }

    /// The state a bulletin's action leaves it in, refused as a field error.
    pub(crate) fn step(state: BulletinState, action: BulletinAction) -> Result<BulletinState, AppError> {
        b::next(state, action).map_err(AppError::field)
    }
}

/// The score rules `campaign`'s bulletins use: its own version, or (for a campaign that has
/// none yet) the newest, which becomes its own; the first version is written on first use.
pub(crate) async fn current_rules(
    tx: &mut Tx,
    now: time::OffsetDateTime,
    campaign: CampaignId,
) -> Result<st::RulesRow, AppError> {
    if let Some(r) = st::campaign_rules(tx, campaign).await? {
        return Ok(r);
    }
    let newest = match st::rules_history(tx).await?.into_iter().next() {
        Some(r) => r,
        None => st::insert_rules(tx, &ScoreRules::default(), Some("默认评分规则"), (None, to_micros(now))).await?,
    };
    st::set_campaign_rules(tx, campaign, newest.id).await?;
    Ok(newest)
}

/// The lines by unit, for the steps that address one.
pub(crate) fn by_unit(lines: &[LineRow]) -> HashMap<UnitId, &LineRow> {
    lines.iter().map(|l| (l.unit_id, l)).collect()
}

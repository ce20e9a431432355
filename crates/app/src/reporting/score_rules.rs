//! Score rules (评分规则, issue 17, points 3 and 5): each campaign scores its bulletins by one
//! version of the rules, which the committee edits into a new version for that campaign alone,
//! and which comes with the campaign when it is copied as next year's template.

use domain::{
    CampaignId, FieldError,
    reporting::score::{Criterion, ScoreRules, Weight},
};
use serde::{Deserialize, Serialize};
use store::{StoreError, reporting::bulletins as st, to_micros};

use super::{Reporting, bulletins::current_rules};
use crate::{
    Actor, AppError,
    protection::audit::{Event, Who, record},
};

/// The score rules as the committee reads and edits them.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RulesView {
    /// The campaign whose rules these are; its bulletins score by them.
    pub campaign_id: CampaignId,
    pub campaign: String,
    /// Every campaign: (id, name, closed).
    pub campaigns: Vec<(i64, String, bool)>,
    pub version: i32,
    pub rules: ScoreRules,
    pub note: Option<String>,
    /// Earlier versions: (version, saved at, note).
    pub history: Vec<RulesVersion>,
    /// A supervisor, and the campaign still open.
    pub may_edit: bool,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RulesVersion {
    pub version: i32,
    pub saved_at: String,
    pub note: Option<String>,
}

/// Score rules as typed: each criterion's points (and per-item deduction), the thresholds, and
/// why they change.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct RulesInput {
    /// Points by criterion code.
    pub points: std::collections::BTreeMap<String, String>,
    /// Points taken off per item, by criterion code (deductions only).
    pub per_item: std::collections::BTreeMap<String, String>,
    pub praise_at: String,
    pub criticise_below: String,
    pub summon_below: String,
    pub summon_overdue: String,
    pub note: String,
}

impl RulesInput {
    fn parse(&self) -> Result<(ScoreRules, String), domain::Invalid> {
        let mut e = domain::Invalid::default();
        let mut number = |field: String, s: &str| -> u32 {
            match s.trim().parse::<u32>() {
                Ok(n) if n <= 100 => n,
                _ => {
                    e.push(FieldError::new(
                        field,
                        "not_points",
                        "请填写0到100之间的整数。",
                        "Enter a whole number from 0 to 100.",
                    ));
                    0
                }
            }
        };
        let weights: Vec<Weight> = Criterion::ALL
            .iter()
            .map(|c| Weight {
                criterion: *c,
                points: number(format!("points_{}", c.code()), self.points.get(c.code()).map_or("", |s| s)),
                per_item: if c.deducts() {
                    number(format!("per_item_{}", c.code()), self.per_item.get(c.code()).map_or("", |s| s))
                } else {
                    0
                },
            })
            .collect();
        let rules = ScoreRules {
            weights,
            praise_at: number("praise_at".into(), &self.praise_at),
            criticise_below: number("criticise_below".into(), &self.criticise_below),
            summon_below: number("summon_below".into(), &self.summon_below),
            summon_overdue: number("summon_overdue".into(), &self.summon_overdue),
        };
        let note = e.take(domain::text::Line::parse("note", &self.note));
        if let Err(more) = rules.check() {
            e.0.extend(more.0);
        }
        match note {
            Some(n) if e.is_empty() => Ok((rules, n.into_string())),
            _ => Err(e),
        }
    }

    /// The form filled with `rules`.
    pub fn of(rules: &ScoreRules) -> Self {
        let mut i = RulesInput {
            praise_at: rules.praise_at.to_string(),
            criticise_below: rules.criticise_below.to_string(),
            summon_below: rules.summon_below.to_string(),
            summon_overdue: rules.summon_overdue.to_string(),
            ..Default::default()
        };
        for w in &rules.weights {
            i.points.insert(w.criterion.code().into(), w.points.to_string());
            if w.criterion.deducts() {
                i.per_item.insert(w.criterion.code().into(), w.per_item.to_string());
            }
        }
        i
    }
}

impl Reporting<'_> {
    /// The rules of `campaign` (the current one when `None`) and the versions saved before.
    #[tracing::instrument(name = "reporting.score_rules", skip_all)]
    pub async fn score_rules(&self, actor: &Actor, campaign: Option<CampaignId>) -> Result<RulesView, AppError> {
        actor.board_scope()?;
        let now = self.now();
        // A campaign's first version is fixed on first use, by whoever reads it first.
        let mut tx = self.db().begin_write().await?;
        let k = super::chosen_campaign(&mut tx, campaign).await?;
        let current = current_rules(&mut tx, now, k.id).await?;
        let history = st::rules_history(&mut tx).await?;
        let (campaigns, closed) = super::campaign_choices(&mut tx, k.id).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(RulesView {
            campaign_id: k.id,
            campaign: k.plan.name.clone(),
            campaigns,
            version: current.version,
            rules: current.rules,
            note: current.note,
            history: history
                .into_iter()
                .map(|r| RulesVersion {
                    version: r.version,
                    saved_at: domain::dates::format_instant(store::from_micros(r.created_at)),
                    note: r.note,
                })
                .collect(),
            may_edit: actor.supervised_scope().is_ok() && !closed,
        })
    }

    /// The committee saves new score rules as the next version, for `campaign` (the current
    /// one when `None`) alone; bulletins drafted before keep the version they used.
    #[tracing::instrument(name = "reporting.save_score_rules", skip_all)]
    pub async fn save_score_rules(
        &self,
        actor: &Actor,
        campaign: Option<CampaignId>,
        input: &RulesInput,
    ) -> Result<i32, AppError> {
        actor.supervised_scope()?;
        let (rules, note) = input.parse()?;
        let now = self.now();
        let mut tx = self.db().begin_write().await?;
        let k = super::open_campaign(&mut tx, campaign).await?;
        current_rules(&mut tx, now, k.id).await?;
        let row = match st::insert_rules(&mut tx, &rules, Some(&note), (Some(actor.id), to_micros(now))).await {
            Err(StoreError::Unique(store::Constraint::ScoreRulesVersion)) => return Err(AppError::Conflict),
            other => other?,
        };
        st::set_campaign_rules(&mut tx, k.id, row.id).await?;
        let e = Event::new("score_rules.save", "score_rules", row.id)
            .detail(format!("v{} for {}: {note}", row.version, k.plan.name));
        record(&mut tx, self, now, Who::User(actor), e).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(row.version)
    }
}

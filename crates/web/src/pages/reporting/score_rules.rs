//! The score rules (评分规则) of a campaign: its version's points, deductions and thresholds as
//! a form the committee saves as the next version for that campaign, and the versions before.

use app::{AppError, FlashKind, RulesInput, RulesView};
use askama::Template;
use axum::{
    Form,
    extract::{Query, State},
    http::StatusCode,
    response::{Html, IntoResponse, Response},
};
use domain::{CampaignId, reporting::score::Criterion};
use serde::Deserialize;

use crate::{
    AppState,
    context::RequestContext,
    error::PageError,
    forms::{FormState, field},
    i18n::{self, Texts},
    pages::{Chrome, redirect_with, render},
    session::Signed,
};

#[derive(Template)]
#[template(path = "reporting/score_rules.html")]
struct RulesPage {
    t: &'static Texts,
    chrome: Chrome,
    r: RulesView,
    fs: FormState,
    /// (criterion, its points field, its per-item field when it deducts).
    rows: Vec<(Criterion, String, Option<String>)>,
    notice: Option<String>,
}

fn label(f: &str, t: &Texts) -> Option<&'static str> {
    let r = &t.reporting;
    if let Some(code) = f.strip_prefix("points_").or_else(|| f.strip_prefix("per_item_")) {
        return Criterion::from_code(code).map(|c| c.label(t.english));
    }
    Some(match f {
        "praise_at" => r.r_praise_at,
        "criticise_below" => r.r_criticise_below,
        "summon_below" => r.r_summon_below,
        "summon_overdue" => r.r_summon_overdue,
        "note" => r.r_note,
        "campaign" => r.campaign,
        "weights" => r.r_points,
        _ => return None,
    })
}

/// The form's fields: points_<code> and per_item_<code>.
fn pairs(i: &RulesInput) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = i.points.iter().map(|(k, v)| (format!("points_{k}"), v.clone())).collect();
    out.extend(i.per_item.iter().map(|(k, v)| (format!("per_item_{k}"), v.clone())));
    for (k, v) in [
        ("praise_at", &i.praise_at),
        ("criticise_below", &i.criticise_below),
        ("summon_below", &i.summon_below),
        ("summon_overdue", &i.summon_overdue),
        ("note", &i.note),
    ] {
        out.push((k.into(), v.clone()));
    }
    out
}

/// `?campaign=` (empty: the current one).
#[derive(Debug, Default, Deserialize)]
pub struct CampaignQuery {
    #[serde(default)]
    pub campaign: String,
}

impl CampaignQuery {
    pub fn campaign(&self) -> Option<CampaignId> {
        self.campaign.trim().parse::<i64>().ok().map(CampaignId::from_raw)
    }
}

async fn page(
    state: &AppState,
    s: &app::SessionInfo,
    campaign: Option<CampaignId>,
    fs: Option<FormState>,
) -> Result<String, PageError> {
    let t = i18n::texts(RequestContext::current().english);
    let r = state.app.reporting().score_rules(&s.actor, campaign).await?;
    let fs = fs.unwrap_or_else(|| FormState::typed("rules", &pairs(&RulesInput::of(&r.rules))));
    let rows = Criterion::ALL
        .iter()
        .map(|c| (*c, format!("points_{}", c.code()), c.deducts().then(|| format!("per_item_{}", c.code()))))
        .collect();
    let notice = crate::pages::oversight::notice(state, s).await?;
    render(RulesPage {
        t,
        chrome: Chrome::new(s, t, "/reporting/score-rules".into(), "bulletins"),
        r,
        fs,
        rows,
        notice,
    })
}

pub async fn view_score_rules_get(
    State(state): State<AppState>,
    Signed(s): Signed,
    Query(q): Query<CampaignQuery>,
) -> Result<Html<String>, PageError> {
    Ok(Html(page(&state, &s, q.campaign(), None).await?))
}

pub async fn view_score_rules_post(
    State(state): State<AppState>,
    Signed(s): Signed,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let en = RequestContext::current().english;
    let t = i18n::texts(en);
    let mut input = RulesInput {
        praise_at: field(&f, "praise_at").into(),
        criticise_below: field(&f, "criticise_below").into(),
        summon_below: field(&f, "summon_below").into(),
        summon_overdue: field(&f, "summon_overdue").into(),
        note: field(&f, "note").into(),
        ..Default::default()
    };
    for c in Criterion::ALL {
        input.points.insert(c.code().into(), field(&f, &format!("points_{}", c.code())).into());
        input.per_item.insert(c.code().into(), field(&f, &format!("per_item_{}", c.code())).into());
    }
    let campaign = CampaignQuery { campaign: field(&f, "campaign").into() }.campaign();
    match state.app.reporting().save_score_rules(&s.actor, campaign, &input).await {
        Ok(_) => {
            let to = match campaign {
                Some(c) => format!("/reporting/score-rules?campaign={c}"),
                None => "/reporting/score-rules".to_owned(),
            };
            Ok(redirect_with(&to, FlashKind::Done, t.reporting.r_saved))
        }
        Err(AppError::Invalid(i)) => {
            let fs = FormState::typed("rules", &f).refused(&i.0, en, |x| label(x, t));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page(&state, &s, campaign, Some(fs)).await?)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

//! Deadline rules (editable by the supervising committee) and the working-day calendar
//! (years loaded by the system administrator).

use app::AppError;
use askama::Template;
use axum::{
    Form,
    extract::{Query, State},
    http::StatusCode,
    response::{Html, IntoResponse, Response},
};
use domain::{lifecycle::deadline::TimeUnit, protection::role::Role};
use serde::Deserialize;

use crate::forms::{FormState, field};
use crate::pages::{Chrome, Opt, options, render};
use crate::{
    AppState,
    context::RequestContext,
    error::PageError,
    extract::PagePath,
    i18n::{self, Texts},
    session::Signed,
};

struct RuleRow {
    code: &'static str,
    name: &'static str,
    amount: u32,
    units: Vec<Opt>,
    blue: u32,
    yellow: u32,
}

#[derive(Template)]
#[template(path = "lifecycle/deadlines.html")]
struct DeadlinesPage {
    t: &'static Texts,
    chrome: Chrome,
    rules: Vec<RuleRow>,
    may_edit: bool,
    may_load: bool,
    last_year: String,
    notice: Option<String>,
    /// The form refused, as typed: `rule-<code>` or `calendar`.
    failed: FormState,
    compute: Option<String>,
    q: ComputeQuery,
}

impl DeadlinesPage {
    fn fs(&self, name: &str) -> FormState {
        self.failed.or_blank(name)
    }

    /// A rule's field as the refused form had it, else as the rule is.
    fn val(&self, fs: &FormState, field: &str, saved: &u32) -> String {
        if fs.has_errors() { fs.value(field).to_owned() } else { saved.to_string() }
    }
}

fn label(field: &str, t: &Texts) -> Option<&'static str> {
    let l = &t.lifecycle;
    Some(match field {
        "amount" => l.rule_amount,
        "unit" => l.rule_unit,
        "blue_at_percent" => l.rule_blue,
        "yellow_working_days" => l.rule_yellow,
        "csv" => l.calendar_load,
        _ => return None,
    })
}

#[derive(Deserialize, Default)]
pub struct ComputeQuery {
    #[serde(default)]
    from: String,
    #[serde(default)]
    days: String,
}

async fn page(
    state: &AppState,
    s: &app::SessionInfo,
    q: ComputeQuery,
    notice: Option<String>,
    failed: Option<FormState>,
) -> Result<String, PageError> {
    let en = RequestContext::current().english;
    let t = i18n::texts(en);
    let cal = state.app.lifecycle().calendar();
    let compute = match (domain::dates::parse_date("from", &q.from), q.days.trim().parse::<u32>()) {
        (Ok(from), Ok(days)) if days <= 3650 => {
            let r = cal.add_working_days(from, days);
            Some(format!(
                "{}{}",
                domain::dates::format_date(r.date),
                if r.provisional { t.lifecycle.deadline_provisional } else { "" }
            ))
        }
        _ => None,
    };
    let rules = state
        .app
        .lifecycle()
        .deadline_rules()
        .iter()
        .map(|r| RuleRow {
            code: r.code.code(),
            name: r.code.label(en),
            amount: r.amount,
            units: options(TimeUnit::ALL.iter().map(|u| (u.code(), u.label(en))), r.unit.code()),
            blue: r.blue_at_percent,
            yellow: r.yellow_working_days,
        })
        .collect();
    render(DeadlinesPage {
        t,
        chrome: Chrome::new(s, t, "/deadlines".into(), "deadlines"),
        rules,
        may_edit: s.actor.has_role(Role::Supervisor),
        may_load: s.actor.has_role(Role::Sysadmin),
        last_year: cal.last_loaded_year().map(|y| y.to_string()).unwrap_or_default(),
        notice,
        failed: failed.unwrap_or_default(),
        compute,
        q,
    })
}

pub async fn view_deadlines_get(
    State(state): State<AppState>,
    Signed(s): Signed,
    Query(q): Query<ComputeQuery>,
) -> Result<Html<String>, PageError> {
    Ok(Html(page(&state, &s, q, None, None).await?))
}

async fn done(
    state: &AppState,
    s: &app::SessionInfo,
    r: Result<String, AppError>,
    (form, typed): (&str, &[(String, String)]),
) -> Result<Response, PageError> {
    let en = RequestContext::current().english;
    let t = i18n::texts(en);
    match r {
        Ok(msg) => Ok(Html(page(state, s, ComputeQuery::default(), Some(msg), None).await?).into_response()),
        Err(AppError::Invalid(i)) => {
            let fs = FormState::typed(form, typed).refused(&i.0, en, |f| label(f, t));
            let html = page(state, s, ComputeQuery::default(), None, Some(fs)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn view_rule_post(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(code): PagePath<String>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let t = i18n::texts(RequestContext::current().english);
    let (amount, unit) = (field(&f, "amount"), field(&f, "unit"));
    let (blue, yellow) = (field(&f, "blue_at_percent"), field(&f, "yellow_working_days"));
    let r = state
        .app
        .lifecycle()
        .update_rule(&s.actor, &code, amount, unit, blue, yellow)
        .await
        .map(|_| t.saved_ok.to_owned());
    done(&state, &s, r, (&format!("rule-{code}"), &f)).await
}

pub async fn view_calendar_post(
    State(state): State<AppState>,
    Signed(s): Signed,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let en = RequestContext::current().english;
    let r = state.app.lifecycle().load_calendar_days(&s.actor, field(&f, "csv")).await.map(|(days, recomputed)| {
        if en {
            format!("Loaded {days} days; {recomputed} provisional deadlines recomputed.")
        } else {
            format!("已导入 {days} 天，重新计算了 {recomputed} 个暂定期限。")
        }
    });
    done(&state, &s, r, ("calendar", &f)).await
}

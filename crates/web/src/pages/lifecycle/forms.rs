//! The printed forms (呈批表, 卷宗): a print-ready page (A4, the print stylesheet) and the same
//! form as docx. What a form holds comes from `app`.

use app::FormOf;
use askama::Template;
use axum::{
    extract::{Query, State},
    response::{Html, Response},
};
use domain::{LeadId, lifecycle::forms::FormDoc};
use serde::Deserialize;

use crate::pages::{Chrome, render};
use crate::{
    AppState,
    context::RequestContext,
    error::PageError,
    extract::PagePath,
    i18n::{self, Texts},
    session::Signed,
};

/// Which approval form: a timeline entry's, or an extension's.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
pub struct FormQuery {
    /// The timeline entry of a step that waited for approval.
    pub entry: Option<i64>,
    /// An extension request.
    pub extension: Option<i64>,
}

impl FormQuery {
    pub fn of(&self) -> Result<FormOf, app::AppError> {
        match (self.entry, self.extension) {
            (Some(e), None) => Ok(FormOf::Entry(e)),
            (None, Some(x)) => Ok(FormOf::Extension(x)),
            _ => Err(app::AppError::field(domain::FieldError::new(
                "entry",
                "required",
                "请指明要打印哪一份呈批表（entry 或 extension）。",
                "Say which approval form to print (entry or extension).",
            ))),
        }
    }
}

/// The form as docx, named by its number.
pub fn docx_download(f: &FormDoc, t: &Texts) -> Result<Response, app::AppError> {
    let opinions: Vec<(String, String, String, String)> =
        f.opinions.iter().map(|o| (o.role.clone(), o.text.clone(), o.name.clone(), o.date.clone())).collect();
    let l = &t.lifecycle;
    let number = format!("{}{}", l.form_number, f.number);
    let sheet = office::docx::FormSheet {
        title: &f.title,
        number: &number,
        unit: &f.unit,
        facts: &f.facts,
        steps_title: l.form_steps,
        steps_head: [l.form_when, l.form_what, l.form_who, l.form_state],
        steps: &f.steps,
        opinions: &opinions,
        printed: &f.printed,
        sign_words: (l.form_signature, l.form_date),
    };
    let bytes = office::docx::form_docx(&sheet).map_err(app::AppError::internal)?;
    let ascii: String = f.number.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
    Ok(crate::pages::attachment(bytes, crate::pages::DOCX, (&ascii, &f.number)))
}

#[derive(Template)]
#[template(path = "lifecycle/form.html")]
struct FormPage {
    t: &'static Texts,
    chrome: Chrome,
    f: FormDoc,
    lead: i64,
    docx: String,
}

async fn page(
    state: &AppState,
    s: &app::SessionInfo,
    id: i64,
    of: FormOf,
    docx: String,
) -> Result<Html<String>, PageError> {
    let en = RequestContext::current().english;
    let t = i18n::texts(en);
    let f = state.app.lifecycle().form(&s.actor, LeadId::from_raw(id), of, en).await?;
    let chrome = Chrome::new(s, t, format!("/leads/{id}"), "ledger");
    Ok(Html(render(FormPage { t, chrome, f, lead: id, docx })?))
}

/// Which form the query names, refused only once the lead is known to be the caller's to read
/// (a lead out of sight is "not found" whatever the query says).
pub async fn which(state: &AppState, actor: &app::Actor, id: i64, q: &FormQuery) -> Result<FormOf, app::AppError> {
    match q.of() {
        Ok(of) => Ok(of),
        Err(e) => {
            state.app.ledger().lead(&actor.ledger()?, LeadId::from_raw(id)).await?;
            Err(e)
        }
    }
}

pub async fn view_form_show(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
    Query(q): Query<FormQuery>,
) -> Result<Html<String>, PageError> {
    let of = which(&state, &s.actor, id, &q).await?;
    let docx = match of {
        FormOf::Entry(e) => format!("/leads/{id}/form.docx?entry={e}"),
        FormOf::Extension(x) => format!("/leads/{id}/form.docx?extension={x}"),
        FormOf::Record => format!("/leads/{id}/record.docx"),
    };
    page(&state, &s, id, of, docx).await
}

pub async fn view_form_docx(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
    Query(q): Query<FormQuery>,
) -> Result<Response, PageError> {
    let en = RequestContext::current().english;
    let of = which(&state, &s.actor, id, &q).await?;
    let f = state.app.lifecycle().form(&s.actor, LeadId::from_raw(id), of, en).await?;
    Ok(docx_download(&f, i18n::texts(en))?)
}

pub async fn view_record_show(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
) -> Result<Html<String>, PageError> {
    page(&state, &s, id, FormOf::Record, format!("/leads/{id}/record.docx")).await
}

pub async fn view_record_docx(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    let en = RequestContext::current().english;
    let f = state.app.lifecycle().form(&s.actor, LeadId::from_raw(id), FormOf::Record, en).await?;
    Ok(docx_download(&f, i18n::texts(en))?)
}

//! The import pages (导入台账): upload, the preview with its column and value tables, the
//! confirmation, the error workbook. What is read, and what may be written, comes from `app`.

use std::collections::BTreeMap;

use app::{AppError, ImportConfirm, ImportPreview, ImportSettings};
use askama::Template;
use axum::{
    Form,
    body::Body,
    extract::State,
    http::{HeaderMap, StatusCode, header},
    response::{Html, IntoResponse, Redirect, Response},
};
use domain::{
    ImportId, UnitId,
    ledger::import::{header::Column, row::Mapping, row::VocabField},
};

use crate::pages::{Chrome, Opt, options, redirect_with, render};
use crate::{
    AppState,
    context::RequestContext,
    error::PageError,
    extract::PagePath,
    forms::FormState,
    i18n::{self, Texts},
    session::Signed,
    upload,
};

#[derive(Template)]
#[template(path = "ledger/import.html")]
struct UploadPage {
    t: &'static Texts,
    chrome: Chrome,
    units: Vec<Opt>,
    form: FormState,
}

/// The upload form's fields as their labels name them.
fn label(field: &str, t: &Texts) -> Option<&'static str> {
    Some(match field {
        "unit_id" => t.ledger.import_unit,
        "file" => t.ledger.import_file,
        _ => return None,
    })
}

async fn upload_page(state: &AppState, s: &app::SessionInfo, form: FormState) -> Result<String, PageError> {
    let t = i18n::texts(RequestContext::current().english);
    let units = state.app.ledger().registrable_units(&s.actor).await?;
    let chosen = form.value("unit_id").to_owned();
    let chosen = if chosen.is_empty() { s.actor.unit_id.to_string() } else { chosen };
    let pairs: Vec<(String, String)> = units.iter().map(|u| (u.id.to_string(), u.name.clone())).collect();
    let units = options(pairs.iter().map(|(a, b)| (a.as_str(), b.as_str())), &chosen);
    let chrome = Chrome::new(s, t, "/ledger/import".into(), "import");
    render(UploadPage { t, chrome, units, form })
}

pub async fn view_import_get(State(state): State<AppState>, Signed(s): Signed) -> Result<Html<String>, PageError> {
    s.actor.ledger_keeper()?;
    Ok(Html(upload_page(&state, &s, FormState::blank("imp")).await?))
}

pub async fn view_import_upload(
    State(state): State<AppState>,
    Signed(s): Signed,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, PageError> {
    let keeper = s.actor.ledger_keeper()?;
    let bytes = upload::body(&headers, body).await.map_err(PageError)?;
    let ct = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let parts = upload::parts(ct, bytes).await.map_err(PageError)?;
    let unit_text = upload::text(&parts, "unit_id").unwrap_or_default().to_owned();
    let file = parts.iter().find(|p| p.name == "file" && p.file_name.is_some());
    let (name, content) =
        file.map_or((String::new(), &[][..]), |p| (p.file_name.clone().unwrap_or_default(), &p.bytes[..]));
    let result = match unit_text.trim().parse::<UnitId>() {
        Ok(unit) => state.app.ledger().import_upload(&keeper, unit, &name, content).await,
        Err(_) => {
            Err(AppError::field(domain::FieldError::new("unit_id", "required", "请选择单位。", "Choose a unit.")))
        }
    };
    match result {
        Ok(id) => Ok(Redirect::to(&format!("/ledger/import/{id}")).into_response()),
        Err(AppError::Invalid(i)) => {
            let en = RequestContext::current().english;
            let t = i18n::texts(en);
            let typed =
                FormState::typed("imp", &[("unit_id".to_owned(), unit_text)]).refused(&i.0, en, |f| label(f, t));
            let html = upload_page(&state, &s, typed).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "ledger/import_preview.html")]
struct PreviewPage {
    t: &'static Texts,
    chrome: Chrome,
    p: ImportPreview,
    notice: Option<(bool, String)>,
}

impl PreviewPage {
    /// Every ledger column, for the column table's selects.
    fn columns(&self) -> Vec<(&'static str, &'static str)> {
        let en = self.t.english;
        Column::ALL.iter().filter(|c| **c != Column::Seq).map(|c| (c.code(), c.label(en))).collect()
    }

    fn choices(&self, f: &VocabField) -> Vec<(&'static str, &'static str)> {
        f.choices(self.t.english)
    }

    /// The label of a vocabulary code.
    fn value_label(&self, f: &VocabField, code: &str) -> &'static str {
        f.choices(self.t.english).into_iter().find(|(c, _)| *c == code).map_or("", |(_, l)| l)
    }

    fn fate(&self, fate: &str) -> &'static str {
        let l = &self.t.ledger;
        match fate {
            "new" => l.import_fate_new,
            "unchanged" => l.import_fate_unchanged,
            "changed" => l.import_fate_changed,
            _ => l.import_fate_invalid,
        }
    }

    fn changed_columns(&self, cs: &[Column]) -> String {
        let en = self.t.english;
        cs.iter().map(|c| c.label(en)).collect::<Vec<_>>().join(self.t.list_sep)
    }

    /// The errors shown on the page (the error workbook holds them all).
    fn shown_errors(&self) -> &[app::ImportErrorView] {
        &self.p.errors[..self.p.errors.len().min(SHOWN_ERRORS)]
    }

    fn blocked(&self) -> bool {
        !self.p.problems.is_empty() || self.p.values.iter().any(|v| v.open())
    }

    fn done_text(&self) -> String {
        let (w, u, k) = self.p.written_counts.unwrap_or_default();
        self.t
            .ledger
            .import_done
            .replace("{written}", &w.to_string())
            .replace("{updated}", &u.to_string())
            .replace("{skipped}", &k.to_string())
    }
}

const SHOWN_ERRORS: usize = 200;

pub async fn view_import_show(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
) -> Result<Html<String>, PageError> {
    let keeper = s.actor.ledger_keeper()?;
    let en = RequestContext::current().english;
    let t = i18n::texts(en);
    let ledger = state.app.ledger();
    let import = ImportId::from_raw(id);
    let mut notice = state.app.protection().take_flash(&s).await?.map(|f| (f.kind == app::FlashKind::Done, f.text));
    let chrome = Chrome::new(&s, t, format!("/ledger/import/{id}"), "import");
    if let Some(v) = ledger.import_progress(&keeper, import) {
        if !v.phase.finished() {
            let here = format!("/ledger/import/{id}");
            return Ok(Html(render(super::progress::ProgressPage {
                t,
                chrome,
                title: t.ledger.work_import_title,
                notice,
                v: super::progress::shown(t, &v, false),
                poll: format!("{here}/progress"),
                cancel: format!("{here}/cancel"),
                next: here,
                download: None,
            })?));
        }
        // Its outcome is told once, here.
        ledger.import_seen(&keeper, import);
        if v.phase != app::Phase::Done {
            let why = if en { v.failure_en } else { v.failure_zh };
            notice = Some((false, why.unwrap_or_else(|| t.ledger.work_cancelled.to_owned())));
        }
    }
    let p = ledger.import_preview(&keeper, import, en).await?;
    Ok(Html(render(PreviewPage { t, chrome, p, notice })?))
}

/// The column and value tables as posted: `col_<index>` holds a column code (empty: not
/// imported); `val_<n>` the code chosen for the value `written_<n>` of field `field_<n>`.
fn settings_from(pairs: &[(String, String)], current_sheet: &str) -> ImportSettings {
    let get = |k: &str| crate::forms::field(pairs, k);
    let sheet = get("sheet");
    let mut s = ImportSettings { sheet: (!sheet.is_empty()).then(|| sheet.to_owned()), ..ImportSettings::default() };
    // Another sheet is read with its own header: the column table was the old sheet's.
    if sheet.is_empty() || sheet == current_sheet {
        let mut mapping = BTreeMap::new();
        for (k, v) in pairs {
            if let (Some(i), Some(c)) =
                (k.strip_prefix("col_").and_then(|i| i.parse::<usize>().ok()), Column::from_code(v))
            {
                mapping.insert(i, c);
            }
        }
        if pairs.iter().any(|(k, _)| k.starts_with("col_")) {
            s.mapping = Some(Mapping(mapping));
        }
    }
    for (k, v) in pairs {
        let Some(n) = k.strip_prefix("val_") else { continue };
        if let Some(f) = VocabField::from_code(get(&format!("field_{n}")))
            && !v.is_empty()
        {
            s.resolutions.set(f, get(&format!("written_{n}")), v);
        }
    }
    s
}

pub async fn view_import_settings(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let keeper = s.actor.ledger_keeper()?;
    let t = i18n::texts(RequestContext::current().english);
    let current = crate::forms::field(&pairs, "current_sheet").to_owned();
    let settings = settings_from(&pairs, &current);
    let here = format!("/ledger/import/{id}");
    match state.app.ledger().import_settings(&keeper, ImportId::from_raw(id), &settings).await {
        Ok(()) => Ok(redirect_with(&here, app::FlashKind::Done, t.ledger.import_settings_saved)),
        Err(AppError::Invalid(i)) => Ok(redirect_with(
            &here,
            app::FlashKind::Refused,
            &crate::pages::messages(&i, RequestContext::current().english),
        )),
        Err(e) => Err(e.into()),
    }
}

pub async fn view_import_confirm(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let keeper = s.actor.ledger_keeper()?;
    let en = RequestContext::current().english;
    let on = |k: &str| crate::forms::field(&pairs, k) == "on";
    let confirm = ImportConfirm { skip_invalid: on("skip_invalid"), apply_changed: on("apply_changed") };
    let here = format!("/ledger/import/{id}");
    match state.app.ledger().import_begin(&keeper, ImportId::from_raw(id), confirm).await {
        // The written import's page says what was written; a long one's shows its progress.
        Ok(_) => Ok(Redirect::to(&here).into_response()),
        Err(AppError::Invalid(i)) => Ok(redirect_with(&here, app::FlashKind::Refused, &crate::pages::messages(&i, en))),
        Err(e) => Err(e.into()),
    }
}

/// The rows an import left out, as they were, with why.
pub fn error_book_download(bytes: Vec<u8>, id: i64) -> Response {
    crate::pages::attachment(bytes, crate::pages::XLSX, (&format!("import-errors-{id}"), &format!("导入错误-{id}")))
}

pub async fn view_import_errors(
    State(state): State<AppState>,
    Signed(s): Signed,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    let keeper = s.actor.ledger_keeper()?;
    let bytes = state.app.ledger().import_error_book(&keeper, ImportId::from_raw(id)).await?;
    Ok(error_book_download(bytes, id))
}

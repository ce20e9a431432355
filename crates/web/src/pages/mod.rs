//! Server-rendered pages. Handlers are named `view_<page>_<verb>`.

pub(crate) mod ledger;
pub(crate) mod lifecycle;
pub(crate) mod oversight;
pub(crate) mod protection;
pub(crate) mod relations;
pub(crate) mod reporters;
pub(crate) mod reporting;
pub(crate) mod supervision;

use app::SessionInfo;

use crate::i18n::Texts;

route_table!(PAGE_ROUTES, routes {
    get "/" => protection::login::view_home_get;
    get "/login" => protection::login::view_login_get;
    post "/login" => protection::login::view_login_post;
    post "/logout" => protection::login::view_logout_post;
    get "/lang/{code}" => protection::login::view_lang_get;
    get "/resume/{id}" => protection::resume::view_resume_get;
    get "/ledger" => ledger::list::view_ledger_get;
    get "/search" => ledger::search::view_search_get;
    get "/relations" => relations::view_relations_get;
    get "/relations/persons/{id}" => relations::view_relations_person_get;
    get "/relations/leads/{id}" => relations::view_relations_lead_get;
    get "/relations/units/{id}" => relations::view_relations_unit_get;
    get "/oversight/reviews" => oversight::reviews::view_reviews_get;
    post "/oversight/reviews/draw" => oversight::reviews::view_reviews_draw;
    get "/oversight/reviews/{id}" => oversight::reviews::view_review_show;
    post "/oversight/reviews/{id}/reviewers" => oversight::reviews::view_review_assign;
    post "/oversight/reviews/{id}/methods" => oversight::reviews::view_review_method;
    post "/oversight/reviews/{id}/checks" => oversight::reviews::view_review_checks;
    post "/oversight/reviews/{id}/result" => oversight::reviews::view_review_decide;
    post "/oversight/reviews/{id}/attachments" => oversight::reviews::view_review_attachments_post;
    get "/oversight/rectifications" => oversight::rectifications::view_rectifications_get;
    post "/oversight/rectifications" => oversight::rectifications::view_rectifications_issue;
    get "/oversight/rectifications/{id}" => oversight::rectifications::view_rectification_show;
    post "/oversight/rectifications/{id}/analysis" => oversight::rectifications::view_rectification_analysis;
    post "/oversight/rectifications/{id}/measures" => oversight::rectifications::view_rectification_measure;
    post "/oversight/rectifications/{id}/reply" => oversight::rectifications::view_rectification_reply;
    post "/oversight/rectifications/{id}/decision" => oversight::rectifications::view_rectification_decide;
    post "/oversight/rectifications/{id}/recheck" => oversight::rectifications::view_rectification_recheck;
    post "/oversight/rectifications/{id}/attachments" => oversight::rectifications::view_rectification_attachments_post;
    get "/oversight/rectifications/{id}/letter" => oversight::rectifications::view_letter_show;
    get "/oversight/rectifications/{id}/letter.docx" => oversight::rectifications::view_letter_docx;
    post "/oversight/measures/{id}" => oversight::rectifications::view_measure_update;
    get "/oversight/institutions" => oversight::rectifications::view_institutions_get;
    post "/oversight/institutions" => oversight::rectifications::view_institutions_post;
    get "/oversight/accountability" => oversight::accountability::view_accountability_get;
    post "/oversight/accountability" => oversight::accountability::view_accountability_post;
    get "/oversight/early-warnings" => oversight::accountability::view_early_warnings_get;
    post "/oversight/early-warnings" => oversight::accountability::view_early_warnings_post;
    post "/oversight/early-warnings/{id}/follow-up" => oversight::accountability::view_early_warning_follow_up;
    get "/oversight/clearings" => oversight::clearings::view_clearings_get;
    post "/oversight/clearings" => oversight::clearings::view_clearings_propose;
    get "/oversight/clearings/{id}" => oversight::clearings::view_clearing_show;
    post "/oversight/clearings/{id}/decision" => oversight::clearings::view_clearing_decide;
    post "/oversight/clearings/{id}/done" => oversight::clearings::view_clearing_done;
    post "/oversight/clearings/{id}/false-accusation" => oversight::clearings::view_clearing_flag;
    get "/oversight/clearings/{id}/letter.docx" => oversight::clearings::view_clearing_docx;
    get "/oversight/education" => oversight::library::view_education_get;
    post "/oversight/education" => oversight::library::view_education_post;
    get "/library/cases" => oversight::library::view_cases_get;
    post "/library/cases" => oversight::library::view_cases_post;
    post "/library/cases/{id}/publish" => oversight::library::view_case_publish;
    get "/library/practices" => oversight::library::view_practices_get;
    post "/library/practices" => oversight::library::view_practices_post;
    post "/library/practices/{id}/publish" => oversight::library::view_practice_publish;
    get "/ledger/export.xlsx" => ledger::progress::view_ledger_export;
    get "/leads/{id}/feedback" => reporters::feedback::view_feedback_get;
    post "/leads/{id}/feedback" => reporters::feedback::view_feedback_post;
    post "/leads/{id}/objections" => reporters::feedback::view_objection_post;
    post "/leads/{id}/objections/{objection}/answer" => reporters::feedback::view_objection_answer;
    get "/reporters/satisfaction" => reporters::feedback::view_satisfaction_get;
    get "/reporting/dashboard" => reporting::dashboard::view_dashboard_get;
    get "/reporting/statistics" => reporting::statistics::view_statistics_get;
    get "/reporting/bulletins" => reporting::bulletins::view_bulletins_get;
    post "/reporting/bulletins" => reporting::bulletins::view_bulletins_post;
    get "/reporting/bulletins/{id}" => reporting::bulletins::view_bulletin_show;
    post "/reporting/bulletins/{id}/lines" => reporting::bulletins::view_bulletin_list_post;
    post "/reporting/bulletins/{id}/sign" => reporting::bulletins::view_bulletin_sign;
    post "/reporting/bulletins/{id}/issue" => reporting::bulletins::view_bulletin_issue;
    post "/reporting/bulletins/{id}/summons" => reporting::bulletins::view_bulletin_summons_post;
    get "/reporting/bulletins/{id}/document.docx" => reporting::bulletins::view_bulletin_docx;
    get "/reporting/score-rules" => reporting::score_rules::view_score_rules_get;
    get "/reporting/report-outline" => reporting::outline::view_report_outline_get;
    get "/reporting/work-reports" => reporting::work_reports::view_work_reports_get;
    get "/reporting/work-reports/{id}" => reporting::work_reports::view_work_report_show;
    post "/reporting/work-reports/{id}" => reporting::work_reports::view_work_report_save;
    post "/reporting/work-reports/{id}/sign" => reporting::work_reports::view_work_report_sign;
    post "/reporting/work-reports/{id}/submit" => reporting::work_reports::view_work_report_submit;
    get "/reporting/work-reports/{id}/print" => reporting::work_reports::view_work_report_print;
    get "/reporting/work-reports/{id}/document.docx" => reporting::work_reports::view_work_report_docx;
    get "/reporting/verify" => reporting::work_reports::view_verify_get;
    post "/reporting/score-rules" => reporting::score_rules::view_score_rules_post;
    post "/reporting/report-outline" => reporting::outline::view_report_outline_post;
    get "/reporting/statistics.xlsx" => reporting::statistics::view_statistics_export;
    get "/leads/{id}/attachments" => reporters::attachments::view_attachments_get;
    post "/leads/{id}/attachments" => reporters::attachments::view_attachments_post;
    get "/leads/{id}/attachments/{attachment}" => reporters::attachments::view_attachment_download;
    get "/leads/{id}/attachments/{attachment}/preview" => reporters::attachments::view_attachment_preview;
    get "/reporters/intake" => reporters::intake::view_intake_get;
    get "/reporters/intake/{id}" => reporters::intake::view_intake_show;
    post "/reporters/intake/{id}/register" => reporters::intake::view_intake_register;
    post "/reporters/intake/{id}/route" => reporters::intake::view_intake_route;
    post "/reporters/intake/{id}/not-accepted" => reporters::intake::view_intake_reject;
    post "/reporters/intake/{id}/messages" => reporters::intake::view_intake_ask;
    get "/reporters/intake/{id}/files/{file}" => reporters::intake::view_intake_file;
    get "/ledger/export-identities" => reporters::export::view_identity_export_show;
    post "/ledger/export-identities" => reporters::export::view_identity_export_submit;
    get "/ledger/exports/{id}" => ledger::progress::view_export_show;
    get "/ledger/exports/{id}/progress" => ledger::progress::view_export_progress;
    post "/ledger/exports/{id}/cancel" => ledger::progress::view_export_cancel;
    get "/ledger/exports/{id}/ledger.xlsx" => ledger::progress::view_export_download;
    get "/ledger/import" => ledger::import::view_import_get;
    post "/ledger/import" => ledger::import::view_import_upload;
    get "/ledger/import/{id}" => ledger::import::view_import_show;
    post "/ledger/import/{id}/settings" => ledger::import::view_import_settings;
    post "/ledger/import/{id}/confirm" => ledger::import::view_import_confirm;
    get "/ledger/import/{id}/errors.xlsx" => ledger::import::view_import_errors;
    get "/ledger/import/{id}/progress" => ledger::progress::view_import_progress;
    post "/ledger/import/{id}/cancel" => ledger::progress::view_import_cancel;
    get "/campaigns" => ledger::campaigns::view_campaigns_get;
    post "/campaigns" => ledger::campaigns::view_campaign_create;
    get "/campaigns/{id}" => ledger::campaigns::view_campaign_edit;
    post "/campaigns/{id}" => ledger::campaigns::view_campaign_update;
    post "/campaigns/{id}/close" => ledger::campaigns::view_campaign_close;
    get "/leads/new" => ledger::form::view_lead_new;
    post "/leads" => ledger::form::view_lead_create;
    get "/leads/{id}" => ledger::lead::view_lead_show;
    post "/leads/{id}" => ledger::form::view_lead_update;
    get "/leads/{id}/edit" => ledger::form::view_lead_edit;
    post "/leads/{id}/handlers" => ledger::lead::view_handlers_post;
    post "/leads/{id}/reveal" => reporters::view_lead_reveal;
    post "/leads/{id}/recusal-clearances" => protection::recusal::view_recusal_clear;
    post "/leads/{id}/steps" => lifecycle::steps::view_step_post;
    get "/leads/{id}/form" => lifecycle::forms::view_form_show;
    get "/leads/{id}/form.docx" => lifecycle::forms::view_form_docx;
    get "/leads/{id}/record" => lifecycle::forms::view_record_show;
    get "/leads/{id}/record.docx" => lifecycle::forms::view_record_docx;
    post "/leads/{id}/follow-ups" => lifecycle::steps::view_follow_up_post;
    post "/approvals/{id}/decide" => lifecycle::steps::view_decision_post;
    get "/queue" => lifecycle::queue::view_queue_get;
    post "/leads/{id}/ownership" => supervision::ownership::view_ownership_post;
    post "/leads/{id}/visits" => supervision::ownership::view_visit_post;
    post "/leads/{id}/sign-off" => supervision::ownership::view_sign_off_post;
    post "/leads/{id}/orders" => supervision::handling::view_order_post;
    post "/orders/{id}/reports" => supervision::handling::view_report_post;
    post "/leads/{id}/jurisdiction" => supervision::handling::view_move_post;
    get "/meetings" => supervision::ownership::view_meetings_get;
    post "/meetings" => supervision::ownership::view_meetings_post;
    post "/queue/read" => lifecycle::queue::view_inbox_read;
    get "/notices/{id}" => lifecycle::queue::view_notice_open;
    get "/board" => supervision::board::view_board_get;
    get "/board/export.xlsx" => supervision::board::view_board_export;
    get "/deadlines" => lifecycle::deadlines::view_deadlines_get;
    post "/deadlines/rules/{id}" => lifecycle::deadlines::view_rule_post;
    post "/deadlines/calendar" => lifecycle::deadlines::view_calendar_post;
    post "/leads/{id}/extensions" => lifecycle::extensions::view_extension_request;
    post "/leads/{id}/transfer-receipt" => lifecycle::steps::view_transfer_receipt;
    post "/leads/{id}/inquiry-events" => lifecycle::steps::view_inquiry_event;
    post "/extensions/{id}/sign" => lifecycle::extensions::view_extension_sign;
    post "/extensions/{id}/file" => lifecycle::extensions::view_extension_file;
    post "/extensions/{id}/return" => lifecycle::extensions::view_extension_return;
    post "/extensions/{id}/decide" => lifecycle::extensions::view_extension_decide;
    get "/account" => protection::account::view_account_get;
    get "/account/password" => protection::account::view_password_get;
    post "/account/password" => protection::account::view_password_post;
    post "/account/tokens" => protection::account::view_token_create;
    post "/account/tokens/{id}/revoke" => protection::account::view_token_revoke;
    post "/account/totp" => protection::account::view_totp_post;
    post "/account/email" => protection::account::view_email_post;
    get "/audit" => protection::audit::view_audit_get;
    get "/audit/export.xlsx" => protection::audit::view_audit_export;
    get "/admin" => protection::admin::view_admin_get;
    post "/admin/units" => protection::admin::view_admin_unit_create;
    post "/admin/accounts" => protection::admin::view_admin_account_create;
    post "/admin/accounts/{id}/grants" => protection::admin::view_admin_grant;
    post "/admin/accounts/{id}/grants/revoke" => protection::admin::view_admin_revoke;
    post "/admin/accounts/{id}/unlock" => protection::admin::view_admin_unlock;
    post "/admin/accounts/{id}/reset" => protection::admin::view_admin_reset;
});

/// What the frame around every signed-in page shows.
pub struct Chrome {
    pub user_name: String,
    pub unit_name: String,
    pub roles: String,
    pub csrf_token: String,
    /// Where the language switch returns to.
    pub here: String,
    pub nav: &'static str,
    pub can_register: bool,
    pub reads_ledger: bool,
    pub audits: bool,
    pub administers: bool,
    pub supervises: bool,
    pub unread: i64,
    pub tasks: i64,
}

impl Chrome {
    pub fn new(s: &SessionInfo, t: &Texts, here: String, nav: &'static str) -> Self {
        let roles: Vec<&str> = s.actor.roles().iter().map(|r| r.label(t.english)).collect();
        Self {
            user_name: s.actor.display_name.clone(),
            unit_name: s.actor.unit_name.clone(),
            roles: roles.join(t.list_sep),
            csrf_token: s.csrf_token.clone(),
            here: urlencode(&here),
            nav,
            can_register: s.actor.ledger_keeper().is_ok(),
            reads_ledger: s.actor.ledger().is_ok(),
            audits: s.actor.audit_reader().is_ok(),
            administers: s.actor.unit_admin().is_ok() || s.actor.grant_admin().is_ok(),
            unread: s.unread_notices,
            tasks: s.open_tasks,
            supervises: s.actor.has_role(domain::protection::role::Role::Supervisor)
                || s.actor.has_role(domain::protection::role::Role::CommitteeHead),
        }
    }
}

/// One `<option>` of a select.
pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// Options for a vocabulary, given as (code, label) pairs.
pub fn options<'a>(items: impl IntoIterator<Item = (&'a str, &'a str)>, selected: &str) -> Vec<Opt> {
    items
        .into_iter()
        .map(|(code, label)| Opt { value: code.to_owned(), label: label.to_owned(), selected: code == selected })
        .collect()
}

pub fn urlencode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// A one-sheet workbook as a download: `ascii` names the file for old clients, `title` (any
/// language) for the others.
pub fn xlsx_download(
    sheet: &str,
    headers: &[&str],
    rows: &[Vec<String>],
    names: (&str, &str),
) -> Result<axum::response::Response, app::AppError> {
    let bytes = office::table_xlsx(sheet, headers, rows).map_err(|e| app::AppError::Internal(Box::new(e)))?;
    Ok(attachment(bytes, XLSX, names))
}

pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
pub const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// A file as a download of `content_type`: `ascii` (with its extension) names it for old
/// clients, `title` (any language, with its extension) for the others.
pub fn attachment(
    bytes: Vec<u8>,
    content_type: &'static str,
    (ascii, title): (&str, &str),
) -> axum::response::Response {
    use axum::http::{HeaderValue, header};
    use axum::response::IntoResponse;
    let ext = match content_type {
        XLSX => "xlsx",
        DOCX => "docx",
        _ => "bin",
    };
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    let name = format!("attachment; filename=\"{ascii}.{ext}\"; filename*=UTF-8''{}.{ext}", urlencode(title));
    if let Ok(v) = HeaderValue::from_str(&name) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

pub fn render(t: impl askama::Template) -> Result<String, crate::error::PageError> {
    t.render().map_err(|e| app::AppError::Internal(Box::new(e)).into())
}

/// The message of each field error, in the page's language, by field name.
pub fn field_messages(errors: &[domain::FieldError], en: bool) -> std::collections::HashMap<String, String> {
    errors.iter().map(|e| (e.field.clone(), if en { e.message_en.clone() } else { e.message_zh.clone() })).collect()
}

/// Field errors of a filter form as lines, in the page's language (the messages name what is
/// wrong; the internal field names are not shown).
pub fn error_lines(errors: &[domain::FieldError], en: bool) -> Vec<String> {
    errors.iter().map(|e| if en { e.message_en.clone() } else { e.message_zh.clone() }).collect()
}

/// A message for the next page, attached to a response; the session layer keeps it with
/// the session (never in the URL).
#[derive(Clone)]
pub struct Flashed(pub app::Flash);

/// A redirect to `to` that leaves `msg` for the page it opens.
pub fn redirect_with(to: &str, kind: app::FlashKind, msg: &str) -> axum::response::Response {
    use axum::response::IntoResponse;
    let mut res = axum::response::Redirect::to(to).into_response();
    res.extensions_mut().insert(Flashed(app::Flash::new(kind, msg)));
    res
}

/// Back to the lead page, which shows `msg` once. An id of 0 (an action taken from the
/// queue) goes back to the queue, which shows it there.
pub fn back_to_lead(id: i64, kind: app::FlashKind, msg: &str) -> axum::response::Response {
    redirect_with(if id <= 0 { "/queue".to_owned() } else { format!("/leads/{id}") }.as_str(), kind, msg)
}

/// The field errors' messages in the page's language, as one line.
pub fn messages(i: &domain::Invalid, en: bool) -> String {
    i.0.iter().map(|e| if en { e.message_en.clone() } else { e.message_zh.clone() }).collect::<Vec<_>>().join(" ")
}

/// A lead-page form's outcome (the one pattern): done → back to the lead with `done`, what
/// happened in words; refused for its input → the lead page again with the form as typed,
/// each error at its field (422); another lead's change in between → the same, saying so.
pub async fn lead_form_outcome(
    state: &crate::AppState,
    session: &SessionInfo,
    (id, form): (i64, &str),
    pairs: &[(String, String)],
    r: Result<String, app::AppError>,
) -> Result<axum::response::Response, crate::error::PageError> {
    let en = crate::context::RequestContext::current().english;
    let errors = match r {
        Ok(done) => return Ok(back_to_lead(id, app::FlashKind::Done, &done)),
        Err(app::AppError::Invalid(i)) => i.0,
        Err(app::AppError::Stale { .. }) => vec![domain::FieldError::new(
            "version",
            "stale",
            "提交前该线索已被他人办理，请核对下方最新情况后再次提交（填写内容已保留）。",
            "Someone acted on this lead before you submitted; check it below and submit again (what you typed is kept).",
        )],
        Err(e) => return Err(e.into()),
    };
    ledger::lead::refused_on_lead(state, session, id, form, pairs, &errors, en).await
}

/// The outcome of an action whose success the page words itself.
pub fn done<T>(r: Result<T, app::AppError>, said: impl Fn(&Texts) -> &'static str) -> Result<String, app::AppError> {
    let t = crate::i18n::texts(crate::context::RequestContext::current().english);
    r.map(|_| said(t).to_owned())
}

/// An action taken from the queue: back to the queue, which shows what happened or why not.
pub fn queue_outcome(r: Result<String, app::AppError>) -> Result<axum::response::Response, crate::error::PageError> {
    let en = crate::context::RequestContext::current().english;
    match r {
        Ok(done) => Ok(back_to_lead(0, app::FlashKind::Done, &done)),
        Err(app::AppError::Invalid(i)) => Ok(back_to_lead(0, app::FlashKind::Refused, &messages(&i, en))),
        Err(app::AppError::Stale { .. }) => Ok(redirect_with(
            "/queue",
            app::FlashKind::Refused,
            if en {
                "The lead has moved on since; open it to check."
            } else {
                "该线索状态已变化，请打开线索核对。"
            },
        )),
        Err(e) => Err(e.into()),
    }
}

/// A lead-page action's outcome: back to the lead with what happened, or why it was refused;
/// refusals that are not about the input are error pages.
pub fn outcome_to_lead(
    r: Result<(), app::AppError>,
    id: i64,
) -> Result<axum::response::Response, crate::error::PageError> {
    let en = crate::context::RequestContext::current().english;
    let t = crate::i18n::texts(en);
    match r {
        Ok(()) => Ok(back_to_lead(id, app::FlashKind::Done, t.step_applied)),
        Err(app::AppError::Invalid(i)) => Ok(back_to_lead(id, app::FlashKind::Refused, &messages(&i, en))),
        Err(e) => Err(e.into()),
    }
}

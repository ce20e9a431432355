//! `/api/v1`: JSON over the same `app` calls as the pages. Authenticated by bearer tokens
//! only (never cookies), so cross-site requests carry no credentials here. The OpenAPI
//! document is generated from the handlers' annotations below.

mod ledger;
pub(crate) mod lifecycle;
mod oversight;
mod protection;
mod relations;
mod reporters;
mod reporting;
mod supervision;

use std::sync::LazyLock;

use utoipa::{
    Modify, OpenApi,
    openapi::security::{Http, HttpAuthScheme, SecurityScheme},
};

route_table!(API_ROUTES, routes {
    post "/auth/login" => protection::api_login;
    post "/auth/logout" => protection::api_logout;
    get "/me" => protection::api_me;
    get "/units" => ledger::api_units;
    get "/handlers" => ledger::api_handlers;
    post "/imports" => ledger::import::api_import_upload;
    get "/imports/{id}" => ledger::import::api_import_get;
    put "/imports/{id}/settings" => ledger::import::api_import_settings;
    post "/imports/{id}/confirm" => ledger::import::api_import_confirm;
    get "/imports/{id}/errors.xlsx" => ledger::import::api_import_errors;
    get "/imports/{id}/progress" => ledger::import::api_import_progress;
    post "/imports/{id}/cancel" => ledger::import::api_import_cancel;
    get "/leads" => ledger::api_leads_list;
    get "/search" => ledger::search::api_search;
    post "/leads/repeat-candidates" => ledger::repeats::api_repeat_candidates;
    get "/relations/frequent" => relations::api_frequent;
    get "/relations/persons/{id}" => relations::api_person_graph;
    get "/relations/leads/{id}" => relations::api_lead_graph;
    get "/relations/units/{id}" => relations::api_unit_graph;
    get "/reviews" => oversight::api_reviews;
    post "/reviews/draw" => oversight::api_reviews_draw;
    get "/reviews/{id}" => oversight::api_review;
    post "/reviews/{id}/reviewers" => oversight::api_review_assign;
    post "/reviews/{id}/methods" => oversight::api_review_method;
    put "/reviews/{id}/checks" => oversight::api_review_checks;
    post "/reviews/{id}/result" => oversight::api_review_decide;
    get "/rectifications" => oversight::rectifications::api_rectifications;
    post "/rectifications" => oversight::rectifications::api_issue_letter;
    get "/rectifications/{id}" => oversight::rectifications::api_rectification;
    get "/rectifications/{id}/letter.docx" => oversight::rectifications::api_letter_docx;
    put "/rectifications/{id}/analysis" => oversight::rectifications::api_analysis;
    post "/rectifications/{id}/measures" => oversight::rectifications::api_add_measure;
    put "/measures/{id}" => oversight::rectifications::api_update_measure;
    post "/rectifications/{id}/reply" => oversight::rectifications::api_reply;
    post "/rectifications/{id}/decision" => oversight::rectifications::api_decide;
    post "/rectifications/{id}/recheck" => oversight::rectifications::api_recheck;
    get "/institutions" => oversight::rectifications::api_institutions;
    post "/institutions" => oversight::rectifications::api_add_institution;
    get "/accountability" => oversight::accountability::api_accountability;
    post "/accountability" => oversight::accountability::api_record_accountability;
    get "/early-warnings" => oversight::accountability::api_early_warnings;
    post "/early-warnings" => oversight::accountability::api_record_early_warning;
    post "/early-warnings/{id}/follow-up" => oversight::accountability::api_follow_up_early_warning;
    get "/clearings" => oversight::clearings::api_clearings;
    post "/clearings" => oversight::clearings::api_propose_clearing;
    get "/clearings/{id}" => oversight::clearings::api_clearing;
    post "/clearings/{id}/decision" => oversight::clearings::api_decide_clearing;
    post "/clearings/{id}/done" => oversight::clearings::api_carry_out_clearing;
    get "/clearings/{id}/letter.docx" => oversight::clearings::api_clearing_docx;
    post "/clearings/{id}/false-accusation" => oversight::clearings::api_flag_false_accusation;
    get "/library/cases" => oversight::library::api_cases;
    post "/library/cases" => oversight::library::api_add_case;
    post "/library/cases/{id}/publish" => oversight::library::api_publish_case;
    get "/library/practices" => oversight::library::api_practices;
    post "/library/practices" => oversight::library::api_add_practice;
    post "/library/practices/{id}/publish" => oversight::library::api_publish_practice;
    get "/education-events" => oversight::library::api_education;
    post "/education-events" => oversight::library::api_record_education;
    get "/leads/export.xlsx" => ledger::api_leads_export;
    post "/leads" => ledger::api_leads_create;
    get "/leads/{id}" => ledger::api_lead_get;
    put "/leads/{id}" => ledger::api_lead_update;
    put "/leads/{id}/handlers" => ledger::api_lead_handlers;
    get "/leads/{id}/dossier" => ledger::api_dossier;
    post "/leads/{id}/reveal" => reporters::api_reveal;
    get "/leads/{id}/feedback" => reporters::feedback::api_feedback;
    post "/leads/{id}/feedback" => reporters::feedback::api_record_feedback;
    post "/leads/{id}/objections" => reporters::feedback::api_record_objection;
    post "/leads/{id}/objections/{objection}/answer" => reporters::feedback::api_answer_objection;
    get "/satisfaction" => reporters::feedback::api_satisfaction;
    get "/leads/{id}/attachments" => reporters::attachments::api_attachments;
    post "/leads/{id}/attachments" => reporters::attachments::api_upload_attachment;
    get "/leads/{id}/attachments/{attachment}" => reporters::attachments::api_download_attachment;
    post "/reviews/{id}/attachments" => reporters::attachments::api_upload_review_attachment;
    post "/rectifications/{id}/attachments" => reporters::attachments::api_upload_rectification_attachment;
    get "/portal-reports" => reporters::intake::api_intake;
    get "/portal-reports/{id}" => reporters::intake::api_intake_report;
    post "/portal-reports/{id}/register" => reporters::intake::api_intake_register;
    post "/portal-reports/{id}/route" => reporters::intake::api_intake_route;
    post "/portal-reports/{id}/not-accepted" => reporters::intake::api_intake_reject;
    post "/portal-reports/{id}/messages" => reporters::intake::api_intake_ask;
    get "/portal-reports/{id}/files/{file}" => reporters::intake::api_intake_file;
    post "/leads/export-identities.xlsx" => reporters::api_identity_export;
    post "/leads/{id}/recusal-clearances" => protection::recusal::api_recusal_clear;
    get "/campaigns" => ledger::api_campaigns;
    post "/campaigns" => ledger::api_campaign_create;
    put "/campaigns/{id}" => ledger::api_campaign_update;
    post "/campaigns/{id}/close" => ledger::api_campaign_close;
    get "/leads/{id}/ownership" => supervision::api_ownership_get;
    put "/leads/{id}/ownership" => supervision::api_ownership_put;
    post "/leads/{id}/visits" => supervision::api_visit;
    post "/leads/{id}/sign-off" => supervision::api_sign_off;
    get "/leads/{id}/orders" => supervision::api_orders_get;
    post "/leads/{id}/orders" => supervision::api_orders_post;
    post "/orders/{id}/reports" => supervision::api_report;
    post "/leads/{id}/jurisdiction" => supervision::api_move;
    post "/meetings" => supervision::api_meeting;
    get "/board" => supervision::api_board;
    get "/board/export.xlsx" => supervision::api_board_export;
    get "/dashboard" => reporting::api_dashboard;
    get "/bulletins" => reporting::bulletins::api_bulletins;
    post "/bulletins" => reporting::bulletins::api_draft_bulletin;
    get "/bulletins/{id}" => reporting::bulletins::api_bulletin;
    post "/bulletins/{id}/lines" => reporting::bulletins::api_change_list;
    post "/bulletins/{id}/sign" => reporting::bulletins::api_sign_bulletin;
    post "/bulletins/{id}/issue" => reporting::bulletins::api_issue_bulletin;
    post "/bulletins/{id}/summons" => reporting::bulletins::api_record_summons;
    get "/bulletins/{id}/document.docx" => reporting::bulletins::api_bulletin_docx;
    get "/score-rules" => reporting::score_rules::api_score_rules;
    put "/score-rules" => reporting::score_rules::api_save_score_rules;
    get "/report-outline" => reporting::outline::api_report_outline;
    put "/report-outline" => reporting::outline::api_save_report_outline;
    get "/work-reports" => reporting::work_reports::api_work_reports;
    get "/work-reports/verify" => reporting::work_reports::api_verify_work_report;
    get "/work-reports/{id}" => reporting::work_reports::api_work_report;
    put "/work-reports/{id}" => reporting::work_reports::api_save_work_report;
    post "/work-reports/{id}/sign" => reporting::work_reports::api_sign_work_report;
    post "/work-reports/{id}/submit" => reporting::work_reports::api_submit_work_report;
    get "/work-reports/{id}/document.docx" => reporting::work_reports::api_work_report_docx;
    get "/statistics" => reporting::api_statistics;
    get "/statistics/export.xlsx" => reporting::api_statistics_export;
    get "/account/tokens" => protection::admin::api_tokens;
    post "/account/tokens" => protection::admin::api_token_create;
    delete "/account/tokens/{id}" => protection::admin::api_token_revoke;
    post "/account/password" => protection::admin::api_password;
    post "/account/totp/offer" => protection::admin::api_totp_offer;
    post "/account/totp" => protection::admin::api_totp_enable;
    get "/account/email" => protection::admin::api_email_get;
    put "/account/email" => protection::admin::api_email_put;
    get "/audit" => protection::admin::api_audit;
    get "/audit/export" => protection::admin::api_audit_export;
    get "/audit/verify" => protection::admin::api_audit_verify;
    get "/admin/accounts" => protection::admin::api_accounts;
    post "/admin/units" => protection::admin::api_unit_create;
    post "/admin/accounts" => protection::admin::api_account_create;
    post "/admin/accounts/{id}/grants" => protection::admin::api_grant;
    post "/admin/accounts/{id}/grants/revoke" => protection::admin::api_revoke;
    post "/admin/accounts/{id}/unlock" => protection::admin::api_unlock;
    post "/admin/accounts/{id}/reset" => protection::admin::api_reset;
    post "/leads/{id}/steps" => lifecycle::api_step;
    post "/leads/{id}/follow-ups" => lifecycle::api_follow_up;
    get "/leads/{id}/timeline" => lifecycle::api_timeline;
    get "/leads/{id}/form.docx" => lifecycle::api_form_docx;
    get "/leads/{id}/record.docx" => lifecycle::api_record_docx;
    get "/approvals" => lifecycle::api_approvals;
    post "/approvals/{id}/decision" => lifecycle::api_decide;
    get "/leads/{id}/extensions" => lifecycle::api_extensions_of;
    post "/leads/{id}/extensions" => lifecycle::api_extension_request;
    post "/leads/{id}/transfer-receipt" => lifecycle::api_transfer_receipt;
    post "/leads/{id}/inquiry-events" => lifecycle::api_inquiry_event;
    get "/extensions" => lifecycle::api_extension_queue;
    post "/extensions/{id}/sign" => lifecycle::api_extension_sign;
    post "/extensions/{id}/file" => lifecycle::api_extension_file;
    post "/extensions/{id}/return" => lifecycle::api_extension_return;
    post "/extensions/{id}/decision" => lifecycle::api_extension_decide;
    get "/notifications" => lifecycle::api_notifications;
    post "/notifications/read" => lifecycle::api_notifications_read;
    post "/notifications/{id}/read" => lifecycle::api_notification_open;
    get "/deadline-rules" => lifecycle::api_rules;
    put "/deadline-rules/{code}" => lifecycle::api_rule_put;
    get "/calendar/add-working-days" => lifecycle::api_add_working_days;
    post "/calendar/days" => lifecycle::api_calendar_days;
});

#[derive(OpenApi)]
#[openapi(
    info(
        title = "清零 Qingling API",
        version = "1",
        description = "问题线索台账与督办平台的接口。Every page action has an endpoint here, scoped by the \
            caller's grants exactly as the pages are; errors are one JSON shape with a Chinese and an English \
            message and a request id."
    ),
    paths(
        protection::api_login,
        protection::api_logout,
        protection::api_me,
        ledger::api_units,
        ledger::api_handlers,
        ledger::import::api_import_upload,
        ledger::import::api_import_get,
        ledger::import::api_import_settings,
        ledger::import::api_import_confirm,
        ledger::import::api_import_errors,
        ledger::import::api_import_progress,
        ledger::import::api_import_cancel,
        ledger::api_leads_list,
        ledger::search::api_search,
        ledger::repeats::api_repeat_candidates,
        relations::api_frequent,
        relations::api_person_graph,
        relations::api_lead_graph,
        relations::api_unit_graph,
        oversight::api_reviews,
        oversight::api_reviews_draw,
        oversight::api_review,
        oversight::api_review_assign,
        oversight::api_review_method,
        oversight::api_review_checks,
        oversight::api_review_decide,
        oversight::rectifications::api_rectifications,
        oversight::rectifications::api_issue_letter,
        oversight::rectifications::api_rectification,
        oversight::rectifications::api_letter_docx,
        oversight::rectifications::api_analysis,
        oversight::rectifications::api_add_measure,
        oversight::rectifications::api_update_measure,
        oversight::rectifications::api_reply,
        oversight::rectifications::api_decide,
        oversight::rectifications::api_recheck,
        oversight::rectifications::api_institutions,
        oversight::rectifications::api_add_institution,
        oversight::accountability::api_accountability,
        oversight::accountability::api_record_accountability,
        oversight::accountability::api_early_warnings,
        oversight::accountability::api_record_early_warning,
        oversight::accountability::api_follow_up_early_warning,
        oversight::clearings::api_clearings,
        oversight::clearings::api_propose_clearing,
        oversight::clearings::api_clearing,
        oversight::clearings::api_decide_clearing,
        oversight::clearings::api_carry_out_clearing,
        oversight::clearings::api_clearing_docx,
        oversight::clearings::api_flag_false_accusation,
        oversight::library::api_cases,
        oversight::library::api_add_case,
        oversight::library::api_publish_case,
        oversight::library::api_practices,
        oversight::library::api_add_practice,
        oversight::library::api_publish_practice,
        oversight::library::api_education,
        oversight::library::api_record_education,
        ledger::api_leads_export,
        ledger::api_leads_create,
        ledger::api_lead_get,
        ledger::api_lead_update,
        ledger::api_lead_handlers,
        ledger::api_dossier,
        reporters::api_reveal,
        reporters::feedback::api_feedback,
        reporters::feedback::api_record_feedback,
        reporters::feedback::api_record_objection,
        reporters::feedback::api_answer_objection,
        reporters::feedback::api_satisfaction,
        reporters::attachments::api_attachments,
        reporters::attachments::api_upload_attachment,
        reporters::attachments::api_download_attachment,
        reporters::attachments::api_upload_review_attachment,
        reporters::attachments::api_upload_rectification_attachment,
        reporters::intake::api_intake,
        reporters::intake::api_intake_report,
        reporters::intake::api_intake_register,
        reporters::intake::api_intake_route,
        reporters::intake::api_intake_reject,
        reporters::intake::api_intake_ask,
        reporters::intake::api_intake_file,
        reporters::api_identity_export,
        protection::recusal::api_recusal_clear,
        ledger::api_campaigns,
        ledger::api_campaign_create,
        ledger::api_campaign_update,
        ledger::api_campaign_close,
        supervision::api_ownership_get,
        supervision::api_ownership_put,
        supervision::api_visit,
        supervision::api_sign_off,
        supervision::api_orders_get,
        supervision::api_orders_post,
        supervision::api_report,
        supervision::api_move,
        supervision::api_meeting,
        supervision::api_board,
        supervision::api_board_export,
        reporting::api_dashboard,
        reporting::bulletins::api_bulletins,
        reporting::bulletins::api_draft_bulletin,
        reporting::bulletins::api_bulletin,
        reporting::bulletins::api_change_list,
        reporting::bulletins::api_sign_bulletin,
        reporting::bulletins::api_issue_bulletin,
        reporting::bulletins::api_record_summons,
        reporting::bulletins::api_bulletin_docx,
        reporting::score_rules::api_score_rules,
        reporting::score_rules::api_save_score_rules,
        reporting::outline::api_report_outline,
        reporting::outline::api_save_report_outline,
        reporting::work_reports::api_work_reports,
        reporting::work_reports::api_verify_work_report,
        reporting::work_reports::api_work_report,
        reporting::work_reports::api_save_work_report,
        reporting::work_reports::api_sign_work_report,
        reporting::work_reports::api_submit_work_report,
        reporting::work_reports::api_work_report_docx,
        reporting::api_statistics,
        reporting::api_statistics_export,
        protection::admin::api_tokens,
        protection::admin::api_token_create,
        protection::admin::api_token_revoke,
        protection::admin::api_password,
        protection::admin::api_totp_offer,
        protection::admin::api_totp_enable,
        protection::admin::api_email_get,
        protection::admin::api_email_put,
        protection::admin::api_audit,
        protection::admin::api_audit_export,
        protection::admin::api_audit_verify,
        protection::admin::api_accounts,
        protection::admin::api_unit_create,
        protection::admin::api_account_create,
        protection::admin::api_grant,
        protection::admin::api_revoke,
        protection::admin::api_unlock,
        protection::admin::api_reset,
        lifecycle::api_step,
        lifecycle::api_follow_up,
        lifecycle::api_timeline,
        lifecycle::api_form_docx,
        lifecycle::api_record_docx,
        lifecycle::api_approvals,
        lifecycle::api_decide,
        lifecycle::api_extensions_of,
        lifecycle::api_extension_request,
        lifecycle::api_transfer_receipt,
        lifecycle::api_inquiry_event,
        lifecycle::api_extension_queue,
        lifecycle::api_extension_sign,
        lifecycle::api_extension_file,
        lifecycle::api_extension_return,
        lifecycle::api_extension_decide,
        lifecycle::api_notifications,
        lifecycle::api_notifications_read,
        lifecycle::api_notification_open,
        lifecycle::api_rules,
        lifecycle::api_rule_put,
        lifecycle::api_add_working_days,
        lifecycle::api_calendar_days,
        openapi_document,
    ),
    modifiers(&Bearer, &PathIds),
    tags(
        (name = "ledger", description = "台账 The ledger: leads, units, handler assignment"),
        (name = "lifecycle", description = "办理 Steps, approvals, the timeline, extensions, notifications"),
        (name = "supervision", description = "督办 Ownership, listed supervision, jurisdiction, meetings, the board"),
        (name = "reporters", description = "反映人 The sealed identity of signed reporters"),
        (name = "relations", description = "关系网 Persons, leads, units and reporters as a graph"),
        (name = "oversight", description = "监督 Review of unfounded closures (查否复审复核), rectification (以案促改), institutions, accountability (问责), early intervention (抓早抓小), clearing names (澄清正名), libraries (典型案例, 好做法) and warning education"),
        (name = "reporting", description = "统计通报 Statistics, the dashboard, bulletins and score rules, work reports"),
        (name = "protection", description = "安全 Signing in, the caller's account, the audit trail, administration"),
    )
)]
struct ApiDoc;

struct Bearer;

impl Modify for Bearer {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(c) = openapi.components.as_mut() {
            c.add_security_scheme("bearer", SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)));
        }
    }
}

/// Every path id is read as a 64-bit integer before anything else: one that is not (text,
/// or out of range) answers 400. Stated on every operation that takes one, so no handler
/// can forget to document it.
struct PathIds;

impl Modify for PathIds {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
        let bad_id = ResponseBuilder::new()
            .description("The path id is not a whole number in range")
            .content("application/json", ContentBuilder::new().schema(Some(Ref::from_schema_name("Error"))).build())
            .build();
        // A schema named only by a query parameter's `value_type` is not collected on its own.
        if let Some(c) = openapi.components.as_mut() {
            let sort = <domain::ledger::query::LedgerSort as utoipa::PartialSchema>::schema();
            c.schemas.insert("LedgerSort".into(), sort);
        }
        for (path, item) in openapi.paths.paths.iter_mut() {
            if !path.contains("{id}") {
                continue;
            }
            let ops = [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch];
            for op in ops.into_iter().flatten() {
                op.responses.responses.entry("400".into()).or_insert_with(|| bad_id.clone().into());
            }
        }
    }
}

/// The document describing [`API_ROUTES`].
pub fn openapi() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

static DOCUMENT: LazyLock<String> = LazyLock::new(|| openapi().to_pretty_json().unwrap_or_default());

/// This document (public, like any API reference).
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "protection", operation_id = "openapi",
    responses((status = 200, description = "The OpenAPI 3.1 document", content_type = "application/json")))]
pub async fn openapi_document() -> axum::response::Response {
    crate::assets::asset(&DOCUMENT, "application/json")
}

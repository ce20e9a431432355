//! Server-rendered pages. Handlers are named `view_<page>_<verb>`.

mod account;
mod admin;
mod audit;
mod board;
mod deadlines;
mod extensions;
mod lead;
mod ledger;
mod login;
mod steps;
mod supervision;

use app::SessionInfo;

use crate::i18n::Texts;

route_table!(PAGE_ROUTES, routes {
    get "/" => login::view_home_get;
    get "/login" => login::view_login_get;
    post "/login" => login::view_login_post;
    post "/logout" => login::view_logout_post;
    get "/lang/{code}" => login::view_lang_get;
    get "/ledger" => ledger::view_ledger_get;
    get "/leads/new" => lead::view_lead_new;
    post "/leads" => lead::view_lead_create;
    get "/leads/{id}" => lead::view_lead_show;
    post "/leads/{id}" => lead::view_lead_update;
    get "/leads/{id}/edit" => lead::view_lead_edit;
    post "/leads/{id}/reveal" => lead::view_lead_reveal;
    post "/leads/{id}/steps" => steps::view_step_post;
    post "/leads/{id}/follow-ups" => steps::view_follow_up_post;
    post "/approvals/{id}/decide" => steps::view_decision_post;
    get "/queue" => steps::view_queue_get;
    post "/leads/{id}/ownership" => steps::view_ownership_post;
    post "/leads/{id}/visits" => steps::view_visit_post;
    post "/leads/{id}/sign-off" => steps::view_sign_off_post;
    post "/leads/{id}/orders" => supervision::view_order_post;
    post "/orders/{id}/reports" => supervision::view_report_post;
    post "/leads/{id}/jurisdiction" => supervision::view_move_post;
    get "/meetings" => steps::view_meetings_get;
    post "/meetings" => steps::view_meetings_post;
    post "/queue/read" => steps::view_inbox_read;
    get "/board" => board::view_board_get;
    get "/deadlines" => deadlines::view_deadlines_get;
    post "/deadlines/rules/{id}" => deadlines::view_rule_post;
    post "/deadlines/calendar" => deadlines::view_calendar_post;
    post "/leads/{id}/extensions" => extensions::view_extension_request;
    post "/extensions/{id}/sign" => extensions::view_extension_sign;
    post "/extensions/{id}/file" => extensions::view_extension_file;
    post "/extensions/{id}/decide" => extensions::view_extension_decide;
    get "/account" => account::view_account_get;
    get "/account/password" => account::view_password_get;
    post "/account/password" => account::view_password_post;
    post "/account/tokens" => account::view_token_create;
    post "/account/tokens/{id}/revoke" => account::view_token_revoke;
    post "/account/totp" => account::view_totp_post;
    post "/account/email" => account::view_email_post;
    get "/audit" => audit::view_audit_get;
    get "/audit/export.xlsx" => audit::view_audit_export;
    get "/admin" => admin::view_admin_get;
    post "/admin/units" => admin::view_admin_unit_create;
    post "/admin/accounts" => admin::view_admin_account_create;
    post "/admin/accounts/{id}/grants" => admin::view_admin_grant;
    post "/admin/accounts/{id}/grants/revoke" => admin::view_admin_revoke;
    post "/admin/accounts/{id}/unlock" => admin::view_admin_unlock;
    post "/admin/accounts/{id}/reset" => admin::view_admin_reset;
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
}

impl Chrome {
    pub fn new(s: &SessionInfo, t: &Texts, here: String, nav: &'static str) -> Self {
        let roles: Vec<&str> = s.actor.roles().iter().map(|r| r.label(t.english)).collect();
        Self {
            user_name: s.actor.display_name.clone(),
            unit_name: s.actor.unit_name.clone(),
            roles: roles.join("、"),
            csrf_token: s.csrf_token.clone(),
            here: urlencode(&here),
            nav,
            can_register: s.actor.ledger_keeper().is_ok(),
            reads_ledger: s.actor.ledger().is_ok(),
            audits: s.actor.audit_reader().is_ok(),
            administers: s.actor.unit_admin().is_ok() || s.actor.grant_admin().is_ok(),
            unread: s.unread_notices,
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

pub fn render(t: impl askama::Template) -> Result<String, crate::error::PageError> {
    t.render().map_err(|e| app::AppError::Internal(e.to_string()).into())
}

/// The message of each field error, in the page's language, by field name.
pub fn field_messages(errors: &[domain::FieldError], en: bool) -> std::collections::HashMap<String, String> {
    errors.iter().map(|e| (e.field.clone(), if en { e.message_en.clone() } else { e.message_zh.clone() })).collect()
}

/// Field errors of a filter form as "field: message" lines, in the page's language.
pub fn error_lines(errors: &[domain::FieldError], en: bool) -> Vec<String> {
    errors.iter().map(|e| format!("{}: {}", e.field, if en { &e.message_en } else { &e.message_zh })).collect()
}

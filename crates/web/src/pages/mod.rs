//! Server-rendered pages. Handlers are named `view_<page>_<verb>`.

mod lead;
mod ledger;
mod login;

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
pub fn options<'a>(
    items: impl IntoIterator<Item = (&'a str, &'a str)>,
    selected: &str,
) -> Vec<Opt> {
    items
        .into_iter()
        .map(|(code, label)| Opt {
            value: code.to_owned(),
            label: label.to_owned(),
            selected: code == selected,
        })
        .collect()
}

pub fn urlencode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

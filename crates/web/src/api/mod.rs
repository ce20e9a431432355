//! `/api/v1`: JSON over the same `app` calls as the pages. Authenticated by bearer tokens
//! only (never cookies), so cross-site requests carry no credentials here.

mod ledger;
mod protection;

pub const OPENAPI: &str = include_str!("../../openapi.json");

route_table!(API_ROUTES, routes {
    post "/auth/login" => protection::api_login;
    post "/auth/logout" => protection::api_logout;
    get "/me" => protection::api_me;
    get "/units" => ledger::api_units;
    get "/leads" => ledger::api_leads_list;
    post "/leads" => ledger::api_leads_create;
    get "/leads/{id}" => ledger::api_lead_get;
    put "/leads/{id}" => ledger::api_lead_update;
});

/// The OpenAPI document describing [`API_ROUTES`] (public, like any API reference).
pub async fn view_openapi_get() -> axum::response::Response {
    crate::assets::asset(OPENAPI, "application/json")
}

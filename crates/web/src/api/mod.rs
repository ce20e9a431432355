//! `/api/v1`: JSON over the same `app` calls as the pages. Authenticated by bearer tokens
//! only (never cookies), so cross-site requests carry no credentials here.

mod account;
mod leads;

pub const OPENAPI: &str = include_str!("../../openapi.json");

route_table!(API_ROUTES, routes {
    post "/auth/login" => account::api_login;
    post "/auth/logout" => account::api_logout;
    get "/me" => account::api_me;
    get "/units" => account::api_units;
    get "/leads" => leads::api_leads_list;
    post "/leads" => leads::api_leads_create;
    get "/leads/{id}" => leads::api_lead_get;
    put "/leads/{id}" => leads::api_lead_update;
});

/// The OpenAPI document describing [`API_ROUTES`] (public, like any API reference).
pub async fn view_openapi_get() -> axum::response::Response {
    crate::assets::asset(OPENAPI, "application/json")
}

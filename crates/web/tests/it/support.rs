use std::sync::Arc;

use app::{App, SystemClock};
use reqwest::{Client, redirect::Policy};
use serde_json::{Value, json};
use store::Backend;
use tokio::net::TcpListener;

pub const DEMO_PW: &str = "qingling-demo";

/// A running server over a fresh database holding a small demo data set.
pub struct Server {
    pub base: String,
    pub app: App,
    task: tokio::task::JoinHandle<()>,
    _db: testkit::TestDb,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

pub async fn start(backend: Backend) -> Server {
    start_with(backend, false).await
}

/// As [`start`], telling the app whether it is served over TLS.
pub async fn start_with(backend: Backend, secure_cookies: bool) -> Server {
    start_serving(backend, |app| web::AppState::new(app, secure_cookies)).await
}

/// As [`start`], behind a reverse proxy on loopback (whose `X-Forwarded-For` is trusted).
pub async fn start_behind_proxy(backend: Backend) -> Server {
    start_serving(backend, |app| web::AppState::new(app, false).trusting(vec!["127.0.0.1".parse().unwrap()])).await
}

/// As [`start`], with pages that never wait for an import or export to end: each is
/// followed on its progress page, however small.
pub async fn start_showing_progress(backend: Backend) -> Server {
    start_serving_app(
        backend,
        |app| app.with_progress_wait(std::time::Duration::ZERO),
        |app| web::AppState::new(app, false),
    )
    .await
}

async fn start_serving(backend: Backend, state: impl FnOnce(App) -> web::AppState) -> Server {
    start_serving_app(backend, |app| app, state).await
}

async fn start_serving_app(
    backend: Backend,
    tune: impl FnOnce(App) -> App,
    state: impl FnOnce(App) -> web::AppState,
) -> Server {
    let tdb = testkit::fresh(backend).await;
    let keys = Arc::new(app::Keyring::ephemeral(app::CipherKind::Aes256Gcm));
    let app = tune(App::new(tdb.connect().await, Arc::new(SystemClock), keys));
    app.migrate().await.unwrap();
    app::demo::load(&app, 240).await.unwrap();
    serve_on(tdb, app, state).await
}

/// A new install: an empty database as `qingling serve` first finds it, bootstrapped (the
/// three administrators, whose one-time passwords come back).
pub async fn start_empty(backend: Backend) -> (Server, app::Bootstrap) {
    let tdb = testkit::fresh(backend).await;
    let keys = Arc::new(app::Keyring::ephemeral(app::CipherKind::Aes256Gcm));
    let app = App::new(tdb.connect().await, Arc::new(SystemClock), keys);
    app.migrate().await.unwrap();
    let boot = app.protection().bootstrap_if_empty().await.unwrap().expect("an empty database bootstraps");
    (serve_on(tdb, app, |app| web::AppState::new(app, false)).await, boot)
}

async fn serve_on(tdb: testkit::TestDb, app: App, state: impl FnOnce(App) -> web::AppState) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let state = state(app.clone());
    let task = tokio::spawn(async move {
        axum_serve(listener, state).await;
    });
    Server { base, app, task, _db: tdb }
}

async fn axum_serve(listener: TcpListener, state: web::AppState) {
    let _ = web::serve(listener, state).await;
}

/// A browser-like client: keeps cookies, does not follow redirects (tests look at them).
pub fn browser_client() -> Client {
    Client::builder().cookie_store(true).redirect(Policy::none()).build().unwrap()
}

pub fn api_client() -> Client {
    Client::builder().redirect(Policy::none()).build().unwrap()
}

impl Server {
    /// The database the server runs on, for tests that read it behind the app's back.
    pub fn database_url(&self) -> &str {
        &self._db.url
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn token(&self, username: &str) -> String {
        let r = api_client()
            .post(self.url("/api/v1/auth/login"))
            .json(&json!({"username": username, "password": DEMO_PW}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "login {username}");
        r.json::<Value>().await.unwrap()["token"].as_str().unwrap().to_owned()
    }

    /// Signs a browser client in through the login form; returns the client and the
    /// session's CSRF token (read from a page, as a browser would).
    pub async fn sign_in(&self, username: &str) -> (Client, String) {
        let c = browser_client();
        let page = c.get(self.url("/login")).send().await.unwrap().text().await.unwrap();
        let pre = hidden_csrf(&page);
        let r = c
            .post(self.url("/login"))
            .form(&[("csrf_token", pre.as_str()), ("username", username), ("password", DEMO_PW)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303, "sign in {username}");
        // Every signed-in user has the account page (not everyone has the ledger).
        let account = c.get(self.url("/account")).send().await.unwrap().text().await.unwrap();
        let csrf = hidden_csrf(&account);
        (c, csrf)
    }
}

/// The value of the first `csrf_token` hidden field on a page.
pub fn hidden_csrf(html: &str) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html.find(marker).expect("page has a CSRF field") + marker.len();
    html[start..start + 64].to_owned()
}

/// A valid registration body for the API.
pub fn lead_body(unit_id: i64, summary: &str, subject: &str) -> Value {
    json!({
        "unit_id": unit_id.to_string(),
        "source": "petition_report",
        "received_on": "2019-05-06",
        "category": "protective_umbrella",
        "summary": summary,
        "responsible_leader": "张副院长",
        "responsible_person": "李某某",
        "subjects": [{"name": subject, "post": "科长"}],
        "reporter": {"kind": "signed", "name": "举报人乙", "contact": "13900000000"}
    })
}

/// The id of the unit with this code, read through the API as `username`.
pub async fn unit_id(s: &Server, token: &str, code: &str) -> i64 {
    let units: Value =
        api_client().get(s.url("/api/v1/units")).bearer_auth(token).send().await.unwrap().json().await.unwrap();
    units["items"].as_array().unwrap().iter().find(|u| u["code"] == code).unwrap()["id"].as_i64().unwrap()
}

impl Server {
    /// Signs `username` in directly through the app (for setting up, not for testing sign-in).
    pub async fn actor_with(&self, username: &str, password: &str) -> app::Actor {
        let cred = app::Credentials { username, password, otp: None, client: "127.0.0.1" };
        self.app.protection().login(&cred, app::LoginKind::Browser).await.unwrap().actor
    }

    pub async fn actor(&self, username: &str) -> app::Actor {
        let cred = app::Credentials { username, password: DEMO_PW, otp: None, client: "127.0.0.1" };
        self.app.protection().login(&cred, app::LoginKind::Browser).await.unwrap().actor
    }
}

/// The public portal beside a running server: its own address, the same database.
pub struct Portal {
    pub base: String,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Portal {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Portal {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

impl Server {
    /// Serves the portal with `limits`, behind a proxy on loopback (so a test may speak for
    /// several client addresses through `X-Forwarded-For`).
    pub async fn portal(&self, limits: web::portal::PortalLimits) -> Portal {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let state = web::AppState::new(self.app.clone(), false).trusting(vec!["127.0.0.1".parse().unwrap()]);
        let task = tokio::spawn(async move {
            let _ = web::portal::serve(listener, state, limits).await;
        });
        Portal { base, task }
    }
}

//! Background jobs: the warning scan (leads, then rectifications) and the clearance board's daily recount, run at start and
//! every ten minutes. With several instances on one database, a lease makes one of them run
//! each round of the scan; the recount is done once per day by whoever gets there first.

use std::time::Duration;

use crate::App;

/// How often the jobs run.
pub const EVERY: Duration = Duration::from_secs(600);

/// One round: the warning scan (under its lease), then the board's recount if the day changed.
pub async fn run_once(app: &App, holder: &str) {
    match app.lifecycle().scan_warnings(holder).await {
        Ok(Some(n)) => tracing::info!(notifications = n, "warning scan done"),
        Ok(None) => tracing::info!("warning scan left to the instance holding the lease"),
        Err(e) => tracing::error!(error = %e, "warning scan failed"),
    }
    // Rectification measures and replies past their dates warn like lead deadlines.
    match app.oversight().scan_rectifications().await {
        Ok(0) => {}
        Ok(n) => tracing::info!(notifications = n, "overdue rectifications announced"),
        Err(e) => tracing::error!(error = %e, "rectification scan failed"),
    }
    // After midnight, recount the board's kept figures before anyone asks for them.
    match app.supervision().refresh_board_figures().await {
        Ok(true) => tracing::info!("clearance board recounted for the new day"),
        Ok(false) => {}
        Err(e) => tracing::error!(error = %e, "clearance board recount failed"),
    }
}

/// How often the search index looks for other instances' writes.
pub const SEARCH_EVERY: Duration = Duration::from_millis(500);

/// Keeps this instance's search index in step with the database: built first if need be,
/// then following the outbox every [`SEARCH_EVERY`].
pub fn spawn_search(app: App) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            match app.search_catch_up().await {
                Ok(c) if c.rebuilt => tracing::info!(leads = c.leads, "search index built from the database"),
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "search index could not follow the database"),
            }
            tokio::time::sleep(SEARCH_EVERY).await;
        }
    })
}

/// Runs the jobs now and every [`EVERY`] until the process ends. `holder` names this
/// instance in the lease.
pub fn spawn(app: App, holder: String) -> tokio::task::JoinHandle<()> {
    spawn_search(app.clone());
    tokio::spawn(async move {
        loop {
            run_once(&app, &holder).await;
            tokio::time::sleep(EVERY).await;
        }
    })
}

//! Black-box tests: the real app on port 0 over a fresh database, on both backends, driven
//! over HTTP and from a real headless Chromium.

mod api;
mod browser;
mod openapi;
mod pages;
mod support;

/// Runs each named async test once per backend: `sqlite::name` and `postgres::name`.
#[macro_export]
macro_rules! both {
    ($($name:ident),+ $(,)?) => {
        mod sqlite { $( #[tokio::test(flavor = "multi_thread", worker_threads = 2)] async fn $name() { super::$name(store::Backend::Sqlite).await } )+ }
        mod postgres { $( #[tokio::test(flavor = "multi_thread", worker_threads = 2)] async fn $name() { super::$name(store::Backend::Postgres).await } )+ }
    };
}

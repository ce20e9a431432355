//! Fresh, empty databases for tests, on both backends.
//!
//! SQLite databases live in a temporary directory; PostgreSQL databases are created on the
//! throwaway cluster that `scripts/test.sh` starts and names in `QINGLING_TEST_PG`.

// Test support: a failure to set up a test database is a failed test, so panicking is the
// right answer here.
#![allow(clippy::expect_used, clippy::unwrap_used)]

pub use store::Backend;
use store::Db;

pub const PG_ENV: &str = "QINGLING_TEST_PG";

/// A database for one test; the SQLite file is removed when this is dropped.
pub struct TestDb {
    pub url: String,
    pub backend: Backend,
    _dir: Option<tempfile::TempDir>,
}

impl TestDb {
    pub async fn connect(&self) -> Db {
        Db::connect(&self.url).await.expect("connect to test database")
    }
}

/// Both backends, in the order tests run them.
pub const BACKENDS: [Backend; 2] = [Backend::Sqlite, Backend::Postgres];

/// A fresh empty database (not yet migrated) on `backend`.
pub async fn fresh(backend: Backend) -> TestDb {
    match backend {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().expect("temp dir");
            let url = format!("sqlite://{}", dir.path().join("test.db").display());
            TestDb { url, backend, _dir: Some(dir) }
        }
        Backend::Postgres => {
            let admin = std::env::var(PG_ENV).unwrap_or_else(|_| {
                panic!(
                    "{PG_ENV} is not set: PostgreSQL tests need the throwaway cluster. \
                     Run the whole suite with scripts/test.sh (see README)."
                )
            });
            let name = format!("qt_{:016x}", rand::random::<u64>());
            sqlx::any::install_default_drivers();
            let mut conn =
                <sqlx::AnyConnection as sqlx::Connection>::connect(&admin).await.expect("connect to the test cluster");
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .execute(&mut conn)
                .await
                .expect("create test database");
            let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
            TestDb { url: format!("{base}/{name}"), backend, _dir: None }
        }
    }
}

/// Runs each named `async fn name(backend)` once per backend, as tests `sqlite::name` and
/// `postgres::name`.
#[macro_export]
macro_rules! both {
    ($($name:ident),+ $(,)?) => {
        mod sqlite { $( #[tokio::test(flavor = "multi_thread", worker_threads = 2)] async fn $name() { super::$name($crate::Backend::Sqlite).await } )+ }
        mod postgres { $( #[tokio::test(flavor = "multi_thread", worker_threads = 2)] async fn $name() { super::$name($crate::Backend::Postgres).await } )+ }
    };
}

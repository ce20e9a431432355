use std::{str::FromStr, time::Duration};

use sqlx::{
    Any, Transaction,
    any::{AnyPoolOptions, install_default_drivers},
    pool::Pool,
};

use crate::StoreError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl FromStr for Backend {
    type Err = String;
    fn from_str(url: &str) -> Result<Self, String> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            Err(format!("unsupported database URL (use sqlite://PATH or postgres://…): {url}"))
        }
    }
}

/// A write transaction. Everything a use case changes goes through one of these.
pub type Tx = Transaction<'static, Any>;

/// SQLite's page cache for a long write (an imported ledger), in KiB: its index pages stay
/// in memory instead of being read back and spilled to the log half-way (100,000 imported
/// rows: 47 s with the default 2 MiB, 31 s with this).
const LONG_WRITE_CACHE_KIB: i64 = 65_536;

/// Widens (`true`) or restores (`false`, before the commit) the page cache of a long
/// write's connection. PostgreSQL manages its own buffers: nothing to do there.
pub async fn long_write_cache(tx: &mut Tx, backend: Backend, wide: bool) -> Result<(), StoreError> {
    if backend == Backend::Sqlite {
        let kib = if wide { LONG_WRITE_CACHE_KIB } else { 2_000 };
        sqlx::query(sqlx::AssertSqlSafe(format!("PRAGMA cache_size = -{kib}"))).execute(&mut **tx).await?;
    }
    Ok(())
}

/// The database: a read pool and a write pool. On SQLite the write pool holds a single
/// connection, so writers queue in-process instead of failing with SQLITE_BUSY, while WAL
/// lets readers proceed; on PostgreSQL both are the same pool.
#[derive(Clone, Debug)]
pub struct Db {
    backend: Backend,
    read: Pool<Any>,
    write: Pool<Any>,
}

impl Db {
    /// Connects to `url`, creating a SQLite file (and its directory) when missing.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        install_default_drivers();
        let backend: Backend = url.parse().map_err(StoreError::Corrupt)?;
        match backend {
            Backend::Sqlite => {
                let url = sqlite_url(url)?;
                let read = sqlite_pool(&url, 4, false).await?;
                let write = sqlite_pool(&url, 1, true).await?;
                Ok(Self { backend, read, write })
            }
            Backend::Postgres => {
                let pool = AnyPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(10))
                    .after_connect(|conn, _| {
                        Box::pin(async move {
                            // Statements are prepared once per connection; left to choose, the
                            // planner re-plans the ledger's page (many subqueries: 1-4 ms of
                            // planning for 1 ms of execution) on every request.
                            sqlx::query("SET plan_cache_mode = force_generic_plan").execute(&mut *conn).await?;
                            Ok(())
                        })
                    })
                    .connect(url)
                    .await?;
                Ok(Self { backend, read: pool.clone(), write: pool })
            }
        }
    }

    /// Connects for reading only: the SQLite file must exist (nothing is created, not even its
    /// directory) and is opened read-only; PostgreSQL sessions are read-only. For tools that
    /// must leave the database exactly as they found it (`audit verify`).
    pub async fn connect_read_only(url: &str) -> Result<Self, StoreError> {
        install_default_drivers();
        let backend: Backend = url.parse().map_err(StoreError::Corrupt)?;
        match backend {
            Backend::Sqlite => {
                let rest = url.trim_start_matches("sqlite:").trim_start_matches("//");
                let path = rest.split_once('?').map_or(rest, |(p, _)| p);
                if !std::path::Path::new(path).is_file() {
                    return Err(StoreError::Corrupt(format!("there is no database at {path}")));
                }
                let pool = AnyPoolOptions::new()
                    .max_connections(1)
                    .acquire_timeout(Duration::from_secs(30))
                    .after_connect(|conn, _| {
                        Box::pin(async move {
                            for pragma in ["PRAGMA query_only = ON", "PRAGMA busy_timeout = 5000"] {
                                sqlx::query(pragma).execute(&mut *conn).await?;
                            }
                            Ok(())
                        })
                    })
                    .connect(&format!("sqlite://{path}?mode=ro"))
                    .await?;
                Ok(Self { backend, read: pool.clone(), write: pool })
            }
            Backend::Postgres => {
                let pool = AnyPoolOptions::new()
                    .max_connections(2)
                    .acquire_timeout(Duration::from_secs(10))
                    .after_connect(|conn, _| {
                        Box::pin(async move {
                            sqlx::query("SET default_transaction_read_only = on").execute(&mut *conn).await?;
                            Ok(())
                        })
                    })
                    .connect(url)
                    .await?;
                Ok(Self { backend, read: pool.clone(), write: pool })
            }
        }
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The pool for reads outside a transaction.
    pub fn reader(&self) -> &Pool<Any> {
        &self.read
    }

    pub async fn read(&self) -> Result<crate::PoolConn, StoreError> {
        Ok(self.read.acquire().await?)
    }

    pub async fn begin_write(&self) -> Result<Tx, StoreError> {
        match self.backend {
            // IMMEDIATE takes the write lock up front (waiting out `busy_timeout`): a deferred
            // transaction that read first fails at once with SQLITE_BUSY when another process
            // (a second instance, a command-line tool) has written since its read.
            Backend::Sqlite => Ok(self.write.begin_with("BEGIN IMMEDIATE").await?),
            Backend::Postgres => Ok(self.write.begin().await?),
        }
    }

    pub async fn close(&self) {
        self.read.close().await;
        self.write.close().await;
    }
}

/// Normalises `sqlite://path` / `sqlite:path`, creating the directory and asking for the
/// file to be created.
fn sqlite_url(url: &str) -> Result<String, StoreError> {
    let rest = url.trim_start_matches("sqlite:").trim_start_matches("//");
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if let Some(dir) = std::path::Path::new(path).parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir)
            .map_err(|e| StoreError::Corrupt(format!("cannot create {}: {e}", dir.display())))?;
    }
    let query = if query.contains("mode=") { query.to_owned() } else { format!("mode=rwc&{query}") };
    Ok(format!("sqlite://{path}?{}", query.trim_end_matches('&')))
}

/// `writer`: the pool of the one writing connection.
async fn sqlite_pool(url: &str, size: u32, writer: bool) -> Result<Pool<Any>, StoreError> {
    Ok(AnyPoolOptions::new()
        .max_connections(size)
        .acquire_timeout(Duration::from_secs(30))
        .after_connect(move |conn, _| {
            Box::pin(async move {
                for pragma in [
                    "PRAGMA journal_mode = WAL",
                    "PRAGMA foreign_keys = ON",
                    "PRAGMA busy_timeout = 5000",
                    "PRAGMA synchronous = NORMAL",
                    // Freed pages are zeroed, so replaced secrets do not linger in the file.
                    "PRAGMA secure_delete = ON",
                ] {
                    sqlx::query(pragma).execute(&mut *conn).await?;
                }
                // A multi-row INSERT inside a transaction keeps a statement journal (to undo
                // just that statement), spilled past 64 KiB to a temporary file: writing that
                // file was 8% of an import (100,000 rows: 29.8 s, 24.2 s in memory). It holds
                // one statement's pages at a time. Readers keep the default, so that a large
                // sort still spills to disk instead of growing the process.
                if writer {
                    sqlx::query("PRAGMA temp_store = MEMORY").execute(&mut *conn).await?;
                }
                Ok(())
            })
        })
        .connect(url)
        .await?)
}

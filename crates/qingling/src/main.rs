//! The `qingling` command: serve, migrate, demo.

use std::{net::SocketAddr, path::PathBuf, sync::Arc, time::Instant};

use app::{App, SystemClock};
use clap::{Parser, Subcommand};
use tokio::net::TcpListener;

const DEFAULT_DB: &str = "sqlite://./data/qingling.db";

#[derive(Parser)]
#[command(
    name = "qingling",
    version,
    about = "清零 · 问题线索台账与督办平台 / problem-lead ledger and supervision"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web UI and API. On an empty database, creates a `sysadmin` and prints its password once.
    Serve {
        #[arg(long, default_value = "127.0.0.1:8080", env = "QINGLING_LISTEN")]
        listen: SocketAddr,
        #[arg(long, default_value = DEFAULT_DB, env = "QINGLING_DATABASE_URL")]
        database_url: String,
        /// Mark cookies Secure (set when users reach Qingling over HTTPS).
        #[arg(long, env = "QINGLING_SECURE_COOKIES")]
        secure_cookies: bool,
    },
    /// Bring the database schema up to date and exit.
    Migrate {
        #[arg(long, default_value = DEFAULT_DB, env = "QINGLING_DATABASE_URL")]
        database_url: String,
    },
    /// Serve a demo data set (created on first start) from its own SQLite database.
    Demo {
        #[arg(long, default_value = "127.0.0.1:8080", env = "QINGLING_LISTEN")]
        listen: SocketAddr,
        #[arg(long, default_value = "./data/demo")]
        data_dir: PathBuf,
        /// How many leads the demo data set holds.
        #[arg(long, default_value_t = 3200)]
        leads: usize,
    },
}

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .init();
    if let Err(e) = run(Cli::parse()).await {
        eprintln!("qingling: {e}");
        std::process::exit(1);
    }
}

async fn open(url: &str) -> Result<App, String> {
    let db = store::Db::connect(url)
        .await
        .map_err(|e| format!("cannot open {url}: {e}"))?;
    let app = App::new(db, Arc::new(SystemClock));
    app.migrate()
        .await
        .map_err(|e| format!("migration failed: {e}"))?;
    Ok(app)
}

async fn listen(addr: SocketAddr) -> Result<TcpListener, String> {
    TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))
}

async fn run(cli: Cli) -> Result<(), String> {
    match cli.command {
        Command::Migrate { database_url } => {
            open(&database_url).await?;
            println!("数据库已是最新 / database schema is up to date");
            Ok(())
        }
        Command::Serve {
            listen: addr,
            database_url,
            secure_cookies,
        } => {
            let app = open(&database_url).await?;
            if let Some(b) = app.bootstrap_if_empty().await.map_err(|e| e.to_string())? {
                println!("已创建系统管理员 / created the first administrator:");
                println!("  用户名 username: {}", b.username);
                println!(
                    "  密码 password:   {}   (仅显示一次 / shown once; change it after signing in)",
                    b.password
                );
            }
            let listener = listen(addr).await?;
            println!(
                "Qingling 正在服务 / serving at http://{}",
                listener.local_addr().map_err(|e| e.to_string())?
            );
            web::serve(
                listener,
                web::AppState {
                    app,
                    secure_cookies,
                },
            )
            .await
            .map_err(|e| e.to_string())
        }
        Command::Demo {
            listen: addr,
            data_dir,
            leads,
        } => {
            let started = Instant::now();
            let url = format!("sqlite://{}", data_dir.join("qingling-demo.db").display());
            let app = open(&url).await?;
            if app.is_empty().await.map_err(|e| e.to_string())? {
                println!("正在生成演示数据 / creating the demo data set…");
                let s = app::demo::load(&app, leads)
                    .await
                    .map_err(|e| e.to_string())?;
                println!(
                    "  {} 个单位 units, {} 件线索 leads, 专项 campaign「{}」, 清零期限 clearance deadline {}",
                    s.units, s.leads, s.campaign, s.clearance_deadline
                );
            }
            let listener = listen(addr).await?;
            let local = listener.local_addr().map_err(|e| e.to_string())?;
            println!(
                "演示账号 / demo accounts (密码 password: {}):",
                app::demo::PASSWORD
            );
            for (user, what) in app::demo::ACCOUNTS {
                println!("  {user:<11} {what}");
            }
            println!(
                "Qingling 演示已就绪 / demo ready in {} ms at http://{local}",
                started.elapsed().as_millis()
            );
            web::serve(
                listener,
                web::AppState {
                    app,
                    secure_cookies: false,
                },
            )
            .await
            .map_err(|e| e.to_string())
        }
    }
}

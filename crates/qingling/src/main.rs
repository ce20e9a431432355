//! The `qingling` command: serve, migrate, demo, audit verify, keys rotate, import.

mod bench;
mod bench_files;
mod bench_office;
mod bench_reporting;
mod import;
mod progress;

use std::{net::SocketAddr, path::PathBuf, sync::Arc, time::Instant};

use app::{App, CipherKind, Keyring, SystemClock};
use clap::{Args, Parser, Subcommand};
use domain::protection::audit::HashAlgo;
use tokio::net::TcpListener;

/// Bulk imports and exports allocate and free millions of small values (rows, cells, bound
/// parameters); glibc's allocator spent a third of an import's time coalescing them.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const DEFAULT_DB: &str = "sqlite://./data/qingling.db";

#[derive(Parser)]
#[command(name = "qingling", version, about = "清零 · 问题线索台账与督办平台 / problem-lead ledger and supervision")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Where the data and its keys are.
#[derive(Args, Clone)]
pub struct Storage {
    #[arg(long, default_value = DEFAULT_DB, env = "QINGLING_DATABASE_URL")]
    database_url: String,
    /// The key file sealing reporter identity; created (mode 0600) at first start.
    #[arg(long, default_value = "./data/qingling.key", env = "QINGLING_KEY_FILE")]
    key_file: PathBuf,
    /// A key given directly (hex) instead of a key file.
    #[arg(long, env = "QINGLING_KEY", hide_env_values = true)]
    key: Option<String>,
    /// Cipher for new keys: aes256gcm (default) or sm4gcm (国密).
    #[arg(long, default_value = "aes256gcm", env = "QINGLING_CIPHER")]
    cipher: String,
    /// Hash of new audit entries: sha256 (default) or sm3 (国密).
    #[arg(long, default_value = "sha256", env = "QINGLING_AUDIT_HASH")]
    audit_hash: String,
}

/// The public reporting portal (网上举报): served on its own address, with only its own routes.
#[derive(clap::Args)]
struct PortalArgs {
    /// Serve the portal here (off when not given): publish this address, keep the staff one inside.
    #[arg(long, env = "QINGLING_PORTAL_LISTEN")]
    portal_listen: Option<SocketAddr>,
    /// Proof-of-work difficulty asked of a browser filing a report (leading zero bits).
    #[arg(long, env = "QINGLING_PORTAL_POW_BITS", default_value_t = 18)]
    portal_pow_bits: u8,
    /// Reports one address may file an hour.
    #[arg(long, env = "QINGLING_PORTAL_REPORTS_PER_HOUR", default_value_t = 5)]
    portal_reports_per_hour: u32,
}

impl PortalArgs {
    fn limits(&self) -> web::portal::PortalLimits {
        web::portal::PortalLimits {
            bits: self.portal_pow_bits,
            reports_per_hour: self.portal_reports_per_hour,
            ..Default::default()
        }
    }
}

/// Serves the staff site, and the portal beside it when asked.
async fn serve_both(
    listener: TcpListener,
    state: web::AppState,
    portal: Option<(TcpListener, web::portal::PortalLimits)>,
) -> Result<(), String> {
    let staff = web::serve(listener, state.clone());
    match portal {
        Some((l, limits)) => {
            let public = web::portal::serve(l, state, limits);
            tokio::try_join!(staff, public).map(|_| ()).map_err(|e| e.to_string())
        }
        None => staff.await.map_err(|e| e.to_string()),
    }
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web UI and API. On an empty database, creates a `sysadmin` and prints its password once.
    Serve {
        #[arg(long, default_value = "127.0.0.1:8080", env = "QINGLING_LISTEN")]
        listen: SocketAddr,
        #[command(flatten)]
        storage: Storage,
        /// Where this instance keeps its search index (each instance its own; rebuilt from the
        /// database when missing).
        #[arg(long, default_value = "./data/search", env = "QINGLING_SEARCH_DIR")]
        search_dir: PathBuf,
        /// Users reach Qingling over HTTPS: mark cookies Secure and send HSTS.
        #[arg(long, env = "QINGLING_SECURE_COOKIES")]
        secure_cookies: bool,
        /// An SMTP relay (host:port) for warning mail; off when not given.
        #[arg(long, env = "QINGLING_SMTP")]
        smtp: Option<String>,
        /// The sender address of warning mail.
        #[arg(long, env = "QINGLING_SMTP_FROM", default_value = "qingling@localhost")]
        smtp_from: String,
        /// How the relay connection is protected: none, starttls (refused if the relay cannot
        /// upgrade) or tls (SMTPS).
        #[arg(long, env = "QINGLING_SMTP_SECURITY", default_value = "none")]
        smtp_security: app::mail::Security,
        /// A user name for a relay that asks for one (the password in QINGLING_SMTP_PASSWORD).
        #[arg(long, env = "QINGLING_SMTP_USER")]
        smtp_user: Option<String>,
        #[arg(long, env = "QINGLING_SMTP_PASSWORD", hide_env_values = true)]
        smtp_password: Option<String>,
        /// A PEM file of certificate authorities to trust for the relay (an internal CA).
        #[arg(long, env = "QINGLING_SMTP_CA_FILE")]
        smtp_ca_file: Option<PathBuf>,
        /// A reverse proxy whose X-Forwarded-For names the client (repeat, or comma-separate
        /// in the variable); without it every client behind the proxy shares its address.
        #[arg(long, env = "QINGLING_TRUSTED_PROXIES", value_delimiter = ',')]
        trusted_proxy: Vec<std::net::IpAddr>,
        #[command(flatten)]
        portal: PortalArgs,
    },
    /// Bring the database schema up to date and exit.
    Migrate {
        #[command(flatten)]
        storage: Storage,
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
        /// The public reporting portal's address (网上举报).
        #[arg(long, default_value = "127.0.0.1:8081")]
        portal_listen: SocketAddr,
    },
    /// The audit trail.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Generate a benchmark data set (provincial scale) into an empty database.
    BenchData {
        #[arg(long, default_value_t = 100_000)]
        leads: usize,
        #[arg(long, default_value_t = 2_000)]
        units: usize,
        #[command(flatten)]
        storage: Storage,
    },
    /// Time the real server over HTTP against bare SQL on the same database (run bench-data first).
    Bench {
        #[arg(long, default_value_t = 400)]
        iterations: usize,
        #[arg(long, default_value = "bench.json")]
        out: PathBuf,
        #[command(flatten)]
        storage: Storage,
        /// The search index of the benchmark's instance (built first if missing).
        #[arg(long, default_value = "./data/bench-search")]
        search_dir: PathBuf,
        /// Only the figures whose names start with this (e.g. `S` for search and relations).
        #[arg(long)]
        only: Option<String>,
    },
    /// The working-day calendar: holidays and make-up working days (调休).
    Calendar {
        #[command(subcommand)]
        command: CalendarCommand,
    },
    /// Time importing a generated 100,000-row ledger, or exporting a whole ledger (issue 13).
    BenchOffice(bench_office::BenchOffice),
    /// Import a unit's own spreadsheet ledger (xlsx, xls, ods, CSV); exit status 2 when rows have errors.
    Import(import::ImportArgs),
    /// The search index.
    Search {
        #[command(subcommand)]
        command: SearchCommand,
    },
    /// The keys sealing reporter identity.
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check the whole hash chain; name the first broken link (exit status 1 if broken).
    Verify {
        #[command(flatten)]
        storage: Storage,
    },
}

#[derive(Subcommand)]
enum CalendarCommand {
    /// Print a year's holidays and make-up working days.
    Show {
        year: i32,
        #[command(flatten)]
        storage: Storage,
    },
    /// The date N working days after DATE (YYYY-MM-DD).
    AddWorkingDays {
        date: String,
        days: u32,
        #[command(flatten)]
        storage: Storage,
    },
    /// Load a year announced by the State Council (CSV: date,kind,name_en,name_zh) and
    /// recompute every provisional deadline.
    Load {
        file: PathBuf,
        #[command(flatten)]
        storage: Storage,
    },
}

#[derive(Subcommand)]
enum SearchCommand {
    /// Build the index in the search directory anew from the database (with the instance that
    /// uses it stopped; an instance also rebuilds a missing or damaged index by itself).
    Rebuild {
        #[command(flatten)]
        storage: Storage,
        #[arg(long, default_value = "./data/search", env = "QINGLING_SEARCH_DIR")]
        search_dir: PathBuf,
    },
}

#[derive(Subcommand)]
enum KeysCommand {
    /// Add a new key and re-seal every reporter under it; reads go on throughout.
    Rotate {
        #[command(flatten)]
        storage: Storage,
        /// Afterwards drop the old keys from the key file.
        #[arg(long)]
        retire_old: bool,
    },
}

#[tokio::main]
async fn main() {
    // Logs go to stderr, coloured only on a terminal: a file or a log collector gets plain
    // lines (and NO_COLOR is honoured on a terminal too).
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr()) && std::env::var_os("NO_COLOR").is_none();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(ansi)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .init();
    match run(Cli::parse()).await {
        Ok(code) => std::process::exit(code),
        Err(e) => {
            eprintln!("qingling: {e}");
            std::process::exit(1);
        }
    }
}

fn cipher(s: &Storage) -> Result<CipherKind, String> {
    CipherKind::from_code(&s.cipher).ok_or_else(|| format!("unknown cipher {:?} (aes256gcm or sm4gcm)", s.cipher))
}

async fn open(s: &Storage) -> Result<App, String> {
    let keyring = match &s.key {
        Some(hex) => Keyring::from_hex(cipher(s)?, hex)?,
        None => Keyring::open_or_create(&s.key_file, cipher(s)?)?,
    };
    let algo = HashAlgo::from_code(&s.audit_hash)
        .ok_or_else(|| format!("unknown audit hash {:?} (sha256 or sm3)", s.audit_hash))?;
    let db = store::Db::connect(&s.database_url).await.map_err(|e| format!("cannot open {}: {e}", s.database_url))?;
    let app = App::new(db, Arc::new(SystemClock), Arc::new(keyring)).with_audit_algo(algo);
    app.migrate().await.map_err(|e| format!("migration failed: {e}"))?;
    // Identities written before sealing existed, or left by an interrupted rotation.
    let sealed = app.reporters().reseal().await.map_err(|e| format!("sealing reporter identities failed: {e}"))?;
    if sealed > 0 {
        println!("已加密 {sealed} 条举报人身份 / sealed {sealed} reporter identities under the current key");
    }
    Ok(app)
}

/// The app with its search index kept in `dir`.
fn with_search(app: App, dir: &std::path::Path) -> Result<App, String> {
    app.with_search_dir(dir)
        .map_err(|e| format!("cannot open the search index in {} (is another instance using it?): {e}", dir.display()))
}

/// Background jobs (`app::jobs`), named after this process in their lease.
fn spawn_jobs(app: App) {
    app::jobs::spawn(app, format!("{}-{}", std::process::id(), rand_suffix()));
}

fn rand_suffix() -> String {
    let t = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    format!("{:x}", t.as_nanos())
}

async fn listen(addr: SocketAddr) -> Result<TcpListener, String> {
    TcpListener::bind(addr).await.map_err(|e| format!("cannot listen on {addr}: {e}"))
}

async fn run(cli: Cli) -> Result<i32, String> {
    match cli.command {
        Command::Migrate { storage } => {
            open(&storage).await?;
            println!("数据库已是最新 / database schema is up to date");
            Ok(0)
        }
        Command::Serve {
            listen: addr,
            storage,
            search_dir,
            secure_cookies,
            smtp,
            smtp_from,
            smtp_security,
            smtp_user,
            smtp_password,
            smtp_ca_file,
            trusted_proxy,
            portal,
        } => {
            let mut app = with_search(open(&storage).await?, &search_dir)?;
            if let Some(relay) = smtp {
                let credentials = match (smtp_user, smtp_password) {
                    (Some(u), Some(p)) => Some((u, p)),
                    (None, None) => None,
                    _ => return Err("give both QINGLING_SMTP_USER and QINGLING_SMTP_PASSWORD, or neither".into()),
                };
                let cfg = app::mail::MailConfig {
                    relay: relay.clone(),
                    from: smtp_from,
                    security: smtp_security,
                    credentials,
                    ca_file: smtp_ca_file,
                };
                app = app.with_mailer(app::mail::Mailer::new(&cfg)?);
                println!("预警邮件经 {relay} 发送 / warning mail through {relay} ({smtp_security:?})");
            }
            if let Some(b) = app.protection().bootstrap_if_empty().await.map_err(|e| e.to_string())? {
                println!("新库：已创建三名管理员（三员分立）/ new database: the three administrators were created:");
                for a in &b.accounts {
                    println!(
                        "  {} / {}: 用户名 username {}  密码 password {}",
                        a.role.zh(),
                        a.role.en(),
                        a.username,
                        a.password
                    );
                }
                println!("  密码仅显示一次，首次登录须修改 / shown once; each is changed at first sign-in.");
                println!("开始使用 / first steps:");
                for (i, (zh, en)) in app::FIRST_STEPS.iter().enumerate() {
                    println!("  {}. {zh}\n     {en}", i + 1);
                }
            }
            let listener = listen(addr).await?;
            let public = match portal.portal_listen {
                Some(a) => Some((listen(a).await?, portal.limits())),
                None => None,
            };
            spawn_jobs(app.clone());
            println!("Qingling 正在服务 / serving at http://{}", listener.local_addr().map_err(|e| e.to_string())?);
            if let Some((l, _)) = &public {
                println!("网上举报平台 / public portal at http://{}", l.local_addr().map_err(|e| e.to_string())?);
            }
            serve_both(listener, web::AppState::new(app, secure_cookies).trusting(trusted_proxy), public).await?;
            Ok(0)
        }
        Command::Demo { listen: addr, data_dir, leads, portal_listen } => {
            let started = Instant::now();
            let storage = Storage {
                database_url: format!("sqlite://{}", data_dir.join("qingling-demo.db").display()),
                key_file: data_dir.join("qingling-demo.key"),
                key: None,
                cipher: "aes256gcm".into(),
                audit_hash: "sha256".into(),
            };
            let app = with_search(open(&storage).await?, &data_dir.join("search"))?;
            if app.protection().is_empty().await.map_err(|e| e.to_string())? {
                println!("正在生成演示数据 / creating the demo data set…");
                let s = app::demo::load(&app, leads).await.map_err(|e| e.to_string())?;
                println!(
                    "  {} 个单位 units, {} 件线索 leads（另有 {} 件自台账导入 and {} imported from a spreadsheet ledger, {} 件关系网示例 for the relations graph）, {} 件查否复审 closures queued for review, 专项 campaign「{}」, 清零期限 clearance deadline {}",
                    s.units, s.leads, s.imported, s.imported, s.network, s.reviews, s.campaign, s.clearance_deadline
                );
                println!(
                    "  网上举报示例 / a portal report to follow: 查询码 receipt code {}  查询密码 passphrase {}",
                    s.portal_receipt,
                    app::demo::PORTAL_PASSPHRASE
                );
            }
            let listener = listen(addr).await?;
            spawn_jobs(app.clone());
            let local = listener.local_addr().map_err(|e| e.to_string())?;
            println!("演示账号 / demo accounts (密码 password: {}):", app::demo::PASSWORD);
            for (user, what) in app::demo::ACCOUNTS {
                println!("  {user:<11} {what}");
            }
            let public = listen(portal_listen).await?;
            println!("Qingling 演示已就绪 / demo ready in {} ms at http://{local}", started.elapsed().as_millis());
            println!("网上举报平台 / public portal at http://{}", public.local_addr().map_err(|e| e.to_string())?);
            let limits = web::portal::PortalLimits::default();
            serve_both(listener, web::AppState::new(app, false), Some((public, limits))).await?;
            Ok(0)
        }
        Command::Audit { command: AuditCommand::Verify { storage } } => {
            // Read-only, and no App: no key file, no data directory, no migration or sealing;
            // the database is left exactly as it was (it may be a copy, or on read-only media).
            let db = store::Db::connect_read_only(&storage.database_url)
                .await
                .map_err(|e| format!("cannot open {} read-only: {e}", storage.database_url))?;
            let started = Instant::now();
            let mut c = db.read().await.map_err(|e| e.to_string())?;
            let v = store::protection::audit::verify(&mut c).await.map_err(|e| e.to_string())?;
            let ms = started.elapsed().as_millis();
            match v.first_broken {
                None => {
                    println!("审计链完整 / audit chain intact: {} entries verified in {ms} ms", v.entries);
                    Ok(0)
                }
                Some((seq, why)) => {
                    println!(
                        "审计链已损坏 / audit chain BROKEN at entry #{seq}: {why} ({} entries intact before it)",
                        v.entries
                    );
                    Ok(1)
                }
            }
        }
        Command::Calendar { command } => calendar(command).await,
        Command::BenchOffice(b) => {
            let app = open(b.storage()).await?;
            bench_office::run(&app, &b).await?;
            Ok(0)
        }
        Command::Import(args) => {
            let app = open(args.storage()).await?;
            import::run(&app, args).await
        }
        Command::BenchData { leads, units, storage } => {
            let app = open(&storage).await?;
            if !app.protection().is_empty().await.map_err(|e| e.to_string())? {
                return Err("bench-data needs an empty database".into());
            }
            let s = app::bench_data::generate(&app, leads, units).await.map_err(|e| e.to_string())?;
            println!(
                "已生成 / generated {} leads over {} units in {:.1} s ({:.0} leads/s)",
                s.leads,
                s.units,
                s.seconds,
                s.leads as f64 / s.seconds
            );
            Ok(0)
        }
        Command::Bench { iterations, out, storage, search_dir, only } => {
            let app = with_search(open(&storage).await?, &search_dir)?;
            bench::run(app, iterations.max(4), &out, only.as_deref()).await?;
            Ok(0)
        }
        Command::Search { command: SearchCommand::Rebuild { storage, search_dir } } => {
            let app = with_search(open(&storage).await?, &search_dir)?;
            let started = Instant::now();
            let leads = app.search_rebuild().await.map_err(|e| e.to_string())?;
            println!(
                "已重建检索索引：{leads} 件线索，用时 {:.1} 秒 / search index rebuilt: {leads} leads in {:.1} s",
                started.elapsed().as_secs_f64(),
                started.elapsed().as_secs_f64()
            );
            Ok(0)
        }
        Command::Keys { command: KeysCommand::Rotate { storage, retire_old } } => {
            if storage.key.is_some() {
                return Err("keys rotate works on a key file; unset QINGLING_KEY / --key".into());
            }
            let app = open(&storage).await?;
            let id = app.keyring().add_new_key(cipher(&storage)?)?;
            println!("新密钥 / new key {id} added to {}", storage.key_file.display());
            let n = app.reporters().reseal().await.map_err(|e| e.to_string())?;
            println!("已重新加密 / re-sealed {n} reporter identities under {id}");
            let t = app.protection().reseal_totp_secrets().await.map_err(|e| e.to_string())?;
            println!("已重新加密 / re-sealed {t} second-factor secrets under {id}");
            for (table, n) in app.protection().reseal_stored().await.map_err(|e| e.to_string())? {
                println!("已重新加密 / re-sealed {n} rows of {} under {id}", table.name());
            }
            if retire_old {
                let dropped = app.keyring().retire_old_keys()?;
                println!("已移除旧密钥 / retired {dropped} old key(s)");
            }
            Ok(0)
        }
    }
}

/// The calendar in force, read without changing anything: the shipped days plus those added
/// to the database, if there is one (no database is created to answer).
async fn read_only_calendar(url: &str) -> Result<domain::lifecycle::calendar::WorkCalendar, String> {
    use domain::lifecycle::calendar::WorkCalendar;
    if let Some(path) = url.strip_prefix("sqlite:").map(|p| p.trim_start_matches("//"))
        && !std::path::Path::new(path.split_once('?').map_or(path, |(p, _)| p)).is_file()
    {
        return Ok(WorkCalendar::shipped());
    }
    let db = store::Db::connect_read_only(url).await.map_err(|e| format!("cannot open {url} read-only: {e}"))?;
    let mut c = db.read().await.map_err(|e| e.to_string())?;
    let added = store::lifecycle::deadlines::calendar_days(&mut c).await.map_err(|e| e.to_string())?;
    Ok(WorkCalendar::shipped_with(added))
}

async fn calendar(command: CalendarCommand) -> Result<i32, String> {
    match command {
        CalendarCommand::Show { year, storage } => {
            let cal = read_only_calendar(&storage.database_url).await?;
            if !cal.is_loaded(year) {
                println!("{year} 年的节假日尚未发布或导入；按周一至周五计算并标记为暂定。");
                println!(
                    "{year}'s holidays are not loaded: Monday to Friday counts, and such deadlines are provisional."
                );
                return Ok(0);
            }
            for d in cal.year(year) {
                let kind = match d.kind {
                    domain::lifecycle::calendar::DayKind::Holiday => "放假 holiday",
                    domain::lifecycle::calendar::DayKind::Workday => "调休上班 make-up workday",
                };
                println!("{}  {:<24} {} / {}", domain::dates::format_date(d.date), kind, d.name_zh, d.name_en);
            }
            Ok(0)
        }
        CalendarCommand::AddWorkingDays { date, days, storage } => {
            let cal = read_only_calendar(&storage.database_url).await?;
            let from = domain::dates::parse_date("date", &date).map_err(|e| e.message_en)?;
            let r = cal.add_working_days(from, days);
            println!(
                "{}{}",
                domain::dates::format_date(r.date),
                if r.provisional { "  (暂定 provisional: a year on the way is not loaded)" } else { "" }
            );
            Ok(0)
        }
        CalendarCommand::Load { file, storage } => {
            let app = open(&storage).await?;
            let csv = std::fs::read_to_string(&file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
            let (days, recomputed) =
                app.lifecycle().load_calendar_days_from_cli(&csv).await.map_err(|e| e.to_string())?;
            println!(
                "已导入 {days} 天，重新计算 {recomputed} 个暂定期限 / loaded {days} days, recomputed {recomputed} provisional deadlines"
            );
            Ok(0)
        }
    }
}

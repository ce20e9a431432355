//! `qingling import`: a unit's own spreadsheet ledger from the command line, with the same
//! reading, checks and single-transaction write as the import page.

use std::path::PathBuf;

use app::{App, AppError, ImportConfirm, ImportPreview, ImportSettings, Phase, Progress};
use clap::Args;
use serde_json::json;

use super::Storage;

#[derive(Args)]
pub struct ImportArgs {
    /// The ledger: xlsx, xls, ods, or CSV in UTF-8 or GB18030.
    file: PathBuf,
    /// The code of the unit whose ledger it is.
    #[arg(long)]
    unit: String,
    /// The account the import is recorded under (default: the first supervising committee account).
    #[arg(long = "as")]
    operator: Option<String>,
    /// Read and check every row, write nothing.
    #[arg(long)]
    dry_run: bool,
    /// Write the valid rows even if others have errors.
    #[arg(long)]
    skip_invalid: bool,
    /// Apply the rows that changed since the sheet was last imported.
    #[arg(long)]
    apply_changed: bool,
    /// The value table, JSON: {"source": {"群众来电": "petition_report"}, "category": {"": "other"}}.
    #[arg(long)]
    values: Option<PathBuf>,
    /// The sheet to read (default: the first visible one with a header).
    #[arg(long)]
    sheet: Option<String>,
    /// Print the outcome as JSON: rows, valid, invalid, new, unchanged, changed, written, errors.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    storage: Storage,
}

impl ImportArgs {
    pub fn storage(&self) -> &Storage {
        &self.storage
    }
}

fn say(e: &AppError) -> String {
    match e {
        AppError::Invalid(inv) => {
            inv.0.iter().map(|f| format!("{} / {}", f.message_zh, f.message_en)).collect::<Vec<_>>().join("\n")
        }
        AppError::NotFound => "找不到该账户或记录 / no such account or record".into(),
        AppError::Forbidden => "该账户不能登记线索 / this account cannot register leads".into(),
        other => other.to_string(),
    }
}

fn report(p: &ImportPreview, written: Option<(u32, u32)>, as_json: bool) {
    let c = &p.counts;
    if as_json {
        let errors: Vec<_> = p
            .problems
            .iter()
            .chain(&p.errors)
            .map(|e| json!({"row": e.row, "column": e.column, "message": e.message_zh, "message_en": e.message_en}))
            .collect();
        let out = json!({
            "rows": c.rows, "valid": c.valid, "invalid": c.invalid, "new": c.new,
            "unchanged": c.unchanged, "changed": c.changed,
            "written": written.map_or(0, |(w, _)| w), "updated": written.map_or(0, |(_, u)| u),
            "errors": errors,
        });
        println!("{out}");
        return;
    }
    println!(
        "{}：{} 行线索，有效 {}，有错误 {}；新线索 {}，未变 {}，有变化 {}（另有 {} 行空行、合计或签字行）",
        p.file_name, c.rows, c.valid, c.invalid, c.new, c.unchanged, c.changed, c.not_leads
    );
    println!(
        "{}: {} lead rows, {} valid, {} with errors; {} new, {} unchanged, {} changed ({} blank, total or signature rows)",
        p.file_name, c.rows, c.valid, c.invalid, c.new, c.unchanged, c.changed, c.not_leads
    );
    for e in p.problems.iter().chain(&p.errors) {
        let at = match (e.row, e.column.is_empty()) {
            (0, _) => String::new(),
            (r, true) => format!("第 {r} 行 row {r}"),
            (r, false) => format!("{}{r}", e.column),
        };
        println!("  {at}  {} / {}", e.message_zh, e.message_en);
    }
    if let Some((w, u)) = written {
        println!("已写入 {w} 条新线索，更新 {u} 条 / wrote {w} new leads, updated {u}");
    }
}

pub async fn run(app: &App, a: ImportArgs) -> Result<i32, String> {
    let bytes = std::fs::read(&a.file).map_err(|e| format!("cannot read {}: {e}", a.file.display()))?;
    let name = a.file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut settings = ImportSettings { sheet: a.sheet.clone(), ..ImportSettings::default() };
    if let Some(path) = &a.values {
        let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        settings.resolutions =
            serde_json::from_str(&text).map_err(|e| format!("{}: not a value table: {e}", path.display()))?;
    }
    let actor = app.protection().console_operator(a.operator.as_deref()).await.map_err(|e| say(&e))?;
    let keeper = actor.ledger_keeper().map_err(|e| say(&e))?;
    let units = app.ledger().registrable_units(&actor).await.map_err(|e| say(&e))?;
    let unit = units.iter().find(|u| u.code.as_str() == a.unit).ok_or_else(|| {
        format!(
            "单位 {} 不存在或不在 {} 的管辖范围内 / no unit {} within {}'s jurisdiction",
            a.unit, actor.username, a.unit, actor.username
        )
    })?;
    let preview = app.ledger().import_dry_run(&keeper, unit.id, &name, &bytes, &settings).await.map_err(|e| say(&e))?;
    let blocked = !preview.problems.is_empty() || (preview.counts.invalid > 0 && !a.skip_invalid);
    if a.dry_run || blocked {
        report(&preview, None, a.json);
        return Ok(if blocked { 2 } else { 0 });
    }
    if preview.counts.new == 0 && !(a.apply_changed && preview.counts.changed > 0) {
        // Every row is in the ledger already: a second run of the same sheet is no failure.
        report(&preview, Some((0, 0)), a.json);
        if !a.json {
            println!("没有需要写入的行 / nothing to write");
        }
        return Ok(0);
    }
    settings.sheet = settings.sheet.or_else(|| preview.sheets.iter().find(|s| s.chosen).map(|s| s.name.clone()));
    let id =
        app.ledger().import_upload_with(&keeper, unit.id, &name, &bytes, Some(&settings)).await.map_err(|e| say(&e))?;
    let confirm = ImportConfirm { skip_invalid: a.skip_invalid, apply_changed: a.apply_changed };
    let progress = Progress::new();
    let ledger = app.ledger();
    let written = ledger.import_confirm_watched(&keeper, id, confirm, &progress);
    let done = match crate::progress::follow(&progress, written).await {
        Ok(done) => done,
        Err(_) if progress.view().phase == Phase::Cancelled => {
            eprintln!("导入已取消，未写入任何数据 / import cancelled, nothing was written");
            return Ok(130);
        }
        Err(e) => return Err(say(&e)),
    };
    report(&preview, Some((done.written, done.updated)), a.json);
    Ok(0)
}

//! `qingling bench-office`: the spreadsheet work of issue 13 timed on a real database — a
//! generated 100,000-row ledger previewed and written, and a whole ledger exported — with the
//! process's peak resident memory, for docs/performance.md.

// A harness: a step it cannot take is a broken benchmark, and stopping there is the answer.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use app::{App, ImportConfirm, ImportSettings};
use clap::{Args, ValueEnum};
use office::ledger_book::{ColumnSpec, LedgerWriter, Value};
use serde_json::json;

use super::Storage;

#[derive(Clone, Copy, ValueEnum)]
pub enum Work {
    /// Generate a sheet, preview it (dry run), write it.
    Import,
    /// Export every lead the account sees.
    Export,
}

#[derive(Args)]
pub struct BenchOffice {
    work: Work,
    /// Rows of the generated sheet.
    #[arg(long, default_value_t = 100_000)]
    rows: usize,
    /// The unit the sheet is imported to.
    #[arg(long, default_value = "RMYY1")]
    unit: String,
    /// The account that imports or exports.
    #[arg(long = "as", default_value = "inspector")]
    operator: String,
    #[command(flatten)]
    storage: Storage,
}

impl BenchOffice {
    pub fn storage(&self) -> &Storage {
        &self.storage
    }
}

/// Peak resident memory so far (VmHWM), in MB.
fn peak_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse::<f64>().ok());
    kb.unwrap_or(0.0) / 1024.0
}

/// A unit's ledger as units keep them: a title and two header rows, dates written several
/// ways, several subjects in a cell, progress in the ledger's words.
fn sheet(rows: usize) -> Vec<u8> {
    let heads = [
        "序号",
        "线索编号",
        "线索来源",
        "受理时间",
        "被反映人",
        "单位",
        "职务",
        "反映的主要问题",
        "问题类别",
        "办理进展",
        "办结时限",
    ];
    let cols: Vec<ColumnSpec<'_>> = heads.iter().map(|h| ColumnSpec { header: h, width: 12.0, wrap: false }).collect();
    let mut w = LedgerWriter::new("台账", "某医院问题线索台账", ("填报单位：某医院", "填报时间：2019年7月20日"), &cols)
        .unwrap();
    let sources = ["信访举报", "市纪委交办", "巡察移交", "其它"];
    let progress = ["正在初核", "已办结", "已立案", "", "函询"];
    for i in 0..rows {
        let no = format!("BENCH-{i:06}");
        let (m, d) = (1 + (i % 12) as u8, 1 + (i % 28) as u8);
        let written = match i % 3 {
            0 => format!("2019.{m}.{d}"),
            1 => format!("2019年{m}月{d}日"),
            _ => String::new(),
        };
        let date = if written.is_empty() { Value::Date(2019, m, d) } else { Value::Text(&written) };
        let subjects = if i % 4 == 0 { format!("张{i}、李{i}") } else { format!("王{i}") };
        let summary = format!("反映第{i}号问题：违规收受医药代表回扣，为其产品进院提供便利。");
        w.row(&[
            Value::Number((i + 1) as f64),
            Value::Text(&no),
            Value::Text(sources[i % sources.len()]),
            date,
            Value::Text(&subjects),
            Value::Text("药剂科"),
            Value::Text("科长"),
            Value::Text(&summary),
            Value::Text("其他"),
            Value::Text(progress[i % progress.len()]),
            Value::Text("2019年12月31日前"),
        ])
        .unwrap();
    }
    w.finish(&format!("合计：{rows}件")).unwrap()
}

pub async fn run(app: &App, b: &BenchOffice) -> Result<(), String> {
    let actor = app.protection().console_operator(Some(&b.operator)).await.map_err(|e| e.to_string())?;
    match b.work {
        Work::Import => {
            let keeper = actor.ledger_keeper().map_err(|e| e.to_string())?;
            let units = app.ledger().registrable_units(&actor).await.map_err(|e| e.to_string())?;
            let unit = units.iter().find(|u| u.code.as_str() == b.unit).ok_or("no such unit")?.id;
            let t = Instant::now();
            let bytes = sheet(b.rows);
            let generated_s = t.elapsed().as_secs_f64();
            let settings = ImportSettings::default();
            let t = Instant::now();
            let p = app
                .ledger()
                .import_dry_run(&keeper, unit, "bench.xlsx", &bytes, &settings)
                .await
                .map_err(|e| e.to_string())?;
            let preview_s = t.elapsed().as_secs_f64();
            let preview_mb = peak_mb();
            let t = Instant::now();
            let id =
                app.ledger().import_upload(&keeper, unit, "bench.xlsx", &bytes).await.map_err(|e| e.to_string())?;
            let upload_s = t.elapsed().as_secs_f64();
            let t = Instant::now();
            let done = app
                .ledger()
                .import_confirm(&keeper, id, ImportConfirm { skip_invalid: true, apply_changed: false })
                .await
                .map_err(|e| e.to_string())?;
            let write_s = t.elapsed().as_secs_f64();
            let out = json!({
                "rows": b.rows, "file_mb": bytes.len() as f64 / 1048576.0, "generated_s": generated_s,
                "valid": p.counts.valid, "invalid": p.counts.invalid,
                "preview_s": preview_s, "peak_mb_after_preview": preview_mb,
                "upload_s": upload_s, "write_s": write_s, "written": done.written, "peak_mb": peak_mb(),
            });
            println!("{out}");
        }
        Work::Export => {
            let reader = actor.ledger().map_err(|e| e.to_string())?;
            let t = Instant::now();
            let (bytes, n) = app.ledger().export_xlsx(&reader, &Default::default()).await.map_err(|e| e.to_string())?;
            let out = json!({
                "leads": n, "file_mb": bytes.len() as f64 / 1048576.0, "export_s": t.elapsed().as_secs_f64(),
                "peak_mb": peak_mb(),
            });
            println!("{out}");
        }
    }
    Ok(())
}

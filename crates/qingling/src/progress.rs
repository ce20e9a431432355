//! A long write followed on the command line: a bar on a terminal, plain lines otherwise (a
//! log file or a pipe gets one line every few seconds, not a stream of carriage returns),
//! both on stderr so that `--json` output stays clean. Ctrl-C cancels until the commit.

use std::{future::Future, io::IsTerminal, time::Duration};

use app::{Phase, Progress, ProgressView};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Work done in under this long shows no progress at all.
const QUIET_FOR: Duration = Duration::from_secs(1);
/// How often a plain line is printed.
const LINE_EVERY: Duration = Duration::from_secs(2);

fn phase_words(p: Phase) -> (&'static str, &'static str) {
    match p {
        Phase::Checking => ("读取并检查", "reading and checking"),
        Phase::Writing => ("写入", "writing"),
        Phase::Committing => ("提交", "committing"),
        Phase::Done => ("完成", "done"),
        Phase::Failed => ("失败", "failed"),
        Phase::Cancelled => ("已取消", "cancelled"),
    }
}

/// One line of progress in both languages.
pub fn line(v: &ProgressView) -> String {
    let (zh, en) = phase_words(v.phase);
    let left = v.left_s.map_or(String::new(), |s| format!("，剩余约 {s} 秒"));
    let left_en = v.left_s.map_or(String::new(), |s| format!(", about {s} s left"));
    if v.total == 0 {
        return format!("{zh}… 已用 {} 秒 / {en}… {} s", v.elapsed_s, v.elapsed_s);
    }
    format!(
        "{zh} {}/{} 行（{}%），已用 {} 秒{left} / {en} {} of {} rows ({}%), {} s{left_en}",
        v.done,
        v.total,
        v.percent(),
        v.elapsed_s,
        v.done,
        v.total,
        v.percent(),
        v.elapsed_s
    )
}

async fn draw(p: Progress) {
    tokio::time::sleep(QUIET_FOR).await;
    if p.view().phase.finished() {
        return;
    }
    if std::io::stderr().is_terminal() {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        let style = ProgressStyle::with_template("{bar:32} {msg}").unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        loop {
            let v = p.view();
            if v.total > 0 {
                bar.set_length(v.total);
                bar.set_position(v.done.min(v.total));
            }
            bar.set_message(line(&v));
            if v.phase.finished() {
                bar.finish();
                return;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    } else {
        // A line every few seconds, and one at once when the work enters a new phase.
        let mut last: Option<(Phase, std::time::Instant)> = None;
        loop {
            let v = p.view();
            if v.phase.finished() {
                return;
            }
            if last.is_none_or(|(phase, at)| phase != v.phase || at.elapsed() >= LINE_EVERY) {
                eprintln!("{}", line(&v));
                last = Some((v.phase, std::time::Instant::now()));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

/// Runs `work`, drawing `progress` once it takes more than a second; Ctrl-C asks it to stop.
pub async fn follow<T>(progress: &Progress, work: impl Future<Output = T>) -> T {
    // Listening before the work starts: `ctrl_c()` listens from its first poll, and a work
    // that reads a sheet for seconds before it first yields left Ctrl-C to kill the process.
    let mut interrupt =
        tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt()).map_err(|e| e.to_string());
    if let Err(e) = &interrupt {
        eprintln!("Ctrl-C 无法取消导入 / Ctrl-C cannot cancel the import: {e}");
    }
    let drawer = tokio::spawn(draw(progress.clone()));
    tokio::pin!(work);
    let out = loop {
        let interrupted = async {
            match interrupt.as_mut() {
                Ok(s) => s.recv().await,
                Err(_) => std::future::pending().await,
            }
        };
        tokio::select! {
            out = &mut work => break out,
            Some(()) = interrupted => {
                if progress.cancel() {
                    eprintln!("正在取消，未写入任何数据… / cancelling, nothing will be written…");
                } else {
                    eprintln!("已在提交，不能再取消 / already committing, too late to cancel");
                }
            }
        }
    };
    // The bar draws its last state before it goes.
    let _ = tokio::time::timeout(Duration::from_millis(300), drawer).await;
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_says_rows_and_time_in_both_languages() {
        let p = Progress::new();
        assert!(
            line(&p.view()).starts_with("读取并检查… 已用 0 秒 / reading and checking… 0 s"),
            "{}",
            line(&p.view())
        );
        p.writing(200).unwrap();
        p.advance(50).unwrap();
        let l = line(&p.view());
        assert!(l.starts_with("写入 50/200 行（25%）"), "{l}");
        assert!(l.contains("writing 50 of 200 rows (25%)"), "{l}");
    }
}

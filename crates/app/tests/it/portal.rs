//! The public portal end to end (issue 16, point 2): a report filed anonymously after a proof
//! of work, followed with its receipt code and passphrase; the committee routes it, the unit asks
//! a question and registers it as a lead; the reporter answers, reads the result and rates it.
//! The raw database holds none of the code, the passphrase, the report or the messages.

use app::AppError;
use domain::reporters::{
    feedback::FeedbackInput,
    intake::{IntakeState, PortalReportInput, PortalStatus},
    portal::proof_holds,
};
use store::Backend;

use crate::support::*;

testkit::both!(a_portal_report_is_followed_from_filing_to_its_rating, a_proof_of_work_is_spent_once_and_expires);

const BITS: u8 = 8;
const WHAT: &str = "某医院设备科科长收受供应商回扣，金额约五万元";
const PASS: &str = "月光下的查询密码";
const ANSWER: &str = "回扣通过其亲属账户转入，时间是去年十月";
const FILE_MARK: &str = "转账记录：收款人钱某";

fn filed() -> PortalReportInput {
    PortalReportInput {
        about_name: "钱某".into(),
        about_unit: "甲医院".into(),
        about_post: "设备科科长".into(),
        what: WHAT.into(),
        passphrase: PASS.into(),
        passphrase_again: PASS.into(),
        acknowledged: "on".into(),
        ..Default::default()
    }
}

fn solve(token: &str) -> String {
    (0u64..).find(|n| proof_holds(token, *n, BITS)).unwrap().to_string()
}

fn code<T: std::fmt::Debug>(r: Result<T, AppError>) -> &'static str {
    match r {
        Err(AppError::Invalid(i)) => i.0[0].code,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// Everything the database keeps, as the disk (SQLite) or a dump (PostgreSQL) has it.
pub(crate) fn raw(w: &World) -> String {
    let url = &w._db.url;
    match w._db.backend {
        Backend::Sqlite => {
            let path = url.trim_start_matches("sqlite://");
            let mut bytes = std::fs::read(path).unwrap();
            bytes.extend(std::fs::read(format!("{path}-wal")).unwrap_or_default());
            String::from_utf8_lossy(&bytes).into_owned()
        }
        Backend::Postgres => {
            // PostgreSQL's own binaries first (the scripts' PG_BIN), then the client package's.
            let dirs = [std::env::var("PG_BIN").unwrap_or_default(), "/usr/lib/postgresql/15/bin".into()];
            let bin = dirs
                .iter()
                .map(|d| std::path::Path::new(d).join("pg_dump"))
                .find(|p| p.exists())
                .unwrap_or_else(|| "pg_dump".into());
            let out = std::process::Command::new(bin).arg("--data-only").arg(url).output().unwrap();
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            String::from_utf8_lossy(&out.stdout).into_owned()
        }
    }
}

async fn a_portal_report_is_followed_from_filing_to_its_rating(b: Backend) {
    let w = world(b).await;
    let r = w.app.reporters();
    let c = r.portal_challenge(BITS);
    let nonce = solve(&c.token);
    // Nothing in it: refused, nothing stored, the proof not spent.
    assert_eq!(code(r.portal_file(&PortalReportInput::default(), (&c.token, &nonce), BITS).await), "required");
    let receipt = r.portal_file(&filed(), (&c.token, &nonce), BITS).await.unwrap();
    let digits = receipt.code.replace(' ', "");
    let disk = raw(&w);
    for secret in [digits.as_str(), PASS, "设备科科长收受供应商回扣"] {
        assert!(!disk.contains(secret), "{secret} is on disk: only hashes and the sealed report are");
    }
    assert_eq!((digits.len(), receipt.code.len()), (16, 19), "{}", receipt.code);

    // The same answer for a wrong code and a wrong passphrase.
    let wrong_pass = r.portal_open(&receipt.code, "不是这个密码啊").await;
    let wrong_code = r.portal_open("0000 0000 0000 0000", PASS).await;
    assert_eq!((code(wrong_pass), code(wrong_code)), ("no_match", "no_match"));
    let token = r.portal_open(&digits, PASS).await.unwrap();
    let v = r.portal_view(&token).await.unwrap();
    assert_eq!((v.status, v.report.what.as_str()), (PortalStatus::Submitted, WHAT));
    assert!(matches!(r.portal_view("no-such-session").await, Err(AppError::Unauthenticated)));

    // The committee sees it unrouted; a hospital's inspector does not, until it is routed there.
    let (sup, insp_a, insp_b) = (actor(&w, "sup").await, actor(&w, "insp_a").await, actor(&w, "insp_b").await);
    let queue = r.intake(&sup, true, 1).await.unwrap();
    assert_eq!(queue.total, 1);
    let id = queue.items[0].id;
    assert_eq!(r.intake(&insp_a, true, 1).await.unwrap().total, 0);
    assert!(matches!(r.intake_route(&insp_a, id, &w.hospital_a.to_string()).await, Err(AppError::Forbidden)));
    r.intake_route(&sup, id, &w.hospital_a.to_string()).await.unwrap();
    assert!(matches!(r.intake_report(&insp_b, id).await, Err(AppError::NotFound)));
    let d = r.intake_report(&insp_a, id).await.unwrap();
    assert_eq!((d.item.state, d.report.about_name.as_str()), (IntakeState::Routed, "钱某"));
    r.intake_ask(&insp_a, id, "请问回扣是如何支付的？").await.unwrap();

    // The reporter reads the question and answers; the CSRF token of the session is required.
    let v = r.portal_view(&token).await.unwrap();
    assert_eq!(v.messages.len(), 1);
    assert!(matches!(r.portal_send(&token, "forged", ANSWER).await, Err(AppError::Forbidden)));
    r.portal_send(&token, &v.csrf, ANSWER).await.unwrap();
    let d = r.intake_report(&insp_a, id).await.unwrap();
    assert_eq!(d.messages.iter().map(|m| m.from_reporter).collect::<Vec<_>>(), [false, true]);
    // The reporter sends a file with the report; the intake reads it; it follows the report to its lead.
    let scan = format!("%PDF-1.4\n{}", FILE_MARK.repeat(200));
    assert!(matches!(
        r.portal_attach_begin(&token, "forged", "转账截图.pdf", scan.as_bytes()).await.map(|_| ()),
        Err(AppError::Forbidden)
    ));
    let mut up = r.portal_attach_begin(&token, &v.csrf, "转账截图.pdf", scan.as_bytes()).await.unwrap();
    r.attach_more(&mut up, scan.as_bytes()).await.unwrap();
    let sent = r.portal_attach_finish(up).await.unwrap();
    let d = r.intake_report(&insp_a, id).await.unwrap();
    assert_eq!(d.files.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(), ["转账截图.pdf"]);
    let mut file = r.intake_file_open(&insp_a, id, sent.id).await.unwrap();
    assert_eq!(file.next_chunk().await.unwrap().unwrap(), scan.as_bytes());
    assert!(matches!(r.intake_file_open(&insp_b, id, sent.id).await.map(|_| ()), Err(AppError::NotFound)));

    // Registered as a lead of the hospital: the reporter sees it accepted.
    let reg = app::IntakeRegisterInput {
        unit_id: w.hospital_a.to_string(),
        category: "work_style".into(),
        responsible_leader: "张副院长".into(),
        responsible_person: "李某某".into(),
        ..Default::default()
    };
    assert_eq!(
        code(
            r.intake_register(&insp_a, id, &app::IntakeRegisterInput { category: String::new(), ..reg.clone() }).await
        ),
        "required"
    );
    let lead = r.intake_register(&insp_a, id, &reg).await.unwrap();
    assert_eq!(code(r.intake_register(&insp_a, id, &reg).await), "moved_on", "registered once");
    assert_eq!(r.portal_view(&token).await.unwrap().status, PortalStatus::Accepted);
    // Once a lead, the report is read as the lead is: by its holder and the committee.
    assert_eq!(r.intake(&insp_a, false, 1).await.unwrap().total, 1);
    assert!(r.intake_report(&sup, id).await.is_ok());
    assert!(matches!(r.intake_report(&insp_b, id).await, Err(AppError::NotFound)));
    let keeper = insp_a.ledger_keeper().unwrap();
    let l = w.app.ledger().lead(keeper.reader(), lead).await.unwrap();
    assert!(l.summary.starts_with(WHAT) && l.subjects[0].name == "钱某");
    let on_lead = r.attachments(&insp_a, lead).await.unwrap();
    assert_eq!(on_lead.iter().map(|f| f.id).collect::<Vec<_>>(), [sent.id], "the reporter's file is the lead's now");

    // Concluded, the result told through the portal; the reporter rates it, once.
    close_as(&w, &keeper, lead, "confirmed").await;
    assert_eq!(r.portal_view(&token).await.unwrap().status, PortalStatus::Concluded);
    let told = FeedbackInput {
        kind: "result".into(),
        contacted_on: "2019-11-28".into(),
        method: "portal".into(),
        note: "经核查，反映问题属实，已给予钱某党内警告处分".into(),
        ..Default::default()
    };
    r.record_feedback(&insp_a, lead, &told).await.unwrap();
    let v = r.portal_view(&token).await.unwrap();
    assert_eq!(v.result.as_ref().map(|(_, t)| t.as_str()), Some("经核查，反映问题属实，已给予钱某党内警告处分"));
    assert!(v.may_rate);
    assert_eq!(code(r.portal_rate(&token, &v.csrf, "unsatisfied", "").await), "reasons_required");
    r.portal_rate(&token, &v.csrf, "unsatisfied", "处分偏轻").await.unwrap();
    let v = r.portal_view(&token).await.unwrap();
    assert!(!v.may_rate && v.rated == Some(domain::reporters::satisfaction::Satisfaction::Unsatisfied));
    assert_eq!(code(r.portal_rate(&token, &v.csrf, "satisfied", "").await), "not_owed");
    let rate = r.satisfaction(&sup, "2019-01-01", "2019-12-31").await.unwrap();
    assert_eq!((rate.total.followed_up, rate.total.unsatisfied), (1, 1));

    // Staff decisions are audited; the filing is not (it would time the reporter).
    let auditor = actor(&w, "auditor").await.audit_reader().unwrap();
    let all = w.app.protection().audit_entries(&auditor, &app::AuditQuery::default()).await.unwrap();
    let portal: Vec<String> =
        all.entries.iter().filter(|e| e.action.starts_with("portal.")).map(|e| e.action.clone()).collect();
    let decided: Vec<&String> =
        portal.iter().filter(|a| !matches!(a.as_str(), "portal.view" | "portal.list")).collect();
    assert_eq!(decided, ["portal.register", "portal.ask", "portal.route"], "newest first");
    assert!(portal.iter().any(|a| a == "portal.view") && portal.iter().any(|a| a == "portal.list"), "reads audited");

    // The disk holds no code, passphrase, report text or message.
    let csrf = r.portal_view(&token).await.unwrap().csrf;
    assert!(matches!(r.portal_leave(&token, "forged").await, Err(AppError::Forbidden)), "a forged leave ends nothing");
    r.portal_leave(&token, &csrf).await.unwrap();
    assert!(matches!(r.portal_view(&token).await, Err(AppError::Unauthenticated)), "left");
    let disk = raw(&w);
    // (The lead registered from it holds its text, as every lead does.)
    for secret in [digits.as_str(), PASS, ANSWER, "请问回扣是如何支付的", FILE_MARK, "转账截图"] {
        assert!(!disk.contains(secret), "{secret} is on disk");
    }
    assert!(disk.contains("设备科科长收受供应商回扣"), "the check can see plaintext: the lead's summary is there");
}

async fn a_proof_of_work_is_spent_once_and_expires(b: Backend) {
    let w = world(b).await;
    let r = w.app.reporters();
    let c = r.portal_challenge(BITS);
    assert_eq!(code(r.portal_file(&filed(), (&c.token, "x"), BITS).await), "proof_failed");
    let wrong = (0u64..).find(|n| !proof_holds(&c.token, *n, BITS)).unwrap().to_string();
    assert_eq!(code(r.portal_file(&filed(), (&c.token, &wrong), BITS).await), "proof_failed");
    assert_eq!(code(r.portal_file(&filed(), (&c.token, &solve(&c.token)), BITS + 4).await), "proof_failed", "too easy");
    let forged = c.token.replacen('.', ".1", 1);
    assert_eq!(code(r.portal_file(&filed(), (&forged, &solve(&forged)), BITS).await), "proof_failed", "not ours");
    let nonce = solve(&c.token);
    r.portal_file(&filed(), (&c.token, &nonce), BITS).await.unwrap();
    assert_eq!(code(r.portal_file(&filed(), (&c.token, &nonce), BITS).await), "proof_spent");
    let late = r.portal_challenge(BITS);
    w.clock.set(NOW + time::Duration::minutes(31));
    assert_eq!(code(r.portal_file(&filed(), (&late.token, &solve(&late.token)), BITS).await), "proof_failed");
    assert_eq!(r.intake(&actor(&w, "sup").await, true, 1).await.unwrap().total, 1, "one report kept");
}

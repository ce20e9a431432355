//! Reporters' identities leave the system only through a custodian (issue 13, point 2): an
//! export of a ledger view with identities is a custodian's, over their custody, with a
//! reason, audited; every other export leaves them out.

use app::{AppError, NewAccount};
use domain::{ledger::query::LedgerParams, protection::role::Role};
use office::sheet::LIMITS;
use store::Backend;

use crate::support::*;

testkit::both!(a_custodian_exports_identities_with_a_reason_and_nobody_else_does);

const SECRET: &str = "实名举报人诸葛某";
const PHONE: &str = "13611112222";

fn cells(bytes: &[u8]) -> String {
    let book = office::sheet::read(bytes, "ledger.xlsx", &LIMITS).unwrap();
    format!("{:?}", book.sheets[0].rows)
}

async fn a_custodian_exports_identities_with_a_reason_and_nobody_else_does(b: Backend) {
    let w = world(b).await;
    let keeper_a = actor(&w, "insp_a").await.ledger_keeper().unwrap();
    let mut signed = input(w.hospital_a, "反映某科长收受回扣", "钱某");
    signed.reporter.name = SECRET.into();
    signed.reporter.contact = PHONE.into();
    w.app.ledger().register(&keeper_a, &signed).await.unwrap();
    let mut anonymous = input(w.hospital_a, "反映某主任违规报销", "孙某");
    anonymous.reporter = domain::reporters::ReporterInput { kind: "anonymous".into(), ..Default::default() };
    w.app.ledger().register(&keeper_a, &anonymous).await.unwrap();
    let keeper_b = actor(&w, "insp_b").await.ledger_keeper().unwrap();
    let mut other = input(w.hospital_b, "反映乙医院某科长吃拿卡要", "周某");
    other.reporter.name = "乙医院举报人".into();
    w.app.ledger().register(&keeper_b, &other).await.unwrap();
    // A custodian of 乙医院's identities who also reads 甲医院's ledger (as its head).
    w.app
        .protection()
        .create_account(&NewAccount {
            username: "cust_b",
            display_name: "cust_b",
            unit: w.hospital_b,
            password: PW,
            must_change_password: false,
            real_name: "",
            id_number: "",
            roles: &[(Role::Custodian, w.hospital_b), (Role::UnitHead, w.hospital_a)],
        })
        .await
        .unwrap();

    // The plain export of the same view, even a custodian's, holds no identity.
    let cust = actor(&w, "cust").await;
    let whole = LedgerParams::default();
    let (plain, n) = w.app.ledger().export_xlsx(&cust.ledger().unwrap(), &whole).await.unwrap();
    assert_eq!(n, 3);
    let plain = cells(&plain);
    assert!(
        plain.contains("钱某") && !plain.contains(SECRET) && !plain.contains(PHONE) && !plain.contains("举报人姓名")
    );

    // Only a custodian may ask, and only with a reason.
    let insp = actor(&w, "insp_a").await;
    assert!(matches!(insp.identity_custodian(), Err(AppError::Forbidden)));
    let custodian = cust.identity_custodian().unwrap();
    for no_reason in ["", "  ", "看看"] {
        assert!(matches!(custodian.identity_export(no_reason), Err(AppError::Invalid(_))), "{no_reason:?}");
    }
    let why = "向实名举报人集中反馈办理结果";
    let asked = custodian.identity_export(why).unwrap();

    // 甲医院's view: both its leads, the signed one with name and number, the other 匿名.
    let view = LedgerParams { unit_id: w.hospital_a.to_string(), ..Default::default() };
    assert_eq!(w.app.reporters().identity_export_count(&custodian, &view).await.unwrap(), (2, 1));
    let (bytes, n) = w.app.ledger().export_identities_xlsx(&cust.ledger().unwrap(), &view, &asked).await.unwrap();
    assert_eq!(n, 2);
    let shown = cells(&bytes);
    assert!(shown.contains("举报人姓名") && shown.contains(SECRET) && shown.contains(PHONE), "{shown}");
    assert!(shown.contains("匿名") && shown.contains("合计：2件") && !shown.contains("乙医院举报人"), "{shown}");

    // That custodian exports 乙医院's identities only, whatever the view and their ledger hold.
    let cust_b = actor(&w, "cust_b").await;
    assert_eq!(w.app.ledger().list(&cust_b.ledger().unwrap(), &whole).await.unwrap().total, 3);
    let custodian_b = cust_b.identity_custodian().unwrap();
    assert_eq!(w.app.reporters().identity_export_count(&custodian_b, &whole).await.unwrap(), (1, 1));
    let asked_b = custodian_b.identity_export(why).unwrap();
    let (bytes, n) = w.app.ledger().export_identities_xlsx(&cust_b.ledger().unwrap(), &whole, &asked_b).await.unwrap();
    let shown = cells(&bytes);
    assert!(n == 1 && shown.contains("乙医院举报人") && !shown.contains(SECRET), "{shown}");
    let (_, n) = w.app.ledger().export_identities_xlsx(&cust_b.ledger().unwrap(), &view, &asked_b).await.unwrap();
    assert_eq!(n, 0, "甲医院 is outside 乙医院's custody");

    // Each identity export is in the trail, with its reason and count, never the identities.
    let auditor = actor(&w, "auditor").await.audit_reader().unwrap();
    let q = app::AuditQuery { action: "reporter.export".into(), ..Default::default() };
    let trail = w.app.protection().audit_entries(&auditor, &q).await.unwrap();
    assert_eq!(trail.total, 3);
    let mine = trail.entries.iter().find(|e| e.actor_name == "cust").unwrap();
    let detail: serde_json::Value = serde_json::from_str(mine.detail.as_deref().unwrap()).unwrap();
    assert_eq!((detail["reason"].as_str(), detail["exported"].as_u64()), (Some(why), Some(2)));
    assert!(!format!("{:?}", trail.entries).contains(SECRET));
    let q = app::AuditQuery { action: "ledger.export".into(), ..Default::default() };
    assert_eq!(w.app.protection().audit_entries(&auditor, &q).await.unwrap().total, 1, "the plain export");
}

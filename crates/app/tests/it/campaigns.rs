//! Campaigns (专项工作) kept by the supervising committee (issue 11): created as a copy of
//! last year's, corrected within what its leads allow, closed.

use app::AppError;
use domain::ledger::campaign_input::CampaignInput;
use store::Backend;

use crate::support::*;

testkit::both!(a_supervisor_creates_corrects_and_closes_campaigns);

fn codes(e: AppError) -> Vec<(String, &'static str)> {
    match e {
        AppError::Invalid(i) => i.0.into_iter().map(|f| (f.field, f.code)).collect(),
        other => panic!("expected field errors, got {other:?}"),
    }
}

async fn a_supervisor_creates_corrects_and_closes_campaigns(b: Backend) {
    let w = world(b).await;
    let sup = actor(&w, "sup").await;
    let keeper = actor(&w, "insp_a").await.ledger_keeper().unwrap();
    let book = w.app.ledger().campaigns(&sup).await.unwrap();
    assert_eq!(book.items.len(), 1);
    assert!(book.may_manage && book.items[0].current);
    let first = book.items[0].campaign.id;
    // Only supervisors keep campaigns; the committee head reads them; an inspector neither.
    let chief = actor(&w, "chief").await;
    assert!(!w.app.ledger().campaigns(&chief).await.unwrap().may_manage);
    assert!(matches!(w.app.ledger().create_campaign(&chief, &book.template).await, Err(AppError::Forbidden)));
    assert!(matches!(w.app.ledger().campaigns(keeper.reader().actor()).await, Err(AppError::Forbidden)));

    // With the only campaign closed, a lead is still registered: as ordinary handling.
    w.app.ledger().close_campaign(&sup, first).await.unwrap();
    assert_eq!(codes(w.app.ledger().close_campaign(&sup, first).await.unwrap_err()), [("campaign".into(), "closed")]);
    let ordinary = w
        .app
        .ledger()
        .register(&keeper, &input(w.hospital_a, "专项结束后登记", "钱某"))
        .await
        .unwrap()
        .into_visible()
        .unwrap();
    assert_eq!((ordinary.campaign_id, ordinary.stock_class), (None, domain::ledger::campaign::StockClass::Ordinary));
    assert_eq!(ordinary.deadline, time::macros::date!(2019 - 06 - 06), "one month from receipt, no clearance cap");

    // Next year's from the template (last year's a year later): registration works again.
    let template = w.app.ledger().campaigns(&sup).await.unwrap().template;
    assert_eq!((template.stock_cutoff.as_str(), template.report_due.as_str()), ("2020-06-30", "2020-12-10"));
    let mut bad = template.clone();
    bad.clearance_deadline = bad.stock_cutoff.clone();
    assert_eq!(codes(w.app.ledger().create_campaign(&sup, &bad).await.unwrap_err())[0].1, "before_cutoff");
    let next = w.app.ledger().create_campaign(&sup, &template).await.unwrap();
    let mut i = input(w.hospital_a, "新专项下登记", "钱某");
    i.received_on = "2020-05-06".into();
    w.clock.set(NOW + time::Duration::days(366));
    let lead = w.app.ledger().register(&keeper, &i).await.unwrap().into_visible().unwrap();
    assert_eq!(lead.campaign_id, Some(next));
    assert_eq!(lead.stock_class, domain::ledger::campaign::StockClass::Stock, "received before the 2020 cut-off");
    // The new campaign took in the ordinary lead its scope covers, as stock.
    let reader = keeper.reader();
    let adopted = w.app.ledger().lead(reader, ordinary.id).await.unwrap();
    assert_eq!((adopted.campaign_id, adopted.stock_class), (Some(next), domain::ledger::campaign::StockClass::Stock));
    // A category the campaign does not count stays ordinary.
    let mut style = input(w.hospital_a, "作风问题", "钱某");
    style.category = "work_style".into();
    style.received_on = "2020-05-07".into();
    let style = w.app.ledger().register(&keeper, &style).await.unwrap().into_visible().unwrap();
    assert_eq!(style.campaign_id, None);

    // Once it holds leads, its cut-off and clearance deadline stay; the rest may be corrected.
    let mut moved = template.clone();
    moved.stock_cutoff = "2020-07-31".into();
    moved.name = "2020年测试专项（更正）".into();
    let fixed = codes(w.app.ledger().update_campaign(&sup, next, &moved).await.unwrap_err());
    assert_eq!(fixed, [("stock_cutoff".into(), "fixed")]);
    let renamed = CampaignInput { name: "2020年测试专项（更正）".into(), ..template.clone() };
    w.app.ledger().update_campaign(&sup, next, &renamed).await.unwrap();
    let book = w.app.ledger().campaigns(&sup).await.unwrap();
    assert_eq!(
        book.items.iter().map(|r| (r.campaign.plan.name.as_str(), r.closed, r.leads)).collect::<Vec<_>>(),
        [
            ("2020年测试专项(更正)", false, 2), // one-line texts are stored NFKC
            ("测试专项", true, 0)
        ]
    );
    assert_eq!(codes(w.app.ledger().update_campaign(&sup, first, &renamed).await.unwrap_err())[0].1, "closed");
    let auditor = actor(&w, "auditor").await.audit_reader().unwrap();
    for action in ["campaign.create", "campaign.update", "campaign.close"] {
        let q = app::AuditQuery { action: action.into(), ..Default::default() };
        assert_eq!(w.app.protection().audit_entries(&auditor, &q).await.unwrap().total, 1, "{action}");
    }
}

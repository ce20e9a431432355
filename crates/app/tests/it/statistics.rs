//! Statistics (issue 17, point 1) against a hand-counted fixture: a month's figures per unit
//! with subtrees summed, the period before, the whole system, scope, and the closing day kept
//! by the lifecycle (a reopened lead is no longer closed).

use app::AppError;
use domain::reporting::{
    figures::{Count, Rate},
    period::PeriodInput,
};
use store::Backend;

use crate::support::*;

testkit::both!(a_months_figures_are_the_hand_counted_ones);

fn month(m: &str) -> PeriodInput {
    PeriodInput { period: m.into(), ..Default::default() }
}

async fn a_months_figures_are_the_hand_counted_ones(b: Backend) {
    let w = world(b).await;
    let (insp_a, insp_b, sup) = (actor(&w, "insp_a").await, actor(&w, "insp_b").await, actor(&w, "sup").await);
    let dept = unit_by_code(&w, "YYAKS").await;
    let lead = ("统计测试线索", "赵某");
    // 甲医院: two stock leads closed today (2019-11-28; one confirmed, one 查否), a stock lead
    // past its deadline, a new lead of November; its 药剂科 a new lead of November.
    // 乙医院: a new lead of October.
    let a1 = register_dated(&w, &insp_a, w.hospital_a, lead, ("2019-05-06", "")).await;
    let a2 = register_dated(&w, &insp_a, w.hospital_a, lead, ("2019-05-06", "")).await;
    register_dated(&w, &insp_a, w.hospital_a, lead, ("2019-05-06", "2019-11-20")).await;
    register_dated(&w, &insp_a, w.hospital_a, lead, ("2019-11-05", "")).await;
    let d1 = register_dated(&w, &insp_a, dept, lead, ("2019-11-10", "")).await;
    register_dated(&w, &insp_b, w.hospital_b, lead, ("2019-10-15", "")).await;
    let keeper = insp_a.ledger_keeper().unwrap();
    close_as(&w, &keeper, a1, "confirmed").await;
    close_as(&w, &keeper, a2, "unfounded").await;
    // The acceptance notices of November's two signed reports fall due on 11-26 and 11-29
    // (15 working days); only 药剂科's is given, today, in time.
    tell(&w, "insp_a", d1, "acceptance").await.unwrap();

    let r = w.app.reporting();
    let s = r.statistics(&sup, None, None, &month("2019-11")).await.unwrap();
    assert_eq!(
        (s.unit_id, s.period.label(false), s.previous_period.label(false)),
        (w.committee, "2019年11月".into(), "2019年10月".into())
    );
    let names: Vec<(&str, bool)> = s.rows.iter().map(|r| (r.unit_name.as_str(), r.own_only)).collect();
    assert_eq!(names, [("甲医院", false), ("乙医院", false)], "the committee has no leads of its own");
    let a = &s.rows[0];
    let expect = [
        (Count::Received, 2),
        (Count::NewReceived, 2),
        (Count::Closed, 2),
        (Count::StockTotal, 3),
        (Count::StockCleared, 2),
        (Count::ReceivedToDate, 5),
        (Count::ClosedToDate, 2),
        (Count::ConfirmedToDate, 1),
        (Count::OverdueNow, 1),
        (Count::OverdueEver, 1),
        (Count::PreliminaryVerification, 2),
        (Count::Form1, 1),
        (Count::Institutions, 0),
        (Count::FeedbackDue, 2),
        (Count::FeedbackOnTime, 1),
    ];
    for (count, n) in expect {
        assert_eq!(a.count(count), n, "甲医院 {count:?}");
    }
    let rate = |row: &app::StatRow, r: Rate| row.rates.iter().find(|x| x.rate == r).unwrap().permille;
    assert_eq!(rate(a, Rate::Clearance), Some(667), "2 of 3");
    assert_eq!(rate(a, Rate::Closure), Some(400), "2 of 5");
    assert_eq!(rate(a, Rate::Confirmation), Some(500), "1 of 2");
    assert_eq!(rate(a, Rate::Satisfaction), None, "nobody followed up");
    let b_row = &s.rows[1];
    assert_eq!((b_row.count(Count::Received), b_row.previous.get(Count::Received)), (0, 1), "October's lead");
    assert_eq!(b_row.count(Count::ReceivedToDate), 1);
    assert_eq!(s.total.count(Count::Received), 2);
    assert_eq!(s.total.count(Count::ReceivedToDate), 6);
    use domain::{
        ledger::lead::{Category, Source},
        lifecycle::conclusion::Sanction,
    };
    let by = |s: &app::Statistics| {
        let c: Vec<(Category, i64)> = s.by_category.iter().map(|x| (x.category, x.count)).collect();
        let o: Vec<(Source, i64)> = s.by_source.iter().map(|x| (x.source, x.count)).collect();
        let x: Vec<(Sanction, i64)> = s.by_sanction.iter().map(|x| (x.sanction, x.count)).collect();
        (c, o, x)
    };
    let (cat, src, san) = by(&s);
    assert_eq!(cat, [(Category::ProtectiveUmbrella, 2)], "November's two, by category");
    assert_eq!(src, [(Source::PetitionReport, 2)]);
    assert_eq!(san, [(Sanction::Criticism, 1)], "the confirmed lead's subject");
    let system_closure = s.system.iter().find(|x| x.rate == Rate::Closure).unwrap().permille;
    assert_eq!(system_closure, Some(333), "2 of 6 in the whole system");

    // 甲医院's inspector: its 本级 leads and its 药剂科 as rows, nothing of 乙医院.
    let s = r.statistics(&insp_a, None, None, &month("2019-11")).await.unwrap();
    let names: Vec<(&str, bool)> = s.rows.iter().map(|r| (r.unit_name.as_str(), r.own_only)).collect();
    assert_eq!(names, [("甲医院", true), ("甲医院药剂科", false)]);
    assert_eq!((s.rows[0].count(Count::Received), s.rows[1].count(Count::Received)), (1, 1));
    assert_eq!(s.total.count(Count::ReceivedToDate), 5);
    assert_eq!(s.system.iter().find(|x| x.rate == Rate::Closure).unwrap().permille, Some(333), "compared with all");
    assert!(matches!(r.statistics(&insp_a, None, Some(w.hospital_b), &month("")).await, Err(AppError::NotFound)));
    let bad = r.statistics(&insp_a, None, None, &month("2019-13")).await;
    assert!(matches!(bad, Err(AppError::Invalid(i)) if i.0[0].code == "invalid_period"));

    // The closing days the lifecycle kept are those the migration derives from the timeline.
    let days = async || -> Vec<(i64, Option<String>)> {
        sqlx::query_as("SELECT id, closed_on FROM leads ORDER BY id").fetch_all(w.app.db().reader()).await.unwrap()
    };
    let kept = days().await;
    assert_eq!(kept.iter().filter(|(_, d)| d.as_deref() == Some("2019-11-28")).count(), 2, "{kept:?}");
    let mut tx = w.app.db().begin_write().await.unwrap();
    sqlx::query("UPDATE leads SET closed_on = NULL").execute(&mut *tx).await.unwrap();
    store::lifecycle::timeline::fill_closed_on(&mut tx).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(days().await, kept, "derived again from the timeline");

    // The campaign as the period: everything since its start; a reopened lead is open again.
    let reopen = app::StepInput { step: "reopen".into(), note: "收到新材料".into(), ..Default::default() };
    w.app.lifecycle().take_step(&keeper, a2, &reopen).await.unwrap();
    approve_pending(&w).await;
    let s = r.statistics(&sup, None, None, &month("campaign")).await.unwrap();
    assert_eq!(s.rows[0].count(Count::ClosedToDate), 1, "the reopened lead no longer counts as closed");
    assert_eq!(s.rows[0].count(Count::StockCleared), 1);
    assert_eq!(s.previous_campaign, None, "the first campaign has none before it");

    // Next year's campaign over the campaign is compared with this one, over its own dates.
    let template = w.app.ledger().campaigns(&sup).await.unwrap().template;
    let next = w.app.ledger().create_campaign(&sup, &template).await.unwrap();
    let n = r.statistics(&sup, Some(next), None, &month("campaign")).await.unwrap();
    assert_eq!(n.previous_campaign.as_deref(), Some(s.campaign.as_str()));
    assert_eq!((n.previous_period.from, n.previous_period.to), (s.period.from, s.period.to));
    for c in [Count::ReceivedToDate, Count::ClosedToDate, Count::StockTotal, Count::StockCleared] {
        assert_eq!(n.total.previous.get(c), s.total.count(c), "{c:?}: last campaign's figure");
        assert_eq!(n.total.count(c), 0, "{c:?}: nothing in the new one yet");
    }
    // A month stays compared with the month before.
    let m = r.statistics(&sup, Some(next), None, &month("2019-11")).await.unwrap();
    assert_eq!((m.previous_campaign, m.previous_period.label(false)), (None, "2019年10月".into()));
}

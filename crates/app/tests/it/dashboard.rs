//! The dashboard (issue 17, point 2) against a hand-counted fixture: the burn-down, each unit's
//! forecast (the one that will miss first), the ranking, the monthly trend and overdue ageing,
//! and an inspector's view of their own unit.

use domain::reporting::trend::Ageing;
use store::Backend;
use time::macros::date;

use crate::support::*;

testkit::both!(the_dashboard_counts_and_forecasts_the_hand_counted_leads);

async fn the_dashboard_counts_and_forecasts_the_hand_counted_leads(b: Backend) {
    let w = world(b).await;
    let (insp_a, insp_b, sup) = (actor(&w, "insp_a").await, actor(&w, "insp_b").await, actor(&w, "sup").await);
    let dept = unit_by_code(&w, "YYAKS").await;
    let lead = ("看板测试线索", "钱某");
    // Today is 2019-11-28; the campaign runs from 08-01 and its stock is due by 12-31.
    // 甲医院: three stock leads, two closed today, one 8 days past its deadline; a new lead of
    // November; its 药剂科 a new lead of November. 乙医院: a stock lead nobody is clearing, and a
    // new lead of October.
    let a1 = register_dated(&w, &insp_a, w.hospital_a, lead, ("2019-05-06", "")).await;
    let a2 = register_dated(&w, &insp_a, w.hospital_a, lead, ("2019-05-06", "")).await;
    register_dated(&w, &insp_a, w.hospital_a, lead, ("2019-05-06", "2019-11-20")).await;
    register_dated(&w, &insp_a, w.hospital_a, lead, ("2019-11-05", "")).await;
    register_dated(&w, &insp_a, dept, lead, ("2019-11-10", "")).await;
    register_dated(&w, &insp_b, w.hospital_b, lead, ("2019-05-06", "2019-12-20")).await;
    register_dated(&w, &insp_b, w.hospital_b, lead, ("2019-10-15", "2019-12-15")).await;
    let keeper = insp_a.ledger_keeper().unwrap();
    close_as(&w, &keeper, a1, "confirmed").await;
    close_as(&w, &keeper, a2, "unfounded").await;

    let d = w.app.reporting().dashboard(&sup, None, None).await.unwrap();
    assert_eq!((d.unit_id, d.today, d.clearance_deadline), (w.committee, date!(2019 - 11 - 28), date!(2019 - 12 - 31)));
    // 08-01 and every week after it to 11-21, then today: four stock leads, two left today.
    assert_eq!(d.burn_down.len(), 18);
    assert_eq!((d.burn_down[0].day, d.burn_down[0].left), (date!(2019 - 08 - 01), 4));
    assert_eq!(d.burn_down[16].left, 4);
    assert_eq!((d.burn_down[17].day, d.burn_down[17].left), (date!(2019 - 11 - 28), 2));
    // Two cleared in the last four weeks: half a lead a week, two left → 28 days → 12-26.
    assert_eq!((d.forecast.remaining, d.forecast.pace_per_week), (2, 0.5));
    assert_eq!((d.forecast.zero_on, d.forecast.will_miss), (Some(date!(2019 - 12 - 26)), false));
    assert_eq!(d.clearance, Some(500));
    // 乙医院 clears nothing: it will miss and is listed first; 甲医院 is clear by 12-12.
    let units: Vec<(&str, bool, Option<time::Date>)> =
        d.units.iter().map(|u| (u.unit_name.as_str(), u.forecast.will_miss, u.forecast.zero_on)).collect();
    assert_eq!(units, [("乙医院", true, None), ("甲医院", false, Some(date!(2019 - 12 - 12)))]);
    assert!((d.units[0].forecast.needed_per_week - 7.0 / 33.0).abs() < 1e-9, "one lead in 33 days");
    let ranking: Vec<(&str, Option<u32>)> = d.ranking.iter().map(|u| (u.unit_name.as_str(), u.clearance)).collect();
    assert_eq!(ranking, [("甲医院", Some(667)), ("乙医院", Some(0))]);
    // The months of the campaign: stock received before it began is not in its trend.
    let trend: Vec<(&str, i64, i64)> = d.trend.iter().map(|m| (m.month.as_str(), m.received, m.closed)).collect();
    assert_eq!(trend, [("2019-08", 0, 0), ("2019-09", 0, 0), ("2019-10", 1, 0), ("2019-11", 2, 2)]);
    let ageing: Vec<(Ageing, i64)> = d.ageing.iter().map(|a| (a.ageing, a.count)).collect();
    assert_eq!(ageing, [(Ageing::Week, 0), (Ageing::Month, 1), (Ageing::Quarter, 0), (Ageing::Longer, 0)]);
    assert_eq!(
        (d.ageing[1].deadline_from, d.ageing[1].deadline_to),
        (Some(date!(2019 - 10 - 29)), date!(2019 - 11 - 20))
    );

    // 甲医院's inspector: its own subtree only; 药剂科 has no stock, so no forecast row and no rate.
    let d = w.app.reporting().dashboard(&insp_a, None, None).await.unwrap();
    assert_eq!((d.unit_id, d.forecast.remaining, d.clearance), (w.hospital_a, 1, Some(667)));
    assert!(d.units.is_empty(), "{:?}", d.units);
    assert_eq!(
        d.ranking.iter().map(|u| (u.unit_name.as_str(), u.clearance)).collect::<Vec<_>>(),
        [("甲医院药剂科", None)]
    );
    assert_eq!(d.trend.iter().map(|m| m.received).sum::<i64>(), 2, "November's two, nothing of 乙医院");
    assert!(matches!(
        w.app.reporting().dashboard(&insp_a, None, Some(w.hospital_b)).await,
        Err(app::AppError::NotFound)
    ));
}

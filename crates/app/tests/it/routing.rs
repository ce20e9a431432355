//! Routing by 干部管理权限 (issue 11, point 5): a lead about a cadre managed by a higher body
//! goes to that body on the pass-up clock, and both ends are told.

use app::Registered;
use domain::{dates::format_date, lifecycle::deadline::RuleCode};
use store::Backend;

use crate::support::*;

testkit::both!(a_cadre_managed_higher_up_sends_the_lead_there);

async fn a_cadre_managed_higher_up_sends_the_lead_there(b: Backend) {
    let w = world(b).await;
    let keeper = actor(&w, "insp_a").await.ledger_keeper().unwrap();
    // A 委管干部 at hospital A: the commission's discipline committee (the root here) handles it.
    let mut i = input(w.hospital_a, "反映委管干部某副院长违规收受礼金", "褚某");
    i.subjects[0].cadre_level = "commission".into();
    let number = match w.app.ledger().register(&keeper, &i).await.unwrap() {
        Registered::SentUp { number, sent_to } => {
            assert_eq!(sent_to, "直属机关纪委");
            number
        }
        other => panic!("sent up, not kept: {other:?}"),
    };
    let sup = actor(&w, "sup").await;
    let lead = w.app.ledger().list(&sup.ledger().unwrap(), &keyword(number.as_str())).await.unwrap().items.remove(0);
    assert_eq!((lead.unit_id, lead.routed_from_unit_id), (w.committee, Some(w.hospital_a)));
    // 5 working days from its receipt (Monday 2019-05-06): 05-07 .. 05-10, 05-13 — long past:
    // the report sat at the hospital.
    assert_eq!((format_date(lead.deadline), lead.deadline_rule), ("2019-05-13".into(), Some(RuleCode::PassUp)));
    // Both ends told: the receiving supervisor with a link, the sending inspector where it went.
    let inbox = w.app.lifecycle().inbox(&sup, false).await.unwrap();
    let came = inbox.iter().find(|n| n.message.contains(number.as_str())).expect("the receiving end is told");
    assert!(came.message.contains("2019-05-13") && came.lead_id == Some(lead.id.get()), "{}", came.message);
    let insp = actor(&w, "insp_a").await;
    let went = w.app.lifecycle().inbox(&insp, false).await.unwrap();
    let went = went.iter().find(|n| n.message.contains(number.as_str())).expect("the sending end is told");
    assert!(went.message.contains("直属机关纪委") && went.lead_id.is_none(), "{}", went.message);
    assert!(!went.message.contains("褚某"), "never the subject");
    // A unit-managed cadre stays.
    let mut own = input(w.hospital_a, "反映科室主任", "卫某");
    own.subjects[0].cadre_level = "unit".into();
    assert!(matches!(w.app.ledger().register(&keeper, &own).await.unwrap(), Registered::Visible { .. }));
}

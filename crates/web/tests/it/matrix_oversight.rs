//! The authorization matrix's oversight records: a closure under review and a rectification
//! beside each lead of the fixture, for the routes that address them by their own id.

use crate::support::Server;

/// A lead like `lead` (its unit, the person it names), closed as 查否: its review, its
/// rectification and a measure of that.
pub(crate) async fn sibling_review(s: &Server, sup: &app::Actor, lead: domain::LeadId) -> (i64, i64, i64) {
    let keeper = sup.ledger_keeper().unwrap();
    let l = s.app.ledger().lead(keeper.reader(), lead).await.unwrap();
    let subject = &l.subjects[0];
    let input = crate::matrix::lead_input(
        l.unit_id,
        "矩阵：查否复审",
        &subject.name.to_string(),
        &subject.unit_name.to_string(),
    );
    let sibling = s.app.ledger().register(&keeper, &input).await.unwrap().into_visible().unwrap().id;
    let chief = s.actor("chief").await.approver().unwrap();
    let step = |step: &str, disposition: &str| app::StepInput {
        step: step.into(),
        disposition: disposition.into(),
        note: "矩阵".into(),
        conclusion: domain::lifecycle::conclusion::ConclusionInput {
            finding: "unfounded".into(),
            outcomes: vec![("no_violation".into(), String::new(), String::new())],
        },
        ..Default::default()
    };
    for (st, d) in [("assess", ""), ("dispose", "preliminary_verification"), ("conclude", "")] {
        if s.app.lifecycle().take_step(&keeper, sibling, &step(st, d)).await.unwrap() == app::StepOutcome::Pending {
            for item in s.app.lifecycle().approval_queue(&chief).await.unwrap() {
                s.app.lifecycle().decide_step(&chief, item.event_id, true, "").await.unwrap();
            }
        }
    }
    let all = domain::oversight::review::DrawInput { all: true, ..Default::default() };
    s.app.oversight().draw_reviews(sup, &all).await.unwrap();
    let review = s.app.oversight().reviews_of_lead(sup, sibling).await.unwrap()[0].id;
    let number = s.app.ledger().lead(keeper.reader(), sibling).await.unwrap().number.to_string();
    let letter = domain::oversight::rectification::LetterInput {
        lead: number,
        kind: "discipline".into(),
        content: "矩阵：建立制度".into(),
        reply_due: String::new(),
    };
    let rectification = s.app.oversight().issue_letter(sup, &letter).await.unwrap();
    let due = domain::dates::format_date(s.app.today() + time::Duration::days(30));
    let m = domain::oversight::rectification::MeasureInput {
        content: "矩阵：措施".into(),
        owner: "矩阵".into(),
        due_on: due,
        ..Default::default()
    };
    let measure = s.app.oversight().add_measure(sup, rectification, &m).await.unwrap();
    (review, rectification, measure)
}

/// An early warning of the lead's unit.
pub(crate) async fn early_warning(s: &Server, sup: &app::Actor, lead: domain::LeadId) -> i64 {
    let keeper = sup.ledger_keeper().unwrap();
    let l = s.app.ledger().lead(keeper.reader(), lead).await.unwrap();
    let w = domain::oversight::early_warning::EarlyWarningInput {
        unit_id: l.unit_id.to_string(),
        person: "矩阵某".into(),
        post: String::new(),
        problem: "矩阵：苗头性问题".into(),
        source: "other".into(),
        intervention: "reminder".into(),
        given_on: "2019-11-20".into(),
        given_by: "矩阵".into(),
    };
    s.app.oversight().record_early_warning(sup, &w).await.unwrap()
}

//! The authorization matrix's oversight records: a closure under review and a rectification
//! beside each lead of the fixture, for the routes that address them by their own id.

use domain::protection::role::Role;

use crate::matrix::{Case, KEEPERS, READERS};
use crate::support::Server;

/// The oversight routes' rules (see `matrix::rule`).
pub(crate) fn rule(method: &str, path: &str, role: Role, case: Case) -> Option<bool> {
    let own = case == Case::Own;
    Some(match (method, path) {
        // The review of unfounded closures (pages and API alike): the queue lists what the
        // caller may read; a review is its lead's; the committee draws and works on reviews (a
        // supervisor of the case's own unit is refused its content as a field error, allowed).
        ("get", "/oversight/reviews") | ("get", "/reviews") => {
            READERS.contains(&role) || matches!(role, Role::OwningLeader | Role::Handler)
        }
        ("post", "/oversight/reviews/draw") | ("post", "/reviews/draw") => role == Role::Supervisor,
        ("get", "/oversight/reviews/{id}") | ("get", "/reviews/{id}") => own && READERS.contains(&role),
        ("post", "/oversight/reviews/{id}/reviewers")
        | ("post", "/oversight/reviews/{id}/methods")
        | ("post", "/oversight/reviews/{id}/checks")
        | ("post", "/oversight/reviews/{id}/result")
        | ("post", "/reviews/{id}/reviewers")
        | ("post", "/reviews/{id}/methods")
        | ("put", "/reviews/{id}/checks")
        | ("post", "/reviews/{id}/result")
        | ("post", "/oversight/reviews/{id}/attachments")
        | ("post", "/reviews/{id}/attachments") => own && role == Role::Supervisor,
        // Rectification (pages and API alike): read with the lead; the unit's keepers write the
        // analysis and measures, its head replies, the committee issues, decides and re-checks.
        ("get", "/oversight/rectifications") | ("get", "/rectifications") => {
            READERS.contains(&role) || matches!(role, Role::OwningLeader | Role::Handler)
        }
        ("post", "/oversight/rectifications") | ("post", "/rectifications") => role == Role::Supervisor,
        ("get", "/oversight/rectifications/{id}")
        | ("get", "/oversight/rectifications/{id}/letter")
        | ("get", "/oversight/rectifications/{id}/letter.docx")
        | ("get", "/rectifications/{id}")
        | ("get", "/rectifications/{id}/letter.docx") => own && READERS.contains(&role),
        ("post", "/oversight/rectifications/{id}/analysis")
        | ("post", "/oversight/rectifications/{id}/measures")
        | ("post", "/oversight/measures/{id}")
        | ("put", "/rectifications/{id}/analysis")
        | ("post", "/rectifications/{id}/measures")
        | ("put", "/measures/{id}") => own && KEEPERS.contains(&role),
        ("post", "/oversight/rectifications/{id}/reply") | ("post", "/rectifications/{id}/reply") => {
            own && role == Role::UnitHead
        }
        ("post", "/oversight/rectifications/{id}/decision")
        | ("post", "/oversight/rectifications/{id}/recheck")
        | ("post", "/rectifications/{id}/decision")
        | ("post", "/rectifications/{id}/recheck") => own && role == Role::Supervisor,
        // Its files: the unit's keepers' and the committee's (a supervisor keeps too).
        ("post", "/oversight/rectifications/{id}/attachments") | ("post", "/rectifications/{id}/attachments") => {
            own && KEEPERS.contains(&role)
        }
        ("get", "/oversight/institutions") | ("get", "/institutions") => {
            READERS.contains(&role) || matches!(role, Role::OwningLeader | Role::Handler)
        }
        ("post", "/oversight/institutions") | ("post", "/institutions") => KEEPERS.contains(&role),
        // Accountability: read within scope, recorded by the committee; early warnings: read
        // within scope, recorded and followed up by a unit's keepers (the implicated case's
        // warning is of the caller's own unit: a warning names no lead).
        ("get", "/oversight/accountability")
        | ("get", "/accountability")
        | ("get", "/oversight/early-warnings")
        | ("get", "/early-warnings") => READERS.contains(&role) || matches!(role, Role::OwningLeader | Role::Handler),
        ("post", "/oversight/accountability") | ("post", "/accountability") => role == Role::Supervisor,
        ("post", "/oversight/early-warnings") | ("post", "/early-warnings") => KEEPERS.contains(&role),
        ("post", "/oversight/early-warnings/{id}/follow-up") | ("post", "/early-warnings/{id}/follow-up") => {
            case != Case::Other && KEEPERS.contains(&role)
        }
        // Clearing names: read with the lead; proposed and carried out by the unit's keepers,
        // decided by the committee head, flagged by the committee.
        ("get", "/oversight/clearings") | ("get", "/clearings") => {
            READERS.contains(&role) || matches!(role, Role::OwningLeader | Role::Handler)
        }
        ("post", "/oversight/clearings") | ("post", "/clearings") => KEEPERS.contains(&role),
        ("get", "/oversight/clearings/{id}")
        | ("get", "/oversight/clearings/{id}/letter.docx")
        | ("get", "/clearings/{id}")
        | ("get", "/clearings/{id}/letter.docx") => own && READERS.contains(&role),
        ("post", "/oversight/clearings/{id}/decision") | ("post", "/clearings/{id}/decision") => {
            own && role == Role::CommitteeHead
        }
        ("post", "/oversight/clearings/{id}/done") | ("post", "/clearings/{id}/done") => own && KEEPERS.contains(&role),
        ("post", "/oversight/clearings/{id}/false-accusation") | ("post", "/clearings/{id}/false-accusation") => {
            own && role == Role::Supervisor
        }
        // The libraries and warning education: read by every reader; typical cases written and
        // published by the committee, practices and events by a unit's keepers (the fixture's
        // drafts are the caller's own unit's, except the other unit's case).
        ("get", "/library/cases")
        | ("get", "/library/practices")
        | ("get", "/oversight/education")
        | ("get", "/education-events") => READERS.contains(&role) || matches!(role, Role::OwningLeader | Role::Handler),
        ("post", "/library/cases") => role == Role::Supervisor,
        ("post", "/library/practices") | ("post", "/oversight/education") | ("post", "/education-events") => {
            KEEPERS.contains(&role)
        }
        ("post", "/library/cases/{id}/publish") => case != Case::Other && role == Role::Supervisor,
        ("post", "/library/practices/{id}/publish") => case != Case::Other && KEEPERS.contains(&role),
        // Feedback to reporters (pages and API alike): read with the lead, recorded by its
        // keepers; an objection is answered on the sibling that has one. The satisfaction rate
        // covers what the caller reads.
        ("get", "/leads/{id}/feedback") => own && (READERS.contains(&role) || role == Role::OwningLeader),
        ("post", "/leads/{id}/feedback")
        | ("post", "/leads/{id}/objections")
        | ("post", "/leads/{id}/objections/{objection}/answer") => own && KEEPERS.contains(&role),
        // Statistics and the dashboard (pages and API alike): whoever reads the ledger, over what
        // they read.
        ("get", "/reporting/statistics")
        | ("get", "/reporting/dashboard")
        | ("get", "/dashboard")
        | ("get", "/reporting/statistics.xlsx")
        | ("get", "/statistics")
        | ("get", "/statistics/export.xlsx") => {
            READERS.contains(&role) || matches!(role, Role::OwningLeader | Role::Handler)
        }
        // Bulletins (pages and API alike): the list is anyone's who reads a ledger; the matrix's
        // bulletins are issued by the case's unit, read by whoever reads that unit; the
        // committee changes lists, records summons and saves rules, its head signs, either
        // issues (each a field error on an issued bulletin: allowed).
        ("get", "/reporting/bulletins") | ("get", "/bulletins") => {
            READERS.contains(&role) || matches!(role, Role::OwningLeader | Role::Handler)
        }
        ("post", "/reporting/bulletins") | ("post", "/bulletins") => role == Role::Supervisor,
        ("get", "/reporting/bulletins/{id}")
        | ("get", "/reporting/bulletins/{id}/document.docx")
        | ("get", "/bulletins/{id}")
        | ("get", "/bulletins/{id}/document.docx") => {
            case != Case::Other && (READERS.contains(&role) || matches!(role, Role::OwningLeader | Role::Handler))
        }
        ("post", "/reporting/bulletins/{id}/lines")
        | ("post", "/reporting/bulletins/{id}/summons")
        | ("post", "/bulletins/{id}/lines")
        | ("post", "/bulletins/{id}/summons") => case != Case::Other && role == Role::Supervisor,
        ("post", "/reporting/bulletins/{id}/sign") | ("post", "/bulletins/{id}/sign") => {
            case != Case::Other && role == Role::CommitteeHead
        }
        ("post", "/reporting/bulletins/{id}/issue") | ("post", "/bulletins/{id}/issue") => {
            case != Case::Other && matches!(role, Role::Supervisor | Role::CommitteeHead)
        }
        // A campaign's score rules and report outline: the committee reads them, supervisors
        // change them.
        ("get", "/reporting/score-rules")
        | ("get", "/score-rules")
        | ("get", "/reporting/report-outline")
        | ("get", "/report-outline") => matches!(role, Role::Supervisor | Role::CommitteeHead),
        ("post", "/reporting/score-rules")
        | ("put", "/score-rules")
        | ("post", "/reporting/report-outline")
        | ("put", "/report-outline") => role == Role::Supervisor,
        // Work reports (pages and API alike): the list is anyone's who reads a ledger; a
        // unit's report is read by its readers and the committee above it, written by its
        // keepers, signed by its head, submitted by either; the committee verifies codes.
        ("get", "/reporting/work-reports") | ("get", "/work-reports") => {
            READERS.contains(&role) || matches!(role, Role::OwningLeader | Role::Handler)
        }
        ("get", "/reporting/work-reports/{id}")
        | ("get", "/reporting/work-reports/{id}/print")
        | ("get", "/reporting/work-reports/{id}/document.docx")
        | ("get", "/work-reports/{id}")
        | ("get", "/work-reports/{id}/document.docx") => case != Case::Other && READERS.contains(&role),
        ("post", "/reporting/work-reports/{id}") | ("put", "/work-reports/{id}") => {
            case != Case::Other && KEEPERS.contains(&role)
        }
        ("post", "/reporting/work-reports/{id}/sign") | ("post", "/work-reports/{id}/sign") => {
            case != Case::Other && role == Role::UnitHead
        }
        ("post", "/reporting/work-reports/{id}/submit") | ("post", "/work-reports/{id}/submit") => {
            case != Case::Other && (KEEPERS.contains(&role) || role == Role::UnitHead)
        }
        ("get", "/reporting/verify") | ("get", "/work-reports/verify") => {
            matches!(role, Role::Supervisor | Role::CommitteeHead)
        }
        ("get", "/reporters/satisfaction") | ("get", "/satisfaction") => {
            READERS.contains(&role) || matches!(role, Role::OwningLeader | Role::Handler)
        }
        // Attachments (pages and API alike): read with the lead, uploaded by its keepers (on the
        // lead or one of its steps).
        ("get", "/leads/{id}/attachments")
        | ("get", "/leads/{id}/attachments/{attachment}")
        | ("get", "/leads/{id}/attachments/{attachment}/preview") => {
            own && (READERS.contains(&role) || role == Role::OwningLeader)
        }
        ("post", "/leads/{id}/attachments") => own && KEEPERS.contains(&role),
        // The intake of portal reports (pages and API alike): a unit's keepers take the reports
        // routed to it (the case's report is routed to its lead's unit); the committee routes.
        ("get", "/reporters/intake") | ("get", "/portal-reports") => KEEPERS.contains(&role),
        ("get", "/reporters/intake/{id}")
        | ("post", "/reporters/intake/{id}/register")
        | ("post", "/reporters/intake/{id}/not-accepted")
        | ("post", "/reporters/intake/{id}/messages")
        | ("get", "/portal-reports/{id}")
        | ("post", "/portal-reports/{id}/register")
        | ("post", "/portal-reports/{id}/not-accepted")
        | ("post", "/portal-reports/{id}/messages")
        | ("get", "/reporters/intake/{id}/files/{file}")
        | ("get", "/portal-reports/{id}/files/{file}") => case != Case::Other && KEEPERS.contains(&role),
        ("post", "/reporters/intake/{id}/route") | ("post", "/portal-reports/{id}/route") => {
            case != Case::Other && role == Role::Supervisor
        }
        _ => return None,
    })
}

/// Two drafts beside the lead: a typical case and a good practice, written in the lead's unit
/// (by the fixture's supervisor and inspector of the caller's unit) or, for another unit, by
/// the root supervisor and that unit's inspector.
pub(crate) async fn drafts(s: &Server, lead: domain::LeadId) -> (i64, i64) {
    let m_sup = s.actor("m-supervisor").await;
    let root = s.actor("supervisor").await;
    let l = s.app.ledger().lead(&root.ledger().unwrap(), lead).await.unwrap();
    let own = l.unit_id == m_sup.unit_id;
    let (writer, keeper) =
        if own { (m_sup, s.actor("m-inspector").await) } else { (root, s.actor("inspector2").await) };
    let case = domain::oversight::library::CaseInput {
        title: "矩阵：典型案例".into(),
        category: "other".into(),
        text: "矩阵：正文".into(),
        lessons: "矩阵：教训".into(),
        ..Default::default()
    };
    let case = s.app.oversight().add_typical_case(&writer, &case).await.unwrap();
    let practice = domain::oversight::library::PracticeInput {
        unit_id: keeper.unit_id.to_string(),
        title: "矩阵：好做法".into(),
        practised_on: "2019-11-20".into(),
        text: "矩阵：正文".into(),
        publish: false,
    };
    (case, s.app.oversight().add_good_practice(&keeper, &practice).await.unwrap())
}

/// A lead like `lead` (its unit, the person it names), closed as 查否: its review, its
/// rectification, a measure of that, a clearing proposed, and the sibling with its reporter's
/// objection.
pub(crate) async fn sibling_review(
    s: &Server,
    sup: &app::Actor,
    lead: domain::LeadId,
) -> (i64, i64, i64, i64, (i64, i64)) {
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
    let proposal = domain::oversight::clearing::ClearingInput {
        lead: letter.lead.clone(),
        origin: "unit".into(),
        person: subject.name.clone(),
        applied_on: String::new(),
        reason: "矩阵：澄清".into(),
    };
    let clearing = s.app.oversight().propose_clearing(sup, &proposal).await.unwrap();
    let objection = domain::reporters::objection::ObjectionInput {
        received_on: domain::dates::format_date(s.app.today()),
        method: "letter".into(),
        content: "矩阵：异议".into(),
        new_material: String::new(),
    };
    let objection = s.app.reporters().record_objection(sup, sibling, &objection).await.unwrap();
    (review, rectification, measure, clearing, (sibling.get(), objection))
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

/// A body of the right shape for each API write (a shape error would answer 400 before the
/// authorization the matrix checks).
pub(crate) fn api_body(path: &str) -> serde_json::Value {
    let kind = if path.ends_with("/ownership") {
        "key"
    } else if path.ends_with("/units") {
        "hospital"
    } else {
        "clearing"
    };
    let mut body = serde_json::json!({
        "username": "nobody", "password": "x", "version": 1, "summary": "矩阵", "handlers": [],
        "kind": kind, "leader": "nobody", "note": "矩阵", "reason": "矩阵测试核实身份", "days": 20, "approve": false,
        "visited_on": "2019-11-20", "place": "矩阵", "decision": "矩阵", "requirement": "矩阵",
        "reply_due": "2019-12-20", "stage": "first", "content": "矩阵", "mode": "designated_jurisdiction", "to": 0,
        "amount": 1, "unit": "months", "blue_at_percent": 67, "yellow_working_days": 3, "csv": "",
        "code": "MATRIX", "name": "矩阵单位", "parent": null, "display_name": "矩阵",
        "initial_password": "Matrix-initial-1234", "role": "handler", "user_id": 1, "received_on": "2019-11-20",
        "event": "talk_held", "on": "2019-11-20", "users": [],
    });
    // The oversight bodies' fields (one macro call holds only so many).
    let more = serde_json::json!({
        "accept": false, "held": false, "notes": "矩阵", "reply": "", "follow_up": "", "accuser_lead": "",
    });
    for (k, v) in more.as_object().into_iter().flatten() {
        body[k] = v.clone();
    }
    // A number for the administrators' bodies (the lead body takes it as text, so leaves it out).
    if path.starts_with("/admin") {
        body["unit_id"] = serde_json::json!(1);
    }
    // A bulletin's draft takes the unit as a number and the range as text.
    if path == "/bulletins" {
        body["unit"] = serde_json::Value::Null;
        body["to"] = serde_json::json!("");
    }
    if path.starts_with("/portal-reports") {
        body["unit_id"] = serde_json::json!("1");
        body["text"] = serde_json::json!("矩阵");
    }
    body
}

/// A report filed on the portal, with a file its reporter sent, routed by the root supervisor to
/// the lead's unit: (report, file).
pub(crate) async fn portal_report(s: &Server, sup: &app::Actor, lead: domain::LeadId) -> (i64, i64) {
    let r = s.app.reporters();
    let c = r.portal_challenge(1);
    let nonce = (0u64..).find(|n| domain::reporters::portal::proof_holds(&c.token, *n, 1)).unwrap().to_string();
    let input = domain::reporters::intake::PortalReportInput {
        what: "矩阵：网上举报的内容".into(),
        passphrase: "矩阵查询密码矩阵".into(),
        passphrase_again: "矩阵查询密码矩阵".into(),
        acknowledged: "on".into(),
        ..Default::default()
    };
    let receipt = r.portal_file(&input, (&c.token, &nonce), 1).await.unwrap();
    let token = r.portal_open(&receipt.code, "矩阵查询密码矩阵").await.unwrap();
    let csrf = r.portal_view(&token).await.unwrap().csrf;
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01";
    let mut up = r.portal_attach_begin(&token, &csrf, "矩阵.png", PNG).await.unwrap();
    r.attach_more(&mut up, PNG).await.unwrap();
    let file = r.portal_attach_finish(up).await.unwrap().id;
    let root = s.actor("supervisor").await;
    let id = r.intake(&root, true, 1).await.unwrap().items.iter().find(|i| i.unit_name.is_none()).unwrap().id;
    let l = s.app.ledger().lead(&sup.ledger().unwrap(), lead).await.unwrap();
    r.intake_route(&root, id, &l.unit_id.to_string()).await.unwrap();
    (id, file)
}

/// A small PNG attached to the lead (previewable, so every attachment route has a file to serve).
pub(crate) async fn attachment(s: &Server, sup: &app::Actor, lead: domain::LeadId) -> i64 {
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";
    let r = s.app.reporters();
    let mut up = r.attach_begin(sup, app::AttachPlace::Lead(lead), "矩阵.png", PNG).await.unwrap();
    r.attach_more(&mut up, PNG).await.unwrap();
    r.attach_finish(sup, up).await.unwrap().id
}

/// A bulletin issued by each of the fixture's units: drafted by the root's supervisor, signed by
/// its committee head.
pub(crate) async fn bulletins(s: &Server, sup: &app::Actor, units: &[domain::UnitId]) -> Vec<(i64, i64)> {
    let chief = s.actor("chief").await;
    let mut out = Vec::new();
    for u in units {
        let input = domain::reporting::bulletin::BulletinInput {
            title: "矩阵通报".into(),
            doc_no: format!("矩阵〔2026〕{u}号"),
            addressees: "各科室".into(),
            remarks: String::new(),
        };
        let period = domain::reporting::period::PeriodInput { period: "campaign".into(), ..Default::default() };
        let id = s.app.reporting().draft_bulletin(sup, None, Some(*u), &period, &input).await.unwrap();
        s.app.reporting().sign_bulletin(&chief, id).await.unwrap();
        s.app.reporting().issue_bulletin(sup, id).await.unwrap();
        out.push((u.get(), id));
    }
    out
}

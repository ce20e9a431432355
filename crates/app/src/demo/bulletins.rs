//! The demo's bulletins (通报), made through the use cases: last month's drafted with a list
//! changed for a reason, signed by the committee head, issued, and a summons recorded; this
//! month's left as a draft for the committee to work on.

use domain::reporting::{
    bulletin::{BulletinInput, ListChangeInput, SummonsInput, suggested_title},
    period::PeriodInput,
    score::ListKind,
};

use super::PASSWORD;
use crate::{App, AppError, Credentials, LoginKind};

pub(super) async fn seed_bulletins(app: &App) -> Result<(), AppError> {
    // A bulletin scores whether each unit's work report came in on time: the reports first.
    super::work_reports::seed_work_reports(app).await?;
    let who = |name: &'static str| Credentials { username: name, password: PASSWORD, otp: None, client: "demo" };
    let supervisor = app.protection().login(&who("supervisor"), LoginKind::Browser).await?.actor;
    let chief = app.protection().login(&who("chief"), LoginKind::Browser).await?.actor;
    let today = app.today();
    let this_month = PeriodInput::default().parse(today, (today, today))?;
    let last_month = this_month.previous();
    let r = app.reporting();
    let input = |title: String, n: u32| BulletinInput {
        title,
        doc_no: format!("郑卫直机纪〔{}〕{n}号", today.year()),
        addressees: "各委属单位纪检组织".into(),
        remarks: "各单位要对照排名查找差距，对超期线索逐件明确责任人和办结时限，确保按期清零。".into(),
    };
    let period = |code: String| PeriodInput { period: code, ..Default::default() };
    let issued = r
        .draft_bulletin(
            &supervisor,
            None,
            None,
            &period(last_month.code()),
            &input(suggested_title(&last_month.label(false)), 12),
        )
        .await?;
    let view = r.bulletin(&supervisor, issued).await?;
    // The committee takes the last-ranked unit proposed for criticism to the summons list.
    if let Some(line) = view.lines.iter().rev().find(|l| l.list == Some(ListKind::Criticism)) {
        let change = ListChangeInput {
            list: "summons".into(), reason: "连续两个月排名靠后，超期线索未见进展".into()
        };
        r.change_list(&supervisor, issued, line.unit_id, &change).await?;
    }
    r.sign_bulletin(&chief, issued).await?;
    r.issue_bulletin(&supervisor, issued).await?;
    let view = r.bulletin(&supervisor, issued).await?;
    if let Some(line) = view.lines.iter().find(|l| l.list == Some(ListKind::Summons)) {
        let summons = SummonsInput {
            unit_id: line.unit_id.to_string(),
            held_on: domain::dates::format_date(today),
            summoned_by: "委直属机关纪委书记".into(),
            summoned: format!("{}主要负责人", line.unit_name),
            notes: "通报存量线索清零进度滞后问题，要求逐件倒排工期，每周报告进展。".into(),
            follow_up: String::new(),
        };
        r.record_summons(&supervisor, issued, &summons).await?;
    }
    r.draft_bulletin(
        &supervisor,
        None,
        None,
        &period(this_month.code()),
        &input(suggested_title(&this_month.label(false)), 13),
    )
    .await?;
    Ok(())
}

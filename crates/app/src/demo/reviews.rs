//! The demo's review of unfounded closures (查否复审复核), made through the use cases: the
//! supervising committee fills the queue by the default rules with a fixed seed; one review is
//! upheld, one returned (its lead reopens at its hospital with the resubmission deadline), and
//! the 查否 lead reported again (see `network`) is under review.

use domain::oversight::{
    review::{DrawInput, ReviewReason},
    reviewing::{ChecksInput, MethodInput, ResultInput, ReviewState},
};
use time::Duration;

use super::PASSWORD;
use crate::{App, AppError, AttachPlace, Credentials, LoginKind};

fn method(app: &App, code: &str, days_ago: i64, persons: &str, notes: &str) -> MethodInput {
    MethodInput {
        method: code.into(),
        held_on: domain::dates::format_date(app.today() - Duration::days(days_ago)),
        persons: persons.into(),
        notes: notes.into(),
    }
}

fn checks(dereliction: &str, dereliction_reason: &str, depth: &str, depth_reason: &str) -> ChecksInput {
    ChecksInput {
        political: "no_problem".into(),
        political_reason: "单位党委专题研究过专项斗争线索核查工作，主要负责人履行了第一责任".into(),
        dereliction: dereliction.into(),
        dereliction_reason: dereliction_reason.into(),
        depth: depth.into(),
        depth_reason: depth_reason.into(),
    }
}

/// Returns how many reviews the draw queued.
pub(super) async fn seed_reviews(app: &App) -> Result<usize, AppError> {
    let who = Credentials { username: "supervisor", password: PASSWORD, otp: None, client: "demo" };
    let supervisor = app.protection().login(&who, LoginKind::Browser).await?.actor;
    let rules = DrawInput {
        all: false,
        sample_percent: "10".into(),
        seed: "20261207".into(),
        repeat_reports: true,
        categories: true,
        still_complaining: true,
        returned_before: true,
    };
    let drawn = app.oversight().draw_reviews(&supervisor, &rules).await?;
    let queued = app.oversight().review_queue(&supervisor, Some(ReviewState::Queued), 1).await?.items;
    let reported_again = queued.iter().find(|r| r.reasons.contains(&ReviewReason::RepeatReports));
    let mut others = queued.iter().filter(|r| !r.reasons.contains(&ReviewReason::RepeatReports));
    let me = [supervisor.id.get()];
    let o = app.oversight();
    if let Some(upheld) = others.next() {
        o.assign_reviewers(&supervisor, upheld.id, &me).await?;
        let m = method(app, "files", 6, "周某某、复审组", "调阅初核卷宗和谈话笔录，核查程序完整，证据能够支撑查否结论");
        o.record_method(&supervisor, upheld.id, &m).await?;
        let m = method(app, "reporter", 4, "周某某", "约见实名举报人，举报人未能提供新的线索材料");
        o.record_method(&supervisor, upheld.id, &m).await?;
        let c = checks(
            "no_problem",
            "初核调取了相关合同与资金往来，核查扎实",
            "no_problem",
            "已核查被反映人的亲属关系和经济往来，未发现“保护伞”问题",
        );
        o.record_checks(&supervisor, upheld.id, &c).await?;
        let r = ResultInput {
            result: "upheld".into(),
            note: "核查认真，结论有据，维持查否结论".into(),
            accountability: false,
        };
        o.decide_review(&supervisor, upheld.id, &r).await?;
    }
    if let Some(returned) = others.next() {
        o.assign_reviewers(&supervisor, returned.id, &me).await?;
        let m = method(app, "hearing", 3, "周某某、复审组", "听取承办部门汇报，核查仅有谈话笔录，未调取书证");
        o.record_method(&supervisor, returned.id, &m).await?;
        let c = checks(
            "problem",
            "未调取银行流水和合同即作查否，核查不细",
            "problem",
            "未核查被反映人与涉黑人员的往来，未深挖关系网",
        );
        o.record_checks(&supervisor, returned.id, &c).await?;
        let r = ResultInput {
            result: "returned".into(),
            note: "核查不细、证据不足，退回重新调查，限期重新报结".into(),
            accountability: true,
        };
        o.decide_review(&supervisor, returned.id, &r).await?;
    }
    if let Some(again) = reported_again {
        o.assign_reviewers(&supervisor, again.id, &me).await?;
        let m = method(app, "files", 1, "周某某", "调阅两年前的初核卷宗，采购合同齐全，资金往来尚未调取");
        o.record_method(&supervisor, again.id, &m).await?;
        let notes = "调阅记录：2024年初核卷宗一册，采购合同12份，资金往来流水未调取，需补充调取。";
        super::portal::attach(app, &supervisor, AttachPlace::Review(again.id), "卷宗调阅记录.txt", notes.as_bytes())
            .await?;
    }
    Ok(drawn.picked)
}

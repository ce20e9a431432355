//! The demo's work reports (工作情况报告), made through the use cases, one in each state: the
//! First People's Hospital's written and waiting for its head's signature; the second
//! hospital's signed and submitted; the third's signed, not yet submitted; the fifth's signed,
//! then edited, so its signature is void; the rest not started. Each hospital with a report
//! gets a head (主要负责人) account to sign it. The campaign's report outline says what four of
//! the sections must cover.

use domain::{
    UnitId,
    protection::role::Role,
    reporting::work_report::{ReportInput, Section},
};
use store::ledger::units;

use super::PASSWORD;
use crate::{Actor, App, AppError, Credentials, LoginKind, NewAccount};

fn written(unit: &str, extra: &str) -> ReportInput {
    let text = |s: Section| match s {
        Section::Basics => format!(
            "{unit}党委高度重视问题线索清零工作，成立由党委书记任组长的工作专班，逐件建立台账，明确包案领导和责任人。"
        ),
        Section::Clearance => "对存量线索逐件梳理、倒排工期，每周调度进展；对新增线索即收即办，按期办结。".into(),
        Section::Digging => "对涉及“保护伞”的线索坚持一查到底，对查实问题倒查监管责任。".into(),
        Section::Institutions => "围绕药品耗材采购、基建项目、医保结算等重点领域，修订完善制度。".into(),
        Section::CaseReform => "针对查实问题制发纪律检查建议书，督促责任科室限期整改并回头看。".into(),
        Section::Problems => "个别线索核查进度偏慢，部分科室整改措施不够具体。".into(),
        Section::NextSteps => format!("下一步将对剩余线索实行挂图作战，确保按期清零。{extra}"),
    };
    ReportInput { sections: Section::ALL.iter().map(|s| (s.code().to_owned(), text(*s))).collect() }
}

/// A head account for the hospital `code` (a surname no demo lead carries, so no recusal).
async fn head_of(app: &App, code: &str, username: &'static str, display: &'static str) -> Result<Actor, AppError> {
    let mut c = app.reader().await?;
    let unit: UnitId =
        units::by_code(&mut c, code).await?.ok_or_else(|| AppError::internal("a demo hospital is missing"))?.id;
    drop(c);
    app.protection()
        .create_account(&NewAccount {
            username,
            display_name: display,
            unit,
            password: PASSWORD,
            must_change_password: false,
            real_name: display.split('（').next().unwrap_or(display),
            id_number: "",
            roles: &[(Role::UnitHead, unit)],
        })
        .await?;
    let who = Credentials { username, password: PASSWORD, otp: None, client: "demo" };
    Ok(app.protection().login(&who, LoginKind::Browser).await?.actor)
}

pub(super) async fn seed_work_reports(app: &App) -> Result<(), AppError> {
    let who = |name: &'static str| Credentials { username: name, password: PASSWORD, otp: None, client: "demo" };
    let supervisor = app.protection().login(&who("supervisor"), LoginKind::Browser).await?.actor;
    let inspector = app.protection().login(&who("inspector"), LoginKind::Browser).await?.actor;
    let inspector2 = app.protection().login(&who("inspector2"), LoginKind::Browser).await?.actor;
    let r = app.reporting();
    // The campaign's outline: the plan's seven sections, four with what they must cover.
    let guidance = [
        ("basics", "概述本单位线索总数、存量与新增、已办结和清零进度。"),
        ("clearance", "逐件说明存量线索办理情况；未办结的写明原因和办结时限。"),
        ("digging", "说明对涉及“保护伞”的线索一查到底、倒查监管责任的情况。"),
        ("problems", "如实查找不足，不写成绩。"),
    ];
    let outline = domain::reporting::outline::OutlineInput {
        sections: Section::ALL.iter().map(|s| s.code().to_owned()).collect(),
        guidance: guidance.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect(),
    };
    r.save_report_outline(&supervisor, None, &outline).await?;
    // Written by its inspector; its head (`unithead`) signs it in the browser.
    r.save_work_report(&inspector, inspector.unit_id, &written("市第一人民医院", "")).await?;
    // Signed and submitted.
    let second = inspector2.unit_id;
    r.save_work_report(&inspector2, second, &written("市第二人民医院", "")).await?;
    let head2 = head_of(app, "RMYY2", "unithead2", "东方某某（市第二人民医院院长）").await?;
    r.sign_work_report(&head2, second).await?;
    r.submit_work_report(&inspector2, second).await?;
    // Signed, waiting to be submitted: the committee's supervisor wrote it for the unit.
    let head3 = head_of(app, "RMYY3", "unithead3", "慕容某（市第三人民医院院长）").await?;
    r.save_work_report(&supervisor, head3.unit_id, &written("市第三人民医院", "")).await?;
    r.sign_work_report(&head3, head3.unit_id).await?;
    // Signed, then edited: the signature is void and the page says when.
    let head5 = head_of(app, "RMYY5", "unithead5", "皇甫某某（市第五人民医院院长）").await?;
    r.save_work_report(&supervisor, head5.unit_id, &written("市第五人民医院", "")).await?;
    r.sign_work_report(&head5, head5.unit_id).await?;
    let edited = written("市第五人民医院", "同时加强对下属社区卫生服务中心的督导。");
    r.save_work_report(&supervisor, head5.unit_id, &edited).await?;
    Ok(())
}

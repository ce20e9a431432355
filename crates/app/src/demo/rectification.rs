//! The demo's rectification (以案促改), made through the use cases: at the First People's
//! Hospital one rectification taken from the letter to the re-check with the institution it
//! produced, and one whose analysis is under way; a letter just issued at the second hospital.

use domain::{
    ledger::{lead::Lead, query::LedgerParams},
    oversight::rectification::{AnalysisInput, InstitutionInput, LetterInput, MeasureInput},
};
use time::Duration;

use super::PASSWORD;
use crate::{Actor, App, AppError, AttachPlace, Credentials, LoginKind};

async fn concluded(app: &App, actor: &Actor, unit: domain::UnitId) -> Result<Vec<Lead>, AppError> {
    let params = LedgerParams {
        status: "concluded".into(),
        unit_id: unit.to_string(),
        per_page: "20".into(),
        ..Default::default()
    };
    Ok(app.ledger().list(&actor.ledger()?, &params).await?.items)
}

fn letter(lead: &Lead, kind: &str, content: &str) -> LetterInput {
    LetterInput { lead: lead.number.to_string(), kind: kind.into(), content: content.into(), reply_due: String::new() }
}

fn measure(app: &App, content: &str, owner: &str, in_days: i64, status: &str, evidence: &str) -> MeasureInput {
    MeasureInput {
        content: content.into(),
        owner: owner.into(),
        due_on: domain::dates::format_date(app.today() + Duration::days(in_days)),
        status: status.into(),
        evidence: evidence.into(),
    }
}

/// Returns how many letters it issued.
pub(super) async fn seed_rectification(app: &App) -> Result<usize, AppError> {
    let who = |name: &'static str| Credentials { username: name, password: PASSWORD, otp: None, client: "demo" };
    let supervisor = app.protection().login(&who("supervisor"), LoginKind::Browser).await?.actor;
    let inspector = app.protection().login(&who("inspector"), LoginKind::Browser).await?.actor;
    let inspector2 = app.protection().login(&who("inspector2"), LoginKind::Browser).await?.actor;
    let head = app.protection().login(&who("unithead"), LoginKind::Browser).await?.actor;
    let first = concluded(app, &inspector, inspector.unit_id).await?;
    let second = concluded(app, &inspector2, inspector2.unit_id).await?;
    let o = app.oversight();
    let mut issued = 0;
    if let Some(case) = first.first() {
        let content = "一、针对药品耗材采购中的廉洁风险，建立采购人员回避和定期轮岗制度；\n二、对药剂科、采购中心开展专项警示教育；\n三、一个月内报送整改情况。";
        let id = o.issue_letter(&supervisor, &letter(case, "discipline", content)).await?;
        issued += 1;
        let analysis = AnalysisInput {
            causes: "采购权力集中于科室负责人个人，监督制约不到位".into(),
            risk_points: "供应商遴选、验收入库、货款支付三个环节".into(),
            loopholes: "缺少采购人员回避和轮岗制度，验收与采购未分离".into(),
        };
        o.record_analysis(&inspector, id, &analysis).await?;
        let done = measure(app, "制定《药品耗材采购人员回避和轮岗办法》", "院办 王某", 10, "done", "院发〔2026〕18号");
        o.add_measure(&inspector, id, &done).await?;
        let doing = measure(app, "采购与验收岗位分离，验收由质控科承担", "质控科 陈某", 40, "in_progress", "");
        o.add_measure(&inspector, id, &doing).await?;
        let rules = super::portal::sample_pdf("Rules on recusal and rotation of purchasing staff (sample)");
        let place = AttachPlace::Rectification(id);
        super::portal::attach(app, &inspector, place, "院发〔2026〕18号 回避和轮岗办法.pdf", &rules).await?;
        o.reply_rectification(&head, id, "已按建议书要求完成制度建设，岗位分离正在推进，详见整改措施。").await?;
        o.decide_rectification(&supervisor, id, true, "整改措施具体，同意验收").await?;
        o.recheck_rectification(&supervisor, id, true, "回头看：回避和轮岗制度已执行，抽查采购记录未发现新问题")
            .await?;
        let institution = InstitutionInput {
            unit_id: inspector.unit_id.to_string(),
            name: "药品耗材采购人员回避和轮岗办法".into(),
            doc_no: "院发〔2026〕18号".into(),
            issued_on: domain::dates::format_date(app.today() - Duration::days(3)),
            rectification: id.to_string(),
        };
        o.add_institution(&inspector, &institution).await?;
    }
    if let Some(case) = first.get(1) {
        let content = "一、健全基建工程招投标监督机制；\n二、对相关人员开展谈话提醒。";
        let id = o.issue_letter(&supervisor, &letter(case, "supervision", content)).await?;
        issued += 1;
        let analysis = AnalysisInput {
            causes: "招投标过程由基建科一家主导".into(),
            risk_points: "招标文件编制、评标专家抽取".into(),
            loopholes: "纪检部门未全程参与监督".into(),
        };
        o.record_analysis(&inspector, id, &analysis).await?;
        o.add_measure(&inspector, id, &measure(app, "纪检监察室全程参与重大工程招投标", "纪检监察室 李某", 20, "", ""))
            .await?;
    }
    if let Some(case) = second.first() {
        o.issue_letter(
            &supervisor,
            &letter(case, "discipline", "一、落实科室主任廉洁风险防控责任；\n二、建立收受红包登记上交制度。"),
        )
        .await?;
        issued += 1;
    }
    let own_rule = InstitutionInput {
        unit_id: inspector2.unit_id.to_string(),
        name: "医务人员拒收红包登记上交办法".into(),
        doc_no: "二院发〔2026〕9号".into(),
        issued_on: domain::dates::format_date(app.today() - Duration::days(20)),
        rectification: String::new(),
    };
    o.add_institution(&inspector2, &own_rule).await?;
    Ok(issued)
}

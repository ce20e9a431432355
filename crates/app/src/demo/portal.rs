//! The demo's portal reports, made through the use cases: one awaiting the committee's intake,
//! one routed to the First People's Hospital where the inspector asked a question and the
//! reporter answered, and one registered as a lead there. The answered one's receipt code and
//! passphrase are printed at start, so the portal can be tried as its reporter.

use domain::reporters::{intake::PortalReportInput, portal::proof_holds};

use super::PASSWORD;
use crate::{App, AppError, AttachPlace, Credentials, IntakeRegisterInput, LoginKind};

/// The passphrase of the demo's followed report.
pub const PORTAL_PASSPHRASE: &str = "qingling-portal";

fn report(what: &str, about: (&str, &str, &str), signed: Option<(&str, &str)>) -> PortalReportInput {
    PortalReportInput {
        kind: if signed.is_some() { "signed" } else { "anonymous" }.into(),
        name: signed.map(|s| s.0.to_owned()).unwrap_or_default(),
        contact: signed.map(|s| s.1.to_owned()).unwrap_or_default(),
        about_name: about.0.into(),
        about_unit: about.1.into(),
        about_post: about.2.into(),
        what: what.into(),
        passphrase: PORTAL_PASSPHRASE.into(),
        passphrase_again: PORTAL_PASSPHRASE.into(),
        acknowledged: "on".into(),
        ..Default::default()
    }
}

/// Files the three reports; the receipt code of the one routed to the hospital, and how many
/// were registered as leads.
pub(super) async fn seed_portal(app: &App) -> Result<(String, usize), AppError> {
    let who = |name: &'static str| Credentials { username: name, password: PASSWORD, otp: None, client: "demo" };
    let sup = app.protection().login(&who("supervisor"), LoginKind::Browser).await?.actor;
    let inspector = app.protection().login(&who("inspector"), LoginKind::Browser).await?.actor;
    let r = app.reporters();
    let file = |input: PortalReportInput| async move {
        let c = r.portal_challenge(1);
        let nonce = (0u64..).find(|n| proof_holds(&c.token, *n, 1)).unwrap_or_default().to_string();
        r.portal_file(&input, (&c.token, &nonce), 1).await
    };
    let newest = || async { Ok::<i64, AppError>(r.intake(&sup, true, 1).await?.items.first().map_or(0, |i| i.id)) };
    let hospital = inspector.unit_id.to_string();

    file(report(
        "某医院保卫科长与当地涉恶团伙关系密切，多次为其通风报信，群众反映强烈",
        ("孙某", "市第三人民医院", "保卫科科长"),
        None,
    ))
    .await?;

    let followed = file(report(
        "医学装备科科长在设备采购中指定供应商，收受回扣，去年采购的两台彩超价格明显偏高",
        ("吴某", "市第一人民医院", "医学装备科科长"),
        Some(("周某某", "13600001234")),
    ))
    .await?;
    let id = newest().await?;
    r.intake_route(&sup, id, &hospital).await?;
    r.intake_ask(&inspector, id, "请问您了解的采购时间和合同编号吗？如有相关材料，可在此补充说明。").await?;
    let token = r.portal_open(&followed.code, PORTAL_PASSPHRASE).await?;
    let csrf = r.portal_view(&token).await?.csrf;
    r.portal_send(&token, &csrf, "采购大约在去年九月，合同编号不清楚，可查医院设备采购档案。").await?;
    r.portal_leave(&token, &csrf).await?;

    file(report(
        "药剂科工作人员私自将药品带出医院倒卖，已持续半年以上",
        ("郑某", "市第一人民医院", "药剂科药师"),
        None,
    ))
    .await?;
    let id = newest().await?;
    r.intake_route(&sup, id, &hospital).await?;
    let reg = IntakeRegisterInput {
        unit_id: hospital.clone(),
        category: "work_style".into(),
        responsible_leader: "李副院长".into(),
        responsible_person: "刘某".into(),
        ..Default::default()
    };
    r.intake_register(&inspector, id, &reg).await?;
    Ok((followed.code, 1))
}

/// A one-page PDF saying `text` (ASCII), its cross-reference table computed.
pub fn sample_pdf(text: &str) -> Vec<u8> {
    let stream = format!("BT /F1 18 Tf 72 720 Td ({text}) Tj ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_owned(),
        format!("<< /Length {} >>\nstream\n{stream}\nendstream", stream.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend(format!("{} 0 obj\n{o}\nendobj\n", i + 1).into_bytes());
    }
    let xref = pdf.len();
    pdf.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).into_bytes());
    for o in offsets {
        pdf.extend(format!("{o:010} 00000 n \n").into_bytes());
    }
    pdf.extend(
        format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).into_bytes(),
    );
    pdf
}

/// Two files on a lead of the inspector's hospital: a scanned letter (PDF) on the lead, and a
/// written reply on its latest step.
pub(super) async fn seed_attachments(app: &App) -> Result<(), AppError> {
    let who = Credentials { username: "inspector", password: PASSWORD, otp: None, client: "demo" };
    let inspector = app.protection().login(&who, LoginKind::Browser).await?.actor;
    let params = domain::ledger::query::LedgerParams {
        unit_id: inspector.unit_id.to_string(),
        status: "open".into(),
        per_page: "1".into(),
        ..Default::default()
    };
    let Some(lead) = app.ledger().list(&inspector.ledger()?, &params).await?.items.into_iter().next() else {
        return Ok(());
    };
    let letter = sample_pdf("Letter of report (sample scan)");
    attach(app, &inspector, AttachPlace::Lead(lead.id), "举报信扫描件.pdf", &letter).await?;
    let steps = app.lifecycle().timeline(&inspector.ledger()?, lead.id).await?;
    let reply =
        "函询回复：本人对所反映的问题说明如下。一、关于收受回扣问题，经核对账目，不存在上述情况。".as_bytes().to_vec();
    let place = steps.last().map_or(AttachPlace::Lead(lead.id), |s| AttachPlace::Step(lead.id, s.id));
    attach(app, &inspector, place, "函询回复.txt", &reply).await
}

/// Keeps one file at `place`, as `actor` would upload it.
pub(super) async fn attach(
    app: &App,
    actor: &crate::Actor,
    place: AttachPlace,
    name: &str,
    bytes: &[u8],
) -> Result<(), AppError> {
    let r = app.reporters();
    let mut up = r.attach_begin(actor, place, name, bytes).await?;
    r.attach_more(&mut up, bytes).await?;
    r.attach_finish(actor, up).await?;
    Ok(())
}

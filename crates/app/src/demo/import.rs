//! The demo's imported ledger (issue 13).

use super::PASSWORD;
use crate::{App, AppError};

/// The second hospital's old spreadsheet ledger, imported by its inspector as units do at
/// the start of a campaign (issue 13): its leads carry their 原编号 and an "imported" entry,
/// and the one row with an impossible date is left in the error workbook.
pub(super) async fn seed_import(app: &App) -> Result<usize, AppError> {
    use office::ledger_book::{ColumnSpec, LedgerWriter, Value};
    let heads = ["序号", "编号", "线索来源", "收件时间", "被反映人", "职务", "反映的主要问题", "问题类别", "办理进展"];
    let cols: Vec<ColumnSpec<'_>> = heads.iter().map(|h| ColumnSpec { header: h, width: 14.0, wrap: false }).collect();
    let xl = |e: office::XlsxError| AppError::Internal(Box::new(e));
    let mut w = LedgerWriter::new(
        "原台账",
        "市第二人民医院问题线索台账",
        ("填报单位：市第二人民医院", "填报时间：2019年7月"),
        &cols,
    )
    .map_err(xl)?;
    let rows: [[&str; 9]; 5] = [
        ["1", "EY-2019-01", "市纪委交办", "2019.6.3", "何某某", "总务科科长", "违规发放津贴补贴", "其他", "正在初核"],
        [
            "2",
            "EY-2019-02",
            "信访举报",
            "2019年6月12日",
            "罗某、马某某",
            "检验科主任、医生",
            "收受检验试剂供应商好处费",
            "其它",
            "已办结",
        ],
        ["3", "EY-2019-03", "巡察移交", "2019/06/20", "胡某某", "设备科副科长", "设备采购中收受回扣", "其他", "已立案"],
        ["4", "EY-2019-04", "信访举报", "2019-02-30", "林某", "护士长", "吃拿卡要", "其他", ""],
        ["5", "EY-2019-05", "信访举报", "2019-7-1", "高某某", "医生", "违规收受患者红包", "其他", "函询"],
    ];
    for r in &rows {
        let cells: Vec<Value<'_>> = r.iter().map(|c| Value::Text(c)).collect();
        w.row(&cells).map_err(xl)?;
    }
    let bytes = w.finish("合计：5件").map_err(xl)?;
    let who = crate::Credentials { username: "inspector2", password: PASSWORD, otp: None, client: "demo" };
    let inspector = app.protection().login(&who, crate::LoginKind::Browser).await?.actor;
    let keeper = inspector.ledger_keeper()?;
    let unit = inspector.unit_id;
    let id = app.ledger().import_upload(&keeper, unit, "市第二人民医院原台账.xlsx", &bytes).await?;
    let confirm = crate::ImportConfirm { skip_invalid: true, apply_changed: false };
    Ok(app.ledger().import_confirm(&keeper, id, confirm).await?.written as usize)
}

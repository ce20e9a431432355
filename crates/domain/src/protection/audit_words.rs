//! The audit trail in people's words: each action's name in Chinese and English, and a
//! before → after the auditor can read. The stored trail keeps its codes and JSON (the chain
//! hashes them); this is how they are shown and exported.

use serde_json::Value;

/// Every action the trail records: (code, Chinese, English).
pub const ACTIONS: &[(&str, &str, &str)] = &[
    ("session.login", "登录", "Signed in"),
    ("session.login_failed", "登录失败", "Sign-in failed"),
    ("session.login_refused", "登录被拒（锁定或停用）", "Sign-in refused (locked or disabled)"),
    ("session.logout", "退出", "Signed out"),
    ("session.form_kept", "会话超时时保留表单", "Form kept at session timeout"),
    ("session.form_resumed", "重新登录后恢复表单", "Kept form resumed"),
    ("lead.register", "登记线索", "Registered a lead"),
    ("lead.update", "修改线索", "Edited a lead"),
    ("lead.view", "查看线索", "Viewed a lead"),
    ("lead.list", "查询台账", "Searched the ledger"),
    ("lead.search", "检索线索", "Searched the leads"),
    ("relations.view", "查看关系网", "Viewed a relations graph"),
    ("relations.frequent", "查看多次被反映人员", "Listed persons named repeatedly"),
    ("lead.repeat_candidates", "比对重复件", "Checked a report for repeats"),
    ("lead.assign", "分办", "Assigned handlers"),
    ("lead.step", "办理步骤", "Took a step"),
    ("lead.step_proposed", "提出待审批事项", "Proposed a step"),
    ("lead.step_approved", "审批同意", "Approved a step"),
    ("lead.step_rejected", "审批驳回", "Rejected a step"),
    ("lead.follow_up", "登记后续工作", "Recorded follow-through"),
    ("lead.inquiry_event", "登记谈话函询进展", "Recorded a talk or inquiry event"),
    ("lead.transfer_receipt", "登记移交回执", "Recorded a transfer receipt"),
    ("lead.own", "确定包案", "Set leadership ownership"),
    ("lead.visit", "包案领导指导", "Owning leader's visit"),
    ("lead.sign_off", "包案领导签署", "Owning leader's sign-off"),
    ("lead.order", "挂牌督办", "Issued a follow-up order"),
    ("lead.order_report", "督办报告", "Reported on an order"),
    ("lead.move", "改变管辖", "Moved jurisdiction"),
    ("lead.move_proposed", "提出提级办理", "Proposed escalation"),
    ("lead.move_approved", "同意提级办理", "Approved escalation"),
    ("lead.move_rejected", "驳回提级办理", "Rejected escalation"),
    ("extension.request", "申请延期", "Requested an extension"),
    ("extension.sign", "延期签字", "Signed an extension"),
    ("extension.return", "退回延期申请", "Returned an extension"),
    ("extension.file", "延期备案", "Filed an extension"),
    ("extension.approve", "同意延期", "Approved an extension"),
    ("extension.reject", "不同意延期", "Refused an extension"),
    ("reporter.reveal", "查看举报人身份", "Revealed a reporter's identity"),
    ("reporter.export", "导出含举报人身份的台账", "Exported a ledger with reporters' identities"),
    ("ledger.export", "导出台账", "Exported the ledger"),
    ("ledger.import", "导入台账", "Imported a ledger"),
    ("reporter.reseal", "举报人身份重新加密", "Resealed a reporter's identity"),
    ("recusal.clear", "解除回避", "Cleared a recusal"),
    ("person.rekey", "人员索引换钥", "Re-keyed the person index"),
    ("meeting.record", "登记集体研判", "Recorded a collective study"),
    ("campaign.create", "创建专项", "Created a campaign"),
    ("campaign.update", "修改专项", "Edited a campaign"),
    ("campaign.close", "结束专项", "Closed a campaign"),
    ("deadline.rule", "修改期限规则", "Changed a deadline rule"),
    ("deadline.recompute", "重算暂定期限", "Recomputed provisional deadlines"),
    ("calendar.load", "导入节假日", "Loaded holidays"),
    ("warnings.scan", "预警扫描", "Warning scan"),
    ("unit.create", "新建单位", "Created a unit"),
    ("account.create", "新建账号", "Created an account"),
    ("account.unlock", "解锁账号", "Unlocked an account"),
    ("account.password_reset", "重置密码", "Reset a password"),
    ("account.password_change", "修改密码", "Changed own password"),
    ("account.email", "设置邮箱", "Set an e-mail address"),
    ("account.totp_enable", "启用动态口令", "Enabled one-time codes"),
    ("account.totp_reseal", "动态口令重新加密", "Resealed one-time codes"),
    ("grant.add", "授予权限", "Granted a role"),
    ("grant.remove", "撤销权限", "Revoked a role"),
    ("token.create", "创建接口令牌", "Created an API token"),
    ("token.revoke", "撤销接口令牌", "Revoked an API token"),
    ("audit.export", "导出审计记录", "Exported the audit trail"),
    ("demo.load", "载入演示数据", "Loaded the demo data"),
];

/// The action's name in the reader's language (the code itself if unknown: an entry written
/// by a later release).
pub fn action_label(code: &str, english: bool) -> &str {
    ACTIONS.iter().find(|(c, ..)| *c == code).map_or(code, |(_, zh, en)| if english { en } else { zh })
}

/// What kind of record an entry is about, in words.
pub fn record_kind(code: &str, english: bool) -> &str {
    match (code, english) {
        ("lead", false) => "线索",
        ("lead", true) => "Lead",
        ("user", false) => "账号",
        ("user", true) => "Account",
        ("unit", false) => "单位",
        ("unit", true) => "Unit",
        ("extension", false) => "延期申请",
        ("extension", true) => "Extension",
        ("campaign", false) => "专项",
        ("campaign", true) => "Campaign",
        ("meeting", false) => "研判会议",
        ("meeting", true) => "Meeting",
        ("import", false) => "导入",
        ("import", true) => "Import",
        ("audit", false) => "审计记录",
        ("audit", true) => "Audit trail",
        (other, _) => other,
    }
}

fn shown(v: &Value) -> String {
    match v {
        Value::Null => "—".into(),
        Value::String(s) => s.clone(),
        Value::Bool(true) => "✓".into(),
        Value::Bool(false) => "✗".into(),
        other => other.to_string(),
    }
}

/// A before → after as lines a person reads: for two objects, one line per field that
/// changed ("summary: 旧 → 新"); otherwise the two values. Text that is not JSON is shown as is.
pub fn readable_change(before: Option<&str>, after: Option<&str>) -> Vec<String> {
    let parse = |s: Option<&str>| s.map(|s| serde_json::from_str::<Value>(s).unwrap_or(Value::String(s.to_owned())));
    match (parse(before), parse(after)) {
        (None, None) => Vec::new(),
        (Some(Value::Object(a)), Some(Value::Object(b))) => {
            let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
            keys.sort();
            keys.dedup();
            keys.into_iter()
                .filter_map(|k| {
                    let (x, y) = (a.get(k).unwrap_or(&Value::Null), b.get(k).unwrap_or(&Value::Null));
                    (x != y).then(|| format!("{k}: {} → {}", shown(x), shown(y)))
                })
                .collect()
        }
        (Some(Value::Object(o)), None) | (None, Some(Value::Object(o))) => {
            o.iter().map(|(k, v)| format!("{k}: {}", shown(v))).collect()
        }
        (a, b) => vec![format!("{} → {}", a.as_ref().map_or("—".into(), shown), b.as_ref().map_or("—".into(), shown))],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_have_names_in_both_languages() {
        assert_eq!(action_label("session.login", false), "登录");
        assert_eq!(action_label("lead.step_rejected", true), "Rejected a step");
        assert_eq!(action_label("future.thing", false), "future.thing", "an unknown code is shown as it is");
        let mut codes: Vec<&str> = ACTIONS.iter().map(|a| a.0).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), ACTIONS.len(), "each code once");
    }

    #[test]
    fn a_change_reads_field_by_field() {
        let lines = readable_change(
            Some(r#"{"summary":"旧","unit":2,"important":false}"#),
            Some(r#"{"summary":"新","unit":2,"important":true}"#),
        );
        assert_eq!(lines, ["important: ✗ → ✓", "summary: 旧 → 新"]);
        assert_eq!(readable_change(Some("\"registered\""), Some("\"assessed\"")), ["registered → assessed"]);
        assert_eq!(readable_change(None, Some("not json")), ["— → not json"]);
        assert!(readable_change(None, None).is_empty());
    }
}

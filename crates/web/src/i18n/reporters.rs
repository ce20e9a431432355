//! The reporter of a lead and the custodian's reveal.

texts! {
    /// The reporter of a lead and the custodian's reveal.
    ReportersTexts {
    reveal_title: "查看举报人身份", "Reveal the reporter's identity";
    reveal_reason: "查看理由（必填，将记入审计日志）", "Reason (required; recorded in the audit trail)";
    reveal_button: "查看身份", "Reveal";
    revealed_notice: "举报人身份已显示，本次查看及理由已记入审计日志。离开本页后不再显示。", "The identity is shown; this look and its reason are in the audit trail. It is not shown again once you leave this page.";
    reporter: "反映人", "Reporter";
    reporter_kind: "举报方式", "Kind";
    reporter_name: "反映人姓名", "Reporter's name";
    reporter_contact: "联系方式", "Contact";
    protected: "已保护", "Protected";
    export_link: "导出含举报人身份…", "Export with identities…";
    export_title: "导出含举报人身份的台账", "Export the ledger with reporters' identities";
    export_warning: "导出的工作表将含实名举报人的姓名和联系方式。请按保密规定保管，不得外传、不得转交被反映人所在单位；本次导出及其理由将记入审计日志。", "The sheet will hold signed reporters' names and contacts. Keep it as the confidentiality rules require: never pass it on, least of all to the unit of the person reported. This export and its reason are recorded in the audit trail.";
    export_leads: "将导出的线索（件）", "Leads to export";
    export_signed: "其中实名举报（件）", "Of which signed";
    export_scope: "范围：您保管范围内、符合台账当前筛选条件的线索。", "Scope: the leads in your custody that the ledger's current filters select.";
    export_back: "返回台账修改筛选条件", "Back to the ledger to change the filters";
    export_reason: "导出理由（必填，至少 4 个字，将记入审计日志）", "Reason (required, at least 4 characters; recorded in the audit trail)";
    export_reason_hint: "如：向实名举报人集中反馈办理结果", "e.g. telling signed reporters the results";
    export_button: "导出（记入审计）", "Export (audited)";
    }
}

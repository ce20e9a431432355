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
    }
}

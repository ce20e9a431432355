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
    fb_title: "反馈与回访", "Feedback and follow-up";
    fb_intro: "实名举报：受理后15个工作日内告知受理情况（重复举报除外），办结后15个工作日内反馈办理结果，反馈后5个工作日内回访满意度。每次反馈都记录日期、方式和反馈人；未反馈结果的实名举报线索不能销号。", "Signed reports: tell the reporter of acceptance within 15 working days of receipt (not for repeat reports), of the result within 15 working days of closure, and follow up on satisfaction within 5 working days of the result. Each feedback is recorded with its date, method and who gave it; a signed report is not struck off before the result is told.";
    fb_signed: "实名举报", "Signed report";
    fb_anonymous: "匿名举报：没有联系方式，只能通过网上举报平台反馈。", "Anonymous report: no contact; only the online portal reaches the reporter.";
    fb_none: "尚未登记反馈。", "No feedback recorded yet.";
    fb_kind: "反馈事项", "Feedback";
    fb_on: "反馈日期", "Date";
    fb_method: "方式", "Method";
    fb_given_by: "反馈人", "Given by";
    fb_given_by_hint: "留空即为本人", "Blank: yourself";
    fb_note: "情况说明", "Notes";
    fb_rating: "满意度（回访时填写）", "Satisfaction (at the follow-up)";
    fb_rating_short: "满意度", "Satisfaction";
    fb_reasons: "理由（不满意时必填）", "Reasons (required when unsatisfied)";
    fb_recorded_by: "登记人", "Recorded by";
    fb_record: "登记反馈", "Record feedback";
    fb_nothing_owed: "目前没有应登记的反馈。", "No feedback is owed now.";
    done_feedback: "已登记反馈。", "Feedback recorded.";
    ob_title: "举报人异议", "Reporter's objections";
    ob_none: "没有异议。", "No objections.";
    ob_received_on: "收到日期", "Received on";
    ob_content: "异议内容", "The objection";
    ob_new_material: "提供了新材料", "New material brought";
    ob_record: "登记异议", "Record the objection";
    ob_state: "状态", "State";
    ob_answered_on: "答复日期", "Answered on";
    ob_outcome: "处理结果", "Outcome";
    ob_answer: "答复内容", "The answer";
    ob_material_checked: "新材料核查情况（有新材料时必填）", "How the new material was checked (required when there is some)";
    ob_answer_button: "登记答复", "Record the answer";
    ob_reopen_hint: "选择“重新核查”将提出重新启动该线索，经纪委书记（负责人）审批后生效。", "Choosing re-check proposes to reopen the lead; it takes effect when the committee head approves.";
    done_objection: "已登记异议。", "Objection recorded.";
    done_answer: "已登记答复。", "Answer recorded.";
    done_answer_reopen: "已登记答复，并提出重新启动该线索，待审批。", "Answer recorded; reopening the lead is proposed and awaits approval.";
    sat_nav: "群众满意度", "Satisfaction";
    sat_title: "群众满意度", "Reporters' satisfaction";
    sat_intro: "满意率 = （满意 + 基本满意）÷ 回访件数，按回访日期统计，单位为线索的承办单位。没有回访的单位不计满意率。", "Rate = (satisfied + basically satisfied) ÷ followed up, counted by the day of the follow-up, per handling unit. A unit without follow-ups has no rate.";
    sat_from: "起始日期", "From";
    sat_to: "截止日期", "To";
    sat_show: "统计", "Show";
    sat_unit: "单位", "Unit";
    sat_followed: "回访件数", "Followed up";
    sat_satisfied: "满意", "Satisfied";
    sat_basic: "基本满意", "Basically satisfied";
    sat_unsatisfied: "不满意", "Unsatisfied";
    sat_rate: "满意率", "Rate";
    sat_total: "合计", "Total";
    sat_none: "该期间没有回访。", "No follow-ups in this period.";
    back_to_lead: "返回线索", "Back to the lead";
    }
}

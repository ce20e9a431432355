//! Steps, approvals, the timeline, extensions, deadlines and the queue.

texts! {
    /// Steps, approvals, the timeline, extensions, deadlines and the queue.
    LifecycleTexts {
    timeline: "办理过程（全程留痕）", "Handling record (every step)";
    no_timeline: "尚无办理记录。", "No steps yet.";
    step_label: "办理步骤", "Step";
    step_time: "时间", "Time";
    step_by: "经办人", "By";
    step_state: "状态", "State";
    step_note: "说明", "Note";
    receipt_title: "移交回执", "Receipt of the transfer";
    side_clocks: "其他期限", "Other clocks";
    side_clock_done: "已完成", "done";
    clearing_question: "是否需要为被反映人澄清正名？请在下方记录「澄清正名」或「经研究无需澄清」，作出决定后方可销号。", "Should the person named be cleared? Record \"cleared\" or \"clearing found unnecessary\" below; the lead can be struck off once decided.";
    inquiry_title: "谈话函询进展", "The talk or inquiry";
    inquiry_event: "事项", "What happened";
    inquiry_on: "日期", "Day";
    inquiry_record: "记录", "Record";
    inquiry_hint: "发函后书面回复期限 15 个工作日；谈话或收到回复后 30 日内办结。", "After a letter the reply is due in 15 working days; the talk or inquiry is concluded within 30 days of the talk or the reply.";
    receipt_date: "接收单位签收日期", "Day the receiving body signed for it";
    receipt_record: "登记回执", "Record the receipt";
    receipt_hint: "登记回执后，该移交件方计为清零（专项另有规定的除外）。", "Once its receipt is recorded the transfer counts as cleared (unless the campaign waives it).";
    step_approval: "审批", "Approval";
    take_step: "办理", "Take a step";
    disposition_label: "处置方式", "Disposition";
    finding_label: "办结结果", "Finding";
    endorsement_note: "结果为“查否”或“无法查实”的，提交即由您本人对该结论签字背书（记录姓名、时间和结论摘要，复审时查看）。", "For a finding of unfounded or unverifiable, submitting it is your signed endorsement of it (your name, the time and a digest are kept and shown at review).";
    nature_label: "性质认定", "Nature";
    form_label: "四种形态", "Form (1–4)";
    sanction_label: "处理结果", "Sanction";
    receiving_body_label: "接收单位", "Receiving body";
    merge_into_label: "原线索编号", "Earlier lead number";
    step_pending_notice: "该线索有待审批的事项：", "This lead has a step awaiting approval: ";
    approve: "同意", "Approve";
    reject: "驳回", "Reject";
    decision_note_label: "审批意见（驳回时必填）", "Decision note (required to reject)";
    follow_up_title: "后续工作", "Follow-through";
    follow_up_kind: "事项", "Kind";
    queue_title: "待办", "My queue";
    queue_approvals: "待我审批", "Awaiting my approval";
    queue_empty: "暂无待办事项。", "Nothing waiting for you.";
    proposed_by: "提出人", "Proposed by";
    extensions_title: "延期申请", "Extensions";
    ext_requested: "申请", "Requested";
    ext_days: "天数", "Days";
    ext_reason: "理由", "Reason";
    ext_signature: "签字", "Signature";
    ext_change: "期限变化", "Deadline change";
    ext_flagged: "超一个月或多次延期", "Over a month or repeated";
    ext_request: "申请延期", "Request an extension";
    ext_sign: "签字", "Sign";
    ext_file: "备案", "File";
    queue_sign: "待我签字的延期申请", "Extensions awaiting my signature";
    queue_file: "待备案的延期申请", "Extensions to file";
    queue_ext_approve: "待我审批的延期申请", "Extensions awaiting my approval";
    deadline_provisional: "（暂定：该年节假日尚未发布）", "(provisional: that year's holidays are not published yet)";
    inbox_title: "通知", "Notifications";
    mark_read: "全部标为已读", "Mark all read";
    status_change: "状态变化", "Status change";
    rules_title: "期限规则", "Deadline rules";
    rules_hint: "修改只影响此后确定的期限；已确定的期限不变。", "Changes apply to deadlines set from now on; existing deadlines stay.";
    rule_name: "规则", "Rule";
    rule_amount: "时限", "Amount";
    rule_unit: "单位", "Unit";
    rule_blue: "蓝色预警（已用时%）", "Blue at (% used)";
    rule_yellow: "黄色预警（剩余工作日）", "Yellow at (working days left)";
    calendar_title: "工作日日历", "Working-day calendar";
    calendar_loaded_to: "已导入节假日安排至", "Holidays loaded through";
    compute_from: "起算日", "From";
    compute_days: "工作日数", "Working days";
    compute: "计算", "Compute";
    calendar_load: "导入新一年的节假日与调休（CSV：date,kind,name_en,name_zh）", "Load a new year's holidays and make-up days (CSV: date,kind,name_en,name_zh)";
    calendar_load_button: "导入并重算暂定期限", "Load and recompute provisional deadlines";
    cite_meeting: "依据的研判会议", "Decided at meeting";
    final_deadline: "办结期限", "Final deadline";
    stage_deadline: "环节期限", "Stage deadline";
    no_stage_clock: "—（已办结，不计时）", "— (closed: no clock)";
    final_not_set: "提出处置意见后确定（按处置方式的期限）", "Set by the disposition (the time its handling allows)";
    tasks_title: "待我办理", "Waiting for me";
    proposal: "拟办事项", "Proposal";
    notice_colour: "预警", "Warning";
    notice_text: "内容", "Notice";
    any: "全部", "All";
    unread_only: "只看未读", "Unread only";
    unread_tag: "未读", "unread";
    filter: "筛选", "Filter";
    no_notices: "没有符合条件的通知。", "No notices match.";
    ext_digest: "签名摘要（可核验）", "Signature digest (to verify)";
    ext_sign_confirm: "确认签字同意延期？期限 ", "Sign and agree to the extension? Deadline ";
    ext_return: "退回", "Return";
    ext_return_reason: "退回理由", "Reason for returning";
    confirm_label: "确认", "Confirmation";
    confirm_transfer: "我已核对接收单位：移交后线索离开本单位台账，不能撤回（提交后报纪委书记审批）。", "I have checked the receiving body: once transferred the lead leaves this unit's ledger and cannot be taken back (submitted for the committee head's approval).";
    confirm_merge: "我已核对原线索：合并后本件作为重复件关闭，不能撤回（提交后报纪委书记审批）。", "I have checked the earlier lead: once merged this one closes as a repeat and cannot be taken back (submitted for the committee head's approval).";
    confirm_strike_off: "我已核对后续工作均已完成：销号后线索关闭，重新启动须经审批。", "I have checked the follow-through is done: striking off closes the lead; reopening it needs approval.";
    waits_tag: "报纪委书记审批", "Goes to the committee head";
    submit_proposal: "报请审批", "Submit for approval";
    form_errors_heading: "未能提交，请修改以下各项（填写内容已保留）：", "Not submitted; correct the following (what you typed is kept):";
    form_failed_banner: "有一项办理未能提交，见下方标出的表单。", "An action was not submitted; see the form marked below.";
    form_failed_link: "转到该表单", "Go to the form";
    form_print: "打印", "Print";
    form_docx: "下载 Word 文档", "Download as Word";
    form_back: "返回线索", "Back to the lead";
    form_number: "编号：", "No. ";
    form_signature: "签名", "Signed";
    form_date: "日期", "Date";
    form_steps: "办理过程", "Steps";
    form_when: "时间", "When";
    form_what: "事项", "What";
    form_who: "经办人", "By";
    form_state: "状态", "State";
    print_form: "打印呈批表", "Print the approval form";
    print_record: "打印卷宗", "Print the record";
    }
}

/// What a step did, in words: taken ("已完成「研判」，线索现为「已研判」。") or proposed
/// ("已提出「初步核实」处置意见，待纪委书记审批。").
pub fn step_done(en: bool, step: &str, disposition: Option<&str>, outcome: &app::StepOutcome) -> String {
    match (outcome, disposition, en) {
        (app::StepOutcome::Applied(to), _, false) => format!("已完成「{step}」，线索现为「{}」。", to.zh()),
        (app::StepOutcome::Applied(to), _, true) => {
            format!("{step}: done; the lead is now {}.", to.en().to_lowercase())
        }
        (app::StepOutcome::Pending, Some(d), false) => format!("已提出「{d}」处置意见，待纪委书记审批。"),
        (app::StepOutcome::Pending, Some(d), true) => {
            format!("Disposition \"{d}\" proposed; it waits for the committee head's approval.")
        }
        (app::StepOutcome::Pending, None, false) => format!("已提出「{step}」，待纪委书记审批。"),
        (app::StepOutcome::Pending, None, true) => {
            format!("{step}: proposed; it waits for the committee head's approval.")
        }
    }
}

/// "已记录「…」。"
pub fn recorded(en: bool, what: &str) -> String {
    if en { format!("Recorded: {what}.") } else { format!("已记录「{what}」。") }
}

/// What a decision did.
pub fn decided(en: bool, approved: bool) -> &'static str {
    match (approved, en) {
        (true, false) => "已同意，该事项已生效。",
        (true, true) => "Approved; it has taken effect.",
        (false, false) => "已驳回，并已记录驳回意见。",
        (false, true) => "Rejected, with your reason recorded.",
    }
}

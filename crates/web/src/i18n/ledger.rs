//! The ledger, the lead page and the register form.

texts! {
    /// The ledger, the lead page and the register form.
    LedgerTexts {
    id_number: "身份证号（选填，仅存摘要）", "ID number (optional; only a hash is kept)";
    recused_notice: "线索已登记。被反映人可能是您本人（姓名、单位相同或相近），按回避规定此线索今后对您不可见；如确非同一人，可由监督检查室核实后标记。编号：", "Lead registered. A subject may be you (same or similar name and unit), so under the recusal rule the lead is kept from you from now on; if it is someone else, the supervising office can check and mark it. Number: ";
    routed_notice: "线索已登记。因反映本单位主要负责人，已按规定报送上级单位办理，本单位不再查看。编号：", "Lead registered. As it concerns this unit's head, it went to the body above, and this unit no longer sees it. Number: ";
    warning_label: "预警", "Warning";
    overdue_filter: "逾期", "Overdue";
    handler: "承办人", "Handler";
    handlers_title: "分办", "Assignment to handlers";
    handlers_hint: "勾选本单位的承办人账号；不勾选则撤销分办。无账号的责任人仍可在“修改”中填写。", "Tick the unit's handler accounts; ticking none withdraws the assignment. A responsible person without an account can still be entered under Edit.";
    handlers_no_candidates: "本单位尚无承办人账号，请联系系统管理员开设。", "The unit has no handler accounts yet; ask the system administrator to open one.";
    assign_handlers: "保存分办", "Save assignment";
    overdue_only: "仅逾期未办结", "Overdue only";
    reverse_plan: "倒排时间：", "Reverse schedule:";
    ledger_title: "问题线索台账", "Problem-lead ledger";
    all: "全部", "All";
    all_open: "全部未办结", "All open";
    all_closed: "全部已清零（已办结/移交/合并等）", "All cleared (closed)";
    unit_incl_sub: "单位（含下级）", "Unit (incl. sub-units)";
    source: "来源", "Source";
    source_doc_no: "来源文号", "Source document no.";
    assigning_body: "交办机关", "Assigning body";
    category: "问题类别", "Category";
    problem_domain: "问题领域", "Problem domain";
    stock_class: "存量/增量", "Stock / new";
    received_on: "受理日期", "Received";
    received_from: "受理日期自", "Received from";
    received_to: "至", "to";
    responsible_leader: "责任领导", "Responsible leader";
    responsible_person: "责任人", "Responsible person";
    important: "重要线索", "Important";
    yes: "是", "Yes";
    no: "否", "No";
    keyword: "关键词", "Keyword";
    keyword_hint: "编号、被反映人或摘要", "Number, subject or summary";
    sort: "排序", "Sort";
    subjects: "被反映人", "Subjects";
    summary: "问题摘要", "Summary";
    deadline: "办结期限", "Deadline";
    deadline_hint: "留空则按规则自动计算：存量线索为清零期限，新增线索为受理后一个月。", "Leave empty for the default: the clearance deadline for stock leads, one month after receipt for new ones.";
    handling_mode: "办理方式", "Handling mode";
    total_suffix: "件", "leads";
    edit: "修改", "Edit";
    register_title: "登记问题线索", "Register a problem lead";
    edit_title: "修改问题线索", "Edit problem lead";
    register_button: "登记", "Register";
    cancel: "取消", "Cancel";
    subject_name: "姓名", "Name";
    subject_unit: "所在单位", "Unit";
    subject_post: "职务", "Post";
    subject_rank: "职级", "Rank";
    political_status: "政治面貌", "Political status";
    cadre_level: "干部管理权限", "Cadre level";
    is_unit_head: "单位主要负责人（一把手）", "Head of the unit";
    add_subject: "添加被反映人", "Add a subject";
    subject_n: "被反映人", "Subject";
    form_has_errors: "提交的内容有误，请按提示修改。您填写的内容已保留。", "Some fields need correcting; what you typed is kept.";
    stale_notice: "保存前该线索已被他人修改，您的修改未保存。您填写的内容已保留；核对后再次提交将覆盖对方的修改。", "Someone changed this lead before you saved, so your change was not saved. What you typed is kept; submitting again will overwrite their change.";
    view_current: "查看当前内容", "View the current version";
    registered_ok: "线索已登记，编号：", "Lead registered, number: ";
    basic_info: "基本信息", "Basic information";
    record_info: "登记信息", "Record";
    updated: "最后修改", "Last changed";
    version: "版本", "Version";
    campaign: "专项工作", "Campaign";
    back_to_ledger: "返回台账", "Back to the ledger";
    important_tag: "重要", "Important";
    }
}

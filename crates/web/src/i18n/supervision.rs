//! Ownership, visits, meetings, orders, moves and the clearance board.

texts! {
    /// Ownership, visits, meetings, orders, moves and the clearance board.
    SupervisionTexts {
    board_title: "清零进度", "Clearance board";
    board_campaign: "专项工作", "Campaign";
    board_show: "查看", "Show";
    board_no_campaign: "尚无专项工作，清零进度从新建专项工作开始：", "No campaign yet; the clearance board starts with one:";
    stock_unowned: "未明确责任人", "No owners named";
    stock_unowned_note: "存量线索须逐件明确责任领导和责任人；尚未明确的未清零存量线索：", "Each stock lead names its responsible leader and person; stock leads not yet cleared that name neither: ";
    board_hint: "按清零率从低到高排列，工作滞后、进度迟缓的单位在前；点击数字查看对应线索。已清零：专项范围内（默认涉黑涉恶腐败、充当“保护伞”）办结、销号或予以了结的线索，移交件须接收单位回执；重复件只在原线索下计一次。", "Lowest clearance rate first, so lagging units lead; click a figure for the leads behind it. Cleared: leads in the campaign's scope (by default organised-crime corruption and protective umbrellas) concluded, struck off or settled; a transfer once its receipt is in; a repeat counts once, under its original.";
    clearance_deadline: "清零期限", "Clearance deadline";
    phase: "阶段", "Phase";
    days_left: "距清零期限还有", "Days to the clearance deadline:";
    days: "天", "";
    past_deadline: "已过清零期限", "Past the clearance deadline";
    stock_total: "存量线索", "Stock leads";
    stock_cleared: "已清零", "Cleared";
    stock_remaining: "未清零", "Remaining";
    clearance_rate: "清零率", "Clearance rate";
    stock_overdue: "存量逾期", "Stock overdue";
    new_total: "增量线索", "New leads";
    new_open: "增量在办", "New, open";
    new_overdue: "增量逾期", "New overdue";
    total_label: "合计", "Total";
    rank: "排名", "Rank";
    stock_transferred: "存量移交", "Stock transferred";
    awaiting_receipt: "待回执", "awaiting receipt";
    extensions_in_effect: "生效延期（次）", "Extensions in effect";
    of_which: "其中", "of which";
    board_export: "导出 Excel", "Export to Excel";
    board_order: "排序", "Order";
    board_printed: "各单位清零进度（排名按清零率；合计为全部单位）", "Clearance by unit (ranked by clearance rate; totals over all units)";
    ownership_title: "包案与研判", "Ownership and collective study";
    owning_leader: "包案领导", "Owning leader";
    owning_leader_username: "包案领导（用户名）", "Owning leader (username)";
    key_kind: "案件类型", "Kind";
    assign_owner: "确定包案", "Assign";
    visit_date: "日期", "Date";
    visit_place: "地点", "Place";
    visit_decision: "意见/决定", "Decision";
    sign_off: "签署办结意见", "Sign off the conclusion";
    sign_off_note: "包案领导意见", "Owning leader's note";
    meeting_title: "会议", "Meeting";
    meeting_attendees: "参会人员", "Attendees";
    meeting_items: "研判的线索（每行“线索编号：研判意见”）", "Leads studied (one per line: \"number: decision\")";
    record_meeting: "登记研判会议", "Record the meeting";
    meeting_recorded: "研判会议已登记。", "Meeting recorded.";
    supervision_title: "督办", "Supervision";
    order_label: "督办单", "Follow-up order";
    reply_due: "回复期限", "Reply due";
    order_closed: "已办结", "Closed";
    order_overdue: "逾期未回复", "No reply, overdue";
    report_stage: "报告类型", "Report";
    report_content: "报告内容", "Content";
    order_requirement: "督办要求", "Requirement";
    issue_order: "挂牌督办", "List for supervision";
    move_mode: "改变管辖", "Move jurisdiction";
    move_to: "指定管辖单位（指定管辖时）", "Designated unit (for designation)";
    move_button: "确定", "Move";
    confirm_move: "确定改变该线索的管辖？原单位将只能查看。", "Move this lead's jurisdiction? The original unit will only be able to read it.";
    routed_in_time: "按期研判分流", "Routed in time";
    routed_late: "件超期未研判", "late";
    units_count: "个单位", "units";
    done_ownership: "已确定包案领导。", "The owning leader is assigned.";
    done_visit: "已记录指导督导情况。", "The guidance visit is recorded.";
    done_sign_off: "已签署审核意见。", "The conclusion is signed off.";
    done_order: "已挂牌督办，督办单已发出。", "Listed for supervision: the order is sent.";
    done_report: "已提交督办报告。", "The report on the order is sent.";
    done_move: "已改变管辖。", "Jurisdiction changed.";
    }
}

//! Words every page shares: the frame, navigation, paging, buttons.

texts! {
    /// Words every page shares: the frame, navigation, paging, buttons.
    Common {
    app_name: "清零 · 问题线索台账与督办平台", "Qingling · Problem-lead ledger and supervision";
    app_short: "清零", "Qingling";
    switch_lang: "English", "中文";
    switch_lang_code: "en", "zh";
    colon: "：", ": ";
    list_sep: "、", ", ";
    semi: "；", "; ";
    lp: "（", " (";
    rp: "）", ")";
    skip_to_content: "跳到正文", "Skip to content";
    nav_ledger: "台账", "Ledger";
    nav_register: "登记线索", "Register a lead";
    nav_queue: "待办", "My queue";
    nav_supervision: "督办", "Supervision";
    nav_statistics: "统计", "Statistics";
    nav_bulletins: "通报", "Bulletins";
    nav_admin: "系统", "Administration";
    logout: "退出", "Sign out";
    nav_account: "我的账户", "My account";
    nav_audit: "审计日志", "Audit trail";
    submit_step: "提交", "Submit";
    record_follow_up: "登记", "Record";
    step_applied: "已办理。", "Done.";
    unread: "未读通知", "Unread notifications";
    open_tasks: "待我办理的事项", "Tasks waiting for you";
    meetings_title: "集体研判", "Collective study meetings";
    deadlines_title: "期限与日历", "Deadlines and calendar";
    filter: "筛选", "Filter";
    reset: "重置", "Reset";
    unit: "单位", "Unit";
    status: "状态", "Status";
    number: "线索编号", "Lead no.";
    total_prefix: "共", "";
    page: "页", "Page";
    prev_page: "上一页", "Previous";
    next_page: "下一页", "Next";
    no_results: "没有符合条件的线索。", "No leads match.";
    save: "保存", "Save";
    required_mark: "（必填）", "(required)";
    choose: "请选择", "Choose";
    saved_ok: "修改已保存。", "Changes saved.";
    created: "登记", "Registered";
    error_title: "出错了", "Something went wrong";
    request_id: "请求编号", "Request id";
    back_home: "返回首页", "Back to the start";
    signed_in_as: "当前用户", "Signed in as";
    }
}

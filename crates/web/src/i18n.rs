//! The interface's words, Chinese first, with English behind the switch on every page.
//! A struct rather than string keys, so a template naming a missing text fails to compile.

macro_rules! texts {
    ($($key:ident: $zh:literal, $en:literal;)+) => {
        pub struct Texts { pub lang: &'static str, pub english: bool, $(pub $key: &'static str,)+ }
        pub static ZH: Texts = Texts { lang: "zh-CN", english: false, $($key: $zh,)+ };
        pub static EN: Texts = Texts { lang: "en", english: true, $($key: $en,)+ };
    };
}

texts! {
    app_name: "清零 · 问题线索台账与督办平台", "Qingling · Problem-lead ledger and supervision";
    app_short: "清零", "Qingling";
    switch_lang: "English", "中文";
    switch_lang_code: "en", "zh";
    skip_to_content: "跳到正文", "Skip to content";
    nav_ledger: "台账", "Ledger";
    nav_register: "登记线索", "Register a lead";
    nav_queue: "待办", "My queue";
    nav_supervision: "督办", "Supervision";
    nav_statistics: "统计", "Statistics";
    nav_bulletins: "通报", "Bulletins";
    nav_admin: "系统", "Administration";
    coming_later: "（后续版本）", "(coming later)";
    logout: "退出", "Sign out";
    login_title: "登录", "Sign in";
    username: "用户名", "Username";
    password: "密码", "Password";
    login_button: "登录", "Sign in";
    login_failed: "用户名或密码错误。", "Wrong username or password.";
    login_hint: "请使用本单位分配的账号登录。", "Sign in with the account your unit issued.";
    ledger_title: "问题线索台账", "Problem-lead ledger";
    filter: "筛选", "Filter";
    reset: "重置", "Reset";
    all: "全部", "All";
    all_open: "全部未办结", "All open";
    unit: "单位", "Unit";
    unit_incl_sub: "单位（含下级）", "Unit (incl. sub-units)";
    source: "来源", "Source";
    source_doc_no: "来源文号", "Source document no.";
    assigning_body: "交办机关", "Assigning body";
    category: "问题类别", "Category";
    problem_domain: "问题领域", "Problem domain";
    status: "状态", "Status";
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
    number: "线索编号", "Lead no.";
    subjects: "被反映人", "Subjects";
    summary: "问题摘要", "Summary";
    deadline: "办结期限", "Deadline";
    deadline_hint: "留空则按规则自动计算：存量线索为清零期限，新增线索为受理后一个月。", "Leave empty for the default: the clearance deadline for stock leads, one month after receipt for new ones.";
    handling_mode: "办理方式", "Handling mode";
    total_prefix: "共", "";
    total_suffix: "件", "leads";
    page: "页", "Page";
    prev_page: "上一页", "Previous";
    next_page: "下一页", "Next";
    no_results: "没有符合条件的线索。", "No leads match.";
    edit: "修改", "Edit";
    register_title: "登记问题线索", "Register a problem lead";
    edit_title: "修改问题线索", "Edit problem lead";
    save: "保存", "Save";
    register_button: "登记", "Register";
    cancel: "取消", "Cancel";
    required_mark: "（必填）", "(required)";
    choose: "请选择", "Choose";
    subject_name: "姓名", "Name";
    subject_unit: "所在单位", "Unit";
    subject_post: "职务", "Post";
    subject_rank: "职级", "Rank";
    political_status: "政治面貌", "Political status";
    cadre_level: "干部管理权限", "Cadre level";
    is_unit_head: "单位主要负责人（一把手）", "Head of the unit";
    add_subject: "添加被反映人", "Add a subject";
    subject_n: "被反映人", "Subject";
    reporter: "反映人", "Reporter";
    reporter_kind: "举报方式", "Kind";
    reporter_name: "反映人姓名", "Reporter's name";
    reporter_contact: "联系方式", "Contact";
    protected: "已保护", "Protected";
    form_has_errors: "提交的内容有误，请按提示修改。您填写的内容已保留。", "Some fields need correcting; what you typed is kept.";
    stale_notice: "保存前该线索已被他人修改，您的修改未保存。您填写的内容已保留；核对后再次提交将覆盖对方的修改。", "Someone changed this lead before you saved, so your change was not saved. What you typed is kept; submitting again will overwrite their change.";
    view_current: "查看当前内容", "View the current version";
    registered_ok: "线索已登记，编号：", "Lead registered, number: ";
    saved_ok: "修改已保存。", "Changes saved.";
    basic_info: "基本信息", "Basic information";
    record_info: "登记信息", "Record";
    created: "登记", "Registered";
    updated: "最后修改", "Last changed";
    version: "版本", "Version";
    campaign: "专项工作", "Campaign";
    back_to_ledger: "返回台账", "Back to the ledger";
    error_title: "出错了", "Something went wrong";
    request_id: "请求编号", "Request id";
    back_home: "返回首页", "Back to the start";
    signed_in_as: "当前用户", "Signed in as";
    important_tag: "重要", "Important";
}

pub fn texts(english: bool) -> &'static Texts {
    if english { &EN } else { &ZH }
}

//! Reporting: statistics and the dashboard (bulletins and work reports follow).

texts! {
    /// Statistics.
    ReportingTexts {
    stats_title: "统计", "Statistics";
    stats_intro: "按单位统计本专项工作在所选期间的线索办理情况；每个单位含其下级单位。指标含义见表头提示和页末说明；数字可点开查看对应线索。", "A campaign's figures for the chosen period, per unit, each unit with the units below it. Each figure's meaning is in its heading's tip and at the end of the page; numbers open the leads behind them.";
    campaign: "专项工作", "Campaign";
    period: "期间", "Period";
    period_hint: "如 2026-11（月）、2026-Q4（季度）、2026（年）、campaign（专项工作期间）", "e.g. 2026-11 (month), 2026-Q4 (quarter), 2026 (year), campaign";
    range_from: "或自定义：自", "Or a range: from";
    range_to: "至", "to";
    show: "统计", "Count";
    export: "导出统计表（xlsx）", "Export (xlsx)";
    compared_with: "上期", "Previous";
    unit_col: "单位", "Unit";
    rate_col: "比率", "Rate";
    own_suffix: "（本级）", " (own)";
    total: "合计", "Total";
    system: "全系统", "Whole system";
    table_main: "线索受理与清零", "Leads received and cleared";
    table_handling: "处置、延期与处理", "Dispositions, extensions and forms";
    table_oversight: "监督、整改与群众满意度", "Oversight, rectification and satisfaction";
    rates_title: "主要比率（本期 / 上期 / 全系统）", "Rates (this period / previous / whole system)";
    legend: "指标说明", "What each figure counts";
    by_category: "本期受理按问题类别", "Received in the period, by category";
    by_source: "本期受理按来源", "Received in the period, by source";
    by_sanction: "本期办结线索被反映人处理结果（人次）", "Subjects of leads closed in the period, by outcome";
    share: "占比", "Share";
    count: "数量", "Count";
    nothing: "本期无。", "None in the period.";
    up_to: "上一级", "Up";
    no_campaign: "尚无专项工作，无法统计。", "There is no campaign to count yet.";
    period_of: "统计期间：", "Period: ";
    filled_by: "填报单位：", "Reporting unit: ";
    dashboard_title: "概览", "Dashboard";
    to_statistics: "查看统计表", "Open the statistics";
    show_dashboard: "查看", "Show";
    today: "今天", "Today";
    clearance_deadline: "清零时限", "Clearance deadline";
    outlook_title: "存量线索清零进度与预测", "Stock clearance and forecast";
    outlook_intro: "折线为每周末剩余的存量线索；虚线按近几周的清零速度推算清零日期，红色竖线为清零时限。预计逾期的单位排在最前。", "The line is the stock left at the end of each week; the dashed line carries on at the pace of the last weeks to the day it reaches zero; the red rule is the clearance deadline. Units that will miss are listed first.";
    burn_title: "存量线索清零进度", " — stock left week by week";
    forecast_line: "按近{n}周清零速度预测", "Forecast at the pace of the last {n} weeks";
    will_miss: "预计逾期", "Will miss";
    on_track: "预计按期", "On track";
    clearance: "清零率", "Cleared";
    remaining: "剩余存量", "Stock left";
    pace: "近期每周清零", "Cleared a week lately";
    zero_on: "预计清零日期", "Clear on";
    needed: "需每周清零", "Needed a week";
    series_caption: "每周末剩余存量", "Stock left at each week's end";
    week_end: "日期", "Day";
    units_caption: "各单位清零预测（预计逾期的在前）", "Each unit's forecast (those that will miss first)";
    outlook_col: "预测", "Outlook";
    no_units_stock: "下级单位均无存量线索。", "No unit below has stock leads.";
    ranking_title: "各单位清零率排名", "Units ranked by clearance";
    stock: "存量", "Stock";
    cleared: "已清零", "Cleared";
    shares_title: "专项期间受理线索构成", "Leads received in the campaign";
    category_title: "按问题类别", "By category";
    source_title: "按来源", "By source";
    item_col: "项目", "Item";
    trend_title: "月度受理与办结", "Received and closed each month";
    month_col: "月份", "Month";
    received: "受理", "Received";
    closed: "办结", "Closed";
    ageing_title: "超期未办结线索（按超期时长）", "Open leads past their deadline, by how long";
    open_overdue: "在台账中查看全部超期线索", "Open every overdue lead in the ledger";
    sheet_title: "问题线索办理情况统计表", "Statistics of leads handled";
    }
}

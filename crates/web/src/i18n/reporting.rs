//! Reporting: statistics (bulletins and work reports follow).

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
    sheet_title: "问题线索办理情况统计表", "Statistics of leads handled";
    }
}

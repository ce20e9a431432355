//! Relations (关系网): the graph pages and the supervisors' list.

texts! {
    /// Relations (关系网).
    RelationsTexts {
    nav: "关系网", "Relations";
    person_title: "被反映人关系网", "Relations of a person named";
    lead_title: "线索关系网", "Relations of a lead";
    unit_title: "单位关系网", "Relations of a unit";
    intro: "以所选对象为中心，显示两层以内的关联：被反映人 ↔ 问题线索 ↔ 承办单位，同案被反映人，以及同一反映人的其他反映（反映人只以加密标识显示，不显示身份）。只包含您有权查看的线索。点击任一节点打开。", "Centred on the chosen item, everything within two steps: persons named ↔ leads ↔ the units holding them, co-subjects, and other reports by the same reporter (shown only by a sealed key, never who they are). Only leads you may read are included. Click any node to open it.";
    legend: "图例", "Legend";
    unfounded_legend: "虚线：已查否办结（或被反映于查否线索中）", "Dashed: closed as unfounded (or named in such a lead)";
    omitted: "另有 {n} 个关联节点未画出（按时间由近及远取前 200 个）。", "{n} more connected nodes are not drawn (the 200 nearest and latest are).";
    nodes_table: "节点一览", "All nodes";
    kind: "类型", "Kind";
    name: "名称", "Name";
    detail: "说明", "Detail";
    depth: "层级", "Step";
    frequent_title: "多次被反映人员", "Persons named repeatedly";
    frequent_intro: "您管辖范围内被多条线索反映的人员（同一人按人员库合并：身份证号摘要，或姓名与单位），以及同一人员被多次反映最多的单位。", "Persons named in several leads within your jurisdiction (one person as the person registry knows them: by ID-number hash, or name and unit), and the units where the same person is named most often.";
    min_leads: "至少被反映（条）", "Named in at least (leads)";
    show: "显示", "Show";
    leads: "线索数", "Leads";
    units: "涉及单位数", "Units";
    first_received: "最早受理", "First received";
    last_received: "最近受理", "Last received";
    graph: "关系网", "Graph";
    none: "没有符合条件的人员。", "No one matches.";
    repeat_units_title: "多次反映同一人员最多的单位", "Units naming the same person most often";
    repeat_persons: "被多次反映的人员数", "Persons named more than once";
    }
}

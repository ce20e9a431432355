//! Oversight (监督): the re-review of unfounded closures (查否复审复核).

texts! {
    /// Oversight.
    OversightTexts {
    nav_reviews: "复审复核", "Reviews";
    reviews_title: "查否案件复审复核", "Review of unfounded closures";
    reviews_intro: "以查否（或无法查实）办结的线索按规则列入复审：全部、按单位比例随机抽查（随机种子留存，可按同一种子重新抽取），或按规则选取（同一对象被重复反映、涉黑涉恶腐败和“保护伞”类、办结后群众仍在反映、该单位曾被退回重查）。复审人员不得来自办理单位，也不得是被反映人。", "Leads closed as unfounded (or unverifiable) enter review by rule: all, a random share of each unit (the seed is kept, so the same draw can be made again), or picked by rule (reported again, organised-crime corruption and protective-umbrella leads, the public still complaining, a unit that had a review returned before). Reviewers may not come from the handling unit or be named in the lead.";
    draw_title: "抽取复审案件", "Fill the queue";
    rule_all: "全部列入", "All closures";
    sample_percent: "每个单位随机抽查比例（%）", "Random share of each unit (%)";
    seed: "随机种子（留空自动生成）", "Seed (blank for a fresh one)";
    rule_repeat: "同一对象被重复反映", "Reported again";
    rule_category: "涉黑涉恶腐败和“保护伞”类", "Organised-crime corruption and protective umbrellas";
    rule_complaint: "办结后群众仍在反映", "The public still complains";
    rule_returned: "该单位曾被退回重查", "The unit had a review returned";
    draw: "抽取", "Draw";
    drawn: "已抽取：检查 {considered} 件查否办结线索，列入复审 {picked} 件（随机种子 {seed}）。", "Drawn: {considered} unfounded closures looked at, {picked} queued (seed {seed}).";
    state_filter: "复审状态", "State";
    all_states: "全部", "All";
    number: "线索编号", "Lead";
    unit: "办理单位", "Handling unit";
    reasons: "列入原因", "Why";
    state: "状态", "State";
    queued_at: "列入时间", "Queued";
    open: "打开", "Open";
    none: "暂无复审案件。", "No reviews.";
    figures_title: "各单位复审情况", "Reviews per unit";
    reviewed: "复审件数", "Reviewed";
    in_progress: "进行中", "In progress";
    upheld: "维持", "Upheld";
    returned: "退回重查", "Returned";
    draws_title: "最近的抽取记录", "Latest draws";
    draw_rules: "规则", "Rules";
    considered: "检查件数", "Looked at";
    picked: "列入件数", "Queued";
    drawn_by: "抽取人", "By";
    review_title: "复审复核", "Review";
    lead_summary: "线索摘要", "Summary";
    finding: "原办结结果", "Finding under review";
    endorsement: "查否背书", "Endorsement";
    endorsement_none: "该结论没有查否背书记录（在背书制度施行前办结）。", "This conclusion has no endorsement (concluded before endorsements were kept).";
    endorsed_by: "{signer} 于 {at} 签字背书，结论摘要 {hash}", "Endorsed by {signer} at {at}; digest {hash}";
    reviewers: "复审人员", "Reviewers";
    no_reviewers: "尚未指定复审人员。", "No reviewers assigned yet.";
    assign: "指定复审人员", "Assign reviewers";
    assign_hint: "只列出对该线索有监督职责、不属于办理单位、也未被该线索反映的人员。", "Only supervisors over the lead who are not of the handling unit and not named in it are listed.";
    no_candidates: "没有可指定的人员。", "Nobody can be assigned.";
    methods: "复审方式", "Methods";
    no_methods: "尚未记录复审方式。", "No methods recorded yet.";
    method: "方式", "Method";
    held_on: "日期", "Date";
    persons: "参加人员", "Who took part";
    notes: "情况记录", "Notes";
    recorded_by: "记录人", "Recorded by";
    add_method: "记录复审方式", "Record a method";
    checks: "检查事项", "Checks";
    answer: "结论", "Answer";
    reason: "理由", "Reasons";
    save_checks: "保存检查结论", "Save the checks";
    result: "复审结论", "Result";
    result_note: "结论意见", "Opinion";
    accountability: "发现失职失责，建议问责", "Dereliction found: accountability proposed";
    decide: "作出复审结论", "Give the result";
    confirm_result: "确认作出复审结论？“退回重新调查”将重新启动该线索，并按复审退回期限要求办理单位重新报结。此操作不能撤销。", "Give this result? Returning it reopens the lead at its unit with the resubmission deadline. This cannot be undone.";
    resubmit_due: "重新报结期限", "Resubmit by";
    decided_by: "作出人", "By";
    wait_for_reviewer: "由被指定的复审人员记录复审方式、检查事项和结论。", "The assigned reviewers record the methods, checks and result.";
    done_assign: "已指定复审人员。", "Reviewers assigned.";
    done_method: "已记录复审方式。", "Method recorded.";
    done_checks: "已保存检查结论。", "Checks saved.";
    done_upheld: "复审结论：维持原结论。", "Result: upheld.";
    done_returned: "复审结论：退回重新调查，线索已重新启动。", "Result: returned; the lead is reopened at its unit.";
    }
}

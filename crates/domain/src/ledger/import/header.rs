//! Finding the header of a unit's own spreadsheet ledger and what each column holds: the
//! header may sit under a title and 填报单位 lines, span two merged rows (被反映人情况 over
//! 姓名/单位/职务/职级), and name its columns in any of the usual ways.

crate::labelled_enum!(
    /// What a ledger column holds, as Qingling reads it. 原编号 is the unit's own number for
    /// the lead; 办理情况 says where it stands (mapped to the lifecycle).
    Column {
        Seq = ("seq", "序号", "No."),
        OriginalNumber = ("original_no", "原编号", "Sheet's own number"),
        LeadNumber = ("lead_no", "清零编号", "Qingling number"),
        Source = ("source", "线索来源", "Source"),
        SourceDocNo = ("source_doc_no", "来源文号", "Source document no."),
        ReceivedOn = ("received_on", "受理时间", "Received on"),
        SubjectName = ("subject_name", "被反映人", "Subject"),
        SubjectUnit = ("subject_unit", "单位", "Subject's unit"),
        SubjectPost = ("subject_post", "职务", "Post"),
        SubjectRank = ("subject_rank", "职级", "Rank"),
        Summary = ("summary", "反映的主要问题", "Summary"),
        Category = ("category", "问题类别", "Category"),
        Progress = ("progress", "办理情况", "Progress"),
        ResponsibleLeader = ("responsible_leader", "责任领导", "Responsible leader"),
        ResponsiblePerson = ("responsible_person", "责任人", "Responsible person"),
        Deadline = ("deadline", "办结时限", "Deadline"),
        Remarks = ("remarks", "备注", "Remarks"),
    }
);

/// The names ledgers give each column, after spaces, line breaks and `*` are taken out.
const SYNONYMS: &[(Column, &[&str])] = &[
    (Column::Seq, &["序号", "编序"]),
    (Column::OriginalNumber, &["线索编号", "编号", "原编号", "台账编号"]),
    (Column::LeadNumber, &["清零编号", "系统编号"]),
    (Column::Source, &["线索来源", "来源", "问题线索来源"]),
    (Column::SourceDocNo, &["来源文号", "交办文号", "转办文号", "文号"]),
    (Column::ReceivedOn, &["受理时间", "收件时间", "收到时间", "受理日期", "收件日期", "收到日期", "登记时间"]),
    (Column::SubjectName, &["被反映人", "姓名", "被反映人姓名", "反映对象"]),
    (Column::SubjectUnit, &["单位", "工作单位", "所在单位", "被反映人单位"]),
    (Column::SubjectPost, &["职务", "现任职务", "被反映人职务"]),
    (Column::SubjectRank, &["职级", "级别", "被反映人职级"]),
    (Column::Summary, &["反映的主要问题", "问题摘要", "主要问题", "反映问题", "主要内容", "问题线索摘要", "反映内容"]),
    (Column::Category, &["问题类别", "问题类型", "类别"]),
    (Column::Progress, &["办理情况", "办理进展", "处置方式", "办理状态", "处置情况"]),
    (Column::ResponsibleLeader, &["责任领导", "包案领导", "分管领导"]),
    (Column::ResponsiblePerson, &["责任人", "承办人", "经办人"]),
    (Column::Deadline, &["办结时限", "办结期限", "完成时限"]),
    (Column::Remarks, &["备注", "说明"]),
];

fn squeeze(label: &str) -> String {
    label.chars().filter(|c| !c.is_whitespace() && *c != '*' && *c != '＊').collect()
}

/// The column a header label names, if it is one of the usual names.
pub fn recognise(label: &str) -> Option<Column> {
    let l = squeeze(label);
    // 受理时间（收件时间） and the like: the name before a bracket counts.
    let head = l.split(['（', '(']).next().unwrap_or_default();
    SYNONYMS.iter().find(|(_, names)| names.contains(&l.as_str()) || names.contains(&head)).map(|(c, _)| *c)
}

/// The header as found: the row (0-based, the lower one of a two-row header), each
/// recognised column, the labels not recognised, and the columns named twice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub row: usize,
    pub columns: Vec<(usize, Column)>,
    pub unknown: Vec<(usize, String)>,
    /// The same column named by two labels: (the column, both positions).
    pub duplicates: Vec<(Column, usize, usize)>,
}

impl Header {
    pub fn position(&self, c: Column) -> Option<usize> {
        self.columns.iter().find(|(_, x)| *x == c).map(|(i, _)| *i)
    }
}

/// How far down the header may sit (title, 填报单位, 填报时间 lines above it).
pub const HEADER_WITHIN: usize = 10;

fn labels_of(rows: &[Vec<String>], r: usize) -> Vec<String> {
    // A cell empty in the lower row of a two-row header takes the label above it (a
    // vertically merged 序号); calamine gives a merged cell's value in its first cell only.
    let width = rows.get(r).map_or(0, Vec::len).max(r.checked_sub(1).and_then(|p| rows.get(p)).map_or(0, Vec::len));
    (0..width)
        .map(|c| {
            let here = rows.get(r).and_then(|row| row.get(c)).map(|s| s.trim()).unwrap_or_default();
            if !here.is_empty() || r == 0 {
                return here.to_owned();
            }
            rows.get(r - 1).and_then(|row| row.get(c)).map(|s| s.trim().to_owned()).unwrap_or_default()
        })
        .collect()
}

fn read(r: usize, labels: &[String]) -> Header {
    let mut h = Header { row: r, columns: Vec::new(), unknown: Vec::new(), duplicates: Vec::new() };
    for (i, label) in labels.iter().enumerate() {
        if label.is_empty() {
            continue;
        }
        match recognise(label) {
            Some(c) => match h.position(c) {
                Some(first) => h.duplicates.push((c, first, i)),
                None => h.columns.push((i, c)),
            },
            None => h.unknown.push((i, label.clone())),
        }
    }
    h
}

/// Finds the header among the first [`HEADER_WITHIN`] rows: the row whose labels name the most
/// known columns (at least three), read with the row above it when that is the upper half
/// of a two-row header.
pub fn find_header(rows: &[Vec<String>]) -> Option<Header> {
    (0..rows.len().min(HEADER_WITHIN))
        .map(|r| read(r, &labels_of(rows, r)))
        .filter(|h| h.columns.len() >= 3)
        .max_by_key(|h| (h.columns.len(), std::cmp::Reverse(h.row)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(rows: &[&[&str]]) -> Vec<Vec<String>> {
        rows.iter().map(|r| r.iter().map(|c| c.to_string()).collect()).collect()
    }

    #[test]
    fn the_usual_names_are_recognised() {
        assert_eq!(recognise("序 号"), Some(Column::Seq));
        assert_eq!(recognise("受理时间（收件时间）"), Some(Column::ReceivedOn));
        assert_eq!(recognise("*反映的主要问题"), Some(Column::Summary));
        assert_eq!(recognise("交办文号"), Some(Column::SourceDocNo));
        assert_eq!(recognise("办理\n进展"), Some(Column::Progress));
        assert_eq!(recognise("联系电话"), None);
    }

    #[test]
    fn the_header_is_found_under_a_title_and_across_two_merged_rows() {
        let rows = grid(&[
            &["市第一人民医院问题线索台账"],
            &["填报单位：市第一人民医院", "", "", "", "", "", "填报时间：2019年7月"],
            &["序号", "线索来源", "被反映人情况", "", "", "", "反映的主要问题", "办理情况", "联系电话"],
            &["", "", "姓名", "单位", "职务", "职级", "", "", ""],
            &["1", "信访举报", "张某", "药剂科", "科长", "正科级", "收受回扣", "正在初核", "139"],
        ]);
        let h = find_header(&rows).expect("a header");
        assert_eq!(h.row, 3, "the lower row of the two");
        assert_eq!(h.position(Column::Seq), Some(0), "序号 merged down from the row above");
        assert_eq!(h.position(Column::SubjectName), Some(2));
        assert_eq!(h.position(Column::SubjectRank), Some(5));
        assert_eq!(h.position(Column::Summary), Some(6));
        assert_eq!(h.position(Column::Progress), Some(7));
        assert_eq!(h.unknown, vec![(8, "联系电话".to_owned())]);
        assert!(h.duplicates.is_empty());
    }

    #[test]
    fn a_sheet_without_a_header_or_with_a_column_named_twice_says_so() {
        assert_eq!(find_header(&grid(&[&["张某", "收受回扣", "2019-7-1"]])), None);
        let h = find_header(&grid(&[&["序号", "编号", "线索编号", "姓名", "主要问题"]])).unwrap();
        assert_eq!(h.duplicates, vec![(Column::OriginalNumber, 1, 2)]);
        let deep: Vec<Vec<String>> = (0..12)
            .map(|i| if i == 11 { vec!["序号".into(), "姓名".into(), "主要问题".into()] } else { vec![] })
            .collect();
        assert_eq!(find_header(&deep), None, "not looked for below the first ten rows");
    }
}

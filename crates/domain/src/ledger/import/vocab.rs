//! Mapping the words a unit's ledger uses onto Qingling's vocabularies: a value that names
//! one entry without doubt is mapped (and shown in the preview); an ambiguous or unknown one
//! is left for the user to resolve in the mapping table.

use crate::ledger::lead::{Category, LeadStatus, Source};

/// How a written value maps onto a vocabulary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mapped {
    /// One entry, without doubt: its code.
    One(&'static str),
    /// Several entries could be meant: their codes, for the user to choose from.
    Ambiguous(Vec<&'static str>),
    Unknown,
}

/// A vocabulary as the matcher sees it: each entry's code and Chinese label, and the other
/// names ledgers give it.
pub struct Vocabulary {
    pub entries: Vec<(&'static str, &'static str)>,
    pub aliases: &'static [(&'static str, &'static str)],
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace() && !matches!(c, '“' | '”' | '"' | '「' | '」')).collect()
}

impl Vocabulary {
    /// Maps `written`: an exact label or alias first, then a label the value contains or that
    /// contains the value, when only one entry matches that way.
    pub fn map(&self, written: &str) -> Mapped {
        let w = squeeze(written);
        if w.is_empty() {
            return Mapped::Unknown;
        }
        if let Some((code, _)) = self.entries.iter().find(|(_, label)| squeeze(label) == w) {
            return Mapped::One(code);
        }
        if let Some((_, code)) = self.aliases.iter().find(|(alias, _)| squeeze(alias) == w) {
            return Mapped::One(code);
        }
        let mut near: Vec<&'static str> = self
            .entries
            .iter()
            .filter(|(_, label)| {
                let l = squeeze(label);
                w.contains(&l) || l.contains(&w)
            })
            .map(|(code, _)| *code)
            .collect();
        near.extend(self.aliases.iter().filter(|(alias, _)| w.contains(&squeeze(alias))).map(|(_, code)| *code));
        near.sort_unstable();
        near.dedup();
        match near.as_slice() {
            [] => Mapped::Unknown,
            [one] => Mapped::One(one),
            _ => Mapped::Ambiguous(near),
        }
    }
}

/// 线索来源 as ledgers write it.
pub fn sources() -> Vocabulary {
    Vocabulary {
        entries: Source::ALL.iter().map(|s| (s.code(), s.label(false))).collect(),
        aliases: &[
            ("其它", "other"),
            ("市纪委交办", "assigned_by_higher"),
            ("纪委交办", "assigned_by_higher"),
            ("上级转办", "assigned_by_higher"),
            ("信访", "petition_report"),
            ("来信", "petition_report"),
            ("来访", "petition_report"),
            ("网络举报", "petition_report"),
            ("巡察移交", "inspection_transfer"),
            ("巡视移交", "inspection_transfer"),
            ("审计", "audit_transfer"),
        ],
    }
}

/// 问题类别 as ledgers write it.
pub fn categories() -> Vocabulary {
    Vocabulary {
        entries: Category::ALL.iter().map(|c| (c.code(), c.label(false))).collect(),
        aliases: &[("其它", "other"), ("保护伞", "protective_umbrella"), ("涉黑涉恶", "gang_corruption")],
    }
}

/// 办理情况 as ledgers write it, onto the lifecycle's statuses.
pub fn statuses() -> Vocabulary {
    Vocabulary {
        entries: LeadStatus::ALL.iter().map(|s| (s.code(), s.label(false))).collect(),
        aliases: &[
            ("正在初核", "preliminary_verification"),
            ("初核中", "preliminary_verification"),
            ("初核", "preliminary_verification"),
            ("已立案", "case_filed"),
            ("立案", "case_filed"),
            ("办结", "concluded"),
            ("已结案", "concluded"),
            ("函询", "talk_inquiry"),
            ("谈话", "talk_inquiry"),
            ("暂存", "shelved"),
            ("了结", "settled"),
            ("移交", "transferred"),
            ("未办理", "registered"),
            ("待研判", "registered"),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_that_name_one_entry_are_mapped() {
        assert_eq!(sources().map("其它"), Mapped::One("other"));
        assert_eq!(sources().map("市纪委交办"), Mapped::One("assigned_by_higher"));
        assert_eq!(sources().map(" 信访举报 "), Mapped::One("petition_report"));
        assert_eq!(statuses().map("正在初核"), Mapped::One("preliminary_verification"));
        assert_eq!(statuses().map("已办结"), Mapped::One("concluded"));
        assert_eq!(statuses().map("已立案"), Mapped::One("case_filed"));
        assert_eq!(categories().map("充当保护伞"), Mapped::One("protective_umbrella"), "without the quotes");
        assert_eq!(categories().map("作风"), Mapped::One("work_style"), "a label that contains the value");
    }

    #[test]
    fn ambiguous_and_unknown_values_are_left_to_the_user() {
        // 上级 is in both 上级交办 and 上级督办.
        assert_eq!(sources().map("上级"), Mapped::Ambiguous(vec!["assigned_by_higher", "supervised_by_higher"]));
        assert_eq!(sources().map("群众来电"), Mapped::Unknown);
        assert_eq!(statuses().map(""), Mapped::Unknown);
    }
}

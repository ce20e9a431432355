//! Re-importing the same or an updated sheet creates no duplicates: a row is the lead that
//! has its Qingling number, else its 原编号, else its 来源文号 + first subject + received date;
//! the preview says whether the row is new, unchanged or changed, and what changed.

use std::collections::HashMap;

use serde::Serialize;
use time::Date;

use super::{
    header::Column,
    row::{Mapping, ReadRow},
};
use crate::{
    LeadId,
    ledger::lead::{Lead, LeadDraft},
};

/// What a lead already in the unit's ledger is known by.
#[derive(Debug, Clone)]
pub struct KnownLead {
    pub id: LeadId,
    pub number: String,
    pub original_no: Option<String>,
    pub source_doc_no: Option<String>,
    pub first_subject: Option<String>,
    pub received_on: Date,
}

/// The unit's leads, indexed by every key a row may match on.
#[derive(Debug, Default)]
pub struct Known {
    by_number: HashMap<String, LeadId>,
    by_original: HashMap<String, LeadId>,
    by_document: HashMap<(String, String, Date), LeadId>,
}

impl Known {
    pub fn new(leads: impl IntoIterator<Item = KnownLead>) -> Self {
        let mut k = Known::default();
        for l in leads {
            k.by_number.insert(l.number, l.id);
            if let Some(o) = l.original_no {
                k.by_original.entry(o).or_insert(l.id);
            }
            if let (Some(doc), Some(subject)) = (l.source_doc_no, l.first_subject) {
                k.by_document.entry((doc, subject, l.received_on)).or_insert(l.id);
            }
        }
        k
    }

    /// The lead a row is, if the ledger has it already.
    pub fn find(&self, lead_no: Option<&str>, row: &ReadRow, draft: &LeadDraft) -> Option<LeadId> {
        if let Some(id) = lead_no.and_then(|n| self.by_number.get(n.trim())) {
            return Some(*id);
        }
        if let Some(o) = &row.original_no {
            // A row with its own number is that number's lead or a new one: two leads may
            // share a document number (one assignment letter, several reports).
            return self.by_original.get(o).copied();
        }
        let doc = draft.source_doc_no.clone()?;
        let subject = draft.subjects.first()?.name.clone();
        self.by_document.get(&(doc, subject, draft.received_on)).copied()
    }
}

/// What a row would do to the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "fate", content = "columns", rename_all = "snake_case")]
pub enum Fate {
    New,
    Unchanged,
    /// The columns whose values differ from the lead's.
    Changed(Vec<Column>),
}

/// Compares a row with the lead it matched, on the columns the sheet has (a column it lacks
/// says nothing). A subject's blank unit stands for the registering unit (the form fills it
/// in), so it differs from nothing. The row's 办理情况 is compared too, but an import never
/// moves a lead through the lifecycle: that difference is reported, and the lead's status is
/// changed only by its own steps.
pub fn compare(row: &ReadRow, draft: &LeadDraft, lead: &Lead, mapping: &Mapping) -> Fate {
    let mut changed = Vec::new();
    let mut check = |c: Column, same: bool| {
        if !same && mapping.position(c).is_some() && !changed.contains(&c) {
            changed.push(c);
        }
    };
    check(Column::OriginalNumber, row.original_no.is_none() || row.original_no == lead.original_no);
    check(Column::Source, draft.source == lead.source);
    check(Column::SourceDocNo, draft.source_doc_no == lead.source_doc_no);
    check(Column::ReceivedOn, draft.received_on == lead.received_on);
    check(Column::Category, draft.category == lead.category);
    check(Column::Summary, draft.summary == lead.summary);
    check(Column::ResponsibleLeader, draft.responsible_leader == lead.responsible_leader);
    check(Column::ResponsiblePerson, draft.responsible_person == lead.responsible_person);
    check(Column::Deadline, draft.deadline.is_none_or(|d| d == lead.deadline));
    check(Column::Progress, row.status == lead.status);
    check(Column::SubjectName, draft.subjects.len() == lead.subjects.len());
    for (a, b) in draft.subjects.iter().zip(&lead.subjects) {
        check(Column::SubjectName, a.name == b.name);
        check(Column::SubjectUnit, a.unit_name.is_empty() || a.unit_name == b.unit_name);
        check(Column::SubjectPost, a.post == b.post);
        check(Column::SubjectRank, a.rank == b.rank);
    }
    if changed.is_empty() { Fate::Unchanged } else { Fate::Changed(changed) }
}

/// What a changed row leaves as it was: the fields a sheet never carries (the assigning
/// body, the problem domain, the handling mode, importance, a subject's political status,
/// cadre level and ID-number hash), those of the columns this sheet lacks, and the deadline
/// when the sheet gives none.
pub fn carry_over(draft: &mut LeadDraft, lead: &Lead, mapping: &Mapping) {
    let lacks = |c: Column| mapping.position(c).is_none();
    draft.assigning_body.clone_from(&lead.assigning_body);
    draft.problem_domain = lead.problem_domain;
    draft.handling_mode = lead.handling_mode;
    draft.important = lead.important;
    if lacks(Column::SourceDocNo) {
        draft.source_doc_no.clone_from(&lead.source_doc_no);
    }
    if lacks(Column::ResponsibleLeader) {
        draft.responsible_leader.clone_from(&lead.responsible_leader);
    }
    if lacks(Column::ResponsiblePerson) {
        draft.responsible_person.clone_from(&lead.responsible_person);
    }
    for s in &mut draft.subjects {
        if let Some(old) = lead.subjects.iter().find(|o| o.name == s.name) {
            s.political_status = old.political_status;
            s.cadre_level = old.cadre_level;
            s.is_unit_head = old.is_unit_head;
            s.id_number_hash.clone_from(&old.id_number_hash);
            if s.unit_name.is_empty() {
                s.unit_name.clone_from(&old.unit_name);
            }
            if lacks(Column::SubjectPost) {
                s.post.clone_from(&old.post);
            }
            if lacks(Column::SubjectRank) {
                s.rank.clone_from(&old.rank);
            }
        }
    }
}

#[cfg(test)]
#[path = "matching_tests.rs"]
mod tests;

//! A lead as the index holds it: what it may be found by, and what the caller's scope and the
//! ledger's filters test. The store reads it from the database; it is never the reporter.

use domain::{
    LeadId, UnitId, UserId,
    ledger::campaign::StockClass,
    ledger::lead::{Category, LeadStatus, Source},
};
use tantivy::{TantivyDocument, Term};
use time::Date;

use crate::{analysis::name_keys, schema::Fields};

/// A subject (被反映人) as searched: name, unit and post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubjectText {
    pub name: String,
    pub unit: String,
    pub post: String,
    /// The person registry's id, when linked.
    pub person: Option<i64>,
}

/// Flags a lead carries for the ledger's filters, derived where the database decides them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LeadFlags {
    pub important: bool,
    /// Cleared (已清零) as the board counts it.
    pub cleared: bool,
    /// Not cleared, a merged repeat aside.
    pub open: bool,
    /// An extension in effect; one flagged (over the cap or repeated).
    pub extended: bool,
    pub extension_flagged: bool,
    pub routed_late: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeadDoc {
    pub id: LeadId,
    /// The lead's unit and every unit above it.
    pub units: Vec<UnitId>,
    /// The unit it moved away from (提级, 指定管辖) and every unit above that.
    pub previous_units: Vec<UnitId>,
    pub owner: Option<UserId>,
    pub handlers: Vec<UserId>,
    /// Accounts the lead is kept from (回避).
    pub recused: Vec<UserId>,
    pub campaign: Option<i64>,
    pub source: Source,
    pub category: Category,
    pub status: LeadStatus,
    pub stock_class: StockClass,
    pub responsible_person: Option<String>,
    pub received_on: Date,
    pub deadline: Date,
    /// The lead number's sort key (sequence numbers padded).
    pub number_order: String,
    pub flags: LeadFlags,
    pub number: String,
    pub original_no: Option<String>,
    pub source_doc_no: Option<String>,
    pub summary: String,
    pub subjects: Vec<SubjectText>,
    /// Notes of its steps, conclusions and other timeline entries.
    pub notes: Vec<String>,
}

pub(crate) fn day(d: Date) -> i64 {
    i64::from(d.to_julian_day())
}

/// A total order key: the day, then the lead.
fn key(d: Date, id: LeadId) -> i64 {
    (day(d) << 32) | (id.get() & 0xFFFF_FFFF)
}

pub(crate) fn id_term(f: &Fields, id: LeadId) -> Term {
    Term::from_field_u64(f.id, id.get() as u64)
}

impl LeadDoc {
    pub(crate) fn to_document(&self, f: &Fields) -> TantivyDocument {
        let mut d = TantivyDocument::default();
        let u = |v: i64| v as u64;
        d.add_u64(f.id, u(self.id.get()));
        for x in &self.units {
            d.add_u64(f.units, u(x.get()));
        }
        for x in &self.previous_units {
            d.add_u64(f.previous_units, u(x.get()));
        }
        if let Some(o) = self.owner {
            d.add_u64(f.owner, u(o.get()));
        }
        for x in &self.handlers {
            d.add_u64(f.handlers, u(x.get()));
        }
        for x in &self.recused {
            d.add_u64(f.recused, u(x.get()));
        }
        for p in self.subjects.iter().filter_map(|s| s.person) {
            d.add_u64(f.persons, u(p));
        }
        if let Some(c) = self.campaign {
            d.add_u64(f.campaign, u(c));
        }
        d.add_text(f.source, self.source.code());
        d.add_text(f.category, self.category.code());
        d.add_text(f.status, self.status.code());
        d.add_text(f.stock, self.stock_class.code());
        if let Some(p) = &self.responsible_person {
            d.add_text(f.person, p);
        }
        let fl = &self.flags;
        for (on, name) in [
            (fl.important, "important"),
            (fl.cleared, "cleared"),
            (fl.open, "open"),
            (fl.extended, "extended"),
            (fl.extension_flagged, "flagged"),
            (fl.routed_late, "routed_late"),
        ] {
            if on {
                d.add_text(f.flags, name);
            }
        }
        d.add_i64(f.received, day(self.received_on));
        d.add_i64(f.deadline, day(self.deadline));
        d.add_i64(f.by_received, key(self.received_on, self.id));
        d.add_i64(f.by_deadline, key(self.deadline, self.id));
        d.add_text(f.by_number, &self.number_order);
        d.add_text(f.summary, &self.summary);
        d.add_text(f.words, &self.summary);
        let mut other = vec![self.number.as_str(), self.category.zh(), self.category.en()];
        other.extend(self.original_no.as_deref());
        other.extend(self.source_doc_no.as_deref());
        for s in &self.subjects {
            other.extend([s.name.as_str(), s.unit.as_str(), s.post.as_str()]);
            for k in name_keys(&s.name) {
                d.add_text(f.names, &k);
            }
        }
        for n in &self.notes {
            other.push(n);
            d.add_text(f.words, n);
        }
        for o in other.into_iter().filter(|o| !o.is_empty()) {
            d.add_text(f.other, o);
        }
        d
    }
}

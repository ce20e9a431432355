//! A request to the index as a tantivy query: the caller's scope and the ledger's filters as
//! exact clauses that score nothing, and what the user typed as the clauses that rank.

use std::ops::Bound;

use domain::{
    ledger::lead::LeadStatus,
    ledger::query::{LedgerFilter, LedgerSort},
    protection::scope::Scope,
};
use tantivy::{
    Term,
    query::{
        AllQuery, BooleanQuery, ConstScoreQuery, Occur, PhraseQuery, Query, RangeQuery, RegexQuery, TermQuery,
        TermSetQuery,
    },
    schema::{Field, IndexRecordOption},
};

use crate::{
    SearchError,
    analysis::{bigrams, maybe_initials, query_parts, runs},
    doc::day,
    schema::Fields,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortField {
    Received,
    Deadline,
    Number,
}

/// Best match first, or one of the ledger's orders (descending when `true`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    Relevance,
    Field(SortField, bool),
}

impl Order {
    pub fn of(sort: LedgerSort) -> Self {
        match sort {
            LedgerSort::ReceivedDesc => Self::Field(SortField::Received, true),
            LedgerSort::ReceivedAsc => Self::Field(SortField::Received, false),
            LedgerSort::DeadlineAsc => Self::Field(SortField::Deadline, false),
            LedgerSort::DeadlineDesc => Self::Field(SortField::Deadline, true),
            LedgerSort::NumberAsc => Self::Field(SortField::Number, false),
            LedgerSort::NumberDesc => Self::Field(SortField::Number, true),
            LedgerSort::Relevance => Self::Relevance,
        }
    }
}

/// What to find: within `scope`, the leads `filter` selects (its keyword is what was typed).
pub struct Request<'a> {
    pub scope: &'a Scope,
    pub filter: &'a LedgerFilter,
    pub order: Order,
    pub offset: usize,
    pub limit: usize,
}

type Clause = (Occur, Box<dyn Query>);

fn term_u(field: Field, v: i64) -> Term {
    Term::from_field_u64(field, v as u64)
}

fn term_s(field: Field, v: &str) -> Term {
    Term::from_field_text(field, v)
}

fn is(term: Term) -> Box<dyn Query> {
    Box::new(TermQuery::new(term, IndexRecordOption::Basic))
}

/// A clause that selects without ranking.
fn exact(q: Box<dyn Query>) -> Clause {
    (Occur::Must, Box::new(ConstScoreQuery::new(q, 0.0)))
}

fn any(clauses: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(clauses.into_iter().map(|q| (Occur::Should, q)).collect()))
}

fn all(clauses: Vec<Clause>) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(clauses))
}

fn before(f: &Fields, d: time::Date) -> Box<dyn Query> {
    Box::new(RangeQuery::new(Bound::Unbounded, Bound::Excluded(Term::from_field_i64(f.deadline, day(d)))))
}

/// Any of `terms`. One term is read as its postings, skipped through beside the other clauses;
/// a term set first gathers every document it matches (a supervisor's whole tree: a million).
fn one_of(mut terms: Vec<Term>) -> Box<dyn Query> {
    match terms.len() {
        1 => is(terms.remove(0)),
        _ => Box::new(TermSetQuery::new(terms)),
    }
}

fn statuses(f: &Fields, open: bool) -> Box<dyn Query> {
    let terms = LeadStatus::ALL.iter().filter(|s| s.is_open() == open).map(|s| term_s(f.status, s.code()));
    Box::new(TermSetQuery::new(terms))
}

/// The caller's scope as clauses: the units they see (and leads moved away from them, where
/// their grant reaches those), an owner's or handler's own leads, less the leads naming them.
fn within(f: &Fields, scope: &Scope) -> Vec<Clause> {
    let mut c: Vec<Clause> = Vec::new();
    let roots = || scope.roots().iter().map(|u| u.get());
    let mut reach: Vec<Box<dyn Query>> = vec![one_of(roots().map(|u| term_u(f.units, u)).collect())];
    if scope.includes_moved_away() {
        reach.push(one_of(roots().map(|u| term_u(f.previous_units, u)).collect()));
    }
    c.push(exact(any(reach)));
    if let Some(owner) = scope.owner() {
        c.push(exact(is(term_u(f.owner, owner))));
    }
    if let Some(handler) = scope.handler() {
        c.push(exact(is(term_u(f.handlers, handler))));
    }
    if let Some(user) = scope.recused_user() {
        c.push((Occur::MustNot, is(term_u(f.recused, user))));
    }
    c
}

/// The most character pairs of a text a similarity query looks for.
const SIMILAR_PAIRS: usize = 96;

/// The distinct character pairs of a text, as terms of the summary (the first 96).
pub(crate) fn summary_pairs(f: &Fields, text: &str) -> Vec<Term> {
    let mut seen = std::collections::HashSet::new();
    runs(text)
        .iter()
        .flat_map(|run| bigrams(run))
        .filter(|b| seen.insert(b.clone()))
        .take(SIMILAR_PAIRS)
        .map(|b| term_s(f.summary, &b))
        .collect()
}

/// Leads in `scope` whose summary holds at least a third of `pairs`, ranked by how many and how
/// rare; `None` without pairs.
pub(crate) fn similar(f: &Fields, scope: &Scope, pairs: Vec<Term>) -> Option<Box<dyn Query>> {
    if pairs.is_empty() {
        return None;
    }
    let least = pairs.len().div_ceil(3);
    let should = pairs
        .into_iter()
        .map(|t| (Occur::Should, Box::new(TermQuery::new(t, IndexRecordOption::WithFreqs)) as Box<dyn Query>))
        .collect();
    let mut c = within(f, scope);
    c.push((Occur::Must, Box::new(BooleanQuery::with_minimum_required_clauses(should, least))));
    Some(all(c))
}

pub(crate) fn build(f: &Fields, r: &Request<'_>) -> Result<Box<dyn Query>, SearchError> {
    let mut c = within(f, r.scope);
    filters(f, r.filter, &mut c);
    if let Some(typed) = &r.filter.keyword {
        let parts = query_parts(typed);
        if parts.is_empty() {
            // Nothing searchable was typed (only emoji or punctuation): nothing matches it.
            c.push((Occur::Must, Box::new(tantivy::query::EmptyQuery)));
        }
        for part in parts {
            c.push((Occur::Must, matches(f, &part)?));
        }
    }
    if c.iter().all(|(o, _)| *o == Occur::MustNot) {
        c.push((Occur::Must, Box::new(AllQuery)));
    }
    Ok(all(c))
}

/// One typed part: a phrase of the summary or of the other texts (number, subjects, notes), a
/// subject's name by a part of it or its pinyin initials.
fn matches(f: &Fields, part: &[char]) -> Result<Box<dyn Query>, SearchError> {
    let mut ways: Vec<Box<dyn Query>> = Vec::new();
    for field in [f.summary, f.other] {
        ways.push(phrase(field, part)?);
    }
    let text: String = part.iter().collect();
    if part.len() >= 2 {
        ways.push(is(term_s(f.names, &text)));
    }
    if maybe_initials(part) {
        ways.push(is(term_s(f.names, &text)));
    }
    Ok(any(ways))
}

fn phrase(field: Field, part: &[char]) -> Result<Box<dyn Query>, SearchError> {
    if let [c] = part {
        // One character: any pair that holds it, or itself where it stood alone.
        let c = regex_escaped(*c);
        let q = RegexQuery::from_pattern(&format!("{c}.?|.{c}"), field)?;
        return Ok(Box::new(q));
    }
    let terms: Vec<Term> = bigrams(part).iter().map(|b| term_s(field, b)).collect();
    Ok(match terms.len() {
        1 => Box::new(TermQuery::new(terms[0].clone(), IndexRecordOption::WithFreqs)),
        _ => Box::new(PhraseQuery::new(terms)),
    })
}

fn regex_escaped(c: char) -> String {
    if c.is_alphanumeric() { c.to_string() } else { format!("\\{c}") }
}

/// The ledger's filters, each as the SQL of `store::ledger::pages::push_filter` reads it.
fn filters(f: &Fields, x: &LedgerFilter, c: &mut Vec<Clause>) {
    let flag = |name: &str| is(term_s(f.flags, name));
    if let Some(u) = x.unit {
        c.push(exact(is(term_u(f.units, u.get()))));
    }
    if let Some(s) = x.source {
        c.push(exact(is(term_s(f.source, s.code()))));
    }
    if let Some(s) = x.category {
        c.push(exact(is(term_s(f.category, s.code()))));
    }
    if let Some(s) = x.status {
        c.push(exact(is(term_s(f.status, s.code()))));
    }
    if x.closed_only {
        c.push(exact(flag("cleared")));
    }
    if x.open_only {
        c.push(exact(flag("open")));
    }
    if let Some(s) = x.stock_class {
        c.push(exact(is(term_s(f.stock, s.code()))));
    }
    let received = |b: Bound<time::Date>| b.map(|d| Term::from_field_i64(f.received, day(d)));
    if x.received_from.is_some() || x.received_to.is_some() {
        let lower = x.received_from.map_or(Bound::Unbounded, Bound::Included);
        let upper = x.received_to.map_or(Bound::Unbounded, Bound::Included);
        c.push(exact(Box::new(RangeQuery::new(received(lower), received(upper)))));
    }
    if let Some(p) = &x.responsible_person {
        c.push(exact(is(term_s(f.person, p))));
    }
    if let Some(h) = x.handler {
        c.push(exact(is(term_u(f.handlers, h.get()))));
    }
    if let Some(k) = x.campaign {
        c.push(exact(is(term_u(f.campaign, k.get()))));
    }
    match x.extended {
        Some(false) => c.push(exact(flag("extended"))),
        Some(true) => c.push(exact(flag("flagged"))),
        None => {}
    }
    if let Some(today) = x.routed_late_before {
        c.push((Occur::MustNot, is(term_s(f.status, LeadStatus::Merged.code()))));
        let waiting = all(vec![exact(is(term_s(f.status, LeadStatus::Registered.code()))), exact(before(f, today))]);
        c.push(exact(any(vec![flag("routed_late"), waiting])));
    }
    if let Some(d) = x.overdue_before {
        c.push(exact(before(f, d)));
        c.push(exact(statuses(f, true)));
    }
    match x.important {
        Some(true) => c.push(exact(flag("important"))),
        Some(false) => c.push((Occur::MustNot, flag("important"))),
        None => {}
    }
}

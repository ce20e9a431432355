//! Search over the leads (issue 14): an embedded tantivy index, derived from the database and
//! rebuilt from it whenever it is missing, damaged or of another version. The caller's scope
//! and the ledger's filters are part of every query, so totals are exact and no page is
//! filtered after the fact. The index holds no reporter, ever.

pub mod analysis;
mod doc;
mod query;
mod schema;

use std::{path::Path, sync::Mutex};

use domain::{LeadId, protection::scope::Scope};
use tantivy::{
    DocAddress, Index as Tantivy, IndexReader, IndexWriter, Order, ReloadPolicy, TantivyDocument,
    collector::{Count, TopDocs},
    directory::MmapDirectory,
    schema::Value,
    snippet::SnippetGenerator,
};

pub use doc::{LeadDoc, LeadFlags, SubjectText};
pub use query::{Order as SearchOrder, Request, SortField};
use schema::Fields;

/// What went wrong in the index: never shown to a user (searches fall back to the database
/// while the index is rebuilt).
#[derive(Debug)]
pub struct SearchError {
    message: String,
    /// Another process holds the index (its writer's lock): never a reason to rebuild it.
    in_use: bool,
}

impl SearchError {
    fn new(message: impl Into<String>) -> Self {
        Self { message: message.into(), in_use: false }
    }

    pub fn in_use(&self) -> bool {
        self.in_use
    }
}

impl std::fmt::Display for SearchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "search index: {}", self.message)
    }
}

impl std::error::Error for SearchError {}

impl From<tantivy::TantivyError> for SearchError {
    fn from(e: tantivy::TantivyError) -> Self {
        let in_use = matches!(e, tantivy::TantivyError::LockFailure(..));
        Self { message: e.to_string(), in_use }
    }
}

impl From<std::io::Error> for SearchError {
    fn from(e: std::io::Error) -> Self {
        Self::new(e.to_string())
    }
}

/// A page of matching leads, best first or in the ledger's order, and how many match in all.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub ids: Vec<LeadId>,
    pub total: u64,
}

/// A part of a summary as shown under a search result: `marked` parts matched the query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub text: String,
    pub marked: bool,
}

/// The index of one instance. Writes are serialised by its writer's lock; reads go on meanwhile.
pub struct Index {
    index: Tantivy,
    fields: Fields,
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
}

/// The index writer's memory: tantivy's floor for one thread is 15 MB.
const WRITER_HEAP: usize = 48 << 20;

impl Index {
    /// Opens the index in `dir`, or makes a new empty one there when it is missing, damaged or
    /// of another version (then [`Index::applied`] is `None` and the caller rebuilds it).
    pub fn open(dir: &Path) -> Result<Self, SearchError> {
        std::fs::create_dir_all(dir)?;
        match Self::open_existing(dir) {
            Ok(index) => Ok(index),
            Err(e) if e.in_use => Err(e),
            Err(_) => {
                std::fs::remove_dir_all(dir)?;
                std::fs::create_dir_all(dir)?;
                Self::open_existing(dir)
            }
        }
    }

    fn open_existing(dir: &Path) -> Result<Self, SearchError> {
        let (schema, fields) = schema::build();
        let directory = MmapDirectory::open(dir).map_err(|e| SearchError::new(e.to_string()))?;
        let index = Tantivy::open_or_create(directory, schema.clone())?;
        if index.schema() != schema {
            return Err(SearchError::new("another version of the index"));
        }
        Self::with(index, fields)
    }

    /// An index in memory (tests, and a server told to keep none on disk).
    pub fn in_memory() -> Result<Self, SearchError> {
        let (schema, fields) = schema::build();
        Self::with(Tantivy::create_in_ram(schema), fields)
    }

    fn with(index: Tantivy, fields: Fields) -> Result<Self, SearchError> {
        schema::register(&index);
        let writer = index.writer_with_num_threads(1, WRITER_HEAP)?;
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        Ok(Self { index, fields, reader, writer: Mutex::new(writer) })
    }

    /// The last change of the database's outbox this index holds; `None` for an index never
    /// filled (it must be built from the database first).
    pub fn applied(&self) -> Result<Option<i64>, SearchError> {
        let metas = self.index.load_metas()?;
        Ok(metas.payload.and_then(|p| p.parse().ok()))
    }

    /// Replaces the documents of `docs`, removes those of `gone`, and records `through` as the
    /// last change applied, all in one commit that readers see at once.
    pub fn apply(&self, docs: &[LeadDoc], gone: &[LeadId], through: i64) -> Result<(), SearchError> {
        let mut w = self.writer.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        for d in docs {
            w.delete_term(doc::id_term(&self.fields, d.id));
            w.add_document(d.to_document(&self.fields))?;
        }
        for id in gone {
            w.delete_term(doc::id_term(&self.fields, *id));
        }
        let mut commit = w.prepare_commit()?;
        commit.set_payload(&through.to_string());
        commit.commit()?;
        drop(w);
        self.reader.reload()?;
        Ok(())
    }

    /// Adds documents of a rebuild, seen by readers at the next [`Index::apply`].
    pub fn stage(&self, docs: &[LeadDoc]) -> Result<(), SearchError> {
        let w = self.writer.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        for d in docs {
            w.add_document(d.to_document(&self.fields))?;
        }
        Ok(())
    }

    /// Empties the index before a rebuild.
    pub fn clear(&self) -> Result<(), SearchError> {
        let w = self.writer.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        w.delete_all_documents()?;
        Ok(())
    }

    /// How many leads the index holds.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The leads `request` selects: a page of them and the exact total.
    pub fn find(&self, request: &Request<'_>) -> Result<Found, SearchError> {
        let searcher = self.reader.searcher();
        let q = query::build(&self.fields, request)?;
        let top = TopDocs::with_limit(request.limit.max(1)).and_offset(request.offset);
        let (total, addresses): (usize, Vec<DocAddress>) = match request.order {
            SearchOrder::Relevance => {
                let (n, hits) = searcher.search(&q, &(Count, top.order_by_score()))?;
                (n, hits.into_iter().map(|(_, a)| a).collect())
            }
            SearchOrder::Field(field, descending) => {
                let order = if descending { Order::Desc } else { Order::Asc };
                let name = match field {
                    query::SortField::Received => "by_received",
                    query::SortField::Deadline => "by_deadline",
                    query::SortField::Number => {
                        let (n, hits) =
                            searcher.search(&q, &(Count, top.order_by_string_fast_field("by_number", order)))?;
                        return self.found(&searcher, n, hits.into_iter().map(|(_, a)| a));
                    }
                };
                let (n, hits) = searcher.search(&q, &(Count, top.order_by_fast_field::<i64>(name, order)))?;
                (n, hits.into_iter().map(|(_, a)| a).collect())
            }
        };
        self.found(&searcher, total, addresses.into_iter())
    }

    fn found(
        &self,
        searcher: &tantivy::Searcher,
        total: usize,
        addresses: impl Iterator<Item = DocAddress>,
    ) -> Result<Found, SearchError> {
        let ids = addresses.map(|a| self.id_of(searcher, a)).collect::<Result<_, _>>()?;
        Ok(Found { ids, total: total as u64 })
    }

    /// Up to `limit` leads in `scope` whose summaries look most like `text` (a third of its
    /// character pairs at least), best first: the candidates of a repeat report.
    ///
    /// Pairs that most summaries hold (反映, 问题) say nothing about likeness and would have every
    /// lead scored: pairs in more than one lead in twenty (and over a thousand) are left out.
    pub fn similar(&self, scope: &Scope, text: &str, limit: usize) -> Result<Vec<LeadId>, SearchError> {
        let searcher = self.reader.searcher();
        let common = (searcher.num_docs() / 20).max(1000);
        let mut pairs = Vec::new();
        for t in query::summary_pairs(&self.fields, text) {
            if searcher.doc_freq(&t)? <= common {
                pairs.push(t);
            }
        }
        let Some(q) = query::similar(&self.fields, scope, pairs) else { return Ok(Vec::new()) };
        let hits = searcher.search(&q, &TopDocs::with_limit(limit.max(1)).order_by_score())?;
        hits.into_iter().map(|(_, a)| self.id_of(&searcher, a)).collect()
    }

    /// The summary of each lead of `ids` cut around what `request` matched, matched parts
    /// marked. A lead without a match in its summary gets its opening.
    pub fn snippets(&self, request: &Request<'_>, ids: &[LeadId]) -> Result<Vec<Vec<Piece>>, SearchError> {
        let searcher = self.reader.searcher();
        let q = query::build(&self.fields, request)?;
        let mut generator = SnippetGenerator::create(&searcher, &q, self.fields.summary)?;
        generator.set_max_num_chars(120);
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let found = searcher.search(
                &tantivy::query::TermQuery::new(
                    doc::id_term(&self.fields, *id),
                    tantivy::schema::IndexRecordOption::Basic,
                ),
                &TopDocs::with_limit(1).order_by_score(),
            )?;
            let Some((_, address)) = found.first() else {
                out.push(Vec::new());
                continue;
            };
            let document: TantivyDocument = searcher.doc(*address)?;
            let snippet = generator.snippet_from_doc(&document);
            let (text, marks) = (snippet.fragment(), snippet.highlighted());
            if marks.is_empty() {
                let summary = document.get_first(self.fields.summary).and_then(|v| v.as_str()).unwrap_or_default();
                out.push(vec![Piece { text: summary.chars().take(120).collect(), marked: false }]);
                continue;
            }
            let mut pieces = Vec::new();
            let mut at = 0;
            for r in merge(marks) {
                if r.start > at {
                    pieces.push(Piece { text: text[at..r.start].to_owned(), marked: false });
                }
                pieces.push(Piece { text: text[r.start..r.end].to_owned(), marked: true });
                at = r.end;
            }
            if at < text.len() {
                pieces.push(Piece { text: text[at..].to_owned(), marked: false });
            }
            out.push(pieces);
        }
        Ok(out)
    }

    fn id_of(&self, searcher: &tantivy::Searcher, address: DocAddress) -> Result<LeadId, SearchError> {
        let column = searcher.segment_reader(address.segment_ord).fast_fields().u64("id")?;
        let raw = column.first(address.doc_id).ok_or_else(|| SearchError::new("a document without its lead"))?;
        Ok(LeadId::from_raw(raw as i64))
    }
}

/// Overlapping highlights (bigrams overlap by a character) as one.
fn merge(ranges: &[std::ops::Range<usize>]) -> Vec<std::ops::Range<usize>> {
    let mut sorted = ranges.to_vec();
    sorted.sort_by_key(|r| r.start);
    let mut out: Vec<std::ops::Range<usize>> = Vec::new();
    for r in sorted {
        match out.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

#[cfg(test)]
mod tests;

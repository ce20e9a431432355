//! The index's fields and its tokenizers.

use tantivy::{
    schema::{FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions},
    tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer},
};

use crate::analysis::{fold_char, kept};

/// Changing a field or a tokenizer changes this: an index of another version is rebuilt.
pub(crate) const VERSION: &str = "qingling-search-2";

pub(crate) const BIGRAM: &str = "qingling_bigram";
pub(crate) const JIEBA: &str = "qingling_jieba";

#[derive(Clone, Copy)]
pub(crate) struct Fields {
    pub id: Field,
    // Scope: the lead's unit and every unit above it, the same for the unit it moved from.
    pub units: Field,
    pub previous_units: Field,
    pub owner: Field,
    pub handlers: Field,
    pub recused: Field,
    pub persons: Field,
    // The ledger's filters.
    pub campaign: Field,
    pub source: Field,
    pub category: Field,
    pub status: Field,
    pub stock: Field,
    pub person: Field,
    pub flags: Field,
    pub received: Field,
    pub deadline: Field,
    // The ledger's orders, each total: the date, then the lead.
    pub by_received: Field,
    pub by_deadline: Field,
    pub by_number: Field,
    // Text.
    pub summary: Field,
    pub other: Field,
    pub words: Field,
    pub names: Field,
}

pub(crate) fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let bigrams = |stored: bool| {
        let indexing = TextFieldIndexing::default()
            .set_tokenizer(BIGRAM)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions);
        let o = TextOptions::default().set_indexing_options(indexing);
        if stored { o.set_stored() } else { o }
    };
    let words = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default().set_tokenizer(JIEBA).set_index_option(IndexRecordOption::WithFreqs),
    );
    let f = Fields {
        id: b.add_u64_field("id", INDEXED | STORED | FAST),
        units: b.add_u64_field("units", INDEXED),
        previous_units: b.add_u64_field("previous_units", INDEXED),
        owner: b.add_u64_field("owner", INDEXED),
        handlers: b.add_u64_field("handlers", INDEXED),
        recused: b.add_u64_field("recused", INDEXED),
        persons: b.add_u64_field("persons", INDEXED),
        campaign: b.add_u64_field("campaign", INDEXED),
        source: b.add_text_field("source", STRING),
        category: b.add_text_field("category", STRING),
        status: b.add_text_field("status", STRING),
        stock: b.add_text_field("stock", STRING),
        person: b.add_text_field("person", STRING),
        flags: b.add_text_field("flags", STRING),
        received: b.add_i64_field("received", INDEXED | FAST),
        deadline: b.add_i64_field("deadline", INDEXED | FAST),
        by_received: b.add_i64_field("by_received", FAST),
        by_deadline: b.add_i64_field("by_deadline", FAST),
        by_number: b.add_text_field("by_number", STRING | FAST),
        summary: b.add_text_field("summary", bigrams(true)),
        other: b.add_text_field("other", bigrams(false)),
        words: b.add_text_field("words", words),
        names: b.add_text_field("names", STRING),
    };
    b.add_text_field(VERSION, STRING);
    (b.build(), f)
}

pub(crate) fn register(index: &tantivy::Index) {
    index.tokenizers().register(BIGRAM, TextAnalyzer::from(Bigrams));
    index.tokenizers().register(JIEBA, TextAnalyzer::from(tantivy_jieba::JiebaTokenizer::new()));
}

/// Overlapping pairs of kept characters, folded as [`fold`] does, at their byte offsets in the
/// text as written (for highlighting); a run of one character is its own token. Runs are a
/// position apart, so that a phrase never spans two of them.
#[derive(Clone, Copy)]
pub(crate) struct Bigrams;

pub(crate) struct BigramStream {
    tokens: Vec<Token>,
    at: usize,
}

impl Tokenizer for Bigrams {
    type TokenStream<'a> = BigramStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> BigramStream {
        let mut tokens = Vec::new();
        let mut run: Vec<(usize, usize, String)> = Vec::new();
        let mut position = 0;
        for (i, c) in text.char_indices() {
            let folded = fold_char(c);
            if kept(folded) && !folded.is_whitespace() {
                run.push((i, i + c.len_utf8(), folded.to_string()));
            } else {
                flush(&mut run, &mut position, &mut tokens);
            }
        }
        flush(&mut run, &mut position, &mut tokens);
        BigramStream { tokens, at: 0 }
    }
}

/// Ends a run: its tokens, then a position left empty.
fn flush(run: &mut Vec<(usize, usize, String)>, position: &mut usize, tokens: &mut Vec<Token>) {
    let token = |from: usize, to: usize, text: String, position: usize| Token {
        offset_from: from,
        offset_to: to,
        position,
        text,
        position_length: 1,
    };
    match run.as_slice() {
        [] => return,
        [(from, to, c)] => {
            tokens.push(token(*from, *to, c.clone(), *position));
            *position += 1;
        }
        _ => {
            for w in run.windows(2) {
                tokens.push(token(w[0].0, w[1].1, format!("{}{}", w[0].2, w[1].2), *position));
                *position += 1;
            }
        }
    }
    *position += 1;
    run.clear();
}

impl TokenStream for BigramStream {
    fn advance(&mut self) -> bool {
        self.at += 1;
        self.at <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.at - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.at - 1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bigrams_keep_their_offsets_in_the_text_as_written() {
        let mut t = Bigrams;
        let mut s = t.token_stream("反映ＡＢ，王某");
        let mut got = Vec::new();
        while s.advance() {
            let k = s.token();
            got.push((k.text.clone(), k.offset_from, k.offset_to, k.position));
        }
        assert_eq!(
            got,
            [("反映".into(), 0, 6, 0), ("映a".into(), 3, 9, 1), ("ab".into(), 6, 12, 2), ("王某".into(), 15, 21, 4),]
        );
    }
}

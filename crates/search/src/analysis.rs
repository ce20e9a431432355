//! How text becomes index terms, and a typed query becomes the terms to look for. Kept apart
//! from the index so the rules are unit-tested on their own.
//!
//! Chinese has no spaces, and a ledger's users look for a phrase exactly as it was written (a
//! name inside a sentence, 「压件不办」, a document number). Every text is therefore indexed as
//! overlapping pairs of characters (bigrams) with their positions: a typed phrase matches
//! where its pairs stand side by side, which is a substring match that no word segmenter can
//! miss. jieba's words are indexed beside them to rank the leads a phrase matches.

use pinyin::ToPinyinMulti;

/// Lower case, full-width forms folded to ASCII (ＲＭＹＹ → rmyy), as the ledger compares.
pub fn fold(text: &str) -> String {
    text.chars().map(fold_char).collect()
}

/// One character folded as [`fold`] does (a capital that lowers to several keeps the first).
pub fn fold_char(c: char) -> char {
    let c = match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    };
    c.to_lowercase().next().unwrap_or(c)
}

/// Characters that separate what a user types into parts, none of them searched for.
fn separates(c: char) -> bool {
    c.is_whitespace() || c.is_control()
}

/// The characters of a text that carry meaning for search: letters and digits of any script,
/// and the marks inside document numbers (〔2019〕, 12号, -). Emoji and punctuation that only
/// ends a sentence fall away.
pub fn kept(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '〔' | '〕' | '[' | ']' | '(' | ')' | '（' | '）' | '-' | '_' | '/' | '.')
}

/// The runs of kept characters of `text`, folded: each run is searched on its own.
pub fn runs(text: &str) -> Vec<Vec<char>> {
    let folded = fold(text);
    let mut out = Vec::new();
    let mut run = Vec::new();
    for c in folded.chars() {
        if kept(c) && !separates(c) {
            run.push(c);
        } else if !run.is_empty() {
            out.push(std::mem::take(&mut run));
        }
    }
    if !run.is_empty() {
        out.push(run);
    }
    out
}

/// The bigrams of one run with their positions; a run of one character is its own term.
pub fn bigrams(run: &[char]) -> Vec<String> {
    if run.len() == 1 {
        return vec![run[0].to_string()];
    }
    run.windows(2).map(|w| w.iter().collect()).collect()
}

/// What a user typed, as the parts every match must contain (at most 16 parts of at most 64
/// characters each: a thousand typed characters are read, not refused).
pub fn query_parts(typed: &str) -> Vec<Vec<char>> {
    let mut parts = runs(typed);
    parts.truncate(16);
    for p in &mut parts {
        p.truncate(64);
    }
    parts
}

/// The keys a person's name is found by: every run of two or more of its characters (王某 and
/// 某某 find 王某某) and the pinyin initials of each such run, every reading of a character
/// with several (单 is dan or shan), so that `wmm` finds 王某某 on a machine without an IME.
pub fn name_keys(name: &str) -> Vec<String> {
    let chars: Vec<char> = fold(name).chars().filter(|c| kept(*c)).collect();
    let mut keys = Vec::new();
    for len in 2..=chars.len().min(6) {
        for w in chars.windows(len) {
            keys.push(w.iter().collect::<String>());
            keys.extend(initials(w));
        }
    }
    if chars.len() == 1 {
        keys.push(chars[0].to_string());
    }
    keys.sort();
    keys.dedup();
    keys
}

/// Every spelling of `chars` in pinyin initials; none unless each character is a Chinese one.
fn initials(chars: &[char]) -> Vec<String> {
    let mut spellings = vec![String::new()];
    for c in chars {
        let Some(readings) = c.to_pinyin_multi() else { return Vec::new() };
        let mut letters: Vec<&str> = readings.into_iter().map(|p| p.first_letter()).collect();
        letters.sort_unstable();
        letters.dedup();
        spellings = spellings.iter().flat_map(|s| letters.iter().map(move |l| format!("{s}{l}"))).take(32).collect();
    }
    spellings
}

/// A typed part that may be a name's pinyin initials: two to six ASCII letters.
pub fn maybe_initials(part: &[char]) -> bool {
    (2..=6).contains(&part.len()) && part.iter().all(char::is_ascii_lowercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(runs: Vec<Vec<char>>) -> Vec<String> {
        runs.into_iter().map(|r| r.into_iter().collect()).collect()
    }

    #[test]
    fn text_is_folded_and_split_where_people_split_it() {
        assert_eq!(s(runs("ＲＭＹＹ1-2026-0042 压件不办！")), ["rmyy1-2026-0042", "压件不办"]);
        assert_eq!(s(runs("市纪委〔2019〕12号")), ["市纪委〔2019〕12号"]);
        assert_eq!(s(runs("😀王某某😀")), ["王某某"], "emoji are not searched for");
        assert!(runs("  \t ").is_empty());
        assert_eq!(bigrams(&['压', '件', '不']), ["压件", "件不"]);
        assert_eq!(bigrams(&['王']), ["王"]);
    }

    #[test]
    fn a_long_query_is_read_in_bounded_parts() {
        let typed = "某".repeat(1000);
        assert_eq!(query_parts(&typed)[0].len(), 64);
        let many = (0..40).map(|i| format!("词{i}")).collect::<Vec<_>>().join(" ");
        assert_eq!(query_parts(&many).len(), 16);
        assert_eq!(s(query_parts("AND OR \"*\" 王某")), ["and", "or", "王某"], "query syntax is text");
    }

    #[test]
    fn a_name_is_found_by_its_parts_and_its_initials() {
        let keys = name_keys("王某某");
        for k in ["王某", "某某", "王某某", "wm", "mm", "wmm"] {
            assert!(keys.contains(&k.to_string()), "{k} in {keys:?}");
        }
        assert!(!keys.contains(&"王".to_string()), "one character of a longer name finds too much");
        assert!(name_keys("单某").contains(&"sm".to_string()), "单 read as shan");
        assert!(name_keys("单某").contains(&"dm".to_string()), "and as dan");
        assert!(name_keys("李 某").contains(&"李某".to_string()), "spaces inside a name are not part of it");
        assert!(maybe_initials(&['w', 'm', 'm']) && !maybe_initials(&['w']) && !maybe_initials(&['r', '1']));
    }
}

//! Reading the words around a candidate: windows before and after a span,
//! whole-word cue look-ups, and byte to UTF-16 offsets.

use super::phrases::Words;

/// Compiles a detector's pattern with ASCII word boundaries: the regex
/// crate's fast DFA cannot use Unicode `\b` on non-ASCII text and would fall
/// back to a far slower engine for any text with an accent in it.
pub fn regex(pattern: &str) -> Result<regex::Regex, regex::Error> {
    regex::Regex::new(&pattern.replace(r"\b", r"(?-u:\b)"))
}

/// The largest char boundary at or below `i`.
pub fn floor(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The smallest char boundary at or above `i`.
pub fn ceil(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Up to `bytes` bytes of text before `pos`, lower-cased.
pub fn before(text: &str, pos: usize, bytes: usize) -> String {
    text[floor(text, pos.saturating_sub(bytes))..pos].to_lowercase()
}

/// Up to `bytes` bytes of text after `pos`, lower-cased.
pub fn after(text: &str, pos: usize, bytes: usize) -> String {
    text[pos..ceil(text, pos + bytes)].to_lowercase()
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Does `hay` contain `cue` as whole words (cue may span several words)?
pub fn has_word(hay: &str, cue: &str) -> bool {
    let mut from = 0;
    while let Some(i) = hay[from..].find(cue) {
        let start = from + i;
        let end = start + cue.len();
        let ok_before = hay[..start]
            .chars()
            .next_back()
            .is_none_or(|c| !is_word_char(c))
            || !cue.starts_with(is_word_char);
        let ok_after = hay[end..].chars().next().is_none_or(|c| !is_word_char(c))
            || !cue.ends_with(is_word_char);
        if ok_before && ok_after {
            return true;
        }
        from = start + cue.chars().next().map_or(1, char::len_utf8);
    }
    false
}

/// Does `hay` contain any of `cues` as whole words?
pub fn has_any(hay: &str, cues: &[&str]) -> bool {
    cues.iter().any(|c| has_word(hay, c))
}

/// A list of cue words and phrases, looked up word by word: a window of
/// text costs a hash look-up per word plus one search per multi-word cue.
pub struct Cues {
    words: Words,
    phrases: Vec<&'static str>,
}

impl Cues {
    pub fn new(cues: &[&'static str]) -> Self {
        let simple = |c: &&str| c.chars().all(char::is_alphanumeric);
        Self {
            words: Words::new(cues.iter().copied().filter(simple)),
            phrases: cues.iter().copied().filter(|c| !simple(c)).collect(),
        }
    }

    /// Does `hay` (lower case) contain one of the cues as whole words?
    pub fn in_text(&self, hay: &str) -> bool {
        hay.split(|c: char| !c.is_alphanumeric())
            .any(|w| !w.is_empty() && self.words.contains(w))
            || self.phrases.iter().any(|p| has_word(hay, p))
    }
}

/// The words of `s`: runs of letters, digits and apostrophes.
pub fn words(s: &str) -> impl DoubleEndedIterator<Item = &str> {
    s.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .filter(|w| !w.is_empty())
}

/// Converts byte offsets to UTF-16 code unit offsets: the identity for
/// ASCII text, else a table built in one pass.
pub struct Utf16Index {
    table: Option<Vec<u32>>,
}

impl Utf16Index {
    pub fn new(text: &str) -> Self {
        if text.is_ascii() {
            return Self { table: None };
        }
        let mut table = vec![0u32; text.len() + 1];
        let mut units = 0u32;
        for (i, c) in text.char_indices() {
            table[i] = units;
            units += c.len_utf16() as u32;
        }
        table[text.len()] = units;
        Self { table: Some(table) }
    }

    /// `byte` must be a char boundary.
    pub fn at(&self, byte: usize) -> usize {
        match &self.table {
            None => byte,
            Some(table) => table[byte] as usize,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cues_match_whole_words_only() {
        assert!(has_word("the patient's dob is", "dob"));
        assert!(!has_word("adobe", "dob"));
        assert!(has_word("admitted on", "admitted"));
        assert!(has_word("ref: mrn#", "mrn"));
        assert!(has_word("her son ", "her son"));
        assert!(!has_word("her sonogram", "her son"));
    }

    #[test]
    fn utf16_offsets_count_surrogate_pairs_twice() {
        let text = "é🙂 Nguyễn";
        let index = Utf16Index::new(text);
        let byte = text.find("Nguy").unwrap();
        assert_eq!(index.at(byte), 4);
    }
}

//! Fast look-ups in the screen's word lists: [`Words`] for single words and
//! [`Phrases`] for "does this text start (or end) with one of these
//! phrases, as whole words?", both hash sets, so no list is ever scanned
//! entry by entry on the hot path.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};

/// FNV-1a: the keys are short words from the project's own lists, so a
/// simple, fast hash beats the default DoS-resistant one here.
#[derive(Default)]
pub struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        self.0 = h;
    }
}

type Set = HashSet<&'static str, BuildHasherDefault<Fnv>>;

/// The entries of a data file: one a line; `#` lines are comments.
pub fn entries(data: &'static str) -> impl Iterator<Item = &'static str> {
    data.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// A set of lower-case words.
pub struct Words(Set);

impl Words {
    pub fn new(words: impl IntoIterator<Item = &'static str>) -> Self {
        Self(words.into_iter().collect())
    }

    pub fn from_data(data: &'static str) -> Self {
        Self::new(entries(data))
    }

    pub fn contains(&self, word: impl AsRef<str>) -> bool {
        self.0.contains(word.as_ref())
    }
}

/// A set of lower-case phrases, matched as whole words at the start or the
/// end of a text: only the cuts of the text that fall on a word boundary
/// are looked up, so a check costs a handful of hash look-ups.
pub struct Phrases {
    set: Set,
    longest: usize,
}

/// Could a phrase end between `hay[..k]` and `hay[k..]`?
fn cut(hay: &str, k: usize) -> bool {
    let before = hay[..k].chars().next_back();
    let after = hay[k..].chars().next();
    !before.is_some_and(char::is_alphanumeric) || !after.is_some_and(char::is_alphanumeric)
}

impl Phrases {
    pub fn new(phrases: impl IntoIterator<Item = &'static str>) -> Self {
        let set: Set = phrases.into_iter().collect();
        let longest = set.iter().map(|p| p.len()).max().unwrap_or(0);
        Self { set, longest }
    }

    pub fn from_data(data: &'static str) -> Self {
        Self::new(entries(data))
    }

    /// `hay` starts with one of the phrases, ending on a word boundary.
    pub fn starts(&self, hay: &str) -> bool {
        (1..=self.longest.min(hay.len()))
            .filter(|&k| hay.is_char_boundary(k) && cut(hay, k))
            .any(|k| self.set.contains(&hay[..k]))
    }

    /// `hay` ends with one of the phrases, starting on a word boundary.
    pub fn ends(&self, hay: &str) -> bool {
        let len = hay.len();
        (1..=self.longest.min(len))
            .map(|n| len - n)
            .filter(|&k| hay.is_char_boundary(k) && cut(hay, k))
            .any(|k| self.set.contains(&hay[k..]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_match_whole_words_at_either_end() {
        let phrases = Phrases::new(["is a", "is closing", "(", "thanks to"]);
        assert!(phrases.starts("is a keen cyclist"));
        assert!(!phrases.starts("is about to"));
        assert!(phrases.starts("is closing now"));
        assert!(phrases.starts("(93)"));
        assert!(!phrases.starts("this is a"));
        assert!(phrases.ends("many thanks to"));
        assert!(!phrases.ends("no thanks tom"));
        assert!(!phrases.ends("xthanks to"));
        let words = Words::new(["okafor", "patel"]);
        assert!(words.contains("patel") && !words.contains("pate"));
    }
}

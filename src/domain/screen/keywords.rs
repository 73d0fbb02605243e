//! The policy's word lists: one Aho-Corasick automaton over every phrase of
//! every list, matched case-insensitively on whole words.

use super::policy::{Action, WordList};
use super::{Category, Span};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

pub struct Keywords {
    automaton: Option<AhoCorasick>,
    /// The action of each pattern, by pattern id.
    actions: Vec<Action>,
}

impl Keywords {
    pub fn new(lists: &[WordList]) -> Self {
        let mut phrases = Vec::new();
        let mut actions = Vec::new();
        for list in lists {
            for phrase in &list.phrases {
                phrases.push(phrase.to_lowercase());
                actions.push(list.action);
            }
        }
        let automaton = (!phrases.is_empty()).then(|| {
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::LeftmostLongest)
                .build(&phrases)
                .expect("phrases are plain strings")
        });
        Self { automaton, actions }
    }

    pub fn find(&self, text: &str, out: &mut Vec<Span>) {
        let Some(automaton) = &self.automaton else {
            return;
        };
        let lowered;
        let hay = if text.is_ascii() {
            text
        } else {
            // Lower-casing can change byte lengths; only keep matches when it did not.
            lowered = text.to_lowercase();
            if lowered.len() != text.len() {
                return self.find_in(automaton, text, out);
            }
            &lowered
        };
        self.find_in(automaton, hay, out);
    }

    fn find_in(&self, automaton: &AhoCorasick, hay: &str, out: &mut Vec<Span>) {
        for m in automaton.find_iter(hay) {
            let whole_word = hay[..m.start()]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric())
                && hay[m.end()..]
                    .chars()
                    .next()
                    .is_none_or(|c| !c.is_alphanumeric());
            if whole_word {
                out.push(Span {
                    start: m.start(),
                    end: m.end(),
                    category: Category::Keyword,
                    action: self.actions[m.pattern().as_usize()],
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lists() -> Vec<WordList> {
        vec![
            WordList {
                name: "legal".into(),
                action: Action::Hold,
                phrases: vec!["lawsuit".into(), "wrong site".into()],
            },
            WordList {
                name: "abuse".into(),
                action: Action::Block,
                phrases: vec!["idiot".into()],
            },
        ]
    }

    #[test]
    fn phrases_match_whole_words_in_any_case() {
        let keywords = Keywords::new(&lists());
        let mut out = Vec::new();
        keywords.find("A WRONG SITE error; the idiots; Lawsuit.", &mut out);
        let found: Vec<_> = out.iter().map(|s| (s.start, s.end, s.action)).collect();
        assert_eq!(found, [(2, 12, Action::Hold), (32, 39, Action::Hold)]);
    }

    #[test]
    fn non_ascii_text_keeps_byte_offsets() {
        let keywords = Keywords::new(&lists());
        let mut out = Vec::new();
        let text = "Señor, idiot";
        keywords.find(text, &mut out);
        assert_eq!(&text[out[0].start..out[0].end], "idiot");
        assert_eq!(out[0].action, Action::Block);
    }
}

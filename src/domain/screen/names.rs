//! Names of patients and their relatives: after a title ("Mrs Patel"), after
//! a patient or kin word ("pt", "her daughter", "named"), from the given-name
//! and surname lists when the sentence is about a person, and the policy's
//! own list of names. Names used as staff ("Dr Okafor is closing", "I'm
//! Sarah, the scrub nurse") are not patient identifiers.

use super::Span;
use super::phrases::{Words, entries};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

mod lexicon;
mod lists;
mod rules;
mod tokens;

use lexicon::*;
use rules::*;
use tokens::{Token, tokenize};

pub struct Names {
    given: Words,
    surnames: Words,
    ambiguous: Words,
    listed: Option<AhoCorasick>,
}

impl Names {
    pub fn new(patient_names: &[String]) -> Self {
        let ambiguous = Words::new(entries(AMBIGUOUS_NAMES).chain(PLACE_NAMES.iter().copied()));
        let given = Words::new(
            entries(GIVEN_NAMES).filter(|n| !ambiguous.contains(n) && !is_common_word(n)),
        );
        let surnames = Words::new(
            entries(SURNAMES)
                .filter(|n| !ambiguous.contains(n) && !is_common_word(n) && !EPONYMS.contains(n)),
        );
        let listed = (!patient_names.is_empty()).then(|| {
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::LeftmostLongest)
                .build(patient_names.iter().map(|n| n.to_lowercase()))
                .expect("names are plain strings")
        });
        Self {
            given,
            surnames,
            ambiguous,
            listed,
        }
    }

    fn known(&self, lower: &str) -> bool {
        self.is_given(lower) || self.surnames.contains(lower)
    }

    /// Finds names; `others` are the identifiers the other detectors found,
    /// which make a sentence about a patient.
    pub fn find(&self, text: &str, others: &[Span], out: &mut Vec<Span>) {
        let tokens = tokenize(text);
        let mut taken = vec![false; tokens.len()];
        // "@Priya": a chat handle, someone in the session, not a patient.
        let mut staff: Vec<bool> = tokens
            .iter()
            .map(|t| text[..t.start].ends_with('@'))
            .collect();
        let mut i = 0;
        while i < tokens.len() {
            let t = &tokens[i];
            if staff[i] {
                i += 1;
                continue;
            }
            if let Some(kind) = self.cue_at(&tokens, i) {
                let first = i + kind.len;
                let (end, found) = self.name_after(&tokens, first, kind.strict);
                if found {
                    let is_staff = kind.maybe_staff && staff_context(text, &tokens, first, end);
                    for k in first..end {
                        taken[k] = true;
                        staff[k] = is_staff;
                    }
                    if !is_staff {
                        push(out, &tokens, first, end);
                    }
                    i = end;
                    continue;
                }
            }
            let vocative = tokens.get(i + 1).is_some_and(|n| n.gap_has_break);
            if CUE_WORDS.contains(&t.lower)
                && STAFF_TITLES.contains(&t.lower)
                && !kin_possessive(&tokens, i)
                && !vocative
            {
                let (end, _) = self.name_after(&tokens, i + 1, Strictness::Capitalized);
                // "Dr Okonjo's mother is today's patient": the relative of staff.
                let relative = end > i + 1
                    && tokens[end - 1].possessive
                    && tokens
                        .get(end)
                        .is_some_and(|n| KIN_WORDS.contains(n.lower.as_ref()));
                for k in i + 1..end {
                    taken[k] = true;
                    staff[k] = !relative;
                }
                if relative {
                    push(out, &tokens, i + 1, end);
                }
                i = end.max(i + 1);
                continue;
            }
            i += 1;
        }
        self.label_order(text, &tokens, &mut taken, out);
        self.names_from_lists(text, &tokens, &mut taken, &mut staff, others, out);
        if let Some(listed) = &self.listed {
            listed_names(listed, text, out);
        }
    }

    /// A title, a patient or kin word, or a naming word at `i`.
    fn cue_at(&self, tokens: &[Token], i: usize) -> Option<Cue> {
        let t = &tokens[i];
        let word = t.lower.as_ref();
        if !CUE_WORDS.contains(word) {
            return None;
        }
        let next = tokens.get(i + 1).map(|n| n.lower.as_ref());
        if PATIENT_TITLES.contains(&word) {
            let strict = if t.is_capitalized() {
                Strictness::Capitalized
            } else {
                Strictness::AnyWord
            };
            let maybe_staff = STAFF_CAPABLE_TITLES.contains(&word);
            return Some(Cue::new(1, strict, maybe_staff));
        }
        if NAMING_WORDS.contains(&word) && !after_my(tokens, i) {
            return Some(Cue::new(1, Strictness::AnyWord, false));
        }
        if word == "name" && matches!(next, Some("is" | "was" | "'s")) && !after_my(tokens, i) {
            return Some(Cue::new(2, Strictness::AnyWord, false));
        }
        if word == "known" && next == Some("as") {
            return Some(Cue::new(2, Strictness::AnyWord, false));
        }
        if PATIENT_WORDS.contains(&word) {
            if matches!(next, Some("girl" | "boy")) && word == "baby" {
                return Some(Cue::new(2, Strictness::Listed, false));
            }
            if matches!(next, Some("is" | "was")) {
                return Some(Cue::new(2, Strictness::Capitalized, false));
            }
            return Some(Cue::new(1, Strictness::Listed, false));
        }
        if KIN_WORDS.contains(word) && kin_possessive(tokens, i) {
            return Some(Cue::new(1, Strictness::Listed, false));
        }
        let numbered_place = matches!(word, "bed" | "bay" | "cubicle" | "room" | "trolley")
            && tokens
                .get(i + 1)
                .is_some_and(|n| n.lower.bytes().all(|b| b.is_ascii_digit()));
        if numbered_place {
            return Some(Cue::new(2, Strictness::Capitalized, false));
        }
        if KIN_TITLES.contains(&word) {
            let strict = if t.is_capitalized() {
                Strictness::Capitalized
            } else {
                Strictness::AnyWord
            };
            return Some(Cue::new(1, strict, false));
        }
        let asks_who = matches!(word, "that" | "this")
            && i > 0
            && matches!(tokens[i - 1].lower.as_ref(), "is" | "was" | "if");
        let its = matches!(word, "it" | "that") && t.possessive || matches!(word, "its" | "thats");
        if asks_who || its {
            return Some(Cue::new(1, Strictness::FullName, false));
        }
        None
    }

    /// The name words starting at `first`: returns the end token index and
    /// whether a name was found there.
    fn name_after(&self, tokens: &[Token], first: usize, strict: Strictness) -> (usize, bool) {
        let mut end = first;
        let mut words = 0;
        while let Some(t) = tokens.get(end) {
            if end > first && t.gap_has_break {
                break;
            }
            let lower = t.lower.as_ref();
            let is_particle = PARTICLES.contains(&lower)
                && tokens
                    .get(end + 1)
                    .is_some_and(|n| n.is_capitalized() || PARTICLES.contains(&n.lower.as_ref()));
            let accept = if is_particle || t.is_initial() {
                true
            } else if is_common_word(lower) && !self.ambiguous.contains(lower)
                || STOP_AFTER_CUE.contains(&lower)
            {
                false
            } else {
                match strict {
                    Strictness::Capitalized => t.is_capitalized(),
                    Strictness::AnyWord => {
                        t.is_capitalized() || (words == 0 && t.is_wordlike()) || self.known(lower)
                    }
                    Strictness::Listed => {
                        t.is_capitalized()
                            || self.known(lower)
                            || words == 0 && t.possessive && self.ambiguous.contains(lower)
                            || words > 0 && t.is_wordlike()
                    }
                    Strictness::FullName => {
                        let next_cap = tokens.get(end + 1).is_some_and(|n| {
                            n.is_capitalized() && !n.gap_has_break && !is_common_word(&n.lower)
                        });
                        self.known(lower)
                            || (t.is_capitalized() && (words > 0 || next_cap))
                            || (words > 0 && t.is_wordlike() && !t.sentence_start)
                    }
                }
            };
            if !accept || words >= 4 {
                break;
            }
            words += 1;
            end += 1;
            if t.possessive {
                break;
            }
        }
        // Do not end on a particle ("Mr van").
        while end > first && PARTICLES.contains(&tokens[end - 1].lower.as_ref()) {
            end -= 1;
        }
        (end, end > first)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Strictness {
    /// Only capitalized words (after a capitalized title).
    Capitalized,
    /// The first word whatever its case ("named aroha", "mrs patel").
    AnyWord,
    /// Capitalized words or listed names ("pt john smith").
    Listed,
    /// A listed name, or two capitalized words ("is that Sipho Ndlovu?").
    FullName,
}

struct Cue {
    len: usize,
    strict: Strictness,
    maybe_staff: bool,
}

impl Cue {
    fn new(len: usize, strict: Strictness, maybe_staff: bool) -> Self {
        Self {
            len,
            strict,
            maybe_staff,
        }
    }
}

#[cfg(test)]
mod tests;

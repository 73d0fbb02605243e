//! Names of patients and their relatives: after a title ("Mrs Patel"), after
//! a patient or kin word ("pt", "her daughter", "named"), from the given-name
//! and surname lists when the sentence is about a person, and the policy's
//! own list of names. Names used as staff ("Dr Okafor is closing", "I'm
//! Sarah, the scrub nurse") are not patient identifiers.

use super::context;
use super::phrases::{Words, entries};
use super::{Category, Span};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

mod lexicon;
mod tokens;

use lexicon::*;
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

    /// "BENNETT, Sarah", "Kowalski, Jan": the surname-first order of
    /// wristbands, labels and lists.
    fn label_order(&self, text: &str, tokens: &[Token], taken: &mut [bool], out: &mut Vec<Span>) {
        for i in 0..tokens.len().saturating_sub(1) {
            let (surname, given) = (&tokens[i], &tokens[i + 1]);
            if taken[i] || taken[i + 1] || !given.gap_has_break || surname.possessive {
                continue;
            }
            let comma_only = text[surname.end..given.start].trim() == ",";
            let known_surname = self.is_surname(&surname.lower);
            let known_given = self.is_given(&given.lower);
            // A surname not in the lists counts on a list or label ("slot 3:
            // Baptiste, Lucienne"), not in running text ("team: Bex, Marco").
            let on_a_list = i > 0 && tokens[i - 1].has_digit();
            let surname_ok = (surname.all_caps && surname.lower.chars().count() >= 3
                || surname.is_capitalized())
                && !is_common_word(&surname.lower)
                && !surname.has_digit()
                && !STAFF_ROLES.contains(surname.lower.as_ref())
                && (known_surname || known_given && (surname.all_caps || on_a_list));
            let given_ok = given.is_capitalized()
                && !is_common_word(&given.lower)
                && (known_given
                    || known_surname && given.is_wordlike()
                    || self.ambiguous.contains(given.lower.as_ref()));
            if comma_only && surname_ok && given_ok {
                taken[i] = true;
                taken[i + 1] = true;
                // "ANDERSSON, Karin L": a middle initial follows.
                let initial = tokens.get(i + 2).is_some_and(|t| {
                    !t.gap_has_break && t.lower.chars().count() == 1 && t.is_capitalized()
                });
                push(out, tokens, i, i + 2 + usize::from(initial));
            }
        }
    }

    /// Names from the given-name and surname lists, and capitalized words
    /// that the sentence treats as a person.
    fn names_from_lists(
        &self,
        text: &str,
        tokens: &[Token],
        taken: &mut [bool],
        staff: &mut [bool],
        others: &[Span],
        out: &mut Vec<Span>,
    ) {
        let mut i = 0;
        while i < tokens.len() {
            let t = &tokens[i];
            if taken[i] || staff[i] || t.is_initial() {
                i += 1;
                continue;
            }
            let lower = t.lower.as_ref();
            let capitalized = t.is_capitalized();
            if !capitalized && !t.all_caps && (t.has_digit() || is_common_word(lower)) {
                i += 1;
                continue;
            }
            // "is maria gonna be ok", "tell jake his brother is watching".
            let lower_given = !capitalized
                && !t.all_caps
                && self.given.contains(lower)
                && lower.chars().count() >= 3
                && (about_person(text, tokens, i)
                    || i > 0
                        && matches!(
                            tokens[i - 1].lower.as_ref(),
                            "is" | "did" | "was" | "has" | "does" | "hows" | "wheres"
                        ));
            let given = self.is_given(lower);
            let surname = self.is_surname(lower);
            let next = tokens
                .get(i + 1)
                .filter(|n| !n.gap_has_break && !taken[i + 1] && !t.possessive && plain(n));
            let next_cap = next.filter(|n| n.is_capitalized());
            let full_name = capitalized
                && !t.all_caps
                && plain(t)
                && next_cap.is_some_and(|n| {
                    given
                        || self.ambiguous.contains(lower) && self.known(&n.lower)
                        || self.is_surname(&n.lower)
                            && lower.chars().count() >= 3
                            && !after_number(tokens, i)
                        || surname && self.is_given(&n.lower)
                });
            // "kwame asante's daughter", "wang xiuying", "grace okafor": lower-case
            // chat where both words are listed names.
            let lower_full_name = !capitalized
                && lower.chars().count() >= 2
                && next.is_some_and(|n| {
                    let third_known = tokens
                        .get(i + 2)
                        .is_some_and(|k| !k.gap_has_break && self.known(&k.lower));
                    n.is_wordlike()
                        && (self.known(lower) && (self.known(&n.lower) || third_known)
                            || self.ambiguous.contains(lower) && self.is_surname(&n.lower))
                });
            let person = || about_person(text, tokens, i);
            let shape = capitalized && plain(t) && !t.all_caps;
            let caps_pair = t.all_caps
                && plain(t)
                && t.lower.chars().count() >= 2
                && next.is_some_and(|n| n.all_caps && n.is_wordlike());
            let beside_identifier = (shape || caps_pair || t.all_caps && surname)
                && near_identifier(text, tokens, i, others);
            // "BRIDGET O'MAHONY NEEDS K+": a listed given name and another name, in capitals.
            let shouted = caps_pair
                && given
                && next.is_some_and(|n| self.known(&n.lower) || !is_common_word(&n.lower));
            // "Sipho Dlamini walked in", "Ngozi Eze is our patient": two or
            // three capitalized words acting as the subject of a sentence.
            let subject_pair = shape
                && !camel_case(t)
                && next_cap.is_some_and(|n| !n.all_caps)
                && (t.sentence_start || !part_of_proper_noun(tokens, i))
                && verb_after(text, tokens, i);
            let listed = listed_on_board(tokens, i);
            // "the whole Kaur family".
            let family = capitalized
                && plain(t)
                && i > 0
                && matches!(tokens[i - 1].lower.as_ref(), "the" | "whole")
                && tokens.get(i + 1).is_some_and(|n| n.lower == "family");
            let is_name = if full_name
                || lower_full_name
                || lower_given
                || shouted
                || family
                || beside_identifier
                || subject_pair
                || listed
            {
                true
            } else if after_of(tokens, i) {
                false
            } else if given {
                capitalized && !t.all_caps && !next_is_institution(tokens, i) || person()
            } else if surname {
                capitalized && person()
            } else {
                let unknown = shape
                    && !part_of_proper_noun(tokens, i)
                    && !(i > 0 && matches!(tokens[i - 1].lower.as_ref(), "a" | "an" | "the"));
                unknown
                    && if t.sentence_start {
                        strongly_about_person(text, tokens, i)
                    } else {
                        person()
                    }
            };
            if !is_name {
                i += 1;
                continue;
            }
            let mut end = i + 1;
            while end < tokens.len()
                && end - i < 4
                && !tokens[end - 1].possessive
                && !tokens[end].gap_has_break
                && (tokens[end].is_capitalized()
                    || PARTICLES.contains(&tokens[end].lower.as_ref())
                    || lower_full_name
                        && tokens[end].is_wordlike()
                        && (end == i + 1 || self.known(&tokens[end].lower)))
                && !is_common_word(&tokens[end].lower)
                && !INSTITUTION_WORDS.contains(tokens[end].lower.as_ref())
            {
                end += 1;
            }
            while end > i + 1 && PARTICLES.contains(&tokens[end - 1].lower.as_ref()) {
                end -= 1;
            }
            let thing_after = !tokens[end - 1].possessive
                && tokens.get(end).is_some_and(|n| {
                    !n.gap_has_break && INSTITUTION_WORDS.contains(n.lower.as_ref())
                });
            if staff_context(text, tokens, i, end)
                || citation_after(text, tokens, end)
                || thing_after
            {
                // "especially Lucy and Femi": names listed with a staff name are staff.
                let mut k = end;
                while k + 1 < tokens.len()
                    && tokens[k].lower == "and"
                    && tokens[k + 1].is_capitalized()
                {
                    staff[k + 1] = true;
                    k += 2;
                }
                i = end;
                continue;
            }
            taken[i..end].fill(true);
            let first = if i > 0 && tokens[i - 1].is_initial() && listed {
                i - 1
            } else {
                i
            };
            push(out, tokens, first, end);
            i = end;
        }
    }

    fn is_surname(&self, lower: &str) -> bool {
        self.surnames.contains(lower)
            || lower.contains('-')
                && lower.split('-').all(|p| {
                    (self.surnames.contains(p) || self.given.contains(p)) && !EPONYMS.contains(p)
                })
    }

    /// A listed given name, hyphenated ones included ("Mei-Ling", "Sarah-Jane").
    fn is_given(&self, lower: &str) -> bool {
        self.given.contains(lower)
            || lower.contains('-')
                && lower
                    .split('-')
                    .all(|part| self.given.contains(part) || self.ambiguous.contains(part))
                && lower.split('-').any(|part| self.given.contains(part))
            || HONORIFIC_SUFFIXES
                .iter()
                .find_map(|s| lower.strip_suffix(s))
                .is_some_and(|stem| self.given.contains(stem) || self.surnames.contains(stem))
    }
}

/// A capitalized word next to another identifier in the same sentence
/// ("Thandiwe Nkosi DOB 1957-03-28", "Okeke, 93M"): the sentence is about a
/// patient, and a full name there, or a word set off beside the identifier,
/// is theirs.
fn near_identifier(text: &str, tokens: &[Token], i: usize, others: &[Span]) -> bool {
    if others.is_empty() {
        return false;
    }
    let t = &tokens[i];
    let is_break = |w: &[u8]| matches!(w, [b'.' | b'!' | b'?', b' ' | b'\n'] | [b'\n', _]);
    let bytes = text.as_bytes();
    let sentence_start = bytes[..t.start]
        .windows(2)
        .rposition(is_break)
        .map_or(0, |k| k + 1);
    let sentence_end = bytes[t.end..]
        .windows(2)
        .position(is_break)
        .map_or(text.len(), |k| t.end + k + 1);
    let in_sentence = others
        .iter()
        .any(|o| o.start >= sentence_start && o.end <= sentence_end);
    if !in_sentence {
        return false;
    }
    let pair = tokens.get(i + 1).is_some_and(|n| {
        !n.gap_has_break
            && n.is_capitalized()
            && !is_common_word(&n.lower)
            && !INSTITUTION_WORDS.contains(n.lower.as_ref())
    }) && !part_of_proper_noun(tokens, i);
    let gap_after = &text[t.end..];
    let set_off = others.iter().any(|o| {
        o.start >= t.end
            && gap_after[..o.start - t.end]
                .trim_matches([',', ' ', '(', ':'])
                .is_empty()
            || o.end <= t.start
                && text[o.end..t.start]
                    .trim_matches([',', ' ', ')', ':', '-', '–'])
                    .is_empty()
    });
    pair || set_off
}

/// Not a word that rules out a name: common words, institutions, eponyms
/// (also inside "Salter-Harris").
fn plain(t: &Token) -> bool {
    !is_common_word(&t.lower)
        && !INSTITUTION_WORDS.contains(t.lower.as_ref())
        && !t.lower.split('-').any(|part| EPONYMS.contains(part))
}

/// "14 Fr Robinson": a word after a number is a unit, not a name.
fn after_number(tokens: &[Token], i: usize) -> bool {
    i > 0 && tokens[i - 1].lower.bytes().all(|b| b.is_ascii_digit())
}

/// A verb right after the capitalized run starting at `i`: the run is the
/// subject of the sentence.
fn verb_after(text: &str, tokens: &[Token], i: usize) -> bool {
    let after = context::after(text, name_run_end(tokens, i), 32);
    let mut after = after.trim_start_matches([',', ' ']);
    // "Aigerim Nurlanovna, 45, has": past an age in apposition.
    let age = after.bytes().take_while(u8::is_ascii_digit).count();
    if age > 0 && age <= 3 {
        after = after[age..]
            .trim_start_matches(['m', 'f', 'M', 'F'])
            .trim_start_matches([',', ' ']);
    }
    SUBJECT_VERBS.starts(after)
}

/// "Parker and Handoll's Cochrane review", "Smith et al.": a citation.
fn citation_after(text: &str, tokens: &[Token], end: usize) -> bool {
    let after = context::after(text, tokens[end - 1].end, 48);
    context::words(&after)
        .take(4)
        .any(|w| CITATION_WORDS.contains(&w))
}

/// "EuroSCORE", "NexGen": a capital inside a word marks a brand or a score
/// (but not "McGrath", "MacLeod", "O'Brien", "DeMarco").
fn camel_case(t: &Token) -> bool {
    !t.all_caps && t.inner_capitals && !t.name_prefix
}

/// A list or board ("1. HOLLOWAY 2. ABUBAKAR", "bed 3 KOWALCZYK"): an
/// all-caps word right after a list number, or an initial and a
/// capitalized word ("R. Castellanos").
fn listed_on_board(tokens: &[Token], i: usize) -> bool {
    let t = &tokens[i];
    let numbered = (t.all_caps || t.is_capitalized())
        && t.lower.chars().count() >= 3
        && plain(t)
        && i > 0
        && tokens[i - 1].has_digit()
        && tokens[i - 1].lower.len() <= 2
        && matches!(tokens[i - 1].lower.as_ref(), n if n.bytes().all(|b| b.is_ascii_digit()))
        && t.list_marker;
    let initialled =
        i > 0 && tokens[i - 1].is_initial() && t.is_capitalized() && !t.all_caps && plain(t);
    numbered || initialled
}

/// "angle of Louis", "pouch of Douglas": eponymous anatomy, not a person.
fn after_of(tokens: &[Token], i: usize) -> bool {
    i > 0 && tokens[i - 1].lower == "of" && !tokens[i].gap_has_break
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

fn push(out: &mut Vec<Span>, tokens: &[Token], first: usize, end: usize) {
    let start = tokens[first].start;
    let last = &tokens[end - 1];
    out.push(Span::hold(start, last.name_end, Category::Name));
}

fn after_my(tokens: &[Token], i: usize) -> bool {
    i > 0
        && matches!(
            tokens[i - 1].lower.as_ref(),
            "my" | "i'm" | "i" | "am" | "our"
        )
}

/// "her sister", "the patient's son", "his wife": a kin word that is about
/// someone's relative, not a staff title ("Sister Adeyemi").
fn kin_possessive(tokens: &[Token], i: usize) -> bool {
    i > 0 && {
        let prev = &tokens[i - 1];
        let article = prev.lower == "the" && tokens[i].is_capitalized();
        (POSSESSIVES.contains(&prev.lower.as_ref()) && !article) || prev.possessive
    }
}

/// "Birmingham Hip Resurfacing", "Forgotten Joint Score": a capitalized word
/// after another is part of a title or a product, not a bare name.
fn part_of_proper_noun(tokens: &[Token], i: usize) -> bool {
    i > 0 && {
        let prev = &tokens[i - 1];
        !tokens[i].gap_has_break && prev.is_capitalized() && !prev.sentence_start
    }
}

fn next_is_institution(tokens: &[Token], i: usize) -> bool {
    !tokens[i].possessive
        && tokens
            .get(i + 1)
            .is_some_and(|n| INSTITUTION_WORDS.contains(n.lower.as_ref()))
}

/// The words after token `i` treat it as a person: "was admitted", "'s
/// husband", "fell", "is 93".
fn about_person(text: &str, tokens: &[Token], i: usize) -> bool {
    let t = &tokens[i];
    if t.possessive {
        return tokens
            .get(i + 1)
            .is_some_and(|n| PERSONAL_AFTER_POSSESSIVE.contains(n.lower.as_ref()));
    }
    let after = context::after(text, name_run_end(tokens, i), 40);
    let after = after.trim_start_matches([',', ' ']);
    let before = context::before(text, t.start, 32);
    let before = before.trim_end_matches([',', ' ', '!']);
    PERSON_VERBS.starts(after)
        || nth_case(after)
        || (i > 0 && PERSON_BEFORE.contains(tokens[i - 1].lower.as_ref()))
        || GREETINGS.ends(before)
}

/// Where the run of capitalized words starting at `i` ends (in bytes):
/// "Pham Van Duc| is the patient".
fn name_run_end(tokens: &[Token], i: usize) -> usize {
    let mut end = i;
    while end + 1 < tokens.len()
        && end - i < 3
        && !tokens[end].possessive
        && !tokens[end + 1].gap_has_break
        && (tokens[end + 1].is_capitalized() || PARTICLES.contains(&tokens[end + 1].lower.as_ref()))
        && !is_common_word(&tokens[end + 1].lower)
    {
        end += 1;
    }
    tokens[end].end
}

/// "is the 6th case", "is 2nd on the list".
fn nth_case(after: &str) -> bool {
    let rest = after
        .strip_prefix("is the ")
        .or_else(|| after.strip_prefix("is "))
        .unwrap_or("");
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0
        && ["st", "nd", "rd", "th"]
            .iter()
            .any(|o| rest[digits..].starts_with(o))
}

/// At a sentence's start, only the clearest patient verbs make an unknown
/// capitalized word a name ("Aroha was brought in after a fall").
fn strongly_about_person(text: &str, tokens: &[Token], i: usize) -> bool {
    let t = &tokens[i];
    if is_common_word(&t.lower) || t.all_caps {
        return false;
    }
    if t.possessive
        && tokens.get(i + 1).is_some_and(|n| {
            KIN_WORDS.contains(n.lower.as_ref())
                || PERSONAL_AFTER_POSSESSIVE.contains(n.lower.as_ref())
        })
    {
        return true;
    }
    let after = context::after(text, name_run_end(tokens, i), 40);
    let after = after.trim_start_matches([',', ' ']);
    if STRONG_PERSON_PHRASES.starts(after) || nth_case(after) {
        return true;
    }
    let next: Vec<&str> = tokens[i + 1..]
        .iter()
        .take(2)
        .map(|n| n.lower.as_ref())
        .collect();
    match next.as_slice() {
        [first, second, ..] => STRONG_PERSON_VERBS
            .iter()
            .any(|(a, b)| *a == *first && (b.is_empty() || *b == *second)),
        [first] => STRONG_PERSON_VERBS
            .iter()
            .any(|(a, b)| *a == *first && b.is_empty()),
        [] => false,
    }
}

/// The name at tokens `first..end` is used as staff: "Mr Hughes is closing",
/// "I'm Sarah, the scrub nurse", "thanks Mr Hughes".
fn staff_context(text: &str, tokens: &[Token], first: usize, end: usize) -> bool {
    let last = &tokens[end - 1];
    if last.possessive {
        // "I'm Liam's sister", "This is Mbali's third operation": someone's
        // relative or case, whoever is speaking.
        return false;
    }
    let mut cut = tokens[first].start;
    if first > 0 && is_title(&tokens[first - 1].lower) {
        cut = tokens[first - 1].start;
    }
    let raw_before = context::before(text, cut, 40);
    let before = raw_before.trim_end_matches([',', ' ', ':', '-', '—', '(']);
    let sentence = raw_before.rsplit(['.', '!', '?', ';']).next().unwrap_or("");
    // "our theatre team: Bex, Marco and Deepa", "I'm the fellow this year, Kenji".
    let team_list = sentence.contains("team") && sentence.contains(':');
    let self_introduced = (sentence.contains("i'm") || sentence.contains("i am"))
        && context::words(sentence).any(|w| STAFF_ROLES.contains(w));
    // "our perfusionist Brendan", "our consultant today is Mr Doyle".
    let nearest: Vec<&str> = context::words(before).rev().take(3).collect();
    let role_before = nearest.first().is_some_and(|w| STAFF_ROLES.contains(w))
        || nearest.first() == Some(&"is") && nearest.iter().any(|w| STAFF_ROLES.contains(w));
    let staff_before = STAFF_BEFORE.ends(before) || team_list || self_introduced || role_before;
    let after = context::after(text, last.end, 48);
    let after_clause = after.trim_start_matches([',', ' ', '(', '-', '—']);
    let staff_after = STAFF_AFTER.starts(after_clause);
    // "Mrs Abara, our theatre manager", "Mr Tan, one of our senior fellows",
    // "Mr Osei is the operating consultant today": a role in apposition.
    let appositive = after.starts_with([',', '(', '-', '—'])
        || after_clause.starts_with("is ")
        || after_clause.starts_with("was ")
        || after_clause.starts_with("here");
    let clause_end = after_clause
        .find(['.', ';', '!', '?'])
        .unwrap_or(after_clause.len());
    let role_after = appositive && role_in_apposition(&after_clause[..clause_end]);
    staff_before || staff_after || role_after
}

/// A role word heading a phrase within the first words of `clause`: "our
/// theatre manager,", "CT2,", "the operating consultant today", but not
/// "the nurses on ward 12 miss her".
fn role_in_apposition(clause: &str) -> bool {
    let mut rest = clause;
    for _ in 0..6 {
        rest = rest.trim_start_matches(|c: char| !c.is_alphanumeric());
        let len = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '-'))
            .unwrap_or(rest.len());
        if len == 0 {
            return false;
        }
        let word = &rest[..len];
        rest = &rest[len..];
        if KIN_WORDS.contains(word.trim_end_matches("'s")) {
            // "Priya, Mr Raman's daughter, thanking the team": a relative.
            return false;
        }
        if STAFF_ROLES.contains(word) {
            let next = rest.trim_start();
            let next_word = context::words(next).next().unwrap_or("");
            return next.is_empty()
                || next.starts_with([',', ')', '-', '—', ':'])
                || ["today", "here", "and", "who", "this", "for", "from", "at"]
                    .contains(&next_word);
        }
    }
    false
}

fn is_title(lower: &str) -> bool {
    PATIENT_TITLES.contains(&lower) || STAFF_TITLES.contains(lower)
}

fn listed_names(automaton: &AhoCorasick, text: &str, out: &mut Vec<Span>) {
    for m in automaton.find_iter(text) {
        let whole = text[..m.start()]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric())
            && text[m.end()..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric());
        if whole {
            out.push(Span::hold(m.start(), m.end(), Category::Name));
        }
    }
}

#[cfg(test)]
mod tests;

//! The sentence around a candidate name: who the words before and after
//! make it (a patient, a relative, staff, a citation, a thing named after a
//! person), and where a run of name words ends.

use super::super::context;
use super::super::{Category, Span};
use super::lexicon::*;
use super::tokens::Token;
use aho_corasick::AhoCorasick;

/// A capitalized word next to another identifier in the same sentence
/// ("Thandiwe Nkosi DOB 1957-03-28", "Okeke, 93M"): the sentence is about a
/// patient, and a full name there, or a word set off beside the identifier,
/// is theirs.
pub(super) fn near_identifier(text: &str, tokens: &[Token], i: usize, others: &[Span]) -> bool {
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
pub(super) fn plain(t: &Token) -> bool {
    !is_common_word(&t.lower)
        && !INSTITUTION_WORDS.contains(t.lower.as_ref())
        && !t.lower.split('-').any(|part| EPONYMS.contains(part))
}

/// "14 Fr Robinson": a word after a number is a unit, not a name.
pub(super) fn after_number(tokens: &[Token], i: usize) -> bool {
    i > 0 && tokens[i - 1].lower.bytes().all(|b| b.is_ascii_digit())
}

/// A verb right after the capitalized run starting at `i`: the run is the
/// subject of the sentence.
pub(super) fn verb_after(text: &str, tokens: &[Token], i: usize) -> bool {
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
pub(super) fn citation_after(text: &str, tokens: &[Token], end: usize) -> bool {
    let after = context::after(text, tokens[end - 1].end, 48);
    context::words(&after)
        .take(4)
        .any(|w| CITATION_WORDS.contains(&w))
}

/// "EuroSCORE", "NexGen": a capital inside a word marks a brand or a score
/// (but not "McGrath", "MacLeod", "O'Brien", "DeMarco").
pub(super) fn camel_case(t: &Token) -> bool {
    !t.all_caps && t.inner_capitals && !t.name_prefix
}

/// A list or board ("1. HOLLOWAY 2. ABUBAKAR", "bed 3 KOWALCZYK"): an
/// all-caps word right after a list number, or an initial and a
/// capitalized word ("R. Castellanos").
pub(super) fn listed_on_board(tokens: &[Token], i: usize) -> bool {
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
pub(super) fn after_of(tokens: &[Token], i: usize) -> bool {
    i > 0 && tokens[i - 1].lower == "of" && !tokens[i].gap_has_break
}

pub(super) fn push(out: &mut Vec<Span>, tokens: &[Token], first: usize, end: usize) {
    let start = tokens[first].start;
    let last = &tokens[end - 1];
    out.push(Span::hold(start, last.name_end, Category::Name));
}

pub(super) fn after_my(tokens: &[Token], i: usize) -> bool {
    i > 0
        && matches!(
            tokens[i - 1].lower.as_ref(),
            "my" | "i'm" | "i" | "am" | "our"
        )
}

/// "her sister", "the patient's son", "his wife": a kin word that is about
/// someone's relative, not a staff title ("Sister Adeyemi").
pub(super) fn kin_possessive(tokens: &[Token], i: usize) -> bool {
    i > 0 && {
        let prev = &tokens[i - 1];
        let article = prev.lower == "the" && tokens[i].is_capitalized();
        (POSSESSIVES.contains(&prev.lower.as_ref()) && !article) || prev.possessive
    }
}

/// "Birmingham Hip Resurfacing", "Forgotten Joint Score": a capitalized word
/// after another is part of a title or a product, not a bare name.
pub(super) fn part_of_proper_noun(tokens: &[Token], i: usize) -> bool {
    i > 0 && {
        let prev = &tokens[i - 1];
        !tokens[i].gap_has_break && prev.is_capitalized() && !prev.sentence_start
    }
}

pub(super) fn next_is_institution(tokens: &[Token], i: usize) -> bool {
    !tokens[i].possessive
        && tokens
            .get(i + 1)
            .is_some_and(|n| INSTITUTION_WORDS.contains(n.lower.as_ref()))
}

/// The words after token `i` treat it as a person: "was admitted", "'s
/// husband", "fell", "is 93".
pub(super) fn about_person(text: &str, tokens: &[Token], i: usize) -> bool {
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
pub(super) fn name_run_end(tokens: &[Token], i: usize) -> usize {
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
pub(super) fn nth_case(after: &str) -> bool {
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
pub(super) fn strongly_about_person(text: &str, tokens: &[Token], i: usize) -> bool {
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
pub(super) fn staff_context(text: &str, tokens: &[Token], first: usize, end: usize) -> bool {
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
pub(super) fn role_in_apposition(clause: &str) -> bool {
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

pub(super) fn is_title(lower: &str) -> bool {
    PATIENT_TITLES.contains(&lower) || STAFF_TITLES.contains(lower)
}

pub(super) fn listed_names(automaton: &AhoCorasick, text: &str, out: &mut Vec<Span>) {
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

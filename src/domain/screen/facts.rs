//! Cheap facts about a text, gathered in one pass before any detector runs,
//! so that a detector whose pattern cannot match is never run: most
//! teaching text has no '@', no long number, no month name and no age over
//! 89, and skipping those detectors is what keeps the screen in
//! microseconds.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use std::sync::LazyLock;

/// Month, weekday and holiday words (and stems of them).
#[rustfmt::skip]
const CALENDAR: &[&str] = &[
 "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec", "mon", "tue",
 "wed", "thu", "fri", "sat", "sun", "christmas", "easter", "thanksgiving", "halloween",
 "valentine", "diwali", "eid", "hogmanay", "boxing", "new year", "independence", "memorial",
 "labor", "labour", "patrick", "ash", "remembrance", "burns", "lunar", "bonfire", "fourth", "4th",
];

/// Words that can start or end a street address, a box or a house number.
#[rustfmt::skip]
const PLACE: &[&str] = &[
 "st", "rd", "ave", "av", "ln", "dr", "cl", "ct", "cres", "way", "pl", "tce", "blvd", "gdns", "gr",
 "sq", "pkwy", "hwy", "row", "mews", "hill", "walk", "rise", "view", "cir", "trail", "green",
 "vale", "wynd", "brae", "loan", "parade", "esplanade", "quay", "wharf", "yard", "park", "street",
 "road", "avenue", "lane", "drive", "close", "court", "crescent", "place", "terrace", "boulevard",
 "gardens", "grove", "square", "parkway", "highway", "circle", "rue", "via", "calle", "avenida",
 "rua", "ul.", "ulica", "al.", "plac", "piazza", "strada", "carrer", "paseo", "rambla", "heol",
 "ffordd", "stryd", "rhodfa", "straße", "strasse", "str.", "weg", "gasse", "platz", "allee",
 "laan", "straat", "gracht", "vej", "gatan", "gata", "veien", "katu", "box", "no.", "flat", "apt",
 "apartment", "unit", "suite", "room", "house", "lodge", "mansions", "tower", "cottage", "farm",
 "hall", "manor", "heights",
];

/// One automaton over every gate word, so the text is read once: pattern
/// ids below `CALENDAR.len()` are calendar words, then place words, then
/// compound-street endings, then spelled-out old ages.
static GATE_WORDS: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::Standard)
        .build(
            CALENDAR
                .iter()
                .chain(PLACE)
                .chain(COMPOUND_STREETS)
                .chain(OLD_AGE)
                .chain(ADDRESS_CUES),
        )
        .expect("plain words")
});

#[rustfmt::skip]
const COMPOUND_STREETS: &[&str] = &[
 "straße", "strasse", "str.", "weg", "gasse", "platz", "allee", "laan", "straat", "gracht", "vej",
 "gatan", "gata", "veien", "katu", "damm", "ring", "ufer",
];

const OLD_AGE: &[&str] = &["ninety", "hundred", "nonagenarian", "centenarian"];

/// Words that introduce an address ("lives at", "address:").
const ADDRESS_CUES: &[&str] = &[
    "live", "address", "home", "staying", "moved", "'s at", "'re at",
];

#[derive(Debug, Clone, Copy, Default)]
pub struct Facts {
    pub has_digit: bool,
    pub has_at: bool,
    pub has_colon: bool,
    pub colons: usize,
    /// "http", "www." or a dot between letters ("example.org").
    pub web_hint: bool,
    /// Digits with one space or hyphen between groups, longest run.
    pub longest_number: usize,
    /// Longest run of ASCII letters and digits.
    pub longest_token: usize,
    /// A letter right before a digit ("SW1A", "K1234567").
    pub letter_digit: bool,
    /// A digit then two letters ending a word: a UK postcode's inward code ("1AA").
    pub inward_code: bool,
    /// A digit-dot-digit (an IP address or a dotted date).
    pub dotted_digits: usize,
    pub calendar_word: bool,
    pub place_word: bool,
    /// A number from 90 to 125, or a spelled-out one ("ninety").
    pub old_age: bool,
    /// Words that introduce an address ("lives at", "address:").
    pub address_words: bool,
}

impl Facts {
    pub fn of(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut f = Facts::default();
        let (mut number, mut token, mut run) = (0usize, 0usize, 0usize);
        for (i, &b) in bytes.iter().enumerate() {
            let prev = i.checked_sub(1).map(|k| bytes[k]);
            let next = bytes.get(i + 1).copied();
            if b.is_ascii_digit() {
                f.has_digit = true;
                f.inward_code |= bytes.get(i + 1).is_some_and(u8::is_ascii_alphabetic)
                    && bytes.get(i + 2).is_some_and(u8::is_ascii_alphabetic)
                    && bytes.get(i + 3).is_none_or(|b| !b.is_ascii_alphanumeric());
                number += 1;
                run += 1;
                if prev.is_some_and(|p| p.is_ascii_alphabetic()) {
                    f.letter_digit = true;
                }
            } else {
                // A number from 90 that is not a reading ("118/76", "100%", "2.5").
                let decimal_after = b == b'.' && next.is_some_and(|n| n.is_ascii_digit());
                let reading = matches!(b, b'/' | b'%' | b':')
                    || decimal_after
                    || i > run && matches!(bytes[i - run - 1], b'/' | b'.' | b':');
                if (2..=3).contains(&run) && !reading {
                    let value: u32 = text[i - run..i].parse().unwrap_or(0);
                    f.old_age |= (90..=125).contains(&value);
                }
                run = 0;
                // Up to two separators between digit groups keep a number
                // going: "07700 900123", "415.555.0199", "(415) 555-0132".
                let sep = |c: u8| matches!(c, b' ' | b'-' | b'.' | b'(' | b')');
                let digit_before = prev.is_some_and(|p| p.is_ascii_digit())
                    || prev.is_some_and(sep) && i >= 2 && bytes[i - 2].is_ascii_digit();
                let digit_after = next.is_some_and(|n| n.is_ascii_digit())
                    || next.is_some_and(sep) && bytes.get(i + 2).is_some_and(u8::is_ascii_digit);
                let joins = sep(b) && digit_before && digit_after;
                if !joins {
                    f.longest_number = f.longest_number.max(number);
                    number = 0;
                }
                if b == b'.'
                    && prev.is_some_and(|p| p.is_ascii_digit())
                    && next.is_some_and(|n| n.is_ascii_digit())
                {
                    f.dotted_digits += 1;
                }
                if b == b'.'
                    && prev.is_some_and(|p| p.is_ascii_alphanumeric())
                    && next.is_some_and(|n| n.is_ascii_alphabetic())
                {
                    f.web_hint = true;
                }
                f.has_at |= b == b'@';
                if b == b':' {
                    f.colons += 1;
                    f.has_colon = true;
                }
            }
            if b.is_ascii_alphanumeric() {
                token += 1;
            } else {
                f.longest_token = f.longest_token.max(token);
                token = 0;
            }
        }
        if (2..=3).contains(&run) {
            let value: u32 = text[text.len() - run..].parse().unwrap_or(0);
            f.old_age |= (90..=125).contains(&value);
        }
        f.longest_number = f.longest_number.max(number);
        f.longest_token = f.longest_token.max(token);
        f.web_hint |= text.contains("http") || text.contains("www") || text.contains("WWW");
        f.gate_words(text);
        f
    }
}

/// A street word that may be part of an address: a house number within 40
/// bytes, and an abbreviation ("Dr", "St") only right after a capitalized
/// word ("Elm Dr"), so "Dr Okafor" and "St Thomas'" do not count.
fn street_word(text: &str, start: usize, word: &str) -> bool {
    let bytes = text.as_bytes();
    let digit_near = bytes[start.saturating_sub(40)..start]
        .iter()
        .any(u8::is_ascii_digit)
        || bytes[start..(start + 40).min(bytes.len())]
            .iter()
            .any(u8::is_ascii_digit);
    if !digit_near {
        return false;
    }
    const ABBREVIATED: &[&str] = &[
        "st", "rd", "dr", "ln", "cl", "ct", "pl", "gr", "sq", "av", "ave", "tce", "blvd", "gdns",
        "cres", "pkwy", "hwy", "cir",
    ];
    if !ABBREVIATED.contains(&word.to_ascii_lowercase().as_str()) {
        return true;
    }
    let before = text[..start].trim_end();
    before.len() < start
        && before
            .rsplit(|c: char| !c.is_alphanumeric())
            .next()
            .and_then(|w| w.chars().next())
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
}

impl Facts {
    /// Calendar words start a word ("Mon" in "Monday"), place words are
    /// whole words, compound-street endings end one ("Lindenweg").
    fn gate_words(&mut self, text: &str) {
        let bytes = text.as_bytes();
        let digit_near = |at: usize| {
            bytes[at.saturating_sub(40)..at]
                .iter()
                .any(u8::is_ascii_digit)
                || bytes[at..(at + 40).min(bytes.len())]
                    .iter()
                    .any(u8::is_ascii_digit)
        };
        let places = CALENDAR.len() + PLACE.len();
        let compounds = places + COMPOUND_STREETS.len();
        let old_ages = compounds + OLD_AGE.len();
        for m in GATE_WORDS.find_overlapping_iter(text) {
            let starts = m.start() == 0 || !bytes[m.start() - 1].is_ascii_alphanumeric();
            let ends = bytes
                .get(m.end())
                .is_none_or(|b| !b.is_ascii_alphanumeric());
            match m.pattern().as_usize() {
                id if id < CALENDAR.len() => self.calendar_word |= starts,
                id if id < places => {
                    let word = &text[m.start()..m.end()];
                    self.place_word |= starts && ends && street_word(text, m.start(), word)
                }
                id if id < compounds => self.place_word |= ends && digit_near(m.end()),
                id if id < old_ages => self.old_age = true,
                _ => self.address_words = true,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_of_a_text() {
        let f = Facts::of("Mrs Patel, 93, MRN 00482913, tel 07700 900123 on 3 March");
        assert!(f.has_digit && f.old_age && f.calendar_word && !f.letter_digit);
        assert_eq!(f.longest_number, 11);
        let clean = Facts::of("BP 118/76, size 5, 2.5 mm drill");
        assert!(!clean.old_age && !clean.calendar_word && !clean.has_at);
        assert_eq!(clean.longest_number, 3);
        assert_eq!(Facts::of("(415) 555-0132").longest_number, 10);
        assert_eq!(Facts::of("415.555.0199").longest_number, 10);
        assert_eq!(clean.dotted_digits, 1);
        assert!(Facts::of("see example.org").web_hint);
        assert!(Facts::of("K1234567").letter_digit);
        assert!(Facts::of("a ninety-year-old").old_age);
    }
}

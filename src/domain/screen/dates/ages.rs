//! Ages over 89: in digits or words, after "aged", before "-year-old", as
//! "95F", in apposition ("Mrs Patel, 93,"), after a name or a relative
//! ("grandad is 93"), or as a birthday. 89 and under are allowed.

use super::super::context::{self, has_any};
use super::super::facts::Facts;
use super::super::{Category, Span};
use super::{KIN, MEASURES, NUMBER_WORDS, num};
use regex::Regex;

pub struct Ages {
    age_number: Regex,
    age_words: Regex,
    age_of_person: Regex,
    birthday: Regex,
    bare_number: Regex,
    named_age: Regex,
}

impl Ages {
    pub fn new() -> Self {
        Self {
            age_number: context::regex(
                r"(?i)\b(?:aged?|age:|aged:)\s*(\d{2,3})\b|\b(\d{2,3})(?:\s*|-)(?:years?|yrs?|yo|y/o|y\.o\.|y)(?:[\s-]*old)?\b|\b(\d{2,3})(?:\s?(?:yo|y/o)|[mf])\b",
            )
            .unwrap(),
            age_words: context::regex(
                r"(?i)\b(ninety|one[\s-]hundred(?:\s+and)?|a\s+hundred(?:\s+and)?)(?:[\s-](one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve))?(?:[\s-]+years?)?[\s-]+(?:old|year-old|yo)\b",
            )
            .unwrap(),
            age_of_person: context::regex(&format!(
                r"(?i)\b(?:he|she|he's|she's|who|who's|i'm|i am|makes (?:him|her)|turns?|turned|turning|at|{KIN})(?:\s+(?:is|was|are|were|here|will be|just|now|only|already|turned|turns))*\s+({NUMBER_WORDS}|\d{{2,3}})\b(\s*(?:%|°|mm|cm|mg|kg|ml|bpm|degrees|percent|units|minutes|mins|seconds|hours|hrs|/))?"
            ))
            .unwrap(),
            birthday: context::regex(r"(?i)\b(\d{2,3})(?:st|nd|rd|th)\s+birthday\b").unwrap(),
            bare_number: context::regex(&format!(r"(?i)\b(?:{NUMBER_WORDS}|\d{{2,3}})\b")).unwrap(),
            named_age: context::regex(&format!(
                r"\b(\p{{Lu}}\p{{Ll}}[\p{{L}}'’-]*)\s+(?:is|was|turns|turned|will be)\s+(?:now\s+|only\s+|nearly\s+|almost\s+)?((?i:{NUMBER_WORDS})|\d{{2,3}})\b(\s*(?:%|°|mm|cm|mg|kg|ml|bpm|degrees|percent|units|minutes|mins|/))?"
            ))
            .unwrap(),
        }
    }

    pub fn find(&self, text: &str, facts: &Facts, out: &mut Vec<Span>) {
        if facts.has_digit {
            self.ages(text, out);
        }
        self.bare_ages(text, out);
        for m in self.age_words.find_iter(text) {
            out.push(Span::hold(m.start(), m.end(), Category::Age));
        }
        for c in self.age_of_person.captures_iter(text) {
            let n = c.get(1).unwrap();
            let age = word_number(n.as_str());
            let spelled = !n.as_str().starts_with(|c: char| c.is_ascii_digit());
            let after_at = !spelled && c[0].get(..3).is_some_and(|w| w.eq_ignore_ascii_case("at "));
            let next = context::after(text, n.end(), 12);
            let clause_follows = next.starts_with(',')
                || context::words(&next).next().is_some_and(|w| {
                    [
                        "the", "she", "he", "his", "her", "they", "this", "that", "it", "surgery",
                    ]
                    .contains(&w)
                });
            if c.get(2).is_none()
                && (90..=125).contains(&age)
                && !plural_after(text, n.end())
                && (!after_at || clause_follows)
            {
                out.push(Span::hold(n.start(), n.end(), Category::Age));
            }
        }
        for c in self.birthday.captures_iter(text) {
            let n = c.get(1).unwrap();
            if (90..=125).contains(&num(n.as_str())) {
                out.push(Span::hold(n.start(), n.end(), Category::Age));
            }
        }
        for c in self.named_age.captures_iter(text) {
            let (subject, n) = (c.get(1).unwrap(), c.get(2).unwrap());
            let measured = MEASURES.contains(&subject.as_str().to_lowercase().as_str());
            let age = word_number(n.as_str());
            if !measured
                && (90..=125).contains(&age)
                && c.get(3).is_none()
                && !plural_after(text, n.end())
            {
                out.push(Span::hold(n.start(), n.end(), Category::Age));
            }
        }
    }

    fn ages(&self, text: &str, out: &mut Vec<Span>) {
        for c in self.age_number.captures_iter(text) {
            let Some(n) = c.get(1).or(c.get(2)).or(c.get(3)) else {
                continue;
            };
            let age = num(n.as_str());
            if !(90..=125).contains(&age) {
                continue;
            }
            let after = context::after(text, n.end(), 24);
            if has_any(
                &after,
                &[
                    "and over",
                    "or over",
                    "and above",
                    "or older",
                    "and older",
                    "plus",
                ],
            ) || text[n.end()..].starts_with('+')
            {
                continue;
            }
            let before = context::before(text, n.start(), 16);
            if c.get(3).is_some() && has_any(&before, &["temp", "temperature", "°", "size"]) {
                continue;
            }
            out.push(Span::hold(n.start(), n.end(), Category::Age));
        }
    }

    /// "Mrs Patel, 93, MRN …": a number from 90 up set off by commas or
    /// brackets right after a name or a patient word.
    fn bare_ages(&self, text: &str, out: &mut Vec<Span>) {
        for m in self.bare_number.find_iter(text) {
            let (start, end) = (m.start(), m.end());
            let age = word_number(m.as_str());
            if !(90..=125).contains(&age) {
                continue;
            }
            let prev = text[..start].trim_end();
            let next = text[end..].trim_start();
            let closes = next.is_empty() || next.starts_with([',', '.', ';', ')', '—', '-']);
            let set_off =
                (prev.ends_with(',') && closes) || (prev.ends_with('(') && next.starts_with(')'));
            if !set_off || !prev.ends_with([',', '(']) {
                continue;
            }
            let before = prev[..prev.len() - 1].trim_end();
            let last = before
                .rsplit(|c: char| !c.is_alphanumeric() && c != '\'')
                .next()
                .unwrap_or("");
            let capitalized = last.chars().next().is_some_and(char::is_uppercase);
            let year = last.len() == 4 && (last.starts_with("19") || last.starts_with("20"));
            let lower = last.to_lowercase();
            let person_word = [
                "patient",
                "pt",
                "man",
                "woman",
                "female",
                "male",
                "lady",
                "gentleman",
            ]
            .contains(&lower.as_str());
            if capitalized || year || person_word {
                out.push(Span::hold(start, end, Category::Age));
            }
        }
    }
}

/// "90 patients", "100 cases": a count, not an age.
fn plural_after(text: &str, end: usize) -> bool {
    let next = context::after(text, end, 16);
    let word = context::words(&next).next().unwrap_or("");
    word.ends_with('s') && !matches!(word, "years" | "yrs" | "yo" | "this" | "is" | "was" | "has")
}

/// 93, "ninety-three", "a hundred and one".
fn word_number(s: &str) -> u32 {
    if let Ok(n) = s.parse() {
        return n;
    }
    let lower = s.to_lowercase();
    let base = if lower.starts_with("ninety") { 90 } else { 100 };
    let units = [
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    ];
    base + context::words(&lower)
        .flat_map(|w| w.split('-'))
        .find_map(|w| units.iter().position(|u| *u == w))
        .map_or(0, |i| i as u32 + 1)
}

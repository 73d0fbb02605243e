//! Dates tied to a person (birth, admission, discharge, surgery, death) and
//! ages over 89. A bare year, a time of day, an elapsed time ("T+00:42"), a
//! month alone and a date about a guideline or a trial are not identifiers.

use super::context::{self, Cues, has_any};
use super::facts::Facts;
use super::{Category, Span};
use regex::Regex;
use std::sync::LazyLock;

pub struct Dates {
    numeric: Regex,
    iso: Regex,
    day_month: Regex,
    month_day: Regex,
    weekday_day: Regex,
    holiday: Regex,
    lead_in: Regex,
    ages: ages::Ages,
}

const MONTHS: &str = r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?";
const WEEKDAY: &str = r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|urday)?\.?,?\s+(?:the\s+)?)?";

/// Words near a date that tie it to a person.
static PERSON_CUES: LazyLock<Cues> = LazyLock::new(|| Cues::new(PERSON_CUE_LIST));
#[rustfmt::skip]
const PERSON_CUE_LIST: &[&str] = &[
 "dob", "d.o.b", "d.o.b.", "born", "birth", "birthday", "b.", "admitted", "admission", "adm",
 "discharged", "discharge", "d/c", "operated", "operation", "surgery", "op", "procedure", "died",
 "death", "deceased", "passed", "rip", "dod", "presented", "presentation", "seen", "visit",
 "visited", "clinic", "appointment", "appt", "referred", "referral", "injured", "injury", "fell",
 "fall", "accident", "collapsed", "scan", "scanned", "x-ray", "mri", "ct", "biopsy", "diagnosed",
 "diagnosis", "transferred", "arrived", "came", "brought", "attended", "follow-up", "review", "he",
 "she", "his", "her", "him", "patient", "pt", "mr", "mrs", "ms", "miss", "son", "daughter", "wife",
 "husband", "mother", "father", "mum", "dad", "family", "since", "on", "last", "due", "booked",
 "listed", "started", "stopped", "last seen", "baby", "delivered", "labour", "labor", "edd", "lmp",
 "wedding", "anniversary",
];

/// Words near a date that make it about something other than a person.
static NOT_PERSON_CUES: LazyLock<Cues> = LazyLock::new(|| Cues::new(NOT_PERSON_CUE_LIST));
#[rustfmt::skip]
const NOT_PERSON_CUE_LIST: &[&str] = &[
 "published", "publication", "guideline", "guidelines", "guidance", "trial", "study", "updated",
 "update", "released", "release", "version", "conference", "congress", "meeting", "course",
 "webinar", "deadline", "rota", "policy", "protocol", "journal", "issue", "vol", "et al", "nice",
 "who", "launched", "introduced", "approved", "fda", "mhra", "effective", "audit", "session",
 "lecture", "exam", "term", "semester", "changed", "skills", "deanery", "training", "this year",
 "next year", "change",
];

const ORDINAL: &str = r"(?:st|nd|rd|th)?";

const NUMBER_WORDS: &str = r"(?:ninety|one[\s-]hundred|a\s+hundred)(?:[\s-](?:and[\s-])?(?:one|two|three|four|five|six|seven|eight|nine|ten))?";

/// Capitalized words that are measurements, not people: "Sats is 92".
#[rustfmt::skip]
const MEASURES: &[&str] = &[
 "sats", "temp", "temperature", "pulse", "saturation", "glucose", "sugar", "weight", "score",
 "map", "rate", "pressure", "hb", "sodium", "potassium", "creatinine", "lactate", "it", "this",
 "that", "he", "she", "which", "what", "there", "who",
];

/// Relatives (and "patient") as the subject of an age: "grandad is 93".
const KIN: &str = r"patient|pt|grandad|granddad|grandpa|grandma|granny|nan|nana|mum|mom|mother|dad|father|aunt|great-aunt|uncle|great-uncle|husband|wife|partner|neighbour|neighbor|gran|grandmother|grandfather|lady|gentleman|man|woman";

impl Dates {
    pub fn new() -> Self {
        Self {
            numeric: context::regex(r"\b(\d{1,2})([/.-])(\d{1,2})(?:([/.-])(\d{2}|\d{4}))?\b").unwrap(),
            iso: context::regex(r"\b(\d{4})([-/.])(\d{1,2})[-/.](\d{1,2})\b").unwrap(),
            day_month: context::regex(&format!(
                r"(?i)\b{WEEKDAY}(\d{{1,2}}){ORDINAL}(?:\s+of)?[\s-]+({MONTHS})\b\.?(?:,?[\s-]+('?\d{{2}}\b|\d{{4}}\b))?"
            ))
            .unwrap(),
            month_day: context::regex(&format!(
                r"(?i)\b{WEEKDAY}({MONTHS})\.?\s+(?:the\s+)?(\d{{1,2}}){ORDINAL}\b(?:,?\s+(\d{{4}})\b)?|\b({MONTHS})\.?\s+(\d{{4}})\b"
            ))
            .unwrap(),
            weekday_day: context::regex(
                r"(?i)\b(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+(?:the\s+)?\d{1,2}(?:st|nd|rd|th)\b",
            )
            .unwrap(),
            holiday: context::regex(
                r"(?i)\b(?:christmas(?:\s+(?:eve|day))?|boxing\s+day|new\s+year'?s(?:\s+(?:eve|day))?|easter(?:\s+(?:sunday|monday|weekend))?|thanksgiving|halloween|bonfire\s+night|valentine'?s\s+day|diwali|eid(?:\s+al-\w+)?|hogmanay|july\s+4th|the\s+fourth\s+of\s+july|independence\s+day|memorial\s+day|labou?r\s+day|st\.?\s+patrick'?s\s+day|good\s+friday|ash\s+wednesday|mother'?s\s+day|father'?s\s+day|remembrance\s+(?:day|sunday)|burns\s+night|chinese\s+new\s+year|lunar\s+new\s+year)\b(?:,?\s+\d{4}\b)?",
            )
            .unwrap(),
            ages: ages::Ages::new(),
            lead_in: context::regex(
                r"(?i)(?:\b(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?(?:\bthe\s+)?$",
            )
            .unwrap(),
        }
    }

    pub fn find(&self, text: &str, facts: &Facts, out: &mut Vec<Span>) {
        if facts.has_digit {
            self.numeric_dates(text, out);
        }
        if facts.calendar_word {
            self.text_dates(text, out);
            self.named_days(text, out);
        }
        if facts.old_age {
            self.ages.find(text, facts, out);
        }
    }

    /// "Wednesday 22nd", "Christmas Eve": days named without a month.
    fn named_days(&self, text: &str, out: &mut Vec<Span>) {
        for m in self
            .weekday_day
            .find_iter(text)
            .chain(self.holiday.find_iter(text))
        {
            if cued_strongly(text, m.start())
                || near(text, m.start(), m.end(), &PERSON_CUES)
                    && !near(text, m.start(), m.end(), &NOT_PERSON_CUES)
            {
                out.push(self.date(text, m.start(), m.end()));
            }
        }
    }

    /// A date span, reaching back over a weekday and "the" before it.
    fn date(&self, text: &str, start: usize, end: usize) -> Span {
        let lead = self
            .lead_in
            .find(&text[context::floor(text, start.saturating_sub(16))..start])
            .map_or(0, |m| m.len());
        Span::hold(start - lead, end, Category::Date)
    }

    fn numeric_dates(&self, text: &str, out: &mut Vec<Span>) {
        for c in self.iso.captures_iter(text) {
            let m = c.get(0).unwrap();
            let (y, mo, d) = (num(&c[1]), num(&c[3]), num(&c[4]));
            if valid(d, mo, Some(y)) && !near(text, m.start(), m.end(), &NOT_PERSON_CUES) {
                out.push(Span::hold(m.start(), m.end(), Category::Date));
            }
        }
        for c in self.numeric.captures_iter(text) {
            let m = c.get(0).unwrap();
            // "120/80" and "3/4 of the way" have no year; fractions and ratios need a cue.
            let year = c.get(5).map(|y| num(y.as_str()));
            let separators_match = c.get(4).is_none_or(|s| s.as_str() == &c[2]);
            let (a, b) = (num(&c[1]), num(&c[3]));
            let plausible = valid(a, b, year) || valid(b, a, year);
            if !plausible || !separators_match || glued(text, m.start(), m.end()) {
                continue;
            }
            let keep = match year {
                Some(_) => {
                    !near(text, m.start(), m.end(), &NOT_PERSON_CUES)
                        || cued_strongly(text, m.start())
                }
                None => &c[2] == "/" && cued_strongly(text, m.start()),
            };
            if keep {
                out.push(self.date(text, m.start(), m.end()));
            }
        }
    }

    fn text_dates(&self, text: &str, out: &mut Vec<Span>) {
        let day_month = self.day_month.captures_iter(text).map(|c| {
            let m = c.get(0).unwrap();
            (m.start(), m.end(), num(&c[1]), c.get(3).is_some())
        });
        let month_day = self.month_day.captures_iter(text).map(|c| {
            let m = c.get(0).unwrap();
            match c.get(2) {
                Some(day) => (m.start(), m.end(), num(day.as_str()), c.get(3).is_some()),
                None => (m.start(), m.end(), 0, true),
            }
        });
        for (start, end, day, has_year) in day_month.chain(month_day).collect::<Vec<_>>() {
            if day > 31 || (day == 0 && !has_year) {
                continue;
            }
            let s = &text[start..end];
            // Lower-case "may" is rarely the month: "10 may be enough".
            if context::words(s).any(|w| w == "may") {
                continue;
            }
            let strong = cued_strongly(text, start);
            let against = near(text, start, end, &NOT_PERSON_CUES);
            let about_person = near(text, start, end, &PERSON_CUES);
            let keep = if day == 0 {
                // Month and year alone ("March 2019"): only with a strong cue.
                strong
            } else if has_year {
                strong || !against
            } else {
                strong || (about_person && !against)
            };
            if keep {
                out.push(self.date(text, start, end));
            }
        }
    }
}

fn num(s: &str) -> u32 {
    s.trim_start_matches('\'').parse().unwrap_or(0)
}

/// A real calendar day (a two-digit year is taken as 19xx or 20xx).
fn valid(day: u32, month: u32, year: Option<u32>) -> bool {
    let leap = year.is_none_or(|y| {
        let y = if y < 100 { 2000 + y } else { y };
        y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
    });
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    let year_ok = year.is_none_or(|y| y < 100 || (1880..=2100).contains(&y));
    (1..=days).contains(&day) && year_ok
}

/// Part of a longer token: "1.2.3.4", "v2/3/4", "120/80/60".
fn glued(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    let joiner = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || "/.-:".contains(c));
    let after_joined = after.is_some_and(|c| c.is_alphanumeric() || c == '/' || c == ':')
        || (after == Some('.') && text[end + 1..].starts_with(|c: char| c.is_ascii_digit()));
    joiner(before) || after_joined
}

fn near(text: &str, start: usize, end: usize, cues: &Cues) -> bool {
    cues.in_text(&context::before(text, start, 48)) || cues.in_text(&context::after(text, end, 24))
}

/// A cue right before the date that ties it to a person.
fn cued_strongly(text: &str, start: usize) -> bool {
    let before = context::before(text, start, 48);
    has_any(
        &before,
        &[
            "dob",
            "d.o.b",
            "born",
            "birth",
            "admitted",
            "admission",
            "discharged",
            "discharge",
            "operated",
            "died",
            "death",
            "deceased",
            "dod",
            "presented",
            "seen",
            "visit",
            "appointment",
            "appt",
            "referred",
            "injured",
            "fell",
            "scan",
            "diagnosed",
            "b.",
            "dated",
            "date",
            "passed away",
            "last seen",
            "edd",
            "lmp",
            "delivered",
            "doa",
            "d.o.a",
            "dos",
            "d.o.d",
        ],
    )
}

mod ages;
#[cfg(test)]
mod tests;

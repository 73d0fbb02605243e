//! Numbers that identify a person or their things: social security, NHS
//! (mod-11 checked), payment cards (Luhn checked), and record, health-plan,
//! account, licence, passport, vehicle and device numbers after their cue.

use super::context::{self, Cues, has_any};
use super::facts::Facts;
use super::{Category, Span};
use regex::Regex;
use std::sync::LazyLock;

pub struct Numbers {
    ssn: Regex,
    nhs: Regex,
    card: Regex,
    cued_id: Regex,
    long_number: Regex,
    vin: Regex,
    uk_plate: Regex,
    hospital_number: Regex,
}

/// Words that introduce an identifying number. The number follows within a
/// few filler words ("no.", "number", "#", "is").
const ID_CUES: &str = r"mrn|medical\s+record|record|records|hospital|hosp|unit|patient|pt|chi|crn|case|chart|member|membership|policy|insurance|insurer|subscriber|group|plan|medicare|medicaid|beneficiary|claim|account|acct|a/c|iban|sort\s+code|card|licen[cs]e|dl|driving|driver'?s|passport|registration|reg|plate|vin|chassis|serial|s/n|sn|device|imei|udid|ni|national\s+insurance|tax|tin|itin|ein|health\s+plan|id|identifier|ref(?:erence)?\s+no|visa|pps|ppsn|specimen|label|accession|sample|lab|nric|fin|nhi|aadhaar|mykad|pesel|bsn|ihi|ssn";

/// Letter prefixes of trial registries and citations: "NCT01234567".
#[rustfmt::skip]
const REGISTRIES: &[&str] = &[
 "NCT", "PMC", "DOI", "ISBN", "ACT", "DRK", "CTR", "JPR", "KCT", "IRC", "PAC", "SLC", "TCT", "CT",
 "EU", "ISR",
];

/// Benign cues before a long number: citations, trials, catalogue numbers.
static BENIGN_CUES: LazyLock<Cues> = LazyLock::new(|| Cues::new(BENIGN_CUE_LIST));
#[rustfmt::skip]
const BENIGN_CUE_LIST: &[&str] = &[
 "review", "cochrane", "cd", "pmid", "pmcid", "doi", "isbn", "issn", "nct", "isrctn", "eudract",
 "lot", "batch", "cat", "catalogue", "catalog", "ref", "version", "v", "model", "code", "opcs",
 "icd", "snomed", "page", "pp", "vol", "bleep", "ext", "extension", "trial", "study", "protocol",
 "approval", "rec", "iras", "grant", "n",
];

impl Numbers {
    pub fn new() -> Self {
        Self {
            ssn: context::regex(r"\b(\d{3})[- ](\d{2})[- ](\d{4})\b|\b(\d{9})\b").unwrap(),
            nhs: context::regex(r"\b(\d{3})[ -]?(\d{3})[ -]?(\d{4})\b").unwrap(),
            card: context::regex(r"\b\d(?:[ -]?\d){12,18}\b").unwrap(),
            cued_id: context::regex(&format!(r"(?i)\b(?:{ID_CUES})\b")).unwrap(),
            long_number: context::regex(r"\b\d{7,}\b").unwrap(),
            vin: context::regex(r"\b[A-HJ-NPR-Z0-9]{17}\b").unwrap(),
            uk_plate: context::regex(r"\b[A-Z]{2}\d{2}\s?[A-Z]{3}\b").unwrap(),
            hospital_number: context::regex(
                r"\b([A-Z]{1,4})-?(\d{6,10}|\d{2,6}(?:-\d{2,6}){1,3})\b",
            )
            .unwrap(),
        }
    }

    pub fn find(&self, text: &str, facts: &Facts, out: &mut Vec<Span>) {
        if facts.longest_number >= 9 {
            for c in self.ssn.captures_iter(text) {
                let all = c.get(0).unwrap();
                let (area, group, serial) = match (c.get(1), c.get(4)) {
                    (Some(a), _) => (a.as_str(), &c[2], &c[3]),
                    (None, Some(d)) => (&d.as_str()[..3], &d.as_str()[3..5], &d.as_str()[5..]),
                    _ => continue,
                };
                let cued = has_any(
                    &context::before(text, all.start(), 32),
                    &["ssn", "social security", "soc sec", "ss#", "ss no"],
                );
                if (c.get(1).is_some() || cued) && valid_ssn(area, group, serial) {
                    out.push(Span::hold(all.start(), all.end(), Category::Ssn));
                }
            }
        }
        if facts.longest_number >= 10 {
            for m in self.nhs.find_iter(text) {
                let digits: Vec<u32> = m.as_str().chars().filter_map(|c| c.to_digit(10)).collect();
                if valid_nhs(&digits) {
                    out.push(Span::hold(m.start(), m.end(), Category::NhsNumber));
                }
            }
        }
        if facts.longest_number >= 13 {
            for m in self.card.find_iter(text) {
                let digits: Vec<u32> = m.as_str().chars().filter_map(|c| c.to_digit(10)).collect();
                if luhn(&digits) && !digits.iter().all(|&d| d == 0) {
                    out.push(Span::hold(m.start(), m.end(), Category::CardNumber));
                }
            }
        }
        let mut after = 0;
        for cue in self.cued_id.find_iter(text) {
            if cue.start() < after {
                continue;
            }
            let weak = WEAK_CUES.contains(&cue.as_str().to_ascii_lowercase().as_str());
            if let Some((start, end)) = id_after_cue(text, cue.end(), weak) {
                out.push(Span::hold(start, end, Category::IdNumber));
                after = end;
            }
        }
        if facts.longest_number >= 7 {
            for m in self.long_number.find_iter(text) {
                let glued = text[..m.start()].ends_with(['.', ',', '/', '-', '+'])
                    || text[m.end()..].starts_with('/')
                    || text[m.end()..]
                        .strip_prefix(',')
                        .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()))
                    || text[m.end()..]
                        .strip_prefix('.')
                        .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()));
                let before = context::before(text, m.start(), 16);
                if !glued && !BENIGN_CUES.in_text(&before) && !is_year_range(m.as_str()) {
                    out.push(Span::hold(m.start(), m.end(), Category::IdNumber));
                }
            }
        }
        if facts.longest_token >= 17 {
            for m in self.vin.find_iter(text) {
                let s = m.as_str();
                let letters = s.chars().filter(char::is_ascii_alphabetic).count();
                if letters >= 2 && s.len() - letters >= 5 {
                    out.push(Span::hold(m.start(), m.end(), Category::IdNumber));
                }
            }
        }
        if facts.longest_number >= 6 {
            for c in self.hospital_number.captures_iter(text) {
                let all = c.get(0).unwrap();
                let before = context::before(text, all.start(), 16);
                let digits = c[2].bytes().filter(u8::is_ascii_digit).count();
                if digits >= 6 && !REGISTRIES.contains(&&c[1]) && !BENIGN_CUES.in_text(&before) {
                    out.push(Span::hold(all.start(), all.end(), Category::IdNumber));
                }
            }
        }
        if facts.letter_digit {
            for m in self.uk_plate.find_iter(text) {
                out.push(Span::hold(m.start(), m.end(), Category::IdNumber));
            }
        }
    }
}

/// Words between a cue and its number: "MRN no. 123", "driving licence
/// number: D123", "card ending in 4242".
#[rustfmt::skip]
const FILLERS: &[&str] = &[
 "no", "num", "number", "nr", "id", "is", "was", "of", "ending", "in", "code", "licence",
 "license", "record", "registration", "plate", "serial", "card", "account", "policy", "member",
 "us", "uk", "the", "his", "her", "their", "patient's", "driver's", "driving", "reg", "insurance",
 "health", "plan", "ref", "reference", "on", "file", "details", "and",
];

/// The identifier that follows a cue within a few words, if any. A short
/// letter prefix standing apart ("SN 4471-0032-A", "WX 12345") is part of it.
fn id_after_cue(text: &str, from: usize, weak: bool) -> Option<(usize, usize)> {
    let mut pos = from;
    let mut prefix: Option<usize> = None;
    for _ in 0..5 {
        let rest = &text[pos..];
        let skip = rest.len()
            - rest
                .trim_start_matches([' ', ':', '#', '=', '.', ',', '-'])
                .len();
        let word_start = pos + skip;
        let word_len = text[word_start..]
            .find(|c: char| c.is_whitespace() || c == ',' || c == ';' || c == ')' || c == '(')
            .unwrap_or(text.len() - word_start);
        if word_len == 0 {
            return None;
        }
        let raw = &text[word_start..word_start + word_len];
        let word = raw.trim_end_matches(['.', ':', '?', '!', '\'']);
        let word_end = word_start + word.len();
        let lower = word.to_ascii_lowercase();
        let grouped_end = digit_groups_end(text, word_start, word_end);
        let grouped = &text[word_start..grouped_end];
        let strong_enough = !weak || grouped.chars().filter(char::is_ascii_digit).count() >= 5;
        let id_like = looks_like_id(grouped)
            || grouped_end > word_end && looks_like_id(&grouped.replace(' ', ""));
        if id_like && strong_enough {
            let start = prefix.unwrap_or(word_start);
            let mut end = grouped_end;
            // A UK plate's second half: "AB12 CDE".
            if let Some(tail) = text[end..].strip_prefix(' ')
                && tail.len() >= 3
                && tail.as_bytes()[..3].iter().all(u8::is_ascii_uppercase)
                && tail
                    .as_bytes()
                    .get(3)
                    .is_none_or(|b| !b.is_ascii_alphanumeric())
            {
                end += 4;
            }
            return Some((start, end));
        }
        let short_prefix = word.len() <= 3
            && word.len() >= 2
            && word.chars().all(|c| c.is_ascii_uppercase() || c == '/')
            && prefix.is_none();
        if short_prefix && !FILLERS.contains(&lower.as_str()) {
            prefix = Some(word_start);
        } else if !FILLERS.contains(&lower.as_str()) {
            return None;
        }
        pos = word_start + word_len;
    }
    None
}

/// Cues that also start ordinary phrases ("patient 2 of 3", "case 12"):
/// the number after them must be long to count.
#[rustfmt::skip]
const WEAK_CUES: &[&str] = &[
 "patient", "pt", "case", "unit", "group", "plan", "record", "records", "hospital", "card", "id",
 "reg", "chart", "claim", "device", "specimen", "label", "sample", "lab",
];

/// "2123 45670 1": digit groups after an all-digit token, one space apart.
fn digit_groups_end(text: &str, start: usize, end: usize) -> usize {
    // "2123 45670 1", or a prefix and groups: "RX4 882 019".
    if !text[start..end].bytes().all(|b| b.is_ascii_alphanumeric())
        || !text[start..end].bytes().any(|b| b.is_ascii_digit())
    {
        return end;
    }
    let mut end = end;
    while let Some(rest) = text[end..].strip_prefix(' ') {
        let n = rest.bytes().take_while(u8::is_ascii_digit).count();
        let next = rest.as_bytes().get(n);
        if n == 0 || next.is_some_and(|b| b.is_ascii_alphanumeric()) {
            break;
        }
        end += 1 + n;
    }
    end
}

/// An identifier after a cue: at least one digit, at least three characters
/// that are letters or digits, and not a measurement ("2.5", "10mg").
fn looks_like_id(s: &str) -> bool {
    let alnum = s.chars().filter(char::is_ascii_alphanumeric).count();
    let digits = s.chars().filter(char::is_ascii_digit).count();
    if digits == 0 || alnum < 4 {
        return false;
    }
    // "32/40" (weeks of pregnancy), "10/10": a fraction.
    if let Some((a, b)) = s.split_once('/')
        && a.len() <= 2
        && b.len() <= 3
        && a.bytes().chain(b.bytes()).all(|c| c.is_ascii_digit())
    {
        return false;
    }
    let lower = s.to_ascii_lowercase();
    let unit = [
        "mg", "ml", "mm", "cm", "kg", "mcg", "g", "l", "iu", "units", "hrs", "h",
    ];
    if let Some(number_end) = lower.find(|c: char| !c.is_ascii_digit() && c != '.')
        && lower[..number_end]
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.')
        && unit.contains(&&lower[number_end..])
    {
        return false;
    }
    // A decimal or a year alone is not an id.
    let decimal = s.contains('.') && s.chars().all(|c| c.is_ascii_digit() || c == '.');
    let year = s.len() == 4 && s.starts_with(['1', '2']) && digits == 4;
    !decimal && !year
}

fn is_year_range(s: &str) -> bool {
    s.len() == 8 && s.starts_with(['1', '2']) && s[4..].starts_with(['1', '2'])
}

fn valid_ssn(area: &str, group: &str, serial: &str) -> bool {
    let area: u32 = area.parse().unwrap_or(0);
    area != 0 && area != 666 && area < 900 && group != "00" && serial != "0000"
}

/// NHS numbers: ten digits, the last a mod-11 check over the first nine
/// weighted 10 down to 2.
pub fn valid_nhs(digits: &[u32]) -> bool {
    if digits.len() != 10 || digits.iter().all(|&d| d == digits[0]) {
        return false;
    }
    let sum: u32 = digits[..9]
        .iter()
        .zip((2..=10).rev())
        .map(|(d, w)| d * w)
        .sum();
    let check = match 11 - sum % 11 {
        11 => 0,
        10 => return false,
        c => c,
    };
    check == digits[9]
}

/// Payment card numbers carry a Luhn check digit.
pub fn luhn(digits: &[u32]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

#[cfg(test)]
mod tests;

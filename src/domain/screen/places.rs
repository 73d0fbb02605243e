//! Where a person lives: street addresses, UK postcodes and US ZIP codes.

use super::context::{self, has_any};
use super::facts::Facts;
use super::{Category, Span};
use regex::Regex;

pub struct Places {
    street: Regex,
    street_lower: Regex,
    street_prefixed: Regex,
    street_compound: Regex,
    po_box: Regex,
    building: Regex,
    named_before: Regex,
    zip_after: Regex,
    town: Regex,
    house_number: Regex,
    named_house: Regex,
    bare_zip: Regex,
    postcode: Regex,
    zip: Regex,
}

const SUFFIXES: &str = "Street|St|Road|Rd|Avenue|Ave|Av|Lane|Ln|Drive|Dr|Close|Cl|Court|Ct|Crescent|Cres|Way|Place|Pl|Terrace|Tce|Boulevard|Blvd|Gardens|Gdns|Grove|Gr|Square|Sq|Parkway|Pkwy|Highway|Hwy|Row|Mews|Hill|Walk|Rise|View|Circle|Cir|Trail|Green|Vale|Wynd|Brae|Loan|Parade|Esplanade|Quay|Wharf|Yard|Park";

/// US states and territories, for "Springfield, IL 62704".
const STATES: &str = "AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|DC|PR";

impl Places {
    pub fn new() -> Self {
        let unit = r"(?:(?:Flat|Apt\.?|Apartment|Unit|Suite|Ste\.?|#)\s*(?:\w{1,5},?\s+)?)?";
        Self {
            street: context::regex(&format!(
                r"\b{unit}\d{{1,5}}[A-Za-z]?(?:\s*[-/]\s*\d{{1,5}})?,?\s+(?:(?:[NSEW]\.?|North|South|East|West)\s+)?(?:(?:\p{{Lu}}[\p{{L}}'’.-]*|\d{{1,3}}(?:st|nd|rd|th))\s+){{1,4}}(?:{SUFFIXES})\b\.?(?:\s+(?:N|S|E|W|NE|NW|SE|SW)\b)?"
            ))
            .unwrap(),
            street_lower: context::regex(
                r"(?i)\b\d{1,5}[a-z]?,?\s+(?:[a-z][a-z'-]+\s+){1,3}(?:street|st|road|rd|avenue|ave|lane|boulevard|blvd|terrace|crescent|gardens)\b\.?",
            )
            .unwrap(),
            street_prefixed: context::regex(
                r"\b(?i:rue|viale|calle|avenida|av\.|rua|ul\.|ulica|al\.|plac|piazza|strada|carrer|paseo|rambla|heol|ffordd|stryd|lôn|rhodfa)\s+(?:\p{Lu}[\p{L}'’.-]*\s+|(?:de|del|la|di|da|do|dos|das|le|des|du|y|yr)\s+){1,4}?\d{1,4}[a-z]?\b|\b\d{1,4},?\s+(?i:heol|ffordd|stryd|lôn|rhodfa)\s+(?:\p{Lu}[\p{L}'’-]*|y|yr)(?:\s+(?:\p{Lu}[\p{L}'’-]*|y|yr)){0,3}|\bVia\s+(?:\p{Lu}[\p{L}'’.-]*\s+){1,3}\d{1,4}\b|\b\d{1,4},?\s+(?:(?i:rue|calle|avenida|rua)|Via)\s+(?:[\p{L}'’-]+\s*){1,4}",
            )
            .unwrap(),
            street_compound: context::regex(
                r"\b\p{Lu}\p{L}+(?:straße|strasse|str\.|weg|gasse|platz|allee|laan|straat|gracht|vej|gatan|gata|veien|katu|damm|ring|ufer)\s+\d{1,4}[a-z]?\b",
            )
            .unwrap(),
            building: context::regex(
                r"\b(?:Flat|Apt\.?|Apartment|Unit|Suite|Room)\s+\w{1,5},?\s+(?:\p{Lu}[\p{L}'’-]+\s+){1,3}(?:House|Court|Lodge|Mansions|Tower|Towers|Buildings|Cottage|Cottages|Farm|Hall|Manor|Heights|Point|Block)\b",
            )
            .unwrap(),
            named_before: context::regex(
                r"(?:\b(?:The\s+)?(?:\p{Lu}[\p{L}'’-]+\s+){0,3}\p{Lu}[\p{L}'’-]+,\s*)$",
            )
            .unwrap(),
            zip_after: context::regex(r"^,?\s*(?:[A-Z]{2}\s+)?(\d{5}(?:-\d{4})?)\b").unwrap(),
            po_box: context::regex(r"(?i)\bP\.?\s?O\.?\s*Box\s+\d{1,6}\b").unwrap(),
            town: context::regex(
                r"^(?:\s+(?:Apt\.?|Apartment|Suite|Unit|#)\s*\w{1,5})?(?:,\s*(?:(?:Apt\.?|Apartment|Flat|Unit|Suite|Ste\.?|#)\s*\w{1,5}|\d{1,3}º[A-Za-z]?|\d{1,3}[A-Za-z]\b|\p{Lu}[\p{L}'’.-]+(?:\s+\p{Lu}[\p{L}'’.-]+){0,2})){1,3}",
            )
            .unwrap(),
            named_house: context::regex(&format!(
                r"(?i:lives at|living at|live at|staying at|moved to|address(?: on [a-z ]{{1,20}})?:|home is|home:|she's at|he's at|they're at)\s+((?:The\s+)?(?:\p{{Lu}}[\p{{L}}'’-]+\s+){{0,3}}\p{{Lu}}[\p{{L}}'’-]+,\s*(?:\p{{Lu}}[\p{{L}}'’-]+\s+){{1,3}}(?:{SUFFIXES})\b)"
            ))
            .unwrap(),
            house_number: context::regex(
                r"(?i)\b(?:H\.?\s?No\.?|House\s+No\.?|Door\s+No\.?|Plot\s+No\.?|Flat\s+No\.?)\s*[\w/-]*\d[\w/-]*",
            )
            .unwrap(),
            bare_zip: context::regex(r"\b\d{5}\b").unwrap(),
            postcode: context::regex(
                r"(?i)\b[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?\s?\d[ABD-HJLNP-UW-Z]{2}\b",
            )
            .unwrap(),
            zip: context::regex(&format!(
                r"\b(?:{STATES})\.?,?\s+(\d{{5}}(?:-\d{{4}})?)\b|(?i:\bzip(?:\s*code)?(?:'s)?(?:\s+is|\s+was)?[:,]?\s*)(\d{{5}}(?:-\d{{4}})?)\b|\b(\d{{5}}-\d{{4}})\b"
            ))
            .unwrap(),
        }
    }

    /// A street address runs on through the town after it: "14 Elm Street,
    /// Springfield" (a town is an identifier too).
    fn with_town(&self, text: &str, end: usize) -> usize {
        self.town.find(&text[end..]).map_or(end, |m| end + m.end())
    }

    /// A street address starts earlier when a named house or home comes
    /// first: "Rosewood Care Home, 4 Mill Lane".
    fn with_name_before(&self, text: &str, start: usize) -> usize {
        let from = context::floor(text, start.saturating_sub(60));
        self.named_before
            .find(&text[from..start])
            .map_or(start, |m| from + m.start())
    }

    fn push_address(&self, text: &str, start: usize, end: usize, out: &mut Vec<Span>) {
        // "Smith et al. N Engl J Med 2019": a citation, not "al." (aleja).
        if text[..start].ends_with("et ") {
            return;
        }
        let start = self.with_name_before(text, start);
        let end = self.with_town(text, end);
        out.push(Span::hold(start, end, Category::Address));
        if let Some(c) = self.zip_after.captures(&text[end..]) {
            let z = c.get(1).unwrap();
            out.push(Span::hold(
                end + z.start(),
                end + z.end(),
                Category::ZipCode,
            ));
        }
    }

    /// "lives at The Old Rectory, Church Lane": a named house on a street,
    /// with no house number, after words that introduce an address.
    pub fn named_houses(&self, text: &str, out: &mut Vec<Span>) {
        for c in self.named_house.captures_iter(text) {
            let m = c.get(1).unwrap();
            self.push_address(text, m.start(), m.end(), out);
        }
    }

    pub fn find(&self, text: &str, facts: &Facts, out: &mut Vec<Span>) {
        if facts.place_word {
            for m in self.street.find_iter(text) {
                if !is_measurement(text, m.start(), m.as_str()) {
                    self.push_address(text, m.start(), m.end(), out);
                }
            }
        }
        if facts.place_word {
            for m in self.street_lower.find_iter(text) {
                let lower = m.as_str().to_lowercase();
                let measurement = has_any(&lower, NOT_STREET_WORDS);
                if !measurement {
                    self.push_address(text, m.start(), m.end(), out);
                }
            }
        }
        if facts.place_word {
            for m in self
                .street_prefixed
                .find_iter(text)
                .chain(self.street_compound.find_iter(text))
                .chain(self.po_box.find_iter(text))
                .chain(self.building.find_iter(text))
                .chain(self.house_number.find_iter(text))
            {
                self.push_address(text, m.start(), m.end(), out);
            }
        }
        if facts.letter_digit && facts.inward_code {
            for m in self.postcode.find_iter(text) {
                let s = m.as_str();
                let unspaced_and_uncued = !s.contains(' ')
                    && !has_any(
                        &context::before(text, m.start(), 24),
                        &["postcode", "post code"],
                    );
                if unspaced_and_uncued {
                    continue;
                }
                let lower_and_uncued = s.chars().any(char::is_lowercase)
                    && !has_any(
                        &context::before(text, m.start(), 40),
                        &[
                            "postcode",
                            "post code",
                            "lives",
                            "address",
                            "at",
                            "in",
                            "from",
                        ],
                    );
                if !lower_and_uncued && !is_spinal_or_code(s) {
                    out.push(Span::hold(m.start(), m.end(), Category::Postcode));
                }
            }
        }
        // A bare five-digit number in a sentence about where someone lives.
        let lives = facts.longest_number >= 5
            && has_any(
                &text.to_lowercase(),
                &[
                    "lives", "living", "address", "moved to", "postal", "mailing", "home is",
                ],
            );
        if lives {
            for m in self.bare_zip.find_iter(text) {
                let glued = text[..m.start()].ends_with(['.', ',', '/', '-', '+', '$', '£'])
                    || text[m.end()..].starts_with(['/', '%', '.']);
                let unit = context::words(&context::after(text, m.end(), 12))
                    .next()
                    .is_some_and(|w| NOT_STREET_WORDS.contains(&w) || w.len() <= 2);
                if !glued && !unit {
                    out.push(Span::hold(m.start(), m.end(), Category::ZipCode));
                }
            }
        }
        if facts.longest_number >= 5 {
            for c in self.zip.captures_iter(text) {
                if let Some(z) = c.get(1).or(c.get(2)).or(c.get(3)) {
                    out.push(Span::hold(z.start(), z.end(), Category::ZipCode));
                }
            }
        }
    }
}

/// Words that make "3 ports in place" or "2 units per day" not an address.
#[rustfmt::skip]
const NOT_STREET_WORDS: &[&str] = &[
 "mm", "cm", "mg", "ml", "units", "ports", "times", "minutes", "mins", "hours", "days", "weeks",
 "x", "of", "in", "per", "and", "or", "the", "to", "for", "with", "at", "on", "by",
];

fn is_measurement(text: &str, start: usize, s: &str) -> bool {
    let lower = s.to_lowercase();
    let words: Vec<&str> = context::words(&lower).collect();
    let before = context::before(text, start, 16);
    words.iter().skip(1).any(|w| NOT_STREET_WORDS.contains(w))
        || has_any(
            &before,
            &["size", "grade", "level", "ward", "bay", "bed", "theatre"],
        )
}

/// "L4 5SA" never occurs, but "C5 6TH"-like strings and ICD/OPCS codes with
/// a space can; a postcode's outward code is letters then digits.
fn is_spinal_or_code(s: &str) -> bool {
    let upper = s.to_uppercase();
    let outward = upper.split_whitespace().next().unwrap_or("");
    matches!(outward.chars().next(), Some('C' | 'T' | 'L' | 'S'))
        && outward.len() == 2
        && upper.ends_with("TH")
}

#[cfg(test)]
mod tests;

//! Ways to reach a person: e-mail addresses, URLs, IP addresses, phone and
//! fax numbers.

use super::context::{self, Cues, has_any};
use super::facts::Facts;
use super::{Category, Span};
use regex::Regex;
use std::sync::LazyLock;

pub struct Contact {
    email: Regex,
    url: Regex,
    domain: Regex,
    ipv4: Regex,
    ipv6: Regex,
    phone: Regex,
}

/// Words before a short number that say it is a phone or fax number.
static PHONE_CUES: LazyLock<Cues> = LazyLock::new(|| Cues::new(PHONE_CUE_LIST));
#[rustfmt::skip]
const PHONE_CUE_LIST: &[&str] = &[
 "tel", "tel.", "telephone", "phone", "phoned", "mobile", "mob", "cell", "cellphone", "fax",
 "landline", "call", "ring", "text", "contact", "number", "no.", "whatsapp", "on", "reach",
];

/// Words before a number that make it something other than a phone number.
static NOT_PHONE_CUES: LazyLock<Cues> = LazyLock::new(|| Cues::new(NOT_PHONE_CUE_LIST));
#[rustfmt::skip]
const NOT_PHONE_CUE_LIST: &[&str] = &[
 "bleep", "pager", "page", "ext", "extension", "isbn", "pmid", "doi", "nct", "lot", "batch", "ref",
 "cat", "catalogue", "catalog", "version", "model", "code", "nhs", "ssn", "mrn", "card", "account",
 "acct", "policy", "member", "serial", "reg", "licence", "license", "passport", "record",
 "hospital", "id",
];

const TLDS: &str = "com|org|net|edu|gov|io|info|biz|me|co|uk|us|ca|au|nz|ie|de|fr|es|it|nl|be|ch|at|se|no|dk|fi|pl|in|cn|jp|kr|br|mx|za|ng|ke|sg|nhs|ly|tv";

impl Contact {
    pub fn new() -> Self {
        Self {
            email: context::regex(r"(?i)\b[a-z0-9][a-z0-9._%+-]*@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\b")
                .unwrap(),
            url: context::regex(r#"(?i)\b(?:https?://|www\.)[^\s<>"'()\[\]{}]+"#).unwrap(),
            domain: context::regex(&format!(
                r#"(?i)\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:{TLDS})\b(?:/[^\s<>"'()\[\]{{}}]*)?"#
            ))
            .unwrap(),
            ipv4: context::regex(r"\b(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\b").unwrap(),
            ipv6: context::regex(r"(?i)(?:\b[0-9a-f]{1,4})?(?::[0-9a-f]{0,4}){2,7}(?::[0-9a-f]{1,4}\b|::)?")
                .unwrap(),
            phone: context::regex(
                r"(?i)(?:\+\d{1,3}[\s.-]?)?(?:\(0?\d{1,5}\)[\s.-]?)?\d{1,11}(?:[\s.-]\d{2,8}){0,4}(?:,?\s*(?:x|ext\.?|extension)\s*\d{1,5})?",
            )
            .unwrap(),
        }
    }

    pub fn find(&self, text: &str, facts: &Facts, out: &mut Vec<Span>) {
        if facts.has_at {
            for m in self.email.find_iter(text) {
                out.push(Span::hold(m.start(), m.end(), Category::Email));
            }
        }
        if facts.web_hint {
            self.web(text, out);
        }
        if facts.dotted_digits >= 3 {
            self.ipv4(text, out);
        }
        if facts.colons >= 4 || facts.has_colon && text.contains("::") {
            self.ipv6(text, out);
        }
        if facts.longest_number >= 7 {
            self.phones(text, out);
        }
    }

    fn web(&self, text: &str, out: &mut Vec<Span>) {
        let mut urls = Vec::new();
        for m in self.url.find_iter(text) {
            let end = m.start() + trim_trailing_punctuation(m.as_str());
            urls.push((m.start(), end));
            out.push(Span::hold(m.start(), end, Category::Url));
        }
        for m in self.domain.find_iter(text) {
            let inside_url = urls.iter().any(|&(s, e)| m.start() < e && s < m.end());
            if inside_url || text[..m.start()].ends_with('@') || text[m.end()..].starts_with('@') {
                continue;
            }
            let s = m.as_str();
            // "e.g." or "vs.uk"-like fragments: a domain needs a label of two or more letters.
            let first_label = s.split('.').next().unwrap_or("");
            if first_label.len() < 2 || first_label.chars().all(|c| c.is_ascii_digit()) {
                continue;
            }
            let end = m.start() + trim_trailing_punctuation(s);
            out.push(Span::hold(m.start(), end, Category::Url));
        }
    }

    fn ipv4(&self, text: &str, out: &mut Vec<Span>) {
        for c in self.ipv4.captures_iter(text) {
            let all = c.get(0).unwrap();
            let valid = (1..=4).all(|i| c[i].parse::<u16>().is_ok_and(|n| n <= 255));
            let dotted_before = text[..all.start()].ends_with('.')
                || has_any(
                    &context::before(text, all.start(), 24),
                    &["version", "v", "software", "firmware", "release", "build"],
                );
            let dotted_after = text[all.end()..]
                .strip_prefix('.')
                .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()));
            if valid && !dotted_before && !dotted_after {
                out.push(Span::hold(all.start(), all.end(), Category::IpAddress));
            }
        }
    }

    fn ipv6(&self, text: &str, out: &mut Vec<Span>) {
        for m in self.ipv6.find_iter(text) {
            let s = m.as_str();
            let groups = s.split(':').filter(|g| !g.is_empty()).count();
            let has_hex_letter = s.chars().any(|c| c.is_ascii_alphabetic());
            if (s.contains("::") && groups >= 2) || (groups >= 5 && has_hex_letter) {
                out.push(Span::hold(m.start(), m.end(), Category::IpAddress));
            }
        }
    }

    fn phones(&self, text: &str, out: &mut Vec<Span>) {
        for m in self.phone.find_iter(text) {
            let s = m.as_str();
            let (start, end) = (m.start(), m.end());
            let glued = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '/');
            if glued(text[..start].chars().next_back()) || glued(text[end..].chars().next()) {
                continue;
            }
            let main = s
                .to_ascii_lowercase()
                .find(['x', 'e'])
                .map_or(s, |k| &s[..k]);
            let digits = main.chars().filter(char::is_ascii_digit).count();
            if !(7..=15).contains(&digits) {
                continue;
            }
            if text[..start].ends_with(['.', ',', ':']) && text[..start].len() > 1 {
                let prev = text[..start - 1].chars().next_back();
                if prev.is_some_and(|c| c.is_ascii_digit()) {
                    continue;
                }
            }
            let intl = s.starts_with('+');
            let grouped = s.contains([' ', '-', '.', '(']);
            let before = context::before(text, start, 24);
            let cued = PHONE_CUES.in_text(&before);
            if NOT_PHONE_CUES.in_text(&before) {
                continue;
            }
            let looks_like_number = match digits {
                10..=13 => grouped || s.starts_with('0') || intl || cued,
                8..=9 => intl || (cued && grouped),
                7 => cued && grouped,
                14..=15 => intl,
                _ => false,
            };
            if looks_like_number && !is_date_like(s) && !is_decimal_list(s) {
                out.push(Span::hold(start, end, Category::Phone));
            }
        }
    }
}

/// "12.03.1951" or "2024-06-04" are dates, not phone numbers.
fn is_date_like(s: &str) -> bool {
    let parts: Vec<&str> = s.split(['.', '-', ' ']).collect();
    parts.len() == 3
        && parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit()))
        && (parts[0].len() == 4 || parts[2].len() == 4 || parts[2].len() == 2)
        && parts[1].len() <= 2
        && (parts[0].len() <= 2 || parts[0].len() == 4)
}

/// "1.25 2.5 3.75" is a list of numbers.
fn is_decimal_list(s: &str) -> bool {
    let parts: Vec<&str> = s.split_whitespace().collect();
    parts.len() >= 2
        && parts.iter().all(|p| {
            p.split_once('.').is_some_and(|(a, b)| {
                !a.is_empty() && !b.is_empty() && !b.contains('.') && a.len() <= 3
            })
        })
}

fn trim_trailing_punctuation(s: &str) -> usize {
    s.trim_end_matches(['.', ',', ';', ':', '!', '?', ')', '\''])
        .len()
}

#[cfg(test)]
mod tests;

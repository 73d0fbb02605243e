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
const PHONE_CUE_LIST: &[&str] = &[
    "tel",
    "tel.",
    "telephone",
    "phone",
    "phoned",
    "mobile",
    "mob",
    "cell",
    "cellphone",
    "fax",
    "landline",
    "call",
    "ring",
    "text",
    "contact",
    "number",
    "no.",
    "whatsapp",
    "on",
    "reach",
];

/// Words before a number that make it something other than a phone number.
static NOT_PHONE_CUES: LazyLock<Cues> = LazyLock::new(|| Cues::new(NOT_PHONE_CUE_LIST));
const NOT_PHONE_CUE_LIST: &[&str] = &[
    "bleep",
    "pager",
    "page",
    "ext",
    "extension",
    "isbn",
    "pmid",
    "doi",
    "nct",
    "lot",
    "batch",
    "ref",
    "cat",
    "catalogue",
    "catalog",
    "version",
    "model",
    "code",
    "nhs",
    "ssn",
    "mrn",
    "card",
    "account",
    "acct",
    "policy",
    "member",
    "serial",
    "reg",
    "licence",
    "license",
    "passport",
    "record",
    "hospital",
    "id",
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
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(String, Category)> {
        let mut out = Vec::new();
        Contact::new().find(
            text,
            &crate::domain::screen::facts::Facts::of(text),
            &mut out,
        );
        out.iter()
            .map(|s| (text[s.start..s.end].to_owned(), s.category))
            .collect()
    }

    #[test]
    fn emails_urls_and_ips() {
        assert_eq!(
            found("mail j.doe+x@example.co.uk now"),
            [("j.doe+x@example.co.uk".into(), Category::Email)]
        );
        assert_eq!(
            found("see https://facebook.com/jane.doe.5."),
            [("https://facebook.com/jane.doe.5".into(), Category::Url)]
        );
        assert!(
            found("www.example.org/patients/4471")
                .iter()
                .any(|f| f.1 == Category::Url)
        );
        assert!(
            found("from 192.168.10.24 today")
                .iter()
                .any(|f| f.1 == Category::IpAddress)
        );
        assert!(
            found("fe80::1ff:fe23:4567:890a")
                .iter()
                .any(|f| f.1 == Category::IpAddress)
        );
        assert!(
            found("version 2.10.3.999")
                .iter()
                .all(|f| f.1 != Category::IpAddress)
        );
        assert!(found("at 10:15:30 we").is_empty());
        assert!(found("e.g. this").is_empty());
    }

    #[test]
    fn phone_numbers_in_many_formats() {
        for number in [
            "(415) 555-0132",
            "415-555-0199",
            "+1 212 555 0147",
            "07700 900123",
            "020 7946 0018",
            "+44 7700 900456",
            "0161 496 0753",
            "+33 1 42 68 53 00",
            "+49 30 901820",
            "+61 2 9374 4000",
            "415.555.0199 ext. 204",
        ] {
            let text = format!("Call her on {number}, thanks");
            let f = found(&text);
            assert!(
                f.iter()
                    .any(|(s, c)| *c == Category::Phone && s.contains(&number[..6])),
                "{number}: {f:?}"
            );
        }
    }

    #[test]
    fn clinical_numbers_are_not_phone_numbers() {
        for text in [
            "BP 120/80, HR 72, SpO2 98%",
            "size 5 femoral component, 2.5 mm drill",
            "bleep 4412 for the registrar",
            "cefazolin 2 g IV at 14:35",
            "the 2015 trial of 1200 patients",
            "PMID 31234567",
            "scores 12 14 15 18",
            "1.25 2.5 3.75 mm",
            "dated 12.03.2019",
        ] {
            assert!(
                found(text).iter().all(|f| f.1 != Category::Phone),
                "{text}: {:?}",
                found(text)
            );
        }
    }
}

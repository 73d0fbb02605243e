//! The privacy screen: one engine that every text a person types passes
//! through before it can be stored as public or sent to anyone.
//!
//! A [`Screen`] is built once from a [`Policy`] (regexes compiled once, one
//! Aho-Corasick automaton per word list) and shared read-only. Each family of
//! detectors looks for a pattern first, then validates it (check digits,
//! real calendar dates, number ranges) and then reads the words around it
//! (a cue such as "DOB" or "her son", a unit such as "mm" that makes a number
//! harmless). The result is a [`Verdict`]: an action and the findings as
//! spans over the text, in UTF-16 code units (what a browser indexes) and in
//! bytes.
//!
//! [`Screened<T>`] is the proof that a text went through the screen: only
//! this module can make one, and the store's write methods take only those.

mod contact;
mod context;
#[cfg(test)]
mod corpus;
mod dates;
mod facts;
mod keywords;
mod names;
mod numbers;
mod phrases;
mod places;
mod policy;
#[cfg(test)]
mod test_support;

pub use policy::{Action, Policy, PolicyError};

use facts::Facts;

use serde::{Deserialize, Serialize};

/// What kind of identifier (or listed phrase) a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Name,
    Date,
    Age,
    Phone,
    Email,
    Ssn,
    IdNumber,
    CardNumber,
    NhsNumber,
    Url,
    IpAddress,
    Address,
    Postcode,
    ZipCode,
    /// A phrase from one of the policy's word lists.
    Keyword,
}

impl Category {
    /// Every identifier category, in a stable order (for metrics).
    pub const ALL: [Category; 15] = [
        Category::Name,
        Category::Date,
        Category::Age,
        Category::Phone,
        Category::Email,
        Category::Ssn,
        Category::IdNumber,
        Category::CardNumber,
        Category::NhsNumber,
        Category::Url,
        Category::IpAddress,
        Category::Address,
        Category::Postcode,
        Category::ZipCode,
        Category::Keyword,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Name => "name",
            Category::Date => "date",
            Category::Age => "age",
            Category::Phone => "phone",
            Category::Email => "email",
            Category::Ssn => "ssn",
            Category::IdNumber => "id_number",
            Category::CardNumber => "card_number",
            Category::NhsNumber => "nhs_number",
            Category::Url => "url",
            Category::IpAddress => "ip_address",
            Category::Address => "address",
            Category::Postcode => "postcode",
            Category::ZipCode => "zip_code",
            Category::Keyword => "keyword",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

/// One finding: a span of the text and what it is. `start`/`end` count
/// UTF-16 code units, `start_byte`/`end_byte` bytes; ends are exclusive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub start: usize,
    pub end: usize,
    pub category: Category,
    pub start_byte: usize,
    pub end_byte: usize,
    /// What the finding asks for: identifiers hold; listed phrases their list's action.
    #[serde(skip)]
    pub action: Action,
}

/// The screen's answer for one text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub action: Action,
    pub findings: Vec<Finding>,
}

/// A candidate span in bytes, before offsets are converted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span {
    pub start: usize,
    pub end: usize,
    pub category: Category,
    pub action: Action,
}

impl Span {
    pub(crate) fn hold(start: usize, end: usize, category: Category) -> Self {
        Self {
            start,
            end,
            category,
            action: Action::Hold,
        }
    }
}

/// The screen, built once from a policy and shared read-only.
pub struct Screen {
    policy: Policy,
    contact: contact::Contact,
    numbers: numbers::Numbers,
    dates: dates::Dates,
    places: places::Places,
    names: names::Names,
    keywords: keywords::Keywords,
}

impl std::fmt::Debug for Screen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Screen")
            .field("authors_can_confirm", &self.policy.authors_can_confirm)
            .finish_non_exhaustive()
    }
}

impl Screen {
    pub fn new(policy: Policy) -> Self {
        Self {
            contact: contact::Contact::new(),
            numbers: numbers::Numbers::new(),
            dates: dates::Dates::new(),
            places: places::Places::new(),
            names: names::Names::new(&policy.patient_names),
            keywords: keywords::Keywords::new(&policy.lists),
            policy,
        }
    }

    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Screens one text: every enabled detector, then the word lists.
    pub fn screen(&self, text: &str) -> Verdict {
        let mut spans = Vec::new();
        let on = |c: Category| self.policy.is_enabled(c);
        let facts = Facts::of(text);
        self.contact.find(text, &facts, &mut spans);
        if facts.has_digit {
            self.numbers.find(text, &facts, &mut spans);
        }
        if facts.address_words {
            self.places.named_houses(text, &mut spans);
        }
        if facts.place_word || facts.letter_digit && facts.inward_code || facts.longest_number >= 5
        {
            self.places.find(text, &facts, &mut spans);
        }
        self.dates.find(text, &facts, &mut spans);
        spans.retain(|s| on(s.category));
        let others = spans.clone();
        self.names.find(text, &others, &mut spans);
        spans.retain(|s| on(s.category));
        self.keywords.find(text, &mut spans);
        finish(text, spans)
    }

    /// Passes a text through the screen. Text that trips nothing, or only
    /// `flag` findings, comes back [`Clearance::Clear`]; identifiers and
    /// `hold` phrases come back [`Clearance::Held`]; `block` phrases are
    /// [`Clearance::Blocked`].
    pub fn clear<T: AsRef<str>>(&self, value: T) -> Clearance<T> {
        let verdict = self.screen(value.as_ref());
        match verdict.action {
            Action::Pass | Action::Flag => Clearance::Clear(Screened { value, verdict }),
            Action::Hold => Clearance::Held(Held { value, verdict }),
            Action::Block => Clearance::Blocked(verdict),
        }
    }

    /// A text a moderator reviewed and released: held findings no longer stop
    /// it (a person decided), but a `block` phrase still does.
    pub fn release<T: AsRef<str>>(&self, value: T) -> Result<Screened<T>, Verdict> {
        let verdict = self.screen(value.as_ref());
        if verdict.action == Action::Block {
            Err(verdict)
        } else {
            Ok(Screened { value, verdict })
        }
    }
}

/// What the screen decided for a text.
#[derive(Debug)]
pub enum Clearance<T> {
    Clear(Screened<T>),
    Held(Held<T>),
    Blocked(Verdict),
}

/// A text that went through the screen and may be published.
#[derive(Debug, Clone)]
pub struct Screened<T> {
    value: T,
    verdict: Verdict,
}

impl<T: AsRef<str>> Screened<T> {
    pub fn as_str(&self) -> &str {
        self.value.as_ref()
    }

    pub fn verdict(&self) -> &Verdict {
        &self.verdict
    }

    pub fn into_inner(self) -> T {
        self.value
    }
}

/// A text the screen held: its author may confirm it (when policy allows) or
/// it waits for a moderator.
#[derive(Debug, Clone)]
pub struct Held<T> {
    value: T,
    verdict: Verdict,
}

impl<T: AsRef<str>> Held<T> {
    pub fn as_str(&self) -> &str {
        self.value.as_ref()
    }

    pub fn verdict(&self) -> &Verdict {
        &self.verdict
    }

    /// The author looked at the findings and confirmed they are false alarms.
    pub fn confirm(self) -> Screened<T> {
        Screened {
            value: self.value,
            verdict: self.verdict,
        }
    }
}

/// Where two detectors claim the same span, the more specific one names it.
fn specificity(category: Category) -> u8 {
    match category {
        Category::NhsNumber | Category::Ssn | Category::CardNumber | Category::Email => 0,
        Category::Url | Category::IpAddress => 1,
        Category::Phone => 3,
        _ => 2,
    }
}

/// Sorts and merges the candidate spans, and converts byte offsets to UTF-16.
fn finish(text: &str, mut spans: Vec<Span>) -> Verdict {
    spans.retain(|s| s.start < s.end && s.end <= text.len());
    spans.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end), specificity(s.category)));
    let mut merged: Vec<Span> = Vec::with_capacity(spans.len());
    for span in spans {
        match merged.last_mut() {
            Some(last) if span.start < last.end && span.category == last.category => {
                last.end = last.end.max(span.end);
                last.action = last.action.max(span.action);
            }
            Some(last) if span.start >= last.start && span.end <= last.end => {
                last.action = last.action.max(span.action);
            }
            _ => merged.push(span),
        }
    }
    let action = merged
        .iter()
        .map(|s| s.action)
        .max()
        .unwrap_or(Action::Pass);
    let utf16 = context::Utf16Index::new(text);
    let findings = merged
        .into_iter()
        .map(|s| Finding {
            start: utf16.at(s.start),
            end: utf16.at(s.end),
            category: s.category,
            start_byte: s.start,
            end_byte: s.end,
            action: s.action,
        })
        .collect();
    Verdict { action, findings }
}

#[cfg(test)]
mod tests;

//! Helpers the detectors' unit tests share.

use super::facts::Facts;
use super::{Category, Span};

/// What a detector finds in `text`, as (text, category) pairs.
pub fn found(find: impl Fn(&str, &Facts, &mut Vec<Span>), text: &str) -> Vec<(String, Category)> {
    let mut out = Vec::new();
    find(text, &Facts::of(text), &mut out);
    out.iter()
        .map(|s| (text[s.start..s.end].to_owned(), s.category))
        .collect()
}

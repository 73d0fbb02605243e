//! Words with what the name detector needs to know about each: case,
//! possessive "'s", initials, and whether punctuation separates it from the
//! word before.

use std::borrow::Cow;

#[derive(Debug)]
pub struct Token<'a> {
    pub start: usize,
    pub end: usize,
    /// Where a name ending here ends: before a possessive "'s".
    pub name_end: usize,
    /// Lower-cased, without a possessive "'s" (borrowed when already lower case).
    pub lower: Cow<'a, str>,
    pub possessive: bool,
    pub sentence_start: bool,
    /// Punctuation (not just spaces) stands between this word and the last.
    pub gap_has_break: bool,
    pub all_caps: bool,
    /// Right after a list marker: "1. HOLLOWAY", "2) Okafor".
    pub list_marker: bool,
    /// A capital after the first letter ("NexGen", "McGrath").
    pub inner_capitals: bool,
    /// Starts like a name with an inner capital: Mc, Mac, O', De, Di, Le, La.
    pub name_prefix: bool,
    first_upper: bool,
    has_digit: bool,
    initial: bool,
}

impl Token<'_> {
    pub fn is_capitalized(&self) -> bool {
        self.first_upper && !self.has_digit
    }

    /// "J." in "J. Okonkwo".
    pub fn is_initial(&self) -> bool {
        self.initial
    }

    pub fn has_digit(&self) -> bool {
        self.has_digit
    }

    pub fn is_wordlike(&self) -> bool {
        !self.has_digit && self.lower.chars().count() >= 2
    }
}

const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "pt", "st", "sr", "jr", "no", "vs", "approx", "fig", "ref",
];

pub fn tokenize(text: &str) -> Vec<Token<'_>> {
    let mut tokens: Vec<Token> = Vec::with_capacity(text.len() / 5);
    let mut chars = text.char_indices().peekable();
    let mut gap_start = 0;
    while let Some((i, c)) = chars.next() {
        if !c.is_alphanumeric() {
            continue;
        }
        let start = i;
        let mut end = i + c.len_utf8();
        while let Some(&(j, d)) = chars.peek() {
            if d.is_alphanumeric() {
                end = j + d.len_utf8();
                chars.next();
            } else if matches!(d, '\'' | '’' | '-') {
                let after = text[j + d.len_utf8()..].chars().next();
                if after.is_some_and(char::is_alphabetic) {
                    chars.next();
                    end = j + d.len_utf8();
                } else {
                    break;
                }
            } else {
                break;
            }
        }
        let word = &text[start..end];
        let (stem, possessive) = strip_possessive(word);
        let first_upper = stem.chars().next().is_some_and(char::is_uppercase);
        let initial = stem.chars().count() == 1 && first_upper && text[end..].starts_with('.');
        let gap = &text[gap_start..start];
        let prev = tokens.last();
        let after_abbreviation =
            prev.is_some_and(|p| ABBREVIATIONS.contains(&&*p.lower) || p.initial);
        let gap_trimmed = gap.trim_end();
        let clock = gap_trimmed == ":" && prev.is_some_and(|p| p.has_digit);
        let sentence_start = prev.is_none()
            || gap.contains('\n')
            || (gap_trimmed.ends_with(['.', '!', '?', ':', '"', '“'])
                && !after_abbreviation
                && !clock);
        let gap_has_break = prev.is_some()
            && gap.chars().any(|c| !c.is_whitespace())
            && !(after_abbreviation && gap.trim() == ".");
        let name_end = start + stem.len();
        let token_end = if initial { end + 1 } else { end };
        tokens.push(Token {
            start,
            end: token_end,
            name_end: if initial { token_end } else { name_end },
            lower: if stem.chars().any(char::is_uppercase) {
                Cow::Owned(stem.to_lowercase())
            } else {
                Cow::Borrowed(stem)
            },
            possessive,
            sentence_start,
            gap_has_break,
            list_marker: prev.is_some_and(|p| p.has_digit) && matches!(gap, ". " | ") "),
            inner_capitals: stem.chars().skip(1).any(char::is_uppercase),
            name_prefix: [
                "Mc", "Mac", "O'", "O’", "De", "Di", "Le", "La", "Van", "Von",
            ]
            .iter()
            .any(|p| stem.starts_with(p)),
            all_caps: stem.chars().count() > 1
                && stem
                    .chars()
                    .all(|c| c.is_uppercase() || c == '-' || c == '\'' || c == '’'),
            first_upper,
            has_digit: stem.chars().any(|c| c.is_ascii_digit()),
            initial,
        });
        gap_start = token_end;
        if initial {
            chars.next();
        }
    }
    tokens
}

fn strip_possessive(word: &str) -> (&str, bool) {
    for suffix in ["'s", "’s", "'S"] {
        if let Some(stem) = word.strip_suffix(suffix)
            && !stem.is_empty()
        {
            return (stem, true);
        }
    }
    (word, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_initials_and_possessives() {
        let text = "Pt J. O'Brien's wife, Mrs. García-López. Then";
        let t = tokenize(text);
        let lower: Vec<&str> = t.iter().map(|t| &*t.lower).collect();
        assert_eq!(
            lower,
            ["pt", "j", "o'brien", "wife", "mrs", "garcía-lópez", "then"]
        );
        assert!(t[1].is_initial() && !t[2].gap_has_break);
        assert!(t[2].possessive && &text[t[2].start..t[2].name_end] == "O'Brien");
        assert!(t[4].gap_has_break && !t[5].gap_has_break);
        assert!(!t[5].sentence_start && t[6].sentence_start);
    }
}

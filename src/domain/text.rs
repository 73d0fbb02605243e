//! Texts people type, validated once when parsed: titles, update texts and
//! phase markers.

use super::DomainError;

/// Characters a person never needs to type and that can disguise text:
/// C0 controls other than tab and newline, DEL, and the bidi overrides and
/// isolates (U+202A to U+202E, U+2066 to U+2069).
fn refused(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t' && c != '\r')
        || ('\u{202A}'..='\u{202E}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

fn bounded(field: &str, raw: &str, max_chars: usize) -> Result<String, DomainError> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(DomainError::invalid(
            "empty_text",
            format!("{field} must not be empty"),
        ));
    }
    if let Some(c) = text.chars().find(|&c| refused(c)) {
        return Err(DomainError::invalid(
            "refused_characters",
            format!(
                "{field} contains a control or text-direction character (U+{:04X}); remove it and try again",
                c as u32
            ),
        ));
    }
    let chars = text.chars().count();
    if chars > max_chars {
        return Err(DomainError::invalid(
            "text_too_long",
            format!("{field} is {chars} characters; the limit is {max_chars}"),
        ));
    }
    Ok(text.to_owned())
}

/// A session's title: 1 to 200 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Title(String);

impl Title {
    pub const MAX_CHARS: usize = 200;

    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        bounded("title", raw, Self::MAX_CHARS).map(Self)
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// The text of a narrator's update, within the configured length.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateText(String);

impl UpdateText {
    pub fn parse(raw: &str, max_chars: usize) -> Result<Self, DomainError> {
        bounded("text", raw, max_chars).map(Self)
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

impl AsRef<str> for UpdateText {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// A viewer's question, within the configured length.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionText(String);

impl QuestionText {
    pub fn parse(raw: &str, max_chars: usize) -> Result<Self, DomainError> {
        bounded("question", raw, max_chars).map(Self)
    }
}

impl AsRef<str> for QuestionText {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// The specialist's answer, within the configured length.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerText(String);

impl AnswerText {
    pub fn parse(raw: &str, max_chars: usize) -> Result<Self, DomainError> {
        bounded("answer", raw, max_chars).map(Self)
    }
}

impl AsRef<str> for AnswerText {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// A reason a moderator gives (rejecting, discarding): optional, bounded.
pub fn reason(raw: Option<&str>) -> Result<Option<String>, DomainError> {
    match raw.map(str::trim).filter(|r| !r.is_empty()) {
        None => Ok(None),
        Some(r) => bounded("reason", r, REASON_MAX_CHARS).map(Some),
    }
}

pub const REASON_MAX_CHARS: usize = 500;

/// An optional phase marker such as "Incision" or "Closure".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phase(String);

impl Phase {
    pub const MAX_CHARS: usize = 60;

    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        bounded("phase", raw, Self::MAX_CHARS).map(Self)
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn update_text_is_trimmed_and_bounded_in_characters() {
        assert_eq!(
            UpdateText::parse("  Incision made  ", 20)
                .unwrap()
                .into_inner(),
            "Incision made"
        );
        assert!(UpdateText::parse("   ", 20).is_err());
        assert!(UpdateText::parse(&"é".repeat(20), 20).is_ok());
        let err = UpdateText::parse(&"é".repeat(21), 20).unwrap_err();
        assert_eq!(err.to_string(), "text is 21 characters; the limit is 20");
    }

    #[test]
    fn titles_and_phases_have_their_own_limits() {
        assert!(Title::parse(&"t".repeat(200)).is_ok());
        assert!(Title::parse(&"t".repeat(201)).is_err());
        assert!(Phase::parse("Closure").is_ok());
        assert!(Phase::parse(&"p".repeat(61)).is_err());
    }

    #[test]
    fn control_and_bidi_characters_are_refused() {
        assert!(UpdateText::parse("line one\nline two\tend", 100).is_ok());
        for bad in ["a\u{0007}b", "a\u{202E}b", "a\u{2066}b", "a\u{0000}b"] {
            let err = UpdateText::parse(bad, 100).unwrap_err();
            assert_eq!(err.reason(), "refused_characters");
        }
    }
}

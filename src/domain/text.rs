//! Texts people type, validated once when parsed: titles, update texts and
//! phase markers.

use super::DomainError;

fn bounded(field: &str, raw: &str, max_chars: usize) -> Result<String, DomainError> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(DomainError::Invalid(format!("{field} must not be empty")));
    }
    let chars = text.chars().count();
    if chars > max_chars {
        return Err(DomainError::Invalid(format!(
            "{field} is {chars} characters; the limit is {max_chars}"
        )));
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
}

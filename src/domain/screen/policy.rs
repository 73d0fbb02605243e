//! The screening policy, as an admin writes it in `config/screening.toml`:
//! which identifier categories are on, names to always treat as patient
//! names, and word lists with an action each. Parsed whole or not at all;
//! every error names the line.

use super::Category;
use serde::{Deserialize, Serialize};
use toml::Spanned;

/// What a finding asks for, weakest first.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Nothing found.
    #[default]
    Pass,
    /// Published, but marked for moderators.
    Flag,
    /// Waits for the author's confirmation or a moderator's review.
    Hold,
    /// Refused outright.
    Block,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Pass => "pass",
            Action::Flag => "flag",
            Action::Hold => "hold",
            Action::Block => "block",
        }
    }
}

/// A list of words or phrases with the action they trigger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordList {
    pub name: String,
    pub action: Action,
    pub phrases: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// May authors publish a held text by confirming it (`confirm: true`)?
    /// When not, held texts wait for a moderator. Set from the server's
    /// configuration (`screening.authors_can_confirm`), not the policy file.
    pub authors_can_confirm: bool,
    enabled: [bool; Category::ALL.len()],
    pub patient_names: Vec<String>,
    pub lists: Vec<WordList>,
}

/// The policy file could not be used; the message names the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError(pub String);

impl std::fmt::Display for PolicyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PolicyError {}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicyFile {
    categories: Option<Vec<Spanned<Category>>>,
    #[serde(default)]
    patient_names: Vec<Spanned<String>>,
    #[serde(default)]
    lists: Vec<ListFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ListFile {
    name: Spanned<String>,
    action: Spanned<Action>,
    phrases: Vec<Spanned<String>>,
}

/// 1-based line of a byte offset.
fn line_of(source: &str, offset: usize) -> usize {
    source[..offset.min(source.len())]
        .bytes()
        .filter(|&b| b == b'\n')
        .count()
        + 1
}

impl Default for Policy {
    /// Every category on, no lists, authors may confirm.
    fn default() -> Self {
        Self {
            authors_can_confirm: true,
            enabled: [true; Category::ALL.len()],
            patient_names: Vec::new(),
            lists: Vec::new(),
        }
    }
}

impl Policy {
    /// Parses a policy file. `origin` names it in error messages.
    pub fn parse(source: &str, origin: &str) -> Result<Self, PolicyError> {
        let file: PolicyFile = toml::from_str(source).map_err(|e| {
            let line = e
                .span()
                .map(|s| format!(" line {}:", line_of(source, s.start)))
                .unwrap_or_default();
            PolicyError(format!("{origin}:{line} {}", e.message()))
        })?;
        let at = |offset: usize, what: &str| {
            PolicyError(format!(
                "{origin}: line {}: {what}",
                line_of(source, offset)
            ))
        };
        let mut policy = Policy::default();
        if let Some(categories) = file.categories {
            policy.enabled = [false; Category::ALL.len()];
            policy.enabled[Category::Keyword.index()] = true;
            for c in categories {
                if *c.get_ref() == Category::Keyword {
                    return Err(at(
                        c.span().start,
                        "\"keyword\" is not an identifier category; word lists are always on",
                    ));
                }
                policy.enabled[c.get_ref().index()] = true;
            }
        }
        for name in file.patient_names {
            let trimmed = name.get_ref().trim();
            if trimmed.chars().count() < 2 {
                return Err(at(
                    name.span().start,
                    "a patient name needs at least two characters",
                ));
            }
            policy.patient_names.push(trimmed.to_owned());
        }
        for list in file.lists {
            let list_name = list.name.get_ref().trim().to_owned();
            if list_name.is_empty() {
                return Err(at(list.name.span().start, "a list needs a name"));
            }
            if *list.action.get_ref() == Action::Pass {
                return Err(at(
                    list.action.span().start,
                    "a list's action must be \"hold\", \"block\" or \"flag\"",
                ));
            }
            let mut phrases = Vec::with_capacity(list.phrases.len());
            for phrase in list.phrases {
                let trimmed = phrase.get_ref().trim();
                if trimmed.is_empty() {
                    return Err(at(
                        phrase.span().start,
                        &format!("list \"{list_name}\" has an empty phrase"),
                    ));
                }
                phrases.push(trimmed.to_owned());
            }
            policy.lists.push(WordList {
                name: list_name,
                action: *list.action.get_ref(),
                phrases,
            });
        }
        Ok(policy)
    }

    pub fn is_enabled(&self, category: Category) -> bool {
        self.enabled[category.index()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_policy_file_sets_categories_names_and_lists() {
        let policy = Policy::parse(
            r#"
categories = ["name", "phone"]
patient_names = ["Quill"]
[[lists]]
name = "legal"
action = "hold"
phrases = ["lawsuit", "negligence"]
"#,
            "screening.toml",
        )
        .unwrap();
        assert!(policy.is_enabled(Category::Name));
        assert!(!policy.is_enabled(Category::Email));
        assert!(policy.is_enabled(Category::Keyword));
        assert_eq!(policy.patient_names, ["Quill"]);
        assert_eq!(policy.lists[0].action, Action::Hold);
    }

    #[test]
    fn errors_name_the_line() {
        let bad_action = "categories = [\"name\"]\n\n[[lists]]\nname = \"x\"\naction = \"holdd\"\nphrases = [\"a\"]\n";
        let err = Policy::parse(bad_action, "screening.toml").unwrap_err();
        assert!(err.0.contains("line 5"), "{err}");
        let bad_category = "categories = [\n  \"name\",\n  \"shoe_size\",\n]\n";
        let err = Policy::parse(bad_category, "screening.toml").unwrap_err();
        assert!(err.0.contains("line 3"), "{err}");
        let empty_phrase =
            "[[lists]]\nname = \"x\"\naction = \"flag\"\nphrases = [\n\"ok\",\n\"  \"]\n";
        let err = Policy::parse(empty_phrase, "screening.toml").unwrap_err();
        assert!(
            err.0.contains("line 6") && err.0.contains("empty phrase"),
            "{err}"
        );
        let syntax = "categories = [\"name\"\nlists = 3\n";
        assert!(Policy::parse(syntax, "f").unwrap_err().0.contains("line"));
        let unknown = "colour = \"blue\"\n";
        assert!(
            Policy::parse(unknown, "f")
                .unwrap_err()
                .0
                .contains("line 1")
        );
    }
}

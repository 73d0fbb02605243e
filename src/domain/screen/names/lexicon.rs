//! The words the name detector reads: titles, patient and kin cues, staff
//! cues, verbs that make a sentence about a person, and the common words
//! and eponyms that are never taken for names. The given-name, surname and
//! ambiguous-name lists live in `data/`, written for this project.

use super::super::phrases::{Phrases, Words};
use std::sync::LazyLock;

pub const GIVEN_NAMES: &str = include_str!("../data/given_names.txt");
pub const SURNAMES: &str = include_str!("../data/surnames.txt");
pub const AMBIGUOUS_NAMES: &str = include_str!("../data/ambiguous_names.txt");

/// Titles that put a patient's (or anyone's) name after them.
#[rustfmt::skip]
pub const PATIENT_TITLES: &[&str] = &[
    "mr", "mrs", "ms", "miss", "mx", "mister", "master", "mme", "mlle", "madame", "monsieur",
    "herr", "frau", "señor", "señora", "senor", "senora", "sra", "srta", "signor", "signora",
    "sig", "dona", "dom", "mevrouw", "meneer", "pan", "pani", "fru", "sayın", "bayan", "encik",
    "puan", "shri", "shrimati", "smt", "sri", "mrs.", "mr.",
];

/// Of those, the ones surgeons and other staff also carry (UK surgeons are "Mr").
#[rustfmt::skip]
pub const STAFF_CAPABLE_TITLES: &[&str] = &[
    "mr", "mrs", "ms", "miss", "mx", "mister",
];

/// Titles that mark staff: the name after them is not a patient's.
pub static STAFF_TITLES: LazyLock<Words> =
    LazyLock::new(|| Words::from_data(include_str!("../data/staff_titles.txt")));

/// Words that name the next word(s): "named Aroha", "called Li Wei".
#[rustfmt::skip]
pub const NAMING_WORDS: &[&str] = &[
    "named", "called", "aka", "née", "nee", "surname", "forename",
];

/// Words for the patient: a name may follow ("pt John Smith", "patient Rossi").
#[rustfmt::skip]
pub const PATIENT_WORDS: &[&str] = &[
    "patient", "pt", "pts", "client", "resident", "casualty", "victim", "deceased", "baby",
    "infant", "twin", "patient:", "mother-to-be",
];

/// Relatives, cues when someone's: "her daughter Siobhan", "the patient's wife".
pub static KIN_WORDS: LazyLock<Words> =
    LazyLock::new(|| Words::from_data(include_str!("../data/kin_words.txt")));

/// Words that make the next kin word someone's relative.
#[rustfmt::skip]
pub const POSSESSIVES: &[&str] = &[
    "her", "his", "their", "my", "your", "our", "whose", "its", "the", "patient's", "pt's",
    "eldest", "youngest", "older", "younger", "elder", "late", "only", "twin",
];

/// Kin words used as a title: "grandma Rose", "Uncle Tunde".
#[rustfmt::skip]
pub const KIN_TITLES: &[&str] = &[
    "grandma", "grandpa", "granny", "grandad", "granddad", "nan", "nana", "nanna", "aunt",
    "auntie", "aunty", "uncle", "cousin", "gran", "grandmother", "grandfather",
];

/// Honorific suffixes: "Tanaka-san", "Ravi-ji".
#[rustfmt::skip]
pub const HONORIFIC_SUFFIXES: &[&str] = &[
    "-san", "-sama", "-kun", "-chan", "-ji", "-sensei",
];

/// Places that are also given names: "Victoria and Queensland".
#[rustfmt::skip]
pub const PLACE_NAMES: &[&str] = &[
    "victoria", "sydney", "adelaide", "florence", "georgia", "virginia", "carolina", "austin",
    "dallas", "houston", "orlando", "lincoln", "chester", "preston", "darwin", "hamilton",
    "wellington", "regina", "savannah", "paris", "india", "china", "kenya", "louis", "st", "saint",
    "santa", "san", "paulo", "são", "sao", "accra", "dhaka", "lagos", "delhi", "chennai",
];

/// Role words after a name that make it staff: "Mrs Abara, our theatre
/// manager", "Sophie here, CT2".
pub static STAFF_ROLES: LazyLock<Words> =
    LazyLock::new(|| Words::from_data(include_str!("../data/staff_roles.txt")));

/// Verbs after a capitalized pair that make it the subject: "Sipho Dlamini
/// walked in".
pub static SUBJECT_VERBS: LazyLock<Phrases> =
    LazyLock::new(|| Phrases::from_data(include_str!("../data/subject_verbs.txt")));

/// Words after a name that make it a citation: "Smith et al.".
#[rustfmt::skip]
pub const CITATION_WORDS: &[&str] = &[
    "et", "al", "review", "cochrane", "trial", "study", "paper", "classification", "criteria",
    "score", "scale", "guideline", "meta-analysis", "series", "technique", "approach",
];

/// Greetings before a name, from viewers to a patient: "sending love to
/// Aroha", "get well soon Ngozi".
pub static GREETINGS: LazyLock<Phrases> =
    LazyLock::new(|| Phrases::from_data(include_str!("../data/greetings.txt")));

/// Every word that can start a cue, so most words are dismissed with one
/// look-up.
pub static CUE_WORDS: LazyLock<Words> = LazyLock::new(|| {
    let fixed = [
        "name", "known", "bed", "bay", "cubicle", "room", "trolley", "that", "this", "it", "its",
        "thats",
    ];
    Words::new(
        PATIENT_TITLES
            .iter()
            .chain(NAMING_WORDS)
            .chain(PATIENT_WORDS)
            .chain(KIN_TITLES)
            .chain(fixed.iter())
            .copied()
            .chain(super::super::phrases::entries(include_str!(
                "../data/kin_words.txt"
            )))
            .chain(super::super::phrases::entries(include_str!(
                "../data/staff_titles.txt"
            ))),
    )
});

/// Particles inside names: "van der Berg", "bin Abdullah", "de la Cruz".
#[rustfmt::skip]
pub const PARTICLES: &[&str] = &[
    "dela", "delos", "los", "las",
    "van", "von", "der", "den", "de", "da", "das", "do", "dos", "del", "della", "di", "du", "la",
    "le", "bin", "binti", "bint", "ibn", "al", "el", "ap", "ter", "ten", "af", "zu", "y",
];

/// Words that follow a place or institution, not a person's name.
pub static INSTITUTION_WORDS: LazyLock<Words> =
    LazyLock::new(|| Words::from_data(include_str!("../data/institution_words.txt")));

/// Nouns after "Name's" that make it a person: "Fatima's husband".
pub static PERSONAL_AFTER_POSSESSIVE: LazyLock<Words> =
    LazyLock::new(|| Words::from_data(include_str!("../data/personal_after_possessive.txt")));

/// What follows a name in a sentence about that person.
pub static PERSON_VERBS: LazyLock<Phrases> =
    LazyLock::new(|| Phrases::from_data(include_str!("../data/person_verbs.txt")));

/// The clearest patient verbs, for an unknown word starting a sentence:
/// (next word, word after it, or "" for any).
pub const STRONG_PERSON_VERBS: &[(&str, &str)] = &[
    ("was", "admitted"),
    ("was", "brought"),
    ("was", "transferred"),
    ("was", "discharged"),
    ("was", "diagnosed"),
    ("was", "born"),
    ("was", "referred"),
    ("was", "found"),
    ("has", "had"),
    ("had", "his"),
    ("had", "her"),
    ("had", "a"),
    ("had", "an"),
    ("is", "next"),
    ("is", "allergic"),
    ("is", "recovering"),
    ("presented", ""),
    ("fell", ""),
    ("underwent", ""),
    ("complains", ""),
    ("collapsed", ""),
    ("died", ""),
    ("passed", "away"),
    ("lives", ""),
    ("sustained", ""),
    ("slipped", ""),
    ("tripped", ""),
];

/// Phrases after a name at a sentence's start that make it a patient's.
pub static STRONG_PERSON_PHRASES: LazyLock<Phrases> =
    LazyLock::new(|| Phrases::from_data(include_str!("../data/strong_person_phrases.txt")));

/// Words before a name that make the sentence about that person.
pub static PERSON_BEFORE: LazyLock<Words> =
    LazyLock::new(|| Words::from_data(include_str!("../data/person_before.txt")));

/// Words before a name that make it staff: self-introductions, thanks,
/// roles.
pub static STAFF_BEFORE: LazyLock<Phrases> =
    LazyLock::new(|| Phrases::from_data(include_str!("../data/staff_before.txt")));

/// Words right after a name that make it staff.
pub static STAFF_AFTER: LazyLock<Phrases> =
    LazyLock::new(|| Phrases::from_data(include_str!("../data/staff_after.txt")));

/// Medical eponyms and other surnames that clinical teaching uses as
/// things, never as a patient's name.
pub static EPONYMS: LazyLock<Words> =
    LazyLock::new(|| Words::from_data(include_str!("../data/eponyms.txt")));

/// Words the name detector never takes for a name, whatever their case.
static COMMON_WORDS: LazyLock<Words> =
    LazyLock::new(|| Words::from_data(include_str!("../data/common.txt")));

pub fn is_common_word(lower: &str) -> bool {
    COMMON_WORDS.contains(lower)
}

/// Words right after a cue that end the search for a name there.
#[rustfmt::skip]
pub const STOP_AFTER_CUE: &[&str] = &[
    "is", "was", "has", "had", "who", "and", "or", "with",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_eponym_or_common_word_is_a_cue() {
        for cue in PATIENT_TITLES.iter().chain(NAMING_WORDS) {
            assert!(!EPONYMS.contains(cue), "{cue}");
        }
        assert!(is_common_word("the") && !is_common_word("patel"));
    }
}

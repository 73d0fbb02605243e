//! Names found from the lists of given names and surnames and from the
//! shape of the text: surname-first labels, full names, subjects of patient
//! verbs, names on boards and in chat.

use super::Names;
use super::lexicon::*;
use super::rules::*;
use super::tokens::Token;
use crate::domain::screen::Span;

impl Names {
    /// "BENNETT, Sarah", "Kowalski, Jan": the surname-first order of
    /// wristbands, labels and lists.
    pub(super) fn label_order(
        &self,
        text: &str,
        tokens: &[Token],
        taken: &mut [bool],
        out: &mut Vec<Span>,
    ) {
        for i in 0..tokens.len().saturating_sub(1) {
            let (surname, given) = (&tokens[i], &tokens[i + 1]);
            if taken[i] || taken[i + 1] || !given.gap_has_break || surname.possessive {
                continue;
            }
            let comma_only = text[surname.end..given.start].trim() == ",";
            let known_surname = self.is_surname(&surname.lower);
            let known_given = self.is_given(&given.lower);
            // A surname not in the lists counts on a list or label ("slot 3:
            // Baptiste, Lucienne"), not in running text ("team: Bex, Marco").
            let on_a_list = i > 0 && tokens[i - 1].has_digit();
            let surname_ok = (surname.all_caps && surname.lower.chars().count() >= 3
                || surname.is_capitalized())
                && !is_common_word(&surname.lower)
                && !surname.has_digit()
                && !STAFF_ROLES.contains(surname.lower.as_ref())
                && (known_surname || known_given && (surname.all_caps || on_a_list));
            let given_ok = given.is_capitalized()
                && !is_common_word(&given.lower)
                && (known_given
                    || known_surname && given.is_wordlike()
                    || self.ambiguous.contains(given.lower.as_ref()));
            if comma_only && surname_ok && given_ok {
                taken[i] = true;
                taken[i + 1] = true;
                // "ANDERSSON, Karin L": a middle initial follows.
                let initial = tokens.get(i + 2).is_some_and(|t| {
                    !t.gap_has_break && t.lower.chars().count() == 1 && t.is_capitalized()
                });
                push(out, tokens, i, i + 2 + usize::from(initial));
            }
        }
    }

    /// Names from the given-name and surname lists, and capitalized words
    /// that the sentence treats as a person.
    pub(super) fn names_from_lists(
        &self,
        text: &str,
        tokens: &[Token],
        taken: &mut [bool],
        staff: &mut [bool],
        others: &[Span],
        out: &mut Vec<Span>,
    ) {
        let mut i = 0;
        while i < tokens.len() {
            let t = &tokens[i];
            if taken[i] || staff[i] || t.is_initial() {
                i += 1;
                continue;
            }
            let lower = t.lower.as_ref();
            let capitalized = t.is_capitalized();
            if !capitalized && !t.all_caps && (t.has_digit() || is_common_word(lower)) {
                i += 1;
                continue;
            }
            // "is maria gonna be ok", "tell jake his brother is watching".
            let lower_given = !capitalized
                && !t.all_caps
                && self.given.contains(lower)
                && lower.chars().count() >= 3
                && (about_person(text, tokens, i)
                    || i > 0
                        && matches!(
                            tokens[i - 1].lower.as_ref(),
                            "is" | "did" | "was" | "has" | "does" | "hows" | "wheres"
                        ));
            let given = self.is_given(lower);
            let surname = self.is_surname(lower);
            let next = tokens
                .get(i + 1)
                .filter(|n| !n.gap_has_break && !taken[i + 1] && !t.possessive && plain(n));
            let next_cap = next.filter(|n| n.is_capitalized());
            let full_name = capitalized
                && !t.all_caps
                && plain(t)
                && next_cap.is_some_and(|n| {
                    given
                        || self.ambiguous.contains(lower) && self.known(&n.lower)
                        || self.is_surname(&n.lower)
                            && lower.chars().count() >= 3
                            && !after_number(tokens, i)
                        || surname && self.is_given(&n.lower)
                });
            // "kwame asante's daughter", "wang xiuying", "grace okafor": lower-case
            // chat where both words are listed names.
            let lower_full_name = !capitalized
                && lower.chars().count() >= 2
                && next.is_some_and(|n| {
                    let third_known = tokens
                        .get(i + 2)
                        .is_some_and(|k| !k.gap_has_break && self.known(&k.lower));
                    n.is_wordlike()
                        && (self.known(lower) && (self.known(&n.lower) || third_known)
                            || self.ambiguous.contains(lower) && self.is_surname(&n.lower))
                });
            let person = || about_person(text, tokens, i);
            let shape = capitalized && plain(t) && !t.all_caps;
            let caps_pair = t.all_caps
                && plain(t)
                && t.lower.chars().count() >= 2
                && next.is_some_and(|n| n.all_caps && n.is_wordlike());
            let beside_identifier = (shape || caps_pair || t.all_caps && surname)
                && near_identifier(text, tokens, i, others);
            // "BRIDGET O'MAHONY NEEDS K+": a listed given name and another name, in capitals.
            let shouted = caps_pair
                && given
                && next.is_some_and(|n| self.known(&n.lower) || !is_common_word(&n.lower));
            // "Sipho Dlamini walked in", "Ngozi Eze is our patient": two or
            // three capitalized words acting as the subject of a sentence.
            let subject_pair = shape
                && !camel_case(t)
                && next_cap.is_some_and(|n| !n.all_caps)
                && (t.sentence_start || !part_of_proper_noun(tokens, i))
                && verb_after(text, tokens, i);
            let listed = listed_on_board(tokens, i);
            // "the whole Kaur family".
            let family = capitalized
                && plain(t)
                && i > 0
                && matches!(tokens[i - 1].lower.as_ref(), "the" | "whole")
                && tokens.get(i + 1).is_some_and(|n| n.lower == "family");
            let is_name = if full_name
                || lower_full_name
                || lower_given
                || shouted
                || family
                || beside_identifier
                || subject_pair
                || listed
            {
                true
            } else if after_of(tokens, i) {
                false
            } else if given {
                capitalized && !t.all_caps && !next_is_institution(tokens, i) || person()
            } else if surname {
                capitalized && person()
            } else {
                let unknown = shape
                    && !part_of_proper_noun(tokens, i)
                    && !(i > 0 && matches!(tokens[i - 1].lower.as_ref(), "a" | "an" | "the"));
                unknown
                    && if t.sentence_start {
                        strongly_about_person(text, tokens, i)
                    } else {
                        person()
                    }
            };
            if !is_name {
                i += 1;
                continue;
            }
            let mut end = i + 1;
            while end < tokens.len()
                && end - i < 4
                && !tokens[end - 1].possessive
                && !tokens[end].gap_has_break
                && (tokens[end].is_capitalized()
                    || PARTICLES.contains(&tokens[end].lower.as_ref())
                    || lower_full_name
                        && tokens[end].is_wordlike()
                        && (end == i + 1 || self.known(&tokens[end].lower)))
                && !is_common_word(&tokens[end].lower)
                && !INSTITUTION_WORDS.contains(tokens[end].lower.as_ref())
            {
                end += 1;
            }
            while end > i + 1 && PARTICLES.contains(&tokens[end - 1].lower.as_ref()) {
                end -= 1;
            }
            let thing_after = !tokens[end - 1].possessive
                && tokens.get(end).is_some_and(|n| {
                    !n.gap_has_break && INSTITUTION_WORDS.contains(n.lower.as_ref())
                });
            if staff_context(text, tokens, i, end)
                || citation_after(text, tokens, end)
                || thing_after
            {
                // "especially Lucy and Femi": names listed with a staff name are staff.
                let mut k = end;
                while k + 1 < tokens.len()
                    && tokens[k].lower == "and"
                    && tokens[k + 1].is_capitalized()
                {
                    staff[k + 1] = true;
                    k += 2;
                }
                i = end;
                continue;
            }
            taken[i..end].fill(true);
            let first = if i > 0 && tokens[i - 1].is_initial() && listed {
                i - 1
            } else {
                i
            };
            push(out, tokens, first, end);
            i = end;
        }
    }

    pub(super) fn is_surname(&self, lower: &str) -> bool {
        self.surnames.contains(lower)
            || lower.contains('-')
                && lower.split('-').all(|p| {
                    (self.surnames.contains(p) || self.given.contains(p)) && !EPONYMS.contains(p)
                })
    }

    /// A listed given name, hyphenated ones included ("Mei-Ling", "Sarah-Jane").
    pub(super) fn is_given(&self, lower: &str) -> bool {
        self.given.contains(lower)
            || lower.contains('-')
                && lower
                    .split('-')
                    .all(|part| self.given.contains(part) || self.ambiguous.contains(part))
                && lower.split('-').any(|part| self.given.contains(part))
            || HONORIFIC_SUFFIXES
                .iter()
                .find_map(|s| lower.strip_suffix(s))
                .is_some_and(|stem| self.given.contains(stem) || self.surnames.contains(stem))
    }
}

use super::*;

fn found(text: &str) -> Vec<(String, Category)> {
    crate::domain::screen::test_support::found(|t, f, o| Dates::new().find(t, f, o), text)
}

#[test]
fn dates_tied_to_a_person() {
    for (text, date) in [
        ("DOB 12/03/1951, lives alone", "12/03/1951"),
        ("admitted 3 March with a fall", "3 March"),
        ("born on March 3rd, 1949", "March 3rd, 1949"),
        ("d.o.b. 1957-08-14", "1957-08-14"),
        ("discharged 14.02.2024", "14.02.2024"),
        ("operated on Tuesday 4th June", "Tuesday 4th June"),
        ("she died 2 Jan 2023", "2 Jan 2023"),
        ("seen in clinic on 3/4", "3/4"),
        ("fell at home on the 5th of May", "5th of May"),
    ] {
        let f = found(text);
        assert!(
            f.iter()
                .any(|(s, c)| *c == Category::Date && s.contains(date)),
            "{text}: {f:?}"
        );
    }
}

#[test]
fn dates_and_numbers_that_are_not_about_a_person() {
    for text in [
        "the 2015 trial",
        "BP 120/80 at 14:35",
        "T+00:42 tourniquet up",
        "in March we changed the protocol",
        "NICE updated the guideline on 5 June 2023",
        "3/4 of the way through",
        "the 1990s",
        "a 67-year-old, an 89-year-old",
        "3-0 Vicryl and 2/0 PDS",
        "temp 96 F",
        "you may 3 times",
    ] {
        assert!(found(text).is_empty(), "{text}: {:?}", found(text));
    }
}

#[test]
fn ages_over_89() {
    for (text, age) in [
        ("a 93-year-old woman", "93"),
        ("aged 91", "91"),
        ("102 yo", "102"),
        ("95F with a hip fracture", "95"),
        ("she is 90 years old", "90"),
        ("Mrs Patel, 93, MRN", "93"),
        ("a ninety-three-year-old man", "ninety-three"),
    ] {
        let f = found(text);
        assert!(
            f.iter()
                .any(|(s, c)| *c == Category::Age && s.contains(age)),
            "{text}: {f:?}"
        );
    }
    assert!(found("an 89-year-old").is_empty());
    assert!(found("aged 67, ASA 2").is_empty());
}

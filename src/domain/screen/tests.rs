use super::*;

fn screen() -> Screen {
    let policy = Policy::parse(
        r#"
[[lists]]
name = "legal"
action = "hold"
phrases = ["lawsuit"]
[[lists]]
name = "abuse"
action = "block"
phrases = ["idiot"]
[[lists]]
name = "watch"
action = "flag"
phrases = ["cardiac arrest"]
"#,
        "test",
    )
    .unwrap();
    Screen::new(policy)
}

#[test]
fn the_example_from_the_issue_is_held_with_every_identifier_marked() {
    let text = "Mrs Patel, 93, MRN 00482913, admitted 3 March";
    let verdict = screen().screen(text);
    assert_eq!(verdict.action, Action::Hold);
    let found: Vec<(&str, Category)> = verdict
        .findings
        .iter()
        .map(|f| (&text[f.start_byte..f.end_byte], f.category))
        .collect();
    assert_eq!(
        found,
        [
            ("Patel", Category::Name),
            ("93", Category::Age),
            ("00482913", Category::IdNumber),
            ("3 March", Category::Date),
        ]
    );
}

#[test]
fn ordinary_teaching_text_passes() {
    for text in [
        "Tourniquet up at T+00:42, cemented at 90 degrees",
        "BP 120/80, HR 72, size 5 femoral component, 2.5 mm drill",
        "A 67-year-old, ASA 2, GCS 15; the 2015 trial says so #KneeLive",
        "Dr Okafor is closing with 3-0 Vicryl",
    ] {
        let verdict = screen().screen(text);
        assert_eq!(verdict.action, Action::Pass, "{text}: {verdict:?}");
        assert!(verdict.findings.is_empty());
    }
}

#[test]
fn list_actions_decide_the_verdict() {
    let s = screen();
    assert_eq!(s.screen("possible lawsuit here").action, Action::Hold);
    assert_eq!(s.screen("what an IDIOT").action, Action::Block);
    let flagged = s.screen("cardiac arrest drill");
    assert_eq!(flagged.action, Action::Flag);
    assert_eq!(flagged.findings[0].category, Category::Keyword);
    assert_eq!(s.screen("idiot, call 07700 900123").action, Action::Block);
}

#[test]
fn offsets_count_utf16_code_units() {
    let text = "🙂 é Mrs Wójcik";
    let verdict = screen().screen(text);
    let f = &verdict.findings[0];
    let utf16: Vec<u16> = text.encode_utf16().collect();
    assert_eq!(
        String::from_utf16(&utf16[f.start..f.end]).unwrap(),
        "Wójcik"
    );
    assert_eq!(&text[f.start_byte..f.end_byte], "Wójcik");
}

#[test]
fn clearance_holds_confirms_and_blocks() {
    let s = screen();
    assert!(matches!(
        s.clear("Closure with staples"),
        Clearance::Clear(_)
    ));
    let Clearance::Held(held) = s.clear("DOB 12/03/1951") else {
        panic!("a date of birth is held");
    };
    let screened = held.confirm();
    assert_eq!(screened.as_str(), "DOB 12/03/1951");
    assert_eq!(screened.verdict().action, Action::Hold);
    assert!(matches!(s.clear("you idiot"), Clearance::Blocked(_)));
    assert!(s.release("you idiot").is_err());
    assert!(s.release("DOB [redacted]").is_ok());
}

#[test]
fn categories_can_be_switched_off() {
    let policy = Policy::parse("categories = [\"phone\"]", "test").unwrap();
    let s = Screen::new(policy);
    assert_eq!(s.screen("Mrs Patel").action, Action::Pass);
    assert_eq!(s.screen("call 07700 900123").action, Action::Hold);
}

use super::*;

fn found(text: &str) -> Vec<(String, Category)> {
    crate::domain::screen::test_support::found(|t, f, o| Contact::new().find(t, f, o), text)
}

#[test]
fn emails_urls_and_ips() {
    assert_eq!(
        found("mail j.doe+x@example.co.uk now"),
        [("j.doe+x@example.co.uk".into(), Category::Email)]
    );
    assert_eq!(
        found("see https://facebook.com/jane.doe.5."),
        [("https://facebook.com/jane.doe.5".into(), Category::Url)]
    );
    assert!(
        found("www.example.org/patients/4471")
            .iter()
            .any(|f| f.1 == Category::Url)
    );
    assert!(
        found("from 192.168.10.24 today")
            .iter()
            .any(|f| f.1 == Category::IpAddress)
    );
    assert!(
        found("fe80::1ff:fe23:4567:890a")
            .iter()
            .any(|f| f.1 == Category::IpAddress)
    );
    assert!(
        found("version 2.10.3.999")
            .iter()
            .all(|f| f.1 != Category::IpAddress)
    );
    assert!(found("at 10:15:30 we").is_empty());
    assert!(found("e.g. this").is_empty());
}

#[test]
fn phone_numbers_in_many_formats() {
    for number in [
        "(415) 555-0132",
        "415-555-0199",
        "+1 212 555 0147",
        "07700 900123",
        "020 7946 0018",
        "+44 7700 900456",
        "0161 496 0753",
        "+33 1 42 68 53 00",
        "+49 30 901820",
        "+61 2 9374 4000",
        "415.555.0199 ext. 204",
    ] {
        let text = format!("Call her on {number}, thanks");
        let f = found(&text);
        assert!(
            f.iter()
                .any(|(s, c)| *c == Category::Phone && s.contains(&number[..6])),
            "{number}: {f:?}"
        );
    }
}

#[test]
fn clinical_numbers_are_not_phone_numbers() {
    for text in [
        "BP 120/80, HR 72, SpO2 98%",
        "size 5 femoral component, 2.5 mm drill",
        "bleep 4412 for the registrar",
        "cefazolin 2 g IV at 14:35",
        "the 2015 trial of 1200 patients",
        "PMID 31234567",
        "scores 12 14 15 18",
        "1.25 2.5 3.75 mm",
        "dated 12.03.2019",
    ] {
        assert!(
            found(text).iter().all(|f| f.1 != Category::Phone),
            "{text}: {:?}",
            found(text)
        );
    }
}

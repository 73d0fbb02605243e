use super::*;

fn found(text: &str) -> Vec<(String, Category)> {
    crate::domain::screen::test_support::found(|t, f, o| Places::new().find(t, f, o), text)
}

#[test]
fn addresses_postcodes_and_zips() {
    for (text, what, category) in [
        (
            "lives at 14 Elm Street with",
            "14 Elm Street",
            Category::Address,
        ),
        ("221B Baker St.", "221B Baker St", Category::Address),
        (
            "Flat 3, 27 Hillside Road",
            "Flat 3, 27 Hillside Road",
            Category::Address,
        ),
        (
            "1600 Amphitheatre Parkway",
            "1600 Amphitheatre Parkway",
            Category::Address,
        ),
        (
            "at 12 rue de la Paix",
            "12 rue de la Paix",
            Category::Address,
        ),
        (
            "ul. Marszałkowska 12",
            "Marszałkowska 12",
            Category::Address,
        ),
        ("Hauptstraße 5, Berlin", "Hauptstraße 5", Category::Address),
        ("lives at 4 mill lane", "4 mill lane", Category::Address),
        ("postcode SW1A 1AA", "SW1A 1AA", Category::Postcode),
        ("from M1 1AE", "M1 1AE", Category::Postcode),
        ("lives in b33 8th", "b33 8th", Category::Postcode),
        ("Springfield, IL 62704", "62704", Category::ZipCode),
        ("ZIP 90210", "90210", Category::ZipCode),
        ("02139-4307", "02139-4307", Category::ZipCode),
    ] {
        let f = found(text);
        assert!(
            f.iter().any(|(s, c)| *c == category && s.contains(what)),
            "{text}: {f:?}"
        );
    }
}

#[test]
fn a_named_house_after_an_address_cue() {
    let places = Places::new();
    let text = "She lives at The Old Rectory, Church Lane, Little Snoring now";
    let mut out = Vec::new();
    places.named_houses(text, &mut out);
    assert_eq!(
        &text[out[0].start..out[0].end],
        "The Old Rectory, Church Lane, Little Snoring"
    );
    let mut none = Vec::new();
    places.named_houses("The Old Rectory, Church Lane is a lovely walk", &mut none);
    assert!(none.is_empty(), "no address cue, no address");
}

#[test]
fn clinical_text_is_not_an_address() {
    for text in [
        "3 ports in place",
        "2 units per day",
        "theatre 4, ward 7, bay 3",
        "vitamin B12 5mg daily",
        "12 staples to close",
        "the 2015 trial of 1200 patients",
        "L4 5 disc",
        "St Thomas' Hospital, London",
        "size 5 Stryker Triathlon",
    ] {
        assert!(found(text).is_empty(), "{text}: {:?}", found(text));
    }
}

use super::*;

fn found(text: &str) -> Vec<(String, Category)> {
    crate::domain::screen::test_support::found(|t, f, o| Numbers::new().find(t, f, o), text)
}

fn has(text: &str, what: &str, category: Category) -> bool {
    found(text)
        .iter()
        .any(|(s, c)| *c == category && s.contains(what))
}

#[test]
fn check_digits() {
    assert!(valid_nhs(&[9, 4, 3, 4, 7, 6, 5, 9, 1, 9]));
    assert!(!valid_nhs(&[9, 4, 3, 4, 7, 6, 5, 9, 1, 8]));
    assert!(luhn(&[4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]));
    assert!(!luhn(&[4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2]));
}

#[test]
fn validated_numbers() {
    assert!(has(
        "NHS no 943 476 5919",
        "943 476 5919",
        Category::NhsNumber
    ));
    assert!(has("nhs 9434765919.", "9434765919", Category::NhsNumber));
    assert!(!has("ref 943 476 5918", "943", Category::NhsNumber));
    assert!(has("SSN 078-05-1120", "078-05-1120", Category::Ssn));
    assert!(!has("078-00-1120", "078", Category::Ssn));
    assert!(!has("666-12-1234", "666", Category::Ssn));
    assert!(has(
        "card 4111 1111 1111 1111",
        "4111",
        Category::CardNumber
    ));
}

#[test]
fn numbers_after_their_cue() {
    for (text, id) in [
        ("MRN 00482913", "00482913"),
        ("MRN: 4471", "4471"),
        ("hospital number K1234567", "K1234567"),
        ("record no. 55-3321-8", "55-3321-8"),
        ("member ID XJH448812903", "XJH448812903"),
        ("policy no. BCBS-77812-03", "BCBS-77812-03"),
        ("pacemaker serial PJN123456H", "PJN123456H"),
        ("serial no. SN 4471-0032-A", "4471-0032-A"),
        ("VIN 1HGCM82633A004352", "1HGCM82633A004352"),
        ("reg AB12 CDE", "AB12 CDE"),
        ("plate 7ABC123", "7ABC123"),
        ("passport 533380006", "533380006"),
    ] {
        assert!(
            has(text, id, Category::IdNumber),
            "{text}: {:?}",
            found(text)
        );
    }
}

#[test]
fn clinical_numbers_are_not_ids() {
    for text in [
        "size 5 femoral component",
        "the 2015 trial, PMID 31234567",
        "Hb 128 g/L, INR 1.1, eGFR 64",
        "ICD-10 M17.11 and OPCS W40.1",
        "patient 2 of 3 today",
        "case 12 in the series",
        "ASA 2, GCS 15",
        "NCT01234567 and ISRCTN12345678",
        "tranexamic acid 1000 mg",
        "1,500,000 units",
        "record 10 mL of output",
    ] {
        assert!(found(text).is_empty(), "{text}: {:?}", found(text));
    }
}

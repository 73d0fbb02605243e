use super::*;

fn names(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    Names::new(&["Quillfeather".into()]).find(text, &[], &mut out);
    out.iter()
        .map(|s| text[s.start..s.end].to_owned())
        .collect()
}

fn finds(text: &str, name: &str) {
    let found = names(text);
    assert!(
        found.iter().any(|f| f.contains(name)),
        "{text}: expected {name}, found {found:?}"
    );
}

fn clean(text: &str) {
    assert_eq!(names(text), Vec::<String>::new(), "{text}");
}

#[test]
fn names_after_titles_and_patient_words() {
    finds("Mrs Patel, 93, positioned supine", "Patel");
    finds("mrs patel is on the table", "patel");
    finds("Pt J. Okonkwo to theatre 4", "J. Okonkwo");
    finds("the patient, Mario Rossi, consented", "Mario Rossi");
    finds("Is this Mr O'Brien from ward 7?", "O'Brien");
    finds("Mme Dubois arrived", "Dubois");
    finds("Mr van der Berg, left knee", "van der Berg");
}

#[test]
fn names_after_kin_and_naming_words() {
    finds("her daughter Siobhan is outside", "Siobhan");
    finds("the patient's wife, Nguyễn Thị Lan, signed", "Nguyễn");
    finds("a boy named Li Wei", "Li Wei");
    finds("she is called aroha by the family", "aroha");
    finds("as I told Mrs Dubois's son", "Dubois");
}

#[test]
fn bare_names_when_the_sentence_is_about_a_person() {
    finds("Giovanni was brought in after a fall", "Giovanni");
    finds("I think Fatima's husband is in the waiting room", "Fatima");
    finds("Wójcik was admitted overnight", "Wójcik");
}

#[test]
fn names_on_lists_boards_and_in_chat() {
    finds(
        "The list on the wall reads 1. HOLLOWAY 2. ABUBAKAR",
        "HOLLOWAY",
    );
    finds(
        "The list on the wall reads 1. HOLLOWAY 2. ABUBAKAR",
        "ABUBAKAR",
    );
    finds(
        "Whiteboard still says R. Castellanos, lap chole",
        "R. Castellanos",
    );
    finds("can you tell jake his brother is watching", "jake");
    finds("hi nana June, we love you", "June");
    finds(
        "WARD 9 HANDOVER: BRIDGET O'MAHONY NEEDS K+ REPLACED",
        "BRIDGET O'MAHONY",
    );
    finds("omg that's auntie pat's knee lol", "pat");
}

#[test]
fn the_policy_list_is_always_a_name() {
    finds("quillfeather is stable", "quillfeather");
}

#[test]
fn staff_names_used_as_staff_are_not_identifiers() {
    clean("Dr Okafor is closing");
    clean("I'm Dr Okafor, the anaesthetist today");
    clean("Mr Hughes is closing the wound now");
    clean("Sister Adeyemi is counting swabs");
    clean("Prof. Lindqvist will answer questions after the break");
    clean("thanks Dr Chen for the great explanation");
    clean("Over to Mr Hughes for the cementing");
}

#[test]
fn eponyms_and_ordinary_words_are_not_names() {
    clean("Excise Hoffa's fat pad for exposure");
    clean("The Whipple procedure takes about six hours");
    clean("McMurray test is negative and Lachman is firm");
    clean("Patients with Parkinson's disease or Crohn's need care");
    clean("Will this be on the exam?");
    clean("Mark the incision with a skin marker");
    clean("Grace period for the audit is two weeks");
    clean("May I ask why we use a tourniquet?");
    clean("Smith et al. 2020 showed no difference");
    clean("Zimmer NexGen or Stryker Triathlon, both are fine");
    clean("Patient positioned supine with a bump under the hip");
    clean("The patient was given cefazolin 2 g IV");
    clean("Baker's cyst is common after arthroplasty");
    clean("Intubated with a size 7.0 ETT, grade 1 view");
    clean("Bilirubin 42, ALP 310, ALT 88");
    clean("Say hello to our theatre team: Bex, Marco, Deepa and Callum.");
    clean("Tommy John surgery is a UCL reconstruction of the elbow");
    clean("Mr Haddad, our upper GI lead, has done over 2000 of these");
    clean("I'm the fellow this year, Kenji, and this is my first time presenting");
}

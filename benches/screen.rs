//! The privacy screen, measured with criterion: it runs inline on every
//! text a person submits, so a 500-character message must take well under
//! 20 µs.

use criterion::{Criterion, criterion_group, criterion_main};
use gallery::config::ScreeningConfig;
use gallery::domain::screen::Screen;
use std::hint::black_box;

/// About 500 characters of ordinary teaching narration: numbers, doses,
/// sizes, eponyms and staff names, and nothing to find.
const CLEAN: &str = "T+00:42 Tourniquet inflated to 300 mmHg after exsanguination. Mr Hughes is \
making a medial parapatellar approach; Hoffa's fat pad partially excised for exposure. \
BP 118/76, HR 64, SpO2 99%. Cefazolin 2 g IV given at 09:05 and tranexamic acid 1 g. \
Distal femoral cut at 5 degrees valgus with the 9 mm resection block, then a size 5 \
femoral component (Stryker Triathlon) and 2.5 mm drill for the lugs. Dr Okafor reports \
GCS 15 and ASA 2 pre-op. Questions so far are about the 2015 trial and #KneeLive ok.";

/// About 500 characters that carry identifiers of several kinds.
const IDENTIFYING: &str = "Pt Mrs Wójcik, 93, MRN 00482913, DOB 12/03/1931, admitted 3 March \
via ED after a fall at 14 Elm Street, Leeds LS6 2QT. Her daughter Siobhan asked to be \
called on 07700 900123 or siobhan.w@example.co.uk; NHS 943 476 5919. Insurance member ID \
XJH448812903, card 4111 1111 1111 1111. Tourniquet up at T+00:42, BP 120/80, size 5 \
femoral component, 2.5 mm drill. Photos were uploaded from 192.168.10.24 to \
https://example.org/patients/4471 by mistake; please remove them now, thanks all.";

fn screen(c: &mut Criterion) {
    let screen = Screen::new(ScreeningConfig::default().policy().unwrap());
    assert!(screen.screen(CLEAN).findings.is_empty());
    assert!(screen.screen(IDENTIFYING).findings.len() >= 10);
    c.bench_function("screen 500 chars of clean narration", |b| {
        b.iter(|| screen.screen(black_box(CLEAN)))
    });
    c.bench_function("screen 500 chars with 14 identifiers", |b| {
        b.iter(|| screen.screen(black_box(IDENTIFYING)))
    });
    c.bench_function("build the screen from the policy", |b| {
        b.iter(|| Screen::new(ScreeningConfig::default().policy().unwrap()))
    });
}

criterion_group!(benches, screen);
criterion_main!(benches);

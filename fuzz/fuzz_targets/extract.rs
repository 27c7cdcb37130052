//! Fuzzes the position extractor with the seed scenario's vocabulary: no article panics it, and every
//! candidate's quote is the article's text at its offsets, within the word limit.
#![no_main]
use std::sync::OnceLock;

static SEED: OnceLock<(truce_scenario::Scenario, truce_source::extract::Extractor)> = OnceLock::new();

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let (scenario, extractor) = SEED.get_or_init(|| {
        let text = include_str!("../../scenarios/ukraine-2025.toml");
        let scenario = truce_scenario::parse("seed", text).0.expect("the seed parses");
        let extractor = truce_source::extract::Extractor::new(&scenario);
        (scenario, extractor)
    });
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(x) = extractor.extract(text, None) {
        for c in x.candidates {
            assert_eq!(&text[c.start..c.end], c.quote);
            assert!(c.quote.split_whitespace().count() <= scenario.meta.max_quote_words as usize);
        }
    }
});

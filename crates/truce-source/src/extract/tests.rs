use super::*;
use proptest::prelude::*;

const SCENARIO: &str = r#"[meta]
max_quote_words = 25

[[parties]]
id = "RUS"
name = "Russian Federation"
speakers = "Lavrov (FM); Peskov (Kremlin spokesman)"

[[parties]]
id = "UKR"
name = "Ukraine"

[[issues]]
id = "nato"
name = "NATO"

[[issues.options]]
id = "nato.member"
label = "Membership"

[[issues.options]]
id = "nato.neutral"
label = "Neutrality"

[[issues]]
id = "ff"
name = "Foreign forces"

[[issues.options]]
id = "ff.peacekeepers"
label = "European peacekeepers"

[[issues.options]]
id = "ff.none"
label = "No foreign forces"

[[vocabulary]]
party = "RUS"
en = ["Russia", "Moscow", "Kremlin"]
ru = ["Россия", "Москва", "Кремль", "Лавров"]
uk = ["Росія", "Москва", "Кремль", "Лавров"]

[[vocabulary]]
party = "UKR"
en = ["Kyiv", "Zelensky"]
ru = ["Киев", "Зеленский"]
uk = ["Київ", "Зеленський"]

[[vocabulary]]
option = "nato.member"
en = ["NATO membership", "join NATO", "entry into NATO"]
ru = ["членство в НАТО", "вступление в НАТО"]
uk = ["членство в НАТО", "вступ до НАТО"]

[[vocabulary]]
option = "nato.neutral"
en = ["neutrality", "neutral status"]
ru = ["нейтралитет", "нейтральный статус"]
uk = ["нейтралітет", "нейтральний статус"]

[[vocabulary]]
option = "ff.peacekeepers"
en = ["peacekeepers"]
ru = ["миротворцы"]
uk = ["миротворці"]
"#;

fn scenario() -> Scenario {
    let (s, d) = truce_scenario::parse("test.toml", SCENARIO);
    s.unwrap_or_else(|| panic!("{d:?}"))
}

fn found(text: &str) -> Vec<(String, String, Stance, String)> {
    let s = scenario();
    let x = Extractor::new(&s).extract(text, None).unwrap();
    for c in &x.candidates {
        assert_eq!(
            &text[c.start..c.end],
            c.quote,
            "the quote is the article's text at its offsets"
        );
        assert_eq!(
            text.chars().skip(c.char_start).take(c.char_end - c.char_start).collect::<String>(),
            c.quote
        );
    }
    x.candidates
        .iter()
        .map(|c| {
            (s.party(c.party).id.clone(), s.option(c.option).id.clone(), c.stance, c.quote.clone())
        })
        .collect()
}

#[test]
fn a_demand_a_refusal_and_a_red_line_in_english() {
    let got = found(
        "Moscow demands Ukraine's neutrality. Zelensky said Kyiv rejects any talk of neutral status.\n\n\
         Russian Foreign Minister Sergei Lavrov said Moscow categorically opposes European peacekeepers.",
    );
    assert!(
        got.contains(&(
            "RUS".into(),
            "nato.neutral".into(),
            Stance::Demanded,
            "Moscow demands Ukraine's neutrality.".into()
        )),
        "{got:?}"
    );
    assert!(
        got.iter().any(|g| g.0 == "UKR" && g.1 == "nato.neutral" && g.2 == Stance::Opposed),
        "{got:?}"
    );
    assert!(
        got.iter().any(|g| g.0 == "RUS" && g.1 == "ff.peacekeepers" && g.2 == Stance::RedLine),
        "{got:?}"
    );
}

#[test]
fn a_demand_to_exclude_an_option_opposes_it_and_a_pronoun_carries_the_speaker() {
    let got = found(
        "Peskov said on Monday that any deal must exclude Ukraine's entry into NATO. He added that Moscow is ready to discuss neutrality.",
    );
    assert!(
        got.iter().any(|g| g.0 == "RUS" && g.1 == "nato.member" && g.2 == Stance::Opposed),
        "{got:?}"
    );
    assert!(
        got.iter().any(|g| g.0 == "RUS" && g.1 == "nato.neutral" && g.2 == Stance::Acceptable),
        "{got:?}"
    );
}

#[test]
fn russian_and_ukrainian_are_read_in_their_own_words() {
    let ru = found("Лавров заявил, что Москва категорически против вступления Украины в НАТО.");
    assert!(
        ru.iter().any(|g| g.0 == "RUS" && g.1 == "nato.member" && g.2 == Stance::RedLine),
        "{ru:?}"
    );
    let uk = found("Зеленський заявив, що Київ відкидає нейтральний статус.");
    assert!(
        uk.iter().any(|g| g.0 == "UKR" && g.1 == "nato.neutral" && g.2 == Stance::Opposed),
        "{uk:?}"
    );
}

#[test]
fn words_inside_quotation_marks_are_a_direct_quote() {
    let s = scenario();
    let text = "Moscow, the Kremlin spokesman said, \u{201c}will never accept NATO membership for Kyiv\u{201d}, and repeated it.";
    let x = Extractor::new(&s).extract(text, None).unwrap();
    let c =
        x.candidates.iter().find(|c| s.option(c.option).id == "nato.member").expect("a candidate");
    assert_eq!(c.quote_kind, QuoteKind::Direct);
    assert_eq!(c.quote, "will never accept NATO membership for Kyiv");
    assert_eq!(c.stance, Stance::RedLine);
}

#[test]
fn a_headline_the_journalists_words_and_a_sentence_without_cue_give_nothing() {
    assert!(
        found("Moscow rejects NATO membership\n\nAnalysts expect talks on neutrality to resume.")
            .is_empty()
    );
    assert!(found("The weather in Kyiv was cold.").is_empty());
}

#[test]
fn bad_articles_are_refused() {
    let x = Extractor::new(&scenario());
    assert_eq!(x.extract("  \n", None), Err(ExtractError::Empty));
    assert_eq!(x.extract("12 345 678 ...", None), Err(ExtractError::NoLanguage));
    let huge = "word ".repeat(MAX_ARTICLE_BYTES / 5 + 1);
    assert!(matches!(x.extract(&huge, None), Err(ExtractError::TooLarge(_))));
}

#[test]
fn the_built_in_cues_are_valid_and_cover_each_language() {
    let file: CueFile = toml::from_str(CUES).unwrap();
    for lists in [&file.en, &file.ru, &file.uk] {
        for list in [
            &lists.demand,
            &lists.accept,
            &lists.oppose,
            &lists.red_line,
            &lists.negate,
            &lists.speech,
        ] {
            assert!(list.len() >= 10);
        }
    }
}

proptest! {
    #[test]
    fn any_text_gives_verbatim_quotes_within_the_word_limit(
        parts in proptest::collection::vec(proptest::sample::select(vec![
            "Moscow", "demands", "rejects", "neutrality", "NATO membership", "said", "He", "never", "not", "«", "»",
            "\u{201c}", "\u{201d}", ".", ",", "\n\n", "Киев", "отвергает", "нейтралитет", "Київ", "вимагає", "peacekeepers",
            "exclude", "categorically", "word",
        ]), 0..120),
    ) {
        let text = parts.join(" ");
        let s = scenario();
        if let Ok(x) = Extractor::new(&s).extract(&text, None) {
            for c in x.candidates {
                prop_assert_eq!(&text[c.start..c.end], c.quote.as_str());
                prop_assert!(c.quote.split_whitespace().count() <= 25, "{}", c.quote);
            }
        }
    }
}

#[test]
fn never_not_is_one_negation_and_not_opposing_is_accepting() {
    // Negative concord: `никогда не` is one negation, a red line.
    let ru = found("Лавров заявил, что Москва никогда не примет членство Украины в НАТО.");
    assert!(
        ru.iter().any(|g| g.0 == "RUS" && g.1 == "nato.member" && g.2 == Stance::RedLine),
        "{ru:?}"
    );
    // `не возражает против` accepts, though `против` alone opposes.
    let ru = found("Кремль заявил, что Москва не возражает против нейтралитета Украины.");
    assert!(
        ru.iter().any(|g| g.0 == "RUS" && g.1 == "nato.neutral" && g.2 == Stance::Acceptable),
        "{ru:?}"
    );
    // `never give up` a goal demands it.
    let en = found("Zelensky said Kyiv will never give up on NATO membership.");
    assert!(
        en.iter().any(|g| g.0 == "UKR" && g.1 == "nato.member" && g.2 == Stance::Demanded),
        "{en:?}"
    );
    // The subject of the verb of speech speaks, not a party named in a clause about them.
    let en = found("Zelensky, who met Lavrov in Istanbul, said Kyiv rejects neutrality.");
    assert!(
        en.iter().any(|g| g.0 == "UKR" && g.1 == "nato.neutral" && g.2 == Stance::Opposed),
        "{en:?}"
    );
}

use super::*;
use proptest::prelude::*;

const TEXT: &str = "NATO Should Refuse\n\nRussian Deputy Foreign Minister Alexander Grushko said that \u{201c}a deal is\n  possible only if NATO abandons its plans\u{201d} \u{2014} and Moscow, according to the diplomat, is ready for dialogue with the EU.\nОн  подчеркнул: «Всё решено».\n";

#[test]
fn typography_case_and_white_space_never_decide() {
    let hay = Haystack::new(TEXT);
    let f =
        hay.find("\"A deal is possible only if NATO abandons its plans\" - and Moscow").unwrap();
    assert_eq!(
        &TEXT[f.start..f.end],
        "a deal is\n  possible only if NATO abandons its plans\u{201d} \u{2014} and Moscow"
    );
    assert_eq!((f.line, f.column), (3, 62));
    // ё is е; «» are quotation marks.
    assert!(hay.find("он подчеркнул: \"все решено\"").is_some());
}

#[test]
fn elisions_and_insertions_are_pieces_found_in_order() {
    let hay = Haystack::new(TEXT);
    let f = hay.find("Moscow ... is ready for dialogue with the EU").unwrap();
    assert!(TEXT[f.start..f.end].starts_with("Moscow, according"));
    assert!(hay.find("Grushko said that [the alliance] a deal is possible").is_some());
    assert!(hay.find("Grushko said … is ready for dialogue").is_some());
    // Out of order is not found.
    assert!(hay.find("is ready for dialogue ... Grushko said").is_none());
}

#[test]
fn a_word_is_never_found_inside_another() {
    let hay = Haystack::new("The party said the art of the deal.");
    assert!(hay.find("art").is_some());
    let f = hay.find("art").unwrap();
    assert_eq!(f.start, 19);
    assert!(Haystack::new("The party said.").find("art").is_none());
}

#[test]
fn a_changed_quote_is_not_found_and_the_closest_passage_is_named() {
    let hay = Haystack::new(TEXT);
    assert!(hay.find("a deal is possible only if NATO drops its plans").is_none());
    let p = hay.closest("a deal is possible only if NATO drops its plans").unwrap();
    assert_eq!(p.line, 3);
    assert!(p.text.contains("possible only if NATO abandons its plans"), "{}", p.text);
    assert!(p.score > 0.8 && p.score < 1.0, "{}", p.score);
    assert!(hay.closest("zzz qqq").is_none());
}

proptest! {
    #[test]
    fn every_run_of_words_of_a_text_is_found_where_it_is(
        words in proptest::collection::vec(proptest::sample::select(vec!["мир", "peace", "NATO", "«нет»", "—", "don’t", "Київ", "ЁЛКА", "a", "b"]), 1..40),
        seps in proptest::collection::vec(proptest::sample::select(vec![" ", "  ", "\n", " \u{a0}", "\t"]), 40),
        from in 0usize..40,
        len in 1usize..10,
    ) {
        let mut text = String::new();
        for (i, w) in words.iter().enumerate() {
            text.push_str(w);
            text.push_str(seps[i]);
        }
        let from = from % words.len();
        let to = (from + len).min(words.len());
        let quote = words[from..to].join(" ");
        let hay = Haystack::new(&text);
        if quote.chars().any(char::is_alphanumeric) {
            let f = hay.find(&quote);
            prop_assert!(f.is_some(), "{quote:?} not found in {text:?}");
            let f = f.unwrap();
            // What is found normalises to the quote.
            let found = normalize(&text[f.start..f.end]).text;
            let wanted = pieces(&quote).join(" ");
            prop_assert!(found.contains(&wanted) || wanted.contains(&found) || found.replace(' ', "") == wanted.replace(' ', ""), "{found:?} vs {wanted:?}");
        }
    }

    #[test]
    fn no_text_or_quote_makes_the_search_panic(text in ".{0,200}", quote in ".{0,60}") {
        let hay = Haystack::new(&text);
        if let Some(f) = hay.find(&quote) {
            prop_assert!(text.get(f.start..f.end).is_some());
        }
        if let Some(p) = hay.closest(&quote) {
            prop_assert_eq!(&text[p.start..p.end], p.text.as_str());
        }
    }
}

//! Truce's words in the languages of its users: English, Ukrainian and Russian.
//!
//! Documents and the API stay language-neutral; a document is put into words where it is rendered for
//! a person (the pages, the field app, the daily report, the CLI's text). Those renderings look their
//! words up here, by message id, in the reader's [`Lang`].
//!
//! - The messages are [Project Fluent](https://projectfluent.org) files under `locales/{en,uk,ru}/`,
//!   embedded in the binary. Every message exists in all three (a test), and the terms that carry
//!   politics (places, parties, contested areas, observation classes) follow `docs/glossary.md` (a test).
//! - [`Lang::negotiate`] reads an `Accept-Language` header; [`Lang::from_code`] a reader's choice.
//! - [`Words::get`] and [`Words::with`] look a message up; a message missing from a language falls back to
//!   English, and a message missing from English is shown as its id in brackets, so that a page never
//!   fails for want of a word (the tests keep both from happening).
//!
//! No I/O.

use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};

pub use fluent_bundle::FluentValue;

/// A language Truce speaks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    /// English, the default.
    #[default]
    En,
    /// Ukrainian.
    Uk,
    /// Russian.
    Ru,
    /// Pseudo-English (`en-XA`), for tests only: English with every letter accented and every vowel
    /// doubled, about 30% longer (Ukrainian and Russian run 10 to 20% longer than English), so that a page
    /// that holds its layout in it holds it in a longer language.
    /// Not offered by the switcher; asked for only as `?lang=en-XA`.
    Pseudo,
}

impl Lang {
    /// Every language, in the order the language switcher shows them.
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Uk, Lang::Ru];

    /// The BCP 47 code (`en`, `uk`, `ru`): `<html lang>`, `?lang=`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Uk => "uk",
            Lang::Ru => "ru",
            Lang::Pseudo => "en-XA",
        }
    }

    /// The language's name in itself, as the switcher shows it.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Uk => "Українська",
            Lang::Ru => "Русский",
            Lang::Pseudo => "Ƥšéééúðóó",
        }
    }

    /// The language a code names (`uk`, `uk-UA`, `RU`), if Truce speaks it.
    pub fn from_code(code: &str) -> Option<Lang> {
        if code.trim().eq_ignore_ascii_case("en-XA") {
            return Some(Lang::Pseudo);
        }
        let primary = code.trim().split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Lang::En),
            "uk" => Some(Lang::Uk),
            "ru" => Some(Lang::Ru),
            _ => None,
        }
    }

    /// The language an `Accept-Language` header prefers among those Truce speaks (RFC 9110 §12.5.4:
    /// the highest `q`, ties in the header's order; `q=0` is "not this"), or English.
    pub fn negotiate(accept_language: &str) -> Lang {
        let mut best: Option<(u16, Lang)> = None;
        for item in accept_language.split(',').take(32) {
            let mut parts = item.split(';');
            let Some(lang) = Lang::from_code(parts.next().unwrap_or("")) else { continue };
            let mut q = 1000u16;
            for p in parts {
                if let Some(v) = p.trim().strip_prefix("q=") {
                    q = quality(v).unwrap_or(0);
                }
            }
            if q > 0 && best.is_none_or(|(b, _)| q > b) {
                best = Some((q, lang));
            }
        }
        best.map_or(Lang::En, |(_, l)| l)
    }

    /// The words in this language.
    pub fn words(self) -> &'static Words {
        &BUNDLES[self as usize]
    }
}

/// A `q` value in thousandths (`0.8` → 800), if well formed (RFC 9110: at most three decimals, ≤ 1).
fn quality(v: &str) -> Option<u16> {
    let (whole, frac) = v.trim().split_once('.').unwrap_or((v.trim(), ""));
    if frac.len() > 3 || !frac.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let thousandths = format!("{frac:0<3}").parse::<u16>().ok()?;
    match whole {
        "0" => Some(thousandths),
        "1" if thousandths == 0 => Some(1000),
        _ => None,
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// The Fluent files of each language, by name. The same names in every language (a test).
pub const FILES: [&str; 5] = ["ui.ftl", "watch.ftl", "vocabulary.ftl", "table.ftl", "places.ftl"];

/// The sources of `lang`'s files, in the order of [`FILES`] (pseudo-English: the English ones).
pub fn sources(lang: Lang) -> [&'static str; 5] {
    match lang {
        Lang::En | Lang::Pseudo => [
            include_str!("../locales/en/ui.ftl"),
            include_str!("../locales/en/watch.ftl"),
            include_str!("../locales/en/vocabulary.ftl"),
            include_str!("../locales/en/table.ftl"),
            include_str!("../locales/en/places.ftl"),
        ],
        Lang::Uk => [
            include_str!("../locales/uk/ui.ftl"),
            include_str!("../locales/uk/watch.ftl"),
            include_str!("../locales/uk/vocabulary.ftl"),
            include_str!("../locales/uk/table.ftl"),
            include_str!("../locales/uk/places.ftl"),
        ],
        Lang::Ru => [
            include_str!("../locales/ru/ui.ftl"),
            include_str!("../locales/ru/watch.ftl"),
            include_str!("../locales/ru/vocabulary.ftl"),
            include_str!("../locales/ru/table.ftl"),
            include_str!("../locales/ru/places.ftl"),
        ],
    }
}

/// One language's messages.
pub struct Words {
    lang: Lang,
    bundle: FluentBundle<FluentResource>,
}

static BUNDLES: LazyLock<[Words; 4]> =
    LazyLock::new(|| [Lang::En, Lang::Uk, Lang::Ru, Lang::Pseudo].map(Words::load));

/// Pseudo-English: each letter accented, each vowel doubled, the text between placeables only (a value
/// such as a name or a `{slot}` for a script stays as it is).
fn pseudo(text: &str) -> std::borrow::Cow<'_, str> {
    const PLAIN: &str = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    const ACCENTED: &str = "áƀçðéƒĝĥíĵķĺɱñóþǫŕšţúṽŵẋýžÁƁÇÐÉƑĜĤÍĴĶĹṀÑÓÞǪŔŠŢÚṼŴẊÝŽ";
    let mut out = String::with_capacity(text.len() * 2);
    for c in text.chars() {
        let accented = PLAIN.find(c).and_then(|k| ACCENTED.chars().nth(k)).unwrap_or(c);
        out.push(accented);
        if "aeiouAEIOU".contains(c) {
            out.push(accented);
        }
    }
    std::borrow::Cow::Owned(out)
}

impl Words {
    fn load(lang: Lang) -> Words {
        // `en`, `uk` and `ru` are well-formed language identifiers.
        let id: unic_langid::LanguageIdentifier = lang.code().parse().unwrap_or_default();
        let source_lang = if lang == Lang::Pseudo { Lang::En } else { lang };
        let mut bundle = FluentBundle::new_concurrent(vec![id]);
        // No Unicode isolation marks around values: the three languages run left to right, and the marks
        // would reach the pages' text and their tests as invisible characters.
        bundle.set_use_isolating(false);
        if lang == Lang::Pseudo {
            bundle.set_transform(Some(pseudo));
        }
        for source in sources(source_lang) {
            // A file with a syntax error keeps the messages that parse; the tests refuse any error.
            let resource = match FluentResource::try_new(source.to_string()) {
                Ok(r) => r,
                Err((r, _)) => r,
            };
            // An id given twice keeps the first; the tests refuse duplicates.
            let _ = bundle.add_resource(resource);
        }
        Words { lang, bundle }
    }

    /// This bundle's language.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// Message `id`'s pattern (`id.attr`: an attribute's), if this language has it.
    fn pattern(&self, id: &str) -> Option<&fluent_syntax::ast::Pattern<&str>> {
        let (msg, attr) = split(id);
        let m = self.bundle.get_message(msg)?;
        match attr {
            Some(a) => m.get_attribute(a).map(|a| a.value()),
            None => m.value(),
        }
    }

    /// Whether this language has message `id` (with `.attr`, an attribute of it).
    pub fn has(&self, id: &str) -> bool {
        self.pattern(id).is_some()
    }

    /// Message `id` (`id.attr` for an attribute), with no arguments.
    pub fn get(&self, id: &str) -> String {
        self.format(id, None)
    }

    /// Message `id` with `args` (`("count", 3.into())`).
    pub fn with<'a>(&self, id: &str, args: &[(&'a str, FluentValue<'a>)]) -> String {
        let mut fa = FluentArgs::with_capacity(args.len());
        for (k, v) in args {
            fa.set(*k, v.clone());
        }
        self.format(id, Some(&fa))
    }

    fn format(&self, id: &str, args: Option<&FluentArgs<'_>>) -> String {
        match self.pattern(id) {
            Some(pattern) => {
                let mut errors = Vec::new();
                self.bundle.format_pattern(pattern, args, &mut errors).into_owned()
            }
            None if self.lang != Lang::En => Lang::En.words().format(id, args),
            None => format!("[{id}]"),
        }
    }
}

fn split(id: &str) -> (&str, Option<&str>) {
    match id.split_once('.') {
        Some((m, a)) => (m, Some(a)),
        None => (id, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pseudo_english_is_longer_and_keeps_its_values() {
        let en = Lang::En.words().get("login-cookie");
        let pseudo = Lang::Pseudo.words().get("login-cookie");
        assert!(pseudo.chars().count() * 100 >= en.chars().count() * 125, "{pseudo}");
        assert!(!pseudo.is_ascii(), "{pseudo}");
        let near = Lang::Pseudo.words().with(
            "place-near",
            &[("km", 4.into()), ("direction", "NE".into()), ("place", "{place}".into())],
        );
        assert!(near.contains("{place}") && near.contains('4'), "{near}");
        assert_eq!(Lang::from_code("en-XA"), Some(Lang::Pseudo));
        assert_eq!(Lang::negotiate("en-GB"), Lang::En);
        assert!(!Lang::ALL.contains(&Lang::Pseudo), "the switcher never offers it");
    }

    #[test]
    fn accept_language_is_negotiated_by_quality_then_order() {
        assert_eq!(Lang::negotiate(""), Lang::En);
        assert_eq!(Lang::negotiate("uk"), Lang::Uk);
        assert_eq!(Lang::negotiate("ru-RU,ru;q=0.9,en;q=0.8"), Lang::Ru);
        assert_eq!(Lang::negotiate("de-DE,de;q=0.9,uk;q=0.5,ru;q=0.7"), Lang::Ru);
        assert_eq!(Lang::negotiate("fr, uk;q=0.5, en;q=0.5"), Lang::Uk);
        assert_eq!(Lang::negotiate("uk;q=0, ru"), Lang::Ru);
        assert_eq!(Lang::negotiate("uk;q=2, ru;q=0.1"), Lang::Ru, "a malformed q is no preference");
        assert_eq!(Lang::negotiate("*"), Lang::En);
        assert_eq!(Lang::from_code("UK-ua"), Some(Lang::Uk));
        assert_eq!(Lang::from_code("be"), None);
    }

    #[test]
    fn a_message_is_found_in_each_language_and_takes_its_arguments() {
        for lang in Lang::ALL {
            let w = lang.words();
            assert!(w.has("nav-home"), "{lang}");
            assert!(!w.get("nav-home").starts_with('['), "{lang}");
        }
        assert_eq!(Lang::En.words().get("no-such-message"), "[no-such-message]");
        assert_eq!(Lang::Uk.words().get("no-such-message"), "[no-such-message]");
        let one = Lang::Uk.words().with("scenario-count", &[("count", 1.into())]);
        let five = Lang::Uk.words().with("scenario-count", &[("count", 5.into())]);
        assert_ne!(one, five, "Ukrainian plural forms differ: {one} / {five}");
    }
}

//! Languages: which one a text is in, its words, their stems and its function words.
//!
//! English and Russian are stemmed by the Snowball algorithms of `rust-stemmers`. Snowball has no
//! Ukrainian; [`ukrainian_stem`] strips one inflectional ending (after a reflexive `-ся`/`-сь`) from a
//! list of Ukrainian noun, adjective, participle and verb endings, keeping at least three letters, so
//! that the forms of a word that the press uses meet at one stem. Its tests hold it to that.

use rust_stemmers::{Algorithm, Stemmer};

/// A language the extractor reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Language {
    /// English.
    En,
    /// Russian.
    Ru,
    /// Ukrainian.
    Uk,
}

impl Language {
    /// Every language, in order.
    pub const ALL: [Language; 3] = [Language::En, Language::Ru, Language::Uk];

    /// Its code: `en`, `ru`, `uk`.
    pub fn code(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Ru => "ru",
            Language::Uk => "uk",
        }
    }

    /// The language with this code.
    pub fn from_code(code: &str) -> Option<Language> {
        Language::ALL.into_iter().find(|l| l.code() == code)
    }

    /// The language a text is written in, from its letters: Latin is English; Cyrillic is Ukrainian
    /// when it uses the letters only Ukrainian has (і, ї, є, ґ) more than those only Russian has
    /// (ы, э, ъ, ё), Russian otherwise. `None` for a text with no letters of either.
    pub fn detect(text: &str) -> Option<Language> {
        let (mut latin, mut cyrillic, mut uk, mut ru) = (0usize, 0usize, 0usize, 0usize);
        for c in text.chars().flat_map(char::to_lowercase) {
            match c {
                'a'..='z' => latin += 1,
                'і' | 'ї' | 'є' | 'ґ' => {
                    cyrillic += 1;
                    uk += 1
                }
                'ы' | 'э' | 'ъ' | 'ё' => {
                    cyrillic += 1;
                    ru += 1
                }
                'а'..='я' => cyrillic += 1,
                _ => {}
            }
        }
        if latin == 0 && cyrillic == 0 {
            None
        } else if latin > cyrillic {
            Some(Language::En)
        } else if uk > ru {
            Some(Language::Uk)
        } else {
            Some(Language::Ru)
        }
    }

    /// Words that carry no meaning of their own for matching.
    pub fn is_function_word(self, word: &str) -> bool {
        let list: &[&str] = match self {
            Language::En => &[
                "the", "a", "an", "of", "to", "in", "on", "for", "at", "by", "its", "it", "is",
                "be", "that", "this", "s", "with", "from", "into", "as", "any",
            ],
            Language::Ru => &[
                "и", "в", "на", "о", "об", "с", "со", "по", "до", "у", "к", "от", "из", "за",
                "для", "а",
            ],
            Language::Uk => &[
                "і", "й", "та", "в", "у", "на", "о", "об", "з", "із", "зі", "по", "до", "від",
                "за", "для", "а",
            ],
        };
        list.contains(&word)
    }
}

/// A stemmer for one language.
pub struct Stems {
    language: Language,
    snowball: Option<Stemmer>,
}

impl Stems {
    /// The stemmer of `language`.
    pub fn new(language: Language) -> Stems {
        let snowball = match language {
            Language::En => Some(Stemmer::create(Algorithm::English)),
            Language::Ru => Some(Stemmer::create(Algorithm::Russian)),
            Language::Uk => None,
        };
        Stems { language, snowball }
    }

    /// The language.
    pub fn language(&self) -> Language {
        self.language
    }

    /// The stem of a lower-case word.
    pub fn stem(&self, word: &str) -> String {
        match &self.snowball {
            Some(s) => s.stem(word).into_owned(),
            None => ukrainian_stem(word),
        }
    }
}

/// Ukrainian inflectional endings, longest first within each length.
const UK_ENDINGS: &[&str] = &[
    "ування",
    "ювання",
    "ськими",
    "ського",
    "ському",
    "ськими",
    "ськіми",
    "ськими",
    "ськими",
    "ськими",
    "ували",
    "ювали",
    "ування",
    "ення",
    "ання",
    "яння",
    "ості",
    "істю",
    "ість",
    "ими",
    "іми",
    "ого",
    "ому",
    "ьому",
    "ього",
    "ами",
    "ями",
    "ові",
    "еві",
    "єві",
    "ати",
    "яти",
    "ити",
    "іти",
    "ути",
    "ють",
    "ують",
    "ають",
    "яють",
    "іють",
    "ить",
    "ять",
    "ать",
    "уть",
    "ала",
    "али",
    "ало",
    "ила",
    "или",
    "ило",
    "ого",
    "ові",
    "ам",
    "ям",
    "ах",
    "ях",
    "ом",
    "ем",
    "єм",
    "ою",
    "ею",
    "єю",
    "ів",
    "їв",
    "ей",
    "ій",
    "ий",
    "їй",
    "им",
    "ім",
    "их",
    "іх",
    "ої",
    "ає",
    "яє",
    "ує",
    "ює",
    "ав",
    "ив",
    "ла",
    "ли",
    "ло",
    "ти",
    "ть",
    "мо",
    "те",
    "а",
    "я",
    "о",
    "е",
    "є",
    "у",
    "ю",
    "і",
    "ї",
    "и",
    "ь",
    "й",
];

/// The stem of a lower-case Ukrainian word: a reflexive ending, then the longest inflectional ending
/// that leaves at least three letters, then a last soft vowel, are removed.
pub fn ukrainian_stem(word: &str) -> String {
    let mut w: Vec<char> = word.chars().filter(|c| !matches!(c, '\'' | '’' | 'ʼ')).collect();
    if w.len() <= 3 {
        return w.into_iter().collect();
    }
    for reflexive in ["ся", "сь"] {
        let r: Vec<char> = reflexive.chars().collect();
        if w.len() > r.len() + 3 && w.ends_with(&r) {
            w.truncate(w.len() - r.len());
            break;
        }
    }
    let mut best = 0;
    for ending in UK_ENDINGS {
        let e: Vec<char> = ending.chars().collect();
        if e.len() > best && w.len() >= e.len() + 3 && w.ends_with(&e) {
            best = e.len();
        }
    }
    w.truncate(w.len() - best);
    // A stem does not end in a vowel of the declension (`гаранті-ї`, `гарант-ій` meet at `гарант`).
    if w.len() > 3 && matches!(w.last(), Some('і' | 'ї' | 'и' | 'ь' | 'й')) {
        w.pop();
    }
    w.into_iter().collect()
}

/// A word of a text: its byte span, its lower-case form and its stem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Byte offset of its first character.
    pub start: usize,
    /// Byte offset just past its last character.
    pub end: usize,
    /// Lower case, `ё` as `е`, apostrophes as `'`, an English possessive `'s` dropped.
    pub word: String,
    /// Its stem.
    pub stem: String,
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ' | '`')
}

/// The words of `text`, from byte `offset` on, with their spans in `text`.
pub fn tokens(text: &str, stems: &Stems) -> Vec<Token> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if !c.is_alphanumeric() {
            continue;
        }
        let mut end = start + c.len_utf8();
        while let Some(&(i, c)) = chars.peek() {
            if c.is_alphanumeric() {
                end = i + c.len_utf8();
                chars.next();
            } else if is_apostrophe(c)
                && text[i + c.len_utf8()..].chars().next().is_some_and(char::is_alphabetic)
            {
                chars.next();
            } else {
                break;
            }
        }
        let mut word: String = text[start..end]
            .chars()
            .flat_map(char::to_lowercase)
            .map(|c| match c {
                'ё' => 'е',
                c if is_apostrophe(c) => '\'',
                c => c,
            })
            .collect();
        if stems.language() == Language::En && word.ends_with("'s") {
            word.truncate(word.len() - 2);
        }
        let stem = stems.stem(&word);
        out.push(Token { start, end, word, stem });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_are_told_apart_by_their_letters() {
        assert_eq!(Language::detect("NATO should refuse"), Some(Language::En));
        assert_eq!(
            Language::detect("Москва требует нейтралитета Украины, это ясно"),
            Some(Language::Ru)
        );
        assert_eq!(Language::detect("Київ відкидає вимогу щодо нейтралітету"), Some(Language::Uk));
        assert_eq!(Language::detect("12 345 —"), None);
    }

    #[test]
    fn the_forms_of_a_ukrainian_word_meet_at_one_stem() {
        let groups: &[&[&str]] = &[
            &["вступ", "вступу", "вступом", "вступі"],
            &["членство", "членства", "членству", "членством"],
            &["нейтралітет", "нейтралітету", "нейтралітетом"],
            &["миротворці", "миротворців", "миротворцями", "миротворцям"],
            &["вимагає", "вимагають", "вимагати"],
            &["неприйнятний", "неприйнятним", "неприйнятного", "неприйнятна"],
            &["гарантії", "гарантій", "гарантіями", "гарантіях"],
            &["санкції", "санкцій", "санкціями"],
        ];
        for group in groups {
            let stems: Vec<String> = group.iter().map(|w| ukrainian_stem(w)).collect();
            assert!(stems.windows(2).all(|w| w[0] == w[1]), "{group:?} stem to {stems:?}");
        }
        // Different words stay apart.
        assert_ne!(ukrainian_stem("миру"), ukrainian_stem("міністр"));
    }

    #[test]
    fn tokens_keep_their_spans_and_lose_possessives() {
        let stems = Stems::new(Language::En);
        let text = "Ukraine’s entry into NATO, Moscow's demand";
        let t = tokens(text, &stems);
        assert_eq!(t[0].word, "ukraine");
        assert_eq!(&text[t[0].start..t[0].end], "Ukraine’s");
        assert_eq!(t[3].word, "nato");
        assert_eq!(t[4].word, "moscow");
    }
}

//! Finding a quote in a source's text.
//!
//! Both are normalised first, so that typography never decides: white space runs become one space,
//! quotation marks and apostrophes of every kind become `"` and `'`, dashes and minus signs `-` (with no
//! space around them), `…` three dots, `ё` `е`, and everything lower case; soft hyphens and zero-width
//! characters go. Every normalised byte remembers the byte of the text it came from, so what is found is
//! reported as a span of the original text.
//!
//! A quote may leave words out: `...`, `…` and a bracketed insertion (`[the alliance]`, `[...]`) split it
//! into pieces that must appear in order, each within [`MAX_GAP`] bytes of the one before.
//! When a quote is not found, [`Haystack::closest`] gives the passage of the text that shares the most of its
//! words in order.

/// The most bytes of normalised text between two pieces of an elided quote.
pub const MAX_GAP: usize = 1_500;

/// Text normalised for comparison, each byte mapped back to the original.
#[derive(Debug, Clone)]
pub struct Normalized {
    /// The normalised text.
    pub text: String,
    /// For each byte of `text`, the byte offset in the original where its character began.
    origin: Vec<usize>,
    /// For each byte of `text`, the byte offset in the original just past its character.
    origin_end: Vec<usize>,
}

impl Normalized {
    /// The original span of the normalised bytes `start..end`.
    pub fn original_span(&self, start: usize, end: usize) -> (usize, usize) {
        if self.origin.is_empty() || start >= end {
            let at = self.origin.get(start).copied().unwrap_or(0);
            return (at, at);
        }
        (self.origin[start], self.origin_end[end - 1])
    }
}

fn fold(c: char, out: &mut String) {
    match c {
        '\'' | '‘' | '’' | '‚' | '‛' | '′' | 'ʼ' | '`' | '´' | 'ʹ' => out.push('\''),
        '"' | '“' | '”' | '„' | '‟' | '«' | '»' | '″' | '〝' | '〞' | '‹' | '›' => {
            out.push('"')
        }
        '-' | '‐' | '‑' | '‒' | '–' | '—' | '―' | '−' | '﹘' | '﹣' | '－' => {
            out.push('-')
        }
        '…' => out.push_str("..."),
        'ё' | 'Ё' => out.push('е'),
        c => out.extend(c.to_lowercase()),
    }
}

fn invisible(c: char) -> bool {
    matches!(c, '\u{AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

/// Normalises `s` (see the module's documentation).
pub fn normalize(s: &str) -> Normalized {
    let mut text = String::with_capacity(s.len());
    let mut origin = Vec::with_capacity(s.len());
    let mut origin_end = Vec::with_capacity(s.len());
    let mut space_at: Option<usize> = None;
    let mut buf = String::new();
    for (at, c) in s.char_indices() {
        if invisible(c) {
            continue;
        }
        if c.is_whitespace() {
            space_at.get_or_insert(at);
            continue;
        }
        buf.clear();
        fold(c, &mut buf);
        let end = at + c.len_utf8();
        if let Some(space) = space_at.take()
            && !text.is_empty()
            && !text.ends_with('-')
            && buf != "-"
        {
            text.push(' ');
            origin.push(space);
            origin_end.push(space + 1);
        }
        if buf == "-" && text.ends_with(' ') {
            text.pop();
            origin.pop();
            origin_end.pop();
        }
        for _ in 0..buf.len() {
            origin.push(at);
            origin_end.push(end);
        }
        text.push_str(&buf);
    }
    Normalized { text, origin, origin_end }
}

/// The pieces of a quote, normalised, that must appear in order.
pub fn pieces(quote: &str) -> Vec<String> {
    let quote = normalize(quote).text;
    let mut out = Vec::new();
    let mut rest = quote.as_str();
    loop {
        let ellipsis = rest.find("...");
        let bracket = rest.find('[').filter(|&b| rest[b..].contains(']'));
        let cut = match (ellipsis, bracket) {
            (Some(e), Some(b)) => Some(e.min(b)),
            (e, b) => e.or(b),
        };
        let Some(cut) = cut else {
            out.push(rest.to_string());
            break;
        };
        out.push(rest[..cut].to_string());
        rest = if rest[cut..].starts_with("...") {
            rest[cut..].trim_start_matches('.')
        } else {
            let close = rest[cut..].find(']').map_or(rest.len(), |c| cut + c + 1);
            &rest[close..]
        };
    }
    out.into_iter()
        .map(|p| p.trim_matches(|c: char| c == ' ' || c == '"' || c == '\'').to_string())
        .filter(|p| p.chars().any(char::is_alphanumeric))
        .collect()
}

/// Where a quote was found, in the original text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Byte offset of its first character.
    pub start: usize,
    /// Byte offset just past its last character.
    pub end: usize,
    /// 1-based line of its start.
    pub line: u32,
    /// 1-based column of its start, in characters.
    pub column: u32,
}

/// A passage of the text, with how much of a quote it holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Passage {
    /// Byte offset of its first character.
    pub start: usize,
    /// Byte offset just past its last character.
    pub end: usize,
    /// 1-based line of its start.
    pub line: u32,
    /// 1-based column of its start, in characters.
    pub column: u32,
    /// The passage itself.
    pub text: String,
    /// The share of the quote's words that the passage holds in the same order, 0 to 1.
    pub score: f64,
}

/// A source's text, prepared for quotes to be looked up in it.
#[derive(Debug, Clone)]
pub struct Haystack<'t> {
    original: &'t str,
    normalized: Normalized,
    words: Vec<(usize, usize)>,
    line_starts: Vec<usize>,
}

impl<'t> Haystack<'t> {
    /// Prepares `text`.
    pub fn new(text: &'t str) -> Haystack<'t> {
        let normalized = normalize(text);
        let words = word_spans(&normalized.text);
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Haystack { original: text, normalized, words, line_starts }
    }

    /// The original text.
    pub fn text(&self) -> &'t str {
        self.original
    }

    /// The 1-based line and column (in characters) of byte `offset` of the original text.
    pub fn line_col(&self, offset: usize) -> (u32, u32) {
        let line = self.line_starts.partition_point(|&s| s <= offset).max(1);
        let start = self.line_starts[line - 1];
        let column = self.original.get(start..offset).map_or(0, |s| s.chars().count());
        (line as u32, column as u32 + 1)
    }

    /// Where `quote` appears, after normalisation and with its elisions; `None` if it does not.
    pub fn find(&self, quote: &str) -> Option<Found> {
        let pieces = pieces(quote);
        let (start, end) = self.find_pieces(&pieces).or_else(|| {
            // Punctuation at the ends of a piece is the quoter's: try without it.
            let trimmed: Vec<String> = pieces
                .iter()
                .map(|p| p.trim_matches(|c: char| c.is_ascii_punctuation() || c == ' ').to_string())
                .filter(|p| !p.is_empty())
                .collect();
            self.find_pieces(&trimmed)
        })?;
        let (start, end) = self.normalized.original_span(start, end);
        let (line, column) = self.line_col(start);
        Some(Found { start, end, line, column })
    }

    /// The normalised span from the first piece's start to the last piece's end.
    fn find_pieces(&self, pieces: &[String]) -> Option<(usize, usize)> {
        let text = &self.normalized.text;
        let first = pieces.first()?;
        let mut from = 0;
        while let Some(at) = text.get(from..)?.find(first.as_str()) {
            let start = from + at;
            if self.at_word_boundary(start, start + first.len())
                && let Some(end) = self.rest_in_order(start + first.len(), &pieces[1..])
            {
                return Some((start, end));
            }
            from = start + first.chars().next().map_or(1, char::len_utf8);
        }
        None
    }

    fn rest_in_order(&self, mut at: usize, pieces: &[String]) -> Option<usize> {
        let text = &self.normalized.text;
        for piece in pieces {
            let window_end = (at + MAX_GAP + piece.len()).min(text.len());
            let window = text.get(at..window_end).or_else(|| text.get(at..))?;
            let found = window.find(piece.as_str())?;
            at = at + found + piece.len();
        }
        Some(at)
    }

    /// Whether the normalised span does not cut a word in two.
    fn at_word_boundary(&self, start: usize, end: usize) -> bool {
        let text = &self.normalized.text;
        let before = text[..start].chars().next_back();
        let after = text[end..].chars().next();
        let first = text[start..end].chars().next();
        let last = text[start..end].chars().next_back();
        let cuts = |outside: Option<char>, inside: Option<char>| matches!((outside, inside), (Some(o), Some(i)) if o.is_alphanumeric() && i.is_alphanumeric());
        !cuts(before, first) && !cuts(after, last)
    }

    /// The passage that holds the most of the quote's words in order (at least one word), with its score.
    pub fn closest(&self, quote: &str) -> Option<Passage> {
        let norm = normalize(quote);
        let wanted: Vec<&str> =
            word_spans(&norm.text).into_iter().map(|(s, e)| &norm.text[s..e]).collect();
        if wanted.is_empty() || self.words.is_empty() {
            return None;
        }
        let text = &self.normalized.text;
        let words: Vec<&str> = self.words.iter().map(|&(s, e)| &text[s..e]).collect();
        let n = wanted.len();
        let width = n + n / 2 + 2;
        // Rank windows by how many of the quote's words they hold (a sliding count), then score the
        // best of them by the words they hold in order.
        let mut candidates: Vec<(usize, usize)> = Vec::new();
        for start in 0..words.len() {
            let end = (start + width).min(words.len());
            let hits = words[start..end].iter().filter(|w| wanted.contains(w)).count();
            if hits > 0 && wanted.contains(&words[start]) {
                candidates.push((hits, start));
            }
        }
        candidates.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        candidates.truncate(32);
        let mut best: Option<(usize, usize, usize)> = None;
        for &(_, start) in &candidates {
            let end = (start + width).min(words.len());
            let (common, last) = in_order(&wanted, &words[start..end]);
            if common > 0 && best.is_none_or(|(c, s, _)| common > c || common == c && start < s) {
                best = Some((common, start, start + last + 1));
            }
        }
        let (common, mut first, last) = best?;
        // Begin where the words in order begin: the latest start that keeps them all.
        while first + 1 < last && in_order(&wanted, &words[first + 1..last]).0 == common {
            first += 1;
        }
        let (start, end) =
            self.normalized.original_span(self.words[first].0, self.words[last - 1].1);
        let (line, column) = self.line_col(start);
        Some(Passage {
            start,
            end,
            line,
            column,
            text: self.original[start..end].to_string(),
            score: common as f64 / n as f64,
        })
    }
}

/// The longest common subsequence of `a` and `b` (words), and the index in `b` of its last word.
fn in_order(a: &[&str], b: &[&str]) -> (usize, usize) {
    let mut table = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            table[i][j] = if a[i - 1] == b[j - 1] {
                table[i - 1][j - 1] + 1
            } else {
                table[i - 1][j].max(table[i][j - 1])
            };
        }
    }
    let common = table[a.len()][b.len()];
    // The first column of `b` where the full count is reached.
    let last = (1..=b.len()).find(|&j| table[a.len()][j] == common).map_or(0, |j| j - 1);
    (common, last)
}

/// The byte spans of the words (runs of letters and digits) of `s`.
pub fn word_spans(s: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        let word = c.is_alphanumeric() || (c == '\'' && start.is_some());
        match (word, start) {
            (true, None) => start = Some(i),
            (false, Some(s0)) => {
                out.push((s0, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s0) = start {
        out.push((s0, s.len()));
    }
    out.into_iter()
        .map(|(a, b)| (a, a + s[a..b].trim_end_matches('\'').len()))
        .filter(|(a, b)| b > a)
        .collect()
}

#[cfg(test)]
mod tests;

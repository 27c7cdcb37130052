//! The reader's language, from the request: `?lang=` (a choice, which the response remembers for the
//! session in the `truce_lang` cookie), then that cookie, then `Accept-Language`, then English. It is the
//! reader's choice alone: never inferred from their party or role.

use axum::http::{HeaderMap, HeaderValue, Uri, header};
use truce_i18n::Lang;

/// The language cookie's name. It holds a language code, nothing secret.
pub const LANG_COOKIE: &str = "truce_lang";

/// What a request says of its reader's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Asked {
    /// The language to write in.
    pub lang: Lang,
    /// Set when `?lang=` chose it in this request: the response remembers it.
    pub chosen: bool,
}

/// The reader's language for a request with `uri` and `headers`.
pub(crate) fn of_request(uri: &Uri, headers: &HeaderMap) -> Asked {
    if let Some(lang) = query_lang(uri) {
        return Asked { lang, chosen: true };
    }
    if let Some(lang) = crate::security::cookie(headers, LANG_COOKIE).and_then(Lang::from_code) {
        return Asked { lang, chosen: false };
    }
    let accept = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
    Asked { lang: Lang::negotiate(accept), chosen: false }
}

/// `?lang=` of `uri`, if it names a language Truce speaks (anything else is ignored, as an unknown
/// language in `Accept-Language` is).
fn query_lang(uri: &Uri) -> Option<Lang> {
    uri.query()?.split('&').find_map(|kv| kv.strip_prefix("lang=")).and_then(Lang::from_code)
}

/// `uri`'s path and query without its `lang` parameter: where the language switcher's links go.
pub(crate) fn here(uri: &Uri) -> String {
    let kept: Vec<&str> = uri
        .query()
        .unwrap_or("")
        .split('&')
        .filter(|kv| !kv.is_empty() && !kv.starts_with("lang=") && *kv != "lang")
        .collect();
    // One leading slash: a path that begins `//host` would make the switcher's links point to another
    // site (a protocol-relative reference), from a page of this one.
    let path = format!("/{}", uri.path().trim_start_matches(['/', '\\']));
    if kept.is_empty() { path } else { format!("{path}?{}", kept.join("&")) }
}

/// The address `here` in `lang`.
pub(crate) fn switch_to(here: &str, lang: Lang) -> String {
    let sep = if here.contains('?') { '&' } else { '?' };
    format!("{here}{sep}lang={}", lang.code())
}

/// The `Set-Cookie` value that remembers `lang` for the browser's session (no `Max-Age`).
pub(crate) fn cookie(lang: Lang, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    // A fixed code from `Lang`: always a valid header value.
    HeaderValue::from_str(&format!("{LANG_COOKIE}={}; Path=/; SameSite=Lax{secure}", lang.code()))
        .unwrap_or_else(|_| HeaderValue::from_static("truce_lang=en; Path=/; SameSite=Lax"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asked(uri: &str, headers: &[(&'static str, &str)]) -> Asked {
        let mut h = HeaderMap::new();
        for (k, v) in headers {
            h.append(*k, HeaderValue::from_str(v).unwrap());
        }
        of_request(&uri.parse().unwrap(), &h)
    }

    #[test]
    fn the_query_then_the_cookie_then_accept_language_choose() {
        assert_eq!(asked("/", &[]), Asked { lang: Lang::En, chosen: false });
        assert_eq!(asked("/", &[("accept-language", "uk-UA,uk;q=0.9")]).lang, Lang::Uk);
        let both = [("accept-language", "uk"), ("cookie", "truce_session=x; truce_lang=ru")];
        assert_eq!(asked("/", &both), Asked { lang: Lang::Ru, chosen: false });
        assert_eq!(asked("/ui/map?lang=en", &both), Asked { lang: Lang::En, chosen: true });
        assert_eq!(asked("/ui/map?lang=xx", &both).lang, Lang::Ru, "an unknown code is no choice");
    }

    #[test]
    fn the_switcher_keeps_the_page_and_its_query() {
        let uri: Uri = "/ui/reports/daily?date=2015-03-01&lang=uk&view=x".parse().unwrap();
        assert_eq!(here(&uri), "/ui/reports/daily?date=2015-03-01&view=x");
        assert_eq!(
            switch_to(&here(&uri), Lang::Ru),
            "/ui/reports/daily?date=2015-03-01&view=x&lang=ru"
        );
        assert_eq!(switch_to("/", Lang::Uk), "/?lang=uk");
        // A page asked at `//evil.example/x` (an error page) links to itself, not to that host.
        let uri: Uri = "//evil.example/x?lang=ru".parse().unwrap();
        assert_eq!(switch_to(&here(&uri), Lang::En), "/evil.example/x?lang=en");
    }
}

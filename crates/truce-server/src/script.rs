//! The pages' JavaScript, and what each page declares it runs.
//!
//! Every script is a file in `assets/js/` (readable, commented, one file per script), embedded with
//! `include_str!`, and a [`Script`] here: its file name, its source and its hash for the
//! Content-Security-Policy (`'sha256-…'`, the base64 SHA-256 of the source), computed once, when the
//! router is built ([`hash_all`]). `cargo xtask test` checks every file's syntax with `node --check`
//! (the tidy test `every_script_passes_node_check`).
//!
//! A page puts a script into its markup only through [`Sources`], which renders the `<script>` element
//! and records the script; the page's response carries the `Sources` as an extension, and the security
//! layer builds the page's policy from it (`security::policy`) without reading the body. What a page did
//! not render through its `Sources` is not in its policy, so it does not run.
//!
//! JSON for a page's scripts goes in a data island, [`data_island`]: the one place that writes JSON
//! inside `<script type="application/json">`.
//!
//! This module does not serve the scripts: the observer app's files (`/field/app.js`, `/field/sw.js`)
//! are served by `pages/field.rs`, from the same sources.

use std::sync::OnceLock;

use base64::Engine;
use maud::{Markup, PreEscaped, html};
use sha2::Digest;

/// One of the server's scripts.
pub(crate) struct Script {
    file: &'static str,
    source: &'static str,
    hash: OnceLock<String>,
}

impl Script {
    const fn new(file: &'static str, source: &'static str) -> Script {
        Script { file, source, hash: OnceLock::new() }
    }

    /// The file's name in `assets/js/`.
    pub(crate) fn file(&self) -> &'static str {
        self.file
    }

    /// The script, as the file holds it.
    pub(crate) fn source(&self) -> &'static str {
        self.source
    }

    /// The source's hash as a CSP source expression: `'sha256-…'` (CSP Level 3, §8.3: the digest of
    /// the element's text, base64).
    pub(crate) fn hash(&self) -> &str {
        self.hash.get_or_init(|| {
            let digest = sha2::Sha256::digest(self.source.as_bytes());
            format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(digest))
        })
    }
}

impl std::fmt::Debug for Script {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.file())
    }
}

macro_rules! scripts {
    ($($(#[doc = $doc:literal])* $name:ident => $file:literal,)*) => {
        $(
            $(#[doc = $doc])*
            pub(crate) static $name: Script =
                Script::new($file, include_str!(concat!("../assets/js/", $file)));
        )*
        /// Every script, in the order declared.
        pub(crate) static ALL: &[&Script] = &[$(&$name),*];
    };
}

scripts! {
    /// Signs entries in the browser exactly as `truce_watch::entry` encodes them (`loadKey`,
    /// `signEntry`, `submitEntry`); the pages that sign load it before their own script.
    SIGNING => "signing.js",
    /// The observation form: signs and submits once, keeps the signed entry until the log answers.
    OBSERVE => "observe.js",
    /// The verification queue's buttons.
    QUEUE => "queue.js",
    /// A party's annotation of an observation, from its entry page.
    ANNOTATE => "annotate.js",
    /// An inclusion proof checked with WebCrypto (`truceProof.verify`), for the entry page and the app.
    PROOF_CORE => "proof-core.js",
    /// The entry page's proof check, on `PROOF_CORE`.
    PROOF => "proof.js",
    /// A robustness run followed over server-sent events.
    ROBUST => "robust.js",
    /// A frontier point's package, shown when it is clicked or picked.
    FRONTIER_POINT => "frontier-point.js",
    /// The observation map, drawn with the vendored Leaflet.
    MAP => "map.js",
    /// A waiting rehearsal page polls its job and reloads when it is done.
    JOB_WAIT => "job-wait.js",
    /// The confidential preferences form's preview and submission.
    PREFS => "prefs.js",
    /// A Genius or GeniusWeb domain folder read in the browser and sent to the import endpoint.
    IMPORT => "import.js",
    /// The extraction page: an article file read into the textarea, candidates dropped from the list.
    EXTRACT => "extract.js",
    /// The observer app's media preparation (`truceMedia`), part of `/field/app.js`.
    FIELD_MEDIA => "field-media.js",
    /// The observer app itself, the last part of `/field/app.js`.
    FIELD_APP => "field-app.js",
    /// The observer app's service worker, `/field/sw.js`.
    FIELD_WORKER => "field-worker.js",
}

/// Hashes every script, once; the router calls it, so no request waits for a hash.
pub(crate) fn hash_all() {
    for s in ALL {
        s.hash();
    }
}

/// What a page runs and loads, recorded as it renders it, for its Content-Security-Policy: its inline
/// scripts, whether it loads script files from this server, and the origin of a basemap's images.
/// A page's response carries it as an extension.
#[derive(Clone, Debug, Default)]
pub(crate) struct Sources {
    inline: Vec<&'static Script>,
    files: bool,
    image_origin: Option<String>,
}

impl Sources {
    /// `script` as an inline `<script>` element, recorded.
    pub(crate) fn inline(&mut self, script: &'static Script) -> Markup {
        if !self.inline.iter().any(|s| std::ptr::eq(*s, script)) {
            self.inline.push(script);
        }
        html! { script { (PreEscaped(script.source)) } }
    }

    /// A `<script src>` of this server's (a vendored library under `/assets/`, the observer app under
    /// `/field/`), recorded: the page then allows same-origin scripts. Only this server's responses can
    /// run as scripts there: every other response is `nosniff` and not JavaScript.
    pub(crate) fn file(&mut self, src: &'static str) -> Markup {
        debug_assert!(src.starts_with("/assets/") || src.starts_with("/field/"));
        self.files = true;
        html! { script src=(src) {} }
    }

    /// Allows images from the origin of `url` (a basemap's tile template), when it is an http(s) origin
    /// made of the characters an origin may hold; anything else is left out.
    pub(crate) fn images_from(&mut self, url: &str) {
        let origin = url.split('/').take(3).collect::<Vec<_>>().join("/");
        let plain = origin.bytes().all(|b| b.is_ascii_alphanumeric() || b".-:/[]".contains(&b));
        let web = origin.starts_with("https://") || origin.starts_with("http://");
        if plain && web && origin.split('/').nth(2).is_some_and(|host| !host.is_empty()) {
            self.image_origin = Some(origin);
        }
    }

    /// The inline scripts recorded, in the order rendered.
    pub(crate) fn scripts(&self) -> &[&'static Script] {
        &self.inline
    }

    /// Whether the page loads script files from this server.
    pub(crate) fn loads_files(&self) -> bool {
        self.files
    }

    /// The origin images may also come from.
    pub(crate) fn image_origin(&self) -> Option<&str> {
        self.image_origin.as_deref()
    }
}

/// `value` as a JSON data island, `<script type="application/json" id="…">`, for a page's scripts to
/// read with `JSON.parse(….textContent)`. Every `<` is written `\u003c`, so the JSON can neither end
/// the element (`</script>`) nor open a comment that would (`<!--`); JSON.parse reads it back the same.
pub(crate) fn data_island(id: &str, value: &impl serde::Serialize) -> Markup {
    let json = serde_json::to_string(value).unwrap_or_else(|_| "null".into());
    html! { script type="application/json" id=(id) { (PreEscaped(json.replace('<', "\\u003c"))) } }
}

/// A script's messages in `lang`: for each (key, message id, variables), the message with each
/// variable written `{name}`, for the script to fill in (Fluent's own placeables stay on the server).
pub(crate) fn templates(
    lang: truce_i18n::Lang,
    messages: &[(&str, &str, &[&str])],
) -> serde_json::Map<String, serde_json::Value> {
    let w = lang.words();
    messages
        .iter()
        .map(|(key, id, vars)| {
            let slots: Vec<(String, String)> =
                vars.iter().map(|v| (v.to_string(), format!("{{{v}}}"))).collect();
            let args: Vec<(&str, truce_i18n::FluentValue)> =
                slots.iter().map(|(k, v)| (k.as_str(), v.clone().into())).collect();
            (key.to_string(), serde_json::Value::String(w.with(id, &args)))
        })
        .collect()
}

#[cfg(test)]
mod tests;

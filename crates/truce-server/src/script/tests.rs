use std::collections::BTreeSet;

use super::*;

/// Every file in `assets/js/` is a declared script, and every declared script is a file there.
#[test]
fn every_script_file_is_declared_once() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/js");
    let files: BTreeSet<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let declared: BTreeSet<String> = ALL.iter().map(|s| s.file().to_string()).collect();
    assert_eq!(declared.len(), ALL.len(), "a file declared twice");
    assert_eq!(files, declared);
    for s in ALL {
        let on_disk = std::fs::read_to_string(dir.join(s.file())).unwrap();
        assert_eq!(s.source(), on_disk, "{}", s.file());
    }
}

/// No script can end its own element or open a comment that would change where it ends (HTML's
/// "script data" states), so a page holds exactly the bytes hashed.
#[test]
fn no_script_can_end_its_element() {
    for s in ALL {
        let lower = s.source().to_ascii_lowercase();
        for bad in ["</script", "<!--", "<script"] {
            assert!(!lower.contains(bad), "{} holds {bad}", s.file());
        }
    }
}

/// The hash is CSP's: the example of CSP Level 3 §8.3 ("sha256-qznLcsROx…").
#[test]
fn the_hash_is_the_csp_source_expression() {
    let s = Script::new("example.js", "alert('Hello, world.');");
    assert_eq!(s.hash(), "'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng='");
}

/// A page records each script it renders, once, and what it loads.
#[test]
fn sources_record_what_the_page_renders() {
    let mut sources = Sources::default();
    let a = sources.inline(&SIGNING);
    let b = sources.inline(&QUEUE);
    let again = sources.inline(&SIGNING);
    assert_eq!(a.into_string(), format!("<script>{}</script>", SIGNING.source()));
    assert!(b.into_string().starts_with("<script>"));
    assert_eq!(again.into_string(), format!("<script>{}</script>", SIGNING.source()));
    assert_eq!(sources.scripts().len(), 2);
    assert!(!sources.loads_files());
    let tag = sources.file("/assets/leaflet-1.9.4/leaflet.js");
    assert_eq!(tag.into_string(), "<script src=\"/assets/leaflet-1.9.4/leaflet.js\"></script>");
    assert!(sources.loads_files());
}

/// Only an http(s) origin of plain characters is allowed for images.
#[test]
fn a_basemap_gives_its_origin_only() {
    for (url, want) in [
        ("https://tiles.example.org/{z}/{x}/{y}.png", Some("https://tiles.example.org")),
        ("http://[::1]:8080/t/{z}/{x}/{y}", Some("http://[::1]:8080")),
        ("javascript:alert(1)", None),
        ("https://a.example' 'unsafe-inline/{z}", None),
        ("https:///{z}", None),
        ("data:image/png;base64,AAAA", None),
    ] {
        let mut s = Sources::default();
        s.images_from(url);
        assert_eq!(s.image_origin(), want, "{url}");
    }
}

/// A data island cannot end its element, and reads back as the same value.
#[test]
fn a_data_island_cannot_end_its_element() {
    let value = serde_json::json!({"note": "</script><script>alert(1)</script><!--", "n": 1});
    let island = data_island("d", &value).into_string();
    let inner = island
        .strip_prefix("<script type=\"application/json\" id=\"d\">")
        .and_then(|s| s.strip_suffix("</script>"))
        .unwrap();
    assert!(!inner.contains('<'), "{inner}");
    let back: serde_json::Value = serde_json::from_str(inner).unwrap();
    assert_eq!(back, value);
}

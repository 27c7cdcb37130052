//! Fuzzes the gazetteer's parser: no input panics; an accepted file's places all have a name and
//! coordinates in range, and looking a point up or searching never panics.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let (places, regions) = text.split_once('\u{0}').unwrap_or((text, ""));
        for (p, r) in [((("p.tsv", places)), truce_watch::gazetteer::REGIONS), (truce_watch::gazetteer::PLACES, ("r.tsv", regions))] {
            if let Ok(g) = truce_watch::gazetteer::Gazetteer::parse(p, r) {
                for place in g.places() {
                    assert!(!place.names.en.is_empty());
                    assert!((-90.0..=90.0).contains(&place.lat) && (-180.0..=180.0).contains(&place.lon));
                    let _ = g.nearest(place.lat, place.lon);
                }
                let _ = g.search(places.get(..3).unwrap_or(""), 5);
            }
        }
    }
});

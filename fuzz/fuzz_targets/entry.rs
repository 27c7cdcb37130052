//! Fuzzes the entry decoder and the registry, the observation JSON reader and the key-file reader: no
//! input panics. The input, one entry a line, is also replayed as a log against Minsk II: whatever the
//! log accepts, compliance, the exports and the daily report's map are computed without a panic, and
//! the map's frame never collapses (issue 21).
#![no_main]

use std::sync::OnceLock;

fn minsk() -> &'static truce_accord::Agreement {
    static AGREEMENT: OnceLock<truce_accord::Agreement> = OnceLock::new();
    AGREEMENT.get_or_init(|| {
        let text = include_str!("../../accords/minsk-2015.toml");
        truce_accord::parse("minsk-2015.toml", text).0.expect("the Minsk II agreement parses")
    })
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if truce_watch::entry::decode(data).is_ok() {
        let mut registry = truce_watch::registry::Registry::default();
        let _ = registry.apply_bytes(data);
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let (o, d) = truce_watch::input::parse_observation("fuzz.json", text);
        assert!(o.is_some() == d.is_empty());
        let _ = truce_watch::entry::KeyFile::parse(text);
    }
    let a = minsk();
    let mut compliance = truce_watch::compliance::Compliance::new(a);
    for chunk in data.split(|b| *b == b'\n') {
        compliance.apply(chunk);
    }
    let registry = compliance.registry();
    let (Some(mission), Some(day)) = (&registry.mission, registry.last_day()) else { return };
    let _ = compliance.evaluate(mission.end);
    let view = truce_watch::boundary::view(truce_watch::boundary::DEFAULT_VIEW)
        .expect("the default boundary view");
    let _ = truce_watch::export::geojson(registry);
    let _ = truce_watch::export::csv(registry).expect("the CSV export");
    let _ = truce_watch::export::acled(registry, view, &mission.name).expect("the ACLED export");
    let map = truce_watch::report::daily(a, &compliance, day, view).map_svg(a, view);
    let frame = map.split("viewBox=\"0 0 ").nth(1).and_then(|r| r.split('"').next()).unwrap_or("");
    let sides: Vec<f64> = frame.split(' ').filter_map(|x| x.parse().ok()).collect();
    assert!(
        sides.len() == 2
            && sides[1].is_finite()
            && sides[1] >= sides[0] / 4.0
            && sides[1] <= sides[0] * 2.0,
        "viewBox {frame:?}"
    );
});

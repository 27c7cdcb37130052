//! The vendored npm files the pages load (Leaflet and Leaflet.markercluster, unchanged from the
//! registry; `vendor/npm/README.md` names versions, licences and checksums), embedded in the binary
//! and served under `/assets/`, so that the map works with no connection.

/// Path under `/assets/`, content type, bytes.
const ASSETS: &[(&str, &str, &[u8])] = &[
    (
        "leaflet-1.9.4/leaflet.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../../vendor/npm/leaflet-1.9.4/leaflet.js"),
    ),
    (
        "leaflet-1.9.4/leaflet.css",
        "text/css; charset=utf-8",
        include_bytes!("../../../vendor/npm/leaflet-1.9.4/leaflet.css"),
    ),
    (
        "leaflet-1.9.4/LICENSE",
        "text/plain; charset=utf-8",
        include_bytes!("../../../vendor/npm/leaflet-1.9.4/LICENSE"),
    ),
    (
        "leaflet-1.9.4/images/layers.png",
        "image/png",
        include_bytes!("../../../vendor/npm/leaflet-1.9.4/images/layers.png"),
    ),
    (
        "leaflet-1.9.4/images/layers-2x.png",
        "image/png",
        include_bytes!("../../../vendor/npm/leaflet-1.9.4/images/layers-2x.png"),
    ),
    (
        "leaflet-1.9.4/images/marker-icon.png",
        "image/png",
        include_bytes!("../../../vendor/npm/leaflet-1.9.4/images/marker-icon.png"),
    ),
    (
        "leaflet-1.9.4/images/marker-icon-2x.png",
        "image/png",
        include_bytes!("../../../vendor/npm/leaflet-1.9.4/images/marker-icon-2x.png"),
    ),
    (
        "leaflet-1.9.4/images/marker-shadow.png",
        "image/png",
        include_bytes!("../../../vendor/npm/leaflet-1.9.4/images/marker-shadow.png"),
    ),
    (
        "leaflet.markercluster-1.5.3/leaflet.markercluster.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../../vendor/npm/leaflet.markercluster-1.5.3/leaflet.markercluster.js"),
    ),
    (
        "leaflet.markercluster-1.5.3/MarkerCluster.css",
        "text/css; charset=utf-8",
        include_bytes!("../../../vendor/npm/leaflet.markercluster-1.5.3/MarkerCluster.css"),
    ),
    (
        "leaflet.markercluster-1.5.3/MarkerCluster.Default.css",
        "text/css; charset=utf-8",
        include_bytes!("../../../vendor/npm/leaflet.markercluster-1.5.3/MarkerCluster.Default.css"),
    ),
    (
        "leaflet.markercluster-1.5.3/MIT-LICENCE.txt",
        "text/plain; charset=utf-8",
        include_bytes!("../../../vendor/npm/leaflet.markercluster-1.5.3/MIT-LICENCE.txt"),
    ),
];

/// The asset at `path` (under `/assets/`): its content type and bytes.
pub(crate) fn asset(path: &str) -> Option<(&'static str, &'static [u8])> {
    ASSETS.iter().find(|(p, _, _)| *p == path).map(|(_, kind, bytes)| (*kind, *bytes))
}

//! Exports of the observation record: GeoJSON, CSV, and an ACLED-like CSV. Deterministic, versioned
//! (`truce.export/1`), and honest about layers: an observation is never attributed in an export unless
//! a verifier's attribution entry (medium or high confidence) says so, and a country appears only in the
//! ACLED-like export, derived from the chosen boundary view, which each row names.
//!
//! Superseded and rejected observations are left out; their replacements carry their own log index.
//!
//! Every cell of the CSV and ACLED-like exports, whatever its source, goes through [`cell`]: the log's
//! rules keep times and numbers in their forms, but an export must stay safe to open in a spreadsheet
//! even from a registry that an older, laxer replica built.

use serde_json::json;

use crate::Error;
use crate::boundary::View;
use crate::entry::{Confidence, VerificationState};
use crate::registry::{Recorded, Registry};

/// The mapper version written into every export.
pub const MAPPER: &str = "truce.export/1";

fn current(registry: &Registry) -> impl Iterator<Item = &Recorded> {
    registry
        .observations
        .values()
        .filter(|r| r.superseded_by.is_none() && r.state != VerificationState::Rejected)
}

fn attributed(r: &Recorded) -> Vec<String> {
    let mut parties: Vec<String> = r
        .attributions
        .iter()
        .filter(|(_, _, c)| *c >= Confidence::Medium)
        .map(|(_, p, _)| p.clone())
        .collect();
    parties.sort();
    parties.dedup();
    parties
}

/// A GeoJSON FeatureCollection (RFC 7946) of the observed events; `place` is the nearest place of the
/// gazetteer within [`crate::gazetteer::NEAR_KM`] (`null` beyond), with the distance and the direction from it.
pub fn geojson(registry: &Registry) -> String {
    let features: Vec<_> = current(registry)
        .map(|r| {
            let o = &r.observation;
            let [lon, lat] = o.event();
            let place = crate::gazetteer::shipped().nearest(lat, lon).map(|n| {
                json!({
                    "geonameid": n.place.id,
                    "name": n.place.names.en,
                    "admin1": n.region.map(|r| r.short.as_str()),
                    "km": n.whole_km(),
                    "direction": n.direction(),
                })
            });
            json!({
                "type": "Feature",
                "id": r.index,
                "geometry": {"type": "Point", "coordinates": [round6(lon), round6(lat)]},
                "properties": {
                    "log_index": r.index,
                    "class": o.class,
                    "count": o.count,
                    "approximate": o.approximate,
                    "start": o.start,
                    "end": o.end,
                    "sensor": o.sensor,
                    "observer_controlled_by": o.controlled_by,
                    "observer_lon": round6(o.observer()[0]),
                    "observer_lat": round6(o.observer()[1]),
                    "bearing_deg": o.bearing_deg,
                    "distance_m": o.distance_m,
                    "weapon_class": o.weapon.as_ref().map(|w| w.class.clone()),
                    "calibre_mm": o.weapon.as_ref().and_then(|w| w.calibre_mm),
                    "verification": r.state.as_str(),
                    "attributed_to": attributed(r),
                    "media_sha256": o.media,
                    "place": place,
                }
            })
        })
        .collect();
    let doc = json!({"type": "FeatureCollection", "mapper": MAPPER, "features": features});
    format!("{}\n", serde_json::to_string_pretty(&doc).unwrap_or_default())
}

/// The agreement's zones as a GeoJSON FeatureCollection, for a map to draw: lines as LineStrings,
/// areas as Polygons, and each buffer ("within 25 km of the contact line") as the MultiPolygon of its
/// outline ([`truce_accord::geo::buffer_outlines`], wound to be filled with the non-zero rule).
/// Properties: `id`, `name`, `kind`, and for a buffer its `line` and `km`.
pub fn zones_geojson(a: &truce_accord::Agreement) -> String {
    use truce_accord::Shape;
    let r6 = |p: &[f64; 2]| [round6(p[0]), round6(p[1])];
    let features: Vec<_> = a
        .zones
        .iter()
        .map(|z| {
            let (geometry, line, km) = match &z.shape {
                Shape::Line(points) => (
                    json!({"type": "LineString", "coordinates": points.iter().map(r6).collect::<Vec<_>>()}),
                    None,
                    None,
                ),
                Shape::Polygon(rings) => (
                    json!({"type": "Polygon", "coordinates": rings.iter().map(|r| r.iter().map(r6).collect::<Vec<_>>()).collect::<Vec<_>>()}),
                    None,
                    None,
                ),
                Shape::Buffer { line, points, km } => {
                    let outlines = truce_accord::geo::buffer_outlines(points, *km, 16);
                    let polygons: Vec<Vec<Vec<[f64; 2]>>> =
                        outlines.iter().map(|r| vec![r.iter().map(r6).collect()]).collect();
                    (json!({"type": "MultiPolygon", "coordinates": polygons}), Some(line.clone()), Some(*km))
                }
            };
            json!({
                "type": "Feature",
                "id": z.id,
                "geometry": geometry,
                "properties": {"id": z.id, "name": z.name, "kind": z.kind, "line": line, "km": km},
            })
        })
        .collect();
    format!("{}\n", json!({"type": "FeatureCollection", "features": features}))
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// A CSV cell: the CSV writer quotes it, so it stays in its cell; a leading `=`, `+`, `-`, `@`, tab or
/// carriage return, which a spreadsheet would run as a formula, gets a `'` in front. A plain decimal
/// number (`-37.600000`, `12`) is left as it is: a spreadsheet reads it as a number, never a formula.
pub fn cell(s: &str) -> String {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') if !plain_number(s) => format!("'{s}"),
        _ => s.to_string(),
    }
}

/// Whether `s` is an optional `-`, digits, and optionally `.` and more digits.
fn plain_number(s: &str) -> bool {
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    let unsigned = s.strip_prefix('-').unwrap_or(s);
    match unsigned.split_once('.') {
        Some((whole, fraction)) => digits(whole) && digits(fraction),
        None => digits(unsigned),
    }
}

/// Writes one record, every cell through [`cell`].
fn record<W: std::io::Write>(w: &mut csv::Writer<W>, fields: &[String]) -> Result<(), Error> {
    w.write_record(fields.iter().map(|f| cell(f))).map_err(|e| Error::Malformed(e.to_string()))
}

/// A CSV of the observed events, one row each.
pub fn csv(registry: &Registry) -> Result<String, Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let io = |e: csv::Error| Error::Malformed(e.to_string());
    w.write_record([
        "log_index",
        "start",
        "end",
        "class",
        "count",
        "approximate",
        "sensor",
        "observer_lat",
        "observer_lon",
        "observer_controlled_by",
        "bearing_deg",
        "distance_m",
        "event_lat",
        "event_lon",
        "weapon_class",
        "calibre_mm",
        "verification",
        "attributed_to",
        "mapper",
    ])
    .map_err(io)?;
    for r in current(registry) {
        let o = &r.observation;
        let [elon, elat] = o.event();
        record(
            &mut w,
            &[
                r.index.to_string(),
                o.start.clone(),
                o.end.clone(),
                o.class.clone(),
                o.count.to_string(),
                o.approximate.to_string(),
                o.sensor.clone(),
                format!("{:.6}", o.observer()[1]),
                format!("{:.6}", o.observer()[0]),
                o.controlled_by.clone(),
                o.bearing_deg.map(|b| b.to_string()).unwrap_or_default(),
                o.distance_m.map(|d| d.to_string()).unwrap_or_default(),
                format!("{elat:.6}"),
                format!("{elon:.6}"),
                o.weapon.as_ref().map(|w| w.class.clone()).unwrap_or_default(),
                o.weapon
                    .as_ref()
                    .and_then(|w| w.calibre_mm)
                    .map(|c| c.to_string())
                    .unwrap_or_default(),
                r.state.as_str().to_string(),
                attributed(r).join(";"),
                MAPPER.to_string(),
            ],
        )?;
    }
    let bytes = w.into_inner().map_err(|e| Error::Malformed(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| Error::Malformed(e.to_string()))
}

/// ACLED's event and sub-event types for an observation class, with tags; `None` when the class is not
/// an event in ACLED's sense (patrols).
fn acled_type(
    r: &Recorded,
    attributed: &[String],
) -> Option<(&'static str, &'static str, &'static str)> {
    let o = &r.observation;
    Some(match o.class.as_str() {
        "explosion" | "projectile" => {
            ("Explosions/Remote violence", "Shelling/artillery/missile attack", "")
        }
        "burst" | "shot" if attributed.len() >= 2 => ("Battles", "Armed clash", ""),
        "burst" | "shot" => {
            ("Strategic developments", "Other", "small-arms fire; unattributed or one-sided")
        }
        "weapon_sighting" => ("Strategic developments", "Other", "weapons sighting"),
        "access_restriction" => ("Strategic developments", "Other", "monitor-access"),
        "patrol" => return None,
        _ => ("Strategic developments", "Other", "other observation"),
    })
}

/// An ACLED-like CSV: ACLED's column names, Truce's own event ids (`TRUCE-OBS-<log index>`, never
/// colliding with ACLED's), the country from `view` (named in each row), actors only from attributions.
pub fn acled(registry: &Registry, view: &View, mission: &str) -> Result<String, Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let io = |e: csv::Error| Error::Malformed(e.to_string());
    w.write_record([
        "event_id_cnty",
        "event_date",
        "year",
        "time_precision",
        "disorder_type",
        "event_type",
        "sub_event_type",
        "actor1",
        "inter1",
        "actor2",
        "inter2",
        "interaction",
        "civilian_targeting",
        "country",
        "admin1",
        "location",
        "latitude",
        "longitude",
        "geo_precision",
        "source",
        "source_scale",
        "notes",
        "fatalities",
        "tags",
        "timestamp",
        "boundary_view",
        "mapper",
    ])
    .map_err(io)?;
    for r in current(registry) {
        let parties = attributed(r);
        let Some((event_type, sub_type, tag)) = acled_type(r, &parties) else { continue };
        let o = &r.observation;
        let Ok(day) = o.day() else { continue };
        let [lon, lat] = o.event();
        let country = view.country_at([lon, lat]).map(|c| c.name.clone()).unwrap_or_default();
        // ACLED's `location` is the nearest named place and `admin1` its region: the gazetteer's, within
        // NEAR_KM; farther than that, both stay empty.
        let near = crate::gazetteer::shipped().nearest(lat, lon);
        let location = near.map(|n| n.place.names.en.clone()).unwrap_or_default();
        let admin1 = near.and_then(|n| n.region).map(|r| r.short.clone()).unwrap_or_default();
        let disorder = if event_type == "Strategic developments" {
            "Strategic developments"
        } else {
            "Political violence"
        };
        let estimated = o.bearing_deg.is_some() && o.distance_m.is_some();
        let mut notes = format!(
            "{} {} {} ({} sensor), observer in an area controlled by {} as observed; verification: {}",
            if o.approximate { "about" } else { "" },
            o.count,
            o.class,
            o.sensor,
            o.controlled_by,
            r.state.as_str()
        );
        if let Some(wp) = &o.weapon {
            notes.push_str(&format!("; weapon assessed as {}", wp.class));
        }
        record(
            &mut w,
            &[
                format!("TRUCE-OBS-{}", r.index),
                day.to_string(),
                day.year().to_string(),
                "1".to_string(),
                disorder.to_string(),
                event_type.to_string(),
                sub_type.to_string(),
                parties.first().cloned().unwrap_or_default(),
                String::new(),
                parties.get(1).cloned().unwrap_or_default(),
                String::new(),
                String::new(),
                String::new(),
                country,
                admin1,
                location,
                format!("{lat:.4}"),
                format!("{lon:.4}"),
                if estimated { "2" } else { "1" }.to_string(),
                format!("{mission} observer report"),
                "Local".to_string(),
                notes.trim_start().to_string(),
                "0".to_string(),
                tag.to_string(),
                o.end.clone(),
                view.id.to_string(),
                MAPPER.to_string(),
            ],
        )?;
    }
    let bytes = w.into_inner().map_err(|e| Error::Malformed(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| Error::Malformed(e.to_string()))
}

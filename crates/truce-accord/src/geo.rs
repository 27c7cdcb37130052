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

/// The initial bearing from `from` to `to`, in degrees (0 = north, clockwise), on the same local
/// projection as [`offset`].
pub fn bearing_deg(from: Point, to: Point) -> f64 {
    let lat0 = (from[1] + to[1]) / 2.0;
    let (ax, ay) = project(from, lat0);
    let (bx, by) = project(to, lat0);
    (bx - ax).atan2(by - ay).to_degrees().rem_euclid(360.0)
}

/// The outline of everything within `km` of the polyline `line`, for drawing: one "stadium" per
/// segment (the segment's two sides joined by half circles of `arc_steps` steps around its ends),
/// all wound the same way, so that a renderer filling with the non-zero rule draws their union. A
/// single point gives a circle.
pub fn buffer_outlines(line: &[Point], km: f64, arc_steps: usize) -> Vec<Vec<Point>> {
    let steps = arc_steps.max(2);
    let arc = |centre: Point, from_deg: f64, out: &mut Vec<Point>| {
        for k in 0..=steps {
            out.push(offset(centre, from_deg + 180.0 * k as f64 / steps as f64, km));
        }
    };
    match line {
        [] => Vec::new(),
        [p] => {
            let mut ring: Vec<Point> =
                (0..2 * steps).map(|k| offset(*p, 180.0 * k as f64 / steps as f64, km)).collect();
            ring.push(ring[0]);
            vec![ring]
        }
        _ => line
            .windows(2)
            .map(|w| {
                let (a, b) = (w[0], w[1]);
                let theta = bearing_deg(a, b);
                let mut ring = Vec::with_capacity(2 * steps + 3);
                // Left of A→B, round B's end clockwise, right side back, round A's end.
                arc(b, theta - 90.0, &mut ring);
                arc(a, theta + 90.0, &mut ring);
                ring.push(ring[0]);
                ring
            })
            .collect(),
    }
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

#[cfg(test)]
mod buffer_tests {
    use super::*;

    /// Each segment's outline lies `km` from that segment (to the projection's accuracy), never
    /// farther than `km` from the line, and encloses the segment.
    #[test]
    fn a_buffer_outline_is_km_from_its_line() {
        let line = [[37.6, 47.9], [38.0, 48.1], [38.6, 48.0]];
        let rings = buffer_outlines(&line, 25.0, 12);
        assert_eq!(rings.len(), 2);
        for (k, ring) in rings.iter().enumerate() {
            assert_eq!(ring.first(), ring.last());
            for p in ring {
                let own = distance_to_line_km(*p, &line[k..k + 2]);
                assert!((own - 25.0).abs() < 0.5, "{p:?} is {own} km from segment {k}");
                assert!(distance_to_line_km(*p, &line) <= 25.5);
            }
            let mid = [(line[k][0] + line[k + 1][0]) / 2.0, (line[k][1] + line[k + 1][1]) / 2.0];
            assert!(in_polygon(mid, std::slice::from_ref(ring)));
        }
        assert!((bearing_deg([30.0, 50.0], [30.0, 51.0]) - 0.0).abs() < 1e-9);
        assert!((bearing_deg([30.0, 50.0], [31.0, 50.0]) - 90.0).abs() < 1e-6);
        assert_eq!(buffer_outlines(&[[30.0, 50.0]], 10.0, 8)[0].len(), 17);
    }
}

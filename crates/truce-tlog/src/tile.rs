//! C2SP `tlog-tiles`: tile coordinates, paths, and entry bundles.

use crate::Error;
use crate::merkle::Hash;

/// Hashes per full tile.
pub const TILE_WIDTH: u64 = 256;
/// Tree levels per tile level (tiles have height 8).
pub const TILE_HEIGHT: u8 = 8;
/// The largest entry an entry bundle can hold (uint16 length prefix).
pub const MAX_ENTRY: usize = 65_535;

/// A hash tile or an entry bundle: level (`None` for entries), index, and width (256 when full).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Tile {
    /// Tile level (0 = leaf hashes), or `None` for an entry bundle.
    pub level: Option<u8>,
    /// Index of the tile in its level.
    pub index: u64,
    /// Number of hashes (or entries), 1 to 256.
    pub width: u16,
}

impl Tile {
    /// The path under the log prefix, e.g. `tile/0/x001/234/067.p/5` (tlog-tiles §"Tiles").
    pub fn path(&self) -> String {
        let level = match self.level {
            Some(l) => l.to_string(),
            None => "entries".to_string(),
        };
        let mut path = format!("tile/{level}/{}", index_path(self.index));
        if self.is_partial() {
            path.push_str(&format!(".p/{}", self.width));
        }
        path
    }

    /// Whether this is a partial tile or bundle: fewer than 256 hashes or entries, at the right edge of
    /// a tree. Its path ends in `.p/<width>` (tlog-tiles §"Partial tiles").
    pub fn is_partial(&self) -> bool {
        u64::from(self.width) < TILE_WIDTH
    }

    /// Parses a tile path; the inverse of [`Tile::path`].
    pub fn parse(path: &str) -> Result<Tile, Error> {
        let bad = |why: &str| Error::Tile(format!("{path:?}: {why}"));
        let rest = path.strip_prefix("tile/").ok_or_else(|| bad("does not start with tile/"))?;
        let (level_part, rest) = rest.split_once('/').ok_or_else(|| bad("no index"))?;
        let level = if level_part == "entries" {
            None
        } else {
            if level_part.is_empty()
                || (level_part.len() > 1 && level_part.starts_with('0'))
                || !level_part.bytes().all(|b| b.is_ascii_digit())
            {
                return Err(bad("level must be a decimal number without leading zeros"));
            }
            let l: u8 = level_part.parse().map_err(|_| bad("level out of range"))?;
            if l > 63 {
                return Err(bad("level above 63"));
            }
            Some(l)
        };
        let (index_part, width) = match rest.split_once(".p/") {
            Some((i, w)) => {
                if w.is_empty() || w.starts_with('0') || !w.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(bad("partial width must be 1 to 255 without leading zeros"));
                }
                let w: u16 = w.parse().map_err(|_| bad("partial width out of range"))?;
                if !(1..=255).contains(&w) {
                    return Err(bad("partial width must be 1 to 255"));
                }
                (i, w)
            }
            None => (rest, TILE_WIDTH as u16),
        };
        let elements: Vec<&str> = index_part.split('/').collect();
        let mut index: u64 = 0;
        for (k, element) in elements.iter().enumerate() {
            let digits = if k + 1 < elements.len() {
                element.strip_prefix('x').ok_or_else(|| bad("inner index elements start with x"))?
            } else {
                element
            };
            if digits.len() != 3 || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad("index elements are three digits"));
            }
            index = index
                .checked_mul(1000)
                .and_then(|i| i.checked_add(digits.parse::<u64>().unwrap_or(0)))
                .ok_or_else(|| bad("index too large"))?;
        }
        let tile = Tile { level, index, width };
        if tile.path() != path {
            return Err(bad("not in canonical form"));
        }
        Ok(tile)
    }
}

/// The entry bundle that holds entry `index` in a log of `size` entries (partial at the right edge), or
/// `None` if the log has no such entry. Its [`Tile::path`] is where a reader finds the entry.
pub fn entry_bundle(index: u64, size: u64) -> Option<Tile> {
    if index >= size {
        return None;
    }
    let bundle = index / TILE_WIDTH;
    let width = (size - bundle * TILE_WIDTH).min(TILE_WIDTH) as u16;
    Some(Tile { level: None, index: bundle, width })
}

/// The number of entry bundles (full and partial) in a log of `size` entries.
pub fn bundle_count(size: u64) -> u64 {
    size.div_ceil(TILE_WIDTH)
}

/// `1234067` → `x001/x234/067`.
fn index_path(mut n: u64) -> String {
    let mut parts = vec![format!("{:03}", n % 1000)];
    n /= 1000;
    while n > 0 {
        parts.push(format!("x{:03}", n % 1000));
        n /= 1000;
    }
    parts.reverse();
    parts.join("/")
}

/// The number of hashes at tile level `level` in a tree of `size` entries: `size / 256^level`.
pub fn hashes_at(size: u64, level: u8) -> u64 {
    if u32::from(level) * 8 >= 64 { 0 } else { size >> (u32::from(level) * 8) }
}

/// Every tile (full and the right-edge partial one) at every level, for a tree of `size` entries.
pub fn tiles_for_size(size: u64) -> Vec<Tile> {
    let mut out = Vec::new();
    for level in 0..=63u8 {
        let n = hashes_at(size, level);
        if n == 0 {
            break;
        }
        for index in 0..n / TILE_WIDTH {
            out.push(Tile { level: Some(level), index, width: TILE_WIDTH as u16 });
        }
        if !n.is_multiple_of(TILE_WIDTH) {
            out.push(Tile {
                level: Some(level),
                index: n / TILE_WIDTH,
                width: (n % TILE_WIDTH) as u16,
            });
        }
    }
    out
}

/// The width of tile (`level`, `index`) in a tree of `size` entries, or `None` if the tile is not in it.
pub fn tile_width(size: u64, level: u8, index: u64) -> Option<u16> {
    let n = hashes_at(size, level);
    let start = index.checked_mul(TILE_WIDTH)?;
    if start >= n {
        return None;
    }
    Some((n - start).min(TILE_WIDTH) as u16)
}

/// Parses the hashes of a tile of `width` hashes.
pub fn parse_hashes(data: &[u8], width: u16) -> Result<Vec<Hash>, Error> {
    if data.len() != 32 * usize::from(width) {
        return Err(Error::Tile(format!(
            "a tile of width {width} has {} bytes, not {}",
            data.len(),
            32 * usize::from(width)
        )));
    }
    // `chunks_exact(32)` yields 32-byte slices only, so the conversion cannot fail.
    Ok(data.chunks_exact(32).map(|c| c.try_into().expect("32-byte chunk")).collect())
}

/// Appends `entry` to an entry bundle: a big-endian u16 length, then the bytes (tlog-tiles §"Entry bundles").
pub fn push_entry(bundle: &mut Vec<u8>, entry: &[u8]) -> Result<(), Error> {
    let len = u16::try_from(entry.len())
        .map_err(|_| Error::Tile(format!("entry of {} bytes exceeds {MAX_ENTRY}", entry.len())))?;
    bundle.extend_from_slice(&len.to_be_bytes());
    bundle.extend_from_slice(entry);
    Ok(())
}

/// Splits an entry bundle into its entries.
pub fn parse_bundle(data: &[u8]) -> Result<Vec<&[u8]>, Error> {
    let mut out = Vec::new();
    let mut rest = data;
    while !rest.is_empty() {
        if rest.len() < 2 {
            return Err(Error::Tile("truncated entry length".into()));
        }
        let len = usize::from(u16::from_be_bytes([rest[0], rest[1]]));
        if rest.len() < 2 + len {
            return Err(Error::Tile("truncated entry".into()));
        }
        out.push(&rest[2..2 + len]);
        rest = &rest[2 + len..];
    }
    Ok(out)
}

use proptest::prelude::*;

use crate::cache::TileCache;

/// What the cache should hold: (path, length), least recently used first.
#[derive(Default)]
struct Model {
    max_bytes: usize,
    files: Vec<(String, usize)>,
}

impl Model {
    fn get(&mut self, path: &str) -> Option<usize> {
        let at = self.files.iter().position(|(p, _)| p == path)?;
        let file = self.files.remove(at);
        self.files.push(file);
        self.files.last().map(|f| f.1)
    }

    fn insert(&mut self, path: &str, len: usize) {
        self.files.retain(|(p, _)| p != path);
        if len > self.max_bytes {
            return;
        }
        self.files.push((path.to_string(), len));
        while self.files.iter().map(|f| f.1).sum::<usize>() > self.max_bytes {
            self.files.remove(0);
        }
    }
}

#[derive(Debug, Clone)]
enum Op {
    Get(u8),
    Insert(u8, usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0u8..12).prop_map(Op::Get),
        (0u8..12, 0usize..5_000).prop_map(|(k, len)| Op::Insert(k, len)),
    ]
}

proptest! {
    /// Whatever is read and written, the cache holds at most its bound, and exactly the files a least
    /// recently used cache of that bound holds.
    #[test]
    fn the_cache_stays_within_its_bound_and_drops_the_least_recently_used(
        max_bytes in 0usize..20_000,
        ops in proptest::collection::vec(op(), 0..200),
    ) {
        let mut cache = TileCache::new(max_bytes);
        let mut model = Model { max_bytes, ..Model::default() };
        for op in ops {
            match op {
                Op::Get(k) => {
                    let path = format!("tile/0/{k:03}");
                    let got = cache.get(&path);
                    prop_assert_eq!(got.as_ref().map(Vec::len), model.get(&path));
                    if let Some(data) = got {
                        prop_assert!(data.iter().all(|b| *b == k));
                    }
                }
                Op::Insert(k, len) => {
                    let path = format!("tile/0/{k:03}");
                    cache.insert(&path, vec![k; len]);
                    model.insert(&path, len);
                }
            }
            prop_assert!(cache.bytes() <= max_bytes);
            prop_assert_eq!(cache.bytes(), model.files.iter().map(|f| f.1).sum::<usize>());
            prop_assert_eq!(cache.len(), model.files.len());
        }
    }
}

#[test]
fn a_full_cache_drops_the_file_read_longest_ago() {
    let tile = |k: u8| vec![k; 8192];
    let mut cache = TileCache::new(3 * 8192);
    for k in 0..3 {
        cache.insert(&format!("tile/0/{k:03}"), tile(k));
    }
    // Reading the oldest makes it the newest: the next insert drops the second instead.
    assert_eq!(cache.get("tile/0/000"), Some(tile(0)));
    cache.insert("tile/0/003", tile(3));
    assert_eq!(cache.get("tile/0/001"), None);
    assert_eq!(cache.get("tile/0/000"), Some(tile(0)));
    assert_eq!((cache.len(), cache.bytes()), (3, 3 * 8192));
    // A file larger than the whole bound is not kept, and drops nothing.
    cache.insert("tile/entries/000", vec![9; 4 * 8192]);
    assert_eq!(cache.get("tile/entries/000"), None);
    assert_eq!(cache.len(), 3);
}

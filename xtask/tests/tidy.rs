//! The architecture's invariants, checked on the source (ARCHITECTURE.md, "Architecture invariants"):
//!
//! - the core crates do no file, network or process I/O and print nothing (the log's `storage`, `fs`
//!   and `layout` modules, which own its files, excepted);
//! - library code has no `unwrap` or `expect` outside tests unless a comment says why it cannot fail;
//! - neither top floor (the `truce` binary, `truce-server`) has a circle of imports among its modules,
//!   and no module of the binary calls back into its crate root (`main.rs`), which declares them all;
//! - every endpoint is in the OpenAPI document (tested in `truce-server`:
//!   `the_openapi_document_covers_every_endpoint_and_events_stream_appends`);
//! - no string literal in `truce-server` is over 4 KiB: scripts are files in its `assets/js/`, and
//!   every one of them passes `node --check` (Debian's `nodejs`, which `cargo xtask test` installs).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The `.rs` files under `dir`, except test files (`tests.rs`, anything under a `tests/` directory).
fn sources(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if path.is_dir() {
                if name != "tests" {
                    stack.push(path);
                }
            } else if name.ends_with(".rs") && name != "tests.rs" {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The lines of a source file that are not test code (a `#[cfg(test)]` module runs to the end of the
/// file, by this project's convention) and not comments, with their 1-based numbers.
fn code_lines(path: &Path) -> Vec<(usize, String, String)> {
    let text = std::fs::read_to_string(path).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (k, line) in lines.iter().enumerate() {
        if line.trim_start().starts_with("#[cfg(test)]") {
            break;
        }
        let trimmed = line.trim_start();
        if trimmed.starts_with("//") {
            continue;
        }
        let previous = if k > 0 { lines[k - 1].to_string() } else { String::new() };
        out.push((k + 1, line.to_string(), previous));
    }
    out
}

const CORE: &[&str] = &[
    "truce-syntax",
    "truce-i18n",
    "truce-scenario",
    "truce-table",
    "truce-sim",
    "truce-report",
    "truce-accord",
    "truce-watch",
    "truce-tlog",
];

/// Files of the core crates that own I/O: the log's storage and directory layout, its directory reader,
/// and the witness's file-backed state.
const CORE_IO: &[&str] = &["storage.rs", "fs.rs", "layout.rs"];

#[test]
fn core_crates_do_no_io_and_print_nothing() {
    let forbidden = [
        "std::fs",
        "std::net",
        "std::process",
        "println!",
        "print!(",
        "eprintln!",
        "eprint!(",
        "dbg!(",
        "File::open",
        "File::create",
    ];
    let mut found = Vec::new();
    for krate in CORE {
        for file in sources(&root().join("crates").join(krate).join("src")) {
            let name = file.file_name().unwrap().to_string_lossy().to_string();
            if *krate == "truce-tlog" && CORE_IO.contains(&name.as_str()) {
                continue;
            }
            for (n, line, _) in code_lines(&file) {
                for f in forbidden {
                    if line.contains(f) {
                        found.push(format!("{}:{n}: {f}: {}", file.display(), line.trim()));
                    }
                }
            }
        }
    }
    assert!(found.is_empty(), "I/O or printing in a core crate:\n{}", found.join("\n"));
}

#[test]
fn library_code_unwraps_only_with_a_reason() {
    // Library crates: every crate but the binaries (`truce`, `truce-bench`) and `xtask`. The store's
    // `story` is the test every backend runs, shipped for them.
    let mut found = Vec::new();
    for entry in std::fs::read_dir(root().join("crates")).unwrap() {
        let dir = entry.unwrap().path();
        let krate = dir.file_name().unwrap().to_string_lossy().to_string();
        if krate == "truce" || krate == "truce-bench" {
            continue;
        }
        for file in sources(&dir.join("src")) {
            if krate == "truce-store" && file.ends_with("story.rs") {
                continue;
            }
            for (n, line, previous) in code_lines(&file) {
                let call = line.contains(".unwrap()") || line.contains(".expect(");
                let reason = line.contains("//") || previous.trim_start().starts_with("//");
                if call && !reason {
                    found.push(format!("{}:{n}: {}", file.display(), line.trim()));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "unwrap or expect without a comment saying why it cannot fail:\n{}",
        found.join("\n")
    );
}

/// A module's path in its crate (`api::ask`; a `mod.rs` names its directory), from its file under `src`.
fn module_path(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().to_string()).collect();
    if parts.last().map(String::as_str) == Some("mod") {
        parts.pop();
    }
    parts.join("::")
}

/// The paths a file names with `crate::…`: `crate::a::b::{c, d::e}` names `a::b::c` and `a::b::d::e`.
fn crate_paths(text: &str) -> Vec<String> {
    let ident = |s: &str| -> String {
        s.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect()
    };
    let mut out = Vec::new();
    for (at, _) in text.match_indices("crate::") {
        let mut rest = &text[at + "crate::".len()..];
        let mut prefix = Vec::new();
        loop {
            let name = ident(rest);
            if name.is_empty() {
                break;
            }
            rest = &rest[name.len()..];
            prefix.push(name);
            match rest.strip_prefix("::") {
                Some(next) => rest = next,
                None => break,
            }
        }
        match rest.strip_prefix('{') {
            Some(group) => {
                for item in group.split('}').next().unwrap_or("").split(',') {
                    let item: String = item
                        .trim()
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                        .collect();
                    let item = item.trim_end_matches(':');
                    if !item.is_empty() {
                        let mut path = prefix.clone();
                        path.push(item.to_string());
                        out.push(path.join("::"));
                    }
                }
            }
            None if !prefix.is_empty() => out.push(prefix.join("::")),
            None => {}
        }
    }
    out
}

/// The module a path names: its longest prefix that is a module (`api::ask::Day` → `api::ask`).
fn module_of(path: &str, modules: &BTreeSet<String>) -> Option<String> {
    let parts: Vec<&str> = path.split("::").collect();
    (1..=parts.len()).rev().map(|n| parts[..n].join("::")).find(|p| modules.contains(p))
}

/// The modules of a crate (by path: `api::ask`, `pages` for `pages/mod.rs`) and, for each, the other
/// modules it names with `crate::…`. The crate root (`lib.rs`, `main.rs`), which declares the modules,
/// is left out.
fn module_graph(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let files: Vec<PathBuf> = sources(src)
        .into_iter()
        .filter(|f| !matches!(module_path(src, f).as_str(), "lib" | "main"))
        .collect();
    let modules: BTreeSet<String> = files.iter().map(|f| module_path(src, f)).collect();
    let mut graph = BTreeMap::new();
    for f in &files {
        let m = module_path(src, f);
        let text = std::fs::read_to_string(f).unwrap();
        let uses: BTreeSet<String> = crate_paths(&text)
            .iter()
            .filter_map(|p| module_of(p, &modules))
            .filter(|used| *used != m)
            .collect();
        graph.insert(m, uses);
    }
    graph
}

/// A circle in `graph`, if there is one.
fn circle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        graph: &BTreeMap<String, BTreeSet<String>>,
        node: &str,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|p| p == node) {
            let mut c = path[at..].to_vec();
            c.push(node.to_string());
            return Some(c);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(c) = visit(graph, next, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    for node in graph.keys() {
        if let Some(c) = visit(graph, node, &mut Vec::new(), &mut done) {
            return Some(c);
        }
    }
    None
}

/// The crates whose root is a node of the graph too: `main.rs` declares every module, so a module that
/// names anything of the root (`crate::read_text`) closes a circle through it. (`truce-server`'s
/// `lib.rs` still holds the state and the error type that its modules share.)
const ROOT_COVERED: [&str; 1] = ["truce"];

/// `graph` with the crate root as a node: the root names every module, and a module that names with
/// `crate::…` anything but a module names the root.
fn with_root(
    src: &Path,
    mut graph: BTreeMap<String, BTreeSet<String>>,
) -> BTreeMap<String, BTreeSet<String>> {
    const ROOT: &str = "crate root";
    let modules: BTreeSet<String> = graph.keys().cloned().collect();
    for file in sources(src) {
        let m = module_path(src, &file);
        if !modules.contains(&m) {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        if crate_paths(&text).iter().any(|p| module_of(p, &modules).is_none()) {
            graph.get_mut(&m).unwrap().insert(ROOT.to_string());
        }
    }
    graph.insert(ROOT.to_string(), modules);
    graph
}

#[test]
fn neither_top_floor_has_an_import_circle() {
    for krate in ["truce", "truce-server"] {
        let src = root().join("crates").join(krate).join("src");
        let mut graph = module_graph(&src);
        assert!(graph.len() > 2, "{krate}: no modules found");
        if ROOT_COVERED.contains(&krate) {
            graph = with_root(&src, graph);
        }
        if let Some(c) = circle(&graph) {
            panic!("{krate}: the modules import each other in a circle: {}", c.join(" → "));
        }
    }
    // The check finds a circle where there is one.
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    g.insert("a".into(), ["b".to_string()].into());
    g.insert("b".into(), ["a".to_string()].into());
    assert_eq!(circle(&g).unwrap(), ["a", "b", "a"]);
    // A module that calls back into the crate root closes a circle through it.
    let dir = std::env::temp_dir().join(format!("tidy-root-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("main.rs"), "mod a;\nmod b;\nfn helper() {}\n").unwrap();
    std::fs::write(dir.join("a.rs"), "use crate::b::thing;\n").unwrap();
    std::fs::write(dir.join("b.rs"), "pub fn thing() {}\n").unwrap();
    assert_eq!(circle(&with_root(&dir, module_graph(&dir))), None);
    std::fs::write(dir.join("b.rs"), "pub fn thing() { crate::helper() }\n").unwrap();
    // The circle is b → crate root → b, found from whichever module the walk starts at.
    let found = circle(&with_root(&dir, module_graph(&dir))).unwrap();
    assert!(found.windows(2).any(|w| w == ["b", "crate root"]), "{found:?}");
    std::fs::remove_dir_all(&dir).ok();
    // Modules are told apart by path: two files of one name in two directories are two modules, and a
    // circle between them is found (the old check, by file name, merged them into one node).
    let dir = std::env::temp_dir().join(format!("tidy-paths-{}", std::process::id()));
    for d in ["a", "b"] {
        std::fs::create_dir_all(dir.join(d)).unwrap();
        std::fs::write(dir.join(d).join("mod.rs"), "pub mod x;\n").unwrap();
    }
    std::fs::write(dir.join("main.rs"), "mod a;\nmod b;\n").unwrap();
    std::fs::write(dir.join("a/x.rs"), "use crate::b::{x::f};\npub fn g() {}\n").unwrap();
    std::fs::write(dir.join("b/x.rs"), "pub fn f() { crate::a::x::g() }\n").unwrap();
    let found = circle(&module_graph(&dir)).unwrap();
    assert!(
        found.contains(&"a::x".to_string()) && found.contains(&"b::x".to_string()),
        "{found:?}"
    );
    std::fs::write(dir.join("b/x.rs"), "pub fn f() {}\n").unwrap();
    assert_eq!(circle(&module_graph(&dir)), None);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn the_cli_holds_no_server_log_layout_or_benchmark_code() {
    let src = root().join("crates/truce/src");
    let lines: usize =
        sources(&src).iter().map(|f| std::fs::read_to_string(f).unwrap().lines().count()).sum();
    // 1,500 until `simulate` and `tournament` (issue 14) added two verbs of argument parsing and printing;
    // ARCHITECTURE.md states the same cap.
    assert!(lines <= 2_300, "the CLI has {lines} lines; it parses arguments and prints");
    for file in sources(&src) {
        let text = std::fs::read_to_string(&file).unwrap();
        for forbidden in ["axum::", "TcpListener", ".state/log.skey", "witness.skey", "Sequencer"] {
            assert!(!text.contains(forbidden), "{}: {forbidden}", file.display());
        }
    }
}

/// Vendored npm files are the registry's, unchanged: each file's SHA-256 is the one `SHA256SUMS`
/// records (from the packed packages named in `vendor/npm/README.md`), and no file is unlisted.
#[test]
fn vendored_npm_files_are_unchanged() {
    use sha2::Digest as _;
    let dir = root().join("vendor/npm");
    let sums = std::fs::read_to_string(dir.join("SHA256SUMS")).unwrap();
    let mut listed = BTreeSet::new();
    for line in sums.lines() {
        let (sum, path) = line.split_once("  ").unwrap();
        let path = path.trim_start_matches("./");
        let bytes = std::fs::read(dir.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
        let got: String = sha2::Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(got, sum, "vendor/npm/{path} differs from the registry's file");
        listed.insert(path.to_string());
    }
    fn walk(dir: &Path, base: &Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, base, out);
            } else {
                out.push(p.strip_prefix(base).unwrap().to_string_lossy().into_owned());
            }
        }
    }
    let mut files = Vec::new();
    walk(&dir, &dir, &mut files);
    for f in files {
        if f != "README.md" && f != "SHA256SUMS" {
            assert!(listed.contains(&f), "vendor/npm/{f} is not in SHA256SUMS");
        }
    }
}

/// The string literals of Rust source `text`, as (1-based line, bytes between the quotes): plain,
/// raw (`r#"…"#`), byte and C strings; comments, characters and lifetimes are passed over.
fn string_literals(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let line = |at: usize| text[..at].bytes().filter(|&c| c == b'\n').count() + 1;
    let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                i = text[i..].find('\n').map_or(b.len(), |n| i + n);
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let mut depth = 0;
                while i < b.len() {
                    if b[i..].starts_with(b"/*") {
                        depth += 1;
                        i += 2;
                    } else if b[i..].starts_with(b"*/") {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
            }
            b'\'' => {
                // A character ('a', '\n', '\u{2019}', '"') or a lifetime ('a, 'static).
                let rest = &text[i + 1..];
                let close = if rest.starts_with('\\') {
                    rest[2..].find('\'').map(|n| n + 2)
                } else {
                    rest.chars().next().map(char::len_utf8).filter(|&n| rest[n..].starts_with('\''))
                };
                i += close.map_or(1, |n| n + 2);
            }
            b'"' => {
                let start = i + 1;
                let mut j = start;
                while j < b.len() && b[j] != b'"' {
                    j += if b[j] == b'\\' { 2 } else { 1 };
                }
                out.push((line(i), j - start));
                i = j + 1;
            }
            b'r' | b'b' | b'c' if i == 0 || !ident(b[i - 1]) => {
                let mut j = i + 1;
                if b[i] != b'r' && b.get(j) == Some(&b'r') {
                    j += 1;
                }
                let raw = b[i] == b'r' || j > i + 1;
                let hashes = b[j..].iter().take_while(|&&c| c == b'#').count();
                if raw && b.get(j + hashes) == Some(&b'"') {
                    let start = j + hashes + 1;
                    let end = format!("\"{}", "#".repeat(hashes));
                    let len = text[start..].find(&end).unwrap_or(b.len() - start);
                    out.push((line(i), len));
                    i = start + len + end.len();
                } else if !raw && hashes == 0 && b.get(j) == Some(&b'"') {
                    i = j; // b"…" or c"…": the plain string's rules
                } else {
                    i += 1;
                    while i < b.len() && ident(b[i]) {
                        i += 1;
                    }
                }
            }
            c if ident(c) => {
                while i < b.len() && ident(b[i]) {
                    i += 1;
                }
            }
            _ => i += 1,
        }
    }
    out
}

/// The largest string literal `truce-server` may hold: a script or a page of text belongs in a file.
const MAX_LITERAL: usize = 4096;

#[test]
fn no_string_literal_in_the_server_is_over_4_kib() {
    let krate = root().join("crates/truce-server");
    let mut files = Vec::new();
    let mut stack = vec![krate.join("src"), krate.join("tests")];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    assert!(files.len() > 10, "no sources found under {}", krate.display());
    let mut found = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for (line, len) in string_literals(&text) {
            if len > MAX_LITERAL {
                found.push(format!("{}:{line}: a literal of {len} bytes", file.display()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "string literals over {MAX_LITERAL} bytes (a script goes in crates/truce-server/assets/js/):\n{}",
        found.join("\n")
    );
    // The scan finds literals of every kind, and is not misled by characters, lifetimes or comments.
    let big = "x".repeat(MAX_LITERAL + 1);
    let sample = format!(
        "fn f<'a>(s: &'a str) -> char {{ '\"' }} // \"{big}\"\n/* \"{big}\" /* \" */ */\nconst A: &str = \"a\\\"b{big}\";\nconst B: &str = r##\"q\"#{big}\"##;\nconst C: &[u8] = br\"{big}\";\nconst D: &[u8] = b\"\\\\\";\nconst E: char = '\\u{{2019}}';\n"
    );
    let lens: Vec<usize> = string_literals(&sample).iter().map(|l| l.1).collect();
    assert_eq!(lens, [MAX_LITERAL + 5, MAX_LITERAL + 4, MAX_LITERAL + 1, 2], "{sample}");
    assert_eq!(string_literals(&sample)[1].0, 4);
}

/// Every script of the pages and the observer app is valid JavaScript: Debian's `node --check` parses
/// each file in `crates/truce-server/assets/js/`. Node must be installed (`cargo xtask test` installs
/// Debian's `nodejs` when it is missing); this test fails without it, it never skips.
#[test]
fn every_script_passes_node_check() {
    let node_check = |path: &Path| {
        std::process::Command::new("node").arg("--check").arg(path).output().unwrap_or_else(|e| {
            panic!("cannot run node ({e}): install Debian's nodejs (cargo xtask test does)")
        })
    };
    let dir = root().join("crates/truce-server/assets/js");
    let mut scripts: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "js"))
        .collect();
    scripts.sort();
    assert!(scripts.len() >= 10, "no scripts found in {}", dir.display());
    let mut failed = Vec::new();
    for script in &scripts {
        let out = node_check(script);
        if !out.status.success() {
            failed.push(format!(
                "{}: {}",
                script.display(),
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
    }
    assert!(failed.is_empty(), "scripts that node --check refuses:\n{}", failed.join("\n\n"));
    // The check refuses what is not JavaScript.
    let broken = std::env::temp_dir().join(format!("tidy-broken-{}.js", std::process::id()));
    std::fs::write(&broken, "(function () { const a = ; })();\n").unwrap();
    let out = node_check(&broken);
    std::fs::remove_file(&broken).ok();
    assert!(!out.status.success(), "node --check accepted a broken script");
}

/// Issue 23: the README is a newcomer's path (at most 250 lines), every document it or a doc under
/// `docs/` links to exists, and there is a guide for each role.
#[test]
fn the_readme_is_short_and_every_link_of_the_docs_resolves() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let lines = readme.lines().count();
    assert!(lines <= 250, "README.md has {lines} lines: at most 250; move detail to docs/");
    for role in ["mediator", "delegate", "observer", "verifier", "auditor", "operator"] {
        let guide = format!("docs/guide/{role}.md");
        assert!(root().join(&guide).exists(), "{guide} is missing");
        assert!(readme.contains(&format!("({guide})")), "README.md does not link {guide}");
    }
    let mut files = vec![root().join("README.md")];
    let mut dirs = vec![root().join("docs")];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|x| x == "md") {
                files.push(p);
            }
        }
    }
    let mut broken = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        for (at, _) in text.match_indices("](") {
            let target: String = text[at + 2..].chars().take_while(|c| *c != ')').collect();
            if target.contains("://") || target.starts_with('#') || target.starts_with("mailto:") {
                continue;
            }
            let path = target.split('#').next().unwrap_or("");
            if !file.parent().unwrap().join(path).exists() {
                broken.push(format!("{}: {target}", file.display()));
            }
        }
    }
    assert!(broken.is_empty(), "links to nothing:\n{}", broken.join("\n"));
}

/// Issue 23: the guide's screenshots are the browser test's: each image under `docs/guide/img/` is named
/// `ui-{width}-{lang}-{page}.png` after a width, a language and a page the test opens, and each is shown by
/// a page of the guide.
#[test]
fn the_guides_screenshots_come_from_the_browser_test() {
    let browser =
        std::fs::read_to_string(root().join("crates/truce-server/tests/it/browser.rs")).unwrap();
    let pages: Vec<String> = browser
        .lines()
        .filter_map(|l| {
            let l = l.trim().strip_prefix("(Role::")?;
            let name = l.split('"').nth(1)?;
            Some(name.to_string())
        })
        .collect();
    assert!(pages.len() > 15, "{} pages found in the browser test", pages.len());
    let mut guides = String::new();
    for e in std::fs::read_dir(root().join("docs/guide")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "md") {
            guides.push_str(&std::fs::read_to_string(p).unwrap());
        }
    }
    let mut images = 0;
    for e in std::fs::read_dir(root().join("docs/guide/img")).unwrap() {
        let name = e.unwrap().file_name().into_string().unwrap();
        images += 1;
        let rest = name.strip_prefix("ui-").and_then(|n| n.strip_suffix(".png")).unwrap_or("");
        let mut parts = rest.splitn(3, '-');
        let (width, lang, page) = (parts.next(), parts.next(), parts.next());
        assert!(matches!(width, Some("1280" | "400")), "{name}: not a width the test uses");
        assert!(matches!(lang, Some("en" | "uk" | "ru")), "{name}: not a language the test uses");
        assert!(
            page.is_some_and(|p| pages.iter().any(|q| q == p)),
            "{name}: not a page the test opens"
        );
        assert!(
            guides.contains(&format!("(img/{name})")),
            "{name} is shown by no page of the guide"
        );
    }
    assert!(images >= 6, "{images} screenshots in docs/guide/img");
}

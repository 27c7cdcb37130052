//! `truce source add`, the quote checks of `truce check` and `truce analyze`, and `truce extract`:
//! the files read and written here, everything else in `truce_source`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, format_err};
use truce_scenario::{Date, QuoteKind, Scenario};
use truce_source::archive::{self, Record};
use truce_source::check::{self, Archived, CitationCheck, Cited, Status};
use truce_source::extract::{Extraction, Extractor};
use truce_source::lang::Language;
use truce_source::text::{self, MediaKind};

use crate::input::{load, read_text};

/// The archive directory beside a scenario file.
fn archive_dir(scenario: &Path) -> PathBuf {
    scenario.parent().unwrap_or(Path::new(".")).join(archive::DIR)
}

/// A file's bytes, refused when larger than a source may be before it is read whole.
fn read_source_file(path: &Path) -> anyhow::Result<Vec<u8>> {
    let size =
        std::fs::metadata(path).with_context(|| format!("cannot read {}", path.display()))?.len();
    if size > text::MAX_SOURCE_BYTES as u64 {
        return Err(format_err!(
            "{} {}",
            path.display(),
            text::TextError::TooLarge { bytes: size as usize, limit: text::MAX_SOURCE_BYTES }
        ));
    }
    std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))
}

/// Writes `bytes` to `path` through a temporary file and a rename, so a reader never sees half of it.
fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let tmp =
        dir.join(format!(".{}.tmp", path.file_name().and_then(|n| n.to_str()).unwrap_or("file")));
    std::fs::write(&tmp, bytes).with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::File::open(&tmp)
        .and_then(|f| f.sync_all())
        .with_context(|| format!("cannot flush {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))
}

/// `truce source add SCENARIO ID FILE`.
pub(crate) fn add(
    scenario_path: &Path,
    id: &str,
    file: &Path,
    url: Option<String>,
    retrieved: Option<Date>,
    language: Option<String>,
) -> anyhow::Result<String> {
    let scenario = load(scenario_path)?;
    if !scenario.sources.iter().any(|s| s.id == id) {
        let ids: Vec<&str> = scenario.sources.iter().map(|s| s.id.as_str()).take(8).collect();
        return Err(format_err!(
            "{} has no source \"{id}\"; add a [[sources]] table with id = \"{id}\" first (sources on file begin: {})",
            scenario_path.display(),
            ids.join(", ")
        ));
    }
    let bytes = read_source_file(file)?;
    let extracted = text::extract(&bytes).map_err(|e| format_err!("{} {e}", file.display()))?;
    let language = match language {
        Some(l) => l,
        None => {
            Language::detect(&extracted.text).map(|l| l.code().to_string()).ok_or_else(|| {
                format_err!(
                    "{}: cannot tell the text's language; give it with --language",
                    file.display()
                )
            })?
        }
    };
    let sha256 = archive::sha256_hex(&bytes);
    let dir = archive_dir(scenario_path);
    write_atomically(&dir.join(archive::original_path(&sha256, extracted.kind)), &bytes)?;
    write_atomically(&dir.join(archive::text_path(&sha256)), extracted.text.as_bytes())?;
    let retrieved = match retrieved {
        Some(d) => d,
        // A timestamp is written in UTC, its day first.
        None => jiff::Timestamp::now().to_string()[..10].parse().context("today's date")?,
    };
    let record = Record {
        sha256: sha256.clone(),
        retrieved,
        language,
        media_type: extracted.kind.media_type(),
        url,
    };
    let toml = read_text(scenario_path)?;
    let edited = archive::record_in_scenario(&toml, id, &record)
        .map_err(|e| format_err!("{} {e}", scenario_path.display()))?;
    let (reparsed, diagnostics) =
        truce_scenario::parse(&scenario_path.display().to_string(), &edited);
    let reparsed = reparsed
        .ok_or_else(|| format_err!("the edited scenario does not parse: {diagnostics:?}"))?;
    write_atomically(scenario_path, edited.as_bytes())?;
    let mut out = format!(
        "archived {id}: {} bytes of {} ({}), sha256 {sha256}\n  {}\n",
        bytes.len(),
        extracted.kind.media_type(),
        extracted.encoding,
        dir.join(archive::original_path(&sha256, extracted.kind)).display()
    );
    let (checks, _) = checks(scenario_path, &reparsed)?;
    let mine: Vec<&CitationCheck> =
        checks.iter().filter(|c| reparsed.source(c.source).id == id).collect();
    write_checks(&mut out, scenario_path, &reparsed, &mine);
    Ok(out)
}

/// A source's archived text: the source's index, the file's hash, the text extracted from it.
pub(crate) struct ArchivedText {
    source: usize,
    sha256: String,
    text: String,
}

/// The archived texts of a scenario's sources that record a hash, each file checked against it.
/// Problems (a missing file, a changed file, a stale text) are returned as lines to print.
pub(crate) fn archives(
    scenario_path: &Path,
    scenario: &Scenario,
) -> anyhow::Result<(Vec<ArchivedText>, Vec<String>)> {
    let dir = archive_dir(scenario_path);
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for (i, source) in scenario.sources.iter().enumerate() {
        let Some(sha256) = &source.sha256 else { continue };
        let kind = source.media_type.as_deref().and_then(MediaKind::from_media_type);
        let candidates: Vec<MediaKind> = match kind {
            Some(k) => vec![k],
            None => vec![MediaKind::Html, MediaKind::Pdf, MediaKind::Text],
        };
        let Some(path) = candidates
            .iter()
            .map(|k| dir.join(archive::original_path(sha256, *k)))
            .find(|p| p.exists())
        else {
            problems.push(format!(
                "source {}: its archived file is missing from {} (sha256 {sha256}); run `truce source add` again with the file",
                source.id,
                dir.join(sha256).display()
            ));
            continue;
        };
        let bytes = read_source_file(&path)?;
        let actual = archive::sha256_hex(&bytes);
        if actual != *sha256 {
            return Err(format_err!(
                "{}: the archived file has sha256 {actual}, but the scenario records {sha256} for source {}: the file was changed",
                path.display(),
                source.id
            ));
        }
        let extracted = text::extract(&bytes).map_err(|e| format_err!("{} {e}", path.display()))?;
        let text_file = dir.join(archive::text_path(sha256));
        if std::fs::read_to_string(&text_file).ok().as_deref() != Some(extracted.text.as_str()) {
            problems.push(format!(
                "source {}: {} is not the text extracted from the archived file; the check used the file's text",
                source.id,
                text_file.display()
            ));
        }
        out.push(ArchivedText { source: i, sha256: sha256.clone(), text: extracted.text });
    }
    Ok((out, problems))
}

/// Every quote of the scenario checked against the archive beside it, with the archive's problems.
pub(crate) fn checks(
    scenario_path: &Path,
    scenario: &Scenario,
) -> anyhow::Result<(Vec<CitationCheck>, Vec<String>)> {
    let (texts, problems) = archives(scenario_path, scenario)?;
    let archived: Vec<Archived<'_>> = texts
        .iter()
        .map(|a| Archived {
            source: truce_scenario::SourceIx(a.source as u32),
            sha256: &a.sha256,
            text: &a.text,
        })
        .collect();
    Ok((check::check(scenario, &archived), problems))
}

fn what(scenario: &Scenario, c: &CitationCheck) -> String {
    match c.cited {
        Cited::Position(p) => {
            let p = scenario.position(p);
            format!(
                "position {} {} {}",
                scenario.party(p.party).id,
                scenario.option(p.option).id,
                p.stance
            )
        }
        Cited::Process(i) => format!(
            "process position {} \"{}\"",
            scenario.party(scenario.process_positions[i].party).id,
            scenario.process_positions[i].topic
        ),
        Cited::Constraint(i) => format!("constraint {}", scenario.constraints[i].id),
    }
}

fn kind(c: &CitationCheck) -> &'static str {
    match c.kind {
        Some(QuoteKind::Direct) => "direct quote",
        Some(QuoteKind::Paraphrase) => "paraphrase",
        Some(QuoteKind::Translated) => "translated quote",
        Some(QuoteKind::DocumentText) => "document text",
        None => "quote",
    }
}

/// One line per checked quote that has an archive, the misses first in detail.
fn write_checks(out: &mut String, path: &Path, scenario: &Scenario, checks: &[&CitationCheck]) {
    for c in checks {
        let source = &scenario.source(c.source).id;
        let hash = c.sha256.as_deref().map_or("", |h| &h[..8]);
        let at = format!("{}:{}", path.display(), c.line);
        let _ = match &c.status {
            Status::NoArchive => Ok(()),
            Status::Found(f) => writeln!(
                out,
                "{at}: {} of {}: found in {source} (archive {hash}), line {}, column {}",
                kind(c),
                what(scenario, c),
                f.line,
                f.column
            ),
            Status::Near(p) => writeln!(
                out,
                "{at}: {} of {}: near, not as written, in {source} (archive {hash}); closest passage, line {} ({:.0}% of its words): \"{}\"",
                kind(c),
                what(scenario, c),
                p.line,
                p.score * 100.0,
                p.text
            ),
            Status::NotFound(p) => {
                let severity = if c.is_error() { "error" } else { "note" };
                match p {
                    Some(p) => writeln!(
                        out,
                        "{at}: {severity}: {} of {} not found in {source} (archive {hash}); closest passage, line {} ({:.0}% of its words): \"{}\"",
                        kind(c),
                        what(scenario, c),
                        p.line,
                        p.score * 100.0,
                        p.text
                    ),
                    None => writeln!(
                        out,
                        "{at}: {severity}: {} of {} not found in {source} (archive {hash}); no passage shares a word with it",
                        kind(c),
                        what(scenario, c)
                    ),
                }
            }
        };
    }
}

/// `truce check`'s quote report: a summary, a line per archived quote, and whether any direct quote failed.
pub(crate) fn check_report(path: &Path, scenario: &Scenario) -> anyhow::Result<(String, usize)> {
    let (checks, problems) = checks(path, scenario)?;
    let mut out = String::new();
    for p in &problems {
        let _ = writeln!(out, "{}: warning: {p}", path.display());
    }
    let archived: Vec<&CitationCheck> =
        checks.iter().filter(|c| c.status != Status::NoArchive).collect();
    write_checks(&mut out, path, scenario, &archived);
    let count = |s: &str| archived.iter().filter(|c| c.status.as_str() == s).count();
    let sources = archived.iter().map(|c| c.source).collect::<std::collections::HashSet<_>>().len();
    let errors = checks.iter().filter(|c| c.is_error()).count();
    let _ = writeln!(
        out,
        "quotes: {} checked against {sources} archived source(s): {} found, {} near, {} not found ({errors} of them direct quotes); {} with no archive",
        archived.len(),
        count("found"),
        count("near"),
        count("not_found"),
        checks.len() - archived.len()
    );
    Ok((out, errors))
}

/// `truce extract ARTICLE --scenario S`.
pub(crate) fn extract(
    article: &Path,
    scenario_path: &Path,
    date: Option<Date>,
    source: Option<&str>,
    language: Option<&str>,
) -> anyhow::Result<(Scenario, Extraction, Option<Date>)> {
    let scenario = load(scenario_path)?;
    let bytes = read_source_file(article)?;
    let extracted = text::extract(&bytes).map_err(|e| format_err!("{} {e}", article.display()))?;
    let language = match language {
        Some(code) => Some(
            Language::from_code(code)
                .ok_or_else(|| format_err!("--language {code}: expected en, ru or uk"))?,
        ),
        None => None,
    };
    if let Some(id) = source
        && !scenario.sources.iter().any(|s| s.id == id)
    {
        return Err(format_err!(
            "--source {id}: {} has no such source; add its [[sources]] table first",
            scenario_path.display()
        ));
    }
    let date = date.or_else(|| {
        source.and_then(|id| scenario.sources.iter().find(|s| s.id == id)).and_then(|s| s.date)
    });
    let extraction = Extractor::new(&scenario)
        .extract(&extracted.text, language)
        .map_err(|e| format_err!("{} {e}", article.display()))?;
    Ok((scenario, extraction, date))
}

/// The candidates for a terminal.
pub(crate) fn extraction_text(
    scenario: &Scenario,
    x: &Extraction,
    article: &Path,
    date: Option<Date>,
) -> String {
    let mut out = format!(
        "{}: {} candidate position(s), {} ({})\n",
        article.display(),
        x.candidates.len(),
        match x.language {
            Language::En => "English",
            Language::Ru => "Russian",
            Language::Uk => "Ukrainian",
        },
        date.map_or_else(|| "no date: give --date or --source".to_string(), |d| d.to_string())
    );
    for (i, c) in x.candidates.iter().enumerate() {
        let party = scenario.party(c.party);
        let option = scenario.option(c.option);
        let _ = writeln!(
            out,
            "\n{}. {} ({}) {} \"{}\" ({})\n   \"{}\"\n   line {}, characters {}..{}, {}; {}: \"{}\", option: \"{}\", cue: \"{}\"{}",
            i + 1,
            party.name,
            party.id,
            c.stance.as_str().replace('_', " "),
            option.label,
            option.id,
            c.quote,
            c.line,
            c.char_start,
            c.char_end,
            c.quote_kind,
            if c.attribution.as_str() == "named" {
                "speaker"
            } else {
                "speaker (from an earlier sentence)"
            },
            c.triggers.party,
            c.triggers.option,
            c.triggers.cue,
            c.triggers
                .negation
                .as_ref()
                .map(|n| format!(", turned by \"{n}\""))
                .unwrap_or_default()
        );
    }
    out
}

/// The candidates as `[[positions]]` tables to paste into the scenario.
pub(crate) fn extraction_toml(
    scenario: &Scenario,
    x: &Extraction,
    date: Option<Date>,
    source: Option<&str>,
) -> String {
    let q = truce_scenario::toml_string;
    let mut out = String::from(
        "# Candidate positions drafted by `truce extract`: check each against the article before keeping it.\n",
    );
    for c in &x.candidates {
        let option = scenario.option(c.option);
        let _ = write!(
            out,
            "\n# {} \u{2014} speaker: \"{}\"; option: \"{}\"; cue: \"{}\"\n[[positions]]\nparty = {}\nissue = {}\noption = {}\nstance = {}\n",
            option.label,
            c.triggers.party,
            c.triggers.option,
            c.triggers.cue,
            q(&scenario.party(c.party).id),
            q(&scenario.issue(option.issue).id),
            q(&option.id),
            q(c.stance.as_str())
        );
        match date {
            Some(d) => {
                let _ = writeln!(out, "date = {d}\ndate_precision = \"day\"");
            }
            None => out.push_str("# date = YYYY-MM-DD  (the article gave none: give --date)\n"),
        }
        match source {
            Some(s) => {
                let _ = writeln!(out, "source = {}", q(s));
            }
            None => out.push_str("# source = \"…\"  (give --source)\n"),
        }
        let _ = writeln!(
            out,
            "quote = {}\nquote_kind = {}\nbasis = \"explicit\"",
            q(&c.quote),
            q(&c.quote_kind.to_string())
        );
    }
    out
}

/// The candidates as the document the API's extraction answers with (`truce_report::extraction`).
pub(crate) fn extraction_json(
    scenario: &Scenario,
    x: &Extraction,
    date: Option<Date>,
    source: Option<&str>,
) -> truce_report::extraction::ExtractionReport {
    truce_report::extraction::extraction_report(
        scenario,
        x,
        date.map(|d| d.to_string()),
        source.map(str::to_string),
    )
}

//! From TOML text to an [`Agreement`], with every problem reported at once (see `truce_syntax::walk`).

use std::collections::{HashMap, HashSet};

use toml::Spanned;
use toml::de::DeValue;
use truce_syntax::walk::{self, Cx, Fields, Span, Str};
use truce_syntax::{Diagnostic, has_errors};

use crate::geo::Point;
use crate::model::*;

/// Parses and validates an agreement. `file` only labels diagnostics. The agreement is returned only when
/// there are no errors; warnings may accompany it. No input makes this function panic.
pub fn parse(file: &str, text: &str) -> (Option<Agreement>, Vec<Diagnostic>) {
    let (root, mut cx) = walk::begin(file, text);
    let agreement = read(&mut cx, &mut Fields::new(root.get_ref(), root.span(), String::new()));
    let diags = cx.into_diagnostics();
    if has_errors(&diags) { (None, diags) } else { (agreement, diags) }
}

const PARTY_RULES: &str = "controlled, attributed, any";
const MODALITIES: &str = "must, must_not";

/// A buffer zone as written: the line's id, and the half-width in km.
type Buffer = (Str, f64);

struct RawCommitment {
    commitment: Commitment,
    span: Span,
    path: String,
    obligor: Str,
    zone: Option<Str>,
    verifier: Option<Str>,
    preconditions: Vec<(Str, u32)>,
    indicator_zones: Vec<Str>,
}

/// Reads the whole agreement: its head, then each table, then the references between them.
fn read(cx: &mut Cx<'_>, root: &mut Fields<'_, '_>) -> Option<Agreement> {
    let mut head = match cx.table(root, "agreement") {
        Some(t) => t,
        None => {
            cx.missing(root, "agreement", "an [agreement] table");
            return None;
        }
    };
    let id = cx.str_req(&mut head, "id");
    let title = cx.str_req(&mut head, "title");
    let status: Option<Status> = cx.vocab_req(&mut head, "status", Status::WORDS);
    let signed = cx.date_opt(&mut head, "signed").map(|d| d.0);
    let day_one = cx.date_req(&mut head, "day_one");
    cx.finish(head);

    let mechanism = read_mechanism(cx, root);
    let actors = read_actors(cx, root);
    let actor_ids = unique(cx, actors.iter().map(|(id, _)| id), "actor");
    let sources = read_sources(cx, root);
    let source_ids = unique(cx, sources.iter().map(|(id, _)| id), "source");
    let zones = read_zones(cx, root);
    let zone_ids = unique(cx, zones.iter().map(|(id, _, _)| id), "zone");
    let resolved_zones = resolve_buffers(cx, zones);
    let (provisions, raw_commitments) = read_provisions(cx, root, &source_ids);
    cx.finish(std::mem::replace(root, Fields::new(root.table, root.span.clone(), String::new())));

    check_references(cx, &raw_commitments, &actor_ids, &zone_ids);
    check_cycles(cx, &raw_commitments);

    let (id, title, status, (day_one, _), (mname, verifiers, lookback)) =
        (id?, title?, status?, day_one?, mechanism?);
    for v in &verifiers {
        if !actor_ids.contains(&v.value) {
            cx.error(
                &v.span,
                &v.field,
                format!("no actor `{}`", v.value),
                Some(format!("one of {}", join(actor_ids.iter()))),
            );
        }
    }
    let mut commitments = raw_commitments.into_iter();
    let provisions = provisions
        .into_iter()
        .map(|(mut p, n)| {
            p.commitments = commitments.by_ref().take(n).map(|c| c.commitment).collect();
            p
        })
        .collect();
    Some(Agreement {
        id: id.value,
        title: title.value,
        status,
        signed,
        day_one,
        actors: actors.into_iter().map(|(id, a)| Actor { id: id.value, ..a }).collect(),
        mechanism: Mechanism {
            name: mname?.value,
            verifiers: verifiers.into_iter().map(|v| v.value).collect(),
            lookback_days: lookback.max(1),
        },
        sources: sources.into_iter().map(|(id, s)| Source { id: id.value, ..s }).collect(),
        zones: resolved_zones,
        provisions,
    })
}

/// Reads the `[mechanism]` table: its name, its verifiers and the lookback in days.
fn read_mechanism(
    cx: &mut Cx<'_>,
    root: &mut Fields<'_, '_>,
) -> Option<(Option<Str>, Vec<Str>, u32)> {
    match cx.table(root, "mechanism") {
        Some(mut m) => {
            let name = cx.str_req(&mut m, "name");
            let verifiers = cx.str_list_opt(&mut m, "verifiers");
            let lookback = cx.u32_opt(&mut m, "lookback_days").unwrap_or(7);
            if lookback == 0 {
                cx.error(
                    &m.span,
                    &m.field("lookback_days"),
                    "lookback of 0 days",
                    Some("at least 1".into()),
                );
            }
            cx.finish(m);
            Some((name, verifiers, lookback))
        }
        None => {
            cx.missing(root, "mechanism", "a [mechanism] table");
            None
        }
    }
}

/// Reads the `[[actors]]` tables, each with its id as written (the actor's own id is filled in later).
fn read_actors(cx: &mut Cx<'_>, root: &mut Fields<'_, '_>) -> Vec<(Str, Actor)> {
    let mut actors = Vec::new();
    for mut a in cx.tables(root, "actors") {
        let id = cx.str_req(&mut a, "id");
        let name = cx.str_req(&mut a, "name");
        let role = cx.str_req(&mut a, "role");
        cx.text_opt(&mut a, "note");
        cx.finish(a);
        if let (Some(id), Some(name), Some(role)) = (id, name, role) {
            actors.push((id, Actor { id: String::new(), name: name.value, role: role.value }));
        }
    }
    actors
}

/// Reads the `[[sources]]` tables, each with its id as written (the source's own id is filled in later).
fn read_sources(cx: &mut Cx<'_>, root: &mut Fields<'_, '_>) -> Vec<(Str, Source)> {
    let mut sources = Vec::new();
    for mut s in cx.tables(root, "sources") {
        let id = cx.str_req(&mut s, "id");
        let title = cx.str_req(&mut s, "title");
        let date = cx.date_opt(&mut s, "date").map(|d| d.0);
        let url = cx.text_opt(&mut s, "url");
        cx.text_opt(&mut s, "note");
        cx.finish(s);
        if let (Some(id), Some(title)) = (id, title) {
            sources.push((id, Source { id: String::new(), title: title.value, date, url }));
        }
    }
    sources
}

/// Reads the `[[zones]]` tables: lines and polygons as given, buffers as placeholders with their line.
fn read_zones(cx: &mut Cx<'_>, root: &mut Fields<'_, '_>) -> Vec<(Str, Zone, Option<Buffer>)> {
    let mut zones: Vec<(Str, Zone, Option<Buffer>)> = Vec::new();
    for mut z in cx.tables(root, "zones") {
        let id = cx.str_req(&mut z, "id");
        let name = cx.str_req(&mut z, "name");
        let kind = cx.str_req(&mut z, "kind");
        let note = cx.text_opt(&mut z, "note");
        let geometry = read_geometry(cx, &mut z);
        let buffer = read_buffer(cx, &mut z);
        let has_shape = z.table.get("geometry").is_some() || z.table.get("buffer").is_some();
        if !has_shape {
            cx.missing(
                &z,
                "geometry",
                "a GeoJSON geometry (LineString or Polygon), or a buffer = { line, km }",
            );
        } else if z.table.get("geometry").is_some() && z.table.get("buffer").is_some() {
            cx.error(
                &z.span,
                &z.field("buffer"),
                "both geometry and buffer given",
                Some("one of them".into()),
            );
        }
        cx.finish(z);
        if let (Some(id), Some(name), Some(kind)) = (id, name, kind) {
            let shape = match (geometry, &buffer) {
                (Some(g), None) => g,
                (None, Some(_)) => {
                    Shape::Buffer { line: String::new(), points: Vec::new(), km: 0.0 }
                }
                _ => continue,
            };
            zones.push((
                id.clone(),
                Zone { id: id.value, name: name.value, kind: kind.value, shape, note },
                buffer,
            ));
        }
    }
    zones
}

/// Reads a zone's `buffer = { line, km }`, when it has one and both are valid.
fn read_buffer(cx: &mut Cx<'_>, z: &mut Fields<'_, '_>) -> Option<Buffer> {
    cx.table(z, "buffer").and_then(|mut b| {
        let line = cx.str_req(&mut b, "line");
        let km = cx.f64_opt(&mut b, "km");
        if km.is_none() && b.table.get("km").is_none() {
            cx.missing(&b, "km", "the half-width in kilometres");
        }
        if let Some(k) = km.filter(|k| *k <= 0.0) {
            cx.error(
                &b.span,
                &b.field("km"),
                format!("half-width {k}"),
                Some("a positive number of kilometres".into()),
            );
        }
        cx.finish(b);
        Some((line?, km.filter(|k| *k > 0.0)?))
    })
}

/// Gives each buffer zone the points of its line; drops the buffers whose line is not a line zone.
fn resolve_buffers(cx: &mut Cx<'_>, zones: Vec<(Str, Zone, Option<Buffer>)>) -> Vec<Zone> {
    let lines: HashMap<String, Vec<Point>> = zones
        .iter()
        .filter_map(|(_, z, _)| match &z.shape {
            Shape::Line(p) => Some((z.id.clone(), p.clone())),
            _ => None,
        })
        .collect();
    let mut resolved_zones = Vec::new();
    for (_, mut zone, buffer) in zones {
        if let Some((line, km)) = buffer {
            match lines.get(&line.value) {
                Some(points) => {
                    zone.shape =
                        Shape::Buffer { line: line.value.clone(), points: points.clone(), km }
                }
                None => {
                    cx.error(
                        &line.span,
                        &line.field,
                        format!("no line zone `{}`", line.value),
                        Some(format!(
                            "the id of a zone with a LineString geometry ({})",
                            join(lines.keys())
                        )),
                    );
                    continue;
                }
            }
        }
        resolved_zones.push(zone);
    }
    resolved_zones
}

/// Reads the `[[provisions]]` tables: each provision with the number of its commitments, and all the
/// commitments in order.
fn read_provisions(
    cx: &mut Cx<'_>,
    root: &mut Fields<'_, '_>,
    source_ids: &HashSet<String>,
) -> (Vec<(Provision, usize)>, Vec<RawCommitment>) {
    let mut provisions = Vec::new();
    let mut raw_commitments: Vec<RawCommitment> = Vec::new();
    for mut p in cx.tables(root, "provisions") {
        let number = cx.str_req(&mut p, "number");
        let title = cx.str_req(&mut p, "title");
        let quote = cx.text_opt(&mut p, "quote");
        let cited = cx.str_list_opt(&mut p, "sources");
        for s in &cited {
            if !source_ids.contains(&s.value) {
                cx.error(
                    &s.span,
                    &s.field,
                    format!("no source `{}`", s.value),
                    Some("the id of a [[sources]] entry".into()),
                );
            }
        }
        let not_checkable = cx.str_opt(&mut p, "not_checkable");
        cx.text_opt(&mut p, "note");
        let mut commitments = Vec::new();
        for c in cx.tables(&mut p, "commitments") {
            if let Some(raw) = read_commitment(cx, c) {
                commitments.push(raw);
            }
        }
        let any_indicator = commitments.iter().any(|c| !c.commitment.indicators.is_empty());
        match &not_checkable {
            Some(reason) if any_indicator => cx.error(&reason.span, &reason.field, "the provision is marked not machine-checkable but its commitments carry indicators", Some("either no indicators, or no not_checkable reason".into())),
            Some(reason) if reason.value.trim().is_empty() => cx.error(&reason.span, &reason.field, "empty reason", Some("why the provision cannot be checked from observations".into())),
            None if !any_indicator => cx.error(&p.span, &p.field("not_checkable"), "no commitment of this provision carries an indicator, and no reason is given", Some("[[provisions.commitments.indicators]], or not_checkable = \"<reason>\"".into())),
            _ => {}
        }
        cx.finish(p);
        let checkable = match not_checkable {
            Some(r) => Checkable::Not { reason: r.value },
            None => Checkable::Machine,
        };
        let count = commitments.len();
        raw_commitments.extend(commitments);
        if let (Some(number), Some(title)) = (number, title) {
            provisions.push((
                Provision {
                    number: number.value,
                    title: title.value,
                    quote,
                    sources: cited.into_iter().map(|s| s.value).collect(),
                    checkable,
                    commitments: Vec::new(),
                },
                count,
            ));
        }
    }
    (provisions, raw_commitments)
}

/// Checks what the commitments refer to: obligors, verifiers, zones, preconditions, and that indicator
/// ids are unique.
fn check_references(
    cx: &mut Cx<'_>,
    raw_commitments: &[RawCommitment],
    actor_ids: &HashSet<String>,
    zone_ids: &HashSet<String>,
) {
    let commitment_ids = unique(
        cx,
        raw_commitments
            .iter()
            .map(|c| Str {
                value: c.commitment.id.clone(),
                span: c.span.clone(),
                field: format!("{}.id", c.path),
            })
            .collect::<Vec<_>>()
            .iter(),
        "commitment",
    );
    let mut indicator_seen = HashSet::new();
    for c in raw_commitments {
        if !actor_ids.contains(&c.obligor.value) {
            cx.error(
                &c.obligor.span,
                &c.obligor.field,
                format!("no actor `{}`", c.obligor.value),
                Some(format!("one of {}", join(actor_ids.iter()))),
            );
        }
        if let Some(v) = &c.verifier
            && !actor_ids.contains(&v.value)
        {
            cx.error(
                &v.span,
                &v.field,
                format!("no actor `{}`", v.value),
                Some(format!("one of {}", join(actor_ids.iter()))),
            );
        }
        for z in c.zone.iter().chain(&c.indicator_zones) {
            if !zone_ids.contains(&z.value) {
                cx.error(
                    &z.span,
                    &z.field,
                    format!("no zone `{}`", z.value),
                    Some(format!("one of {}", join(zone_ids.iter()))),
                );
            }
        }
        for (id, _) in &c.preconditions {
            if !commitment_ids.contains(&id.value) {
                cx.error(
                    &id.span,
                    &id.field,
                    format!("no commitment `{}`", id.value),
                    Some("the id of a commitment of this agreement".into()),
                );
            } else if id.value == c.commitment.id {
                cx.error(&id.span, &id.field, "a commitment cannot be its own precondition", None);
            }
        }
        for i in &c.commitment.indicators {
            if !indicator_seen.insert(i.id.clone()) {
                cx.error(
                    &c.span,
                    &c.path,
                    format!("indicator id `{}` is used twice", i.id),
                    Some("unique indicator ids".into()),
                );
            }
        }
    }
}

/// Checks that the preconditions do not form a cycle.
fn check_cycles(cx: &mut Cx<'_>, raw_commitments: &[RawCommitment]) {
    let deps: HashMap<&str, Vec<&str>> = raw_commitments
        .iter()
        .map(|c| {
            (
                c.commitment.id.as_str(),
                c.preconditions.iter().map(|(s, _)| s.value.as_str()).collect(),
            )
        })
        .collect();
    for c in raw_commitments {
        let mut stack: Vec<&str> = deps.get(c.commitment.id.as_str()).cloned().unwrap_or_default();
        let mut seen = HashSet::new();
        while let Some(d) = stack.pop() {
            if d == c.commitment.id {
                cx.error(
                    &c.span,
                    &format!("{}.preconditions", c.path),
                    "the preconditions form a cycle through this commitment",
                    Some("preconditions that eventually rest on none".into()),
                );
                break;
            }
            if seen.insert(d) {
                stack.extend(deps.get(d).cloned().unwrap_or_default());
            }
        }
    }
}

fn read_commitment(cx: &mut Cx<'_>, mut c: Fields<'_, '_>) -> Option<RawCommitment> {
    let span = c.span.clone();
    let path = c.path.clone();
    let id = cx.str_req(&mut c, "id");
    let obligor = cx.str_req(&mut c, "obligor");
    let modality = match cx.str_req(&mut c, "modality") {
        Some(m) => match m.value.as_str() {
            "must" => Some(Modality::Must),
            "must_not" => Some(Modality::MustNot),
            other => {
                cx.error(
                    &m.span,
                    &m.field,
                    format!("unknown modality `{other}`"),
                    Some(format!("one of {MODALITIES}")),
                );
                None
            }
        },
        None => None,
    };
    let action = cx.str_req(&mut c, "action");
    let weapon_classes =
        cx.str_list_opt(&mut c, "weapon_classes").into_iter().map(|s| s.value).collect();
    let calibre_min_mm = cx.u32_opt(&mut c, "calibre_min_mm");
    let range_min_km = cx.u32_opt(&mut c, "range_min_km");
    let count_cap = cx.u32_opt(&mut c, "count_cap");
    let zone = cx.str_opt(&mut c, "zone");
    let start_date = cx.date_opt(&mut c, "start");
    let start_day = cx.u32_opt(&mut c, "start_day");
    let start = match (start_date, start_day) {
        (Some((d, _)), None) => Some(Trigger::Date(d)),
        (None, Some(n)) if n >= 1 => Some(Trigger::Day(n)),
        (None, Some(_)) => {
            cx.error(
                &span,
                &c.field("start_day"),
                "day 0",
                Some("day 1 or later (day 1 is the agreement's day_one)".into()),
            );
            None
        }
        (Some((_, s)), Some(_)) => {
            cx.error(
                &s,
                &c.field("start"),
                "both start and start_day given",
                Some("one of them".into()),
            );
            None
        }
        (None, None) => {
            if c.table.get("start").is_none() && c.table.get("start_day").is_none() {
                cx.missing(
                    &c,
                    "start",
                    "a date (start = 2015-02-15) or a day of the agreement (start_day = 2)",
                );
            }
            None
        }
    };
    let deadline_days = cx.u32_opt(&mut c, "deadline_days");
    let until = cx.date_opt(&mut c, "until").map(|d| d.0);
    let verifier = cx.str_opt(&mut c, "verifier");
    let mut preconditions = Vec::new();
    for mut p in cx.tables(&mut c, "preconditions") {
        let id = cx.str_req(&mut p, "commitment");
        let days = cx.u32_opt(&mut p, "days").unwrap_or(0);
        cx.finish(p);
        if let Some(id) = id {
            preconditions.push((id, days));
        }
    }
    let mut indicators = Vec::new();
    let mut indicator_zones = Vec::new();
    for mut i in cx.tables(&mut c, "indicators") {
        let iid = cx.str_req(&mut i, "id");
        let classes: Vec<String> =
            cx.str_list_opt(&mut i, "classes").into_iter().map(|s| s.value).collect();
        if classes.is_empty() {
            cx.missing(
                &i,
                "classes",
                "the observation classes it counts, e.g. [\"weapon_sighting\"]",
            );
        }
        let weapon_classes =
            cx.str_list_opt(&mut i, "weapon_classes").into_iter().map(|s| s.value).collect();
        let calibre_min_mm = cx.u32_opt(&mut i, "calibre_min_mm");
        let izone = cx.str_opt(&mut i, "zone");
        let party = match cx.str_opt(&mut i, "party") {
            None => Some(PartyRule::Controlled),
            Some(p) => match p.value.as_str() {
                "controlled" => Some(PartyRule::Controlled),
                "attributed" => Some(PartyRule::Attributed),
                "any" => Some(PartyRule::Any),
                other => {
                    cx.error(
                        &p.span,
                        &p.field,
                        format!("unknown party rule `{other}`"),
                        Some(format!("one of {PARTY_RULES}")),
                    );
                    None
                }
            },
        };
        let threshold = cx.u32_opt(&mut i, "threshold").unwrap_or(u32::MAX);
        let at_least = cx.u32_opt(&mut i, "at_least");
        if i.table.get("threshold").is_none() && at_least.is_none() {
            cx.missing(&i, "threshold", "the largest total per day that complies (threshold = 0), or the smallest (at_least = 1)");
        }
        let aggregation = match cx.str_opt(&mut i, "aggregation") {
            None => Some(Aggregation::Sum),
            Some(a) => match a.value.as_str() {
                "sum" => Some(Aggregation::Sum),
                "events" => Some(Aggregation::Events),
                other => {
                    cx.error(
                        &a.span,
                        &a.field,
                        format!("unknown aggregation `{other}`"),
                        Some("one of sum, events".into()),
                    );
                    None
                }
            },
        };
        if let Some(cad) = cx.str_opt(&mut i, "cadence")
            && cad.value != "daily"
        {
            cx.error(
                &cad.span,
                &cad.field,
                format!("unknown cadence `{}`", cad.value),
                Some("daily".into()),
            );
        }
        cx.finish(i);
        if let Some(z) = &izone {
            indicator_zones.push(z.clone());
        }
        if let (Some(iid), Some(party), Some(aggregation)) = (iid, party, aggregation) {
            indicators.push(Indicator {
                id: iid.value,
                query: Query {
                    classes,
                    weapon_classes,
                    calibre_min_mm,
                    zone: izone.map(|z| z.value),
                    party,
                },
                threshold,
                at_least,
                aggregation,
                cadence: Cadence::Daily,
            });
        }
    }
    cx.finish(c);
    let (id, obligor, modality, action, start) = (id?, obligor?, modality?, action?, start?);
    Some(RawCommitment {
        commitment: Commitment {
            id: id.value,
            obligor: obligor.value.clone(),
            modality,
            action: action.value,
            subject: Subject {
                weapon_classes,
                calibre_min_mm,
                range_min_km,
                count_cap,
                zone: zone.as_ref().map(|z| z.value.clone()),
            },
            window: Window { start, deadline_days, until },
            preconditions: preconditions
                .iter()
                .map(|(id, days)| Precondition::Commitment { id: id.value.clone(), days: *days })
                .collect(),
            indicators,
            verifier: verifier.as_ref().map(|v| v.value.clone()),
        },
        span,
        path,
        obligor,
        zone,
        verifier,
        preconditions,
        indicator_zones,
    })
}

/// Reads `geometry = { type = "LineString" | "Polygon", coordinates = … }` (GeoJSON, longitude first).
fn read_geometry(cx: &mut Cx<'_>, z: &mut Fields<'_, '_>) -> Option<Shape> {
    let mut g = cx.table(z, "geometry")?;
    let kind = cx.str_req(&mut g, "type");
    let coords = g.get("coordinates");
    let field = g.field("coordinates");
    let shape = match (kind, coords) {
        (Some(k), Some(v)) => {
            match k.value.as_str() {
                "LineString" => {
                    let line = points(cx, v, &field)?;
                    if line.len() < 2 {
                        cx.error(
                            &v.span(),
                            &field,
                            format!("{} point(s)", line.len()),
                            Some("at least 2 [longitude, latitude] points".into()),
                        );
                        return None;
                    }
                    Some(Shape::Line(line))
                }
                "Polygon" => {
                    let rings = v.get_ref().as_array().map(|a| {
                        a.iter()
                            .enumerate()
                            .map(|(i, r)| points(cx, r, &format!("{field}[{i}]")))
                            .collect::<Option<Vec<_>>>()
                    });
                    match rings {
                        Some(Some(rings))
                            if !rings.is_empty()
                                && rings.iter().all(|r| r.len() >= 4 && r.first() == r.last()) =>
                        {
                            Some(Shape::Polygon(rings))
                        }
                        Some(Some(_)) => {
                            cx.error(&v.span(), &field, "a ring is not closed or has fewer than 4 points", Some("rings of at least 4 points, the last equal to the first (GeoJSON)".into()));
                            None
                        }
                        Some(None) => None,
                        None => {
                            cx.error(
                                &v.span(),
                                &field,
                                format!("found {}", v.get_ref().type_str()),
                                Some("an array of rings".into()),
                            );
                            None
                        }
                    }
                }
                other => {
                    cx.error(
                        &k.span,
                        &k.field,
                        format!("unsupported geometry type `{other}`"),
                        Some("LineString or Polygon".into()),
                    );
                    None
                }
            }
        }
        (Some(_), None) => {
            cx.missing(&g, "coordinates", "GeoJSON coordinates, [longitude, latitude] pairs");
            None
        }
        _ => None,
    };
    cx.finish(g);
    shape
}

fn points(cx: &mut Cx<'_>, v: &Spanned<DeValue<'_>>, field: &str) -> Option<Vec<Point>> {
    let expected = "an array of [longitude, latitude] pairs in degrees";
    let Some(items) = v.get_ref().as_array() else {
        cx.error(
            &v.span(),
            field,
            format!("found {}", v.get_ref().type_str()),
            Some(expected.into()),
        );
        return None;
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let pair = item
            .get_ref()
            .as_array()
            .map(|a| a.iter().map(|x| number(x.get_ref())).collect::<Vec<_>>());
        match pair.as_deref() {
            Some([Some(lon), Some(lat)])
                if (-180.0..=180.0).contains(lon) && (-90.0..=90.0).contains(lat) =>
            {
                out.push([*lon, *lat])
            }
            _ => {
                cx.error(
                    &item.span(),
                    &format!("{field}[{i}]"),
                    "not a [longitude, latitude] pair",
                    Some("two numbers, longitude in [-180, 180] then latitude in [-90, 90]".into()),
                );
                return None;
            }
        }
    }
    Some(out)
}

fn number(v: &DeValue<'_>) -> Option<f64> {
    match v {
        DeValue::Float(x) => x.as_str().parse::<f64>().ok().filter(|x| x.is_finite()),
        DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix()).ok().map(|i| i as f64),
        _ => None,
    }
}

/// Checks that ids are unique; returns them.
fn unique<'s>(cx: &mut Cx<'_>, ids: impl Iterator<Item = &'s Str>, what: &str) -> HashSet<String> {
    let mut seen = HashSet::new();
    for id in ids {
        if !seen.insert(id.value.clone()) {
            cx.error(
                &id.span,
                &id.field,
                format!("{what} id `{}` is used twice", id.value),
                Some(format!("a unique {what} id")),
            );
        }
    }
    seen
}

fn join<'s>(ids: impl Iterator<Item = &'s String>) -> String {
    let mut v: Vec<&str> = ids.map(String::as_str).collect();
    v.sort();
    v.join(", ")
}

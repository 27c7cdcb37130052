//! Property test: on random small scenarios, the exact count, the factored family of minimal concession sets,
//! the coalitions and the Pareto set agree with brute-force enumeration computed from first principles.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;

use crate::{AnalysisOptions, Constraint, Reading, analyze};

/// A position as generated: (party, issue, option, stance, day of January 2025, historical).
type RawPosition = (usize, usize, usize, usize, u8, bool);

const STANCES: [&str; 5] = ["demanded", "acceptable", "unknown", "opposed", "red_line"];

/// A cross-issue constraint as generated: `not (i{a} = i{a}.o{x} and i{b} = i{b}.o{y})`, held by a party or by none.
type RawCross = (usize, usize, usize, usize, Option<usize>);

#[derive(Debug, Clone)]
struct Case {
    parties: usize,
    options: Vec<usize>,
    positions: Vec<RawPosition>,
    cross: Vec<RawCross>,
}

fn case() -> impl Strategy<Value = Case> {
    (1usize..=3, prop::collection::vec(2usize..=3, 1..=3)).prop_flat_map(|(parties, options)| {
        let n_issues = options.len();
        let opts = options.clone();
        let position =
            (0..parties, 0..n_issues, 0usize..3, 0usize..5, 1u8..=4, prop::bool::weighted(0.1));
        let cross = (0..n_issues, 0..n_issues, 0usize..3, 0usize..3, prop::option::of(0..parties));
        (prop::collection::vec(position, 0..12), prop::collection::vec(cross, 0..=2)).prop_map(
            move |(raw, cross)| Case {
                parties,
                options: opts.clone(),
                positions: raw
                    .into_iter()
                    .map(|(p, i, o, s, d, h)| (p, i, o % opts[i], s, d, h))
                    .collect(),
                cross: cross
                    .into_iter()
                    .filter(|(a, b, _, _, _)| a != b)
                    .map(|(a, b, x, y, p)| (a, b, x % opts[a], y % opts[b], p))
                    .collect(),
            },
        )
    })
}

fn text(case: &Case) -> String {
    let mut t = String::from("[[sources]]\nid = \"s\"\n\n");
    for p in 0..case.parties {
        t += &format!("[[parties]]\nid = \"P{p}\"\n\n");
    }
    for (i, n) in case.options.iter().enumerate() {
        t += &format!("[[issues]]\nid = \"i{i}\"\n");
        for o in 0..*n {
            t += &format!("[[issues.options]]\nid = \"i{i}.o{o}\"\n");
        }
    }
    for (k, &(a, b, x, y, p)) in case.cross.iter().enumerate() {
        t += &format!(
            "[[constraints]]\nid = \"c{k}\"\nrule = \"not (i{a} = i{a}.o{x} and i{b} = i{b}.o{y})\"\n"
        );
        if let Some(p) = p {
            t += &format!("party = \"P{p}\"\n");
        }
    }
    for &(p, i, o, s, d, h) in &case.positions {
        t += &format!(
            "[[positions]]\nparty = \"P{p}\"\noption = \"i{i}.o{o}\"\nstance = \"{}\"\ndate = 2025-01-0{d}\nsource = \"s\"\nquote = \"q\"\nhistorical = {h}\n\n",
            STANCES[s]
        );
    }
    t
}

/// A hard constraint named independently of the implementation: (kind, party, issue, option or usize::MAX).
type Key = (&'static str, usize, usize, usize);

struct Oracle {
    parties: usize,
    options: Vec<usize>,
    /// current[(party, issue, option)] = stance index.
    current: BTreeMap<(usize, usize, usize), usize>,
    cross: Vec<RawCross>,
}

impl Oracle {
    fn new(case: &Case) -> Oracle {
        // Latest date wins; on the same date, the later position in the file wins. Historical ones never count.
        let mut latest: BTreeMap<(usize, usize, usize), (u8, usize)> = BTreeMap::new();
        for &(p, i, o, s, d, h) in &case.positions {
            if h {
                continue;
            }
            let entry = latest.entry((p, i, o)).or_insert((d, s));
            if d >= entry.0 {
                *entry = (d, s);
            }
        }
        Oracle {
            parties: case.parties,
            options: case.options.clone(),
            current: latest.into_iter().map(|(k, (_, s))| (k, s)).collect(),
            cross: case.cross.clone(),
        }
    }

    fn constraints(&self, reading: Reading) -> Vec<Key> {
        let mut keys = Vec::new();
        for (&(p, i, o), &s) in &self.current {
            if STANCES[s] == "red_line" {
                keys.push(("red_line", p, i, o));
            }
            if STANCES[s] == "unknown" && reading == Reading::Pessimistic {
                keys.push(("unknown", p, i, o));
            }
        }
        for (k, &(a, b, _, _, p)) in self.cross.iter().enumerate() {
            if let Some(p) = p {
                keys.push(("cross", p, a.min(b), k));
            }
        }
        if reading == Reading::Strict {
            for p in 0..self.parties {
                for i in 0..self.options.len() {
                    if (0..self.options[i]).any(|o| {
                        self.current.get(&(p, i, o)).map(|&s| STANCES[s]) == Some("demanded")
                    }) {
                        keys.push(("demand", p, i, usize::MAX));
                    }
                }
            }
        }
        keys.sort();
        keys
    }

    fn satisfies(&self, key: &Key, package: &[usize]) -> bool {
        let &(kind, p, i, o) = key;
        match kind {
            "demand" => {
                self.current.get(&(p, i, package[i])).map(|&s| STANCES[s]) == Some("demanded")
            }
            "cross" => self.cross_holds(o, package),
            _ => package[i] != o,
        }
    }

    fn cross_holds(&self, k: usize, package: &[usize]) -> bool {
        let (a, b, x, y, _) = self.cross[k];
        !(package[a] == x && package[b] == y)
    }

    /// Every package that breaks no structural constraint (one held by no party).
    fn packages(&self) -> Vec<Vec<usize>> {
        let mut all = vec![Vec::new()];
        for &n in &self.options {
            all = all
                .into_iter()
                .flat_map(|prefix| (0..n).map(move |o| [prefix.clone(), vec![o]].concat()))
                .collect();
        }
        all.retain(|pkg| {
            (0..self.cross.len()).all(|k| self.cross[k].4.is_some() || self.cross_holds(k, pkg))
        });
        all
    }

    fn any_feasible(&self, hard: &[&Key]) -> bool {
        self.packages().iter().any(|pkg| hard.iter().all(|k| self.satisfies(k, pkg)))
    }

    /// The mean of the party's stance utilities over the issues. Summed first and divided once, so that
    /// packages whose utilities are mathematically equal get equal floats (stance utilities are quarters).
    fn utility(&self, party: usize, package: &[usize]) -> f64 {
        let defaults = [1.0, 0.75, 0.5, 0.25, 0.0];
        let sum = package.iter().enumerate().fold(0.0, |acc, (i, &o)| {
            acc + self.current.get(&(party, i, o)).map_or(0.5, |&s| defaults[s])
        });
        sum * (1.0 / self.options.len() as f64)
    }
}

fn key_of(scenario: &truce_scenario::Scenario, c: &Constraint) -> Key {
    let party: usize = scenario.party(c.party()).id[1..].parse().unwrap();
    let issue = c.issue(scenario).ix();
    let local = |o: truce_scenario::OptionIx| {
        scenario.issue(scenario.option(o).issue).options.iter().position(|x| *x == o).unwrap()
    };
    match c {
        Constraint::RedLine { option, .. } => ("red_line", party, issue, local(*option)),
        Constraint::UnknownAsRedLine { option, .. } => ("unknown", party, issue, local(*option)),
        Constraint::Demand { .. } => ("demand", party, issue, usize::MAX),
        Constraint::Cross { constraint, .. } => ("cross", party, issue, *constraint),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn analysis_agrees_with_brute_force(case in case()) {
        let text = text(&case);
        let (scenario, diagnostics) = truce_scenario::parse("random.toml", &text);
        prop_assert!(diagnostics.is_empty(), "{:?}", diagnostics);
        let scenario = scenario.unwrap();
        let oracle = Oracle::new(&case);
        let analysis = analyze(&scenario, &AnalysisOptions::default()).unwrap();
        for r in &analysis.readings {
            let universe = oracle.constraints(r.reading);
            let mine: Vec<Key> = {
                let mut v: Vec<Key> = r.constraints.all.iter().map(|c| key_of(&scenario, c)).collect();
                v.sort();
                v
            };
            prop_assert_eq!(&mine, &universe, "constraints of {}", r.reading);

            // The exact count.
            let all_hard: Vec<&Key> = universe.iter().collect();
            let feasible: Vec<Vec<usize>> =
                oracle.packages().into_iter().filter(|pkg| all_hard.iter().all(|k| oracle.satisfies(k, pkg))).collect();
            prop_assert_eq!(r.feasibility.feasible_packages.to_u128().unwrap(), feasible.len() as u128);

            // The family of minimal concession sets: every set sufficient, every set minimal, none missing.
            let n = universe.len();
            let mut sufficient = Vec::new();
            for mask in 0u32..(1 << n) {
                let hard: Vec<&Key> = (0..n).filter(|b| mask & (1 << b) == 0).map(|b| &universe[b]).collect();
                if oracle.any_feasible(&hard) {
                    sufficient.push(mask);
                }
            }
            let minimal: BTreeSet<Vec<Key>> = sufficient
                .iter()
                .filter(|&&m| !sufficient.iter().any(|&s| s != m && s & m == s))
                .map(|&m| (0..n).filter(|b| m & (1 << b) != 0).map(|b| universe[b]).collect())
                .collect();
            let expanded: BTreeSet<Vec<Key>> = match &r.concessions {
                None => BTreeSet::from([Vec::new()]),
                Some(family) => {
                    let sets = family.expand();
                    prop_assert_eq!(family.total_sets.to_u128().unwrap(), sets.len() as u128);
                    sets.iter().map(|set| {
                        let mut keys: Vec<Key> = set.iter().map(|&c| key_of(&scenario, r.constraints.get(c))).collect();
                        keys.sort();
                        keys
                    }).collect()
                }
            };
            prop_assert_eq!(&expanded, &minimal, "minimal concession sets of {}", r.reading);

            // Coalitions.
            if let Some(c) = &r.coalitions {
                let can_agree = |members: &BTreeSet<usize>| {
                    let hard: Vec<&Key> = universe.iter().filter(|k| members.contains(&k.1)).collect();
                    oracle.any_feasible(&hard)
                };
                let ids = |v: &Vec<Vec<truce_scenario::PartyIx>>| -> BTreeSet<BTreeSet<usize>> {
                    v.iter().map(|m| m.iter().map(|p| p.ix()).collect()).collect()
                };
                let subsets: Vec<BTreeSet<usize>> =
                    (0u32..(1 << oracle.parties)).map(|m| (0..oracle.parties).filter(|b| m & (1 << b) != 0).collect()).collect();
                let maximal: BTreeSet<BTreeSet<usize>> = subsets.iter().filter(|s| can_agree(s)
                    && (0..oracle.parties).all(|p| s.contains(&p) || !can_agree(&s.iter().copied().chain([p]).collect()))).cloned().collect();
                let blocking: BTreeSet<BTreeSet<usize>> = subsets.iter().filter(|s| !can_agree(s)
                    && s.iter().all(|p| can_agree(&s.iter().copied().filter(|q| q != p).collect()))).cloned().collect();
                prop_assert_eq!(ids(&c.maximal), maximal);
                prop_assert_eq!(ids(&c.minimal_blocking), blocking);
                prop_assert_eq!(c.grand_coalition_feasible, can_agree(&(0..oracle.parties).collect()));
            }

            // The Pareto set, as distinct utility vectors, and the Nash product.
            if let Some(best) = &r.best {
                let vectors: Vec<Vec<f64>> = feasible.iter().map(|pkg| (0..oracle.parties).map(|p| oracle.utility(p, pkg)).collect()).collect();
                let dominated = |v: &Vec<f64>| vectors.iter().any(|w| w != v && w.iter().zip(v).all(|(a, b)| a >= b));
                let mut frontier: Vec<Vec<f64>> = vectors.iter().filter(|v| !dominated(v)).cloned().collect();
                frontier.sort_by(|a, b| a.partial_cmp(b).unwrap());
                frontier.dedup();
                prop_assert_eq!(best.pareto_size, frontier.len());
                let nash = frontier.iter().map(|v| v.iter().product::<f64>()).fold(0.0, f64::max);
                prop_assert!((best.nash.as_ref().unwrap().score - nash).abs() < 1e-9);
                let maximin = frontier.iter().map(|v| v.iter().copied().fold(f64::INFINITY, f64::min)).fold(0.0, f64::max);
                prop_assert!((best.maximin.as_ref().unwrap().score - maximin).abs() < 1e-12);
            }
        }
    }
}

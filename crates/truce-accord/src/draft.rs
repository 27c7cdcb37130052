//! Drafting an agreement from a package the Table found: one provision per template of each chosen
//! option, each citing the sources of the positions taken on that option. The draft is TOML in the
//! accord format, `status = "draft"`, for the mediator to edit; it validates as it is.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use jiff::civil::Date;
use truce_scenario::{OptionIx, Scenario};

use truce_syntax::quote as q;

/// The id of a drafted agreement: lowercase letters, digits and dashes.
fn slug(s: &str) -> String {
    let s: String = s
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' })
        .collect();
    s.split('-').filter(|p| !p.is_empty()).collect::<Vec<_>>().join("-")
}

/// The first day of an agreement drafted from `scenario` when none is given: the day after its latest
/// position. `None` when it has no positions.
pub fn default_day_one(scenario: &Scenario) -> Option<Date> {
    scenario.positions.iter().map(|p| p.date).max().and_then(|d| d.tomorrow().ok())
}

/// Drafts an agreement for `package` (one option per issue, in issue order) of `scenario`. `label` names
/// how the package was chosen (`nash`, `maximin`, a list of options); `day_one` is the first day of the
/// agreement.
pub fn draft(scenario: &Scenario, package: &[OptionIx], label: &str, day_one: Date) -> String {
    let title = scenario.meta.title.clone().unwrap_or_else(|| "Scenario".into());
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# Draft agreement written by `truce accord draft` from the {label} package of\n# {title}.\n# Provisions come from the options' templates; each cites the sources of the positions on its option.\n# Commitments without indicators cannot be checked from the mission's log; a zone can be added to any\n# indicator ([[zones]], then zone = \"...\").\n"
    );
    let _ = writeln!(
        s,
        "[agreement]\nid = {}\ntitle = {}\nstatus = \"draft\"\nday_one = {day_one}\n",
        q(&format!("draft-{}", slug(label))),
        q(&format!("Draft settlement ({label} package): {title}"))
    );
    let _ = writeln!(
        s,
        "[mechanism]\nname = \"Monitoring mission (to be designated)\"\nverifiers = [\"MONITORS\"]\nlookback_days = 7\n"
    );
    for p in &scenario.parties {
        let _ =
            writeln!(s, "[[actors]]\nid = {}\nname = {}\nrole = \"party\"\n", q(&p.id), q(&p.name));
    }
    let _ = writeln!(
        s,
        "[[actors]]\nid = \"MONITORS\"\nname = \"Monitoring mission (to be designated)\"\nrole = \"verifier\"\n"
    );
    // The sources of the current positions on each chosen option.
    let cited: Vec<BTreeSet<usize>> = package
        .iter()
        .map(|o| {
            scenario
                .positions
                .iter()
                .filter(|p| p.option == *o && !p.historical)
                .map(|p| p.source.0 as usize)
                .collect()
        })
        .collect();
    let all: BTreeSet<usize> = cited.iter().flatten().copied().collect();
    for i in &all {
        let src = &scenario.sources[*i];
        let title = [src.publication.as_deref(), src.title.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(": ");
        let _ = write!(
            s,
            "[[sources]]\nid = {}\ntitle = {}\n",
            q(&src.id),
            q(if title.is_empty() { &src.id } else { &title })
        );
        if let Some(d) = src.date {
            let _ = writeln!(s, "date = {d}");
        }
        if let Some(u) = &src.url {
            let _ = writeln!(s, "url = {}", q(u));
        }
        s.push('\n');
    }
    let mut number = 0;
    for (k, o) in package.iter().enumerate() {
        let option = scenario.option(*o);
        let issue = scenario.issue(option.issue);
        let sources: Vec<String> = cited[k].iter().map(|i| q(&scenario.sources[*i].id)).collect();
        let templates = &option.provisions;
        if templates.is_empty() {
            number += 1;
            let _ = writeln!(
                s,
                "[[provisions]]\nnumber = \"{number}\"\ntitle = {}\nquote = {}\nsources = [{}]\nnot_checkable = {}\n",
                q(&format!("{}: {}", issue.name, option.label)),
                q(option.description.as_deref().unwrap_or(&option.label)),
                sources.join(", "),
                q(&format!(
                    "The option `{}` has no provision template yet: the mediator drafts its text and commitments.",
                    option.id
                ))
            );
            continue;
        }
        for t in templates {
            number += 1;
            let _ = write!(
                s,
                "[[provisions]]\nnumber = \"{number}\"\ntitle = {}\nquote = {}\nsources = [{}]\nnote = {}\n",
                q(&t.title),
                q(&t.text),
                sources.join(", "),
                q(&format!("From option {} ({}).", option.id, issue.name))
            );
            if let Some(r) = &t.not_checkable {
                let _ = writeln!(s, "not_checkable = {}", q(r));
            }
            s.push('\n');
            for (j, c) in t.commitments.iter().enumerate() {
                let _ = write!(
                    s,
                    "[[provisions.commitments]]\nid = {}\nobligor = {}\nmodality = {}\naction = {}\nstart_day = {}\nverifier = \"MONITORS\"\n",
                    q(&format!("{number}.{}.{}", j + 1, c.obligor)),
                    q(&c.obligor),
                    q(&c.modality),
                    q(&c.action),
                    c.start_day
                );
                if let Some(d) = c.deadline_days {
                    let _ = writeln!(s, "deadline_days = {d}");
                }
                s.push('\n');
                if !c.indicator_classes.is_empty() && t.not_checkable.is_none() {
                    let classes: Vec<String> = c.indicator_classes.iter().map(|x| q(x)).collect();
                    let _ = writeln!(
                        s,
                        "[[provisions.commitments.indicators]]\nid = {}\nclasses = [{}]\nparty = {}\nthreshold = 0\naggregation = \"events\"\ncadence = \"daily\"\n",
                        q(&format!("{number}.{}.{}.observed", j + 1, c.obligor)),
                        classes.join(", "),
                        q(&c.party_rule)
                    );
                }
            }
        }
    }
    s
}

//! The Minsk II accord validates, and bad accords get diagnostics that name the place and the fix.

// Tests print the figures they measure, as the test runner shows them.
#![allow(clippy::print_stdout)]

use truce_accord::{Checkable, Severity, parse};

fn minsk() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../accords/minsk-2015.toml"))
        .unwrap()
}

#[test]
fn minsk_ii_validates_with_all_thirteen_points() {
    let (agreement, diags) = parse("minsk-2015.toml", &minsk());
    assert!(diags.is_empty(), "{diags:#?}");
    let a = agreement.unwrap();
    assert_eq!(a.provisions.len(), 13);
    let checkable: Vec<&str> = a
        .provisions
        .iter()
        .filter(|p| p.checkable == Checkable::Machine)
        .map(|p| p.number.as_str())
        .collect();
    assert_eq!(checkable, ["1", "2", "3"]);
    for p in &a.provisions {
        if let Checkable::Not { reason } = &p.checkable {
            assert!(reason.len() > 20, "point {} needs a real reason", p.number);
        }
    }
    // Withdrawal: six commitments (two obligors, three weapon bands), from day 2, 14 days to complete.
    let withdrawal = &a.provisions[1].commitments;
    assert_eq!(withdrawal.len(), 6);
    for c in withdrawal {
        assert_eq!(a.date_of(&c.window.start).to_string(), "2015-02-16");
        assert_eq!(c.window.deadline_days, Some(14));
        assert!(!c.indicators.is_empty());
    }
    // The security zones are 25, 35 and 70 km from each side's line.
    let z = a.zone("ordlo_mlrs_35km").unwrap();
    let on_line = [37.86, 47.10]; // the southern end of the Memorandum line
    assert!(z.contains(truce_accord::geo::offset(on_line, 180.0, 30.0)));
    assert!(!z.contains(truce_accord::geo::offset(on_line, 180.0, 40.0)));
}

#[test]
fn bad_accords_get_every_diagnostic_with_place_and_expectation() {
    let text = minsk()
        .replacen("obligor = \"UKR_GOV\"", "obligor = \"UKR\"", 1)
        .replacen("zone = \"conflict_area\"", "zone = \"nowhere\"", 1)
        .replacen("status = \"signed\"", "status = \"sined\"", 1)
        .replacen(
            "buffer = { line = \"contact_line\", km = 25 }",
            "buffer = { line = \"contact_line\", km = -5 }",
            1,
        )
        .replacen(
            "preconditions = [{ commitment = \"1.ceasefire.ORDLO\" }]",
            "preconditions = [{ commitment = \"1.truce.ORDLO\" }]",
            1,
        );
    let (agreement, diags) = parse("bad.toml", &text);
    assert!(agreement.is_none());
    let errors: Vec<String> =
        diags.iter().filter(|d| d.severity == Severity::Error).map(|d| d.to_string()).collect();
    let expect = [
        "agreement.status: unknown",
        "no actor `UKR`",
        "no zone `nowhere`",
        "half-width -5",
        "no commitment `1.truce.ORDLO`",
    ];
    for e in expect {
        assert!(errors.iter().any(|d| d.contains(e)), "missing {e:?} in {errors:#?}");
    }
    for d in &errors {
        assert!(d.starts_with("bad.toml:"), "{d}");
        assert!(d.contains("; expected "), "every error says what was expected: {d}");
    }
    // A cycle of preconditions, and a provision with neither indicators nor a reason.
    let cyclic = minsk().replacen(
        "start = 2015-02-15\nverifier = \"OSCE\"",
        "start = 2015-02-15\nverifier = \"OSCE\"\npreconditions = [{ commitment = \"2.artillery.UKR_GOV\" }]",
        1,
    );
    let (_, diags) = parse("cyclic.toml", &cyclic);
    assert!(diags.iter().any(|d| d.message.contains("cycle")), "{diags:#?}");
    let unreasoned =
        minsk().replacen("not_checkable = \"An amnesty law", "note = \"An amnesty law", 1);
    let (_, diags) = parse("unreasoned.toml", &unreasoned);
    assert!(diags.iter().any(|d| d.message.contains("no reason is given")), "{diags:#?}");
    // Syntax errors and garbage never panic.
    for junk in ["[agreement", "[[provisions]]\nnumber = 1", "\u{0}", "zones = 3"] {
        let (a, d) = parse("junk.toml", junk);
        assert!(a.is_none() && !d.is_empty());
    }
}

//! Issue 24: the alerting rules of docs/ops/alerts.yml load in Prometheus's own checker, pass their
//! unit tests (each alert fires on the series that should raise it, and not before), and name only
//! metrics a server exports.

use std::collections::BTreeSet;
use std::process::Command;
use std::sync::Arc;

use axum::http::StatusCode;

use super::{call, root, state};

fn promtool(args: &[&str]) -> String {
    let out = Command::new("promtool")
        .args(args)
        .current_dir(root().join("docs/ops"))
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "promtool ({e}): run the tests with `cargo xtask test`, which installs Debian's prometheus package"
            )
        });
    let said =
        format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "promtool {}:\n{said}", args.join(" "));
    said
}

#[tokio::test]
async fn the_alert_rules_load_pass_their_tests_and_name_exported_metrics() {
    assert!(promtool(&["check", "rules", "alerts.yml"]).contains("SUCCESS: 7 rules found"));
    promtool(&["test", "rules", "alerts.test.yml"]);

    let rules = std::fs::read_to_string(root().join("docs/ops/alerts.yml")).unwrap();
    let named: BTreeSet<String> = rules
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| w.starts_with("truce_"))
        .map(str::to_string)
        .collect();
    assert!(named.len() >= 8, "{named:?}");
    let (state, _, _, _) = state("operations-metrics", 64).await;
    let metrics = truce_server::metrics_router(Arc::new(state));
    let (status, body, _) = call(&metrics, "GET", "/metrics", None, vec![]).await;
    assert_eq!(status, StatusCode::OK);
    let body = String::from_utf8(body).unwrap();
    let exported: BTreeSet<String> = body
        .lines()
        .filter_map(|l| l.strip_prefix("# TYPE "))
        .filter_map(|l| l.split(' ').next())
        .map(str::to_string)
        .collect();
    let missing: Vec<&String> = named.difference(&exported).collect();
    assert!(missing.is_empty(), "alerts name metrics no server exports: {missing:?}\n{body}");
}

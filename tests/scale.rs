//! Many schools in one project: every school's warnings are reported exactly once, in
//! the overview's order, a build of some schools reports only theirs, and the output of
//! a large project is the same byte for byte from one build to the next.
//! (Speed is measured in bench/, never asserted here.)

mod common;

use std::process::Command;

use common::{Project, TODAY};
use serde_json::Value;

/// Schools generated into the `basic` fixture besides its own two.
const GENERATED: usize = 150;

fn slug(i: usize) -> String {
    format!("schule-{i:04}")
}

/// The `basic` fixture with `GENERATED` more schools, each with its own tenant and
/// contract, so each has the same warnings as the others.
fn large_project() -> Project {
    let p = Project::fixture("basic");
    for i in 0..GENERATED {
        let text = format!(
            "name = \"Schule {i}\"\n\n[tenant]\ndomain = \"s{i}.onmicrosoft.com\"\n\
             admin = \"admin@s{i}.onmicrosoft.com\"\n\n[contract]\nnumber = \"V{:07}\"\n\n\
             [assignment]\nmode = \"manual\"\n",
            3_000_000 + i
        );
        p.write(&format!("content/schools/{}.toml", slug(i)), &text);
    }
    p
}

/// The warning ids of `slug`, in the order the report gives them.
fn ids_of(warnings: &[(&str, handbuch::SchoolWarning)], slug: &str) -> Vec<&'static str> {
    warnings
        .iter()
        .filter(|(s, _)| *s == slug)
        .map(|(_, w)| w.id)
        .collect()
}

#[test]
fn every_school_of_a_large_project_has_its_warnings_once_in_overview_order() {
    let p = large_project();
    let report = p.built_html();
    assert_eq!(report.schools, GENERATED + 2);
    let warnings: Vec<(&str, handbuch::SchoolWarning)> = report.school_warnings().collect();
    let slugs: Vec<&str> = warnings.iter().map(|(s, _)| *s).collect();
    let mut grouped = slugs.clone();
    grouped.dedup();
    let mut sorted = grouped.clone();
    sorted.sort_unstable();
    assert_eq!(grouped, sorted, "one run of warnings per school, by slug");
    let first = ids_of(&warnings, &slug(0));
    assert!(!first.is_empty(), "a generated school has warnings");
    for i in 0..GENERATED {
        assert_eq!(ids_of(&warnings, &slug(i)), first, "{}", slug(i));
    }
}

#[test]
fn a_build_of_some_schools_of_a_large_project_reports_only_their_warnings() {
    let p = large_project();
    p.built_html();
    let mut options = p.options();
    options.pdf = false;
    options.schools = vec![slug(120), slug(7)];
    let report = handbuch::build(&options).unwrap_or_else(|e| panic!("build failed:\n{e}"));
    assert_eq!(report.schools, 2);
    let mut slugs: Vec<&str> = report.school_warnings().map(|(s, _)| s).collect();
    slugs.dedup();
    assert_eq!(slugs, vec![slug(7), slug(120)]);
}

#[test]
fn the_json_report_of_some_schools_names_only_them() {
    let p = large_project();
    p.built_html();
    let out = Command::new(env!("CARGO_BIN_EXE_handbuch"))
        .current_dir(p.root())
        .args([
            "build",
            "--no-pdf",
            "--format",
            "json",
            "--school",
            "schule-0042",
        ])
        .args(["--today", TODAY, "--root", "."])
        .env("NO_COLOR", "1")
        .output()
        .expect("run handbuch");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("stdout is UTF-8");
    let findings: Vec<Value> = text
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).expect("one JSON value per line"))
        .filter(|v| v["type"] == "school_warning")
        .collect();
    assert!(!findings.is_empty(), "{text}");
    assert!(
        findings.iter().all(|f| f["slug"] == "schule-0042"),
        "{text}"
    );
}

#[test]
fn two_builds_of_a_large_project_are_byte_identical() {
    let p = large_project();
    p.built_html();
    let first = p.tree("public");
    p.built_html();
    assert_eq!(first.len(), p.tree("public").len());
    assert!(
        first == p.tree("public"),
        "the second build changed the output"
    );
}

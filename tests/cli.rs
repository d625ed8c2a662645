//! The command line: exit codes and messages.

mod common;

use std::process::Command;

use common::{Project, TODAY};

fn handbuch(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_handbuch"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run handbuch")
}

#[test]
fn build_succeeds_with_exit_0() {
    let p = Project::fixture("basic");
    let root = p.root().to_str().expect("utf-8 path");
    let out = handbuch(&["build", "--root", root, "--today", TODAY]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("built 2 handbooks (2 PDFs) of 2 schools")
    );
    assert!(p.path("public/de/evil/index.html").is_file());
}

#[test]
fn invalid_input_exits_1_with_summary() {
    let p = Project::fixture("basic");
    p.write(
        "content/schools/manual.toml",
        &p.read("content/schools/manual.toml")
            .replace("V2000002", "2000002"),
    );
    let root = p.root().to_str().expect("utf-8 path");
    let out = handbuch(&["check", "--root", root, "--today", TODAY]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("content/schools/manual.toml:8:10") && stderr.contains("1 error in 1 file"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("\u{1b}["),
        "no colours when not on a terminal"
    );
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(
        handbuch(&["build", "--today", "25.11.2026"]).status.code(),
        Some(2)
    );
    assert_eq!(handbuch(&["frobnicate"]).status.code(), Some(2));
}

#[test]
fn check_writes_nothing() {
    let p = Project::fixture("basic");
    let root = p.root().to_str().expect("utf-8 path");
    let out = handbuch(&["check", "--root", root, "--today", TODAY]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!p.path("public").exists());
}

#[test]
fn check_no_pdf_checks_the_html_without_running_the_print_template() {
    let p = Project::fixture("basic");
    p.write("themes/default/print/handbook.typ", "#let x = (\n");
    let root = p.root().to_str().expect("utf-8 path");
    let with_pdf = handbuch(&["check", "--root", root, "--today", TODAY]);
    let stderr = String::from_utf8_lossy(&with_pdf.stderr);
    assert_eq!(with_pdf.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("print/handbook.typ"), "{stderr}");
    let html_only = handbuch(&["check", "--root", root, "--today", TODAY, "--no-pdf"]);
    let stderr = String::from_utf8_lossy(&html_only.stderr);
    assert_eq!(html_only.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("checked 2 handbooks (0 PDFs)"), "{stderr}");
    assert!(!p.path("public").exists());
}

#[test]
fn init_creates_a_project_that_builds() {
    let dir = tempfile::tempdir().expect("temp dir");
    let project = dir.path().join("neu");
    let root = project.to_str().expect("utf-8 path");
    let out = handbuch(&["init", root]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(project.join("handbuch.toml").is_file());
    assert!(project.join("content/guide/en/05-buchung.md").is_file());
    let built = handbuch(&["build", "--root", root, "--today", TODAY, "--no-pdf"]);
    assert_eq!(
        built.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    assert!(project
        .join("public/de/gymnasium-am-stadtpark/index.html")
        .is_file());
}

#[test]
fn init_never_overwrites_an_existing_project() {
    let p = Project::fixture("basic");
    let before = p.read("handbuch.toml");
    let out = handbuch(&["init", p.root().to_str().expect("utf-8 path")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("folder is not empty"));
    assert_eq!(p.read("handbuch.toml"), before);
}

//! A template that runs away is stopped: chapters and the theme's page and print
//! templates are programs, and neither tera nor Typst limits what a program takes. Past
//! the memory limit or the time limit of one handbook the run ends with exit 1 and a
//! message, and the previous output stays as it was.

mod common;

use std::process::Command;

use common::{Project, TODAY};

const PRINT_TEMPLATE: &str = "themes/default/print/handbook.typ";

/// `handbuch build` of `p` with `env` set: exit code and stderr.
fn build(p: &Project, extra: &[&str], env: &[(&str, &str)]) -> (Option<i32>, String) {
    let (code, _, stderr) = build_output(p, extra, env);
    (code, stderr)
}

/// `handbuch build` of `p` with `env` set: exit code, stdout and stderr.
fn build_output(
    p: &Project,
    extra: &[&str],
    env: &[(&str, &str)],
) -> (Option<i32>, String, String) {
    let root = p.root().to_str().expect("utf-8 path");
    let out = Command::new(env!("CARGO_BIN_EXE_handbuch"))
        .args(["build", "--root", root, "--today", TODAY])
        .args(extra)
        .envs(env.iter().copied())
        .env("NO_COLOR", "1")
        .output()
        .expect("run handbuch");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The bundled print template with `line` appended: the project's theme overrides it.
fn print_template_with(p: &Project, line: &str) {
    let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let default = std::fs::read_to_string(manifest.join(PRINT_TEMPLATE)).expect("print template");
    p.write(PRINT_TEMPLATE, &format!("{default}\n{line}\n"));
}

/// Build the basic fixture once as it is, then run `hostile` on it and build with `env`:
/// the build must fail with exit 1 and leave the first build's output byte for byte.
/// Returns stderr.
fn stopped(hostile: impl FnOnce(&Project), extra: &[&str], env: &[(&str, &str)]) -> String {
    stopped_output(hostile, extra, env).1
}

/// [`stopped`], returning stdout and stderr.
fn stopped_output(
    hostile: impl FnOnce(&Project),
    extra: &[&str],
    env: &[(&str, &str)],
) -> (String, String) {
    let p = &Project::fixture("basic");
    let (code, stderr) = build(p, extra, &[]);
    assert_eq!(code, Some(0), "{stderr}");
    let before = common::tree(&p.path("public"));
    hostile(p);
    let (code, stdout, stderr) = build_output(p, extra, env);
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(
        common::tree(&p.path("public")),
        before,
        "the previous output changed"
    );
    (stdout, stderr)
}

/// With `--format json` a stop is the two lines a program reads, on stdout: the stop as
/// an error diagnostic with `code`, and a failed summary. Nothing goes to stderr.
fn assert_json_stop(stdout: &str, stderr: &str, code: &str, message: &str) {
    assert_eq!(stderr, "", "json writes nothing for people");
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    let stop = &lines[0];
    assert_eq!(stop["type"], "diagnostic");
    assert_eq!(stop["severity"], "error");
    assert_eq!(stop["code"], code);
    let text = stop["message"].as_str().expect("a message");
    assert!(
        text.starts_with("stopped: ") && text.contains(message),
        "{text}"
    );
    let summary = &lines[1];
    assert_eq!(summary["type"], "summary");
    assert_eq!(summary["command"], "build");
    assert_eq!(summary["success"], false);
    assert_eq!(summary["exit_code"], 1);
    assert_eq!(summary["errors"], 1);
}

/// Two seconds for one handbook or page: the loops below would take hours.
const TWO_SECONDS: [(&str, &str); 1] = [("HANDBUCH_TIME_LIMIT", "2")];

const NESTED_TERA_LOOPS: &str =
    "{% for i in range(end=100000) %}{% for j in range(end=100000) %}{% endfor %}{% endfor %}";

#[test]
fn a_print_template_that_builds_a_huge_array_is_stopped_at_the_memory_limit() {
    let stderr = stopped(
        |p| print_template_with(p, "#let a = range(2000000000)"),
        &[],
        &[("HANDBUCH_MEMORY_LIMIT", "256")],
    );
    assert!(
        stderr.contains("error: stopped: this run needs more than its memory limit of 256 MiB"),
        "{stderr}"
    );
    assert!(
        stderr.contains("the previous output is as it was"),
        "{stderr}"
    );
}

#[test]
fn a_chapter_whose_loops_do_not_end_is_stopped_at_the_time_limit() {
    let stderr = stopped(
        |p| {
            p.write(
                "content/guide/de/03-endlos.md",
                &format!("# Endlos\n\n{NESTED_TERA_LOOPS}\n"),
            )
        },
        &["--no-pdf"],
        &TWO_SECONDS,
    );
    assert!(
        stderr.contains("error: stopped: the handbook of `"),
        "{stderr}"
    );
    assert!(stderr.contains("(de) took longer than 2 s"), "{stderr}");
}

#[test]
fn a_print_template_whose_loops_do_not_end_is_stopped_at_the_time_limit() {
    let stderr = stopped(
        |p| print_template_with(p, "#for i in range(100000) { for j in range(100000) { } }"),
        &[],
        &TWO_SECONDS,
    );
    assert!(stderr.contains("(de) took longer than 2 s"), "{stderr}");
}

/// The theme's overview page template loops for good; an HTML build in `format`, stopped
/// at the time limit: stdout and stderr.
fn page_template_loops_stopped(format: &str) -> (String, String) {
    stopped_output(
        |p| p.write("themes/default/templates/overview.html", NESTED_TERA_LOOPS),
        &["--no-pdf", "--format", format],
        &TWO_SECONDS,
    )
}

#[test]
fn a_page_template_whose_loops_do_not_end_is_stopped_at_the_time_limit() {
    let (_, stderr) = page_template_loops_stopped("human");
    assert!(
        stderr
            .contains("error: stopped: the theme's `templates/overview.html` took longer than 2 s"),
        "{stderr}"
    );
}

#[test]
fn a_limit_that_is_not_a_positive_number_is_a_usage_error() {
    let p = Project::fixture("basic");
    for (var, value) in [
        ("HANDBUCH_MEMORY_LIMIT", "abc"),
        ("HANDBUCH_MEMORY_LIMIT", "0"),
        ("HANDBUCH_TIME_LIMIT", "-5"),
        ("HANDBUCH_TIME_LIMIT", "1.5"),
    ] {
        let (code, stderr) = build(&p, &["--no-pdf"], &[(var, value)]);
        assert_eq!(code, Some(2), "{var}={value}: {stderr}");
        assert_eq!(
            stderr.trim(),
            format!("error: {var} must be a whole number above 0, not `{value}`")
        );
    }
    assert!(!p.path("public").exists(), "a usage error wrote output");
}

#[test]
fn with_format_json_a_stop_at_the_memory_limit_is_a_json_diagnostic_on_stdout() {
    let (stdout, stderr) = stopped_output(
        |p| print_template_with(p, "#let a = range(2000000000)"),
        &["--format", "json"],
        &[("HANDBUCH_MEMORY_LIMIT", "256")],
    );
    assert_json_stop(
        &stdout,
        &stderr,
        "build.memory-limit",
        "this run needs more than its memory limit of 256 MiB",
    );
}

#[test]
fn with_format_json_a_stop_at_the_time_limit_is_a_json_diagnostic_on_stdout() {
    let (stdout, stderr) = page_template_loops_stopped("json");
    assert_json_stop(
        &stdout,
        &stderr,
        "build.time-limit",
        "the theme's `templates/overview.html` took longer than 2 s",
    );
}

#[test]
fn with_format_github_a_stop_is_an_error_annotation_and_the_text_on_stderr() {
    let (stdout, stderr) = page_template_loops_stopped("github");
    assert!(stdout.starts_with("::error "), "{stdout}");
    assert!(
        stdout.contains("title=build.time-limit::stopped: "),
        "{stdout}"
    );
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(
        stderr.contains("error: stopped: the theme's `templates/overview.html` took longer"),
        "{stderr}"
    );
}

//! Every page a build writes is valid HTML by the W3C Nu Html Checker (`vnu.jar` from the npm
//! package `vnu-jar` in tests/browser, run with Debian's JRE): 0 errors and 0 warnings, over
//! the bundled example and the `reflow` fixture (long names, addresses and URLs, a title per
//! locale). `scripts/install-test-tools` installs both; if either is missing these tests fail,
//! they never skip.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::Project;

/// Where `npm ci --prefix tests/browser` puts the checker.
fn vnu_jar() -> PathBuf {
    let jar = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/browser/node_modules/vnu-jar/build/dist/vnu.jar");
    assert!(
        jar.is_file(),
        "{} is missing: run scripts/install-test-tools (or `npm ci --prefix tests/browser`)",
        jar.display()
    );
    jar
}

/// Every `.html` file below `dir`, sorted.
fn html_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("walk the output").into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    files.sort();
    files
}

/// Messages of the checker's CSP check that are wrong for these pages, and why:
/// * it compares a relative address (`../../assets/handbuch.css`) with `'self'` without
///   resolving it against the page, so every file of the site's own counts as blocked;
/// * it counts a `<script type="application/json">` data block as inline script, which a
///   browser never runs, so the policy does not apply to it.
///
/// tests/browser/reflow.mjs checks the policy in Chromium instead: no violation on any
/// page. A remote address (`https://…`) is still reported.
fn is_known_csp_false_positive(message: &serde_json::Value) -> bool {
    let text = message["message"].as_str().unwrap_or_default();
    let extract = message["extract"].as_str().unwrap_or_default();
    let own_file = text
        .strip_prefix("Resource violates Content Security Policy (meta tag): ")
        .and_then(|rest| rest.split('\u{201c}').nth(1))
        .and_then(|quoted| quoted.split('\u{201d}').next())
        .is_some_and(|url| !url.contains(':') && !url.starts_with("//"));
    let data_block = text.starts_with("Inline script violates Content Security Policy")
        && extract.contains("<script type=\"application/json\"");
    own_file || data_block
}

/// The checker's guess at a page's language ("This document appears to be written in
/// German but the html start tag has lang=en"). On a page that is mostly German names it
/// is a toss-up (one run of 2026-11-26 said German, the same page said English before and
/// after): the reflow fixture's English pages are such pages on purpose (a 150-letter
/// German school name, its addresses, a licence name), and their `lang` is right. Checked
/// for the bundled example's pages, not for those.
fn is_language_guess(message: &serde_json::Value) -> bool {
    message["message"]
        .as_str()
        .unwrap_or_default()
        .starts_with("This document appears to be written in")
}

/// Run the checker over `files`: every error and warning as `file:line:col: message`.
fn check(files: &[PathBuf]) -> Vec<String> {
    check_but(files, |_| false)
}

/// [`check`], leaving out the messages `ignored` says are expected for these files.
fn check_but(files: &[PathBuf], ignored: fn(&serde_json::Value) -> bool) -> Vec<String> {
    assert!(!files.is_empty(), "no pages to check");
    let out = Command::new("java")
        // The language guess samples the text at random; a fixed seed makes it the same on
        // every run.
        .arg("-Dnu.validator.checker.langDetectionSeed=1")
        .arg("-jar")
        .arg(vnu_jar())
        .args(["--format", "json", "--exit-zero-always"])
        .args(files)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run `java` ({e}): install a JRE (scripts/install-test-tools installs \
                 Debian's default-jre-headless)"
            )
        });
    // The JSON report goes to stderr.
    let report = String::from_utf8_lossy(&out.stderr);
    let json: serde_json::Value = serde_json::from_str(&report)
        .unwrap_or_else(|e| panic!("the checker's report is not JSON ({e}):\n{report}"));
    json["messages"]
        .as_array()
        .expect("a list of messages")
        .iter()
        .filter(|m| {
            let kind = m["type"].as_str().unwrap_or_default();
            let warning = kind == "info" && m["subType"] == "warning";
            (kind != "info" || warning) && !is_known_csp_false_positive(m) && !ignored(m)
        })
        .map(|m| {
            format!(
                "{}:{}:{}: {}: {}",
                m["url"].as_str().unwrap_or_default(),
                m["lastLine"],
                m["firstColumn"],
                m["subType"]
                    .as_str()
                    .unwrap_or(m["type"].as_str().unwrap_or_default()),
                m["message"].as_str().unwrap_or_default()
            )
        })
        .collect()
}

#[test]
fn every_page_of_the_example_and_the_reflow_fixture_is_valid_html() {
    let example = Project::fixture("example");
    example.built_html();
    let reflow = Project::fixture("reflow");
    reflow.built_html();
    let example_pages = html_files(&example.path("public"));
    let reflow_pages = html_files(&reflow.path("public"));
    // The overview and 11 handbooks; the overview and 3 handbooks.
    assert_eq!(
        (example_pages.len(), reflow_pages.len()),
        (12, 4),
        "{example_pages:#?} {reflow_pages:#?}"
    );
    let mut messages = check(&example_pages);
    messages.extend(check_but(&reflow_pages, is_language_guess));
    assert!(
        messages.is_empty(),
        "{} message(s) from the Nu Html Checker:\n{}",
        messages.len(),
        messages.join("\n")
    );
}

/// The check can fail: a page with a stray end tag and a remote image (blocked by its CSP) is
/// reported, each with its line.
#[test]
fn the_checker_reports_an_invalid_page_and_a_remote_image() {
    let dir = tempfile::tempdir().expect("temp dir");
    let page = dir.path().join("bad.html");
    std::fs::write(
        &page,
        "<!DOCTYPE html>\n<html lang=\"de\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'\">\n\
         <title>x</title>\n</head>\n<body>\n<p>a</div>\n\
         <img src=\"https://cdn.example.org/x.png\" alt=\"x\">\n</body>\n</html>\n",
    )
    .expect("write page");
    let messages = check(&[page]).join("\n");
    assert!(messages.contains(":9:"), "{messages}");
    assert!(messages.contains("Stray end tag"), "{messages}");
    assert!(
        messages.contains(":10:") && messages.contains("https://cdn.example.org/x.png"),
        "{messages}"
    );
}

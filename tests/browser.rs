//! The help site in a real browser: Debian's Chromium, headless, driven by Playwright
//! (tests/browser/check.mjs) against `handbuch serve` on 127.0.0.1. `.ci/run` installs
//! chromium and the npm packages; if either is missing this test fails, it never skips.

mod common;

use std::path::Path;
use std::process::Command;

use common::server::Server;
use common::Project;

#[test]
fn site_works_in_headless_chromium() {
    let browser_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    assert!(
        browser_dir.join("node_modules/playwright-core").is_dir(),
        "run scripts/install-test-tools first, which installs it (or `npm ci --prefix tests/browser`)"
    );
    assert!(
        Path::new("/usr/bin/chromium").exists() || std::env::var_os("CHROMIUM").is_some(),
        "install Debian's chromium (.ci/run does)"
    );
    let p = Project::fixture("example");
    let server = Server::start(p.root());
    let screenshot = p.path("handbook.png");
    let out = Command::new("node")
        .arg(browser_dir.join("check.mjs"))
        .arg(&server.base)
        .arg(&screenshot)
        .output()
        .expect("node is needed for the browser tests");
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "browser checks failed:\n{report}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(report.contains("all browser checks passed"), "{report}");
    let png = std::fs::read(&screenshot).expect("screenshot written");
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 10_000,
        "screenshot is a real image"
    );
}

/// Every page of the example and of the `reflow` fixture (a very long school name, e-mail
/// addresses and URLs, a title per locale) in Chromium (tests/browser/reflow.mjs): no
/// horizontal scrolling at 320 and 375 px in light and dark mode, no serious or critical
/// axe-core violation at 320 and 1280 px, and the Content-Security-Policy in force with no
/// violation and no console error, served and opened from disk.
#[test]
fn every_page_reflows_at_320_px_passes_axe_and_keeps_its_csp() {
    let browser_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    assert!(
        browser_dir.join("node_modules/axe-core").is_dir(),
        "run scripts/install-test-tools first, which installs it (or `npm ci --prefix tests/browser`)"
    );
    let example = Project::fixture("example");
    let reflow = Project::fixture("reflow");
    let servers = [Server::start(example.root()), Server::start(reflow.root())];
    // The same site opened from disk: the CSP's 'self' must allow its files there too.
    reflow.built_html();
    let from_disk = ["public/index.html", "public/de/lang/index.html"]
        .map(|page| format!("file://{}", reflow.path(page).display()));
    let out = Command::new("node")
        .arg(browser_dir.join("reflow.mjs"))
        .args(servers.iter().map(|s| s.base.as_str()))
        .args(&from_disk)
        .output()
        .expect("node is needed for the browser tests");
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "browser checks failed:\n{report}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(report.contains("all browser checks passed"), "{report}");
    assert!(report.contains("# 18 pages"), "{report}");
}

/// The sharded search of a provider site of 10,000 generated schools in Chromium
/// (tests/browser/search-large.mjs): a query typed letter by letter finds the last school
/// by a compound part, umlauts and `ß` in both spellings and a contract number, and loads
/// at most 300 KB after the page.
#[test]
fn search_of_10000_schools_finds_them_and_loads_under_300_kb_per_first_query() {
    let browser_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    assert!(
        browser_dir.join("node_modules/playwright-core").is_dir(),
        "run scripts/install-test-tools first, which installs it (or `npm ci --prefix tests/browser`)"
    );
    let p = common::large::project(10_000);
    p.built_html();
    let out = Command::new("node")
        .arg(browser_dir.join("search-large.mjs"))
        .arg(p.path("public"))
        .arg("de/s09999/")
        .arg((300 * 1024).to_string())
        .output()
        .expect("node is needed for the browser tests");
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "browser checks failed:\n{report}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(report.contains("all browser checks passed"), "{report}");
}

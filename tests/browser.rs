//! The help site in a real browser: Debian's Chromium, headless, driven by Playwright
//! (tests/browser/check.mjs) against `handbuch serve` on 127.0.0.1. `.ci/run` installs
//! chromium and the npm packages; if either is missing this test fails, it never skips.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::server::Server;
use common::Project;

#[test]
fn site_works_in_headless_chromium() {
    assert!(
        Path::new("/usr/bin/chromium").exists() || std::env::var_os("CHROMIUM").is_some(),
        "install Debian's chromium (.ci/run does)"
    );
    let p = Project::fixture("example");
    let server = Server::start(p.root());
    let screenshot = p.path("handbook.png");
    let out = node_script("check.mjs", "playwright-core")
        .arg(&server.base)
        .arg(&screenshot)
        .output()
        .expect("node is needed for the browser tests");
    assert_passed(&out);
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
    let example = Project::fixture("example");
    let reflow = Project::fixture("reflow");
    let servers = [Server::start(example.root()), Server::start(reflow.root())];
    // The same site opened from disk: the CSP's 'self' must allow its files there too.
    reflow.built_html();
    let from_disk = ["public/index.html", "public/de/lang/index.html"]
        .map(|page| format!("file://{}", reflow.path(page).display()));
    let out = node_script("reflow.mjs", "axe-core")
        .args(servers.iter().map(|s| s.base.as_str()))
        .args(&from_disk)
        .output()
        .expect("node is needed for the browser tests");
    let report = assert_passed(&out);
    assert!(report.contains("# 18 pages"), "{report}");
}

/// The sharded search of a provider site of 10,000 generated schools in Chromium
/// (tests/browser/search-large.mjs): a query typed letter by letter finds the last school
/// by a compound part, umlauts and `ß` in both spellings and a contract number, and loads
/// at most 300 KB after the page.
#[test]
fn search_of_10000_schools_finds_them_and_loads_under_300_kb_per_first_query() {
    let p = common::large::project(10_000);
    p.built_html();
    let out = node_script("search-large.mjs", "playwright-core")
        .arg(p.path("public"))
        .arg("de/s09999/")
        .arg((300 * 1024).to_string())
        .output()
        .expect("node is needed for the browser tests");
    assert_passed(&out);
}

/// The overview of 10,000 generated schools opened from disk in Chromium
/// (tests/browser/overview-large.mjs): the first load is at most 1 MB and loads no data
/// chunk, filtering by a name finds the school in the last chunk, sorting by next
/// activation puts the earliest of all schools first, and the totals are the sums over every
/// school. 10,000 schools are 5 chunks and 50 pages; only the pager grows beyond that
/// (tests/overview_large.rs extrapolates the sizes to 40,000).
#[test]
fn overview_of_10000_schools_loads_light_and_filters_and_sorts_all_in_chromium() {
    const SCHOOLS: usize = 10_000;
    let p = Project::fixture("basic");
    for file in ["evil.toml", "manual.toml"] {
        std::fs::remove_file(p.path(&format!("content/schools/{file}"))).expect("remove school");
    }
    for i in 1..=SCHOOLS {
        // The last school has a name of its own and the earliest next activation.
        let (name, anniversary) = if i == SCHOOLS {
            (
                "Gesamtschule Zwölfhausen".to_string(),
                "2026-12-01".to_string(),
            )
        } else {
            (
                format!("Schule Nummer {i}"),
                format!("2027-{:02}-{:02}", i % 12 + 1, i % 28 + 1),
            )
        };
        p.write(
            &format!("content/schools/schule-{i:05}.toml"),
            &format!(
                "name = \"{name}\"\n\n[tenant]\ndomain = \"s{i}.onmicrosoft.com\"\n\n\
                 [contract]\nnumber = \"V{}\"\nanniversary = {anniversary}\n\n\
                 [assignment]\nmode = \"mnspro\"\n",
                1_000_000 + i
            ),
        );
    }
    let last = format!("schule-{SCHOOLS:05}");
    // One handbook is enough (the overview always lists every school): the build of
    // 10,000 handbooks is not what this test is about.
    let mut options = p.options();
    options.pdf = false;
    options.schools = vec![last.clone()];
    handbuch::build(&options).unwrap_or_else(|e| panic!("build failed:\n{e}"));
    let out = node_script("overview-large.mjs", "playwright-core")
        .arg(format!("file://{}", p.path("public/index.html").display()))
        .arg(SCHOOLS.to_string())
        .args([last.as_str(), "zwölfhausen", last.as_str()])
        .output()
        .expect("node is needed for the browser tests");
    assert_passed(&out);
}

/// `handbuch serve` after edits (tests/browser/serve-swap.mjs): an edited school file
/// shows on the open page without a navigation, with the page's scripts working on the new
/// body and the next edit still noticed; a changed chapter reloads the whole page.
#[test]
fn serve_swaps_in_an_edited_school_and_reloads_for_a_changed_chapter_in_chromium() {
    let p = Project::fixture("basic");
    let server = Server::start(p.root());
    let out = node_script("serve-swap.mjs", "playwright-core")
        .arg(&server.base)
        .arg(p.root())
        .output()
        .expect("node is needed for the browser tests");
    assert_passed(&out);
}

/// `node tests/browser/<script>`, once `npm ci` has installed `package` there (a missing
/// package fails the test, it never skips).
fn node_script(script: &str, package: &str) -> Command {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    assert!(
        dir.join("node_modules").join(package).is_dir(),
        "run scripts/install-test-tools first, which installs it (or `npm ci --prefix tests/browser`)"
    );
    let mut command = Command::new("node");
    command.arg(dir.join(script));
    command
}

/// The script ran, exited 0 and said that every check passed; its report.
fn assert_passed(out: &Output) -> String {
    let report = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "browser checks failed:\n{report}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(report.contains("all browser checks passed"), "{report}");
    report
}

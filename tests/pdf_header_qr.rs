//! What the cheaper handout keeps: the page header of every page after the cover shows
//! the school's name and the site title (looked up from the cover, no longer read from
//! `/handbook.json` per page), and a QR code of a long URL (a larger code, one fixed
//! mask) still decodes from the printed page.

mod common;

use std::path::Path;

use common::pdf::{built_handout, page_count, poppler, qr_codes_on_page_one};
use common::Project;

const SCHOOL: &str = "manual";
const SCHOOL_NAME: &str = "Manuelle Schule";
const SITE_TITLE: &str = "Test-Handbuch";

/// The first non-empty line of page `n`, as poppler reads it in layout order.
fn first_line(pdf: &Path, n: usize) -> String {
    let n = n.to_string();
    let text = poppler(
        "pdftotext",
        &[
            "-layout",
            "-f",
            &n,
            "-l",
            &n,
            pdf.to_str().expect("utf-8"),
            "-",
        ],
    );
    text.lines()
        .find(|line| !line.trim().is_empty())
        .unwrap_or_default()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn every_page_after_the_cover_has_the_school_and_site_title_in_its_header() {
    let p = Project::fixture("basic");
    let pdf = built_handout(&p, SCHOOL);
    let pages = page_count(&pdf);
    assert!(pages >= 2, "the fixture's handout has {pages} page(s)");
    for n in 2..=pages {
        assert_eq!(
            first_line(&pdf, n),
            format!("{SCHOOL_NAME} {SITE_TITLE}"),
            "page {n}"
        );
    }
}

#[test]
fn the_cover_has_no_page_header() {
    let p = Project::fixture("basic");
    let pdf = built_handout(&p, SCHOOL);
    let line = first_line(&pdf, 1);
    assert!(!line.contains(SITE_TITLE), "{line}");
}

#[test]
fn a_long_url_gives_a_larger_qr_code_that_still_decodes() {
    let p = Project::fixture("basic");
    let long = format!("https://help.example.org/{}", "lizenzen-".repeat(10));
    p.write(
        "handbuch.toml",
        &p.read("handbuch.toml").replace(
            "base_url = \"https://help.example.org/test\"",
            &format!("base_url = \"{long}\""),
        ),
    );
    let pdf = built_handout(&p, SCHOOL);
    assert_eq!(
        qr_codes_on_page_one(&pdf, p.root(), 300),
        [format!("{long}/de/{SCHOOL}/")]
    );
}

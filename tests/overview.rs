//! The overview page (public/index.html) on the basic fixture: one row per school with
//! its tenant, contract, next activation and a link per locale.

mod common;

use common::Project;

#[test]
fn overview_lists_every_school_with_tenant_contract_and_links() {
    let p = Project::fixture("basic");
    p.edit(
        "handbuch.toml",
        "locales = [\"de\"]",
        "locales = [\"de\", \"en\"]",
    );
    // `manual` is German only.
    p.edit(
        "content/schools/manual.toml",
        "name = \"Manuelle Schule\"",
        "name = \"Manuelle Schule\"\nlocales = [\"de\"]",
    );
    p.built_html();
    let index = p.read("public/index.html");
    assert!(index.starts_with("<!DOCTYPE html>\n<html lang=\"de\">"));
    let row = |slug: &str| {
        let start = index
            .find(&format!("<tr id=\"school-{slug}\">"))
            .unwrap_or_else(|| panic!("no row {slug}"));
        let end = index[start..].find("</tr>").expect("row end") + start;
        index[start..end].to_string()
    };
    let evil = row("evil");
    assert!(
        evil.contains("evil.onmicrosoft.com")
            && evil.contains("V1000001")
            && evil.contains("15.01.2027"),
        "{evil}"
    );
    assert!(
        evil.contains("href=\"de/evil/\"") && evil.contains("href=\"en/evil/\""),
        "{evil}"
    );
    let manual = row("manual");
    assert!(manual.contains("href=\"de/manual/\""), "{manual}");
    assert!(!manual.contains("href=\"en/manual/\""), "{manual}");
    assert_eq!(index.matches("<tr id=\"school-").count(), 2);
}

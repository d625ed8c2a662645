//! Editions and sources on a small fixture: a chapter's front matter may belong to one
//! edition (`[portal] vlsc_retired` picks it), steps shared by both keep their ids,
//! chapters list their sources at the end of the handbook, and `check` warns about
//! stale dates and about warning rules whose step the guide lacks.

mod common;

use common::pdf::pdf_text;
use common::{text_of, Project};

const CONFIG: &str = "handbuch.toml";
const START: &str = "content/guide/de/01-start.md";

fn vlsc(p: &Project) {
    let config = p.read(CONFIG);
    p.write(
        CONFIG,
        &config.replace("vlsc_retired = true", "vlsc_retired = false"),
    );
}

fn html_only(p: &Project) -> handbuch::BuildReport {
    p.built_html()
}

/// Chapter and step headings of the page, as read.
fn headings(page: &str) -> Vec<String> {
    page.split("<h2>")
        .chain(page.split("<h3>"))
        .skip(1)
        .filter_map(|rest| rest.split_once("</h"))
        .map(|(h, _)| text_of(h))
        .collect()
}

#[test]
fn the_current_edition_leaves_out_the_vlsc_chapters() {
    let p = Project::fixture("editions");
    html_only(&p);
    let page = p.page("de", "eins");
    let text = text_of(&page);
    assert!(text.contains("Ausgabe: current."), "{text}");
    assert!(text.contains("Abschnitt 2 Heute anmelden"), "{text}");
    assert!(
        text.contains("Schritt 2 Im Admin Center anmelden"),
        "{text}"
    );
    assert!(text.contains("Text der heutigen Ausgabe."));
    assert!(!text.contains("Früher anmelden"));
    assert!(!page.contains("id=\"nur-alt\""));
    // Chapters are numbered within the edition: "Ende" is chapter 3, not 4.
    assert!(text.contains("Abschnitt 3 Ende"), "{text}");
    assert!(
        text.contains("Zurück zu Schritt 2: Im Admin Center anmelden"),
        "{text}"
    );
}

#[test]
fn the_vlsc_edition_has_its_own_chapters_and_the_shared_step_ids() {
    let p = Project::fixture("editions");
    vlsc(&p);
    html_only(&p);
    let page = p.page("de", "eins");
    let text = text_of(&page);
    assert!(text.contains("Ausgabe: vlsc."), "{text}");
    assert!(text.contains("Abschnitt 2 Früher anmelden"), "{text}");
    assert!(text.contains("Text der alten Ausgabe."));
    assert!(!text.contains("Heute anmelden"));
    assert!(!text.contains("Text der heutigen Ausgabe."));
    // The step both editions share keeps its id, so deep links survive the switch.
    assert!(page.contains("<section class=\"step\" id=\"anmelden\">"));
    assert!(page.contains("<section class=\"step\" id=\"nur-alt\">"));
    assert!(
        text.contains("Zurück zu Schritt 2: Im Portal anmelden"),
        "{text}"
    );
    assert_eq!(
        headings(&page)
            .iter()
            .filter(|h| h.starts_with("Schritt"))
            .count(),
        4
    );
}

#[test]
fn a_translation_follows_the_edition_of_the_chapter_it_translates() {
    let p = Project::fixture("editions");
    let config = p.read(CONFIG);
    p.write(
        CONFIG,
        &config.replace("locales = [\"de\"]", "locales = [\"de\", \"en\"]"),
    );
    // The English file forgot `edition = "vlsc"`: it must not join the current edition.
    p.write(
        "content/guide/en/02-alt.md",
        "+++\ntitle = \"Signing in the old way\"\nid = \"anmeldung\"\n+++\n\n## In the portal {#anmelden}\n\nOld way.\n\n## Old only {#nur-alt}\n\nText.\n",
    );
    let report = html_only(&p);
    let text = text_of(&p.page("en", "eins"));
    assert!(!text.contains("Signing in the old way"), "{text}");
    assert!(!text.contains("Old only"), "{text}");
    assert!(text.contains("Im Admin Center anmelden"), "{text}");
    let warnings = report.warnings.to_string();
    assert!(warnings.contains(
        "this chapter is in both editions but content/guide/de/02-alt.md is in the vlsc edition; the default locale's edition is used"
    ), "{warnings}");
    assert!(
        warnings.contains("content/guide/en/02-alt.md"),
        "{warnings}"
    );
}

#[test]
fn an_unknown_edition_in_front_matter_is_an_error_at_its_line() {
    let p = Project::fixture("editions");
    let text = p.read("content/guide/de/02-alt.md");
    p.write(
        "content/guide/de/02-alt.md",
        &text.replace("edition = \"vlsc\"", "edition = \"vlcs\""),
    );
    let errors = p.errors();
    assert!(errors.contains("content/guide/de/02-alt.md:4:"), "{errors}");
    assert!(errors.contains("unknown variant `vlcs`"), "{errors}");
}

#[test]
fn sources_are_listed_once_at_the_end_of_the_page() {
    let p = Project::fixture("editions");
    html_only(&p);
    let page = p.page("de", "eins");
    let start = page
        .find("<section class=\"chapter sources\" id=\"handbook-sources\">")
        .expect("a sources section");
    let section = &page[start..];
    assert!(section.starts_with(
        "<section class=\"chapter sources\" id=\"handbook-sources\">\n<h2>Quellen</h2>"
    ));
    // Listed in reading order, "Quelle A" once although two chapters cite it; the
    // address is escaped and the date is in the locale's format.
    assert_eq!(section.matches("<li>").count(), 2, "{section}");
    let a = section.find("Quelle A").expect("A");
    let b = section.find("Quelle B").expect("B");
    assert!(a < b);
    assert!(section.contains(
        "<li>Quelle B: <a href=\"https://example.org/b?x=1&amp;y=&lt;2&gt;\">https://example.org/b?x=1&amp;y=&lt;2&gt;</a> (geprüft am 15.09.2026)</li>"
    ), "{section}");
    assert!(page.contains("<a href=\"#handbook-sources\">Quellen</a>"));
}

#[test]
fn without_sources_there_is_no_sources_section() {
    let p = Project::fixture("basic");
    html_only(&p);
    assert!(!p.page("de", "manual").contains("handbook-sources"));
}

#[test]
fn the_pdf_ends_with_the_sources() {
    let p = Project::fixture("editions");
    p.built();
    let text = pdf_text(&p.path("public/de/eins/eins.pdf"));
    let at = text.rfind("Quellen").expect("a sources heading");
    let tail = &text[at..];
    assert!(
        tail.contains("Quelle A: https://example.org/a (geprüft am 01.10.2026)"),
        "{tail}"
    );
    assert!(
        tail.contains("Quelle B: https://example.org/b?x=1&y=<2> (geprüft am 15.09.2026)"),
        "{tail}"
    );
}

#[test]
fn a_source_checked_over_a_year_ago_is_a_build_warning_at_its_date() {
    let p = Project::fixture("editions");
    let text = p.read(START);
    p.write(
        START,
        &text.replace("checked = 2026-09-15", "checked = 2025-11-24"),
    );
    let report = html_only(&p);
    let warnings = report.warnings.to_string();
    assert!(
        warnings.contains("content/guide/de/01-start.md:6:"),
        "{warnings}"
    );
    assert!(warnings.contains(
        "source “Quelle B” was last checked on 2025-11-24, more than 12 months before 2026-11-25"
    ), "{warnings}");
    // Exactly twelve months is still fresh.
    p.write(
        START,
        &text.replace("checked = 2026-09-15", "checked = 2025-11-25"),
    );
    assert!(!html_only(&p).warnings.to_string().contains("last checked"));
}

#[test]
fn a_stale_as_of_is_a_build_warning_at_its_line() {
    let p = Project::fixture("editions");
    let config = p.read(CONFIG);
    p.write(
        CONFIG,
        &config.replace(
            "vlsc_retired = true",
            "vlsc_retired = true\nas_of = 2025-06-30",
        ),
    );
    let warnings = html_only(&p).warnings.to_string();
    assert!(warnings.contains("handbuch.toml:11:9"), "{warnings}");
    assert!(
        warnings.contains("[portal] as_of = 2025-06-30 is more than 12 months before 2026-11-25"),
        "{warnings}"
    );
}

#[test]
fn a_source_needs_an_address_and_a_date() {
    let p = Project::fixture("editions");
    let text = p.read(START);
    p.write(
        START,
        &text
            .replace("https://example.org/a", "example.org/a")
            .replace("checked = 2026-09-15", "checked = 2026-09-15T10:00:00"),
    );
    let errors = p.errors();
    assert!(errors.contains("01-start.md:5:"), "{errors}");
    assert!(
        errors.contains("front matter: a source's url must start with https://"),
        "{errors}"
    );
    assert!(errors.contains("01-start.md:6:"), "{errors}");
    assert!(
        errors.contains("front matter: a source's `checked` must be a date without a time"),
        "{errors}"
    );
}

#[test]
fn a_source_url_or_title_with_control_characters_is_refused() {
    let p = Project::fixture("editions");
    let text = p.read(START);
    p.write(
        START,
        &text
            .replace("https://example.org/a\"", "https://example.org/a\\u0007x\"")
            .replace("\"Quelle B\"", "\"Quelle\\nB\""),
    );
    let errors = p.errors();
    assert!(errors.contains("01-start.md:5:"), "{errors}");
    assert!(
        errors
            .contains("front matter: a source's url must not contain spaces or control characters"),
        "{errors}"
    );
    assert!(errors.contains("01-start.md:6:"), "{errors}");
    assert!(
        errors.contains("front matter: a source's title must be one line of text"),
        "{errors}"
    );
    assert!(!errors.contains('\u{7}'), "{errors}");
}

#[test]
fn rules_whose_step_the_guide_lacks_get_one_build_warning() {
    let p = Project::fixture("editions");
    let warnings = html_only(&p).warnings.to_string();
    let line = warnings
        .lines()
        .find(|l| l.contains("school warning(s) belong to a step"))
        .unwrap_or_else(|| panic!("{warnings}"));
    // `anmelden` exists in this guide, so the two rules at it are not listed.
    assert!(line.contains("(current edition)"), "{line}");
    assert!(
        line.contains("`renewal_due` → step `jaehrliche-aktivierung`"),
        "{line}"
    );
    assert!(!line.contains("`personal_account`"), "{line}");
    assert!(!line.contains("`vlsc_account_unknown`"), "{line}");
    assert!(warnings.contains("content/guide/de"), "{warnings}");
}

//! English as a full second locale: numbering, references, alerts, dates, plurals,
//! language switcher, fallbacks and translation drift.

mod common;

use common::{step_section, Project};

#[test]
fn english_handbook_numbers_steps_and_references_in_english() {
    let p = Project::fixture("example");
    p.built();
    let page = p.page("en", "gymnasium-am-stadtpark");
    assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert!(step_section(&page, "anmelden").contains("<span class=\"step-label\">Step 4</span>"));
    assert!(page.contains("<span class=\"chapter-label\">Section 3</span>"));
    assert!(
        page.contains("<a class=\"xref xref-step\" href=\"#konto-pruefen\">Step 9: "),
        "step reference"
    );
    assert!(
        page.contains("<p class=\"alert-title\">Caution</p>")
            && page.contains("<p class=\"alert-title\">Important</p>")
    );
    assert!(page.contains("<h2>Checklist</h2>"));
    // Same step ids and numbers as German.
    let german = p.page("de", "gymnasium-am-stadtpark");
    let numbers = |html: &str| html.matches("<span class=\"step-label\">").count();
    assert_eq!(numbers(&page), numbers(&german));
}

#[test]
fn dates_follow_the_locale() {
    let p = Project::fixture("example");
    p.built();
    assert!(p
        .page("en", "gymnasium-am-stadtpark")
        .contains("<dd>1 August 2027</dd>"));
    assert!(p
        .page("de", "gymnasium-am-stadtpark")
        .contains("<dd>01.08.2027</dd>"));
    assert!(p
        .page("en", "gymnasium-am-stadtpark")
        .contains("As of: 25 November 2026"));
}

#[test]
fn plurals_are_right_for_one_and_many() {
    let p = Project::fixture("example");
    let school = "content/schools/gymnasium-am-stadtpark.toml";
    p.write(
        school,
        &p.read(school).replace("quantity = 60", "quantity = 1"),
    );
    // The VLSC edition counts the licences per key with `plural`.
    let config = p.read("handbuch.toml");
    p.write(
        "handbuch.toml",
        &config.replace("vlsc_retired = true", "vlsc_retired = false"),
    );
    p.built();
    let de = p.step_text("de", "gymnasium-am-stadtpark", "keys-eingeben");
    let en = p.step_text("en", "gymnasium-am-stadtpark", "keys-eingeben");
    assert!(
        de.contains("Minecraft Education (1 Lizenz)") && de.contains("(85 Lizenzen)"),
        "{de}"
    );
    assert!(
        en.contains("Minecraft Education (1 license)") && en.contains("(85 licenses)"),
        "{en}"
    );
    let index = p.read("public/index.html");
    assert!(
        index.contains("title=\"0 Gefahren, 0 Warnungen, 1 Hinweis\""),
        "singular in overview"
    );
}

#[test]
fn language_switcher_and_hreflang_links_resolve() {
    let p = Project::fixture("example");
    p.built();
    for locale in ["de", "en"] {
        let page = p.page(locale, "gymnasium-am-stadtpark");
        let dir = p.path(&format!("public/{locale}/gymnasium-am-stadtpark"));
        // Every tag with hreflang: the <link rel="alternate"> entries and the switcher.
        let hrefs: Vec<&str> = page
            .split('<')
            .filter_map(|tag| tag.split('>').next())
            .filter(|tag| tag.contains("hreflang="))
            .filter_map(|tag| tag.split("href=\"").nth(1)?.split('"').next())
            .collect();
        assert!(hrefs.len() >= 3, "{locale}: {hrefs:?}");
        for href in hrefs {
            assert!(
                dir.join(href).join("index.html").is_file(),
                "{locale}: {href} does not resolve"
            );
        }
        let other = if locale == "de" { "en" } else { "de" };
        assert!(page.contains(&format!("<link rel=\"alternate\" hreflang=\"{other}\" href=\"../../{other}/gymnasium-am-stadtpark/\">")));
    }
    // A German-only school has no switcher.
    assert!(!p
        .page("de", "grundschule-am-lindenweg")
        .contains("language-switcher"));
}

/// The basic fixture with English switched on and only the first chapter translated.
fn half_translated() -> Project {
    let p = Project::fixture("basic");
    p.write(
        "handbuch.toml",
        &p.read("handbuch.toml")
            .replace("locales = [\"de\"]", "locales = [\"de\", \"en\"]"),
    );
    p.write(
        "content/guide/en/01-start.md",
        "+++\ntitle = \"Start\"\nid = \"start\"\n+++\n\nIntro for {{ school.name }}.\n\n## First step {#erster}\n\nContract **{{ school.contract.number }}**, then [](#zweiter).\n\n- [ ] Signed in as {{ school.tenant.admin }}\n\n## Second step {#zweiter}\n\n![Licences](img/lizenzen.svg)\n\n> [!WARNING]\n> Only book into {{ school.tenant.domain }}.\n",
    );
    p
}

#[test]
fn missing_chapter_falls_back_with_a_note_and_a_warning() {
    let p = half_translated();
    let report = p.built();
    let warnings = report.warnings.to_string();
    assert!(
        warnings.contains("chapter not translated to `en`")
            && warnings.contains("content/guide/de/02-ende.md"),
        "{warnings}"
    );
    let page = p.page("en", "evil");
    assert!(page.contains("<p class=\"untranslated\" lang=\"en\">This section is not yet translated; it is shown in the original language.</p>"));
    assert!(page.contains("First step") && page.contains("Dritter Schritt"));
    assert!(page.contains("<a class=\"xref xref-step\" href=\"#zweiter\">Step 2: Second step</a>"));
}

#[test]
fn missing_ui_strings_are_reported_by_key() {
    let p = half_translated();
    p.write(
        "themes/default/i18n/en.ftl",
        "step = Step\nchapter = Section\n",
    );
    let report = p.built();
    let warnings = report.warnings.to_string();
    assert!(
        warnings.contains("themes/default/i18n/en.ftl"),
        "{warnings}"
    );
    assert!(
        warnings.contains("UI string(s) missing, the `de` text is used:")
            && warnings.contains("checklist")
            && warnings.contains("alert_warning"),
        "{warnings}"
    );
    let page = p.page("en", "evil");
    assert!(
        page.contains("<span class=\"step-label\">Step 1</span>"),
        "own string used"
    );
    assert!(page.contains("<h2>Checkliste</h2>"), "falls back to German");
}

#[test]
fn translations_whose_steps_differ_are_reported() {
    let p = half_translated();
    let chapter = "content/guide/en/01-start.md";
    p.write(
        chapter,
        &p.read(chapter)
            .replace("## Second step {#zweiter}", "## Second step {#second}")
            .replace("[](#zweiter)", "[](#second)"),
    );
    let report = p.built();
    let warnings = report.warnings.to_string();
    assert!(
        warnings.contains("content/guide/en/01-start.md")
            && warnings.contains("steps differ from content/guide/de/01-start.md"),
        "{warnings}"
    );
    assert!(
        warnings.contains("missing here: zweiter") && warnings.contains("only here: second"),
        "{warnings}"
    );
}

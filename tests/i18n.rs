//! English as a full second locale: numbering, references, alerts, dates, plurals,
//! language switcher, fallbacks and translation drift.

mod common;

use common::{text_of, Project};

// Step, chapter and figure labels, cross-references, alert titles and the collected
// checklist in English: tests/fixtures/markdown/{labels,cross-references,alerts}.

#[test]
fn the_english_page_is_marked_english() {
    let p = half_translated();
    p.built_html();
    assert!(p
        .page("en", "evil")
        .starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert!(p
        .page("de", "evil")
        .starts_with("<!DOCTYPE html>\n<html lang=\"de\">"));
}

#[test]
fn dates_follow_the_locale() {
    let p = half_translated();
    p.built_html();
    // evil.toml: anniversary = 2027-01-15; --today 2026-11-25.
    let en = p.page("en", "evil");
    let de = p.page("de", "evil");
    assert!(en.contains("<dd>15 January 2027</dd>"), "{en}");
    assert!(de.contains("<dd>15.01.2027</dd>"), "{de}");
    assert!(text_of(&en).contains("25 November 2026"));
    assert!(text_of(&de).contains("25.11.2026"));
}

#[test]
fn plurals_are_right_for_one_and_many() {
    let p = half_translated();
    p.edit(
        "content/schools/evil.toml",
        "quantity = 3",
        "quantity = 1\n\n[[licenses]]\nproduct = \"B\"\nquantity = 85",
    );
    for (locale, word) in [("de", "Lizenzen"), ("en", "Licences")] {
        p.write(
            &format!("content/guide/{locale}/02-ende.md"),
            &format!(
                "# {word}\n\n## {word} {{#zaehlen}}\n\n{{% for l in school.licenses %}}\n- {{{{ l.quantity | plural(key=\"licenses\") }}}}\n{{% endfor %}}\n"
            ),
        );
    }
    p.built_html();
    let de = p.step_text("de", "evil", "zaehlen");
    let en = p.step_text("en", "evil", "zaehlen");
    assert_eq!(de, "Schritt 3 Lizenzen 1 Lizenz 85 Lizenzen");
    assert_eq!(en, "Step 3 Licences 1 license 85 licenses");
}

#[test]
fn language_switcher_and_hreflang_links_resolve() {
    let p = half_translated();
    // `manual` is German only.
    p.edit(
        "content/schools/manual.toml",
        "name = \"Manuelle Schule\"",
        "name = \"Manuelle Schule\"\nlocales = [\"de\"]",
    );
    p.built_html();
    for locale in ["de", "en"] {
        let page = p.page(locale, "evil");
        let dir = p.path(&format!("public/{locale}/evil"));
        // Every tag with hreflang: the <link rel="alternate"> entries (absolute under
        // `base_url`, tests/metadata.rs) as the site's path, and the switcher.
        let hrefs: Vec<&str> = page
            .split('<')
            .filter_map(|tag| tag.split('>').next())
            .filter(|tag| tag.contains("hreflang="))
            .filter_map(|tag| tag.split("href=\"").nth(1)?.split('"').next())
            .map(|href| {
                href.strip_prefix("https://help.example.org/test/")
                    .unwrap_or(href)
            })
            .collect();
        assert!(hrefs.len() >= 3, "{locale}: {hrefs:?}");
        for href in hrefs {
            let href = if href.starts_with("../") {
                href.to_string()
            } else {
                format!("../../{href}")
            };
            assert!(
                dir.join(&href).join("index.html").is_file(),
                "{locale}: {href} does not resolve"
            );
        }
        let other = if locale == "de" { "en" } else { "de" };
        assert!(page.contains(&format!(
            "<link rel=\"alternate\" hreflang=\"{other}\" href=\"https://help.example.org/test/{other}/evil/\">"
        )));
    }
    assert!(!p.path("public/en/manual").exists());
    assert!(!p.page("de", "manual").contains("language-switcher"));
    assert!(p.page("de", "evil").contains("language-switcher"));
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

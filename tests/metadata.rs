//! What each page says about itself (README "Metadata"): canonical and hreflang links from
//! `base_url`, a meta description, the site title per locale (pages, header, PDF), robots
//! meta and `robots.txt` by `[publish] search_engines`, and the Content-Security-Policy.
//! Runs on the `reflow` fixture: a title per locale, a school in `de` and `en`, one in `de` only.

mod common;

use common::pdf::poppler;
use common::{text_of, Project};

const TITLE_LINE: &str =
    "title = { de = \"Lizenzen aktivieren – Testhandbuch\", en = \"Activating licences – test handbook\" }";
const LONG_NAME: &str = "Städtisches Gemeinschaftsgrundschulverbundsunterrichtsgebäude-\
Kindertagesstättenkooperationszentrum am Donaudampfschifffahrtsgesellschaftskapitänsweg";

fn reflow() -> Project {
    let p = Project::fixture("reflow");
    assert!(
        p.read("handbuch.toml").contains(TITLE_LINE),
        "fixture changed"
    );
    p
}

/// `handbuch.toml` of the fixture with `from` replaced by `to`.
fn with_config(p: &Project, from: &str, to: &str) {
    let config = p.read("handbuch.toml");
    assert!(config.contains(from), "{from} not in handbuch.toml");
    p.write("handbuch.toml", &config.replace(from, to));
}

/// The `<head>` of a page.
fn head(page: &str) -> &str {
    let end = page.find("</head>").expect("a head");
    &page[..end]
}

/// Every `<link rel="alternate" hreflang>` of the head, as (hreflang, href).
fn hreflangs(page: &str) -> Vec<(String, String)> {
    head(page)
        .lines()
        .filter_map(|l| l.strip_prefix("<link rel=\"alternate\" hreflang=\""))
        .map(|rest| {
            let (lang, rest) = rest.split_once("\" href=\"").expect("href");
            (lang.to_string(), rest.trim_end_matches("\">").to_string())
        })
        .collect()
}

fn canonical(page: &str) -> &str {
    let start = head(page)
        .find("<link rel=\"canonical\" href=\"")
        .expect("a canonical link")
        + "<link rel=\"canonical\" href=\"".len();
    let rest = &page[start..];
    &rest[..rest.find('"').expect("closing quote")]
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn hreflang_and_canonical_are_absolute_under_base_url() {
    let p = reflow();
    p.built_html();
    let page = p.page("en", "lang");
    assert_eq!(canonical(&page), "https://help.example.org/reflow/en/lang/");
    assert_eq!(
        hreflangs(&page),
        pairs(&[
            ("de", "https://help.example.org/reflow/de/lang/"),
            ("en", "https://help.example.org/reflow/en/lang/"),
            ("x-default", "https://help.example.org/reflow/de/lang/"),
        ])
    );
    let overview = p.read("public/index.html");
    assert_eq!(canonical(&overview), "https://help.example.org/reflow/");
    assert_eq!(hreflangs(&overview), vec![]);
}

#[test]
fn a_base_url_with_a_trailing_slash_gives_no_double_slash() {
    let p = reflow();
    with_config(
        &p,
        "base_url = \"https://help.example.org/reflow\"",
        "base_url = \"https://help.example.org/reflow/\"",
    );
    p.built_html();
    assert_eq!(
        canonical(&p.page("de", "kurz")),
        "https://help.example.org/reflow/de/kurz/"
    );
}

#[test]
fn without_base_url_canonical_and_hreflang_are_relative() {
    let p = reflow();
    with_config(&p, "base_url = \"https://help.example.org/reflow\"\n", "");
    p.built_html();
    let page = p.page("de", "lang");
    assert_eq!(canonical(&page), "../../de/lang/");
    assert_eq!(
        hreflangs(&page),
        pairs(&[
            ("de", "../../de/lang/"),
            ("en", "../../en/lang/"),
            ("x-default", "../../de/lang/"),
        ])
    );
    assert_eq!(canonical(&p.read("public/index.html")), "./");
}

#[test]
fn a_handbook_in_one_locale_has_a_canonical_link_but_no_hreflang() {
    let p = reflow();
    p.built_html();
    let page = p.page("de", "kurz");
    assert_eq!(canonical(&page), "https://help.example.org/reflow/de/kurz/");
    assert_eq!(hreflangs(&page), vec![]);
}

#[test]
fn the_description_is_localized_and_names_the_school() {
    let p = reflow();
    p.built_html();
    assert!(head(&p.page("de", "kurz")).contains(
        "<meta name=\"description\" content=\"Lizenzen aktivieren – Testhandbuch: das Handbuch \
         für Kurze Schule mit allen Schritten, einer Checkliste und den Hinweisen für Ihre Schule.\">"
    ));
    assert!(head(&p.page("en", "lang")).contains(&format!(
        "<meta name=\"description\" content=\"Activating licences – test handbook: the handbook \
         for {LONG_NAME} with every step, a checklist and the notes for your school.\">"
    )));
    assert!(head(&p.read("public/index.html")).contains(
        "<meta name=\"description\" content=\"Lizenzen aktivieren – Testhandbuch: die Handbücher \
         aller Schulen mit Vertrag, Tenant und Hinweisen.\">"
    ));
}

#[test]
fn the_description_escapes_the_school_name() {
    let p = Project::fixture("basic");
    p.built_html();
    let page = p.page("de", "evil");
    let description = head(&page)
        .lines()
        .find(|l| l.starts_with("<meta name=\"description\""))
        .expect("a description");
    assert!(
        description.contains("für &lt;script&gt;alert(1)&lt;/script&gt; &amp; *Co* mit"),
        "{description}"
    );
    assert!(!description.contains("<script"), "{description}");
}

#[test]
fn each_locale_has_its_own_site_title_in_title_header_and_overview() {
    let p = reflow();
    p.built_html();
    let de = p.page("de", "lang");
    let en = p.page("en", "lang");
    assert!(de.contains(&format!(
        "<title>Lizenzen aktivieren – Testhandbuch – {LONG_NAME}</title>"
    )));
    assert!(en.contains(&format!(
        "<title>Activating licences – test handbook – {LONG_NAME}</title>"
    )));
    assert!(en.contains(
        "<a class=\"site-title\" href=\"../../index.html\">Activating licences – test handbook</a>"
    ));
    assert!(de.contains(
        "<a class=\"site-title\" href=\"../../index.html\">Lizenzen aktivieren – Testhandbuch</a>"
    ));
    let overview = p.read("public/index.html");
    assert!(overview.contains("<title>Lizenzen aktivieren – Testhandbuch</title>"));
}

#[test]
fn chapters_see_the_locales_title_as_site_title() {
    let p = reflow();
    for (locale, text) in [("de", "Einleitung"), ("en", "Introduction")] {
        let chapter = format!("content/guide/{locale}/01-start.md");
        p.write(
            &chapter,
            &p.read(&chapter)
                .replace(
                    &format!("{text} für"),
                    &format!("{text} ({{{{ site.title }}}}) für"),
                )
                .replace(
                    &format!("{text} for"),
                    &format!("{text} ({{{{ site.title }}}}) for"),
                ),
        );
    }
    p.built_html();
    assert!(text_of(&p.page("en", "lang"))
        .contains("Introduction (Activating licences – test handbook) for"));
    assert!(text_of(&p.page("de", "lang"))
        .contains("Einleitung (Lizenzen aktivieren – Testhandbuch) für"));
}

#[test]
fn a_single_title_string_is_every_locales_title() {
    let p = reflow();
    with_config(&p, TITLE_LINE, "title = \"Ein Titel\"");
    p.built_html();
    assert!(p
        .page("en", "lang")
        .contains("<a class=\"site-title\" href=\"../../index.html\">Ein Titel</a>"));
    assert!(p
        .page("de", "kurz")
        .contains("<title>Ein Titel – Kurze Schule</title>"));
}

#[test]
fn a_locale_without_its_own_title_uses_the_default_locales() {
    let p = reflow();
    with_config(&p, TITLE_LINE, "title = { de = \"Nur Deutsch\" }");
    p.built_html();
    assert!(p
        .page("en", "lang")
        .contains(&format!("<title>Nur Deutsch – {LONG_NAME}</title>")));
}

#[test]
fn the_pdf_title_is_the_handouts_locales_title() {
    let p = reflow();
    p.built();
    for (locale, title) in [
        ("de", "Lizenzen aktivieren – Testhandbuch"),
        ("en", "Activating licences – test handbook"),
    ] {
        let pdf = p.path(&format!("public/{locale}/lang/lang.pdf"));
        let info = poppler("pdfinfo", &[pdf.to_str().expect("utf-8")]);
        let line = info
            .lines()
            .find(|l| l.starts_with("Title:"))
            .expect("a title");
        assert_eq!(
            line.trim_start_matches("Title:").trim(),
            format!("{title} – {LONG_NAME}"),
            "{locale}"
        );
        let text = common::pdf::pdf_text(&pdf);
        assert!(
            text.contains(title),
            "{locale}: cover and header show {title}"
        );
    }
}

#[test]
fn a_title_key_that_is_not_a_locale_is_an_error_at_its_line_and_column() {
    let p = reflow();
    with_config(&p, TITLE_LINE, "title = { de = \"A\", fr = \"B\" }");
    let errors = p.html_errors();
    assert!(
        errors.contains("error: title: `fr` is not one of the site's locales [\"de\", \"en\"]\n"),
        "{errors}"
    );
    assert!(errors.contains("┌─ handbuch.toml:4:21\n"), "{errors}");
}

#[test]
fn a_title_table_without_the_default_locale_is_an_error_at_the_table() {
    let p = reflow();
    with_config(&p, TITLE_LINE, "title = { en = \"B\" }");
    let errors = p.html_errors();
    assert!(
        errors.contains("error: title: no title for the default locale `de`\n"),
        "{errors}"
    );
    assert!(errors.contains("┌─ handbuch.toml:4:9\n"), "{errors}");
}

#[test]
fn a_title_that_is_neither_text_nor_a_table_is_an_error() {
    let p = reflow();
    with_config(&p, TITLE_LINE, "title = 3");
    let errors = p.html_errors();
    assert!(
        errors.contains(
            "invalid type: integer `3`, expected a string, or a table of titles by locale \
             like { de = \"…\", en = \"…\" }"
        ),
        "{errors}"
    );
    assert!(errors.contains("┌─ handbuch.toml:4:9\n"), "{errors}");
}

#[test]
fn by_default_pages_say_noindex_and_robots_txt_disallows_all() {
    let p = reflow();
    p.built_html();
    for page in [
        p.read("public/index.html"),
        p.page("de", "lang"),
        p.page("en", "lang"),
    ] {
        assert!(head(&page).contains("<meta name=\"robots\" content=\"noindex\">\n"));
    }
    assert_eq!(p.read("public/robots.txt"), "User-agent: *\nDisallow: /\n");
}

#[test]
fn search_engines_true_drops_noindex_and_robots_txt_allows() {
    let p = reflow();
    let config = p.read("handbuch.toml");
    p.write(
        "handbuch.toml",
        &format!("{config}\n[publish]\nsearch_engines = true\n"),
    );
    p.built_html();
    for page in [p.read("public/index.html"), p.page("en", "lang")] {
        assert!(!page.contains("name=\"robots\""), "{}", head(&page));
    }
    assert_eq!(p.read("public/robots.txt"), "User-agent: *\nAllow: /\n");
}

#[test]
fn an_unknown_key_in_publish_is_an_error() {
    let p = reflow();
    let config = p.read("handbuch.toml");
    p.write(
        "handbuch.toml",
        &format!("{config}\n[publish]\nsearch_engine = true\n"),
    );
    let errors = p.html_errors();
    assert!(errors.contains("unknown field `search_engine`"), "{errors}");
}

#[test]
fn every_page_has_the_content_security_policy_and_no_inline_style() {
    let p = reflow();
    p.built_html();
    for page in [
        p.read("public/index.html"),
        p.page("de", "lang"),
        p.page("en", "lang"),
        p.page("de", "kurz"),
    ] {
        assert!(head(&page).contains(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; \
             img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'\">"
        ));
        assert!(!page.contains(" style="), "an inline style attribute");
        // Scripts are files; the only inline <script> is the page's JSON data block.
        for script in page.split("<script").skip(1) {
            assert!(
                script.starts_with(" src=\"") || script.starts_with(" type=\"application/json\""),
                "inline script: <script{}",
                &script[..script.len().min(80)]
            );
        }
    }
}

#[test]
fn a_table_column_is_aligned_by_class_in_a_focusable_scrolling_box() {
    let p = reflow();
    p.built_html();
    let page = p.page("de", "lang");
    assert!(page.contains(
        "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"Tabelle\"><table>\n\
         <thead><tr><th class=\"align-left\">Produkt</th><th class=\"align-right\">Anzahl</th>\
         <th class=\"align-center\">Bestellt über</th></tr></thead>"
    ));
}

#[test]
fn a_style_attribute_in_raw_html_is_dropped() {
    let p = reflow();
    let chapter = "content/guide/de/01-start.md";
    p.write(
        chapter,
        &format!(
            "{}\n<table><tr><td style=\"text-align:right\">x</td></tr></table>\n",
            p.read(chapter)
        ),
    );
    p.built_html();
    assert!(p.page("de", "kurz").contains("<td>x</td>"));
}

#[test]
fn a_remote_image_is_a_build_warning_at_its_place() {
    let p = reflow();
    let chapter = "content/guide/de/01-start.md";
    p.write(
        chapter,
        &format!(
            "{}\n![Logo](https://cdn.example.org/logo.png)\n",
            p.read(chapter)
        ),
    );
    let report = p.built_html();
    let warnings: Vec<String> = report.warnings.iter().map(|w| w.render(false)).collect();
    let remote: Vec<&String> = warnings
        .iter()
        .filter(|w| w.contains("cdn.example.org"))
        .collect();
    assert_eq!(remote.len(), 1, "{warnings:#?}");
    assert!(
        remote[0].contains(
            "warning: the image https://cdn.example.org/logo.png is on another server: the \
             pages' Content-Security-Policy blocks it\n"
        ),
        "{}",
        remote[0]
    );
    let line = p.read(chapter).lines().count();
    assert!(
        remote[0].contains(&format!("┌─ {chapter}:{line}:1\n")),
        "{}",
        remote[0]
    );
}

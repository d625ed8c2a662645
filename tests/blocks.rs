//! Themable blocks and labels: a project's theme can replace the markup of alerts,
//! figures, task items, cross-references and headings, and every label is a Fluent
//! message whose word order the theme decides. On the small `basic` fixture.

mod common;

use common::{step_section, Project};

const SCHOOL: &str = "manual";

/// The default theme's UI strings for `locale`, as a project theme starts from them.
fn default_strings(locale: &str) -> String {
    let path = format!(
        "{}/themes/default/i18n/{locale}.ftl",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {path}: {e}"))
}

/// The basic fixture with the default German strings, one message replaced.
fn with_german_message(old: &str, new: &str) -> Project {
    let p = Project::fixture("basic");
    let strings = default_strings("de");
    assert!(strings.contains(old), "default de.ftl has no `{old}`");
    p.write("themes/default/i18n/de.ftl", &strings.replace(old, new));
    p
}

/// The first error of a failed build, as rendered.
fn first_error(p: &Project) -> String {
    let all = p.html_errors();
    let start = all
        .find("error: ")
        .unwrap_or_else(|| panic!("no error in:\n{all}"));
    let end = all[start..]
        .find("\n\n")
        .map_or(all.len(), |e| start + e + 1);
    all[start..end].to_string()
}

/// The 1-based line of the default German strings that starts with `prefix`.
fn line_of(prefix: &str) -> usize {
    default_strings("de")
        .lines()
        .position(|l| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("no `{prefix}` in de.ftl"))
        + 1
}

fn with_english() -> Project {
    let p = Project::fixture("basic");
    p.write(
        "handbuch.toml",
        &p.read("handbuch.toml")
            .replace("locales = [\"de\"]", "locales = [\"de\", \"en\"]"),
    );
    p
}

#[test]
fn default_partials_render_alert_figure_task_and_xref() {
    let p = Project::fixture("basic");
    p.built_html();
    let page = p.page("de", SCHOOL);
    assert!(page.contains("<aside class=\"alert alert-warning\" role=\"note\" aria-label=\"Warnung\">\n<p class=\"alert-title\">Warnung</p>\n<p>Nur im Tenant manual.onmicrosoft.com buchen.</p>\n</aside>\n"));
    assert!(page.contains("<figure id=\"figure-1\"><img src=\"../../img/lizenzen.svg\" alt=\"Übersicht der Lizenzen\" loading=\"lazy\"><figcaption><span class=\"figure-label\">Abbildung 1:</span> Übersicht der Lizenzen</figcaption></figure>\n"));
    assert!(page.contains("<li class=\"task\" id=\"task-erster-1\"><input type=\"checkbox\" id=\"check-erster-1\" data-task=\"erster-1\"> <label for=\"check-erster-1\">Angemeldet als admin@manual.onmicrosoft.com</label></li>\n"));
    assert!(page.contains("<li class=\"task\" id=\"task-dritter-schritt-2\"><input type=\"checkbox\" id=\"check-dritter-schritt-2\" data-task=\"dritter-schritt-2\" checked> <label for=\"check-dritter-schritt-2\">Schon vorher erledigt</label></li>\n"));
    assert!(page.contains(
        "Weiter mit <a class=\"xref xref-step\" href=\"#zweiter\">Schritt 2: Zweiter Schritt</a>."
    ));
}

#[test]
fn theme_alert_partial_replaces_the_alert_markup() {
    let p = Project::fixture("basic");
    p.write(
        "themes/default/templates/blocks/alert.html",
        "<div class=\"callout callout-{{ kind }}\"><b>{{ title }}</b>{{ body_html | safe }}</div>\n",
    );
    p.built_html();
    let page = p.page("de", SCHOOL);
    assert!(page.contains("<div class=\"callout callout-warning\"><b>Warnung</b><p>Nur im Tenant manual.onmicrosoft.com buchen.</p>\n</div>\n"));
    assert!(!page.contains("<aside class=\"alert"));
}

#[test]
fn theme_partials_escape_what_is_not_html() {
    let p = Project::fixture("basic");
    p.write(
        "themes/default/templates/blocks/xref.html",
        "<a href=\"#{{ target }}\" data-number=\"{{ number }}\">{{ title }}</a>\n",
    );
    p.write(
        "content/guide/de/01-start.md",
        &p.read("content/guide/de/01-start.md").replace(
            "## Erster Schritt {#erster}",
            "## Erster & \"Schritt\" {#erster}",
        ),
    );
    p.built_html();
    let page = p.page("de", SCHOOL);
    assert!(
        page.contains(
            "und <a href=\"#erster\" data-number=\"1\">Erster &amp; &quot;Schritt&quot;</a>."
        ),
        "{page}"
    );
}

#[test]
fn theme_step_and_chapter_heading_partials_replace_the_headings() {
    let p = Project::fixture("basic");
    p.write(
        "themes/default/templates/blocks/step_heading.html",
        "<h3 class=\"mine\">{{ step.title }} ({{ step.label }})</h3>\n",
    );
    p.write(
        "themes/default/templates/blocks/chapter_heading.html",
        "<h2 class=\"mine\">{{ chapter.number }}. {{ chapter.title }}</h2>\n",
    );
    p.built_html();
    let page = p.page("de", SCHOOL);
    assert!(step_section(&page, "zweiter")
        .starts_with("<section class=\"step\" id=\"zweiter\">\n<h3 class=\"mine\">Zweiter Schritt (Schritt 2)</h3>\n"));
    assert!(
        page.contains("<section class=\"chapter\" id=\"ende\">\n<h2 class=\"mine\">2. Ende</h2>\n")
    );
}

#[test]
fn labels_in_german() {
    let p = Project::fixture("basic");
    p.built_html();
    let page = p.page("de", SCHOOL);
    assert!(step_section(&page, "dritter-schritt")
        .contains("<h3><span class=\"step-label\">Schritt 3</span> Dritter Schritt</h3>"));
    assert!(page.contains("<h2><span class=\"chapter-label\">Abschnitt 2</span> Ende</h2>"));
    assert!(page.contains("<span class=\"figure-label\">Abbildung 1:</span>"));
    assert!(page.contains("<a class=\"xref xref-chapter\" href=\"#start\">Abschnitt 1: Start</a>"));
    assert!(page.contains(
        "<a href=\"#dritter-schritt\"><span class=\"num\">Schritt 3</span> Dritter Schritt</a>"
    ));
    assert!(page.contains("<a class=\"task-place\" href=\"#dritter-schritt\">Schritt 3</a>"));
}

#[test]
fn labels_in_english() {
    let p = with_english();
    p.built_html();
    let page = p.page("en", SCHOOL);
    assert!(step_section(&page, "dritter-schritt")
        .contains("<h3><span class=\"step-label\">Step 3</span> Dritter Schritt</h3>"));
    assert!(page.contains("<h2><span class=\"chapter-label\">Section 2</span> Ende</h2>"));
    assert!(page.contains("<span class=\"figure-label\">Figure 1:</span>"));
    assert!(
        page.contains("<a class=\"xref xref-step\" href=\"#zweiter\">Step 2: Zweiter Schritt</a>")
    );
    assert!(page.contains("<a class=\"xref xref-chapter\" href=\"#start\">Section 1: Start</a>"));
}

#[test]
fn a_theme_reorders_the_step_label_everywhere() {
    let p = with_german_message(
        "step-label = { step } { $n }",
        "step-label = { $n }. Schritt",
    );
    p.built_html();
    let page = p.page("de", SCHOOL);
    assert!(page.contains("<h3><span class=\"step-label\">3. Schritt</span> Dritter Schritt</h3>"));
    assert!(page
        .contains("<a class=\"xref xref-step\" href=\"#zweiter\">2. Schritt: Zweiter Schritt</a>"));
    assert!(page.contains("<span class=\"num\">3. Schritt</span>"));
    assert!(page.contains("<a class=\"task-place\" href=\"#dritter-schritt\">3. Schritt</a>"));
    assert!(!page.contains("Schritt 3"));
    // The page's own search data (steps live in the page, not in search-de.js).
    let search = page
        .split("<script type=\"application/json\" id=\"search-steps\">")
        .nth(1)
        .and_then(|rest| rest.split("</script>").next())
        .expect("the page embeds its steps for search");
    assert!(
        search.contains("\"title\":\"3. Schritt: Dritter Schritt\""),
        "{search}"
    );
}

#[test]
fn the_pdf_uses_the_theme_labels() {
    let p = with_german_message(
        "step-label = { step } { $n }",
        "step-label = { $n }. Schritt",
    );
    let strings = p
        .read("themes/default/i18n/de.ftl")
        .replace(
            "figure-label = { figure } { $n }",
            "figure-label = Bild { $n }",
        )
        .replace("on_page = S. { $n }", "on_page = siehe Seite { $n }");
    p.write("themes/default/i18n/de.ftl", &strings);
    p.built();
    let text = common::pdf::pdf_text(&p.path(&format!("public/de/{SCHOOL}/{SCHOOL}.pdf")));
    assert!(text.contains("3. Schritt: Dritter Schritt"), "{text}");
    assert!(text.contains("Bild 1: Übersicht der Lizenzen"), "{text}");
    assert!(
        text.contains("2. Schritt: Zweiter Schritt (siehe Seite "),
        "{text}"
    );
    assert!(!text.contains("{$"), "{text}");
}

#[test]
fn a_theme_reorders_figure_and_cross_reference_labels() {
    let p = with_german_message(
        "figure-label = { figure } { $n }",
        "figure-label = { $n }. Abbildung",
    );
    let strings = p.read("themes/default/i18n/de.ftl").replace(
        "xref-label = { $label }: { $title }",
        "xref-label = „{ $title }“ ({ $label })",
    );
    p.write("themes/default/i18n/de.ftl", &strings);
    p.built_html();
    let page = p.page("de", SCHOOL);
    assert!(page.contains("<span class=\"figure-label\">1. Abbildung:</span>"));
    assert!(page.contains(
        "<a class=\"xref xref-step\" href=\"#zweiter\">„Zweiter Schritt“ (Schritt 2)</a>"
    ));
}

#[test]
fn unknown_placeable_in_a_theme_message_is_an_error_at_its_line() {
    let p = with_german_message(
        "step-label = { step } { $n }",
        "step-label = Schritt { $nr }",
    );
    let line = line_of("step-label");
    assert_eq!(
        first_error(&p),
        format!(
            "error: unknown placeable `{{ $nr }}` in message `step-label`\n   ┌─ themes/default/i18n/de.ftl:{line}:1\n   │\n{line} │ step-label = Schritt {{ $nr }}\n   │ ^^^^^^^^^^\n   │\n   = `step-label` can use {{ $n }}\n"
        )
    );
}

#[test]
fn unknown_message_reference_in_a_theme_message_is_an_error() {
    let p = with_german_message("checklist = Checkliste", "checklist = { checklst }");
    let line = line_of("checklist =");
    assert_eq!(
        first_error(&p),
        format!(
            "error: message `checklist` refers to the unknown message `checklst`\n   ┌─ themes/default/i18n/de.ftl:{line}:1\n   │\n{line} │ checklist = {{ checklst }}\n   │ ^^^^^^^^^\n"
        )
    );
}

#[test]
fn a_placeable_in_a_plain_message_is_an_error() {
    let p = with_german_message(
        "checklist = Checkliste",
        "checklist = Checkliste { $school }",
    );
    let error = first_error(&p);
    assert!(
        error.starts_with("error: unknown placeable `{ $school }` in message `checklist`\n"),
        "{error}"
    );
    assert!(
        error.ends_with(
            "   = `checklist` can use { $n } only, as a count for the guide's `plural()`\n"
        ),
        "{error}"
    );
}

#[test]
fn checklist_progress_is_formatted_for_every_count() {
    let p = with_german_message(
        "checklist_progress = { $done } von { $total } erledigt",
        "checklist_progress = { $total ->\n    [one] { $done } von einem\n   *[other] Erledigt: { $done }/{ $total }\n}",
    );
    p.built_html();
    let page = p.page("de", SCHOOL);
    // The fixture has three distinct task items.
    assert!(page.contains("<span class=\"checklist-progress\" data-progress=\"[&quot;Erledigt: 0/3&quot;,&quot;Erledigt: 1/3&quot;,&quot;Erledigt: 2/3&quot;,&quot;Erledigt: 3/3&quot;]\" hidden></span>"));
}

#[test]
fn checklist_progress_in_english() {
    let p = with_english();
    p.built_html();
    let page = p.page("en", SCHOOL);
    assert!(page.contains("data-progress=\"[&quot;0 of 3 done&quot;,&quot;1 of 3 done&quot;,&quot;2 of 3 done&quot;,&quot;3 of 3 done&quot;]\""));
    assert!(!page.contains("{$done}"));
}

#[test]
fn an_error_in_a_theme_partial_names_the_partial() {
    let p = Project::fixture("basic");
    p.write(
        "themes/default/templates/blocks/figure.html",
        "<figure>{{ caption }}</figure>\n",
    );
    let error = first_error(&p);
    assert!(
        error.contains(
            "Variable `caption` is not defined. Available variables: alt, caption_html, label, number, src\n"
        ) && error.ends_with("  --> templates/blocks/figure.html\n"),
        "{error}"
    );
}

#[test]
fn a_message_that_refers_to_itself_is_an_error() {
    let p = with_german_message("checklist = Checkliste", "checklist = Liste { checklist }");
    let line = line_of("checklist =");
    assert_eq!(
        first_error(&p),
        format!(
            "error: message `checklist`: Resolver error: Cyclical dependency detected\n   ┌─ themes/default/i18n/de.ftl:{line}:1\n   │\n{line} │ checklist = Liste {{ checklist }}\n   │ ^^^^^^^^^\n"
        )
    );
}

#[test]
fn a_warning_message_may_use_only_its_kinds_arguments() {
    let p = with_german_message(
        "warn_admin_unknown = Für den Tenant { $tenant }",
        "warn_admin_unknown = Für den Tenant { $tenant } und { $admin }",
    );
    let line = line_of("warn_admin_unknown");
    let error = first_error(&p);
    assert!(
        error.starts_with(&format!(
            "error: unknown placeable `{{ $admin }}` in message `warn_admin_unknown`\n   ┌─ themes/default/i18n/de.ftl:{line}:1\n"
        )),
        "{error}"
    );
    assert!(
        error.contains("= `warn_admin_unknown` can use { $tenant }, { $edition }"),
        "{error}"
    );
}

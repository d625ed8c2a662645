//! Structure on the basic fixture. Numbering, figures, alerts, checklists and `{% if %}`
//! branches each have a case with its expected output in markdown_cases.rs.

mod common;

use common::{headings, step_ids, Project};

#[test]
fn static_files_are_copied_and_figures_point_at_them() {
    let p = Project::fixture("basic");
    p.built_html();
    assert!(p.path("public/img/lizenzen.svg").is_file());
    assert!(p
        .page("de", "evil")
        .contains("<img src=\"../../img/lizenzen.svg\""));
}

#[test]
fn school_values_are_filled_in_inside_alerts_and_task_items() {
    let p = Project::fixture("basic");
    p.built_html();
    let second = p.step_text("de", "evil", "zweiter");
    assert!(
        second.contains("Warnung Nur im Tenant evil.onmicrosoft.com buchen."),
        "{second}"
    );
    let first = p.step_text("de", "evil", "erster");
    assert!(
        first.contains("Angemeldet als admin@evil.onmicrosoft.com"),
        "{first}"
    );
}

#[test]
fn heading_without_id_gets_a_slug_and_first_h1_is_the_title() {
    let p = Project::fixture("basic");
    p.built_html();
    let page = p.page("de", "manual");
    // 02-ende.md has no front matter: `# Ende` is its title, `## Dritter Schritt` has no id.
    assert!(headings(&page).contains(&"Abschnitt 2 Ende".to_string()));
    assert!(page.contains("<section class=\"chapter\" id=\"ende\">"));
    assert_eq!(step_ids(&page), ["erster", "zweiter", "dritter-schritt"]);
}

#[test]
fn handbook_page_snapshot() {
    let p = Project::fixture("basic");
    p.built();
    insta::assert_snapshot!("basic_manual_de", p.page("de", "manual"));
}

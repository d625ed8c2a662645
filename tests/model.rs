//! Numbering and structure on the small fixture: figures, alerts, checklists, branches.

mod common;

use common::{step_section, Project};

#[test]
fn figure_standing_alone_is_numbered_with_caption() {
    let p = Project::fixture("basic");
    p.built();
    let page = p.page("de", "evil");
    assert!(page.contains("<figure id=\"figure-1\"><img src=\"../../img/lizenzen.svg\" alt=\"Übersicht der Lizenzen\""));
    assert!(page.contains(
        "<span class=\"figure-label\">Abbildung 1:</span> Übersicht der Lizenzen</figcaption>"
    ));
    assert!(
        p.path("public/img/lizenzen.svg").is_file(),
        "static/ is copied"
    );
}

#[test]
fn alerts_get_localized_titles() {
    let p = Project::fixture("basic");
    p.built();
    let step = step_section(&p.page("de", "evil"), "zweiter").to_string();
    assert!(step.contains("<aside class=\"alert alert-warning\" role=\"note\" aria-label=\"Warnung\">\n<p class=\"alert-title\">Warnung</p>"));
    assert!(step.contains("Nur im Tenant evil.onmicrosoft.com buchen."));
}

#[test]
fn checklist_items_are_collected_with_their_steps() {
    let p = Project::fixture("basic");
    p.built();
    let page = p.page("de", "evil");
    let collected = &page[page
        .find("id=\"handbook-checklist\"")
        .expect("collected checklist")..];
    assert_eq!(collected.matches("<li class=\"task\">").count(), 3);
    assert!(collected.contains("<label for=\"all-erster-1\">Angemeldet als admin@evil.onmicrosoft.com</label> <a class=\"task-place\" href=\"#erster\">Schritt 1</a>"));
    assert!(
        collected.contains("id=\"all-dritter-schritt-2\" data-task=\"dritter-schritt-2\" checked>")
    );
    assert!(page.contains("<input type=\"checkbox\" id=\"check-erster-1\" data-task=\"erster-1\"> <label for=\"check-erster-1\">"));
}

#[test]
fn heading_without_id_gets_a_slug_and_first_h1_is_the_title() {
    let p = Project::fixture("basic");
    p.built();
    let page = p.page("de", "manual");
    assert!(page.contains("<section class=\"chapter\" id=\"ende\">\n<h2><span class=\"chapter-label\">Abschnitt 2</span> Ende</h2>"));
    assert!(page.contains("<section class=\"step\" id=\"dritter-schritt\">"));
    assert!(page.contains("Weisen Sie die Lizenzen manuell zu."));
    assert!(!page.contains("MNSpro"));
}

#[test]
fn handbook_page_snapshot() {
    let p = Project::fixture("basic");
    p.built();
    insta::assert_snapshot!("basic_manual_de", p.page("de", "manual"));
}

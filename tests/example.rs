//! The bundled example project: the German guide built for the example schools.

mod common;

use common::{step_section, text_of, Project, EXAMPLE_STEP_IDS};

#[test]
fn every_school_gets_one_page_per_locale() {
    let p = Project::fixture("example");
    let report = p.built();
    assert_eq!(report.schools, 6);
    // grundschule-am-lindenweg is German only; the five others are de + en.
    assert_eq!(report.handbooks, 11);
    assert!(p
        .path("public/de/grundschule-am-lindenweg/index.html")
        .is_file());
    assert!(!p.path("public/en/grundschule-am-lindenweg").exists());
    assert!(p
        .path("public/en/gymnasium-am-stadtpark/index.html")
        .is_file());
}

#[test]
fn steps_are_numbered_across_chapters_with_stable_anchors() {
    let p = Project::fixture("example");
    p.built();
    let page = p.page("de", "gymnasium-am-stadtpark");
    for (i, id) in EXAMPLE_STEP_IDS.iter().enumerate() {
        let section = step_section(&page, id);
        let expected = format!("<span class=\"step-label\">Schritt {}</span>", i + 1);
        assert!(
            section.contains(&expected),
            "step {id} should be {expected}"
        );
        assert!(
            page.contains(&format!(
                "<a href=\"#{id}\"><span class=\"num\">Schritt {}</span>",
                i + 1
            )),
            "toc entry for {id}"
        );
    }
    assert!(page.contains("<section class=\"chapter\" id=\"berechtigungen\">\n<h2><span class=\"chapter-label\">Abschnitt 3</span>"));
}

#[test]
fn cross_references_show_number_and_title() {
    let p = Project::fixture("example");
    p.built();
    let page = p.page("de", "gymnasium-am-stadtpark");
    assert!(
        page.contains("<a class=\"xref xref-chapter\" href=\"#berechtigungen\">Abschnitt 3: "),
        "chapter reference"
    );
    assert!(page.contains("<a class=\"xref xref-step\" href=\"#konto-pruefen\">Schritt 9: Das angemeldete Konto prüfen</a>"), "step reference");
    assert!(
        !page.contains("href=\"#konto-pruefen\"></a>"),
        "no empty reference left"
    );
}

#[test]
fn school_values_appear_in_the_right_steps() {
    let p = Project::fixture("example");
    p.built();
    let page = p.page("de", "gymnasium-am-stadtpark");
    let text = |id| text_of(step_section(&page, id));
    assert!(
        text("vertrag-waehlen").contains("V1234567"),
        "contract number where the contract is chosen"
    );
    assert!(
        text("konto-pruefen").contains("admin@gymstadtpark.onmicrosoft.com"),
        "tenant admin at the account check"
    );
    assert!(
        text("organisationskonto").contains("admin@gymstadtpark.onmicrosoft.com"),
        "tenant admin in the activation window"
    );
    assert!(
        text("bestellbestaetigung").contains("verwaltung@gym-stadtpark.de"),
        "order e-mail where the confirmation arrives"
    );
    let keys = text("buchung-abschliessen");
    assert!(
        keys.contains("Microsoft 365 A3 für Lehrkräfte") && keys.contains("85"),
        "licence list: {keys}"
    );
}

#[test]
fn mnspro_and_manual_assignment_branches() {
    let p = Project::fixture("example");
    p.built();
    let mnspro = p.step_text("de", "gymnasium-am-stadtpark", "lizenzen-zuweisen");
    let manual = p.step_text("de", "realschule-am-rheinufer", "lizenzen-zuweisen");
    assert!(mnspro.contains("Ihre Schule nutzt MNSpro"), "{mnspro}");
    assert!(!mnspro.contains("Aktive Benutzer"));
    assert!(
        manual.contains("von Hand") && manual.contains("„Aktive Benutzer“"),
        "{manual}"
    );
    assert!(!manual.contains("Ihre Schule nutzt MNSpro"));
}

#[test]
fn missing_admin_gets_generic_wording() {
    let p = Project::fixture("example");
    p.built();
    let text = p.step_text("de", "grundschule-am-lindenweg", "organisationskonto");
    assert!(
        text.contains("kein Administratorkonto hinterlegt"),
        "{text}"
    );
}

#[test]
fn overview_lists_every_school_with_tenant_contract_and_links() {
    let p = Project::fixture("example");
    p.built();
    let index = p.read("public/index.html");
    assert!(index.starts_with("<!DOCTYPE html>\n<html lang=\"de\">"));
    let row_start = index
        .find("id=\"school-gymnasium-am-stadtpark\"")
        .expect("row");
    let row = &index[row_start..row_start + index[row_start..].find("</tr>").expect("row end")];
    assert!(
        row.contains("gymstadtpark.onmicrosoft.com")
            && row.contains("V1234567")
            && row.contains("01.08.2027"),
        "{row}"
    );
    assert!(
        row.contains("href=\"de/gymnasium-am-stadtpark/\"")
            && row.contains("href=\"en/gymnasium-am-stadtpark/\""),
        "{row}"
    );
    assert_eq!(index.matches("<tr id=\"school-").count(), 6);
}

#[test]
fn two_builds_are_byte_identical() {
    let p = Project::fixture("example");
    let mut first = p.options();
    first.out = Some(p.path("out1"));
    let mut second = p.options();
    second.out = Some(p.path("out2"));
    handbuch::build(&first).expect("first build");
    handbuch::build(&second).expect("second build");
    let files = |dir: &str| -> Vec<(String, Vec<u8>)> {
        let root = p.path(dir);
        let mut out: Vec<_> = walkdir::WalkDir::new(&root)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                (
                    e.path()
                        .strip_prefix(&root)
                        .expect("prefix")
                        .display()
                        .to_string(),
                    std::fs::read(e.path()).expect("read"),
                )
            })
            .collect();
        out.sort();
        out
    };
    let (a, b) = (files("out1"), files("out2"));
    assert!(a.len() > 10);
    assert_eq!(a, b);
}

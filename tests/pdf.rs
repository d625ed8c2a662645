//! The PDF handout: text extracted with poppler's pdftotext (installed by .ci/run),
//! metadata with pdfinfo, page 1 rendered with pdftoppm.

mod common;

use common::pdf::{pdf_text, poppler};
use common::Project;

const RS: &str = "public/de/realschule-am-rheinufer/realschule-am-rheinufer.pdf";

#[test]
fn pdf_has_the_schools_values_steps_alerts_and_warnings() {
    let p = Project::fixture("example");
    p.built();
    let text = pdf_text(&p.path(RS));
    for expected in [
        "Realschule am Rheinufer",
        "it@realschule-rheinufer.de",
        "V3345012",
        "rs-rheinufer.onmicrosoft.com",
        "Beispiel IT-Service GmbH",
        "25.11.2026",
    ] {
        assert!(text.contains(expected), "missing {expected}");
    }
    for n in 1..=13 {
        assert!(
            text.contains(&format!("Schritt {n}:")),
            "missing Schritt {n}"
        );
    }
    for title in ["Hinweis", "Wichtig", "Warnung", "Vorsicht"] {
        assert!(text.contains(title), "alert title {title}");
    }
    // A tip (pinning Billing in the menu) is rendered with its localized title.
    let unknown =
        pdf_text(&p.path("public/de/grundschule-am-lindenweg/grundschule-am-lindenweg.pdf"));
    assert!(unknown.contains("Tipp"), "alert title Tipp");
    assert!(text.contains("Hinweise für Ihre Schule"));
    assert!(text.contains("Gefahr Die jährliche Onlineaktivierung war am 01.10.2026 fällig und ist seit 55 Tagen überfällig."), "warning text");
    // Cross-references carry the step number and a page number.
    assert!(
        text.contains("Schritt 9: Das angemeldete Konto prüfen (S. 7)"),
        "cross-reference with page"
    );
    assert!(text.contains("Datum Name Unterschrift"), "sign-off line");
}

#[test]
fn pdf_has_page_x_of_y_and_metadata() {
    let p = Project::fixture("example");
    p.built();
    let path = p.path(RS);
    let text = pdf_text(&path);
    let info = poppler("pdfinfo", &[path.to_str().expect("utf-8")]);
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("page count");
    assert!(pages >= 5, "{pages} pages");
    assert!(
        text.contains("Seite 1 von") && text.contains(&format!("Seite {pages} von {pages}")),
        "footer"
    );
    let field = |name: &str| {
        info.lines()
            .find_map(|l| l.strip_prefix(name))
            .map(str::trim)
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(
        field("Title:"),
        "Lizenzen aktivieren – Realschule am Rheinufer"
    );
    assert_eq!(field("Author:"), "Beispiel IT-Service GmbH");
    assert!(
        field("CreationDate:").contains("Nov 25") && field("CreationDate:").contains("2026"),
        "creation date from --today: {info}"
    );
    let raw = std::fs::read(&path).expect("pdf");
    assert!(raw.windows(9).any(|w| w == b"/Outlines"), "bookmarks");
    assert!(
        raw.windows(9).any(|w| w == b"/Lang(de)"),
        "document language"
    );
}

#[test]
fn english_pdf_is_english() {
    let p = Project::fixture("example");
    p.built();
    let text = pdf_text(&p.path("public/en/realschule-am-rheinufer/realschule-am-rheinufer.pdf"));
    assert!(
        text.contains("Step 1:") && text.contains("Page 1 of"),
        "english labels"
    );
    assert!(text.contains("Notes for your school") && text.contains("1 October 2026"));
}

#[test]
fn typst_syntax_in_a_school_name_prints_literally() {
    let p = Project::fixture("basic");
    let name = r##"#set page(width: 1cm) $x$ *b* _i_ `c` \ [a] @ref <x> // no comment"##;
    let school = p
        .read("content/schools/manual.toml")
        .replace("\"Manuelle Schule\"", &format!("'''{name}'''"));
    p.write("content/schools/manual.toml", &school);
    p.built();
    let text = pdf_text(&p.path("public/de/manual/manual.pdf"));
    assert!(text.contains(name), "name not literal in: {text}");
    // The page was not set to 1 cm wide: A4 is 595 points.
    let info = poppler(
        "pdfinfo",
        &[p.path("public/de/manual/manual.pdf")
            .to_str()
            .expect("utf-8")],
    );
    assert!(info.contains("595.276 x 841.89 pts (A4)"), "{info}");
}

#[test]
fn html_page_links_to_its_pdf() {
    let p = Project::fixture("basic");
    p.built();
    assert!(p
        .page("de", "evil")
        .contains("<a class=\"pdf-link\" href=\"evil.pdf\" type=\"application/pdf\">"));
    assert!(p.path("public/de/evil/evil.pdf").is_file());
}

#[test]
fn no_pdf_writes_none() {
    let p = Project::fixture("basic");
    let mut options = p.options();
    options.pdf = false;
    handbuch::build(&options).expect("build");
    assert!(p.path("public/de/evil/index.html").is_file());
    assert!(!p.path("public/de/evil/evil.pdf").exists());
    assert!(!p.page("de", "evil").contains("pdf-link"));
}

#[test]
fn same_input_gives_byte_identical_pdf() {
    let p = Project::fixture("basic");
    p.built();
    let first = std::fs::read(p.path("public/de/evil/evil.pdf")).expect("pdf");
    p.built();
    let second = std::fs::read(p.path("public/de/evil/evil.pdf")).expect("pdf");
    assert!(first == second, "PDF differs between builds");
}

#[test]
fn first_page_renders_to_png() {
    let p = Project::fixture("basic");
    p.built();
    let prefix = p.path("page");
    poppler(
        "pdftoppm",
        &[
            "-png",
            "-r",
            "40",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            p.path("public/de/evil/evil.pdf").to_str().expect("utf-8"),
            prefix.to_str().expect("utf-8"),
        ],
    );
    let png = std::fs::read(p.path("page.png")).expect("png written");
    assert!(png.starts_with(b"\x89PNG") && png.len() > 1000);
}

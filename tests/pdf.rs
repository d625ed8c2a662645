//! The PDF handout: text extracted with poppler's pdftotext (installed by .ci/run),
//! metadata with pdfinfo, page 1 rendered with pdftoppm.

mod common;

use common::pdf::{page_count, pdf_text, poppler};
use common::Project;

const PDF: &str = "public/de/quiet/quiet.pdf";

/// tests/fixtures/warnings (ten steps, each warning rule's step among them) with an
/// overdue activation and a third chapter of school values, all five alerts, a task and
/// a cross-reference.
fn handout() -> Project {
    let p = Project::fixture("warnings");
    p.edit(
        "content/schools/quiet.toml",
        "anniversary = 2027-08-01",
        "anniversary = 2026-10-01",
    );
    for (locale, title) in [("de", "Werte"), ("en", "Values")] {
        p.write(
            &format!("content/guide/{locale}/03-werte.md"),
            &format!(
                "# {title}\n\n## {title} {{#werte-eintragen}}\n\n{{{{ school.tenant.admin }}}} {{{{ school.contract.number }}}} {{{{ school.tenant.domain }}}}\n\nSee [](#konto-pruefen).\n\n- [ ] Tick\n\n\
                 > [!NOTE]\n> n\n\n> [!TIP]\n> t\n\n> [!IMPORTANT]\n> i\n\n> [!WARNING]\n> w\n\n> [!CAUTION]\n> c\n"
            ),
        );
    }
    p.built();
    p
}

#[test]
fn pdf_has_the_schools_values_steps_alerts_and_warnings() {
    let p = handout();
    let text = pdf_text(&p.path(PDF));
    for expected in [
        "Ruhige Schule",
        "admin@quiet.onmicrosoft.com",
        "V1000001",
        "quiet.onmicrosoft.com",
        "Test IT GmbH",
        "25.11.2026",
    ] {
        assert!(text.contains(expected), "missing {expected}");
    }
    for n in 1..=11 {
        assert!(
            text.contains(&format!("Schritt {n}:")),
            "missing Schritt {n}"
        );
    }
    for title in ["Hinweis", "Tipp", "Wichtig", "Warnung", "Vorsicht"] {
        assert!(text.contains(title), "alert title {title}");
    }
    // The warnings block with the warning as the HTML page has it.
    assert!(text.contains("Hinweise für Ihre Schule"));
    let html = p.warning_text("de", "quiet", "jaehrliche-aktivierung", "renewal_overdue");
    // Without the severity word, which the PDF sets apart ("Gefahr:" on the page).
    let first_words: String = html
        .split(' ')
        .skip(1)
        .take(8)
        .collect::<Vec<_>>()
        .join(" ");
    assert!(text.contains(&first_words), "warning text {first_words:?}");
    // Cross-references carry the step number and a page number.
    let xref = text
        .split("Schritt 7: Konto prüfen (S. ")
        .nth(1)
        .unwrap_or_else(|| panic!("no cross-reference with page in {text}"));
    assert!(xref.starts_with(|c: char| c.is_ascii_digit()), "{xref}");
    // The collected checklist ends with a line to sign (pdftotext may interleave its
    // labels with the last item's step).
    let checklist = &text[text.rfind("Checkliste").expect("checklist")..];
    for label in ["Datum", "Name", "Unterschrift"] {
        assert!(checklist.contains(label), "sign-off line: {checklist}");
    }
}

#[test]
fn pdf_has_page_x_of_y_and_metadata() {
    let p = handout();
    let path = p.path(PDF);
    let text = pdf_text(&path);
    let info = poppler("pdfinfo", &[path.to_str().expect("utf-8")]);
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("page count");
    assert!(pages >= 2, "{pages} pages");
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
    assert_eq!(field("Title:"), "Hinweise – Ruhige Schule");
    assert_eq!(field("Author:"), "Test IT GmbH");
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
fn pdf_is_set_in_liberation_sans_embedded_as_subsets() {
    let p = handout();
    let fonts = poppler("pdffonts", &[p.path(PDF).to_str().expect("utf-8")]);
    // After two header lines, one line per font: "ABCDEF+Name  type  encoding  emb sub uni …".
    let lines: Vec<&str> = fonts.lines().skip(2).collect();
    let names: Vec<&str> = lines
        .iter()
        .filter_map(|l| l.split_whitespace().next())
        .filter_map(|n| n.split_once('+').map(|(_, name)| name))
        .collect();
    assert_eq!(names.len(), lines.len(), "every font is a subset: {fonts}");
    assert!(names.contains(&"LiberationSans"), "{fonts}");
    assert!(names.contains(&"LiberationSans-Bold"), "{fonts}");
    assert!(
        !names.iter().any(|n| n.starts_with("Libertinus")),
        "{fonts}"
    );
    assert!(lines.iter().all(|l| l.contains(" yes yes yes ")), "{fonts}");
}

/// The right edges of the words on every page of `pdf`, in pt (`pdftotext -bbox`).
fn right_edges(pdf: &std::path::Path) -> Vec<f64> {
    let words = poppler("pdftotext", &["-bbox", pdf.to_str().expect("utf-8"), "-"]);
    words
        .split("xMax=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next()?.parse().ok())
        .collect()
}

/// A school's name of 130 letters without a space: on the cover, in the page header, and
/// in a chapter's heading, paragraph and checklist item it is hyphenated and stays within
/// the right margin (A4 is 595.28 pt wide, the margin 20 mm = 56.69 pt). Typst breaks a
/// word no other way: not hyphenated, it ran off the page.
#[test]
fn a_word_longer_than_the_line_stays_on_the_page() {
    let p = Project::fixture("warnings");
    let name = "Staatlichesberufsschulzentrumfuerwirtschaftundverwaltungsinformatikmitgymnasialeroberstufeundfachoberschuleamstadtparkinmuenchen";
    p.edit(
        "content/schools/quiet.toml",
        "name = \"Ruhige Schule\"",
        &format!("name = \"{name}\""),
    );
    p.write(
        "content/guide/de/03-name.md",
        "# Name\n\n## Die {{ school.name }}\n\nDie {{ school.name }} bucht.\n\n- [ ] {{ school.name }} geprüft\n",
    );
    p.built();
    let path = p.path(PDF);
    let edges = right_edges(&path);
    assert!(!edges.is_empty());
    let margin = 595.28 - 56.69 + 1.0;
    assert!(
        edges.iter().all(|&x| x <= margin),
        "a word ends right of the margin ({margin} pt): {edges:?}"
    );
    let text = pdf_text(&path);
    assert!(text.contains("Staatlichesberufsschulzentrum"));
    assert!(text.contains("bucht."), "{text}");
}

/// A chapter's words of fewer than 20 letters are never hyphenated (hyphenating all
/// text cost ~6 % of a handout's instructions): a paragraph of many 13-letter words ends
/// its lines between words. Typst marks its own hyphen at a line end with a soft hyphen.
#[test]
fn short_words_of_a_chapter_are_not_hyphenated() {
    let p = Project::fixture("warnings");
    let words = "Lizenzbuchung ".repeat(80);
    p.write(
        "content/guide/de/03-worte.md",
        &format!("# Worte\n\n## Viele Worte\n\nANFANG {words}ENDE\n"),
    );
    p.built();
    let raw = poppler("pdftotext", &[p.path(PDF).to_str().expect("utf-8"), "-"]);
    let start = raw.find("ANFANG").expect("paragraph");
    let paragraph = &raw[start..start + raw[start..].find("ENDE").expect("end")];
    assert!(paragraph.lines().count() > 5, "{paragraph}");
    assert!(
        !paragraph.contains('\u{ad}') && !paragraph.contains("-\n"),
        "{paragraph}"
    );
    assert_eq!(paragraph.matches("Lizenzbuchung").count(), 80);
}

#[test]
fn english_pdf_is_english() {
    let p = handout();
    let text = pdf_text(&p.path("public/en/quiet/quiet.pdf"));
    assert!(
        text.contains("Step 1:") && text.contains("Page 1 of"),
        "english labels"
    );
    for title in ["Note", "Tip", "Important", "Warning", "Caution"] {
        assert!(text.contains(title), "alert title {title}");
    }
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

/// A handout is made offline: an image from the web is printed as its alt text and
/// address, and the page still shows the image itself.
#[test]
fn a_remote_image_prints_as_its_text_and_address() {
    let p = Project::fixture("basic");
    let url = "https://example.org/bild.png";
    p.write(
        "content/guide/de/03-bild.md",
        &format!("# Bild\n\n## Bild ansehen\n\n![Das Anmeldefenster]({url})\n\nText mit ![Symbol]({url}) darin.\n"),
    );
    p.built();
    let text = pdf_text(&p.path("public/de/manual/manual.pdf"));
    assert!(text.contains("Das Anmeldefenster"), "{text}");
    assert!(text.contains("Symbol"), "{text}");
    assert!(text.contains(url), "{text}");
    let page = p.page("de", "manual");
    assert!(page.contains(&format!("<img src=\"{url}\" alt=\"Das Anmeldefenster\"")));
}

/// A checklist row is a horizontal stack (checkbox, body), not a grid: a task longer than
/// a page must still flow on over the next pages, in its step and in the collected
/// checklist, and lose no word.
#[test]
fn a_task_longer_than_a_page_breaks_across_pages() {
    let p = handout();
    // Numbers, so that hyphenation splits none of them.
    let words: Vec<String> = (0..900).map(|i| (100_000 + i).to_string()).collect();
    p.write(
        "content/guide/de/03-werte.md",
        &format!(
            "# Werte\n\n## Werte {{#werte-eintragen}}\n\n- [ ] {} Ende\n",
            words.join(" lang ")
        ),
    );
    p.built();
    let path = p.path(PDF);
    let text = pdf_text(&path);
    for word in words.iter().chain([&"Ende".to_string()]) {
        let found = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w == word)
            .count();
        assert_eq!(found, 2, "{word}: in the step and in the checklist");
    }
    let pages = page_count(&path);
    assert!(
        pages >= 6,
        "{pages} pages for two copies of a 1,800-word task"
    );
    // And no line runs into the right margin: A4 is 595.28 pt wide, the margin 20 mm.
    let right_edge = 595.28 - 20.0 / 25.4 * 72.0;
    let boxes = poppler("pdftotext", &["-bbox", path.to_str().expect("utf-8"), "-"]);
    let widest = boxes
        .split("xMax=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next()?.parse::<f64>().ok())
        .fold(0.0, f64::max);
    assert!(
        widest > right_edge - 30.0 && widest <= right_edge + 0.5,
        "text reaches x = {widest}, the right margin is at {right_edge}"
    );
}

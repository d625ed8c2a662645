//! PDF/UA-1 handouts: the identification, the structure tree's headings, the title the
//! viewer shows, the language, every image's alt text, and the build errors that keep an
//! image without alt text out of both outputs.

mod common;

use std::path::Path;
use std::process::Command;

use common::pdf::poppler;
use common::{Project, TODAY};
use lopdf::{Dictionary, Document, Object};

const SCHOOL: &str = "manual";
const NAME: &str = "Manuelle Schule";
const START: &str = "content/guide/de/01-start.md";
const END: &str = "content/guide/de/02-ende.md";

/// The basic fixture, one school, with a `###` in a chapter's intro (under its H1) and
/// one in a step (under its H2), so the levels below the steps are in the tree too.
fn project() -> Project {
    let p = Project::fixture("basic");
    p.write(
        START,
        &p.read(START).replace(
            "Einleitung für {{ school.name }}.\n",
            "Einleitung für {{ school.name }}.\n\n### Vorab\n\nText.\n",
        ),
    );
    p.write(
        END,
        &p.read(END)
            .replace("Zum Schluss:", "### Zum Schluss\n\nZum Schluss:"),
    );
    p
}

/// Build `p` for the one school and read its handout in `locale`.
fn handout(p: &Project, locale: &str) -> (Vec<u8>, String) {
    let mut options = p.options();
    options.schools = vec![SCHOOL.to_string()];
    handbuch::build(&options).unwrap_or_else(|e| panic!("build failed:\n{e}"));
    let path = p.path(&format!("public/{locale}/{SCHOOL}/{SCHOOL}.pdf"));
    let bytes = std::fs::read(&path).expect("handout written");
    (bytes, path.to_str().expect("utf-8").to_string())
}

fn load(bytes: &[u8]) -> Document {
    Document::load_mem(bytes).expect("a PDF lopdf reads")
}

fn deref<'a>(doc: &'a Document, object: &'a Object) -> &'a Object {
    doc.dereference(object).map(|(_, o)| o).expect("object")
}

/// The structure elements below `kids`, in document order, as (type, dictionary).
fn elements<'a>(doc: &'a Document, kids: &'a Object, out: &mut Vec<(String, &'a Dictionary)>) {
    match deref(doc, kids) {
        Object::Array(items) => {
            for item in items {
                elements(doc, item, out);
            }
        }
        Object::Dictionary(dict) => {
            // Marked-content and object references (`/Type /MCR`, `/OBJR`) end the walk.
            let Ok(kind) = dict.get(b"S").and_then(Object::as_name) else {
                return;
            };
            out.push((String::from_utf8_lossy(kind).into_owned(), dict));
            if let Ok(kids) = dict.get(b"K") {
                elements(doc, kids, out);
            }
        }
        _ => {}
    }
}

/// Every element of the handout's structure tree, in document order.
fn structure(doc: &Document) -> Vec<(String, &Dictionary)> {
    let root = doc
        .catalog()
        .expect("catalog")
        .get(b"StructTreeRoot")
        .expect("a tagged PDF has a structure tree");
    let root = deref(doc, root).as_dict().expect("structure tree root");
    let mut out = Vec::new();
    elements(doc, root.get(b"K").expect("root kids"), &mut out);
    out
}

fn heading_levels(doc: &Document) -> Vec<u32> {
    structure(doc)
        .iter()
        .filter_map(|(kind, _)| kind.strip_prefix('H')?.parse().ok())
        .collect()
}

fn text_of(doc: &Document, dict: &Dictionary, key: &[u8]) -> Option<String> {
    let object = deref(doc, dict.get(key).ok()?);
    lopdf::decode_text_string(object).ok()
}

#[test]
fn handout_is_identified_as_pdf_ua_1_and_pdf_a_2a() {
    let p = project();
    let (_, path) = handout(&p, "de");
    let meta = poppler("pdfinfo", &["-meta", &path]);
    assert!(meta.contains("<pdfuaid:part>1</pdfuaid:part>"), "{meta}");
    assert!(
        meta.contains("<pdfaid:part>2</pdfaid:part>")
            && meta.contains("<pdfaid:conformance>A</pdfaid:conformance>"),
        "{meta}"
    );
}

#[test]
fn structure_tree_starts_with_h1_and_never_skips_a_level() {
    let p = project();
    let (bytes, _) = handout(&p, "de");
    let levels = heading_levels(&load(&bytes));
    assert_eq!(levels.first(), Some(&1), "{levels:?}");
    for pair in levels.windows(2) {
        assert!(pair[1] <= pair[0] + 1, "skipped a level: {levels:?}");
    }
    // The cover's H1, the warnings, contents, chapter 1 with `### Vorab` in its intro,
    // step 1, step 2, chapter 2, step 3 with `### Zum Schluss`, the checklist.
    assert_eq!(levels, [1, 2, 1, 1, 2, 2, 2, 1, 2, 3, 1], "{levels:?}");
}

#[test]
fn first_heading_is_the_school_name_on_the_cover() {
    let p = project();
    let (bytes, path) = handout(&p, "de");
    let doc = load(&bytes);
    let tree = structure(&doc);
    let first = tree
        .iter()
        .find(|(kind, _)| kind.starts_with('H') && kind.len() == 2)
        .expect("a heading");
    assert_eq!(first.0, "H1");
    let page_one = poppler("pdftotext", &["-f", "1", "-l", "1", &path, "-"]);
    assert!(page_one.contains(NAME), "{page_one}");
    let outline = poppler("pdfinfo", &["-struct-text", &path]);
    let h1 = outline
        .lines()
        .find(|l| l.trim_start().starts_with("H1"))
        .unwrap_or_default();
    assert!(h1.contains(NAME), "{outline}");
}

#[test]
fn viewer_shows_the_document_title() {
    let p = project();
    let (bytes, _) = handout(&p, "de");
    let doc = load(&bytes);
    let preferences = doc
        .catalog()
        .expect("catalog")
        .get(b"ViewerPreferences")
        .map(|o| deref(&doc, o))
        .and_then(Object::as_dict)
        .expect("/ViewerPreferences");
    assert_eq!(
        preferences
            .get(b"DisplayDocTitle")
            .and_then(Object::as_bool)
            .ok(),
        Some(true)
    );
}

#[test]
fn title_and_language_are_those_of_the_handout() {
    let p = project();
    p.write(
        "handbuch.toml",
        &p.read("handbuch.toml")
            .replace("locales = [\"de\"]", "locales = [\"de\", \"en\"]"),
    );
    for file in ["01-start.md", "02-ende.md"] {
        let text = p.read(&format!("content/guide/de/{file}"));
        p.write(&format!("content/guide/en/{file}"), &text);
    }
    for locale in ["de", "en"] {
        let (bytes, path) = handout(&p, locale);
        let doc = load(&bytes);
        let catalog = doc.catalog().expect("catalog");
        assert_eq!(text_of(&doc, catalog, b"Lang").as_deref(), Some(locale));
        let info = poppler("pdfinfo", &[&path]);
        let title = format!("Title:           Test-Handbuch – {NAME}\n");
        assert!(info.contains(&title), "{locale}: {info}");
        let meta = poppler("pdfinfo", &["-meta", &path]);
        let language = format!("<dc:language><rdf:Bag><rdf:li>{locale}</rdf:li>");
        assert!(meta.contains(&language), "{locale}: {meta}");
    }
}

#[test]
fn every_image_in_the_structure_tree_has_its_alt_text() {
    let p = project();
    p.write(
        END,
        &format!(
            "{}\nInline ![Kleines Logo](img/lizenzen.svg) im Text.\n",
            p.read(END)
        ),
    );
    let (bytes, _) = handout(&p, "de");
    let doc = load(&bytes);
    let alts: Vec<Option<String>> = structure(&doc)
        .into_iter()
        .filter(|(kind, _)| kind == "Figure")
        .map(|(_, dict)| text_of(&doc, dict, b"Alt"))
        .collect();
    assert_eq!(
        alts,
        [
            Some("QR-Code: https://help.example.org/test/de/manual/".to_string()),
            Some("Übersicht der Lizenzen".to_string()),
            Some("Kleines Logo".to_string()),
        ]
    );
}

#[test]
fn figure_without_alt_text_is_an_error_at_its_place() {
    let p = project();
    p.write(
        START,
        &p.read(START).replace("![Übersicht der Lizenzen]", "![]"),
    );
    let errors = p.errors();
    assert!(
        errors.contains(&format!(
            "error: image `img/lizenzen.svg` has no alt text\n   ┌─ {START}:26:1\n"
        )),
        "{errors}"
    );
    assert!(
        errors.contains("the text between `![` and `]` is empty"),
        "{errors}"
    );
    assert!(errors.contains("\n1 error in 1 file"), "{errors}");
}

#[test]
fn inline_image_without_alt_text_is_an_error_in_the_html_only_build_too() {
    let p = project();
    p.write(
        END,
        &format!("{}\nInline ![ ](img/lizenzen.svg) im Text.\n", p.read(END)),
    );
    let errors = p.html_errors();
    assert!(
        errors.contains(&format!(
            "error: image `img/lizenzen.svg` has no alt text\n   ┌─ {END}:18:8\n"
        )),
        "{errors}"
    );
    assert!(
        errors.contains("= a screen reader reads the alt text in place of the image, on the page and in the PDF: say what it shows, e.g. `![Übersicht der Lizenzen](img/lizenzen.svg)`"),
        "{errors}"
    );
}

/// Every file below `dir` with its bytes.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("walk"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().display().to_string(),
                std::fs::read(e.path()).expect("read"),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn missing_alt_text_exits_1_and_leaves_the_previous_output_as_it_was() {
    let p = project();
    let run = || {
        Command::new(env!("CARGO_BIN_EXE_handbuch"))
            .args(["build", "--today", TODAY, "--school", SCHOOL, "--root"])
            .arg(p.root())
            .env("NO_COLOR", "1")
            .output()
            .expect("run handbuch")
    };
    assert_eq!(run().status.code(), Some(0));
    let before = snapshot(&p.path("public"));
    assert!(before.iter().any(|(name, _)| name.ends_with(".pdf")));
    p.write(
        START,
        &p.read(START).replace("![Übersicht der Lizenzen]", "![]"),
    );
    let out = run();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "error: image `img/lizenzen.svg` has no alt text\n   ┌─ {START}:26:1\n"
        )),
        "{stderr}"
    );
    assert!(before == snapshot(&p.path("public")), "the output changed");
}

#[test]
fn a_print_template_that_breaks_pdf_ua_is_an_error_naming_the_handbook() {
    let p = project();
    let template = "themes/default/print/handbook.typ";
    let theme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(template))
        .expect("default template");
    p.write(template, &format!("{theme}\n#heading(level: 4)[Zu tief]\n"));
    let mut options = p.options();
    options.schools = vec![SCHOOL.to_string()];
    let errors = match handbuch::build(&options) {
        Ok(_) => panic!("a skipped heading level must fail the export"),
        Err(e) => format!("{e}{}", e.summary()),
    };
    assert!(
        errors.contains(&format!(
            "error: PDF export: PDF/UA-1 error: skipped from heading level 1 to 4\n    ┌─ {template}:"
        )),
        "{errors}"
    );
    assert!(
        errors.contains(
            "= handouts are exported as PDF/UA-1 and PDF/A-2a, and Typst refuses what breaks them"
        ),
        "{errors}"
    );
    assert!(
        errors.contains(&format!("= while building the handbook of `{SCHOOL}` (de)")),
        "{errors}"
    );
}

//! Every Markdown error names the chapter file, line and column of what caused it.

mod common;

use common::Project;

/// A chapter after the fixture's two, with `body` as its Markdown (front matter: 4 lines,
/// then an empty one, so the body starts on line 6).
fn with_chapter(body: &str) -> Project {
    let p = Project::fixture("basic");
    p.write(
        "content/guide/de/03-fehler.md",
        &format!("+++\ntitle = \"Fehler\"\nid = \"fehler\"\n+++\n\n{body}"),
    );
    p
}

/// The errors of an HTML build, one line per error: `message @ file:line:col`.
fn errors(p: &Project) -> Vec<String> {
    let text = p.html_errors();
    let mut out = Vec::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let Some(message) = line.strip_prefix("error: ") else {
            continue;
        };
        let at = lines
            .peek()
            .and_then(|l| l.split_once("┌─ ").or_else(|| l.split_once("--> ")))
            .map(|(_, at)| at.trim().to_string())
            .unwrap_or_default();
        out.push(format!("{message} @ {at}"));
    }
    out
}

const FILE: &str = "content/guide/de/03-fehler.md";

fn at(line: usize, col: usize) -> String {
    format!("{FILE}:{line}:{col}")
}

#[test]
fn an_inline_link_to_an_unknown_id_is_reported_at_its_destination() {
    let p = with_chapter("Siehe [dort](#nirgends).\n");
    assert_eq!(
        errors(&p),
        [format!(
            "cross-reference to unknown id `nirgends` @ {}",
            at(6, 14)
        )]
    );
}

#[test]
fn a_link_with_a_title_is_reported_at_its_destination() {
    let p = with_chapter("Siehe [dort](#nirgends \"Titel\").\n");
    assert_eq!(
        errors(&p),
        [format!(
            "cross-reference to unknown id `nirgends` @ {}",
            at(6, 14)
        )]
    );
}

#[test]
fn a_reference_link_is_reported_at_the_link() {
    let p = with_chapter("Siehe [dort][ref].\n\n[ref]: #nirgends\n");
    assert_eq!(
        errors(&p),
        [format!(
            "cross-reference to unknown id `nirgends` @ {}",
            at(6, 7)
        )]
    );
}

#[test]
fn a_collapsed_reference_link_is_reported_at_the_link() {
    let p = with_chapter("Siehe [ref][].\n\n[ref]: #nirgends \"Titel\"\n");
    assert_eq!(
        errors(&p),
        [format!(
            "cross-reference to unknown id `nirgends` @ {}",
            at(6, 7)
        )]
    );
}

#[test]
fn a_shortcut_reference_link_is_reported_at_the_link() {
    let p = with_chapter("Text.\n\nSiehe [ref].\n\n[ref]:\n  <#nirgends>\n");
    assert_eq!(
        errors(&p),
        [format!(
            "cross-reference to unknown id `nirgends` @ {}",
            at(8, 7)
        )]
    );
}

#[test]
fn a_link_with_an_escaped_destination_is_reported_at_the_link() {
    let p = with_chapter("Siehe [dort](#nir\\(gends).\n");
    assert_eq!(
        errors(&p),
        [format!(
            "cross-reference to unknown id `nir(gends` @ {}",
            at(6, 7)
        )]
    );
}

#[test]
fn a_missing_file_behind_a_link_with_a_title_is_reported_at_its_destination() {
    let p = with_chapter("Das [Formular](files/fehlt.pdf \"PDF\").\n");
    assert_eq!(
        errors(&p),
        [format!(
            "link to `files/fehlt.pdf` does not resolve @ {}",
            at(6, 16)
        )]
    );
}

#[test]
fn an_empty_step_heading_is_reported_at_its_own_line() {
    let p = with_chapter("{% if true %}\nEinleitung.\n{% endif %}\n\n## \n\nText.\n");
    assert_eq!(
        errors(&p),
        [format!(
            "this step's heading has no text to make its id from @ {}",
            at(10, 1)
        )]
    );
}

#[test]
fn a_step_heading_of_only_punctuation_is_reported_at_its_line() {
    let p = with_chapter("Einleitung.\n\n## ?!\n\nText.\n");
    assert_eq!(
        errors(&p),
        [format!(
            "this step's heading has no text to make its id from @ {}",
            at(8, 4)
        )]
    );
}

#[test]
fn a_setext_heading_with_a_duplicate_id_is_reported_at_its_title() {
    let p = with_chapter("Gleich\n------\n\nText.\n\nGleich\n------\n");
    assert_eq!(
        errors(&p),
        [format!(
            "the id `gleich` is used twice in this handbook @ {}",
            at(11, 1)
        )]
    );
}

#[test]
fn a_step_title_starting_with_a_digit_gets_an_id_with_s_in_front() {
    let p =
        with_chapter("## 2024: Neu\n\nSiehe [](#s-2024-neu).\n\n### 3 Dinge\n\n[a](#s-3-dinge)\n");
    p.built();
    let page = p.page("de", "manual");
    assert!(page.contains("<section class=\"step\" id=\"s-2024-neu\">"));
    assert!(page.contains("<h4 id=\"s-3-dinge\">3 Dinge</h4>"));
}

#[test]
fn an_explicit_id_starting_with_a_digit_is_reported_at_the_id() {
    let p = with_chapter("## Neu {#2024}\n\nText.\n");
    assert_eq!(
        errors(&p),
        [format!(
            "`2024` cannot be used as an anchor id @ {}",
            at(6, 9)
        )]
    );
}

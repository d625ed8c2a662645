//! A character the handout's fonts cannot print is an error of both outputs, at the
//! place it is written: in a chapter, a school file or handbuch.toml.

mod common;

use std::process::{Command, Output};

use common::{Project, TODAY};

const CHAPTER: &str = "content/guide/de/01a-zeichen.md";
const SCHOOL: &str = "content/schools/manual.toml";
const MESSAGE: &str = "the handout's fonts have no glyph for \"ആ\" (U+0D06)";

fn with_chapter(body: &str) -> Project {
    let p = Project::fixture("basic");
    p.write(
        CHAPTER,
        &format!("+++\ntitle = \"Zeichen\"\nid = \"zeichen\"\n+++\n\n{body}"),
    );
    p
}

fn handbuch(p: &Project, extra: &[&str]) -> Output {
    let root = p.root().to_str().expect("utf-8 path");
    Command::new(env!("CARGO_BIN_EXE_handbuch"))
        .args(["build", "--root", root, "--today", TODAY])
        .args(extra)
        .env("NO_COLOR", "1")
        .output()
        .expect("run handbuch")
}

/// The build's exit code and its messages, with the built page before and after.
fn failed_build(p: &Project, extra: &[&str]) -> String {
    let before = p.page("de", "manual");
    let out = handbuch(p, extra);
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(p.page("de", "manual"), before, "previous output kept");
    stderr
}

#[test]
fn a_chapter_character_without_glyph_fails_both_builds_at_its_place() {
    let p = with_chapter("## Schritt\n\nDas Wort ആ steht hier.\n");
    // A previous good build, whose output must survive the failed ones.
    let good = p.read(CHAPTER);
    p.write(CHAPTER, &good.replace('ആ', "A"));
    p.built();
    p.write(CHAPTER, &good);
    for extra in [&[][..], &["--no-pdf"][..]] {
        let stderr = failed_build(&p, extra);
        assert!(stderr.contains(&format!("error: {MESSAGE}")), "{stderr}");
        assert!(
            stderr.contains("content/guide/de/01a-zeichen.md:8:10"),
            "{stderr}"
        );
        assert!(stderr.contains("Libertinus Serif"), "{stderr}");
        assert!(!stderr.contains("handbook.typ"), "{stderr}");
    }
}

#[test]
fn a_character_without_glyph_is_reported_once_per_chapter() {
    let p = with_chapter("## Schritt\n\nആ und ആ.\n\nNoch einmal ആ.\n");
    let errors = p.html_errors();
    assert_eq!(errors.matches(MESSAGE).count(), 1, "{errors}");
    assert!(
        errors.contains("content/guide/de/01a-zeichen.md:8:1"),
        "{errors}"
    );
}

#[test]
fn a_school_name_without_glyph_fails_at_the_school_file() {
    let p = Project::fixture("basic");
    p.built();
    p.write(
        SCHOOL,
        &p.read(SCHOOL)
            .replace("Manuelle Schule", "Manuelle Schule ആ"),
    );
    for extra in [&[][..], &["--no-pdf"][..]] {
        let stderr = failed_build(&p, extra);
        assert!(
            stderr.contains(&format!("error: the school's name: {MESSAGE}")),
            "{stderr}"
        );
        assert!(
            stderr.contains("content/schools/manual.toml:1:25"),
            "{stderr}"
        );
    }
}

#[test]
fn a_provider_name_without_glyph_fails_at_the_config_file() {
    let p = Project::fixture("basic");
    let config = p.read("handbuch.toml").replace("Test IT GmbH", "Träger ആ");
    p.write("handbuch.toml", &config);
    let errors = p.html_errors();
    assert!(
        errors.contains(&format!("error: the provider's name: {MESSAGE}")),
        "{errors}"
    );
    assert!(errors.contains("handbuch.toml:7:16"), "{errors}");
}

#[test]
fn german_punctuation_and_latin_greek_cyrillic_letters_print() {
    let p = with_chapter(
        "## Schritt\n\n\
         Grüße aus Köln: Maße, Öl, Übung – „Zitat“ ‚halb‘ »Guillemets« … 20 € · © ½ °C\n\n\
         Café, señor, Łódź, Ærø, Žižka; αβγ Ωμέγα; Привет, ёж; emoji joiner a\u{200D}b, \
         selector ☺\u{FE0E}, weiches Trenn\u{00AD}zeichen, schmales\u{202F}Leerzeichen.\n",
    );
    p.write(
        SCHOOL,
        &p.read(SCHOOL)
            .replace("Manuelle Schule", "Schule „Am Grünen Weg“ – Süd"),
    );
    p.built();
}

#[test]
fn a_character_reference_without_glyph_fails_at_the_reference() {
    let p = with_chapter("## Schritt\n\nZeichen &#xD06; hier.\n");
    for errors in [p.html_errors(), p.errors()] {
        assert!(errors.contains(&format!("error: {MESSAGE}")), "{errors}");
        assert!(
            errors.contains("content/guide/de/01a-zeichen.md:8:9"),
            "{errors}"
        );
    }
}

#[test]
fn a_front_matter_title_without_glyph_fails_at_the_title() {
    let p = Project::fixture("basic");
    p.write(
        CHAPTER,
        "+++\ntitle = \"Zeichen ആ\"\nid = \"zeichen\"\n+++\n\n## Schritt\n\nText.\n",
    );
    let errors = p.html_errors();
    assert!(errors.contains(&format!("error: {MESSAGE}")), "{errors}");
    assert!(
        errors.contains("content/guide/de/01a-zeichen.md:2:18"),
        "{errors}"
    );
}

#[test]
fn a_theme_string_without_glyph_fails_at_the_fluent_file() {
    let p = Project::fixture("basic");
    let strings = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/themes/default/i18n/de.ftl"
    ))
    .expect("default de.ftl");
    assert!(strings.contains("\nunknown = unbekannt\n"));
    p.write(
        "themes/default/i18n/de.ftl",
        &strings.replace("\nunknown = unbekannt\n", "\nunknown = unbekannt ആ\n"),
    );
    let errors = p.html_errors();
    assert!(errors.contains(&format!("error: {MESSAGE}")), "{errors}");
    let line = strings[..strings.find("\nunknown = ").expect("unknown")]
        .matches('\n')
        .count()
        + 2;
    assert!(
        errors.contains(&format!("themes/default/i18n/de.ftl:{line}:21")),
        "{errors}"
    );
}

//! Secrets never reach a handbook or the screen, however they are written: every
//! obfuscation of a product key is refused and never echoed, and the value of a
//! secret-named field is never printed, at any depth, in any message.

mod common;

use std::path::Path;
use std::process::Command;

use common::server::Server;
use common::{Project, TODAY};

const SCHOOL: &str = "content/schools/manual.toml";
const CHAPTER: &str = "content/guide/de/01-start.md";
const KEY: &str = "7QX2K-ABCD3-EFGH4-JKLM5-NPQR6";
const GROUPS: [&str; 5] = ["7QX2K", "ABCD3", "EFGH4", "JKLM5", "NPQR6"];

/// `handbuch build --no-pdf` on the project: exit code and everything it printed.
fn build(p: &Project) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_handbuch"))
        .args(["build", "--no-pdf", "--today", TODAY, "--root"])
        .arg(p.root())
        .env("NO_COLOR", "1")
        .output()
        .expect("run handbuch");
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code(), printed)
}

/// The build fails with `message` at `place`, and neither the output nor any file it
/// left behind shows `secret` (case-insensitively).
fn refused_without_echo(p: &Project, message: &str, place: &str, secret: &str) -> String {
    let (code, printed) = build(p);
    assert_eq!(code, Some(1), "{printed}");
    assert!(
        printed.contains(message),
        "expected {message:?}:\n{printed}"
    );
    assert!(printed.contains(place), "expected {place:?}:\n{printed}");
    assert_not_shown(&printed, secret);
    assert!(!p.path("public").exists(), "nothing written");
    for entry in walkdir::WalkDir::new(p.root()) {
        let entry = entry.expect("walk");
        let inside_sources = ["content", "handbuch.toml"]
            .iter()
            .any(|s| entry.path().starts_with(p.path(s)));
        if entry.file_type().is_file() && !inside_sources {
            let text =
                String::from_utf8_lossy(&std::fs::read(entry.path()).expect("read")).to_lowercase();
            assert!(!text.contains(&secret.to_lowercase()), "{:?}", entry.path());
        }
    }
    printed
}

fn assert_not_shown(printed: &str, secret: &str) {
    assert!(
        !printed.to_lowercase().contains(&secret.to_lowercase()),
        "secret {secret:?} echoed:\n{printed}"
    );
}

/// No two neighbouring groups of the key are printed together, in any spelling.
fn assert_no_key_parts(printed: &str) {
    for pair in GROUPS.windows(2) {
        for dash in ["-", "\u{2013}", "\u{2014}", "\\u002D", "&#45;"] {
            let part = format!("{}{dash}{}", pair[0], pair[1]);
            assert!(!printed.contains(&part), "{part:?} echoed:\n{printed}");
        }
    }
}

fn with_name(p: &Project, name: &str) {
    p.write(
        SCHOOL,
        &p.read(SCHOOL)
            .replace("name = \"Manuelle Schule\"", &format!("name = \"{name}\"")),
    );
}

fn with_chapter_line(p: &Project, line: &str) {
    p.write(
        CHAPTER,
        &p.read(CHAPTER)
            .replace("Einleitung für {{ school.name }}.", line),
    );
}

const KEY_ERROR: &str = "error: a product key must never be written into a handbook";

// --- product keys in school values, however they are spelled ---

#[test]
fn key_written_with_toml_unicode_escapes_is_refused() {
    let p = Project::fixture("basic");
    with_name(
        &p,
        "S 7QX2K\\u002DABCD3\\u002DEFGH4\\u002DJKLM5\\u002DNPQR6",
    );
    let printed = refused_without_echo(&p, KEY_ERROR, "content/schools/manual.toml:1:11", KEY);
    assert_no_key_parts(&printed);
    assert!(!printed.contains("ABCD3"), "{printed}");
}

#[test]
fn key_written_with_en_dashes_is_refused() {
    let p = Project::fixture("basic");
    with_name(
        &p,
        "S 7QX2K\u{2013}ABCD3\u{2013}EFGH4\u{2013}JKLM5\u{2013}NPQR6",
    );
    let printed = refused_without_echo(&p, KEY_ERROR, "content/schools/manual.toml:1:11", KEY);
    assert_no_key_parts(&printed);
}

#[test]
fn key_written_with_em_dashes_minus_signs_and_hyphens_is_refused() {
    let p = Project::fixture("basic");
    with_name(
        &p,
        "7QX2K\u{2014}ABCD3\u{2212}EFGH4\u{2011}JKLM5\u{2012}NPQR6",
    );
    let printed = refused_without_echo(&p, KEY_ERROR, "content/schools/manual.toml:1:9", KEY);
    assert_no_key_parts(&printed);
}

#[test]
fn key_split_over_lines_in_a_multi_line_string_is_refused() {
    let p = Project::fixture("basic");
    p.write(
        SCHOOL,
        &p.read(SCHOOL).replace(
            "name = \"Manuelle Schule\"",
            "name = \"\"\"Schule 7QX2K-ABCD3 -\n  EFGH4 - JKLM5\n-NPQR6\"\"\"",
        ),
    );
    let printed = refused_without_echo(&p, KEY_ERROR, "content/schools/manual.toml:1:", KEY);
    for group in GROUPS {
        assert!(!printed.contains(group), "{group} echoed:\n{printed}");
    }
}

#[test]
fn key_in_a_nested_value_is_refused() {
    let p = Project::fixture("basic");
    p.write(
        "content/schools/evil.toml",
        &p.read("content/schools/evil.toml").replace(
            "product = \"A3 <b>bold</b> [link](http://x)\"",
            "product = \"A3 7QX2K\\u2013ABCD3\\u2013EFGH4\\u2013JKLM5\\u2013NPQR6\"",
        ),
    );
    let printed = refused_without_echo(&p, KEY_ERROR, "content/schools/evil.toml:13:", KEY);
    assert_no_key_parts(&printed);
}

// --- product keys in chapters and where chapters put them together ---

#[test]
fn key_split_over_two_lines_in_a_chapter_is_refused() {
    let p = Project::fixture("basic");
    with_chapter_line(&p, "Schlüssel 7QX2K-ABCD3-EFGH4-\nJKLM5-NPQR6 hier.");
    let printed = refused_without_echo(&p, KEY_ERROR, "content/guide/de/01-start.md:6:11", KEY);
    assert_no_key_parts(&printed);
}

#[test]
fn key_written_with_html_entities_in_a_chapter_is_refused() {
    let p = Project::fixture("basic");
    with_chapter_line(
        &p,
        "Schlüssel 7QX2K&#45;ABCD3&#x2d;EFGH4&ndash;JKLM5&hyphen;NPQR6.",
    );
    let printed = refused_without_echo(&p, KEY_ERROR, "content/guide/de/01-start.md:6:11", KEY);
    assert_no_key_parts(&printed);
}

#[test]
fn key_put_together_by_tera_is_refused_naming_the_chapter() {
    let p = Project::fixture("basic");
    with_chapter_line(
        &p,
        "Schlüssel {{ \"7QX2K-ABCD3\" ~ \"-EFGH4-JKLM5-NPQR6\" }}.",
    );
    let printed = refused_without_echo(
        &p,
        "error: a product key would be written into de/evil/index.html",
        "--> content/guide/de/01-start.md",
        KEY,
    );
    assert!(
        printed.contains("while building the handbook of `manual` (de)"),
        "{printed}"
    );
}

#[test]
fn key_put_together_from_valid_key_suffixes_is_refused() {
    let p = Project::fixture("basic");
    p.write(
        SCHOOL,
        &p.read(SCHOOL).replace(
            "number = \"V2000002\"",
            "number = \"V2000002\"\nkey_suffixes = [\"7QX2K\", \"ABCD3\", \"EFGH4\", \"JKLM5\", \"NPQR6\"]",
        ),
    );
    p.write(
        "content/guide/de/02-ende.md",
        &p.read("content/guide/de/02-ende.md").replace(
            "Zum Schluss:",
            "Zum Schluss: {{ school.contract.key_suffixes | join(sep=\"-\") }}",
        ),
    );
    refused_without_echo(
        &p,
        "error: a product key would be written into de/manual/index.html",
        "--> content/guide/de/02-ende.md",
        KEY,
    );
}

#[test]
fn key_put_together_by_tera_is_refused_before_the_pdf_is_made() {
    let p = Project::fixture("basic");
    with_chapter_line(&p, "{{ \"7QX2K\" ~ \"\u{2013}ABCD3-EFGH4-JKLM5-NPQR6\" }}");
    let errors = p.errors();
    assert!(
        errors.contains(
            "error: a product key would be written into de/evil/index.html and de/evil/evil.pdf"
        ),
        "{errors}"
    );
    assert_not_shown(&errors, "ABCD3-EFGH4");
    assert!(!p.path("public").exists());
}

// --- file names and the site config ---

#[test]
fn key_as_a_school_file_name_is_refused_and_not_printed() {
    let p = Project::fixture("basic");
    let name = "content/schools/7qx2k-abcd3-efgh4-jklm5-npqr6.toml";
    p.write(name, &p.read(SCHOOL));
    let printed = refused_without_echo(
        &p,
        "error: the file name looks like a product key, which must never be written into a handbook",
        "content/schools/*****************************.toml",
        KEY,
    );
    assert_no_key_parts(&printed.to_uppercase());
}

#[test]
fn key_as_a_chapter_file_name_is_refused() {
    let p = Project::fixture("basic");
    p.write(
        "content/guide/de/03-7QX2K-ABCD3-EFGH4-JKLM5-NPQR6.md",
        "# Drei\n",
    );
    refused_without_echo(
        &p,
        "error: the file name looks like a product key",
        "content/guide/de/03-*****************************.md",
        KEY,
    );
}

#[test]
fn key_in_handbuch_toml_is_refused() {
    let p = Project::fixture("basic");
    p.write(
        "handbuch.toml",
        &p.read("handbuch.toml").replace(
            "name = \"Test IT GmbH\"",
            "name = \"IT 7QX2K-ABCD3-EFGH4-JKLM5-NPQR6\"",
        ),
    );
    let printed = refused_without_echo(&p, KEY_ERROR, "handbuch.toml:7:12", KEY);
    assert_no_key_parts(&printed);
}

#[test]
fn escaped_key_in_handbuch_toml_is_refused() {
    let p = Project::fixture("basic");
    p.write(
        "handbuch.toml",
        &p.read("handbuch.toml").replace(
            "title = \"Test-Handbuch\"",
            "title = \"7QX2K\\u2014ABCD3\\u2014EFGH4\\u2014JKLM5\\u2014NPQR6\"",
        ),
    );
    refused_without_echo(&p, KEY_ERROR, "handbuch.toml:1:10", KEY);
}

// --- secret-named fields at any depth ---

const PASSWORD_ERROR: &str = "error: a password must never be written into a handbook";

fn secret_field_refused(file: &str, text: &str, place: &str, secret: &str) {
    let p = Project::fixture("basic");
    p.write(file, text);
    refused_without_echo(&p, PASSWORD_ERROR, place, secret);
}

#[test]
fn secret_field_at_the_top_is_not_printed() {
    let p = Project::fixture("basic");
    let text = format!("password = \"Hunter2Geheim\"\n{}", p.read(SCHOOL));
    secret_field_refused(
        SCHOOL,
        &text,
        "content/schools/manual.toml:1:12",
        "Hunter2Geheim",
    );
}

#[test]
fn secret_field_in_contract_is_not_printed() {
    let p = Project::fixture("basic");
    let text = p.read(SCHOOL).replace(
        "number = \"V2000002\"",
        "number = \"V2000002\"\nvlsc_passwort = \"Hunter2Geheim\"",
    );
    secret_field_refused(
        SCHOOL,
        &text,
        "content/schools/manual.toml:9:17",
        "Hunter2Geheim",
    );
}

#[test]
fn secret_field_in_an_array_of_tables_is_not_printed() {
    let p = Project::fixture("basic");
    let text = format!(
        "{}\n[[licenses]]\nproduct = \"A3\"\nquantity = 1\npin = 48151623\n",
        p.read(SCHOOL)
    );
    secret_field_refused(
        SCHOOL,
        &text,
        "content/schools/manual.toml:16:7",
        "48151623",
    );
}

#[test]
fn secret_field_in_an_inline_table_is_not_printed() {
    let p = Project::fixture("basic");
    let text = format!(
        "x = {{ a = 1, password = \"Hunter2Geheim\" }}\n{}",
        p.read(SCHOOL)
    );
    secret_field_refused(
        SCHOOL,
        &text,
        "content/schools/manual.toml:1:25",
        "Hunter2Geheim",
    );
}

#[test]
fn secret_field_spread_over_lines_is_not_printed() {
    let p = Project::fixture("basic");
    let text = format!(
        "{}\n[extra]\nmeta = {{ owner = \"x\", secrets = [\n  \"Hunter2Geheim\",\n] }}\n",
        p.read(SCHOOL)
    );
    secret_field_refused(
        SCHOOL,
        &text,
        "content/schools/manual.toml:14:33",
        "Hunter2Geheim",
    );
}

#[test]
fn secret_field_with_an_escaped_name_is_not_printed() {
    let p = Project::fixture("basic");
    let text = format!("\"pass\\u0077ord\" = \"Hunter2Geheim\"\n{}", p.read(SCHOOL));
    secret_field_refused(
        SCHOOL,
        &text,
        "content/schools/manual.toml:1:19",
        "Hunter2Geheim",
    );
}

#[test]
fn product_key_field_with_a_dash_in_its_name_is_not_printed() {
    let p = Project::fixture("basic");
    let text = p
        .read(SCHOOL)
        .replace("[contract]", "[contract]\nproduct-key = \"Hunter2Geheim\"");
    secret_field_refused(
        SCHOOL,
        &text,
        "content/schools/manual.toml:8:15",
        "Hunter2Geheim",
    );
}

#[test]
fn secret_field_in_front_matter_is_not_printed() {
    let p = Project::fixture("basic");
    let text = p.read(CHAPTER).replace(
        "id = \"start\"",
        "id = \"start\"\nextra = { token = \"Hunter2Geheim\" }",
    );
    secret_field_refused(
        CHAPTER,
        &text,
        "content/guide/de/01-start.md:4:19",
        "Hunter2Geheim",
    );
}

#[test]
fn secret_field_in_handbuch_toml_is_not_printed() {
    let p = Project::fixture("basic");
    let text = format!("{}api_token = \"Hunter2Geheim\"\n", p.read("handbuch.toml"));
    secret_field_refused(
        "handbuch.toml",
        &text,
        "handbuch.toml:9:13",
        "Hunter2Geheim",
    );
}

// --- what other errors show of a line with secrets ---

#[test]
fn two_key_suffix_errors_do_not_print_the_key_together() {
    let p = Project::fixture("basic");
    p.write(
        SCHOOL,
        &p.read(SCHOOL).replace(
            "number = \"V2000002\"",
            "number = \"V2000002\"\nkey_suffixes = [\"7QX2K-ABCD3\", \"EFGH4-JKLM5-NPQR6\"]",
        ),
    );
    let printed = refused_without_echo(
        &p,
        "error: a key suffix must be the last five characters of a product key, nothing more",
        "content/schools/manual.toml:9:17",
        KEY,
    );
    assert!(
        printed.contains("content/schools/manual.toml:9:32"),
        "{printed}"
    );
    // (`7QX2K` itself is the label's example of a valid suffix.)
    assert!(!printed.contains("7QX2K-"), "{printed}");
    for group in &GROUPS[1..] {
        assert!(!printed.contains(group), "{group} echoed:\n{printed}");
    }
}

#[test]
fn syntax_error_on_a_line_with_half_a_key_does_not_print_it() {
    let p = Project::fixture("basic");
    p.write(
        SCHOOL,
        &p.read(SCHOOL).replace(
            "name = \"Manuelle Schule\"",
            "name = \"Manuelle Schule\" 7QX2K-ABCD3-EFGH4",
        ),
    );
    let (code, printed) = build(&p);
    assert_eq!(code, Some(1), "{printed}");
    assert!(
        printed.contains("content/schools/manual.toml:1:"),
        "{printed}"
    );
    assert!(
        printed.contains("1 │ name = \"Manuelle Schule\" *****************"),
        "{printed}"
    );
    for group in &GROUPS[..3] {
        assert!(!printed.contains(group), "{group} echoed:\n{printed}");
    }
}

#[test]
fn a_message_that_repeats_part_of_a_key_is_blanked() {
    let p = Project::fixture("basic");
    p.write(
        SCHOOL,
        &p.read(SCHOOL)
            .replace("mode = \"manual\"", "mode = \"7QX2K-ABCD3\""),
    );
    let (code, printed) = build(&p);
    assert_eq!(code, Some(1), "{printed}");
    assert!(
        printed.contains("unknown variant `***********`, expected `mnspro` or `manual`"),
        "{printed}"
    );
    assert!(
        printed.contains("content/schools/manual.toml:11:8"),
        "{printed}"
    );
    assert!(!printed.contains("ABCD3"), "{printed}");
}

#[test]
fn rendering_blanks_secret_values_whoever_made_the_diagnostic() {
    // A diagnostic made anywhere (here: not by the secret check) shows no secret value.
    let source: std::sync::Arc<str> =
        std::sync::Arc::from("x = { pin = 4815, note = \"ok\" }\ny = \"7QX2K-ABCD3\"\n");
    let d = handbuch::Diagnostic::error(Path::new("s.toml"), "unknown field `x`")
        .at(&source, 0..1)
        .with_note("seen near `7QX2K-ABCD3`");
    let shown = d.render(false);
    assert!(shown.contains("s.toml:1:1"), "{shown}");
    assert!(shown.contains("x = { pin = **************"), "{shown}");
    assert!(
        !shown.contains("4815") && !shown.contains("ABCD3"),
        "{shown}"
    );
    assert!(shown.contains("seen near `***********`"), "{shown}");
}

#[test]
fn serve_status_and_overlay_never_show_a_secret() {
    let p = Project::fixture("basic");
    let server = Server::start(p.root());
    let good = p.read(SCHOOL);
    p.write(
        SCHOOL,
        &format!(
            "x = {{ password = \"Hunter2Geheim\" }}\n{}",
            good.replace("mode = \"manual\"", "mode = \"7QX2K-ABCD3\"")
        ),
    );
    let status = server.wait_for("/__handbuch/status", |body| {
        body.contains("\"error\":\"") && body.contains("error: ")
    });
    assert!(
        status.contains("a password must never be written into a handbook"),
        "{status}"
    );
    assert_not_shown(&status, "Hunter2Geheim");
    p.write(
        SCHOOL,
        &good.replace("mode = \"manual\"", "mode = \"7QX2K-ABCD3\""),
    );
    let status = server.wait_for("/__handbuch/status", |body| {
        body.contains("unknown variant")
    });
    assert!(!status.contains("ABCD3"), "{status}");
    assert_not_shown(&status, "Hunter2Geheim");
}

#[test]
fn ordinary_text_with_dashes_still_builds() {
    let p = Project::fixture("basic");
    with_chapter_line(
        &p,
        "Admin-Konto, Excel-Datei, 2026-11-25, 3f2b8c1e-7a4d-4e2f-9b6a-1c0d5e8f7a21, \
         ABCDE FGHIJ KLMNO PQRST 12345, Passwort steht im Tresor.",
    );
    let (code, printed) = build(&p);
    assert_eq!(code, Some(0), "{printed}");
}

/// A file outside the project, linked into `static/` as `name`.
fn link_outside_into_static(p: &Project, outside: &tempfile::TempDir, name: &str, text: &str) {
    let target = outside.path().join(name);
    std::fs::write(&target, text).expect("write the outside file");
    std::os::unix::fs::symlink(&target, p.path(&format!("static/{name}"))).expect("symlink");
}

#[test]
fn a_link_in_static_to_a_file_outside_reaches_neither_page_nor_handout() {
    let outside = tempfile::tempdir().expect("temp dir");
    let p = Project::fixture("basic");
    link_outside_into_static(&p, &outside, "private.txt", "TOP-SECRET-LINE");
    // The print template reads it: Typst's files are the site's files, and a link is none.
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let template = std::fs::read_to_string(manifest.join("themes/default/print/handbook.typ"))
        .expect("print template");
    p.write(
        "themes/default/print/handbook.typ",
        &format!("{template}\n#read(\"/static/private.txt\")\n"),
    );
    let errors = p.build().expect_err("the print template cannot read it");
    let text = errors.to_string();
    assert!(
        text.contains("print template: file not found (searched at"),
        "{text}"
    );
    assert!(!text.contains("TOP-SECRET-LINE"), "{text}");

    // A chapter's image that is such a link is not found either (it is not published).
    let p = Project::fixture("basic");
    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"4\" height=\"4\"/>";
    link_outside_into_static(&p, &outside, "outside.svg", svg);
    with_chapter_line(&p, "![Außen](outside.svg)");
    let (code, printed) = build(&p);
    assert_eq!(code, Some(1), "{printed}");
    assert!(
        printed.contains("error: image `outside.svg` not found"),
        "{printed}"
    );
    assert!(!p.path("public").exists(), "nothing was published");
}

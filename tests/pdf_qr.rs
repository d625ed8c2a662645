//! The QR code on the handout's cover: page 1 rendered by poppler, read back with a QR
//! decoder, must lead to the school's online handbook; without `base_url` there is none.

mod common;

use common::pdf::{built_handout, pdf_text, poppler, qr_codes_on_page_one};
use common::Project;

const SCHOOL: &str = "manual";

#[test]
fn cover_qr_code_decodes_to_the_schools_handbook_url() {
    let p = Project::fixture("basic");
    let pdf = built_handout(&p, SCHOOL);
    assert_eq!(
        qr_codes_on_page_one(&pdf, p.root(), 150),
        ["https://help.example.org/test/de/manual/"]
    );
}

#[test]
fn cover_prints_the_handbook_url_under_the_qr_code() {
    let p = Project::fixture("basic");
    let pdf = built_handout(&p, SCHOOL);
    let page_one = poppler(
        "pdftotext",
        &["-f", "1", "-l", "1", pdf.to_str().expect("utf-8"), "-"],
    );
    assert!(
        page_one.contains("\nhttps://help.example.org/test/de/manual/\n"),
        "{page_one}"
    );
}

#[test]
fn base_url_with_a_trailing_slash_gives_the_same_url() {
    let p = Project::fixture("basic");
    p.write(
        "handbuch.toml",
        &p.read("handbuch.toml").replace(
            "base_url = \"https://help.example.org/test\"",
            "base_url = \"https://help.example.org/test/\"",
        ),
    );
    let pdf = built_handout(&p, SCHOOL);
    assert_eq!(
        qr_codes_on_page_one(&pdf, p.root(), 150),
        ["https://help.example.org/test/de/manual/"]
    );
}

#[test]
fn without_base_url_the_cover_has_no_qr_code_and_no_url() {
    let p = Project::fixture("basic");
    let config = p.read("handbuch.toml");
    let without = config.replace("base_url = \"https://help.example.org/test\"\n", "");
    assert_ne!(config, without, "the fixture sets base_url");
    p.write("handbuch.toml", &without);
    let pdf = built_handout(&p, SCHOOL);
    assert_eq!(
        qr_codes_on_page_one(&pdf, p.root(), 150),
        Vec::<String>::new()
    );
    let text = pdf_text(&pdf);
    assert!(!text.contains("help.example.org"), "{text}");
}

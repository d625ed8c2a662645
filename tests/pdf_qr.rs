//! The QR code on the handout's cover: page 1 rendered by poppler, read back with a QR
//! decoder, must lead to the school's online handbook; without `base_url` there is none.

mod common;

use std::path::Path;

use common::pdf::{pdf_text, poppler};
use common::Project;

const SCHOOL: &str = "manual";

/// Build the basic fixture for the one school; the path of its German handout.
fn handout(p: &Project) -> std::path::PathBuf {
    let mut options = p.options();
    options.schools = vec![SCHOOL.to_string()];
    handbuch::build(&options).unwrap_or_else(|e| panic!("build failed:\n{e}"));
    p.path(&format!("public/de/{SCHOOL}/{SCHOOL}.pdf"))
}

/// The contents of every QR code on page 1 of `pdf`, rendered at 150 dpi in grey.
fn qr_codes_on_page_one(pdf: &Path, p: &Project) -> Vec<String> {
    let prefix = p.path("page1");
    poppler(
        "pdftoppm",
        &[
            "-f",
            "1",
            "-l",
            "1",
            "-r",
            "150",
            "-gray",
            "-png",
            "-singlefile",
            pdf.to_str().expect("utf-8"),
            prefix.to_str().expect("utf-8"),
        ],
    );
    let page = image::open(p.path("page1.png"))
        .expect("pdftoppm wrote a PNG")
        .to_luma8();
    let (w, h) = (page.width() as usize, page.height() as usize);
    let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| {
        page.get_pixel(x as u32, y as u32).0[0]
    });
    prepared
        .detect_grids()
        .into_iter()
        .map(|grid| grid.decode().expect("a QR code that decodes").1)
        .collect()
}

#[test]
fn cover_qr_code_decodes_to_the_schools_handbook_url() {
    let p = Project::fixture("basic");
    let pdf = handout(&p);
    assert_eq!(
        qr_codes_on_page_one(&pdf, &p),
        ["https://help.example.org/test/de/manual/"]
    );
}

#[test]
fn cover_prints_the_handbook_url_under_the_qr_code() {
    let p = Project::fixture("basic");
    let pdf = handout(&p);
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
    let pdf = handout(&p);
    assert_eq!(
        qr_codes_on_page_one(&pdf, &p),
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
    let pdf = handout(&p);
    assert_eq!(qr_codes_on_page_one(&pdf, &p), Vec::<String>::new());
    let text = pdf_text(&pdf);
    assert!(!text.contains("help.example.org"), "{text}");
}

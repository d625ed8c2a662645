//! Reading PDF handouts with poppler's tools (installed by .ci/run).

use std::path::Path;
use std::process::Command;

/// Run a poppler tool; a missing tool fails the test (CI installs poppler-utils).
pub fn poppler(tool: &str, args: &[&str]) -> String {
    let out = Command::new(tool).args(args).output().unwrap_or_else(|e| {
        panic!("{tool} is needed for the PDF tests: run scripts/install-test-tools first, which installs poppler-utils: {e}")
    });
    assert!(
        out.status.success(),
        "{tool} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn pdf_text(path: &Path) -> String {
    let text = poppler("pdftotext", &[path.to_str().expect("utf-8"), "-"]);
    // Join hyphenated line ends and collapse whitespace, so phrases can be searched.
    text.replace("-\n", "-")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The contents of every QR code on page 1 of `pdf`, rendered in grey at `dpi` into
/// `dir/page1.png` and read back with a QR decoder.
pub fn qr_codes_on_page_one(pdf: &Path, dir: &Path, dpi: u32) -> Vec<String> {
    let prefix = dir.join("page1");
    let dpi = dpi.to_string();
    let args = [
        "-f",
        "1",
        "-l",
        "1",
        "-r",
        &dpi,
        "-gray",
        "-png",
        "-singlefile",
        pdf.to_str().expect("utf-8"),
        prefix.to_str().expect("utf-8"),
    ];
    poppler("pdftoppm", &args);
    let page = image::open(dir.join("page1.png"))
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

/// The number of pages, as pdfinfo reads it.
pub fn page_count(pdf: &Path) -> usize {
    let info = poppler("pdfinfo", &[pdf.to_str().expect("utf-8")]);
    info.lines()
        .find_map(|line| line.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("pdfinfo names no page count:\n{info}"))
}

/// Build `school` of the project alone (with its PDF); the path of its German handout.
pub fn built_handout(p: &super::Project, school: &str) -> std::path::PathBuf {
    let mut options = p.options();
    options.schools = vec![school.to_string()];
    handbuch::build(&options).unwrap_or_else(|e| panic!("build failed:\n{e}"));
    p.path(&format!("public/de/{school}/{school}.pdf"))
}

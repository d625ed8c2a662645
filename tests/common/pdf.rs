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

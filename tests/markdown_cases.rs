//! Markdown conventions as expected output, one small project per case (like mdBook's
//! `tests/testsuite/markdown/*/{src,expected}`).
//!
//! Each `tests/fixtures/markdown/<case>/` is a project of its own (handbuch.toml,
//! content/guide/<locale>/…, content/schools/…). The driver builds its HTML (no PDF) and
//! compares, for every handbook `public/<locale>/<slug>/index.html`, the handbook content
//! with `expected/<locale>/<slug>.html`: the table of contents and the chapters (from the
//! first `<section class="chapter"` to `</main>`, the collected checklist included). The
//! page frame, the school warnings and any `<script>` are left out, so a case changes only
//! when the Markdown output changes.
//!
//! After an intended change of the output, rewrite the expected files and review the diff:
//!
//!     UPDATE_EXPECT=1 cargo test --release --test markdown_cases
//!
//! A new case is a new folder plus a line in `cases!` below (a test fails while a folder
//! has no line).

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::Project;

macro_rules! cases {
    ($($test:ident => $folder:literal,)*) => {
        $(
            #[test]
            fn $test() {
                check_case($folder);
            }
        )*
        const CASES: &[&str] = &[$($folder),*];
    };
}

cases! {
    numbering => "numbering",
    cross_references => "cross-references",
    alerts => "alerts",
    task_lists => "task-lists",
    figures => "figures",
    labels => "labels",
    conditional_numbering => "conditional-numbering",
}

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/markdown")
}

fn updating() -> bool {
    std::env::var_os("UPDATE_EXPECT").is_some_and(|v| !v.is_empty() && v != "0")
}

fn check_case(case: &str) {
    let project = Project::fixture(&format!("markdown/{case}"));
    project.built_html();
    let expected_dir = cases_dir().join(case).join("expected");
    let pages = handbook_pages(&project);
    assert!(!pages.is_empty(), "{case}: no handbook built");
    if updating() {
        let _ = fs::remove_dir_all(&expected_dir);
    }
    for (locale, slug) in &pages {
        let actual = handbook_content(&project.page(locale, slug));
        let file = expected_dir.join(locale).join(format!("{slug}.html"));
        if updating() {
            fs::create_dir_all(file.parent().expect("has parent")).expect("mkdir");
            fs::write(&file, &actual).expect("write expected");
            continue;
        }
        let expected = fs::read_to_string(&file).unwrap_or_else(|e| {
            panic!(
                "{}: {e}; run with UPDATE_EXPECT=1 to write it",
                file.display()
            )
        });
        if expected != actual {
            panic!(
                "{case}: {locale}/{slug} differs from {} (UPDATE_EXPECT=1 rewrites it)\n{}",
                file.display(),
                line_diff(&expected, &actual)
            );
        }
    }
    let expected_pages = expected_files(&expected_dir);
    assert_eq!(
        expected_pages, pages,
        "{case}: the handbooks built and the expected files differ"
    );
}

/// `(locale, slug)` of every handbook page below `public/`, sorted.
fn handbook_pages(project: &Project) -> Vec<(String, String)> {
    let mut pages = Vec::new();
    for locale in subfolders(&project.path("public")) {
        for slug in subfolders(&project.path(&format!("public/{locale}"))) {
            if project
                .path(&format!("public/{locale}/{slug}/index.html"))
                .is_file()
            {
                pages.push((locale.clone(), slug));
            }
        }
    }
    pages.sort();
    pages
}

/// `(locale, slug)` of every `expected/<locale>/<slug>.html`, sorted.
fn expected_files(dir: &Path) -> Vec<(String, String)> {
    let mut files = Vec::new();
    for locale in subfolders(dir) {
        for entry in fs::read_dir(dir.join(&locale)).expect("read expected") {
            let name = entry.expect("entry").file_name();
            let name = name.to_string_lossy();
            if let Some(slug) = name.strip_suffix(".html") {
                files.push((locale.clone(), slug.to_string()));
            }
        }
    }
    files.sort();
    files
}

fn subfolders(dir: &Path) -> Vec<String> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The table of contents and the chapters of a handbook page, without `<script>`s.
fn handbook_content(page: &str) -> String {
    let toc = between(page, "<nav class=\"toc\"", "</nav>");
    let start = page
        .find("<section class=\"chapter\"")
        .expect("a chapter section");
    let end = page[start..].find("</main>").expect("</main>") + start;
    let chapters = without_scripts(page[start..end].trim_end());
    format!("{toc}\n\n{chapters}\n")
}

/// From `start` to the end of the first `end` after it, both included.
fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text.find(start).unwrap_or_else(|| panic!("no {start}"));
    let to = text[from..]
        .find(end)
        .unwrap_or_else(|| panic!("no {end} after {start}"));
    &text[from..from + to + end.len()]
}

fn without_scripts(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(at) = rest.find("<script") {
        out.push_str(&rest[..at]);
        let Some(end) = rest[at..].find("</script>") else {
            rest = "";
            break;
        };
        rest = rest[at + end + "</script>".len()..].trim_start_matches('\n');
    }
    out.push_str(rest);
    out
}

/// The first differing lines, enough to see what changed without a diff tool.
fn line_diff(expected: &str, actual: &str) -> String {
    let (e, a): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    let first = e
        .iter()
        .zip(&a)
        .position(|(x, y)| x != y)
        .unwrap_or(e.len().min(a.len()));
    let show = |lines: &[&str]| {
        lines
            .iter()
            .skip(first)
            .take(6)
            .map(|l| format!("  {l}"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    format!(
        "first difference at line {}:\nexpected:\n{}\nactual:\n{}",
        first + 1,
        show(&e),
        show(&a)
    )
}

#[test]
fn every_case_folder_has_a_test() {
    let mut folders = subfolders(&cases_dir());
    folders.sort();
    let mut listed: Vec<String> = CASES.iter().map(|c| c.to_string()).collect();
    listed.sort();
    assert_eq!(folders, listed, "add the folder to `cases!`");
}

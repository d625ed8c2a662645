//! The bundled example project end to end: it builds, every school gets its handbooks
//! and PDFs, every link resolves, nothing is left unresolved, and a second build is
//! byte-identical. The engine's behaviour is tested on small fixtures elsewhere
//! (markdown_cases, warnings, i18n, pdf, …); what the example's guide says, in portal.rs.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{text_of, Project};

/// Slugs of the example's schools, from content/schools.
fn schools(p: &Project) -> Vec<String> {
    let mut slugs: Vec<String> = fs::read_dir(p.path("content/schools"))
        .expect("schools")
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.strip_suffix(".toml").map(str::to_string)
        })
        .collect();
    slugs.sort();
    slugs
}

/// Every `index.html` below `public/`.
fn html_pages(p: &Project) -> Vec<PathBuf> {
    let mut pages: Vec<PathBuf> = walkdir::WalkDir::new(p.path("public"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| e.into_path())
        .collect();
    pages.sort();
    pages
}

#[test]
fn every_school_and_locale_has_a_page_and_a_pdf() {
    let p = Project::fixture("example");
    let report = p.built();
    let slugs = schools(&p);
    assert_eq!(report.schools, slugs.len());
    let mut handbooks = 0;
    for slug in &slugs {
        for locale in ["de", "en"] {
            let page = p.path(&format!("public/{locale}/{slug}/index.html"));
            let pdf = p.path(&format!("public/{locale}/{slug}/{slug}.pdf"));
            assert_eq!(page.is_file(), pdf.is_file(), "{locale}/{slug}");
            handbooks += usize::from(page.is_file());
        }
        assert!(
            p.path(&format!("public/de/{slug}/index.html")).is_file(),
            "every school has the default locale: {slug}"
        );
    }
    assert_eq!(report.handbooks, handbooks);
    assert_eq!(report.pdfs, handbooks);
    // grundschule-am-lindenweg is German only.
    assert!(!p.path("public/en/grundschule-am-lindenweg").exists());
    let index = p.read("public/index.html");
    assert_eq!(index.matches("<tr id=\"school-").count(), slugs.len());
}

/// The `href` and `src` values of a page.
fn links(page: &str) -> Vec<String> {
    ["href=\"", "src=\""]
        .iter()
        .flat_map(|attr| page.split(attr).skip(1))
        .filter_map(|rest| rest.split('"').next())
        .map(|link| link.replace("&amp;", "&"))
        .collect()
}

fn has_id(page: &str, id: &str) -> bool {
    page.contains(&format!("id=\"{id}\""))
}

#[test]
fn every_link_in_every_page_resolves() {
    let p = Project::fixture("example");
    p.built();
    let pages = html_pages(&p);
    assert!(pages.len() > 10);
    let mut checked = 0;
    for file in &pages {
        let page = fs::read_to_string(file).expect("page");
        let dir = file.parent().expect("dir");
        for link in links(&page) {
            if ["http://", "https://", "mailto:", "data:"]
                .iter()
                .any(|scheme| link.starts_with(scheme))
            {
                continue;
            }
            let (path, fragment) = link.split_once('#').unwrap_or((&link, ""));
            let (target, target_page) = if path.is_empty() {
                (file.clone(), page.clone())
            } else {
                let mut target = dir.join(path);
                if path.ends_with('/') {
                    target = target.join("index.html");
                }
                assert!(
                    target.is_file(),
                    "{}: {link} does not resolve",
                    file.display()
                );
                let text = fs::read_to_string(&target).unwrap_or_default();
                (target, text)
            };
            if !fragment.is_empty() {
                assert!(
                    has_id(&target_page, fragment),
                    "{}: {link}: no id {fragment} in {}",
                    file.display(),
                    target.display()
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 500, "{checked} links checked");
}

/// Message ids of the default theme that read as ids (`warn_…`, `step-label`), not
/// as words: one of them in a page's text is a message that was not found.
fn message_ids() -> Vec<String> {
    let ftl = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/i18n/de.ftl");
    fs::read_to_string(ftl)
        .expect("de.ftl")
        .lines()
        .filter_map(|line| line.split_once(" ="))
        .map(|(id, _)| id.trim().to_string())
        .filter(|id| {
            !id.starts_with('#') && !id.contains(' ') && (id.contains('_') || id.contains('-'))
        })
        .collect()
}

#[test]
fn both_editions_build_without_a_build_warning_or_anything_unresolved() {
    let p = Project::fixture("example");
    let ids = message_ids();
    assert!(ids.len() > 20, "{ids:?}");
    for edition in ["current", "vlsc"] {
        if edition == "vlsc" {
            p.edit(
                "handbuch.toml",
                "vlsc_retired = true",
                "vlsc_retired = false",
            );
        }
        let report = p.built_html();
        assert_eq!(report.warnings.to_string(), "", "{edition}");
        for file in html_pages(&p) {
            let page = fs::read_to_string(&file).expect("page");
            let text = text_of(&page);
            for leftover in ["{{", "}}", "{%", "%}", "{$", "{ $"] {
                assert!(
                    !text.contains(leftover),
                    "{edition}: {leftover} in {}",
                    file.display()
                );
            }
            for id in &ids {
                assert!(
                    !text.contains(id.as_str()),
                    "{edition}: message id {id} in {}",
                    file.display()
                );
            }
        }
    }
}

#[test]
fn two_builds_are_byte_identical() {
    let p = Project::fixture("example");
    let mut first = p.options();
    first.out = Some(p.path("out1"));
    let mut second = p.options();
    second.out = Some(p.path("out2"));
    handbuch::build(&first).expect("first build");
    handbuch::build(&second).expect("second build");
    let (a, b) = (p.tree("out1"), p.tree("out2"));
    assert!(a.len() > 10);
    assert!(a == b, "the two builds differ");
}

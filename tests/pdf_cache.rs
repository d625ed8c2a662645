//! Typst's memo cache is kept across handouts (bounded by age, see src/render/pdf.rs):
//! whatever it holds, a school's PDF comes out byte for byte the same, whether it is
//! rendered alone in a fresh process or after the other schools in a warm one.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Project, TODAY};

/// Schools added to the fixture so that several handouts share one build; they differ
/// in name, contract, mode and dates, so their handouts differ in text and length.
const SCHOOLS: [(&str, &str, &str, &str); 6] = [
    ("aachen", "Gymnasium Aachen", "V3000001", "mnspro"),
    ("bonn", "Realschule Bonn-Beuel", "V3000002", "manual"),
    ("celle", "Grundschule Celle", "V3000003", "mnspro"),
    ("dessau", "Gesamtschule Dessau-Roßlau", "V3000004", "manual"),
    ("erfurt", "Gymnasium Erfurt", "V3000005", "mnspro"),
    (
        "fulda",
        "Lise-Meitner-Realschule Fulda",
        "V3000006",
        "manual",
    ),
];

/// The school whose handout is compared: in the middle of the order, so the full build
/// renders it after others.
const SCHOOL: &str = "dessau";

fn project() -> Project {
    let p = Project::fixture("basic");
    for (i, (slug, name, number, mode)) in SCHOOLS.iter().enumerate() {
        let slug_domain = slug.replace('-', "");
        p.write(
            &format!("content/schools/{slug}.toml"),
            &format!(
                "name = \"{name}\"\n\n[tenant]\ndomain = \"{slug_domain}.onmicrosoft.com\"\n\
                 admin = \"admin@{slug_domain}.onmicrosoft.com\"\n\n[contract]\n\
                 number = \"{number}\"\nvlsc_account = \"work\"\nanniversary = 2027-0{}-1{}\n\n\
                 [[licenses]]\nproduct = \"Microsoft 365 A3\"\nquantity = {}\n\n\
                 [assignment]\nmode = \"{mode}\"\n",
                i % 9 + 1,
                i % 9,
                100 + 37 * i
            ),
        );
    }
    p
}

/// Every PDF below `dir`, by path relative to it, with its bytes.
fn pdfs(p: &Project, dir: &str) -> Vec<(PathBuf, Vec<u8>)> {
    p.tree(dir)
        .into_iter()
        .filter(|(path, _)| path.extension().is_some_and(|e| e == "pdf"))
        .collect()
}

/// The handout of `slug` among `pdfs`.
fn handout<'a>(pdfs: &'a [(PathBuf, Vec<u8>)], slug: &str) -> &'a [u8] {
    let found: Vec<&(PathBuf, Vec<u8>)> = pdfs
        .iter()
        .filter(|(path, _)| path.starts_with(Path::new("de").join(slug)))
        .collect();
    assert_eq!(found.len(), 1, "one handout of {slug} in {pdfs:?}");
    &found[0].1
}

/// `handbuch build` in a process of its own, i.e. with an empty memo cache.
fn build_in_fresh_process(p: &Project, out: &str, school: Option<&str>) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_handbuch"));
    command.args(["build", "--today", TODAY, "--root"]);
    command.arg(p.root()).arg("--out").arg(p.path(out));
    if let Some(slug) = school {
        command.args(["--school", slug]);
    }
    let output = command.output().expect("run handbuch");
    assert!(
        output.status.success(),
        "build failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn handout_rendered_alone_in_a_fresh_process_equals_the_one_rendered_after_others() {
    let p = project();
    // Warm: every school in this test process, then the school once more after them.
    p.built();
    let mut options = p.options();
    options.out = Some(p.path("again"));
    options.schools = vec![SCHOOL.to_string()];
    handbuch::build(&options).unwrap_or_else(|e| panic!("build failed:\n{e}"));
    // Cold: the school alone in a new process.
    build_in_fresh_process(&p, "alone", Some(SCHOOL));

    let after_others = pdfs(&p, "public");
    let again = pdfs(&p, "again");
    let alone = pdfs(&p, "alone");
    assert!(
        handout(&after_others, SCHOOL) == handout(&alone, SCHOOL),
        "the handout built among all schools differs from the one built alone"
    );
    assert!(
        handout(&again, SCHOOL) == handout(&alone, SCHOOL),
        "the handout built in a warm process differs from the one built alone"
    );
}

#[test]
fn every_handout_of_a_second_build_in_the_same_process_is_byte_identical() {
    let p = project();
    p.built();
    let mut options = p.options();
    options.out = Some(p.path("second"));
    handbuch::build(&options).unwrap_or_else(|e| panic!("build failed:\n{e}"));

    assert_same_handouts(&pdfs(&p, "public"), &pdfs(&p, "second"));
}

/// Both builds made the same handouts (one per school of the fixture), byte for byte.
fn assert_same_handouts(first: &[(PathBuf, Vec<u8>)], second: &[(PathBuf, Vec<u8>)]) {
    let names =
        |files: &[(PathBuf, Vec<u8>)]| files.iter().map(|f| f.0.clone()).collect::<Vec<_>>();
    assert_eq!(first.len(), SCHOOLS.len() + 2, "{:?}", names(first));
    assert_eq!(names(first), names(second));
    for ((path, a), (_, b)) in first.iter().zip(second) {
        assert!(a == b, "{} differs between the two builds", path.display());
    }
}

#[test]
fn every_handout_of_a_fresh_process_equals_that_of_a_warm_one() {
    let p = project();
    // Warm this process with other content first, so its cache holds unrelated entries.
    Project::fixture("basic").built();
    p.built();
    build_in_fresh_process(&p, "fresh", None);
    assert_same_handouts(&pdfs(&p, "public"), &pdfs(&p, "fresh"));
}

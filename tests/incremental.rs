//! Incremental builds: a handbook whose inputs did not change comes from the cache beside
//! the output, and the site is byte-identical to a clean build.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{tree, Project};
use handbuch::{BuildOptions, BuildReport};
use proptest::prelude::*;

/// The basic fixture in two locales (German and English), with a third school.
fn two_locales() -> Project {
    let p = Project::fixture("basic");
    let config = p
        .read("handbuch.toml")
        .replace(r#"locales = ["de"]"#, r#"locales = ["de", "en"]"#);
    p.write("handbuch.toml", &config);
    for chapter in ["01-start.md", "02-ende.md"] {
        let text = p.read(&format!("content/guide/de/{chapter}"));
        p.write(&format!("content/guide/en/{chapter}"), &text);
    }
    p.write(
        "content/schools/third.toml",
        &school("Dritte Schule", "third", "V3000003"),
    );
    p
}

fn school(name: &str, tenant: &str, contract: &str) -> String {
    format!(
        "name = \"{name}\"\n\n[tenant]\ndomain = \"{tenant}.onmicrosoft.com\"\n\
         admin = \"admin@{tenant}.onmicrosoft.com\"\n\n[contract]\nnumber = \"{contract}\"\n\n\
         [assignment]\nmode = \"manual\"\n"
    )
}

fn build(p: &Project, pdf: bool) -> BuildReport {
    let mut options = p.options();
    options.pdf = pdf;
    handbuch::build(&options).unwrap_or_else(|e| panic!("build failed:\n{e}"))
}

fn counts(report: &BuildReport) -> (usize, usize) {
    (report.reused, report.rendered)
}

/// What a build with no cache makes of the project as it is now.
fn clean_build(p: &Project, pdf: bool) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("site");
    let mut options: BuildOptions = p.options();
    options.pdf = pdf;
    options.out = Some(out.clone());
    handbuch::build(&options).unwrap_or_else(|e| panic!("clean build failed:\n{e}"));
    tree(&out)
}

/// The incremental output must be the clean build's, file for file and byte for byte.
fn assert_same_as_clean(p: &Project, pdf: bool) {
    let incremental = tree(&p.path("public"));
    let clean = clean_build(p, pdf);
    let names = |t: &[(PathBuf, Vec<u8>)]| t.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&incremental), names(&clean), "the file lists differ");
    for ((name, a), (_, b)) in incremental.iter().zip(&clean) {
        assert!(a == b, "{} differs from a clean build", name.display());
    }
}

/// Add `text` at the end of `file`.
fn append(p: &Project, file: &str, text: &str) {
    p.write(file, &(p.read(file) + text));
}

/// Build, change something, build again: how many handbooks were reused and rendered.
fn after(p: &Project, change: impl FnOnce(&Project)) -> (usize, usize) {
    build(p, false);
    change(p);
    counts(&build(p, false))
}

#[test]
fn a_second_build_reuses_every_handbook_and_changes_no_byte() {
    let p = two_locales();
    assert_eq!(counts(&build(&p, true)), (0, 6));
    let first = tree(&p.path("public"));
    let second = build(&p, true);
    assert_eq!((second.reused, second.rendered, second.pdfs), (6, 0, 6));
    assert!(
        tree(&p.path("public")) == first,
        "a reusing build changed the site"
    );
}

#[test]
fn editing_one_school_renders_its_handbooks_in_each_locale_only() {
    let p = two_locales();
    build(&p, true);
    p.write(
        "content/schools/third.toml",
        &school("Dritte Schule neu", "third", "V3000003"),
    );
    assert_eq!(counts(&build(&p, true)), (4, 2));
    assert_same_as_clean(&p, true);
}

/// The key counts the school file's text, not only the school as loaded: deliberately
/// coarse, so a field that never reaches the loaded school cannot keep a stale page.
#[test]
fn a_comment_added_to_a_school_file_renders_its_handbooks_again() {
    let p = two_locales();
    let n = after(&p, |p| {
        append(p, "content/schools/third.toml", "# geprüft 2026\n")
    });
    assert_eq!(n, (4, 2));
    assert_same_as_clean(&p, false);
}

#[test]
fn editing_a_chapter_renders_every_handbook() {
    let p = two_locales();
    let n = after(&p, |p| {
        append(p, "content/guide/en/02-ende.md", "\nNoch ein Satz.\n")
    });
    assert_eq!(n, (0, 6));
}

#[test]
fn editing_the_config_renders_every_handbook() {
    let p = two_locales();
    let n = after(&p, |p| {
        let text = p
            .read("handbuch.toml")
            .replace("Test-Handbuch", "Anderes Handbuch");
        p.write("handbuch.toml", &text);
    });
    assert_eq!(n, (0, 6));
}

#[test]
fn a_theme_override_file_renders_every_handbook() {
    let p = two_locales();
    let n = after(&p, |p| {
        p.write(
            "themes/default/static/handbuch.css",
            "body { color: black }\n",
        )
    });
    assert_eq!(n, (0, 6));
    assert_same_as_clean(&p, false);
}

#[test]
fn a_changed_static_image_renders_every_handbook() {
    let p = two_locales();
    let n = after(&p, |p| {
        let svg = p
            .read("static/img/lizenzen.svg")
            .replace("<svg", "<svg data-x=\"1\"");
        p.write("static/img/lizenzen.svg", &svg);
    });
    assert_eq!(n, (0, 6));
}

#[test]
fn another_date_renders_every_handbook() {
    let p = two_locales();
    build(&p, false);
    let mut options = p.options();
    options.pdf = false;
    options.today = options.today.succ_opt().expect("a next day");
    let report = handbuch::build(&options).expect("build");
    assert_eq!(counts(&report), (0, 6));
}

#[test]
fn turning_pdfs_on_renders_every_handbook() {
    let p = two_locales();
    build(&p, false);
    assert_eq!(counts(&build(&p, true)), (0, 6));
    assert_same_as_clean(&p, true);
}

#[test]
fn a_school_whose_findings_change_through_another_school_is_rendered_again() {
    let p = two_locales();
    build(&p, false);
    // `third` now shares the tenant of `manual`: both get the shared-tenant warning.
    p.write(
        "content/schools/third.toml",
        &school("Dritte Schule", "manual", "V3000003"),
    );
    let report = build(&p, false);
    assert_eq!(counts(&report), (2, 4), "manual and third in both locales");
    assert!(p.page("de", "manual").contains("Dritte Schule"));
    assert_same_as_clean(&p, false);
}

#[test]
fn removed_and_renamed_schools_leave_the_output() {
    let p = two_locales();
    build(&p, false);
    fs::remove_file(p.path("content/schools/evil.toml")).expect("remove");
    fs::rename(
        p.path("content/schools/third.toml"),
        p.path("content/schools/fourth.toml"),
    )
    .expect("rename");
    assert_eq!(counts(&build(&p, false)), (2, 2));
    for gone in ["de/evil", "en/evil", "de/third", "en/third"] {
        assert!(
            !p.path("public").join(gone).exists(),
            "{gone} is still there"
        );
    }
    assert!(p.path("public/en/fourth/index.html").is_file());
    assert_same_as_clean(&p, false);
}

#[test]
fn a_damaged_cache_entry_and_a_leftover_are_ignored_and_removed() {
    let p = two_locales();
    build(&p, true);
    let cache = p.path(".public.cache");
    // Cut one handbook's PDF short in the cache, and leave a half-written entry behind.
    let pdf = walkdir::WalkDir::new(&cache)
        .into_iter()
        .map(|e| e.expect("walk").into_path())
        .filter(|path| path.is_file())
        .find(|path| fs::read(path).is_ok_and(|b| b.starts_with(b"%PDF")))
        .expect("a cached PDF");
    let bytes = fs::read(&pdf).expect("read");
    fs::remove_file(&pdf).expect("unlink, not write through the site's link");
    fs::write(&pdf, &bytes[..bytes.len() / 2]).expect("truncate");
    let leftover = cache.join("0123.tmp");
    fs::create_dir_all(leftover.join("files")).expect("mkdir");
    assert_eq!(counts(&build(&p, true)), (5, 1));
    assert_same_as_clean(&p, true);
    assert!(!leftover.exists(), "the leftover is pruned");
    let entries = fs::read_dir(&cache)
        .expect("cache")
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.file_name() != ".handbuch-output")
        })
        .count();
    assert_eq!(entries, 6, "one entry per handbook");
}

#[test]
fn an_entry_whose_manifest_is_cut_off_or_missing_is_rendered_again() {
    let p = two_locales();
    build(&p, false);
    let cache = p.path(".public.cache");
    let mut manifests: Vec<PathBuf> = walkdir::WalkDir::new(&cache)
        .into_iter()
        .map(|e| e.expect("walk").into_path())
        .filter(|path| path.file_name().is_some_and(|n| n == "manifest"))
        .collect();
    manifests.sort();
    assert_eq!(manifests.len(), 6);
    // A store interrupted while writing the manifest, and one before it.
    let cut = fs::read(&manifests[0]).expect("read");
    fs::remove_file(&manifests[0]).expect("unlink");
    fs::write(&manifests[0], &cut[..cut.len() - 1]).expect("write");
    fs::remove_file(&manifests[1]).expect("unlink");
    assert_eq!(counts(&build(&p, false)), (4, 2));
    assert_same_as_clean(&p, false);
    assert_eq!(counts(&build(&p, false)), (6, 0), "and cached again");
}

#[test]
fn a_build_of_one_school_takes_it_from_the_cache_too() {
    let p = two_locales();
    build(&p, false);
    let mut options = p.options();
    options.pdf = false;
    options.schools = vec!["manual".into()];
    let report = handbuch::build(&options).expect("build");
    assert_eq!(counts(&report), (2, 0));
    assert_same_as_clean(&p, false);
}

#[test]
fn check_writes_no_cache() {
    let p = two_locales();
    p.check().expect("check");
    assert!(!p.path(".public.cache").exists());
}

/// `check` renders only what the build cache beside its output does not hold under the
/// same fingerprint, and writes nothing, the cache included.
#[test]
fn check_renders_only_the_handbooks_the_build_cache_does_not_hold() {
    let p = two_locales();
    assert_eq!(counts(&build(&p, true)), (0, 6));
    let checked = |p: &Project| {
        let before = (tree(p.root()), p.tree(".public.cache"));
        let report = p.check().unwrap_or_else(|e| panic!("check failed:\n{e}"));
        assert_eq!(
            (tree(p.root()), p.tree(".public.cache")),
            before,
            "check wrote"
        );
        counts(&report)
    };
    assert_eq!(checked(&p), (6, 0));
    p.edit(
        "content/schools/third.toml",
        "Dritte Schule",
        "Dritte Grundschule",
    );
    assert_eq!(checked(&p), (4, 2), "the edited school in both locales");
    // Another output (or none) has no cache: everything is rendered.
    let mut elsewhere = p.options();
    elsewhere.out = Some(p.path("other"));
    let report = handbuch::check(&elsewhere).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(counts(&report), (0, 6));
    // A broken print template changes every fingerprint: it is found, not passed over.
    p.write("themes/default/print/handbook.typ", "#let x = (\n");
    let errors = p
        .check()
        .expect_err("the print template is broken")
        .to_string();
    assert!(errors.contains("print/handbook.typ"), "{errors}");
}

/// `build --format json` with `exe`: the summary's (reused, rendered).
fn cli_counts(exe: &Path, p: &Project) -> (u64, u64) {
    json_counts(exe, p, "build")
}

/// `<command> --no-pdf --format json` with `exe`: the summary's (reused, rendered).
fn json_counts(exe: &Path, p: &Project, command: &str) -> (u64, u64) {
    let out = Command::new(exe)
        .args([
            command,
            "--no-pdf",
            "--format",
            "json",
            "--today",
            common::TODAY,
            "--root",
        ])
        .arg(p.root())
        .output()
        .expect("run handbuch");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let last = stdout.lines().last().expect("a summary line");
    let summary: serde_json::Value = serde_json::from_str(last).expect("json");
    let n = |key: &str| {
        summary[key]
            .as_u64()
            .unwrap_or_else(|| panic!("{key} in {last}"))
    };
    (n("reused"), n("rendered"))
}

#[test]
fn check_counts_reused_and_rendered_in_its_json_summary() {
    let p = two_locales();
    let exe = Path::new(env!("CARGO_BIN_EXE_handbuch"));
    assert_eq!(json_counts(exe, &p, "check"), (0, 6), "no build yet");
    assert_eq!(json_counts(exe, &p, "build"), (0, 6));
    assert_eq!(json_counts(exe, &p, "check"), (6, 0));
}

#[test]
fn another_handbuch_binary_renders_every_handbook() {
    let p = two_locales();
    let dir = tempfile::tempdir().expect("temp dir");
    let exe = dir.path().join("handbuch");
    fs::copy(env!("CARGO_BIN_EXE_handbuch"), &exe).expect("copy the binary");
    assert_eq!(cli_counts(&exe, &p), (0, 6));
    assert_eq!(cli_counts(&exe, &p), (6, 0));
    let mut bytes = fs::read(&exe).expect("read");
    bytes.push(0);
    fs::write(&exe, bytes).expect("append a byte");
    assert_eq!(cli_counts(&exe, &p), (0, 6));
}

/// One change to the project, as the property test makes them.
#[derive(Debug, Clone)]
enum Edit {
    School(usize, u8),
    Add(u8),
    Remove(usize),
    Rename(usize),
    Chapter,
    Config,
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), 0u8..3).prop_map(|(i, n)| Edit::School(i, n)),
        (0u8..3).prop_map(Edit::Add),
        any::<usize>().prop_map(Edit::Remove),
        any::<usize>().prop_map(Edit::Rename),
        Just(Edit::Chapter),
        Just(Edit::Config),
    ]
}

fn slugs(p: &Project) -> Vec<String> {
    let mut slugs: Vec<String> = fs::read_dir(p.path("content/schools"))
        .expect("schools")
        .map(|e| {
            let name = e.expect("entry").file_name();
            name.to_string_lossy().trim_end_matches(".toml").to_string()
        })
        .collect();
    slugs.sort();
    slugs
}

/// Apply `edit`; `step` makes names and texts new. Tenants and contracts come from a
/// small set, so edits make schools share them (and change each other's findings).
fn apply(p: &Project, edit: &Edit, step: usize) {
    let slugs = slugs(p);
    let file = |slug: &str| format!("content/schools/{slug}.toml");
    match edit {
        Edit::School(i, n) => {
            let slug = &slugs[i % slugs.len()];
            let text = school(
                &format!("Schule {step}"),
                &format!("t{n}"),
                &format!("V{n}"),
            );
            p.write(&file(slug), &text);
        }
        Edit::Add(n) => {
            let text = school(&format!("Neu {step}"), &format!("t{n}"), "V9");
            p.write(&file(&format!("new-{step}")), &text);
        }
        Edit::Remove(i) if slugs.len() > 1 => {
            fs::remove_file(p.path(&file(&slugs[i % slugs.len()]))).expect("remove");
        }
        Edit::Remove(_) => {}
        Edit::Rename(i) => {
            let from = p.path(&file(&slugs[i % slugs.len()]));
            fs::rename(from, p.path(&file(&format!("renamed-{step}")))).expect("rename");
        }
        Edit::Chapter => append(
            p,
            "content/guide/de/02-ende.md",
            &format!("\nSatz {step}.\n"),
        ),
        Edit::Config => {
            let text = p.read("handbuch.toml");
            let title = text.lines().next().unwrap_or_default().to_string();
            p.write(
                "handbuch.toml",
                &text.replacen(&title, &format!("title = \"Handbuch {step}\""), 1),
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn after_any_edits_the_incremental_site_is_a_clean_build(
        edits in prop::collection::vec(edit(), 3..=5)
    ) {
        let p = two_locales();
        build(&p, false);
        for (step, edit) in edits.iter().enumerate() {
            apply(&p, edit, step);
            build(&p, false);
            assert_same_as_clean(&p, false);
        }
    }
}

#[test]
fn a_folder_of_the_cache_name_that_handbuch_did_not_make_is_refused_and_kept() {
    let p = two_locales();
    let theirs = p.path(".public.cache");
    fs::create_dir_all(&theirs).expect("mkdir");
    fs::write(theirs.join("notes.txt"), "mine").expect("write");
    let mut options = p.options();
    options.pdf = false;
    let problems = handbuch::build(&options).expect_err("the build must refuse the folder");
    let text = problems.to_string();
    assert!(
        text.contains("cannot create the build cache")
            && text.contains(".public.cache is in the way")
            && text.contains("was not made by handbuch"),
        "{text}"
    );
    assert_eq!(
        fs::read_to_string(theirs.join("notes.txt")).expect("kept"),
        "mine"
    );
    assert!(!p.path("public").exists(), "nothing was published");
}

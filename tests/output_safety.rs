//! Never lose a file: `build` replaces only an output folder handbuch made, one build
//! writes an output at a time, and the swap leaves no moment without an output.

mod common;

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use common::{tree, Project, TODAY};

const MARKER: &str = ".handbuch-output";
const BAD_SCHOOL: &str = "content/schools/manual.toml";

/// `handbuch build --no-pdf` of `p`, run from the project folder, with `extra` arguments.
fn command(p: &Project, extra: &[&str]) -> Command {
    command_in(p.root(), extra)
}

/// `handbuch build --no-pdf` of the project at `root`, run from there.
fn command_in(root: &Path, extra: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_handbuch"));
    command
        .args(["build", "--no-pdf", "--today", TODAY, "--root"])
        .arg(root)
        .args(extra)
        .current_dir(root)
        .env("NO_COLOR", "1");
    command
}

fn build(p: &Project, extra: &[&str]) -> Output {
    command(p, extra).output().expect("run handbuch")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn assert_exit(out: &Output, code: i32) {
    assert_eq!(out.status.code(), Some(code), "{}", stderr(out));
}

/// Every file of the project and its surroundings that a refused build must not touch.
fn snapshot(p: &Project) -> Vec<(PathBuf, Vec<u8>)> {
    p.tree("")
}

/// `--out <out>` is refused with exit 2 and `why`, and not one file of the project changes.
fn assert_refused(p: &Project, out: &str, why: &str) {
    let before = snapshot(p);
    let result = build(p, &["--out", out]);
    assert_exit(&result, 2);
    let text = stderr(&result);
    assert!(
        text.contains(&format!("error: refusing to build into {out}: {why}")),
        "{text}"
    );
    assert!(
        text.contains("a build replaces the whole output folder"),
        "{text}"
    );
    assert_eq!(snapshot(p), before, "a refused build changed files");
}

fn basic() -> Project {
    let p = Project::fixture("basic");
    p.write("themes/custom/templates/page.html", "<p>mine</p>\n");
    p
}

fn canonical_root(p: &Project) -> PathBuf {
    fs::canonicalize(p.root()).expect("canonical root")
}

#[test]
fn out_at_the_project_root_is_refused() {
    assert_refused(&basic(), ".", "it is the project folder");
}

#[test]
fn out_at_the_project_root_as_an_absolute_path_is_refused() {
    let p = basic();
    let root = canonical_root(&p);
    assert_refused(
        &p,
        root.to_str().expect("utf-8 path"),
        "it is the project folder",
    );
}

#[test]
fn out_at_the_project_root_through_dotdot_is_refused() {
    assert_refused(&basic(), "content/..", "it is the project folder");
}

#[test]
fn out_containing_the_project_is_refused() {
    // The project sits in `nested/` of the temp dir, so its parent is ours to watch.
    let p = basic();
    let nested = p.path("nested");
    fs::create_dir(&nested).expect("mkdir");
    fs::copy(p.path("handbuch.toml"), nested.join("handbuch.toml")).expect("copy");
    p.write("nested/content/schools/manual.toml", &p.read(BAD_SCHOOL));
    let why = format!(
        "it contains the project folder {}",
        canonical_root(&p).join("nested").display()
    );
    let outer = canonical_root(&p);
    for out in ["..", outer.to_str().expect("utf-8 path")] {
        let before = snapshot(&p);
        let result = command_in(&nested, &["--out", out])
            .output()
            .expect("run handbuch");
        assert_exit(&result, 2);
        let text = stderr(&result);
        assert!(
            text.contains(&format!("error: refusing to build into {out}: {why}")),
            "{text}"
        );
        assert_eq!(snapshot(&p), before, "a refused build changed files");
    }
}

#[test]
fn out_inside_content_is_refused() {
    let p = basic();
    assert_refused(&p, "content", "it is inside the project's content/ folder");
    assert_refused(
        &p,
        "content/schools/new",
        "it is inside the project's content/ folder",
    );
}

#[test]
fn out_inside_content_through_dotdot_is_refused() {
    assert_refused(
        &basic(),
        "public/../content/guide",
        "it is inside the project's content/ folder",
    );
}

#[test]
fn out_inside_static_is_refused() {
    assert_refused(
        &basic(),
        "static",
        "it is inside the project's static/ folder",
    );
}

#[test]
fn out_inside_themes_is_refused() {
    assert_refused(
        &basic(),
        "themes/custom",
        "it is inside the project's themes/ folder",
    );
}

#[cfg(unix)]
#[test]
fn out_inside_content_through_a_symlink_is_refused() {
    let p = basic();
    std::os::unix::fs::symlink(p.path("content"), p.path("site")).expect("symlink");
    assert_refused(&p, "site/out", "it is inside the project's content/ folder");
}

#[test]
fn out_that_is_a_file_is_refused() {
    assert_refused(&basic(), "handbuch.toml", "it exists and is not a folder");
}

#[test]
fn out_that_is_a_folder_handbuch_did_not_make_is_refused() {
    let p = basic();
    p.write("docs/notes.txt", "my own notes\n");
    assert_refused(
        &p,
        "docs",
        "it is a folder with files that handbuch did not make (it has no .handbuch-output file)",
    );
}

#[test]
fn building_one_school_into_a_foreign_folder_is_refused() {
    let p = basic();
    p.write("docs/notes.txt", "my own notes\n");
    let before = snapshot(&p);
    let result = build(&p, &["--out", "docs", "--school", "manual"]);
    assert_exit(&result, 2);
    assert_eq!(snapshot(&p), before);
}

#[test]
fn an_empty_folder_is_accepted_and_marked() {
    let p = basic();
    fs::create_dir(p.path("site")).expect("mkdir");
    assert_exit(&build(&p, &["--out", "site"]), 0);
    assert!(p.path("site/de/manual/index.html").is_file());
    assert!(p.path("site").join(MARKER).is_file());
}

#[test]
fn a_previous_output_is_replaced() {
    let p = basic();
    assert_exit(&build(&p, &["--out", "site"]), 0);
    fs::remove_file(p.path("content/schools/evil.toml")).expect("remove school");
    assert_exit(&build(&p, &["--out", "site"]), 0);
    assert!(p.path("site/de/manual/index.html").is_file());
    assert!(
        !p.path("site/de/evil").exists(),
        "the old output was replaced"
    );
    assert!(!p.path(".site.staging").exists() && !p.path(".site.old").exists());
}

#[test]
fn a_failed_build_leaves_the_previous_output_byte_identical() {
    let p = basic();
    assert_exit(&build(&p, &[]), 0);
    let before = p.tree("public");
    p.write(
        BAD_SCHOOL,
        &p.read(BAD_SCHOOL).replace("V2000002", "kaputt"),
    );
    assert_exit(&build(&p, &[]), 1);
    assert_eq!(p.tree("public"), before);
    assert!(!p.path(".public.staging").exists());
}

#[test]
fn an_output_moved_aside_by_an_interrupted_swap_is_restored_even_by_a_failed_build() {
    let p = basic();
    assert_exit(&build(&p, &[]), 0);
    let before = p.tree("public");
    // A crash between "public → .public.old" and ".public.staging → public".
    fs::rename(p.path("public"), p.path(".public.old")).expect("move aside");
    p.write(
        BAD_SCHOOL,
        &p.read(BAD_SCHOOL).replace("V2000002", "kaputt"),
    );
    assert_exit(&build(&p, &[]), 1);
    assert_eq!(p.tree("public"), before);
    assert!(!p.path(".public.old").exists());
}

#[test]
fn leftovers_of_an_interrupted_build_are_removed_by_the_next() {
    let p = basic();
    assert_exit(&build(&p, &[]), 0);
    for leftover in [".public.staging", ".public.old"] {
        p.write(&format!("{leftover}/{MARKER}"), "");
        p.write(&format!("{leftover}/de/half/index.html"), "<p>half</p>");
    }
    assert_exit(&build(&p, &[]), 0);
    assert!(!p.path(".public.staging").exists());
    assert!(!p.path(".public.old").exists());
    assert!(!p.path("public/de/half").exists());
    assert!(p.path("public/de/manual/index.html").is_file());
}

#[test]
fn a_second_build_waits_for_the_first_and_names_it() {
    let p = basic();
    let lock_path = p.path(".public.lock");
    let mut lock = fs::File::create(&lock_path).expect("lock file");
    lock.lock().expect("lock");
    write!(lock, "4242").expect("write pid");
    let mut child = command(&p, &[])
        .stderr(Stdio::piped())
        .spawn()
        .expect("start handbuch");
    let mut lines = BufReader::new(child.stderr.take().expect("stderr piped")).lines();
    let first = lines.next().expect("a line").expect("utf-8");
    let out = canonical_root(&p).join("public");
    assert_eq!(
        first,
        format!("waiting for another build of {} (pid 4242)…", out.display())
    );
    std::thread::sleep(Duration::from_millis(300));
    assert!(child.try_wait().expect("poll").is_none(), "still waiting");
    assert!(!p.path("public").exists(), "nothing written while waiting");
    drop(lock);
    let status = child.wait().expect("wait");
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    assert_eq!(status.code(), Some(0), "{rest:?}");
    assert!(p.path("public/de/manual/index.html").is_file());
    assert_eq!(
        fs::read_to_string(&lock_path).expect("read lock"),
        "",
        "a finished build leaves no pid to be named"
    );
}

/// `n` more schools, copies of the fixture's manual school.
fn add_schools(p: &Project, n: usize) {
    let school = p.read(BAD_SCHOOL);
    for i in 0..n {
        p.write(
            &format!("content/schools/extra-{i:02}.toml"),
            &school.replace("Manuelle Schule", &format!("Schule {i}")),
        );
    }
}

#[test]
fn two_concurrent_builds_both_succeed_and_leave_a_complete_output() {
    let p = basic();
    add_schools(&p, 48);
    assert_exit(&build(&p, &["--out", "reference"]), 0);
    let expected = tree(&p.path("reference"));
    assert_eq!(
        expected
            .iter()
            .filter(|(f, _)| f.ends_with("index.html"))
            .count(),
        51,
        "50 handbooks and the overview"
    );
    let children: Vec<_> = (0..2)
        .map(|_| {
            command(&p, &[])
                .stderr(Stdio::piped())
                .spawn()
                .expect("start")
        })
        .collect();
    let pids: Vec<u32> = children.iter().map(|c| c.id()).collect();
    let results: Vec<Output> = children
        .into_iter()
        .map(|c| c.wait_with_output().expect("wait"))
        .collect();
    for (i, result) in results.iter().enumerate() {
        assert_exit(result, 0);
        let text = stderr(result);
        if text.contains("waiting for another build") {
            assert!(text.contains(&format!("(pid {})…", pids[1 - i])), "{text}");
        }
    }
    assert_eq!(tree(&p.path("public")), expected);
    assert!(!p.path(".public.staging").exists() && !p.path(".public.old").exists());
}

/// Clears the immutable flag again, also when the test fails half way.
#[cfg(target_os = "linux")]
struct Immutable(Vec<PathBuf>);

#[cfg(target_os = "linux")]
impl Drop for Immutable {
    fn drop(&mut self) {
        for path in &self.0 {
            let _ = Command::new("chattr").arg("-i").arg(path).status();
        }
    }
}

#[cfg(target_os = "linux")]
#[test]
fn an_old_output_that_cannot_be_removed_is_a_warning_and_removed_later() {
    let p = basic();
    assert_exit(&build(&p, &[]), 0);
    let stuck = p.path("public/de/evil/index.html");
    let moved = p.path(".public.staging/de/evil/index.html");
    let set = Command::new("chattr").arg("+i").arg(&stuck).status();
    let _cleanup = Immutable(vec![stuck.clone(), moved.clone()]);
    if !set.is_ok_and(|s| s.success()) {
        // Needs root and a file system with immutable files (CI has both).
        eprintln!("skipped: cannot make a file immutable here");
        return;
    }
    p.write(
        BAD_SCHOOL,
        &p.read(BAD_SCHOOL).replace("Manuelle Schule", "Neue Schule"),
    );
    let result = build(&p, &[]);
    assert_exit(&result, 0);
    let leftover = canonical_root(&p).join(".public.staging");
    assert!(
        stderr(&result).contains(&format!(
            "warning: the new site is in place, but the previous one could not be removed from {}: Operation not permitted",
            leftover.display()
        )),
        "{}",
        stderr(&result)
    );
    assert!(p.page("de", "manual").contains("<h1>Neue Schule</h1>"));
    assert!(moved.is_file(), "the old tree stayed at the staging name");
    let _ = Command::new("chattr").arg("-i").arg(&moved).status();
    let again = build(&p, &[]);
    assert_exit(&again, 0);
    assert!(!stderr(&again).contains("warning: the new site"));
    assert!(!p.path(".public.staging").exists());
}

/// A build of selected schools starts from the current output by hard links; a page it
/// rewrites must get a file of its own, so a build that then fails has changed nothing.
#[test]
fn a_failed_build_of_selected_schools_leaves_the_linked_output_as_it_was() {
    let p = Project::fixture("basic");
    assert!(command(&p, &[]).status().expect("run").success());
    let page = p.path("public/de/evil/index.html");
    let before = fs::read(&page).expect("page");
    p.edit(
        "content/schools/evil.toml",
        "name = \"",
        "name = \"Renamed ",
    );
    let good = p.read(BAD_SCHOOL);
    p.write(BAD_SCHOOL, "name = 1\n");
    let out = command(&p, &["--school", "evil", "--school", "manual"])
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(fs::read(&page).expect("page"), before);
    // A good build of the one school then replaces exactly its page.
    p.write(BAD_SCHOOL, &good);
    assert!(command(&p, &["--school", "evil"])
        .status()
        .expect("run")
        .success());
    assert!(p.page("de", "evil").contains("Renamed "));
}

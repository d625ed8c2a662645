//! Odd but possible input gets a clear answer: the right exit code, and an error or
//! warning with file, line and column where there is one (issue 13, "every answer clear").

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{Project, TODAY};
use handbuch::BuildReport;

const SCHOOL: &str = "content/schools/manual.toml";
const CHAPTER: &str = "content/guide/de/01-start.md";

fn handbuch(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_handbuch"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run handbuch")
}

fn check_cli(p: &Project) -> Output {
    let root = p.root().to_str().expect("utf-8 path");
    handbuch(&["check", "--root", root, "--today", TODAY])
}

fn built(p: &Project) -> BuildReport {
    p.built_html()
}

fn errors_of(p: &Project) -> String {
    p.html_errors()
}

fn warnings(report: &BuildReport) -> String {
    report.warnings.to_string()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn with_school_line(p: &Project, old: &str, new: &str) {
    let text = p.read(SCHOOL);
    assert!(text.contains(old), "fixture changed: no {old:?}");
    p.write(SCHOOL, &text.replacen(old, new, 1));
}

/// The basic fixture with its school's name line replaced by `line`.
fn with_name_line(line: &str) -> Project {
    let p = Project::fixture("basic");
    with_school_line(&p, "name = \"Manuelle Schule\"", line);
    p
}

// --- --today -------------------------------------------------------------------

#[test]
fn today_with_a_two_digit_year_is_a_usage_error() {
    let p = Project::fixture("basic");
    let root = p.root().to_str().expect("utf-8 path");
    for date in [
        "26-11-25",
        "226-11-25",
        "02026-11-25",
        "2026-1-5",
        "+2026-11-25",
    ] {
        let out = handbuch(&["check", "--root", root, "--today", date]);
        assert_eq!(out.status.code(), Some(2), "{date}: {}", stderr(&out));
        assert!(
            stderr(&out).contains(&format!(
                "invalid value '{date}' for '--today <YYYY-MM-DD>': `{date}` is not a date like 2026-11-25 (YYYY-MM-DD)"
            )),
            "{}",
            stderr(&out)
        );
    }
    let out = handbuch(&["check", "--root", root, "--today", "2026-11-25"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

// --- byte-order marks ----------------------------------------------------------

#[test]
fn byte_order_mark_before_chapter_front_matter_is_ignored() {
    let p = Project::fixture("basic");
    p.write(CHAPTER, &format!("\u{FEFF}{}", p.read(CHAPTER)));
    built(&p);
    let page = p.page("de", "manual");
    // The title from the front matter, not the one made from the file name.
    assert!(
        page.contains("<span class=\"chapter-label\">Abschnitt 1</span> Start</h2>"),
        "{page}"
    );
    assert!(!page.contains("+++"), "front matter printed as text");
    assert!(!page.contains("title = "), "front matter printed as text");
    assert!(!page.contains('\u{FEFF}'));
}

#[test]
fn byte_order_mark_in_school_file_and_config_is_ignored() {
    let p = Project::fixture("basic");
    p.write(SCHOOL, &format!("\u{FEFF}{}", p.read(SCHOOL)));
    p.write(
        "handbuch.toml",
        &format!("\u{FEFF}{}", p.read("handbuch.toml")),
    );
    let report = built(&p);
    assert_eq!(report.schools, 2);
    assert!(p.page("de", "manual").contains("Manuelle Schule"));
}

// --- whitespace around school values ----------------------------------------------

#[test]
fn whitespace_around_school_name_is_trimmed() {
    let p = with_name_line("name = \"  Manuelle Schule \"");
    p.write(
        CHAPTER,
        &p.read(CHAPTER).replace(
            "Einleitung für {{ school.name }}.",
            "Einleitung für **{{ school.name }}**.",
        ),
    );
    built(&p);
    let page = p.page("de", "manual");
    assert!(page.contains("<strong>Manuelle Schule</strong>"), "{page}");
    assert!(!page.contains("**"), "{page}");
}

#[test]
fn school_name_of_only_whitespace_is_empty() {
    let p = with_name_line("name = \" \\t \"");
    let errors = errors_of(&p);
    assert!(
        errors.contains("error: the school's name is empty"),
        "{errors}"
    );
    assert!(
        errors.contains("content/schools/manual.toml:1:8"),
        "{errors}"
    );
}

#[test]
fn school_name_with_a_line_break_is_refused() {
    let p = with_name_line("name = \"Manuelle\\nSchule\"");
    let errors = errors_of(&p);
    assert!(
        errors.contains("error: the school's name contains a line break"),
        "{errors}"
    );
    assert!(
        errors.contains("content/schools/manual.toml:1:17"),
        "{errors}"
    );
    let p = with_name_line("name = \"\"\"\nManuelle\nSchule\"\"\"");
    let errors = errors_of(&p);
    assert!(
        errors.contains("error: the school's name contains a line break"),
        "{errors}"
    );
    assert!(
        errors.contains("content/schools/manual.toml:2:9"),
        "{errors}"
    );
}

// --- control characters ---------------------------------------------------------

#[test]
fn control_characters_in_school_data_are_refused_and_never_printed_raw() {
    let p = Project::fixture("basic");
    with_school_line(
        &p,
        "number = \"V2000002\"",
        "number = \"V2000002\"\nvl_admins = [\"\\u001b]0;PWNED\\u0007\\u001b[2J\"]",
    );
    let out = check_cli(&p);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stderr(&out);
    assert!(
        text.contains("error: a volume-licensing admin contains the control character U+001B"),
        "{text}"
    );
    assert!(text.contains("content/schools/manual.toml:9:15"), "{text}");
    assert!(
        !out.stdout.contains(&0x1b) && !out.stderr.contains(&0x1b),
        "{text}"
    );
    assert!(
        !out.stdout.contains(&0x07) && !out.stderr.contains(&0x07),
        "{text}"
    );
}

#[test]
fn bidirectional_override_in_school_name_is_refused() {
    let p = with_name_line("name = \"Schule \u{202E}droN\"");
    let errors = errors_of(&p);
    assert!(
        errors.contains("error: the school's name contains the control character U+202E"),
        "{errors}"
    );
    assert!(
        errors.contains("content/schools/manual.toml:1:16"),
        "{errors}"
    );
    // The source line is shown with the character escaped.
    assert!(errors.contains("Schule \\u{202E}droN"), "{errors}");
    assert!(!errors.contains('\u{202E}'), "{errors}");
}

#[test]
fn raw_control_bytes_in_a_file_are_shown_escaped() {
    let p = with_name_line("name = \"Manuelle \u{1b}[2J Schule\"");
    let out = check_cli(&p);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stderr(&out);
    assert!(text.contains("content/schools/manual.toml:1:"), "{text}");
    assert!(text.contains("Manuelle \\u{1B}[2J Schule"), "{text}");
    assert!(!out.stderr.contains(&0x1b), "{text}");
}

#[test]
fn a_report_counts_an_escaped_character_as_one_column() {
    // A right-to-left override is valid TOML, shown as `\u{202E}`; `junk` is column 27.
    let p = with_name_line("name = \"Manuelle \u{202e}Schule\" junk");
    let out = check_cli(&p);
    let text = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("Manuelle \\u{202E}Schule"), "{text}");
    assert!(text.contains("content/schools/manual.toml:1:27"), "{text}");
}

// --- positions for files, links, theme, root ----------------------------------------

#[test]
fn school_file_that_is_not_utf8_names_line_and_column() {
    let p = Project::fixture("basic");
    let mut bytes = p.read(SCHOOL).into_bytes();
    let at = p.read(SCHOOL).find("Schule").expect("name in fixture");
    bytes[at + 1] = 0xFC; // Latin-1 "ü"
    std::fs::write(p.path(SCHOOL), bytes).expect("write");
    let errors = errors_of(&p);
    assert!(
        errors.contains("error: the file is not UTF-8 text (byte 0xFC)"),
        "{errors}"
    );
    assert!(
        errors.contains("content/schools/manual.toml:1:19"),
        "{errors}"
    );
    assert!(
        errors.contains("save the file with the encoding UTF-8"),
        "{errors}"
    );
}

#[test]
fn chapter_that_is_not_utf8_names_line_and_column() {
    let p = Project::fixture("basic");
    let text = p.read(CHAPTER);
    let at = text.find("Einleitung").expect("intro in fixture");
    let mut bytes = text.into_bytes();
    bytes[at + 2] = 0xFF;
    std::fs::write(p.path(CHAPTER), bytes).expect("write");
    let errors = errors_of(&p);
    assert!(
        errors.contains("error: the file is not UTF-8 text (byte 0xFF)"),
        "{errors}"
    );
    assert!(
        errors.contains("content/guide/de/01-start.md:6:3"),
        "{errors}"
    );
}

fn broken_link(link: &str, id: &str) -> String {
    let p = Project::fixture("basic");
    p.write(CHAPTER, &p.read(CHAPTER).replace("[](#zweiter)", link));
    let errors = errors_of(&p);
    assert!(
        errors.contains(&format!("error: cross-reference to unknown id `{id}`")),
        "{errors}"
    );
    errors
}

#[test]
fn reference_style_link_to_unknown_id_names_its_line() {
    let p = Project::fixture("basic");
    p.write(
        CHAPTER,
        &format!(
            "{}\n[r1]: #nope\n",
            p.read(CHAPTER).replace("[](#zweiter)", "[x][r1]")
        ),
    );
    let errors = errors_of(&p);
    assert!(
        errors.contains("error: cross-reference to unknown id `nope`"),
        "{errors}"
    );
    assert!(
        errors.contains("content/guide/de/01-start.md:10:54"),
        "{errors}"
    );
}

#[test]
fn link_with_entity_in_unknown_id_names_its_line() {
    let errors = broken_link("[](#a&amp;b)", "a&b");
    assert!(
        errors.contains("content/guide/de/01-start.md:10:54"),
        "{errors}"
    );
}

#[test]
fn link_in_angle_brackets_to_unknown_id_names_its_line() {
    let errors = broken_link("[](<#x y>)", "x y");
    assert!(
        errors.contains("content/guide/de/01-start.md:10:54"),
        "{errors}"
    );
}

#[test]
fn unknown_theme_names_its_line_in_config() {
    let p = Project::fixture("basic");
    p.write(
        "handbuch.toml",
        &p.read("handbuch.toml").replace(
            "locales = [\"de\"]\n",
            "locales = [\"de\"]\ntheme = \"fehlt\"\n",
        ),
    );
    let errors = errors_of(&p);
    assert!(
        errors.contains("error: theme `fehlt` not found (expected a folder themes/fehlt/)"),
        "{errors}"
    );
    assert!(errors.contains("handbuch.toml:5:9"), "{errors}");
}

#[test]
fn root_without_config_is_not_a_project() {
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = dir.path().join("nonexistent");
    let root = missing.to_str().expect("utf-8 path");
    let out = handbuch(&["build", "--root", root, "--no-pdf", "--today", TODAY]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(&format!(
            "error: no handbuch.toml in {root}: not a handbuch project (run `handbuch init DIR` to start one)"
        )),
        "{}",
        stderr(&out)
    );
    assert!(!missing.exists(), "nothing is created");
}

// --- files that are not read -----------------------------------------------------

#[cfg(unix)]
fn symlink(target: impl AsRef<Path>, link: impl AsRef<Path>) {
    std::os::unix::fs::symlink(target, link).expect("symlink");
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().expect("mkfifo");
    assert!(status.success());
}

/// Whether `errors` names `link` as a symbolic link to `/etc/passwd`, out of the project.
#[cfg(unix)]
fn names_link_to_passwd(errors: &str, link: &str) -> bool {
    errors.contains(&format!(
        "error: symbolic link leads outside the project (to /etc/passwd)\n  --> {link}"
    ))
}

#[cfg(unix)]
#[test]
fn symlink_to_a_school_file_inside_the_project_is_followed() {
    let p = Project::fixture("basic");
    p.write("shared/third.toml", &p.read(SCHOOL));
    symlink(p.path("shared"), p.path("content/schools/linked"));
    symlink(
        p.path("shared/third.toml"),
        p.path("content/schools/fourth.toml"),
    );
    let report = built(&p);
    assert_eq!(report.schools, 4, "{}", warnings(&report));
    assert!(p.page("de", "third").contains("Manuelle Schule"));
    assert!(p.page("de", "fourth").contains("Manuelle Schule"));
}

#[cfg(unix)]
#[test]
fn symlink_leaving_the_project_is_an_error_naming_the_link() {
    let outside = tempfile::tempdir().expect("temp dir");
    std::fs::write(outside.path().join("x.toml"), "name = \"x\"").expect("write");
    let p = Project::fixture("basic");
    symlink("/etc/passwd", p.path("content/schools/passwd.toml"));
    symlink(outside.path(), p.path("content/schools/elsewhere"));
    let errors = errors_of(&p);
    assert!(
        names_link_to_passwd(&errors, "content/schools/passwd.toml"),
        "{errors}"
    );
    assert!(
        errors.contains(&format!(
            "error: symbolic link leads outside the project (to {})\n  --> content/schools/elsewhere",
            outside.path().display()
        )),
        "{errors}"
    );
    assert!(!errors.contains("root:"), "{errors}");
}

#[cfg(unix)]
#[test]
fn fifo_and_misnamed_files_are_listed_in_one_warning() {
    let p = Project::fixture("basic");
    mkfifo(&p.path("content/schools/pipe.toml"));
    p.write("content/schools/upper.TOML", &p.read(SCHOOL));
    p.write("content/schools/manual.toml.bak", &p.read(SCHOOL));
    p.write("content/schools/.gitkeep", "");
    mkfifo(&p.path("content/guide/de/03-pipe.md"));
    p.write("content/guide/de/04-shout.MD", "# Laut\n");
    // A FIFO is never opened: opening one would wait forever for a writer.
    let report = built(&p);
    assert_eq!(report.schools, 2);
    let text = warnings(&report);
    assert_eq!(text.matches("files skipped").count(), 1, "{text}");
    let expected = "\
warning: 5 files skipped: not read as chapters, school files or theme files
  --> content
   = note: content/schools/manual.toml.bak: not a `.toml` file
   = note: content/schools/pipe.toml: not a regular file (a FIFO, socket or device); not opened
   = note: content/schools/upper.TOML: not a `.toml` file (the extension is case-sensitive)
   = note: content/guide/de/03-pipe.md: not a regular file (a FIFO, socket or device); not opened
   = note: content/guide/de/04-shout.MD: not a `.md` file (the extension is case-sensitive)
";
    assert!(text.contains(expected), "{text}");
}

#[cfg(unix)]
#[test]
fn chapter_symlink_leaving_the_project_is_an_error() {
    let p = Project::fixture("basic");
    symlink("/etc/passwd", p.path("content/guide/de/03-passwd.md"));
    let errors = errors_of(&p);
    assert!(
        names_link_to_passwd(&errors, "content/guide/de/03-passwd.md"),
        "{errors}"
    );
}

// A project's theme folder is read like `content/`: links inside the project are
// followed, one that leads out is an error, anything but a regular file is named in the
// skipped warning, and a file has a size limit. Before, every link was left out without a
// word (a shared theme linked in silently did not apply), and unreadable entries too.

/// The basic fixture with an (empty) `static/` folder of its own default theme.
fn with_theme_static() -> Project {
    let p = Project::fixture("basic");
    std::fs::create_dir_all(p.path("themes/default/static")).expect("mkdir");
    p
}

#[cfg(unix)]
#[test]
fn theme_file_linked_from_inside_the_project_is_used() {
    let p = with_theme_static();
    p.write("shared/extra.css", "/* shared by two projects */\n");
    symlink(
        p.path("shared/extra.css"),
        p.path("themes/default/static/extra.css"),
    );
    built(&p);
    assert_eq!(
        p.read("public/assets/extra.css"),
        "/* shared by two projects */\n"
    );
}

#[cfg(unix)]
#[test]
fn theme_link_leaving_the_project_is_an_error_and_nothing_is_published() {
    let p = with_theme_static();
    symlink("/etc/passwd", p.path("themes/default/static/passwd.css"));
    let errors = errors_of(&p);
    assert!(
        names_link_to_passwd(&errors, "themes/default/static/passwd.css"),
        "{errors}"
    );
    assert!(!errors.contains("root:"), "{errors}");
    assert!(!p.path("public").exists());
}

#[cfg(unix)]
#[test]
fn theme_fifo_is_named_in_the_skipped_warning_and_hidden_files_are_not_published() {
    let p = with_theme_static();
    mkfifo(&p.path("themes/default/static/pipe.css"));
    p.write("themes/default/static/.DS_Store", "finder");
    let report = built(&p);
    let text = warnings(&report);
    assert!(
        text.contains(
            "1 file skipped: not read as chapters, school files or theme files\n  --> themes\n   \
             = note: themes/default/static/pipe.css: not a regular file (a FIFO, socket or device); not opened"
        ),
        "{text}"
    );
    // Skipped files in `content/` too: the warning points at the project.
    mkfifo(&p.path("content/schools/pipe.toml"));
    let text = warnings(&built(&p));
    assert!(
        text.contains(
            "2 files skipped: not read as chapters, school files or theme files\n  --> .\n"
        ),
        "{text}"
    );
    assert!(!p.path("public/assets/pipe.css").exists());
    assert!(!p.path("public/assets/.DS_Store").exists());
    assert!(p.path("public/assets/handbuch.css").exists());
}

#[test]
fn theme_file_over_its_size_limit_is_refused_without_a_line_of_binary() {
    let p = with_theme_static();
    let big = p.path("themes/default/static/font.woff2");
    std::fs::write(&big, vec![0xFF_u8; 10_000_001]).expect("write");
    let errors = errors_of(&p);
    assert!(
        errors.contains(
            "error: a theme file is larger than 10 MB\n  --> themes/default/static/font.woff2\n"
        ),
        "{errors}"
    );
    assert!(!errors.contains("on this line"), "{errors}");
    // Exactly at the limit it is published.
    std::fs::write(&big, vec![0xFF_u8; 10_000_000]).expect("write");
    built(&p);
    assert_eq!(
        std::fs::metadata(p.path("public/assets/font.woff2"))
            .expect("published")
            .len(),
        10_000_000
    );
}

#[test]
fn a_handbuch_toml_that_is_a_fifo_is_refused_without_waiting_for_a_writer() {
    let p = Project::fixture("basic");
    common::make_fifo(&p.path("handbuch.toml"));
    let root = p.root().to_str().expect("utf-8 path");
    let out = common::output_within(
        Command::new(env!("CARGO_BIN_EXE_handbuch"))
            .args(["check", "--root", root, "--today", TODAY])
            .env("NO_COLOR", "1"),
        30,
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).starts_with(
            "error: cannot read file: not a regular file (a folder, FIFO, socket or device)\n  --> handbuch.toml"
        ),
        "{}",
        stderr(&out)
    );
}

//! Shared helpers: copy a fixture project into a temp dir, build it, read its output.
#![allow(dead_code)]

pub mod large;
pub mod pdf;
pub mod server;

use std::fs;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use handbuch::{BuildOptions, BuildReport, Diagnostics};
use tempfile::TempDir;

pub const TODAY: &str = "2026-11-25";

/// The steps of the bundled example's current edition, in handbook order.
pub const EXAMPLE_STEP_IDS: [&str; 13] = [
    "bestellbestaetigung",
    "zugangsdaten",
    "portal-oeffnen",
    "anmelden",
    "erstzugang",
    "benutzer",
    "vertrag-waehlen",
    "organisationskonto",
    "konto-pruefen",
    "buchung-abschliessen",
    "lizenzen-pruefen",
    "lizenzen-zuweisen",
    "jaehrliche-aktivierung",
];

pub fn today() -> NaiveDate {
    NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").expect("valid test date")
}

/// A fixture project copied into its own temp dir, so tests can edit and build it.
pub struct Project {
    pub dir: TempDir,
}

impl Project {
    /// Copy `tests/fixtures/<name>` (or the bundled example for "example").
    pub fn fixture(name: &str) -> Project {
        let dir = tempfile::tempdir().expect("temp dir");
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
        if name == "example" {
            for part in ["handbuch.toml", "content", "themes", "static"] {
                let from = manifest.join(part);
                if from.is_dir() {
                    copy_dir(&from, &dir.path().join(part));
                } else if from.is_file() {
                    fs::copy(&from, dir.path().join(part)).expect("copy file");
                }
            }
        } else {
            copy_dir(&manifest.join("tests/fixtures").join(name), dir.path());
        }
        Project { dir }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.root().join(relative)
    }

    pub fn write(&self, relative: &str, text: &str) {
        let path = self.path(relative);
        fs::create_dir_all(path.parent().expect("has parent")).expect("mkdir");
        fs::write(path, text).expect("write");
    }

    pub fn read(&self, relative: &str) -> String {
        fs::read_to_string(self.path(relative)).unwrap_or_else(|e| panic!("read {relative}: {e}"))
    }

    pub fn options(&self) -> BuildOptions {
        BuildOptions::new(self.root(), today())
    }

    pub fn build(&self) -> Result<BuildReport, Diagnostics> {
        handbuch::build(&self.options())
    }

    /// Build and expect success.
    pub fn built(&self) -> BuildReport {
        self.build()
            .unwrap_or_else(|e| panic!("build failed:\n{e}"))
    }

    /// Build the HTML only (no PDFs: quicker where the PDF is not the point).
    pub fn build_html(&self) -> Result<BuildReport, Diagnostics> {
        let mut options = self.options();
        options.pdf = false;
        handbuch::build(&options)
    }

    /// Build the HTML only and expect success.
    pub fn built_html(&self) -> BuildReport {
        self.build_html()
            .unwrap_or_else(|e| panic!("build failed:\n{e}"))
    }

    /// Build the HTML only and expect failure; the diagnostics as plain text.
    pub fn html_errors(&self) -> String {
        match self.build_html() {
            Ok(_) => panic!("build unexpectedly succeeded"),
            Err(e) => format!("{e}{}", e.summary()),
        }
    }

    /// Build and expect failure; the diagnostics rendered as plain text.
    pub fn errors(&self) -> String {
        match self.build() {
            Ok(_) => panic!("build unexpectedly succeeded"),
            Err(e) => format!("{e}{}", e.summary()),
        }
    }

    /// The text (tags removed) of step `id` in the handbook of `slug` in `locale`.
    pub fn step_text(&self, locale: &str, slug: &str, id: &str) -> String {
        text_of(step_section(&self.page(locale, slug), id))
    }

    pub fn page(&self, locale: &str, slug: &str) -> String {
        self.read(&format!("public/{locale}/{slug}/index.html"))
    }
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk");
        let rel = entry.path().strip_prefix(from).expect("prefix");
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&dest).expect("mkdir");
        } else {
            fs::copy(entry.path(), &dest).expect("copy");
        }
    }
}

/// The text of an HTML fragment without tags, whitespace collapsed.
pub fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The HTML between `<section class="step" id="{id}">` and its end.
pub fn step_section<'a>(page: &'a str, id: &str) -> &'a str {
    let start = page
        .find(&format!("<section class=\"step\" id=\"{id}\">"))
        .unwrap_or_else(|| panic!("no step {id}"));
    let end = page[start..]
        .find("</section>")
        .map_or(page.len(), |e| start + e);
    &page[start..end]
}

impl Project {
    /// Validate and render in memory, write nothing (what `handbuch check` does).
    pub fn check(&self) -> Result<BuildReport, Diagnostics> {
        handbuch::check(&self.options())
    }

    /// Every file below `relative` with its bytes, sorted by path (see [`tree`]).
    pub fn tree(&self, relative: &str) -> Vec<(PathBuf, Vec<u8>)> {
        tree(&self.path(relative))
    }
}

impl Project {
    /// Replace the first `from` in `file` by `to`; `from` must be there.
    pub fn edit(&self, file: &str, from: &str, to: &str) {
        let text = self.read(file);
        assert!(text.contains(from), "{file} has no {from:?}");
        self.write(file, &text.replacen(from, to, 1));
    }

    /// The ids of the warnings shown inline at `step`.
    pub fn warnings_at(&self, locale: &str, slug: &str, step: &str) -> Vec<String> {
        warning_items(step_section(&self.page(locale, slug), step))
            .into_iter()
            .map(|(id, _)| id)
            .collect()
    }

    /// The inline warning `id` at `step` as text, or "" if there is none.
    pub fn warning_text(&self, locale: &str, slug: &str, step: &str, id: &str) -> String {
        warning_items(step_section(&self.page(locale, slug), step))
            .into_iter()
            .find(|(found, _)| found == id)
            .map(|(_, text)| text)
            .unwrap_or_default()
    }
}

/// Every chapter and step heading of a page (table of contents left out).
pub fn headings(page: &str) -> Vec<String> {
    let main = &page[page.find("<main").expect("main")..];
    ["<h2>", "<h3>"]
        .iter()
        .flat_map(|tag| main.split(tag).skip(1))
        .filter_map(|rest| rest.split_once("</h"))
        .map(|(h, _)| text_of(h))
        .collect()
}

/// The ids of the steps of a page, in order.
pub fn step_ids(page: &str) -> Vec<String> {
    page.split("<section class=\"step\" id=\"")
        .skip(1)
        .map(|s| s[..s.find('"').expect("quote")].to_string())
        .collect()
}

/// The block of school warnings at the top of a handbook page.
pub fn school_warnings(page: &str) -> &str {
    let start = page
        .find("<section class=\"school-warnings\"")
        .expect("warnings block");
    let end = page[start..].find("</section>").expect("end") + start;
    &page[start..end]
}

/// `(id, text)` of every `data-warning` element in `html`, in order; the text is
/// tags-free, severity word included.
pub fn warning_items(html: &str) -> Vec<(String, String)> {
    html.split("data-warning=\"")
        .skip(1)
        .map(|rest| {
            let id = rest[..rest.find('"').expect("quote")].to_string();
            let end = ["</li>", "</p>"]
                .iter()
                .filter_map(|close| rest.find(close))
                .min()
                .unwrap_or(rest.len());
            let text = text_of(&format!("<x {}", &rest[..end])).replace("&#39;", "'");
            (id, text)
        })
        .collect()
}

/// Every file below `dir` with its bytes, sorted by path: compare two of these to know
/// that a folder did not change by a single byte.
#[allow(dead_code)] // not every test binary compares folders
pub fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("walk"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let relative = e.path().strip_prefix(dir).expect("prefix").to_path_buf();
            (relative, fs::read(e.path()).expect("read"))
        })
        .collect();
    files.sort();
    files
}

/// Run `command` and give it `seconds` to finish: a test of something that used to hang
/// fails instead of holding up the suite.
#[allow(dead_code)] // not every test binary runs commands that might hang
pub fn output_within(command: &mut std::process::Command, seconds: u64) -> std::process::Output {
    use std::process::Stdio;
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the command");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    while child.try_wait().expect("wait for the command").is_none() {
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("still running after {seconds} s: {command:?}");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    child.wait_with_output().expect("the command's output")
}

/// Make a FIFO at `path` (what `mkfifo` makes: opening it waits for a writer).
#[allow(dead_code)]
pub fn make_fifo(path: &Path) {
    let _ = fs::remove_file(path);
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("run mkfifo");
    assert!(status.success(), "mkfifo {}", path.display());
}

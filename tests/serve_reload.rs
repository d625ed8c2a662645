//! `handbuch serve` after an edit: the page served has the new value, a waiting page is
//! told at once, the PDF served is the new one or refused (never the old one as if it were
//! current), and a broken edit keeps the last good site and shows the error without secrets.

mod common;

use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

use common::pdf::pdf_text;
use common::server::Server;
use common::Project;

const SCHOOL: &str = "content/schools/manual.toml";
const PAGE: &str = "/de/manual/";
const PDF: &str = "/de/manual/manual.pdf";
const STATUS: &str = "/__handbuch/status";

fn status(server: &Server, path: &str) -> serde_json::Value {
    let (code, body) = server.get(path);
    assert_eq!(code, 200, "{body}");
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{path}: {e}: {body}"))
}

/// The status once the PDFs that go with the live pages are there.
fn pdfs_ready(server: &Server) -> serde_json::Value {
    let body = server.wait_for(STATUS, |body| body.contains("\"pdf_pending\":false"));
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

/// The text of the PDF handout the server answers with.
fn served_pdf_text(p: &Project, server: &Server) -> String {
    let (code, bytes) = server.get_bytes(PDF);
    assert_eq!(code, 200, "{}", String::from_utf8_lossy(&bytes));
    let file = p.path("served.pdf");
    std::fs::write(&file, bytes).expect("write the served PDF");
    pdf_text(&file)
}

fn rename_school(p: &Project, name: &str) {
    p.write(SCHOOL, &p.read(SCHOOL).replace("Manuelle Schule", name));
}

#[test]
fn with_pdfs_an_edited_school_shows_its_new_value_on_the_served_page() {
    let p = Project::fixture("basic");
    let server = Server::start_with(p.root(), &[]);
    pdfs_ready(&server);
    rename_school(&p, "Umbenannte Schule");
    let page = server.wait_for(PAGE, |body| body.contains("<h1>Umbenannte Schule</h1>"));
    let version = status(&server, STATUS)["version"].clone();
    assert!(
        page.contains(&format!(
            "<script src=\"/__handbuch/reload.js?v={version}\"></script>\n</body>"
        )),
        "the page names the build it comes from"
    );
}

/// A page asks for the status with the `seq` it has seen; the answer waits until there is
/// news, then tells the new version at once (no polling interval in between).
#[test]
fn a_waiting_status_request_is_answered_when_the_pages_change() {
    let p = Project::fixture("basic");
    let server = Server::start(p.root());
    let before = status(&server, STATUS);
    let (_, page) = server.get(PAGE);
    assert!(
        page.contains(&format!("/__handbuch/reload.js?v={}\"", before["version"])),
        "{page}"
    );
    let (tx, rx) = mpsc::channel();
    std::thread::scope(|scope| {
        let waiting = format!("{STATUS}?after={}", before["seq"]);
        let server = &server;
        scope.spawn(move || {
            let _ = tx.send(status(server, &waiting));
        });
        std::thread::sleep(Duration::from_millis(500));
        assert!(
            rx.try_recv().is_err(),
            "nothing changed, so the request still waits"
        );
        rename_school(&p, "Umbenannte Schule");
        let news = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("the waiting request is answered after the rebuild");
        assert_eq!(news["version"], before["version"].as_u64().unwrap_or(0) + 1);
        assert_eq!(news["error"], serde_json::Value::Null);
    });
    let (_, page) = server.get(PAGE);
    assert!(page.contains("<h1>Umbenannte Schule</h1>"), "{page}");
}

/// The pages go live before their PDFs are rendered; a PDF asked for in between waits for
/// the new one. Whenever it is asked for, it is never the one from before the edit.
#[test]
fn the_pdf_served_after_an_edit_is_the_new_one() {
    let p = Project::fixture("basic");
    let server = Server::start_with(p.root(), &[]);
    pdfs_ready(&server);
    assert!(served_pdf_text(&p, &server).contains("Manuelle Schule"));
    rename_school(&p, "Umbenannte Schule");
    server.wait_for(PAGE, |body| body.contains("<h1>Umbenannte Schule</h1>"));
    let text = served_pdf_text(&p, &server);
    assert!(text.contains("Umbenannte Schule"), "{text}");
    assert!(!text.contains("Manuelle Schule"), "the old handout: {text}");
}

/// The pages of a change went live but their PDFs failed (a broken print template): the
/// PDF is refused with a reason rather than served from before the change.
#[test]
fn a_pdf_whose_build_failed_is_refused_not_served_old() {
    let p = Project::fixture("basic");
    let server = Server::start_with(p.root(), &[]);
    pdfs_ready(&server);
    let template = "themes/default/print/handbook.typ";
    p.write(template, "#let broken = (\n");
    let now = server.wait_for(STATUS, |body| {
        body.contains("\"pdf_pending\":true") && !body.contains("\"error\":null")
    });
    assert!(now.contains("handbook.typ"), "{now}");
    let (code, body) = server.get(PDF);
    assert_eq!(
        (code, body.as_str()),
        (
            503,
            "This PDF handout is out of date after the last change and the last build \
             failed (the error is shown on the page). Try again in a moment.\n"
        )
    );
    assert_eq!(server.get(PAGE).0, 200, "the pages stay online");
    std::fs::remove_file(p.path(template)).expect("remove the broken template");
    let fixed = pdfs_ready(&server);
    assert_eq!(fixed["error"], serde_json::Value::Null);
    assert!(served_pdf_text(&p, &server).contains("Manuelle Schule"));
}

/// A broken edit (here: a product key in a school's name) keeps the last good page and
/// its PDF, which belong together, and the error the page shows never holds the key.
#[test]
fn a_broken_edit_keeps_the_old_page_and_pdf_and_shows_the_error_without_the_secret() {
    let p = Project::fixture("basic");
    let server = Server::start_with(p.root(), &[]);
    pdfs_ready(&server);
    let key = "7QX2K-ABCD3-EFGH4-JKLM5-NPQR6";
    rename_school(&p, &format!("Schule {key}"));
    let now = server.wait_for(STATUS, |body| !body.contains("\"error\":null"));
    assert!(
        now.contains("content/schools/manual.toml:1:"),
        "the error names the file: {now}"
    );
    assert!(!now.contains(key), "the key is shown: {now}");
    assert!(!now.contains("7QX2K"), "part of the key is shown: {now}");
    let (code, page) = server.get(PAGE);
    assert_eq!(code, 200);
    assert!(page.contains("<h1>Manuelle Schule</h1>"), "last good page");
    assert!(!page.contains(key));
    assert!(served_pdf_text(&p, &server).contains("Manuelle Schule"));
}

/// Where the server keeps the site it serves: `public/` in its private folder in TMPDIR.
fn served_site(server: &Server) -> PathBuf {
    let work = std::fs::read_dir(server.tmp.path())
        .expect("read the server's TMPDIR")
        .map(|entry| entry.expect("entry").path())
        .find(|path| {
            path.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("handbuch-serve-"))
        })
        .expect("the server's folder");
    work.join("public")
}

/// The build version the status reports.
fn version(server: &Server) -> u64 {
    status(server, STATUS)["version"]
        .as_u64()
        .expect("version is a number")
}

/// Wait until the pages of a build newer than `before` are live, and that build was good.
fn wait_for_version_after(server: &Server, before: u64) {
    let body = server.wait_for(STATUS, |body| {
        serde_json::from_str::<serde_json::Value>(body)
            .is_ok_and(|s| s["version"].as_u64().is_some_and(|v| v > before))
    });
    let now: serde_json::Value = serde_json::from_str(&body).expect("status JSON");
    assert_eq!(now["error"], serde_json::Value::Null, "{body}");
}

/// What `handbuch build --no-pdf` makes of the project as it is now, file by file.
fn clean_build_html(p: &Project) -> Vec<(PathBuf, Vec<u8>)> {
    let out = tempfile::tempdir().expect("temp dir");
    let mut options = p.options();
    options.pdf = false;
    options.out = Some(out.path().join("public"));
    handbuch::build(&options).unwrap_or_else(|e| panic!("build failed:\n{e}"));
    common::tree(&out.path().join("public"))
}

/// What an edit is called, and the edit.
type Edit<'a> = (&'a str, Box<dyn Fn() + 'a>);

/// The same files with the same bytes; `what` says after which edit.
fn assert_same_site(served: &[(PathBuf, Vec<u8>)], built: &[(PathBuf, Vec<u8>)], what: &str) {
    let paths = |t: &[(PathBuf, Vec<u8>)]| -> Vec<PathBuf> {
        t.iter().map(|(path, _)| path.clone()).collect()
    };
    assert_eq!(paths(served), paths(built), "{what}: other files");
    for ((path, served), (_, built)) in served.iter().zip(built) {
        assert!(served == built, "{what}: {} differs", path.display());
    }
}

fn inode(path: &std::path::Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .ino()
}

#[test]
fn after_an_edit_the_served_page_and_the_file_on_disk_have_the_new_value() {
    let p = Project::fixture("basic");
    let server = Server::start(p.root());
    let site = served_site(&server);
    let before = version(&server);
    rename_school(&p, "Umbenannte Schule");
    wait_for_version_after(&server, before);
    let (_, page) = server.get(PAGE);
    assert!(page.contains("<h1>Umbenannte Schule</h1>"), "{page}");
    let on_disk = std::fs::read_to_string(site.join("de/manual/index.html")).expect("page");
    assert!(on_disk.contains("<h1>Umbenannte Schule</h1>"), "{on_disk}");
    assert!(!on_disk.contains("Manuelle Schule"), "{on_disk}");
    let overview = std::fs::read_to_string(site.join("index.html")).expect("overview");
    assert!(overview.contains("Umbenannte Schule"), "the overview too");
}

/// An edited school file of a provider site is put live in place: the served folder stays
/// the same folder, the edited page is a new file, and an unchanged page is not touched.
#[test]
fn an_edited_school_file_updates_only_the_changed_files_in_place() {
    let p = Project::fixture("basic");
    let server = Server::start(p.root());
    let site = served_site(&server);
    let (folder, edited, other) = (
        inode(&site),
        inode(&site.join("de/manual/index.html")),
        inode(&site.join("de/evil/index.html")),
    );
    let before = version(&server);
    rename_school(&p, "Umbenannte Schule");
    wait_for_version_after(&server, before);
    assert_eq!(
        inode(&site),
        folder,
        "the site was swapped, not updated in place"
    );
    assert_ne!(inode(&site.join("de/manual/index.html")), edited);
    assert_eq!(inode(&site.join("de/evil/index.html")), other);
    let leftovers: Vec<_> = std::fs::read_dir(site.parent().expect("work folder"))
        .expect("read the work folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("scratch") || name.contains("staging"))
        .collect();
    assert!(leftovers.is_empty(), "left behind: {leftovers:?}");
}

/// A broken school file (here: invalid TOML) changes nothing on disk: the page served and
/// the file stay the last good ones, and the status carries the error the overlay shows.
#[test]
fn an_edit_that_breaks_the_school_keeps_the_old_page_on_disk_and_reports_the_error() {
    let p = Project::fixture("basic");
    let server = Server::start(p.root());
    let site = served_site(&server);
    let good = common::tree(&site);
    p.write(SCHOOL, &format!("{}\nname = [\n", p.read(SCHOOL)));
    let now = server.wait_for(STATUS, |body| !body.contains("\"error\":null"));
    assert!(
        now.contains("content/schools/manual.toml:"),
        "the error names the file: {now}"
    );
    let (code, page) = server.get(PAGE);
    assert_eq!(code, 200);
    assert!(page.contains("<h1>Manuelle Schule</h1>"), "last good page");
    assert!(
        page.contains("/__handbuch/reload.js?v="),
        "the page carries the script that shows the overlay"
    );
    assert_eq!(common::tree(&site), good, "the site on disk changed");
}

/// A sequence of school edits, each put live in place (renamed, anniversary added and
/// removed so calendar files come and go, a school added): after each, the served site on
/// disk is byte for byte what a build of the same inputs makes, with no file more or less.
#[test]
fn the_site_after_in_place_updates_equals_a_build_of_the_same_inputs() {
    let p = Project::fixture("basic");
    let server = Server::start(p.root());
    let site = served_site(&server);
    assert_eq!(common::tree(&site), clean_build_html(&p), "after the start");
    let evil = "content/schools/evil.toml";
    let third = p
        .read(SCHOOL)
        .replace("Manuelle Schule", "Dritte Schule")
        .replace("manual.onmicrosoft.com", "third.onmicrosoft.com")
        .replace("V2000002", "V3000003");
    let edits: [Edit; 5] = [
        (
            "renamed",
            Box::new(|| rename_school(&p, "Umbenannte Schule")),
        ),
        (
            "anniversary added",
            Box::new(|| {
                p.edit(
                    SCHOOL,
                    "number = \"V2000002\"",
                    "number = \"V2000002\"\nanniversary = 2027-03-01",
                )
            }),
        ),
        (
            "the other school's anniversary removed",
            Box::new(|| p.edit(evil, "anniversary = 2027-01-15\n", "")),
        ),
        (
            "no anniversary left",
            Box::new(|| p.edit(SCHOOL, "anniversary = 2027-03-01\n", "")),
        ),
        (
            "a school added",
            Box::new(|| p.write("content/schools/third.toml", &third)),
        ),
    ];
    for (what, edit) in edits {
        let before = version(&server);
        edit();
        wait_for_version_after(&server, before);
        assert_same_site(&common::tree(&site), &clean_build_html(&p), what);
    }
    assert!(!site.join("activations.ics").exists());
    assert!(site.join("de/third/index.html").is_file());
}

/// With PDFs: the pages go live in place first, then serve's PDF build; once the PDFs are
/// there, the served site is byte for byte what a build with PDFs makes, handouts included.
#[test]
fn with_pdfs_the_site_after_an_edit_and_its_pdf_build_equals_a_build() {
    let p = Project::fixture("basic");
    let server = Server::start_with(p.root(), &[]);
    let site = served_site(&server);
    pdfs_ready(&server);
    let before = version(&server);
    rename_school(&p, "Umbenannte Schule");
    wait_for_version_after(&server, before);
    pdfs_ready(&server);
    let out = tempfile::tempdir().expect("temp dir");
    let mut options = p.options();
    options.out = Some(out.path().join("public"));
    handbuch::build(&options).unwrap_or_else(|e| panic!("build failed:\n{e}"));
    let built = common::tree(&out.path().join("public"));
    assert_same_site(&common::tree(&site), &built, "with PDFs");
}

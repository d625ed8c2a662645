//! `handbuch serve` after an edit: the page served has the new value, a waiting page is
//! told at once, the PDF served is the new one or refused (never the old one as if it were
//! current), and a broken edit keeps the last good site and shows the error without secrets.

mod common;

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

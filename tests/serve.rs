//! `handbuch serve`: serves the site, rebuilds after a change, keeps the last good build
//! after an error and reports it.

mod common;

use common::server::Server;
use common::Project;

#[test]
fn serves_pages_with_the_reload_script() {
    let p = Project::fixture("basic");
    let server = Server::start(p.root());
    let (code, page) = server.get("/de/manual/");
    assert_eq!(code, 200);
    assert!(page.contains("<h1>Manuelle Schule</h1>"));
    assert!(page.contains("<script src=\"/__handbuch/reload.js\"></script>\n</body>"));
    assert_eq!(server.get("/assets/handbuch.css").0, 200);
    assert_eq!(
        server.get("/../handbuch.toml").0,
        404,
        "no escape from the output folder"
    );
    assert_eq!(server.get("/%2e%2e/handbuch.toml").0, 404);
}

#[test]
fn rebuilds_after_a_school_file_changes() {
    let p = Project::fixture("basic");
    let server = Server::start(p.root());
    let school = "content/schools/manual.toml";
    p.write(
        school,
        &p.read(school)
            .replace("Manuelle Schule", "Manuelle Schule (neu)"),
    );
    server.wait_for("/de/manual/", |body| {
        body.contains("<h1>Manuelle Schule (neu)</h1>")
    });
    let index = server.wait_for("/", |body| body.contains("Manuelle Schule (neu)"));
    assert!(
        index.contains("<tr id=\"school-evil\">"),
        "other schools stay"
    );
}

#[test]
fn rebuilds_after_a_chapter_changes() {
    let p = Project::fixture("basic");
    let server = Server::start(p.root());
    let chapter = "content/guide/de/02-ende.md";
    p.write(
        chapter,
        &p.read(chapter).replace("Zum Schluss:", "Ganz zum Schluss:"),
    );
    server.wait_for("/de/evil/", |body| body.contains("Ganz zum Schluss:"));
}

#[test]
fn keeps_the_last_good_build_after_an_error_and_reports_it() {
    let p = Project::fixture("basic");
    let server = Server::start(p.root());
    let school = "content/schools/manual.toml";
    let good = p.read(school);
    p.write(school, &good.replace("V2000002", "kaputt"));
    let status = server.wait_for("/__handbuch/status", |body| {
        body.contains("\"error\":\"") && body.contains("error: the contract number")
    });
    assert!(
        status.contains("the contract number must start with V followed by digits"),
        "{status}"
    );
    assert!(
        status.contains("content/schools/manual.toml:8:10"),
        "{status}"
    );
    let (code, page) = server.get("/de/manual/");
    assert_eq!(code, 200);
    assert!(
        page.contains("<h1>Manuelle Schule</h1>"),
        "last good page still served"
    );
    p.write(school, &good.replace("Manuelle Schule", "Wieder gut"));
    server.wait_for("/__handbuch/status", |body| body.contains("\"error\":null"));
    server.wait_for("/de/manual/", |body| body.contains("<h1>Wieder gut</h1>"));
}

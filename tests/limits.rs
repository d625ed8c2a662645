//! No input aborts the process: sizes, lengths and nesting past their limits are
//! refused with an error at their place, and the preview server refuses request
//! bodies without reading them.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::time::Duration;

use common::server::Server;
use common::{Project, TODAY};

const SCHOOL: &str = "content/schools/manual.toml";
const CHAPTER: &str = "content/guide/de/03-tief.md";

/// `handbuch <command> --root <project>` (HTML only for `build`, with PDFs for
/// `build-with-pdf`): exit code and stderr.
fn run(p: &Project, command: &str) -> (Option<i32>, String) {
    let root = p.root().to_str().expect("utf-8 path");
    let pdf = command == "build-with-pdf";
    let command = if pdf { "build" } else { command };
    let mut args = vec![command, "--root", root, "--today", TODAY];
    if command == "build" && !pdf {
        args.push("--no-pdf");
    }
    let out = Command::new(env!("CARGO_BIN_EXE_handbuch"))
        .args(&args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run handbuch");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Expect `check` to fail (exit 1, not a crash) with `message` at `place`.
fn assert_refused(p: &Project, message: &str, place: &str) {
    let (code, stderr) = run(p, "check");
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains(message),
        "expected `{message}` in:\n{stderr}"
    );
    assert!(
        stderr.contains(&format!("─ {place}")) || stderr.contains(&format!("--> {place}\n")),
        "expected the place {place} in:\n{stderr}"
    );
}

/// A chapter whose fifth line is `line`.
fn chapter_with_line(p: &Project, line: &str) {
    p.write(CHAPTER, &format!("# Tief\n\nDavor.\n\n{line}\n\nDanach.\n"));
}

const TOO_DEEP: &str =
    "this chapter nests block quotes, lists, emphasis or links more than 15 levels deep";

// --- Markdown nesting ---

#[test]
fn fifty_thousand_nested_quotes_are_refused_at_the_first_too_deep_one() {
    let p = Project::fixture("basic");
    chapter_with_line(&p, &format!("{} x", ">".repeat(50_000)));
    assert_refused(&p, TOO_DEEP, &format!("{CHAPTER}:5:16"));
}

#[test]
fn a_hundred_thousand_stars_around_a_word_are_refused() {
    let p = Project::fixture("basic");
    let stars = "*".repeat(100_000);
    chapter_with_line(&p, &format!("{stars}Wort{stars}"));
    assert_refused(&p, TOO_DEEP, &format!("{CHAPTER}:5:31"));
}

#[test]
fn ten_thousand_nested_list_items_are_refused_at_the_first_too_deep_one() {
    let p = Project::fixture("basic");
    chapter_with_line(&p, &format!("{}x", "- ".repeat(10_000)));
    assert_refused(&p, TOO_DEEP, &format!("{CHAPTER}:5:31"));
}

#[test]
fn nesting_made_by_the_template_is_refused_at_the_line_it_comes_from() {
    let p = Project::fixture("basic");
    let quotes = "{% for i in range(end=200) %}>{% endfor %} x";
    chapter_with_line(&p, quotes);
    assert_refused(&p, TOO_DEEP, &format!("{CHAPTER}:5:1"));
}

#[test]
fn fifteen_levels_of_every_kind_of_nesting_build_with_a_pdf() {
    let p = Project::fixture("basic");
    let quotes = format!("{} quote", ">".repeat(15));
    let lists = format!("{}item", "- ".repeat(15));
    let tasks = format!("{}[ ] task", "- ".repeat(15));
    let numbered = format!("{}item", "1. ".repeat(15));
    let emphasis = format!("{}Wort{}", "_".repeat(15), "_".repeat(15));
    let strong = format!("{}Wort{}", "**".repeat(15), "**".repeat(15));
    let links = format!("{}x{}", "[".repeat(15), "](#start)".repeat(15));
    let mixed = format!("{}x", "> - ".repeat(7));
    let alert = format!("{0} [!WARNING]\n{0} Achtung", ">".repeat(15));
    let blocks = [
        quotes, lists, tasks, numbered, emphasis, strong, links, mixed, alert,
    ];
    p.write(CHAPTER, &format!("# Tief\n\n{}\n", blocks.join("\n\n")));
    let (code, stderr) = run(&p, "build-with-pdf");
    assert_eq!(code, Some(0), "{stderr}");
    assert!(p.path("public/de/manual/manual.pdf").is_file(), "{stderr}");
}

#[test]
fn a_heading_over_1000_characters_is_refused_at_its_line() {
    let p = Project::fixture("basic");
    chapter_with_line(&p, &format!("## {}", "Lang ".repeat(200)));
    assert_refused(
        &p,
        "error: this heading is longer than 1000 characters",
        &format!("{CHAPTER}:5:1"),
    );
}

#[test]
fn a_heading_of_1000_characters_is_accepted() {
    let p = Project::fixture("basic");
    chapter_with_line(&p, &format!("## {}", "x".repeat(997)));
    let (code, stderr) = run(&p, "build");
    assert_eq!(code, Some(0), "{stderr}");
}

// --- file sizes ---

/// `lines` comment lines of exactly 100 bytes each, in TOML and Markdown alike.
fn padding(lines: usize) -> String {
    format!("#{}\n", "x".repeat(98)).repeat(lines)
}

#[test]
fn a_school_file_over_1_mb_is_refused_at_the_line_that_passes_the_limit() {
    let p = Project::fixture("basic");
    p.write(SCHOOL, &format!("{}{}", padding(10_000), p.read(SCHOOL)));
    assert_refused(
        &p,
        "error: a school file is larger than 1 MB",
        &format!("{SCHOOL}:10001:1"),
    );
}

/// A report shows a window of an overlong line, not the line: a 300,000-character line
/// printed whole (and a marker line as long) would flood a terminal or a CI log.
#[test]
fn an_error_on_a_300_kb_line_shows_a_window_of_it_at_its_real_line_and_column() {
    let p = Project::fixture("basic");
    let long = format!("x = \"{}\" junk", "a".repeat(300_000));
    p.write(SCHOOL, &format!("# Kopf\n{long}\n{}", p.read(SCHOOL)));
    let column = long.find("junk").map(|i| i + 1).unwrap_or_default();
    assert_refused(&p, "error:", &format!("{SCHOOL}:2:{column}"));
    let (_, stderr) = run(&p, "check");
    assert!(stderr.len() < 2_000, "{} bytes of report", stderr.len());
    let shown = stderr
        .lines()
        .find(|line| line.starts_with("2 │"))
        .unwrap_or_else(|| panic!("no source line in:\n{stderr}"));
    assert!(
        shown.contains("…aaaa") && shown.ends_with("junk"),
        "{shown}"
    );
}

#[test]
fn a_school_file_of_exactly_1_mb_is_accepted() {
    let p = Project::fixture("basic");
    let school = p.read(SCHOOL);
    let filler = 1_000_000 - school.len() - 1;
    p.write(SCHOOL, &format!("{school}#{}", "x".repeat(filler)));
    assert_eq!(
        std::fs::metadata(p.path(SCHOOL)).map(|m| m.len()).ok(),
        Some(1_000_000)
    );
    let (code, stderr) = run(&p, "build");
    assert_eq!(code, Some(0), "{stderr}");
}

#[test]
fn a_chapter_over_500_kb_is_refused_at_the_line_that_passes_the_limit() {
    let p = Project::fixture("basic");
    p.write(CHAPTER, &format!("{}Ende\n", padding(5_000)));
    assert_refused(
        &p,
        "error: a chapter is larger than 500 KB",
        &format!("{CHAPTER}:5001:1"),
    );
}

#[test]
fn chapters_over_500_kb_together_are_refused_at_the_one_that_passes_the_limit() {
    let p = Project::fixture("basic");
    p.write(CHAPTER, &padding(3_000));
    p.write("content/guide/de/04-mehr.md", &padding(3_000));
    assert_refused(&p, HANDBOOK_TOO_LARGE, "content/guide/de/04-mehr.md");
}

#[test]
fn handbuch_toml_over_1_mb_is_refused_at_the_line_that_passes_the_limit() {
    let p = Project::fixture("basic");
    let config = p.read("handbuch.toml");
    p.write("handbuch.toml", &format!("{}{config}", padding(10_000)));
    assert_refused(
        &p,
        "error: handbuch.toml is larger than 1 MB",
        "handbuch.toml:10001:1",
    );
}

const HANDBOOK_TOO_LARGE: &str =
    "error: the chapters of this handbook render to more than 500 KB; this chapter passes the limit";

#[test]
fn a_template_that_renders_past_500_kb_is_stopped() {
    let p = Project::fixture("basic");
    chapter_with_line(
        &p,
        "{% for i in range(end=100000) %}{% for j in range(end=100) %}xxxxxxxxxx{% endfor %}{% endfor %}",
    );
    assert_refused(&p, HANDBOOK_TOO_LARGE, CHAPTER);
}

// --- strings and lists in TOML ---

#[test]
fn a_school_name_over_200_characters_is_refused_at_its_value() {
    let p = Project::fixture("basic");
    let name = "Ä".repeat(201);
    p.write(SCHOOL, &p.read(SCHOOL).replace("Manuelle Schule", &name));
    assert_refused(
        &p,
        "error: `name` is longer than 200 characters",
        &format!("{SCHOOL}:1:8"),
    );
}

#[test]
fn a_school_string_over_1000_characters_is_refused_at_its_value() {
    let p = Project::fixture("basic");
    let admins = format!("vl_admins = [\"Frau A\", \"{}\"]\n", "b".repeat(1001));
    p.write(
        SCHOOL,
        &p.read(SCHOOL).replace(
            "number = \"V2000002\"\n",
            &format!("number = \"V2000002\"\n{admins}"),
        ),
    );
    assert_refused(
        &p,
        "error: `contract.vl_admins` is longer than 1000 characters",
        &format!("{SCHOOL}:9:24"),
    );
}

#[test]
fn the_longest_accepted_strings_build() {
    let p = Project::fixture("basic");
    let admins = format!("vl_admins = [\"{}\"]\n", "b".repeat(1000));
    let orders = format!("orders = [{}]\n", vec!["\"1\""; 100].join(", "));
    p.write(
        SCHOOL,
        &p.read(SCHOOL)
            .replace("Manuelle Schule", &"N".repeat(200))
            .replace(
                "number = \"V2000002\"\n",
                &format!("number = \"V2000002\"\n{admins}{orders}"),
            ),
    );
    let (code, stderr) = run(&p, "build");
    assert_eq!(code, Some(0), "{stderr}");
}

#[test]
fn a_list_of_more_than_100_entries_is_refused_at_entry_101() {
    let p = Project::fixture("basic");
    let orders = format!("orders = [{}]\n", vec!["\"1\""; 101].join(","));
    p.write(
        SCHOOL,
        &p.read(SCHOOL).replace(
            "number = \"V2000002\"\n",
            &format!("number = \"V2000002\"\n{orders}"),
        ),
    );
    assert_refused(
        &p,
        "error: `contract.orders` has 101 entries; at most 100 are allowed",
        &format!("{SCHOOL}:9:411"),
    );
}

#[test]
fn more_than_100_licence_tables_are_refused() {
    let p = Project::fixture("basic");
    let licenses = "\n[[licenses]]\nproduct = \"A3\"\nquantity = 1\n".repeat(101);
    p.write(SCHOOL, &format!("{}{licenses}", p.read(SCHOOL)));
    assert_refused(
        &p,
        "error: `licenses` has 101 entries; at most 100 are allowed",
        &format!("{SCHOOL}:{}:1", 13 + 4 * 100),
    );
}

#[test]
fn a_front_matter_title_over_1000_characters_is_refused() {
    let p = Project::fixture("basic");
    p.write(
        CHAPTER,
        &format!("+++\ntitle = \"{}\"\n+++\n\nText.\n", "t".repeat(1001)),
    );
    assert_refused(
        &p,
        "error: `title` is longer than 1000 characters",
        &format!("{CHAPTER}:2:9"),
    );
}

#[test]
fn a_config_string_over_1000_characters_is_refused() {
    let p = Project::fixture("basic");
    p.write(
        "handbuch.toml",
        &p.read("handbuch.toml")
            .replace("Test-Handbuch", &"T".repeat(1001)),
    );
    assert_refused(
        &p,
        "error: `title` is longer than 1000 characters",
        "handbuch.toml:1:9",
    );
}

// --- TOML nesting: toml stops at its own depth limit, an error and not a crash ---

const TOML_TOO_DEEP: &str = "error: cannot recurse further; max recursion depth met";

#[test]
fn a_hundred_thousand_nested_toml_arrays_are_an_error() {
    let p = Project::fixture("basic");
    let deep = format!("x = {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    p.write(SCHOOL, &format!("{deep}{}", p.read(SCHOOL)));
    assert_refused(&p, TOML_TOO_DEEP, &format!("{SCHOOL}:1:85"));
}

#[test]
fn a_hundred_thousand_nested_inline_tables_are_an_error() {
    let p = Project::fixture("basic");
    let deep = format!("x = {}1{}\n", "{a=".repeat(100_000), "}".repeat(100_000));
    p.write(SCHOOL, &format!("{deep}{}", p.read(SCHOOL)));
    assert_refused(&p, TOML_TOO_DEEP, &format!("{SCHOOL}:1:245"));
}

#[test]
fn a_hundred_thousand_dotted_keys_are_an_error() {
    let p = Project::fixture("basic");
    let deep = format!("{}x = 1\n", "a.".repeat(100_000));
    p.write(SCHOOL, &format!("{deep}{}", p.read(SCHOOL)));
    assert_refused(&p, "error: recursion limit", &format!("{SCHOOL}:1:1"));
}

// --- the preview server ---

/// Send `request` as it is and return the status code of the answer.
fn send(server: &Server, request: &str) -> u16 {
    let address = server.base.trim_start_matches("http://");
    let mut stream = TcpStream::connect(address).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    stream.write_all(request.as_bytes()).expect("request");
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let response = String::from_utf8_lossy(&response);
    response
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0)
}

#[test]
fn serve_refuses_a_post_announcing_a_huge_body_and_keeps_serving() {
    let p = Project::fixture("basic");
    let server = Server::start(p.root());
    let post = "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n";
    assert_eq!(send(&server, post), 405);
    assert_eq!(server.get("/de/manual/").0, 200);
}

#[test]
fn serve_refuses_a_get_with_a_body_unread() {
    let p = Project::fixture("basic");
    let server = Server::start(p.root());
    let sized = "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\nabc";
    assert_eq!(send(&server, sized), 413);
    let chunked = "GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabcde\r\n";
    assert_eq!(send(&server, chunked), 413);
    assert_eq!(server.get("/de/manual/").0, 200);
}

#[test]
fn serve_refuses_an_oversized_request_head_and_keeps_serving() {
    let p = Project::fixture("basic");
    let server = Server::start(p.root());
    let long = format!("GET / HTTP/1.1\r\nX-Long: {}\r\n\r\n", "a".repeat(40_000));
    assert_eq!(send(&server, &long), 431);
    assert_eq!(send(&server, "HEAD /de/manual/ HTTP/1.1\r\n\r\n"), 200);
    assert_eq!(server.get("/de/manual/").0, 200);
}

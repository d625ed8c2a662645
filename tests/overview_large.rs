//! The overview stays light at any number of schools (issue 16, goal 4a): on a generated
//! project of 3,000 schools, `index.html` holds the first page of rows and the totals, the
//! other schools are on static pages `overview/<n>.html` (each exactly once), and every
//! school is in the data chunks `overview/data-<k>.js` the filter and sort load. The file
//! sizes measured here are extrapolated to 40,000 schools.

mod common;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use common::Project;

const SCHOOLS: usize = 3000;
/// Rows per page and per chunk, as `src/site/overview/pages.rs` writes them.
const PAGE_ROWS: usize = 200;
const CHUNK_ROWS: usize = 2000;
/// The target of the first load (index.html and what it loads before any interaction).
const FIRST_LOAD_LIMIT: usize = 1_000_000;

/// The basic fixture with `n` generated schools instead of its own (slugs in overview order).
fn large_project(n: usize) -> Project {
    let p = Project::fixture("basic");
    for file in ["evil.toml", "manual.toml"] {
        std::fs::remove_file(p.path(&format!("content/schools/{file}"))).expect("remove school");
    }
    for i in 1..=n {
        p.write(&format!("content/schools/{}.toml", slug(i)), &school(i));
    }
    p
}

/// One project of [`SCHOOLS`] schools, built once for the tests that only read it.
fn built_large() -> &'static Project {
    static PROJECT: OnceLock<Project> = OnceLock::new();
    PROJECT.get_or_init(|| {
        let p = large_project(SCHOOLS);
        // The overview always lists every school; one handbook keeps the build quick.
        build_with_one_handbook(&p, None);
        p
    })
}

/// Build the HTML of the first school's handbook (and the whole overview), into `out`.
fn build_with_one_handbook(p: &Project, out: Option<&str>) {
    let mut options = p.options();
    options.pdf = false;
    options.schools = vec![slug(1)];
    options.out = out.map(|dir| p.path(dir));
    handbuch::build(&options).unwrap_or_else(|e| panic!("build failed:\n{e}"));
}

fn slug(i: usize) -> String {
    format!("schule-{i:05}")
}

/// A school with a next activation on one of 12 months (none for every 10th).
fn school(i: usize) -> String {
    let anniversary = if i.is_multiple_of(10) {
        String::new()
    } else {
        format!("anniversary = 2027-{:02}-{:02}\n", i % 12 + 1, i % 28 + 1)
    };
    format!(
        "name = \"Schule Nummer {i}\"\n\n[tenant]\ndomain = \"s{i}.onmicrosoft.com\"\n\n\
         [contract]\nnumber = \"V{}\"\n{anniversary}\n[assignment]\nmode = \"{}\"\n",
        1_000_000 + i,
        if i.is_multiple_of(3) {
            "manual"
        } else {
            "mnspro"
        }
    )
}

/// The ids of the school rows in a page, in order.
fn row_slugs(html: &str) -> Vec<String> {
    html.split("<tr id=\"school-")
        .skip(1)
        .map(|rest| rest[..rest.find('"').expect("id ends")].to_string())
        .collect()
}

fn section<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html.find(start).unwrap_or_else(|| panic!("no {start}"));
    let to = html[from..].find(end).unwrap_or_else(|| panic!("no {end}")) + from + end.len();
    &html[from..to]
}

/// The chunk's argument: `handbuchOverview(k, {…});`.
fn chunk_json(p: &Project, k: usize) -> serde_json::Value {
    let script = p.read(&format!("public/overview/data-{k}.js"));
    let prefix = format!("handbuchOverview({k}, ");
    assert!(script.starts_with(&prefix), "{}", &script[..60]);
    let json = script[prefix.len()..]
        .strip_suffix(");\n")
        .expect("ends with );");
    serde_json::from_str(json).expect("chunk is JSON")
}

fn number_attr(html: &str, name: &str) -> usize {
    let at = html
        .find(&format!("{name}=\""))
        .unwrap_or_else(|| panic!("no {name}"))
        + name.len()
        + 2;
    html[at..at + html[at..].find('"').expect("attr ends")]
        .parse()
        .expect("a number")
}

#[test]
fn first_load_at_3000_schools_extrapolates_to_under_1_mb_at_40000() {
    let p = built_large();
    let index = p.read("public/index.html");
    assert_eq!(row_slugs(&index).len(), PAGE_ROWS);
    // What the page loads before any interaction: itself, its stylesheet and scripts.
    let assets: usize = ["handbuch.css", "search.js", "overview.js"]
        .iter()
        .map(|a| p.read(&format!("public/assets/{a}")).len())
        .sum();
    assert!(index.contains("<script src=\"assets/overview.js\"></script>"));
    // Only the pager grows with N (one link per page); the rows are one page at any N.
    let body = section(&index, "<tbody>", "</tbody>");
    let pager = section(&index, "<nav class=\"pager\"", "</nav>");
    let pages = SCHOOLS.div_ceil(PAGE_ROWS);
    assert_eq!(pager.matches("<li>").count(), pages);
    let per_row = body.len() / PAGE_ROWS;
    let per_link = pager.len().div_ceil(pages);
    let fixed = index.len() - body.len() - pager.len();
    let at_40000 = fixed + per_row * PAGE_ROWS + per_link * 40_000usize.div_ceil(PAGE_ROWS);
    println!(
        "index.html {} bytes at {SCHOOLS} schools ({per_row} per row, {per_link} per page link, \
         {fixed} fixed); assets {assets}; first load at 40,000: {} bytes",
        index.len(),
        at_40000 + assets
    );
    assert!(
        at_40000 + assets <= FIRST_LOAD_LIMIT,
        "first load at 40,000 schools would be {} bytes",
        at_40000 + assets
    );
    // Today's total overview at 5,000 schools was 3.3 MB in one file.
    assert!(index.len() < 200_000, "{}", index.len());
}

#[test]
fn every_school_is_on_exactly_one_static_page_in_overview_order() {
    let p = built_large();
    let pages = SCHOOLS.div_ceil(PAGE_ROWS);
    let mut seen = Vec::new();
    for n in 1..=pages {
        let page = if n == 1 {
            p.read("public/index.html")
        } else {
            p.read(&format!("public/overview/{n}.html"))
        };
        let rows = row_slugs(&page);
        assert_eq!(rows.len(), PAGE_ROWS.min(SCHOOLS - seen.len()), "page {n}");
        // Every page links every page, so each school is reachable without JavaScript.
        let pager = section(&page, "<nav class=\"pager\"", "</nav>");
        let root = if n == 1 { "" } else { "../" };
        assert!(
            pager.contains(&format!("href=\"{root}index.html\"")),
            "{pager}"
        );
        for other in 2..=pages {
            assert!(pager.contains(&format!("href=\"{root}overview/{other}.html\"")));
        }
        assert_eq!(pager.matches("aria-current=\"page\"").count(), 1);
        // Links below the site root on later pages.
        let first = &rows[0];
        assert!(
            page.contains(&format!("<a href=\"{root}de/{first}/\">")),
            "page {n}: {first}"
        );
        seen.extend(rows);
    }
    assert!(!p
        .path(&format!("public/overview/{}.html", pages + 1))
        .exists());
    let expected: Vec<String> = (1..=SCHOOLS).map(slug).collect();
    assert_eq!(seen, expected);
    let last = p.read(&format!("public/overview/{pages}.html"));
    assert!(
        last.contains("<title>Test-Handbuch – Seite 15</title>"),
        "{}",
        &last[..600]
    );
    assert!(last.contains(
        "<link rel=\"canonical\" href=\"https://help.example.org/test/overview/15.html\">"
    ));
    assert!(last.contains("<link rel=\"stylesheet\" href=\"../assets/handbuch.css\">"));
    assert!(last.contains("data-prefix=\"../overview/data-\""));
}

#[test]
fn data_chunks_hold_every_school_once_with_the_totals_of_the_index() {
    let p = built_large();
    let index = p.read("public/index.html");
    let chunks = SCHOOLS.div_ceil(CHUNK_ROWS);
    assert_eq!(number_attr(&index, "data-chunks"), chunks);
    assert!(!p
        .path(&format!("public/overview/data-{}.js", chunks + 1))
        .exists());
    let mut slugs = Vec::new();
    let mut totals = [0usize; 3];
    let mut anniversaries = BTreeMap::new();
    for k in 1..=chunks {
        let chunk = chunk_json(p, k);
        let texts = chunk["texts"].as_array().expect("texts");
        let rows = chunk["rows"].as_array().expect("rows");
        assert_eq!(
            rows.len(),
            CHUNK_ROWS.min(SCHOOLS - slugs.len()),
            "chunk {k}"
        );
        for row in rows {
            let slug = row[0].as_str().expect("slug").to_string();
            let counts = row[6].as_array().expect("counts");
            for (total, n) in totals.iter_mut().zip(counts) {
                *total += n.as_u64().expect("count") as usize;
            }
            assert!(texts[row[7].as_u64().expect("text") as usize].is_string());
            assert_eq!(row[8][0], serde_json::json!(["de", format!("de/{slug}/")]));
            anniversaries.insert(slug.clone(), (row[4].clone(), row[5].clone()));
            slugs.push(slug);
        }
    }
    let expected: Vec<String> = (1..=SCHOOLS).map(slug).collect();
    assert_eq!(slugs, expected);
    // The row as the static page shows it.
    let (iso, shown) = &anniversaries["schule-00001"];
    assert_eq!(
        (iso.as_str(), shown.as_str()),
        (Some("2027-02-02"), Some("02.02.2027"))
    );
    assert_eq!(
        anniversaries["schule-00010"],
        (serde_json::Value::Null, serde_json::Value::Null)
    );
    let first = p.read("public/overview/data-1.js");
    let row = section(&first, "[\"schule-00001\"", "]]]");
    assert!(
        row.contains("\"Schule Nummer 1\",\"s1.onmicrosoft.com\",\"V1000001\""),
        "{row}"
    );
    // The index's totals are the sums over every school.
    assert_eq!(number_attr(&index, "data-schools"), SCHOOLS);
    assert_eq!(number_attr(&index, "data-dangers"), totals[0]);
    assert_eq!(number_attr(&index, "data-warnings"), totals[1]);
    assert_eq!(number_attr(&index, "data-notes"), totals[2]);
}

#[test]
fn a_partial_rebuild_drops_pages_and_chunks_a_smaller_overview_no_longer_has() {
    // 11 pages and 2 chunks, then 2 pages and 1 chunk.
    let schools = CHUNK_ROWS + 100;
    let p = large_project(schools);
    build_with_one_handbook(&p, None);
    assert!(p.path("public/overview/11.html").exists());
    assert!(p.path("public/overview/data-2.js").exists());
    for i in 401..=schools {
        std::fs::remove_file(p.path(&format!("content/schools/{}.toml", slug(i)))).expect("rm");
    }
    build_with_one_handbook(&p, None);
    let mut left: Vec<String> = std::fs::read_dir(p.path("public/overview"))
        .expect("overview folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["2.html", "data-1.js"]);
}

#[test]
fn a_small_overview_is_one_page_without_pager_or_chunks() {
    let p = large_project(PAGE_ROWS);
    p.built_html();
    let index = p.read("public/index.html");
    assert_eq!(row_slugs(&index).len(), PAGE_ROWS);
    assert!(!index.contains("<nav class=\"pager\""));
    assert_eq!(number_attr(&index, "data-chunks"), 0);
    assert!(!p.path("public/overview").exists());
}

#[test]
fn the_overview_is_byte_identical_across_builds() {
    let p = built_large();
    build_with_one_handbook(p, Some("again"));
    let first = p.tree("public/overview");
    assert_eq!(
        first.len(),
        SCHOOLS.div_ceil(PAGE_ROWS) - 1 + SCHOOLS.div_ceil(CHUNK_ROWS)
    );
    assert_eq!(p.tree("again/overview"), first);
    assert_eq!(p.read("again/index.html"), p.read("public/index.html"));
}

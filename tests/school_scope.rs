//! `[publish] scope = "school"`: each school's handbooks under a folder named by a keyed
//! hash of its slug, nothing on them about any other school, and `links.csv` for the
//! provider beside the published folder. Built through the binary, so each test gives
//! the key (or none) to its own process.

mod common;

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::pdf::pdf_text;
use common::{Project, TODAY};
use hmac::{Hmac, Mac};
use sha2::Sha256;

const KEY_VAR: &str = "HANDBUCH_PUBLISH_KEY";
const KEY: &str = "test-key-5f1c0e8a9b2d4c6e8f0a1b3c5d7e9f11";
const OTHER_KEY: &str = "another-key-0000000000000000000000000000";

/// `handbuch <args> --root <project> --today …` with `key` as the publish key (or none).
fn run(p: &Project, key: Option<&str>, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_handbuch"));
    command
        .args(args)
        .arg("--root")
        .arg(p.root())
        .args(["--today", TODAY])
        .env("NO_COLOR", "1")
        .env_remove(KEY_VAR);
    if let Some(key) = key {
        command.env(KEY_VAR, key);
    }
    command.output().expect("run handbuch")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Build and expect exit 0.
fn built(p: &Project, key: Option<&str>, args: &[&str]) -> Output {
    let out = run(p, key, &[&["build"], args].concat());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    out
}

/// The folder HMAC-SHA256(key, slug) names: its first 128 bits in lowercase hex.
fn folder(key: &str, slug: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).expect("any key length");
    mac.update(slug.as_bytes());
    mac.finalize().into_bytes()[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The fixture's schools: slug, locales, and every value that is that school's own.
struct School {
    slug: &'static str,
    locales: &'static [&'static str],
    values: &'static [&'static str],
}

const SCHOOLS: [School; 4] = [
    School {
        slug: "alpha-schule",
        locales: &["de", "en"],
        values: &[
            "Alpha-Schule Nordstadt",
            "alphanord.onmicrosoft.com",
            "11111111-aaaa-4aaa-8aaa-111111111111",
            "chef@alphanord.onmicrosoft.com",
            "V1111111",
            "41111111",
            "41111112",
            "bestellung@alpha-nordstadt.example",
        ],
    },
    School {
        slug: "beta-gymnasium",
        locales: &["de"],
        values: &[
            "Beta-Gymnasium Südhang",
            "betasued.onmicrosoft.com",
            "22222222-bbbb-4bbb-8bbb-222222222222",
            "leitung@betasued.onmicrosoft.com",
            "V2222222",
            "42222221",
            "einkauf@beta-suedhang.example",
        ],
    },
    School {
        slug: "gamma-realschule",
        locales: &["de", "en"],
        values: &[
            "Gamma-Realschule Westend",
            "gammawest.onmicrosoft.com",
            "33333333-cccc-4ccc-8ccc-333333333333",
            "it@gammawest.onmicrosoft.com",
            "V3333333",
            "43333331",
            "office@gamma-westend.example",
        ],
    },
    // Shares gamma's tenant, so each has a warning that names the other in provider scope.
    School {
        slug: "delta-grundschule",
        locales: &["de", "en"],
        values: &[
            "Delta-Grundschule Ostpark",
            "gammawest.onmicrosoft.com",
            "44444444-dddd-4ddd-8ddd-444444444444",
            "sekretariat@gammawest.onmicrosoft.com",
            "V4444444",
            "44444441",
            "post@delta-ostpark.example",
        ],
    },
];

/// What must not show up in `school`'s files: every other school's values and slug,
/// except a value `school` has as well (delta's tenant is gamma's too).
fn foreign_values(school: &School) -> Vec<&'static str> {
    SCHOOLS
        .iter()
        .filter(|other| other.slug != school.slug)
        .flat_map(|other| other.values.iter().chain([&other.slug]))
        .filter(|v| !school.values.contains(v))
        .copied()
        .collect()
}

/// A file's text as a reader gets it: a PDF's through pdftotext, anything else as bytes.
fn readable_text(path: &Path) -> String {
    if path.extension().is_some_and(|e| e == "pdf") {
        pdf_text(path)
    } else {
        String::from_utf8_lossy(&fs::read(path).expect("read output file")).into_owned()
    }
}

/// Every `href`, `src` and `data-index` value in an HTML page.
fn references(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attribute in [" href=\"", " src=\"", " data-index=\""] {
        for (start, _) in html.match_indices(attribute) {
            let rest = &html[start + attribute.len()..];
            if let Some(end) = rest.find('"') {
                found.push(rest[..end].replace("&amp;", "&"));
            }
        }
    }
    found
}

/// Every file of the site in `out` that a reader can reach from `start` (a page), by
/// following local links and the scripts and styles pages load.
fn reachable(out: &Path, start: &Path) -> BTreeSet<PathBuf> {
    let out = out.canonicalize().expect("output exists");
    let mut seen = BTreeSet::new();
    let mut queue = VecDeque::from([start.canonicalize().expect("start page exists")]);
    while let Some(file) = queue.pop_front() {
        if !seen.insert(file.clone()) || file.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = fs::read_to_string(&file).expect("read page");
        let dir = file.parent().expect("page has a folder");
        for reference in references(&html) {
            let local = reference.split(['#', '?']).next().unwrap_or_default();
            if local.is_empty() || local.contains(':') {
                continue; // an anchor on the page, or http:, mailto:, data:
            }
            let mut target = dir.join(local);
            if local.ends_with('/') || target.is_dir() {
                target = target.join("index.html");
            }
            let target = target
                .canonicalize()
                .unwrap_or_else(|e| panic!("{} links to missing {local}: {e}", file.display()));
            assert!(
                target.starts_with(&out),
                "{local} leaves the site from {}",
                file.display()
            );
            queue.push_back(target);
        }
    }
    seen
}

/// Every file below `dir`.
fn files_below(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("walk output"))
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect()
}

fn school_project() -> Project {
    Project::fixture("scope")
}

#[test]
fn no_file_reachable_from_a_schools_pages_holds_another_schools_data() {
    let p = school_project();
    built(&p, Some(KEY), &[]);
    let out = p.path("public");
    for school in &SCHOOLS {
        let own = out.join(folder(KEY, school.slug));
        let start = own.join(school.locales[0]).join("index.html");
        let files = reachable(&out, &start);
        // Not vacuous: every locale's page, its PDF, its search data, the shared CSS and JS.
        for locale in school.locales {
            for name in [
                "index.html".to_string(),
                format!("{}.pdf", school.slug),
                "search-index.js".to_string(),
            ] {
                let file = own.join(locale).join(name).canonicalize().expect("exists");
                assert!(files.contains(&file), "{} not reachable", file.display());
            }
        }
        for asset in ["handbuch.css", "handbuch.js", "search.js"] {
            let file = out
                .join("assets")
                .join(asset)
                .canonicalize()
                .expect("asset");
            assert!(files.contains(&file), "{asset} not reachable");
        }
        let pdf = own
            .join(school.locales[0])
            .join(format!("{}.pdf", school.slug));
        assert!(
            readable_text(&pdf).contains(school.values[0]),
            "the PDF text is read: it names its own school"
        );
        let foreign = foreign_values(school);
        for file in &files {
            let text = readable_text(file);
            for value in &foreign {
                assert!(
                    !text.contains(value),
                    "{} (reachable from {}) contains `{value}`",
                    file.display(),
                    school.slug
                );
            }
        }
    }
}

#[test]
fn no_file_outside_the_school_folders_holds_any_schools_data() {
    let p = school_project();
    built(&p, Some(KEY), &[]);
    let out = p.path("public");
    let folders: Vec<PathBuf> = SCHOOLS
        .iter()
        .map(|s| out.join(folder(KEY, s.slug)))
        .collect();
    let shared: Vec<PathBuf> = files_below(&out)
        .into_iter()
        .filter(|f| !folders.iter().any(|d| f.starts_with(d)))
        .collect();
    let names: BTreeSet<String> = shared
        .iter()
        .map(|f| f.strip_prefix(&out).expect("below").display().to_string())
        .collect();
    assert!(names.contains("index.html") && names.contains("assets/search.js"));
    assert!(
        !names.iter().any(|n| n.starts_with("assets/search-")),
        "no search data of all schools: {names:?}"
    );
    for file in &shared {
        let text = readable_text(file);
        for school in &SCHOOLS {
            for value in school.values.iter().chain([&school.slug]) {
                assert!(
                    !text.contains(value),
                    "{} contains `{value}`",
                    file.display()
                );
            }
        }
    }
}

#[test]
fn root_page_in_school_scope_names_and_links_no_school() {
    let p = school_project();
    built(&p, Some(KEY), &[]);
    let page = p.read("public/index.html");
    assert!(page.contains("<h1>Scope-Handbuch</h1>"), "{page}");
    assert!(page.contains("Den Link zu Ihrem Handbuch erhalten Sie von Ihrem IT-Dienstleister."));
    let links: Vec<String> = references(&page)
        .into_iter()
        .filter(|r| !r.starts_with("data:") && !r.starts_with("mailto:"))
        .collect();
    assert_eq!(
        links,
        [
            "https://help.example.org/private/",
            "assets/handbuch.css",
            "#main",
            "./",
            "assets/search.js"
        ]
    );
}

#[test]
fn a_shared_tenant_warning_counts_the_other_school_without_naming_it() {
    let p = school_project();
    built(&p, Some(KEY), &["--no-pdf"]);
    let delta = folder(KEY, "delta-grundschule");
    let de = p.read(&format!("public/{delta}/de/index.html"));
    assert!(
        de.contains(
            "Der Tenant gammawest.onmicrosoft.com ist auch bei einer anderen Schule eingetragen."
        ),
        "{de}"
    );
    let en = p.read(&format!("public/{delta}/en/index.html"));
    assert!(
        en.contains("The tenant gammawest.onmicrosoft.com is also recorded for another school.")
    );
}

#[test]
fn pages_search_only_their_own_school_and_steps() {
    let p = school_project();
    built(&p, Some(KEY), &["--no-pdf"]);
    let alpha = folder(KEY, "alpha-schule");
    let page = p.read(&format!("public/{alpha}/de/index.html"));
    assert!(page.contains(
        "<div class=\"search\" role=\"search\" data-index=\"search-index.js\" data-root=\"../../\""
    ));
    assert!(page.contains("<script type=\"application/json\" id=\"search-steps\">"));
    assert!(
        !page.contains("Alle Schulen"),
        "no link back to an overview"
    );
    let index = p.read(&format!("public/{alpha}/de/search-index.js"));
    assert_eq!(
        index,
        format!(
            "window.HANDBUCH_SEARCH = [{{\"kind\":\"school\",\"title\":\"Alpha-Schule Nordstadt\",\
             \"url\":\"{alpha}/de/\",\"text\":\"alphanord.onmicrosoft.com V1111111 \
             chef@alphanord.onmicrosoft.com bestellung@alpha-nordstadt.example 41111111 41111112\"}}];\n"
        )
    );
}

#[test]
fn language_switch_alternates_and_pdf_link_stay_in_the_schools_folder() {
    let p = school_project();
    built(&p, Some(KEY), &[]);
    let alpha = folder(KEY, "alpha-schule");
    let page = p.read(&format!("public/{alpha}/de/index.html"));
    for expected in [
        format!(
            "<link rel=\"alternate\" hreflang=\"en\" href=\"https://help.example.org/private/{alpha}/en/\">"
        ),
        format!("<link rel=\"canonical\" href=\"https://help.example.org/private/{alpha}/de/\">"),
        format!("<a href=\"../../{alpha}/en/\" hreflang=\"en\" lang=\"en\">English</a>"),
        "<a class=\"pdf-link\" href=\"alpha-schule.pdf\" type=\"application/pdf\">".to_string(),
        "<link rel=\"stylesheet\" href=\"../../assets/handbuch.css\">".to_string(),
    ] {
        assert!(page.contains(&expected), "missing {expected}");
    }
    assert!(p
        .path(&format!("public/{alpha}/de/alpha-schule.pdf"))
        .is_file());
    assert!(p
        .path(&format!("public/{alpha}/en/alpha-schule.pdf"))
        .is_file());
}

#[test]
fn each_schools_folder_is_the_keyed_hash_of_its_slug_and_changes_with_the_key() {
    let p = school_project();
    built(&p, Some(KEY), &["--no-pdf"]);
    let top = |p: &Project| -> BTreeSet<String> {
        fs::read_dir(p.path("public"))
            .expect("output")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect()
    };
    let mut expected: BTreeSet<String> = SCHOOLS.iter().map(|s| folder(KEY, s.slug)).collect();
    expected.extend([".handbuch-output", "assets", "index.html", "robots.txt"].map(String::from));
    assert_eq!(top(&p), expected);
    for school in &SCHOOLS {
        let name = folder(KEY, school.slug);
        assert_eq!(name.len(), 32);
        let locales: BTreeSet<String> = fs::read_dir(p.path(&format!("public/{name}")))
            .expect("school folder")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            locales,
            school.locales.iter().map(|l| l.to_string()).collect()
        );
    }
    // Another key: other folders, and the old ones are gone.
    built(&p, Some(OTHER_KEY), &["--no-pdf"]);
    let mut other: BTreeSet<String> = SCHOOLS.iter().map(|s| folder(OTHER_KEY, s.slug)).collect();
    other.extend([".handbuch-output", "assets", "index.html", "robots.txt"].map(String::from));
    assert_eq!(top(&p), other);
    assert!(SCHOOLS
        .iter()
        .all(|s| folder(KEY, s.slug) != folder(OTHER_KEY, s.slug)));
}

#[test]
fn the_same_key_gives_byte_identical_output() {
    let p = school_project();
    built(&p, Some(KEY), &[]);
    let first = p.tree("public");
    let links = p.read("public.links.csv");
    built(&p, Some(KEY), &[]);
    assert!(
        first == p.tree("public"),
        "the site changed between two builds"
    );
    assert_eq!(links, p.read("public.links.csv"));
}

#[test]
fn the_key_is_in_no_output_file_and_never_printed() {
    let p = school_project();
    let out = built(&p, Some(KEY), &[]);
    let printed = format!("{}{}", String::from_utf8_lossy(&out.stdout), stderr(&out));
    assert!(!printed.contains(KEY), "{printed}");
    let mut files = files_below(&p.path("public"));
    files.push(p.path("public.links.csv"));
    for file in files {
        let bytes = fs::read(&file).expect("read");
        assert!(
            !bytes.windows(KEY.len()).any(|w| w == KEY.as_bytes()),
            "{} holds the key",
            file.display()
        );
        if file.extension().is_some_and(|e| e == "pdf") {
            assert!(!pdf_text(&file).contains(KEY));
        }
    }
}

#[test]
fn a_missing_key_is_an_error_naming_the_variable_and_leaves_the_output_untouched() {
    let p = school_project();
    built(&p, Some(KEY), &["--no-pdf"]);
    let before = p.tree("public");
    let links = p.read("public.links.csv");
    let out = run(&p, None, &["build", "--no-pdf"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "error: HANDBUCH_PUBLISH_KEY is not set: school scope names each school's folder by a \
         keyed hash of its slug, and needs a secret key of at least 32 characters\n  --> handbuch.toml\n   = note: set it in the build's environment, e.g. `export \
         HANDBUCH_PUBLISH_KEY=\"$(openssl rand -hex 32)\"`, and keep it: the same key gives the \
         same links. Never put it into a file of the project\n\n1 error in 1 file\n"
    );
    assert!(before == p.tree("public"), "the output changed");
    assert_eq!(links, p.read("public.links.csv"));
}

#[test]
fn a_short_or_empty_key_is_an_error_that_never_shows_the_key() {
    let p = school_project();
    for (key, problem) in [
        ("short-key-31-characters-long-xx", "is too short"),
        ("", "is empty"),
    ] {
        assert!(key.len() < 32);
        let out = run(&p, Some(key), &["build", "--no-pdf"]);
        assert_eq!(out.status.code(), Some(1));
        let text = stderr(&out);
        assert!(
            text.starts_with(&format!("error: HANDBUCH_PUBLISH_KEY {problem}: ")),
            "{text}"
        );
        assert!(key.is_empty() || !text.contains(key));
    }
    assert!(!p.path("public").exists() && !p.path("public.links.csv").exists());
}

#[test]
fn links_csv_lists_every_handbook_beside_the_output_with_absolute_urls() {
    let p = school_project();
    let out = built(&p, Some(KEY), &["--no-pdf"]);
    let file = p
        .root()
        .canonicalize()
        .expect("root")
        .join("public.links.csv");
    assert!(
        stderr(&out).contains(&format!(
            "wrote the links of 7 handbooks to {} (send each school its own)",
            file.display()
        )),
        "{}",
        stderr(&out)
    );
    assert!(!p.path("public/links.csv").exists() && !p.path("public/public.links.csv").exists());
    let url = |slug: &str, locale: &str| {
        format!(
            "https://help.example.org/private/{}/{locale}/",
            folder(KEY, slug)
        )
    };
    let expected = format!(
        "slug,school,locale,url\n\
         alpha-schule,Alpha-Schule Nordstadt,de,{}\n\
         alpha-schule,Alpha-Schule Nordstadt,en,{}\n\
         beta-gymnasium,Beta-Gymnasium Südhang,de,{}\n\
         delta-grundschule,Delta-Grundschule Ostpark,de,{}\n\
         delta-grundschule,Delta-Grundschule Ostpark,en,{}\n\
         gamma-realschule,Gamma-Realschule Westend,de,{}\n\
         gamma-realschule,Gamma-Realschule Westend,en,{}\n",
        url("alpha-schule", "de"),
        url("alpha-schule", "en"),
        url("beta-gymnasium", "de"),
        url("delta-grundschule", "de"),
        url("delta-grundschule", "en"),
        url("gamma-realschule", "de"),
        url("gamma-realschule", "en"),
    );
    assert_eq!(fs::read_to_string(&file).expect("links.csv"), expected);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(&file).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "only the provider reads the links");
    }
}

#[test]
fn links_csv_quotes_names_and_gives_site_relative_urls_without_base_url() {
    let p = school_project();
    p.edit(
        "handbuch.toml",
        "base_url = \"https://help.example.org/private/\"\n",
        "",
    );
    p.edit(
        "content/schools/beta-gymnasium.toml",
        "name = \"Beta-Gymnasium Südhang\"",
        "name = \"Beta, \\\"das\\\" Gymnasium\"",
    );
    built(&p, Some(KEY), &["--no-pdf"]);
    let text = p.read("public.links.csv");
    let beta = folder(KEY, "beta-gymnasium");
    assert!(
        text.contains(&format!(
            "\nbeta-gymnasium,\"Beta, \"\"das\"\" Gymnasium\",de,{beta}/de/\n"
        )),
        "{text}"
    );
    assert!(p.path(&format!("public/{beta}/de/index.html")).is_file());
}

#[test]
fn links_csv_is_not_written_when_the_build_fails() {
    let p = school_project();
    p.edit(
        "content/guide/de/01-daten.md",
        "{{ school.name }}",
        "{{ school.nam }}",
    );
    let out = run(&p, Some(KEY), &["build", "--no-pdf"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(!p.path("public.links.csv").exists());
    let leftovers: Vec<String> = fs::read_dir(p.root())
        .expect("root")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("links"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_build_of_one_school_keeps_the_others_and_lists_every_link() {
    let p = school_project();
    built(&p, Some(KEY), &["--no-pdf"]);
    let links = p.read("public.links.csv");
    let gamma = p.read(&format!(
        "public/{}/de/index.html",
        folder(KEY, "gamma-realschule")
    ));
    p.edit("content/schools/alpha-schule.toml", "V1111111", "V1111119");
    built(&p, Some(KEY), &["--no-pdf", "--school", "alpha-schule"]);
    let alpha = p.read(&format!(
        "public/{}/de/index.html",
        folder(KEY, "alpha-schule")
    ));
    assert!(alpha.contains("V1111119"));
    let gamma_now = p.read(&format!(
        "public/{}/de/index.html",
        folder(KEY, "gamma-realschule")
    ));
    assert_eq!(gamma, gamma_now);
    assert_eq!(links, p.read("public.links.csv"));
}

#[test]
fn a_build_of_one_school_under_another_key_is_refused_and_changes_nothing() {
    let p = school_project();
    built(&p, Some(KEY), &["--no-pdf"]);
    let before = p.tree("public");
    let out = run(
        &p,
        Some(OTHER_KEY),
        &["build", "--no-pdf", "--school", "alpha-schule"],
    );
    assert_eq!(out.status.code(), Some(1));
    let text = stderr(&out);
    assert!(
        text.contains(
            "error: the handbook of `beta-gymnasium` (de) is not in the previous output under \
             this key, so a build of some schools cannot keep it"
        ),
        "{text}"
    );
    assert!(before == p.tree("public"));
}

#[test]
fn switching_a_provider_site_to_school_scope_leaves_no_provider_file_behind() {
    let p = school_project();
    built(&p, None, &["--no-pdf", "--scope", "provider"]);
    assert!(p.path("public/assets/search-de.js").is_file());
    built(&p, Some(KEY), &["--no-pdf"]);
    assert!(!p.path("public/de").exists() && !p.path("public/en").exists());
    assert!(!p.path("public/assets/search-de.js").exists());
    // And back: a build of one school in provider scope drops the school folders (it
    // keeps the provider's rules: the other schools' pages come with a full build).
    built(
        &p,
        None,
        &[
            "--no-pdf",
            "--scope",
            "provider",
            "--school",
            "alpha-schule",
        ],
    );
    assert!(SCHOOLS
        .iter()
        .all(|s| !p.path(&format!("public/{}", folder(KEY, s.slug))).exists()));
    assert!(p.path("public/de/alpha-schule/index.html").is_file());
    assert!(p
        .read("public/index.html")
        .contains("Gamma-Realschule Westend"));
}

#[test]
fn provider_scope_keeps_the_overview_and_the_search_of_all_schools() {
    let p = school_project();
    p.edit(
        "handbuch.toml",
        "scope = \"school\"",
        "scope = \"provider\"",
    );
    let out = built(&p, None, &["--no-pdf"]);
    assert!(!stderr(&out).contains("links"));
    assert!(!p.root().join("public.links.csv").exists());
    let overview = p.read("public/index.html");
    for school in &SCHOOLS {
        assert!(overview.contains(school.values[0]));
        assert!(p
            .path(&format!("public/de/{}/index.html", school.slug))
            .is_file());
    }
    // The result records of the sharded index: a school's name, handbook and contract.
    let search = p.read("public/assets/search-de/r-0.js");
    assert!(SCHOOLS.iter().all(|s| search.contains(s.values[4])));
    let page = p.read("public/de/alpha-schule/index.html");
    assert!(page.contains("data-index=\"../../assets/search-de.js\""));
    assert!(page.contains("<a href=\"../../index.html\">Alle Schulen</a>"));
    let delta = p.read("public/de/delta-grundschule/index.html");
    assert!(delta.contains("auch bei Gamma-Realschule Westend eingetragen."));
}

#[test]
fn scope_flag_overrides_the_config() {
    let p = school_project();
    built(&p, None, &["--no-pdf", "--scope", "provider"]);
    assert!(p.path("public/de/alpha-schule/index.html").is_file());
    p.edit(
        "handbuch.toml",
        "scope = \"school\"",
        "scope = \"provider\"",
    );
    built(&p, Some(KEY), &["--no-pdf", "--scope", "school"]);
    let alpha = folder(KEY, "alpha-schule");
    assert!(p.path(&format!("public/{alpha}/de/index.html")).is_file());
    let out = run(&p, Some(KEY), &["build", "--scope", "schools"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("invalid value 'schools' for '--scope <SCOPE>'"));
}

#[test]
fn a_bad_scope_is_a_config_error_at_its_place_with_the_allowed_values() {
    let p = school_project();
    p.edit("handbuch.toml", "scope = \"school\"", "scope = \"schools\"");
    let out = run(&p, Some(KEY), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stderr(&out);
    assert!(
        text.starts_with(
            "error: unknown variant `schools`, expected `provider` or `school`\n   ┌─ handbuch.toml:11:9\n"
        ),
        "{text}"
    );
}

#[test]
fn check_in_school_scope_needs_no_key_and_writes_nothing() {
    let p = school_project();
    let out = run(&p, None, &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!p.path("public").exists() && !p.path("public.links.csv").exists());
}

/// `handbuch serve` in school scope: it prints each handbook's local URL and serves it.
#[test]
fn serve_in_school_scope_prints_and_serves_the_private_urls() {
    let p = school_project();
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut child = Command::new(env!("CARGO_BIN_EXE_handbuch"))
        .args([
            "serve", "--port", "0", "--no-pdf", "--today", TODAY, "--root",
        ])
        .arg(p.root())
        .env("NO_COLOR", "1")
        .env("TMPDIR", tmp.path())
        .env(KEY_VAR, KEY)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("start serve");
    let mut lines = BufReader::new(child.stderr.take().expect("stderr"))
        .lines()
        .map_while(Result::ok);
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut urls: BTreeMap<String, String> = BTreeMap::new();
    for line in lines.by_ref() {
        assert!(Instant::now() < deadline, "serve did not start");
        if let Some((name, url)) = line.trim().split_once(": http://") {
            urls.insert(name.to_string(), format!("http://{url}"));
            if urls.len() == 7 {
                break;
            }
        }
    }
    let alpha = folder(KEY, "alpha-schule");
    let url = &urls["alpha-schule (de)"];
    assert!(url.ends_with(&format!("/{alpha}/de/")), "{url}");
    let rest = url.trim_start_matches("http://");
    let (address, path) = rest.split_once('/').expect("address and path");
    let mut stream = std::net::TcpStream::connect(address).expect("connect");
    write!(
        stream,
        "GET /{path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .expect("request");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("response");
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains("<h1>Alpha-Schule Nordstadt</h1>"));
    let _ = child.kill();
    let _ = child.wait();
}

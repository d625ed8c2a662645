//! School warnings on tests/fixtures/warnings: a guide with exactly the steps the warning
//! rules belong to, and one school (`quiet`) whose data raise nothing but the assignment
//! note every school gets. Each test changes the data so that one warning fires, and
//! checks it at the top of the handbook, inline at its step, on the overview, in chapter
//! templates and in `handbuch check`. The wording is the theme's: the tests check where a
//! warning appears and which values it names, not its sentences.

mod common;

use std::process::Command;

use common::{school_warnings, step_section, text_of, warning_items, Project, TODAY};

const QUIET: &str = "content/schools/quiet.toml";
const OTHER: &str = "content/schools/other.toml";

fn fixture() -> Project {
    Project::fixture("warnings")
}

/// The ids at the top of the `quiet` handbook, most severe first.
fn top_ids(p: &Project, locale: &str) -> Vec<String> {
    warning_items(school_warnings(&p.page(locale, "quiet")))
        .into_iter()
        .map(|(id, _)| id)
        .collect()
}

/// Build `p` and check that warning `id` is the only one besides the assignment note,
/// listed at the top with a link to `step` and repeated at `step` with the same text,
/// which names every value of `names`.
fn fires_alone_at(p: &Project, id: &str, step: &str, names: &[&str]) {
    let report = p.built_html();
    assert!(
        !report
            .warnings
            .to_string()
            .contains("school warning(s) belong to a step"),
        "the fixture has every rule's step: {}",
        report.warnings
    );
    let page = p.page("de", "quiet");
    let mut others: Vec<String> = top_ids(p, "de");
    others.retain(|found| found != id && !found.starts_with("assignment_"));
    assert!(others.is_empty(), "{id}: also {others:?}");
    let top = warning_items(school_warnings(&page));
    let (_, top_text) = top
        .iter()
        .find(|(found, _)| found == id)
        .unwrap_or_else(|| panic!("{id} not at the top: {top:?}"));
    let inline = p.warning_text("de", "quiet", step, id);
    assert!(!inline.is_empty(), "{id} not inline at {step}");
    assert!(
        top_text.starts_with(&inline),
        "{id}: top {top_text:?} vs inline {inline:?}"
    );
    let top_block = school_warnings(&page);
    let item = &top_block[top_block
        .find(&format!("data-warning=\"{id}\""))
        .expect("item")..];
    let item = &item[..item.find("</li>").expect("item end")];
    assert!(
        item.contains(&format!("<a href=\"#{step}\">")),
        "{id} links to {step}: {item}"
    );
    assert_eq!(
        page.matches(&format!("data-warning=\"{id}\"")).count(),
        2,
        "{id}: once at the top, once at {step}"
    );
    for name in names {
        assert!(inline.contains(name), "{id} names {name}: {inline}");
    }
}

fn set(p: &Project, from: &str, to: &str) {
    p.edit(QUIET, from, to);
}

/// A second school: `quiet`'s data with another name, changed by `from` → `to`.
fn other_school(p: &Project, from: &str, to: &str) {
    let text = p
        .read(QUIET)
        .replace("Ruhige Schule", "Andere Schule")
        .replace(from, to);
    p.write(OTHER, &text);
}

#[test]
fn the_quiet_school_gets_only_the_assignment_note() {
    let p = fixture();
    fires_alone_at(&p, "assignment_mnspro", "lizenzen-zuweisen", &[]);
    assert_eq!(top_ids(&p, "de"), ["assignment_mnspro"]);
}

#[test]
fn renewal_due() {
    let p = fixture();
    set(&p, "anniversary = 2027-08-01", "anniversary = 2026-12-18");
    fires_alone_at(
        &p,
        "renewal_due",
        "jaehrliche-aktivierung",
        &["18.12.2026", "23"],
    );
}

#[test]
fn renewal_overdue() {
    let p = fixture();
    set(&p, "anniversary = 2027-08-01", "anniversary = 2026-10-01");
    fires_alone_at(
        &p,
        "renewal_overdue",
        "jaehrliche-aktivierung",
        &["01.10.2026", "55"],
    );
}

#[test]
fn renewal_unknown() {
    let p = fixture();
    set(&p, "anniversary = 2027-08-01\n", "");
    fires_alone_at(&p, "renewal_unknown", "jaehrliche-aktivierung", &[]);
}

#[test]
fn subscription_expired() {
    let p = fixture();
    set(
        &p,
        "subscription_end = 2027-07-31",
        "subscription_end = 2026-11-01",
    );
    fires_alone_at(
        &p,
        "subscription_expired",
        "jaehrliche-aktivierung",
        &["01.11.2026", "24"],
    );
}

#[test]
fn admin_outside_tenant() {
    let p = fixture();
    set(
        &p,
        "admin = \"admin@quiet.onmicrosoft.com\"",
        "admin = \"it@elsewhere.example\"",
    );
    fires_alone_at(
        &p,
        "admin_outside_tenant",
        "organisationskonto",
        &["it@elsewhere.example", "quiet.onmicrosoft.com"],
    );
}

#[test]
fn an_admin_in_a_verified_domain_is_inside_the_tenant() {
    let p = fixture();
    set(
        &p,
        "admin = \"admin@quiet.onmicrosoft.com\"",
        "admin = \"it@quiet-schule.de\"",
    );
    fires_alone_at(&p, "assignment_mnspro", "lizenzen-zuweisen", &[]);
}

#[test]
fn admin_unknown() {
    let p = fixture();
    set(&p, "admin = \"admin@quiet.onmicrosoft.com\"\n", "");
    fires_alone_at(
        &p,
        "admin_unknown",
        "zugangsdaten",
        &["quiet.onmicrosoft.com"],
    );
}

#[test]
fn order_email_unknown() {
    let p = fixture();
    set(&p, "order_email = \"verwaltung@quiet-schule.de\"\n", "");
    fires_alone_at(&p, "order_email_unknown", "bestellbestaetigung", &[]);
}

#[test]
fn vlsc_account_unknown_in_the_vlsc_edition() {
    let p = fixture();
    p.edit(
        "handbuch.toml",
        "vlsc_retired = true",
        "vlsc_retired = false",
    );
    set(&p, "vlsc_account = \"work\"\n", "");
    fires_alone_at(&p, "vlsc_account_unknown", "anmelden", &[]);
}

#[test]
fn vlsc_account_unknown_is_quiet_in_the_current_edition() {
    let p = fixture();
    set(&p, "vlsc_account = \"work\"\n", "");
    fires_alone_at(&p, "assignment_mnspro", "lizenzen-zuweisen", &[]);
}

#[test]
fn personal_account() {
    let p = fixture();
    set(
        &p,
        "order_email = \"verwaltung@quiet-schule.de\"",
        "order_email = \"schule@gmail.com\"",
    );
    fires_alone_at(&p, "personal_account", "anmelden", &["schule@gmail.com"]);
}

#[test]
fn tenant_id_unknown() {
    let p = fixture();
    set(&p, "id = \"3f2b8c1e-7a4d-4e2f-9b6a-1c0d5e8f7a21\"\n", "");
    fires_alone_at(
        &p,
        "tenant_id_unknown",
        "konto-pruefen",
        &["quiet.onmicrosoft.com", "Test IT GmbH"],
    );
}

#[test]
fn several_orders() {
    let p = fixture();
    set(
        &p,
        "orders = [\"12345678\"]",
        "orders = [\"12345678\", \"87654321\"]",
    );
    fires_alone_at(
        &p,
        "several_orders",
        "vertrag-waehlen",
        &["12345678, 87654321", "V1000001"],
    );
}

#[test]
fn no_licenses() {
    let p = fixture();
    set(
        &p,
        "[[licenses]]\nproduct = \"Microsoft 365 A3\"\nquantity = 10\n",
        "",
    );
    fires_alone_at(&p, "no_licenses", "lizenzen-pruefen", &[]);
}

#[test]
fn license_zero() {
    let p = fixture();
    set(&p, "quantity = 10", "quantity = 0");
    fires_alone_at(
        &p,
        "license_zero",
        "lizenzen-pruefen",
        &["Microsoft 365 A3"],
    );
}

#[test]
fn shared_tenant() {
    let p = fixture();
    other_school(&p, "number = \"V1000001\"", "number = \"V1000002\"");
    fires_alone_at(
        &p,
        "shared_tenant",
        "konto-pruefen",
        &["quiet.onmicrosoft.com", "Andere Schule"],
    );
}

#[test]
fn shared_contract() {
    let p = fixture();
    other_school(&p, "quiet.onmicrosoft.com", "andere.onmicrosoft.com");
    fires_alone_at(
        &p,
        "shared_contract",
        "vertrag-waehlen",
        &["V1000001", "Andere Schule"],
    );
}

#[test]
fn provider_no_access() {
    let p = fixture();
    set(&p, "provider_access = true", "provider_access = false");
    fires_alone_at(&p, "provider_no_access", "benutzer", &["Test IT GmbH"]);
}

#[test]
fn few_vl_admins() {
    let p = fixture();
    set(
        &p,
        "vl_admins = [\"Anna Schmidt\", \"it@quiet-schule.de\"]",
        "vl_admins = [\"Anna Schmidt\"]",
    );
    fires_alone_at(&p, "few_vl_admins", "benutzer", &["Anna Schmidt"]);
}

#[test]
fn assignment_manual() {
    let p = fixture();
    set(&p, "mode = \"mnspro\"", "mode = \"manual\"");
    fires_alone_at(&p, "assignment_manual", "lizenzen-zuweisen", &[]);
}

/// Two dangers, a warning and two notes.
fn several(p: &Project) {
    set(p, "anniversary = 2027-08-01", "anniversary = 2026-10-01");
    set(
        p,
        "admin = \"admin@quiet.onmicrosoft.com\"",
        "admin = \"it@elsewhere.example\"",
    );
    set(p, "order_email = \"verwaltung@quiet-schule.de\"\n", "");
    set(
        p,
        "orders = [\"12345678\"]",
        "orders = [\"12345678\", \"87654321\"]",
    );
}

#[test]
fn warnings_are_listed_at_the_top_most_severe_first() {
    let p = fixture();
    several(&p);
    p.built_html();
    assert_eq!(
        top_ids(&p, "de"),
        [
            "renewal_overdue",
            "admin_outside_tenant",
            "order_email_unknown",
            "several_orders",
            "assignment_mnspro"
        ]
    );
    let page = p.page("de", "quiet");
    let block = school_warnings(&page);
    assert!(
        block.contains("<li class=\"warning warning-danger\" data-warning=\"renewal_overdue\">")
    );
    assert!(block
        .contains("<li class=\"warning warning-warning\" data-warning=\"order_email_unknown\">"));
    assert!(block.contains("<li class=\"warning warning-note\" data-warning=\"several_orders\">"));
    let top = page.find("id=\"school-warnings\"").expect("block");
    let first_chapter = page.find("<section class=\"chapter\"").expect("chapter");
    assert!(top < first_chapter, "the block comes before the chapters");
}

#[test]
fn inline_warnings_carry_their_severity() {
    let p = fixture();
    several(&p);
    p.built_html();
    let page = p.page("de", "quiet");
    let step = step_section(&page, "organisationskonto");
    assert!(
        step.contains("<p class=\"warning warning-danger\" role=\"note\" data-warning=\"admin_outside_tenant\">"),
        "{step}"
    );
    assert!(!step_section(&page, "zugangsdaten").contains("data-warning"));
}

#[test]
fn english_handbook_has_english_warnings() {
    let p = fixture();
    set(&p, "anniversary = 2027-08-01", "anniversary = 2026-10-01");
    p.built_html();
    let en = p.warning_text("en", "quiet", "jaehrliche-aktivierung", "renewal_overdue");
    let de = p.warning_text("de", "quiet", "jaehrliche-aktivierung", "renewal_overdue");
    assert!(en.contains("1 October 2026"), "{en}");
    assert!(de.contains("01.10.2026"), "{de}");
    assert_ne!(en, de);
    let page = p.page("en", "quiet");
    assert!(school_warnings(&page)
        .contains("<h2 id=\"school-warnings-title\">Notes for your school</h2>"));
}

#[test]
fn chapters_can_test_a_warning() {
    let p = fixture();
    p.built_html();
    let text = |p: &Project| p.step_text("de", "quiet", "jaehrliche-aktivierung");
    assert!(text(&p).contains("KAPITEL: nichts zu tun."), "{}", text(&p));
    set(&p, "anniversary = 2027-08-01", "anniversary = 2026-12-18");
    p.built_html();
    assert!(text(&p).contains("KAPITEL: bald fällig."), "{}", text(&p));
    p.edit(
        QUIET,
        "anniversary = 2026-12-18",
        "anniversary = 2026-10-01",
    );
    p.built_html();
    assert!(text(&p).contains("KAPITEL: überfällig."), "{}", text(&p));
    assert!(p
        .step_text("en", "quiet", "jaehrliche-aktivierung")
        .contains("CHAPTER: overdue."));
}

/// The overview row of `slug`.
fn overview_row(p: &Project, slug: &str) -> String {
    let index = p.read("public/index.html");
    let start = index.find(&format!("id=\"school-{slug}\"")).expect("row");
    let end = index[start..].find("</tr>").expect("row end") + start;
    index[start..end].to_string()
}

#[test]
fn overview_counts_warnings_by_severity() {
    let p = fixture();
    several(&p);
    p.built_html();
    let row = overview_row(&p, "quiet");
    assert!(
        row.contains("<td class=\"counts\" data-sort=\"2001002\" title=\"2 Gefahren, 1 Warnung, 2 Hinweise\">"),
        "{row}"
    );
    let count = |kind: &str| {
        let marker = format!("<span class=\"count count-{kind}\" aria-hidden=\"true\">");
        let at = row.find(&marker).expect("count") + marker.len();
        row[at..at + row[at..].find('<').expect("end")].to_string()
    };
    assert_eq!(
        [count("danger"), count("warning"), count("note")],
        ["2", "1", "2"]
    );
    assert!(
        row.contains("<td data-sort=\"2026-10-01\">01.10.2026</td>"),
        "{row}"
    );
    assert!(p.read("public/index.html").contains("assets/overview.js"));
}

#[test]
fn overview_uses_the_singular_for_one() {
    let p = fixture();
    p.built_html();
    let row = overview_row(&p, "quiet");
    assert!(
        row.contains("title=\"0 Gefahren, 0 Warnungen, 1 Hinweis\""),
        "{row}"
    );
}

#[test]
fn check_lists_warnings_and_deny_fails_the_run() {
    let p = fixture();
    set(&p, "anniversary = 2027-08-01", "anniversary = 2026-10-01");
    let root = p.root().to_str().expect("utf-8");
    let run = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_handbuch"))
            .args(["check", "--root", root, "--today", TODAY])
            .args(extra)
            .env("NO_COLOR", "1")
            .output()
            .expect("run")
    };
    let out = run(&[]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout
        .lines()
        .find(|l| l.starts_with("quiet: danger[renewal_overdue] "))
        .unwrap_or_else(|| panic!("{stdout}"));
    p.built_html();
    let (_, text) = warning_items(school_warnings(&p.page("de", "quiet")))
        .into_iter()
        .find(|(id, _)| id == "renewal_overdue")
        .expect("at the top");
    let sentence = text_of(line.trim_start_matches("quiet: danger[renewal_overdue] "));
    assert!(text.contains(&sentence), "{line} vs {text}");
    assert!(
        stdout.contains("quiet: note[assignment_mnspro] "),
        "{stdout}"
    );
    let denied = run(&["--deny", "warnings"]);
    assert_eq!(denied.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&denied.stderr).contains("denied by --deny warnings"));
}

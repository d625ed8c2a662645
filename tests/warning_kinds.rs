//! School warnings as declared kinds, on the basic fixture: `[warnings.steps]` moves a
//! kind to another step, its keys and values are checked with line and column, and the
//! same finding is worded in each locale the school's handbook is built in.

mod common;

use common::{step_section, text_of, Project};

const SCHOOL: &str = "content/schools/manual.toml";

/// The basic fixture with `lines` appended to handbuch.toml (which has 8 lines).
fn with_config(lines: &str) -> Project {
    let p = Project::fixture("basic");
    p.write(
        "handbuch.toml",
        &format!("{}\n{lines}", p.read("handbuch.toml")),
    );
    p
}

/// The text of warning `id` in the list at the top of a handbook page.
fn top_warning(page: &str, id: &str) -> String {
    let list = page
        .find("<ul class=\"warning-list\">")
        .expect("warning list");
    let item = page[list..]
        .find(&format!("data-warning=\"{id}\">"))
        .map(|i| list + i)
        .unwrap_or_else(|| panic!("no {id} at the top"));
    let start = item + page[item..].find('>').expect("end of tag") + 1;
    let end = start + page[start..].find("</li>").expect("end of item");
    text_of(&page[start..end])
}

#[test]
fn a_remapped_warning_is_shown_inline_at_its_new_step() {
    let before = Project::fixture("basic");
    before.built_html();
    let page = before.page("de", "manual");
    assert!(page.contains("data-warning=\"assignment_manual\""));
    assert!(
        !step_section(&page, "zweiter").contains("data-warning=\"assignment_manual\""),
        "the default step `lizenzen-zuweisen` is not in this guide"
    );

    let p = with_config("[warnings.steps]\nassignment_manual = \"zweiter\"\n");
    p.built_html();
    let page = p.page("de", "manual");
    assert!(
        step_section(&page, "zweiter").contains(
            "<p class=\"warning warning-note\" role=\"note\" data-warning=\"assignment_manual\">\
             <strong class=\"severity\">Hinweis:</strong> Ihre Schule weist Lizenzen von Hand \
             im Admin Center zu.</p>"
        ),
        "{}",
        step_section(&page, "zweiter")
    );
    assert!(
        top_warning(&page, "assignment_manual").ends_with("(siehe Schritt 2)"),
        "{}",
        top_warning(&page, "assignment_manual")
    );
    assert!(!step_section(&page, "erster").contains("data-warning=\"assignment_manual\""));
}

#[test]
fn a_remapped_kind_leaves_the_missing_step_build_warning_and_its_neighbour_stays() {
    let p = with_config("[warnings.steps]\nassignment_manual = \"zweiter\"\n");
    let warnings = p.built_html().warnings.to_string();
    let line = warnings
        .lines()
        .find(|l| l.contains("school warning(s) belong to a step"))
        .unwrap_or_else(|| panic!("{warnings}"));
    assert!(!line.contains("`assignment_manual`"), "{line}");
    assert!(
        line.contains("`assignment_mnspro` → step `lizenzen-zuweisen`"),
        "{line}"
    );

    let p = with_config("[warnings.steps]\nassignment_manual = \"nirgends\"\n");
    let warnings = p.built_html().warnings.to_string();
    assert!(
        warnings.contains("`assignment_manual` → step `nirgends`"),
        "a remap to a step the guide lacks is reported: {warnings}"
    );
}

#[test]
fn an_unknown_id_in_warnings_steps_is_an_error_at_its_key() {
    let p = with_config("[warnings.steps]\nrenewal_due = \"zweiter\"\nrenewal_dew = \"zweiter\"\n");
    let errors = p.html_errors();
    assert!(
        errors.contains("error: [warnings.steps]: `renewal_dew` is not a school warning id\n"),
        "{errors}"
    );
    assert!(errors.contains("┌─ handbuch.toml:12:1\n"), "{errors}");
    assert!(
        errors.contains("the ids are: renewal_due, renewal_overdue, renewal_unknown,"),
        "{errors}"
    );
    assert!(errors.contains("1 error in 1 file"), "{errors}");
}

#[test]
fn a_step_that_is_no_id_in_warnings_steps_is_an_error_at_its_value() {
    let p = with_config("[warnings.steps]\nrenewal_due = \"zwei ter\"\n");
    let errors = p.html_errors();
    assert!(
        errors.contains(
            "error: [warnings.steps]: `zwei ter` is not a step id (letters, digits, `-` and `_`, \
             starting with a letter)\n"
        ),
        "{errors}"
    );
    assert!(errors.contains("┌─ handbuch.toml:11:15\n"), "{errors}");
}

#[test]
fn one_finding_is_worded_in_german_and_in_english() {
    let p = Project::fixture("basic");
    p.write(
        "handbuch.toml",
        &p.read("handbuch.toml")
            .replace("locales = [\"de\"]", "locales = [\"de\", \"en\"]"),
    );
    p.write(
        SCHOOL,
        &p.read(SCHOOL).replace(
            "number = \"V2000002\"",
            "number = \"V2000002\"\nanniversary = 2026-10-01",
        ),
    );
    p.built_html();
    assert_eq!(
        top_warning(&p.page("de", "manual"), "renewal_overdue"),
        "Gefahr: Die jährliche Onlineaktivierung war am 01.10.2026 fällig und ist seit 55 Tagen \
         überfällig. Holen Sie sie sofort nach, sonst verlieren Lehrkräfte und Schüler den Zugriff."
    );
    assert_eq!(
        top_warning(&p.page("en", "manual"), "renewal_overdue"),
        "Danger: The yearly online activation was due on 1 October 2026 and is 55 days overdue. \
         Do it at once, or teachers and students lose access."
    );
}

#[test]
fn the_overview_counts_each_severity_by_name() {
    let p = Project::fixture("basic");
    p.write(
        SCHOOL,
        &p.read(SCHOOL).replace(
            "number = \"V2000002\"",
            "number = \"V2000002\"\nanniversary = 2026-10-01",
        ),
    );
    p.built_html();
    let overview = p.read("public/index.html");
    let row = &overview[overview.find("Manuelle Schule").expect("row")..];
    let row = &row[..row.find("</tr>").expect("end of row")];
    assert!(
        row.contains(
            "<span class=\"count count-danger\" aria-hidden=\"true\">1</span> \
             <span class=\"count count-warning\" aria-hidden=\"true\">2</span> \
             <span class=\"count count-note\" aria-hidden=\"true\">4</span>"
        ),
        "{row}"
    );
    assert!(row.contains("data-sort=\"1002004\""), "{row}");
}

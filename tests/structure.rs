//! One source of truth: search data made from the page's own model, step ids from the
//! Markdown parser, and error positions from the parser's offsets.

mod common;

use common::{step_section, Project};
use handbuch::step_ids;

const CHAPTER: &str = "content/guide/de/02-ende.md";

/// A chapter whose second step exists only for schools that MNSpro assigns licenses for
/// (`evil` does, `manual` does not), so the steps after it are numbered differently.
const BRANCHING: &str = "# Ende

## Vorher {#vorher}

{% if school.assignment.mode == \"mnspro\" %}
Vorher mit MNSpro.

## Nur mit MNSpro {#nur-mnspro}

MNSpro-Zuweisung prüfen.
{% else %}
Handarbeit ohne eigenen Schritt.
{% endif %}

## Gemeinsam {#gemeinsam}

Gilt für {{ school.name }}.
";

/// The JSON in the page's `<script type=\"application/json\" id=\"search-steps\">`.
fn search_steps(page: &str) -> (String, serde_json::Value) {
    let open = "<script type=\"application/json\" id=\"search-steps\">";
    let start = page.find(open).expect("search steps embedded") + open.len();
    let end = start + page[start..].find("</script>").expect("script closed");
    let raw = page[start..end].to_string();
    let json = serde_json::from_str(&raw).expect("search steps are JSON");
    (raw, json)
}

/// The first number in `text`.
fn number_in(text: &str) -> usize {
    let digits: String = text
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().expect("a number")
}

/// Every step the search data offers with its number, checked against the number the
/// page shows in that step's label.
fn search_numbers_as_shown(page: &str) -> Vec<(String, usize)> {
    let (_, steps) = search_steps(page);
    let steps = steps.as_array().expect("an array");
    steps
        .iter()
        .map(|doc| {
            let id = doc["url"].as_str().expect("url").trim_start_matches('#');
            let number = number_in(doc["title"].as_str().expect("title"));
            let section = step_section(page, id);
            let label = &section[section.find("step-label").expect("step label")..];
            assert_eq!(number, number_in(label), "step {id}: search vs page");
            (id.to_string(), number)
        })
        .collect()
}

fn located(errors: &str, message: &str, place: &str) {
    assert!(errors.contains(&format!("error: {message}\n")), "{errors}");
    assert!(errors.contains(&format!("┌─ {place}\n")), "{errors}");
}

#[test]
fn search_steps_are_numbered_like_the_page_when_branches_differ() {
    let p = Project::fixture("basic");
    p.write(CHAPTER, BRANCHING);
    p.built_html();
    let evil = search_numbers_as_shown(&p.page("de", "evil"));
    let manual = search_numbers_as_shown(&p.page("de", "manual"));
    let ids = |steps: &[(String, usize)]| -> Vec<String> {
        steps.iter().map(|(id, n)| format!("{n} {id}")).collect()
    };
    assert_eq!(
        ids(&evil),
        [
            "1 erster",
            "2 zweiter",
            "3 vorher",
            "4 nur-mnspro",
            "5 gemeinsam"
        ]
    );
    assert_eq!(
        ids(&manual),
        ["1 erster", "2 zweiter", "3 vorher", "4 gemeinsam"]
    );
}

#[test]
fn search_data_holds_only_the_branch_the_page_shows() {
    let p = Project::fixture("basic");
    p.write(CHAPTER, BRANCHING);
    p.built_html();
    let (evil, _) = search_steps(&p.page("de", "evil"));
    let (manual, _) = search_steps(&p.page("de", "manual"));
    assert!(evil.contains("MNSpro-Zuweisung prüfen."), "{evil}");
    assert!(!evil.contains("Handarbeit"), "{evil}");
    assert!(
        manual.contains("Handarbeit ohne eigenen Schritt."),
        "{manual}"
    );
    assert!(!manual.contains("MNSpro"), "{manual}");
    // 01-start.md's branches: each school's text, never the other's.
    assert!(manual.contains("Weisen Sie die Lizenzen manuell zu."));
    assert!(!manual.contains("Die Zuweisung erledigt MNSpro."));
}

#[test]
fn the_schools_search_index_holds_no_steps() {
    let p = Project::fixture("basic");
    p.write(CHAPTER, BRANCHING);
    p.built_html();
    // The sharded index: its entry, the shards of terms and the schools' records.
    let mut index = p.read("public/assets/search-de.js");
    for file in std::fs::read_dir(p.path("public/assets/search-de")).expect("shards") {
        let path = file.expect("shard").path();
        index.push_str(&std::fs::read_to_string(path).expect("read shard"));
    }
    assert!(index.starts_with("window.HANDBUCH_SEARCH = {"), "{index}");
    assert!(index.contains("handbuchSearchRecords(0,[["), "{index}");
    assert!(!index.contains("\"kind\""), "{index}");
    assert!(!index.to_lowercase().contains("gemeinsam"), "{index}");
}

#[test]
fn embedded_search_data_cannot_close_its_script_element() {
    // The school `evil` is named `<script>alert(1)</script> & *Co*`; the step shows it.
    let p = Project::fixture("basic");
    p.write(CHAPTER, BRANCHING);
    p.built_html();
    let page = p.page("de", "evil");
    let (raw, json) = search_steps(&page);
    assert!(
        !raw.contains('<') && !raw.contains('>') && !raw.contains('&'),
        "{raw}"
    );
    let gemeinsam = json
        .as_array()
        .and_then(|steps| steps.iter().find(|s| s["url"] == "#gemeinsam"))
        .expect("step gemeinsam");
    assert_eq!(
        gemeinsam["text"],
        "Gilt für <script>alert(1)</script> & *Co*."
    );
}

#[test]
fn step_ids_come_from_the_markdown_parser() {
    let body = "## Erster {#eigene-id}

```sh
## kein Schritt, nur ein Kommentar im Code
```

Zweiter Schritt
---------------

> ## Im Zitat kein Schritt

### Unterabschnitt

## Mit **Betonung** und {{ school.name }}
";
    assert_eq!(
        step_ids(body),
        [
            "eigene-id",
            "zweiter-schritt",
            "mit-betonung-und-school-name"
        ]
    );
}

#[test]
fn second_link_to_a_missing_file_points_at_its_own_line() {
    let p = Project::fixture("basic");
    // The false branch removes lines before the links for one school, so the rendered
    // Markdown and the file disagree on line numbers; the two lines are equal.
    p.write(
        CHAPTER,
        "# Ende

{% if school.assignment.mode == \"mnspro\" %}
Nur mit MNSpro.

Noch eine Zeile.
{% endif %}
Siehe [die Anleitung](files/fehlt.pdf).

Dazwischen.

Siehe [die Anleitung](files/fehlt.pdf).
",
    );
    let errors = p.html_errors();
    let message = "link to `files/fehlt.pdf` does not resolve";
    located(&errors, message, "content/guide/de/02-ende.md:8:23");
    located(&errors, message, "content/guide/de/02-ende.md:12:23");
    assert_eq!(errors.matches(message).count(), 2, "{errors}");
}

#[test]
fn reference_style_link_to_a_missing_file_is_located() {
    let p = Project::fixture("basic");
    p.write(
        CHAPTER,
        "# Ende

Für {{ school.name }}.

Siehe [das Formular][form].

[form]: files/fehlt.pdf
",
    );
    let errors = p.html_errors();
    located(
        &errors,
        "link to `files/fehlt.pdf` does not resolve",
        "content/guide/de/02-ende.md:5:7",
    );
}

#[test]
fn duplicate_id_of_a_setext_heading_is_located() {
    let p = Project::fixture("basic");
    // 01-start.md already has the step `{#zweiter}`.
    p.write(
        CHAPTER,
        "# Ende\n\nEinleitung.\n\nZweiter\n-------\n\nText.\n",
    );
    let errors = p.html_errors();
    located(
        &errors,
        "the id `zweiter` is used twice in this handbook",
        "content/guide/de/02-ende.md:5:1",
    );
}

#[test]
fn unknown_reference_in_a_templated_line_points_at_its_id() {
    let p = Project::fixture("basic");
    p.write(
        CHAPTER,
        "# Ende\n\nFür {{ school.name }} weiter mit [](#fehlt) und [](#fehlt).\n",
    );
    let errors = p.html_errors();
    located(
        &errors,
        "cross-reference to unknown id `fehlt`",
        "content/guide/de/02-ende.md:3:37",
    );
}

//! Bad input gets a precise error with file, line and column, and loses nothing.

mod common;

use common::Project;

const SCHOOL: &str = "content/schools/manual.toml";

#[test]
fn unknown_key_in_school_file_names_file_key_and_line() {
    let p = Project::fixture("basic");
    p.write(
        SCHOOL,
        &p.read(SCHOOL).replace(
            "number = \"V2000002\"",
            "number = \"V2000002\"\nanniversery = 2027-01-01",
        ),
    );
    let errors = p.errors();
    assert!(
        errors.contains("error: unknown field `anniversery`"),
        "{errors}"
    );
    assert!(
        errors.contains("content/schools/manual.toml:9:1"),
        "{errors}"
    );
    assert!(errors.contains("did you mean `anniversary`?"), "{errors}");
}

#[test]
fn missing_field_and_wrong_type_are_reported() {
    let p = Project::fixture("basic");
    p.write(
        SCHOOL,
        &p.read(SCHOOL)
            .replace("[assignment]\nmode = \"manual\"\n", ""),
    );
    assert!(
        p.errors().contains("missing field `assignment`"),
        "{}",
        p.errors()
    );
    let p = Project::fixture("basic");
    p.write(
        "content/schools/evil.toml",
        &p.read("content/schools/evil.toml")
            .replace("quantity = 3", "quantity = \"drei\""),
    );
    let errors = p.errors();
    assert!(
        errors.contains("content/schools/evil.toml:14:12"),
        "{errors}"
    );
    assert!(
        errors.contains("invalid type: string \"drei\", expected u32"),
        "{errors}"
    );
}

#[test]
fn contract_number_must_start_with_v() {
    let p = Project::fixture("basic");
    p.write(SCHOOL, &p.read(SCHOOL).replace("V2000002", "2000002"));
    let errors = p.errors();
    assert!(
        errors.contains("error: the contract number must start with V followed by digits"),
        "{errors}"
    );
    assert!(
        errors.contains("content/schools/manual.toml:8:10"),
        "{errors}"
    );
    assert!(errors.contains("expected `V` and digits"), "{errors}");
}

#[test]
fn invalid_admin_and_domain_are_reported_together() {
    let p = Project::fixture("basic");
    let text = p
        .read(SCHOOL)
        .replace("domain = \"manual.onmicrosoft.com\"", "domain = \"manual\"")
        .replace(
            "admin = \"admin@manual.onmicrosoft.com\"",
            "admin = \"admin at manual\"",
        );
    p.write(SCHOOL, &text);
    let errors = p.errors();
    assert!(
        errors.contains("the tenant domain is not a domain name")
            && errors.contains("manual.toml:4:10"),
        "{errors}"
    );
    assert!(
        errors.contains("the tenant admin is not an e-mail address")
            && errors.contains("manual.toml:5:9"),
        "{errors}"
    );
    assert!(errors.contains("2 errors in 1 file"), "{errors}");
}

#[test]
fn unknown_cross_reference_names_file_and_line() {
    let p = Project::fixture("basic");
    let chapter = "content/guide/de/01-start.md";
    p.write(
        chapter,
        &p.read(chapter)
            .replace("[](#zweiter)", "[](#gibt-es-nicht)"),
    );
    let errors = p.errors();
    assert!(
        errors.contains("error: cross-reference to unknown id `gibt-es-nicht`"),
        "{errors}"
    );
    assert!(
        errors.contains("content/guide/de/01-start.md:10:57"),
        "{errors}"
    );
    // Reported once, not once per school.
    assert_eq!(
        errors.matches("unknown id `gibt-es-nicht`").count(),
        1,
        "{errors}"
    );
}

#[test]
fn template_error_in_chapter_names_its_line() {
    let p = Project::fixture("basic");
    let chapter = "content/guide/de/02-ende.md";
    p.write(
        chapter,
        &format!("{}\n{{% if school.name %}}\nkein Ende\n", p.read(chapter)),
    );
    let errors = p.errors();
    assert!(errors.contains("template error in chapter"), "{errors}");
    assert!(errors.contains("content/guide/de/02-ende.md:"), "{errors}");
    let p = Project::fixture("basic");
    p.write(
        chapter,
        &p.read(chapter)
            .replace("{{ l.quantity }}", "{{ l.quantity }} {{ school.nope }}"),
    );
    let errors = p.errors();
    assert!(
        errors.contains("Field `nope` is not defined") && errors.contains("02-ende.md:8:"),
        "{errors}"
    );
}

#[test]
fn missing_image_is_an_error() {
    let p = Project::fixture("basic");
    std::fs::remove_file(p.path("static/img/lizenzen.svg")).expect("remove");
    let errors = p.errors();
    assert!(
        errors.contains("error: image `img/lizenzen.svg` not found")
            && errors.contains("01-start.md:22:27"),
        "{errors}"
    );
}

#[test]
fn duplicate_step_id_is_an_error() {
    let p = Project::fixture("basic");
    let chapter = "content/guide/de/02-ende.md";
    p.write(
        chapter,
        &p.read(chapter)
            .replace("## Dritter Schritt", "## Dritter Schritt {#erster}"),
    );
    let errors = p.errors();
    assert!(errors.contains("the id `erster` is used twice"), "{errors}");
}

#[test]
fn product_key_in_school_file_is_refused_without_echoing_it() {
    let p = Project::fixture("basic");
    p.write(
        SCHOOL,
        &format!("{}\n# key: ABCDE-12345-FGHIJ-67890-KLMNO\n", p.read(SCHOOL)),
    );
    let errors = p.errors();
    assert!(
        errors.contains("a product key must never be written into a handbook"),
        "{errors}"
    );
    assert!(errors.contains("manual.toml:13:8"), "{errors}");
    assert!(
        !errors.contains("67890"),
        "the key itself must not be printed: {errors}"
    );
}

#[test]
fn product_key_in_chapter_is_refused() {
    let p = Project::fixture("basic");
    let chapter = "content/guide/de/02-ende.md";
    p.write(
        chapter,
        &format!(
            "{}\nBeispiel: ABCDE-12345-FGHIJ-67890-KLMNO\n",
            p.read(chapter)
        ),
    );
    let errors = p.errors();
    assert!(
        errors.contains("a product key must never be written") && errors.contains("02-ende.md:"),
        "{errors}"
    );
    assert!(!errors.contains("FGHIJ"));
}

#[test]
fn hostile_slug_is_refused() {
    let p = Project::fixture("basic");
    p.write("content/schools/Böse Schule.toml", &p.read(SCHOOL));
    let errors = p.errors();
    assert!(
        errors.contains("`Böse Schule` cannot be used as a school slug"),
        "{errors}"
    );
}

#[test]
fn all_problems_of_a_run_are_reported() {
    let p = Project::fixture("basic");
    p.write(SCHOOL, &p.read(SCHOOL).replace("V2000002", "X"));
    let chapter = "content/guide/de/01-start.md";
    p.write(
        chapter,
        &p.read(chapter).replace("[](#zweiter)", "[](#fehlt)"),
    );
    let errors = p.errors();
    assert!(
        errors.contains("contract number") && errors.contains("unknown id `fehlt`"),
        "{errors}"
    );
    assert!(errors.contains("2 errors in 2 files"), "{errors}");
}

#[test]
fn failed_build_leaves_previous_output_untouched() {
    let p = Project::fixture("basic");
    p.built();
    let before = p.page("de", "manual");
    p.write(SCHOOL, &p.read(SCHOOL).replace("V2000002", "kaputt"));
    p.errors();
    assert_eq!(p.page("de", "manual"), before);
    assert!(
        !p.path(".public.staging").exists(),
        "staging folder removed"
    );
}

#[test]
fn stale_pages_of_removed_schools_disappear() {
    let p = Project::fixture("basic");
    p.built();
    assert!(p.path("public/de/manual/index.html").is_file());
    std::fs::remove_file(p.path(SCHOOL)).expect("remove school");
    p.built();
    assert!(!p.path("public/de/manual").exists());
    assert!(p.path("public/de/evil/index.html").is_file());
}

#[test]
fn building_one_school_keeps_the_others() {
    let p = Project::fixture("basic");
    p.built();
    let evil_before = p.page("de", "evil");
    p.write(
        SCHOOL,
        &p.read(SCHOOL)
            .replace("Manuelle Schule", "Manuelle Schule Neu"),
    );
    let mut options = p.options();
    options.schools = vec!["manual".into()];
    let report = handbuch::build(&options).expect("build one school");
    assert_eq!(report.handbooks, 1);
    assert!(p
        .page("de", "manual")
        .contains("<h1>Manuelle Schule Neu</h1>"));
    assert_eq!(p.page("de", "evil"), evil_before);
}

/// The first line of a rendered diagnostic and the `file:line:column` it points at.
fn located(errors: &str, message: &str, place: &str) {
    assert!(errors.contains(&format!("error: {message}\n")), "{errors}");
    assert!(errors.contains(&format!("┌─ {place}\n")), "{errors}");
}

#[test]
fn toml_syntax_error_in_school_file_names_file_line_and_column() {
    let p = Project::fixture("basic");
    p.write(
        SCHOOL,
        &p.read(SCHOOL)
            .replace("name = \"Manuelle Schule\"", "name = \"Manuelle Schule"),
    );
    let errors = p.errors();
    located(
        &errors,
        "invalid basic string, expected `\"`",
        "content/schools/manual.toml:1:24",
    );
    assert!(errors.contains("1 error in 1 file"), "{errors}");
}

#[test]
fn toml_syntax_error_in_site_config_names_file_line_and_column() {
    let p = Project::fixture("basic");
    p.write(
        "handbuch.toml",
        &p.read("handbuch.toml").replace("[provider]", "[provider"),
    );
    let errors = p.errors();
    located(
        &errors,
        "unclosed table, expected `]`",
        "handbuch.toml:6:10",
    );
    assert!(errors.contains("6 │ [provider\n"), "{errors}");
}

#[test]
fn unknown_key_in_front_matter_is_an_error_with_suggestion() {
    let p = Project::fixture("basic");
    let chapter = "content/guide/de/01-start.md";
    p.write(
        chapter,
        &p.read(chapter)
            .replace("title = \"Start\"", "titel = \"Start\""),
    );
    let errors = p.errors();
    located(
        &errors,
        "front matter: unknown field `titel`, expected one of `title`, `id`, `edition`, `sources`",
        "content/guide/de/01-start.md:2:1",
    );
    assert!(errors.contains("did you mean `title`?"), "{errors}");
}

#[test]
fn unclosed_front_matter_is_an_error_at_its_opening() {
    let p = Project::fixture("basic");
    let chapter = "content/guide/de/01-start.md";
    p.write(
        chapter,
        &p.read(chapter)
            .replacen("id = \"start\"\n+++\n", "id = \"start\"\n\n", 1),
    );
    let errors = p.errors();
    located(
        &errors,
        "front matter is not closed",
        "content/guide/de/01-start.md:1:1",
    );
    assert!(
        errors.contains("opened here; expected a line `+++` after the TOML"),
        "{errors}"
    );
}

#[test]
fn tera_syntax_error_names_the_line_of_the_chapter_file() {
    let p = Project::fixture("basic");
    // Line 6 of the file, after four lines of front matter and a blank line: the
    // position is in the file, not in the body tera sees.
    let chapter = "content/guide/de/01-start.md";
    p.write(
        chapter,
        &p.read(chapter)
            .replace("für {{ school.name }}.", "für {{ school.name }."),
    );
    let errors = p.errors();
    located(
        &errors,
        "template error in chapter: Found `}` but expected }}.",
        "content/guide/de/01-start.md:6:31",
    );
    assert!(
        errors.contains("6 │ Einleitung für {{ school.name }.\n"),
        "{errors}"
    );
}

#[test]
fn unknown_locale_of_a_school_is_an_error() {
    let p = Project::fixture("basic");
    p.write(
        SCHOOL,
        &p.read(SCHOOL).replace(
            "name = \"Manuelle Schule\"",
            "name = \"Manuelle Schule\"\nlocales = [\"de\", \"fr\"]",
        ),
    );
    let errors = p.errors();
    located(
        &errors,
        "unknown locale `fr`",
        "content/schools/manual.toml:2:18",
    );
    assert!(
        errors.contains("expected one of the site's locales [\"de\"]"),
        "{errors}"
    );
}

#[test]
fn duplicate_school_slug_in_two_subfolders_is_an_error() {
    let p = Project::fixture("basic");
    let school = p.read(SCHOOL);
    p.write("content/schools/nord/gym.toml", &school);
    p.write("content/schools/sued/gym.toml", &school);
    let errors = p.errors();
    // A duplicate is a matter of file names: the message names the file, no line.
    assert!(
        errors
            .contains("error: duplicate school slug `gym`\n  --> content/schools/sued/gym.toml\n"),
        "{errors}"
    );
    assert!(
        errors.contains("content/schools/nord/gym.toml has the same file name"),
        "{errors}"
    );
    assert!(errors.contains("1 error in 1 file"), "{errors}");
}

#[test]
fn duplicate_school_slug_is_reported_even_if_the_first_file_is_broken() {
    let p = Project::fixture("basic");
    let school = p.read(SCHOOL);
    p.write(
        "content/schools/nord/gym.toml",
        &school.replace("V2000002", "kaputt"),
    );
    p.write("content/schools/sued/gym.toml", &school);
    let errors = p.errors();
    assert!(
        errors.contains("the contract number must start with V")
            && errors.contains("duplicate school slug `gym`"),
        "{errors}"
    );
    assert!(errors.contains("2 errors in 2 files"), "{errors}");
}

#[test]
fn password_field_in_school_file_is_refused_without_echoing_it() {
    let p = Project::fixture("basic");
    p.write(
        SCHOOL,
        &p.read(SCHOOL).replace(
            "admin = \"admin@manual.onmicrosoft.com\"",
            "admin = \"admin@manual.onmicrosoft.com\"\npassword = \"Sommer2026!\"",
        ),
    );
    let errors = p.errors();
    located(
        &errors,
        "a password must never be written into a handbook",
        "content/schools/manual.toml:6:12",
    );
    assert!(
        errors.contains("6 │ password = *************\n"),
        "{errors}"
    );
    assert!(
        !errors.contains("Sommer") && !errors.contains("2026!"),
        "the password itself must not be printed: {errors}"
    );
}

#[test]
fn failed_build_keeps_every_output_file_byte_for_byte() {
    let p = Project::fixture("basic");
    p.built();
    let before = p.tree("public");
    assert!(before.len() > 3, "the first build wrote a site");
    p.write(SCHOOL, &p.read(SCHOOL).replace("V2000002", "kaputt"));
    p.write(
        "content/guide/de/02-ende.md",
        &format!("{}\nNeu.\n", p.read("content/guide/de/02-ende.md")),
    );
    p.errors();
    assert_eq!(
        p.tree("public"),
        before,
        "public/ changed by a failed build"
    );
    assert!(!p.path(".public.staging").exists());
}

#[test]
fn template_error_in_one_chapter_does_not_blame_references_to_it() {
    // 02-ende.md refers to #start and #erster of 01-start.md. When 01 fails to render,
    // that is its only error: no "unknown id", and nothing reported against the wrong file.
    let p = Project::fixture("basic");
    let chapter = "content/guide/de/01-start.md";
    p.write(
        chapter,
        &p.read(chapter)
            .replace("für {{ school.name }}", "für {{ school.nope }}"),
    );
    let errors = p.errors();
    located(
        &errors,
        "template error in chapter: Field `nope` is not defined. Available fields: assignment, contract, licenses, locales, name, slug, tenant",
        "content/guide/de/01-start.md:6:26",
    );
    assert!(!errors.contains("unknown id"), "{errors}");
    assert!(errors.contains("1 error in 1 file"), "{errors}");
}

#[test]
fn invalid_locale_in_site_config_names_line_and_column() {
    let p = Project::fixture("basic");
    p.write(
        "handbuch.toml",
        &p.read("handbuch.toml")
            .replace("locales = [\"de\"]", "locales = [\"de\", \"English\"]"),
    );
    let errors = p.errors();
    located(
        &errors,
        "`English` is not a locale code (expected e.g. \"de\" or \"en\")",
        "handbuch.toml:4:18",
    );
    let p = Project::fixture("basic");
    p.write(
        "handbuch.toml",
        &p.read("handbuch.toml")
            .replace("locales = [\"de\"]", "locales = [\"en\"]"),
    );
    let errors = p.errors();
    located(
        &errors,
        "default_locale `de` is not one of locales [\"en\"]",
        "handbuch.toml:3:18",
    );
}

#[test]
fn duplicate_id_from_a_title_points_at_the_second_heading() {
    let p = Project::fixture("basic");
    let chapter = "content/guide/de/02-ende.md";
    p.write(
        chapter,
        &format!("{}\n## Dritter Schritt\n", p.read(chapter)),
    );
    let errors = p.errors();
    located(
        &errors,
        "the id `dritter-schritt` is used twice in this handbook",
        "content/guide/de/02-ende.md:16:4",
    );
}

#[test]
fn link_to_a_missing_file_is_an_error_and_a_present_one_resolves() {
    let p = Project::fixture("basic");
    let chapter = "content/guide/de/02-ende.md";
    let original = p.read(chapter);
    p.write(
        chapter,
        &format!("{original}\nSiehe [die Anleitung](files/fehlt.pdf).\n"),
    );
    let errors = p.errors();
    assert!(
        errors.contains("error: link to `files/fehlt.pdf` does not resolve"),
        "{errors}"
    );
    assert!(errors.contains("content/guide/de/02-ende.md:"), "{errors}");
    p.write(
        chapter,
        &format!("{original}\nSiehe [die Übersicht](img/lizenzen.svg).\n"),
    );
    p.built();
    assert!(p
        .page("de", "evil")
        .contains("<a href=\"../../img/lizenzen.svg\">die Übersicht</a>"));
    assert!(p.path("public/de/evil/evil.pdf").is_file());
}

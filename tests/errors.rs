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

//! `check` and `build` with `--format json|github`: the JSON lines follow the committed
//! schema (docs/message-format.schema.json) with exact fields, the GitHub annotations are
//! exact and escaped, the human output stays as it was, and the exit codes do not change.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{Project, TODAY};
use serde_json::{json, Value};

const SCHOOL: &str = "content/schools/evil.toml";
const CHAPTER: &str = "content/guide/de/01-start.md";
const KEY: &str = "7QX2K-ABCD3-EFGH4-JKLM5-NPQR6";

/// `handbuch <args> --today TODAY --root <root>`, run in `dir`.
fn run_in(dir: &Path, root: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_handbuch"))
        .current_dir(dir)
        .args(args)
        .args(["--today", TODAY, "--root", root])
        .env("NO_COLOR", "1")
        .output()
        .expect("run handbuch")
}

/// In the project's folder with `--root .`, so paths read as in the repository.
fn run(p: &Project, args: &[&str]) -> Output {
    run_in(p.root(), ".", args)
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Every line of stdout as a JSON object; fails on anything else.
fn json_lines(out: &Output) -> Vec<Value> {
    let text = stdout(out);
    assert!(text.ends_with('\n'), "{text}");
    text.lines()
        .map(|line| {
            let value: Value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("not one JSON value per line ({e}): {line}"));
            assert!(value.is_object(), "{line}");
            value
        })
        .collect()
}

fn of_type<'a>(lines: &'a [Value], kind: &str) -> Vec<&'a Value> {
    lines.iter().filter(|l| l["type"] == kind).collect()
}

/// The error diagnostics (the fixture's guide always has one build warning).
fn errors(lines: &[Value]) -> Vec<&Value> {
    of_type(lines, "diagnostic")
        .into_iter()
        .filter(|d| d["severity"] == "error")
        .collect()
}

/// The summary, the last line, without its timing.
fn summary(lines: &[Value]) -> Value {
    let mut last = lines.last().expect("a summary line").clone();
    assert_eq!(last["type"], "summary");
    assert!(last["elapsed_ms"].is_u64() || last["elapsed_ms"].is_null());
    last.as_object_mut().expect("object").remove("elapsed_ms");
    last
}

fn schema() -> jsonschema::Validator {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/message-format.schema.json");
    let text = std::fs::read_to_string(path).expect("the committed schema");
    let schema: Value = serde_json::from_str(&text).expect("the schema is JSON");
    jsonschema::validator_for(&schema).expect("the schema is a valid JSON Schema")
}

fn assert_valid(lines: &[Value]) {
    let validator = schema();
    for line in lines {
        let errors: Vec<String> = validator.iter_errors(line).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{line}: {errors:?}");
    }
}

/// A cross-reference to an id no chapter has: `[](#zweit)` on line 10 of the chapter.
fn broken_xref(p: &Project) {
    p.edit(
        CHAPTER,
        "Weiter mit [](#zweiter).",
        "Weiter mit [](#zweit).",
    );
}

/// The activation of `evil` is due 23 days after TODAY: a `renewal_due` warning.
fn renewal_due(p: &Project) {
    p.edit(
        SCHOOL,
        "anniversary = 2027-01-15",
        "anniversary = 2026-12-18",
    );
}

#[test]
fn json_lines_of_a_failed_and_a_good_run_follow_the_committed_schema() {
    let p = Project::fixture("basic");
    renewal_due(&p);
    let good = json_lines(&run(&p, &["check", "--format", "json"]));
    assert!(of_type(&good, "school_warning").len() >= 2, "{good:?}");
    assert_valid(&good);
    let built = json_lines(&run(&p, &["build", "--no-pdf", "--format", "json"]));
    assert_valid(&built);
    broken_xref(&p);
    p.edit(SCHOOL, "[tenant]", "colour = \"red\"\n\n[tenant]");
    let failed = json_lines(&run(&p, &["check", "--format", "json"]));
    assert_eq!(errors(&failed).len(), 2, "{failed:?}");
    assert_valid(&failed);
}

#[test]
fn the_schema_refuses_a_line_without_its_version_or_with_an_unknown_type() {
    let validator = schema();
    let summary = json!({"type": "summary", "command": "check", "success": true, "exit_code": 0,
        "schools": 1, "handbooks": 1, "pdfs": 0, "out": null, "elapsed_ms": 3, "errors": 0,
        "warnings": 0, "school_warnings": {"note": 0, "warning": 0, "danger": 0}, "denied": false});
    assert!(!validator.is_valid(&summary), "no schema version");
    let mut versioned = summary.clone();
    versioned["schema"] = json!(1);
    assert!(validator.is_valid(&versioned));
    versioned["type"] = json!("progress");
    assert!(!validator.is_valid(&versioned));
}

#[test]
fn a_broken_cross_reference_is_one_diagnostic_with_its_place_and_code() {
    let p = Project::fixture("basic");
    broken_xref(&p);
    let out = run(&p, &["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let lines = json_lines(&out);
    let d = errors(&lines);
    assert_eq!(d.len(), 1, "{lines:?}");
    let mut d = d[0].clone();
    let rendered = d["rendered"].as_str().expect("rendered").to_string();
    assert!(
        rendered.starts_with(
            "error: cross-reference to unknown id `zweit`\n   ┌─ content/guide/de/01-start.md:10:57\n"
        ),
        "{rendered}"
    );
    d.as_object_mut().expect("object").remove("rendered");
    assert_eq!(
        d,
        json!({
            "type": "diagnostic",
            "schema": 1,
            "severity": "error",
            "code": "chapter.broken-xref",
            "file": "content/guide/de/01-start.md",
            "line": 10,
            "column": 57,
            "end_line": 10,
            "end_column": 63,
            "message": "cross-reference to unknown id `zweit`",
            "label": "no chapter, step or heading has this id",
            "notes": [
                "a reference names the id of a chapter (front matter `id`) or a step (`## Title {#id}`)",
                "while building the handbook of `evil` (de)",
                "while building the handbook of `manual` (de)"
            ]
        })
    );
}

#[test]
fn an_unknown_key_in_a_school_file_is_school_unknown_key_with_its_hint() {
    let p = Project::fixture("basic");
    p.edit(SCHOOL, "anniversary =", "anniversery =");
    let lines = json_lines(&run(&p, &["check", "--format", "json"]));
    let d = errors(&lines);
    assert_eq!(d.len(), 1, "{lines:?}");
    assert_eq!(d[0]["code"], "school.unknown-key");
    assert_eq!(d[0]["file"], SCHOOL);
    assert_eq!((&d[0]["line"], &d[0]["column"]), (&json!(10), &json!(1)));
    assert_eq!(d[0]["notes"], json!(["did you mean `anniversary`?"]));
}

#[test]
fn a_school_warning_carries_its_typed_values_step_and_text() {
    let p = Project::fixture("basic");
    renewal_due(&p);
    let lines = json_lines(&run(&p, &["check", "--format", "json"]));
    let due: Vec<&Value> = of_type(&lines, "school_warning")
        .into_iter()
        .filter(|w| w["id"] == "renewal_due")
        .collect();
    assert_eq!(due.len(), 1, "{lines:?}");
    // The words are the human output's, word for word.
    let human = stdout(&run(&p, &["check"]));
    let text = human
        .lines()
        .find_map(|l| l.strip_prefix("evil: warning[renewal_due] "))
        .unwrap_or_else(|| panic!("{human}"));
    assert_eq!(
        *due[0],
        json!({
            "type": "school_warning",
            "schema": 1,
            "slug": "evil",
            "file": SCHOOL,
            "locale": "de",
            "id": "renewal_due",
            "severity": "warning",
            "step": "jaehrliche-aktivierung",
            "args": {
                "date": {"type": "date", "value": "2026-12-18"},
                "days": {"type": "days", "value": 23}
            },
            "text": text
        })
    );
}

#[test]
fn json_mode_prints_one_object_per_line_on_stdout_and_nothing_on_stderr() {
    let p = Project::fixture("basic");
    broken_xref(&p);
    for args in [
        &["check", "--format", "json"][..],
        &["build", "--no-pdf", "--format", "json"],
    ] {
        let out = run(&p, args);
        assert_eq!(stderr(&out), "", "{args:?}");
        let text = stdout(&out);
        assert_eq!(json_lines(&out).len(), text.lines().count());
        assert!(text.lines().all(|l| l.starts_with("{\"type\":")), "{text}");
    }
}

#[test]
fn the_summary_of_a_good_check_counts_schools_handbooks_and_warnings() {
    let p = Project::fixture("basic");
    renewal_due(&p);
    let out = run(&p, &["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let lines = json_lines(&out);
    let count = |severity: &str| {
        of_type(&lines, "school_warning")
            .iter()
            .filter(|w| w["severity"] == severity)
            .count()
    };
    assert!(count("warning") >= 1 && count("note") >= 1, "{lines:?}");
    assert_eq!(
        summary(&lines),
        json!({
            "type": "summary",
            "schema": 1,
            "command": "check",
            "success": true,
            "exit_code": 0,
            "schools": 2,
            "handbooks": 2,
            "pdfs": 2,
            "reused": 0,
            "rendered": 2,
            "out": null,
            "errors": 0,
            "warnings": 1,
            "school_warnings": {
                "note": count("note"),
                "warning": count("warning"),
                "danger": count("danger")
            },
            "denied": false
        })
    );
}

#[test]
fn the_summary_of_a_build_names_the_output_folder() {
    let p = Project::fixture("basic");
    let out = run(&p, &["build", "--no-pdf", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let s = summary(&json_lines(&out));
    assert_eq!(
        (&s["command"], &s["pdfs"], &s["handbooks"], &s["out"]),
        (&json!("build"), &json!(0), &json!(2), &json!("./public"))
    );
    assert!(p.path("public/de/evil/index.html").is_file());
}

#[test]
fn the_summary_of_a_failed_check_counts_errors_and_nothing_made() {
    let p = Project::fixture("basic");
    broken_xref(&p);
    let s = summary(&json_lines(&run(&p, &["check", "--format", "json"])));
    assert_eq!(
        s,
        json!({
            "type": "summary",
            "schema": 1,
            "command": "check",
            "success": false,
            "exit_code": 1,
            "schools": null,
            "handbooks": null,
            "pdfs": null,
            "out": null,
            "errors": 1,
            "warnings": 1,
            "school_warnings": {"note": 0, "warning": 0, "danger": 0},
            "denied": false
        })
    );
}

#[test]
fn a_product_key_and_a_password_never_reach_the_json() {
    let p = Project::fixture("basic");
    p.write(
        SCHOOL,
        &format!(
            "{}\n# {KEY}\n[extra]\npasswort = \"Geheim-123\"\n",
            p.read(SCHOOL)
        ),
    );
    let out = run(&p, &["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let lines = json_lines(&out);
    let codes: Vec<&Value> = of_type(&lines, "diagnostic")
        .iter()
        .map(|d| &d["code"])
        .collect();
    assert!(
        codes.contains(&&json!("secret.product-key")) && codes.contains(&&json!("secret.password")),
        "{codes:?}"
    );
    for secret in ["7QX2K-ABCD3", "EFGH4-JKLM5", "Geheim-123"] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
}

#[test]
fn github_annotation_of_a_diagnostic_is_exact() {
    let p = Project::fixture("basic");
    broken_xref(&p);
    let out = run(&p, &["check", "--format", "github"]);
    assert_eq!(out.status.code(), Some(1));
    let annotations = stdout(&out);
    let lines: Vec<&str> = annotations.lines().collect();
    assert_eq!(lines.len(), 2, "{annotations}");
    // The build warning of the fixture's guide, at its folder, without a line.
    assert!(
        lines[0].starts_with(
            "::warning file=content/guide/de,title=chapter.warning-step-missing::19 school \
             warning(s) belong to a step"
        ),
        "{annotations}"
    );
    assert_eq!(
        lines[1],
        "::error file=content/guide/de/01-start.md,line=10,col=57,endLine=10,endColumn=63,\
         title=chapter.broken-xref::cross-reference to unknown id `zweit`\
         %0Ano chapter, step or heading has this id\
         %0Anote: a reference names the id of a chapter (front matter `id`) or a step \
         (`## Title {#id}`)\
         %0Anote: while building the handbook of `evil` (de)\
         %0Anote: while building the handbook of `manual` (de)"
    );
    // The log keeps the human report, with its source line.
    let log = stderr(&out);
    assert!(
        log.contains("10 │ Vertrag **{{ school.contract.number }}**. Weiter mit [](#zweit).")
            && log.ends_with("1 error in 1 file, 1 warning\n"),
        "{log}"
    );
}

#[test]
fn github_escapes_percent_newline_colon_and_comma() {
    let parent = tempfile::tempdir().expect("temp dir");
    let p = Project::fixture("basic");
    let name = "pro%j:ect,1";
    std::fs::rename(p.root(), parent.path().join(name)).expect("move the project");
    let root = parent.path().join(name);
    let school = root.join(SCHOOL);
    let text = std::fs::read_to_string(&school).expect("read");
    std::fs::write(&school, text.replace("[tenant]", "\"a%b\" = 1\n\n[tenant]")).expect("write");
    let out = run_in(parent.path(), name, &["check", "--format", "github"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let annotations = stdout(&out);
    let errors: Vec<&str> = annotations
        .lines()
        .filter(|l| l.starts_with("::error"))
        .collect();
    assert_eq!(errors.len(), 1, "{annotations}");
    let line = errors[0];
    let expected_start = "::error file=pro%25j%3Aect%2C1/content/schools/evil.toml,\
                          line=3,col=1,endLine=3,endColumn=6,title=school.unknown-key\
                          ::unknown field `a%25b`, expected one of `name`, ";
    assert!(line.starts_with(expected_start), "{line}");
    // The note of the guide's warning is on the same line, after an escaped newline.
    assert!(
        annotations.contains("`renewal_due = \"my-step\"`\n::error")
            && annotations.contains("%0Anote: they are shown only"),
        "{annotations}"
    );
}

#[test]
fn github_school_warnings_are_warnings_and_notices_at_the_school_file() {
    let p = Project::fixture("basic");
    renewal_due(&p);
    let out = run(&p, &["check", "--format", "github"]);
    assert_eq!(out.status.code(), Some(0));
    let human = stdout(&run(&p, &["check"]));
    let text = human
        .lines()
        .find_map(|l| l.strip_prefix("evil: warning[renewal_due] "))
        .unwrap_or_else(|| panic!("{human}"));
    let annotations = stdout(&out);
    let expected = format!(
        "::warning file=content/schools/evil.toml,title=warning renewal_due (evil)::{text}"
    );
    assert!(annotations.lines().any(|l| l == expected), "{annotations}");
    let notes = human.lines().filter(|l| l.contains(": note[")).count();
    assert!(notes > 0, "{human}");
    assert_eq!(
        annotations
            .lines()
            .filter(|l| l.starts_with("::notice file=content/schools/"))
            .count(),
        notes,
        "{annotations}"
    );
    let at_schools = annotations
        .lines()
        .filter(|l| l.contains(" file=content/schools/"))
        .count();
    assert_eq!(at_schools, human.lines().count(), "{annotations}");
    // The school warnings are not listed twice: the log has the human report without them.
    let log = stderr(&out);
    assert!(
        !log.contains("evil: ") && log.contains("\nchecked 2 handbooks"),
        "{log}"
    );
}

#[test]
fn human_output_is_the_default_and_unchanged() {
    let p = Project::fixture("basic");
    renewal_due(&p);
    let default = run(&p, &["check"]);
    let human = run(&p, &["check", "--format", "human"]);
    assert_eq!(stdout(&default), stdout(&human));
    assert!(stdout(&default)
        .lines()
        .any(|l| l.starts_with("evil: warning[renewal_due] ")));
    let tail = |o: &Output| stderr(o).replace(|c: char| c.is_ascii_digit(), "#");
    assert_eq!(tail(&default), tail(&human));
    assert!(stderr(&default).contains("\nchecked 2 handbooks (2 PDFs) of 2 schools in "));
}

#[test]
fn exit_codes_are_the_same_in_every_format() {
    let p = Project::fixture("basic");
    renewal_due(&p);
    let codes = |args: &[&str]| -> Vec<Option<i32>> {
        ["human", "json", "github"]
            .iter()
            .map(|format| {
                let mut all = args.to_vec();
                all.extend(["--format", format]);
                run(&p, &all).status.code()
            })
            .collect()
    };
    assert_eq!(codes(&["check"]), [Some(0); 3]);
    assert_eq!(codes(&["check", "--deny", "warnings"]), [Some(1); 3]);
    let denied = summary(&json_lines(&run(
        &p,
        &["check", "--deny", "warnings", "--format", "json"],
    )));
    assert_eq!(
        (&denied["denied"], &denied["success"]),
        (&json!(true), &json!(false))
    );
    std::fs::create_dir(p.path("foreign")).expect("mkdir");
    std::fs::write(p.path("foreign/notes.txt"), "mine").expect("write");
    assert_eq!(
        codes(&["build", "--no-pdf", "--out", "foreign"]),
        [Some(2); 3]
    );
    let refused = json_lines(&run(
        &p,
        &["build", "--no-pdf", "--out", "foreign", "--format", "json"],
    ));
    assert_eq!(refused[0]["code"], "output.refused");
    assert_eq!(summary(&refused)["exit_code"], 2);
    broken_xref(&p);
    assert_eq!(codes(&["check"]), [Some(1); 3]);
    assert_eq!(
        run(&p, &["check", "--format", "xml"]).status.code(),
        Some(2)
    );
}

#[test]
fn the_newer_checks_have_codes_of_their_own() {
    let p = Project::fixture("basic");
    p.edit(
        CHAPTER,
        "Weiter mit [](#zweiter).",
        "Weiter mit [](#zweiter). ![](logo.png) Das Wort ആ.",
    );
    let out = run(&p, &["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let lines = json_lines(&out);
    assert_valid(&lines);
    let codes: Vec<&str> = errors(&lines)
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert!(codes.contains(&"chapter.missing-alt"), "{codes:?}");
    assert!(codes.contains(&"chapter.no-glyph"), "{codes:?}");
}

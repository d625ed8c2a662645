//! `handbuch import`: school files from CSV, XLSX and ODS sheets, every bad cell
//! named as `file: Sheet!D14`, secrets refused unseen, `--update` and `--dry-run`.

mod common;

use std::path::Path;
use std::process::Command;

use common::Project;
use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// `handbuch import ARGS` run inside the project, so messages name the sheet as given.
fn import(p: &Project, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_handbuch"))
        .current_dir(p.root())
        .arg("import")
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run handbuch");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn succeeded(run: &Run) {
    assert_eq!(run.code, Some(0), "{}{}", run.stdout, run.stderr);
}

/// The lines of stderr that name a problem (not the labels and notes under them).
fn problems(run: &Run) -> Vec<String> {
    assert_eq!(run.code, Some(1), "{}{}", run.stdout, run.stderr);
    run.stderr
        .lines()
        .filter(|l| !l.starts_with("  ") && !l.contains("nothing written"))
        .map(str::to_string)
        .collect()
}

fn schools(p: &Project) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(p.path("content/schools"))
        .expect("schools folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn checks(p: &Project) -> usize {
    match p.check() {
        Ok(report) => report.schools,
        Err(e) => panic!("the imported files do not check:\n{e}"),
    }
}

const HEADER: &str = "Schule;Tenant-Domain;Tenant-ID;Administrator;Vertragsnummer;Bestellnummern;Bestelladresse;Kontotyp;Nächste Aktivierung;Abo-Ende;Zuweisung;Produkt;Anzahl;Produkt 2;Anzahl 2";
const UEBERSEE: &str = "Grundschule Übersee;gs-uebersee.onmicrosoft.com;3F2B8C1E-7A4D-4E2F-9B6A-1C0D5E8F7A21;admin@gs-uebersee.onmicrosoft.com;V3000003;60012345 60012346;verwaltung@gs-uebersee.de;Geschäftskonto;01.08.2027;2028-07-31;manuell;Microsoft 365 A1 für Schülerinnen und Schüler;120;;";
const SUED: &str = "Gymnasium Süd;gym-sued.onmicrosoft.com;;;V3000004;;;;46631;;MNSpro;A3 für Lehrkräfte;45;A1 für Schüler;900";

/// What the first row of the CSV fixtures becomes: laid out like a hand-written file.
const UEBERSEE_TOML: &str = r#"name = "Grundschule Übersee"

[tenant]
domain = "gs-uebersee.onmicrosoft.com"
id = "3F2B8C1E-7A4D-4E2F-9B6A-1C0D5E8F7A21"
admin = "admin@gs-uebersee.onmicrosoft.com"

[contract]
number = "V3000003"
orders = ["60012345", "60012346"]
order_email = "verwaltung@gs-uebersee.de"
vlsc_account = "work"
anniversary = 2027-08-01
subscription_end = 2028-07-31

[[licenses]]
product = "Microsoft 365 A1 für Schülerinnen und Schüler"
quantity = 120

[assignment]
mode = "manual"
"#;

#[test]
fn csv_with_semicolons_in_windows_1252_keeps_umlauts_and_checks() {
    let p = Project::fixture("basic");
    let text = format!("{HEADER}\r\n{UEBERSEE}\r\n{SUED}\r\n");
    let (bytes, _, lossy) = encoding_rs::WINDOWS_1252.encode(&text);
    assert!(!lossy);
    std::fs::write(p.path("schulen.csv"), &bytes).expect("write");
    let run = import(&p, &["schulen.csv"]);
    succeeded(&run);
    assert_eq!(
        run.stdout,
        "content/schools/grundschule-uebersee.toml: created\ncontent/schools/gymnasium-sued.toml: created\n"
    );
    assert!(run
        .stderr
        .contains("imported 2 schools from schulen.csv: 2 created, 0 updated, 0 unchanged"));
    assert_eq!(
        p.read("content/schools/grundschule-uebersee.toml"),
        UEBERSEE_TOML
    );
    let sued = p.read("content/schools/gymnasium-sued.toml");
    assert!(sued.contains("anniversary = 2027-09-01\n"), "{sued}");
    assert!(sued.contains("mode = \"mnspro\"\n"), "{sued}");
    assert!(
        sued.contains("[[licenses]]\nproduct = \"A1 für Schüler\"\nquantity = 900\n"),
        "{sued}"
    );
    assert_eq!(checks(&p), 4);
}

#[test]
fn csv_with_commas_in_utf8_with_a_byte_order_mark_checks() {
    let p = Project::fixture("basic");
    let text = "\u{FEFF}Name,Tenant domain,Contract,Next activation,Assignment,Orders\n\
         \"Grundschule Übersee\",gs-uebersee.onmicrosoft.com,V3000003,2027-08-01,manual,\"1, 2; 3\"\n";
    p.write("schools.csv", text);
    succeeded(&import(&p, &["schools.csv"]));
    let file = p.read("content/schools/grundschule-uebersee.toml");
    assert!(
        file.starts_with("name = \"Grundschule Übersee\"\n"),
        "{file}"
    );
    assert!(file.contains("orders = [\"1\", \"2\", \"3\"]\n"), "{file}");
    assert_eq!(checks(&p), 3);
}

fn xlsx(path: &Path, rows: &[&[Value]]) {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Tabelle1").expect("name");
    let date = Format::new().set_num_format("dd.mm.yyyy");
    for (r, row) in rows.iter().enumerate() {
        for (c, value) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            match value {
                Value::Text(t) => sheet.write_string(r, c, *t).map(|_| ()),
                Value::Number(n) => sheet.write_number(r, c, *n).map(|_| ()),
                Value::Date(y, m, d) => {
                    let day = ExcelDateTime::from_ymd(*y, *m, *d).expect("date");
                    sheet
                        .write_datetime_with_format(r, c, &day, &date)
                        .map(|_| ())
                }
                Value::Formula(f, result) => sheet
                    .write_formula(r, c, Formula::new(*f).set_result(*result))
                    .map(|_| ()),
                Value::Empty => Ok(()),
            }
            .expect("write cell");
        }
    }
    book.save(path).expect("save xlsx");
}

enum Value {
    Text(&'static str),
    Number(f64),
    Date(u16, u8, u8),
    Formula(&'static str, &'static str),
    Empty,
}

use Value::{Date, Empty, Number, Text};

const XLSX_HEADER: [Value; 8] = [
    Text("Schule"),
    Text("Kürzel"),
    Text("Tenant-Domain"),
    Text("Vertragsnummer"),
    Text("Nächste Aktivierung"),
    Text("Zuweisung"),
    Text("Produkt"),
    Text("Anzahl"),
];

#[test]
fn xlsx_with_date_cells_numbers_and_formulas_checks() {
    let p = Project::fixture("basic");
    xlsx(
        &p.path("schulen.xlsx"),
        &[
            &XLSX_HEADER,
            &[
                Text("Realschule Köln"),
                Text("rs-koeln"),
                Text("rs-koeln.onmicrosoft.com"),
                Text("V4000004"),
                Date(2027, 8, 1),
                Text("mnspro"),
                Text("A3"),
                Value::Formula("=20*2", "40"),
            ],
            &[Empty],
            &[
                Text("Grundschule Au"),
                Empty,
                Text("gs-au.onmicrosoft.com"),
                Text("V4000005"),
                Number(46631.0),
                Text("Manual"),
                Text("A1"),
                Number(300.0),
            ],
        ],
    );
    let run = import(&p, &["schulen.xlsx"]);
    succeeded(&run);
    let koeln = p.read("content/schools/rs-koeln.toml");
    assert!(koeln.contains("anniversary = 2027-08-01\n"), "{koeln}");
    assert!(koeln.contains("quantity = 40\n"), "{koeln}");
    let au = p.read("content/schools/grundschule-au.toml");
    assert!(au.contains("anniversary = 2027-09-01\n"), "{au}");
    assert!(au.contains("mode = \"manual\"\n"), "{au}");
    assert_eq!(checks(&p), 4);
}

#[test]
fn ods_fixture_with_date_cells_checks() {
    let p = Project::fixture("basic");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/schulen.ods");
    std::fs::copy(fixture, p.path("schulen.ods")).expect("copy");
    succeeded(&import(&p, &["schulen.ods"]));
    let file = p.read("content/schools/grundschule-uebersee.toml");
    assert!(file.contains("anniversary = 2027-08-01\n"), "{file}");
    assert!(file.contains("quantity = 120\n"), "{file}");
    assert!(p.path("content/schools/gym-sued.toml").is_file());
    assert_eq!(checks(&p), 4);
}

#[test]
fn each_bad_cell_of_an_ods_sheet_is_named_with_sheet_and_cell() {
    let p = Project::fixture("basic");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/fehler.ods");
    std::fs::copy(fixture, p.path("fehler.ods")).expect("copy");
    let before = schools(&p);
    let run = import(&p, &["fehler.ods"]);
    assert_eq!(
        problems(&run),
        [
            "fehler.ods: Schulen!C2: the tenant domain is not a domain name",
            "fehler.ods: Schulen!D3: the contract number must start with V followed by digits",
        ]
    );
    assert!(run
        .stderr
        .ends_with("2 errors in fehler.ods; nothing written\n"));
    assert_eq!(schools(&p), before);
}

#[test]
fn every_problem_of_an_xlsx_sheet_is_reported_at_once_and_nothing_written() {
    let p = Project::fixture("basic");
    xlsx(
        &p.path("schulen.xlsx"),
        &[
            &XLSX_HEADER,
            &[
                Text("Gute Schule"),
                Text("gut"),
                Text("gut.onmicrosoft.com"),
                Text("V1"),
                Date(2027, 8, 1),
                Text("mnspro"),
                Text("A3"),
                Number(3.0),
            ],
            &[
                Text("Schule B"),
                Text("B Schule"),
                Text("kein domain"),
                Text("V2"),
                Text("32.13.2027"),
                Text("irgendwie"),
                Text("A3"),
                Text("zehn"),
            ],
            &[
                Empty,
                Text("c"),
                Text("c.onmicrosoft.com"),
                Text("3"),
                Empty,
                Text("manuell"),
                Empty,
                Empty,
            ],
        ],
    );
    let run = import(&p, &["schulen.xlsx"]);
    assert_eq!(
        problems(&run),
        [
            "schulen.xlsx: Tabelle1!B3: `B Schule` cannot be used as a school slug",
            "schulen.xlsx: Tabelle1!E3: `32.13.2027` is not a date",
            "schulen.xlsx: Tabelle1!F3: unknown variant `irgendwie`, expected `mnspro` or `manual`",
            "schulen.xlsx: Tabelle1!H3: invalid type: string \"zehn\", expected u32",
            "schulen.xlsx: Tabelle1!C3: the tenant domain is not a domain name",
            "schulen.xlsx: Tabelle1!A4: `Schule` is empty",
            "schulen.xlsx: Tabelle1!D4: the contract number must start with V followed by digits",
        ]
    );
    assert!(!p.path("content/schools/gut.toml").exists());
}

#[test]
fn csv_cells_are_named_without_a_sheet() {
    let p = Project::fixture("basic");
    p.write(
        "schulen.csv",
        "Schule;Tenant-Domain;Vertragsnummer;Zuweisung;Dienstleisterzugang;Tenant-ID\n\
         Schule A;a.onmicrosoft.com;V1;manuell;vielleicht;123\n",
    );
    let run = import(&p, &["schulen.csv"]);
    assert_eq!(
        problems(&run),
        [
            "schulen.csv: E2: `vielleicht` is not yes or no",
            "schulen.csv: F2: the tenant id is not a GUID",
        ]
    );
}

#[test]
fn an_unknown_header_is_an_error_at_its_cell_with_a_suggestion() {
    let p = Project::fixture("basic");
    p.write(
        "schulen.csv",
        "Schule;Tenant-Domain;Vertragsnumer;Zuweisung;Farbe\nSchule A;a.onmicrosoft.com;V1;manuell;blau\n",
    );
    let run = import(&p, &["schulen.csv"]);
    assert_eq!(
        problems(&run),
        [
            "schulen.csv: C1: unknown column `Vertragsnumer`",
            "schulen.csv: E1: unknown column `Farbe`",
            "schulen.csv: 1:1: the column `Vertragsnummer` is missing",
        ]
    );
    assert!(run
        .stderr
        .contains("schulen.csv: C1: unknown column `Vertragsnumer`\n  = note: did you mean `Vertragsnummer`?\n"));
}

#[test]
fn product_keys_and_password_columns_are_refused_and_never_echoed() {
    let p = Project::fixture("basic");
    p.write(
        "schulen.csv",
        "Schule;Tenant-Domain;Vertragsnummer;Zuweisung;Admin-Kennwort;Notiz\n\
         Schule A;a.onmicrosoft.com;V1;manuell;Geheim123!;ABCDE-12345-FGHIJ-67890-KLMNO\n\
         ABCDE-12345-FGHIJ-67890-KLMNP;b.onmicrosoft.com;V2;manuell;;\n",
    );
    let run = import(&p, &["schulen.csv"]);
    assert_eq!(
        problems(&run),
        [
            "schulen.csv: E1: this column is named like a password or key, which must never be written into a handbook",
            "schulen.csv: F1: unknown column `Notiz`",
            "schulen.csv: F2: a product key must never be written into a handbook",
            "schulen.csv: A3: a product key must never be written into a handbook",
        ]
    );
    for secret in ["Geheim123", "67890", "KLMN"] {
        assert!(!run.stderr.contains(secret), "{}", run.stderr);
    }
}

#[test]
fn duplicate_slugs_in_the_sheet_are_errors_at_the_later_cell() {
    let p = Project::fixture("basic");
    p.write(
        "schulen.csv",
        "Schule;Tenant-Domain;Vertragsnummer;Zuweisung\n\
         Schule Nord;a.onmicrosoft.com;V1;manuell\n\
         Schule  Nord!;b.onmicrosoft.com;V2;manuell\n",
    );
    let run = import(&p, &["schulen.csv"]);
    assert_eq!(
        problems(&run),
        ["schulen.csv: A3: the slug `schule-nord` is used twice"]
    );
    assert!(
        run.stderr.contains("= note: schulen.csv: A2 has it too"),
        "{}",
        run.stderr
    );
}

const MANUAL_WITH_COMMENTS: &str = r#"# Gepflegt von Hand: Kommentare bleiben.
name = "Manuelle Schule" # laut Schulträger

[tenant]
domain = "manual.onmicrosoft.com"
# seit 2025
admin = "admin@manual.onmicrosoft.com" # Hauptkonto

[contract]
number = "V2000002"

[assignment]
mode = "manual"
"#;

const MANUAL_SHEET: &str = "Kürzel;Schule;Tenant-Domain;Administrator;Vertragsnummer;Nächste Aktivierung;Zuweisung\n\
                            manual;Manuelle Schule;manual.onmicrosoft.com;it@manual.onmicrosoft.com;V2000002;01.08.2027;manuell\n\
                            neu;Neue Schule;neu.onmicrosoft.com;;V2000003;;manuell\n";

#[test]
fn an_existing_school_is_an_error_without_update() {
    let p = Project::fixture("basic");
    p.write("schulen.csv", MANUAL_SHEET);
    let run = import(&p, &["schulen.csv"]);
    assert_eq!(
        problems(&run),
        ["schulen.csv: A2: content/schools/manual.toml already exists"]
    );
    assert!(!p.path("content/schools/neu.toml").exists());
}

#[test]
fn update_changes_only_differing_fields_and_keeps_comments() {
    let p = Project::fixture("basic");
    p.write("content/schools/manual.toml", MANUAL_WITH_COMMENTS);
    p.write("schulen.csv", MANUAL_SHEET);
    let run = import(&p, &["schulen.csv", "--update"]);
    succeeded(&run);
    assert_eq!(
        run.stdout,
        "content/schools/manual.toml: updated\n\
         \x20 tenant.admin: admin@manual.onmicrosoft.com → it@manual.onmicrosoft.com\n\
         \x20 contract.anniversary: (none) → 2027-08-01\n\
         content/schools/neu.toml: created\n"
    );
    assert_eq!(
        p.read("content/schools/manual.toml"),
        MANUAL_WITH_COMMENTS
            .replace("admin@manual", "it@manual")
            .replace(
                "number = \"V2000002\"\n",
                "number = \"V2000002\"\nanniversary = 2027-08-01\n"
            )
    );
    assert_eq!(checks(&p), 3);
    // Once more: nothing differs now.
    let again = import(&p, &["schulen.csv", "--update"]);
    succeeded(&again);
    assert_eq!(
        again.stdout,
        "content/schools/manual.toml: unchanged\ncontent/schools/neu.toml: unchanged\n"
    );
}

#[test]
fn dry_run_writes_nothing_and_says_what_would_happen() {
    let p = Project::fixture("basic");
    p.write("content/schools/manual.toml", MANUAL_WITH_COMMENTS);
    p.write("schulen.csv", MANUAL_SHEET);
    let before = p.tree("content");
    let run = import(&p, &["schulen.csv", "--update", "--dry-run"]);
    succeeded(&run);
    assert!(run
        .stdout
        .starts_with("content/schools/manual.toml: would be updated\n"));
    assert!(run
        .stdout
        .ends_with("content/schools/neu.toml: would be created\n"));
    assert!(run
        .stderr
        .contains("checked (dry run, nothing written) 2 schools"));
    assert_eq!(p.tree("content"), before);
}

#[test]
fn the_template_imports_as_it_is() {
    let p = Project::fixture("basic");
    let run = import(&p, &["--template", "vorlage.csv"]);
    succeeded(&run);
    let bytes = std::fs::read(p.path("vorlage.csv")).expect("template");
    assert!(bytes.starts_with(b"\xEF\xBB\xBFSchule;K\xC3\xBCrzel;Sprachen;Tenant-Domain;"));
    // A second call never replaces the file.
    assert_eq!(import(&p, &["--template", "vorlage.csv"]).code, Some(1));
    succeeded(&import(&p, &["vorlage.csv"]));
    let file = p.read("content/schools/beispielschule.toml");
    assert!(file.contains("anniversary = 2027-08-01\n"), "{file}");
    assert!(file.contains("quantity = 600\n"), "{file}");
    assert_eq!(checks(&p), 3);
}

#[test]
fn damaged_and_odd_files_are_refused_without_a_panic() {
    let p = Project::fixture("basic");
    let mut garbage = vec![0u8, 159, 146, 150, 255, 0, 1, 2];
    garbage.extend((0..2000u32).map(|i| (i * 7919 % 256) as u8));
    std::fs::write(p.path("binaer.csv"), &garbage).expect("write");
    std::fs::write(p.path("kaputt.xlsx"), &garbage).expect("write");
    xlsx(&p.path("ganz.xlsx"), &[&XLSX_HEADER]);
    let whole = std::fs::read(p.path("ganz.xlsx")).expect("read");
    std::fs::write(p.path("halb.xlsx"), &whole[..whole.len() / 2]).expect("write");
    xlsx(&p.path("leer.xlsx"), &[]);
    p.write("leer.csv", "");
    p.write("notizen.txt", "Schule\n");
    let cases = [
        ("binaer.csv", "binaer.csv: the file is not a CSV text file"),
        ("kaputt.xlsx", "kaputt.xlsx: cannot read the workbook: "),
        ("halb.xlsx", "halb.xlsx: cannot read the workbook: "),
        ("leer.xlsx", "leer.xlsx: the sheet is empty"),
        ("leer.csv", "leer.csv: the sheet is empty"),
        (
            "notizen.txt",
            "notizen.txt: cannot import this kind of file",
        ),
        ("fehlt.csv", "fehlt.csv: cannot read file: "),
    ];
    for (file, expected) in cases {
        let run = import(&p, &[file]);
        assert_eq!(run.code, Some(1), "{file}: {}", run.stderr);
        assert!(run.stderr.starts_with(expected), "{file}: {}", run.stderr);
        assert!(!run.stderr.contains("panicked"), "{file}: {}", run.stderr);
    }
    // A sheet with only its header is no error: there is nothing to import.
    succeeded(&import(&p, &["ganz.xlsx"]));
}

#[test]
fn merged_cells_count_as_the_top_left_value() {
    let p = Project::fixture("basic");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let plain = Format::new();
    for (c, header) in ["Schule", "Tenant-Domain", "Vertragsnummer", "Zuweisung"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, c as u16, *header).expect("header");
    }
    sheet
        .merge_range(1, 0, 2, 0, "Verbundschule", &plain)
        .expect("merge");
    sheet
        .write_string(1, 1, "vs.onmicrosoft.com")
        .expect("cell");
    sheet.write_string(1, 2, "V5").expect("cell");
    sheet.write_string(1, 3, "manuell").expect("cell");
    sheet
        .write_string(2, 1, "vs2.onmicrosoft.com")
        .expect("cell");
    book.save(p.path("verbund.xlsx")).expect("save");
    let run = import(&p, &["verbund.xlsx"]);
    // The merged cell's value is in its first row only: the second row has no name.
    assert_eq!(
        problems(&run),
        [
            "verbund.xlsx: Sheet1!A3: `Schule` is empty",
            "verbund.xlsx: Sheet1!C3: `Vertragsnummer` is empty",
            "verbund.xlsx: Sheet1!D3: `Zuweisung` is empty",
        ]
    );
}

//! `handbuch import --template FILE.csv`: every column with one example school, as
//! German Excel opens it (UTF-8 with a byte-order mark, `;` between cells).

use std::io::Write;
use std::path::Path;

use super::columns::{Field, COLUMNS};
use super::table::Format;
use crate::diagnostics::{Diagnostic, Diagnostics};

/// The example school: valid in every project, so importing the template works.
fn example(field: Field) -> &'static str {
    match field {
        Field::Name => "Beispielschule Musterstadt",
        Field::Slug => "beispielschule",
        Field::Locales => "",
        Field::Domain => "beispielschule.onmicrosoft.com",
        Field::TenantId => "3f2b8c1e-7a4d-4e2f-9b6a-1c0d5e8f7a21",
        Field::Admin => "admin@beispielschule.onmicrosoft.com",
        Field::VerifiedDomains => "beispielschule.de",
        Field::Contract => "V1234567",
        Field::Orders => "60012345, 60012346",
        Field::OrderEmail => "verwaltung@beispielschule.de",
        Field::Account => "work",
        Field::Anniversary => "01.08.2027",
        Field::SubscriptionEnd => "31.07.2028",
        Field::ProviderAccess => "nein",
        Field::VlAdmins => "verwaltung@beispielschule.de",
        Field::KeySuffixes => "",
        Field::Assignment => "mnspro",
        Field::Product(1) => "Microsoft 365 A3 für Lehrkräfte",
        Field::Quantity(1) => "40",
        Field::Product(_) => "Microsoft 365 A1 für Schülerinnen und Schüler",
        Field::Quantity(_) => "600",
    }
}

/// Write the template to `path`, which must not exist yet.
pub fn write_template(path: &Path) -> Result<(), Diagnostics> {
    if Format::of(path) != Some(super::table::Format::Csv) {
        return Err(
            Diagnostic::usage(path, "the template is written as a .csv file")
                .with_note(
                    "open it in Excel or LibreOffice and save it as .xlsx or .ods from there",
                )
                .into(),
        );
    }
    let fields: Vec<Field> = COLUMNS
        .iter()
        .map(|c| c.0)
        .chain([
            Field::Product(1),
            Field::Quantity(1),
            Field::Product(2),
            Field::Quantity(2),
        ])
        .collect();
    let mut csv = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    let headers = fields.iter().map(|f| super::columns::shown(*f));
    let written = csv
        .write_record(headers)
        .and_then(|()| csv.write_record(fields.iter().map(|f| example(*f))));
    let bytes = written
        .map_err(std::io::Error::from)
        .and_then(|()| csv.into_inner().map_err(|e| e.into_error()));
    let cannot =
        |e: std::io::Error| Diagnostic::error(path, format!("cannot write the template: {e}"));
    let bytes = bytes.map_err(cannot)?;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(cannot)?;
    file.write_all(&bytes).map_err(cannot)?;
    Ok(())
}

//! Reading a spreadsheet into one grid of cells: CSV (`;` or `,`, UTF-8 or
//! Windows-1252), XLSX and ODS (first sheet). Nothing here knows about schools.

use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Ods, Reader, Xlsx};
use chrono::NaiveDate;

use crate::diagnostics::Diagnostic;
use crate::limits::{IMPORT_BYTES, IMPORT_COLUMNS, IMPORT_ROWS};

/// One cell's value as the spreadsheet holds it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Date(NaiveDate),
    Bool(bool),
    /// A formula error (`#DIV/0!`) or a value handbuch cannot read, as shown.
    Error(String),
}

impl Cell {
    pub(crate) fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }
}

/// The first sheet: rows of cells, `origin` being the sheet position (row, column,
/// 0-based) of `rows[0][0]`, so every cell can be named as the spreadsheet names it.
#[derive(Debug)]
pub(crate) struct Table {
    /// The sheet's name, or `None` for a CSV file (which has no sheets).
    pub sheet: Option<String>,
    pub origin: (u32, u32),
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// `Tabelle1!D14` (or `D14` for CSV) for the cell at `rows[row][column]`.
    pub(crate) fn cell_name(&self, row: usize, column: usize) -> String {
        let at = a1(
            self.origin.0 as usize + row,
            self.origin.1 as usize + column,
        );
        match &self.sheet {
            Some(sheet) => format!("{}!{at}", sheet_ref(sheet)),
            None => at,
        }
    }

    /// `Tabelle1!14:14` (or `14:14`) for a whole row.
    pub(crate) fn row_name(&self, row: usize) -> String {
        let n = self.origin.0 as usize + row + 1;
        match &self.sheet {
            Some(sheet) => format!("{}!{n}:{n}", sheet_ref(sheet)),
            None => format!("{n}:{n}"),
        }
    }
}

/// A sheet name as a formula writes it: quoted when it has spaces or punctuation.
fn sheet_ref(name: &str) -> String {
    if name.chars().all(|c| c.is_alphanumeric() || c == '_') {
        name.to_string()
    } else {
        format!("'{}'", name.replace('\'', "''"))
    }
}

/// A1 notation for a 0-based row and column: (13, 3) → `D14`.
pub(crate) fn a1(row: usize, column: usize) -> String {
    let mut letters = Vec::new();
    let mut n = column + 1;
    while n > 0 {
        let rest = (n - 1) % 26;
        letters.push(char::from(b'A' + rest as u8));
        n = (n - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", letters.into_iter().collect::<String>(), row + 1)
}

/// The kinds of file `handbuch import` reads, by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Csv,
    Xlsx,
    Ods,
}

impl Format {
    pub(crate) fn of(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "csv" => Some(Format::Csv),
            "xlsx" => Some(Format::Xlsx),
            "ods" => Some(Format::Ods),
            _ => None,
        }
    }
}

/// Read `path` (shown as `shown`) into its first sheet.
pub(crate) fn read(path: &Path, shown: &Path) -> Result<Table, Diagnostic> {
    let Some(format) = Format::of(path) else {
        return Err(Diagnostic::error(shown, "cannot import this kind of file")
            .with_note("handbuch imports .csv, .xlsx and .ods files"));
    };
    let bytes = read_bounded(path, shown)?;
    let table = match format {
        Format::Csv => read_csv(&bytes, shown)?,
        Format::Xlsx | Format::Ods => read_workbook(bytes, format, shown)?,
    };
    Ok(table)
}

/// At most [`IMPORT_BYTES`]: a spreadsheet of a few hundred schools is far smaller.
fn read_bounded(path: &Path, shown: &Path) -> Result<Vec<u8>, Diagnostic> {
    use std::io::Read;
    let cannot = |e: std::io::Error| Diagnostic::error(shown, format!("cannot read file: {e}"));
    let file = std::fs::File::open(path).map_err(cannot)?;
    let mut bytes = Vec::new();
    file.take(IMPORT_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() > IMPORT_BYTES {
        return Err(Diagnostic::error(
            shown,
            format!("the file is larger than {} MB", IMPORT_BYTES / 1_000_000),
        )
        .with_note("import the schools in parts, or remove other sheets and pictures"));
    }
    Ok(bytes)
}

/// A header row and at most [`IMPORT_ROWS`] schools, in at most [`IMPORT_COLUMNS`] columns.
fn within_limits(height: usize, width: usize, shown: &Path) -> Result<(), Diagnostic> {
    if height > IMPORT_ROWS + 1 {
        return Err(Diagnostic::error(
            shown,
            format!("the sheet has more than {IMPORT_ROWS} rows of schools"),
        )
        .with_note("import the schools in parts"));
    }
    if width > IMPORT_COLUMNS {
        return Err(Diagnostic::error(
            shown,
            format!("the sheet has more than {IMPORT_COLUMNS} columns"),
        )
        .with_note("keep only the columns handbuch knows (see `handbuch import --template`)"));
    }
    Ok(())
}

// --- CSV ---

fn read_csv(bytes: &[u8], shown: &Path) -> Result<Table, Diagnostic> {
    let text = decode(bytes);
    if text.contains('\0') {
        return Err(Diagnostic::error(shown, "the file is not a CSV text file")
            .with_note("export the sheet as CSV, or import the .xlsx or .ods file itself"));
    }
    let delimiter = delimiter(&text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record
            .map_err(|e| Diagnostic::error(shown, format!("the file is not valid CSV: {e}")))?;
        // Checked row by row, so an endless file is never held whole.
        within_limits(rows.len() + 1, record.len(), shown)?;
        rows.push(
            record
                .iter()
                .map(|field| {
                    if field.trim().is_empty() {
                        Cell::Empty
                    } else {
                        Cell::Text(field.to_string())
                    }
                })
                .collect(),
        );
    }
    Ok(Table {
        sheet: None,
        origin: (0, 0),
        rows,
    })
}

/// UTF-8 (with or without a byte-order mark), else Windows-1252: what German Excel
/// writes for "CSV (Trennzeichen-getrennt)". Every byte sequence decodes as one of them.
fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned(),
    }
}

/// `;` or `,`, whichever the header line (outside quotes) has more of; `;` on a tie,
/// as German Excel writes it.
fn delimiter(text: &str) -> u8 {
    let (mut semicolons, mut commas, mut quoted) = (0, 0, false);
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' | '\r' if !quoted => break,
            ';' if !quoted => semicolons += 1,
            ',' if !quoted => commas += 1,
            _ => {}
        }
    }
    if commas > semicolons {
        b','
    } else {
        b';'
    }
}

// --- XLSX and ODS ---

fn read_workbook(bytes: Vec<u8>, format: Format, shown: &Path) -> Result<Table, Diagnostic> {
    let cannot = |e: String| {
        Diagnostic::error(shown, format!("cannot read the workbook: {e}"))
            .with_note("save it again from Excel or LibreOffice, or export the sheet as CSV")
    };
    // calamine reads untrusted zip and XML; should it ever panic on a damaged file,
    // that is one more unreadable workbook, not a crash of the whole import.
    let read = std::panic::catch_unwind(move || -> Result<_, String> {
        let cursor = Cursor::new(bytes);
        match format {
            Format::Xlsx => {
                let mut book: Xlsx<_> = Xlsx::new(cursor).map_err(|e| e.to_string())?;
                first_sheet(&mut book)
            }
            _ => {
                let mut book: Ods<_> = Ods::new(cursor).map_err(|e| e.to_string())?;
                first_sheet(&mut book)
            }
        }
    });
    let (sheet, range) = match read {
        Ok(result) => result.map_err(cannot)?,
        Err(_) => return Err(cannot("the file is damaged".to_string())),
    };
    let origin = range.start().unwrap_or((0, 0));
    // Refused before the cells are copied.
    let (height, width) = range.get_size();
    within_limits(height, width, shown)?;
    let rows = range
        .rows()
        .map(|row| row.iter().map(cell).collect())
        .collect();
    Ok(Table {
        sheet: Some(sheet),
        origin,
        rows,
    })
}

fn first_sheet<R>(book: &mut R) -> Result<(String, calamine::Range<Data>), String>
where
    R: Reader<Cursor<Vec<u8>>>,
    R::Error: std::fmt::Display,
{
    let name = book
        .sheet_names()
        .into_iter()
        .next()
        .ok_or_else(|| "it has no sheet".to_string())?;
    let range = book.worksheet_range(&name).map_err(|e| e.to_string())?;
    Ok((name, range))
}

fn cell(data: &Data) -> Cell {
    match data {
        Data::Empty => Cell::Empty,
        Data::String(s) if s.trim().is_empty() => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(d) => match d.as_datetime() {
            Some(dt) if dt.time() == chrono::NaiveTime::MIN => Cell::Date(dt.date()),
            Some(dt) => Cell::Text(dt.to_string()),
            None => Cell::Number(d.as_f64()),
        },
        // ODS keeps dates as ISO text (`2027-08-01`, or `2027-08-01T00:00:00`).
        Data::DateTimeIso(s) => {
            let day = s.strip_suffix("T00:00:00").unwrap_or(s);
            NaiveDate::parse_from_str(day, "%Y-%m-%d")
                .map_or_else(|_| Cell::Text(s.clone()), Cell::Date)
        }
        Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Error(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a1_names() {
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(a1(13, 3), "D14");
        assert_eq!(a1(0, 25), "Z1");
        assert_eq!(a1(0, 26), "AA1");
        assert_eq!(a1(4, 701), "ZZ5");
        assert_eq!(a1(4, 702), "AAA5");
    }

    #[test]
    fn delimiter_from_the_header_line() {
        assert_eq!(delimiter("Schule;Tenant-Domain\na,b,c,d"), b';');
        assert_eq!(delimiter("Name,Domain\n"), b',');
        assert_eq!(delimiter("\"a;b\",c\n"), b',');
    }

    #[test]
    fn windows_1252_umlauts() {
        assert_eq!(decode(b"Gr\xfcnschule"), "Grünschule");
        assert_eq!(decode("Grünschule".as_bytes()), "Grünschule");
        assert_eq!(decode(b"\xEF\xBB\xBFName"), "Name");
    }

    #[test]
    fn sheet_names_with_spaces_are_quoted() {
        assert_eq!(sheet_ref("Tabelle1"), "Tabelle1");
        assert_eq!(sheet_ref("Meine Schulen"), "'Meine Schulen'");
    }
}

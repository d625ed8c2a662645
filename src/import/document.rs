//! One spreadsheet row as the text of a school file, laid out like the bundled
//! examples, with the place of every value remembered: a problem the school-file
//! checks find in the text is then reported at the cell it came from.

use std::collections::BTreeMap;
use std::ops::Range;

use chrono::NaiveDate;

use super::columns::{self, Field, MAX_LICENSES};
use super::table::Cell;

/// A row's cells by field: the column each came from and its value (never empty).
pub(crate) type RowCells<'a> = BTreeMap<Field, (usize, &'a Cell)>;

/// A problem with one cell's value, found while writing it as TOML.
#[derive(Debug)]
pub(crate) struct CellProblem {
    pub column: usize,
    pub message: String,
    pub label: String,
}

/// The school file made from a row; `spans` maps byte ranges of its text to columns.
#[derive(Debug, Default)]
pub(crate) struct Document {
    pub text: String,
    pub spans: Vec<(Range<usize>, usize)>,
}

impl Document {
    /// The column whose value covers byte `at`: the narrowest, so a list entry wins
    /// over its list.
    pub(crate) fn column_at(&self, at: usize) -> Option<usize> {
        self.spans
            .iter()
            .filter(|(span, _)| span.start <= at && (at < span.end || span.is_empty()))
            .min_by_key(|(span, _)| span.len())
            .map(|(_, column)| *column)
    }

    fn key(&mut self, key: &str) {
        self.text.push_str(key);
        self.text.push_str(" = ");
    }

    fn value(&mut self, literal: &str, column: usize) {
        let start = self.text.len();
        self.text.push_str(literal);
        self.spans.push((start..self.text.len(), column));
    }

    fn end_line(&mut self) {
        self.text.push('\n');
    }

    fn section(&mut self, header: &str) {
        self.text.push('\n');
        self.text.push_str(header);
        self.text.push('\n');
    }
}

/// Write `cells` as a school file. Values that cannot be written as what their field
/// holds (a date that is none) are problems here; everything else is left to the
/// school-file checks, which see exactly what the spreadsheet says.
pub(crate) fn write(cells: &RowCells<'_>) -> (Document, Vec<CellProblem>) {
    let mut w = Writer {
        cells,
        doc: Document::default(),
        problems: Vec::new(),
    };
    w.text("name", Field::Name);
    w.list("locales", Field::Locales, split_words);
    w.doc.section("[tenant]");
    w.text("domain", Field::Domain);
    w.text("id", Field::TenantId);
    w.text("admin", Field::Admin);
    w.list("verified_domains", Field::VerifiedDomains, split_words);
    w.doc.section("[contract]");
    w.text("number", Field::Contract);
    w.list("orders", Field::Orders, split_words);
    w.text("order_email", Field::OrderEmail);
    w.choice("vlsc_account", Field::Account, account);
    w.date("anniversary", Field::Anniversary);
    w.date("subscription_end", Field::SubscriptionEnd);
    w.yes_no("provider_access", Field::ProviderAccess);
    w.list("vl_admins", Field::VlAdmins, split_lines);
    w.list("key_suffixes", Field::KeySuffixes, split_words);
    for n in 1..=MAX_LICENSES {
        w.licence(n);
    }
    w.doc.section("[assignment]");
    w.choice("mode", Field::Assignment, assignment);
    (w.doc, w.problems)
}

struct Writer<'a, 'c> {
    cells: &'a RowCells<'c>,
    doc: Document,
    problems: Vec<CellProblem>,
}

impl Writer<'_, '_> {
    fn text(&mut self, key: &str, field: Field) {
        let Some(&(column, cell)) = self.cells.get(&field) else {
            return;
        };
        let Some(text) = self.as_text(column, cell) else {
            return;
        };
        self.doc.key(key);
        self.doc.value(&string(&text), column);
        self.doc.end_line();
    }

    fn list(&mut self, key: &str, field: Field, split: fn(&str) -> Vec<&str>) {
        let Some(&(column, cell)) = self.cells.get(&field) else {
            return;
        };
        let Some(text) = self.as_text(column, cell) else {
            return;
        };
        self.doc.key(key);
        let start = self.doc.text.len();
        self.doc.text.push('[');
        for (i, entry) in split(&text).into_iter().enumerate() {
            if i > 0 {
                self.doc.text.push_str(", ");
            }
            self.doc.value(&string(entry), column);
        }
        self.doc.text.push(']');
        let end = self.doc.text.len();
        self.doc.spans.push((start..end, column));
        self.doc.end_line();
    }

    /// An enumeration: German and English words become the file's value; anything
    /// else is written as it is, and the school-file checks name the allowed values.
    fn choice(&mut self, key: &str, field: Field, known: fn(&str) -> Option<&'static str>) {
        let Some(&(column, cell)) = self.cells.get(&field) else {
            return;
        };
        let Some(text) = self.as_text(column, cell) else {
            return;
        };
        let value = known(&normal(&text)).map_or_else(|| text.to_lowercase(), str::to_string);
        self.doc.key(key);
        self.doc.value(&string(&value), column);
        self.doc.end_line();
    }

    fn date(&mut self, key: &str, field: Field) {
        let Some(&(column, cell)) = self.cells.get(&field) else {
            return;
        };
        match date(cell) {
            Ok(day) => {
                self.doc.key(key);
                self.doc.value(&day.format("%Y-%m-%d").to_string(), column);
                self.doc.end_line();
            }
            Err(message) => self.problems.push(CellProblem {
                column,
                message,
                label: "expected a date like 01.08.2027, 2027-08-01 or a date cell".into(),
            }),
        }
    }

    fn yes_no(&mut self, key: &str, field: Field) {
        let Some(&(column, cell)) = self.cells.get(&field) else {
            return;
        };
        let value = match cell {
            Cell::Bool(b) => Some(*b),
            Cell::Number(n) if *n == 1.0 || *n == 0.0 => Some(*n == 1.0),
            Cell::Text(t) => match normal(t).as_str() {
                "ja" | "yes" | "true" | "wahr" | "x" | "1" => Some(true),
                "nein" | "no" | "false" | "falsch" | "0" => Some(false),
                _ => None,
            },
            _ => None,
        };
        match value {
            Some(b) => {
                self.doc.key(key);
                self.doc.value(if b { "true" } else { "false" }, column);
                self.doc.end_line();
            }
            None => self.problems.push(CellProblem {
                column,
                message: format!("`{}` is not yes or no", shown(cell)),
                label: "expected ja or nein (yes or no), or leave the cell empty".into(),
            }),
        }
    }

    /// The `n`th licence, from its `Produkt n` and `Anzahl n` cells.
    fn licence(&mut self, n: u8) {
        let product = self.cells.get(&Field::Product(n)).copied();
        let quantity = self.cells.get(&Field::Quantity(n)).copied();
        let (product, quantity) = match (product, quantity) {
            (None, None) => return,
            (Some(p), Some(q)) => (p, q),
            (Some((column, _)), None) | (None, Some((column, _))) => {
                let missing = if product.is_none() {
                    Field::Product(n)
                } else {
                    Field::Quantity(n)
                };
                self.problems.push(CellProblem {
                    column,
                    message: format!(
                        "this licence has no `{}` in the same row",
                        columns::shown(missing)
                    ),
                    label: "a licence needs a product and a quantity".into(),
                });
                return;
            }
        };
        let Some(name) = self.as_text(product.0, product.1) else {
            return;
        };
        self.doc.section("[[licenses]]");
        self.doc.key("product");
        self.doc.value(&string(&name), product.0);
        self.doc.end_line();
        self.doc.key("quantity");
        self.doc.value(&whole_number(quantity.1), quantity.0);
        self.doc.end_line();
    }

    /// A cell as text: numbers without a fraction as digits (an order number), dates
    /// as ISO. A formula error is a problem at the cell.
    fn as_text(&mut self, column: usize, cell: &Cell) -> Option<String> {
        match cell {
            Cell::Error(e) => {
                self.problems.push(CellProblem {
                    column,
                    message: format!("the cell holds the error `{e}`"),
                    label: "expected a value".into(),
                });
                None
            }
            cell => Some(shown(cell)),
        }
    }
}

/// A cell's value as a person reads it.
pub(crate) fn shown(cell: &Cell) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::Text(t) => t.trim().to_string(),
        Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
        Cell::Number(n) => n.to_string(),
        Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
        Cell::Bool(b) => b.to_string(),
        Cell::Error(e) => e.clone(),
    }
}

/// A TOML string literal, escaped as TOML requires.
fn string(text: &str) -> String {
    toml_edit::Value::from(text).to_string()
}

/// A quantity as a TOML integer where it is one; anything else goes in as written, so
/// that the school file's own type check reports it.
fn whole_number(cell: &Cell) -> String {
    match cell {
        Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
        Cell::Text(t) => match t.trim().parse::<u64>() {
            Ok(n) => n.to_string(),
            Err(_) => string(t.trim()),
        },
        cell => string(&shown(cell)),
    }
}

/// Lowercase letters and digits only, for matching words in cells.
fn normal(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn account(word: &str) -> Option<&'static str> {
    match word {
        "work" | "geschäftlich" | "geschaeftlich" | "geschäftskonto" | "arbeitskonto"
        | "schulkonto" | "organisationskonto" | "workaccount" => Some("work"),
        "microsoft" | "microsoftkonto" | "microsoftaccount" | "privat" | "persönlich" => {
            Some("microsoft")
        }
        "unknown" | "unbekannt" => Some("unknown"),
        _ => None,
    }
}

fn assignment(word: &str) -> Option<&'static str> {
    match word {
        "mnspro" | "mnsprocloud" => Some("mnspro"),
        "manual" | "manuell" => Some("manual"),
        _ => None,
    }
}

/// Order numbers, locales, domains: separated by `,`, `;` or spaces.
fn split_words(text: &str) -> Vec<&str> {
    text.split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Names, which have spaces: separated by `,`, `;` or line breaks.
fn split_lines(text: &str) -> Vec<&str> {
    text.split([',', ';', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

/// The first serial number of a date a spreadsheet can mean here: 1900-03-01 (below
/// it, Excel counts a 29 February 1900 that never was).
const FIRST_SERIAL: f64 = 61.0;
/// 9999-12-31, the last date Excel knows.
const LAST_SERIAL: f64 = 2_958_465.0;

/// A date cell, a serial number (`46235`), `01.08.2027` or `2027-08-01`.
pub(crate) fn date(cell: &Cell) -> Result<NaiveDate, String> {
    let not_a_date = || format!("`{}` is not a date", shown(cell));
    match cell {
        Cell::Date(d) => Ok(*d),
        Cell::Number(n) => serial(*n).ok_or_else(not_a_date),
        Cell::Text(t) => {
            let t = t.trim();
            if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
                return t.parse().ok().and_then(serial).ok_or_else(not_a_date);
            }
            german(t).or_else(|| iso(t)).ok_or_else(not_a_date)
        }
        _ => Err(not_a_date()),
    }
}

fn serial(n: f64) -> Option<NaiveDate> {
    if n.fract() != 0.0 || !(FIRST_SERIAL..=LAST_SERIAL).contains(&n) {
        return None;
    }
    NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_days(chrono::Days::new(n as u64))
}

/// `1.8.2027` or `01.08.2027`: a four-digit year, so `1.8.27` is not read as the year 27.
fn german(text: &str) -> Option<NaiveDate> {
    let parts: Vec<&str> = text.split('.').collect();
    let [day, month, year] = parts.as_slice() else {
        return None;
    };
    let digits = |s: &str, len: std::ops::RangeInclusive<usize>| {
        len.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    if !(digits(day, 1..=2) && digits(month, 1..=2) && digits(year, 4..=4)) {
        return None;
    }
    NaiveDate::from_ymd_opt(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?)
}

fn iso(text: &str) -> Option<NaiveDate> {
    let shape = text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    shape
        .then(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn dates_in_every_spelling() {
        let text = |s: &str| date(&Cell::Text(s.into()));
        assert_eq!(text("01.08.2027"), Ok(day(2027, 8, 1)));
        assert_eq!(text("1.8.2027"), Ok(day(2027, 8, 1)));
        assert_eq!(text("2027-08-01"), Ok(day(2027, 8, 1)));
        assert_eq!(text("46600"), Ok(day(2027, 8, 1)));
        assert_eq!(date(&Cell::Number(46600.0)), Ok(day(2027, 8, 1)));
        assert!(text("1.8.27").is_err());
        assert!(text("31.02.2027").is_err());
        assert!(text("morgen").is_err());
        assert!(date(&Cell::Number(46600.5)).is_err());
        assert!(date(&Cell::Number(-1.0)).is_err());
        assert!(date(&Cell::Number(1e300)).is_err());
    }

    #[test]
    fn numbers_as_text_have_no_fraction() {
        assert_eq!(shown(&Cell::Number(60012345.0)), "60012345");
        assert_eq!(shown(&Cell::Number(2.5)), "2.5");
    }

    #[test]
    fn lists_split_on_commas_semicolons_and_spaces() {
        assert_eq!(split_words("1, 2;3 4"), ["1", "2", "3", "4"]);
        assert_eq!(
            split_lines("Anna Muster, Bernd; Carla"),
            ["Anna Muster", "Bernd", "Carla"]
        );
    }
}

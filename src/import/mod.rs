//! `handbuch import`: one school file per spreadsheet row. Data flows one way:
//! read the sheet (table) → map its headers (columns) → write each row as a school
//! file's text (document) → check it with the school-file checks → plan every write
//! (new file, or `--update` of an old one) → write, only if no row had a problem.

mod columns;
mod document;
mod table;
mod template;
mod update;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::Config;
use crate::diagnostics::{escape_unsafe, Diagnostic, Diagnostics};
use crate::limits::FileKind;
use crate::markdown::slug::slugify;
use crate::project::SCHOOLS_DIR;
use crate::{school, secrets, toml_file, walk};

use columns::{Field, Header};
use document::{CellProblem, Document, RowCells};
use table::{Cell, Table};

pub use template::write_template;
pub use update::Change;

/// What `handbuch import FILE` was asked to do.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The project folder (with `handbuch.toml`).
    pub root: PathBuf,
    /// The spreadsheet, as the user named it (messages name it the same way).
    pub file: PathBuf,
    /// Change existing school files where the sheet differs.
    pub update: bool,
    /// Check and report, write nothing.
    pub dry_run: bool,
}

/// What happens to one school's file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Created,
    Updated(Vec<Change>),
    Unchanged,
}

#[derive(Debug, Clone)]
pub struct Imported {
    pub slug: String,
    /// The school file, relative to the project root.
    pub file: PathBuf,
    pub outcome: Outcome,
}

#[derive(Debug)]
pub struct ImportReport {
    /// Every school of the sheet, in sheet order.
    pub schools: Vec<Imported>,
    /// False for `--dry-run`: nothing was written.
    pub written: bool,
}

/// Import the sheet. Every problem of every row comes back at once, and then nothing
/// is written; otherwise every file is written, each one atomically.
pub fn import(options: &ImportOptions) -> Result<ImportReport, Diagnostics> {
    let config = Config::load(&options.root)?;
    let sheet = table::read(&options.file, &options.file)?;
    let mut import = Import {
        shown: &options.file,
        table: &sheet,
        config: &config,
        problems: Diagnostics::default(),
    };
    let columns = import.header();
    // Without a column every school needs, each row would only repeat that problem.
    let rows = if columns::REQUIRED
        .iter()
        .all(|f| columns.contains(&Some(*f)))
    {
        sheet.rows.len()
    } else {
        0
    };
    let existing = existing_files(&options.root);
    let mut plans: Vec<Plan> = Vec::new();
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for row in 1..rows {
        let Some(school) = import.row(row, &columns) else {
            continue;
        };
        let place = import.at(row, Some(school.slug_column));
        if let Some(first) = seen.get(&school.slug) {
            import.problems.push(
                Diagnostic::error(place, format!("the slug `{}` is used twice", school.slug))
                    .with_note(format!(
                        "{first} has it too; give one of them another `Kürzel`"
                    )),
            );
            continue;
        }
        seen.insert(
            school.slug.clone(),
            import.at(row, Some(school.slug_column)),
        );
        plans.extend(import.plan(row, school, &existing, options));
    }
    if import.problems.has_errors() {
        return Err(import.problems);
    }
    if !options.dry_run {
        write_all(&options.root, &plans)?;
    }
    Ok(ImportReport {
        schools: plans.into_iter().map(|p| p.imported).collect(),
        written: !options.dry_run,
    })
}

/// Import problems have no source lines to show: `schulen.xlsx: Tabelle1!D14: message`,
/// then the label and notes. Anything else (a broken `handbuch.toml`) as usual.
pub fn render_problem(problem: &Diagnostic, color: bool) -> String {
    if problem.line_col().is_some() {
        return problem.render(color);
    }
    let clean = |s: &str| escape_unsafe(&secrets::redact(s, false));
    let mut out = format!(
        "{}: {}",
        clean(&problem.file.to_string_lossy()),
        clean(&problem.message)
    );
    if let Some(label) = &problem.label {
        out.push_str(&format!("\n  = {}", clean(label)));
    }
    for note in &problem.notes {
        out.push_str(&format!("\n  = note: {}", clean(note)));
    }
    out
}

/// A row that passed every check, as its school file.
struct Row {
    slug: String,
    /// The column the slug comes from (`Kürzel`, else `Schule`).
    slug_column: usize,
    text: String,
}

/// One file to write.
struct Plan {
    imported: Imported,
    text: Option<String>,
}

struct Import<'a> {
    shown: &'a Path,
    table: &'a Table,
    config: &'a Config,
    problems: Diagnostics,
}

impl Import<'_> {
    /// `schulen.xlsx: Tabelle1!D14` for a cell, `schulen.xlsx: Tabelle1!14:14` for a row.
    fn at(&self, row: usize, column: Option<usize>) -> String {
        let place = match column {
            Some(column) => self.table.cell_name(row, column),
            None => self.table.row_name(row),
        };
        format!("{}: {place}", self.shown.display())
    }

    fn error(
        &mut self,
        row: usize,
        column: Option<usize>,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        let d = Diagnostic::error(self.at(row, column), message);
        self.problems.push(d);
        let last = self.problems.0.len() - 1;
        &mut self.problems.0[last]
    }

    /// The field of each column (`None`: an empty column, left out). Unknown, doubled
    /// and secret-named headers and missing required columns are problems.
    fn header(&mut self) -> Vec<Option<Field>> {
        let Some(cells) = self.table.rows.first().cloned() else {
            self.problems.push(
                Diagnostic::error(self.shown, "the sheet is empty")
                    .with_note("the first row names the columns; see `handbuch import --template`"),
            );
            return Vec::new();
        };
        let mut fields = Vec::new();
        let mut seen: BTreeMap<Field, usize> = BTreeMap::new();
        for (column, cell) in cells.iter().enumerate() {
            let text = document::shown(cell);
            if text.is_empty() {
                fields.push(None);
                if self.column_has_values(column) {
                    self.error(0, Some(column), "this column has values but no header")
                        .notes
                        .push("name it, or delete the column".into());
                }
                continue;
            }
            match columns::header(&text) {
                Header::Field(field) => {
                    if let Some(first) = seen.get(&field) {
                        let first = self.table.cell_name(0, *first);
                        self.error(
                            0,
                            Some(column),
                            format!("the column `{text}` is there twice"),
                        )
                        .notes
                        .push(format!("{first} names it too"));
                    }
                    seen.insert(field, column);
                    fields.push(Some(field));
                }
                Header::Secret => {
                    fields.push(None);
                    let d = self.error(0, Some(column), "this column is named like a password or key, which must never be written into a handbook");
                    d.label = Some("its values are not read".into());
                    d.notes.push("delete the column: the handbook tells people where to find a password, not what it is".into());
                }
                Header::Unknown(closest) => {
                    fields.push(None);
                    let d = self.error(0, Some(column), format!("unknown column `{text}`"));
                    if let Some(closest) = closest {
                        d.notes.push(format!("did you mean `{closest}`?"));
                    }
                    d.notes.push("the README lists the columns; `handbuch import --template FILE.csv` writes them all".into());
                }
            }
        }
        self.missing_columns(&seen);
        fields
    }

    fn column_has_values(&self, column: usize) -> bool {
        self.table
            .rows
            .iter()
            .skip(1)
            .any(|row| row.get(column).is_some_and(|c| !c.is_empty()))
    }

    fn missing_columns(&mut self, seen: &BTreeMap<Field, usize>) {
        for field in columns::REQUIRED {
            if !seen.contains_key(&field) {
                self.error(
                    0,
                    None,
                    format!("the column `{}` is missing", columns::shown(field)),
                )
                .notes
                .push("every school file needs it".into());
            }
        }
        for (field, column) in seen {
            let partner = match field {
                Field::Product(n) => Field::Quantity(*n),
                Field::Quantity(n) => Field::Product(*n),
                _ => continue,
            };
            if !seen.contains_key(&partner) {
                self.error(
                    0,
                    Some(*column),
                    format!("the column `{}` is missing", columns::shown(partner)),
                )
                .notes
                .push("licences are pairs of columns: `Produkt 2` goes with `Anzahl 2`".into());
            }
        }
    }

    /// Row `row` as a checked school file; `None` for an empty row or one with problems.
    fn row(&mut self, row: usize, columns: &[Option<Field>]) -> Option<Row> {
        let table = self.table;
        let cells_of_row = table.rows.get(row)?;
        if cells_of_row.iter().all(Cell::is_empty) {
            return None;
        }
        let before = self.problems.len();
        let refused = self.secrets_in(row, cells_of_row);
        let stand_ins = StandIns::new();
        let mut cells: RowCells<'_> = BTreeMap::new();
        for (column, cell) in cells_of_row.iter().enumerate() {
            let field = columns.get(column).copied().flatten();
            if let Some(field) = field.filter(|_| !cell.is_empty() && !refused.contains(&column)) {
                cells.insert(field, (column, cell));
            }
        }
        let columns_of = |field: Field| columns.iter().position(|f| *f == Some(field));
        for field in columns::REQUIRED {
            let Some(column) = columns_of(field) else {
                continue;
            };
            if !cells.contains_key(&field) && !refused.contains(&column) {
                self.error(
                    row,
                    Some(column),
                    format!("`{}` is empty", columns::shown(field)),
                )
                .label = Some("every school needs this".into());
            }
        }
        let complete = self.problems.len() == before;
        // The checks still look at the rest of the row: a stand-in for what is missing.
        for field in columns::REQUIRED {
            if let (Some(column), Some(value)) = (columns_of(field), stand_ins.get(field)) {
                cells.entry(field).or_insert((column, value));
            }
        }
        let slug = self.slug(row, &cells);
        let (doc, problems) = document::write(&cells);
        self.cell_problems(row, problems);
        // A bad slug is reported at its cell already; the checks get a good one.
        let checked_as = slug.as_ref().map_or("import", |(s, _)| s.as_str());
        let mut failed = match self.check(row, &doc, checked_as, complete) {
            None if self.problems.len() == before => {
                let (slug, slug_column) = slug?;
                return Some(Row {
                    slug,
                    slug_column,
                    text: doc.text,
                });
            }
            None => return None,
            Some(failed) => failed,
        };
        // The school-file checks stop at the first value of a wrong type (and at
        // secrets or values too long); with those cells stood in for, the next pass
        // finds the problems behind them, so that every cell's problem is reported.
        let mut replaced = BTreeSet::new();
        while !failed.is_subset(&replaced) {
            for column in failed.difference(&replaced) {
                let field = columns.get(*column).copied().flatten();
                if let Some(field) = field {
                    match stand_ins.get(field) {
                        Some(value) => cells.insert(field, (*column, value)),
                        None => cells.remove(&field),
                    };
                }
            }
            replaced.extend(failed);
            let (doc, _) = document::write(&cells);
            match self.check(row, &doc, checked_as, false) {
                Some(more) => failed = more,
                None => break,
            }
        }
        None
    }

    /// Product keys in any cell, of any column: refused at the cell, never shown. The
    /// columns returned are left out of the row.
    fn secrets_in(&mut self, row: usize, cells: &[Cell]) -> BTreeSet<usize> {
        let mut refused = BTreeSet::new();
        for (column, cell) in cells.iter().enumerate() {
            if let Cell::Text(text) = cell {
                if secrets::has_product_key(text) {
                    refused.insert(column);
                    let d = self.error(
                        row,
                        Some(column),
                        "a product key must never be written into a handbook",
                    );
                    d.label =
                        Some("looks like a product key (five groups of five characters)".into());
                    d.notes.push("product keys are secrets: delete it from the sheet; `Key-Enden` takes the last five characters".into());
                }
            }
        }
        refused
    }

    /// The school's slug and the column it comes from: `Kürzel`, else made from the name.
    fn slug(&mut self, row: usize, cells: &RowCells<'_>) -> Option<(String, usize)> {
        if let Some(&(column, cell)) = cells.get(&Field::Slug) {
            let slug = document::shown(cell);
            if school::is_slug(&slug) {
                return Some((slug, column));
            }
            let d = self.error(
                row,
                Some(column),
                format!("`{slug}` cannot be used as a school slug"),
            );
            d.label = Some("expected lowercase letters, digits, `-` and `_`".into());
            d.notes
                .push("the slug becomes the file name and part of the URL".into());
            return None;
        }
        let &(column, cell) = cells.get(&Field::Name)?;
        let slug = slugify(&document::shown(cell));
        if school::is_slug(&slug) {
            return Some((slug, column));
        }
        self.error(row, Some(column), "no slug can be made from this name")
            .notes
            .push("give the school one in the column `Kürzel`".into());
        None
    }

    fn cell_problems(&mut self, row: usize, problems: Vec<CellProblem>) {
        for p in problems {
            self.error(row, Some(p.column), p.message).label = Some(p.label);
        }
    }

    /// The school-file checks on the row's text, each problem at the cell it is in.
    /// `Some` with the columns that had problems; `None` if the text passed. Problems
    /// of no one cell (a missing field) are reported only for a `complete` row's text.
    fn check(
        &mut self,
        row: usize,
        doc: &Document,
        slug: &str,
        complete: bool,
    ) -> Option<BTreeSet<usize>> {
        let text: Arc<str> = Arc::from(doc.text.as_str());
        let file = Path::new(SCHOOLS_DIR).join(format!("{slug}.toml"));
        let problems =
            school::validate_source(&text, slug.to_string(), &file, self.config).err()?;
        let mut columns = BTreeSet::new();
        for p in problems {
            let column = p.span().and_then(|span| doc.column_at(span.start));
            columns.extend(column);
            if column.is_none() && !complete {
                continue;
            }
            let place = self.at(row, column);
            // Two passes, or the secrets check and a value check, can name a cell alike.
            let same =
                |d: &Diagnostic| d.file.as_os_str() == place.as_str() && d.message == p.message;
            if self.problems.iter().any(same) {
                continue;
            }
            let mut d = Diagnostic::error(place, p.message);
            d.label = p.label;
            d.notes = p.notes;
            self.problems.push(d);
        }
        Some(columns)
    }

    /// What to do with a checked row: a new file, or (`--update`) an edited old one.
    fn plan(
        &mut self,
        row: usize,
        school: Row,
        existing: &BTreeMap<String, PathBuf>,
        options: &ImportOptions,
    ) -> Option<Plan> {
        let Some(file) = existing.get(&school.slug) else {
            let file = Path::new(SCHOOLS_DIR).join(format!("{}.toml", school.slug));
            return Some(Plan {
                imported: Imported {
                    slug: school.slug,
                    file,
                    outcome: Outcome::Created,
                },
                text: Some(school.text),
            });
        };
        let place = Some(school.slug_column);
        if !options.update {
            self.error(row, place, format!("{} already exists", file.display()))
                .notes
                .push("run with --update to change it to what the sheet says, or give this school another `Kürzel`".into());
            return None;
        }
        let old = match toml_file::read_source(&options.root.join(file), file, FileKind::School) {
            Ok(old) => old,
            Err(e) => {
                self.error(
                    row,
                    place,
                    format!("cannot update {}: {}", file.display(), e.message),
                );
                return None;
            }
        };
        let (text, changes) = match update::update(&old, &school.text) {
            Ok(updated) => updated,
            Err(e) => {
                self.error(row, place, format!("cannot update {}: {e}", file.display()));
                return None;
            }
        };
        let checked = Arc::from(text.as_str());
        if let Err(problems) =
            school::validate_source(&checked, school.slug.clone(), file, self.config)
        {
            for p in problems {
                self.error(
                    row,
                    place,
                    format!("after the update, {}: {}", file.display(), p.message),
                );
            }
            return None;
        }
        let outcome = if changes.is_empty() {
            Outcome::Unchanged
        } else {
            Outcome::Updated(changes)
        };
        let changed = outcome != Outcome::Unchanged;
        Some(Plan {
            imported: Imported {
                slug: school.slug,
                file: file.clone(),
                outcome,
            },
            text: changed.then_some(text),
        })
    }
}

/// Values of the right type where a cell's own value failed a check that stops at
/// the first problem, so the next pass sees past it: for the fields a school file
/// cannot do without. Other fields are left out instead.
struct StandIns {
    text: Cell,
    domain: Cell,
    contract: Cell,
    assignment: Cell,
    number: Cell,
}

impl StandIns {
    fn new() -> StandIns {
        StandIns {
            text: Cell::Text("x".into()),
            domain: Cell::Text("x.example".into()),
            contract: Cell::Text("V0".into()),
            assignment: Cell::Text("manual".into()),
            number: Cell::Number(0.0),
        }
    }

    fn get(&self, field: Field) -> Option<&Cell> {
        match field {
            Field::Name | Field::Product(_) => Some(&self.text),
            Field::Domain => Some(&self.domain),
            Field::Contract => Some(&self.contract),
            Field::Assignment => Some(&self.assignment),
            Field::Quantity(_) => Some(&self.number),
            _ => None,
        }
    }
}

/// Every school file of the project by slug, as a path below the root.
fn existing_files(root: &Path) -> BTreeMap<String, PathBuf> {
    let listing = walk::list(root, &root.join(SCHOOLS_DIR), Some("toml"), usize::MAX);
    let mut files = BTreeMap::new();
    for path in listing.files {
        let Some(slug) = path.file_stem().map(|s| s.to_string_lossy().into_owned()) else {
            continue;
        };
        let shown = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
        files.entry(slug).or_insert(shown);
    }
    files
}

/// Each file through a temporary file beside it and a rename, so a school file is
/// never seen half written; a new file never replaces one that appeared meanwhile.
fn write_all(root: &Path, plans: &[Plan]) -> Result<(), Diagnostics> {
    for plan in plans {
        let Some(text) = &plan.text else {
            continue;
        };
        let shown = &plan.imported.file;
        let path = root.join(shown);
        let cannot = |e: std::io::Error| {
            Diagnostic::error(shown, format!("cannot write the school file: {e}"))
        };
        let dir = path.parent().unwrap_or(root);
        std::fs::create_dir_all(dir).map_err(cannot)?;
        let mut temp = tempfile::Builder::new()
            .prefix(".handbuch-import-")
            .tempfile_in(dir)
            .map_err(cannot)?;
        temp.write_all(text.as_bytes()).map_err(cannot)?;
        temp.as_file().sync_all().map_err(cannot)?;
        let persisted = if plan.imported.outcome == Outcome::Created {
            temp.persist_noclobber(&path)
        } else {
            temp.persist(&path)
        };
        persisted.map_err(|e| cannot(e.error))?;
    }
    Ok(())
}

//! Upper bounds on what a project may hold, so that no input can exhaust the stack,
//! the memory or the time of a build: file sizes, string lengths, list lengths and
//! nesting depth. Each is refused with the place where it is passed.

use std::io::Read;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use crate::diagnostics::{Diagnostic, Diagnostics};

/// `handbuch.toml`.
pub(crate) const CONFIG_BYTES: usize = 1_000_000;
/// One file in `content/schools/`.
pub(crate) const SCHOOL_BYTES: usize = 1_000_000;
/// One chapter file, and all chapters of one handbook (one school, one locale) after
/// their templates are rendered, so that neither a long chapter, nor many chapters,
/// nor a template loop can make a larger PDF. Measured: a PDF costs about 250 MB of
/// memory per MB of plain paragraphs and 600 MB per MB of step headings, and a build
/// makes one PDF per core at once.
pub(crate) const CHAPTER_BYTES: usize = 500_000;
pub(crate) const HANDBOOK_BYTES: usize = 500_000;
/// One file of a project's theme (a template, UI strings, a stylesheet, a font): the
/// theme is held in memory for the whole build.
pub(crate) const THEME_BYTES: usize = 10_000_000;
/// Any string value in a school file, `handbuch.toml` or front matter.
pub(crate) const STRING_CHARS: usize = 1_000;
/// A school's `name`, which heads every page and the PDF.
pub(crate) const NAME_CHARS: usize = 200;
/// One heading's Markdown: a 1 MB step title takes the PDF 14 s and 2.4 GB.
pub(crate) const HEADING_CHARS: usize = 1_000;
/// Entries of any list (array) in a TOML file.
pub(crate) const LIST_ENTRIES: usize = 100;
/// A spreadsheet `handbuch import` reads: its bytes (a packed XLSX of 1000 schools
/// is about 100 kB), its rows of schools and its columns (all known columns with ten
/// licences are 40).
pub(crate) const IMPORT_BYTES: usize = 10_000_000;
pub(crate) const IMPORT_ROWS: usize = 10_000;
pub(crate) const IMPORT_COLUMNS: usize = 200;
/// Block quotes, lists, emphasis and links inside each other in a chapter. The PDF
/// sets the bound: typst refuses block quotes nested 16 deep ("maximum show rule depth
/// exceeded") and lists 25 deep (its JSON reader's recursion limit), so 15 is the most
/// that every combination can print.
pub(crate) const NESTING: usize = 15;

/// What a limited file is called in messages.
#[derive(Debug, Clone, Copy)]
pub(crate) enum FileKind {
    Config,
    School,
    Chapter,
    Theme,
}

impl FileKind {
    pub(crate) fn max_bytes(self) -> usize {
        match self {
            FileKind::Config => CONFIG_BYTES,
            FileKind::School => SCHOOL_BYTES,
            FileKind::Chapter => CHAPTER_BYTES,
            FileKind::Theme => THEME_BYTES,
        }
    }

    fn name(self) -> &'static str {
        match self {
            FileKind::Config => "handbuch.toml",
            FileKind::School => "a school file",
            FileKind::Chapter => "a chapter",
            FileKind::Theme => "a theme file",
        }
    }
}

/// The bytes of `path`, reading at most one byte past the limit, so that neither a
/// huge file nor an endless one (a device, a FIFO) is read into memory.
pub(crate) fn read_bounded(
    path: &Path,
    shown_as: &Path,
    kind: FileKind,
) -> Result<Vec<u8>, Diagnostic> {
    let max = kind.max_bytes();
    let cannot = |e: std::io::Error| {
        Diagnostic::error(shown_as, format!("cannot read file: {e}")).with_kind("unreadable")
    };
    let (file, size) = open_sized(path).map_err(cannot)?;
    // Sized for the whole file (`take` hides its size, and the buffer would grow from 32
    // bytes: six reads for a 600-byte school file), plus a byte to see it end.
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(max).min(max) + 1);
    file.take(max as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() > max {
        return Err(too_large(&bytes[..max], shown_as, kind));
    }
    Ok(bytes)
}

/// Open `path` for reading if it is a regular file (or a link to one). A FIFO is opened
/// without waiting for a writer, then refused: opening one the usual way blocks until
/// something writes to it, which is never (a `handbuch.toml` made with `mkfifo` hung).
pub(crate) fn open_regular(path: &Path) -> std::io::Result<std::fs::File> {
    open_sized(path).map(|(file, _)| file)
}

/// [`open_regular`] and the file's size when it was opened.
fn open_sized(path: &Path) -> std::io::Result<(std::fs::File, u64)> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Reads from a regular file ignore the flag.
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    let metadata = file.metadata()?;
    if metadata.is_file() {
        Ok((file, metadata.len()))
    } else {
        Err(std::io::Error::other(
            "not a regular file (a folder, FIFO, socket or device)",
        ))
    }
}

/// The whole of a regular file (see [`open_regular`]).
pub(crate) fn read_regular(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    open_regular(path)?.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// "larger than 1 MB", pointing at the start of the line on which the limit is passed.
/// A text file (not a font or an image) gets the line as well.
fn too_large(head: &[u8], shown_as: &Path, kind: FileKind) -> Diagnostic {
    let diagnostic = Diagnostic::error(
        shown_as,
        format!(
            "{} is larger than {}",
            kind.name(),
            megabytes(kind.max_bytes())
        ),
    )
    .with_kind("too-large")
    .with_note(match kind {
        FileKind::Chapter => "split the chapter into several files",
        _ => "handbuch reads no larger file of this kind",
    });
    // The head may end inside a character; any other invalid byte means binary.
    if std::str::from_utf8(head).is_err_and(|e| e.error_len().is_some()) {
        return diagnostic;
    }
    let text = String::from_utf8_lossy(head);
    let line_start = text.rfind('\n').map_or(0, |i| i + 1);
    let source: Arc<str> = Arc::from(text);
    let span = line_start..source.len();
    diagnostic.at(&source, span).with_label(format!(
        "the file passes {} on this line",
        megabytes(kind.max_bytes())
    ))
}

fn megabytes(bytes: usize) -> String {
    match bytes % 1_000_000 {
        0 => format!("{} MB", bytes / 1_000_000),
        _ => format!("{} KB", bytes / 1_000),
    }
}

/// Every string and list in a TOML document within bounds. `text` is the document,
/// found at byte `offset` of `source` (front matter sits inside a chapter); `tight`
/// gives shorter limits for some keys (dotted paths, like `name`). A document that
/// does not parse is left to the parser's own error.
pub(crate) fn check_toml(
    source: &Arc<str>,
    offset: usize,
    text: &str,
    shown_as: &Path,
    tight: &[(&str, usize)],
) -> Diagnostics {
    let Ok(root) = DeTable::parse(text) else {
        return Diagnostics::default();
    };
    check_table(source, offset, &root, shown_as, tight)
}

/// [`check_toml`] for a document already parsed (without errors) from `source` at `offset`.
pub(crate) fn check_table(
    source: &Arc<str>,
    offset: usize,
    root: &Spanned<DeTable<'_>>,
    shown_as: &Path,
    tight: &[(&str, usize)],
) -> Diagnostics {
    let mut walk = TomlWalk {
        source,
        offset,
        shown_as,
        tight,
        problems: Diagnostics::default(),
    };
    walk.table(root.get_ref(), "");
    walk.problems
}

struct TomlWalk<'a> {
    source: &'a Arc<str>,
    offset: usize,
    shown_as: &'a Path,
    tight: &'a [(&'a str, usize)],
    problems: Diagnostics,
}

impl TomlWalk<'_> {
    fn table(&mut self, table: &DeTable, path: &str) {
        for (key, value) in table {
            let path = match path {
                "" => key.get_ref().to_string(),
                parent => format!("{parent}.{}", key.get_ref()),
            };
            self.value(value, &path);
        }
    }

    // toml stops parsing at 80 levels of nesting, so this recursion is bounded.
    fn value(&mut self, value: &Spanned<DeValue>, path: &str) {
        match value.get_ref() {
            DeValue::String(text) => self.string(text, value.span(), path),
            DeValue::Array(entries) => {
                if entries.len() > LIST_ENTRIES {
                    let span = entries[LIST_ENTRIES].span();
                    self.report(
                        format!(
                            "`{path}` has {} entries; at most {LIST_ENTRIES} are allowed",
                            entries.len()
                        ),
                        span,
                        format!("entry {} of {}", LIST_ENTRIES + 1, entries.len()),
                    );
                }
                for entry in entries.iter() {
                    self.value(entry, path);
                }
            }
            DeValue::Table(table) => self.table(table, path),
            _ => {}
        }
    }

    fn string(&mut self, text: &str, span: Range<usize>, path: &str) {
        let max = self
            .tight
            .iter()
            .find(|(key, _)| *key == path)
            .map_or(STRING_CHARS, |(_, max)| *max);
        // Counting stops past the limit: a long value costs no more than a short one.
        let length = text.chars().take(max + 1).count();
        if length > max {
            self.report(
                format!("`{path}` is longer than {max} characters"),
                span,
                format!("at most {max} characters"),
            );
        }
    }

    fn report(&mut self, message: String, span: Range<usize>, label: String) {
        let span = span.start + self.offset..span.end + self.offset;
        self.problems.push(
            Diagnostic::error(self.shown_as, message)
                .with_kind("too-long")
                .at(self.source, span)
                .with_label(label),
        );
    }
}

/// toml refuses keys of 80 or more parts (`a.b.c…`) without saying where; this finds
/// the first line whose key (before `=`, or in a `[table]` header) has that many.
pub(crate) fn deep_key_at(text: &str) -> Option<Range<usize>> {
    const TOML_KEY_PARTS: usize = 80;
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let key = match trimmed.strip_prefix('[') {
            Some(header) => header.split(']').next().unwrap_or(header),
            None => trimmed.split('=').next().unwrap_or(trimmed),
        };
        if key_parts(key) >= TOML_KEY_PARTS {
            let start = at + (line.len() - trimmed.len());
            return Some(start..start + 1);
        }
        at += line.len();
    }
    None
}

/// Parts of a dotted key: dots outside quotes, plus one.
fn key_parts(key: &str) -> usize {
    let mut quote = None;
    let mut parts = 1;
    for c in key.chars() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '.') => parts += 1,
            _ => {}
        }
    }
    parts
}

/// What a chapter's Markdown passes, at a byte offset of the Markdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TooMuch {
    /// The first element nested deeper than [`NESTING`].
    Nesting { offset: usize },
    /// A heading longer than [`HEADING_CHARS`].
    Heading { offset: usize },
}

impl TooMuch {
    pub fn offset(self) -> usize {
        match self {
            TooMuch::Nesting { offset } | TooMuch::Heading { offset } => offset,
        }
    }
}

/// A chapter nested too deeply or with too long a heading, pinned to the element
/// where the limit is passed; `at` is its place in the chapter file, where one was found.
pub(crate) fn markdown_refused(
    what: TooMuch,
    shown_as: &Path,
    at: Option<(&Arc<str>, usize)>,
) -> Diagnostic {
    let (code, message, note, label) = match what {
        TooMuch::Nesting { .. } => (
            "chapter.too-deep",
            format!("this chapter nests block quotes, lists, emphasis or links more than {NESTING} levels deep"),
            "flatten the structure: the PDF cannot lay out deeper nesting",
            format!("level {} starts here", NESTING + 1),
        ),
        TooMuch::Heading { .. } => (
            "chapter.heading-too-long",
            format!("this heading is longer than {HEADING_CHARS} characters"),
            "a heading names a chapter or step in the contents; put the text in a paragraph below it",
            "heading starts here".to_string(),
        ),
    };
    let d = Diagnostic::error(shown_as, message)
        .with_code(code)
        .with_note(note);
    match at {
        Some((source, offset)) => d.at(source, offset..offset + 1).with_label(label),
        None => d,
    }
}

/// A handbook whose chapters, rendered, pass [`HANDBOOK_BYTES`] in `shown_as`.
pub(crate) fn handbook_too_large(shown_as: &Path) -> Diagnostic {
    Diagnostic::error(
        shown_as,
        format!(
            "the chapters of this handbook render to more than {}; this chapter passes the limit",
            megabytes(HANDBOOK_BYTES)
        ),
    )
    .with_code("chapter.handbook-too-large")
    .with_note(format!("a handbook's chapters together, after their templates are rendered, are at most {} of Markdown: look for a loop that produces too much text, or shorten the guide", megabytes(HANDBOOK_BYTES)))
}

/// A writer that refuses to hold more than `max` bytes, so that a runaway template
/// stops at the limit instead of filling the memory.
pub(crate) struct BoundedWriter {
    pub bytes: Vec<u8>,
    max: usize,
    pub overflowed: bool,
}

impl BoundedWriter {
    pub(crate) fn new(max: usize) -> Self {
        BoundedWriter {
            bytes: Vec::new(),
            max,
            overflowed: false,
        }
    }
}

impl std::io::Write for BoundedWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.bytes.len() + buf.len() > self.max {
            self.overflowed = true;
            return Err(std::io::Error::other("output limit reached"));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str) -> Vec<String> {
        let source: Arc<str> = Arc::from(text);
        check_toml(&source, 0, text, Path::new("s.toml"), &[("name", 5)])
            .iter()
            .map(|d| {
                let (line, col) = d.line_col().unwrap_or_default();
                format!("{line}:{col} {}", d.message)
            })
            .collect()
    }

    #[test]
    fn strings_are_counted_in_characters() {
        assert!(check("name = \"äöüßé\"").is_empty());
        assert_eq!(
            check("x = 1\nname = \"äöüßéa\""),
            ["2:8 `name` is longer than 5 characters"]
        );
        let long = "ä".repeat(STRING_CHARS);
        assert!(check(&format!("a.b = \"{long}\"")).is_empty());
        assert_eq!(
            check(&format!("[a]\nb = [\"{long}a\"]")),
            ["2:6 `a.b` is longer than 1000 characters"]
        );
    }

    #[test]
    fn lists_point_at_the_first_entry_past_the_limit() {
        let entries = vec!["1"; LIST_ENTRIES + 1].join(", ");
        assert_eq!(
            check(&format!("orders = [{entries}]")),
            ["1:311 `orders` has 101 entries; at most 100 are allowed"]
        );
    }

    #[test]
    fn deep_dotted_keys_are_found_outside_quotes() {
        let deep = format!("x = 1\n  {}b = 2\n", "a.".repeat(79));
        assert_eq!(deep_key_at(&deep), Some(8..9));
        let quoted = format!("\"{}\" = 1\n", "a.".repeat(100));
        assert_eq!(deep_key_at(&quoted), None);
        let header = format!("[{}]\n", vec!["t"; 80].join("."));
        assert_eq!(deep_key_at(&header), Some(0..1));
    }
}

//! One error type for everything a user can get wrong, rendered like rustc:
//! file, line, column, the offending source line and a marker.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use codespan_reporting::diagnostic::{Diagnostic as Report, Label};
use codespan_reporting::term;

use crate::secrets;
use excerpt::Excerpt;

mod excerpt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// A problem in one input file, optionally pinned to a byte range of its text.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path as the user knows it (relative to the project root where possible).
    pub file: PathBuf,
    pub message: String,
    /// Short text under the marker ("expected V followed by digits").
    pub label: Option<String>,
    pub notes: Vec<String>,
    span: Option<Range<usize>>,
    source: Option<Arc<str>>,
    /// The command line asked for something handbuch refuses (exit 2), not a fault in the input.
    usage: bool,
    /// What kind of problem it is, for `--format json|github` (see [`Self::code`]).
    code: Option<Code>,
}

/// A diagnostic's stable code, `area.kind` (`chapter.broken-xref`): given whole where
/// the kind of problem is known, or only its kind by code shared by several areas (a
/// TOML syntax error, a file too large), which then takes its area from the file.
#[derive(Debug, Clone, Copy)]
enum Code {
    Full(&'static str),
    Kind(&'static str),
}

impl Diagnostic {
    pub fn error(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            message: message.into(),
            label: None,
            notes: Vec::new(),
            span: None,
            source: None,
            usage: false,
            code: None,
        }
    }

    /// An error in how handbuch was called (e.g. an `--out` it must not replace): exit 2.
    pub fn usage(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            usage: true,
            ..Diagnostic::error(file, message)
        }
    }

    pub fn is_usage(&self) -> bool {
        self.usage
    }

    pub fn warning(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, message)
        }
    }

    /// Pin the problem to `span` of `source` (the file's full text).
    pub fn at(mut self, source: &Arc<str>, span: Range<usize>) -> Self {
        let end = span.end.min(source.len());
        let start = span.start.min(end);
        self.span = Some(start..end);
        self.source = Some(source.clone());
        self
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    /// Name the kind of problem with a stable code, `area.kind` (`chapter.broken-xref`).
    pub fn with_code(mut self, code: &'static str) -> Self {
        self.code = Some(Code::Full(code));
        self
    }

    /// Name only the kind (`unknown-key`) where the code is shared by several kinds of
    /// file; the area comes from the file (`school.unknown-key`, `config.unknown-key`).
    pub(crate) fn with_kind(mut self, kind: &'static str) -> Self {
        self.code = Some(Code::Kind(kind));
        self
    }

    /// The stable code of the problem, `area.kind`; one built without a code falls
    /// back to `<area>.other` (`cli.refused` for a usage error), with the area from the file.
    pub fn code(&self) -> String {
        match self.code {
            Some(Code::Full(code)) => code.to_string(),
            Some(Code::Kind(kind)) => format!("{}.{kind}", area(&self.file)),
            None if self.usage => "cli.refused".to_string(),
            None => format!("{}.other", area(&self.file)),
        }
    }

    /// The byte range of the file's text the problem is pinned to, if any.
    pub(crate) fn span(&self) -> Option<Range<usize>> {
        self.span.clone()
    }

    /// 1-based line and column of the span's start, if the problem has one.
    pub fn line_col(&self) -> Option<(usize, usize)> {
        let (span, source) = (self.span.as_ref()?, self.source.as_ref()?);
        Some(line_col(source, span.start))
    }

    /// 1-based line and column just past the span's end, if the problem has one.
    pub fn end_line_col(&self) -> Option<(usize, usize)> {
        let (span, source) = (self.span.as_ref()?, self.source.as_ref()?);
        Some(line_col(source, span.end))
    }

    /// Render for a terminal (`color`) or a log (plain). Every secret is blanked out
    /// first, here and nowhere else, so no caller can print one (see [`Self::redacted`]);
    /// control characters from the input are shown escaped, never sent raw.
    pub fn render(&self, color: bool) -> String {
        self.redacted().render_redacted(color)
    }

    /// A copy that shows no secret: product keys and parts of them (two groups or more)
    /// and the values of secret-named fields become `*` in the file name, the message,
    /// the label, the notes and the source lines. Each diagnostic blanks every secret of
    /// its whole line, not just its own value, so two messages together show no more.
    pub(crate) fn redacted(&self) -> Diagnostic {
        let text = |s: &str| secrets::redact(s, false).into_owned();
        let toml = self.file.extension().is_some_and(|x| x == "toml");
        Diagnostic {
            severity: self.severity,
            usage: self.usage,
            code: self.code,
            file: PathBuf::from(text(&self.file.to_string_lossy())),
            message: text(&self.message),
            label: self.label.as_deref().map(text),
            notes: self.notes.iter().map(|n| text(n)).collect(),
            span: self.span.clone(),
            source: self
                .source
                .as_ref()
                .map(|source| match secrets::redact(source, toml) {
                    Cow::Borrowed(_) => source.clone(),
                    Cow::Owned(blanked) => Arc::from(blanked),
                }),
        }
    }

    fn render_redacted(&self, color: bool) -> String {
        let Some((span, source)) = self.span.clone().zip(self.source.clone()) else {
            return self.render_without_source();
        };
        let name = escape_unsafe(&self.file.display().to_string());
        let (file, span) = Excerpt::new(name, escape_source(&source, span));
        let mut label = Label::primary((), span);
        if let Some(text) = &self.label {
            label = label.with_message(escape_unsafe(text));
        }
        let report = self.report().with_labels(vec![label]);
        let config = term::Config::default();
        if color {
            let mut buffer = termcolor::Buffer::ansi();
            if term::emit_to_write_style(&mut buffer, &config, &file, &report).is_ok() {
                return String::from_utf8_lossy(buffer.as_slice()).into_owned();
            }
        }
        term::emit_into_string(&config, &file, &report)
            .unwrap_or_else(|_| self.render_without_source())
    }

    fn report(&self) -> Report<()> {
        let report = match self.severity {
            Severity::Error => Report::error(),
            Severity::Warning => Report::warning(),
        };
        report
            .with_message(escape_unsafe(&self.message))
            .with_notes(self.notes.iter().map(|n| escape_unsafe(n)).collect())
    }

    fn render_without_source(&self) -> String {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut out = format!("{kind}: {}\n  --> {}\n", self.message, self.file.display());
        if let Some(label) = &self.label {
            out.push_str(&format!("   = {label}\n"));
        }
        for note in &self.notes {
            out.push_str(&format!("   = note: {note}\n"));
        }
        escape_unsafe(&out)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

/// The part of the project a file belongs to, the first half of a code without its own:
/// `config` (handbuch.toml), `school`, `chapter`, `i18n` (a theme's .ftl), `theme`,
/// `static`, else `project`.
fn area(file: &Path) -> &'static str {
    let has = |part: &str| file.components().any(|c| c.as_os_str() == part);
    let extension = file
        .extension()
        .and_then(|x| x.to_str())
        .unwrap_or_default();
    if file
        .file_name()
        .is_some_and(|name| name == crate::config::CONFIG_FILE)
    {
        "config"
    } else if extension == "ftl" {
        "i18n"
    } else if has("themes") || matches!(extension, "typ" | "html") {
        "theme"
    } else if extension == "toml" || has("schools") {
        "school"
    } else if extension == "md" || has("guide") {
        "chapter"
    } else if has("static") {
        "static"
    } else {
        "project"
    }
}

/// Characters that must never reach a terminal or a page raw: C0 and C1 controls and
/// DEL (a terminal obeys them: `ESC ]0;…` retitles the window, `ESC [2J` clears it),
/// the Unicode line and paragraph separators, and the bidirectional embeddings,
/// overrides and isolates that make text read differently from what it is.
pub(crate) fn is_unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every unsafe character but line breaks and tabs written as `\u{1B}`.
pub fn escape_unsafe(text: &str) -> String {
    escape_source(text, 0..0).text
}

/// A file's text with its unsafe characters escaped ([`escape_unsafe`]), the marked span
/// moved to the same place, and where each escape stands (one character of the file).
struct Escaped {
    text: String,
    span: Range<usize>,
    /// Byte ranges of the escapes (`\u{1B}`) in `text`, in order.
    escapes: Vec<Range<usize>>,
}

/// [`escape_unsafe`] for a whole file, with `span` moved to the same place in the result.
fn escape_source(source: &str, span: Range<usize>) -> Escaped {
    let mut out = String::with_capacity(source.len());
    let mut escapes = Vec::new();
    let (mut start, mut end) = (None, None);
    for (i, c) in source.char_indices() {
        if i >= span.start && start.is_none() {
            start = Some(out.len());
        }
        if i >= span.end && end.is_none() {
            end = Some(out.len());
        }
        let line_break = c == '\n' || (c == '\r' && source[i + 1..].starts_with('\n'));
        if is_unsafe_char(c) && !line_break && c != '\t' {
            let at = out.len();
            out.push_str(&format!("\\u{{{:X}}}", u32::from(c)));
            escapes.push(at..out.len());
        } else {
            out.push(c);
        }
    }
    let len = out.len();
    Escaped {
        text: out,
        span: start.unwrap_or(len)..end.unwrap_or(len),
        escapes,
    }
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset);
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, text[line_start..offset].chars().count() + 1)
}

/// Byte offset where 1-based `line` starts, clamped to the text.
pub(crate) fn line_start(text: &str, line: usize) -> usize {
    if line <= 1 {
        return 0;
    }
    text.match_indices('\n')
        .nth(line - 2)
        .map_or(text.len(), |(i, _)| i + 1)
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Every problem of a run; a run fails if any of them is an error. The one type that
/// collects problems: a pass that can find several returns `Result<T, Diagnostics>`, or
/// pushes into a `&mut Diagnostics` when it also reports warnings beside its value.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(other);
    }

    /// The value of `result`, or `None` with its problems kept here.
    pub fn take<T, E: Into<Diagnostics>>(&mut self, result: Result<T, E>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(e) => {
                self.extend(e.into());
                None
            }
        }
    }

    /// `value` if nothing collected so far is an error, else everything collected.
    pub fn finish<T>(self, value: T) -> Result<T, Diagnostics> {
        if self.has_errors() {
            Err(self)
        } else {
            Ok(value)
        }
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| d.severity == Severity::Error)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.0.iter()
    }

    /// Whether the run failed because of how handbuch was called (exit 2) rather than its input.
    pub fn is_usage(&self) -> bool {
        self.errors().any(Diagnostic::is_usage)
    }

    /// Sorted by file and position, so output reads like a compiler's.
    pub fn sorted(mut self) -> Self {
        self.0.sort_by(|a, b| {
            (&a.file, a.line_col(), a.severity, &a.message).cmp(&(
                &b.file,
                b.line_col(),
                b.severity,
                &b.message,
            ))
        });
        self
    }

    /// "3 errors in 2 files" (plus warnings), for the last line of a run.
    pub fn summary(&self) -> String {
        let errors: Vec<_> = self.errors().collect();
        let mut files: Vec<&Path> = errors.iter().map(|d| d.file.as_path()).collect();
        files.sort();
        files.dedup();
        let warnings = self.0.len() - errors.len();
        let mut out = format!(
            "{} in {}",
            plural(errors.len(), "error", "errors"),
            plural(files.len(), "file", "files")
        );
        if warnings > 0 {
            out.push_str(&format!(", {}", plural(warnings, "warning", "warnings")));
        }
        out
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Diagnostics {
        Diagnostics(vec![d])
    }
}

impl From<Vec<Diagnostic>> for Diagnostics {
    fn from(all: Vec<Diagnostic>) -> Diagnostics {
        Diagnostics(all)
    }
}

impl FromIterator<Diagnostic> for Diagnostics {
    fn from_iter<I: IntoIterator<Item = Diagnostic>>(iter: I) -> Diagnostics {
        Diagnostics(iter.into_iter().collect())
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a Diagnostics {
    type Item = &'a Diagnostic;
    type IntoIter = std::slice::Iter<'a, Diagnostic>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_characters_are_escaped_but_lines_and_tabs_kept() {
        assert_eq!(
            escape_unsafe("a\u{1b}[2J\tb\r\nc\u{202E}d\u{85}"),
            "a\\u{1B}[2J\tb\r\nc\\u{202E}d\\u{85}"
        );
        assert_eq!(escape_unsafe("x\ry"), "x\\u{D}y");
    }

    #[test]
    fn a_code_is_given_whole_or_takes_its_area_from_the_file() {
        let d = |file: &str| Diagnostic::error(file, "x");
        assert_eq!(
            d("a.md").with_code("chapter.broken-xref").code(),
            "chapter.broken-xref"
        );
        assert_eq!(
            d("content/schools/a.toml").with_kind("unknown-key").code(),
            "school.unknown-key"
        );
        assert_eq!(
            d("handbuch.toml").with_kind("unknown-key").code(),
            "config.unknown-key"
        );
        assert_eq!(d("content/guide/de/01-a.md").code(), "chapter.other");
        assert_eq!(d("themes/default/i18n/de.ftl").code(), "i18n.other");
        assert_eq!(d("public").code(), "project.other");
        assert_eq!(Diagnostic::usage("public", "x").code(), "cli.refused");
    }

    #[test]
    fn span_follows_the_escaped_text() {
        let source = "a\u{7}b = \"x\"";
        let escaped = escape_source(source, 6..9);
        assert_eq!(&escaped.text[escaped.span], "\"x\"");
        assert_eq!(escaped.escapes, vec![1..6]);
    }
}

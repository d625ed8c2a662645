//! The source a report shows: the file as it is, or, where the marked line is too long
//! to print (a 300 KB one-line file, a minified table), a window of that line around
//! the marker, numbered by its line and column in the file. Unsafe characters are shown
//! escaped (`\u{1B}`), yet counted as the one character of the file they stand for.

use std::ops::Range;

use codespan_reporting::files::{Error, Files, SimpleFile};

use super::{floor_char_boundary, Escaped};

/// A line longer than this (in characters) is shown as a window of this many.
const SHOWN_CHARS: usize = 160;
/// How much of the window comes before the marker.
const BEFORE_MARKER: usize = 60;
/// Where a line was cut.
const CUT: char = '…';

/// A file for `codespan_reporting`, whole or a window of one line.
pub(super) struct Excerpt {
    file: SimpleFile<String, String>,
    /// Lines of the file before the window's line (0 when the file is shown whole).
    lines_before: usize,
    /// Characters of the line before the window, less the `…` that stands for them.
    columns_before: usize,
    /// Where the escapes stand in what is shown: each is one character of the file.
    escapes: Vec<Range<usize>>,
}

impl Excerpt {
    /// The escaped file to show with its span marked, and the span in what is shown.
    pub(super) fn new(name: String, escaped: Escaped) -> (Excerpt, Range<usize>) {
        let Escaped {
            text: source,
            span,
            escapes,
        } = escaped;
        let start = floor_char_boundary(&source, span.start);
        let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = source[start..]
            .find('\n')
            .map_or(source.len(), |i| start + i);
        let end = floor_char_boundary(&source, span.end.max(start));
        // Every line the span touches, from its first to its last.
        let last_end = source[end..].find('\n').map_or(source.len(), |i| end + i);
        let too_long = source[line_start..last_end]
            .split('\n')
            .any(|line| line.chars().nth(SHOWN_CHARS).is_some());
        if !too_long {
            let whole = Excerpt {
                file: SimpleFile::new(name, source),
                lines_before: 0,
                columns_before: 0,
                escapes,
            };
            return (whole, start..end);
        }
        // The window: up to BEFORE_MARKER characters before the marker, SHOWN_CHARS in all,
        // widened so that it never cuts an escape in two.
        let line = &source[line_start..line_end];
        let marker = start - line_start;
        let chars_before = line[..marker].chars().count();
        let skip = chars_before.saturating_sub(BEFORE_MARKER);
        let from = line.char_indices().nth(skip).map_or(line.len(), |(i, _)| i);
        let to = line[from..]
            .char_indices()
            .nth(SHOWN_CHARS)
            .map_or(line.len(), |(i, _)| from + i);
        let in_line = |e: &&Range<usize>| e.start >= line_start && e.end <= line_end;
        let line_escapes: Vec<Range<usize>> = escapes
            .iter()
            .filter(in_line)
            .map(|e| e.start - line_start..e.end - line_start)
            .collect();
        let from = line_escapes
            .iter()
            .find(|e| e.start < from && from < e.end)
            .map_or(from, |e| e.start);
        let to = line_escapes
            .iter()
            .find(|e| e.start < to && to < e.end)
            .map_or(to, |e| e.end);
        let mut text = String::with_capacity(to - from + 2 * CUT.len_utf8());
        if from > 0 {
            text.push(CUT);
        }
        let offset = text.len();
        text.push_str(&line[from..to]);
        if to < line.len() {
            text.push(CUT);
        }
        // The marker stays inside the window; a span that runs on is cut at its end.
        let shown_start = offset + (marker - from);
        let shown_end = offset + (end.min(line_start + to).max(start) - line_start - from);
        let lines_before = source[..line_start].matches('\n').count();
        // The file's characters before the window: each escape there is one.
        let hidden = line[..from].chars().count()
            - extra_chars(line_escapes.iter().filter(|e| e.end <= from));
        let shown_escapes = line_escapes
            .iter()
            .filter(|e| e.start >= from && e.end <= to)
            .map(|e| e.start - from + offset..e.end - from + offset)
            .collect();
        let excerpt = Excerpt {
            file: SimpleFile::new(name, text),
            lines_before,
            columns_before: hidden.saturating_sub(usize::from(from > 0)),
            escapes: shown_escapes,
        };
        (excerpt, shown_start..shown_end)
    }
}

/// How many more characters the escapes take than the characters they stand for.
fn extra_chars<'a>(escapes: impl Iterator<Item = &'a Range<usize>>) -> usize {
    escapes.map(|e| e.len() - 1).sum()
}

impl<'a> Files<'a> for Excerpt {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, Error> {
        Ok(self.file.name().as_str())
    }

    fn source(&'a self, (): ()) -> Result<&'a str, Error> {
        Ok(self.file.source().as_str())
    }

    fn line_index(&'a self, (): (), byte_index: usize) -> Result<usize, Error> {
        self.file.line_index((), byte_index)
    }

    fn line_range(&'a self, (): (), line_index: usize) -> Result<Range<usize>, Error> {
        self.file.line_range((), line_index)
    }

    fn line_number(&'a self, (): (), line_index: usize) -> Result<usize, Error> {
        Ok(self.lines_before + line_index + 1)
    }

    fn column_number(
        &'a self,
        (): (),
        line_index: usize,
        byte_index: usize,
    ) -> Result<usize, Error> {
        let column = self.file.column_number((), line_index, byte_index)?;
        let line = self.file.line_range((), line_index)?;
        // Escapes before the byte are one character each; inside one, its first.
        let before = self
            .escapes
            .iter()
            .filter(|e| e.start >= line.start && e.start < byte_index);
        let extra: usize = before
            .map(|e| e.len().min(byte_index - e.start + 1) - 1)
            .sum();
        Ok(self.columns_before + column - extra)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::diagnostics::escape_source;

    fn shown(source: &str, span: Range<usize>) -> (String, Range<usize>, usize, usize) {
        let (excerpt, span) = Excerpt::new("f".into(), escape_source(source, span));
        let location = excerpt.location((), span.start).expect("location");
        let text = excerpt.source(()).expect("source").to_string();
        (text, span, location.line_number, location.column_number)
    }

    #[test]
    fn a_short_line_is_shown_whole() {
        let source = "a = 1\nb = x\n";
        let (text, span, line, column) = shown(source, 10..11);
        assert_eq!(text, source);
        assert_eq!((span, line, column), (10..11, 2, 5));
    }

    #[test]
    fn a_long_line_is_cut_to_a_window_around_the_marker_with_its_real_line_and_column() {
        let long = format!("x = \"{}\" junk", "a".repeat(300_000));
        let source = format!("name = 1\n{long}\nz = 2\n");
        let marker = source.find("junk").expect("junk");
        let (text, span, line, column) = shown(&source, marker..marker + 4);
        assert!(
            text.chars().count() <= SHOWN_CHARS + 2,
            "{} chars",
            text.len()
        );
        assert!(text.starts_with(CUT) && !text.ends_with(CUT), "{text}");
        assert_eq!(&text[span.clone()], "junk");
        assert_eq!(line, 2);
        assert_eq!(column, long.find("junk").expect("junk") + 1);
    }

    #[test]
    fn the_window_holds_non_ascii_text_and_cuts_a_long_span_at_its_end() {
        let line = "ä".repeat(1_000);
        let source = format!("{line}\n");
        let start = "ä".len() * 10;
        let (text, span, line_number, column) = shown(&source, start..source.len());
        assert!(!text.starts_with(CUT) && text.ends_with(CUT), "{text}");
        assert_eq!(text.chars().count(), SHOWN_CHARS + 1);
        assert_eq!(span.end, text.len() - CUT.len_utf8());
        assert_eq!((line_number, column), (1, 11));
    }

    #[test]
    fn an_escaped_character_counts_as_the_one_character_it_stands_for() {
        // Line 2: `x = "`, ESC, `[2J`, ESC, `" junk`: `junk` starts at column 13.
        let source = "a = 1\nx = \"\u{1b}[2J\u{1b}\" junk\n";
        let marker = source.find("junk").expect("junk");
        let (text, span, line, column) = shown(source, marker..marker + 4);
        assert!(text.contains("\\u{1B}[2J\\u{1B}"), "{text}");
        assert_eq!(&text[span], "junk");
        assert_eq!((line, column), (2, 13));
    }

    #[test]
    fn a_window_counts_the_escapes_before_it_and_in_it_as_one_character_each() {
        // 20,000 × (`é`, ESC) then ` junk`: the window starts inside the escapes.
        let line = "é\u{1b}".repeat(20_000);
        let source = format!("x = \"{line}\" junk\n");
        let marker = source.find("junk").expect("junk");
        let (text, span, line_number, column) = shown(&source, marker..marker + 4);
        assert!(text.starts_with(CUT), "{text}");
        assert!(text.chars().count() <= SHOWN_CHARS + 2 + 5, "{text}");
        assert_eq!(&text[span], "junk");
        assert_eq!(line_number, 1);
        assert_eq!(column, source[..marker].chars().count() + 1);
        assert_eq!(column, 5 + 40_000 + 2 + 1);
    }
}

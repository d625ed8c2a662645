//! The source a report shows: the file as it is, or, where the marked line is too long
//! to print (a 300 KB one-line file, a minified table), a window of that line around
//! the marker, numbered by its line and column in the file.

use std::ops::Range;

use codespan_reporting::files::{Error, Files, SimpleFile};

use super::floor_char_boundary;

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
}

impl Excerpt {
    /// `source` to show with `span` marked, and the span in what is shown.
    pub(super) fn new(name: String, source: String, span: Range<usize>) -> (Excerpt, Range<usize>) {
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
            };
            return (whole, start..end);
        }
        // The window: up to BEFORE_MARKER characters before the marker, SHOWN_CHARS in all.
        let line = &source[line_start..line_end];
        let marker = start - line_start;
        let chars_before = line[..marker].chars().count();
        let skip = chars_before.saturating_sub(BEFORE_MARKER);
        let from = line.char_indices().nth(skip).map_or(line.len(), |(i, _)| i);
        let to = line[from..]
            .char_indices()
            .nth(SHOWN_CHARS)
            .map_or(line.len(), |(i, _)| from + i);
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
        let excerpt = Excerpt {
            file: SimpleFile::new(name, text),
            lines_before,
            columns_before: skip.saturating_sub(usize::from(from > 0)),
        };
        (excerpt, shown_start..shown_end)
    }
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
        Ok(self.columns_before + column)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(source: &str, span: Range<usize>) -> (String, Range<usize>, usize, usize) {
        let (excerpt, span) = Excerpt::new("f".into(), source.to_string(), span.clone());
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
}

//! From the parser's offsets in a chapter's rendered Markdown back to the chapter
//! file, where messages point: the template may have changed the text before or on
//! the line, so the place is found by what the template leaves alone.

use std::ops::Range;

use crate::diagnostics::Diagnostic;
use crate::guide::ChapterSource;

/// A chapter file and the Markdown its template rendered for this handbook: the
/// model's spans are offsets into `markdown`, messages point into `source`.
pub(super) struct Rendered<'a> {
    pub(super) source: &'a ChapterSource,
    pub(super) markdown: String,
}

impl Rendered<'_> {
    /// Where the element the parser read at `span` is written in the chapter file,
    /// narrowed to `part` (a URL, an `{#id}`) where that is written inside it.
    pub(super) fn locate(&self, span: &Range<usize>, part: Part) -> Option<Range<usize>> {
        let start = source_offset(&self.markdown, span.start, self.source)?;
        let text = &self.source.source;
        // As many lines of the file as the parser read for the element.
        let read = self.markdown.get(span.clone()).unwrap_or_default();
        let lines = read.trim_end().matches('\n').count();
        let end = text
            .get(start..)?
            .match_indices('\n')
            .nth(lines)
            .map_or(text.len(), |(i, _)| start + i);
        let region = &text[start..end];
        let (from, to) = match part {
            Part::Text(part) => match region.find(part).filter(|_| !part.is_empty()) {
                Some(at) => (at, at + part.len()),
                None => (0, region.trim_end().len()),
            },
            Part::Destination(url) => match destination(region, url) {
                Some(at) => (at, at + url.len()),
                None => (0, region.trim_end().len()),
            },
            Part::HeadingText => heading_text(region),
        };
        Some(start + from..start + to)
    }

    /// An error about this chapter, at the element the parser read at `span`.
    pub(super) fn error_at(
        &self,
        message: String,
        span: &Range<usize>,
        part: Part,
        label: &str,
    ) -> Diagnostic {
        let d = Diagnostic::error(&self.source.shown_as, message);
        match self.locate(span, part) {
            Some(at) => d.at(&self.source.source, at).with_label(label),
            None => d,
        }
    }
}

/// Which part of an element a message points at.
#[derive(Clone, Copy)]
pub(super) enum Part<'a> {
    /// This text where it is written inside the element, else the whole element.
    Text(&'a str),
    /// A link's or image's URL where it is written as such, `(url)` or `(url "title")`,
    /// else the whole element (`[x][ref]`, `<url>`, entities).
    Destination(&'a str),
    /// The title of a heading, without its `#` marks.
    HeadingText,
}

/// Where `url` is written plainly as an inline link's destination in `element`.
fn destination(element: &str, url: &str) -> Option<usize> {
    let open = format!("({url}");
    element.match_indices(&open).find_map(|(at, _)| {
        let after = element[at + open.len()..].chars().next();
        after
            .is_some_and(|c| c == ')' || c.is_whitespace())
            .then_some(at + 1)
    })
}

/// The title in a heading's first line (an ATX heading's text after its `#`s, or a
/// setext heading's text line), as `from..to` within `heading`.
fn heading_text(heading: &str) -> (usize, usize) {
    let line = heading.lines().next().unwrap_or_default();
    let after_marks = line.trim_start().trim_start_matches('#').trim_start();
    let from = line.len() - after_marks.len();
    (from, from + after_marks.trim_end().len())
}

/// Where byte `offset` of the rendered Markdown was written in the chapter file: the
/// same place if the template changed nothing before it; else the same text on its
/// line, found in the chapter's body (of equal lines, the same one); else a line of the
/// body that renders to it once its `{{ … }}` are filled in; else, if the template
/// added or removed no lines before it, the start of the same line.
pub(super) fn source_offset(
    markdown: &str,
    offset: usize,
    source: &ChapterSource,
) -> Option<usize> {
    let body = source.body();
    if markdown.get(..offset) == body.get(..offset) {
        return Some(source.body_offset + offset);
    }
    let line_start = markdown.get(..offset)?.rfind('\n').map_or(0, |i| i + 1);
    let line_end = markdown[offset..]
        .find('\n')
        .map_or(markdown.len(), |i| offset + i);
    let line = &markdown[line_start..line_end];
    if !line.trim().is_empty() {
        if let Some(found) = nth_same(body, markdown, line, line_start) {
            return Some(source.body_offset + found + (offset - line_start));
        }
        if let Some(found) = filled_in(body, line, offset - line_start) {
            return Some(source.body_offset + found);
        }
    }
    let lines = |text: &str| text.matches('\n').count();
    let line_no = lines(&markdown[..line_start]) + 1;
    let start = crate::diagnostics::line_start(body, line_no);
    // Only `{% … %}` (and multi-line comments) add or remove lines.
    let same_lines = lines(markdown) == lines(body) || !body[..start].contains("{%");
    same_lines.then_some(source.body_offset + start)
}

/// The body line whose text around its `{{ … }}` expressions is the rendered `line`'s,
/// in order, and where column `column` of `line` is in it: the same character if it is
/// in that text, else the line's start.
fn filled_in(body: &str, line: &str, column: usize) -> Option<usize> {
    let mut start = 0;
    for written in body.split_inclusive('\n') {
        let text = written.trim_end_matches(['\n', '\r']);
        if text.contains("{{") {
            if let Some(at) = match_filled_in(text, line, column) {
                return Some(start + at);
            }
        }
        start += written.len();
    }
    None
}

/// Whether `text` renders to `line` (its literal pieces found in order, the first at the
/// start and the last at the end), and where `column` of `line` is in `text`.
fn match_filled_in(text: &str, line: &str, column: usize) -> Option<usize> {
    // (offset in `text`, literal piece) around each `{{ … }}`.
    let mut pieces = Vec::new();
    let mut rest = 0;
    while let Some(open) = text[rest..].find("{{") {
        pieces.push((rest, &text[rest..rest + open]));
        let close = text[rest + open..].find("}}")?;
        rest += open + close + 2;
    }
    pieces.push((rest, &text[rest..]));
    let last = pieces.len() - 1;
    let (mut pos, mut mapped) = (0, 0);
    for (i, (in_text, piece)) in pieces.into_iter().enumerate() {
        let at = if i == 0 {
            line.starts_with(piece).then_some(0)?
        } else if i == last {
            let at = line
                .len()
                .checked_sub(piece.len())
                .filter(|at| *at >= pos)?;
            line.ends_with(piece).then_some(at)?
        } else {
            pos + line[pos..].find(piece)?
        };
        if (at..at + piece.len()).contains(&column) {
            mapped = in_text + (column - at);
        }
        pos = at + piece.len();
    }
    Some(mapped)
}

/// Where `line` occurs in `body`: of equal lines, the one with as many equal lines
/// before it as the rendered Markdown has before `line_start`.
fn nth_same(body: &str, markdown: &str, line: &str, line_start: usize) -> Option<usize> {
    let before = markdown[..line_start].matches(line).count();
    let mut found = body.match_indices(line).map(|(at, _)| at);
    let first = body.find(line);
    found.nth(before).or(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_templated_line_is_recognised_by_the_text_around_its_expressions() {
        let text = "Vertrag **{{ school.contract.number }}**. Weiter mit [](#x).";
        let line = "Vertrag **V1000001**. Weiter mit [](#x).";
        let bracket = line.find("[]").expect("link");
        assert_eq!(match_filled_in(text, line, bracket), text.find("[]"));
        // Inside the filled-in value: the line's start.
        assert_eq!(match_filled_in(text, line, 12), Some(0));
        assert_eq!(match_filled_in(text, "Vertrag **V1**. Anders.", 0), None);
        assert_eq!(match_filled_in("{{ a }}{{ b }}", "xy", 1), Some(0));
    }

    #[test]
    fn of_equal_lines_the_same_one_is_found() {
        let body = "a\nSiehe x.\nb\nSiehe x.\n";
        let markdown = "Siehe x.\nb\nSiehe x.\n";
        let second = markdown.rfind("Siehe").expect("second");
        assert_eq!(
            nth_same(body, markdown, "Siehe x.", second),
            body.rfind("Siehe")
        );
    }
}

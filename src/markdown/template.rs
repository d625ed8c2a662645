//! The tera pass: a chapter is a template rendered per school and locale before
//! Markdown parsing, with every `{{ }}` output escaped for Markdown.

use std::ops::Range;
use std::sync::Arc;

use tera::{Context, Delimiters, Kwargs, State, Tera};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::guide::ChapterSource;
use crate::i18n::Strings;
use crate::limits::{self, BoundedWriter};
use crate::markdown::escape::escape_markdown;

/// The compiled chapters of one locale.
pub(crate) struct ChapterTemplates {
    tera: Tera,
}

impl ChapterTemplates {
    /// Compile every chapter; all syntax errors are reported, with their lines.
    pub(crate) fn compile(
        chapters: &[ChapterSource],
        strings: Arc<Strings>,
    ) -> Result<Self, Diagnostics> {
        let mut tera = Tera::new();
        // `{#id}` is Markdown's heading-id syntax, so tera comments are `{! … !}` here.
        let delimiters = Delimiters {
            comment_start: "{!".into(),
            comment_end: "!}".into(),
            ..Delimiters::default()
        };
        if let Err(e) = tera.set_delimiters(delimiters) {
            return Err(Diagnostic::error(crate::guide::GUIDE_DIR, e.to_string())
                .with_code("chapter.template")
                .into());
        }
        tera.set_escape_fn(escape_markdown);
        tera.autoescape_on([".md"]);
        let for_dates = strings.clone();
        tera.register_filter("date", move |value: &str, _: Kwargs, _: &State| {
            for_dates
                .format_iso_date(value)
                .unwrap_or_else(|| value.to_string())
        });
        // `{{ n | plural(key="licenses") }}` → "1 Lizenz" / "85 Lizenzen" (Fluent plural rules).
        tera.register_filter("plural", move |n: i64, kwargs: Kwargs, _: &State| {
            kwargs
                .must_get::<&str>("key")
                .map(|key| strings.plural(key, n))
        });
        let mut problems = Diagnostics::default();
        for chapter in chapters {
            if let Err(e) = tera.add_raw_template(&chapter.template_name(), chapter.body()) {
                problems.push(diagnostic(&e, chapter));
            }
        }
        problems.finish(ChapterTemplates { tera })
    }

    /// The chapter's Markdown for one school; a template that would render to more than
    /// `max_bytes` is stopped at that size, so a runaway loop cannot fill the memory.
    pub(crate) fn render(
        &self,
        chapter: &ChapterSource,
        context: &Context,
        max_bytes: usize,
    ) -> Result<String, Diagnostic> {
        let mut out = BoundedWriter::new(max_bytes);
        let rendered = self
            .tera
            .render_to(&chapter.template_name(), context, &mut out);
        if out.overflowed {
            return Err(limits::handbook_too_large(&chapter.shown_as));
        }
        rendered.map_err(|e| diagnostic(&e, chapter))?;
        String::from_utf8(out.bytes).map_err(|_| {
            Diagnostic::error(
                &chapter.shown_as,
                "template error in chapter: output is not UTF-8",
            )
            .with_code("chapter.template")
        })
    }
}

/// A tera error pinned to the chapter file, with line and column of the full file.
fn diagnostic(error: &tera::Error, chapter: &ChapterSource) -> Diagnostic {
    let (message, span) = match error.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => (
            report.message().to_string(),
            Some(shift(report.span().range.clone(), chapter.body_offset)),
        ),
        // Unknown filters and tests come as a finished report; take its message and place.
        other => {
            let text = other.to_string();
            let span = reported_position(&text, chapter);
            let first = text.lines().next().unwrap_or_default();
            (first.trim_start_matches("error: ").to_string(), span)
        }
    };
    let d = Diagnostic::error(
        &chapter.shown_as,
        format!("template error in chapter: {message}"),
    )
    .with_code("chapter.template");
    match span {
        Some(range) => d.at(&chapter.source, range),
        None => d,
    }
}

/// The `--> <template>:<line>:<col>` of a tera report, as a byte range in the chapter file.
fn reported_position(report: &str, chapter: &ChapterSource) -> Option<Range<usize>> {
    let marker = format!("--> {}:", chapter.template_name());
    let rest = &report[report.find(&marker)? + marker.len()..];
    let mut numbers = rest
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty());
    let line: usize = numbers.next()?.parse().ok()?;
    let column: usize = numbers.next()?.parse().ok()?;
    let body = chapter.body();
    let line_start = crate::diagnostics::line_start(body, line);
    let column_offset: usize = body[line_start..]
        .chars()
        .take(column.saturating_sub(1))
        .map(char::len_utf8)
        .sum();
    let start = chapter.body_offset + line_start + column_offset;
    Some(start..start + 1)
}

fn shift(range: Range<usize>, by: usize) -> Range<usize> {
    range.start + by..range.end + by
}

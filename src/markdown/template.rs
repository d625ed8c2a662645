//! The tera pass: a chapter is a template rendered per school and locale before
//! Markdown parsing, with every `{{ }}` output escaped for Markdown.

use std::ops::Range;
use std::sync::Arc;

use tera::{Context, Delimiters, Kwargs, State, Tera};

use crate::diagnostics::Diagnostic;
use crate::guide::ChapterSource;
use crate::i18n::Strings;
use crate::markdown::escape::escape_markdown;

/// The compiled chapters of one locale.
pub struct ChapterTemplates {
    tera: Tera,
}

impl ChapterTemplates {
    /// Compile every chapter; all syntax errors are reported, with their lines.
    pub fn compile(
        chapters: &[ChapterSource],
        strings: Arc<Strings>,
    ) -> Result<Self, Vec<Diagnostic>> {
        let mut tera = Tera::new();
        // `{#id}` is Markdown's heading-id syntax, so tera comments are `{! … !}` here.
        let delimiters = Delimiters {
            comment_start: "{!".into(),
            comment_end: "!}".into(),
            ..Delimiters::default()
        };
        if let Err(e) = tera.set_delimiters(delimiters) {
            return Err(vec![Diagnostic::error(
                crate::guide::GUIDE_DIR,
                e.to_string(),
            )]);
        }
        tera.set_escape_fn(escape_markdown);
        tera.autoescape_on([".md"]);
        tera.register_filter("date", move |value: &str, _: Kwargs, _: &State| {
            strings
                .format_iso_date(value)
                .unwrap_or_else(|| value.to_string())
        });
        let mut problems = Vec::new();
        for chapter in chapters {
            if let Err(e) = tera.add_raw_template(&chapter.template_name(), chapter.body()) {
                problems.push(diagnostic(&e, chapter));
            }
        }
        if problems.is_empty() {
            Ok(ChapterTemplates { tera })
        } else {
            Err(problems)
        }
    }

    pub fn render(&self, chapter: &ChapterSource, context: &Context) -> Result<String, Diagnostic> {
        self.tera
            .render(&chapter.template_name(), context)
            .map_err(|e| diagnostic(&e, chapter))
    }
}

/// A tera error pinned to the chapter file, with line and column of the full file.
fn diagnostic(error: &tera::Error, chapter: &ChapterSource) -> Diagnostic {
    let (message, span) = match error.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => (
            report.message().to_string(),
            Some(report.span().range.clone()),
        ),
        other => (other.to_string(), None),
    };
    let d = Diagnostic::error(
        &chapter.shown_as,
        format!("template error in chapter: {message}"),
    );
    match span {
        Some(range) => d.at(&chapter.source, shift(range, chapter.body_offset)),
        None => d,
    }
}

fn shift(range: Range<usize>, by: usize) -> Range<usize> {
    range.start + by..range.end + by
}

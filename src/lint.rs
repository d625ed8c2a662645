//! Build warnings about the project as a whole, computed once per run: school warnings
//! whose step the guide lacks, portal facts or sources not re-checked for a year, and
//! raw HTML the PDF leaves out.

use std::path::Path;
use std::sync::Arc;

use chrono::{Months, NaiveDate};

use crate::config::CONFIG_FILE;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::guide::{self, ChapterSource};
use crate::project::Project;
use crate::warnings::KINDS;

/// Facts older than this before `--today` are flagged for a re-check.
const FRESH_MONTHS: u32 = 12;

pub(crate) fn project_warnings(project: &Project, today: NaiveDate) -> Diagnostics {
    let mut out: Diagnostics = missing_warning_steps(project).into_iter().collect();
    out.extend(stale_dates(project, today));
    out
}

/// A school warning whose step (`[warnings.steps]` or its default) does not exist would
/// be shown only at the top: one build warning lists every such kind.
fn missing_warning_steps(project: &Project) -> Option<Diagnostic> {
    let chapters = project.guide.chapters.get(&project.config.default_locale)?;
    let steps: Vec<String> = chapters
        .iter()
        .flat_map(|c| guide::step_ids(c.body()))
        .collect();
    let config = &project.config.warnings;
    let missing: Vec<String> = KINDS
        .iter()
        .map(|kind| (kind.id, kind.step(config)))
        .filter(|(_, step)| !steps.iter().any(|s| s == step))
        .map(|(id, step)| format!("`{id}` → step `{step}`"))
        .collect();
    if missing.is_empty() {
        return None;
    }
    let edition = project.config.portal.edition.name();
    Some(Diagnostic::warning(
        Path::new(guide::GUIDE_DIR).join(&project.config.default_locale),
        format!(
            "{} school warning(s) belong to a step the guide ({edition} edition) does not have: {}",
            missing.len(),
            missing.join(", ")
        ),
    )
    .with_code("chapter.warning-step-missing")
    .with_note("they are shown only at the top of the handbook; give the step they belong to that id, e.g. `## … {#konto-pruefen}`, or name another step in handbuch.toml under `[warnings.steps]`, e.g. `renewal_due = \"my-step\"`"))
}

/// `[portal] as_of` and every source's `checked` date must be within a year of `today`.
fn stale_dates(project: &Project, today: NaiveDate) -> Vec<Diagnostic> {
    let Some(limit) = today.checked_sub_months(Months::new(FRESH_MONTHS)) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if let Some(as_of) = project.config.portal.as_of.filter(|d| *d < limit) {
        let mut d = Diagnostic::warning(
            CONFIG_FILE,
            format!("[portal] as_of = {as_of} is more than {FRESH_MONTHS} months before {today}"),
        )
        .with_code("config.portal-stale")
        .with_note(
            "check the handbook against Microsoft's documentation again, then update `as_of`",
        );
        let source = std::fs::read_to_string(project.root.join(CONFIG_FILE)).ok();
        if let (Some(span), Some(source)) = (project.config.portal.as_of_at.clone(), source) {
            d = d.at(&Arc::from(source), span);
        }
        out.push(d);
    }
    for chapter in all_chapter_files(project) {
        for source in chapter.sources.iter().filter(|s| s.checked < limit) {
            out.push(
                Diagnostic::warning(
                    &chapter.shown_as,
                    format!(
                        "source “{}” was last checked on {}, more than {FRESH_MONTHS} months before {today}",
                        source.title, source.checked
                    ),
                )
                .with_code("chapter.source-stale")
                .at(&chapter.source, source.checked_at.clone())
                .with_label("re-read the source, then update this date"),
            );
        }
    }
    out
}

/// Every chapter file of the edition once, also when it stands in for another locale.
fn all_chapter_files(project: &Project) -> Vec<&ChapterSource> {
    let mut seen: Vec<&Path> = Vec::new();
    let mut out = Vec::new();
    for chapter in project.guide.chapters.values().flatten() {
        if !seen.contains(&chapter.shown_as.as_path()) {
            seen.push(&chapter.shown_as);
            out.push(chapter);
        }
    }
    out
}

/// The PDF has no HTML: raw HTML in a chapter is left out of it (the text between inline
/// tags stays, being Markdown text). One warning per chapter file, at its first raw
/// HTML; comments are left out of the page too, so they are not counted.
pub(crate) fn raw_html_left_out_of_pdf(project: &Project) -> Vec<Diagnostic> {
    all_chapter_files(project)
        .into_iter()
        .filter_map(|chapter| {
            let at = first_raw_html(chapter.body())?;
            let at = chapter.body_offset + at.start..chapter.body_offset + at.end;
            Some(
                Diagnostic::warning(
                    &chapter.shown_as,
                    "raw HTML is left out of the PDF (its text is kept where it is written between tags in a paragraph)",
                )
                .with_code("chapter.raw-html-not-in-pdf")
                .at(&chapter.source, at)
                .with_label("first raw HTML in this chapter")
                .with_note("write it in Markdown to have it in the PDF too, or build with --no-pdf"),
            )
        })
        .collect()
}

/// Where the first raw HTML other than a comment is written in `markdown`.
fn first_raw_html(markdown: &str) -> Option<std::ops::Range<usize>> {
    use pulldown_cmark::{Event, Parser};
    Parser::new_ext(markdown, crate::markdown::parse::options())
        .into_offset_iter()
        .find_map(|(event, range)| match event {
            Event::Html(html) | Event::InlineHtml(html)
                if !html.trim_start().starts_with("<!--") =>
            {
                let html = html.trim_end();
                let start = range.start + markdown[range.clone()].find(html).unwrap_or(0);
                Some(start..start + html.len())
            }
            _ => None,
        })
}

/// The pages' Content-Security-Policy allows only the site's own files, so an image from
/// another server is not shown (and would tell that server who reads which handbook).
/// One warning per such image, where it is written.
pub(crate) fn remote_images(project: &Project) -> Vec<Diagnostic> {
    use pulldown_cmark::{Event, Parser, Tag};
    let mut out = Vec::new();
    for chapter in all_chapter_files(project) {
        let body = chapter.body();
        for (event, range) in
            Parser::new_ext(body, crate::markdown::parse::options()).into_offset_iter()
        {
            let Event::Start(Tag::Image { dest_url, .. }) = event else {
                continue;
            };
            if !(dest_url.contains("://") || dest_url.starts_with("//")) {
                continue;
            }
            let at = chapter.body_offset + range.start..chapter.body_offset + range.end;
            out.push(
                Diagnostic::warning(
                    &chapter.shown_as,
                    format!(
                        "the image {dest_url} is on another server: the pages' \
                         Content-Security-Policy blocks it"
                    ),
                )
                .at(&chapter.source, at)
                .with_label("remote image")
                .with_code("chapter.remote-image")
                .with_note("copy the image into static/ and link it from there"),
            );
        }
    }
    out
}

//! One handbook: the chapter context, the school's warnings, its page and its PDF.

use std::path::{Path, PathBuf};

use tera::Context;

use super::{Prepared, WHILE_BUILDING};
use crate::diagnostics::Diagnostic;
use crate::markdown::build_handbook;
use crate::project::Project;
use crate::render::html::Alternate;
use crate::render::pdf::{PdfJob, PrintDoc};
use crate::render::PageInput;
use crate::school::School;
use crate::warnings::{self, Facts, Warning};

/// The chapter context: the school, its warnings, the site and the date.
fn chapter_context(
    prepared: &Prepared,
    school: &School,
    locale: &str,
    warnings: &[Warning],
) -> Context {
    let mut context = Context::new();
    context.insert("school", school);
    context.insert("warnings", &warnings::flags(warnings));
    context.insert("site", &prepared.project.config);
    context.insert("locale", locale);
    context.insert("today", &prepared.today.format("%Y-%m-%d").to_string());
    context
}

/// A school's warnings in one locale.
pub(super) fn school_warnings(prepared: &Prepared, school: &School, locale: &str) -> Vec<Warning> {
    let strings = prepared.project.strings(locale);
    warnings::evaluate(&Facts {
        school,
        all: &prepared.index,
        config: &prepared.project.config,
        today: prepared.today,
        strings: &strings,
    })
}

/// The files of one handbook: its page and, unless turned off, its PDF handout.
pub(super) fn render_handbook(
    prepared: &Prepared,
    school: &School,
    locale: &str,
) -> Result<Vec<(PathBuf, Vec<u8>)>, Vec<Diagnostic>> {
    let project = &prepared.project;
    let (Some(chapters), Some(templates)) = (
        project.guide.chapters.get(locale),
        prepared.templates.get(locale),
    ) else {
        return Err(vec![Diagnostic::error(
            crate::guide::GUIDE_DIR,
            format!("no chapters for locale `{locale}`"),
        )]);
    };
    let warnings = school_warnings(prepared, school, locale);
    let context = chapter_context(prepared, school, locale, &warnings);
    let asset_exists = |path: &str| project.asset_exists(path);
    let while_building =
        |e: Diagnostic| e.with_note(format!("{WHILE_BUILDING} `{}` ({locale})", school.slug));
    let handbook = build_handbook(
        locale,
        chapters,
        templates,
        &context,
        warnings,
        &asset_exists,
    )
    .map_err(|errors| errors.into_iter().map(while_building).collect::<Vec<_>>())?;
    let strings = project.strings(locale);
    let pdf_name = format!("{}.pdf", school.slug);
    let input = PageInput {
        config: &project.config,
        school,
        strings: &strings,
        today: strings.format_date(prepared.today),
        alternates: alternates(project, school, "../../", Some(locale)),
        pdf_url: prepared.pdf.as_ref().map(|_| pdf_name.clone()),
    };
    let html = prepared
        .html
        .handbook(&handbook, &input)
        .map_err(|e| vec![e])?;
    let page = page_path(locale, &school.slug);
    let dir = page.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut files = vec![(page, html.into_bytes())];
    if let Some(pdf) = &prepared.pdf {
        let job = PdfJob {
            data: &PrintDoc::new(&handbook, &input, prepared.today),
            ident: format!("{locale}/{}", school.slug),
            date: prepared.today,
        };
        let bytes = pdf.render(&job).map_err(|e| vec![while_building(e)])?;
        files.push((dir.join(pdf_name), bytes));
    }
    Ok(files)
}

/// Where a handbook page goes inside the output folder: `<locale>/<slug>/index.html`.
pub fn page_path(locale: &str, slug: &str) -> PathBuf {
    Path::new(locale).join(slug).join("index.html")
}

/// The same school in each of its locales, linked from a page `root` below the site root:
/// the language switcher (with the `current` locale) and the overview's links.
pub(super) fn alternates(
    project: &Project,
    school: &School,
    root: &str,
    current: Option<&str>,
) -> Vec<Alternate> {
    school
        .locales
        .iter()
        .map(|locale| Alternate {
            locale: locale.clone(),
            name: project.strings(locale).get("language_name").to_string(),
            url: format!("{root}{locale}/{}/", school.slug),
            current: current == Some(locale.as_str()),
        })
        .collect()
}

//! One handbook: the chapter context, the school's warnings, its page and its PDF.

use std::path::{Path, PathBuf};

use tera::Context;

use super::{Prepared, WHILE_BUILDING};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::build_handbook;
use crate::model::Handbook;
use crate::project::Project;
use crate::render::html::Alternate;
use crate::render::pdf::{PdfJob, PrintDoc};
use crate::render::PageInput;
use crate::school::School;
use crate::secrets::gate::{self, Format};
use crate::warnings::{self, Finding};

/// The chapter context: the school, its warnings, the site and the date.
fn chapter_context(
    prepared: &Prepared,
    school: &School,
    locale: &str,
    findings: &[Finding],
) -> Context {
    let mut context = Context::new();
    context.insert("school", school);
    context.insert("warnings", &warnings::flags(findings));
    context.insert("site", &prepared.project.config);
    context.insert("locale", locale);
    context.insert("today", &prepared.today.format("%Y-%m-%d").to_string());
    context
}

/// The files of one handbook: its page and, unless turned off, its PDF handout.
pub(super) fn render_handbook(
    prepared: &Prepared,
    school: &School,
    locale: &str,
) -> Result<Vec<(PathBuf, Vec<u8>)>, Diagnostics> {
    let project = &prepared.project;
    let (Some(chapters), Some(templates)) = (
        project.guide.chapters.get(locale),
        prepared.templates.get(locale),
    ) else {
        return Err(Diagnostic::error(
            crate::guide::GUIDE_DIR,
            format!("no chapters for locale `{locale}`"),
        )
        .with_code("chapter.none-for-locale")
        .into());
    };
    let findings = prepared.findings(school).to_vec();
    let context = chapter_context(prepared, school, locale, &findings);
    let asset_exists = |path: &str| project.asset_exists(path);
    let image_problem = |path: &str| project.image_problem(path);
    let while_building =
        |e: Diagnostic| e.with_note(format!("{WHILE_BUILDING} `{}` ({locale})", school.slug));
    let handbook = build_handbook(
        locale,
        chapters,
        templates,
        &context,
        findings,
        &asset_exists,
        &image_problem,
    )
    .map_err(|errors| {
        errors
            .into_iter()
            .map(while_building)
            .collect::<Diagnostics>()
    })?;
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
        .map_err(Diagnostics::from)?;
    let page = page_path(locale, &school.slug);
    let dir = page.parent().map(Path::to_path_buf).unwrap_or_default();
    let pdf_path = dir.join(pdf_name);
    let model = match &prepared.pdf {
        Some(pdf) => Some(
            pdf.model(&PrintDoc::new(&handbook, &input, prepared.today))
                .map_err(Diagnostics::from)?,
        ),
        None => None,
    };
    let mut outputs = vec![(page.as_path(), html.as_bytes(), Format::Html)];
    if let Some(model) = &model {
        outputs.push((pdf_path.as_path(), model.as_slice(), Format::Json));
    }
    no_product_key(&handbook, school, &outputs).map_err(|e| vec![while_building(e)])?;
    let mut files = vec![(page, html.into_bytes())];
    if let (Some(pdf), Some(model)) = (&prepared.pdf, model) {
        let job = PdfJob {
            model,
            ident: format!("{locale}/{}", school.slug),
            date: prepared.today,
        };
        let bytes = pdf.render(job).map_err(|e| vec![while_building(e)])?;
        files.push((pdf_path, bytes));
    }
    Ok(files)
}

/// The final gate: neither the page nor the PDF's data holds a product key, however it
/// got there. The error names the chapter whose text holds the key, else the school file.
fn no_product_key(
    handbook: &Handbook,
    school: &School,
    outputs: &[(&Path, &[u8], Format)],
) -> Result<(), Diagnostic> {
    let leaking: Vec<String> = outputs
        .iter()
        .filter(|(_, bytes, format)| {
            gate::has_product_key(&String::from_utf8_lossy(bytes), *format)
        })
        .map(|(path, _, _)| path.display().to_string())
        .collect();
    if leaking.is_empty() {
        return Ok(());
    }
    let chapter = handbook.chapters.iter().find(|chapter| {
        serde_json::to_string(chapter).is_ok_and(|json| gate::has_product_key(&json, Format::Json))
    });
    let source = match chapter {
        Some(chapter) => chapter.source.clone(),
        None => school.file.clone(),
    };
    Err(Diagnostic::error(
        source,
        format!(
            "a product key would be written into {}",
            leaking.join(" and ")
        ),
    )
    .with_code("secret.product-key-in-output")
    .with_note(
        "the rendered text holds five groups of five characters: put together by the template, \
         or spelled with entities, escapes or other dashes. Product keys are secrets: remove it",
    ))
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

//! One handbook: the chapter context, the school's warnings, its page and its PDF.

use std::path::{Path, PathBuf};

use tera::Context;

use super::{calendar, Prepared, WHILE_BUILDING};
use crate::config::Scope;
use crate::config::CONFIG_FILE;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::build_handbook;
use crate::model::Handbook;
use crate::project::Project;
use crate::publish::Layout;
use crate::render::html::Alternate;
use crate::render::hyphenation;
use crate::render::meta::PageMeta;
use crate::render::pdf::{PdfJob, PrintDoc};
use crate::render::qr::qr_svg;
use crate::render::PageInput;
use crate::school::School;
use crate::search;
use crate::secrets::gate::{self, Format};
use crate::warnings::{self, Finding};

/// The chapter context: the school, its warnings, the site and the date.
fn chapter_context(
    site: &tera::Value,
    prepared: &Prepared,
    school: &School,
    locale: &str,
    findings: &[Finding],
) -> Context {
    let mut context = Context::new();
    context.insert("school", school);
    context.insert("warnings", &warnings::flags(findings));
    context.insert_value("site", site.clone());
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
    let _watched = crate::budget::watch(|| format!("the handbook of `{}` ({locale})", school.slug));
    let findings = prepared.findings(school).to_vec();
    // Pages, chapters and the PDF of this locale see its own site title.
    let (config, site) = prepared.site(locale);
    let context = chapter_context(&site, prepared, school, locale, &findings);
    let asset_exists = |path: &str| project.asset_exists(path);
    let image_problem = |path: &str| project.image_problem(path);
    let while_building =
        |e: Diagnostic| e.with_note(format!("{WHILE_BUILDING} `{}` ({locale})", school.slug));
    let mut handbook = build_handbook(
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
    let layout = &prepared.layout;
    let place = layout.handbook(&school.slug, locale);
    let pdf_name = format!("{}.pdf", school.slug);
    let ics = calendar::school_calendar(&config, layout, school, &strings, locale, prepared.today);
    let ics_name = calendar::file_name(&school.slug);
    let input = PageInput {
        config: &config,
        site: &site,
        school,
        strings: &strings,
        today: strings.format_date(prepared.today),
        alternates: alternates(project, layout, school, "../../", Some(locale)),
        pdf_url: prepared.link_pdf.then(|| pdf_name.clone()),
        meta: PageMeta::handbook(&project.config, layout, school, locale, &strings),
        calendar_url: ics.as_ref().map(|_| ics_name.clone()),
        calendar_hint: calendar::pdf_hint(layout, school, &strings, locale),
    };
    let html = prepared
        .html
        .handbook(&handbook, &input)
        .map_err(Diagnostics::from)?;
    let page = place.page();
    let pdf_path = place.file(&pdf_name);
    // School scope: the page searches this school only, never the index of all schools.
    let own_index = (layout.scope() == Scope::School).then(|| {
        let docs = search::school_docs(std::iter::once(school), locale, layout);
        (place.file(search::HANDBOOK_INDEX), search::script(&docs))
    });
    let url = place.url.clone();
    let model = match &prepared.pdf {
        Some(pdf) => {
            // The page is made: what follows is for the handout alone.
            hyphenation::mark(&mut handbook.chapters);
            Some(
                pdf.model(&PrintDoc::new(
                    &handbook,
                    &input,
                    prepared.today,
                    url.as_deref(),
                ))
                .map_err(Diagnostics::from)?,
            )
        }
        None => None,
    };
    let ics_path = place.file(&ics_name);
    // The gate reads the calendar unfolded, so a fold cannot split a key.
    let ics_text = ics.as_ref().map(|text| text.replace("\r\n ", ""));
    let mut outputs = vec![(page.as_path(), html.as_str(), Format::Html)];
    if let Some(model) = &model {
        outputs.push((pdf_path.as_path(), model.as_str(), Format::Json));
    }
    if let Some((path, script)) = &own_index {
        outputs.push((path.as_path(), script.as_str(), Format::Json));
    }
    if let Some(text) = &ics_text {
        outputs.push((ics_path.as_path(), text.as_str(), Format::Json));
    }
    no_product_key(&handbook, school, &outputs).map_err(|e| vec![while_building(e)])?;
    let mut files = vec![(page, html.into_bytes())];
    files.extend(own_index.map(|(path, script)| (path, script.into_bytes())));
    if let Some(ics) = ics {
        files.push((ics_path, ics.into_bytes()));
    }
    if let (Some(pdf), Some(model)) = (&prepared.pdf, model) {
        let qr = url.as_deref().map(qr_svg).transpose().map_err(|problem| {
            vec![while_building(
                Diagnostic::error(CONFIG_FILE, problem)
                    .with_note("the handout's cover carries the handbook's URL as a QR code: shorten `base_url`"),
            )]
        })?;
        let job = PdfJob {
            model,
            ident: format!("{locale}/{}", school.slug),
            date: prepared.today,
            qr_svg: qr,
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
    outputs: &[(&Path, &str, Format)],
) -> Result<(), Diagnostic> {
    let leaking: Vec<String> = outputs
        .iter()
        .filter(|(_, text, format)| gate::has_product_key(text, *format))
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

/// The files of a handbook an earlier build may have made that this one does not: the
/// calendar file of a school that no longer has an anniversary.
pub(super) fn stale_files(layout: &Layout, school: &School, locale: &str) -> Vec<PathBuf> {
    if school.contract.anniversary.is_some() {
        return Vec::new();
    }
    let place = layout.handbook(&school.slug, locale);
    vec![place.file(&calendar::file_name(&school.slug))]
}

/// Where a handbook page goes inside the output folder in provider scope:
/// `<locale>/<slug>/index.html` (see `publish::Layout` for both scopes).
pub fn page_path(locale: &str, slug: &str) -> PathBuf {
    Path::new(locale).join(slug).join("index.html")
}

/// The same school in each of its locales, linked from a page `root` below the site root:
/// the language switcher (with the `current` locale) and the overview's links.
pub(super) fn alternates(
    project: &Project,
    layout: &Layout,
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
            url: format!("{root}{}", layout.handbook(&school.slug, locale).path),
            current: current == Some(locale.as_str()),
        })
        .collect()
}

//! Orchestrates a build: which handbooks, rendered in parallel, written atomically.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use rayon::prelude::*;
use tera::Context;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::build_handbook;
use crate::markdown::template::ChapterTemplates;
use crate::output::Staging;
use crate::progress::Progress;
use crate::project::{Project, STATIC_DIR};
use crate::render::html::{Alternate, HtmlRenderer, OverviewRow};
use crate::render::pdf::{PdfJob, PdfRenderer, PrintDoc};
use crate::render::PageInput;
use crate::school::School;
use crate::search;
use crate::warnings::{self, Facts, SchoolIndex, Warning};

pub const ASSETS_DIR: &str = "assets";
const WHILE_BUILDING: &str = "while building the handbook of";

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Output folder; default `<root>/public`.
    pub out: Option<PathBuf>,
    /// The date warnings and "built on" refer to.
    pub today: NaiveDate,
    /// Only these school slugs (all when empty).
    pub schools: Vec<String>,
    /// Only these locales (all when empty).
    pub locales: Vec<String>,
    /// Show progress on stderr when it is a terminal.
    pub progress: bool,
    /// Make a PDF handout per handbook (default); `--no-pdf` turns it off.
    pub pdf: bool,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>, today: NaiveDate) -> BuildOptions {
        BuildOptions {
            root: root.into(),
            out: None,
            today,
            schools: Vec::new(),
            locales: Vec::new(),
            progress: false,
            pdf: true,
        }
    }

    pub fn out_dir(&self) -> PathBuf {
        self.out.clone().unwrap_or_else(|| self.root.join("public"))
    }
}

/// What a successful run did.
#[derive(Debug)]
pub struct BuildReport {
    pub handbooks: usize,
    pub schools: usize,
    pub out: PathBuf,
    /// Problems that did not fail the build (e.g. an untranslated chapter).
    pub warnings: Diagnostics,
    /// PDF handouts made (0 with `--no-pdf`).
    pub pdfs: usize,
    /// Wall-clock time of the whole run.
    pub elapsed: Duration,
    /// Every selected school's tenant warnings (default locale), by slug.
    pub school_warnings: Vec<(String, Warning)>,
}

/// Everything shared by all handbooks of a build, prepared once.
struct Prepared {
    project: Project,
    templates: BTreeMap<String, ChapterTemplates>,
    html: HtmlRenderer,
    pdf: Option<PdfRenderer>,
    index: SchoolIndex,
    today: NaiveDate,
}

/// Validate the whole project and render every handbook in memory; write nothing.
pub fn check(options: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    run(options, None)
}

/// Build the site into the output folder, atomically.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    let out = options.out_dir();
    let staging =
        Staging::new(&out).map_err(|e| io_error(&out, "cannot create the staging folder", e))?;
    if !options.schools.is_empty() || !options.locales.is_empty() {
        staging
            .seed_from_target()
            .map_err(|e| io_error(&out, "cannot copy the previous output", e))?;
    }
    match run(options, Some(&staging)) {
        Ok(report) => {
            staging
                .commit()
                .map_err(|e| io_error(&out, "cannot replace the output folder", e))?;
            Ok(report)
        }
        Err(e) => {
            staging.discard();
            Err(e)
        }
    }
}

fn run(options: &BuildOptions, staging: Option<&Staging>) -> Result<BuildReport, Diagnostics> {
    let started = Instant::now();
    let prepared = prepare(options)?;
    let selected = select(&prepared.project, options)?;
    let jobs: Vec<(&School, &str)> = selected
        .iter()
        .flat_map(|school| {
            school
                .locales
                .iter()
                .filter(|l| options.locales.is_empty() || options.locales.contains(l))
                .map(move |l| (*school, l.as_str()))
        })
        .collect();
    let progress = Progress::new(options.progress, jobs.len());
    let problems: Vec<Diagnostic> = jobs
        .par_iter()
        .flat_map_iter(|(school, locale)| {
            let result = render_handbook(&prepared, school, locale).and_then(|files| {
                files
                    .iter()
                    .try_for_each(|(path, bytes)| write(staging, path, bytes))
                    .map_err(|e| vec![e])
            });
            progress.tick();
            result.err().unwrap_or_default()
        })
        .collect();
    progress.finish();
    let mut all = prepared.project.problems.clone();
    all.extend(dedup(problems));
    let rows: Vec<OverviewRow> = prepared
        .project
        .schools
        .par_iter()
        .map(|school| overview_row(&prepared, school))
        .collect();
    if let Err(e) = write_site_files(&prepared, &rows, staging) {
        all.push(e);
    }
    if all.has_errors() {
        return Err(all.sorted());
    }
    let school_warnings = rows
        .into_iter()
        .filter(|row| selected.iter().any(|s| s.slug == row.slug))
        .flat_map(|row| {
            let slug = row.slug;
            row.warnings.into_iter().map(move |w| (slug.clone(), w))
        })
        .collect();
    Ok(BuildReport {
        pdfs: if prepared.pdf.is_some() { jobs.len() } else { 0 },
        elapsed: started.elapsed(),
        handbooks: jobs.len(),
        schools: selected.len(),
        out: options.out_dir(),
        warnings: all.sorted(),
        school_warnings,
    })
}

fn prepare(options: &BuildOptions) -> Result<Prepared, Diagnostics> {
    let project = Project::load(&options.root)?;
    let mut problems = Diagnostics::default();
    for locale in &options.locales {
        if !project.config.locales.contains(locale) {
            problems.push(Diagnostic::error(
                "handbuch.toml",
                format!(
                    "--locale {locale}: not one of the site's locales {:?}",
                    project.config.locales
                ),
            ));
        }
    }
    let mut templates = BTreeMap::new();
    for (locale, chapters) in &project.guide.chapters {
        match ChapterTemplates::compile(chapters, project.strings(locale)) {
            Ok(t) => {
                templates.insert(locale.clone(), t);
            }
            Err(e) => problems.extend(e),
        }
    }
    let html = HtmlRenderer::new(&project.theme).map_err(|e| {
        let mut all = project.problems.clone();
        all.extend(e);
        all.sorted()
    })?;
    if problems.has_errors() {
        problems.extend(project.problems.0);
        return Err(problems.sorted());
    }
    let pdf = if options.pdf {
        let static_dir = project.root.join(STATIC_DIR);
        Some(PdfRenderer::new(&project.theme, &static_dir).map_err(|e| Diagnostics(vec![e]))?)
    } else {
        None
    };
    Ok(Prepared {
        today: options.today,
        pdf,
        index: SchoolIndex::new(&project.schools),
        project,
        templates,
        html,
    })
}

fn select<'a>(
    project: &'a Project,
    options: &BuildOptions,
) -> Result<Vec<&'a School>, Diagnostics> {
    if options.schools.is_empty() {
        return Ok(project.schools.iter().collect());
    }
    let mut problems = Diagnostics::default();
    let mut selected = Vec::new();
    for slug in &options.schools {
        match project.schools.iter().find(|s| &s.slug == slug) {
            Some(school) => selected.push(school),
            // The file exists but is invalid: its own errors are already reported.
            None if project.has_school_file(slug) => {}
            None => problems.push(Diagnostic::error(
                crate::project::SCHOOLS_DIR,
                format!("--school {slug}: no file content/schools/{slug}.toml"),
            )),
        }
    }
    if problems.has_errors() {
        Err(problems)
    } else {
        Ok(selected)
    }
}

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
fn school_warnings(prepared: &Prepared, school: &School, locale: &str) -> Vec<Warning> {
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
fn render_handbook(
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
    let while_building = |e: Diagnostic| e.with_note(format!("{WHILE_BUILDING} `{}` ({locale})", school.slug));
    let handbook = build_handbook(locale, chapters, templates, &context, warnings, &asset_exists)
        .map_err(|errors| errors.into_iter().map(while_building).collect::<Vec<_>>())?;
    let strings = project.strings(locale);
    let pdf_name = format!("{}.pdf", school.slug);
    let input = PageInput {
        config: &project.config,
        school,
        strings: &strings,
        today: strings.format_date(prepared.today),
        alternates: alternates(project, school, locale),
        pdf_url: prepared.pdf.as_ref().map(|_| pdf_name.clone()),
    };
    let html = prepared.html.handbook(&handbook, &input).map_err(|e| vec![e])?;
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

/// The same school in each of its locales, for the language switcher.
fn alternates(project: &Project, school: &School, current: &str) -> Vec<Alternate> {
    school
        .locales
        .iter()
        .map(|locale| Alternate {
            locale: locale.clone(),
            name: project.strings(locale).get("language_name").to_string(),
            url: format!("../../{locale}/{}/", school.slug),
            current: locale == current,
        })
        .collect()
}

/// The overview, theme assets and the project's `static/` files.
fn write_site_files(
    prepared: &Prepared,
    rows: &[OverviewRow],
    staging: Option<&Staging>,
) -> Result<(), Diagnostic> {
    let project = &prepared.project;
    let strings = project.strings(&project.config.default_locale);
    let today = strings.format_date(prepared.today);
    let overview = prepared
        .html
        .overview(&project.config, &strings, &today, rows)?;
    let Some(staging) = staging else {
        return Ok(());
    };
    write(Some(staging), Path::new("index.html"), overview.as_bytes())?;
    for locale in &project.config.locales {
        let strings = project.strings(locale);
        let mut docs = search::school_docs(project.schools.iter(), locale);
        if let Some(chapters) = project.guide.chapters.get(locale) {
            docs.extend(search::step_docs(chapters, &strings));
        }
        let path = Path::new(ASSETS_DIR).join(format!("search-{locale}.js"));
        write(Some(staging), &path, search::script(&docs).as_bytes())?;
    }
    for (path, bytes) in project.theme.files_under("static") {
        write(Some(staging), &Path::new(ASSETS_DIR).join(path), bytes)?;
    }
    let static_dir = project.root.join(STATIC_DIR);
    if static_dir.is_dir() {
        crate::output::copy_tree(&static_dir, staging.dir()).map_err(|e| {
            io_error(&static_dir, "cannot copy static files", e)
                .0
                .remove(0)
        })?;
    }
    Ok(())
}

fn overview_row(prepared: &Prepared, school: &School) -> OverviewRow {
    let project = &prepared.project;
    let strings = project.strings(&project.config.default_locale);
    let warnings = school_warnings(prepared, school, &project.config.default_locale);
    OverviewRow {
        slug: school.slug.clone(),
        name: school.name.clone(),
        tenant: school.tenant.domain.clone(),
        contract: school.contract.number.clone(),
        anniversary: school
            .contract
            .anniversary
            .map(|d| d.format("%Y-%m-%d").to_string()),
        anniversary_display: school.contract.anniversary.map(|d| strings.format_date(d)),
        counts_text: counts_text(&strings, warnings::counts(&warnings)),
        counts: warnings::counts(&warnings),
        warnings,
        handbooks: school
            .locales
            .iter()
            .map(|locale| Alternate {
                locale: locale.clone(),
                name: project.strings(locale).get("language_name").to_string(),
                url: format!("{locale}/{}/", school.slug),
                current: false,
            })
            .collect(),
    }
}

fn counts_text(strings: &crate::i18n::Strings, [notes, warnings, dangers]: [usize; 3]) -> String {
    let count = |key: &str, n: usize| strings.plural(key, i64::try_from(n).unwrap_or(i64::MAX));
    [count("count-danger", dangers), count("count-warning", warnings), count("count-note", notes)].join(", ")
}

fn write(staging: Option<&Staging>, relative: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    match staging {
        Some(s) => s
            .write(relative, bytes)
            .map_err(|e| Diagnostic::error(relative, format!("cannot write output file: {e}"))),
        None => Ok(()),
    }
}

fn io_error(path: &Path, what: &str, e: std::io::Error) -> Diagnostics {
    Diagnostics(vec![Diagnostic::error(path, format!("{what}: {e}"))])
}

/// The same problem in a shared chapter shows up once per handbook: report it once.
fn dedup(problems: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut seen: BTreeMap<(PathBuf, Option<(usize, usize)>, String), usize> = BTreeMap::new();
    let mut out: Vec<Diagnostic> = Vec::new();
    for d in problems {
        let key = (d.file.clone(), d.line_col(), d.message.clone());
        match seen.get(&key) {
            Some(&i) => {
                let shown = out[i]
                    .notes
                    .iter()
                    .filter(|n| n.starts_with(WHILE_BUILDING))
                    .count();
                if shown < 3 {
                    out[i].notes.extend(
                        d.notes
                            .into_iter()
                            .filter(|n| n.starts_with(WHILE_BUILDING)),
                    );
                }
            }
            None => {
                seen.insert(key, out.len());
                out.push(d);
            }
        }
    }
    out
}

//! Orchestrates a build: which handbooks, rendered in parallel, written atomically.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::config::Scope;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::template::ChapterTemplates;
use crate::output::{Cache, FileList, Output, Staging};
use crate::progress::Progress;
use crate::project::{Project, STATIC_DIR};
use crate::publish::links::{self, Link};
use crate::publish::{FolderKey, Layout};
use crate::render::html::HtmlRenderer;
use crate::render::pdf::PdfRenderer;
use crate::school::School;
use crate::warnings::{
    self, Facts, Finding, ReportedFinding, SchoolIndex, SchoolWarning, Severity,
};

mod calendar;
mod fingerprint;
mod handbook;
mod overview;
mod shard;
mod workers;

pub use handbook::page_path;
use handbook::{render_handbook, stale_files};
use overview::write_site_files;
pub use shard::Shard;
use shard::Shards;

pub(crate) const ASSETS_DIR: &str = "assets";
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
    /// With `pdf`: link each page's PDF handout but render none, leaving the previous
    /// output's PDFs as they were. `serve` puts the pages live this way first and renders
    /// the PDFs in a second build, holding back PDF requests until that one is done.
    pub pdf_later: bool,
    /// `--scope`: overrides `[publish] scope` of handbuch.toml.
    pub scope: Option<Scope>,
    /// `--shard K/N`: only the handbooks of this shard's schools, with a manifest and no
    /// site-wide files, for `--merge`.
    pub shard: Option<Shard>,
    /// `--merge DIR…`: every handbook from these shards (nothing rendered), plus the
    /// site-wide files.
    pub merge: Vec<PathBuf>,
    /// Only the handbooks, none of the site-wide files (overview, search, assets): `serve`
    /// puts an edited school's pages live first and the rest right after.
    pub handbooks_only: bool,
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
            pdf_later: false,
            scope: None,
            shard: None,
            merge: Vec::new(),
            handbooks_only: false,
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
    /// Handbooks taken from the cache because none of their inputs changed (0 in `check`).
    pub reused: usize,
    /// Handbooks rendered (`handbooks` − `reused`).
    pub rendered: usize,
    /// Wall-clock time of the whole run.
    pub elapsed: Duration,
    /// School scope: every handbook's link, as in `links.csv` (empty in provider scope).
    pub links: Vec<Link>,
    /// School scope: where `build` wrote `links.csv`.
    pub links_file: Option<PathBuf>,
    /// The same warnings with their typed values and steps, for `--format json|github`.
    pub(crate) findings: Vec<ReportedFinding>,
}

impl BuildReport {
    /// Every selected school's warnings in the default locale, by slug, in the order of
    /// the overview. Made from `findings` when asked for: a second list of the same
    /// words would hold ~90 MB at 40,000 schools.
    pub fn school_warnings(&self) -> impl Iterator<Item = (&str, SchoolWarning)> + '_ {
        self.findings.iter().map(|f| {
            (
                &*f.slug,
                SchoolWarning::new(&f.finding, &f.strings, f.edition),
            )
        })
    }

    /// The severity of each of [`Self::school_warnings`], without their words: counting
    /// 190,000 findings at 40,000 schools must not word each of them with Fluent.
    pub fn school_severities(&self) -> impl Iterator<Item = Severity> + '_ {
        self.findings.iter().map(|f| f.finding.severity())
    }
}

/// Everything shared by all handbooks of a build, prepared once.
struct Prepared {
    project: Project,
    templates: BTreeMap<String, ChapterTemplates>,
    html: HtmlRenderer,
    pdf: Option<PdfRenderer>,
    /// Pages link their PDF handout: `pdf` is set, or the PDFs come later (`pdf_later`).
    link_pdf: bool,
    /// Every school's findings by slug: the rules run once per school, not per locale.
    findings: BTreeMap<String, Vec<Finding>>,
    today: NaiveDate,
    /// Where each handbook lives.
    layout: Layout,
    /// The site config as each locale's pages see it (its own title), and the same as a
    /// template value, made once per locale instead of once per handbook.
    sites: BTreeMap<String, (crate::config::Config, tera::Value)>,
}

impl Prepared {
    /// The findings about `school`, as the rules gave them when the build was prepared.
    fn findings(&self, school: &School) -> &[Finding] {
        self.findings.get(&school.slug).map_or(&[], Vec::as_slice)
    }

    /// The config `locale`'s pages see, and it as a template value.
    fn site(&self, locale: &str) -> (std::borrow::Cow<'_, crate::config::Config>, tera::Value) {
        match self.sites.get(locale) {
            Some((config, value)) => (std::borrow::Cow::Borrowed(config), value.clone()),
            None => {
                let config = self.project.config.for_locale(locale);
                let value = tera::Value::from_serializable(&config);
                (std::borrow::Cow::Owned(config), value)
            }
        }
    }
}

/// Validate the whole project and render every handbook in memory; write nothing.
pub fn check(options: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    run(options, None)
}

/// `check`'s look into the cache of the output it would build: a handbook with a complete
/// entry under its fingerprint was made from these very inputs and passed, so it is not
/// rendered again (it counts as reused).
struct Known {
    cache: Cache,
    site: fingerprint::Site,
}

/// Where a build puts each handbook: the staging folder, by way of the cache (or, in a
/// merge, from the shards).
#[derive(Clone, Copy)]
struct Sink<'a> {
    staging: &'a Staging,
    cache: &'a Cache,
    shards: Option<&'a Shards>,
}

/// A sink with the hash of what all handbooks share, worked out once per build.
struct Caching<'a> {
    sink: Sink<'a>,
    site: fingerprint::Site,
}

/// How a handbook got into the staging folder.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Made {
    Reused,
    Rendered,
}

/// One handbook put into the staging folder: how, under which fingerprint, which files.
struct Done {
    made: Made,
    key: Option<String>,
    files: FileList,
}

impl Done {
    /// How it was made, without what only a shard's list needs.
    fn unlisted(self) -> Done {
        Done {
            made: self.made,
            key: None,
            files: FileList::new(),
        }
    }
}

/// What `build` writes besides the site: `links.csv` in school scope.
fn pending_links(
    output: &Output,
    report: &BuildReport,
) -> Result<Option<links::Pending>, Diagnostics> {
    if report.links.is_empty() {
        return Ok(None);
    }
    let path = links::file_beside(output.target());
    let written = links::csv(&report.links).and_then(|bytes| links::Pending::write(&path, &bytes));
    written
        .map(Some)
        .map_err(|e| io_error(&path, "cannot write the links file", e))
}

/// Build the site into the output folder, atomically, holding the output's lock throughout.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    crate::config::is_project(&options.root)?;
    let out = options.out_dir();
    let output = Output::claim(&options.root, &out)?;
    let shards = match options.merge.as_slice() {
        [] => None,
        dirs => Some(merge_sources(&output, dirs)?),
    };
    let staging = output
        .staging()
        .map_err(|e| io_error(&out, "cannot create the staging folder", e))?;
    let cache =
        Cache::open(&output).map_err(|e| io_error(&out, "cannot create the build cache", e))?;
    if !options.schools.is_empty() || !options.locales.is_empty() {
        staging
            .seed_from_target()
            .map_err(|e| io_error(&out, "cannot copy the previous output", e))?;
    }
    let sink = Sink {
        staging: &staging,
        cache: &cache,
        shards: shards.as_ref(),
    };
    let result = run(options, Some(sink)).and_then(|report| {
        // Written before the swap, put in place after it: never a half file, and never
        // links to a site that did not go live.
        pending_links(&output, &report).map(|pending| (report, pending))
    });
    match result {
        Ok((mut report, pending)) => {
            let leftover = staging
                .commit()
                .map_err(|e| io_error(&out, "cannot replace the output folder", e))?;
            // The new site is in place: a previous one that will not go is not a failure.
            if let Some((old, e)) = leftover {
                report.warnings.push(
                    Diagnostic::warning(
                        &out,
                        format!(
                            "the new site is in place, but the previous one could not be removed \
                         from {}: {e} (the next build tries again)",
                            old.display()
                        ),
                    )
                    .with_code("output.old-site-left"),
                );
            }
            // Only a build of the whole site knows every entry still in use (a merge
            // uses none: it takes every handbook from the shards).
            if !is_partial(options) && options.merge.is_empty() {
                if let Err(e) = cache.prune() {
                    report.warnings.push(
                        Diagnostic::warning(
                            cache.dir(),
                            format!("cannot remove old entries of the build cache: {e}"),
                        )
                        .with_code("output.cache"),
                    );
                }
            }
            if let Some(pending) = pending {
                let path = pending
                    .finish()
                    .map_err(|e| io_error(&out, "cannot put the links file in place", e))?;
                report.links_file = Some(path);
            }
            Ok(report)
        }
        Err(e) => {
            staging.discard();
            Err(e)
        }
    }
}

/// `serve`'s in-place update: build the pages of `options.schools` and the site-wide
/// files into an empty scratch folder beside the output, and return it. Unlike [`build`]
/// the output is neither copied first nor replaced: the caller moves the files that
/// changed into it. Provider scope only (school scope checks every kept handbook in the
/// copy of the previous output, which a scratch folder does not hold).
pub(crate) fn build_scratch(options: &BuildOptions) -> Result<(BuildReport, PathBuf), Diagnostics> {
    crate::config::is_project(&options.root)?;
    let out = options.out_dir();
    let output = Output::claim(&options.root, &out)?;
    let scratch = output
        .scratch()
        .map_err(|e| io_error(&out, "cannot create the scratch folder", e))?;
    let cache =
        Cache::open(&output).map_err(|e| io_error(&out, "cannot create the build cache", e))?;
    let sink = Sink {
        staging: &scratch,
        cache: &cache,
        shards: None,
    };
    let report = run(options, Some(sink))?;
    Ok((report, scratch.dir().to_path_buf()))
}

fn run(options: &BuildOptions, sink: Option<Sink>) -> Result<BuildReport, Diagnostics> {
    let started = Instant::now();
    let staging = sink.map(|s| s.staging);
    // `check` reads the build cache, if there is one; a build uses its own.
    let cache_beside = staging
        .is_none()
        .then(|| Cache::beside(&options.out_dir()))
        .flatten();
    // Hashing the binary for the cache key (~0.1–0.2 s) runs beside loading the project.
    let mut prepared = std::thread::scope(|scope| {
        if staging.is_some() || cache_beside.is_some() {
            scope.spawn(fingerprint::warm_up);
        }
        prepare(options, staging.is_some())
    })?;
    // A project whose files cannot be hashed is checked in full.
    let known = cache_beside.and_then(|cache| {
        fingerprint::site(&prepared)
            .ok()
            .map(|site| Known { cache, site })
    });
    let mut all = Diagnostics::default();
    let caching = sink.and_then(|sink| match fingerprint::site(&prepared) {
        Ok(site) => Some(Caching { sink, site }),
        // A shard's manifest and a merge need the fingerprints.
        Err(e) if options.shard.is_some() || sink.shards.is_some() => {
            all.push(
                Diagnostic::error(
                    &options.root,
                    format!("cannot hash the project's files: {e}"),
                )
                .with_code("output.io"),
            );
            None
        }
        Err(e) => {
            all.push(
                Diagnostic::warning(
                    &options.root,
                    format!("cannot hash the project's files, so every handbook is rendered: {e}"),
                )
                .with_code("output.cache"),
            );
            None
        }
    });
    if all.has_errors() {
        return Err(all);
    }
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
    if let Some(staging) = staging.filter(|_| is_partial(options)) {
        keep_only_this_layout(&prepared, &jobs, staging)?;
    }
    let progress = Progress::new(options.progress, jobs.len());
    // Only a shard lists what it made (for the merge). Other builds drop each handbook's
    // key and file list at once: kept, they grew memory by ~0.5 KB per handbook.
    let listed = options.shard.is_some();
    let outcomes = workers::run_all(&jobs, |(school, locale)| {
        let result = make_handbook(
            &prepared,
            caching.as_ref(),
            known.as_ref(),
            staging,
            school,
            locale,
        )
        .and_then(|done| {
            remove(staging, &stale_files(&prepared.layout, school, locale))
                .map(|()| if listed { done } else { done.unlisted() })
                .map_err(Diagnostics::from)
        });
        progress.tick();
        result
    })
    .map_err(|e| Diagnostic::error(&options.root, e).with_code("build.internal"))?;
    let reused = outcomes
        .iter()
        .filter(|o| o.as_ref().is_ok_and(|done| done.made == Made::Reused))
        .count();
    let mut problems = Diagnostics::default();
    let mut done = Vec::with_capacity(if listed { jobs.len() } else { 0 });
    for ((school, locale), outcome) in jobs.iter().zip(outcomes) {
        match outcome {
            Ok(_) if !listed => {}
            Ok(d) => done.push(shard::Entry {
                slug: school.slug.clone(),
                locale: locale.to_string(),
                fingerprint: d.key.unwrap_or_default(),
                files: d.files,
            }),
            Err(e) => problems.extend(e.0),
        }
    }
    progress.finish();
    all.extend(prepared.project.problems.0.clone());
    all.extend(crate::lint::project_warnings(
        &prepared.project,
        options.today,
    ));
    if options.pdf {
        all.extend(crate::lint::raw_html_left_out_of_pdf(&prepared.project));
    }
    all.extend(crate::lint::remote_images(&prepared.project));
    all.extend(dedup(problems));
    // Rendering freed what it held; the site files and the report start from there.
    crate::heap::release_freed();
    let site_files = match (options.shard, staging) {
        // A shard holds handbooks only: the merge writes the site-wide files.
        (Some(shard), Some(staging)) => shard::write_manifest(staging, shard, done),
        _ if options.handbooks_only => Ok(()),
        _ => write_site_files(&prepared, staging),
    };
    if let Err(e) = site_files {
        all.push(e);
    }
    if all.has_errors() {
        return Err(all.sorted());
    }
    // The site files' buffers are gone too; the report's ~190,000 findings (at 40,000
    // schools) come next.
    crate::heap::release_freed();
    let chosen = chosen_slugs(&selected);
    // Moved, not copied: 190,000 findings at 40,000 schools.
    let by_school = std::mem::take(&mut prepared.findings);
    let findings = reported_findings(&prepared.project, by_school, &chosen);
    let links = match prepared.layout.scope() {
        Scope::School if options.shard.is_none() => all_links(&prepared),
        _ => Vec::new(),
    };
    Ok(BuildReport {
        links,
        links_file: None,
        pdfs: if prepared.pdf.is_some() {
            jobs.len()
        } else {
            0
        },
        elapsed: started.elapsed(),
        reused,
        rendered: jobs.len() - reused,
        handbooks: jobs.len(),
        schools: selected.len(),
        out: options.out_dir(),
        warnings: all.sorted(),
        findings,
    })
}

/// Put one handbook into the staging folder: from the cache when a build already made it
/// from the same inputs, else rendered (and cached).
fn make_handbook(
    prepared: &Prepared,
    caching: Option<&Caching>,
    known: Option<&Known>,
    staging: Option<&Staging>,
    school: &School,
    locale: &str,
) -> Result<Done, Diagnostics> {
    // A handbook whose inputs cannot be hashed is rendered and not cached.
    let keyed = caching.and_then(|c| {
        fingerprint::handbook(&c.site, prepared, school, locale)
            .ok()
            .map(|key| (c.sink, key))
    });
    let done = |made, key: Option<&String>, files| Done {
        made,
        key: key.cloned(),
        files,
    };
    if let Some((sink, key)) = &keyed {
        if let Some(shards) = sink.shards {
            let files = shards.fetch(school, locale, key, sink.staging)?;
            return Ok(done(Made::Reused, Some(key), files));
        }
        let fetched = sink.cache.fetch(key, sink.staging);
        if let Some(files) = fetched.map_err(|e| cache_error(sink.cache, e))? {
            return Ok(done(Made::Reused, Some(key), files));
        }
    }
    if let Some(known) = known {
        let key = fingerprint::handbook(&known.site, prepared, school, locale);
        if key.is_ok_and(|key| known.cache.holds(&key)) {
            return Ok(done(Made::Reused, None, FileList::new()));
        }
    }
    if caching.is_some_and(|c| c.sink.shards.is_some()) {
        return Err(
            Diagnostic::error(&school.file, "cannot hash this school's inputs")
                .with_code("output.io")
                .into(),
        );
    }
    let files = render_handbook(prepared, school, locale)?;
    let list = match &keyed {
        Some((sink, key)) => sink
            .cache
            .store(key, &files, sink.staging)
            .map_err(|e| cache_error(sink.cache, e))?,
        None => {
            files
                .iter()
                .try_for_each(|(path, bytes)| write(staging, path, bytes))?;
            files
                .iter()
                .map(|(path, bytes)| (path.display().to_string(), bytes.len() as u64))
                .collect()
        }
    };
    Ok(done(Made::Rendered, keyed.as_ref().map(|(_, k)| k), list))
}

/// The shards of `--merge`, refused if one of them is the output the merge replaces.
fn merge_sources(output: &Output, dirs: &[PathBuf]) -> Result<Shards, Diagnostics> {
    for dir in dirs {
        if dir.canonicalize().is_ok_and(|d| d == output.target()) {
            return Err(Diagnostic::usage(
                dir,
                "--merge: a shard cannot be the output folder the merge replaces",
            )
            .with_code("cli.merge-into-shard")
            .into());
        }
    }
    Shards::load(dirs)
}

fn cache_error(cache: &Cache, e: std::io::Error) -> Diagnostics {
    io_error(cache.dir(), "cannot use the build cache", e)
}

/// The slugs of the selected schools, for a lookup per school: a scan of the selection
/// per school would cost N² comparisons (seconds at 40,000 schools).
fn chosen_slugs<'a>(selected: &[&'a School]) -> HashSet<&'a str> {
    selected.iter().map(|s| s.slug.as_str()).collect()
}

/// The selected schools' findings in the order of the overview, to be worded in the
/// default locale like [`BuildReport::school_warnings`].
fn reported_findings(
    project: &Project,
    mut by_school: BTreeMap<String, Vec<Finding>>,
    chosen: &HashSet<&str>,
) -> Vec<ReportedFinding> {
    let locale = &project.config.default_locale;
    let strings = project.strings(locale);
    let edition = project.config.portal.edition;
    let mut steps: BTreeMap<String, Arc<str>> = BTreeMap::new();
    // Sized once: grown by doubling, it would reserve up to twice the room (+9 MB at 40,000).
    let count = by_school
        .iter()
        .filter(|(slug, _)| chosen.contains(slug.as_str()))
        .map(|(_, findings)| findings.len())
        .sum();
    let mut reported = Vec::with_capacity(count);
    for school in &project.schools {
        if !chosen.contains(school.slug.as_str()) {
            continue;
        }
        let slug: Arc<str> = Arc::from(school.slug.as_str());
        let file: Arc<Path> = Arc::from(school.file.as_path());
        for finding in by_school.remove(&school.slug).unwrap_or_default() {
            let step = finding.kind.step(&project.config.warnings);
            let step = match steps.get(step) {
                Some(shared) => Arc::clone(shared),
                None => steps
                    .entry(step.to_string())
                    .or_insert_with(|| Arc::from(step))
                    .clone(),
            };
            reported.push(ReportedFinding {
                slug: Arc::clone(&slug),
                file: Arc::clone(&file),
                step,
                finding,
                strings: Arc::clone(&strings),
                edition,
            });
        }
    }
    reported
}

/// `writing`: a build, which needs the key of school scope; `check` writes nothing and
/// lays the handbooks out by slug instead, so it runs without the secret.
fn prepare(options: &BuildOptions, writing: bool) -> Result<Prepared, Diagnostics> {
    let mut project = Project::load(&options.root)?;
    if let Some(scope) = options.scope {
        project.config.publish.scope = scope;
    }
    let key = match project.config.publish.scope {
        Scope::School if writing => Some(FolderKey::from_env()?),
        _ => None,
    };
    let layout = Layout::new(&project.config, key);
    let mut problems = Diagnostics::default();
    for locale in &options.locales {
        if !project.config.locales.contains(locale) {
            problems.push(
                Diagnostic::error(
                    "handbuch.toml",
                    format!(
                        "--locale {locale}: not one of the site's locales {:?}",
                        project.config.locales
                    ),
                )
                .with_code("cli.unknown-locale"),
            );
        }
    }
    let mut templates = BTreeMap::new();
    for (locale, chapters) in &project.guide.chapters {
        let compiled = ChapterTemplates::compile(chapters, project.strings(locale));
        if let Some(t) = problems.take(compiled) {
            templates.insert(locale.clone(), t);
        }
    }
    // Every part is tried, so a broken theme and a broken chapter are reported together.
    let html = problems.take(HtmlRenderer::new(&project.theme));
    let static_dir = project.root.join(STATIC_DIR);
    let pdf = (options.pdf && !options.pdf_later)
        .then(|| problems.take(PdfRenderer::new(&project.theme, &static_dir)));
    let (Some(html), false) = (html, problems.has_errors()) else {
        problems.extend(project.problems.0);
        return Err(problems.sorted());
    };
    let pdf = pdf.flatten();
    let sites = project
        .config
        .locales
        .iter()
        .map(|locale| {
            let config = project.config.for_locale(locale);
            let value = tera::Value::from_serializable(&config);
            (locale.clone(), (config, value))
        })
        .collect();
    Ok(Prepared {
        sites,
        today: options.today,
        pdf,
        link_pdf: options.pdf,
        findings: all_findings(&project, options.today),
        layout,
        project,
        templates,
        html,
    })
}

/// What the rules find about every school of the project.
fn all_findings(project: &Project, today: NaiveDate) -> BTreeMap<String, Vec<Finding>> {
    let index = SchoolIndex::new(&project.schools);
    project
        .schools
        .par_iter()
        .map(|school| {
            let facts = Facts {
                school,
                all: &index,
                config: &project.config,
                today,
            };
            let findings = warnings::evaluate(&facts);
            let findings = match project.config.publish.scope {
                Scope::Provider => findings,
                // A school's pages must not name the schools it shares a tenant with.
                Scope::School => findings.into_iter().map(Finding::anonymous).collect(),
            };
            (school.slug.clone(), findings)
        })
        .collect()
}

fn is_partial(options: &BuildOptions) -> bool {
    !options.schools.is_empty() || !options.locales.is_empty()
}

/// Every handbook's link, for `links.csv`: every school of the project in each of its
/// locales (a build of some schools keeps the others' pages, so they are live too).
fn all_links(prepared: &Prepared) -> Vec<Link> {
    let layout = &prepared.layout;
    prepared
        .project
        .schools
        .iter()
        .flat_map(|school| {
            school.locales.iter().map(move |locale| {
                let place = layout.handbook(&school.slug, locale);
                Link {
                    slug: school.slug.clone(),
                    school: school.name.clone(),
                    locale: locale.clone(),
                    url: place.url.unwrap_or_else(|| place.path.clone()),
                    path: place.path,
                }
            })
        })
        .collect()
}

/// A build of some schools starts from the previous site. Clear out what belongs to the
/// other scope's layout or to schools that are gone (a school's folder from an old key
/// would stay reachable), and in school scope make sure every handbook not rebuilt is
/// there: else `links.csv` would hand out links that lead nowhere.
fn keep_only_this_layout(
    prepared: &Prepared,
    jobs: &[(&School, &str)],
    staging: &Staging,
) -> Result<(), Diagnostics> {
    let layout = &prepared.layout;
    let schools = &prepared.project.schools;
    let current: Vec<String> = schools
        .iter()
        .filter_map(|s| layout.school_folder(&s.slug))
        .collect();
    let stale = crate::publish::stale_entries(layout, staging.dir(), &current)
        .map_err(|e| io_error(staging.dir(), "cannot read the previous output", e))?;
    for path in stale {
        let removed = if path.is_dir() {
            std::fs::remove_dir_all(&path)
        } else {
            std::fs::remove_file(&path)
        };
        removed.map_err(|e| io_error(&path, "cannot remove a stale file", e))?;
    }
    if layout.scope() == Scope::Provider {
        return Ok(());
    }
    let mut problems = Diagnostics::default();
    for school in schools {
        for locale in &school.locales {
            let rebuilt = jobs
                .iter()
                .any(|(s, l)| s.slug == school.slug && l == locale);
            let page = layout.handbook(&school.slug, locale).page();
            if !rebuilt && !staging.dir().join(page).is_file() {
                problems.push(
                    Diagnostic::error(
                        &school.file,
                        format!(
                            "the handbook of `{}` ({locale}) is not in the previous output under \
                             this key, so a build of some schools cannot keep it",
                            school.slug
                        ),
                    )
                    .with_note(
                        "build all schools once (without --school and --locale): the key or \
                         the scope changed, or the school is new",
                    ),
                );
            }
        }
    }
    problems.finish(())
}

fn select<'a>(
    project: &'a Project,
    options: &BuildOptions,
) -> Result<Vec<&'a School>, Diagnostics> {
    if let Some(shard) = options.shard {
        return Ok(project
            .schools
            .iter()
            .filter(|s| shard.holds(&s.slug))
            .collect());
    }
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
            None => problems.push(
                Diagnostic::error(
                    crate::project::SCHOOLS_DIR,
                    format!("--school {slug}: no file content/schools/{slug}.toml"),
                )
                .with_code("cli.unknown-school"),
            ),
        }
    }
    if problems.has_errors() {
        Err(problems)
    } else {
        Ok(selected)
    }
}

fn write(staging: Option<&Staging>, relative: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    match staging {
        Some(s) => s.write(relative, bytes).map_err(|e| {
            Diagnostic::error(relative, format!("cannot write output file: {e}"))
                .with_code("output.write")
        }),
        None => Ok(()),
    }
}

/// Take files an earlier build made out of the staging folder (seeded from the output
/// when only some handbooks are rebuilt).
fn remove(staging: Option<&Staging>, stale: &[PathBuf]) -> Result<(), Diagnostic> {
    let Some(staging) = staging else {
        return Ok(());
    };
    stale.iter().try_for_each(|relative| {
        staging
            .remove(relative)
            .map_err(|e| Diagnostic::error(relative, format!("cannot remove output file: {e}")))
    })
}

fn io_error(path: &Path, what: &str, e: std::io::Error) -> Diagnostics {
    Diagnostic::error(path, format!("{what}: {e}"))
        .with_code("output.io")
        .into()
}

/// File, position and message: what makes two reports the same problem.
type ProblemKey = (PathBuf, Option<(usize, usize)>, String);

/// The same problem in a shared chapter shows up once per handbook: report it once.
fn dedup(problems: Diagnostics) -> Vec<Diagnostic> {
    let mut seen: BTreeMap<ProblemKey, usize> = BTreeMap::new();
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

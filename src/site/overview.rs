//! Site-wide files: the overview of all schools, the schools' search index, theme
//! assets and the project's `static/` folder.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

mod pages;

use super::calendar::{self, PROVIDER_CALENDAR};
use super::handbook::alternates;
use super::{write, Prepared, ASSETS_DIR};
use crate::config::{Scope, CONFIG_FILE};
use crate::diagnostics::Diagnostic;
use crate::i18n::Strings;
use crate::output::Staging;
use crate::project::{Project, STATIC_DIR};
use crate::render::html::{OverviewPage, OverviewRow};
use crate::render::meta::{self, PageMeta};
use crate::school::School;
use crate::search;
use crate::secrets::gate::{self, Format};
use crate::warnings::{self, Counts, SchoolWarning};

/// The overview, the schools' search index, the provider's calendar, theme assets and
/// the project's `static/` files. Each file is checked by the final gate and written as
/// soon as it is made, so at 40,000 schools no more than one part of them is in memory.
pub(super) fn write_site_files(
    prepared: &Prepared,
    staging: Option<&Staging>,
) -> Result<(), Diagnostic> {
    let project = &prepared.project;
    let strings = project.strings(&project.config.default_locale);
    let today = strings.format_date(prepared.today);
    let scope = prepared.layout.scope();
    let config = project.config.for_locale(&strings.locale);
    if let Some(staging) = staging {
        clear_previous(staging, project)?;
    }
    let calendar_url = provider_calendar(prepared, staging)?;
    crate::heap::release_freed();
    match scope {
        Scope::Provider => {
            overview_files(prepared, &config, &strings, &today, calendar_url, staging)?;
            crate::heap::release_freed();
            // The schools only: each handbook page carries its own steps.
            for locale in &project.config.locales {
                search_files(prepared, locale, staging)?;
                crate::heap::release_freed();
            }
        }
        // School scope: a root page that names no school, and no index of all schools.
        Scope::School => {
            let meta = PageMeta::overview(&project.config, &strings);
            let landing = prepared.html.landing(&config, &strings, &today, &meta)?;
            if gate::has_product_key(&landing, Format::Html) {
                return Err(leak(PathBuf::from(CONFIG_FILE), Path::new("index.html")));
            }
            write(staging, Path::new("index.html"), landing.as_bytes())?;
        }
    }
    let Some(staging) = staging else {
        return Ok(());
    };
    let robots = meta::robots_txt(&project.config);
    write(Some(staging), Path::new("robots.txt"), robots.as_bytes())?;
    for (path, bytes) in project.theme.files_under("static") {
        write(Some(staging), &Path::new(ASSETS_DIR).join(path), bytes)?;
    }
    let static_dir = project.root.join(STATIC_DIR);
    if static_dir.is_dir() {
        crate::output::copy_tree(&static_dir, staging.dir()).map_err(|e| {
            Diagnostic::error(&static_dir, format!("cannot copy static files: {e}"))
                .with_code("output.static-copy")
        })?;
    }
    Ok(())
}

/// A partial rebuild starts from the previous output, which may have had more overview
/// pages and chunks, search shards this build does not make, or a calendar.
fn clear_previous(staging: &Staging, project: &Project) -> Result<(), Diagnostic> {
    remove_dir(staging, Path::new(pages::OVERVIEW_DIR))?;
    for locale in &project.config.locales {
        remove_dir(
            staging,
            &Path::new(ASSETS_DIR).join(search::shard_dir(locale)),
        )?;
    }
    staging.remove(Path::new(PROVIDER_CALENDAR)).map_err(|e| {
        Diagnostic::error(PROVIDER_CALENDAR, format!("cannot remove output file: {e}"))
    })
}

/// Every page and data chunk of the overview, each checked by the final gate. The rows
/// are made one data chunk at a time (with that chunk's pages): all 40,000 at once
/// would hold ~100 MB.
fn overview_files(
    prepared: &Prepared,
    config: &crate::config::Config,
    strings: &Strings,
    today: &str,
    calendar_url: Option<&str>,
    staging: Option<&Staging>,
) -> Result<(), Diagnostic> {
    let schools = &prepared.project.schools;
    let counts = schools
        .iter()
        .map(|school| warnings::counts(prepared.findings(school)));
    let summary = pages::summary(counts, schools.len(), strings, |counts| {
        counts_text(strings, counts)
    });
    let page_count = pages::page_count(schools.len());
    let chunks = pages::chunk_count(schools.len());
    let pages_per_block = pages::CHUNK_ROWS / pages::PAGE_ROWS;
    // At least one block: an empty project still has its first page.
    for (b, block) in schools
        .chunks(pages::CHUNK_ROWS)
        .chain(schools.is_empty().then_some(&schools[..]))
        .enumerate()
    {
        let rows: Vec<OverviewRow> = block
            .par_iter()
            .map(|school| overview_row(prepared, school))
            .collect();
        let first = b * pages_per_block + 1;
        let last = page_count.min(first + pages_per_block - 1);
        let made: Vec<Result<(PathBuf, String), Diagnostic>> = (first..=last)
            .into_par_iter()
            .map(|number| {
                let start = (number - first) * pages::PAGE_ROWS;
                let page = OverviewPage {
                    rows: &rows[start..rows.len().min(start + pages::PAGE_ROWS)],
                    number,
                    pages: page_count,
                    summary: &summary,
                    chunks,
                    data_prefix: pages::DATA_PREFIX,
                    page_rows: pages::PAGE_ROWS,
                };
                let meta = match number {
                    1 => PageMeta::overview(&prepared.project.config, strings),
                    n => PageMeta::overview_page(&prepared.project.config, strings, n),
                };
                let html =
                    prepared
                        .html
                        .overview(config, strings, today, &page, &meta, calendar_url)?;
                let path = pages::page_path(number);
                if gate::has_product_key(&html, Format::Html) {
                    return Err(leak(overview_source(prepared, page.rows), &path));
                }
                Ok((path, html))
            })
            .collect();
        for page in made {
            let (path, html) = page?;
            write(staging, &path, html.as_bytes())?;
        }
        if b < chunks {
            let script = pages::chunk_script(b + 1, &rows);
            let path = pages::chunk_path(b + 1);
            if gate::has_product_key(&script, Format::Json) {
                return Err(leak(overview_source(prepared, &rows), &path));
            }
            write(staging, &path, script.as_bytes())?;
        }
    }
    Ok(())
}

/// A locale's index of the schools, shard by shard, each file checked by the final gate.
fn search_files(
    prepared: &Prepared,
    locale: &str,
    staging: Option<&Staging>,
) -> Result<(), Diagnostic> {
    let docs = search::school_docs(prepared.project.schools.iter(), locale, &prepared.layout);
    // Terms are word fragments a key could hide in: each school's document is checked
    // whole too, one at a time (as one script, all of them were ~10 MB at 40,000 schools).
    let leaks = |doc: &search::Doc| {
        gate::has_product_key(&search::script(std::slice::from_ref(doc)), Format::Json)
    };
    if docs.par_iter().any(leaks) {
        let entry = Path::new(ASSETS_DIR).join(search::entry_file(locale));
        return Err(leak(search_source(prepared, locale), &entry));
    }
    search::site_files(&docs, locale, |path, script| {
        let path = Path::new(ASSETS_DIR).join(path);
        if gate::has_product_key(&script, Format::Json) {
            return Err(leak(search_source(prepared, locale), &path));
        }
        write(staging, &path, script.as_bytes())
    })
}

/// Remove a folder an earlier build wrote from the staging folder, if it is there.
fn remove_dir(staging: &Staging, relative: &Path) -> Result<(), Diagnostic> {
    match std::fs::remove_dir_all(staging.dir().join(relative)) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Diagnostic::error(
            relative,
            format!("cannot remove output folder: {e}"),
        )),
        _ => Ok(()),
    }
}

/// The provider's `activations.ics` with every school's next activation, checked by the
/// final gate event by event and written; its name, or `None` when there is none (no
/// school has an anniversary, or the site faces schools). The one switch for it: a
/// publishing mode without a provider-wide view returns `Ok(None)` here.
fn provider_calendar(
    prepared: &Prepared,
    staging: Option<&Staging>,
) -> Result<Option<&'static str>, Diagnostic> {
    let project = &prepared.project;
    // A school-facing site has no calendar of every school.
    if prepared.layout.scope() == Scope::School {
        return Ok(None);
    }
    let Some(ics) = calendar::provider_calendar(project, &prepared.layout, prepared.today) else {
        return Ok(None);
    };
    // A key cannot span events: each is framed by BEGIN/END lines.
    let leaking = ics
        .events
        .par_iter()
        .find_first(|(_, event)| ics_has_key(event))
        .and_then(|(i, _)| project.schools.get(*i))
        .map(|school| school.file.clone());
    let frame_leaks = ics_has_key(&ics.head) || ics_has_key(&ics.tail);
    if let Some(source) = leaking.or(frame_leaks.then(|| PathBuf::from(CONFIG_FILE))) {
        return Err(leak(source, Path::new(PROVIDER_CALENDAR)));
    }
    if let Some(staging) = staging {
        staging
            .write_parts(Path::new(PROVIDER_CALENDAR), ics.parts())
            .map_err(|e| {
                Diagnostic::error(PROVIDER_CALENDAR, format!("cannot write output file: {e}"))
                    .with_code("output.write")
            })?;
    }
    Ok(Some(PROVIDER_CALENDAR))
}

/// Read unfolded, so a folded line cannot split a key.
fn ics_has_key(ics: &str) -> bool {
    gate::has_product_key(&ics.replace("\r\n ", ""), Format::Json)
}

/// The final gate's error for a site-wide file: a product key in `output`.
fn leak(source: PathBuf, output: &Path) -> Diagnostic {
    Diagnostic::error(
        source,
        format!("a product key would be written into {}", output.display()),
    )
    .with_code("secret.product-key-in-output")
    .with_note("product keys are secrets: remove it (it may be spelled with escapes, entities or other dashes)")
}

/// Which school's row of the overview holds the key (else the site config).
fn overview_source(prepared: &Prepared, rows: &[OverviewRow]) -> PathBuf {
    rows.iter()
        .find(|row| {
            serde_json::to_string(row).is_ok_and(|j| gate::has_product_key(&j, Format::Json))
        })
        .and_then(|row| {
            prepared
                .project
                .schools
                .iter()
                .find(|school| school.slug == row.slug)
        })
        .map_or_else(|| PathBuf::from(CONFIG_FILE), |school| school.file.clone())
}

/// Which school put the key into a locale's search index (else the site config).
fn search_source(prepared: &Prepared, locale: &str) -> PathBuf {
    let leaks =
        |docs: Vec<search::Doc>| gate::has_product_key(&search::script(&docs), Format::Json);
    prepared
        .project
        .schools
        .iter()
        .find(|s| {
            leaks(search::school_docs(
                std::iter::once(*s),
                locale,
                &prepared.layout,
            ))
        })
        .map_or_else(|| PathBuf::from(CONFIG_FILE), |school| school.file.clone())
}

pub(super) fn overview_row(prepared: &Prepared, school: &School) -> OverviewRow {
    let project = &prepared.project;
    let strings = project.strings(&project.config.default_locale);
    let findings = prepared.findings(school);
    let counts = warnings::counts(findings);
    let edition = project.config.portal.edition;
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
        counts_text: counts_text(&strings, counts),
        counts,
        warnings: findings
            .iter()
            .map(|f| SchoolWarning::new(f, &strings, edition))
            .collect(),
        handbooks: alternates(project, &prepared.layout, school, "", None),
    }
}

fn counts_text(strings: &Strings, counts: Counts) -> String {
    let count = |key: &str, n: usize| strings.plural(key, i64::try_from(n).unwrap_or(i64::MAX));
    [
        count("count-danger", counts.dangers),
        count("count-warning", counts.warnings),
        count("count-note", counts.notes),
    ]
    .join(", ")
}

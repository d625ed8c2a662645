//! Site-wide files: the overview of all schools, the schools' search index, theme
//! assets and the project's `static/` folder.

use std::path::{Path, PathBuf};

mod pages;

use super::calendar::{self, PROVIDER_CALENDAR};
use super::handbook::alternates;
use super::{write, Prepared, ASSETS_DIR};
use crate::config::{Scope, CONFIG_FILE};
use crate::diagnostics::Diagnostic;
use crate::i18n::Strings;
use crate::output::Staging;
use crate::project::STATIC_DIR;
use crate::render::html::{OverviewPage, OverviewRow};
use crate::render::meta::{self, PageMeta};
use crate::school::School;
use crate::search;
use crate::secrets::gate::{self, Format};
use crate::warnings::{self, Counts, SchoolWarning};

/// The overview, theme assets and the project's `static/` files.
pub(super) fn write_site_files(
    prepared: &Prepared,
    rows: &[OverviewRow],
    staging: Option<&Staging>,
) -> Result<(), Diagnostic> {
    let project = &prepared.project;
    let strings = project.strings(&project.config.default_locale);
    let today = strings.format_date(prepared.today);
    let scope = prepared.layout.scope();
    let config = project.config.for_locale(&strings.locale);
    let activations = provider_calendar(prepared)?;
    let calendar_url = activations.as_ref().map(|_| PROVIDER_CALENDAR);
    // School scope: a root page that names no school, and no index of all schools.
    let overview = match scope {
        Scope::Provider => overview_files(prepared, rows, &config, &strings, &today, calendar_url)?,
        Scope::School => {
            let meta = PageMeta::overview(&project.config, &strings);
            let landing = prepared.html.landing(&config, &strings, &today, &meta)?;
            if gate::has_product_key(&landing, Format::Html) {
                return Err(leak(PathBuf::from(CONFIG_FILE), Path::new("index.html")));
            }
            vec![(PathBuf::from("index.html"), landing)]
        }
    };
    // The schools only: each handbook page carries its own steps.
    let mut scripts = Vec::new();
    let locales = match scope {
        Scope::Provider => project.config.locales.as_slice(),
        Scope::School => &[],
    };
    for locale in locales {
        let docs = search::school_docs(project.schools.iter(), locale, &prepared.layout);
        // Terms are word fragments a key could hide in: their documents are checked too.
        let whole = gate::has_product_key(&search::script(&docs), Format::Json);
        for (path, script) in search::site_files(&docs, locale) {
            let path = Path::new(ASSETS_DIR).join(path);
            if whole || gate::has_product_key(&script, Format::Json) {
                return Err(leak(search_source(prepared, locale), &path));
            }
            scripts.push((path, script));
        }
    }
    let Some(staging) = staging else {
        return Ok(());
    };
    // A partial rebuild starts from the previous output, whose overview may have had
    // more pages and chunks than this one.
    remove_dir(staging, Path::new(pages::OVERVIEW_DIR))?;
    for (path, text) in overview {
        write(Some(staging), &path, text.as_bytes())?;
    }
    let robots = meta::robots_txt(&project.config);
    write(Some(staging), Path::new("robots.txt"), robots.as_bytes())?;
    match activations {
        Some(ics) => write(Some(staging), Path::new(PROVIDER_CALENDAR), ics.as_bytes())?,
        // A partial rebuild starts from the previous output, which may have one.
        None => staging.remove(Path::new(PROVIDER_CALENDAR)).map_err(|e| {
            Diagnostic::error(PROVIDER_CALENDAR, format!("cannot remove output file: {e}"))
        })?,
    }
    for locale in locales {
        // Shards of an earlier build (seeded from the output) that this one may not make.
        let dir = staging
            .dir()
            .join(ASSETS_DIR)
            .join(search::shard_dir(locale));
        if dir.is_dir() {
            std::fs::remove_dir_all(&dir)
                .map_err(|e| Diagnostic::error(&dir, format!("cannot remove output file: {e}")))?;
        }
    }
    for (path, script) in scripts {
        write(Some(staging), &path, script.as_bytes())?;
    }
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

/// Every page and data chunk of the overview, each checked by the final gate.
fn overview_files(
    prepared: &Prepared,
    rows: &[OverviewRow],
    config: &crate::config::Config,
    strings: &Strings,
    today: &str,
    calendar_url: Option<&str>,
) -> Result<Vec<(PathBuf, String)>, Diagnostic> {
    let summary = pages::summary(rows, strings, |counts| counts_text(strings, counts));
    let page_count = pages::page_count(rows.len());
    let chunks = pages::chunk_count(rows.len());
    let mut files = Vec::with_capacity(page_count + chunks);
    for number in 1..=page_count {
        let start = (number - 1) * pages::PAGE_ROWS;
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
        let html = prepared
            .html
            .overview(config, strings, today, &page, &meta, calendar_url)?;
        let path = pages::page_path(number);
        if gate::has_product_key(&html, Format::Html) {
            return Err(leak(overview_source(prepared, page.rows), &path));
        }
        files.push((path, html));
    }
    for (i, chunk) in rows.chunks(pages::CHUNK_ROWS).take(chunks).enumerate() {
        let script = pages::chunk_script(i + 1, chunk);
        let path = pages::chunk_path(i + 1);
        if gate::has_product_key(&script, Format::Json) {
            return Err(leak(overview_source(prepared, chunk), &path));
        }
        files.push((path, script));
    }
    Ok(files)
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
/// final gate; `None` when no school has an anniversary. The one switch for it: a
/// publishing mode without a provider-wide view returns `Ok(None)` here.
fn provider_calendar(prepared: &Prepared) -> Result<Option<String>, Diagnostic> {
    let project = &prepared.project;
    // A school-facing site has no calendar of every school.
    if prepared.layout.scope() == Scope::School {
        return Ok(None);
    }
    let Some(ics) = calendar::provider_calendar(project, &prepared.layout, prepared.today) else {
        return Ok(None);
    };
    if ics_has_key(&ics) {
        // Which school's event holds it (else the theme's words, under the site config).
        let strings = project.strings(&project.config.default_locale);
        let source = project
            .schools
            .iter()
            .find(|school| {
                let locale = &project.config.default_locale;
                calendar::school_calendar(
                    &project.config,
                    &prepared.layout,
                    school,
                    &strings,
                    locale,
                    prepared.today,
                )
                .is_some_and(|one| ics_has_key(&one))
            })
            .map_or_else(|| PathBuf::from(CONFIG_FILE), |school| school.file.clone());
        return Err(leak(source, Path::new(PROVIDER_CALENDAR)));
    }
    Ok(Some(ics))
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

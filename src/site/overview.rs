//! Site-wide files: the overview of all schools, the search index, theme assets and
//! the project's `static/` folder.

use std::path::Path;

use super::{handbook::alternates, handbook::school_warnings, write, Prepared, ASSETS_DIR};
use crate::diagnostics::Diagnostic;
use crate::i18n::Strings;
use crate::output::Staging;
use crate::project::STATIC_DIR;
use crate::render::html::OverviewRow;
use crate::school::School;
use crate::search;
use crate::warnings;

/// The overview, theme assets and the project's `static/` files.
pub(super) fn write_site_files(
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
            Diagnostic::error(&static_dir, format!("cannot copy static files: {e}"))
        })?;
    }
    Ok(())
}

pub(super) fn overview_row(prepared: &Prepared, school: &School) -> OverviewRow {
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
        handbooks: alternates(project, school, "", None),
    }
}

fn counts_text(strings: &Strings, [notes, warnings, dangers]: [usize; 3]) -> String {
    let count = |key: &str, n: usize| strings.plural(key, i64::try_from(n).unwrap_or(i64::MAX));
    [
        count("count-danger", dangers),
        count("count-warning", warnings),
        count("count-note", notes),
    ]
    .join(", ")
}

//! The overview in pieces that stay light at any number of schools: the first
//! [`PAGE_ROWS`] rows in `index.html`, the rest as static pages `overview/<n>.html` (for
//! readers without JavaScript and for print), and every school's row once more in
//! compact data chunks `overview/data-<k>.js` that the filter and sort load on first use.
//! A chunk is a script that hands its rows to `overview.js`, because `fetch` does not
//! work from `file://` and the CSP allows no inline script.

use std::path::PathBuf;

use serde::Serialize;

use crate::render::html::{OverviewRow, OverviewSummary};

/// Rows on each page of the overview: `index.html` stays about 150 KB at any N.
pub(crate) const PAGE_ROWS: usize = 200;

/// Rows in each data chunk: few enough files, each small enough to parse at once.
pub(crate) const CHUNK_ROWS: usize = 2000;

/// The folder of the overview's further pages and data chunks.
pub(crate) const OVERVIEW_DIR: &str = "overview";

/// The chunks' path from the site root, without the number and `.js`.
pub(crate) const DATA_PREFIX: &str = "overview/data-";

/// How many pages `rows` fill (at least one, which may be empty).
pub(crate) fn page_count(rows: usize) -> usize {
    rows.div_ceil(PAGE_ROWS).max(1)
}

/// How many data chunks the filter and sort load: none when the first page holds every
/// row (the script then works on the table itself).
pub(crate) fn chunk_count(rows: usize) -> usize {
    if page_count(rows) == 1 {
        0
    } else {
        rows.div_ceil(CHUNK_ROWS)
    }
}

/// Where page `n` (from 1) is written.
pub(crate) fn page_path(n: usize) -> PathBuf {
    if n == 1 {
        PathBuf::from("index.html")
    } else {
        PathBuf::from(OVERVIEW_DIR).join(format!("{n}.html"))
    }
}

/// Where chunk `k` (from 1) is written.
pub(crate) fn chunk_path(k: usize) -> PathBuf {
    PathBuf::from(format!("{DATA_PREFIX}{k}.js"))
}

/// One school in a chunk, as a JSON array in the order `overview.js` reads it.
#[derive(Serialize)]
struct ChunkRow<'a>(
    /// slug
    &'a str,
    /// name
    &'a str,
    /// tenant
    &'a str,
    /// contract
    &'a str,
    /// next activation, ISO (for sorting) and as shown; `null` if unknown
    Option<&'a str>,
    Option<&'a str>,
    /// dangers, warnings, notes
    [usize; 3],
    /// index of the counts in words in the chunk's `texts`
    usize,
    /// `[locale, url from the site root]` per handbook
    Vec<[&'a str; 2]>,
);

#[derive(Serialize)]
struct Chunk<'a> {
    /// The counts in words, each once ("0 Gefahren, 1 Warnung, 0 Hinweise").
    texts: Vec<&'a str>,
    rows: Vec<ChunkRow<'a>>,
}

/// Chunk `k` (from 1) of `rows`: `handbuchOverview(k, {texts, rows});`.
pub(crate) fn chunk_script(k: usize, rows: &[OverviewRow]) -> String {
    let mut texts: Vec<&str> = Vec::new();
    let rows = rows
        .iter()
        .map(|row| {
            let text = match texts.iter().position(|t| *t == row.counts_text) {
                Some(i) => i,
                None => {
                    texts.push(&row.counts_text);
                    texts.len() - 1
                }
            };
            ChunkRow(
                &row.slug,
                &row.name,
                &row.tenant,
                &row.contract,
                row.anniversary.as_deref(),
                row.anniversary_display.as_deref(),
                [row.counts.dangers, row.counts.warnings, row.counts.notes],
                text,
                row.handbooks
                    .iter()
                    .map(|h| [h.locale.as_str(), h.url.as_str()])
                    .collect(),
            )
        })
        .collect();
    // Plain strings and numbers always serialize; an empty chunk is the safe fallback.
    let json = serde_json::to_string(&Chunk { texts, rows })
        .unwrap_or_else(|_| "{\"texts\":[],\"rows\":[]}".into());
    format!("handbuchOverview({k}, {json});\n")
}

/// The totals of all `schools` (each school's `counts`), in the default locale's words.
pub(crate) fn summary(
    counts: impl Iterator<Item = crate::warnings::Counts>,
    schools: usize,
    strings: &crate::i18n::Strings,
    counts_text: impl Fn(crate::warnings::Counts) -> String,
) -> OverviewSummary {
    let mut total = crate::warnings::Counts::default();
    for one in counts {
        total.dangers += one.dangers;
        total.warnings += one.warnings;
        total.notes += one.notes;
    }
    OverviewSummary {
        schools,
        schools_text: strings.plural(
            "overview_schools",
            i64::try_from(schools).unwrap_or(i64::MAX),
        ),
        counts: total,
        counts_text: counts_text(total),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_and_chunks_cover_every_row_once() {
        assert_eq!(page_count(0), 1);
        assert_eq!(page_count(PAGE_ROWS), 1);
        assert_eq!(page_count(PAGE_ROWS + 1), 2);
        assert_eq!(chunk_count(PAGE_ROWS), 0);
        assert_eq!(chunk_count(PAGE_ROWS + 1), 1);
        assert_eq!(chunk_count(CHUNK_ROWS + 1), 2);
        assert_eq!(page_path(1), PathBuf::from("index.html"));
        assert_eq!(page_path(3), PathBuf::from("overview/3.html"));
        assert_eq!(chunk_path(2), PathBuf::from("overview/data-2.js"));
    }
}

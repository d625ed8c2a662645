//! The guide's chapters: discovery per locale, front matter, fallback to the default locale.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use crate::config::{Config, Edition};
use crate::diagnostics::{is_unsafe_char, Diagnostic, Diagnostics};
use crate::limits::{self, FileKind};
use crate::model::Source;
use crate::walk::{self, Skipped};
use crate::{secrets, toml_file};

pub(crate) const GUIDE_DIR: &str = "content/guide";
const FENCE: &str = "+++";

/// `+++` TOML front matter at the top of a chapter; everything optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    /// Chapter title; without it the chapter's first `#` heading is the title.
    pub title: Option<String>,
    /// Anchor id; without it the file name without its number prefix.
    pub id: Option<String>,
    /// The one edition this chapter belongs to; without it, both.
    pub edition: Option<Edition>,
    /// Where the chapter's facts come from, listed at the end of the handbook.
    #[serde(default)]
    pub sources: Vec<SourceEntry>,
}

/// `sources = [{ title = "…", url = "https://…", checked = 2026-11-20 }]` as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceEntry {
    pub title: Spanned<String>,
    pub url: Spanned<String>,
    pub checked: Spanned<toml::value::Datetime>,
}

/// One chapter file of one locale, read but not yet rendered.
#[derive(Debug, Clone)]
pub struct ChapterSource {
    pub locale: String,
    pub file_name: String,
    pub shown_as: PathBuf,
    pub source: Arc<str>,
    /// Byte offset where the Markdown body starts (after front matter).
    pub body_offset: usize,
    pub front: FrontMatter,
    /// The front matter's sources, validated.
    pub sources: Vec<Source>,
    /// Set when this locale has no such file and the default locale's is used.
    pub fallback_from: Option<String>,
}

impl ChapterSource {
    pub fn body(&self) -> &str {
        &self.source[self.body_offset..]
    }

    /// Unique per locale and ending in `.md`, which switches on Markdown escaping.
    pub fn template_name(&self) -> String {
        format!("{}/{}", self.locale, self.file_name)
    }

    /// Default id: `02-vlsc-login.md` → `vlsc-login`.
    pub fn default_id(&self) -> String {
        let stem = self.file_name.trim_end_matches(".md");
        let without_number = stem
            .trim_start_matches(|c: char| c.is_ascii_digit())
            .trim_start_matches(['-', '_']);
        crate::markdown::slug::anchor(if without_number.is_empty() {
            stem
        } else {
            without_number
        })
    }
}

/// Every locale's chapters, in reading order.
#[derive(Debug, Clone)]
pub struct Guide {
    pub chapters: BTreeMap<String, Vec<ChapterSource>>,
}

impl Guide {
    /// Files in the chapter folders that are not chapters are added to `skipped`;
    /// warnings (untranslated chapters, drift) go to `warnings`.
    pub fn load(
        root: &Path,
        config: &Config,
        skipped: &mut Vec<Skipped>,
        warnings: &mut Diagnostics,
    ) -> Result<Guide, Diagnostics> {
        let mut problems = Diagnostics::default();
        let edition = config.portal.edition;
        let all_default = read_locale(root, &config.default_locale, skipped, &mut problems);
        let default: Vec<ChapterSource> = all_default
            .iter()
            .filter(|c| in_edition(c, &all_default, edition))
            .cloned()
            .collect();
        if default.is_empty() && problems.is_empty() {
            problems.push(
                Diagnostic::error(
                    Path::new(GUIDE_DIR).join(&config.default_locale),
                    "no chapters found for the default locale (expected files like `01-start.md`)",
                )
                .with_code("chapter.none-found"),
            );
        }
        let mut chapters = BTreeMap::new();
        for locale in &config.locales {
            if *locale == config.default_locale {
                continue;
            }
            let all_own = read_locale(root, locale, skipped, &mut problems);
            warnings.extend(edition_drift(&all_default, &all_own));
            let own = all_own
                .into_iter()
                .filter(|c| in_edition(c, &all_default, edition))
                .collect();
            chapters.insert(
                locale.clone(),
                with_fallback(own, &default, locale, warnings),
            );
        }
        for own in chapters.values() {
            warnings.extend(step_id_drift(&default, own));
        }
        chapters.insert(config.default_locale.clone(), default);
        problems.finish(Guide { chapters })
    }
}

/// A locale's chapters: its own files, and the default locale's where it has none.
fn with_fallback(
    own: Vec<ChapterSource>,
    default: &[ChapterSource],
    locale: &str,
    warnings: &mut Diagnostics,
) -> Vec<ChapterSource> {
    let mut merged: Vec<ChapterSource> = default
        .iter()
        .map(|d| match counterpart(d, &own) {
            Some(o) => o.clone(),
            None => {
                warnings.push(
                    Diagnostic::warning(
                        &d.shown_as,
                        format!(
                            "chapter not translated to `{locale}`: the `{}` text is used",
                            d.locale
                        ),
                    )
                    .with_code("chapter.untranslated")
                    .with_note(format!("add {}/{locale}/{}", GUIDE_DIR, d.file_name)),
                );
                ChapterSource {
                    locale: locale.to_string(),
                    fallback_from: Some(d.locale.clone()),
                    ..d.clone()
                }
            }
        })
        .collect();
    for extra in own
        .into_iter()
        .filter(|o| counterpart(o, default).is_none())
    {
        merged.push(extra);
    }
    merged.sort_by(|a, b| a.file_name.cmp(&b.file_name));
    merged
}

/// A warning per translated chapter whose steps (`##` ids) differ from the default
/// locale's, so translations cannot drift apart unnoticed.
fn step_id_drift(default: &[ChapterSource], translated: &[ChapterSource]) -> Diagnostics {
    let mut warnings = Diagnostics::default();
    for chapter in translated.iter().filter(|c| c.fallback_from.is_none()) {
        let Some(original) = counterpart(chapter, default) else {
            continue;
        };
        let (ours, theirs) = (step_ids(chapter.body()), step_ids(original.body()));
        if ours != theirs {
            let missing: Vec<&str> = theirs
                .iter()
                .filter(|id| !ours.contains(id))
                .map(String::as_str)
                .collect();
            let extra: Vec<&str> = ours
                .iter()
                .filter(|id| !theirs.contains(id))
                .map(String::as_str)
                .collect();
            let mut d = Diagnostic::warning(
                &chapter.shown_as,
                format!("steps differ from {}", original.shown_as.display()),
            )
            .with_code("chapter.steps-differ");
            if !missing.is_empty() {
                d = d.with_note(format!("missing here: {}", missing.join(", ")));
            }
            if !extra.is_empty() {
                d = d.with_note(format!("only here: {}", extra.join(", ")));
            }
            if missing.is_empty() && extra.is_empty() {
                d = d.with_note(format!("same ids in another order: {}", ours.join(", ")));
            }
            warnings.push(d);
        }
    }
    warnings
}

/// The ids of a chapter's `##` steps, read from its source (before templating) by the
/// Markdown parser the handbook uses: template tags are read as text, so the steps of
/// every `{% if %}` branch count, and a `## ` line in a code block is no step.
pub fn step_ids(body: &str) -> Vec<String> {
    // A chapter the parser refuses (too deeply nested) fails the build with its own error.
    crate::markdown::parse::parse(body)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|block| match block {
            crate::model::Block::Heading { level: 2, id, .. } => Some(id),
            _ => None,
        })
        .collect()
}

/// The chapter of the same file name in another locale's list, if there is one.
fn counterpart<'a>(
    chapter: &ChapterSource,
    others: &'a [ChapterSource],
) -> Option<&'a ChapterSource> {
    others.iter().find(|o| o.file_name == chapter.file_name)
}

/// Whether a chapter is part of `edition`. The default locale's chapter of the same file
/// name decides, so a translation that forgot `edition` cannot join the other edition.
fn in_edition(chapter: &ChapterSource, defaults: &[ChapterSource], edition: Edition) -> bool {
    counterpart(chapter, defaults)
        .map_or(chapter.front.edition, |d| d.front.edition)
        .is_none_or(|e| e == edition)
}

/// A warning per translated chapter whose `edition` differs from the default locale's.
fn edition_drift(defaults: &[ChapterSource], translated: &[ChapterSource]) -> Diagnostics {
    let name = |e: Option<Edition>| {
        e.map_or_else(
            || "both editions".to_string(),
            |e| format!("the {} edition", e.name()),
        )
    };
    translated
        .iter()
        .filter_map(|c| {
            let original = counterpart(c, defaults)?;
            (original.front.edition != c.front.edition).then(|| {
                Diagnostic::warning(
                    &c.shown_as,
                    format!(
                        "this chapter is in {} but {} is in {}; the default locale's edition is used",
                        name(c.front.edition),
                        original.shown_as.display(),
                        name(original.front.edition)
                    ),
                )
                .with_code("chapter.edition-mismatch")
            })
        })
        .collect()
}

/// Every chapter of a locale, of both editions.
fn read_locale(
    root: &Path,
    locale: &str,
    skipped: &mut Vec<Skipped>,
    problems: &mut Diagnostics,
) -> Vec<ChapterSource> {
    let dir = root.join(GUIDE_DIR).join(locale);
    if !dir.exists() {
        return Vec::new();
    }
    let listing = walk::list(root, &dir, Some("md"), 1);
    skipped.extend(listing.skipped);
    problems.extend(listing.errors);
    let mut chapters = Vec::new();
    for path in listing.files {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let shown_as = Path::new(GUIDE_DIR).join(locale).join(&name);
        chapters.extend(problems.take(read_chapter(&path, shown_as, locale, name)));
    }
    chapters
}

fn read_chapter(
    path: &Path,
    shown_as: PathBuf,
    locale: &str,
    file_name: String,
) -> Result<ChapterSource, Diagnostics> {
    if let Some(error) = secrets::check_file_name(&shown_as) {
        return Err(error.into());
    }
    let source = toml_file::read_source(path, &shown_as, FileKind::Chapter)?;
    secrets::check(&source, &shown_as).finish(())?;
    let (front, body_offset, front_start) = split_front_matter(&source, &shown_as)?;
    let sources = validate_sources(&front.sources, front_start, &source, &shown_as)?;
    Ok(ChapterSource {
        locale: locale.to_string(),
        file_name,
        shown_as,
        source,
        body_offset,
        front,
        sources,
        fallback_from: None,
    })
}

/// Parse `+++ … +++` at the very top, if present; errors point into the file.
/// Returns the front matter, where the body starts and where the TOML starts.
fn split_front_matter(
    source: &Arc<str>,
    shown_as: &Path,
) -> Result<(FrontMatter, usize, usize), Diagnostics> {
    let Some(rest) = source
        .strip_prefix(FENCE)
        .filter(|r| r.starts_with('\n') || r.starts_with("\r\n"))
    else {
        return Ok((FrontMatter::default(), 0, 0));
    };
    let start = source.len() - rest.len();
    let close = rest.match_indices(FENCE).find(|(i, _)| {
        rest[..*i].ends_with('\n')
            && rest[i + FENCE.len()..]
                .lines()
                .next()
                .is_some_and(|l| l.trim().is_empty())
    });
    let Some((close, _)) = close else {
        return Err(Diagnostic::error(shown_as, "front matter is not closed")
            .with_code("chapter.front-matter-unclosed")
            .at(source, 0..FENCE.len())
            .with_label("opened here; expected a line `+++` after the TOML")
            .into());
    };
    let toml_text = &rest[..close];
    limits::check_toml(source, start, toml_text, shown_as, &[]).finish(())?;
    let after = start + close + FENCE.len();
    let body_offset = source[after..]
        .find('\n')
        .map_or(source.len(), |i| after + i + 1);
    let front: FrontMatter =
        toml_file::parse_part(source, start..start + close, shown_as, "front matter: ")?;
    Ok((front, body_offset, start))
}

/// Each source needs a title, an `http(s)://` address and a date without a time.
fn validate_sources(
    entries: &[SourceEntry],
    front_start: usize,
    source: &Arc<str>,
    shown_as: &Path,
) -> Result<Vec<Source>, Diagnostics> {
    let mut problems = Diagnostics::default();
    let mut sources = Vec::new();
    let span = |s: Range<usize>| s.start + front_start..s.end + front_start;
    for entry in entries {
        let url = entry.url.get_ref();
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            problems.push(
                Diagnostic::error(
                    shown_as,
                    "front matter: a source's url must start with https://",
                )
                .with_code("chapter.bad-source")
                .at(source, span(entry.url.span())),
            );
        } else if url.chars().any(|c| c.is_whitespace() || is_unsafe_char(c)) {
            problems.push(
                Diagnostic::error(
                    shown_as,
                    "front matter: a source's url must not contain spaces or control characters",
                )
                .with_code("chapter.bad-source")
                .at(source, span(entry.url.span())),
            );
        }
        let title = entry.title.get_ref();
        if title.trim().is_empty() || title.chars().any(is_unsafe_char) {
            problems.push(
                Diagnostic::error(
                    shown_as,
                    "front matter: a source's title must be one line of text",
                )
                .with_code("chapter.bad-source")
                .at(source, span(entry.title.span())),
            );
        }
        let checked = crate::toml_file::as_date(entry.checked.get_ref());
        match checked {
            Some(checked) => sources.push(Source {
                title: title.trim().to_string(),
                url: url.clone(),
                checked,
                checked_at: span(entry.checked.span()),
            }),
            None => problems.push(
                Diagnostic::error(
                    shown_as,
                    "front matter: a source's `checked` must be a date without a time",
                )
                .with_code("chapter.bad-source")
                .at(source, span(entry.checked.span()))
                .with_label("a date like `2026-11-20`"),
            ),
        }
    }
    problems.finish(sources)
}

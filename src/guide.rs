//! The guide's chapters: discovery per locale, front matter, fallback to the default locale.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;
use walkdir::WalkDir;

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::limits::{self, FileKind};
use crate::{secrets, toml_file};

pub const GUIDE_DIR: &str = "content/guide";
const FENCE: &str = "+++";

/// `+++` TOML front matter at the top of a chapter; everything optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    /// Chapter title; without it the chapter's first `#` heading is the title.
    pub title: Option<String>,
    /// Anchor id; without it the file name without its number prefix.
    pub id: Option<String>,
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
        crate::markdown::slug::slugify(if without_number.is_empty() {
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
    pub fn load(root: &Path, config: &Config) -> Result<(Guide, Vec<Diagnostic>), Vec<Diagnostic>> {
        let mut problems = Vec::new();
        let mut warnings = Vec::new();
        let default = read_locale(root, &config.default_locale, &mut problems);
        if default.is_empty() && problems.is_empty() {
            problems.push(Diagnostic::error(
                Path::new(GUIDE_DIR).join(&config.default_locale),
                "no chapters found for the default locale (expected files like `01-start.md`)",
            ));
        }
        let mut chapters = BTreeMap::new();
        for locale in &config.locales {
            if *locale == config.default_locale {
                continue;
            }
            let own = read_locale(root, locale, &mut problems);
            chapters.insert(
                locale.clone(),
                with_fallback(own, &default, locale, &mut warnings),
            );
        }
        for own in chapters.values() {
            warnings.extend(step_id_drift(&default, own));
        }
        chapters.insert(config.default_locale.clone(), default);
        if problems.is_empty() {
            Ok((Guide { chapters }, warnings))
        } else {
            Err(problems)
        }
    }
}

/// A locale's chapters: its own files, and the default locale's where it has none.
fn with_fallback(
    own: Vec<ChapterSource>,
    default: &[ChapterSource],
    locale: &str,
    warnings: &mut Vec<Diagnostic>,
) -> Vec<ChapterSource> {
    let mut merged: Vec<ChapterSource> = default
        .iter()
        .map(|d| match own.iter().find(|o| o.file_name == d.file_name) {
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
        .filter(|o| !default.iter().any(|d| d.file_name == o.file_name))
    {
        merged.push(extra);
    }
    merged.sort_by(|a, b| a.file_name.cmp(&b.file_name));
    merged
}

/// A warning per translated chapter whose steps (`##` ids) differ from the default
/// locale's, so translations cannot drift apart unnoticed.
fn step_id_drift(default: &[ChapterSource], translated: &[ChapterSource]) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    for chapter in translated.iter().filter(|c| c.fallback_from.is_none()) {
        let Some(original) = default.iter().find(|d| d.file_name == chapter.file_name) else {
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
            );
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

/// The ids of a chapter's `##` steps, read from its source (before templating).
fn step_ids(body: &str) -> Vec<String> {
    body.lines()
        .filter_map(|line| line.strip_prefix("## "))
        .map(|title| {
            let title = title.trim_end();
            match title.rfind("{#").filter(|_| title.ends_with('}')) {
                Some(at) => title[at + 2..title.len() - 1].to_string(),
                None => crate::markdown::slug::slugify(title),
            }
        })
        .collect()
}

fn read_locale(root: &Path, locale: &str, problems: &mut Vec<Diagnostic>) -> Vec<ChapterSource> {
    let dir = root.join(GUIDE_DIR).join(locale);
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut chapters = Vec::new();
    for entry in WalkDir::new(&dir)
        .min_depth(1)
        .max_depth(1)
        .sort_by_file_name()
    {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                problems.push(Diagnostic::error(
                    Path::new(GUIDE_DIR).join(locale),
                    format!("cannot read folder: {e}"),
                ));
                continue;
            }
        };
        let name = entry.file_name().to_string_lossy().into_owned();
        if !entry.file_type().is_file() || !name.ends_with(".md") {
            continue;
        }
        let shown_as = Path::new(GUIDE_DIR).join(locale).join(&name);
        match read_chapter(entry.path(), shown_as, locale, name) {
            Ok(c) => chapters.push(c),
            Err(mut e) => problems.append(&mut e),
        }
    }
    chapters
}

fn read_chapter(
    path: &Path,
    shown_as: PathBuf,
    locale: &str,
    file_name: String,
) -> Result<ChapterSource, Vec<Diagnostic>> {
    let source = toml_file::read_source(path, &shown_as, FileKind::Chapter).map_err(|d| vec![d])?;
    let secrets = secrets::check(&source, &shown_as);
    if !secrets.is_empty() {
        return Err(secrets);
    }
    let (front, body_offset) = split_front_matter(&source, &shown_as)?;
    Ok(ChapterSource {
        locale: locale.to_string(),
        file_name,
        shown_as,
        source,
        body_offset,
        front,
        fallback_from: None,
    })
}

/// Parse `+++ … +++` at the very top, if present; errors point into the file.
fn split_front_matter(
    source: &Arc<str>,
    shown_as: &Path,
) -> Result<(FrontMatter, usize), Vec<Diagnostic>> {
    let Some(rest) = source
        .strip_prefix(FENCE)
        .filter(|r| r.starts_with('\n') || r.starts_with("\r\n"))
    else {
        return Ok((FrontMatter::default(), 0));
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
        return Err(vec![Diagnostic::error(
            shown_as,
            "front matter is not closed",
        )
        .at(source, 0..FENCE.len())
        .with_label("opened here; expected a line `+++` after the TOML")]);
    };
    let toml_text = &rest[..close];
    let too_long = limits::check_toml(source, start, toml_text, shown_as, &[]);
    if !too_long.is_empty() {
        return Err(too_long);
    }
    let after = start + close + FENCE.len();
    let body_offset = source[after..]
        .find('\n')
        .map_or(source.len(), |i| after + i + 1);
    let front: FrontMatter = toml::from_str(toml_text).map_err(|e| {
        let message = e.message().lines().next().unwrap_or("invalid TOML");
        let mut d = Diagnostic::error(shown_as, format!("front matter: {message}"));
        if let Some(span) = e.span() {
            d = d.at(source, span.start + start..span.end + start);
        }
        // `titel = …` gets the same "did you mean `title`?" as a school file.
        if let Some(hint) = toml_file::hint_for(message) {
            d = d.with_note(hint);
        }
        vec![d]
    })?;
    Ok((front, body_offset))
}

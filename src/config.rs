//! `handbuch.toml`: the site's configuration.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize};
use toml::Spanned;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::limits::FileKind;
use crate::markdown::slug::is_valid_id;
use crate::toml_file;

pub(crate) const CONFIG_FILE: &str = "handbuch.toml";

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// One title for every locale, or one per locale: use [`Config::title_for`].
    pub title: SiteTitle,
    #[serde(default)]
    pub base_url: String,
    #[serde(default = "default_locale")]
    pub default_locale: String,
    /// Every locale the site is built in; empty means just the default one.
    #[serde(default)]
    pub locales: Vec<String>,
    #[serde(default = "default_theme")]
    pub theme: String,
    #[serde(default)]
    pub provider: Provider,
    #[serde(default)]
    pub warnings: WarningsConfig,
    /// Which Microsoft portal the handbooks describe (`[portal]`).
    #[serde(default)]
    pub portal: PortalConfig,
    /// How the site is published (`[publish]`).
    #[serde(default)]
    pub publish: Publish,
}

/// `title`: `title = "…"` for every locale, or `title = { de = "…", en = "…" }`.
/// Templates see the page's locale's title as `site.title` ([`Config::for_locale`]).
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum SiteTitle {
    One(String),
    PerLocale(BTreeMap<String, String>),
}

impl<'de> Deserialize<'de> for SiteTitle {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = SiteTitle;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(
                    r#"a string, or a table of titles by locale like { de = "…", en = "…" }"#,
                )
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<SiteTitle, E> {
                Ok(SiteTitle::One(v.to_string()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<SiteTitle, A::Error> {
                let mut titles = BTreeMap::new();
                while let Some((locale, title)) = map.next_entry::<String, String>()? {
                    titles.insert(locale, title);
                }
                Ok(SiteTitle::PerLocale(titles))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// `[publish]`: who may find the site and who reads it.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Publish {
    /// `false` (default, an internal site): every page says `noindex` and `robots.txt`
    /// disallows everything. `true`: pages may be indexed and `robots.txt` allows it.
    #[serde(default)]
    pub search_engines: bool,
    /// Who reads the site; templates test it as `site.publish.scope == "school"`.
    #[serde(default)]
    pub scope: Scope,
}

/// Who reads the published site, and so what it may show.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// The provider's own site: an overview of every school and a search across them.
    #[default]
    Provider,
    /// A site for the schools themselves: each school's handbooks in a folder only its
    /// link leads to, and nothing on it about any other school.
    School,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Provider {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub support_email: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct WarningsConfig {
    #[serde(default = "default_renewal_warn_days")]
    pub renewal_warn_days: u32,
    /// `[warnings.steps]`: a school warning's id → the step id it is shown at, for a
    /// guide whose steps are named differently from the built-in defaults.
    #[serde(default)]
    pub steps: BTreeMap<String, String>,
}

impl Default for WarningsConfig {
    fn default() -> Self {
        WarningsConfig {
            renewal_warn_days: default_renewal_warn_days(),
            steps: BTreeMap::new(),
        }
    }
}

/// `[portal]`: which edition of the guide is built. The VLSC was retired in April 2024,
/// so by default the handbooks describe today's procedure in the Microsoft 365 admin
/// center; `vlsc_retired = false` builds the guide's original VLSC procedure.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(from = "PortalFile")]
pub struct PortalConfig {
    /// Chapters test it as `site.portal.vlsc_retired`, or `site.portal.edition`.
    pub vlsc_retired: bool,
    /// When the provider last checked the portal facts, shown as "Stand: …".
    /// Chapters see it as an ISO string.
    pub as_of: Option<NaiveDate>,
    /// Where `as_of` is written in handbuch.toml, for the staleness warning.
    #[serde(skip)]
    pub as_of_at: Option<Range<usize>>,
    /// Follows from `vlsc_retired`: `"current"` or `"vlsc"` for templates.
    pub edition: Edition,
}

/// `[portal]` as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PortalFile {
    #[serde(default = "yes")]
    vlsc_retired: bool,
    /// A TOML date (`as_of = 2026-11-01`).
    #[serde(default, deserialize_with = "optional_date")]
    as_of: Option<Spanned<NaiveDate>>,
}

impl From<PortalFile> for PortalConfig {
    fn from(file: PortalFile) -> Self {
        PortalConfig {
            vlsc_retired: file.vlsc_retired,
            as_of: file.as_of.as_ref().map(|d| *d.get_ref()),
            as_of_at: file.as_of.as_ref().map(Spanned::span),
            edition: if file.vlsc_retired {
                Edition::Current
            } else {
                Edition::Vlsc
            },
        }
    }
}

/// The two editions of the guide: a chapter's front matter may name one
/// (`edition = "vlsc"`), and then it is part of that edition only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Edition {
    /// Today's procedure in the Microsoft 365 admin center.
    Current,
    /// The Volume Licensing Service Center, as the guide was first written.
    Vlsc,
}

impl Edition {
    pub fn name(self) -> &'static str {
        match self {
            Edition::Current => "current",
            Edition::Vlsc => "vlsc",
        }
    }
}

impl Default for PortalConfig {
    /// As if `[portal]` were written with nothing in it.
    fn default() -> Self {
        PortalFile {
            vlsc_retired: yes(),
            as_of: None,
        }
        .into()
    }
}

fn yes() -> bool {
    true
}

/// A TOML date without a time (`2026-11-01`), with where it is written; a quoted ISO
/// date is accepted too.
fn optional_date<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Spanned<NaiveDate>>, D::Error> {
    let value = Spanned::<toml::Value>::deserialize(deserializer)?;
    let span = value.span();
    let date = match value.into_inner() {
        toml::Value::Datetime(d) => toml_file::as_date(&d),
        toml::Value::String(s) => NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok(),
        _ => None,
    };
    date.map(|d| Some(Spanned::new(span, d))).ok_or_else(|| {
        serde::de::Error::custom("`as_of` must be a date without a time, like 2026-11-01")
    })
}

fn default_locale() -> String {
    "de".into()
}

fn default_theme() -> String {
    "default".into()
}

fn default_renewal_warn_days() -> u32 {
    60
}

impl Config {
    /// The site's title in `locale`: its own entry, else the default locale's (which a
    /// title table must have), else the one title for all.
    pub fn title_for(&self, locale: &str) -> &str {
        match &self.title {
            SiteTitle::One(title) => title,
            SiteTitle::PerLocale(titles) => titles
                .get(locale)
                .or_else(|| titles.get(&self.default_locale))
                .map_or("", String::as_str),
        }
    }

    /// This config as the pages, chapters and PDF of `locale` see it: `site.title` is
    /// that locale's title.
    pub fn for_locale(&self, locale: &str) -> Config {
        Config {
            title: SiteTitle::One(self.title_for(locale).to_string()),
            ..self.clone()
        }
    }

    /// Load and validate `handbuch.toml` in `root`.
    pub fn load(root: &Path) -> Result<Config, Diagnostics> {
        let shown = Path::new(CONFIG_FILE);
        is_project(root)?;
        let source = toml_file::read_source(&root.join(CONFIG_FILE), shown, FileKind::Config)?;
        let mut config: Config = toml_file::parse_checked(&source, shown, &[])?;
        if config.locales.is_empty() {
            config.locales.push(config.default_locale.clone());
        }

        let spans = LocaleSpans::of(&source);
        let mut problems = Diagnostics::default();
        let listed = config.locales.iter().map(|l| (l, spans.listed_span(l)));
        let default = [(&config.default_locale, spans.default_span())];
        let mut reported: Vec<&String> = Vec::new();
        for (locale, span) in listed.chain(default) {
            // One error per bad value, even when it is both listed and the default.
            if is_locale_code(locale) || reported.contains(&locale) {
                continue;
            }
            reported.push(locale);
            let d = Diagnostic::error(
                shown,
                format!("`{locale}` is not a locale code (expected e.g. \"de\" or \"en\")"),
            )
            .with_code("config.bad-locale");
            problems.push(pin(d, &source, span));
        }
        if !config.locales.contains(&config.default_locale) {
            let d = Diagnostic::error(
                shown,
                format!(
                    "default_locale `{}` is not one of locales {:?}",
                    config.default_locale, config.locales
                ),
            )
            .with_code("config.bad-locale");
            problems.push(pin(d, &source, spans.default_span()));
        }
        if !crate::theme::exists(root, &config.theme) {
            let d = Diagnostic::error(shown, crate::theme::not_found(&config.theme))
                .with_code("config.unknown-theme");
            problems.push(pin(d, &source, spans.theme_span()));
        }
        problems.extend(step_problems(&source, &spans));
        problems.extend(title_problems(&config, &source, &spans));
        problems.extend(glyph_problems(&config, &source, shown));
        problems.finish(config)
    }
}

/// Where the locale, theme and `[warnings.steps]` values are written, so their errors
/// get a line and column.
/// Read in a second pass because `Config` itself is plain data for the templates.
#[derive(Default, Deserialize)]
struct LocaleSpans {
    default_locale: Option<Spanned<String>>,
    #[serde(default)]
    locales: Vec<Spanned<String>>,
    theme: Option<Spanned<String>>,
    #[serde(default)]
    warnings: WarningSpans,
    title: Option<Spanned<TitleSpans>>,
}

/// The locale keys of a `title = { … }` table, with where each is written.
#[derive(Default)]
struct TitleSpans(Vec<Spanned<String>>);

impl<'de> Deserialize<'de> for TitleSpans {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = TitleSpans;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string or a table")
            }
            fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<TitleSpans, E> {
                Ok(TitleSpans::default())
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<TitleSpans, A::Error> {
                let mut keys = Vec::new();
                while let Some(key) = map.next_key::<Spanned<String>>()? {
                    map.next_value::<serde::de::IgnoredAny>()?;
                    keys.push(key);
                }
                Ok(TitleSpans(keys))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

#[derive(Default, Deserialize)]
struct WarningSpans {
    #[serde(default)]
    steps: BTreeMap<Spanned<String>, Spanned<String>>,
}

impl LocaleSpans {
    fn of(source: &str) -> LocaleSpans {
        // The file already parsed as a `Config`, so this cannot fail; stay total anyway.
        toml::from_str(source).unwrap_or_default()
    }

    fn listed_span(&self, value: &str) -> Option<Range<usize>> {
        self.locales
            .iter()
            .find(|l| l.get_ref() == value)
            .map(Spanned::span)
    }

    fn default_span(&self) -> Option<Range<usize>> {
        self.default_locale.as_ref().map(Spanned::span)
    }

    fn theme_span(&self) -> Option<Range<usize>> {
        self.theme.as_ref().map(Spanned::span)
    }
}

/// `[warnings.steps]`: every key must be a school warning's id and every value a step
/// id an author could write (`{#id}`); a typo would otherwise move nothing, silently.
fn step_problems(source: &Arc<str>, spans: &LocaleSpans) -> Diagnostics {
    let mut problems = Diagnostics::default();
    for (id, step) in &spans.warnings.steps {
        if crate::warnings::kind(id.get_ref()).is_none() {
            let ids: Vec<&str> = crate::warnings::KINDS.iter().map(|k| k.id).collect();
            let d = Diagnostic::error(
                CONFIG_FILE,
                format!(
                    "[warnings.steps]: `{}` is not a school warning id",
                    id.get_ref()
                ),
            )
            .with_code("config.unknown-warning-id")
            .with_note(format!("the ids are: {}", ids.join(", ")));
            problems.push(pin(d, source, Some(id.span())));
        }
        if !is_valid_id(step.get_ref()) {
            let d = Diagnostic::error(
                CONFIG_FILE,
                format!(
                    "[warnings.steps]: `{}` is not a step id (letters, digits, `-` and `_`, \
                     starting with a letter)",
                    step.get_ref()
                ),
            )
            .with_code("config.bad-step-id");
            problems.push(pin(d, source, Some(step.span())));
        }
    }
    problems
}

/// `title = { … }`: every key one of the site's locales, and the default locale's
/// title there, which any locale without its own falls back to.
fn title_problems(config: &Config, source: &Arc<str>, spans: &LocaleSpans) -> Diagnostics {
    let mut problems = Diagnostics::default();
    let (SiteTitle::PerLocale(titles), Some(written)) = (&config.title, &spans.title) else {
        return problems;
    };
    for key in &written.get_ref().0 {
        if !config.locales.contains(key.get_ref()) {
            let d = Diagnostic::error(
                CONFIG_FILE,
                format!(
                    "title: `{}` is not one of the site's locales {:?}",
                    key.get_ref(),
                    config.locales
                ),
            );
            problems.push(pin(d, source, Some(key.span())));
        }
    }
    if !titles.contains_key(&config.default_locale) {
        let d = Diagnostic::error(
            CONFIG_FILE,
            format!(
                "title: no title for the default locale `{}`",
                config.default_locale
            ),
        )
        .with_note("the default locale's title is also used by any locale without its own");
        problems.push(pin(d, source, Some(written.span())));
    }
    problems
}

/// An error unless `root` holds a `handbuch.toml`: checked before anything is
/// written, so a mistyped `--root` creates no folders.
pub(crate) fn is_project(root: &Path) -> Result<(), Diagnostic> {
    if root.join(CONFIG_FILE).exists() {
        return Ok(());
    }
    Err(Diagnostic::error(
        root.join(CONFIG_FILE),
        format!(
            "no {CONFIG_FILE} in {}: not a handbuch project (run `handbuch init DIR` to start one)",
            root.display()
        ),
    )
    .with_code("config.not-a-project"))
}

/// `d` at `span` of the file, where there is one (a default value is written nowhere).
/// The site title and the provider's name are printed on every handout: a character
/// its fonts lack is an error of this file, where the value writes it.
fn glyph_problems(config: &Config, source: &Arc<str>, shown: &Path) -> Vec<Diagnostic> {
    let titles: Vec<(&str, &str)> = match &config.title {
        SiteTitle::One(title) => vec![("the site title", title.as_str())],
        SiteTitle::PerLocale(titles) => titles
            .values()
            .map(|title| ("a site title", title.as_str()))
            .collect(),
    };
    let provider = ("the provider's name", config.provider.name.as_str());
    titles
        .into_iter()
        .chain([provider])
        .filter_map(|(what, value)| {
            let (at, c) = crate::render::glyphs::first_missing(value)?;
            let message = format!("{what}: {}", crate::render::glyphs::message(c));
            let written = source.find(value).map(|start| start + at);
            let span = written
                .or_else(|| source.find(c))
                .map(|start| start..start + c.len_utf8());
            let d = Diagnostic::error(shown, message)
                .with_code("config.no-glyph")
                .with_note(crate::render::glyphs::note());
            Some(pin(d, source, span).with_label("not in the handout's fonts"))
        })
        .collect()
}

fn pin(d: Diagnostic, source: &Arc<str>, span: Option<Range<usize>>) -> Diagnostic {
    match span {
        Some(span) => d.at(source, span),
        None => d,
    }
}

/// "de", "en", "de-AT": safe as a folder name and as `<html lang>`.
pub(crate) fn is_locale_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let lang_ok = parts
        .next()
        .is_some_and(|p| (2..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_lowercase()));
    lang_ok
        && parts.all(|p| (2..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

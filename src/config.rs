//! `handbuch.toml`: the site's configuration.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize};
use toml::Spanned;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::limits::{self, FileKind};
use crate::markdown::slug::is_valid_id;
use crate::toml_file;

pub(crate) const CONFIG_FILE: &str = "handbuch.toml";

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub title: String,
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
    /// Load and validate `handbuch.toml` in `root`.
    pub fn load(root: &Path) -> Result<Config, Diagnostics> {
        let shown = Path::new(CONFIG_FILE);
        is_project(root)?;
        let source = toml_file::read_source(&root.join(CONFIG_FILE), shown, FileKind::Config)?;
        crate::secrets::check_toml(&source, shown).finish(())?;
        limits::check_toml(&source, 0, &source, shown, &[]).finish(())?;
        let mut config: Config = toml_file::parse(&source, shown)?;
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

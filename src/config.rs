//! `handbuch.toml`: the site's configuration.

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize};
use toml::Spanned;

use crate::diagnostics::Diagnostic;
use crate::limits::{self, FileKind};
use crate::toml_file;

pub const CONFIG_FILE: &str = "handbuch.toml";

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
}

impl Default for WarningsConfig {
    fn default() -> Self {
        WarningsConfig {
            renewal_warn_days: default_renewal_warn_days(),
        }
    }
}

/// `[portal]`: the VLSC was retired in April 2024; chapters add a dated note with
/// today's path in the Microsoft 365 admin center wherever a step names the VLSC.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PortalConfig {
    /// Show the "New since April 2024" notes (chapters test `site.portal.vlsc_retired`).
    #[serde(default = "yes")]
    pub vlsc_retired: bool,
    /// When the provider last checked the portal notes, shown in them as "Stand: …".
    /// Written as a TOML date (`as_of = 2026-11-01`); chapters see it as an ISO string.
    #[serde(default, deserialize_with = "optional_date")]
    pub as_of: Option<NaiveDate>,
}

impl Default for PortalConfig {
    fn default() -> Self {
        PortalConfig {
            vlsc_retired: true,
            as_of: None,
        }
    }
}

fn yes() -> bool {
    true
}

/// A TOML date without a time (`2026-11-01`); a quoted ISO date is accepted too.
fn optional_date<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<NaiveDate>, D::Error> {
    let date = match toml::Value::deserialize(deserializer)? {
        toml::Value::Datetime(d) if d.time.is_none() && d.offset.is_none() => {
            d.date.and_then(|d| {
                NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
            })
        }
        toml::Value::String(s) => NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok(),
        _ => None,
    };
    date.map(Some).ok_or_else(|| {
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
    pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
        let shown = Path::new(CONFIG_FILE);
        let source = toml_file::read_source(&root.join(CONFIG_FILE), shown, FileKind::Config)
            .map_err(|d| vec![d])?;
        let too_long = limits::check_toml(&source, 0, &source, shown, &[]);
        if !too_long.is_empty() {
            return Err(too_long);
        }
        let mut config: Config = toml_file::parse(&source, shown).map_err(|d| vec![d])?;
        if config.locales.is_empty() {
            config.locales.push(config.default_locale.clone());
        }
        let spans = LocaleSpans::of(&source);
        let mut problems = Vec::new();
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
            );
            problems.push(pin(d, &source, span));
        }
        if !config.locales.contains(&config.default_locale) {
            let d = Diagnostic::error(
                shown,
                format!(
                    "default_locale `{}` is not one of locales {:?}",
                    config.default_locale, config.locales
                ),
            );
            problems.push(pin(d, &source, spans.default_span()));
        }
        if problems.is_empty() {
            Ok(config)
        } else {
            Err(problems)
        }
    }
}

/// Where the locale values are written, so their errors get a line and column.
/// Read in a second pass because `Config` itself is plain data for the templates.
#[derive(Default, Deserialize)]
struct LocaleSpans {
    default_locale: Option<Spanned<String>>,
    #[serde(default)]
    locales: Vec<Spanned<String>>,
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
}

/// `d` at `span` of the file, where there is one (a default value is written nowhere).
fn pin(d: Diagnostic, source: &Arc<str>, span: Option<Range<usize>>) -> Diagnostic {
    match span {
        Some(span) => d.at(source, span),
        None => d,
    }
}

/// "de", "en", "de-AT": safe as a folder name and as `<html lang>`.
pub fn is_locale_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let lang_ok = parts
        .next()
        .is_some_and(|p| (2..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_lowercase()));
    lang_ok
        && parts.all(|p| (2..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

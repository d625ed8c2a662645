//! `handbuch.toml`: the site's configuration.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diagnostics::Diagnostic;
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
        let source = toml_file::read_source(&root.join(CONFIG_FILE), shown).map_err(|d| vec![d])?;
        let mut config: Config = toml_file::parse(&source, shown).map_err(|d| vec![d])?;
        if config.locales.is_empty() {
            config.locales.push(config.default_locale.clone());
        }
        let mut problems = Vec::new();
        for locale in config.locales.iter().chain([&config.default_locale]) {
            if !is_locale_code(locale) {
                problems.push(Diagnostic::error(
                    shown,
                    format!("`{locale}` is not a locale code (expected e.g. \"de\" or \"en\")"),
                ));
            }
        }
        if !config.locales.contains(&config.default_locale) {
            problems.push(Diagnostic::error(
                shown,
                format!(
                    "default_locale `{}` is not one of locales {:?}",
                    config.default_locale, config.locales
                ),
            ));
        }
        if problems.is_empty() {
            Ok(config)
        } else {
            Err(problems)
        }
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

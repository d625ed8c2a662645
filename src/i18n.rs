//! UI strings and date formats per locale, from the theme's `i18n/<locale>.toml`.
//! A key missing in a locale falls back to the default locale.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

use crate::diagnostics::Diagnostic;
use crate::theme::Theme;
use crate::toml_file;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct LocaleFile {
    /// e.g. `"{day2}.{month2}.{year}"` or `"{day} {month_name} {year}"`.
    date_format: Option<String>,
    months: Option<Vec<String>>,
    strings: BTreeMap<String, String>,
}

/// The UI strings of one locale, with the default locale's behind them.
#[derive(Debug, Clone)]
pub struct Strings {
    pub locale: String,
    date_format: String,
    months: Vec<String>,
    strings: BTreeMap<String, String>,
}

impl Strings {
    /// Load `locale`, falling back key by key to `default` (which must be complete).
    pub fn load(
        theme: &Theme,
        locale: &str,
        default: Option<&Strings>,
    ) -> Result<(Strings, Vec<Diagnostic>), Diagnostic> {
        let path = format!("i18n/{locale}.toml");
        let shown = Path::new("themes").join(theme.name()).join(&path);
        let Some(text) = theme.text(&path) else {
            return match default {
                Some(d) => Ok((
                    Strings {
                        locale: locale.to_string(),
                        ..d.clone()
                    },
                    vec![Diagnostic::warning(
                        &shown,
                        format!(
                            "no UI strings for locale `{locale}`: the `{}` strings are used",
                            d.locale
                        ),
                    )],
                )),
                None => Err(Diagnostic::error(
                    shown,
                    format!("no UI strings for the default locale `{locale}`"),
                )),
            };
        };
        let source: Arc<str> = Arc::from(text);
        let file: LocaleFile = toml_file::parse(&source, &shown)?;
        let mut warnings = Vec::new();
        let mut strings = file.strings;
        if let Some(d) = default {
            let missing: Vec<&String> = d
                .strings
                .keys()
                .filter(|k| !strings.contains_key(*k))
                .collect();
            if !missing.is_empty() {
                let keys: Vec<&str> = missing.iter().map(|k| k.as_str()).collect();
                warnings.push(Diagnostic::warning(
                    &shown,
                    format!(
                        "{} UI string(s) missing, `{}` used instead: {}",
                        keys.len(),
                        d.locale,
                        keys.join(", ")
                    ),
                ));
            }
            for (k, v) in &d.strings {
                strings.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
        let date_format = file
            .date_format
            .or_else(|| default.map(|d| d.date_format.clone()))
            .unwrap_or_else(|| "{year}-{month2}-{day2}".into());
        let months = file
            .months
            .filter(|m| m.len() == 12)
            .or_else(|| default.map(|d| d.months.clone()))
            .unwrap_or_default();
        Ok((
            Strings {
                locale: locale.to_string(),
                date_format,
                months,
                strings,
            },
            warnings,
        ))
    }

    /// The string for `key`, or the key itself so a gap is visible, never a crash.
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.strings.get(key).map_or(key, String::as_str)
    }

    /// The string for `key` with `{name}` placeholders filled in.
    pub fn fill(&self, key: &str, args: &[(&str, String)]) -> String {
        args.iter()
            .fold(self.get(key).to_string(), |text, (name, value)| {
                text.replace(&format!("{{{name}}}"), value)
            })
    }

    /// "1 Tag" / "85 Tage": `<key>_one` for 1, `<key>_other` otherwise, with `{n}` filled in.
    pub fn plural(&self, key: &str, n: i64) -> String {
        let form = if n == 1 { "one" } else { "other" };
        self.fill(&format!("{key}_{form}"), &[("n", n.to_string())])
    }

    pub fn all(&self) -> &BTreeMap<String, String> {
        &self.strings
    }

    pub fn format_date(&self, date: NaiveDate) -> String {
        let month_name = self
            .months
            .get(date.month0() as usize)
            .cloned()
            .unwrap_or_else(|| date.month().to_string());
        self.date_format
            .replace("{day2}", &format!("{:02}", date.day()))
            .replace("{day}", &date.day().to_string())
            .replace("{month2}", &format!("{:02}", date.month()))
            .replace("{month_name}", &month_name)
            .replace("{year}", &date.year().to_string())
    }

    /// Format `2027-08-01`; `None` if it is no ISO date.
    pub fn format_iso_date(&self, iso: &str) -> Option<String> {
        NaiveDate::parse_from_str(iso, "%Y-%m-%d")
            .ok()
            .map(|d| self.format_date(d))
    }
}

impl Strings {
    /// No strings at all: every lookup shows its key.
    pub fn empty(locale: &str) -> Strings {
        Strings {
            locale: locale.to_string(),
            date_format: "{year}-{month2}-{day2}".into(),
            months: Vec::new(),
            strings: BTreeMap::new(),
        }
    }
}

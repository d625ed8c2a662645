//! UI strings, plurals and dates per locale, from the theme's Fluent files
//! (`i18n/<locale>.ftl`). A message missing in a locale falls back to the default locale's.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use fluent_syntax::ast::Entry;
use unic_langid::LanguageIdentifier;

use crate::diagnostics::Diagnostic;
use crate::theme::Theme;

/// The UI strings of one locale, with the default locale's behind them.
pub struct Strings {
    pub locale: String,
    bundle: FluentBundle<FluentResource>,
    /// Every message formatted without arguments, for templates (`t.step`).
    plain: BTreeMap<String, String>,
    /// The file's text, so other locales can fall back to it.
    source: String,
}

impl std::fmt::Debug for Strings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Strings")
            .field("locale", &self.locale)
            .finish_non_exhaustive()
    }
}

impl Strings {
    /// Load `locale`, falling back message by message to `default` (which must be complete).
    pub fn load(
        theme: &Theme,
        locale: &str,
        default: Option<&Strings>,
    ) -> Result<(Strings, Vec<Diagnostic>), Diagnostic> {
        let path = format!("i18n/{locale}.ftl");
        let shown = Path::new("themes").join(theme.name()).join(&path);
        let Some(text) = theme.text(&path) else {
            return match default {
                Some(d) => {
                    let warning = Diagnostic::warning(
                        &shown,
                        format!(
                            "no UI strings for locale `{locale}`: the `{}` strings are used",
                            d.locale
                        ),
                    );
                    Ok((Strings::build(locale, "", default, &shown)?, vec![warning]))
                }
                None => Err(Diagnostic::error(
                    shown,
                    format!("no UI strings for the default locale `{locale}`"),
                )),
            };
        };
        let strings = Strings::build(locale, text, default, &shown)?;
        let warnings = default
            .map(|d| strings.missing_against(d, text, &shown))
            .unwrap_or_default();
        Ok((strings, warnings))
    }

    fn build(
        locale: &str,
        text: &str,
        default: Option<&Strings>,
        shown: &Path,
    ) -> Result<Strings, Diagnostic> {
        let langid: LanguageIdentifier = locale
            .parse()
            .map_err(|_| Diagnostic::error(shown, format!("`{locale}` is not a language code")))?;
        let mut bundle = FluentBundle::new_concurrent(vec![langid]);
        // No Unicode isolation marks around placeables: they would end up in HTML and PDF.
        bundle.set_use_isolating(false);
        let own = parse(text, shown)?;
        let mut ids = message_ids(&own);
        add(&mut bundle, own);
        if let Some(d) = default {
            let fallback = parse(&d.source, shown)?;
            ids.extend(message_ids(&fallback));
            // Messages this locale defines itself are skipped ("overriding" errors): intended.
            add(&mut bundle, fallback);
        }
        let mut strings = Strings {
            locale: locale.to_string(),
            bundle,
            plain: BTreeMap::new(),
            source: text.to_string(),
        };
        strings.plain = ids
            .into_iter()
            .map(|id| {
                let value = strings.format(&id, None);
                (id, value)
            })
            .collect();
        Ok(strings)
    }

    /// A warning listing every message the default locale has and this one lacks.
    fn missing_against(&self, default: &Strings, text: &str, shown: &Path) -> Vec<Diagnostic> {
        let own = match FluentResource::try_new(text.to_string()) {
            Ok(r) | Err((r, _)) => message_ids(&r),
        };
        let missing: Vec<&String> = default.plain.keys().filter(|k| !own.contains(*k)).collect();
        if missing.is_empty() {
            return Vec::new();
        }
        let keys: Vec<&str> = missing.iter().map(|k| k.as_str()).collect();
        vec![Diagnostic::warning(
            shown,
            format!(
                "{} UI string(s) missing, the `{}` text is used: {}",
                keys.len(),
                default.locale,
                keys.join(", ")
            ),
        )]
    }

    /// The message `key`, or the key itself so a gap is visible, never a crash.
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.plain.get(key).map_or(key, String::as_str)
    }

    /// Every message without arguments, for templates.
    pub fn all(&self) -> &BTreeMap<String, String> {
        &self.plain
    }

    /// The message `key` with `{ $name }` placeables filled in.
    pub fn fill(&self, key: &str, args: &[(&str, String)]) -> String {
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, FluentValue::from(value.as_str()));
        }
        self.format(key, Some(&fluent_args))
    }

    /// A count in words with the locale's plural rules: `days` + 1 → "1 Tag", 55 → "55 Tagen".
    pub fn plural(&self, key: &str, n: i64) -> String {
        let mut args = FluentArgs::new();
        args.set("n", FluentValue::from(n));
        self.format(key, Some(&args))
    }

    fn format(&self, key: &str, args: Option<&FluentArgs>) -> String {
        let Some(pattern) = self.bundle.get_message(key).and_then(|m| m.value()) else {
            return key.to_string();
        };
        let mut errors = Vec::new();
        self.bundle
            .format_pattern(pattern, args, &mut errors)
            .into_owned()
    }

    /// `01.08.2027` or `1 August 2027`, as the locale's `date-format` says.
    pub fn format_date(&self, date: NaiveDate) -> String {
        let month_name = self.get(&format!("month-{}", date.month())).to_string();
        let mut args = FluentArgs::new();
        args.set("day", FluentValue::from(date.day().to_string()));
        args.set("day2", FluentValue::from(format!("{:02}", date.day())));
        args.set("month2", FluentValue::from(format!("{:02}", date.month())));
        args.set("month-name", FluentValue::from(month_name));
        args.set("year", FluentValue::from(date.year().to_string()));
        if self.bundle.has_message("date-format") {
            self.format("date-format", Some(&args))
        } else {
            date.format("%Y-%m-%d").to_string()
        }
    }

    /// Format `2027-08-01`; `None` if it is no ISO date.
    pub fn format_iso_date(&self, iso: &str) -> Option<String> {
        NaiveDate::parse_from_str(iso, "%Y-%m-%d")
            .ok()
            .map(|d| self.format_date(d))
    }

    /// No strings at all: every lookup shows its key.
    pub fn empty(locale: &str) -> Strings {
        let shown = PathBuf::from("i18n");
        Strings::build(locale, "", None, &shown).unwrap_or_else(|_| Strings {
            locale: locale.to_string(),
            bundle: FluentBundle::new_concurrent(Vec::new()),
            plain: BTreeMap::new(),
            source: String::new(),
        })
    }
}

fn parse(text: &str, shown: &Path) -> Result<FluentResource, Diagnostic> {
    FluentResource::try_new(text.to_string()).map_err(|(_, errors)| {
        let source: Arc<str> = Arc::from(text);
        let first = &errors[0];
        Diagnostic::error(shown, format!("Fluent syntax error: {}", first.kind))
            .at(&source, first.pos.clone())
    })
}

fn add(bundle: &mut FluentBundle<FluentResource>, resource: FluentResource) {
    // Overriding errors are expected for fallback messages and are not problems.
    let _ = bundle.add_resource(resource);
}

fn message_ids(resource: &FluentResource) -> Vec<String> {
    resource
        .entries()
        .filter_map(|entry| match entry {
            Entry::Message(m) => Some(m.id.name.to_string()),
            _ => None,
        })
        .collect()
}

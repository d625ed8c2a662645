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

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::theme::Theme;

mod check;

const STEP_LABEL: &str = "step-label";
const CHAPTER_LABEL: &str = "chapter-label";
const FIGURE_LABEL: &str = "figure-label";

/// The UI strings of one locale, with the default locale's behind them.
pub struct Strings {
    pub locale: String,
    bundle: FluentBundle<FluentResource>,
    /// Every message formatted without arguments, for templates (`t.step`).
    plain: BTreeMap<String, String>,
    /// `plain` as a template value, made once: every page's context shares it (an `Arc`)
    /// instead of copying ~100 strings per page.
    plain_value: tera::Value,
    /// The file's text, so other locales can fall back to it.
    source: String,
    /// Step, chapter and figure labels for the first numbers, formatted once: every
    /// handbook asks for them again (dozens per page) and Fluent formats slowly.
    numbered: Numbered,
}

/// How many of each numbered label [`Strings`] makes ahead: more than a guide has steps.
const NUMBERED_AHEAD: usize = 100;

#[derive(Default)]
struct Numbered {
    step: Vec<String>,
    chapter: Vec<String>,
    figure: Vec<String>,
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
    /// Problems that leave the strings usable (a missing message, a bad placeable) go to
    /// `found`; the error is for strings that cannot be loaded at all.
    pub fn load(
        theme: &Theme,
        locale: &str,
        default: Option<&Strings>,
        found: &mut Diagnostics,
    ) -> Result<Strings, Diagnostic> {
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
                    )
                    .with_code("i18n.locale-missing");
                    found.push(warning);
                    Strings::build(locale, "", default, &shown)
                }
                None => Err(Diagnostic::error(
                    shown,
                    format!("no UI strings for the default locale `{locale}`"),
                )
                .with_code("i18n.default-locale-missing")),
            };
        };
        let strings = Strings::build(locale, text, default, &shown)?;
        let fallback = default.map(|d| d.source.as_str());
        found.extend(strings.unknown_references(text, fallback, &shown));
        found.extend(crate::render::glyphs::fluent_problems(text, &shown));
        if let Some(d) = default {
            found.extend(strings.missing_against(d, text, &shown));
        }
        Ok(strings)
    }

    fn build(
        locale: &str,
        text: &str,
        default: Option<&Strings>,
        shown: &Path,
    ) -> Result<Strings, Diagnostic> {
        let langid: LanguageIdentifier = locale.parse().map_err(|_| {
            Diagnostic::error(shown, format!("`{locale}` is not a language code"))
                .with_code("i18n.bad-locale")
        })?;
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
            plain_value: tera::Value::none(),
            source: text.to_string(),
            numbered: Numbered::default(),
        };
        strings.plain = ids
            .into_iter()
            .map(|id| {
                let value = strings.format(&id, None);
                (id, value)
            })
            .collect();
        strings.plain_value = tera::Value::from_serializable(&strings.plain);
        let ahead = |key: &str| -> Vec<String> {
            (0..NUMBERED_AHEAD)
                .map(|n| strings.format_number(key, n))
                .collect()
        };
        strings.numbered = Numbered {
            step: ahead(STEP_LABEL),
            chapter: ahead(CHAPTER_LABEL),
            figure: ahead(FIGURE_LABEL),
        };
        Ok(strings)
    }

    /// "Schritt 3", as the theme's `step-label` says.
    pub fn step_label(&self, n: usize) -> String {
        self.numbered_label(&self.numbered.step, STEP_LABEL, n)
    }

    /// "Abschnitt 2", as the theme's `chapter-label` says.
    pub fn chapter_label(&self, n: usize) -> String {
        self.numbered_label(&self.numbered.chapter, CHAPTER_LABEL, n)
    }

    /// "Abbildung 1", as the theme's `figure-label` says.
    pub fn figure_label(&self, n: usize) -> String {
        self.numbered_label(&self.numbered.figure, FIGURE_LABEL, n)
    }

    /// Label `n` from those made ahead, else formatted now.
    fn numbered_label(&self, made: &[String], key: &str, n: usize) -> String {
        made.get(n)
            .cloned()
            .unwrap_or_else(|| self.format_number(key, n))
    }

    fn format_number(&self, key: &str, n: usize) -> String {
        self.format_with(key, &[("n", FluentValue::from(n))])
    }

    /// A cross-reference's text, "Schritt 3: Titel", from a step or chapter label.
    pub fn xref_label(&self, label: &str, title: &str) -> String {
        self.format_with(
            "xref-label",
            &[
                ("label", FluentValue::from(label)),
                ("title", FluentValue::from(title)),
            ],
        )
    }

    /// "2 von 5 erledigt" for the checklist's progress.
    pub fn checklist_progress(&self, done: usize, total: usize) -> String {
        self.format_with(
            "checklist_progress",
            &[
                ("done", FluentValue::from(done)),
                ("total", FluentValue::from(total)),
            ],
        )
    }

    /// A message whose placeables only the print layout knows (page numbers), as text
    /// pieces and the positions of `names` between them: `S. { $n }` → `["S. ", 0, ""]`.
    /// The layout joins them; it never parses Fluent syntax. Selectors on these
    /// placeables take their default variant.
    pub fn pieces(&self, key: &str, names: &[&str]) -> Vec<Piece> {
        const MARK: char = '\u{E000}';
        let args: Vec<(&str, FluentValue)> = names
            .iter()
            .enumerate()
            .map(|(i, name)| (*name, FluentValue::from(format!("{MARK}{i}{MARK}"))))
            .collect();
        self.format_with(key, &args)
            .split(MARK)
            .enumerate()
            .map(|(i, part)| match part.parse::<usize>() {
                Ok(index) if i % 2 == 1 => Piece::Arg(index),
                _ => Piece::Text(part.to_string()),
            })
            .collect()
    }

    fn format_with(&self, key: &str, args: &[(&str, FluentValue)]) -> String {
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, value.clone());
        }
        self.format(key, Some(&fluent_args))
    }

    /// The message `key`, or the key itself so a gap is visible, never a crash.
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.plain.get(key).map_or(key, String::as_str)
    }

    /// Every message without arguments, for templates.
    pub fn all(&self) -> &BTreeMap<String, String> {
        &self.plain
    }

    /// [`Strings::all`] as a template value (cheap to put into a context).
    pub(crate) fn all_value(&self) -> &tera::Value {
        &self.plain_value
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

    /// Fluent's errors are collected, not shown: every message was checked against the
    /// placeables handbuch passes when it was loaded ([`Self::unknown_references`]), so
    /// what remains are placeables left out on purpose (the no-argument `t.*` forms).
    fn format(&self, key: &str, args: Option<&FluentArgs>) -> String {
        self.try_format(key, args).unwrap_or_else(|(text, _)| text)
    }

    /// The message with its placeables filled in, or the best-effort text and Fluent's errors.
    fn try_format(
        &self,
        key: &str,
        args: Option<&FluentArgs>,
    ) -> Result<String, (String, Vec<fluent_bundle::FluentError>)> {
        let Some(pattern) = self.bundle.get_message(key).and_then(|m| m.value()) else {
            return Err((key.to_string(), Vec::new()));
        };
        let mut errors = Vec::new();
        let text = self
            .bundle
            .format_pattern(pattern, args, &mut errors)
            .into_owned();
        if errors.is_empty() {
            Ok(text)
        } else {
            Err((text, errors))
        }
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
            plain_value: tera::Value::from_serializable(&BTreeMap::<String, String>::new()),
            source: String::new(),
            numbered: Numbered::default(),
        })
    }
}

/// Text, or the index of a placeable the print layout fills in (see [`Strings::pieces`]).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(untagged)]
pub enum Piece {
    Text(String),
    Arg(usize),
}

fn parse(text: &str, shown: &Path) -> Result<FluentResource, Diagnostic> {
    FluentResource::try_new(text.to_string()).map_err(|(_, errors)| {
        let source: Arc<str> = Arc::from(text);
        match errors.first() {
            Some(first) => Diagnostic::error(shown, format!("Fluent syntax error: {}", first.kind))
                .with_code("i18n.syntax")
                .at(&source, first.pos.clone()),
            None => Diagnostic::error(shown, "Fluent syntax error").with_code("i18n.syntax"),
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Labels made ahead and labels past them read alike: the cache is no second wording.
    #[test]
    fn numbered_labels_made_ahead_equal_those_formatted_on_demand() {
        let theme =
            Theme::load(Path::new("/nonexistent"), "default", &mut Vec::new()).expect("theme");
        let de = Strings::load(&theme, "de", None, &mut Diagnostics::default()).expect("de");
        for n in [1, 7, NUMBERED_AHEAD - 1, NUMBERED_AHEAD, 250] {
            assert_eq!(de.step_label(n), de.format_number(STEP_LABEL, n));
            assert_eq!(de.chapter_label(n), de.format_number(CHAPTER_LABEL, n));
            assert_eq!(de.figure_label(n), de.format_number(FIGURE_LABEL, n));
        }
        assert_eq!(de.step_label(7), "Schritt 7");
        assert_eq!(de.step_label(250), "Schritt 250");
        assert_eq!(de.chapter_label(2), "Abschnitt 2");
    }
}

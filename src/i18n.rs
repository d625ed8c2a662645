//! UI strings, plurals and dates per locale, from the theme's Fluent files
//! (`i18n/<locale>.ftl`). A message missing in a locale falls back to the default locale's.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use fluent_syntax::ast::{self, Entry};
use unic_langid::LanguageIdentifier;

use crate::diagnostics::{Diagnostic, Diagnostics};
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
                    );
                    found.push(warning);
                    Strings::build(locale, "", default, &shown)
                }
                None => Err(Diagnostic::error(
                    shown,
                    format!("no UI strings for the default locale `{locale}`"),
                )),
            };
        };
        let strings = Strings::build(locale, text, default, &shown)?;
        let fallback = default.map(|d| d.source.as_str());
        found.extend(strings.unknown_references(text, fallback, &shown));
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
    fn missing_against(&self, default: &Strings, text: &str, shown: &Path) -> Option<Diagnostic> {
        let own = match FluentResource::try_new(text.to_string()) {
            Ok(r) | Err((r, _)) => message_ids(&r),
        };
        let missing: Vec<&String> = default.plain.keys().filter(|k| !own.contains(*k)).collect();
        if missing.is_empty() {
            return None;
        }
        let keys: Vec<&str> = missing.iter().map(|k| k.as_str()).collect();
        Some(Diagnostic::warning(
            shown,
            format!(
                "{} UI string(s) missing, the `{}` text is used: {}",
                keys.len(),
                default.locale,
                keys.join(", ")
            ),
        ))
    }

    /// An error for every placeable of this file's messages that handbuch never fills in
    /// (`{ $nn }` for `{ $n }`) and every reference to a message or term that does not
    /// exist: checked once here, so a typo fails the build instead of showing `{$nn}`.
    fn unknown_references(
        &self,
        text: &str,
        fallback: Option<&str>,
        shown: &Path,
    ) -> Vec<Diagnostic> {
        let Ok(own) = FluentResource::try_new(text.to_string()) else {
            // `build` has already reported the syntax error.
            return Vec::new();
        };
        let fallback = fallback.and_then(|f| FluentResource::try_new(f.to_string()).ok());
        let terms: Vec<&str> = own
            .entries()
            .chain(fallback.iter().flat_map(|f| f.entries()))
            .filter_map(|entry| match entry {
                Entry::Term(t) => Some(t.id.name),
                _ => None,
            })
            .collect();
        let source: Arc<str> = Arc::from(text);
        let mut problems = Vec::new();
        for message in own.entries().filter_map(|entry| match entry {
            Entry::Message(m) => Some(m),
            _ => None,
        }) {
            let id = message.id.name;
            let mut found = Vec::new();
            let patterns = message
                .value
                .iter()
                .chain(message.attributes.iter().map(|a| &a.value));
            for pattern in patterns {
                references_in_pattern(pattern, &mut found);
            }
            let allowed = placeables_of(id);
            let before = problems.len();
            for reference in found {
                let problem = match reference {
                    Reference::Variable(name) if !allowed.contains(&name) => Some(format!(
                        "unknown placeable `{{ ${name} }}` in message `{id}`"
                    )),
                    Reference::Message(name) if !self.bundle.has_message(name) => Some(format!(
                        "message `{id}` refers to the unknown message `{name}`"
                    )),
                    Reference::Term(name) if !terms.contains(&name) => Some(format!(
                        "message `{id}` refers to the unknown term `-{name}`"
                    )),
                    _ => None,
                };
                if let Some(problem) = problem {
                    let d = Diagnostic::error(shown, problem);
                    let d = match reference {
                        Reference::Variable(_) => d.with_note(placeables_note(id, &allowed)),
                        _ => d,
                    };
                    problems.push(match message_span(text, id) {
                        Some(span) => d.at(&source, span),
                        None => d,
                    });
                }
            }
            // What the references do not show (a message that refers to itself, an
            // unknown function) shows when it is formatted the way handbuch will.
            if problems.len() == before {
                if let Err((_, errors)) = self.try_format(id, Some(&sample_args(&allowed))) {
                    for error in errors {
                        let d = Diagnostic::error(shown, format!("message `{id}`: {error}"));
                        problems.push(match message_span(text, id) {
                            Some(span) => d.at(&source, span),
                            None => d,
                        });
                    }
                }
            }
        }
        problems
    }

    /// "Schritt 3", as the theme's `step-label` says.
    pub fn step_label(&self, n: usize) -> String {
        self.format_with("step-label", &[("n", FluentValue::from(n))])
    }

    /// "Abschnitt 2", as the theme's `chapter-label` says.
    pub fn chapter_label(&self, n: usize) -> String {
        self.format_with("chapter-label", &[("n", FluentValue::from(n))])
    }

    /// "Abbildung 1", as the theme's `figure-label` says.
    pub fn figure_label(&self, n: usize) -> String {
        self.format_with("figure-label", &[("n", FluentValue::from(n))])
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
            source: String::new(),
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

/// The messages handbuch formats with arguments, and the placeables each may use.
/// A message missing here is plain text, or a count for the guide's `plural()` (`$n`).
const PLACEABLES: &[(&str, &[&str])] = &[
    (
        "date-format",
        &["day", "day2", "month2", "month-name", "year"],
    ),
    ("source_checked", &["date"]),
    ("step-label", &["n"]),
    ("chapter-label", &["n"]),
    ("figure-label", &["n"]),
    ("xref-label", &["label", "title"]),
    ("checklist_progress", &["done", "total"]),
    ("page_x_of_y", &["x", "y"]),
    ("on_page", &["n"]),
];

/// A value for every placeable, as a number: the forms handbuch passes are numbers or text.
fn sample_args<'a>(names: &[&'a str]) -> FluentArgs<'a> {
    let mut args = FluentArgs::new();
    for name in names {
        args.set(*name, FluentValue::from(1));
    }
    args
}

/// What message `id` may use instead, for the diagnostic.
fn placeables_note(id: &str, allowed: &[&str]) -> String {
    match allowed {
        ["n"] if !is_declared(id) => {
            format!("`{id}` can use {{ $n }} only, as a count for the guide's `plural()`")
        }
        names => format!(
            "`{id}` can use {}",
            names
                .iter()
                .map(|n| format!("{{ ${n} }}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Whether handbuch formats message `id` with arguments of its own.
fn is_declared(id: &str) -> bool {
    PLACEABLES.iter().any(|(key, _)| *key == id) || crate::warnings::by_message(id).is_some()
}

/// The placeables message `id` may use: a warning's declared arguments and `$edition`,
/// the table above, or `$n` for the guide's `plural()`.
fn placeables_of(id: &str) -> Vec<&'static str> {
    if let Some((_, names)) = PLACEABLES.iter().find(|(key, _)| *key == id) {
        return names.to_vec();
    }
    if let Some(kind) = crate::warnings::by_message(id) {
        return kind.args.iter().copied().chain(["edition"]).collect();
    }
    vec!["n"]
}

enum Reference<'s> {
    Variable(&'s str),
    Message(&'s str),
    Term(&'s str),
}

fn references_in_pattern<'s>(pattern: &ast::Pattern<&'s str>, out: &mut Vec<Reference<'s>>) {
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            references_in_expression(expression, out);
        }
    }
}

fn references_in_expression<'s>(
    expression: &ast::Expression<&'s str>,
    out: &mut Vec<Reference<'s>>,
) {
    match expression {
        ast::Expression::Select { selector, variants } => {
            references_in_inline(selector, out);
            for variant in variants {
                references_in_pattern(&variant.value, out);
            }
        }
        ast::Expression::Inline(inline) => references_in_inline(inline, out),
    }
}

fn references_in_inline<'s>(inline: &ast::InlineExpression<&'s str>, out: &mut Vec<Reference<'s>>) {
    use ast::InlineExpression as I;
    match inline {
        I::VariableReference { id } => out.push(Reference::Variable(id.name)),
        I::MessageReference { id, .. } => out.push(Reference::Message(id.name)),
        I::TermReference { id, arguments, .. } => {
            out.push(Reference::Term(id.name));
            // Arguments of a term are the message's own expressions; the term's
            // placeables are its arguments, not the message's.
            for argument in arguments.iter() {
                references_in_arguments(argument, out);
            }
        }
        I::FunctionReference { arguments, .. } => references_in_arguments(arguments, out),
        I::Placeable { expression } => references_in_expression(expression, out),
        I::StringLiteral { .. } | I::NumberLiteral { .. } => {}
    }
}

fn references_in_arguments<'s>(
    arguments: &ast::CallArguments<&'s str>,
    out: &mut Vec<Reference<'s>>,
) {
    for argument in &arguments.positional {
        references_in_inline(argument, out);
    }
    for argument in &arguments.named {
        references_in_inline(&argument.value, out);
    }
}

/// Where message `id` is defined: its name at the start of a line, before the `=`.
/// (Fluent's runtime parser keeps no positions; an entry always starts a line.)
fn message_span(text: &str, id: &str) -> Option<std::ops::Range<usize>> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if let Some(rest) = line.strip_prefix(id) {
            if rest.trim_start().starts_with('=') {
                return Some(offset..offset + id.len());
            }
        }
        offset += line.len();
    }
    None
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

//! Checks of a theme's Fluent file, once when it is loaded: a placeable handbuch never
//! fills in, a reference to a message or term that does not exist, a message that cannot
//! be formatted, and the messages a locale lacks against the default one.

use std::path::Path;
use std::sync::Arc;

use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use fluent_syntax::ast::{self, Entry};

use super::{message_ids, Strings};
use crate::diagnostics::Diagnostic;

impl Strings {
    /// A warning listing every message the default locale has and this one lacks.
    pub(super) fn missing_against(
        &self,
        default: &Strings,
        text: &str,
        shown: &Path,
    ) -> Option<Diagnostic> {
        let own = match FluentResource::try_new(text.to_string()) {
            Ok(r) | Err((r, _)) => message_ids(&r),
        };
        let missing: Vec<&String> = default.plain.keys().filter(|k| !own.contains(*k)).collect();
        if missing.is_empty() {
            return None;
        }
        let keys: Vec<&str> = missing.iter().map(|k| k.as_str()).collect();
        Some(
            Diagnostic::warning(
                shown,
                format!(
                    "{} UI string(s) missing, the `{}` text is used: {}",
                    keys.len(),
                    default.locale,
                    keys.join(", ")
                ),
            )
            .with_code("i18n.missing-strings"),
        )
    }

    /// An error for every placeable of this file's messages that handbuch never fills in
    /// (`{ $nn }` for `{ $n }`) and every reference to a message or term that does not
    /// exist: checked once here, so a typo fails the build instead of showing `{$nn}`.
    pub(super) fn unknown_references(
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
                    let d = Diagnostic::error(shown, problem).with_code("i18n.bad-reference");
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
                        let d = Diagnostic::error(shown, format!("message `{id}`: {error}"))
                            .with_code("i18n.bad-message");
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
}

/// The messages handbuch formats with arguments, and the placeables each may use.
/// A message missing here is plain text, or a count for the guide's `plural()` (`$n`).
const PLACEABLES: &[(&str, &[&str])] = &[
    (
        "date-format",
        &["day", "day2", "month2", "month-name", "year"],
    ),
    ("source_checked", &["date"]),
    (super::STEP_LABEL, &["n"]),
    (super::CHAPTER_LABEL, &["n"]),
    (super::FIGURE_LABEL, &["n"]),
    ("xref-label", &["label", "title"]),
    ("checklist_progress", &["done", "total"]),
    ("page_x_of_y", &["x", "y"]),
    ("on_page", &["n"]),
    ("meta_description", &["school", "site"]),
    ("meta_description_overview", &["site"]),
    ("calendar_name", &["site"]),
    ("calendar_summary", &["school"]),
    (
        "calendar_description",
        &["school", "contract", "tenant", "date"],
    ),
    ("calendar_handbook", &["url"]),
    ("calendar_alarm", &["school", "days", "date"]),
    ("calendar_pdf_hint", &["url"]),
    ("calendar_pdf_hint_file", &["file"]),
    ("qr_alt", &["url"]),
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

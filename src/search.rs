//! The client-side search index, built at build time: one script per locale
//! (`assets/search-<locale>.js`), so search works from `file://` as well as from a server.
//!
//! Documents are the schools (name, tenant, contract, admin, order mail) and the guide's
//! steps. Step text comes from the chapter sources with template tags removed, so the index
//! holds the guide once per locale rather than once per school.

use serde::Serialize;

use crate::guide::ChapterSource;
use crate::i18n::Strings;
use crate::markdown::parse::parse;
use crate::markdown::slug::slugify;
use crate::model::{plain_text, Block};
use crate::school::School;

#[derive(Debug, Clone, Serialize)]
pub struct Doc {
    /// `school` (links to a handbook) or `step` (an anchor on the current handbook page).
    pub kind: &'static str,
    pub title: String,
    /// For schools relative to the site root, for steps `#<id>`.
    pub url: String,
    pub text: String,
}

/// One document per school that has a handbook in `locale`.
pub fn school_docs<'a>(schools: impl Iterator<Item = &'a School>, locale: &str) -> Vec<Doc> {
    schools
        .filter(|s| s.locales.iter().any(|l| l == locale))
        .map(|s| {
            let mut text = vec![s.tenant.domain.clone(), s.contract.number.clone()];
            text.extend(s.tenant.admin.clone());
            text.extend(s.contract.order_email.clone());
            text.extend(s.contract.orders.iter().cloned());
            Doc {
                kind: "school",
                title: s.name.clone(),
                url: format!("{locale}/{}/", s.slug),
                text: text.join(" "),
            }
        })
        .collect()
}

/// One document per `##` step of the guide in this locale, numbered like the handbook.
pub fn step_docs(chapters: &[ChapterSource], strings: &Strings) -> Vec<Doc> {
    let mut docs: Vec<Doc> = Vec::new();
    for chapter in chapters {
        // A chapter nested too deeply fails the build with its own error; it adds no steps.
        let blocks = parse(&strip_template_tags(chapter.body())).unwrap_or_default();
        for block in blocks {
            match block {
                Block::Heading {
                    level: 2,
                    id,
                    content,
                } => {
                    let title = plain_text(&content);
                    let id = if id.is_empty() { slugify(&title) } else { id };
                    let label = format!("{} {}: {title}", strings.get("step"), docs.len() + 1);
                    docs.push(Doc {
                        kind: "step",
                        title: label,
                        url: format!("#{id}"),
                        text: String::new(),
                    });
                }
                Block::Heading { level: 1, .. } => {}
                other => {
                    if let Some(step) = docs.last_mut() {
                        push_text(std::slice::from_ref(&other), &mut step.text);
                    }
                }
            }
        }
    }
    docs
}

/// The index as a script that sets `window.HANDBUCH_SEARCH`.
pub fn script(docs: &[Doc]) -> String {
    // Serializing plain strings cannot fail; an empty index is the safe fallback.
    let json = serde_json::to_string(docs).unwrap_or_else(|_| "[]".into());
    format!("window.HANDBUCH_SEARCH = {json};\n")
}

/// The text of blocks, for searching.
fn push_text(blocks: &[Block], out: &mut String) {
    for block in blocks {
        match block {
            Block::Paragraph(inlines)
            | Block::Heading {
                content: inlines, ..
            } => {
                out.push(' ');
                out.push_str(&plain_text(inlines));
            }
            Block::List { items, .. } => items.iter().for_each(|i| push_text(&i.blocks, out)),
            Block::Quote(inner) | Block::Alert { blocks: inner, .. } => push_text(inner, out),
            Block::Table { head, rows, .. } => {
                for cell in head.iter().chain(rows.iter().flatten()) {
                    out.push(' ');
                    out.push_str(&plain_text(cell));
                }
            }
            Block::Code { text, .. } => {
                out.push(' ');
                out.push_str(text);
            }
            Block::Figure(f) => {
                out.push(' ');
                out.push_str(&plain_text(&f.caption));
            }
            Block::Rule | Block::Html(_) => {}
        }
    }
}

/// Chapter source without `{{ … }}`, `{% … %}` and `{! … !}`: the guide's own words.
fn strip_template_tags(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut rest = source;
    while let Some(start) = rest.find(['{']) {
        let close = match rest[start..].get(..2) {
            Some("{{") => "}}",
            Some("{%") => "%}",
            Some("{!") => "!}",
            _ => {
                out.push_str(&rest[..start + 1]);
                rest = &rest[start + 1..];
                continue;
            }
        };
        out.push_str(&rest[..start]);
        match rest[start + 2..].find(close) {
            Some(end) => rest = &rest[start + 2 + end + 2..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_template_tags_but_keeps_text_and_heading_ids() {
        let source = "Vertrag {{ school.contract.number }}.\n{% if x %}\nA {! note !}B\n{% endif %}\n## T {#id}\n";
        assert_eq!(
            strip_template_tags(source),
            "Vertrag .\n\nA B\n\n## T {#id}\n"
        );
        assert_eq!(strip_template_tags("offen {{ x"), "offen ");
    }
}

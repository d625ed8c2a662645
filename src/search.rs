//! The client-side search index, built at build time: one script per locale
//! (`assets/search-<locale>.js`), so search works from `file://` as well as from a server.
//!
//! Documents are the schools (name, tenant, contract, admin, order mail) and the guide's
//! steps. Step text comes from the chapter sources with template tags removed, so the index
//! holds the guide once per locale rather than once per school.

use serde::Serialize;

use crate::config::Edition;
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
pub fn step_docs(chapters: &[ChapterSource], strings: &Strings, edition: Edition) -> Vec<Doc> {
    let mut docs: Vec<Doc> = Vec::new();
    for chapter in chapters {
        // A chapter nested too deeply fails the build with its own error; it adds no steps.
        let blocks = parse(&strip_template_tags(chapter.body(), edition)).unwrap_or_default();
        for block in blocks {
            match block {
                Block::Heading {
                    level: 2,
                    id,
                    content,
                } => {
                    let title = plain_text(&content);
                    let id = if id.is_empty() { slugify(&title) } else { id };
                    let label = strings.xref_label(&strings.step_label(docs.len() + 1), &title);
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
/// Branches that depend on the school are all kept (the index is shared by every school
/// and holds none of their values), but a branch on the edition
/// (`{% if site.portal.vlsc_retired %}`) is kept only when it belongs to `edition`.
fn strip_template_tags(source: &str, edition: Edition) -> String {
    let mut out = String::with_capacity(source.len());
    let mut ifs: Vec<Branch> = Vec::new();
    let shown = |ifs: &[Branch]| ifs.iter().all(|b| b.shown);
    let mut rest = source;
    while let Some(start) = rest.find('{') {
        let close = match rest[start..].get(..2) {
            Some("{{") => "}}",
            Some("{%") => "%}",
            Some("{!") => "!}",
            _ => {
                if shown(&ifs) {
                    out.push_str(&rest[..start + 1]);
                }
                rest = &rest[start + 1..];
                continue;
            }
        };
        if shown(&ifs) {
            out.push_str(&rest[..start]);
        }
        let Some(end) = rest[start + 2..].find(close) else {
            return out;
        };
        if close == "%}" {
            follow_if(rest[start + 2..start + 2 + end].trim(), edition, &mut ifs);
        }
        rest = &rest[start + 2 + end + 2..];
    }
    if shown(&ifs) {
        out.push_str(rest);
    }
    out
}

/// The branch of an open `{% if %}` that the text is in.
struct Branch {
    /// Whether its text can appear in this edition.
    shown: bool,
    /// Whether an earlier branch was taken for certain (a test of the edition was true).
    taken: bool,
}

/// Track `if`/`elif`/`else`/`endif`; whitespace control (`{%- … -%}`) is ignored.
fn follow_if(tag: &str, edition: Edition, ifs: &mut Vec<Branch>) {
    let tag = tag.trim_matches('-').trim();
    let keyword = tag.split_whitespace().next().unwrap_or_default();
    let test = edition_test(tag[keyword.len()..].trim()).map(|wants| wants == edition);
    match (keyword, ifs.last_mut()) {
        ("if", _) => ifs.push(Branch {
            shown: test.unwrap_or(true),
            taken: test == Some(true),
        }),
        ("elif", Some(branch)) => {
            branch.shown = !branch.taken && test.unwrap_or(true);
            branch.taken |= test == Some(true);
        }
        ("else", Some(branch)) => branch.shown = !branch.taken,
        ("endif", Some(_)) => {
            ifs.pop();
        }
        _ => {}
    }
}

/// The edition a condition asks for, if it tests nothing but the edition.
fn edition_test(condition: &str) -> Option<Edition> {
    match condition.split_whitespace().collect::<Vec<_>>().as_slice() {
        ["site.portal.vlsc_retired"] => Some(Edition::Current),
        ["not", "site.portal.vlsc_retired"] => Some(Edition::Vlsc),
        ["site.portal.edition", "==", quoted] | [quoted, "==", "site.portal.edition"] => {
            match quoted.trim_matches(['"', '\'']) {
                "current" => Some(Edition::Current),
                "vlsc" => Some(Edition::Vlsc),
                _ => None,
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_template_tags_but_keeps_text_and_heading_ids() {
        let source = "Vertrag {{ school.contract.number }}.\n{% if x %}\nA {! note !}B\n{% endif %}\n## T {#id}\n";
        assert_eq!(
            strip_template_tags(source, Edition::Current),
            "Vertrag .\n\nA B\n\n## T {#id}\n"
        );
        assert_eq!(
            strip_template_tags("offen {{ x", Edition::Current),
            "offen "
        );
    }

    #[test]
    fn keeps_only_the_branch_of_the_edition_being_built() {
        let source = "a {% if site.portal.vlsc_retired %}heute {% if school.x %}x{% else %}y{% endif %}{% else %}VLSC{% endif %} b";
        assert_eq!(
            strip_template_tags(source, Edition::Current),
            "a heute xy b"
        );
        assert_eq!(strip_template_tags(source, Edition::Vlsc), "a VLSC b");
        let by_name =
            "{%- if site.portal.edition == \"vlsc\" -%}alt{% elif school.y %}neu{% endif %}";
        assert_eq!(strip_template_tags(by_name, Edition::Vlsc), "alt");
        assert_eq!(strip_template_tags(by_name, Edition::Current), "neu");
        // A mixed condition depends on more than the edition: its text stays.
        let mixed = "{% if site.portal.vlsc_retired and site.portal.as_of %}Stand{% endif %}";
        assert_eq!(strip_template_tags(mixed, Edition::Vlsc), "Stand");
    }
}

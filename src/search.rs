//! Client-side search, built at build time from the document model the pages show.
//!
//! Schools of a provider site are a sharded index per locale ([`site_files`]: an entry
//! `assets/search-<locale>.js` and small shard and record scripts a query loads a few of),
//! shared by every page and loaded as scripts so search works from `file://` as well as
//! from a server; a school-scope handbook has its own one-school [`script`]. Steps
//! are made from each handbook's own [`Handbook`] and embedded in its page
//! ([`embedded_json`]): the same numbers as the page, and only the text the page shows
//! (the branch of an `{% if %}` that was rendered for this school).

use serde::Serialize;

mod fold;
mod shards;

pub(crate) use shards::{dir as shard_dir, entry_file, files as site_files};

use crate::i18n::Strings;
use crate::model::visit::{walk, Node};
use crate::model::{plain_text, Block, Handbook};
use crate::publish::Layout;
use crate::school::School;

/// School scope: a handbook's own index (only its school), in the handbook's folder.
pub(crate) const HANDBOOK_INDEX: &str = "search-index.js";

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Doc {
    /// `school` (links to a handbook) or `step` (an anchor on the current handbook page).
    pub kind: &'static str,
    pub title: String,
    /// For schools relative to the site root, for steps `#<id>`.
    pub url: String,
    pub text: String,
}

/// One document per school that has a handbook in `locale`, linked where `layout` puts it.
pub(crate) fn school_docs<'a>(
    schools: impl Iterator<Item = &'a School>,
    locale: &str,
    layout: &Layout,
) -> Vec<Doc> {
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
                url: layout.handbook(&s.slug, locale).path,
                text: text.join(" "),
            }
        })
        .collect()
}

/// One document per step of this handbook, with its number and the text it shows.
pub(crate) fn step_docs(handbook: &Handbook, strings: &Strings) -> Vec<Doc> {
    handbook
        .steps()
        .map(|(_, step)| Doc {
            kind: "step",
            title: step_title(strings, step.number, &plain_text(&step.title)),
            url: format!("#{}", step.id),
            text: block_text(&step.blocks),
        })
        .collect()
}

/// "Schritt 4: Im Portal anmelden": what a step's search result reads.
fn step_title(strings: &Strings, number: usize, title: &str) -> String {
    strings.xref_label(&strings.step_label(number), title)
}

/// The index of schools as one script that sets `window.HANDBUCH_SEARCH` to all their
/// documents: a school-scope handbook's own index, and what the site-wide gate checks.
pub(crate) fn script(docs: &[Doc]) -> String {
    // Serializing plain strings cannot fail; an empty index is the safe fallback.
    let json = serde_json::to_string(docs).unwrap_or_else(|_| "[]".into());
    format!("window.HANDBUCH_SEARCH = {json};\n")
}

/// Documents as JSON to embed in a page's `<script type="application/json">`. `<`, `>`
/// and `&` are written as `\u003c` … so no text can end the script element (`</script>`)
/// or open a comment in it, and U+2028/U+2029 as escapes so the JSON stays one line
/// to any JavaScript parser that reads it.
pub(crate) fn embedded_json(docs: &[Doc]) -> String {
    let json = serde_json::to_string(docs).unwrap_or_else(|_| "[]".into());
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// The words of blocks, for searching: text, table cells, code and figure captions.
fn block_text(blocks: &[Block]) -> String {
    let mut parts: Vec<String> = Vec::new();
    walk(blocks, &mut |node| {
        let Node::Block(block) = node else {
            return;
        };
        match block {
            Block::Paragraph(inlines)
            | Block::Heading {
                content: inlines, ..
            } => parts.push(plain_text(inlines)),
            Block::Table { head, rows, .. } => parts.extend(
                head.iter()
                    .chain(rows.iter().flatten())
                    .map(|cell| plain_text(cell)),
            ),
            Block::Code { text, .. } => parts.push(text.clone()),
            Block::Figure(figure) => parts.push(plain_text(&figure.caption)),
            // Containers: their blocks are visited next.
            Block::List { .. }
            | Block::Quote(_)
            | Block::Alert { .. }
            | Block::Rule
            | Block::Html(_) => {}
        }
    });
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Doc {
        Doc {
            kind: "step",
            title: "T".into(),
            url: "#t".into(),
            text: text.into(),
        }
    }

    #[test]
    fn embedded_json_cannot_end_its_script_element() {
        let json = embedded_json(&[doc("</script><!-- & \u{2028}\u{2029}")]);
        assert_eq!(
            json,
            r##"[{"kind":"step","title":"T","url":"#t","text":"\u003c/script\u003e\u003c!-- \u0026 \u2028\u2029"}]"##
        );
        let back: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
        assert_eq!(back[0]["text"], "</script><!-- & \u{2028}\u{2029}");
    }
}

//! Raw HTML in a chapter: the HTML around it is parsed as a fragment and written out
//! again balanced, with only allowed tags, attributes and URL schemes, so an unclosed
//! `<div>`, `<a>` or `<style` cannot reach past its step, and no script reaches the page.
//!
//! The guide's author is trusted with words, not with the page: a chapter may use
//! `<kbd>`, `<details>`, `<sup>` and the like, never `<script>`, `<style>`, event
//! handlers or `javascript:` URLs. Content without raw HTML is not touched.

use std::collections::HashSet;
use std::sync::LazyLock;

use ammonia::Builder;

use crate::model::visit::{walk, walk_inlines, Node};
use crate::model::{Block, Inline};

/// Whether `blocks` hold raw HTML anywhere.
pub(crate) fn blocks_have_html(blocks: &[Block]) -> bool {
    let mut found = false;
    walk(blocks, &mut |node| {
        found |= matches!(
            node,
            Node::Block(Block::Html(_)) | Node::Inline(Inline::Html { .. })
        );
    });
    found
}

/// Whether `inlines` hold raw HTML anywhere.
pub(crate) fn inlines_have_html(inlines: &[Inline]) -> bool {
    let mut found = false;
    walk_inlines(inlines, &mut |node| {
        found |= matches!(node, Node::Inline(Inline::Html { .. }));
    });
    found
}

/// `html` (handbuch's own markup with the author's raw HTML in it) parsed and written
/// out balanced, with what the allow-list does not name removed.
pub(crate) fn balanced(html: &str) -> String {
    SANITIZER.clean(html).to_string()
}

/// Tags a chapter may use, beside everything handbuch's markup and the default theme's
/// block partials write (`aside`, `figure`, `input` and `label` of a task, …).
const TAGS: &[&str] = &[
    "a",
    "abbr",
    "aside",
    "b",
    "bdi",
    "bdo",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "input",
    "ins",
    "kbd",
    "label",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "u",
    "ul",
    "var",
    "wbr",
];

/// Attributes allowed on every tag: what the theme's partials use to style and script
/// the page (`class`, `id`, `role`, `aria-*`, `data-task`, …).
const GENERIC_ATTRIBUTES: &[&str] = &["class", "id", "role", "title", "lang", "dir"];
const GENERIC_PREFIXES: &[&str] = &["aria-", "data-"];

/// Per-tag attributes besides the generic ones.
const TAG_ATTRIBUTES: &[(&str, &[&str])] = &[
    ("a", &["href", "hreflang"]),
    ("abbr", &["title"]),
    ("blockquote", &["cite"]),
    ("col", &["span"]),
    ("colgroup", &["span"]),
    ("del", &["cite", "datetime"]),
    ("details", &["open"]),
    ("img", &["src", "alt", "width", "height", "loading"]),
    ("input", &["type", "checked", "disabled"]),
    ("ins", &["cite", "datetime"]),
    ("label", &["for"]),
    ("ol", &["start", "reversed"]),
    ("q", &["cite"]),
    // No `style`: the pages' Content-Security-Policy allows no inline style (a table
    // column's alignment is a class, see `markup.rs`).
    ("td", &["colspan", "rowspan", "headers"]),
    ("th", &["colspan", "rowspan", "headers", "scope"]),
    ("time", &["datetime"]),
];

/// Links and images may point into the site (relative URLs) or to these schemes.
const URL_SCHEMES: &[&str] = &["http", "https", "mailto", "tel"];

static SANITIZER: LazyLock<Builder<'static>> = LazyLock::new(|| {
    let mut builder = Builder::empty();
    builder
        .tags(TAGS.iter().copied().collect())
        .clean_content_tags(HashSet::from(["script", "style"]))
        .generic_attributes(GENERIC_ATTRIBUTES.iter().copied().collect())
        .generic_attribute_prefixes(GENERIC_PREFIXES.iter().copied().collect())
        .tag_attributes(
            TAG_ATTRIBUTES
                .iter()
                .map(|(tag, attributes)| (*tag, attributes.iter().copied().collect()))
                .collect(),
        )
        .url_schemes(URL_SCHEMES.iter().copied().collect())
        // Links keep what the author wrote; external links are the author's choice.
        .link_rel(None)
        .strip_comments(true);
    builder
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unclosed_element_is_closed_where_the_fragment_ends() {
        assert_eq!(
            balanced("<div><a href=\"x\">y"),
            "<div><a href=\"x\">y</a></div>"
        );
        assert_eq!(balanced("a</div></section>b"), "ab");
    }

    #[test]
    fn script_style_handlers_and_script_urls_are_removed() {
        let out = balanced(
            "<p onclick=\"x()\">a<script>alert(1)</script><style>p{}</style>\
             <a href=\"javascript:alert(1)\">b</a></p>",
        );
        assert_eq!(out, "<p>a<a>b</a></p>");
    }

    #[test]
    fn the_themes_task_markup_is_kept() {
        let task = "<li class=\"task\" id=\"task-a-1\"><input type=\"checkbox\" id=\"check-a-1\" \
                    data-task=\"a-1\" checked=\"\"> <label for=\"check-a-1\">x</label></li>";
        assert_eq!(
            balanced(&format!("<ul>{task}</ul>")),
            format!("<ul>{task}</ul>")
        );
    }
}

//! The CommonMark spec in the test suite: every example of the spec (0.31.2, 652 of them)
//! and handbuch's own GitHub-extension examples (tests/fixtures/commonmark/) go through
//! the real pipeline, one example as the only chapter of a one-school project, and the
//! chapter's HTML must be the spec's, compared as HTML5 DOM trees after the normalisations
//! below, each of which stands for one design rule of README. Whatever still differs must
//! be in [`BY_DESIGN`] with its reason; an entry there that renders exactly fails too, so
//! the list cannot rot. A second test builds every example with PDFs on: each builds both
//! outputs, or fails both with an error at a place in the chapter file.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use handbuch::BuildOptions;
use percent_encoding::percent_decode_str;
use pulldown_cmark::{Event, LinkType, Options, Parser, Tag};
use scraper::{ElementRef, Html, Node as DomNode};
use serde::Deserialize;

/// The examples that differ from the spec on purpose, each with the README rule it follows.
const BY_DESIGN: &[(u32, &str)] = &[
    (21, RAW_HTML),
    (27, NO_GLYPH),
    (62, DUPLICATE_ID),
    (68, DUPLICATE_ID),
    (72, DUPLICATE_ID),
    (76, DUPLICATE_ID),
    (79, EMPTY_HEADING),
    (80, DUPLICATE_ID),
    (83, DUPLICATE_ID),
    (84, DUPLICATE_ID),
    (115, DUPLICATE_ID),
    (150, RAW_HTML),
    (163, RAW_HTML),
    (169, RAW_HTML),
    (170, RAW_HTML),
    (171, RAW_HTML),
    (172, RAW_HTML),
    (173, RAW_HTML),
    (176, RAW_HTML),
    (177, RAW_HTML),
    (178, RAW_HTML),
    (179, RAW_HTML),
    (180, RAW_HTML),
    (182, RAW_HTML),
    (183, RAW_HTML),
    (201, RAW_HTML),
    (300, NESTED_HEADING),
    (308, RAW_HTML),
    (309, RAW_HTML),
    (491, RAW_HTML),
    (501, UNKNOWN_ID),
    (524, RAW_HTML),
    (536, RAW_HTML),
    (581, EMPTY_ALT),
    (613, RAW_HTML),
    (614, RAW_HTML),
    (615, RAW_HTML),
    (616, RAW_HTML),
    (617, RAW_HTML),
    (625, RAW_HTML),
    (626, RAW_HTML),
    (627, RAW_HTML),
    (628, RAW_HTML),
    (629, RAW_HTML),
];

const DUPLICATE_ID: &str =
    "every heading is an anchor, and an id names one place in the handbook: two headings with the same title are a build error";
const EMPTY_HEADING: &str =
    "a heading's id is made from its title: an empty heading has none and is a build error";
const NESTED_HEADING: &str =
    "only a `##` at the top of a chapter is a numbered step: a `##` inside a list item or quote renders like `###`, as <h4>";
const RAW_HTML: &str =
    "raw HTML passes an allow-list (README \"Raw HTML\"): comments, <script>, <style>, processing instructions, CDATA, unknown tags and unlisted attributes are dropped, and its URLs are kept as written";
const EMPTY_ALT: &str =
    "every image says what it shows (README \"Figures\"): an image with empty alt text is a build error, on the page and in the PDF (PDF/UA-1)";
const NO_GLYPH: &str =
    "both outputs show only what the handout can print: a character none of its fonts has (here Malayalam and Kannada letters) is a build error where it is written";
const UNKNOWN_ID: &str =
    "a link to #id must name a chapter, step or heading (README \"Cross-references\"): an unknown id is a build error";

/// Examples per project in the PDF test: a batch that builds is done in one typst run;
/// one that fails is built again one example at a time to find which.
const PDF_BATCH: usize = 24;

/// How many differing examples are printed in full.
const SHOWN: usize = 8;

const SCHOOL: &str = "s";

#[derive(Deserialize)]
struct Example {
    markdown: String,
    html: String,
    example: u32,
    section: String,
}

fn examples() -> Vec<Example> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/commonmark");
    ["spec-0.31.2.json", "gfm.json"]
        .iter()
        .flat_map(|file| {
            let text = fs::read_to_string(dir.join(file)).expect("fixture");
            serde_json::from_str::<Vec<Example>>(&text).expect("fixture JSON")
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// The project an example is built in.

/// The parser options of src/markdown/parse.rs `options()`: the test finds the files an
/// example links to the way handbuch reads its links.
fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

fn chapter_id(example: &Example) -> String {
    format!("e{}", example.example)
}

fn chapter_file(index: usize, example: &Example) -> String {
    format!("content/guide/de/{:03}-e{}.md", index + 1, example.example)
}

/// A 1×1 grey PNG and JPEG: every file an example links to is one (by its name), so an
/// image is an image for the PDF too.
const PNG: &[u8] = &[
    137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0,
    0, 0, 58, 126, 155, 85, 0, 0, 0, 10, 73, 68, 65, 84, 120, 156, 99, 96, 0, 0, 0, 2, 0, 1, 72,
    175, 164, 113, 0, 0, 0, 0, 73, 69, 78, 68, 174, 66, 96, 130,
];

const JPEG: &[u8] = &[
    255, 216, 255, 219, 0, 67, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 255, 192, 0, 11, 8, 0, 1, 0, 1, 1, 1, 17, 0, 255, 196, 0, 20, 0,
    1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 196, 0, 20, 16, 1, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 218, 0, 8, 1, 1, 0, 0, 63, 0, 63, 255, 217,
];

fn image_bytes(path: &Path) -> &'static [u8] {
    match path.extension().and_then(|e| e.to_str()) {
        Some("jpg" | "jpeg") => JPEG,
        _ => PNG,
    }
}

/// A one-school, one-locale project with each example as one chapter (front matter gives
/// the chapter's title and id, so a `#` heading in an example stays where it is written).
fn write_project(root: &Path, examples: &[&Example]) {
    let write = |relative: &str, bytes: &[u8]| {
        let path = root.join(relative);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(path, bytes).expect("write");
    };
    write(
        "handbuch.toml",
        b"title = \"Spec\"\nbase_url = \"https://help.example.org/spec\"\n\
          default_locale = \"de\"\nlocales = [\"de\"]\n\n\
          [provider]\nname = \"Spec\"\nsupport_email = \"support@example.org\"\n",
    );
    write(
        &format!("content/schools/{SCHOOL}.toml"),
        b"name = \"Schule\"\n\n[tenant]\ndomain = \"schule.onmicrosoft.com\"\n\n\
          [contract]\nnumber = \"V1\"\n\n[assignment]\nmode = \"manual\"\n",
    );
    fs::create_dir_all(root.join("static")).expect("static");
    for (index, example) in examples.iter().enumerate() {
        let chapter = format!(
            "+++\ntitle = \"Beispiel {n}\"\nid = \"{id}\"\n+++\n{body}",
            n = example.example,
            id = chapter_id(example),
            body = template_body(&example.markdown)
        );
        write(&chapter_file(index, example), chapter.as_bytes());
        for file in linked_files(&example.markdown) {
            // Two links may name a file and a folder of the same name: the second one
            // then stays missing, and the build says so.
            let path = root.join("static").join(file);
            let _ = path.parent().map(fs::create_dir_all);
            let _ = fs::write(&path, image_bytes(&path));
        }
    }
}

/// A chapter is a tera template (README "School values"): an example that contains tera
/// syntax is written inside `{% raw %}` so that tera hands it over as it is.
fn template_body(markdown: &str) -> String {
    if ["{{", "{%", "{!"].iter().any(|tag| markdown.contains(tag)) {
        format!("{{% raw %}}{markdown}{{% endraw %}}")
    } else {
        markdown.to_string()
    }
}

/// The files in `static/` that the example's links and images name (README "Links to
/// files", "Figures": they must exist), so the build can check them. E-mail autolinks are
/// not files.
fn linked_files(markdown: &str) -> Vec<PathBuf> {
    Parser::new_ext(markdown, parser_options())
        .filter_map(|event| match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) if link_type != LinkType::Email => Some(dest_url),
            Event::Start(Tag::Image { dest_url, .. }) => Some(dest_url),
            _ => None,
        })
        .filter_map(|url| static_path(&url))
        .collect()
}

/// The path below `static/` a local link names: without query and fragment,
/// percent-decoded, `.` and `..` resolved; `None` for URLs, `#id`, and paths that leave
/// `static/` or name a folder.
fn static_path(url: &str) -> Option<PathBuf> {
    if url.is_empty() || url.starts_with('#') || url.starts_with("//") || url.contains(':') {
        return None;
    }
    let path = url.split(['#', '?']).next().unwrap_or_default();
    let decoded = percent_decode_str(path).decode_utf8().ok()?;
    let mut out = PathBuf::new();
    for part in decoded.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if !out.pop() {
                    return None;
                }
            }
            part => out.push(part),
        }
    }
    let names_file = !out.as_os_str().is_empty() && !decoded.ends_with('/');
    names_file.then_some(out)
}

/// Build the project; the diagnostics as text when it fails.
fn build(root: &Path, pdf: bool) -> Result<(), String> {
    let mut options = BuildOptions::new(root, common::today());
    options.pdf = pdf;
    handbuch::build(&options)
        .map(|_| ())
        .map_err(|e| format!("{e}{}", e.summary()))
}

fn page_path(root: &Path) -> PathBuf {
    root.join(format!("public/de/{SCHOOL}/index.html"))
}

fn pdf_path(root: &Path) -> PathBuf {
    root.join(format!("public/de/{SCHOOL}/{SCHOOL}.pdf"))
}

// ---------------------------------------------------------------------------------------
// DOM trees: both sides are parsed by an HTML5 parser and compared as these.

#[derive(Clone, PartialEq)]
enum Node {
    Element {
        name: String,
        attrs: BTreeMap<String, String>,
        children: Vec<Node>,
    },
    Text(String),
    Comment(String),
}

fn dom_children(element: ElementRef<'_>) -> Vec<Node> {
    element
        .children()
        .filter_map(|child| match child.value() {
            DomNode::Text(text) => Some(Node::Text(text.to_string())),
            DomNode::Comment(comment) => Some(Node::Comment(comment.to_string())),
            DomNode::Element(_) => ElementRef::wrap(child).map(dom_element),
            _ => None,
        })
        .collect()
}

fn dom_element(element: ElementRef<'_>) -> Node {
    Node::Element {
        name: element.value().name().to_string(),
        attrs: element
            .value()
            .attrs()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        children: dom_children(element),
    }
}

/// Rebuild the tree bottom-up: `f` sees each node after its children were rebuilt and
/// returns what takes its place (nothing, itself, or other nodes).
fn rewrite(nodes: Vec<Node>, f: &dyn Fn(Node) -> Vec<Node>) -> Vec<Node> {
    nodes
        .into_iter()
        .flat_map(|node| match node {
            Node::Element {
                name,
                attrs,
                children,
            } => f(Node::Element {
                name,
                attrs,
                children: rewrite(children, f),
            }),
            other => f(other),
        })
        .collect()
}

fn has_class(attrs: &BTreeMap<String, String>, class: &str) -> bool {
    attrs
        .get("class")
        .is_some_and(|c| c.split_whitespace().any(|c| c == class))
}

fn text_content(nodes: &[Node]) -> String {
    nodes
        .iter()
        .map(|node| match node {
            Node::Element { children, .. } => text_content(children),
            Node::Text(text) => text.clone(),
            Node::Comment(_) => String::new(),
        })
        .collect()
}

fn element(name: &str, attrs: BTreeMap<String, String>, children: Vec<Node>) -> Node {
    Node::Element {
        name: name.to_string(),
        attrs,
        children,
    }
}

const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// Elements around which whitespace does not show (the spec's own test normaliser
/// strips it there too).
const BLOCK: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "li",
    "link",
    "main",
    "meta",
    "nav",
    "ol",
    "p",
    "pre",
    "script",
    "section",
    "style",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "ul",
];

fn is_block(node: &Node) -> bool {
    matches!(node, Node::Element { name, .. } if BLOCK.contains(&name.as_str()))
}

/// The tree as HTML, attributes sorted, one block per line: what is compared and shown.
fn html_of(nodes: &[Node]) -> String {
    let mut out = String::new();
    for node in nodes {
        match node {
            Node::Element {
                name,
                attrs,
                children,
            } => {
                out.push('<');
                out.push_str(name);
                for (k, v) in attrs {
                    out.push_str(&format!(
                        " {k}=\"{}\"",
                        v.replace('&', "&amp;").replace('"', "&quot;")
                    ));
                }
                out.push('>');
                if !VOID.contains(&name.as_str()) {
                    out.push_str(&html_of(children));
                    out.push_str(&format!("</{name}>"));
                }
                if is_block(node) {
                    out.push('\n');
                }
            }
            Node::Text(text) => out.push_str(
                &text
                    .replace('&', "&amp;")
                    .replace('<', "&lt;")
                    .replace('>', "&gt;"),
            ),
            Node::Comment(text) => out.push_str(&format!("<!--{text}-->")),
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// Normalisations of handbuch's page: each undoes one thing README says handbuch adds.

/// The chapter's `<h2>` (number and title from front matter) is handbuch's, not the
/// example's. README "Writing chapters": chapters are numbered ("Abschnitt 2").
fn drop_chapter_heading(mut nodes: Vec<Node>) -> Vec<Node> {
    if let Some(i) = nodes.iter().position(|n| matches!(n, Node::Element { .. })) {
        nodes.drain(..=i);
    }
    nodes
}

/// A `##` heading starts a step: `<section class="step">` with an `<h3>` that carries the
/// label "Schritt N". README "Steps": every `##` heading is a numbered step. Back to the
/// `<h2>` the spec writes, without the label.
fn unwrap_steps(nodes: Vec<Node>) -> Vec<Node> {
    rewrite(nodes, &|node| {
        match node {
        Node::Element {
            name,
            attrs,
            children,
        } if name == "section" && has_class(&attrs, "step") => children
            .into_iter()
            .map(|child| match child {
                Node::Element {
                    name,
                    attrs,
                    children,
                } if name == "h3" => element(
                    "h2",
                    attrs,
                    children
                        .into_iter()
                        .filter(|c| !matches!(c, Node::Element { attrs, .. } if has_class(attrs, "step-label")))
                        .collect(),
                ),
                other => other,
            })
            .collect(),
        other => vec![other],
    }
    })
}

/// Every heading has an anchor id (README "Steps": "each has an anchor"); the spec's
/// headings have none, except those written `{#id}`, which handbuch keeps as the anchor.
fn drop_heading_ids(nodes: Vec<Node>) -> Vec<Node> {
    rewrite(nodes, &|node| match node {
        Node::Element {
            name,
            mut attrs,
            children,
        } if matches!(name.as_str(), "h1" | "h2" | "h3" | "h4" | "h5" | "h6") => {
            attrs.remove("id");
            vec![element(&name, attrs, children)]
        }
        other => vec![other],
    })
}

/// An image alone in its paragraph is a numbered figure whose caption is the image's
/// title, or else its alt text (README "Figures"). Back to `<p><img></p>`, the title taken
/// from the caption when the caption is not the alt text.
fn figures_as_images(nodes: Vec<Node>) -> Vec<Node> {
    rewrite(nodes, &|node| match node {
        Node::Element { name, children, .. } if name == "figure" => {
            let mut img = None;
            let mut caption = String::new();
            for child in children {
                match child {
                    Node::Element { name, attrs, .. } if name == "img" => img = Some(attrs),
                    Node::Element { name, children, .. } if name == "figcaption" => {
                        let without_label: Vec<Node> = children
                            .into_iter()
                            .filter(|c| !matches!(c, Node::Element { attrs, .. } if has_class(attrs, "figure-label")))
                            .collect();
                        caption = text_content(&without_label).trim().to_string();
                    }
                    _ => {}
                }
            }
            let Some(mut attrs) = img else {
                return vec![element("figure", BTreeMap::new(), Vec::new())];
            };
            attrs.remove("loading");
            if attrs.get("alt").map(String::as_str) != Some(caption.as_str()) {
                attrs.insert("title".to_string(), caption);
            }
            vec![element(
                "p",
                BTreeMap::new(),
                vec![element("img", attrs, Vec::new())],
            )]
        }
        other => vec![other],
    })
}

/// Task list items are checkboxes with ids whose state the page keeps (README
/// "Checklists"). Back to pulldown-cmark's `<li><input disabled type=checkbox> text`.
fn plain_tasks(nodes: Vec<Node>) -> Vec<Node> {
    rewrite(nodes, &|node| match node {
        Node::Element {
            name,
            mut attrs,
            children,
        } => {
            match name.as_str() {
                "ul" if has_class(&attrs, "checklist") => {
                    attrs.remove("class");
                }
                "li" if has_class(&attrs, "task") => {
                    attrs.remove("class");
                    attrs.remove("id");
                }
                "input" if attrs.contains_key("data-task") => {
                    attrs.retain(|k, _| k == "type" || k == "checked");
                    attrs.insert("disabled".to_string(), String::new());
                }
                "label" if attrs.contains_key("for") => return children,
                _ => {}
            }
            vec![element(&name, attrs, children)]
        }
        other => vec![other],
    })
}

/// Alerts are `<aside>` with a title in the page's language (README "Alerts"). Back to
/// pulldown-cmark's `<blockquote class="markdown-alert-…">`.
fn plain_alerts(nodes: Vec<Node>) -> Vec<Node> {
    rewrite(nodes, &|node| match node {
        Node::Element {
            name,
            attrs,
            children,
        } if name == "aside" && has_class(&attrs, "alert") => {
            let kind = attrs
                .get("class")
                .and_then(|c| c.split_whitespace().find_map(|c| c.strip_prefix("alert-")))
                .unwrap_or_default();
            let class = BTreeMap::from([("class".to_string(), format!("markdown-alert-{kind}"))]);
            let body = children
                .into_iter()
                .filter(|c| !matches!(c, Node::Element { attrs, .. } if has_class(attrs, "alert-title")))
                .collect();
            vec![element("blockquote", class, body)]
        }
        other => vec![other],
    })
}

/// A table sits in a scrolling `<div class="table-wrap">` (README "The help site": pages
/// work on phones). Back to the bare table.
fn plain_tables(nodes: Vec<Node>) -> Vec<Node> {
    rewrite(nodes, &|node| match node {
        Node::Element {
            name,
            attrs,
            children,
        } if name == "div" && has_class(&attrs, "table-wrap") => children,
        other => vec![other],
    })
}

/// A link with empty text to a step or chapter is a cross-reference with the target's
/// label and title (README "Cross-references"); its class is handbuch's.
fn plain_cross_references(nodes: Vec<Node>) -> Vec<Node> {
    rewrite(nodes, &|node| match node {
        Node::Element {
            name,
            mut attrs,
            children,
        } if name == "a" && has_class(&attrs, "xref") => {
            attrs.remove("class");
            vec![element(&name, attrs, children)]
        }
        other => vec![other],
    })
}

/// Local links and images are written relative to the page, `../../files/x.pdf`, so they
/// work from every page (README "Links to files"). Back to the path in `static/`.
fn site_relative_urls(nodes: Vec<Node>) -> Vec<Node> {
    map_urls(nodes, &|url| url.strip_prefix("../../").map(str::to_string))
}

/// The spec side of [`site_relative_urls`]: `/files/x.pdf` and `files/x.pdf` name the same
/// file in `static/` (README "Links to files"), so a local URL loses its leading `/`.
fn spec_local_urls(nodes: Vec<Node>) -> Vec<Node> {
    map_urls(nodes, &|url| {
        let local = !url.is_empty()
            && !url.starts_with('#')
            && !url.starts_with("//")
            && !url.contains(':');
        local.then(|| url.trim_start_matches('/').to_string())
    })
}

fn map_urls(nodes: Vec<Node>, f: &dyn Fn(&str) -> Option<String>) -> Vec<Node> {
    rewrite(nodes, &|node| match node {
        Node::Element {
            name,
            mut attrs,
            children,
        } => {
            for key in ["href", "src"] {
                if let Some(url) = attrs.get(key).and_then(|url| f(url)) {
                    attrs.insert(key.to_string(), url);
                }
            }
            vec![element(&name, attrs, children)]
        }
        other => vec![other],
    })
}

/// The page's outline is h1 school, h2 chapters, h3 steps, so author headings other than
/// `##` go below it: `#` and `###` are `<h4>`, `####` `<h5>`, deeper `<h6>` (README
/// "Steps": `###` headings and below are not numbered). The spec's levels, moved the same way.
fn spec_heading_levels(nodes: Vec<Node>) -> Vec<Node> {
    rewrite(nodes, &|node| match node {
        Node::Element {
            name,
            attrs,
            children,
        } => {
            let name = match name.as_str() {
                "h1" | "h3" => "h4".to_string(),
                "h4" => "h5".to_string(),
                "h5" | "h6" => "h6".to_string(),
                _ => name,
            };
            vec![element(&name, attrs, children)]
        }
        other => vec![other],
    })
}

/// A table column's alignment is a class (`align-left`), as the pages' Content-Security-Policy
/// allows no inline style (README "Metadata"). Back to the spec's `style="text-align:left"`.
fn alignment_as_style(nodes: Vec<Node>) -> Vec<Node> {
    rewrite(nodes, &|node| match node {
        Node::Element {
            name,
            mut attrs,
            children,
        } if name == "th" || name == "td" => {
            let align = attrs
                .get("class")
                .and_then(|c| c.strip_prefix("align-"))
                .map(str::to_string);
            if let Some(align) = align {
                attrs.remove("class");
                attrs.insert("style".to_string(), format!("text-align:{align}"));
            }
            vec![element(&name, attrs, children)]
        }
        other => vec![other],
    })
}

/// `text-align:left` and `text-align: left` are the same style (pulldown-cmark writes the
/// space, handbuch does not).
fn compact_styles(nodes: Vec<Node>) -> Vec<Node> {
    rewrite(nodes, &|node| match node {
        Node::Element {
            name,
            mut attrs,
            children,
        } => {
            if let Some(style) = attrs.get_mut("style") {
                style.retain(|c| !c.is_whitespace());
            }
            vec![element(&name, attrs, children)]
        }
        other => vec![other],
    })
}

/// Whitespace is not content outside `<pre>`: runs become one space, and none is kept at
/// the start or end of a block or next to one (as in the spec's own normaliser). Adjacent
/// texts (left by the other normalisations) are merged first.
fn collapse_whitespace(nodes: Vec<Node>) -> Vec<Node> {
    collapse_in(nodes, true)
}

fn collapse_in(nodes: Vec<Node>, in_block: bool) -> Vec<Node> {
    let mut merged: Vec<Node> = Vec::new();
    for node in nodes {
        match (merged.last_mut(), node) {
            (Some(Node::Text(last)), Node::Text(text)) => last.push_str(&text),
            (_, node) => merged.push(node),
        }
    }
    let blocks: Vec<bool> = merged.iter().map(is_block).collect();
    let last = merged.len().saturating_sub(1);
    let mut out = Vec::new();
    for (i, node) in merged.into_iter().enumerate() {
        match node {
            Node::Element {
                name,
                attrs,
                children,
            } => {
                let children = match name.as_str() {
                    "pre" => children,
                    _ => collapse_in(children, BLOCK.contains(&name.as_str())),
                };
                out.push(element(&name, attrs, children));
            }
            Node::Text(text) => {
                let mut text = one_space(&text);
                if (i == 0 && in_block) || (i > 0 && blocks[i - 1]) {
                    text = text.trim_start().to_string();
                }
                if (i == last && in_block) || blocks.get(i + 1) == Some(&true) {
                    text = text.trim_end().to_string();
                }
                if !text.is_empty() {
                    out.push(Node::Text(text));
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// Every run of HTML whitespace as one space.
fn one_space(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_whitespace() {
            if !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// The two sides, and what an example's build gives.

/// The spec's HTML, parsed as the content of a page and moved to handbuch's outline.
fn expected(html: &str) -> Vec<Node> {
    let fragment = Html::parse_fragment(html);
    let nodes = dom_children(fragment.root_element());
    let nodes = spec_heading_levels(nodes);
    let nodes = drop_heading_ids(nodes);
    let nodes = spec_local_urls(nodes);
    let nodes = compact_styles(nodes);
    collapse_whitespace(nodes)
}

/// The content of the chapter `id` in handbuch's page, handbuch's own additions undone.
fn rendered(page: &Html, id: &str) -> Option<Vec<Node>> {
    let chapter = find_chapter(page, id)?;
    let nodes = drop_chapter_heading(dom_children(chapter));
    let nodes = unwrap_steps(nodes);
    let nodes = drop_heading_ids(nodes);
    let nodes = figures_as_images(nodes);
    let nodes = plain_tasks(nodes);
    let nodes = plain_alerts(nodes);
    let nodes = plain_tables(nodes);
    let nodes = plain_cross_references(nodes);
    let nodes = site_relative_urls(nodes);
    let nodes = alignment_as_style(nodes);
    let nodes = compact_styles(nodes);
    Some(collapse_whitespace(nodes))
}

fn find_chapter<'a>(page: &'a Html, id: &str) -> Option<ElementRef<'a>> {
    page.root_element().descendants().find_map(|node| {
        ElementRef::wrap(node)
            .filter(|e| e.value().name() == "section" && e.value().attr("id") == Some(id))
    })
}

/// The page without what its chapters put in it: the table of contents, the chapter's
/// content and id, the collected checklist's items, the search data. Raw HTML in a chapter
/// that reaches past it (README "Safety guarantees": nothing a chapter writes may break
/// the page) changes what is left, whatever the example.
fn skeleton(page: &Html, id: &str) -> String {
    let nodes = dom_children(page.root_element());
    let nodes = rewrite(nodes, &|node| match node {
        Node::Element {
            name,
            mut attrs,
            children,
        } => {
            attrs.remove("data-progress");
            let children = if (name == "section" && attrs.get("id").map(String::as_str) == Some(id))
                || (name == "ul" && has_class(&attrs, "checklist"))
                || (name == "script" && attrs.get("id").map(String::as_str) == Some("search-steps"))
            {
                Vec::new()
            } else {
                children
            };
            if name == "section" && attrs.get("id").map(String::as_str) == Some(id) {
                attrs.remove("id");
            }
            if name == "nav" && has_class(&attrs, "toc") {
                return Vec::new();
            }
            vec![element(&name, attrs, children)]
        }
        other => vec![other],
    });
    html_of(&nodes)
}

enum Verdict {
    Exact,
    BuildFails(String),
    PageBroken,
    Differs { got: String, want: String },
}

impl Verdict {
    fn cause(&self) -> String {
        match self {
            Verdict::Exact => "exact".to_string(),
            Verdict::BuildFails(error) => format!(
                "build fails: {}",
                error
                    .lines()
                    .find(|l| l.starts_with("error"))
                    .unwrap_or("?")
            ),
            Verdict::PageBroken => {
                "raw HTML reaches past its chapter and breaks the page".to_string()
            }
            Verdict::Differs { .. } => "renders differently".to_string(),
        }
    }
}

/// Build one example (HTML only) in `root` and compare its chapter with the spec.
fn html_verdict(root: &Path, example: &Example, baseline: &str) -> Verdict {
    write_project(root, &[example]);
    if let Err(error) = build(root, false) {
        return Verdict::BuildFails(error);
    }
    let page = Html::parse_document(&fs::read_to_string(page_path(root)).expect("page"));
    let id = chapter_id(example);
    if skeleton(&page, &id) != baseline {
        return Verdict::PageBroken;
    }
    let Some(got) = rendered(&page, &id) else {
        return Verdict::PageBroken;
    };
    let want = expected(&example.html);
    if got == want {
        Verdict::Exact
    } else {
        Verdict::Differs {
            got: html_of(&got),
            want: html_of(&want),
        }
    }
}

/// The skeleton of a page whose chapter is a plain paragraph.
fn baseline(root: &Path) -> String {
    let plain = Example {
        markdown: "Text.\n".to_string(),
        html: "<p>Text.</p>\n".to_string(),
        example: 0,
        section: String::new(),
    };
    write_project(root, &[&plain]);
    build(root, false).expect("a plain chapter builds");
    let page = Html::parse_document(&fs::read_to_string(page_path(root)).expect("page"));
    skeleton(&page, &chapter_id(&plain))
}

fn reason_by_design(example: u32) -> Option<&'static str> {
    BY_DESIGN
        .iter()
        .find(|(n, _)| *n == example)
        .map(|(_, reason)| *reason)
}

#[test]
fn every_commonmark_example_renders_as_the_spec_says_or_differs_by_a_listed_design_rule() {
    let started = Instant::now();
    let all = examples();
    let temp = tempfile::tempdir().expect("temp dir");
    let baseline = baseline(&temp.path().join("baseline"));
    let (mut exact, mut by_design) = (0, 0);
    let mut failing: Vec<(&Example, Verdict)> = Vec::new();
    let mut stale: Vec<String> = BY_DESIGN
        .iter()
        .filter(|(n, _)| !all.iter().any(|e| e.example == *n))
        .map(|(n, _)| format!("{n}: no such example"))
        .collect();
    for example in &all {
        let root = temp.path().join(example.example.to_string());
        let verdict = html_verdict(&root, example, &baseline);
        let _ = fs::remove_dir_all(&root);
        match (verdict, reason_by_design(example.example)) {
            (Verdict::Exact, None) => exact += 1,
            (Verdict::Exact, Some(reason)) => stale.push(format!(
                "{}: renders exactly, but is listed as \"{reason}\"",
                example.example
            )),
            (_, Some(_)) => by_design += 1,
            (verdict, None) => failing.push((example, verdict)),
        }
    }
    let summary = format!(
        "exact: {exact}, by design: {by_design}, failing: {} (of {} examples, {:.1} s)",
        failing.len(),
        all.len(),
        started.elapsed().as_secs_f64()
    );
    let mut report = String::new();
    for (example, verdict) in &failing {
        report.push_str(&format!(
            "example {} ({}): {}\n",
            example.example,
            example.section,
            verdict.cause()
        ));
    }
    let shown = failing
        .iter()
        .filter(|(_, v)| !matches!(v, Verdict::BuildFails(_)));
    for (example, verdict) in shown.take(SHOWN) {
        report.push_str(&format!(
            "\n--- example {} ---\nmarkdown:\n{}",
            example.example, example.markdown
        ));
        if let Verdict::Differs { got, want } = verdict {
            report.push_str(&format!("handbuch:\n{got}\nspec:\n{want}"));
        }
    }
    for line in &stale {
        report.push_str(&format!("stale BY_DESIGN entry {line}\n"));
    }
    eprintln!("{summary}\n{report}");
    assert!(
        failing.is_empty() && stale.is_empty(),
        "{summary}; {} stale BY_DESIGN entries (details above)",
        stale.len()
    );
}

// ---------------------------------------------------------------------------------------
// The PDF accepts what the page accepts.

/// `error` names `file` with a line and column (`file:12:3`).
fn names_position_in(error: &str, file: &str) -> bool {
    error.match_indices(file).any(|(at, _)| {
        let rest = &error[at + file.len()..];
        let mut parts = rest.splitn(3, ':');
        let _ = parts.next();
        let line = parts.next().unwrap_or_default();
        let column: String = parts
            .next()
            .unwrap_or_default()
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        rest.starts_with(':')
            && !line.is_empty()
            && line.chars().all(|c| c.is_ascii_digit())
            && !column.is_empty()
    })
}

/// One example alone, PDFs on: both outputs, or an error at the chapter for both.
fn pdf_problem(root: &Path, example: &Example) -> Option<String> {
    let _ = fs::remove_dir_all(root);
    write_project(root, &[example]);
    let file = chapter_file(0, example);
    let problem = match build(root, true) {
        Ok(()) if pdf_path(root).is_file() => return None,
        Ok(()) => "built, but wrote no PDF".to_string(),
        Err(with_pdf) => match build(root, false) {
            Ok(()) => format!("the page builds, the PDF fails: {}", first_error(&with_pdf)),
            Err(_) if with_pdf.contains("handbook.typ") => {
                format!("blamed on the print template: {}", first_error(&with_pdf))
            }
            Err(html_only)
                if !names_position_in(&with_pdf, &file)
                    || !names_position_in(&html_only, &file) =>
            {
                format!(
                    "fails without a place in {file}: {}",
                    first_error(&with_pdf)
                )
            }
            Err(_) => return None,
        },
    };
    Some(problem)
}

fn first_error(diagnostics: &str) -> &str {
    diagnostics
        .lines()
        .find(|l| l.starts_with("error"))
        .unwrap_or("?")
}

#[test]
fn every_commonmark_example_builds_its_pdf_or_fails_both_outputs_at_a_place_in_the_chapter() {
    let started = Instant::now();
    let all = examples();
    let temp = tempfile::tempdir().expect("temp dir");
    let mut problems = Vec::new();
    for (n, batch) in all.chunks(PDF_BATCH).enumerate() {
        let root = temp.path().join(format!("batch-{n}"));
        write_project(&root, &batch.iter().collect::<Vec<_>>());
        let whole = build(&root, true).is_ok() && pdf_path(&root).is_file();
        let _ = fs::remove_dir_all(&root);
        if whole {
            continue;
        }
        for example in batch {
            let root = temp.path().join(example.example.to_string());
            if let Some(problem) = pdf_problem(&root, example) {
                problems.push(format!(
                    "example {} ({}): {problem}",
                    example.example, example.section
                ));
            }
            let _ = fs::remove_dir_all(&root);
        }
    }
    let summary = format!(
        "{} of {} examples break the rule ({:.1} s)",
        problems.len(),
        all.len(),
        started.elapsed().as_secs_f64()
    );
    eprintln!("{summary}\n{}", problems.join("\n"));
    assert!(problems.is_empty(), "{summary} (details above)");
}

/// The harness itself: handbuch's markup of a step, a figure, a task and an alert is the
/// spec's after the normalisations, and a tight list item printed loose is not.
#[test]
fn the_normalisations_undo_only_handbuchs_own_markup() {
    let page = |chapter: &str| {
        Html::parse_document(&format!(
            "<main><section class=\"chapter\" id=\"e1\">\n<h2><span class=\"chapter-label\">Abschnitt 1</span> Beispiel</h2>\n{chapter}</section></main>"
        ))
    };
    let handbuch = "<h4 id=\"top\">Top</h4>\n<section class=\"step\" id=\"foo\">\n\
        <h3><span class=\"step-label\">Schritt 1</span> Foo</h3>\n\
        <figure id=\"figure-1\"><img src=\"../../a.png\" alt=\"alt\" loading=\"lazy\"><figcaption><span class=\"figure-label\">Abbildung 1:</span> Titel</figcaption></figure>\n\
        <ul class=\"checklist\">\n<li class=\"task\" id=\"task-foo-1\"><input type=\"checkbox\" id=\"check-foo-1\" data-task=\"foo-1\" checked> <label for=\"check-foo-1\">erledigt</label></li>\n</ul>\n\
        <aside class=\"alert alert-note\" role=\"note\" aria-label=\"Hinweis\">\n<p class=\"alert-title\">Hinweis</p>\n<p>Text</p>\n</aside>\n</section>\n";
    let spec =
        "<h1>Top</h1>\n<h2>Foo</h2>\n<p><img src=\"/a.png\" alt=\"alt\" title=\"Titel\" /></p>\n\
        <ul>\n<li><input disabled=\"\" type=\"checkbox\" checked=\"\"/>\nerledigt</li>\n</ul>\n\
        <blockquote class=\"markdown-alert-note\">\n<p>Text</p>\n</blockquote>\n";
    let got = rendered(&page(handbuch), "e1").expect("chapter");
    assert_eq!(html_of(&got), html_of(&expected(spec)));
    let loose = rendered(&page("<ul>\n<li><p>a</p></li>\n</ul>\n"), "e1").expect("chapter");
    assert_ne!(
        html_of(&loose),
        html_of(&expected("<ul>\n<li>a</li>\n</ul>\n"))
    );
}

//! Document blocks → HTML fragments. The page structure around them (chapters, steps,
//! checklist) is the theme's tera templates; this renders the content inside. Blocks a
//! theme may want to mark up differently (alerts, figures, task items, cross-references)
//! go through the theme's partials in `templates/blocks/`; Markdown's own elements
//! (paragraphs, lists, tables …) are written here.

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use pulldown_cmark_escape::{escape_href, escape_html};
use tera::{Context, Tera};

use super::sanitize;
use crate::diagnostics::Diagnostic;
use crate::i18n::Strings;
use crate::model::{AlertKind, Align, Block, CrossRef, Figure, Inline, ListItem, TargetKind, Task};

pub(crate) const ALERT: &str = "blocks/alert.html";
pub(crate) const FIGURE: &str = "blocks/figure.html";
pub(crate) const TASK: &str = "blocks/task.html";
pub(crate) const XREF: &str = "blocks/xref.html";

/// Renders blocks for one page; `root` is the relative path from the page to the site root.
pub(crate) struct Markup<'a> {
    pub strings: &'a Strings,
    pub root: &'a str,
    /// The theme's templates, for the block partials.
    pub templates: &'a Tera,
}

type Rendered = Result<(), Diagnostic>;

/// HTML-escape text for element content and attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Writing into a String cannot fail.
    let _ = escape_html(&mut out, text);
    out
}

/// What a file path must have encoded to be read back as the same path in a URL.
const PATH_SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

fn escape_url(url: &str) -> String {
    // Guard against script URLs, even though only the guide's author writes links.
    let scheme = url
        .split(':')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    if url.contains(':') && matches!(scheme.as_str(), "javascript" | "vbscript" | "data") {
        return "#".to_string();
    }
    let mut out = String::with_capacity(url.len());
    let _ = escape_href(&mut out, url);
    out
}

impl Markup<'_> {
    /// The HTML of a step's (or an intro's) blocks. Where the author wrote raw HTML,
    /// the whole of it is balanced and allow-listed, so nothing reaches past the step.
    pub(crate) fn blocks(&self, blocks: &[Block]) -> Result<String, Diagnostic> {
        let html = self.render_blocks(blocks)?;
        Ok(if sanitize::blocks_have_html(blocks) {
            sanitize::balanced(&html)
        } else {
            html
        })
    }

    /// The HTML of a title or a checklist label, balanced like [`Markup::blocks`].
    pub(crate) fn inlines(&self, inlines: &[Inline]) -> Result<String, Diagnostic> {
        let html = self.render_inlines(inlines)?;
        Ok(if sanitize::inlines_have_html(inlines) {
            sanitize::balanced(&html)
        } else {
            html
        })
    }

    fn render_blocks(&self, blocks: &[Block]) -> Result<String, Diagnostic> {
        let mut out = String::new();
        for block in blocks {
            self.block(block, &mut out)?;
        }
        Ok(out)
    }

    fn render_inlines(&self, inlines: &[Inline]) -> Result<String, Diagnostic> {
        let mut out = String::new();
        self.push_inlines(inlines, &mut out)?;
        Ok(out)
    }

    /// "Schritt 4: Titel" / "Abschnitt 2: Titel".
    pub(crate) fn reference_label(&self, r: &CrossRef) -> String {
        let label = match r.kind {
            TargetKind::Chapter => self.strings.chapter_label(r.number),
            TargetKind::Step => self.strings.step_label(r.number),
        };
        self.strings.xref_label(&label, &r.title)
    }

    /// One of the theme's block partials.
    fn partial(&self, template: &str, context: &Context, out: &mut String) -> Rendered {
        let html = self.templates.render(template, context).map_err(|e| {
            Diagnostic::error(format!("templates/{template}"), e.to_string())
                .with_code("theme.template")
        })?;
        out.push_str(&html);
        Ok(())
    }

    fn block(&self, block: &Block, out: &mut String) -> Rendered {
        match block {
            Block::Paragraph(inlines) => {
                out.push_str("<p>");
                self.push_inlines(inlines, out)?;
                out.push_str("</p>\n");
            }
            Block::Heading {
                level, id, content, ..
            } => {
                // Page: h1 title, h2 chapters, h3 steps; author headings go below.
                let level = (level + 1).clamp(4, 6);
                out.push_str(&format!("<h{level} id=\"{}\">", escape(id)));
                self.push_inlines(content, out)?;
                out.push_str(&format!("</h{level}>\n"));
            }
            Block::List {
                start,
                tight,
                items,
            } => self.list(*start, *tight, items, out)?,
            Block::Quote(blocks) => {
                out.push_str("<blockquote>\n");
                out.push_str(&self.render_blocks(blocks)?);
                out.push_str("</blockquote>\n");
            }
            Block::Alert { kind, blocks } => self.alert(*kind, blocks, out)?,
            Block::Code { lang, text } => {
                if lang.is_empty() {
                    out.push_str("<pre><code>");
                } else {
                    out.push_str(&format!("<pre><code class=\"language-{}\">", escape(lang)));
                }
                out.push_str(&escape(text));
                out.push_str("</code></pre>\n");
            }
            Block::Table { align, head, rows } => self.table(align, head, rows, out)?,
            Block::Figure(figure) => self.figure(figure, out)?,
            Block::Rule => out.push_str("<hr>\n"),
            Block::Html(html) => out.push_str(html),
        }
        Ok(())
    }

    fn list(
        &self,
        start: Option<u64>,
        tight: bool,
        items: &[ListItem],
        out: &mut String,
    ) -> Rendered {
        let is_checklist = items.iter().any(|i| i.task.is_some());
        match start {
            Some(1) => out.push_str("<ol>\n"),
            Some(n) => out.push_str(&format!("<ol start=\"{n}\">\n")),
            None if is_checklist => out.push_str("<ul class=\"checklist\">\n"),
            None => out.push_str("<ul>\n"),
        }
        for item in items {
            match &item.task {
                Some(task) => self.task_item(task, tight, &item.blocks, out)?,
                None => {
                    out.push_str("<li>");
                    self.item_blocks(tight, &item.blocks, out)?;
                    out.push_str("</li>\n");
                }
            }
        }
        out.push_str(if start.is_some() {
            "</ol>\n"
        } else {
            "</ul>\n"
        });
        Ok(())
    }

    /// A checkbox with a label; the first paragraph is the label's text (in tight and
    /// loose lists alike), the rest is the item's body. The ids and `data-task` are what
    /// `handbuch.js` keeps the ticks by.
    fn task_item(&self, task: &Task, tight: bool, blocks: &[Block], out: &mut String) -> Rendered {
        let (label, rest) = match blocks.split_first() {
            Some((Block::Paragraph(inlines), rest)) => (self.render_inlines(inlines)?, rest),
            _ => (String::new(), blocks),
        };
        let mut body = String::new();
        self.item_blocks(tight, rest, &mut body)?;
        let mut context = Context::new();
        context.insert("id", &task.id);
        context.insert("checked", &task.checked);
        context.insert("label_html", &label);
        context.insert("body_html", &body);
        self.partial(TASK, &context, out)
    }

    /// An item's blocks the way pulldown-cmark writes them: a tight list's paragraphs
    /// are bare text, raw HTML stays where it was written, and any other block starts on
    /// a line of its own.
    fn item_blocks(&self, tight: bool, blocks: &[Block], out: &mut String) -> Rendered {
        for block in blocks {
            match block {
                Block::Paragraph(inlines) if tight => self.push_inlines(inlines, out)?,
                Block::Html { .. } => self.block(block, out)?,
                _ => {
                    if !out.is_empty() && !out.ends_with('\n') {
                        out.push('\n');
                    }
                    self.block(block, out)?;
                }
            }
        }
        Ok(())
    }

    fn alert(&self, kind: AlertKind, blocks: &[Block], out: &mut String) -> Rendered {
        let name = kind.name();
        let mut context = Context::new();
        context.insert("kind", name);
        context.insert("title", self.strings.get(&format!("alert_{name}")));
        context.insert("body_html", &self.render_blocks(blocks)?);
        self.partial(ALERT, &context, out)
    }

    fn table(
        &self,
        align: &[Align],
        head: &[Vec<Inline>],
        rows: &[Vec<Vec<Inline>>],
        out: &mut String,
    ) -> Rendered {
        let cell = |tag: &str, i: usize, content: &[Inline], out: &mut String| -> Rendered {
            // A class, not a style attribute: the pages' Content-Security-Policy allows no
            // inline style (handbuch.css aligns `.align-*`).
            let class = match align.get(i) {
                Some(Align::Left) => " class=\"align-left\"",
                Some(Align::Center) => " class=\"align-center\"",
                Some(Align::Right) => " class=\"align-right\"",
                _ => "",
            };
            out.push_str(&format!(
                "<{tag}{class}>{}</{tag}>",
                self.render_inlines(content)?
            ));
            Ok(())
        };
        // A box that scrolls a wide table on its own; focusable with a name, so keyboard
        // users can scroll it too (WCAG 2.1.1, axe `scrollable-region-focusable`).
        out.push_str(&format!(
            "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"{}\"><table>\n<thead><tr>",
            escape(self.strings.get("table_region"))
        ));
        for (i, content) in head.iter().enumerate() {
            cell("th", i, content, out)?;
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        for row in rows {
            out.push_str("<tr>");
            for (i, content) in row.iter().enumerate() {
                cell("td", i, content, out)?;
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody></table></div>\n");
        Ok(())
    }

    fn figure(&self, figure: &Figure, out: &mut String) -> Rendered {
        let mut context = Context::new();
        context.insert("number", &figure.number);
        context.insert("label", &self.strings.figure_label(figure.number));
        // Escaped for an attribute here (tera has no URL escaping): the partial uses `| safe`.
        context.insert("src", &self.static_url(&figure.src));
        context.insert("alt", &figure.alt);
        context.insert("caption_html", &self.render_inlines(&figure.caption)?);
        self.partial(FIGURE, &context, out)
    }

    /// An image's address: remote as written, or a file below `static/` as the model
    /// holds it (decoded, resolved), encoded again for the page.
    fn static_url(&self, path: &str) -> String {
        if path.contains("://") {
            escape_url(path)
        } else {
            let encoded = utf8_percent_encode(path, PATH_SEGMENT).to_string();
            format!("{}{}", self.root, escape(&encoded))
        }
    }

    /// A local link as written (already a URL; a browser resolves its `./` and `..` the
    /// way the link check did), from the site root.
    fn local_link_url(&self, url: &str) -> String {
        format!("{}{}", self.root, escape_url(url.trim_start_matches('/')))
    }

    fn push_inlines(&self, inlines: &[Inline], out: &mut String) -> Rendered {
        for inline in inlines {
            self.inline(inline, out)?;
        }
        Ok(())
    }

    fn inline(&self, inline: &Inline, out: &mut String) -> Rendered {
        match inline {
            Inline::Text { text, .. } => out.push_str(&escape(text)),
            Inline::Code { text } => out.push_str(&format!("<code>{}</code>", escape(text))),
            Inline::Emphasis { content } => self.wrap("em", content, out)?,
            Inline::Strong { content } => self.wrap("strong", content, out)?,
            Inline::Strikethrough { content } => self.wrap("del", content, out)?,
            Inline::Link {
                url,
                title,
                content,
                ..
            } => {
                let title = if title.is_empty() {
                    String::new()
                } else {
                    format!(" title=\"{}\"", escape(title))
                };
                let href = if crate::markdown::is_local_link(url) {
                    self.local_link_url(url)
                } else {
                    escape_url(url)
                };
                out.push_str(&format!("<a href=\"{href}\"{title}>"));
                self.push_inlines(content, out)?;
                out.push_str("</a>");
            }
            Inline::CrossRef(r) => self.cross_ref(r, out)?,
            Inline::Image {
                src, alt, title, ..
            } => {
                let title = if title.is_empty() {
                    String::new()
                } else {
                    format!(" title=\"{}\"", escape(title))
                };
                out.push_str(&format!(
                    "<img src=\"{}\" alt=\"{}\"{title}>",
                    self.static_url(src),
                    escape(alt)
                ));
            }
            Inline::Html { html } => out.push_str(html),
            Inline::SoftBreak => out.push('\n'),
            Inline::HardBreak => out.push_str("<br>\n"),
        }
        Ok(())
    }

    /// A link to a step or chapter. The partial sits inside a line of text: the line
    /// break that ends its file is not part of the link.
    fn cross_ref(&self, r: &CrossRef, out: &mut String) -> Rendered {
        let mut context = Context::new();
        context.insert(
            "kind",
            match r.kind {
                TargetKind::Step => "step",
                TargetKind::Chapter => "chapter",
            },
        );
        context.insert("target", &r.target);
        context.insert("number", &r.number);
        context.insert("title", &r.title);
        context.insert("label", &self.reference_label(r));
        let mut html = String::new();
        self.partial(XREF, &context, &mut html)?;
        out.push_str(html.strip_suffix('\n').unwrap_or(&html));
        Ok(())
    }

    fn wrap(&self, tag: &str, content: &[Inline], out: &mut String) -> Rendered {
        out.push_str(&format!("<{tag}>"));
        self.push_inlines(content, out)?;
        out.push_str(&format!("</{tag}>"));
        Ok(())
    }
}

//! Document blocks → HTML fragments. The page structure around them (chapters, steps,
//! checklist) is the theme's tera templates; this renders the content inside.

use pulldown_cmark_escape::{escape_href, escape_html};

use crate::i18n::Strings;
use crate::model::{AlertKind, Align, Block, CrossRef, Figure, Inline, ListItem, TargetKind};

/// Renders blocks for one page; `root` is the relative path from the page to the site root.
pub struct Markup<'a> {
    pub strings: &'a Strings,
    pub root: &'a str,
}

/// HTML-escape text for element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Writing into a String cannot fail.
    let _ = escape_html(&mut out, text);
    out
}

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
    pub fn blocks(&self, blocks: &[Block]) -> String {
        let mut out = String::new();
        for block in blocks {
            self.block(block, &mut out);
        }
        out
    }

    pub fn inlines(&self, inlines: &[Inline]) -> String {
        let mut out = String::new();
        self.push_inlines(inlines, &mut out);
        out
    }

    /// "Schritt 4: Titel" / "Abschnitt 2: Titel".
    pub fn reference_label(&self, r: &CrossRef) -> String {
        let key = match r.kind {
            TargetKind::Chapter => "chapter",
            TargetKind::Step => "step",
        };
        format!("{} {}: {}", self.strings.get(key), r.number, r.title)
    }

    fn block(&self, block: &Block, out: &mut String) {
        match block {
            Block::Paragraph(inlines) => {
                out.push_str("<p>");
                self.push_inlines(inlines, out);
                out.push_str("</p>\n");
            }
            Block::Heading {
                level, id, content, ..
            } => {
                // Page: h1 title, h2 chapters, h3 steps; author headings go below.
                let level = (level + 1).clamp(4, 6);
                out.push_str(&format!("<h{level} id=\"{}\">", escape(id)));
                self.push_inlines(content, out);
                out.push_str(&format!("</h{level}>\n"));
            }
            Block::List { start, items } => self.list(*start, items, out),
            Block::Quote(blocks) => {
                out.push_str("<blockquote>\n");
                out.push_str(&self.blocks(blocks));
                out.push_str("</blockquote>\n");
            }
            Block::Alert { kind, blocks } => self.alert(*kind, blocks, out),
            Block::Code { lang, text } => {
                if lang.is_empty() {
                    out.push_str("<pre><code>");
                } else {
                    out.push_str(&format!("<pre><code class=\"language-{}\">", escape(lang)));
                }
                out.push_str(&escape(text));
                out.push_str("</code></pre>\n");
            }
            Block::Table { align, head, rows } => self.table(align, head, rows, out),
            Block::Figure(figure) => self.figure(figure, out),
            Block::Rule => out.push_str("<hr>\n"),
            Block::Html(html) => out.push_str(html),
        }
    }

    fn list(&self, start: Option<u64>, items: &[ListItem], out: &mut String) {
        let is_checklist = items.iter().any(|i| i.task.is_some());
        match start {
            Some(1) => out.push_str("<ol>\n"),
            Some(n) => out.push_str(&format!("<ol start=\"{n}\">\n")),
            None if is_checklist => out.push_str("<ul class=\"checklist\">\n"),
            None => out.push_str("<ul>\n"),
        }
        for item in items {
            match &item.task {
                Some(task) => self.task_item(&task.id, task.checked, &item.blocks, out),
                None => {
                    out.push_str("<li>");
                    self.item_blocks(&item.blocks, out);
                    out.push_str("</li>\n");
                }
            }
        }
        out.push_str(if start.is_some() {
            "</ol>\n"
        } else {
            "</ul>\n"
        });
    }

    /// A checkbox with a label; the first paragraph is the label's text.
    fn task_item(&self, id: &str, checked: bool, blocks: &[Block], out: &mut String) {
        let id = escape(id);
        let checked = if checked { " checked" } else { "" };
        out.push_str(&format!(
            "<li class=\"task\" id=\"task-{id}\"><input type=\"checkbox\" id=\"check-{id}\" data-task=\"{id}\"{checked}> "
        ));
        let (label, rest) = match blocks.split_first() {
            Some((Block::Paragraph(inlines), rest)) => (self.inlines(inlines), rest),
            _ => (String::new(), blocks),
        };
        out.push_str(&format!("<label for=\"check-{id}\">{label}</label>"));
        out.push_str(&self.blocks(rest));
        out.push_str("</li>\n");
    }

    /// Tight list items hold one paragraph: print it without `<p>`.
    fn item_blocks(&self, blocks: &[Block], out: &mut String) {
        match blocks {
            [Block::Paragraph(inlines)] => self.push_inlines(inlines, out),
            [Block::Paragraph(inlines), rest @ ..]
                if matches!(rest.first(), Some(Block::List { .. })) =>
            {
                self.push_inlines(inlines, out);
                out.push('\n');
                out.push_str(&self.blocks(rest));
            }
            _ => out.push_str(&self.blocks(blocks)),
        }
    }

    fn alert(&self, kind: AlertKind, blocks: &[Block], out: &mut String) {
        let name = kind.name();
        let title = self.strings.get(&format!("alert_{name}")).to_string();
        out.push_str(&format!(
            "<aside class=\"alert alert-{name}\" role=\"note\" aria-label=\"{}\">\n<p class=\"alert-title\">{}</p>\n",
            escape(&title),
            escape(&title)
        ));
        out.push_str(&self.blocks(blocks));
        out.push_str("</aside>\n");
    }

    fn table(
        &self,
        align: &[Align],
        head: &[Vec<Inline>],
        rows: &[Vec<Vec<Inline>>],
        out: &mut String,
    ) {
        let cell = |tag: &str, i: usize, content: &[Inline], out: &mut String| {
            let style = match align.get(i) {
                Some(Align::Left) => " style=\"text-align:left\"",
                Some(Align::Center) => " style=\"text-align:center\"",
                Some(Align::Right) => " style=\"text-align:right\"",
                _ => "",
            };
            out.push_str(&format!("<{tag}{style}>{}</{tag}>", self.inlines(content)));
        };
        out.push_str("<div class=\"table-wrap\"><table>\n<thead><tr>");
        for (i, content) in head.iter().enumerate() {
            cell("th", i, content, out);
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        for row in rows {
            out.push_str("<tr>");
            for (i, content) in row.iter().enumerate() {
                cell("td", i, content, out);
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody></table></div>\n");
    }

    fn figure(&self, figure: &Figure, out: &mut String) {
        out.push_str(&format!(
            "<figure id=\"figure-{n}\"><img src=\"{src}\" alt=\"{alt}\" loading=\"lazy\"><figcaption><span class=\"figure-label\">{label} {n}:</span> {caption}</figcaption></figure>\n",
            n = figure.number,
            src = self.asset_url(&figure.src),
            alt = escape(&figure.alt),
            label = escape(self.strings.get("figure")),
            caption = self.inlines(&figure.caption),
        ));
    }

    fn asset_url(&self, src: &str) -> String {
        if src.contains("://") {
            escape_url(src)
        } else {
            format!("{}{}", self.root, escape_url(src.trim_start_matches('/')))
        }
    }

    fn push_inlines(&self, inlines: &[Inline], out: &mut String) {
        for inline in inlines {
            self.inline(inline, out);
        }
    }

    fn inline(&self, inline: &Inline, out: &mut String) {
        match inline {
            Inline::Text { text } => out.push_str(&escape(text)),
            Inline::Code { text } => out.push_str(&format!("<code>{}</code>", escape(text))),
            Inline::Emphasis { content } => self.wrap("em", content, out),
            Inline::Strong { content } => self.wrap("strong", content, out),
            Inline::Strikethrough { content } => self.wrap("del", content, out),
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
                    self.asset_url(url)
                } else {
                    escape_url(url)
                };
                out.push_str(&format!("<a href=\"{href}\"{title}>"));
                self.push_inlines(content, out);
                out.push_str("</a>");
            }
            Inline::CrossRef(r) => out.push_str(&format!(
                "<a class=\"xref xref-{}\" href=\"#{}\">{}</a>",
                if r.kind == TargetKind::Step {
                    "step"
                } else {
                    "chapter"
                },
                escape(&r.target),
                escape(&self.reference_label(r))
            )),
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
                    self.asset_url(src),
                    escape(alt)
                ));
            }
            Inline::Html { html } => out.push_str(html),
            Inline::SoftBreak => out.push('\n'),
            Inline::HardBreak => out.push_str("<br>\n"),
        }
    }

    fn wrap(&self, tag: &str, content: &[Inline], out: &mut String) {
        out.push_str(&format!("<{tag}>"));
        self.push_inlines(content, out);
        out.push_str(&format!("</{tag}>"));
    }
}

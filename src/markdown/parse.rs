//! pulldown-cmark events → document blocks. Numbering and references come later;
//! this only builds the tree.

use std::ops::Range;

use pulldown_cmark::{
    Alignment, BlockQuoteKind, CodeBlockKind, Event, HeadingLevel, LinkType, Options, Parser, Tag,
    TagEnd,
};

use crate::limits::{self, TooMuch};
use crate::markdown::slug::heading_id;
use crate::model::{plain_text, AlertKind, Align, Block, Figure, Inline, ListItem, Task};

pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// Parse Markdown into blocks. `#` and `##` headings stay `Block::Heading`
/// (level 1 and 2) for the caller to turn into the title and steps. Every heading
/// has its id; headings, links and images carry the byte range they were written at.
///
/// Every later stage walks the blocks recursively, so nesting deeper than
/// [`limits::NESTING`] is refused here, on the flat event stream, before any tree exists.
///
/// A heading longer than [`limits::HEADING_CHARS`] is refused too: it is repeated in
/// the contents and bookmarks, and the PDF's cost for it grows much faster than its length.
pub fn parse(markdown: &str) -> Result<Vec<Block>, TooMuch> {
    let mut builder = Builder {
        stack: vec![Frame::new(Kind::Root)],
    };
    let mut depth = 0;
    for (event, range) in Parser::new_ext(markdown, options()).into_offset_iter() {
        match &event {
            Event::Start(Tag::Heading { .. })
                if markdown[range.clone()]
                    .trim_end()
                    .chars()
                    .nth(limits::HEADING_CHARS)
                    .is_some() =>
            {
                return Err(TooMuch::Heading {
                    offset: range.start,
                });
            }
            Event::Start(tag) if nests(tag) => {
                depth += 1;
                if depth > limits::NESTING {
                    return Err(TooMuch::Nesting {
                        offset: range.start,
                    });
                }
            }
            Event::End(tag) if nests_end(*tag) => depth = depth.saturating_sub(1),
            _ => {}
        }
        builder.event(event, range);
    }
    // Close anything left open (pulldown always balances, but stay total).
    while builder.stack.len() > 1 {
        builder.close();
    }
    let mut root = builder.stack.pop().map(|f| f.blocks).unwrap_or_default();
    root.retain(|b| !matches!(b, Block::Paragraph(p) if p.is_empty()));
    Ok(root)
}

/// Tags that can hold themselves, directly or through each other; a list item, a
/// paragraph, a heading or a table cell only ever adds one level to its container.
fn nests(tag: &Tag) -> bool {
    !matches!(
        tag,
        Tag::Item
            | Tag::Paragraph
            | Tag::Heading { .. }
            | Tag::TableHead
            | Tag::TableRow
            | Tag::TableCell
    )
}

fn nests_end(tag: TagEnd) -> bool {
    !matches!(
        tag,
        TagEnd::Item
            | TagEnd::Paragraph
            | TagEnd::Heading(_)
            | TagEnd::TableHead
            | TagEnd::TableRow
            | TagEnd::TableCell
    )
}

enum Kind {
    Root,
    Paragraph,
    Heading {
        level: u8,
        id: Option<String>,
        span: Range<usize>,
    },
    List {
        start: Option<u64>,
        /// Set when an item holds a paragraph of its own: pulldown-cmark leaves out the
        /// paragraph events of tight lists only.
        loose: bool,
        items: Vec<ListItem>,
    },
    Item {
        task: Option<bool>,
        loose: bool,
    },
    Quote(Option<BlockQuoteKind>),
    Code {
        lang: String,
        text: String,
    },
    Html(String),
    Table {
        align: Vec<Align>,
        head: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
    },
    TableHead(Vec<Vec<Inline>>),
    TableRow(Vec<Vec<Inline>>),
    TableCell,
    Emphasis,
    Strong,
    Strikethrough,
    Link {
        url: String,
        title: String,
        span: Range<usize>,
    },
    Image {
        src: String,
        title: String,
        span: Range<usize>,
    },
    /// Constructs the model has no place for (footnotes, …): content kept inline.
    Transparent,
}

struct Frame {
    kind: Kind,
    blocks: Vec<Block>,
    inlines: Vec<Inline>,
}

impl Frame {
    fn new(kind: Kind) -> Frame {
        Frame {
            kind,
            blocks: Vec::new(),
            inlines: Vec::new(),
        }
    }

    /// Text directly in a container (a tight list item) becomes a paragraph; the list
    /// remembers it is tight.
    fn flush_inlines(&mut self) {
        if !self.inlines.is_empty() {
            let inlines = std::mem::take(&mut self.inlines);
            self.blocks.push(Block::Paragraph(inlines));
        }
    }
}

struct Builder {
    stack: Vec<Frame>,
}

impl Builder {
    fn top(&mut self) -> &mut Frame {
        // The root frame is never popped while events arrive.
        let last = self.stack.len() - 1;
        &mut self.stack[last]
    }

    fn event(&mut self, event: Event, span: Range<usize>) {
        match event {
            Event::Start(tag) => self.open(tag, span),
            Event::End(TagEnd::TableHead | TagEnd::TableRow | TagEnd::TableCell) => self.close(),
            Event::End(_) => self.close(),
            Event::Text(text) => self.text(&text),
            Event::Code(text) => self.inline(Inline::Code {
                text: text.into_string(),
            }),
            Event::InlineMath(text) | Event::DisplayMath(text) => self.inline(Inline::Code {
                text: text.into_string(),
            }),
            Event::Html(html) => self.html(&html),
            Event::InlineHtml(html) => self.inline(Inline::Html {
                html: html.into_string(),
            }),
            Event::FootnoteReference(name) => self.inline(Inline::text(format!("[{name}]"))),
            Event::SoftBreak => self.inline(Inline::SoftBreak),
            Event::HardBreak => self.inline(Inline::HardBreak),
            Event::Rule => self.block(Block::Rule),
            Event::TaskListMarker(checked) => self.task_marker(checked),
        }
    }

    fn open(&mut self, tag: Tag, span: Range<usize>) {
        let kind = match tag {
            Tag::Paragraph => Kind::Paragraph,
            Tag::Heading { level, id, .. } => Kind::Heading {
                level: heading_level(level),
                id: id.map(|i| i.into_string()),
                span,
            },
            Tag::BlockQuote(kind) => Kind::Quote(kind),
            Tag::CodeBlock(CodeBlockKind::Fenced(info)) => Kind::Code {
                lang: language(&info).to_string(),
                text: String::new(),
            },
            Tag::CodeBlock(CodeBlockKind::Indented) => Kind::Code {
                lang: String::new(),
                text: String::new(),
            },
            Tag::HtmlBlock => Kind::Html(String::new()),
            Tag::List(start) => Kind::List {
                start,
                loose: false,
                items: Vec::new(),
            },
            Tag::Item => Kind::Item {
                task: None,
                loose: false,
            },
            Tag::Table(align) => Kind::Table {
                align: align.into_iter().map(alignment).collect(),
                head: Vec::new(),
                rows: Vec::new(),
            },
            Tag::TableHead => Kind::TableHead(Vec::new()),
            Tag::TableRow => Kind::TableRow(Vec::new()),
            Tag::TableCell => Kind::TableCell,
            Tag::Emphasis => Kind::Emphasis,
            Tag::Strong => Kind::Strong,
            Tag::Strikethrough => Kind::Strikethrough,
            // `<name@example.org>`: the parser gives the bare address.
            Tag::Link {
                link_type: LinkType::Email,
                dest_url,
                title,
                ..
            } => Kind::Link {
                url: format!("mailto:{dest_url}"),
                title: title.into_string(),
                span,
            },
            Tag::Link {
                dest_url, title, ..
            } => Kind::Link {
                url: dest_url.into_string(),
                title: title.into_string(),
                span,
            },
            Tag::Image {
                dest_url, title, ..
            } => Kind::Image {
                src: dest_url.into_string(),
                title: title.into_string(),
                span,
            },
            _ => Kind::Transparent,
        };
        if is_block(&kind) {
            self.top().flush_inlines();
        }
        self.stack.push(Frame::new(kind));
    }

    fn close(&mut self) {
        if self.stack.len() <= 1 {
            return;
        }
        let Some(mut frame) = self.stack.pop() else {
            return;
        };
        match frame.kind {
            Kind::Root => {}
            Kind::Paragraph => {
                if let Kind::Item { loose, .. } = &mut self.top().kind {
                    *loose = true;
                }
                self.block(paragraph_or_figure(frame.inlines))
            }
            Kind::Heading { level, id, span } => self.block(Block::Heading {
                level,
                id: heading_id(id.as_deref(), &frame.inlines),
                content: frame.inlines,
                span,
            }),
            Kind::List {
                start,
                loose,
                items,
            } => self.block(Block::List {
                start,
                tight: !loose,
                items,
            }),
            Kind::Item { task, loose } => {
                frame.flush_inlines();
                let item = ListItem {
                    task: task.map(|checked| Task {
                        id: String::new(),
                        number: 0,
                        checked,
                    }),
                    blocks: frame.blocks,
                };
                if let Kind::List {
                    items,
                    loose: list_loose,
                    ..
                } = &mut self.top().kind
                {
                    *list_loose |= loose;
                    items.push(item);
                }
            }
            Kind::Quote(kind) => {
                frame.flush_inlines();
                self.block(match kind.map(alert_kind) {
                    Some(kind) => Block::Alert {
                        kind,
                        blocks: frame.blocks,
                    },
                    None => Block::Quote(frame.blocks),
                })
            }
            Kind::Code { lang, text } => self.block(Block::Code { lang, text }),
            Kind::Html(html) => self.block(Block::Html(html)),
            Kind::Table { align, head, rows } => self.block(Block::Table { align, head, rows }),
            Kind::TableHead(cells) => {
                if let Kind::Table { head, .. } = &mut self.top().kind {
                    *head = cells;
                }
            }
            Kind::TableRow(cells) => {
                if let Kind::Table { rows, .. } = &mut self.top().kind {
                    rows.push(cells);
                }
            }
            Kind::TableCell => match &mut self.top().kind {
                Kind::TableHead(cells) | Kind::TableRow(cells) => cells.push(frame.inlines),
                _ => {}
            },
            Kind::Emphasis => self.inline(Inline::Emphasis {
                content: frame.inlines,
            }),
            Kind::Strong => self.inline(Inline::Strong {
                content: frame.inlines,
            }),
            Kind::Strikethrough => self.inline(Inline::Strikethrough {
                content: frame.inlines,
            }),
            Kind::Link { url, title, span } => self.inline(Inline::Link {
                url,
                title,
                content: frame.inlines,
                span,
            }),
            Kind::Image { src, title, span } => self.inline(Inline::Image {
                src,
                alt: plain_text(&frame.inlines),
                title,
                span,
            }),
            Kind::Transparent => {
                frame.flush_inlines();
                let parent = self.top();
                parent.inlines.append(&mut frame.inlines);
                for block in frame.blocks {
                    parent.flush_inlines();
                    parent.blocks.push(block);
                }
            }
        }
    }

    fn block(&mut self, block: Block) {
        let top = self.top();
        top.flush_inlines();
        top.blocks.push(block);
    }

    fn inline(&mut self, inline: Inline) {
        self.top().inlines.push(inline);
    }

    fn text(&mut self, text: &str) {
        match &mut self.top().kind {
            Kind::Code { text: code, .. } => code.push_str(text),
            Kind::Html(html) => html.push_str(text),
            _ => match self.top().inlines.last_mut() {
                Some(Inline::Text { text: prev, .. }) => prev.push_str(text),
                _ => self.inline(Inline::text(text)),
            },
        }
    }

    fn html(&mut self, html: &str) {
        match &mut self.top().kind {
            Kind::Html(block) => block.push_str(html),
            _ => self.inline(Inline::Html {
                html: html.to_string(),
            }),
        }
    }

    fn task_marker(&mut self, checked: bool) {
        let item = self.stack.iter_mut().rev().find_map(|f| match &mut f.kind {
            Kind::Item { task, .. } => Some(task),
            _ => None,
        });
        if let Some(task) = item {
            *task = Some(checked);
        }
    }
}

fn is_block(kind: &Kind) -> bool {
    matches!(
        kind,
        Kind::Paragraph
            | Kind::Heading { .. }
            | Kind::List { .. }
            | Kind::Quote(_)
            | Kind::Code { .. }
            | Kind::Html(_)
            | Kind::Table { .. }
    )
}

/// An image alone in its paragraph is a figure (numbered later).
fn paragraph_or_figure(inlines: Vec<Inline>) -> Block {
    let meaningful: Vec<&Inline> = inlines
        .iter()
        .filter(|i| {
            !matches!(i, Inline::Text { text, .. } if text.trim().is_empty())
                && !matches!(i, Inline::SoftBreak)
        })
        .collect();
    if let [Inline::Image {
        src,
        alt,
        title,
        span,
    }] = meaningful.as_slice()
    {
        let caption = if title.is_empty() { alt } else { title };
        return Block::Figure(Figure {
            number: 0,
            src: src.clone(),
            alt: alt.clone(),
            caption: vec![Inline::text(caption.as_str())],
            span: span.clone(),
        });
    }
    Block::Paragraph(inlines)
}

/// The language of a fenced code block: the info string's first word, as CommonMark
/// says (`ruby startline=3` is Ruby); the rest is for other tools.
fn language(info: &str) -> &str {
    info.split([' ', '\t']).next().unwrap_or_default()
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

fn alignment(a: Alignment) -> Align {
    match a {
        Alignment::None => Align::None,
        Alignment::Left => Align::Left,
        Alignment::Center => Align::Center,
        Alignment::Right => Align::Right,
    }
}

fn alert_kind(kind: BlockQuoteKind) -> AlertKind {
    match kind {
        BlockQuoteKind::Note => AlertKind::Note,
        BlockQuoteKind::Tip => AlertKind::Tip,
        BlockQuoteKind::Important => AlertKind::Important,
        BlockQuoteKind::Warning => AlertKind::Warning,
        BlockQuoteKind::Caution => AlertKind::Caution,
    }
}

//! The document model: one school's handbook in one locale, numbered and resolved.
//! Both renderers (HTML and PDF) read only this; it knows nothing of either.

use std::ops::Range;
use std::path::PathBuf;

use chrono::NaiveDate;
use serde::Serialize;

pub(crate) use crate::warnings::Finding;

pub(crate) mod visit;

/// A complete handbook, ready to render.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Handbook {
    pub locale: String,
    pub chapters: Vec<Chapter>,
    /// What the school's data says to watch out for, most severe first; the renderers
    /// put each into words and show it at the top and at its step.
    pub warnings: Vec<Finding>,
    /// The chapters' sources in reading order, each address once ("Quellen").
    pub sources: Vec<Source>,
}

/// A source of a chapter's facts: what the provider can re-read, and when it last did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Source {
    pub title: String,
    pub url: String,
    pub checked: NaiveDate,
    /// Where `checked` is written in the chapter file, for the staleness warning.
    #[serde(skip)]
    pub checked_at: Range<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Chapter {
    /// 1-based, in file-name order.
    pub number: usize,
    pub id: String,
    pub title: Vec<Inline>,
    /// Where the chapter came from, for messages.
    #[serde(skip)]
    pub source: PathBuf,
    /// The locale whose text is shown because this chapter is not translated yet.
    pub fallback_from: Option<String>,
    /// Blocks before the first step.
    pub intro: Vec<Block>,
    pub steps: Vec<Step>,
}

/// A `##` heading and everything up to the next one.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Step {
    /// 1-based, counted across the whole handbook.
    pub number: usize,
    pub id: String,
    pub title: Vec<Inline>,
    pub blocks: Vec<Block>,
    /// Where its heading is written in the chapter's rendered Markdown.
    #[serde(skip)]
    pub span: Range<usize>,
}

/// Serialized as `{"type": "paragraph", "c": …}` for the print template.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", content = "c", rename_all = "snake_case")]
pub enum Block {
    Paragraph(Vec<Inline>),
    /// `###` and deeper: not numbered.
    Heading {
        level: u8,
        id: String,
        content: Vec<Inline>,
        /// Where the heading is written in the chapter's rendered Markdown.
        #[serde(skip)]
        span: Range<usize>,
    },
    List {
        start: Option<u64>,
        /// CommonMark's tight list (no blank line between or inside its items): the
        /// paragraphs directly in its items are shown without paragraph spacing
        /// (HTML: without `<p>`), as pulldown-cmark and the spec render them.
        tight: bool,
        items: Vec<ListItem>,
    },
    Quote(Vec<Block>),
    Alert {
        kind: AlertKind,
        blocks: Vec<Block>,
    },
    Code {
        lang: String,
        text: String,
    },
    Table {
        align: Vec<Align>,
        head: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
    },
    Figure(Figure),
    Rule,
    /// Raw HTML written by the guide's author (trusted content, never school data).
    Html(String),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ListItem {
    pub task: Option<Task>,
    pub blocks: Vec<Block>,
}

/// A checklist item: a GFM task list entry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Task {
    /// Stable across builds and locales as long as the step's items keep their order:
    /// `<step-id>-<n>` (or `<chapter-id>-<n>` before the first step).
    pub id: String,
    /// 1-based position in the collected checklist.
    pub number: usize,
    pub checked: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AlertKind {
    Note,
    Tip,
    Important,
    Warning,
    Caution,
}

impl AlertKind {
    pub fn name(self) -> &'static str {
        match self {
            AlertKind::Note => "note",
            AlertKind::Tip => "tip",
            AlertKind::Important => "important",
            AlertKind::Warning => "warning",
            AlertKind::Caution => "caution",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Align {
    None,
    Left,
    Center,
    Right,
}

/// An image standing alone in its paragraph.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figure {
    /// 1-based, across the handbook.
    pub number: usize,
    /// Path below the project's `static/` (no leading slash), or an absolute URL.
    pub src: String,
    pub alt: String,
    pub caption: Vec<Inline>,
    /// Where the image is written in the chapter's rendered Markdown.
    #[serde(skip)]
    pub span: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Inline {
    Text {
        text: String,
        /// Part of a paragraph or title with a word that may not fit its line: the
        /// handout hyphenates it, and no other text ([`crate::render::hyphenation`]).
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        hyphenate: bool,
    },
    Code {
        text: String,
    },
    Emphasis {
        content: Vec<Inline>,
    },
    Strong {
        content: Vec<Inline>,
    },
    Strikethrough {
        content: Vec<Inline>,
    },
    Link {
        url: String,
        title: String,
        content: Vec<Inline>,
        /// Where the link is written in the chapter's rendered Markdown.
        #[serde(skip)]
        span: Range<usize>,
    },
    /// `[](#id)` resolved to the step or chapter it names.
    CrossRef(CrossRef),
    Image {
        src: String,
        alt: String,
        title: String,
        /// Where the image is written in the chapter's rendered Markdown.
        #[serde(skip)]
        span: Range<usize>,
    },
    Html {
        html: String,
    },
    SoftBreak,
    HardBreak,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CrossRef {
    pub target: String,
    pub kind: TargetKind,
    pub number: usize,
    /// Plain text of the target's title.
    pub title: String,
    /// Where the reference is written in the chapter's rendered Markdown.
    #[serde(skip)]
    pub span: Range<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TargetKind {
    Chapter,
    Step,
}

impl Inline {
    pub fn text(text: impl Into<String>) -> Inline {
        Inline::Text {
            text: text.into(),
            hyphenate: false,
        }
    }
}

/// The text of inlines without markup, e.g. for titles in references and `<title>`.
pub(crate) fn plain_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    visit::walk_inlines(inlines, &mut |node| {
        if let visit::Node::Inline(inline) = node {
            match inline {
                Inline::Text { text, .. } | Inline::Code { text } => out.push_str(text),
                Inline::CrossRef(r) => out.push_str(&r.title),
                Inline::Image { alt, .. } => out.push_str(alt),
                Inline::SoftBreak | Inline::HardBreak => out.push(' '),
                // Containers: their content is visited next.
                Inline::Emphasis { .. }
                | Inline::Strong { .. }
                | Inline::Strikethrough { .. }
                | Inline::Link { .. }
                | Inline::Html { .. } => {}
            }
        }
    });
    out
}

impl Handbook {
    pub(crate) fn steps(&self) -> impl Iterator<Item = (&Chapter, &Step)> {
        self.chapters
            .iter()
            .flat_map(|c| c.steps.iter().map(move |s| (c, s)))
    }

    /// Every checklist item in order, with the step (if any) it belongs to.
    pub(crate) fn checklist(&self) -> Vec<ChecklistEntry<'_>> {
        let mut out = Vec::new();
        for chapter in &self.chapters {
            collect_tasks(&chapter.intro, None, chapter, &mut out);
            for step in &chapter.steps {
                collect_tasks(&step.blocks, Some(step), chapter, &mut out);
            }
        }
        out
    }
}

/// A checklist item as the collected checklist shows it.
#[derive(Debug, Clone)]
pub(crate) struct ChecklistEntry<'a> {
    pub task: &'a Task,
    pub content: &'a [Block],
    pub chapter: &'a Chapter,
    pub step: Option<&'a Step>,
}

impl<'a> ChecklistEntry<'a> {
    /// The item's text as the collected checklist shows it: its first paragraph.
    pub(crate) fn label(&self) -> &'a [Inline] {
        match self.content.first() {
            Some(Block::Paragraph(inlines)) => inlines,
            _ => &[],
        }
    }
}

fn collect_tasks<'a>(
    blocks: &'a [Block],
    step: Option<&'a Step>,
    chapter: &'a Chapter,
    out: &mut Vec<ChecklistEntry<'a>>,
) {
    visit::walk(blocks, &mut |node| {
        if let visit::Node::Item(item) = node {
            if let Some(task) = &item.task {
                out.push(ChecklistEntry {
                    task,
                    content: &item.blocks,
                    chapter,
                    step,
                });
            }
        }
    });
}

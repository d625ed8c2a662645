//! The one walk over the block tree: the only code that knows which blocks and
//! inlines contain others. Everything that collects, numbers, checks or resolves
//! across the tree goes through [`walk`] or [`walk_mut`] and matches only the
//! variants it cares about, so a new container variant is added here once.

use super::{Block, Inline, ListItem};

/// A node of the tree, handed out in document order (a node before its content).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Node<'a> {
    Block(&'a Block),
    /// A list item, before its blocks (the only place tasks live).
    Item(&'a ListItem),
    Inline(&'a Inline),
}

/// [`Node`], mutable. A node replaced by the visitor is descended into as replaced.
#[derive(Debug)]
pub(crate) enum NodeMut<'a> {
    Block(&'a mut Block),
    Item(&'a mut ListItem),
    Inline(&'a mut Inline),
}

/// Visit every block, list item and inline of `blocks`, depth first.
pub(crate) fn walk<'a>(blocks: &'a [Block], f: &mut impl FnMut(Node<'a>)) {
    for block in blocks {
        f(Node::Block(block));
        match block {
            Block::Paragraph(inlines)
            | Block::Heading {
                content: inlines, ..
            } => walk_inlines(inlines, f),
            Block::List { items, .. } => {
                for item in items {
                    f(Node::Item(item));
                    walk(&item.blocks, f);
                }
            }
            Block::Quote(inner) | Block::Alert { blocks: inner, .. } => walk(inner, f),
            Block::Table { head, rows, .. } => {
                for cell in head.iter().chain(rows.iter().flatten()) {
                    walk_inlines(cell, f);
                }
            }
            Block::Figure(figure) => walk_inlines(&figure.caption, f),
            Block::Code { .. } | Block::Rule | Block::Html(_) => {}
        }
    }
}

/// Visit every inline of `inlines`, depth first.
pub(crate) fn walk_inlines<'a>(inlines: &'a [Inline], f: &mut impl FnMut(Node<'a>)) {
    for inline in inlines {
        f(Node::Inline(inline));
        if let Some(content) = inline_content(inline) {
            walk_inlines(content, f);
        }
    }
}

/// [`walk`], mutably.
pub(crate) fn walk_mut(blocks: &mut [Block], f: &mut impl FnMut(NodeMut<'_>)) {
    for block in blocks {
        f(NodeMut::Block(block));
        match block {
            Block::Paragraph(inlines)
            | Block::Heading {
                content: inlines, ..
            } => walk_inlines_mut(inlines, f),
            Block::List { items, .. } => {
                for item in items {
                    f(NodeMut::Item(item));
                    walk_mut(&mut item.blocks, f);
                }
            }
            Block::Quote(inner) | Block::Alert { blocks: inner, .. } => walk_mut(inner, f),
            Block::Table { head, rows, .. } => {
                for cell in head.iter_mut().chain(rows.iter_mut().flatten()) {
                    walk_inlines_mut(cell, f);
                }
            }
            Block::Figure(figure) => walk_inlines_mut(&mut figure.caption, f),
            Block::Code { .. } | Block::Rule | Block::Html(_) => {}
        }
    }
}

/// [`walk_inlines`], mutably.
pub(crate) fn walk_inlines_mut(inlines: &mut [Inline], f: &mut impl FnMut(NodeMut<'_>)) {
    for inline in inlines {
        f(NodeMut::Inline(inline));
        if let Some(content) = inline_content_mut(inline) {
            walk_inlines_mut(content, f);
        }
    }
}

/// The inlines an inline contains, if it is a container.
fn inline_content(inline: &Inline) -> Option<&[Inline]> {
    match inline {
        Inline::Emphasis { content }
        | Inline::Strong { content }
        | Inline::Strikethrough { content }
        | Inline::Link { content, .. } => Some(content),
        Inline::Text { .. }
        | Inline::Code { .. }
        | Inline::CrossRef(_)
        | Inline::Image { .. }
        | Inline::Html { .. }
        | Inline::SoftBreak
        | Inline::HardBreak => None,
    }
}

fn inline_content_mut(inline: &mut Inline) -> Option<&mut Vec<Inline>> {
    match inline {
        Inline::Emphasis { content }
        | Inline::Strong { content }
        | Inline::Strikethrough { content }
        | Inline::Link { content, .. } => Some(content),
        Inline::Text { .. }
        | Inline::Code { .. }
        | Inline::CrossRef(_)
        | Inline::Image { .. }
        | Inline::Html { .. }
        | Inline::SoftBreak
        | Inline::HardBreak => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Task;

    fn text(s: &str) -> Inline {
        Inline::text(s)
    }

    #[test]
    fn visits_nodes_in_document_order_through_every_container() {
        let blocks = vec![
            Block::Paragraph(vec![Inline::Strong {
                content: vec![text("a")],
            }]),
            Block::Alert {
                kind: crate::model::AlertKind::Note,
                blocks: vec![Block::List {
                    start: None,
                    tight: true,
                    items: vec![ListItem {
                        task: Some(Task {
                            id: String::new(),
                            number: 0,
                            checked: false,
                        }),
                        blocks: vec![Block::Paragraph(vec![text("b")])],
                    }],
                }],
            },
            Block::Table {
                align: vec![],
                head: vec![vec![text("c")]],
                rows: vec![vec![vec![text("d")]]],
            },
        ];
        let mut seen = Vec::new();
        walk(&blocks, &mut |node| {
            seen.push(match node {
                Node::Block(_) => "block".to_string(),
                Node::Item(_) => "item".to_string(),
                Node::Inline(Inline::Text { text, .. }) => text.clone(),
                Node::Inline(_) => "inline".to_string(),
            })
        });
        assert_eq!(
            seen,
            ["block", "inline", "a", "block", "block", "item", "block", "b", "block", "c", "d"]
        );
    }

    #[test]
    fn a_replaced_inline_is_descended_into_as_replaced() {
        let mut blocks = vec![Block::Paragraph(vec![text("x")])];
        walk_mut(&mut blocks, &mut |node| {
            if let NodeMut::Inline(inline @ Inline::Text { .. }) = node {
                if *inline == text("x") {
                    *inline = Inline::Emphasis {
                        content: vec![text("y")],
                    };
                }
            }
        });
        let mut texts = Vec::new();
        walk(&blocks, &mut |node| {
            if let Node::Inline(Inline::Text { text, .. }) = node {
                texts.push(text.clone());
            }
        });
        assert_eq!(texts, ["y"]);
    }
}

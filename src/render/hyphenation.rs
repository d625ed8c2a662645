//! What the handout hyphenates: only text holding a word that may not fit its line.
//!
//! Typst breaks a word only by hyphenating it, and it hyphenates only words made of
//! letters alone ([`has_long_word`]). Hyphenating every paragraph cost ~6 % of a
//! handout's instructions (bench/results/issue16-round12.md), while on a ragged-right A4
//! line a word of fewer than [`LONG_WORD`] letters always fits: at 17 pt (a chapter's
//! heading) even 19 of the widest letters of Liberation Sans take 433 of the line's
//! 482 pt. So the print template hyphenates nothing of the chapters but what is marked
//! here.

use crate::model::visit::{walk_mut, NodeMut};
use crate::model::{Block, Chapter, Inline};

/// A run of this many letters is a word that may not fit a line of the handout.
pub(crate) const LONG_WORD: usize = 20;

/// Mark, in every chapter, each paragraph, heading, caption and title that holds a
/// word of [`LONG_WORD`] letters or more: its text is to be hyphenated. Table cells stay
/// as they are: the template hyphenates tables, as their columns are narrow.
pub(crate) fn mark(chapters: &mut [Chapter]) {
    for chapter in chapters {
        mark_inlines(&mut chapter.title);
        mark_blocks(&mut chapter.intro);
        for step in &mut chapter.steps {
            mark_inlines(&mut step.title);
            mark_blocks(&mut step.blocks);
        }
    }
}

fn mark_blocks(blocks: &mut [Block]) {
    walk_mut(blocks, &mut |node| match node {
        NodeMut::Block(Block::Paragraph(inlines))
        | NodeMut::Block(Block::Heading {
            content: inlines, ..
        }) => mark_inlines(inlines),
        NodeMut::Block(Block::Figure(figure)) => mark_inlines(&mut figure.caption),
        _ => {}
    });
}

fn mark_inlines(inlines: &mut [Inline]) {
    let mut printed = String::new();
    push_printed(inlines, &mut printed);
    if has_long_word(&printed) {
        set_hyphenate(inlines);
    }
}

/// Flag the text of `inlines`: a flag, not a container, so that a theme's own print
/// template that does not know it still prints the text. A link's text stays as it is:
/// Typst hyphenates no link.
fn set_hyphenate(inlines: &mut [Inline]) {
    for inline in inlines {
        match inline {
            Inline::Text { hyphenate, .. } => *hyphenate = true,
            Inline::Emphasis { content }
            | Inline::Strong { content }
            | Inline::Strikethrough { content } => set_hyphenate(content),
            _ => {}
        }
    }
}

/// The text of `inlines` as printed one after the other: a word may begin in one inline
/// and end in the next (`Gym**nasium**`).
fn push_printed(inlines: &[Inline], out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Text { text, .. } | Inline::Code { text } => out.push_str(text),
            Inline::CrossRef(reference) => out.push_str(&reference.title),
            Inline::Emphasis { content }
            | Inline::Strong { content }
            | Inline::Strikethrough { content }
            | Inline::Link { content, .. } => push_printed(content, out),
            // Printed as nothing: the text on either side meets.
            Inline::Html { .. } => {}
            // A space, a line break or an image: a word ends there.
            Inline::SoftBreak | Inline::HardBreak | Inline::Image { .. } => out.push(' '),
        }
    }
}

/// Whether one of `texts` has a word that may not fit a line ([`has_long_word`]).
pub(crate) fn long_word_in<'a>(texts: impl IntoIterator<Item = &'a str>) -> bool {
    texts.into_iter().any(has_long_word)
}

/// Whether `text` has a word Typst would hyphenate of [`LONG_WORD`] letters or more.
/// Typst hyphenates a word (Unicode's word boundaries, UAX #29) only if it is letters
/// alone, so a run of letters joined to a digit, `_`, or by a `.`, `:` or apostrophe to
/// more letters (`schule.onmicrosoft.com`) is never hyphenated. Only ASCII is taken as
/// joined; any other run counts, so no word Typst hyphenates goes unmarked.
fn has_long_word(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    let mut at = 0;
    while at < chars.len() {
        if !chars[at].is_alphabetic() {
            at += 1;
            continue;
        }
        let start = at;
        while chars.get(at).is_some_and(|c| c.is_alphabetic()) {
            at += 1;
        }
        let before = |n: usize| start.checked_sub(n).and_then(|i| chars.get(i)).copied();
        let after = |n: usize| chars.get(at + n - 1).copied();
        let joined =
            joins(chars[start], before(1), before(2)) || joins(chars[at - 1], after(1), after(2));
        if at - start >= LONG_WORD && !joined {
            return true;
        }
    }
    false
}

/// Whether a run of letters ending in `edge` is part of a longer word because of `next`
/// (the character beside `edge`) and `beyond` (the one after that).
fn joins(edge: char, next: Option<char>, beyond: Option<char>) -> bool {
    let Some(next) = next else { return false };
    if !edge.is_ascii_alphabetic() {
        return false;
    }
    next.is_ascii_digit()
        || next == '_'
        || (matches!(next, '.' | ':' | '\'' | '’')
            && beyond.is_some_and(|c| c.is_ascii_alphabetic()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Figure, Step};

    fn text(s: &str) -> Inline {
        Inline::text(s)
    }

    fn paragraph(inlines: Vec<Inline>) -> Vec<Block> {
        vec![Block::Paragraph(inlines)]
    }

    fn marked(blocks: Vec<Block>) -> Vec<Block> {
        let mut chapters = vec![Chapter {
            number: 1,
            id: "c".into(),
            title: vec![text("Titel")],
            source: Default::default(),
            fallback_from: None,
            intro: blocks,
            steps: vec![],
        }];
        mark(&mut chapters);
        chapters.remove(0).intro
    }

    /// `inlines` with their text flagged, as [`mark`] flags a long word's paragraph.
    fn flagged(mut inlines: Vec<Inline>) -> Vec<Inline> {
        set_hyphenate(&mut inlines);
        inlines
    }

    fn hyphenated(inlines: Vec<Inline>) -> Vec<Block> {
        paragraph(flagged(inlines))
    }

    #[test]
    fn a_paragraph_of_short_words_stays_as_it_is() {
        let words = "Die Lizenzen werden im Admin Center gebucht und geprüft.";
        assert_eq!(
            marked(paragraph(vec![text(words)])),
            paragraph(vec![text(words)])
        );
    }

    #[test]
    fn a_word_of_twenty_letters_marks_its_paragraph() {
        let nineteen = "Onlinedienstvertrag";
        assert_eq!(nineteen.chars().count(), LONG_WORD - 1);
        let short = paragraph(vec![text(&format!("Der {nineteen} gilt."))]);
        assert_eq!(marked(short.clone()), short);
        let long = vec![text("Die Onlinedienstverträge gelten.")];
        assert_eq!(marked(paragraph(long.clone())), hyphenated(long));
    }

    #[test]
    fn letters_count_as_letters_in_any_script() {
        let long = vec![text(&"Ä".repeat(LONG_WORD))];
        assert_eq!(marked(paragraph(long.clone())), hyphenated(long));
        let greek = vec![text(&"λ".repeat(LONG_WORD))];
        assert_eq!(marked(paragraph(greek.clone())), hyphenated(greek));
    }

    #[test]
    fn a_word_across_inlines_counts_whole() {
        let split = vec![
            text("Gymnasium"),
            Inline::Strong {
                content: vec![text("amstadtpark")],
            },
        ];
        assert_eq!(marked(paragraph(split.clone())), hyphenated(split));
        let spaced = vec![
            text("Gymnasium"),
            Inline::SoftBreak,
            Inline::Strong {
                content: vec![text("amstadtpark")],
            },
        ];
        assert_eq!(marked(paragraph(spaced.clone())), paragraph(spaced));
    }

    #[test]
    fn a_marked_paragraph_flags_its_text_but_not_a_links() {
        let blocks = marked(paragraph(vec![
            text("Lizenzverwaltungsberechtigung "),
            Inline::Emphasis {
                content: vec![text("kursiv")],
            },
            Inline::Link {
                url: "https://example.org".into(),
                title: String::new(),
                content: vec![text("Verweis")],
                span: 0..0,
            },
        ]));
        let mut flags = Vec::new();
        crate::model::visit::walk(&blocks, &mut |node| {
            if let crate::model::visit::Node::Inline(Inline::Text { text, hyphenate }) = node {
                flags.push((text.as_str(), *hyphenate));
            }
        });
        assert_eq!(
            flags,
            [
                ("Lizenzverwaltungsberechtigung ", true),
                ("kursiv", true),
                ("Verweis", false)
            ]
        );
    }

    /// Typst hyphenates no word with a digit, `_` or an inner dot in it, so a tenant's
    /// domain is no reason to hyphenate, however long.
    #[test]
    fn a_word_typst_would_not_hyphenate_marks_nothing() {
        for joined in [
            "admin@staatlichesberufsschulzentrum.onmicrosoft.com",
            "Lizenzverwaltungsberechtigung2026",
            "2026Lizenzverwaltungsberechtigung",
            "lizenzverwaltungsberechtigung_neu",
            "Lizenzverwaltungsberechtigung's",
            "https://lizenzverwaltungsberechtigung.example.org",
        ] {
            let p = paragraph(vec![text(joined)]);
            assert_eq!(marked(p.clone()), p, "{joined}");
        }
    }

    /// What joins a word in Typst's eyes only does so between letters: at the end of a
    /// sentence, before an `@` or a hyphen, or next to other letters than ASCII, the run
    /// is a word of its own.
    #[test]
    fn a_run_that_ends_a_sentence_or_an_address_part_is_a_word() {
        for own in [
            "Lizenzverwaltungsberechtigung.",
            "Lizenzverwaltungsberechtigung. Danach",
            "lizenzverwaltungsberechtigung@example.org",
            "Lizenzverwaltungsberechtigung-Formular",
            "Lizenzverwaltungsberechtigung.äb",
            "(Lizenzverwaltungsberechtigung)",
        ] {
            let p = vec![text(own)];
            assert_eq!(marked(paragraph(p.clone())), hyphenated(p), "{own}");
        }
    }

    #[test]
    fn titles_headings_captions_and_nested_blocks_are_marked() {
        let long = || vec![text("Lizenzverwaltungsberechtigung")];
        let mut chapters = vec![Chapter {
            number: 1,
            id: "c".into(),
            title: long(),
            source: Default::default(),
            fallback_from: None,
            intro: vec![Block::Alert {
                kind: crate::model::AlertKind::Note,
                blocks: vec![Block::Heading {
                    level: 3,
                    id: String::new(),
                    content: long(),
                    span: 0..0,
                }],
            }],
            steps: vec![Step {
                number: 1,
                id: "s".into(),
                title: long(),
                blocks: vec![Block::Figure(Figure {
                    number: 1,
                    src: "a.png".into(),
                    alt: "a".into(),
                    caption: long(),
                    span: 0..0,
                })],
                span: 0..0,
            }],
        }];
        mark(&mut chapters);
        let wrapped = flagged(long());
        let chapter = &chapters[0];
        assert_eq!(chapter.title, wrapped);
        assert_eq!(chapter.steps[0].title, wrapped);
        let Block::Alert { blocks, .. } = &chapter.intro[0] else {
            panic!("alert")
        };
        assert!(matches!(&blocks[0], Block::Heading { content, .. } if *content == wrapped));
        assert!(matches!(&chapter.steps[0].blocks[0], Block::Figure(f) if f.caption == wrapped));
    }

    #[test]
    fn table_cells_are_left_to_the_template() {
        let table = vec![Block::Table {
            align: vec![],
            head: vec![vec![text("Lizenzverwaltungsberechtigung")]],
            rows: vec![],
        }];
        assert_eq!(marked(table.clone()), table);
    }
}

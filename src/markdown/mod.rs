//! From chapter templates to one numbered, resolved [`Handbook`]:
//! tera pass → pulldown-cmark → blocks → chapters and steps → numbers → references.

pub mod escape;
pub mod parse;
pub mod slug;
pub mod template;

use std::collections::BTreeMap;
use std::ops::Range;

use crate::diagnostics::Diagnostic;
use crate::guide::ChapterSource;
use crate::limits;
use crate::model::{
    plain_text, Block, Chapter, CrossRef, Finding, Handbook, Inline, Source, Step, TargetKind,
};
use template::ChapterTemplates;

/// Build one school's handbook in one locale. `asset_exists` tells whether an image
/// path (relative to `static/`) exists.
pub fn build_handbook(
    locale: &str,
    chapters: &[ChapterSource],
    templates: &ChapterTemplates,
    context: &tera::Context,
    warnings: Vec<Finding>,
    asset_exists: &dyn Fn(&str) -> bool,
) -> Result<Handbook, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let mut built = Vec::new();
    // The source of each built chapter: a chapter that fails to render is left out,
    // and every later message must still name the file it is about.
    let mut sources: Vec<&ChapterSource> = Vec::new();
    // What the handbook's chapters may still add; the PDF's cost grows with it.
    let mut budget = limits::HANDBOOK_BYTES;
    for (index, source) in chapters.iter().enumerate() {
        let blocks = templates
            .render(source, context, budget)
            .and_then(|markdown| {
                budget -= markdown.len();
                parse_rendered(&markdown, source)
            });
        match blocks {
            Ok(blocks) => {
                built.push(structure(index + 1, source, blocks, &mut problems));
                sources.push(source);
            }
            Err(e) => problems.push(e),
        }
    }
    // With a chapter missing, its ids are missing too: a reference to them is not
    // "unknown", so only the chapter's own error is reported.
    let complete = sources.len() == chapters.len();
    let mut handbook = Handbook {
        locale: locale.to_string(),
        chapters: built,
        warnings,
        sources: collect_sources(&sources),
    };
    number(&mut handbook);
    let targets = collect_targets(&handbook, &sources, &mut problems);
    let check = Check {
        targets: &targets,
        asset_exists,
        complete,
    };
    resolve(&mut handbook, &check, &sources, &mut problems);
    if problems.is_empty() {
        Ok(handbook)
    } else {
        Err(problems)
    }
}

/// The built chapters' sources in order; an address cited twice is listed once.
fn collect_sources(chapters: &[&ChapterSource]) -> Vec<Source> {
    let mut out: Vec<Source> = Vec::new();
    for source in chapters.iter().flat_map(|c| &c.sources) {
        if !out.iter().any(|s| s.url == source.url) {
            out.push(source.clone());
        }
    }
    out
}

/// The blocks of a chapter's rendered Markdown; nesting or a heading past its limit is
/// reported in the chapter file, at the line the element was written on.
fn parse_rendered(markdown: &str, source: &ChapterSource) -> Result<Vec<Block>, Diagnostic> {
    parse::parse(markdown).map_err(|too_much| {
        let at = source_offset(markdown, too_much.offset(), source);
        let at = at.map(|offset| (&source.source, offset));
        limits::markdown_refused(too_much, &source.shown_as, at)
    })
}

/// Where byte `offset` of the rendered Markdown was written in the chapter file: the
/// same place if the template changed nothing before it; else the same text on its
/// line, found in the chapter's body; else, if the template added or removed no
/// lines, the start of the same line.
fn source_offset(markdown: &str, offset: usize, source: &ChapterSource) -> Option<usize> {
    let body = source.body();
    if markdown.get(..offset) == body.get(..offset) {
        return Some(source.body_offset + offset);
    }
    let line_start = markdown[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_end = markdown[offset..]
        .find('\n')
        .map_or(markdown.len(), |i| offset + i);
    let line = &markdown[line_start..line_end];
    if let Some(found) = body.find(line).filter(|_| !line.trim().is_empty()) {
        return Some(source.body_offset + found + (offset - line_start));
    }
    let lines = |text: &str| text.matches('\n').count();
    (lines(markdown) == lines(body)).then(|| {
        let line = lines(&markdown[..line_start]) + 1;
        source.body_offset + crate::diagnostics::line_start(body, line)
    })
}

/// Title, id, intro and steps of one chapter from its blocks.
fn structure(
    number: usize,
    source: &ChapterSource,
    blocks: Vec<Block>,
    problems: &mut Vec<Diagnostic>,
) -> Chapter {
    let mut title = source.front.title.clone().map(|t| vec![Inline::text(t)]);
    let id = source
        .front
        .id
        .clone()
        .unwrap_or_else(|| source.default_id());
    check_id(&id, source, problems);
    let mut intro = Vec::new();
    let mut steps: Vec<Step> = Vec::new();
    for block in blocks {
        match block {
            Block::Heading {
                level: 1, content, ..
            } if title.is_none() => title = Some(content),
            Block::Heading {
                level: 2,
                id,
                content,
            } => {
                let id = if id.is_empty() {
                    slug::slugify(&plain_text(&content))
                } else {
                    id
                };
                check_id(&id, source, problems);
                steps.push(Step {
                    number: 0,
                    id,
                    title: content,
                    blocks: Vec::new(),
                });
            }
            Block::Heading { level, id, content } => {
                let id = if id.is_empty() {
                    slug::slugify(&plain_text(&content))
                } else {
                    id
                };
                let heading = Block::Heading {
                    level: level.max(3),
                    id,
                    content,
                };
                push_block(&mut steps, &mut intro, heading);
            }
            other => push_block(&mut steps, &mut intro, other),
        }
    }
    let title = title.unwrap_or_else(|| vec![Inline::text(source.default_id())]);
    Chapter {
        number,
        id,
        title,
        source: source.shown_as.clone(),
        fallback_from: source.fallback_from.clone(),
        intro,
        steps,
    }
}

fn push_block(steps: &mut [Step], intro: &mut Vec<Block>, block: Block) {
    match steps.last_mut() {
        Some(step) => step.blocks.push(block),
        None => intro.push(block),
    }
}

fn check_id(id: &str, source: &ChapterSource, problems: &mut Vec<Diagnostic>) {
    if !slug::is_valid_id(id) {
        let d = Diagnostic::error(
            &source.shown_as,
            format!("`{id}` cannot be used as an anchor id"),
        )
        .with_note("ids start with a letter and contain only ASCII letters, digits, `-` and `_`");
        problems.push(match source.source.find(&format!("#{id}")) {
            Some(at) => d.at(&source.source, at..at + id.len() + 1),
            None => d,
        });
    }
}

/// Steps, figures and checklist items are numbered across the whole handbook.
fn number(handbook: &mut Handbook) {
    let (mut step_no, mut figure_no, mut task_no) = (0, 0, 0);
    for chapter in &mut handbook.chapters {
        let chapter_id = chapter.id.clone();
        number_blocks(
            &mut chapter.intro,
            &chapter_id,
            &mut figure_no,
            &mut task_no,
            &mut 0,
        );
        for step in &mut chapter.steps {
            step_no += 1;
            step.number = step_no;
            number_blocks(
                &mut step.blocks,
                &step.id,
                &mut figure_no,
                &mut task_no,
                &mut 0,
            );
        }
    }
}

fn number_blocks(
    blocks: &mut [Block],
    owner: &str,
    figure_no: &mut usize,
    task_no: &mut usize,
    local_task: &mut usize,
) {
    for block in blocks {
        match block {
            Block::Figure(figure) => {
                *figure_no += 1;
                figure.number = *figure_no;
            }
            Block::List { items, .. } => {
                for item in items {
                    if let Some(task) = &mut item.task {
                        *task_no += 1;
                        *local_task += 1;
                        task.number = *task_no;
                        task.id = format!("{owner}-{local_task}");
                    }
                    number_blocks(&mut item.blocks, owner, figure_no, task_no, local_task);
                }
            }
            Block::Quote(inner) | Block::Alert { blocks: inner, .. } => {
                number_blocks(inner, owner, figure_no, task_no, local_task)
            }
            _ => {}
        }
    }
}

/// What an id refers to; `number` is 0 for unnumbered headings.
struct Target {
    kind: Option<TargetKind>,
    number: usize,
    title: String,
}

fn collect_targets(
    handbook: &Handbook,
    sources: &[&ChapterSource],
    problems: &mut Vec<Diagnostic>,
) -> BTreeMap<String, Target> {
    let mut targets = BTreeMap::new();
    for (chapter, source) in handbook.chapters.iter().zip(sources) {
        let mut add = |id: &str, target: Target| {
            let title = target.title.clone();
            if targets.insert(id.to_string(), target).is_some() {
                let d = Diagnostic::error(&source.shown_as, format!("the id `{id}` is used twice in this handbook"))
                    .with_note("every chapter, step and heading needs its own id: add `{#other-id}` to one of them");
                problems.push(match duplicate_id_at(source, id, &title) {
                    Some(span) => d.at(&source.source, span),
                    None => d,
                });
            }
        };
        add(
            &chapter.id,
            Target {
                kind: Some(TargetKind::Chapter),
                number: chapter.number,
                title: plain_text(&chapter.title),
            },
        );
        for step in &chapter.steps {
            add(
                &step.id,
                Target {
                    kind: Some(TargetKind::Step),
                    number: step.number,
                    title: plain_text(&step.title),
                },
            );
        }
        for_each_heading(chapter, &mut |id, content| {
            add(
                id,
                Target {
                    kind: None,
                    number: 0,
                    title: plain_text(content),
                },
            )
        });
    }
    targets
}

/// Where a duplicate id is written: its `{#id}`, or else (an id made from the title)
/// the last place the title appears, which is the later of two equal headings.
fn duplicate_id_at(source: &ChapterSource, id: &str, title: &str) -> Option<Range<usize>> {
    if let Some(at) = source.source.find(&format!("{{#{id}}}")) {
        return Some(at..at + id.len() + 3);
    }
    let body = source.body();
    let title = title.trim();
    if title.is_empty() {
        return None;
    }
    body.rfind(title)
        .map(|at| source.body_offset + at..source.body_offset + at + title.len())
}

fn for_each_heading(chapter: &Chapter, f: &mut impl FnMut(&str, &[Inline])) {
    let all = chapter
        .intro
        .iter()
        .chain(chapter.steps.iter().flat_map(|s| &s.blocks));
    for block in all {
        if let Block::Heading { id, content, .. } = block {
            f(id, content);
        }
    }
}

/// What references and images are checked against.
struct Check<'a> {
    targets: &'a BTreeMap<String, Target>,
    asset_exists: &'a dyn Fn(&str) -> bool,
    /// Every chapter rendered, so an id that is not a target does not exist.
    complete: bool,
}

/// Fill `[](#id)` with number and title, check `#id` links and image files.
fn resolve(
    handbook: &mut Handbook,
    check: &Check,
    sources: &[&ChapterSource],
    problems: &mut Vec<Diagnostic>,
) {
    let asset_exists = check.asset_exists;
    for (chapter, source) in handbook.chapters.iter_mut().zip(sources) {
        let mut visit = |inline: &mut Inline| resolve_inline(inline, check, source, problems);
        for_each_inline_mut(&mut chapter.title, &mut visit);
        for_each_block_inline_mut(&mut chapter.intro, &mut visit);
        for step in &mut chapter.steps {
            for_each_inline_mut(&mut step.title, &mut visit);
            for_each_block_inline_mut(&mut step.blocks, &mut visit);
        }
        let blocks = chapter
            .intro
            .iter()
            .chain(chapter.steps.iter().flat_map(|s| &s.blocks));
        for_each_figure(blocks, &mut |src| {
            check_asset(src, source, asset_exists, problems)
        });
    }
}

fn resolve_inline(
    inline: &mut Inline,
    check: &Check,
    source: &ChapterSource,
    problems: &mut Vec<Diagnostic>,
) {
    match inline {
        Inline::Link { url, content, .. } => {
            let Some(id) = url.strip_prefix('#') else {
                if is_local_link(url) {
                    check_linked_file(url, source, check.asset_exists, problems);
                }
                return;
            };
            match check.targets.get(id) {
                Some(Target {
                    kind: Some(kind),
                    number,
                    title,
                }) if content.is_empty() => {
                    *inline = Inline::CrossRef(CrossRef {
                        target: id.to_string(),
                        kind: *kind,
                        number: *number,
                        title: title.clone(),
                    });
                }
                Some(Target { title, .. }) if content.is_empty() => {
                    *content = vec![Inline::text(title.as_str())]
                }
                Some(_) => {}
                None if check.complete => problems.push(unknown_reference(id, source)),
                None => {}
            }
        }
        Inline::Image { src, .. } => check_asset(src, source, check.asset_exists, problems),
        _ => {}
    }
}

fn unknown_reference(id: &str, source: &ChapterSource) -> Diagnostic {
    let d = Diagnostic::error(
        &source.shown_as,
        format!("cross-reference to unknown id `{id}`"),
    )
    .with_note(
        "a reference names the id of a chapter (front matter `id`) or a step (`## Title {#id}`)",
    );
    let written = source
        .source
        .find(&format!("(#{id})"))
        .map(|at| at + 1..at + id.len() + 2)
        .or_else(|| link_written_at(source, &format!("#{id}")));
    match written {
        Some(span) => d
            .at(&source.source, span)
            .with_label("no chapter, step or heading has this id"),
        None => d,
    }
}

/// Where a link to `url` is written in the chapter file, for links whose target is
/// spelt differently from the URL (`[x][ref]`, `<#a b>`, `&amp;`): the chapter's
/// template text is parsed as Markdown on its own. A URL made by the template
/// (`{{ … }}`) is not found there, and the error then names only the file.
fn link_written_at(source: &ChapterSource, url: &str) -> Option<Range<usize>> {
    use pulldown_cmark::{Event, Parser, Tag};
    Parser::new_ext(source.body(), parse::options())
        .into_offset_iter()
        .find_map(|(event, range)| match event {
            Event::Start(Tag::Link { dest_url, .. }) if *dest_url == *url => Some(range),
            _ => None,
        })
        .map(|range| source.body_offset + range.start..source.body_offset + range.end)
}

/// A link into the site itself (`files/x.pdf`, `/files/x.pdf`), not `#id`, a URL or `mailto:`.
pub fn is_local_link(url: &str) -> bool {
    !url.is_empty() && !url.starts_with('#') && !url.starts_with("//") && !url.contains(':')
}

/// A local link must name a file in `static/`, the only files besides the pages.
fn check_linked_file(
    url: &str,
    source: &ChapterSource,
    asset_exists: &dyn Fn(&str) -> bool,
    problems: &mut Vec<Diagnostic>,
) {
    let path = url
        .split(['#', '?'])
        .next()
        .unwrap_or_default()
        .trim_start_matches('/');
    if asset_exists(path) {
        return;
    }
    let d = Diagnostic::error(&source.shown_as, format!("link to `{url}` does not resolve"))
        .with_note("a link to a file names a path in the project's `static/` folder; link steps and chapters with `#id`");
    let written = source
        .source
        .find(&format!("({url})"))
        .map(|at| at + 1..at + 1 + url.len())
        .or_else(|| link_written_at(source, url));
    problems.push(match written {
        Some(span) => d
            .at(&source.source, span)
            .with_label("no such file in static/"),
        None => d,
    });
}

fn check_asset(
    src: &str,
    source: &ChapterSource,
    asset_exists: &dyn Fn(&str) -> bool,
    problems: &mut Vec<Diagnostic>,
) {
    if src.contains("://") || asset_exists(src.trim_start_matches('/')) {
        return;
    }
    let d = Diagnostic::error(&source.shown_as, format!("image `{src}` not found"))
        .with_note("images are looked up in the project's `static/` folder");
    problems.push(match source.source.find(src) {
        Some(at) => d
            .at(&source.source, at..at + src.len())
            .with_label("no such file in static/"),
        None => d,
    });
}

fn for_each_figure<'a>(blocks: impl Iterator<Item = &'a Block>, f: &mut impl FnMut(&str)) {
    for block in blocks {
        match block {
            Block::Figure(figure) => f(&figure.src),
            Block::List { items, .. } => items
                .iter()
                .for_each(|i| for_each_figure(i.blocks.iter(), f)),
            Block::Quote(inner) | Block::Alert { blocks: inner, .. } => {
                for_each_figure(inner.iter(), f)
            }
            _ => {}
        }
    }
}

/// Visit every inline in `blocks`, depth first, mutably.
pub fn for_each_block_inline_mut(blocks: &mut [Block], f: &mut impl FnMut(&mut Inline)) {
    for block in blocks {
        match block {
            Block::Paragraph(inlines)
            | Block::Heading {
                content: inlines, ..
            } => for_each_inline_mut(inlines, f),
            Block::List { items, .. } => items
                .iter_mut()
                .for_each(|i| for_each_block_inline_mut(&mut i.blocks, f)),
            Block::Quote(inner) | Block::Alert { blocks: inner, .. } => {
                for_each_block_inline_mut(inner, f)
            }
            Block::Table { head, rows, .. } => head
                .iter_mut()
                .chain(rows.iter_mut().flatten())
                .for_each(|cell| for_each_inline_mut(cell, f)),
            Block::Figure(figure) => for_each_inline_mut(&mut figure.caption, f),
            Block::Code { .. } | Block::Rule | Block::Html(_) => {}
        }
    }
}

fn for_each_inline_mut(inlines: &mut [Inline], f: &mut impl FnMut(&mut Inline)) {
    for inline in inlines {
        f(inline);
        match inline {
            Inline::Emphasis { content }
            | Inline::Strong { content }
            | Inline::Strikethrough { content }
            | Inline::Link { content, .. } => for_each_inline_mut(content, f),
            _ => {}
        }
    }
}

//! From chapter templates to one numbered, resolved [`Handbook`]:
//! tera pass → pulldown-cmark → blocks → chapters and steps → numbers → references.

pub(crate) mod escape;
mod locate;
pub(crate) mod parse;
pub(crate) mod slug;
pub(crate) mod template;

use std::collections::BTreeMap;
use std::ops::Range;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::guide::ChapterSource;
use crate::limits;
use crate::model::visit::{walk, walk_inlines_mut, walk_mut, Node, NodeMut};
use crate::model::{
    plain_text, Block, Chapter, CrossRef, Finding, Handbook, Inline, ListItem, Source, Step,
    TargetKind,
};
use crate::render::glyphs;
use locate::{source_offset, Part, Rendered};
use template::ChapterTemplates;

/// Build one school's handbook in one locale. `asset_exists` tells whether an image
/// path (relative to `static/`) exists, `image_problem` why an existing one cannot be
/// shown.
pub(crate) fn build_handbook(
    locale: &str,
    chapters: &[ChapterSource],
    templates: &ChapterTemplates,
    context: &tera::Context,
    warnings: Vec<Finding>,
    asset_exists: &dyn Fn(&str) -> bool,
    image_problem: &dyn Fn(&str) -> Option<String>,
) -> Result<Handbook, Diagnostics> {
    let mut problems = Diagnostics::default();
    let mut built = Vec::new();
    // Each built chapter's file and rendered Markdown: a chapter that fails to render
    // is left out, and every later message must still name the file it is about and
    // find its place there from the parser's offsets.
    let mut rendered: Vec<Rendered> = Vec::new();
    // What the handbook's chapters may still add; the PDF's cost grows with it.
    let mut budget = limits::HANDBOOK_BYTES;
    for (index, source) in chapters.iter().enumerate() {
        let parsed = templates
            .render(source, context, budget)
            .and_then(|markdown| {
                budget -= markdown.len();
                let blocks = parse_rendered(&markdown, source)?;
                Ok((Rendered { source, markdown }, blocks))
            });
        match parsed {
            Ok((chapter, blocks)) => {
                let built_chapter = structure(index + 1, &chapter, blocks, &mut problems);
                check_glyphs(&chapter, &built_chapter, &mut problems);
                built.push(built_chapter);
                rendered.push(chapter);
            }
            Err(e) => problems.push(e),
        }
    }
    // With a chapter missing, its ids are missing too: a reference to them is not
    // "unknown", so only the chapter's own error is reported.
    let complete = rendered.len() == chapters.len();
    let mut handbook = Handbook {
        locale: locale.to_string(),
        chapters: built,
        warnings,
        sources: collect_sources(&rendered),
    };
    number(&mut handbook);
    let targets = collect_targets(&handbook, &rendered, &mut problems);
    let check = Check {
        targets: &targets,
        asset_exists,
        image_problem,
        complete,
    };
    resolve(&mut handbook, &check, &rendered, &mut problems);
    problems.finish(handbook)
}

/// Every character of the chapter's text that the handout cannot print, once each,
/// where the chapter file writes it (a value filled in by `{{ }}` at its line, one
/// written as a named entity at the chapter's start). The built chapter is looked at, not the Markdown, so
/// character references count and comments do not.
fn check_glyphs(written: &Rendered, chapter: &Chapter, problems: &mut Diagnostics) {
    let (markdown, source) = (&written.markdown, written.source);
    // The model can only hold a character the Markdown writes, unless a character
    // reference or the front matter's title brings it: without those, a scan of the
    // Markdown that finds nothing spares serializing the chapter.
    let title_printable = source
        .front
        .title
        .as_deref()
        .is_none_or(|t| glyphs::first_missing(t).is_none());
    if title_printable && !markdown.contains('&') && glyphs::first_missing(markdown).is_none() {
        return;
    }
    let Ok(text) = serde_json::to_string(chapter) else {
        return;
    };
    for c in glyphs::all_missing(&text) {
        let d = Diagnostic::error(&source.shown_as, glyphs::message(c)).with_kind("no-glyph");
        let at = glyphs::written_in(markdown, c)
            .and_then(|at| Some(at.clone()).zip(source_offset(markdown, at.start, source)));
        let d = match at {
            Some((range, start)) => {
                // As long as it is written in the file: a `{{ }}` value's line start.
                let same =
                    source.source.get(start..start + range.len()) == markdown.get(range.clone());
                let len = if same { range.len() } else { 0 };
                d.at(&source.source, start..start + len)
            }
            // Not in the body: the front matter's title, else the chapter's start.
            None => match glyphs::written_in(&source.source, c) {
                Some(range) => d.at(&source.source, range),
                None => d.at(&source.source, source.body_offset..source.body_offset),
            },
        };
        problems.push(
            d.with_label("not in the handout's fonts")
                .with_note(glyphs::note()),
        );
    }
}

/// The built chapters' sources in order; an address cited twice is listed once.
fn collect_sources(chapters: &[Rendered]) -> Vec<Source> {
    let mut out: Vec<Source> = Vec::new();
    for source in chapters.iter().flat_map(|c| &c.source.sources) {
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

/// Title, id, intro and steps of one chapter from its blocks.
fn structure(
    number: usize,
    chapter: &Rendered,
    blocks: Vec<Block>,
    problems: &mut Diagnostics,
) -> Chapter {
    let source = chapter.source;
    let mut title = source.front.title.clone().map(|t| vec![Inline::text(t)]);
    let id = source
        .front
        .id
        .clone()
        .unwrap_or_else(|| source.default_id());
    if let Some(problem) = invalid_id(&id, source, front_matter_id_at(source, &id)) {
        problems.push(problem);
    }
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
                span,
            } => {
                if id.is_empty() {
                    problems.push(untitled_step(chapter, &span));
                }
                let at = chapter.locate(&span, Part::Text(&format!("#{id}")));
                if let Some(problem) = invalid_id(&id, source, at).filter(|_| !id.is_empty()) {
                    problems.push(problem);
                }
                steps.push(Step {
                    number: 0,
                    id,
                    title: content,
                    blocks: Vec::new(),
                    span,
                });
            }
            Block::Heading {
                level,
                id,
                content,
                span,
            } => {
                let heading = Block::Heading {
                    level: level.max(3),
                    id,
                    content,
                    span,
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

/// A step heading with no letters or digits in it (`## `, `## ?!`) has nothing to make
/// its id from: reported at its title, or at the heading where it has none.
fn untitled_step(chapter: &Rendered, span: &Range<usize>) -> Diagnostic {
    let d = Diagnostic::error(
        &chapter.source.shown_as,
        "this step's heading has no text to make its id from",
    )
    .with_code("chapter.heading-without-text")
    .with_note("write a title, or give the step an id: `## Title {#id}`");
    let title = chapter
        .locate(span, Part::HeadingText)
        .filter(|at| !at.is_empty());
    match title.or_else(|| chapter.locate(span, Part::Text(""))) {
        Some(at) => d.at(&chapter.source.source, at),
        None => d,
    }
}

/// The error for an id that cannot be an anchor, written at `at` in the file.
fn invalid_id(id: &str, source: &ChapterSource, at: Option<Range<usize>>) -> Option<Diagnostic> {
    if slug::is_valid_id(id) {
        return None;
    }
    let d = Diagnostic::error(
        &source.shown_as,
        format!("`{id}` cannot be used as an anchor id"),
    )
    .with_code("chapter.bad-id")
    .with_note("ids start with a letter and contain only ASCII letters, digits, `-` and `_`");
    Some(match at {
        Some(at) => d.at(&source.source, at),
        None => d,
    })
}

/// Where the front matter's `id = "…"` value is written (front matter is TOML, not
/// Markdown: the line that sets `id` is the place).
fn front_matter_id_at(source: &ChapterSource, id: &str) -> Option<Range<usize>> {
    let front = source
        .front
        .id
        .as_ref()
        .map(|_| &source.source[..source.body_offset])?;
    let mut offset = 0;
    for line in front.split_inclusive('\n') {
        let sets_id = line
            .trim_start()
            .strip_prefix("id")
            .is_some_and(|rest| rest.trim_start().starts_with('='));
        if let Some(at) = line.find(id).filter(|_| sets_id && !id.is_empty()) {
            return Some(offset + at..offset + at + id.len());
        }
        offset += line.len();
    }
    None
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
        );
        for step in &mut chapter.steps {
            step_no += 1;
            step.number = step_no;
            number_blocks(&mut step.blocks, &step.id, &mut figure_no, &mut task_no);
        }
    }
}

/// Figures and tasks get the next handbook-wide number; a task's id is its owner's
/// (step or chapter) id and its place among the owner's tasks.
fn number_blocks(blocks: &mut [Block], owner: &str, figure_no: &mut usize, task_no: &mut usize) {
    let mut local_task = 0;
    walk_mut(blocks, &mut |node| match node {
        NodeMut::Block(Block::Figure(figure)) => {
            *figure_no += 1;
            figure.number = *figure_no;
        }
        NodeMut::Item(ListItem {
            task: Some(task), ..
        }) => {
            *task_no += 1;
            local_task += 1;
            task.number = *task_no;
            task.id = format!("{owner}-{local_task}");
        }
        _ => {}
    });
}

/// What an id refers to; `number` is 0 for unnumbered headings.
struct Target {
    kind: Option<TargetKind>,
    number: usize,
    title: String,
}

fn collect_targets(
    handbook: &Handbook,
    rendered: &[Rendered],
    problems: &mut Diagnostics,
) -> BTreeMap<String, Target> {
    let mut targets = BTreeMap::new();
    for (chapter, written) in handbook.chapters.iter().zip(rendered) {
        let source = written.source;
        // `span` is where the id's heading is written; a chapter id has none.
        let mut add = |id: &str, target: Target, span: Option<&Range<usize>>| {
            if targets.insert(id.to_string(), target).is_some() {
                let d = Diagnostic::error(&source.shown_as, format!("the id `{id}` is used twice in this handbook"))
                    .with_code("chapter.duplicate-id")
                    .with_note("every chapter, step and heading needs its own id: add `{#other-id}` to one of them");
                let at = match span {
                    Some(span) => duplicate_id_at(written, span, id),
                    None => front_matter_id_at(source, id),
                };
                problems.push(match at {
                    Some(at) => d.at(&source.source, at),
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
            None,
        );
        for step in &chapter.steps {
            add(
                &step.id,
                Target {
                    kind: Some(TargetKind::Step),
                    number: step.number,
                    title: plain_text(&step.title),
                },
                Some(&step.span),
            );
        }
        for blocks in chapter_blocks(chapter) {
            walk(blocks, &mut |node| {
                if let Node::Block(Block::Heading {
                    id, content, span, ..
                }) = node
                {
                    let title = plain_text(content);
                    add(
                        id,
                        Target {
                            kind: None,
                            number: 0,
                            title,
                        },
                        Some(span),
                    );
                }
            });
        }
    }
    targets
}

/// The intro's blocks and each step's, in order.
fn chapter_blocks(chapter: &Chapter) -> impl Iterator<Item = &[Block]> {
    std::iter::once(chapter.intro.as_slice())
        .chain(chapter.steps.iter().map(|s| s.blocks.as_slice()))
}

/// Where a duplicate id is written: its `{#id}`, or else (an id made from the title)
/// the heading's title.
fn duplicate_id_at(written: &Rendered, span: &Range<usize>, id: &str) -> Option<Range<usize>> {
    let explicit = format!("{{#{id}}}");
    let in_heading = written.locate(span, Part::Text(&explicit))?;
    if written.source.source.get(in_heading.clone()) == Some(explicit.as_str()) {
        return Some(in_heading);
    }
    written.locate(span, Part::HeadingText)
}

/// What references and images are checked against.
struct Check<'a> {
    targets: &'a BTreeMap<String, Target>,
    asset_exists: &'a dyn Fn(&str) -> bool,
    image_problem: &'a dyn Fn(&str) -> Option<String>,
    /// Every chapter rendered, so an id that is not a target does not exist.
    complete: bool,
}

/// Fill `[](#id)` with number and title, check `#id` links and image files.
fn resolve(
    handbook: &mut Handbook,
    check: &Check,
    rendered: &[Rendered],
    problems: &mut Diagnostics,
) {
    for (chapter, written) in handbook.chapters.iter_mut().zip(rendered) {
        let mut visit = |node: NodeMut<'_>| match node {
            NodeMut::Inline(inline) => resolve_inline(inline, check, written, problems),
            NodeMut::Block(Block::Figure(figure)) => {
                check_alt(&figure.alt, &figure.src, &figure.span, written, problems);
                check_asset(&mut figure.src, &figure.span, written, check, problems)
            }
            _ => {}
        };
        walk_inlines_mut(&mut chapter.title, &mut visit);
        walk_mut(&mut chapter.intro, &mut visit);
        for step in &mut chapter.steps {
            walk_inlines_mut(&mut step.title, &mut visit);
            walk_mut(&mut step.blocks, &mut visit);
        }
    }
}

fn resolve_inline(
    inline: &mut Inline,
    check: &Check,
    written: &Rendered,
    problems: &mut Diagnostics,
) {
    match inline {
        Inline::Link {
            url, content, span, ..
        } => {
            let Some(id) = url.strip_prefix('#') else {
                if is_local_link(url) {
                    check_linked_file(url, span, written, check.asset_exists, problems);
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
                        span: span.clone(),
                    });
                }
                Some(Target { title, .. }) if content.is_empty() => {
                    *content = vec![Inline::text(title.as_str())]
                }
                Some(_) => {}
                None if check.complete => problems.push(unknown_reference(id, span, written)),
                None => {}
            }
        }
        Inline::Image { src, alt, span, .. } => {
            check_alt(alt, src, span, written, problems);
            check_asset(src, span, written, check, problems)
        }
        _ => {}
    }
}

/// Every image says what it shows: a screen reader reads the alt text in its place, on
/// the page and in the PDF, whose PDF/UA-1 export refuses an image without one.
fn check_alt(
    alt: &str,
    src: &str,
    span: &Range<usize>,
    written: &Rendered,
    problems: &mut Diagnostics,
) {
    if !alt.trim().is_empty() {
        return;
    }
    // The image as the parser read it, `![](x.svg)`, marks just the image on its line.
    let image = written.markdown.get(span.clone()).unwrap_or_default();
    problems.push(
        written
            .error_at(
                format!("image `{src}` has no alt text"),
                span,
                Part::Text(image.trim_end()),
                "the text between `![` and `]` is empty",
            )
            .with_note(
                "a screen reader reads the alt text in place of the image, on the page and in the PDF: \
                 say what it shows, e.g. `![Übersicht der Lizenzen](img/lizenzen.svg)`",
            )
            .with_code("chapter.missing-alt"),
    );
}

fn unknown_reference(id: &str, span: &Range<usize>, written: &Rendered) -> Diagnostic {
    written
        .error_at(
            format!("cross-reference to unknown id `{id}`"),
            span,
            Part::Destination(&format!("#{id}")),
            "no chapter, step or heading has this id",
        )
        .with_code("chapter.broken-xref")
        .with_note(
            "a reference names the id of a chapter (front matter `id`) or a step (`## Title {#id}`)",
        )
}

/// A link into the site itself (`files/x.pdf`, `/files/x.pdf`), not `#id`, a URL or `mailto:`.
pub(crate) fn is_local_link(url: &str) -> bool {
    !url.is_empty() && !url.starts_with('#') && !url.starts_with("//") && !url.contains(':')
}

/// The file below `static/` that a local link or image names: without query and
/// fragment, percent-decoded, `.` and `..` resolved the way a browser does. `None` when
/// the path would leave `static/` (`../x`, `files/../../x`, `%2e%2e/x`) or is not UTF-8.
pub(crate) fn static_path(url: &str) -> Option<String> {
    let path = url.split(['#', '?']).next().unwrap_or_default();
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    let mut parts: Vec<&str> = Vec::new();
    for part in decoded.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            name => parts.push(name),
        }
    }
    Some(parts.join("/"))
}

/// A local link must name a file in `static/`, the only files besides the pages.
fn check_linked_file(
    url: &str,
    span: &Range<usize>,
    written: &Rendered,
    asset_exists: &dyn Fn(&str) -> bool,
    problems: &mut Diagnostics,
) {
    if static_path(url).is_some_and(|path| asset_exists(&path)) {
        return;
    }
    problems.push(
        written
            .error_at(
                format!("link to `{url}` does not resolve"),
                span,
                Part::Destination(url),
                "no such file in static/",
            )
            .with_code("chapter.broken-link")
            .with_note("a link to a file names a path in the project's `static/` folder; link steps and chapters with `#id`"),
    );
}

/// An image must be a file in `static/` (or a remote URL). A found file's `src` becomes
/// its path below `static/`, decoded and resolved, which both renderers take as is.
fn check_asset(
    src: &mut String,
    span: &Range<usize>,
    written: &Rendered,
    check: &Check,
    problems: &mut Diagnostics,
) {
    if src.contains("://") {
        return;
    }
    if let Some(path) = static_path(src).filter(|path| (check.asset_exists)(path)) {
        if let Some(problem) = (check.image_problem)(&path) {
            problems.push(
                written
                    .error_at(
                        format!("image `{src}` cannot be shown: {problem}"),
                        span,
                        Part::Destination(src),
                        "this file in static/",
                    )
                    .with_code("chapter.bad-image")
                    .with_note("the PDF embeds the image, so the file must be one it can read"),
            );
        }
        *src = path;
        return;
    }
    problems.push(
        written
            .error_at(
                format!("image `{src}` not found"),
                span,
                Part::Destination(src),
                "no such file in static/",
            )
            .with_code("chapter.missing-image")
            .with_note(
                "images are looked up in the project's `static/` folder; a symbolic link there \
                 is not published, so copy the file itself",
            ),
    );
}

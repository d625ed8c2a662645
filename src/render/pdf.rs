//! Model → PDF, in-process, with Typst used as a library. The print layout is a Typst
//! template of the theme (`print/handbook.typ`); the handbook reaches it as JSON data
//! (`/handbook.json`), so no school value is ever parsed as Typst markup.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{PoisonError, RwLock};

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Smart};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::diagnostics::Diagnostic;
use crate::i18n::{Piece, Strings};
use crate::model::visit::{walk, Node};
use crate::model::{plain_text, Block, Handbook, Inline};
use crate::render::hyphenation::long_word_in;
use crate::render::{
    checklist_place, source_views, warning_views, CalendarHint, PageInput, SourceView, WarningView,
};
use crate::theme::Theme;

pub(crate) const TEMPLATE: &str = "print/handbook.typ";
const MAIN_PATH: &str = "/handbook.typ";
const DATA_PATH: &str = "/handbook.json";
/// The cover's QR code (an SVG made by [`crate::render::qr`]), when the site has a URL.
const QR_PATH: &str = "/qr.svg";
const STATIC_PREFIX: &str = "/static/";
/// Memoized results unused for this many handouts are dropped: results every handout
/// uses (the guide's unchanged paragraphs, fonts) stay, a school's own ones go. A larger
/// value saved no measurable time and grew memory by ~2.5 MB per handout kept.
const EVICT_AFTER: usize = 4;
/// Freed memory is handed back to the OS after every this many handouts (see
/// [`crate::heap`]): often enough that RSS stays flat, rarely enough to cost nothing
/// measurable.
const RELEASE_EVERY: usize = 16;

/// The standards every handout is exported and checked against. PDF/UA-1 (ISO 14289-1)
/// is what BITV 2.0 asks of a public body's PDFs: tags, alt text, heading order, title
/// shown, language. PDF/A-2a (ISO 19005-2, level a: tagged and Unicode) makes it an
/// archival copy as well; Typst allows one PDF/A and one PDF/UA standard together, and
/// both are met by PDF 1.7. Typst refuses a document that breaks one of their rules.
const STANDARDS: [PdfStandard; 2] = [PdfStandard::Ua_1, PdfStandard::A_2a];
/// How the standards are named in messages.
const STANDARDS_SHOWN: &str = "PDF/UA-1 and PDF/A-2a";

/// Fonts, library and template: set up once per build, shared by all threads.
pub(crate) struct PdfRenderer {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: &'static [Font],
    main: Source,
    template_shown_as: PathBuf,
    static_dir: PathBuf,
    /// `static_dir` with every link resolved (`None`: there is none).
    static_real: Option<PathBuf>,
    standards: PdfStandards,
    /// Held shared by ordinary handouts and exclusively by large ones, so that at most
    /// one large layout (up to ~300 MB at the content limits) is in memory at a time.
    large: RwLock<()>,
    /// Handouts made so far, for [`RELEASE_EVERY`].
    made: AtomicUsize,
}

/// A model of this many bytes or more is laid out alone, and its layout is dropped from
/// Typst's cache right after: a handout of the bundled example is ~60 KB, one at the
/// 500 KB content limit ~550 KB and up to ~270 MB of layout.
const LARGE_MODEL_BYTES: usize = 250_000;

/// What one PDF is made for: the data the template reads (see [`PdfRenderer::model`]),
/// and who/when for metadata.
pub(crate) struct PdfJob {
    pub model: String,
    /// Stable document id, e.g. `de/gymnasium-am-stadtpark`.
    pub ident: String,
    pub date: NaiveDate,
    /// The cover's QR code as an SVG image ([`crate::render::qr::qr_svg`]), if any.
    pub qr_svg: Option<Vec<u8>>,
}

impl PdfRenderer {
    pub(crate) fn new(theme: &Theme, static_dir: &Path) -> Result<PdfRenderer, Diagnostic> {
        let template_shown_as = Path::new("themes").join(theme.name()).join(TEMPLATE);
        let Some(template) = theme.text(TEMPLATE) else {
            return Err(
                Diagnostic::error(template_shown_as, "print template missing")
                    .with_code("theme.print-template-missing"),
            );
        };
        let fonts = crate::render::fonts::bundled();
        let standards = PdfStandards::new(&STANDARDS).map_err(|e| {
            Diagnostic::error(
                &template_shown_as,
                format!("Typst cannot export {STANDARDS_SHOWN}: {}", e.message()),
            )
        })?;
        Ok(PdfRenderer {
            library: LazyHash::new(Library::builder().build()),
            book: LazyHash::new(FontBook::from_fonts(fonts)),
            fonts,
            main: Source::new(file_id(MAIN_PATH), template.to_string()),
            template_shown_as,
            static_dir: static_dir.to_path_buf(),
            static_real: static_dir.canonicalize().ok(),
            standards,
            large: RwLock::new(()),
            made: AtomicUsize::new(0),
        })
    }

    /// The JSON the print template reads as `/handbook.json`: everything the PDF can
    /// show, as text, so it can be checked before Typst sees it.
    pub(crate) fn model<T: Serialize>(&self, data: &T) -> Result<String, Diagnostic> {
        serde_json::to_string(data).map_err(|e| {
            Diagnostic::error(
                &self.template_shown_as,
                format!("cannot pass the handbook to the print template: {e}"),
            )
            .with_code("theme.print-template")
        })
    }

    /// Lay out and write one PDF.
    pub(crate) fn render(&self, job: PdfJob) -> Result<Vec<u8>, Diagnostic> {
        // Held until the handout is done. A poisoned lock only means another handout
        // failed; the lock guards no data.
        let large = job.model.len() >= LARGE_MODEL_BYTES;
        let (_alone, _beside_others);
        if large {
            _alone = self.large.write().unwrap_or_else(PoisonError::into_inner);
        } else {
            _beside_others = self.large.read().unwrap_or_else(PoisonError::into_inner);
        }
        let world = HandoutWorld {
            renderer: self,
            data: Bytes::new(job.model.into_bytes()),
            qr: job.qr_svg.map(Bytes::new),
            date: job.date,
        };
        let document = typst::compile::<PagedDocument>(&world)
            .output
            .map_err(|errors| self.diagnostic(&world, errors.first(), "print template"))?;
        let options = PdfOptions {
            ident: Smart::Custom(job.ident.clone()),
            timestamp: Some(Timestamp::new_utc(typst_date(job.date))),
            standards: self.standards.clone(),
            ..PdfOptions::default()
        };
        // The export checks the standards: what breaks them is an error of this handout.
        let pdf = typst_pdf::pdf(&document, &options).map_err(|errors| {
            if let Some(d) = self.missing_glyph(errors.first()) {
                return d;
            }
            let d = self.diagnostic(&world, errors.first(), "PDF export");
            d.with_note(format!(
                "handouts are exported as {STANDARDS_SHOWN}, and Typst refuses what breaks them"
            ))
        });
        // Typst memoizes eval and layout work globally. What the guide's unchanged text
        // costs is reused by the next handouts, as long as the print template keys it by
        // no school value (see print/handbook.typ); what only this school used is dropped
        // after a few handouts, so memory stays flat. All of it goes after a large
        // handout (it holds the only write lock here).
        comemo::evict(if large { 0 } else { EVICT_AFTER });
        if large
            || self
                .made
                .fetch_add(1, Ordering::Relaxed)
                .is_multiple_of(RELEASE_EVERY)
        {
            crate::heap::release_freed();
        }
        pdf
    }

    /// A character the fonts lack that got past the checks of chapters, school files and
    /// handbuch.toml (e.g. in the theme's strings): named as such, in the print template
    /// that shows it; the caller adds which handbook (school, locale) it is.
    fn missing_glyph(&self, error: Option<&SourceDiagnostic>) -> Option<Diagnostic> {
        let message = &error?.message;
        if !message.contains("could not be displayed") {
            return None;
        }
        let (_, c) = crate::render::glyphs::first_missing(message)?;
        let message = format!(
            "{} in text the print template shows",
            crate::render::glyphs::message(c)
        );
        Some(
            Diagnostic::error(&self.template_shown_as, message)
                .with_code("theme.no-glyph")
                .with_note(crate::render::glyphs::note()),
        )
    }

    /// A Typst error of `stage` ("print template", "PDF export") as a diagnostic in the
    /// print template, at the place in it that Typst names.
    fn diagnostic(
        &self,
        world: &HandoutWorld,
        error: Option<&SourceDiagnostic>,
        stage: &str,
    ) -> Diagnostic {
        let Some(error) = error else {
            return Diagnostic::error(&self.template_shown_as, format!("{stage} failed"))
                .with_code("theme.print-template");
        };
        let d = Diagnostic::error(
            &self.template_shown_as,
            format!("{stage}: {}", error.message),
        )
        .with_code("theme.print-template");
        let source: std::sync::Arc<str> = std::sync::Arc::from(self.main.text());
        let d = match world.range(error.span) {
            Some(range) if error.span.id() == Some(self.main.id()) => d.at(&source, range),
            _ => d,
        };
        error
            .hints
            .iter()
            .fold(d, |d, hint| d.with_note(hint.v.to_string()))
    }
}

/// Everything the print template reads from `/handbook.json`.
#[derive(Serialize)]
pub(crate) struct PrintDoc<'a> {
    lang: &'a str,
    title: String,
    /// The cover's QR code of the online handbook, when the site has a URL.
    qr: Option<PrintQr>,
    strings: &'a std::collections::BTreeMap<String, String>,
    site: &'a crate::config::Config,
    school: &'a crate::school::School,
    date: PrintDate,
    /// The cover block: label and value pairs.
    facts: Vec<Fact>,
    warnings: Vec<WarningView>,
    chapters: &'a [crate::model::Chapter],
    checklist: Vec<PrintTask<'a>>,
    sources: Vec<SourceView>,
    labels: PrintLabels,
    /// Where the calendar file of the next activation is, if there is one.
    calendar: Option<&'a CalendarHint>,
    hyphenate: PrintHyphenate,
}

/// Whether the cover and the page header are hyphenated. The chapters' text says so
/// itself ([`crate::render::hyphenation`]); these hold the school's values and are
/// hyphenated only if one of them has a word that may not fit.
#[derive(Serialize)]
struct PrintHyphenate {
    cover: bool,
    header: bool,
}

impl PrintHyphenate {
    fn new(title: &str, school: &str, facts: &[Fact], calendar: Option<&CalendarHint>) -> Self {
        let header = long_word_in([title, school]);
        let pieces = calendar.into_iter().flat_map(|c| {
            let texts = c.pieces.iter().filter_map(|piece| match piece {
                Piece::Text(text) => Some(text.as_str()),
                Piece::Arg(_) => None,
            });
            texts.chain([c.target.as_str()])
        });
        let facts = facts
            .iter()
            .flat_map(|f| [f.label.as_str(), f.value.as_str()]);
        PrintHyphenate {
            cover: header || long_word_in(facts.chain(pieces)),
            header,
        }
    }
}

/// Labels formatted from the theme's Fluent messages, so the template never joins words
/// or fills in placeables itself.
#[derive(Serialize)]
struct PrintLabels {
    /// "Abschnitt 2" / "Schritt 3", by chapter or step id.
    headings: BTreeMap<String, String>,
    /// A cross-reference's text, "Schritt 3: Titel", by target id.
    xrefs: BTreeMap<String, String>,
    /// "Abbildung 1", by figure number.
    figures: BTreeMap<String, String>,
    /// Page numbers are known only to the layout: text pieces and placeable positions.
    on_page: Vec<Piece>,
    page_x_of_y: Vec<Piece>,
}

impl PrintLabels {
    fn new(handbook: &Handbook, strings: &Strings) -> PrintLabels {
        let mut headings = BTreeMap::new();
        let mut xrefs = BTreeMap::new();
        let mut figures = Vec::new();
        for chapter in &handbook.chapters {
            let label = strings.chapter_label(chapter.number);
            let xref = strings.xref_label(&label, &plain_text(&chapter.title));
            xrefs.insert(chapter.id.clone(), xref);
            headings.insert(chapter.id.clone(), label);
            figure_numbers(&chapter.intro, &mut figures);
            for step in &chapter.steps {
                let label = strings.step_label(step.number);
                let xref = strings.xref_label(&label, &plain_text(&step.title));
                xrefs.insert(step.id.clone(), xref);
                headings.insert(step.id.clone(), label);
                figure_numbers(&step.blocks, &mut figures);
            }
        }
        PrintLabels {
            headings,
            xrefs,
            figures: figures
                .into_iter()
                .map(|n| (n.to_string(), strings.figure_label(n)))
                .collect(),
            on_page: strings.pieces("on_page", &["n"]),
            page_x_of_y: strings.pieces("page_x_of_y", &["x", "y"]),
        }
    }
}

/// The numbers of the figures among `blocks`, at any depth.
fn figure_numbers(blocks: &[Block], out: &mut Vec<usize>) {
    walk(blocks, &mut |node| {
        if let Node::Block(Block::Figure(figure)) = node {
            out.push(figure.number);
        }
    });
}

/// What the cover prints about its QR code; the image itself is `/qr.svg`.
#[derive(Serialize)]
struct PrintQr {
    url: String,
    /// The image's alternative text, read out in place of the code.
    alt: String,
    /// The line above the URL printed under the code.
    label: String,
}

impl PrintQr {
    fn new(url: &str, strings: &Strings) -> PrintQr {
        PrintQr {
            url: url.to_string(),
            alt: strings.fill("qr_alt", &[("url", url.to_string())]),
            label: strings.get("qr_label").to_string(),
        }
    }
}

/// The handout's document title (PDF `/Title`, shown in the viewer's title bar): the one
/// place it is made.
fn document_title(input: &PageInput) -> String {
    format!(
        "{} – {}",
        input.config.title_for(&input.strings.locale),
        input.school.name
    )
}

#[derive(Serialize)]
struct PrintDate {
    year: i32,
    month: u32,
    day: u32,
}

#[derive(Serialize)]
struct Fact {
    label: String,
    value: String,
}

#[derive(Serialize)]
struct PrintTask<'a> {
    id: &'a str,
    content: &'a [Inline],
    place: String,
    anchor: &'a str,
}

impl<'a> PrintDoc<'a> {
    /// `url` is where the handbook is online ([`crate::site::urls::handbook_url`]): the
    /// cover shows it as a QR code, and prints it, when there is one.
    pub(crate) fn new(
        handbook: &'a Handbook,
        input: &'a PageInput,
        date: NaiveDate,
        url: Option<&str>,
    ) -> PrintDoc<'a> {
        let strings = input.strings;
        let school = input.school;
        let unknown = || strings.get("unknown").to_string();
        let fact = |key: &str, value: String| Fact {
            label: strings.get(key).to_string(),
            value,
        };
        let facts = vec![
            fact("tenant", school.tenant.domain.clone()),
            fact(
                "tenant_admin",
                school.tenant.admin.clone().unwrap_or_else(unknown),
            ),
            fact("contract", school.contract.number.clone()),
            fact(
                "next_activation",
                school
                    .contract
                    .anniversary
                    .map(|d| strings.format_date(d))
                    .unwrap_or_else(unknown),
            ),
            fact("provider", input.config.provider.name.clone()),
            fact("date", input.today.clone()),
        ];
        let checklist = handbook
            .checklist()
            .into_iter()
            .map(|entry| {
                let (place, anchor) = checklist_place(&entry, strings);
                let content = entry.label();
                PrintTask {
                    id: &entry.task.id,
                    content,
                    place,
                    anchor,
                }
            })
            .collect();
        let hyphenate = PrintHyphenate::new(
            input.config.title_for(&strings.locale),
            &school.name,
            &facts,
            input.calendar_hint.as_ref(),
        );
        PrintDoc {
            lang: &handbook.locale,
            title: document_title(input),
            qr: url.map(|url| PrintQr::new(url, strings)),
            strings: strings.all(),
            site: input.config,
            school,
            date: PrintDate {
                year: date.year(),
                month: date.month(),
                day: date.day(),
            },
            facts,
            warnings: warning_views(handbook, strings, input.config),
            chapters: &handbook.chapters,
            checklist,
            sources: source_views(handbook, strings),
            labels: PrintLabels::new(handbook, strings),
            calendar: input.calendar_hint.as_ref(),
            hyphenate,
        }
    }
}

fn file_id(path: &str) -> FileId {
    // The paths are constants or checked by `VirtualPath::new`; fall back to the main file.
    let vpath = VirtualPath::new(path)
        .or_else(|_| VirtualPath::new(MAIN_PATH))
        .expect("constant path is valid");
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

fn typst_date(date: NaiveDate) -> Datetime {
    let (month, day) = (date.month() as u8, date.day() as u8);
    Datetime::from_ymd(date.year(), month, day)
        .unwrap_or_else(|| Datetime::from_ymd(1970, 1, 1).expect("valid date"))
}

/// The Typst world of one handout: the shared template and fonts, this handbook's data.
struct HandoutWorld<'a> {
    renderer: &'a PdfRenderer,
    data: Bytes,
    qr: Option<Bytes>,
    date: NaiveDate,
}

impl World for HandoutWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.renderer.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.renderer.book
    }

    fn main(&self) -> FileId {
        self.renderer.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.renderer.main.id() {
            Ok(self.renderer.main.clone())
        } else {
            Err(FileError::NotSource)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        let path = id.get().vpath().get_with_slash();
        if path == DATA_PATH {
            return Ok(self.data.clone());
        }
        if let (QR_PATH, Some(qr)) = (path, &self.qr) {
            return Ok(qr.clone());
        }
        // Images of the guide live in the project's static/ folder; nothing else is readable.
        let relative = path
            .strip_prefix(STATIC_PREFIX)
            .ok_or_else(|| FileError::NotFound(PathBuf::from(path)))?;
        // Only what the site publishes: no link out of static/, no FIFO to wait on.
        let file = self.renderer.static_dir.join(relative);
        let published = self
            .renderer
            .static_real
            .as_deref()
            .and_then(|dir| crate::walk::plain_file_below(dir, Path::new(relative)));
        published
            .and_then(|path| crate::limits::read_regular(&path).ok())
            .map(Bytes::new)
            .ok_or(FileError::NotFound(file))
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.renderer.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        Some(typst_date(self.date))
    }
}

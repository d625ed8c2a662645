//! Model → HTML pages through the theme's tera templates.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use serde::Serialize;
use tera::{Context, Tera};

use crate::config::{Config, Scope};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::i18n::Strings;
use crate::model::{plain_text, Handbook};
use crate::render::markup::Markup;
use crate::render::meta::PageMeta;
use crate::render::{
    checklist_place, source_views, warning_views, PageInput, SourceView, WarningView,
};
use crate::school::School;
use crate::search;
use crate::warnings::{Counts, SchoolWarning};

/// The theme's page templates, compiled once per build.
pub(crate) struct HtmlRenderer {
    tera: Tera,
    /// [`progress_texts`] by locale and number of boxes: the same few lists for every
    /// handbook, each ~15 Fluent messages (1.5 % of a build when made per page).
    progress: Mutex<HashMap<(String, usize), String>>,
}

/// One link of the language switcher.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Alternate {
    pub locale: String,
    pub name: String,
    /// Relative to the page.
    pub url: String,
    pub current: bool,
}

#[derive(Serialize)]
struct HandbookView<'a> {
    site: &'a tera::Value,
    school: &'a School,
    lang: &'a str,
    t: &'a tera::Value,
    root: &'static str,
    today: &'a str,
    anniversary: Option<String>,
    title: String,
    chapters: Vec<ChapterView>,
    checklist: Vec<ChecklistView>,
    /// JSON list: the progress text for 0, 1, … all items done, for `handbuch.js`.
    checklist_progress: String,
    warnings: Vec<WarningView>,
    sources: Vec<SourceView>,
    alternates: &'a [Alternate],
    pdf_url: Option<&'a str>,
    meta: &'a PageMeta,
    /// The calendar file of the next activation, relative to the page.
    calendar_url: Option<&'a str>,
    /// This page's steps for search, as JSON safe inside `<script>` (write it `| safe`).
    search_steps: String,
    /// The script with the schools to search, relative to the page.
    search_index: String,
}

#[derive(Serialize)]
struct ChapterView {
    number: usize,
    /// "Abschnitt 2".
    label: String,
    id: String,
    title: String,
    title_html: String,
    untranslated: bool,
    intro: String,
    steps: Vec<StepView>,
}

#[derive(Serialize)]
struct StepView {
    number: usize,
    /// "Schritt 3".
    label: String,
    id: String,
    title: String,
    title_html: String,
    html: String,
    warnings: Vec<WarningView>,
}

#[derive(Serialize)]
struct ChecklistView {
    id: String,
    number: usize,
    checked: bool,
    html: String,
    /// Where the item is: "Schritt 4" or "Abschnitt 1", and the anchor.
    place: String,
    anchor: String,
}

/// One row of the overview.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct OverviewRow {
    pub slug: String,
    pub name: String,
    pub tenant: String,
    pub contract: String,
    /// ISO date for sorting, and the display form.
    pub anniversary: Option<String>,
    pub anniversary_display: Option<String>,
    /// In the default locale, most severe first.
    pub warnings: Vec<SchoolWarning>,
    /// How many of each severity: `counts.dangers`, `counts.warnings`, `counts.notes`.
    pub counts: Counts,
    /// The counts in words: "2 Gefahren, 1 Warnung, 0 Hinweise".
    pub counts_text: String,
    pub handbooks: Vec<Alternate>,
}

/// One page of the overview and what every page shares.
pub(crate) struct OverviewPage<'a> {
    /// This page's rows.
    pub rows: &'a [OverviewRow],
    /// 1 for `index.html`.
    pub number: usize,
    pub pages: usize,
    pub summary: &'a OverviewSummary,
    /// Data chunks of every school for the filter and sort (0 when one page holds all).
    pub chunks: usize,
    /// The chunks' path from the site root without the number: `overview/data-`.
    pub data_prefix: &'a str,
    pub page_rows: usize,
}

/// All schools at a glance, on every page of the overview.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct OverviewSummary {
    pub schools: usize,
    /// "5000 Schulen".
    pub schools_text: String,
    /// The findings of all schools by severity.
    pub counts: Counts,
    /// "2 Gefahren, 1 Warnung, 0 Hinweise".
    pub counts_text: String,
}

/// A link of the overview's pager.
#[derive(Serialize)]
struct PageLink {
    number: usize,
    url: String,
    current: bool,
}

/// Page `n` of the overview, relative to a page whose way to the site root is `root`.
pub(crate) fn overview_page_url(root: &str, n: usize) -> String {
    if n == 1 {
        format!("{root}index.html")
    } else {
        format!("{root}overview/{n}.html")
    }
}

impl HtmlRenderer {
    /// [`progress_texts`] for `checklist`, made once per locale and count. A box and its
    /// copy in the collected checklist count once, as in `handbuch.js`.
    fn progress_texts(&self, checklist: &[ChecklistView], strings: &Strings) -> String {
        let total = checklist
            .iter()
            .map(|item| item.id.as_str())
            .collect::<std::collections::BTreeSet<_>>()
            .len();
        // Bounded: a guide whose count of boxes differs from school to school must not
        // make the memo grow with the square of the counts.
        const KEPT: usize = 64;
        const LARGEST_KEPT: usize = 256;
        let key = (strings.locale.clone(), total);
        let memo = || self.progress.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(texts) = memo().get(&key) {
            return texts.clone();
        }
        // Made outside the lock: the other worker need not wait for Fluent.
        let texts = progress_texts(total, strings);
        let mut made = memo();
        if made.len() < KEPT && total <= LARGEST_KEPT {
            made.insert(key, texts.clone());
        }
        texts
    }

    pub(crate) fn new(theme: &crate::theme::Theme) -> Result<HtmlRenderer, Diagnostics> {
        let mut tera = Tera::new();
        tera.autoescape_on([".html"]);
        let mut problems = Diagnostics::default();
        let templates: Vec<(String, String)> = theme
            .files_under("templates")
            .map(|(name, bytes)| {
                (
                    name.to_string(),
                    String::from_utf8_lossy(bytes).into_owned(),
                )
            })
            .collect();
        if let Err(e) = tera.add_raw_templates(templates) {
            problems.push(
                Diagnostic::error(format!("themes/{}/templates", theme.name()), e.to_string())
                    .with_code("theme.template"),
            );
        }
        for required in ["handbook.html", "overview.html"] {
            if problems.is_empty() && !tera.contains_template(required) {
                problems.push(
                    Diagnostic::error(
                        format!("themes/{}/templates/{required}", theme.name()),
                        "template missing",
                    )
                    .with_code("theme.template-missing"),
                );
            }
        }
        problems.finish(HtmlRenderer {
            tera,
            progress: Mutex::default(),
        })
    }

    /// The page `<locale>/<slug>/index.html`.
    pub(crate) fn handbook(
        &self,
        handbook: &Handbook,
        input: &PageInput,
    ) -> Result<String, Diagnostic> {
        let markup = Markup {
            strings: input.strings,
            root: "../../",
            templates: &self.tera,
        };
        let warnings = warning_views(handbook, input.strings, input.config);
        let chapters = handbook
            .chapters
            .iter()
            .map(|c| chapter_view(c, &markup, &warnings))
            .collect::<Result<_, _>>()?;
        let checklist: Vec<ChecklistView> = handbook
            .checklist()
            .into_iter()
            .map(|entry| {
                let (place, anchor) = checklist_place(&entry, input.strings);
                Ok(ChecklistView {
                    id: entry.task.id.clone(),
                    number: entry.task.number,
                    checked: entry.task.checked,
                    html: markup.inlines(entry.label())?,
                    place,
                    anchor: anchor.to_string(),
                })
            })
            .collect::<Result<_, Diagnostic>>()?;
        let view = HandbookView {
            site: input.site,
            school: input.school,
            lang: &handbook.locale,
            t: input.strings.all_value(),
            root: "../../",
            today: &input.today,
            anniversary: input
                .school
                .contract
                .anniversary
                .map(|d| input.strings.format_date(d)),
            title: format!(
                "{} – {}",
                input.config.title_for(&handbook.locale),
                input.school.name
            ),
            chapters,
            checklist_progress: self.progress_texts(&checklist, input.strings),
            checklist,
            warnings,
            sources: source_views(handbook, input.strings),
            alternates: &input.alternates,
            pdf_url: input.pdf_url.as_deref(),
            meta: &input.meta,
            calendar_url: input.calendar_url.as_deref(),
            search_steps: search::embedded_json(&search::step_docs(handbook, input.strings)),
            search_index: match input.config.publish.scope {
                Scope::Provider => format!("../../assets/search-{}.js", handbook.locale),
                Scope::School => search::HANDBOOK_INDEX.to_string(),
            },
        };
        self.render("handbook.html", &view)
    }

    /// One page of the overview: `index.html` (page 1) or `overview/<n>.html`.
    pub(crate) fn overview(
        &self,
        config: &Config,
        strings: &Strings,
        today: &str,
        page: &OverviewPage,
        meta: &PageMeta,
        calendar_url: Option<&str>,
    ) -> Result<String, Diagnostic> {
        #[derive(Serialize)]
        struct OverviewView<'a> {
            #[serde(flatten)]
            page: RootView<'a>,
            schools: &'a [OverviewRow],
            /// "Seite 2" on pages after the first, for the title and heading.
            page_label: Option<String>,
            /// Every page, for the pager (empty when there is only one).
            pages: Vec<PageLink>,
            summary: &'a OverviewSummary,
            /// How many data chunks the filter and sort load (0: the rows above are all).
            chunks: usize,
            /// The chunks' path without the number and `.js`, relative to the page.
            data_prefix: String,
            /// How many rows the script shows at a time.
            page_rows: usize,
            search_index: String,
            /// The provider's calendar with every school's next activation, if written.
            calendar_url: Option<String>,
        }
        let root = if page.number == 1 { "" } else { "../" };
        let page_label = (page.number > 1).then(|| {
            strings.plural(
                "overview_page",
                i64::try_from(page.number).unwrap_or(i64::MAX),
            )
        });
        let title = match &page_label {
            Some(label) => format!("{} – {label}", config.title_for(&strings.locale)),
            None => config.title_for(&strings.locale).to_string(),
        };
        let pages = if page.pages > 1 {
            (1..=page.pages)
                .map(|n| PageLink {
                    number: n,
                    url: overview_page_url(root, n),
                    current: n == page.number,
                })
                .collect()
        } else {
            Vec::new()
        };
        let mut root_view = RootView::new(config, strings, today, meta);
        root_view.root = root;
        root_view.title = &title;
        let view = OverviewView {
            page: root_view,
            schools: page.rows,
            page_label,
            pages,
            summary: page.summary,
            chunks: page.chunks,
            data_prefix: format!("{root}{}", page.data_prefix),
            page_rows: page.page_rows,
            search_index: format!("{root}assets/search-{}.js", strings.locale),
            calendar_url: calendar_url.map(|url| format!("{root}{url}")),
        };
        self.render("overview.html", &view)
    }

    /// School scope: the page `index.html`, which names no school and links to none.
    pub(crate) fn landing(
        &self,
        config: &Config,
        strings: &Strings,
        today: &str,
        meta: &PageMeta,
    ) -> Result<String, Diagnostic> {
        let view = RootView::new(config, strings, today, meta);
        self.render("landing.html", &view)
    }

    fn render(&self, template: &str, view: &impl Serialize) -> Result<String, Diagnostic> {
        let _watched = crate::budget::watch(|| format!("the theme's `templates/{template}`"));
        let context = Context::from_serialize(view)
            .map_err(|e| Diagnostic::error(template, e.to_string()).with_code("theme.template"))?;
        self.tera.render(template, &context).map_err(|e| {
            Diagnostic::error(format!("templates/{template}"), e.to_string())
                .with_code("theme.template")
        })
    }
}

/// The checklist's progress for every count of `total` boxes done, so the script picks
/// one and never fills in Fluent placeables itself.
fn progress_texts(total: usize, strings: &Strings) -> String {
    let texts: Vec<String> = (0..=total)
        .map(|done| strings.checklist_progress(done, total))
        .collect();
    // A list of strings always serializes.
    serde_json::to_string(&texts).unwrap_or_else(|_| "[]".to_string())
}

fn chapter_view(
    chapter: &crate::model::Chapter,
    markup: &Markup,
    warnings: &[WarningView],
) -> Result<ChapterView, Diagnostic> {
    Ok(ChapterView {
        number: chapter.number,
        label: markup.strings.chapter_label(chapter.number),
        id: chapter.id.clone(),
        title: plain_text(&chapter.title),
        title_html: markup.inlines(&chapter.title)?,
        untranslated: chapter.fallback_from.is_some(),
        intro: markup.blocks(&chapter.intro)?,
        steps: chapter
            .steps
            .iter()
            .map(|s| {
                Ok(StepView {
                    number: s.number,
                    label: markup.strings.step_label(s.number),
                    id: s.id.clone(),
                    title: plain_text(&s.title),
                    title_html: markup.inlines(&s.title)?,
                    html: markup.blocks(&s.blocks)?,
                    warnings: warnings
                        .iter()
                        .filter(|w| w.step_id == s.id)
                        .cloned()
                        .collect(),
                })
            })
            .collect::<Result<_, Diagnostic>>()?,
    })
}

/// What `base.html` needs on a page at the site root: the overview and the landing page
/// of school scope.
#[derive(Serialize)]
struct RootView<'a> {
    site: &'a Config,
    lang: &'a str,
    t: &'a tera::Value,
    root: &'static str,
    today: &'a str,
    title: &'a str,
    meta: &'a PageMeta,
}

impl<'a> RootView<'a> {
    fn new(
        config: &'a Config,
        strings: &'a Strings,
        today: &'a str,
        meta: &'a PageMeta,
    ) -> RootView<'a> {
        RootView {
            site: config,
            lang: &strings.locale,
            t: strings.all_value(),
            root: "",
            today,
            title: config.title_for(&strings.locale),
            meta,
        }
    }
}

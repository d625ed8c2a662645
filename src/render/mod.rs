//! Renderers: they read the document model and never parse Markdown. The only files
//! they read are the guide's images in `static/`, which the PDF embeds.
//! What both renderers need besides the model is prepared here once.

pub(crate) mod fonts;
pub(crate) mod glyphs;
pub(crate) mod html;
pub(crate) mod hyphenation;
pub(crate) mod image_check;
pub(crate) mod markup;
pub(crate) mod meta;
pub(crate) mod pdf;
pub(crate) mod qr;
pub(crate) mod sanitize;

use serde::Serialize;

use crate::config::Config;
use crate::i18n::Strings;
use crate::model::{ChecklistEntry, Handbook};
use crate::school::School;
use crate::warnings::localize;

/// Everything a handbook page needs besides the model.
pub(crate) struct PageInput<'a> {
    pub config: &'a Config,
    /// `config` as a template value (shared, not copied per page).
    pub site: &'a tera::Value,
    pub school: &'a School,
    pub strings: &'a Strings,
    pub today: String,
    pub alternates: Vec<html::Alternate>,
    /// Link to the PDF handout, relative to the page, if one is made.
    pub pdf_url: Option<String>,
    /// The page's `<head>` metadata.
    pub meta: meta::PageMeta,
    /// Link to the calendar file of the next activation, relative to the page, if any.
    pub calendar_url: Option<String>,
    /// Where the PDF says the calendar file is, if there is one.
    pub calendar_hint: Option<CalendarHint>,
}

/// The PDF's hint where the calendar file is ("Kalendereintrag: <URL>"): the message as
/// text pieces around its placeable, which the print layout fills with `target`, as a
/// link when `url` is set.
#[derive(Serialize)]
pub(crate) struct CalendarHint {
    pub pieces: Vec<crate::i18n::Piece>,
    /// The address or the file name the placeable shows.
    pub target: String,
    pub url: Option<String>,
}

/// A school warning as both outputs show it: in words, with the step it belongs to.
#[derive(Serialize, Clone)]
pub(crate) struct WarningView {
    pub id: &'static str,
    pub severity: &'static str,
    pub severity_label: String,
    pub text: String,
    /// Empty when the guide has no step with the warning's id.
    pub step_id: String,
    pub step_label: String,
}

/// The handbook's findings in the words of its locale, each with the number of the
/// step it belongs to (`[warnings.steps]` or its kind's default).
pub(crate) fn warning_views(
    handbook: &Handbook,
    strings: &Strings,
    config: &Config,
) -> Vec<WarningView> {
    handbook
        .warnings
        .iter()
        .map(|w| {
            let step_id = w.kind.step(&config.warnings);
            let step = handbook
                .steps()
                .find(|(_, s)| s.id == step_id)
                .map(|(_, s)| s);
            WarningView {
                id: w.id(),
                severity: w.severity().name(),
                severity_label: strings
                    .get(&format!("severity_{}", w.severity().name()))
                    .to_string(),
                text: localize(w, strings, config.portal.edition),
                step_id: step.map(|s| s.id.clone()).unwrap_or_default(),
                step_label: step
                    .map(|s| strings.step_label(s.number))
                    .unwrap_or_default(),
            }
        })
        .collect()
}

/// A source as both outputs list it at the end of the handbook.
#[derive(Serialize, Clone)]
pub(crate) struct SourceView {
    pub title: String,
    pub url: String,
    /// "geprüft am 20.11.2026" / "checked 20 November 2026".
    pub checked: String,
}

pub(crate) fn source_views(handbook: &Handbook, strings: &Strings) -> Vec<SourceView> {
    handbook
        .sources
        .iter()
        .map(|s| SourceView {
            title: s.title.clone(),
            url: s.url.clone(),
            checked: strings.fill(
                "source_checked",
                &[("date", strings.format_date(s.checked))],
            ),
        })
        .collect()
}

/// Where a checklist item belongs, as both outputs show it: ("Schritt 4", "vlsc-login"),
/// or the chapter for items before its first step.
pub(crate) fn checklist_place<'a>(
    entry: &ChecklistEntry<'a>,
    strings: &Strings,
) -> (String, &'a str) {
    match entry.step {
        Some(step) => (strings.step_label(step.number), step.id.as_str()),
        None => (
            strings.chapter_label(entry.chapter.number),
            entry.chapter.id.as_str(),
        ),
    }
}

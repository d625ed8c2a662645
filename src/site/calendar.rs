//! Calendar files for the yearly activation: `<slug>.ics` beside each
//! handbook of a school with a `contract.anniversary`, and `activations.ics` with every
//! school for the provider. What the events say comes from the theme's Fluent messages.

use crate::config::Config;
use crate::i18n::Strings;
use crate::ics::{self, Alarm, Event, Header};
use crate::project::Project;
use crate::publish::Layout;
use crate::render::CalendarHint;
use crate::school::School;
use chrono::{DateTime, NaiveDate};
use rayon::prelude::*;

/// The provider's calendar with every school, at the root of the site.
pub(crate) const PROVIDER_CALENDAR: &str = "activations.ics";
/// Reminders before the activation, in days.
const REMINDER_DAYS: [u32; 2] = [30, 7];
/// The UID's domain part when the site has no `base_url`.
const NO_SITE: &str = "handbuch";

/// The absolute address of a handbook page (in school scope its private one), when
/// `base_url` says where the site is published; `None` otherwise (a relative link means
/// nothing inside a calendar).
fn handbook_url(layout: &Layout, locale: &str, slug: &str) -> Option<String> {
    layout.handbook(slug, locale).url
}

/// The calendar file's name, in the handbook's folder.
pub(crate) fn file_name(slug: &str) -> String {
    format!("{slug}.ics")
}

/// The event's UID: `activation-<slug>@<site>`, the site being `base_url` without its
/// scheme. It leaves out the locale, the school's name and the date, so the files of
/// every locale, of every build and of a re-import all name one event, and a client
/// updates it instead of adding a second one.
pub(crate) fn uid(config: &Config, slug: &str) -> String {
    format!("activation-{slug}@{}", site_id(&config.base_url))
}

/// `https://Help.example.org/lizenzen/` → `help.example.org/lizenzen`.
fn site_id(base_url: &str) -> String {
    let rest = base_url.split_once("://").map_or(base_url, |(_, r)| r);
    let rest = rest.split(['?', '#']).next().unwrap_or_default();
    let rest = rest.trim_end_matches('/');
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    // A user name and password before the host are no part of the site's name.
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    match (host.is_empty(), path.is_empty()) {
        (true, _) => NO_SITE.to_string(),
        (false, true) => host.to_ascii_lowercase(),
        (false, false) => format!("{}/{path}", host.to_ascii_lowercase()),
    }
}

/// SEQUENCE is the build date as days since 1970-01-01. Builds keep no state, so this
/// is how a moved anniversary gets a higher SEQUENCE than the event a client already
/// has (RFC 5546 §2.1.5); the same `--today` gives the same number.
fn sequence(today: NaiveDate) -> u32 {
    let days = today.signed_duration_since(DateTime::UNIX_EPOCH.date_naive());
    u32::try_from(days.num_days()).unwrap_or(0)
}

/// The school's next activation as an event in `strings`' words; `None` without an
/// anniversary.
fn activation(
    config: &Config,
    school: &School,
    strings: &Strings,
    url: Option<&str>,
    today: NaiveDate,
) -> Option<Event> {
    let date = school.contract.anniversary?;
    let name = ("school", school.name.clone());
    let shown_date = ("date", strings.format_date(date));
    let mut description = strings.fill(
        "calendar_description",
        &[
            name.clone(),
            ("contract", school.contract.number.clone()),
            ("tenant", school.tenant.domain.clone()),
            shown_date.clone(),
        ],
    );
    if let Some(url) = url {
        description.push_str("\n\n");
        description.push_str(&strings.fill("calendar_handbook", &[("url", url.to_string())]));
    }
    let alarms = REMINDER_DAYS
        .iter()
        .map(|&days| Alarm {
            days_before: days,
            description: strings.fill(
                "calendar_alarm",
                &[
                    name.clone(),
                    ("days", strings.plural("days", i64::from(days))),
                    shown_date.clone(),
                ],
            ),
        })
        .collect();
    Some(Event {
        uid: uid(config, &school.slug),
        sequence: sequence(today),
        stamp: today,
        date,
        summary: strings.fill("calendar_summary", &[name]),
        description,
        url: url.map(str::to_string),
        alarms,
    })
}

fn prodid(locale: &str) -> String {
    format!("-//handbuch//NONSGML handbuch//{}", locale.to_uppercase())
}

/// The calendar file of one handbook; `None` for a school without an anniversary.
pub(crate) fn school_calendar(
    config: &Config,
    layout: &Layout,
    school: &School,
    strings: &Strings,
    locale: &str,
    today: NaiveDate,
) -> Option<String> {
    let url = handbook_url(layout, locale, &school.slug);
    let event = activation(config, school, strings, url.as_deref(), today)?;
    let header = Header {
        prodid: &prodid(locale),
        name: None,
    };
    Some(ics::calendar(&header, &[event]))
}

/// The provider's calendar in pieces: the lines around the events, and each school's
/// event (by its index in the project) — so the final gate can read one event at a time
/// and name the school whose event holds a key.
pub(crate) struct ProviderCalendar {
    pub head: String,
    pub events: Vec<(usize, String)>,
    pub tail: String,
}

impl ProviderCalendar {
    /// The whole file, piece by piece.
    pub(crate) fn parts(&self) -> impl Iterator<Item = &[u8]> {
        std::iter::once(self.head.as_bytes())
            .chain(self.events.iter().map(|(_, event)| event.as_bytes()))
            .chain(std::iter::once(self.tail.as_bytes()))
    }
}

/// The provider's calendar: every school's next activation in the default locale, each
/// with the UID of its own handbook's file. `None` when no school has an anniversary
/// (a calendar needs at least one event).
pub(crate) fn provider_calendar(
    project: &Project,
    layout: &Layout,
    today: NaiveDate,
) -> Option<ProviderCalendar> {
    let config = &project.config;
    let locale = &config.default_locale;
    let strings = project.strings(locale);
    // 40,000 events take seconds to word (Fluent): both cores make them.
    let events: Vec<(usize, String)> = project
        .schools
        .par_iter()
        .enumerate()
        .filter_map(|(i, school)| {
            // The school's handbook in the default locale, else in its first one.
            let shown = school
                .locales
                .iter()
                .find(|l| *l == locale)
                .or(school.locales.first())
                .unwrap_or(locale);
            let url = handbook_url(layout, shown, &school.slug);
            let event = activation(config, school, &strings, url.as_deref(), today)?;
            let mut text = ics::event(&event);
            text.shrink_to_fit();
            Some((i, text))
        })
        .collect();
    if events.is_empty() {
        return None;
    }
    let name = strings.fill(
        "calendar_name",
        &[("site", config.title_for(locale).to_string())],
    );
    let header = Header {
        prodid: &prodid(locale),
        name: Some(&name),
    };
    let (head, tail) = ics::frame(&header);
    Some(ProviderCalendar { head, events, tail })
}

/// Where the PDF says the calendar file is: its address when `base_url` is set, else its
/// file name; `None` for a school without an anniversary.
pub(crate) fn pdf_hint(
    layout: &Layout,
    school: &School,
    strings: &Strings,
    locale: &str,
) -> Option<CalendarHint> {
    school.contract.anniversary?;
    let file = file_name(&school.slug);
    Some(match handbook_url(layout, locale, &school.slug) {
        Some(page) => {
            let url = format!("{page}{file}");
            CalendarHint {
                pieces: strings.pieces("calendar_pdf_hint", &["url"]),
                target: url.clone(),
                url: Some(url),
            }
        }
        None => CalendarHint {
            pieces: strings.pieces("calendar_pdf_hint_file", &["file"]),
            target: file,
            url: None,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_site_id_is_the_base_url_without_scheme_query_or_trailing_slash() {
        assert_eq!(
            site_id("https://Help.Example.org/lizenzen/"),
            "help.example.org/lizenzen"
        );
        assert_eq!(site_id("https://help.example.org"), "help.example.org");
        assert_eq!(site_id("http://u:p@h.example/x?y#z"), "h.example/x");
        assert_eq!(site_id(""), "handbuch");
    }

    #[test]
    fn the_sequence_counts_days_since_1970() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
        assert_eq!(sequence(day(1970, 1, 2)), 1);
        assert_eq!(sequence(day(1969, 12, 31)), 0);
        assert!(sequence(day(2026, 11, 26)) > sequence(day(2026, 11, 25)));
    }
}

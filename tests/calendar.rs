//! Calendar files for the yearly activation (issue 17, part 3): `<slug>.ics` beside each
//! handbook of a school with an anniversary, `activations.ics` for the provider. They
//! are read with the `ical` crate, a parser that shares no code with our writer.

mod common;

use std::io::BufReader;

use common::pdf::pdf_text;
use common::Project;
use ical::parser::ical::component::{IcalCalendar, IcalEvent};
use ical::property::Property;

/// tests/fixtures/basic: `evil` has `anniversary = 2027-01-15`, `manual` has none;
/// `base_url = "https://help.example.org/test"`, locale `de`.
const EVIL_ICS: &str = "public/de/evil/evil.ics";
const PROVIDER_ICS: &str = "public/activations.ics";

fn basic() -> Project {
    Project::fixture("basic")
}

/// Parse a file's text into its one calendar.
fn parse(text: &str) -> IcalCalendar {
    let mut calendars = ical::IcalParser::new(BufReader::new(text.as_bytes()));
    let calendar = calendars
        .next()
        .expect("one calendar")
        .unwrap_or_else(|e| panic!("not iCalendar: {e}\n{text}"));
    assert!(calendars.next().is_none(), "more than one VCALENDAR");
    calendar
}

fn only_event(calendar: &IcalCalendar) -> &IcalEvent {
    assert_eq!(calendar.events.len(), 1, "{calendar:?}");
    &calendar.events[0]
}

/// The value of the one property `name` (as written, unfolded, still escaped).
fn value<'a>(properties: &'a [Property], name: &str) -> &'a str {
    let found: Vec<&Property> = properties.iter().filter(|p| p.name == name).collect();
    assert_eq!(found.len(), 1, "{name} in {properties:?}");
    found[0].value.as_deref().unwrap_or_default()
}

fn params(properties: &[Property], name: &str) -> Vec<(String, Vec<String>)> {
    properties
        .iter()
        .find(|p| p.name == name)
        .and_then(|p| p.params.clone())
        .unwrap_or_default()
}

/// RFC 5545 §3.3.11, read back by the test itself: `\\`, `\;`, `\,`, `\n`/`\N`.
fn unescape(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 'N') => out.push('\n'),
            Some(c @ ('\\' | ';' | ',')) => out.push(c),
            other => panic!("invalid escape \\{other:?} in {text:?}"),
        }
    }
    out
}

fn evil_event(p: &Project) -> IcalEvent {
    only_event(&parse(&p.read(EVIL_ICS))).clone()
}

#[test]
fn the_event_is_all_day_on_the_anniversary_and_ends_the_next_day() {
    let p = basic();
    p.built_html();
    let calendar = parse(&p.read(EVIL_ICS));
    assert_eq!(value(&calendar.properties, "VERSION"), "2.0");
    assert_eq!(value(&calendar.properties, "CALSCALE"), "GREGORIAN");
    assert_eq!(
        value(&calendar.properties, "PRODID"),
        "-//handbuch//NONSGML handbuch//DE"
    );
    let event = only_event(&calendar);
    let date = vec![("VALUE".to_string(), vec!["DATE".to_string()])];
    assert_eq!(value(&event.properties, "DTSTART"), "20270115");
    assert_eq!(params(&event.properties, "DTSTART"), date);
    assert_eq!(value(&event.properties, "DTEND"), "20270116");
    assert_eq!(params(&event.properties, "DTEND"), date);
}

#[test]
fn a_year_end_anniversary_ends_on_new_years_day() {
    let p = basic();
    p.edit(
        "content/schools/evil.toml",
        "anniversary = 2027-01-15",
        "anniversary = 2027-12-31",
    );
    p.built_html();
    let event = evil_event(&p);
    assert_eq!(value(&event.properties, "DTSTART"), "20271231");
    assert_eq!(value(&event.properties, "DTEND"), "20280101");
}

#[test]
fn the_event_reminds_30_and_7_days_before_with_a_text() {
    let p = basic();
    p.built_html();
    let event = evil_event(&p);
    let alarms: Vec<(&str, &str, String)> = event
        .alarms
        .iter()
        .map(|a| {
            (
                value(&a.properties, "ACTION"),
                value(&a.properties, "TRIGGER"),
                unescape(value(&a.properties, "DESCRIPTION")),
            )
        })
        .collect();
    let name = "<script>alert(1)</script> & *Co*";
    assert_eq!(
        alarms,
        [
            (
                "DISPLAY",
                "-P30D",
                format!("In 30 Tagen, am 15.01.2027: Lizenzen für {name} aktivieren")
            ),
            (
                "DISPLAY",
                "-P7D",
                format!("In 7 Tagen, am 15.01.2027: Lizenzen für {name} aktivieren")
            ),
        ]
    );
}

#[test]
fn the_event_carries_the_absolute_handbook_url() {
    let p = basic();
    p.built_html();
    let event = evil_event(&p);
    let url = "https://help.example.org/test/de/evil/";
    assert_eq!(value(&event.properties, "URL"), url);
    // Clients that ignore URL show the description, which names it too.
    let description = unescape(value(&event.properties, "DESCRIPTION"));
    assert!(
        description.ends_with(&format!("\n\nHandbuch: {url}")),
        "{description}"
    );
}

#[test]
fn without_base_url_the_event_has_no_url() {
    let p = basic();
    p.edit(
        "handbuch.toml",
        "base_url = \"https://help.example.org/test\"\n",
        "",
    );
    p.built_html();
    let event = evil_event(&p);
    assert!(!event.properties.iter().any(|p| p.name == "URL"));
    assert_eq!(value(&event.properties, "UID"), "activation-evil@handbuch");
}

#[test]
fn uid_stamp_and_sequence_are_fixed_by_slug_site_and_today() {
    let p = basic();
    p.built_html();
    let event = evil_event(&p);
    assert_eq!(
        value(&event.properties, "UID"),
        "activation-evil@help.example.org/test"
    );
    assert_eq!(value(&event.properties, "DTSTAMP"), "20261125T000000Z");
    // Days from 1970-01-01 to 2026-11-25 (common::TODAY).
    assert_eq!(value(&event.properties, "SEQUENCE"), "20782");
}

#[test]
fn a_later_build_with_a_moved_date_keeps_the_uid_and_raises_the_sequence() {
    let p = basic();
    p.built_html();
    let before = evil_event(&p);
    p.edit(
        "content/schools/evil.toml",
        "anniversary = 2027-01-15",
        "anniversary = 2028-01-15",
    );
    let mut options = p.options();
    options.pdf = false;
    options.today = chrono::NaiveDate::from_ymd_opt(2027, 1, 20).expect("date");
    handbuch::build(&options).expect("build");
    let after = evil_event(&p);
    assert_eq!(
        value(&after.properties, "UID"),
        value(&before.properties, "UID")
    );
    assert_eq!(value(&after.properties, "DTSTART"), "20280115");
    let sequence = |e: &IcalEvent| -> u32 { value(&e.properties, "SEQUENCE").parse().expect("n") };
    assert!(sequence(&after) > sequence(&before));
}

#[test]
fn a_renamed_school_keeps_its_uid() {
    let p = basic();
    p.built_html();
    let before = evil_event(&p);
    p.edit(
        "content/schools/evil.toml",
        "name = \"<script>alert(1)</script> & *Co*\"",
        "name = \"Ganz andere Schule\"",
    );
    p.built_html();
    let after = evil_event(&p);
    assert_eq!(
        value(&after.properties, "SUMMARY"),
        "Lizenzen aktivieren: Ganz andere Schule"
    );
    assert_eq!(
        value(&after.properties, "UID"),
        value(&before.properties, "UID")
    );
}

#[test]
fn two_builds_write_byte_identical_calendars() {
    let p = basic();
    p.built_html();
    let first = (p.read(EVIL_ICS), p.read(PROVIDER_ICS));
    p.built_html();
    assert_eq!((p.read(EVIL_ICS), p.read(PROVIDER_ICS)), first);
}

/// A name with every TEXT special but the newline (a name cannot hold one), and odd
/// Unicode the handout can print: combining marks, Greek, Cyrillic, a three-byte €, a
/// no-break space (emoji or CJK are refused: the handout's fonts have no glyphs).
const ODD_NAME: &str = "Schule A, B; C\\\\ D – Zoe\u{301} Ωμέγα € Ёж\u{a0}Straße";

fn odd_school() -> Project {
    let p = basic();
    p.edit(
        "content/schools/evil.toml",
        "name = \"<script>alert(1)</script> & *Co*\"",
        &format!("name = \"{ODD_NAME}\""),
    );
    p.built_html();
    p
}

#[test]
fn summary_escapes_comma_semicolon_and_backslash_and_reads_back_as_the_name() {
    let p = odd_school();
    let name = ODD_NAME.replace("\\\\", "\\");
    let summary = value(&evil_event(&p).properties, "SUMMARY").to_string();
    assert_eq!(
        summary,
        "Lizenzen aktivieren: Schule A\\, B\\; C\\\\ D – Zoe\u{301} Ωμέγα € Ёж\u{a0}Straße"
    );
    assert_eq!(unescape(&summary), format!("Lizenzen aktivieren: {name}"));
    let provider = parse(&p.read(PROVIDER_ICS));
    assert!(provider
        .events
        .iter()
        .any(|e| value(&e.properties, "SUMMARY") == summary));
}

#[test]
fn lines_end_in_crlf_and_fold_at_75_octets() {
    let p = odd_school();
    for file in [EVIL_ICS, PROVIDER_ICS] {
        let text = p.read(file);
        assert!(text.ends_with("END:VCALENDAR\r\n"), "{file}");
        let lines: Vec<&str> = text.trim_end_matches("\r\n").split("\r\n").collect();
        for line in &lines {
            assert!(!line.contains('\n') && !line.contains('\r'), "{line:?}");
            assert!(line.len() <= 75, "{file}: {} octets: {line:?}", line.len());
        }
        assert!(
            lines.iter().any(|l| l.starts_with(' ')),
            "{file}: nothing folded"
        );
    }
}

#[test]
fn the_handbook_page_links_the_calendar_at_the_activation_date() {
    let p = basic();
    p.built_html();
    let page = p.page("de", "evil");
    assert!(
        page.contains(
            "<dt>Nächste Aktivierung</dt><dd>15.01.2027</dd><dd class=\"calendar\"><a \
             class=\"calendar-link\" href=\"evil.ics\" type=\"text/calendar\" download>\
             Termin in den Kalender übernehmen (.ics)</a></dd>"
        ),
        "{page}"
    );
}

#[test]
fn a_school_without_anniversary_has_no_calendar_and_no_link() {
    let p = basic();
    p.built();
    assert!(!p.path("public/de/manual/manual.ics").exists());
    assert!(!p.page("de", "manual").contains("calendar-link"));
    let pdf = pdf_text(&p.path("public/de/manual/manual.pdf"));
    assert!(!pdf.contains("Kalendereintrag"), "{pdf}");
    let provider = parse(&p.read(PROVIDER_ICS));
    assert!(!provider
        .events
        .iter()
        .any(|e| value(&e.properties, "UID").contains("manual")));
}

/// pdftotext breaks a long address where the line ends: compare without spaces.
fn squeezed(text: &str) -> String {
    text.split_whitespace().collect()
}

#[test]
fn the_pdf_prints_the_calendar_address() {
    let p = basic();
    p.built();
    let pdf = pdf_text(&p.path("public/de/evil/evil.pdf"));
    assert!(
        squeezed(&pdf).contains(&squeezed(
            "Kalendereintrag für die nächste Aktivierung: \
             https://help.example.org/test/de/evil/evil.ics"
        )),
        "{pdf}"
    );
}

#[test]
fn without_base_url_the_pdf_names_the_calendar_file() {
    let p = basic();
    p.edit(
        "handbuch.toml",
        "base_url = \"https://help.example.org/test\"\n",
        "",
    );
    p.built();
    let pdf = pdf_text(&p.path("public/de/evil/evil.pdf"));
    assert!(
        pdf.contains(
            "Kalendereintrag für die nächste Aktivierung: die Datei evil.ics neben diesem \
             Handbuch auf der Hilfeseite"
        ),
        "{pdf}"
    );
}

#[test]
fn the_provider_calendar_has_every_school_with_the_uids_of_their_own_files() {
    let p = basic();
    p.write(
        "content/schools/zweite.toml",
        "name = \"Zweite Schule\"\n[tenant]\ndomain = \"zweite.onmicrosoft.com\"\n\
         [contract]\nnumber = \"V3000003\"\nanniversary = 2027-03-01\n\
         [assignment]\nmode = \"manual\"\n",
    );
    p.built_html();
    let provider = parse(&p.read(PROVIDER_ICS));
    assert_eq!(
        value(&provider.properties, "X-WR-CALNAME"),
        "Test-Handbuch: Aktivierungstermine"
    );
    let mut seen: Vec<(String, String, String)> = provider
        .events
        .iter()
        .map(|e| {
            (
                value(&e.properties, "UID").to_string(),
                value(&e.properties, "DTSTART").to_string(),
                value(&e.properties, "URL").to_string(),
            )
        })
        .collect();
    seen.sort();
    let own = |slug: &str| {
        let file = format!("public/de/{slug}/{slug}.ics");
        let calendar = parse(&p.read(&file));
        let event = only_event(&calendar);
        (
            value(&event.properties, "UID").to_string(),
            value(&event.properties, "DTSTART").to_string(),
            value(&event.properties, "URL").to_string(),
        )
    };
    assert_eq!(seen, [own("evil"), own("zweite")]);
    assert_eq!(seen[1].2, "https://help.example.org/test/de/zweite/");
    for event in &provider.events {
        assert_eq!(event.alarms.len(), 2);
    }
}

#[test]
fn the_overview_links_the_provider_calendar() {
    let p = basic();
    p.built_html();
    let overview = p.read("public/index.html");
    assert!(
        overview.contains(
            "<a class=\"calendar-link\" href=\"activations.ics\" type=\"text/calendar\" \
             download>Alle Aktivierungstermine als Kalender (.ics)</a>"
        ),
        "{overview}"
    );
}

#[test]
fn without_any_anniversary_there_is_no_provider_calendar_and_no_link() {
    let p = basic();
    p.edit(
        "content/schools/evil.toml",
        "anniversary = 2027-01-15\n",
        "",
    );
    p.built_html();
    assert!(!p.path(PROVIDER_ICS).exists());
    assert!(!p.path(EVIL_ICS).exists());
    assert!(!p.read("public/index.html").contains("calendar-link"));
}

#[test]
fn an_english_handbook_gets_an_english_calendar() {
    let p = basic();
    p.edit(
        "handbuch.toml",
        "locales = [\"de\"]",
        "locales = [\"de\", \"en\"]",
    );
    p.built_html();
    let event = only_event(&parse(&p.read("public/en/evil/evil.ics"))).clone();
    let summary = unescape(value(&event.properties, "SUMMARY"));
    assert_eq!(
        summary,
        "Activate licenses: <script>alert(1)</script> & *Co*"
    );
    assert_eq!(
        value(&event.properties, "URL"),
        "https://help.example.org/test/en/evil/"
    );
    let alarm = unescape(value(&event.alarms[0].properties, "DESCRIPTION"));
    assert!(
        alarm.starts_with("In 30 days, on 15 January 2027:"),
        "{alarm}"
    );
    // One event for the school: both locales' files name the same UID.
    assert_eq!(
        value(&event.properties, "UID"),
        value(&evil_event(&p).properties, "UID")
    );
    assert!(p
        .page("en", "evil")
        .contains(">Add to your calendar (.ics)</a>"));
}

#[test]
fn a_partial_rebuild_removes_the_calendars_of_a_school_that_lost_its_anniversary() {
    let p = basic();
    p.built_html();
    assert!(p.path(EVIL_ICS).exists() && p.path(PROVIDER_ICS).exists());
    p.edit(
        "content/schools/evil.toml",
        "anniversary = 2027-01-15\n",
        "",
    );
    let mut options = p.options();
    options.pdf = false;
    options.schools = vec!["evil".to_string()];
    handbuch::build(&options).expect("build");
    assert!(!p.path(EVIL_ICS).exists());
    assert!(!p.path(PROVIDER_ICS).exists());
    assert!(p.path("public/de/evil/index.html").exists());
}

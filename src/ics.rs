//! iCalendar (RFC 5545) text: all-day events with reminders, written by hand.
//!
//! Why not a writer crate: `icalendar` 0.17 fills in a random UID and the current time
//! for DTSTAMP whenever one is left out, so a forgotten property silently breaks
//! byte-identical builds, and its line folding lets a continuation line reach 76 octets
//! when exactly 75 octets remain. What we need is small: escape TEXT, fold at 75
//! octets on character boundaries, end lines with CRLF.

use chrono::NaiveDate;

/// The longest content line, in octets, without its CRLF (RFC 5545 §3.1).
const LINE_OCTETS: usize = 75;
/// How far a fold may move back to keep whitespace and escapes off the line ends.
const FOLD_SLACK: usize = 16;

/// The calendar around the events.
pub(crate) struct Header<'a> {
    /// `-//handbuch//NONSGML handbuch//DE`: who made the file.
    pub prodid: &'a str,
    /// Shown as the calendar's name by clients that read `X-WR-CALNAME`.
    pub name: Option<&'a str>,
}

/// One all-day event on `date`, from that day to the next (DTEND is exclusive).
pub(crate) struct Event {
    pub uid: String,
    /// RFC 5546 §2.1.5: a client takes a changed event only with a SEQUENCE not lower.
    pub sequence: u32,
    /// When the file was made: midnight UTC of the build date, so builds are repeatable.
    pub stamp: NaiveDate,
    pub date: NaiveDate,
    pub summary: String,
    pub description: String,
    /// An absolute URL, written as it is (a URI, not TEXT).
    pub url: Option<String>,
    pub alarms: Vec<Alarm>,
}

/// A reminder shown `days_before` the event.
pub(crate) struct Alarm {
    pub days_before: u32,
    pub description: String,
}

/// The whole file: CRLF line ends, every line folded, every TEXT value escaped.
pub(crate) fn calendar(header: &Header, events: &[Event]) -> String {
    let (mut out, tail) = frame(header);
    for event in events {
        write_event(&mut out, event);
    }
    out.push_str(&tail);
    out
}

/// The lines before the first event and after the last: a calendar of many events is
/// `head`, each [`event`], `tail`, so the events can be made apart (and in parallel).
pub(crate) fn frame(header: &Header) -> (String, String) {
    let mut head = String::new();
    line(&mut head, "BEGIN", "VCALENDAR");
    line(&mut head, "VERSION", "2.0");
    line(&mut head, "PRODID", &escape_text(header.prodid));
    line(&mut head, "CALSCALE", "GREGORIAN");
    line(&mut head, "METHOD", "PUBLISH");
    if let Some(name) = header.name {
        line(&mut head, "X-WR-CALNAME", &escape_text(name));
    }
    let mut tail = String::new();
    line(&mut tail, "END", "VCALENDAR");
    (head, tail)
}

/// One event's lines, as [`calendar`] writes them.
pub(crate) fn event(event: &Event) -> String {
    let mut out = String::new();
    write_event(&mut out, event);
    out
}

fn write_event(out: &mut String, event: &Event) {
    let next_day = event.date.succ_opt().unwrap_or(event.date);
    line(out, "BEGIN", "VEVENT");
    line(out, "UID", &escape_text(&event.uid));
    line(out, "SEQUENCE", &event.sequence.to_string());
    line(
        out,
        "DTSTAMP",
        &event.stamp.format("%Y%m%dT000000Z").to_string(),
    );
    line(out, "DTSTART;VALUE=DATE", &ics_date(event.date));
    line(out, "DTEND;VALUE=DATE", &ics_date(next_day));
    line(out, "SUMMARY", &escape_text(&event.summary));
    line(out, "DESCRIPTION", &escape_text(&event.description));
    if let Some(url) = &event.url {
        line(out, "URL", url);
    }
    // An all-day reminder is not a meeting: the day shows as free.
    line(out, "TRANSP", "TRANSPARENT");
    for alarm in &event.alarms {
        line(out, "BEGIN", "VALARM");
        line(out, "ACTION", "DISPLAY");
        line(out, "TRIGGER", &format!("-P{}D", alarm.days_before));
        line(out, "DESCRIPTION", &escape_text(&alarm.description));
        line(out, "END", "VALARM");
    }
    line(out, "END", "VEVENT");
}

fn ics_date(date: NaiveDate) -> String {
    date.format("%Y%m%d").to_string()
}

/// `NAME:value` as one folded content line with its CRLF.
fn line(out: &mut String, name: &str, value: &str) {
    out.push_str(&fold(&format!("{name}:{value}")));
    out.push_str("\r\n");
}

/// A TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and newline escaped.
/// A carriage return is dropped, as a lone CR would end the line for some readers.
pub(crate) fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Fold a content line (RFC 5545 §3.1): no line longer than 75 octets, continuation
/// lines start with one space, and a UTF-8 character is never cut. A fold moves back a
/// little so no line ends in whitespace or in the middle of an escape: some readers
/// trim line ends, and unfolding must give back exactly the line.
pub(crate) fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / LINE_OCTETS * 3);
    let mut rest = line;
    // The first line has all 75 octets; each continuation spends one on its space.
    let mut room = LINE_OCTETS;
    while rest.len() > room {
        let at = fold_point(rest, room);
        out.push_str(&rest[..at]);
        out.push_str("\r\n ");
        rest = &rest[at..];
        room = LINE_OCTETS - 1;
    }
    out.push_str(rest);
    out
}

/// Where to cut `text` so the piece has at most `room` octets: the last character
/// boundary that fits, moved back to a nicer one if there is one close by.
fn fold_point(text: &str, room: usize) -> usize {
    let mut at = room;
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let fits = at;
    let nice = |at: usize| {
        let before = text[..at].chars().next_back();
        let after = text[at..].chars().next();
        !before.is_some_and(|c| c.is_whitespace() || c == '\\')
            && !after.is_some_and(char::is_whitespace)
    };
    let mut candidate = fits;
    while candidate > 0 && fits - candidate <= FOLD_SLACK {
        if text.is_char_boundary(candidate) && nice(candidate) {
            return candidate;
        }
        candidate -= 1;
    }
    fits
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unfold(text: &str) -> String {
        text.replace("\r\n ", "")
    }

    #[test]
    fn escapes_backslash_semicolon_comma_and_newline() {
        assert_eq!(escape_text("a\\b;c,d\ne\r\n"), "a\\\\b\\;c\\,d\\ne\\n");
        assert_eq!(escape_text("Grüße: ok"), "Grüße: ok");
    }

    #[test]
    fn short_lines_are_not_folded() {
        let line = "S".repeat(LINE_OCTETS);
        assert_eq!(fold(&line), line);
    }

    #[test]
    fn every_folded_line_has_at_most_75_octets_and_unfolds_to_the_original() {
        // 150 octets: the remainder after the first fold is exactly 75 octets.
        for line in [
            "x".repeat(150),
            "x".repeat(149),
            "x".repeat(1000),
            "ä".repeat(200),
            "a€😀".repeat(60),
            format!("SUMMARY:{}", "Schule, Ort; \\ Straße ".repeat(20)),
        ] {
            let folded = fold(&line);
            for piece in folded.split("\r\n") {
                assert!(
                    piece.len() <= LINE_OCTETS,
                    "{} octets: {piece:?}",
                    piece.len()
                );
            }
            assert_eq!(unfold(&folded), line);
        }
    }

    #[test]
    fn folds_keep_whitespace_and_escapes_off_the_line_ends() {
        let line = format!("DESCRIPTION:{}", "ab\\, cd ".repeat(40).trim_end());
        for piece in fold(&line).split("\r\n") {
            assert!(!piece.ends_with(' ') && !piece.ends_with('\\'), "{piece:?}");
            let content = piece.strip_prefix(' ').unwrap_or(piece);
            assert!(!content.starts_with(' '), "{piece:?}");
        }
    }

    #[test]
    fn a_line_without_nice_fold_points_is_cut_at_the_limit() {
        let folded = fold(&" ".repeat(100));
        assert_eq!(folded.split("\r\n").next().map(str::len), Some(75));
        assert_eq!(unfold(&folded), " ".repeat(100));
    }

    #[test]
    fn an_event_is_all_day_with_two_reminders_and_crlf_lines() {
        let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
        let event = Event {
            uid: "activation-a@example.org".into(),
            sequence: 7,
            stamp: date(2026, 11, 25),
            date: date(2027, 12, 31),
            summary: "A, B".into(),
            description: "d".into(),
            url: Some("https://example.org/de/a/".into()),
            alarms: vec![
                Alarm {
                    days_before: 30,
                    description: "x".into(),
                },
                Alarm {
                    days_before: 7,
                    description: "y".into(),
                },
            ],
        };
        let text = calendar(
            &Header {
                prodid: "-//handbuch//NONSGML handbuch//DE",
                name: None,
            },
            &[event],
        );
        assert!(text.contains("\r\nDTSTART;VALUE=DATE:20271231\r\nDTEND;VALUE=DATE:20280101\r\n"));
        assert!(text.contains("\r\nDTSTAMP:20261125T000000Z\r\n"));
        assert!(text.contains("\r\nSUMMARY:A\\, B\r\n"));
        assert!(text.contains("\r\nTRIGGER:-P30D\r\n") && text.contains("\r\nTRIGGER:-P7D\r\n"));
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        assert!(!text.replace("\r\n", "").contains('\n'));
    }
}

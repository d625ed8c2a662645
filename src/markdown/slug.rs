//! Anchor ids from titles: stable, ASCII, readable in German and English.

use crate::model::{plain_text, Inline};

/// A heading's anchor id, the one rule for it: the `{#id}` written after the heading,
/// else its text made an anchor by [`anchor`].
pub(crate) fn heading_id(explicit: Option<&str>, content: &[Inline]) -> String {
    match explicit {
        Some(id) => id.to_string(),
        None => anchor(&plain_text(content)),
    }
}

/// An id made from text: slugified, with `s-` in front where that would start with a
/// digit (`2024: Neu` → `s-2024-neu`), since ids start with a letter.
pub(crate) fn anchor(text: &str) -> String {
    let slug = slugify(text);
    if slug.starts_with(|c: char| c.is_ascii_digit()) {
        format!("{DIGIT_PREFIX}{slug}")
    } else {
        slug
    }
}

/// What an id made from text that starts with a digit begins with.
pub(crate) const DIGIT_PREFIX: &str = "s-";

/// `Im VLSC anmelden` → `im-vlsc-anmelden`; umlauts are spelled out (ä → ae).
pub(crate) fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_dash = false;
    for c in text.chars() {
        let spelled: &str = match c {
            'ä' | 'Ä' => "ae",
            'ö' | 'Ö' => "oe",
            'ü' | 'Ü' => "ue",
            'ß' => "ss",
            _ => "",
        };
        if !spelled.is_empty() || c.is_ascii_alphanumeric() {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            if spelled.is_empty() {
                out.push(c.to_ascii_lowercase());
            } else {
                out.push_str(spelled);
            }
        } else {
            pending_dash = true;
        }
    }
    out
}

/// An id an author may write in `{#id}` or front matter.
pub(crate) fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        && id.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spells_out_umlauts() {
        assert_eq!(
            slugify("Lizenzen prüfen & zuweisen"),
            "lizenzen-pruefen-zuweisen"
        );
        assert_eq!(slugify("  Schritt: Größe!"), "schritt-groesse");
    }

    #[test]
    fn an_anchor_that_would_start_with_a_digit_gets_a_letter_in_front() {
        assert_eq!(anchor("2024: Neu"), "s-2024-neu");
        assert_eq!(anchor("Neu 2024"), "neu-2024");
        assert!(is_valid_id(&anchor("3 Dinge")));
        assert_eq!(anchor("?!"), "");
    }
}

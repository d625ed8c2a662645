//! Folding text into search words. The theme's `static/search.js` folds what is typed the
//! same way ([`base`] there is `fold`), so a word found here is found there: change both.
//!
//! A query is folded with [`base`] only; a text is indexed under all its [`variants`], so
//! `müssen`, `mussen` and `muessen` find each other in both directions, and `straße`
//! finds `strasse`.

use unicode_normalization::UnicodeNormalization;

/// Lower case, accents dropped (`ä` → `a`), `ß` → `ss`: what the search compares.
pub(crate) fn base(text: &str) -> String {
    fold(text, false)
}

/// The words of `text` under every spelling a reader may type: [`base`], German
/// transliteration (`ä` → `ae`) and digraphs read as umlauts (`ae` → `a`). Sorted, no
/// duplicates.
pub(crate) fn variants(text: &str) -> Vec<String> {
    let plain = base(text);
    let transliterated = fold(text, true);
    let mut words: Vec<String> = words(&plain)
        .chain(words(&transliterated))
        .flat_map(|w| [w.to_string(), collapse_digraphs(w)])
        .collect();
    words.sort_unstable();
    words.dedup();
    words
}

/// The words of folded text: runs of letters and digits (`\p{Alphabetic}\p{N}` in the
/// JavaScript, which is what `char::is_alphanumeric` tests).
pub(crate) fn words(folded: &str) -> impl Iterator<Item = &str> {
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// Lower case, canonical decomposition, combining accents (U+0300–U+036F) dropped —
/// except that `transliterate` writes the diaeresis of `a`, `o`, `u` as `e`.
fn fold(text: &str, transliterate: bool) -> String {
    let mut out = String::with_capacity(text.len());
    // Part by part: plain ASCII (domains, numbers, most words) needs neither Unicode lower
    // case nor decomposition. Cut after spaces, which no case or accent rule looks across.
    for part in text.split_inclusive(' ') {
        if part.is_ascii() {
            out.extend(part.bytes().map(|b| char::from(b.to_ascii_lowercase())));
        } else {
            fold_unicode(part, transliterate, &mut out);
        }
    }
    out
}

fn fold_unicode(text: &str, transliterate: bool, out: &mut String) {
    for c in text.to_lowercase().nfd() {
        match c {
            '\u{0308}' if transliterate && out.ends_with(['a', 'o', 'u']) => out.push('e'),
            '\u{0300}'..='\u{036f}' => {}
            'ß' => out.push_str("ss"),
            c => out.push(c),
        }
    }
}

/// `ae`, `oe`, `ue` → `a`, `o`, `u`, left to right: `muessen` → `mussen`, which is
/// what `müssen` folds to.
fn collapse_digraphs(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    let mut chars = word.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        if matches!(c, 'a' | 'o' | 'u') && chars.peek() == Some(&'e') {
            chars.next();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_drops_accents_and_writes_sharp_s_as_ss() {
        assert_eq!(
            base("Müssen STRASSE Straße Élève"),
            "mussen strasse strasse eleve"
        );
        // Decomposed input folds the same.
        assert_eq!(base("Mu\u{0308}ssen"), "mussen");
    }

    #[test]
    fn variants_cover_both_spellings_of_umlauts() {
        assert_eq!(variants("Müssen"), ["muessen", "mussen"]);
        assert_eq!(variants("muessen"), ["muessen", "mussen"]);
        assert_eq!(variants("Goethe-Straße"), ["goethe", "gothe", "strasse"]);
    }

    #[test]
    fn words_split_on_anything_but_letters_and_digits() {
        let folded = base("admin@gs-hildesheim.de V3238064");
        let all: Vec<&str> = words(&folded).collect();
        assert_eq!(all, ["admin", "gs", "hildesheim", "de", "v3238064"]);
    }

    /// The whole text through Unicode lower case and decomposition at once, as `fold`
    /// did before it took ASCII parts as they are.
    fn fold_whole(text: &str, transliterate: bool) -> String {
        let mut out = String::new();
        fold_unicode(text, transliterate, &mut out);
        out
    }

    #[test]
    fn folding_part_by_part_equals_folding_the_whole_text() {
        let texts = [
            "Grundschule Köln-Mülheim admin@gs-koeln.de V3238064",
            "ΟΔΟΣ Σ ΣΑ aΣ Σa ΑΣ. b",
            "Mu\u{0308} \u{0308}a a \u{0308}u\u{0308}",
            "  Straße  STRASSE ÉLÈVE İstanbul ǅ  ",
            "",
            " ",
        ];
        for text in texts {
            for transliterate in [false, true] {
                assert_eq!(
                    fold(text, transliterate),
                    fold_whole(text, transliterate),
                    "{text:?}"
                );
            }
        }
    }
}

//! The fonts a handout can be set in: Typst's bundled fonts, and Liberation Sans (SIL OFL
//! 1.1, `fonts/` with its licence), the default print template's face. One list for the
//! print World and for the check of what the handout can print ([`crate::render::glyphs`]).

use std::sync::OnceLock;

use typst::foundations::Bytes;
use typst::text::Font;

/// Liberation Sans 2.1.5, metric-compatible with Arial. Its TrueType outlines are what
/// made it the default: krilla subsets them with less work than the CFF outlines of
/// Typst's Libertinus Serif (measured: −7 % instructions per handout).
const LIBERATION_SANS: [&[u8]; 4] = [
    include_bytes!("../../fonts/LiberationSans-Regular.ttf"),
    include_bytes!("../../fonts/LiberationSans-Bold.ttf"),
    include_bytes!("../../fonts/LiberationSans-Italic.ttf"),
    include_bytes!("../../fonts/LiberationSans-BoldItalic.ttf"),
];

/// Every bundled font, parsed once per process: the print World and the glyph check
/// share them, and `serve` makes a new World for every rebuild (parsing took ~17 M
/// instructions, a few ms, each time).
pub(crate) fn bundled() -> &'static [Font] {
    static FONTS: OnceLock<Vec<Font>> = OnceLock::new();
    FONTS.get_or_init(|| {
        typst_assets::fonts()
            .chain(LIBERATION_SANS)
            .flat_map(|data| Font::iter(Bytes::new(data)))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn liberation_sans_is_there_in_four_styles() {
        let fonts = bundled();
        let liberation: Vec<_> = fonts
            .iter()
            .filter(|f| f.info().family == "Liberation Sans")
            .collect();
        assert_eq!(liberation.len(), 4);
    }
}

//! The QR code on the handout's cover: the school's online handbook URL as an SVG image,
//! which Typst embeds as vector paths, so it prints sharp at any size.

use std::fmt::Write;

use qrcode::bits::encode_auto;
use qrcode::canvas::{Canvas, MaskPattern};
use qrcode::ec::construct_codewords;
use qrcode::types::QrError;
use qrcode::{Color, EcLevel};

/// Error correction M (15 %) survives a crease or a smudge on a printout.
const EC_LEVEL: EcLevel = EcLevel::M;
/// Any of the eight masks makes a valid code (its format information names the mask).
/// Trying all eight for the lowest penalty score, as `QrCode::new` does, only avoids
/// patterns that might slow a reader down, and was 4 % of a handout's CPU time; the
/// tests decode the printed code (tests/pdf_qr.rs, tests/pdf_header_qr.rs).
const MASK: MaskPattern = MaskPattern::Checkerboard;
/// Light modules around the code, as the standard asks (ISO/IEC 18004: four).
const QUIET_ZONE: usize = 4;

/// An SVG image of a QR code holding `url`, with the standard quiet zone around it. A URL
/// too long for the largest code is an error.
pub(crate) fn qr_svg(url: &str) -> Result<Vec<u8>, String> {
    let too_long = |e: QrError| format!("the URL `{url}` does not fit into a QR code: {e}");
    let bits = encode_auto(url.as_bytes(), EC_LEVEL).map_err(too_long)?;
    let version = bits.version();
    let (data, ec) =
        construct_codewords(&bits.into_bytes(), version, EC_LEVEL).map_err(too_long)?;
    let mut canvas = Canvas::new(version, EC_LEVEL);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&data, &ec);
    canvas.apply_mask(MASK);
    let width = usize::try_from(version.width()).map_err(|_| too_long(QrError::InvalidVersion))?;
    Ok(svg(&canvas.into_colors(), width).into_bytes())
}

/// The modules (row by row, `width` a row) as one path in module units: a row's run of
/// dark modules is one rectangle instead of one square per module, so Typst parses, and
/// the PDF holds and compresses, fewer shapes.
fn svg(modules: &[Color], width: usize) -> String {
    let size = width + 2 * QUIET_ZONE;
    let mut svg = format!(
        concat!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" version="1.1""#,
            r#" width="{size}" height="{size}" viewBox="0 0 {size} {size}""#,
            r#" shape-rendering="crispEdges">"#,
            r##"<rect width="{size}" height="{size}" fill="#ffffff"/>"##,
            r##"<path fill="#000000" d=""##
        ),
        size = size
    );
    for (y, row) in modules.chunks(width.max(1)).enumerate() {
        let mut x = 0;
        while x < row.len() {
            if row[x] == Color::Light {
                x += 1;
                continue;
            }
            let run = row[x..].iter().take_while(|m| **m == Color::Dark).count();
            // Writing into a String cannot fail.
            let _ = write!(
                svg,
                "M{} {}h{run}v1h-{run}z",
                x + QUIET_ZONE,
                y + QUIET_ZONE
            );
            x += run;
        }
    }
    svg.push_str(r#""/></svg>"#);
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_becomes_an_svg_image() {
        let svg = qr_svg("https://help.example.org/de/gym/").expect("fits");
        let text = String::from_utf8(svg).expect("utf-8");
        assert!(text.contains("<svg") && text.contains("viewBox"), "{text}");
    }

    #[test]
    fn a_url_too_long_for_any_qr_code_is_an_error() {
        let url = format!("https://x.example/{}", "a".repeat(4000));
        let error = qr_svg(&url).expect_err("too long");
        assert!(error.contains("does not fit into a QR code"), "{error}");
    }

    #[test]
    fn a_run_of_dark_modules_is_one_rectangle_inside_the_quiet_zone() {
        use Color::{Dark, Light};
        let modules = [Dark, Dark, Light, Light, Dark, Dark];
        let svg = svg(&modules, 3);
        assert!(svg.contains(r#"viewBox="0 0 11 11""#), "{svg}");
        assert!(svg.contains(r#"d="M4 4h2v1h-2zM5 5h2v1h-2z""#), "{svg}");
    }
}

//! The QR code on the handout's cover: the school's online handbook URL as an SVG image,
//! which Typst embeds as vector paths, so it prints sharp at any size.

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

/// An SVG image of a QR code holding `url`, with the standard quiet zone around it.
/// Error correction M (15 %) survives a crease or a smudge on a printout; a URL too long
/// for the largest code is an error.
pub(crate) fn qr_svg(url: &str) -> Result<Vec<u8>, String> {
    let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M)
        .map_err(|e| format!("the URL `{url}` does not fit into a QR code: {e}"))?;
    let image = code
        .render()
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .quiet_zone(true)
        .build();
    Ok(image.into_bytes())
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
}

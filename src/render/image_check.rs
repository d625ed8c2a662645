//! Whether an image of `static/` can be printed: the PDF embeds it with Typst's own
//! decoders, so a file the page merely links to (a broken PNG, a text file named
//! `.svg`, a PDF) is found here, once per file, and reported where the chapter uses
//! it, for both outputs alike, never as a failure of the print template.

use std::path::Path;

use typst::foundations::{Bytes, Smart};
use typst::visualize::{ExchangeFormat, RasterImage, SvgImage};

/// Why the image at `path` (with these bytes) cannot be printed, if it cannot.
pub(crate) fn image_problem(path: &Path, data: Vec<u8>) -> Option<String> {
    let Some(format) = format_of(path, &data) else {
        return Some(
            "not an image format both outputs show (PNG, JPEG, GIF, WebP or SVG)".to_string(),
        );
    };
    let data = Bytes::new(data);
    match format {
        Format::Raster(format) => RasterImage::new(data, format, Smart::Auto)
            .err()
            .map(|e| e.to_string()),
        Format::Svg => SvgImage::new(data)
            .err()
            .map(|_| "the file is not a valid SVG image".to_string()),
    }
}

enum Format {
    Raster(ExchangeFormat),
    Svg,
}

/// The format Typst reads the file as: by its extension as Typst knows them, else by
/// its first bytes. PDF files, which Typst could embed, are left out: a browser does
/// not show them as images.
fn format_of(path: &Path, data: &[u8]) -> Option<Format> {
    let by_extension = match path.extension().and_then(|e| e.to_str()) {
        Some("png") => Some(Format::Raster(ExchangeFormat::Png)),
        Some("jpg" | "jpeg") => Some(Format::Raster(ExchangeFormat::Jpg)),
        Some("gif") => Some(Format::Raster(ExchangeFormat::Gif)),
        Some("webp") => Some(Format::Raster(ExchangeFormat::Webp)),
        Some("svg" | "svgz") => Some(Format::Svg),
        _ => None,
    };
    by_extension.or_else(|| {
        ExchangeFormat::detect(data)
            .map(Format::Raster)
            .or_else(|| looks_like_svg(data).then_some(Format::Svg))
    })
}

fn looks_like_svg(data: &[u8]) -> bool {
    let head = &data[..data.len().min(2048)];
    data.starts_with(&[0x1f, 0x8b])
        || head
            .windows(b"http://www.w3.org/2000/svg".len())
            .any(|w| w == b"http://www.w3.org/2000/svg")
}

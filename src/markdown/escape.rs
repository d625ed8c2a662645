//! Escaping a school's value for Markdown, so it always reads as the literal text.

use std::io::Write;

/// Tera escape function for chapter templates: every ASCII punctuation character gets a
/// backslash (CommonMark renders `\x` as `x` for all of them), and line breaks become
/// spaces, so a value can neither open markup nor start a new block.
pub(crate) fn escape_markdown(input: &str, out: &mut dyn Write) -> std::io::Result<()> {
    let mut buf = [0u8; 4];
    for c in input.chars() {
        match c {
            '\n' | '\r' | '\t' => out.write_all(b" ")?,
            c if c.is_ascii_punctuation() => out.write_all(&[b'\\', c as u8])?,
            c => out.write_all(c.encode_utf8(&mut buf).as_bytes())?,
        }
    }
    Ok(())
}

/// The same as a `String`, for tests and callers outside tera.
pub fn escaped(input: &str) -> String {
    let mut out = Vec::with_capacity(input.len() * 2);
    // Writing into a Vec cannot fail.
    let _ = escape_markdown(input, &mut out);
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn punctuation_and_newlines() {
        assert_eq!(escaped("<b>*x*</b>\n# h"), r"\<b\>\*x\*\<\/b\> \# h");
        assert_eq!(escaped("Schüler & Co."), r"Schüler \& Co\.");
    }
}

//! `--format github`: GitHub Actions workflow commands, so that each problem shows as an
//! annotation on the file of the pull request: `::error file=…,line=…::message` per
//! diagnostic, `::warning` or `::notice` per school warning at the school's file.

use std::path::{Component, Path, PathBuf};

use crate::diagnostics::{escape_unsafe, Diagnostic, Diagnostics, Severity as Level};
use crate::site::BuildReport;
use crate::warnings::{ReportedFinding, Severity};

/// One workflow command per diagnostic and per school warning. File names are given
/// from the working directory (`--root` joined to the project's own paths), which in a
/// workflow is the checkout: GitHub puts annotations on the files at those paths.
pub fn github_lines(root: &Path, result: &Result<BuildReport, Diagnostics>) -> Vec<String> {
    let diagnostics = match result {
        Ok(report) => &report.warnings,
        Err(problems) => problems,
    };
    let findings = result.as_ref().map_or(&[][..], |r| r.findings.as_slice());
    let mut lines: Vec<String> = diagnostics.iter().map(|d| diagnostic(root, d)).collect();
    lines.extend(findings.iter().map(|f| warning(root, f)));
    lines
}

/// From the redacted copy, like every other output of a diagnostic: no secret in it.
fn diagnostic(root: &Path, d: &Diagnostic) -> String {
    let shown = d.redacted();
    let mut properties = vec![("file", in_workspace(root, &shown.file))];
    if let (Some((line, col)), Some((end_line, end_col))) = (d.line_col(), d.end_line_col()) {
        properties.extend([
            ("line", line.to_string()),
            ("col", col.to_string()),
            ("endLine", end_line.to_string()),
            ("endColumn", end_col.to_string()),
        ]);
    }
    properties.push(("title", d.code()));
    let mut message = shown.message;
    if let Some(label) = shown.label {
        message.push_str(&format!("\n{label}"));
    }
    for note in shown.notes {
        message.push_str(&format!("\nnote: {note}"));
    }
    let level = match d.severity {
        Level::Error => "error",
        Level::Warning => "warning",
    };
    command(level, &properties, &message)
}

/// A note is a notice; warnings and dangers are warnings, as they do not fail a run.
fn warning(root: &Path, f: &ReportedFinding) -> String {
    let level = match f.finding.severity() {
        Severity::Note => "notice",
        Severity::Warning | Severity::Danger => "warning",
    };
    let title = format!(
        "{} {} ({})",
        f.finding.severity().name(),
        f.finding.id(),
        f.slug
    );
    let properties = [("file", in_workspace(root, &f.file)), ("title", title)];
    command(level, &properties, &f.text())
}

/// `::level key=value,…::message`, escaped as GitHub reads it; control characters
/// are first written out as `\u{1B}`, as on the terminal.
fn command(level: &str, properties: &[(&str, String)], message: &str) -> String {
    let properties: Vec<String> = properties
        .iter()
        .map(|(key, value)| format!("{key}={}", escape_property(&escape_unsafe(value))))
        .collect();
    format!(
        "::{level} {}::{}",
        properties.join(","),
        escape_data(&escape_unsafe(message))
    )
}

/// A message: `%`, CR and LF would end or change the command.
pub(crate) fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value: also `:` and `,`, which separate the properties and the message.
pub(crate) fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// `file` (as the project names it, relative to `root`) from the working directory,
/// with `/` separators and without `./`: `--root site` gives `site/content/…`.
fn in_workspace(root: &Path, file: &Path) -> String {
    let joined = if file.is_absolute() || file.starts_with(root) {
        file.to_path_buf()
    } else {
        root.join(file)
    };
    let mut path: PathBuf = joined
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .collect();
    if let Some(relative) = std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
    {
        path = relative;
    }
    let parts: Vec<String> = path
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let text = parts.join("/");
    // An absolute path keeps one leading `/` (`RootDir` is one of the parts).
    if let Some(rest) = text.strip_prefix("//") {
        return format!("/{rest}");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_and_properties_are_escaped_as_github_reads_them() {
        assert_eq!(escape_data("100% a\r\nb: c, d"), "100%25 a%0D%0Ab: c, d");
        assert_eq!(escape_property("100% a\nb: c, d"), "100%25 a%0Ab%3A c%2C d");
    }

    #[test]
    fn paths_are_given_from_the_working_directory() {
        let p = |root: &str, file: &str| in_workspace(Path::new(root), Path::new(file));
        assert_eq!(p(".", "content/schools/a.toml"), "content/schools/a.toml");
        assert_eq!(
            p("site", "content/schools/a.toml"),
            "site/content/schools/a.toml"
        );
        assert_eq!(p("./site/", "handbuch.toml"), "site/handbuch.toml");
        assert_eq!(p("site", "site/handbuch.toml"), "site/handbuch.toml");
        assert_eq!(p("/nowhere/x", "a.md"), "/nowhere/x/a.md");
    }
}

//! `--format json`: one JSON object per line, like cargo's `--message-format json`, for
//! every diagnostic and school warning, then a summary. The schema is
//! `docs/message-format.schema.json`; every object names its `type` and `schema` version.

use serde::Serialize;
use serde_json::{Map, Value};

use super::{denied, exit_code, Run, SCHEMA_VERSION};
use crate::diagnostics::{Diagnostic, Diagnostics, Severity as Level};
use crate::site::BuildReport;
use crate::warnings::{ReportedFinding, Severity};

#[derive(Serialize)]
struct DiagnosticLine {
    #[serde(rename = "type")]
    kind: &'static str,
    schema: u32,
    severity: &'static str,
    code: String,
    file: String,
    line: Option<usize>,
    column: Option<usize>,
    end_line: Option<usize>,
    end_column: Option<usize>,
    message: String,
    label: Option<String>,
    notes: Vec<String>,
    rendered: String,
}

#[derive(Serialize)]
struct WarningLine<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    schema: u32,
    slug: &'a str,
    file: String,
    locale: &'a str,
    id: &'static str,
    severity: Severity,
    step: &'a str,
    args: Map<String, Value>,
    text: String,
}

#[derive(Serialize)]
struct SummaryLine {
    #[serde(rename = "type")]
    kind: &'static str,
    schema: u32,
    command: &'static str,
    success: bool,
    exit_code: u8,
    schools: Option<usize>,
    handbooks: Option<usize>,
    pdfs: Option<usize>,
    /// Only in the summary of a successful build (added within schema 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    reused: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rendered: Option<usize>,
    out: Option<String>,
    elapsed_ms: Option<u64>,
    errors: usize,
    warnings: usize,
    school_warnings: SeverityCounts,
    denied: bool,
}

#[derive(Serialize, Default)]
struct SeverityCounts {
    note: usize,
    warning: usize,
    danger: usize,
}

/// Every line of the report: the diagnostics, the school warnings, the summary.
pub fn json_lines(run: &Run, result: &Result<BuildReport, Diagnostics>) -> Vec<String> {
    let diagnostics = match result {
        Ok(report) => &report.warnings,
        Err(problems) => problems,
    };
    let findings = result.as_ref().map_or(&[][..], |r| r.findings.as_slice());
    let mut lines: Vec<String> = diagnostics
        .iter()
        .map(|d| to_line(&diagnostic(d)))
        .collect();
    lines.extend(findings.iter().map(|f| to_line(&warning(f))));
    lines.push(to_line(&summary(run, result)));
    lines
}

/// One line of JSON; these types always serialize, and a failure would show as `{}`.
fn to_line(value: &impl Serialize) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "{}".to_string())
}

/// Every text comes from the redacted copy, so no secret reaches the report; the
/// position is the original's, which the blanking does not move.
fn diagnostic(d: &Diagnostic) -> DiagnosticLine {
    let shown = d.redacted();
    let (line, column) = d.line_col().unzip();
    let (end_line, end_column) = d.end_line_col().unzip();
    DiagnosticLine {
        kind: "diagnostic",
        schema: SCHEMA_VERSION,
        severity: match d.severity {
            Level::Error => "error",
            Level::Warning => "warning",
        },
        code: d.code(),
        file: shown.file.display().to_string(),
        line,
        column,
        end_line,
        end_column,
        rendered: d.render(false),
        message: shown.message,
        label: shown.label,
        notes: shown.notes,
    }
}

fn warning(f: &ReportedFinding) -> WarningLine<'_> {
    let args = f
        .finding
        .args
        .iter()
        .map(|(name, arg)| {
            let value = serde_json::to_value(arg).unwrap_or(Value::Null);
            (name.to_string(), value)
        })
        .collect();
    WarningLine {
        kind: "school_warning",
        schema: SCHEMA_VERSION,
        slug: &f.slug,
        file: f.file.display().to_string(),
        locale: f.locale(),
        id: f.finding.id(),
        severity: f.finding.severity(),
        step: &f.step,
        args,
        text: f.text(),
    }
}

fn summary(run: &Run, result: &Result<BuildReport, Diagnostics>) -> SummaryLine {
    let code = exit_code(run, result);
    let mut line = SummaryLine {
        kind: "summary",
        schema: SCHEMA_VERSION,
        command: run.command,
        success: code == 0,
        exit_code: code,
        schools: None,
        handbooks: None,
        pdfs: None,
        reused: None,
        rendered: None,
        out: None,
        elapsed_ms: None,
        errors: 0,
        warnings: 0,
        school_warnings: SeverityCounts::default(),
        denied: false,
    };
    match result {
        Err(problems) => {
            line.errors = problems.errors().count();
            line.warnings = problems.len() - line.errors;
        }
        Ok(report) => {
            line.schools = Some(report.schools);
            line.handbooks = Some(report.handbooks);
            line.pdfs = Some(report.pdfs);
            line.reused = Some(report.reused);
            line.rendered = Some(report.rendered);
            line.out = (run.command == "build").then(|| report.out.display().to_string());
            line.elapsed_ms = Some(u64::try_from(report.elapsed.as_millis()).unwrap_or(u64::MAX));
            line.warnings = report.warnings.len();
            line.school_warnings = severity_counts(&report.findings);
            line.denied = denied(run, report);
        }
    }
    line
}

fn severity_counts(findings: &[ReportedFinding]) -> SeverityCounts {
    let mut counts = SeverityCounts::default();
    for f in findings {
        match f.finding.severity() {
            Severity::Note => counts.note += 1,
            Severity::Warning => counts.warning += 1,
            Severity::Danger => counts.danger += 1,
        }
    }
    counts
}

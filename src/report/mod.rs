//! Reports for machines (`--format json|github`): the diagnostics and school warnings
//! of a `check` or `build` run, as JSON lines or as GitHub Actions annotations. The
//! human output stays in `main`; these read the same result and decide the same exit code.

use crate::diagnostics::Diagnostics;
use crate::site::BuildReport;
use crate::warnings::Severity;

mod github;
mod json;

pub use github::github_lines;
pub use json::json_lines;

/// The version of the JSON lines' schema (`docs/message-format.schema.json`): every
/// object carries it as `"schema"`, and it changes only when a field changes meaning
/// or goes away (new fields may be added within a version).
pub const SCHEMA_VERSION: u32 = 1;

/// What the run was asked, besides its result.
#[derive(Debug, Clone)]
pub struct Run {
    /// `check` or `build`.
    pub command: &'static str,
    /// `--deny warnings`: warnings and dangers fail the run.
    pub deny_warnings: bool,
}

/// The exit code the human output gives for `result`: 2 for a call handbuch refuses,
/// 1 for bad input or denied warnings, else 0.
pub fn exit_code(run: &Run, result: &Result<BuildReport, Diagnostics>) -> u8 {
    match result {
        Err(problems) if problems.is_usage() => 2,
        Err(_) => 1,
        Ok(report) if denied(run, report) => 1,
        Ok(_) => 0,
    }
}

/// Whether `--deny warnings` fails a run that otherwise succeeded.
fn denied(run: &Run, report: &BuildReport) -> bool {
    run.deny_warnings && counted(report) > 0
}

/// What `--deny warnings` counts: school warnings and dangers, and build warnings.
fn counted(report: &BuildReport) -> usize {
    let school = report
        .findings
        .iter()
        .filter(|f| f.finding.severity() >= Severity::Warning)
        .count();
    school + report.warnings.len()
}

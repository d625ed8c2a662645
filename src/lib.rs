//! handbuch: one step-by-step guide plus one data file per school become a numbered,
//! school-specific handbook per locale. Data flows one way:
//! load (config, school, guide, theme) → validate → model (markdown) → render → write (site, output).

// Diagnostics are large but only built on the cold error path.
#![allow(clippy::result_large_err)]
#![warn(unreachable_pub)]

pub mod budget;
pub(crate) mod config;
pub(crate) mod diagnostics;
pub(crate) mod guide;
pub mod heap;
mod http;
pub(crate) mod i18n;
pub(crate) mod ics;
pub mod import;
pub(crate) mod init;
pub(crate) mod limits;
pub(crate) mod lint;
pub(crate) mod markdown;
pub(crate) mod model;
pub(crate) mod output;
pub(crate) mod progress;
pub(crate) mod project;
pub(crate) mod publish;
pub(crate) mod render;
pub(crate) mod report;
pub(crate) mod school;
pub(crate) mod search;
pub(crate) mod secrets;
pub(crate) mod serve;
pub(crate) mod site;
pub(crate) mod theme;
mod toml_file;
pub(crate) mod walk;
pub(crate) mod warnings;

// The library's whole public face: what the `handbuch` binary and the tests call.
// Everything else is `pub(crate)`, so the compiler tells when an item goes unused.
pub use config::Scope;
pub use diagnostics::{escape_unsafe, Diagnostic, Diagnostics};
pub use guide::step_ids;
pub use init::init;
pub use markdown::escape::escaped as escape_markdown;
pub use markdown::parse::parse as parse_markdown;
pub use project::Project;
pub use publish::links::Link;
pub use report::{exit_code, github_lines, json_lines, Run, SCHEMA_VERSION};
pub use school::is_slug;
pub use secrets::{check as find_secrets, product_keys};
pub use serve::serve;
pub use site::Shard;
pub use site::{build, check, page_path, BuildOptions, BuildReport};
pub use warnings::{SchoolWarning, Severity};

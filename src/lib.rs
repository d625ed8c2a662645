//! handbuch: one step-by-step guide plus one data file per school become a numbered,
//! school-specific handbook per locale. Data flows one way:
//! load (config, school, guide, theme) → validate → model (markdown) → render → write (site, output).

// Diagnostics are large but only built on the cold error path.
#![allow(clippy::result_large_err)]

pub(crate) mod config;
pub mod diagnostics;
pub mod guide;
mod http;
pub(crate) mod i18n;
pub mod init;
pub(crate) mod limits;
pub(crate) mod lint;
pub mod markdown;
pub(crate) mod model;
pub(crate) mod output;
pub(crate) mod progress;
pub mod project;
pub(crate) mod render;
pub mod school;
pub(crate) mod search;
pub mod secrets;
pub mod serve;
pub mod site;
pub(crate) mod theme;
mod toml_file;
pub(crate) mod walk;
pub mod warnings;

pub use diagnostics::{Diagnostic, Diagnostics};
pub use site::{build, check, BuildOptions, BuildReport};

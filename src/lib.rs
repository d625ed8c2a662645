//! handbuch: one step-by-step guide plus one data file per school become a numbered,
//! school-specific handbook per locale. Data flows one way:
//! load (config, school, guide, theme) → validate → model (markdown) → render → write (site, output).

// Diagnostics are large but only built on the cold error path.
#![allow(clippy::result_large_err)]

pub mod config;
pub mod diagnostics;
pub mod guide;
mod http;
pub mod i18n;
pub mod init;
pub mod limits;
pub mod lint;
pub mod markdown;
pub mod model;
pub mod output;
pub mod progress;
pub mod project;
pub mod render;
pub mod school;
pub mod search;
pub mod secrets;
pub mod serve;
pub mod site;
pub mod theme;
mod toml_file;
pub mod walk;
pub mod warnings;

pub use diagnostics::{Diagnostic, Diagnostics};
pub use site::{build, check, BuildOptions, BuildReport};

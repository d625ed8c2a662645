//! The `handbuch` command line: parse arguments, call the library, map results to exit codes.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Parser, Subcommand};

use handbuch::{BuildOptions, Diagnostics};

/// Numbered, school-specific handbooks from one guide and one data file per school.
#[derive(Parser)]
#[command(name = "handbuch", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into public/ (atomically: a failed build leaves public/ untouched)
    Build {
        #[command(flatten)]
        common: Common,
        /// Output folder [default: <root>/public]
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Only build this school (repeatable); the rest of public/ is kept
        #[arg(long = "school", value_name = "SLUG")]
        schools: Vec<String>,
        /// Only build this locale (repeatable)
        #[arg(long = "locale", value_name = "L")]
        locales: Vec<String>,
    },
    /// Validate config, schools, chapters and references; write nothing
    Check {
        #[command(flatten)]
        common: Common,
    },
}

#[derive(clap::Args)]
struct Common {
    /// Project folder (contains handbuch.toml)
    #[arg(long, value_name = "DIR", default_value = ".")]
    root: PathBuf,
    /// Date the handbooks are made for, YYYY-MM-DD [default: today]
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    today: Option<NaiveDate>,
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("`{s}` is not a date like 2026-11-25"))
}

impl Common {
    fn options(&self) -> BuildOptions {
        let today = self
            .today
            .unwrap_or_else(|| chrono::Local::now().date_naive());
        let mut options = BuildOptions::new(&self.root, today);
        options.progress = true;
        options
    }
}

fn main() -> ExitCode {
    // clap exits with 2 on usage errors, as documented.
    let cli = Cli::parse();
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let result = match &cli.command {
        Command::Build {
            common,
            out,
            schools,
            locales,
        } => {
            let mut options = common.options();
            options.out = out.clone();
            options.schools = schools.clone();
            options.locales = locales.clone();
            handbuch::build(&options).map(|r| {
                (
                    format!(
                        "built {} handbooks of {} schools into {}",
                        r.handbooks,
                        r.schools,
                        r.out.display()
                    ),
                    r.warnings,
                )
            })
        }
        Command::Check { common } => {
            let options = common.options();
            handbuch::check(&options).map(|r| {
                (
                    format!(
                        "checked {} handbooks of {} schools: no errors",
                        r.handbooks, r.schools
                    ),
                    r.warnings,
                )
            })
        }
    };
    match result {
        Ok((message, warnings)) => {
            for d in &warnings.0 {
                eprintln!("{}", d.render(color));
            }
            eprintln!("{message}");
            ExitCode::SUCCESS
        }
        Err(problems) => {
            print_problems(&problems, color);
            ExitCode::from(1)
        }
    }
}

fn print_problems(problems: &Diagnostics, color: bool) {
    for d in &problems.0 {
        eprintln!("{}", d.render(color));
    }
    eprintln!("{}", problems.summary());
}

//! The `handbuch` command line: parse arguments, call the library, map results to exit codes.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Parser, Subcommand};

use handbuch::{escape_unsafe, Scope, Severity};
use handbuch::{BuildOptions, Diagnostics};

/// Counts the heap, so a template that builds ever larger values stops the run with a
/// message instead of taking the machine's memory (see `handbuch::budget`).
#[global_allocator]
static ALLOCATOR: handbuch::budget::Counting = handbuch::budget::Counting;

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
        /// Output folder [default: <root>/public]; must be missing, empty or made by handbuch
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Only build this school (repeatable); the rest of public/ is kept
        #[arg(long = "school", value_name = "SLUG")]
        schools: Vec<String>,
        /// Only build this locale (repeatable)
        #[arg(long = "locale", value_name = "L")]
        locales: Vec<String>,
        /// Skip the PDF handouts (HTML only)
        #[arg(long)]
        no_pdf: bool,
        /// Who the site is for; overrides `[publish] scope` (school: needs HANDBUCH_PUBLISH_KEY)
        #[arg(long, value_enum, value_name = "SCOPE")]
        scope: Option<ScopeArg>,
        /// Only the handbooks of shard K of N (by a hash of each slug) into --out, for --merge
        #[arg(long, value_name = "K/N", value_parser = handbuch::Shard::parse,
              requires = "out", conflicts_with_all = ["merge", "schools", "locales"])]
        shard: Option<handbuch::Shard>,
        /// Put the site together from the folders of `build --shard` (renders nothing)
        #[arg(long, value_name = "DIR", num_args = 1.., conflicts_with_all = ["schools", "locales"])]
        merge: Vec<PathBuf>,
        #[command(flatten)]
        report: Report,
    },
    /// Validate config, schools, chapters and references; write nothing
    Check {
        #[command(flatten)]
        common: Common,
        /// The output a build writes [default: ROOT/public]: handbooks its cache holds
        /// unchanged are not rendered again
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Check the HTML only: the PDF handouts are not rendered (their template is not run)
        #[arg(long)]
        no_pdf: bool,
        #[command(flatten)]
        report: Report,
    },
    /// Start a new project in DIR from the bundled example
    Init {
        /// Folder to create (must not exist or be empty)
        dir: PathBuf,
    },
    /// Make school files from a spreadsheet (.csv, .xlsx, .ods), one per row
    Import {
        /// The spreadsheet; with --template, the CSV file to write
        file: PathBuf,
        /// Project folder (contains handbuch.toml)
        #[arg(long, value_name = "DIR", default_value = ".")]
        root: PathBuf,
        /// Change existing school files where the sheet differs (comments are kept)
        #[arg(long, conflicts_with = "template")]
        update: bool,
        /// Check the sheet and show what would change; write nothing
        #[arg(long, conflicts_with = "template")]
        dry_run: bool,
        /// Write a starter CSV with every column and one example school to FILE
        #[arg(long)]
        template: bool,
    },
    /// Build, serve on 127.0.0.1, rebuild on change and reload open pages
    Serve {
        #[command(flatten)]
        common: Common,
        /// Port to listen on (0: any free port)
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Skip the PDF handouts while previewing
        #[arg(long)]
        no_pdf: bool,
        /// Who the site is for; overrides `[publish] scope` (school: needs HANDBUCH_PUBLISH_KEY)
        #[arg(long, value_enum, value_name = "SCOPE")]
        scope: Option<ScopeArg>,
    },
}

/// `--scope`, as `[publish] scope` spells it.
#[derive(Clone, Copy, clap::ValueEnum)]
enum ScopeArg {
    Provider,
    School,
}

impl From<ScopeArg> for Scope {
    fn from(arg: ScopeArg) -> Scope {
        match arg {
            ScopeArg::Provider => Scope::Provider,
            ScopeArg::School => Scope::School,
        }
    }
}

#[derive(clap::Args)]
struct Common {
    /// Project folder (contains handbuch.toml)
    #[arg(long, value_name = "DIR", default_value = ".")]
    root: PathBuf,
    /// Date the handbooks are made for, YYYY-MM-DD [default: today]
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    today: Option<NaiveDate>,
    /// Fail (exit 1) if there are warnings: tenant warnings and dangers, and build warnings
    #[arg(long, value_enum, value_name = "WHAT")]
    deny: Vec<Deny>,
}

#[derive(Clone, PartialEq, clap::ValueEnum)]
enum Deny {
    Warnings,
}

#[derive(clap::Args)]
struct Report {
    /// Output for people (stderr), JSON lines for programs (stdout; schema
    /// docs/message-format.schema.json) or GitHub Actions annotations (stdout)
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = Format::Human)]
    format: Format,
}

#[derive(Clone, Copy, PartialEq, clap::ValueEnum)]
enum Format {
    Human,
    Json,
    Github,
}

/// Exactly `YYYY-MM-DD`: chrono alone reads `26-11-25` as the year 26.
fn parse_date(s: &str) -> Result<NaiveDate, String> {
    let shape_ok = s.len() == 10
        && s.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    shape_ok
        .then(|| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
        .flatten()
        .ok_or_else(|| format!("`{s}` is not a date like 2026-11-25 (YYYY-MM-DD)"))
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
    handbuch::heap::small_pages();
    // clap exits with 2 on usage errors, as documented.
    let cli = Cli::parse();
    if let Err(e) = handbuch::budget::limits_from_env() {
        eprintln!("error: {e}");
        return ExitCode::from(2);
    }
    report_stops(&cli);
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let (result, verb, deny, list, format, root) = match &cli.command {
        Command::Build {
            common,
            out,
            schools,
            locales,
            no_pdf,
            scope,
            shard,
            merge,
            report,
        } => {
            let mut options = common.options();
            options.progress = report.format != Format::Json;
            options.pdf = !no_pdf;
            options.scope = scope.map(Scope::from);
            options.out = out.clone();
            options.schools = schools.clone();
            options.locales = locales.clone();
            options.shard = *shard;
            options.merge = merge.clone();
            (
                handbuch::build(&options),
                "built",
                common.deny.clone(),
                false,
                report.format,
                &common.root,
            )
        }
        Command::Init { dir } => {
            return match handbuch::init(dir) {
                Ok(n) => {
                    eprintln!(
                        "created {} files in {}; next: handbuch build --root {}",
                        n,
                        dir.display(),
                        dir.display()
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("{}", e.render(color));
                    ExitCode::from(1)
                }
            };
        }
        Command::Import {
            file,
            root,
            update,
            dry_run,
            template,
        } => {
            let options = handbuch::import::ImportOptions {
                root: root.clone(),
                file: file.clone(),
                update: *update,
                dry_run: *dry_run,
            };
            return import(&options, *template, color);
        }
        Command::Serve {
            common,
            port,
            no_pdf,
            scope,
        } => {
            let mut options = common.options();
            options.pdf = !no_pdf;
            options.scope = scope.map(Scope::from);
            return match handbuch::serve(options, *port) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: cannot serve on 127.0.0.1:{port}: {e}");
                    ExitCode::from(1)
                }
            };
        }
        Command::Check {
            common,
            out,
            no_pdf,
            report,
        } => {
            let mut options = common.options();
            options.progress = report.format != Format::Json;
            options.pdf = !no_pdf;
            options.out = out.clone();
            (
                handbuch::check(&options),
                "checked",
                common.deny.clone(),
                true,
                report.format,
                &common.root,
            )
        }
    };
    let run = handbuch::Run {
        command: if verb == "built" { "build" } else { "check" },
        deny_warnings: deny.contains(&Deny::Warnings),
    };
    // json: everything on stdout, nothing for people; github: the annotations on stdout,
    // the human report (with its source lines) on stderr, but not the list of school
    // warnings, which the annotations already are.
    let list = match format {
        Format::Json => {
            print_lines(handbuch::json_lines(&run, &result));
            return ExitCode::from(handbuch::exit_code(&run, &result));
        }
        Format::Github => {
            print_lines(handbuch::github_lines(root, &result));
            false
        }
        Format::Human => list,
    };
    let report = match result {
        Ok(report) => report,
        Err(problems) => {
            print_problems(&problems, color);
            // 2: handbuch was called in a way it refuses (e.g. an unsafe --out); 1: bad input.
            return ExitCode::from(if problems.is_usage() { 2 } else { 1 });
        }
    };
    for d in &report.warnings.0 {
        eprintln!("{}", d.render(color));
    }
    if list {
        for (slug, w) in report.school_warnings() {
            // The text quotes school data: never let it steer the terminal.
            let text = escape_unsafe(&w.text);
            println!("{slug}: {}[{}] {text}", w.severity.name(), w.id);
        }
    }
    let counted = report
        .school_severities()
        .filter(|severity| *severity >= Severity::Warning)
        .count()
        + report.warnings.0.len();
    let severities = |level: Severity| {
        report
            .school_severities()
            .filter(|severity| *severity == level)
            .count()
    };
    let (place, reuse) = if verb == "built" {
        (
            format!(" into {}", report.out.display()),
            format!(" ({} reused, {} rendered)", report.reused, report.rendered),
        )
    } else if report.reused > 0 {
        (
            String::new(),
            format!(
                " ({} reused from the build cache, {} rendered)",
                report.reused, report.rendered
            ),
        )
    } else {
        (String::new(), String::new())
    };
    eprintln!(
        "{verb} {} handbooks ({} PDFs) of {} schools{place} in {:.2} s{reuse}: {} warnings, {} dangers",
        report.handbooks,
        report.pdfs,
        report.schools,
        report.elapsed.as_secs_f64(),
        severities(Severity::Warning),
        severities(Severity::Danger),
    );
    if let Some(file) = &report.links_file {
        eprintln!(
            "wrote the links of {} handbooks to {} (send each school its own)",
            report.links.len(),
            file.display()
        );
    }
    if deny.contains(&Deny::Warnings) && counted > 0 {
        eprintln!("error: {counted} warnings and dangers, denied by --deny warnings");
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

/// A build or check stopped by a limit ends the process at once; with `--format json`
/// or `github` it still ends with the lines a program reads: the stop as a diagnostic
/// (and for json the summary), not only as text on stderr.
fn report_stops(cli: &Cli) {
    let (command, common, report) = match &cli.command {
        Command::Build { common, report, .. } => ("build", common, report),
        Command::Check { common, report, .. } => ("check", common, report),
        _ => return,
    };
    let run = handbuch::Run {
        command,
        deny_warnings: common.deny.contains(&Deny::Warnings),
    };
    let root = common.root.clone();
    let stop =
        move |code: &'static str, message: &str| -> Result<handbuch::BuildReport, Diagnostics> {
            Err(handbuch::Diagnostic::error(&root, message)
                .with_code(code)
                .into())
        };
    let joined = |lines: Vec<String>| lines.iter().map(|l| format!("{l}\n")).collect::<String>();
    match report.format {
        Format::Human => {}
        Format::Json => handbuch::budget::report_stops(
            move |code, message| joined(handbuch::json_lines(&run, &stop(code, message))),
            false,
        ),
        Format::Github => {
            let root = common.root.clone();
            handbuch::budget::report_stops(
                move |code, message| joined(handbuch::github_lines(&root, &stop(code, message))),
                true,
            );
        }
    }
}

/// Lines on stdout; a reader that went away (`| head`) ends the output, not the program.
fn print_lines(lines: Vec<String>) {
    let mut stdout = std::io::stdout().lock();
    for line in lines {
        if writeln!(stdout, "{line}").is_err() {
            return;
        }
    }
}

fn print_problems(problems: &Diagnostics, color: bool) {
    for d in &problems.0 {
        eprintln!("{}", d.render(color));
    }
    eprintln!("{}", problems.summary());
}

/// `handbuch import`: each school's file on stdout, problems and the summary on stderr.
fn import(options: &handbuch::import::ImportOptions, template: bool, color: bool) -> ExitCode {
    use handbuch::import::{render_problem, Outcome};
    let file = options.file.display();
    let failed = |problems: Diagnostics| {
        for d in &problems.0 {
            eprintln!("{}", render_problem(d, color));
        }
        let n = problems.errors().count();
        eprintln!(
            "{n} {} in {file}; nothing written",
            if n == 1 { "error" } else { "errors" }
        );
        ExitCode::from(if problems.is_usage() { 2 } else { 1 })
    };
    if template {
        return match handbuch::import::write_template(&options.file) {
            Ok(()) => {
                eprintln!("wrote {file}; fill it in, then: handbuch import {file}");
                ExitCode::SUCCESS
            }
            Err(problems) => failed(problems),
        };
    }
    let report = match handbuch::import::import(options) {
        Ok(report) => report,
        Err(problems) => return failed(problems),
    };
    let would = if report.written { "" } else { "would be " };
    let (mut created, mut updated, mut unchanged) = (0, 0, 0);
    for school in &report.schools {
        let path = school.file.display();
        match &school.outcome {
            Outcome::Created => {
                created += 1;
                println!("{path}: {would}created");
            }
            Outcome::Unchanged => {
                unchanged += 1;
                println!("{path}: unchanged");
            }
            Outcome::Updated(changes) => {
                updated += 1;
                println!("{path}: {would}updated");
                for c in changes {
                    // Values are school data: never let them steer the terminal.
                    let old = c.old.as_deref().unwrap_or("(none)");
                    println!(
                        "  {}: {} → {}",
                        c.field,
                        escape_unsafe(old),
                        escape_unsafe(&c.new)
                    );
                }
            }
        }
    }
    let done = if report.written {
        "imported"
    } else {
        "checked (dry run, nothing written)"
    };
    eprintln!(
        "{done} {} schools from {file}: {created} created, {updated} updated, {unchanged} unchanged",
        report.schools.len()
    );
    ExitCode::SUCCESS
}

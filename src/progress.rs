//! Progress on a terminal for builds that take longer than a second; silent in CI.

use std::io::IsTerminal;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

const SHOW_AFTER: Duration = Duration::from_secs(1);

pub struct Progress {
    enabled: bool,
    total: u64,
    started: Instant,
    bar: OnceLock<ProgressBar>,
}

impl Progress {
    /// A progress display for `total` handbooks; it only appears on a terminal.
    pub fn new(wanted: bool, total: usize) -> Progress {
        Progress {
            enabled: wanted && std::io::stderr().is_terminal(),
            total: total as u64,
            started: Instant::now(),
            bar: OnceLock::new(),
        }
    }

    /// One handbook is done (called from any thread).
    pub fn tick(&self) {
        if !self.enabled {
            return;
        }
        if let Some(bar) = self.bar.get() {
            bar.inc(1);
        } else if self.started.elapsed() >= SHOW_AFTER {
            // Created late, so quick builds never flash a bar.
            let bar = self.bar.get_or_init(|| {
                let bar = ProgressBar::new(self.total);
                let style =
                    ProgressStyle::with_template("  {bar:40} {pos}/{len} handbooks, {eta} left")
                        .unwrap_or_else(|_| ProgressStyle::default_bar());
                bar.set_style(style);
                bar
            });
            bar.inc(1);
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = self.bar.get() {
            bar.finish_and_clear();
        }
    }
}

//! Progress on a terminal for builds that take longer than a second; silent in CI.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

const SHOW_AFTER: Duration = Duration::from_secs(1);

pub(crate) struct Progress {
    enabled: bool,
    total: u64,
    /// Handbooks done so far, counted from the start even before the bar appears.
    done: AtomicU64,
    started: Instant,
    bar: OnceLock<ProgressBar>,
}

impl Progress {
    /// A progress display for `total` handbooks; it only appears on a terminal.
    pub(crate) fn new(wanted: bool, total: usize) -> Progress {
        Progress {
            enabled: wanted && std::io::stderr().is_terminal(),
            total: total as u64,
            done: AtomicU64::new(0),
            started: Instant::now(),
            bar: OnceLock::new(),
        }
    }

    /// One handbook is done (called from any thread).
    pub(crate) fn tick(&self) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        if !self.enabled {
            return;
        }
        // Created late, so quick builds never flash a bar; it starts at the ticks so far.
        let bar = match self.bar.get() {
            Some(bar) => bar,
            None if self.started.elapsed() >= SHOW_AFTER => self.bar.get_or_init(|| self.new_bar()),
            None => return,
        };
        // `set_position` with the shared count, not `inc`, so racing threads never undercount.
        bar.set_position(done.max(bar.position()));
    }

    /// Handbooks counted so far.
    pub(crate) fn done(&self) -> u64 {
        self.done.load(Ordering::Relaxed)
    }

    fn new_bar(&self) -> ProgressBar {
        let bar = ProgressBar::new(self.total);
        let style = ProgressStyle::with_template("  {bar:40} {pos}/{len} handbooks, {eta} left")
            .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        bar
    }

    pub(crate) fn finish(&self) {
        if let Some(bar) = self.bar.get() {
            bar.set_position(self.done());
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_tick_counts_even_before_the_bar_appears() {
        let progress = Progress::new(false, 3);
        std::thread::scope(|s| {
            for _ in 0..3 {
                s.spawn(|| progress.tick());
            }
        });
        progress.finish();
        assert_eq!(progress.done(), 3);
    }
}

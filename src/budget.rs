//! What one run may take: memory and time. Chapters and the theme's page and print
//! templates are programs (tera, Typst), and a program can loop without end or build
//! ever larger values: Typst's `range(2000000000)` in a print template took 22 GB and
//! the kernel's OOM killer after 35 s, and two nested `range` loops in a chapter ran on
//! for good. Neither engine has a limit of its own, so handbuch sets both:
//!
//! * memory: the binary's global allocator ([`Counting`]) counts the heap bytes in use
//!   and stops the run past the [memory limit](set_memory_limit) (default 4 GiB; a
//!   build of 40,000 schools peaks near 200 MB);
//! * time: each template-driven piece of work (a handbook, an overview page) runs under a
//!   [`watch`]; a watchdog thread stops the run when one takes longer than the limit
//!   (default 120 s; the heaviest handbook found within the size limits, a 470 KB
//!   table of 168 pages, takes 9 s).
//!
//! Stopping means exit code 1 with a message: the work cannot be interrupted, and the
//! run writes its output into a staging folder, so the previous output stays as it was.

use std::alloc::{GlobalAlloc, Layout};
use std::cell::Cell;
use std::sync::atomic::{AtomicIsize, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, Once, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use crate::heap::Allocator;

/// The variable that sets the memory limit, in MiB.
pub const MEMORY_VAR: &str = "HANDBUCH_MEMORY_LIMIT";
/// The variable that sets the time limit of one handbook or page, in seconds.
pub const TIME_VAR: &str = "HANDBUCH_TIME_LIMIT";

const MIB: usize = 1024 * 1024;
const DEFAULT_MEMORY: usize = 4096 * MIB;
const DEFAULT_SECONDS: u64 = 120;

static MEMORY_LIMIT: AtomicUsize = AtomicUsize::new(DEFAULT_MEMORY);
static TIME_LIMIT_SECS: AtomicU64 = AtomicU64::new(DEFAULT_SECONDS);

/// Read both limits from the environment; an unset variable keeps the default. The error
/// names the variable and the value it could not read.
pub fn limits_from_env() -> Result<(), String> {
    if let Some(mib) = positive(MEMORY_VAR)? {
        set_memory_limit(
            usize::try_from(mib)
                .unwrap_or(usize::MAX)
                .saturating_mul(MIB),
        );
    }
    if let Some(seconds) = positive(TIME_VAR)? {
        TIME_LIMIT_SECS.store(seconds, Ordering::Relaxed);
    }
    Ok(())
}

fn positive(var: &str) -> Result<Option<u64>, String> {
    let Some(value) = std::env::var_os(var) else {
        return Ok(None);
    };
    value
        .to_str()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|n| *n > 0)
        .map(Some)
        .ok_or_else(|| {
            format!(
                "{var} must be a whole number above 0, not `{}`",
                crate::diagnostics::escape_unsafe(&value.to_string_lossy())
            )
        })
}

/// Stop the run once the heap holds more than `bytes`.
pub fn set_memory_limit(bytes: usize) {
    MEMORY_LIMIT.store(bytes, Ordering::Relaxed);
}

// ---- memory -------------------------------------------------------------------------

/// Heap bytes in use, as far as the threads have reported them (see `LOCAL`).
static IN_USE: AtomicIsize = AtomicIsize::new(0);
/// A thread reports its allocations in steps of this size, not one by one: one shared
/// counter updated by every allocation of both cores would cost more than it guards.
const REPORT_STEP: isize = MIB as isize;

thread_local! {
    /// Bytes this thread allocated (or freed, below 0) since it last reported.
    static LOCAL: Cell<isize> = const { Cell::new(0) };
}

/// The heap's allocator ([`crate::heap`]), counting:
/// `#[global_allocator] static A: Counting = Counting;`.
pub struct Counting;

impl Counting {
    /// Count `delta` bytes (freed: below 0); past the limit the run stops.
    #[inline]
    fn count(delta: isize) {
        let report = LOCAL
            .try_with(|local| {
                let pending = local.get() + delta;
                if pending.abs() < REPORT_STEP {
                    local.set(pending);
                    0
                } else {
                    local.set(0);
                    pending
                }
            })
            // A thread being torn down reports directly.
            .unwrap_or(delta);
        if report != 0 {
            let total = IN_USE.fetch_add(report, Ordering::Relaxed) + report;
            if report > 0 && total > 0 && total as usize > MEMORY_LIMIT.load(Ordering::Relaxed) {
                out_of_memory();
            }
        }
    }
}

fn signed(size: usize) -> isize {
    isize::try_from(size).unwrap_or(isize::MAX)
}

// SAFETY: every call is passed on to the allocator unchanged; the counting around it touches
// only atomics and a const-initialized thread-local, and never allocates.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        Counting::count(signed(layout.size()));
        // SAFETY: the caller's contract is the allocator's.
        unsafe { Allocator.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        Counting::count(signed(layout.size()));
        // SAFETY: as above.
        unsafe { Allocator.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { Allocator.dealloc(ptr, layout) };
        Counting::count(-signed(layout.size()));
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        Counting::count(signed(new_size) - signed(layout.size()));
        // SAFETY: as above; the allocator may grow the block in place, which a default
        // alloc + copy + free would not.
        unsafe { Allocator.realloc(ptr, layout, new_size) }
    }
}

/// The memory stop's message around the limit in MiB, without `error: `.
const MEMORY_BEFORE: &str = "stopped: this run needs more than its memory limit of ";
const MEMORY_AFTER: &str = " MiB (HANDBUCH_MEMORY_LIMIT sets another, in MiB). A template \
that builds ever larger values is the likely cause: a chapter, or the theme's page or \
print template (e.g. `range(...)` of billions, or a string repeated in a loop). Nothing \
was published; the previous output is as it was.";

/// Say why and end the process. Inside the allocator nothing may allocate: the message
/// is written from static text, a number formatted on the stack and the report made in
/// advance (`report_stops`), and `_exit` runs no destructors.
#[cold]
fn out_of_memory() -> ! {
    let mut digits = [0u8; 20];
    let number = decimal(MEMORY_LIMIT.load(Ordering::Relaxed) / MIB, &mut digits);
    let report = STOP_REPORT.get();
    let human: [&[u8]; 5] = [
        b"error: ",
        MEMORY_BEFORE.as_bytes(),
        number,
        MEMORY_AFTER.as_bytes(),
        b"\n",
    ];
    #[cfg(unix)]
    {
        let write = |fd: i32, part: &[u8]| {
            // SAFETY: writes a valid buffer; async-signal-safe, allocates nothing.
            unsafe { libc::write(fd, part.as_ptr().cast(), part.len()) };
        };
        if report.is_none_or(|r| r.human_too) {
            human.iter().for_each(|part| write(2, part));
        }
        if let Some(report) = report {
            write(1, &report.memory);
        }
        // SAFETY: ends the process at once, running no destructors (which could allocate).
        unsafe { libc::_exit(1) }
    }
    #[cfg(not(unix))]
    {
        // Unbuffered, behind a static lock: no allocation either.
        if report.is_none_or(|r| r.human_too) {
            let mut stderr = std::io::stderr();
            for part in human {
                let _ = std::io::Write::write_all(&mut stderr, part);
            }
        }
        if let Some(report) = report {
            let _ = std::io::Write::write_all(&mut std::io::stdout(), &report.memory);
        }
        std::process::exit(1)
    }
}

// ---- how a stop is told ---------------------------------------------------------------

/// The code of a stop at the memory limit, in `--format json` and `github`.
pub const MEMORY_CODE: &str = "build.memory-limit";
/// The code of a stop at the time limit.
pub const TIME_CODE: &str = "build.time-limit";

/// What a stop writes to stdout, from its code and message (`--format json`, `github`).
type StopLines = Box<dyn Fn(&'static str, &str) -> String + Send + Sync>;

struct StopReport {
    lines: StopLines,
    /// `github` also writes the text for people to stderr; `json` writes nothing there.
    human_too: bool,
    /// The memory stop's stdout text, made in advance: the allocator may not allocate.
    memory: Vec<u8>,
}

static STOP_REPORT: OnceLock<StopReport> = OnceLock::new();

/// Tell a stop on stdout too, as `lines` words it; with `human_too: false` only there.
/// Call it after [`limits_from_env`]: the memory stop's text is made now, with the limit.
pub fn report_stops(
    lines: impl Fn(&'static str, &str) -> String + Send + Sync + 'static,
    human_too: bool,
) {
    let limit = MEMORY_LIMIT.load(Ordering::Relaxed) / MIB;
    let message = format!("{MEMORY_BEFORE}{limit}{MEMORY_AFTER}");
    let memory = lines(MEMORY_CODE, &message).into_bytes();
    let _ = STOP_REPORT.set(StopReport {
        lines: Box::new(lines),
        human_too,
        memory,
    });
}

/// The time stop: `message` (without `error: `) where the run was told to tell it.
fn stop_in_time(message: &str) -> ! {
    let report = STOP_REPORT.get();
    if report.is_none_or(|r| r.human_too) {
        eprintln!("error: {message}");
    }
    if let Some(report) = report {
        let mut stdout = std::io::stdout().lock();
        let _ =
            std::io::Write::write_all(&mut stdout, (report.lines)(TIME_CODE, message).as_bytes());
        let _ = std::io::Write::flush(&mut stdout);
    }
    std::process::exit(1);
}

/// `n` in decimal digits, written into the end of `buffer`.
fn decimal(mut n: usize, buffer: &mut [u8; 20]) -> &[u8] {
    let mut start = buffer.len();
    loop {
        start -= 1;
        buffer[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            return &buffer[start..];
        }
    }
}

// ---- time ---------------------------------------------------------------------------

struct Running {
    id: u64,
    since: Instant,
    what: String,
}

static RUNNING: Mutex<Vec<Running>> = Mutex::new(Vec::new());
static NEXT_ID: AtomicU64 = AtomicU64::new(0);
static WATCHDOG: Once = Once::new();

/// Work under the time limit while the returned guard lives. `what` names it in the
/// message, e.g. "the handbook of `gymnasium` (de)"; it is made only when the work starts.
pub(crate) fn watch(what: impl FnOnce() -> String) -> Watched {
    WATCHDOG.call_once(|| {
        // Without the watchdog the work still runs, only without a time limit.
        let _ = std::thread::Builder::new()
            .name("handbuch-watchdog".into())
            .spawn(watchdog);
    });
    let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
    let entry = Running {
        id,
        since: Instant::now(),
        what: what(),
    };
    running().push(entry);
    Watched { id }
}

/// Ends the watch of one piece of work when dropped.
pub(crate) struct Watched {
    id: u64,
}

impl Drop for Watched {
    fn drop(&mut self) {
        let mut running = running();
        if let Some(at) = running.iter().position(|r| r.id == self.id) {
            running.swap_remove(at);
        }
    }
}

fn running() -> std::sync::MutexGuard<'static, Vec<Running>> {
    RUNNING.lock().unwrap_or_else(PoisonError::into_inner)
}

fn watchdog() {
    loop {
        std::thread::sleep(Duration::from_millis(250));
        let limit = Duration::from_secs(TIME_LIMIT_SECS.load(Ordering::Relaxed));
        let overdue = running()
            .iter()
            .find(|r| r.since.elapsed() > limit)
            .map(|r| r.what.clone());
        if let Some(what) = overdue {
            stop_in_time(&format!(
                "stopped: {what} took longer than {} s ({TIME_VAR} sets another limit, \
in seconds). A loop in a template that does not end is the likely cause: a chapter, or \
the theme's page or print template. Nothing was published; the previous output is as \
it was.",
                limit.as_secs()
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_limit_is_written_in_decimal_without_allocating() {
        let mut buffer = [0u8; 20];
        assert_eq!(decimal(0, &mut buffer), b"0");
        assert_eq!(decimal(4096, &mut buffer), b"4096");
        assert_eq!(decimal(usize::MAX, &mut buffer), b"18446744073709551615");
    }

    #[test]
    fn watched_work_is_listed_until_its_guard_goes() {
        let first = watch(|| "one".to_string());
        let second = watch(|| "two".to_string());
        let listed = || -> Vec<String> { running().iter().map(|r| r.what.clone()).collect() };
        assert!(listed().contains(&"one".to_string()));
        drop(first);
        assert!(!listed().contains(&"one".to_string()));
        assert!(listed().contains(&"two".to_string()));
        drop(second);
        assert!(!listed().contains(&"two".to_string()));
    }
}

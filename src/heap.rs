//! The heap: which allocator serves the binary, and how freed memory goes back to the OS.
//!
//! A build makes and drops millions of small values (Markdown trees, template contexts,
//! Typst's layout), and glibc's malloc was 15–20 % of a clean build's CPU samples. mimalloc
//! serves them from per-thread pages. Clean builds on 2 cores, runs alternating: 1,000
//! schools with PDFs 15.6–16.9 s instead of 17.2–19.2 s; 40,000 schools in HTML a median
//! of 15.2 s instead of 20.2 s (`bench/results/issue16-round9.md`).
//!
//! Memory: with transparent huge pages a 2 MiB page stays resident while one small value
//! on it lives, and the peak of 5,000 handouts rose from 100 to 157 MB (299 MB at
//! 40,000). Without them it is 109 MB (270 MB at 40,000) within this machine's noise, so
//! the process turns them off.

/// The allocator that [`crate::budget::Counting`] counts for.
pub(crate) use mimalloc::MiMalloc as Allocator;

/// Keep this process off transparent huge pages (see above). Call it first in `main`:
/// pages already faulted in as huge stay so.
pub fn small_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE only sets a flag of this process's memory map; the
    // result is ignored, as a kernel without it simply keeps its default.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// Hand freed pages back to the OS now instead of after mimalloc's purge delay, so the
/// next phase of a build (the site files after the handbooks) starts from what is in use.
/// The renderer does it every few handouts and the build between its phases.
pub(crate) fn release_freed() {
    // SAFETY: mi_collect only reorganizes mimalloc's own free memory and may be called
    // from any thread at any time.
    unsafe {
        libmimalloc_sys::mi_collect(true);
    }
}

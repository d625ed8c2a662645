//! Render handbooks on a fixed set of worker threads.
//!
//! Not rayon's global pool: Typst uses rayon inside a compilation, and a rayon worker that
//! waits there steals the next handbook and starts it on the same stack. Handbooks then
//! nest, memory grows with the number of schools and deep stacks overflow. Workers pulling
//! from a shared counter, each a pool of its own, keep exactly one handbook per worker in
//! flight.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

/// Typst lays out recursively and needs more than a small default stack
/// (its own CLI runs on an 8 MiB main thread).
const STACK: usize = 16 * 1024 * 1024;

/// How many workers: `RAYON_NUM_THREADS` if set (so one knob limits everything),
/// else the number of cores.
fn worker_count() -> usize {
    std::env::var("RAYON_NUM_THREADS")
        .ok()
        .and_then(|n| n.parse().ok())
        .filter(|n: &usize| *n > 0)
        .unwrap_or_else(|| thread::available_parallelism().map_or(1, |n| n.get()))
}

/// Run `job` for every item on the workers; results come back in item order.
pub(super) fn run_all<T: Sync, R: Send>(
    items: &[T],
    job: impl Fn(&T) -> R + Sync,
) -> Result<Vec<R>, String> {
    let next = AtomicUsize::new(0);
    let workers = worker_count().min(items.len()).max(1);
    // Each worker is a rayon pool of one thread: what Typst runs in parallel inside a
    // handbook then runs on that same thread, in turn. On the global pool it was handed to
    // other threads while the worker waited: four threads on two cores, 15 % of the
    // cores idle in a build with PDFs (1.69 of 2 busy, measured).
    let pools = (0..workers)
        .map(|_| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(1)
                .stack_size(STACK)
                .thread_name(|_| "handbuch-worker".into())
                .build()
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("cannot start worker threads: {e}"))?;
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else { break };
            done.push((i, job(item)));
        }
        done
    };
    let mut results: Vec<(usize, R)> = thread::scope(|scope| {
        let handles: Vec<_> = pools
            .iter()
            .map(|pool| scope.spawn(|| pool.install(work)))
            .collect();
        let mut all = Vec::with_capacity(items.len());
        for handle in handles {
            all.extend(
                handle
                    .join()
                    .map_err(|_| "a worker thread failed".to_string())?,
            );
        }
        Ok::<_, String>(all)
    })?;
    results.sort_by_key(|(i, _)| *i);
    Ok(results.into_iter().map(|(_, r)| r).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_item_order() {
        let items: Vec<u32> = (0..500).collect();
        let out = run_all(&items, |n| n * 2).expect("workers start");
        assert_eq!(out, items.iter().map(|n| n * 2).collect::<Vec<_>>());
    }
}

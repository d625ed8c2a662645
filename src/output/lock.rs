//! One writer at a time: an exclusive lock on a file next to the output, held for the
//! whole build. A second build of the same output waits for the first, then goes on.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{self, Read, Seek, Write};
use std::path::Path;
use std::time::Duration;

use super::sibling;

/// Held while it lives; the operating system releases it when the file is closed, also
/// when the process dies, so a crashed build never leaves a stale lock.
pub(super) struct OutputLock {
    file: File,
}

impl OutputLock {
    /// Lock `.<out>.lock`, waiting (and saying so once) while another build holds it.
    pub(super) fn acquire(out: &Path) -> io::Result<OutputLock> {
        let path = sibling(out, "lock");
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        // Never truncated on open: the holder's pid in it is what the waiting message names.
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let pid = holder(&mut file);
                eprintln!(
                    "waiting for another build of {} (pid {})…",
                    out.display(),
                    pid.as_deref().unwrap_or("?")
                );
                file.lock()?;
            }
            Err(TryLockError::Error(e)) => return Err(e),
        }
        file.set_len(0)?;
        file.rewind()?;
        write!(file, "{}", std::process::id())?;
        Ok(OutputLock { file })
    }
}

impl Drop for OutputLock {
    /// Emptied before the lock goes, so a waiting build never names a finished one.
    fn drop(&mut self) {
        let _ = self.file.set_len(0);
    }
}

/// The pid the lock's holder wrote. It writes it just after locking: a build started at the
/// same moment gives it that instant (up to 0.5 s) rather than print no pid.
fn holder(file: &mut File) -> Option<String> {
    for _ in 0..50 {
        if let Some(pid) = read_pid(file) {
            return Some(pid);
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    None
}

fn read_pid(file: &mut File) -> Option<String> {
    let mut text = String::new();
    file.rewind().ok()?;
    // A pid has at most 20 digits; whatever else is in the file is not read whole.
    file.take(64).read_to_string(&mut text).ok()?;
    let pid = text.trim();
    (!pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit())).then(|| pid.to_string())
}

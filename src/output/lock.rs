//! One writer at a time: an exclusive lock on a file next to the output, held for the
//! whole build. A second build of the same output waits for the first, then goes on.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{self, Read, Seek, Write};
use std::path::Path;

use super::sibling;

/// Held while it lives; the operating system releases it when the file is closed, also
/// when the process dies, so a crashed build never leaves a stale lock.
pub struct OutputLock {
    _file: File,
}

impl OutputLock {
    /// Lock `.<out>.lock`, waiting (and saying so once) while another build holds it.
    pub fn acquire(out: &Path) -> io::Result<OutputLock> {
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
                eprintln!(
                    "waiting for another build of {} (pid {})…",
                    out.display(),
                    holder(&mut file)
                );
                file.lock()?;
            }
            Err(TryLockError::Error(e)) => return Err(e),
        }
        file.set_len(0)?;
        file.rewind()?;
        write!(file, "{}", std::process::id())?;
        Ok(OutputLock { _file: file })
    }
}

/// The pid the lock's holder wrote, or `?` while it has not written it yet.
fn holder(file: &mut File) -> String {
    let mut text = String::new();
    let read = file.rewind().and_then(|()| file.read_to_string(&mut text));
    match read.ok().map(|_| text.trim()) {
        Some(pid) if !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()) => pid.into(),
        _ => "?".into(),
    }
}

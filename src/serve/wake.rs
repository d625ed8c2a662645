//! Wake the watcher as soon as something in the project's folders is written, so a saved
//! file is seen at once instead of at the next look. On Linux with inotify; elsewhere, or
//! when inotify cannot be had, the watcher's own pause between looks is all there is.
//! The wake-up only says "look now": what changed is still found by comparing snapshots.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::thread;
use std::time::Duration;

/// After a wake-up, how long to let the writer finish (an editor may write a file and
/// rename it, or write several) before the watcher looks.
const SETTLE: Duration = Duration::from_millis(10);

pub(super) struct Wake {
    events: Receiver<()>,
    /// Whether writes wake the watcher (inotify started).
    live: bool,
    #[cfg(target_os = "linux")]
    inotify: Option<std::sync::Arc<std::os::fd::OwnedFd>>,
}

impl Wake {
    /// Start listening; without inotify the watcher just waits out its pauses.
    pub(super) fn new() -> Wake {
        let (tx, events) = std::sync::mpsc::channel();
        #[cfg(target_os = "linux")]
        {
            let inotify = linux::start(tx);
            Wake {
                events,
                live: inotify.is_some(),
                inotify,
            }
        }
        #[cfg(not(target_os = "linux"))]
        {
            drop(tx);
            Wake {
                events,
                live: false,
            }
        }
    }

    /// True when a change wakes the watcher, so it can look less often by itself.
    pub(super) fn is_live(&self) -> bool {
        self.live
    }

    /// Be woken by writes in these folders (again for those already watched: harmless).
    pub(super) fn watch(&self, folders: &[PathBuf]) {
        #[cfg(target_os = "linux")]
        if let Some(fd) = &self.inotify {
            linux::watch(fd, folders);
        }
        #[cfg(not(target_os = "linux"))]
        let _ = folders;
    }

    /// Wait for a write in a watched folder, or `pause` at most.
    pub(super) fn wait(&self, pause: Duration) {
        match self.events.recv_timeout(pause) {
            Ok(()) => {
                thread::sleep(SETTLE);
                while self.events.try_recv().is_ok() {}
            }
            Err(RecvTimeoutError::Timeout) => {}
            // No inotify (or it failed): only the pause.
            Err(RecvTimeoutError::Disconnected) => thread::sleep(pause),
        }
    }
}

#[cfg(target_os = "linux")]
mod linux {
    use std::mem::MaybeUninit;
    use std::os::fd::OwnedFd;
    use std::path::PathBuf;
    use std::sync::mpsc::Sender;
    use std::sync::Arc;
    use std::thread;

    use rustix::fs::inotify::{self, CreateFlags, WatchFlags};

    /// What counts as a write: a file closed after writing, created, moved or removed.
    fn flags() -> WatchFlags {
        WatchFlags::CLOSE_WRITE
            | WatchFlags::CREATE
            | WatchFlags::DELETE
            | WatchFlags::MOVED_FROM
            | WatchFlags::MOVED_TO
            | WatchFlags::ATTRIB
    }

    /// An inotify instance and a thread that signals `tx` on each of its events.
    pub(super) fn start(tx: Sender<()>) -> Option<Arc<OwnedFd>> {
        let fd = Arc::new(inotify::init(CreateFlags::CLOEXEC).ok()?);
        let reader = fd.clone();
        thread::Builder::new()
            .name("handbuch-watch".into())
            .spawn(move || read_events(&reader, &tx))
            .ok()?;
        Some(fd)
    }

    /// Until the watcher is gone or inotify fails (then `tx` goes and the watcher falls
    /// back to its pauses).
    fn read_events(fd: &OwnedFd, tx: &Sender<()>) {
        let mut buffer = [MaybeUninit::<u8>::uninit(); 8192];
        let mut events = inotify::Reader::new(fd, &mut buffer);
        loop {
            match events.next() {
                Ok(_) => {
                    if tx.send(()).is_err() {
                        return;
                    }
                }
                Err(rustix::io::Errno::INTR) => {}
                Err(_) => return,
            }
        }
    }

    /// A folder that cannot be watched (gone, too many watches) is seen at the next look.
    pub(super) fn watch(fd: &OwnedFd, folders: &[PathBuf]) {
        for folder in folders {
            let _ = inotify::add_watch(fd, folder.as_path(), flags());
        }
    }
}

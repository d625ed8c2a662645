//! `handbuch serve` as a child process on a free port, stopped when dropped.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

pub struct Server {
    child: Child,
    pub base: String,
    /// The server's TMPDIR: it keeps its site there and must leave nothing behind.
    pub tmp: tempfile::TempDir,
}

impl Server {
    /// Start serving `root` (without PDFs, for speed) and wait until it listens.
    pub fn start(root: &Path) -> Server {
        Server::start_with(root, &["--no-pdf"])
    }

    /// Start serving `root` with these flags besides port, date and root.
    pub fn start_with(root: &Path, flags: &[&str]) -> Server {
        let tmp = tempfile::tempdir().expect("temp dir");
        let mut child = Command::new(env!("CARGO_BIN_EXE_handbuch"))
            .args(["serve", "--port", "0", "--today", super::TODAY])
            .args(flags)
            .arg("--root")
            .arg(root)
            .env("NO_COLOR", "1")
            .env("TMPDIR", tmp.path())
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("start handbuch serve");
        let stderr = child.stderr.take().expect("stderr piped");
        let (tx, rx) = mpsc::channel();
        // Read stderr to the end so the child never blocks on a full pipe.
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let deadline = Instant::now() + Duration::from_secs(60);
        let base = loop {
            let line = rx
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .expect("serve did not start in time");
            if let Some(rest) = line.split(" on http://").nth(1) {
                break format!("http://{}", rest.split('/').next().expect("address"));
            }
        };
        Server { child, base, tmp }
    }

    /// GET `path`; returns (status code, body).
    pub fn get(&self, path: &str) -> (u16, String) {
        let (code, body) = self.get_bytes(path);
        (code, String::from_utf8_lossy(&body).into_owned())
    }

    /// GET `path`; returns (status code, body as sent).
    pub fn get_bytes(&self, path: &str) -> (u16, Vec<u8>) {
        let address = self.base.trim_start_matches("http://");
        let mut stream = TcpStream::connect(address).expect("connect");
        stream
            // Longer than a status request waits for news (20 s).
            .set_read_timeout(Some(Duration::from_secs(60)))
            .expect("timeout");
        write!(stream, "GET {path} HTTP/1.0\r\nHost: {address}\r\n\r\n").expect("request");
        let mut response = Vec::new();
        stream.read_to_end(&mut response).expect("response");
        let end_of_head = response
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .map_or(response.len(), |at| at + 4);
        let head = String::from_utf8_lossy(&response[..end_of_head]);
        let code = head
            .split(' ')
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        (code, response[end_of_head..].to_vec())
    }

    /// Poll `path` until `ready(body)` holds, for at most 20 seconds.
    pub fn wait_for(&self, path: &str, ready: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let (_, body) = self.get(path);
            if ready(&body) {
                return body;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {path}; last body:\n{body}"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

impl Server {
    /// End the server as a terminal or service manager would (SIGTERM) and wait for it,
    /// for at most 10 seconds; returns whether it ended by itself.
    pub fn terminate(&mut self) -> bool {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        false
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if !self.terminate() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

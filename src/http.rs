//! The preview's HTTP server: GET and HEAD of small files, one request per connection,
//! and a bound on everything a client controls (header size, time, connections), so
//! that no request can make the process allocate, wait or spawn without limit.
//!
//! Written on std rather than on tiny_http 0.12: that crate sizes a buffer from the
//! request's Content-Length when it discards an unread body (an abort for
//! `Content-Length: 99999999999`, before the handler can refuse it) and reads header
//! lines without a length limit.

use std::borrow::Cow;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

/// Request line and headers together; browsers send well under 2 KB.
const MAX_HEAD_BYTES: usize = 16 * 1024;
const MAX_HEADERS: usize = 100;
/// Connections served at once; more get 503 straight away.
const MAX_CONNECTIONS: usize = 64;
/// The whole request head must arrive within this time.
const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
const WRITE_TIMEOUT: Duration = Duration::from_secs(30);
/// What is read (and thrown away) after an error answer, so the client sees the answer
/// instead of a reset connection.
const DRAIN_BYTES: usize = 64 * 1024;

/// What a handler answers: a status, a content type and the body.
pub(crate) struct Response {
    pub status: u16,
    pub content_type: Cow<'static, str>,
    pub body: Vec<u8>,
}

impl Response {
    pub(crate) fn new(
        status: u16,
        content_type: impl Into<Cow<'static, str>>,
        body: Vec<u8>,
    ) -> Response {
        Response {
            status,
            content_type: content_type.into(),
            body,
        }
    }

    fn text(status: u16, body: &str) -> Response {
        Response::new(
            status,
            "text/plain; charset=utf-8",
            body.as_bytes().to_vec(),
        )
    }
}

/// Serve every connection of `listener` with `handler(path)` until the process ends.
/// The path is the request target as sent (query included).
pub(crate) fn serve<H>(listener: TcpListener, handler: H)
where
    H: Fn(&str) -> Response + Send + Sync + 'static,
{
    let handler = Arc::new(handler);
    let active = Arc::new(AtomicUsize::new(0));
    for stream in listener.incoming() {
        // A failed accept (a client that left, too many open files) concerns one client.
        let Ok(mut stream) = stream else { continue };
        if active.load(Ordering::SeqCst) >= MAX_CONNECTIONS {
            let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
            let _ = write_response(&mut stream, &Response::text(503, "busy\n"), true);
            continue;
        }
        let slot = Slot::take(&active);
        let handler = handler.clone();
        let spawned = thread::Builder::new()
            .name("handbuch-http".into())
            .spawn(move || {
                let _slot = slot;
                connection(stream, handler.as_ref());
            });
        // No thread to be had: the stream went with the closure and is closed.
        let _ = spawned;
    }
}

/// One counted connection; the count goes down when the connection's thread ends.
struct Slot(Arc<AtomicUsize>);

impl Slot {
    fn take(active: &Arc<AtomicUsize>) -> Slot {
        active.fetch_add(1, Ordering::SeqCst);
        Slot(active.clone())
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

fn connection(mut stream: TcpStream, handler: &dyn Fn(&str) -> Response) {
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    let (response, head_only) = match read_head(&stream) {
        Ok(head) => match check(&head) {
            Ok(()) => (handler(&head.target), head.method == "HEAD"),
            Err(refusal) => (refusal, head.method == "HEAD"),
        },
        Err(refusal) => (refusal, false),
    };
    let failed = response.status >= 400;
    if write_response(&mut stream, &response, head_only).is_err() {
        return;
    }
    if failed {
        // The client may still be sending; read a little so it gets our answer
        // rather than a reset, then close whatever is left.
        let _ = stream.shutdown(Shutdown::Write);
        let _ = stream.set_read_timeout(Some(Duration::from_millis(200)));
        let _ = std::io::copy(
            &mut (&stream).take(DRAIN_BYTES as u64),
            &mut std::io::sink(),
        );
    }
    let _ = stream.shutdown(Shutdown::Both);
}

struct Head {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
}

/// Read the request line and headers, never more than [`MAX_HEAD_BYTES`], never
/// longer than [`HEAD_TIMEOUT`], and nothing of a body.
fn read_head(stream: &TcpStream) -> Result<Head, Response> {
    let started = Instant::now();
    let mut reader = BufReader::new(stream.take(MAX_HEAD_BYTES as u64));
    let mut lines = Vec::new();
    loop {
        let left = HEAD_TIMEOUT.saturating_sub(started.elapsed());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return Err(Response::text(408, "request timeout\n"));
        }
        let mut line = Vec::new();
        match reader.read_until(b'\n', &mut line) {
            Ok(_) if !line.ends_with(b"\n") => {
                // The limit or the end of the stream came before the end of the head.
                return Err(Response::text(431, "request header too large\n"));
            }
            Ok(_) => {}
            Err(_) => return Err(Response::text(408, "request timeout\n")),
        }
        let line = String::from_utf8_lossy(&line).trim_end().to_string();
        if line.is_empty() && !lines.is_empty() {
            break;
        }
        if !line.is_empty() {
            lines.push(line);
        }
        if lines.len() > MAX_HEADERS + 1 {
            return Err(Response::text(431, "too many request headers\n"));
        }
    }
    parse_head(&lines).ok_or_else(|| Response::text(400, "bad request\n"))
}

fn parse_head(lines: &[String]) -> Option<Head> {
    let (request_line, header_lines) = lines.split_first()?;
    let mut parts = request_line.split(' ');
    let (method, target, version) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || !version.starts_with("HTTP/") {
        return None;
    }
    let headers = header_lines
        .iter()
        .map(|line| {
            let (name, value) = line.split_once(':')?;
            Some((name.trim().to_ascii_lowercase(), value.trim().to_string()))
        })
        .collect::<Option<Vec<_>>>()?;
    Some(Head {
        method: method.to_string(),
        target: target.to_string(),
        headers,
    })
}

/// Only GET and HEAD of a path, and no body: anything else is refused unread.
fn check(head: &Head) -> Result<(), Response> {
    if head.method != "GET" && head.method != "HEAD" {
        return Err(Response::text(405, "only GET and HEAD\n"));
    }
    for (name, value) in &head.headers {
        let announces_body = match name.as_str() {
            "transfer-encoding" => true,
            "content-length" => value != "0",
            _ => false,
        };
        if announces_body {
            return Err(Response::text(413, "a request body is not accepted\n"));
        }
    }
    if !head.target.starts_with('/') {
        return Err(Response::text(400, "bad request\n"));
    }
    Ok(())
}

fn write_response(
    stream: &mut TcpStream,
    response: &Response,
    head_only: bool,
) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n",
        response.status,
        reason(response.status),
        response.content_type,
        response.body.len()
    );
    if response.status == 405 {
        head.push_str("Allow: GET, HEAD\r\n");
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    if !head_only {
        stream.write_all(&response.body)?;
    }
    stream.flush()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        413 => "Content Too Large",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(lines: &[&str]) -> Head {
        let lines: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        parse_head(&lines).unwrap_or_else(|| panic!("{lines:?} parses"))
    }

    fn status(lines: &[&str]) -> Option<u16> {
        check(&head(lines)).err().map(|r| r.status)
    }

    #[test]
    fn only_bodiless_get_and_head_pass() {
        assert_eq!(status(&["GET / HTTP/1.1", "Host: x"]), None);
        assert_eq!(status(&["HEAD /a HTTP/1.0"]), None);
        assert_eq!(status(&["GET / HTTP/1.1", "Content-Length: 0"]), None);
        assert_eq!(
            status(&["POST / HTTP/1.1", "Content-Length: 99999999999"]),
            Some(405)
        );
        assert_eq!(status(&["PUT / HTTP/1.1"]), Some(405));
        assert_eq!(status(&["GET / HTTP/1.1", "content-length: 5"]), Some(413));
        assert_eq!(
            status(&["GET / HTTP/1.1", "Transfer-Encoding: chunked"]),
            Some(413)
        );
        assert_eq!(status(&["GET http://x/ HTTP/1.1"]), Some(400));
    }

    #[test]
    fn malformed_heads_are_refused() {
        assert!(parse_head(&["GET /".to_string()]).is_none());
        assert!(parse_head(&["GET / HTTP/1.1 x".to_string()]).is_none());
        assert!(parse_head(&["GET / HTTP/1.1".to_string(), "no colon".to_string()]).is_none());
    }
}

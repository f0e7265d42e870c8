//! `pex lesson serve FILE`: a small HTTP server for a lesson being written. It serves the file at
//! `http://<address>:<port>/<file name>` with the headers the app needs to fetch it from another
//! origin, prints the app's link that plays it (`#lesson-src=<url>`), checks the lesson as
//! `pex lesson check` does, and checks it again every time the file changes.
//!
//! What it prints, one line at a time (each flushed; tests and the browser tests read them):
//!
//! ```text
//! serving <path> at http://<address>:<port>/<file name>
//! open: <app>#lesson-src=<the url, percent-encoded>
//! ok: <title> — <model>/<config>: <n> steps, <m> challenges, walk of <k> actions; <P> breaks at step <s>
//! changed: <path>
//! error: <path>: line <l>, column <c>: <what is wrong>
//! ```
//!
//! The first three at start; then, each time the file's modification time or length changes (polled
//! every [`POLL`]; once it has stayed the same for a moment, so a save is read whole), `changed:
//! <path>` and a new `ok:` or `error:` line. A file that disappears gives
//! an `error:` line (it cannot be read) and `404` until it is back.
//!
//! Only the standard library: a thread per connection (at most [`MAX_CONNECTIONS`] at once), each
//! with a deadline, a request head of at most [`MAX_HEAD`] bytes, one response per connection.

use crate::catalogue::Catalogue;
use crate::lessons;
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use std::io::{self, Read, Write};
use std::net::{Ipv6Addr, Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

/// How often the file is looked at for a change.
pub const POLL: Duration = Duration::from_millis(300);
/// The longest request head read (request line and headers); a longer one is answered 431.
pub const MAX_HEAD: usize = 16 * 1024;
/// Connections served at once; one more is closed unanswered.
pub const MAX_CONNECTIONS: usize = 32;
/// How long a connection may take to send its request head.
const REQUEST_DEADLINE: Duration = Duration::from_secs(10);
/// How long writing a response may block.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a connection is kept open after its response, for the client to close it.
const LINGER: Duration = Duration::from_secs(1);
/// How long a changed file must stay the same before it is checked (see [`settle`]).
const SETTLE: Duration = Duration::from_millis(50);
/// How long the accept loop sleeps when there is nothing to do.
const IDLE: Duration = Duration::from_millis(20);

/// What to serve, where, and the app to link to.
#[derive(Clone, Debug)]
pub struct Options {
    /// The lesson file.
    pub file: PathBuf,
    /// The address to listen on (`127.0.0.1`, `::1`, `0.0.0.0`).
    pub address: String,
    /// The port; 0 for any free one (the printed URL says which).
    pub port: u16,
    /// The app the `open:` link points at (`http://127.0.0.1:8080/`, the hosted site).
    pub app: String,
}

/// Why [`run`] stopped early.
#[derive(Debug)]
pub enum ServeError {
    /// The file's path does not end in a file name.
    NoFileName(PathBuf),
    /// The address and port could not be listened on.
    Listen(String, io::Error),
    /// The output could not be written.
    Output(io::Error),
}

impl std::fmt::Display for ServeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ServeError::NoFileName(p) => write!(f, "{}: not a file's path", p.display()),
            ServeError::Listen(at, e) => write!(f, "cannot listen on {at}: {e}"),
            ServeError::Output(e) => write!(f, "cannot write the output: {e}"),
        }
    }
}

impl std::error::Error for ServeError {}

/// Path characters written as they are in the served URL: the unreserved ones.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// The URL the file is served at.
pub fn file_url(address: &str, port: u16, name: &str) -> String {
    let host = if address.parse::<Ipv6Addr>().is_ok() { format!("[{address}]") } else { address.to_string() };
    format!("http://{host}:{port}/{}", utf8_percent_encode(name, PATH_SEGMENT))
}

/// The app's link that plays the lesson at `url`: `app` without any `#…`, with a `/` added when it
/// names a folder without one (`http://127.0.0.1:8080` → `http://127.0.0.1:8080/`; a page such as
/// `…/index.html` or an address with a query is kept as it is), then `#lesson-src=<url encoded>`.
pub fn open_link(app: &str, url: &str) -> String {
    let app = app.split('#').next().unwrap_or("").trim();
    let path = app.split_once("://").map_or(app, |(_, rest)| rest.find('/').map_or("", |i| &rest[i..]));
    let last = path.rsplit('/').next().unwrap_or("");
    let slash = if path.is_empty() || (!app.ends_with('/') && !app.contains('?') && !last.contains('.')) { "/" } else { "" };
    format!("{app}{slash}#lesson-src={}", utf8_percent_encode(url, NON_ALPHANUMERIC))
}

/// Serves `opts.file` until `stop` is set, writing the lines described in the module's
/// documentation to `out`. Returns when `stop` is set, or at once with an error when the address
/// cannot be listened on or `out` cannot be written.
pub fn run(catalogue: &Catalogue, opts: &Options, out: &mut impl Write, stop: &AtomicBool) -> Result<(), ServeError> {
    let name = opts.file.file_name().map(|n| n.to_string_lossy().into_owned()).ok_or_else(|| ServeError::NoFileName(opts.file.clone()))?;
    let at = if opts.address.parse::<Ipv6Addr>().is_ok() { format!("[{}]:{}", opts.address, opts.port) } else { format!("{}:{}", opts.address, opts.port) };
    let listener = TcpListener::bind((opts.address.as_str(), opts.port)).map_err(|e| ServeError::Listen(at.clone(), e))?;
    let port = listener.local_addr().map_err(|e| ServeError::Listen(at.clone(), e))?.port();
    listener.set_nonblocking(true).map_err(|e| ServeError::Listen(at, e))?;
    let url = file_url(&opts.address, port, &name);
    let mut say = |line: String| -> Result<(), ServeError> { writeln!(out, "{line}").and_then(|()| out.flush()).map_err(ServeError::Output) };
    say(format!("serving {} at {url}", opts.file.display()))?;
    say(format!("open: {}", open_link(&opts.app, &url)))?;
    let mut seen = signature(&opts.file);
    say(verdict(catalogue, &opts.file))?;
    let file = Arc::new(Served { path: opts.file.clone(), name });
    let active = Arc::new(AtomicUsize::new(0));
    let mut polled = Instant::now();
    while !stop.load(Ordering::SeqCst) {
        let mut busy = false;
        loop {
            match listener.accept() {
                Ok((stream, _)) => {
                    busy = true;
                    if active.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
                        active.fetch_sub(1, Ordering::SeqCst);
                        continue; // dropped: closed unanswered
                    }
                    let (file, done) = (file.clone(), active.clone());
                    let spawned = std::thread::Builder::new().name("pex-serve-connection".into()).spawn(move || {
                        handle(stream, &file);
                        done.fetch_sub(1, Ordering::SeqCst);
                    });
                    if spawned.is_err() {
                        active.fetch_sub(1, Ordering::SeqCst);
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                // A connection reset before it was accepted, an interrupted call, or out of file
                // descriptors for now: try again on the next round.
                Err(_) => break,
            }
        }
        if polled.elapsed() >= POLL {
            polled = Instant::now();
            let now = signature(&opts.file);
            if now != seen {
                seen = settle(&opts.file, now);
                say(format!("changed: {}", opts.file.display()))?;
                say(verdict(catalogue, &opts.file))?;
            }
        }
        if !busy {
            std::thread::sleep(IDLE);
        }
    }
    Ok(())
}

/// A changed file's signature once it has stopped changing: a save that truncates the file and
/// then writes it may be seen in between, empty; this waits until two looks [`SETTLE`] apart agree
/// (for two seconds at most), so the check reads the saved text and not half of it.
fn settle(path: &Path, mut now: Option<(Option<SystemTime>, u64)>) -> Option<(Option<SystemTime>, u64)> {
    let until = Instant::now() + Duration::from_secs(2);
    loop {
        std::thread::sleep(SETTLE);
        let again = signature(path);
        if again == now || Instant::now() >= until {
            return again;
        }
        now = again;
    }
}

/// What the watcher compares: the file's modification time and length (`None`: it cannot be
/// looked at, as when it is gone).
fn signature(path: &Path) -> Option<(Option<SystemTime>, u64)> {
    std::fs::metadata(path).ok().map(|m| (m.modified().ok(), m.len()))
}

/// The lesson's verdict line: `ok: <title> — <summary>` or `error: <problem>`, the problem worded
/// as `pex lesson check` words it.
fn verdict(catalogue: &Catalogue, path: &Path) -> String {
    match crate::cli::check_lesson_file(catalogue, path) {
        Ok(run) => format!("ok: {} — {}", run.lesson().title, run.summary_line()),
        Err(e) => format!("error: {e}"),
    }
}

/// The served file: its path, and the name it is served under.
struct Served {
    path: PathBuf,
    name: String,
}

/// A response: status, extra headers, body (sent with its length; not sent for `HEAD`).
struct Response {
    status: u16,
    headers: Vec<(&'static str, &'static str)>,
    body: Vec<u8>,
}

impl Response {
    fn text(status: u16, body: String) -> Response {
        Response { status, headers: vec![("Content-Type", "text/plain; charset=utf-8")], body: body.into_bytes() }
    }

    fn bytes(&self, head_only: bool) -> Vec<u8> {
        let reason = match self.status {
            200 => "OK",
            204 => "No Content",
            400 => "Bad Request",
            404 => "Not Found",
            405 => "Method Not Allowed",
            413 => "Content Too Large",
            431 => "Request Header Fields Too Large",
            _ => "Internal Server Error",
        };
        let mut head = format!("HTTP/1.1 {} {reason}\r\nAccess-Control-Allow-Origin: *\r\nCache-Control: no-store\r\nConnection: close\r\n", self.status);
        for (k, v) in &self.headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        if self.status != 204 {
            head.push_str(&format!("Content-Length: {}\r\n", self.body.len()));
        }
        head.push_str("\r\n");
        let mut bytes = head.into_bytes();
        if !head_only && self.status != 204 {
            bytes.extend_from_slice(&self.body);
        }
        bytes
    }
}

/// One connection: read the request head (within [`REQUEST_DEADLINE`]), answer, close.
fn handle(mut stream: TcpStream, file: &Served) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    let (response, head_only) = match read_head(&mut stream) {
        Head::Complete(head) => {
            let head = String::from_utf8_lossy(&head);
            let mut parts = head.lines().next().unwrap_or("").split_whitespace();
            match (parts.next(), parts.next(), parts.next()) {
                (Some(method), Some(target), Some(version)) if version.starts_with("HTTP/") => (respond(method, target, file), method == "HEAD"),
                _ => (Response::text(400, "not an HTTP request\n".into()), false),
            }
        }
        Head::TooLarge => (Response::text(431, format!("the request's head is longer than {MAX_HEAD} bytes\n")), false),
        Head::Gone => return,
    };
    let _ = stream.write_all(&response.bytes(head_only));
    let _ = stream.flush();
    // Close gently: say we are done, then read what the client still sends (the rest of a refused
    // head) until it closes too, for a moment at most; closing with unread input would reset the
    // connection, and the client could lose the response.
    let _ = stream.shutdown(Shutdown::Write);
    let _ = stream.set_read_timeout(Some(LINGER));
    let _ = io::copy(&mut (&mut stream).take(64 * 1024), &mut io::sink());
}

enum Head {
    Complete(Vec<u8>),
    TooLarge,
    /// Closed, failed or too slow: nothing to answer.
    Gone,
}

/// The request head, up to its blank line: at most [`MAX_HEAD`] bytes, within [`REQUEST_DEADLINE`].
fn read_head(stream: &mut TcpStream) -> Head {
    let deadline = Instant::now() + REQUEST_DEADLINE;
    let mut head = Vec::new();
    let mut chunk = [0u8; 2048];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return Head::Gone;
        }
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return Head::Gone,
            Ok(n) => head.extend_from_slice(&chunk[..n]),
        }
        if let Some(end) = find_end(&head) {
            head.truncate(end);
            return if end > MAX_HEAD { Head::TooLarge } else { Head::Complete(head) };
        }
        if head.len() > MAX_HEAD {
            return Head::TooLarge;
        }
    }
}

/// Where the head ends (the index of its blank line), if it has.
fn find_end(bytes: &[u8]) -> Option<usize> {
    let crlf = bytes.windows(4).position(|w| w == b"\r\n\r\n");
    let lf = bytes.windows(2).position(|w| w == b"\n\n");
    match (crlf, lf) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The answer to `method target`.
fn respond(method: &str, target: &str, file: &Served) -> Response {
    match method {
        "OPTIONS" => Response {
            status: 204,
            headers: vec![
                ("Access-Control-Allow-Methods", "GET"),
                ("Access-Control-Allow-Headers", "*"),
                ("Access-Control-Allow-Private-Network", "true"),
                ("Access-Control-Max-Age", "600"),
            ],
            body: Vec::new(),
        },
        "GET" | "HEAD" => {
            let path = target.split(['?', '#']).next().unwrap_or("");
            let path = percent_decode_str(path).decode_utf8_lossy();
            if path.strip_prefix('/') != Some(file.name.as_str()) {
                return Response::text(404, format!("not found: this server serves one lesson file, /{}\n", utf8_percent_encode(&file.name, PATH_SEGMENT)));
            }
            match read_limited(&file.path, lessons::MAX_LESSON_BYTES) {
                Ok(Some(bytes)) => Response { status: 200, headers: vec![("Content-Type", "application/toml; charset=utf-8")], body: bytes },
                Ok(None) => {
                    let limit = crate::cli::bytes_text(lessons::MAX_LESSON_BYTES);
                    Response::text(413, format!("{}: lesson file too large: more than {limit}; a lesson file is at most {limit}\n", file.name))
                }
                Err(e) if e.kind() == io::ErrorKind::NotFound => Response::text(404, format!("{}: no such file (yet)\n", file.name)),
                Err(e) => Response::text(500, format!("cannot read {}: {e}\n", file.name)),
            }
        }
        _ => {
            let mut r = Response::text(405, format!("{method}: only GET (and HEAD, OPTIONS) are answered here\n"));
            r.headers.push(("Allow", "GET, HEAD, OPTIONS"));
            r
        }
    }
}

/// The file's bytes, or `None` when it has more than `limit` (only `limit` and one more are read).
fn read_limited(path: &Path, limit: usize) -> io::Result<Option<Vec<u8>>> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)?.take(limit as u64 + 1).read_to_end(&mut bytes)?;
    Ok((bytes.len() <= limit).then_some(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_open_link_names_the_app_and_the_encoded_url() {
        let url = file_url("127.0.0.1", 8123, "her lesson.toml");
        assert_eq!(url, "http://127.0.0.1:8123/her%20lesson.toml");
        let encoded = "http%3A%2F%2F127%2E0%2E0%2E1%3A8123%2Fher%2520lesson%2Etoml";
        assert_eq!(open_link("http://127.0.0.1:8080/", &url), format!("http://127.0.0.1:8080/#lesson-src={encoded}"));
        assert_eq!(open_link("http://127.0.0.1:8080", &url), format!("http://127.0.0.1:8080/#lesson-src={encoded}"));
        assert_eq!(
            open_link("https://x.github.io/protocol-explorer#v=1&m=paxos", &url),
            format!("https://x.github.io/protocol-explorer/#lesson-src={encoded}")
        );
        assert_eq!(open_link("https://x.github.io/pe/index.html", &url), format!("https://x.github.io/pe/index.html#lesson-src={encoded}"));
        assert_eq!(file_url("::1", 80, "a.toml"), "http://[::1]:80/a.toml");
    }

    #[test]
    fn a_head_ends_at_its_blank_line() {
        assert_eq!(find_end(b"GET / HTTP/1.1\r\nHost: x\r\n\r\nbody"), Some(23));
        assert_eq!(find_end(b"GET / HTTP/1.1\nHost: x\n\n"), Some(22));
        assert_eq!(find_end(b"GET / HTTP/1.1\r\nHost: x\r\n"), None);
    }
}

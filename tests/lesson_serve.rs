//! `pex lesson serve`: the server a lesson's author runs while writing it. It is started on a
//! thread here (`pex::serve::run`, port 0) and spoken to with raw HTTP requests; the lines it prints
//! are read as they come, each waited for with a generous deadline (never a fixed sleep). The last
//! test runs the `pex` binary itself.
#![cfg(feature = "cli")]

use pex::serve::{self, Options};
use std::io::{BufRead, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long a line or a response may take (generous: the test machine may be loaded).
const DEADLINE: Duration = Duration::from_secs(60);

const SEQLOCK: &str = include_str!("../lessons/seqlock.toml");

/// A fresh folder of the system's temporary folder, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(what: &str) -> TempDir {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!("pex-lesson-serve-{}-{what}-{}", std::process::id(), N.fetch_add(1, Ordering::SeqCst)));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Replaces the file's text at once (written beside it, then renamed over it), so the server's
/// watcher never sees it half written.
fn replace(path: &Path, text: &[u8]) {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

/// The server's output, sent on a channel a line at a time.
struct Lines(Sender<String>, Vec<u8>);

impl Write for Lines {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.1.extend_from_slice(buf);
        while let Some(i) = self.1.iter().position(|&b| b == b'\n') {
            let line: Vec<u8> = self.1.drain(..=i).collect();
            let _ = self.0.send(String::from_utf8_lossy(&line[..i]).into_owned());
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Waits for the next line on `rx`.
fn next_line(rx: &Receiver<String>) -> String {
    rx.recv_timeout(DEADLINE).expect("the server printed its next line in time")
}

/// Waits for the next line starting with `prefix`, returning it and the lines skipped.
fn wait_for(rx: &Receiver<String>, prefix: &str) -> String {
    let end = Instant::now() + DEADLINE;
    let mut skipped = Vec::new();
    loop {
        let left = end.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(line) if line.starts_with(prefix) => return line,
            Ok(line) => skipped.push(line),
            Err(_) => panic!("no line starting {prefix:?} in time; printed: {skipped:?}"),
        }
    }
}

/// A server on a thread, serving `file`; stopped on drop.
struct Server {
    lines: Receiver<String>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
    /// `host:port`.
    at: String,
    /// The served URL, as printed.
    url: String,
    /// The first three lines: serving, open, and the first verdict.
    start: Vec<String>,
}

impl Server {
    fn start(file: &Path) -> Server {
        let (tx, rx) = channel();
        let stop = Arc::new(AtomicBool::new(false));
        let options = Options { file: file.to_path_buf(), address: "127.0.0.1".into(), port: 0, app: "http://127.0.0.1:8080/".into() };
        let flag = stop.clone();
        let thread = std::thread::spawn(move || {
            serve::run(pex::catalogue::builtin(), &options, &mut Lines(tx, Vec::new()), &flag).expect("the server runs");
        });
        let start = vec![next_line(&rx), next_line(&rx), next_line(&rx)];
        let url = start[0].rsplit(" at ").next().unwrap().to_string();
        let at = url.strip_prefix("http://").unwrap().split('/').next().unwrap().to_string();
        Server { lines: rx, stop, thread: Some(thread), at, url, start }
    }

    /// Sends `request` as it is and reads the whole response (the server closes the connection).
    fn request(&self, request: &str) -> Response {
        let mut stream = TcpStream::connect(&self.at).unwrap();
        stream.set_read_timeout(Some(DEADLINE)).unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut bytes = Vec::new();
        stream.read_to_end(&mut bytes).unwrap();
        Response::parse(&bytes)
    }

    fn get(&self, path: &str) -> Response {
        self.request(&format!("GET {path} HTTP/1.1\r\nHost: {}\r\nOrigin: https://example.org\r\n\r\n", self.at))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn parse(bytes: &[u8]) -> Response {
        let end = bytes.windows(4).position(|w| w == b"\r\n\r\n").unwrap_or_else(|| panic!("a head in {:?}", String::from_utf8_lossy(bytes)));
        let head = String::from_utf8_lossy(&bytes[..end]).into_owned();
        let mut lines = head.split("\r\n");
        let status_line = lines.next().unwrap();
        assert!(status_line.starts_with("HTTP/1.1 "), "{status_line}");
        let status = status_line.split(' ').nth(1).unwrap().parse().unwrap();
        let headers = lines.map(|l| l.split_once(':').unwrap()).map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string())).collect();
        Response { status, headers, body: bytes[end + 4..].to_vec() }
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == &name.to_ascii_lowercase()).map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

#[test]
fn get_serves_the_files_current_bytes_with_cors_and_prints_the_link() {
    let dir = TempDir::new("get");
    let file = dir.0.join("her lesson.toml");
    std::fs::write(&file, SEQLOCK).unwrap();
    let server = Server::start(&file);
    // serving <path> at <url>; open: <app>#lesson-src=<url encoded>; ok: <title> — <summary>
    assert!(server.start[0].starts_with(&format!("serving {} at http://127.0.0.1:", file.display())), "{:?}", server.start);
    assert!(server.url.ends_with("/her%20lesson.toml"), "{}", server.url);
    let encoded = percent_encoding::utf8_percent_encode(&server.url, percent_encoding::NON_ALPHANUMERIC).to_string();
    assert_eq!(server.start[1], format!("open: http://127.0.0.1:8080/#lesson-src={encoded}"));
    assert_eq!(
        server.start[2],
        "ok: Seqlock: how a reader returns a torn value — seqlock/no-verify: 9 steps, 2 challenges, walk of 11 actions; NoTornRead breaks at step 9"
    );

    let r = server.get("/her%20lesson.toml");
    assert_eq!(r.status, 200);
    assert_eq!(r.body, SEQLOCK.as_bytes());
    assert_eq!(r.header("Access-Control-Allow-Origin"), Some("*"));
    assert_eq!(r.header("Content-Type"), Some("application/toml; charset=utf-8"));
    assert_eq!(r.header("Cache-Control"), Some("no-store"));
    assert_eq!(r.header("Connection"), Some("close"));
    assert_eq!(r.header("Content-Length"), Some(SEQLOCK.len().to_string().as_str()));

    // Read again on every request: an edit is served at once (a query, as a cache-buster adds, is ignored).
    let edited = format!("# edited\n{SEQLOCK}");
    replace(&file, edited.as_bytes());
    let r = server.get("/her%20lesson.toml?t=2");
    assert_eq!((r.status, r.text()), (200, edited));
    // HEAD: the same head, no body.
    let r = server.request(&format!("HEAD /her%20lesson.toml HTTP/1.1\r\nHost: {}\r\n\r\n", server.at));
    assert_eq!((r.status, r.body.len()), (200, 0));
    assert_eq!(r.header("Content-Length"), Some((SEQLOCK.len() + 9).to_string().as_str()));
}

#[test]
fn options_answers_the_preflight_and_other_requests_are_refused() {
    let dir = TempDir::new("options");
    let file = dir.0.join("mine.toml");
    std::fs::write(&file, SEQLOCK).unwrap();
    let server = Server::start(&file);
    let r = server.request(&format!(
        "OPTIONS /mine.toml HTTP/1.1\r\nHost: {}\r\nOrigin: https://example.org\r\nAccess-Control-Request-Method: GET\r\n\
         Access-Control-Request-Private-Network: true\r\n\r\n",
        server.at
    ));
    assert_eq!(r.status, 204);
    assert_eq!(r.header("Access-Control-Allow-Origin"), Some("*"));
    assert_eq!(r.header("Access-Control-Allow-Methods"), Some("GET"));
    assert_eq!(r.header("Access-Control-Allow-Headers"), Some("*"));
    assert_eq!(r.header("Access-Control-Allow-Private-Network"), Some("true"));
    assert!(r.body.is_empty());

    for path in ["/", "/other.toml", "/mine.toml/x", "/../mine.toml"] {
        let r = server.get(path);
        assert_eq!(r.status, 404, "{path}");
        assert_eq!(r.header("Access-Control-Allow-Origin"), Some("*"), "{path}");
    }
    let r = server.request(&format!("POST /mine.toml HTTP/1.1\r\nHost: {}\r\nContent-Length: 0\r\n\r\n", server.at));
    assert_eq!(r.status, 405);
    assert_eq!(r.header("Allow"), Some("GET, HEAD, OPTIONS"));
    assert_eq!(server.request("hello\r\n\r\n").status, 400);
    // A head longer than 16 KiB is refused.
    let long = format!("GET /mine.toml HTTP/1.1\r\nX-Long: {}\r\n\r\n", "a".repeat(serve::MAX_HEAD + 10));
    assert_eq!(server.request(&long).status, 431);
    // And the server still answers.
    assert_eq!(server.get("/mine.toml").status, 200);
}

#[test]
fn a_file_over_the_limit_is_refused_with_413() {
    let dir = TempDir::new("large");
    let file = dir.0.join("big.toml");
    let mut text = SEQLOCK.to_string();
    while text.len() <= pex::lessons::MAX_LESSON_BYTES {
        text.push_str("# padding padding padding padding padding padding padding padding padding padding\n");
    }
    std::fs::write(&file, &text).unwrap();
    let server = Server::start(&file);
    assert!(server.start[2].starts_with("error: ") && server.start[2].contains("lesson file too large"), "{}", server.start[2]);
    let r = server.get("/big.toml");
    assert_eq!(r.status, 413);
    assert_eq!(r.header("Access-Control-Allow-Origin"), Some("*"));
    assert!(r.text().contains("at most 256 KB"), "{}", r.text());
}

#[test]
fn an_edit_is_checked_again_and_a_mistake_is_placed_by_line_and_column() {
    let dir = TempDir::new("edit");
    let file = dir.0.join("lesson.toml");
    std::fs::write(&file, SEQLOCK).unwrap();
    let server = Server::start(&file);
    assert!(server.start[2].starts_with("ok: Seqlock"), "{:?}", server.start);
    let shown = file.display().to_string();

    // A broken TOML line: the string on line 3 is never closed. The file is still served as it is.
    // Saved in place, as an editor may (truncated, then written): the check reads the saved text.
    let broken = SEQLOCK.replacen("model = \"seqlock\"", "model = \"seqlock", 1);
    assert_eq!(broken.lines().nth(2), Some("model = \"seqlock"));
    std::fs::write(&file, broken.as_bytes()).unwrap();
    assert_eq!(wait_for(&server.lines, "changed: "), format!("changed: {shown}"));
    let error = next_line(&server.lines);
    assert!(error.starts_with(&format!("error: {shown}: line 3, column ")), "{error}");
    assert_eq!(server.get("/lesson.toml").text(), broken);

    // A step that does not fit the model: named by its number.
    let wrong = SEQLOCK.replacen("do = \"WriterData\"", "do = \"WriterDance\"", 1);
    replace(&file, wrong.as_bytes());
    wait_for(&server.lines, "changed: ");
    let error = next_line(&server.lines);
    assert!(error.starts_with(&format!("error: {shown}: step 2: ")), "{error}");

    // Fixed: ok again.
    replace(&file, SEQLOCK.as_bytes());
    wait_for(&server.lines, "changed: ");
    assert!(next_line(&server.lines).starts_with("ok: Seqlock: how a reader returns a torn value — "));

    // Gone: an error line and 404, until it is back.
    std::fs::remove_file(&file).unwrap();
    wait_for(&server.lines, "changed: ");
    let error = next_line(&server.lines);
    assert!(error.starts_with(&format!("error: cannot read {shown}: ")), "{error}");
    assert_eq!(server.get("/lesson.toml").status, 404);
    replace(&file, SEQLOCK.as_bytes());
    wait_for(&server.lines, "changed: ");
    assert!(next_line(&server.lines).starts_with("ok: "));
    assert_eq!(server.get("/lesson.toml").status, 200);
}

/// The `pex` binary: `pex lesson serve FILE` prints the same lines and serves the file.
#[test]
fn the_pex_command_serves_and_prints_the_link() {
    let dir = TempDir::new("cli");
    let file = dir.0.join("mine.toml");
    std::fs::write(&file, SEQLOCK).unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_pex"))
        .args(["lesson", "serve", file.to_str().unwrap(), "--app", "https://teach.example/pe#v=1"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("pex runs");
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let lines: Vec<String> = (0..3).map(|_| rx.recv_timeout(DEADLINE)).collect::<Result<_, _>>().unwrap_or_else(|e| {
        let _ = child.kill();
        panic!("pex lesson serve printed its first lines: {e}")
    });
    let url = lines[0].rsplit(" at ").next().unwrap().to_string();
    let at = url.strip_prefix("http://127.0.0.1:").map(|p| format!("127.0.0.1:{}", p.split('/').next().unwrap()));
    let encoded = percent_encoding::utf8_percent_encode(&url, percent_encoding::NON_ALPHANUMERIC).to_string();
    let fetched = at.as_ref().map(|at| {
        let mut s = TcpStream::connect(at).unwrap();
        s.set_read_timeout(Some(DEADLINE)).unwrap();
        s.write_all(b"GET /mine.toml HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        let mut bytes = Vec::new();
        s.read_to_end(&mut bytes).unwrap();
        Response::parse(&bytes)
    });
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(lines[0], format!("serving {} at {url}", file.display()));
    assert!(url.ends_with("/mine.toml") && at.is_some(), "{url}");
    assert_eq!(lines[1], format!("open: https://teach.example/pe/#lesson-src={encoded}"));
    assert!(lines[2].starts_with("ok: Seqlock: how a reader returns a torn value — seqlock/no-verify: 9 steps, 2 challenges"), "{}", lines[2]);
    let r = fetched.unwrap();
    assert_eq!((r.status, r.body.as_slice()), (200, SEQLOCK.as_bytes()));
}

/// The "Write a lesson" chapter of the docs book quotes what `pex lesson serve` prints for its
/// worked example (on port 8123, from the file's own folder): those are the lines it prints.
#[test]
fn the_books_chapter_quotes_what_serve_prints() {
    let dir = TempDir::new("book");
    let file = dir.0.join(pex::docs::EXAMPLE_FILE);
    std::fs::write(&file, pex::docs::EXAMPLE_LESSON).unwrap();
    let server = Server::start(&file);
    let port = server.at.rsplit(':').next().unwrap().to_string();
    let pages = pex::docs::book(pex::catalogue::builtin()).unwrap();
    let page = &pages.iter().find(|p| p.path == "src/write-a-lesson.md").expect("the chapter").text;
    let encoded_port = |line: &str| line.replace(&format!("%3A{port}%2F"), "%3A8123%2F");
    for line in &server.start {
        let quoted = encoded_port(&line.replace(&file.display().to_string(), pex::docs::EXAMPLE_FILE).replace(&format!(":{port}/"), ":8123/"));
        assert!(page.contains(&format!("\n{quoted}\n")), "the chapter does not quote {quoted:?}");
    }
    assert!(page.contains(&format!("$ pex lesson serve {} --port 8123\n", pex::docs::EXAMPLE_FILE)));
}

//! A real browser for the tests: Debian's headless Chromium, driven through chromedriver's
//! W3C WebDriver endpoints (a handful of JSON calls over plain HTTP on loopback, so no client
//! crate with its TLS stack is needed). `.ci/run` installs `chromium` and `chromium-driver`.
//!
//! [`Browser::start`] returns `None` when they are not installed, and the tests skip; under
//! `CI=true` a missing browser fails instead, as the reader checks do.

#![allow(dead_code)] // each test binary uses a different part

use std::io::{Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// The key W3C WebDriver gives an element reference under.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// Headless Chromium, phone-sized, under chromedriver.
pub struct Browser {
    driver: Child,
    port: u16,
    session: String,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Starts chromedriver and a browser session the size of a phone (412 × 915 CSS pixels),
    /// or `None` when Chromium is not installed (a failure under `CI=true`).
    pub fn start() -> Option<Browser> {
        if !(std::path::Path::new(CHROMIUM).exists() && std::path::Path::new(CHROMEDRIVER).exists())
        {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "CI=true but no {CHROMIUM} and {CHROMEDRIVER}: apt-get install chromium chromium-driver"
            );
            eprintln!(
                "skipped: no {CHROMIUM} and {CHROMEDRIVER} (apt-get install chromium chromium-driver)"
            );
            return None;
        }
        let port = free_port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let profile = tempfile::tempdir().expect("profile dir");
        let mut browser = Browser {
            driver,
            port,
            session: String::new(),
            _profile: profile,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while browser.call("GET", "/status", None).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        // The flags Chromium needs as root on a machine with no outside network
        // (/work/.library's notes): no sandbox, no background connections.
        let args = [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--window-size=412,915",
            &format!("--user-data-dir={}", browser._profile.path().display()),
        ];
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": args,
                "mobileEmulation": {"deviceMetrics": {"width": 412, "height": 915, "pixelRatio": 2.0}}
            }
        }}});
        let made = browser
            .call("POST", "/session", Some(caps))
            .expect("a browser session");
        browser.session = made["value"]["sessionId"]
            .as_str()
            .expect("a session id")
            .to_owned();
        Some(browser)
    }

    /// Opens `url`.
    pub fn open(&self, url: &str) {
        self.session_call("POST", "/url", json!({ "url": url }));
    }

    /// Runs `script` (a function body; `return` a value) in the page.
    pub fn eval(&self, script: &str) -> Value {
        self.session_call(
            "POST",
            "/execute/sync",
            json!({ "script": script, "args": [] }),
        )
    }

    /// The text of the element with this id, `None` if there is none.
    pub fn text(&self, id: &str) -> Option<String> {
        let v = self.eval(&format!(
            "const e = document.getElementById({id:?}); return e ? e.textContent : null;"
        ));
        v.as_str().map(str::to_owned)
    }

    /// Waits up to `within` for `ok` to hold of the page, looking every 20 ms; returns how
    /// long it took.
    pub fn wait_for(
        &self,
        within: Duration,
        mut ok: impl FnMut(&Browser) -> bool,
    ) -> Option<Duration> {
        let start = Instant::now();
        while start.elapsed() < within {
            if ok(self) {
                return Some(start.elapsed());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }

    /// Clicks the element with this CSS selector, as a person would (WebDriver's click).
    pub fn click(&self, selector: &str) {
        let found = self.session_call(
            "POST",
            "/element",
            json!({ "using": "css selector", "value": selector }),
        );
        let id = found[ELEMENT]
            .as_str()
            .unwrap_or_else(|| panic!("no element {selector}: {found}"))
            .to_owned();
        self.session_call("POST", &format!("/element/{id}/click"), json!({}));
    }

    /// Opens a new tab and switches to it (the first tab is hidden), returning the first
    /// tab's handle.
    pub fn hide_in_new_tab(&self) -> String {
        let first = self.session_get("/window");
        let made = self.session_call("POST", "/window/new", json!({ "type": "tab" }));
        let handle = made["handle"].as_str().expect("a new tab").to_owned();
        self.session_call("POST", "/window", json!({ "handle": handle }));
        self.open("about:blank");
        first.as_str().expect("the first tab").to_owned()
    }

    /// Closes the current tab and goes back to `handle`.
    pub fn back_to(&self, handle: &str) {
        self.session_call("DELETE", "/window", Value::Null);
        self.session_call("POST", "/window", json!({ "handle": handle }));
    }

    /// A PNG of the viewport.
    pub fn screenshot(&self) -> Vec<u8> {
        let b64 = self.session_get("/screenshot");
        decode_base64(b64.as_str().expect("a screenshot"))
    }

    fn session_get(&self, path: &str) -> Value {
        let path = format!("/session/{}{path}", self.session);
        self.call("GET", &path, None)
            .unwrap_or_else(|e| panic!("GET {path}: {e}"))["value"]
            .clone()
    }

    fn session_call(&self, method: &str, path: &str, body: Value) -> Value {
        let path = format!("/session/{}{path}", self.session);
        let body = (!body.is_null()).then_some(body);
        self.call(method, &path, body)
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"))["value"]
            .clone()
    }

    /// One WebDriver call; the response's JSON (its `value` holds the result).
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
        let (status, text) = http(
            self.port,
            method,
            path,
            body.map(|b| b.to_string()).as_deref(),
        )
        .map_err(|e| e.to_string())?;
        let value: Value = serde_json::from_str(&text).map_err(|e| format!("{e}: {text}"))?;
        if status >= 400 {
            return Err(format!("{status}: {text}"));
        }
        Ok(value)
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = self.call("DELETE", &format!("/session/{}", self.session), None);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// One HTTP/1.1 request on loopback, the connection closed after it: status and body.
pub fn http(
    port: u16,
    method: &str,
    path: &str,
    body: Option<&str>,
) -> std::io::Result<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(60)))?;
    let body = body.unwrap_or("");
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    // Headers, then the body by its Content-Length (chromedriver keeps the connection
    // open whatever the request says); without one, to the end.
    let mut reader = std::io::BufReader::new(stream);
    let mut status = 0;
    let mut length = None;
    let mut line = String::new();
    loop {
        line.clear();
        if std::io::BufRead::read_line(&mut reader, &mut line)? == 0 || line == "\r\n" {
            break;
        }
        if status == 0 {
            status = line
                .split_whitespace()
                .nth(1)
                .and_then(|s| s.parse().ok())
                .unwrap_or(0);
        } else if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse::<usize>().ok();
        }
    }
    let mut body = Vec::new();
    match length {
        Some(n) => {
            body.resize(n, 0);
            reader.read_exact(&mut body)?;
        }
        None => {
            reader.read_to_end(&mut body)?;
        }
    }
    Ok((status, String::from_utf8_lossy(&body).into_owned()))
}

/// A port free on loopback now.
pub fn free_port() -> u16 {
    TcpListener::bind(("127.0.0.1", 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn decode_base64(s: &str) -> Vec<u8> {
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let digits: Vec<u32> = s.bytes().filter_map(value).collect();
    let mut out = Vec::with_capacity(digits.len() * 3 / 4);
    for chunk in digits.chunks(4) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, d)| n | d << (18 - 6 * i));
        let bytes = n.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    out
}

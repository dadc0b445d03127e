//! Issue 21: the live views, as a person sees them. The phone page (`--serve`) over HTTP and
//! in a real browser (headless Chromium) against the fake BlueZ; the full-screen terminal
//! (`--tui`) for real under tmux.

#[path = "support/browser.rs"]
mod browser;
mod common;
mod fake_bluez;

use std::io::{BufRead as _, BufReader};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use browser::{Browser, free_port, http};
use fake_bluez::{FakeBluez, Options};

/// Reads the spawned hrcoach's stderr until the page's address (the line that starts with
/// `http://`), and returns it; the rest of stderr is drained on a thread.
fn page_url(child: &mut Child) -> String {
    let stderr = child.stderr.take().expect("stderr piped");
    let mut lines = BufReader::new(stderr).lines();
    let mut seen = Vec::new();
    for line in lines.by_ref() {
        let line = line.expect("stderr");
        if line.starts_with("http://") {
            std::thread::spawn(move || for _ in lines {});
            return line;
        }
        seen.push(line);
    }
    panic!("no http:// line on stderr: {seen:?}");
}

/// The token in a page address.
fn token(url: &str) -> &str {
    url.rsplit_once("t=").map_or("", |(_, t)| t)
}

fn sigint(child: &Child) {
    let sent = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(sent.success());
}

/// `hrcoach replay` of the drifting sore day at `speed`, serving the page on loopback `port`.
fn serve_replay(home: &std::path::Path, port: u16, speed: &str) -> Child {
    common::hrcoach_in(home)
        .arg("replay")
        .arg(common::fixture("sore-day-drift.jsonl"))
        .args(["--speed", speed, "--max-hr", "185", "--quiet"])
        .args(["--serve", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn replay --serve")
}

/// The page's event stream, asked for over a plain socket that reads only when told to.
fn open_events(port: u16, token: &str) -> std::net::TcpStream {
    use std::io::Write as _;
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
    write!(s, "GET /events?t={token} HTTP/1.1\r\nHost: x\r\n\r\n").expect("request");
    s
}

/// The page, its state and its answers over HTTP, without a browser: nothing without the
/// token (403, even for a wrong one of the right length), the page with the ids the tests and
/// screen readers use, the state as JSON, and an answer that reaches the coach: "worse" makes
/// it say stop, in the run's own output.
#[test]
fn serve_answers_only_with_the_token_and_an_answer_reaches_the_coach() {
    let port = free_port();
    let home = tempfile::tempdir().expect("home");
    let mut child = common::hrcoach_in(home.path())
        .arg("replay")
        .arg(common::fixture("sore-day-drift.jsonl"))
        .args(["--speed", "30", "--sore", "--max-hr", "185", "--json"])
        .args(["--check-at", "1m", "--serve", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn replay --serve");
    let url = page_url(&mut child);
    assert!(
        url.starts_with(&format!("http://127.0.0.1:{port}/?t=")),
        "{url}"
    );
    let t = token(&url);
    assert_eq!(t.len(), 32, "{url}");
    let wrong: String = t.chars().rev().collect();
    for path in [
        "/".to_owned(),
        "/state".to_owned(),
        "/events".to_owned(),
        format!("/state?t={wrong}"),
        "/answer".to_owned(),
    ] {
        let (status, _) = http(port, "GET", &path, None).expect("GET");
        assert_eq!(status, 403, "{path}");
    }
    let (status, _) = http(port, "POST", "/answer", Some("worse")).expect("POST");
    assert_eq!(status, 403, "an answer without the token");

    let (status, page) = http(port, "GET", &format!("/?t={t}"), None).expect("page");
    assert_eq!(status, 200);
    for id in ["bpm", "zone", "cap", "cue", "link"] {
        assert!(page.contains(&format!("id=\"{id}\"")), "no #{id}");
    }
    assert!(page.contains("aria-live"), "the cue is announced");
    assert!(
        !page.contains("https://") && !page.contains("src=\"http"),
        "nothing from outside"
    );

    // The state, once the run is past its first minute: the warm-up check is asked.
    let deadline = Instant::now() + Duration::from_secs(20);
    let state = loop {
        let (status, body) = http(port, "GET", &format!("/state?t={t}"), None).expect("state");
        assert_eq!(status, 200);
        let state: serde_json::Value = serde_json::from_str(&body).expect("JSON state");
        if !state["question"].is_null() {
            break state;
        }
        assert!(Instant::now() < deadline, "never asked: {state}");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(
        state["bpm"]
            .as_str()
            .is_some_and(|b| b.parse::<u16>().is_ok()),
        "{state}"
    );
    assert!(
        state["zone"].as_str().is_some_and(|z| z.starts_with('Z')),
        "{state}"
    );
    assert!(
        state["cap"]
            .as_str()
            .is_some_and(|c| c.starts_with("under 130")),
        "{state}"
    );
    assert_eq!(state["link"], "connected");

    let (status, _) = http(port, "POST", &format!("/answer?t={t}"), Some("maybe")).expect("POST");
    assert_eq!(status, 400, "not an answer");
    let (status, _) = http(port, "GET", &format!("/answer?t={t}"), None).expect("GET");
    assert_eq!(status, 405);
    let (status, _) = http(port, "GET", &format!("/nothing?t={t}"), None).expect("GET");
    assert_eq!(status, 404);
    let (status, _) = http(port, "POST", &format!("/answer?t={t}"), Some("worse")).expect("POST");
    assert_eq!(status, 204);

    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (_, body) = http(port, "GET", &format!("/state?t={t}"), None).expect("state");
        if body.contains("Stop running") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the coach never said stop: {body}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    sigint(&child);
    let out = child.wait_with_output().expect("replay ends");
    assert!(out.status.success());
    let lines = common::json_lines(&out.stdout);
    let answered = lines.iter().position(|l| l["answer"] == "worse");
    let stop = lines.iter().position(|l| l["alert"] == "stop");
    assert!(answered.is_some() && answered < stop, "{lines:?}");
}

/// Seventeen connections: the oldest is closed, the newest served. A phone that slept or left
/// without closing its event stream leaves a connection open until TCP gives up on it, many
/// minutes later; sixteen of them must not lock the runner's phone out.
#[test]
fn serve_closes_the_oldest_connection_for_a_new_one() {
    use std::io::Read as _;
    let port = free_port();
    let home = tempfile::tempdir().expect("home");
    let mut child = serve_replay(home.path(), port, "1");
    let url = page_url(&mut child);
    let t = token(&url).to_owned();
    let held: Vec<std::net::TcpStream> = (0..16)
        .map(|_| {
            let mut s = open_events(port, &t);
            // Served: the stream's first event arrives at once.
            let mut first = [0u8; 12];
            s.read_exact(&mut first).expect("the stream answers");
            assert_eq!(&first, b"HTTP/1.1 200");
            s
        })
        .collect();

    let asked = Instant::now();
    let (status, _) = http(port, "GET", &format!("/state?t={t}"), None).expect("the 17th");
    assert_eq!(status, 200);
    assert!(
        asked.elapsed() < Duration::from_secs(5),
        "{:?}",
        asked.elapsed()
    );

    // The oldest stream was closed: read to its end.
    let mut oldest = &held[0];
    oldest
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let mut rest = Vec::new();
    oldest
        .read_to_end(&mut rest)
        .expect("the oldest stream ends");
    // The newest of the sixteen is still served: what it had is drained, and a heartbeat
    // comes after (a closed stream would give its end instead).
    let mut newest = &held[15];
    newest.set_nonblocking(true).expect("nonblocking");
    let mut more = [0u8; 4096];
    while newest.read(&mut more).is_ok_and(|n| n > 0) {}
    newest.set_nonblocking(false).expect("blocking");
    newest
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let n = newest.read(&mut more).expect("still open");
    assert!(
        String::from_utf8_lossy(&more[..n]).contains("data: "),
        "{:?}",
        &more[..n]
    );

    sigint(&child);
    assert!(child.wait().expect("replay ends").success());
}

/// When the run ends, a page with its event stream open hears so before hrcoach goes: the
/// stream's last message is the finished run ("run ended"), and then the stream ends, so the
/// phone does not show "no connection to hrcoach" counting up after a finished run.
#[test]
fn the_page_hears_that_the_run_ended() {
    use std::io::Read as _;
    let port = free_port();
    let home = tempfile::tempdir().expect("home");
    let mut child = serve_replay(home.path(), port, "500");
    let url = page_url(&mut child);
    let mut stream = open_events(port, token(&url));
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .expect("timeout");
    let mut all = Vec::new();
    stream.read_to_end(&mut all).expect("the stream ends");
    let all = String::from_utf8_lossy(&all);
    let last = all
        .lines()
        .filter_map(|l| l.strip_prefix("data: "))
        .next_back()
        .unwrap_or_else(|| panic!("no event: {all}"));
    let last: serde_json::Value = serde_json::from_str(last).expect("JSON");
    assert_eq!(last["finished"], true, "{last}");
    assert_eq!(last["link"], "run ended", "{last}");
    assert!(child.wait().expect("replay ends").success());
}

/// `--serve` on an address that is taken says so, and runs nothing.
#[test]
fn serve_on_a_taken_port_is_a_clear_error() {
    let taken = std::net::TcpListener::bind(("127.0.0.1", 0)).expect("bind");
    let port = taken.local_addr().expect("addr").port();
    let out = common::hrcoach()
        .arg("replay")
        .arg(common::fixture("sore-day-drift.jsonl"))
        .args(["--fast", "--max-hr", "185"])
        .args(["--serve", &format!("127.0.0.1:{port}")])
        .output()
        .expect("run");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("cannot listen on 127.0.0.1:{port} for --serve")),
        "{err}"
    );
    let out = common::hrcoach()
        .args(["replay", "x.jsonl", "--serve", "my-phone"])
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("is not ADDR:PORT"), "{err}");
}

/// Notifications that change the bpm at each one (121, 122, 123, 122, 121, ...), with contact.
fn wobble(n: usize) -> Vec<Vec<u8>> {
    (0..n)
        .map(|i| {
            let step = [0u8, 1, 2, 1][i % 4];
            vec![0x06, 121 + step]
        })
        .collect()
}

/// The bpm a wobble notification carries.
fn bpm_of(payload: &[u8]) -> String {
    payload[1].to_string()
}

/// A runner who restarts hrcoach mid-run, in a real browser: the first one killed (a crash:
/// no goodbye), the page's number greys out and it says it lost hrcoach; another hrcoach on
/// the same port has a new token, and the page says to open its new address rather than count
/// "no connection" for ever. An hrcoach that ends its run says so: "run ended", not greyed.
#[test]
fn the_phone_page_says_when_hrcoach_was_started_again() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let home = tempfile::tempdir().expect("home");
    let port = free_port();
    let start = |speed: &str| serve_replay(home.path(), port, speed);
    let mut first = start("1");
    let url = page_url(&mut first);
    browser.open(&url);
    assert!(
        browser
            .wait_for(Duration::from_secs(10), |b| b.text("link").as_deref()
                == Some("connected"))
            .is_some(),
        "{:?}",
        browser.text("link")
    );
    first.kill().expect("kill");
    first.wait().expect("reaped");
    let lost = browser.wait_for(Duration::from_secs(10), |b| {
        b.text("link")
            .is_some_and(|l| l.starts_with("no connection to hrcoach"))
    });
    assert!(lost.is_some(), "{:?}", browser.text("link"));

    // Started again on the same port: a new token.
    let mut second = start("500");
    let new_url = page_url(&mut second);
    assert_ne!(token(&new_url), token(&url));
    let told = browser.wait_for(Duration::from_secs(15), |b| {
        b.text("link")
            .is_some_and(|l| l.contains("started again: open the new address"))
    });
    assert!(told.is_some(), "{:?}", browser.text("link"));
    assert!(
        browser
            .eval("return document.getElementById('bpm').classList.contains('stale');")
            .as_bool()
            .unwrap_or(false)
    );

    // The new address, to the end of that run: "run ended", the number not greyed.
    browser.open(&new_url);
    let ended = browser.wait_for(Duration::from_secs(30), |b| {
        b.text("link").as_deref() == Some("run ended")
    });
    assert!(ended.is_some(), "{:?}", browser.text("link"));
    assert!(second.wait().expect("ends").success());
    std::thread::sleep(Duration::from_secs(4));
    assert_eq!(browser.text("link").as_deref(), Some("run ended"));
    assert!(
        !browser
            .eval("return document.getElementById('bpm').classList.contains('stale');")
            .as_bool()
            .unwrap_or(true)
    );
}

/// The phone page in headless Chromium, phone-sized, against the fake BlueZ: it shows the
/// strap's bpm within 1 s of each notification; "worse" pressed makes the coach say stop;
/// hidden and shown again it is live again; after the strap goes quiet it shows no signal
/// within 3 s, the number greyed out. It also leaves a screenshot in target/phone-page.png
/// (docs/phone-page.png is one).
#[test]
fn the_phone_page_in_a_real_browser_follows_the_strap() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let payloads = wobble(400);
    let fake = FakeBluez::start(Options {
        notifications: payloads.clone(),
        interval: Duration::from_millis(250),
        ..Options::default()
    });
    let home = tempfile::tempdir().expect("home");
    let port = free_port();
    let mut child = common::hrcoach_in(home.path())
        .env("DBUS_SYSTEM_BUS_ADDRESS", &fake.address)
        .env("RUST_BACKTRACE", "0")
        .args(["live", "--scan-timeout", "1s", "--max-hr", "185", "--sore"])
        .args(["--check-at", "15s", "--json", "--duration", "3m"])
        .arg("--record")
        .arg(home.path().join("run.jsonl"))
        .args(["--serve", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn live --serve");
    let url = page_url(&mut child);
    browser.open(&url);

    // Within 1 s of a notification, its bpm (each differs from the one before).
    let first = browser.wait_for(Duration::from_secs(20), |b| {
        b.text("bpm").is_some_and(|t| t.parse::<u16>().is_ok())
    });
    assert!(
        first.is_some(),
        "the page never showed a bpm: {:?}",
        browser.text("link")
    );
    for _ in 0..5 {
        let n = fake.sent();
        while fake.sent() == n {
            std::thread::sleep(Duration::from_millis(5));
        }
        let sent = &payloads[fake.sent() - 1];
        let expected = bpm_of(sent);
        let took = browser.wait_for(Duration::from_secs(1), |b| {
            // This one, or (on a slow machine) a later one already.
            let shown = b.text("bpm").unwrap_or_default();
            shown == expected || fake.sent() > n + 1
        });
        assert!(took.is_some(), "bpm {expected} not shown within 1 s");
    }
    assert!(
        browser
            .text("zone")
            .is_some_and(|z| z.starts_with("Z2 easy")),
        "{:?}",
        browser.text("zone")
    );
    assert!(
        browser
            .text("cap")
            .is_some_and(|c| c.starts_with("under 130")),
        "{:?}",
        browser.text("cap")
    );
    assert_eq!(browser.text("link").as_deref(), Some("connected"));

    // Hidden (another tab in front), then shown again: live again, the numbers moving.
    let page = browser.hide_in_new_tab();
    std::thread::sleep(Duration::from_secs(2));
    browser.back_to(&page);
    let hidden_seen = browser.eval("return window.__hrcoachHidden || 0;");
    assert!(
        hidden_seen.as_u64().is_some_and(|n| n >= 1),
        "the page was never hidden: {hidden_seen}"
    );
    let before = fake.sent();
    let live = browser.wait_for(Duration::from_secs(3), |b| {
        fake.sent() > before + 1 && b.text("bpm") == Some(bpm_of(&payloads[fake.sent() - 1]))
    });
    assert!(
        live.is_some(),
        "not live after being shown again (hidden {hidden_seen} times)"
    );

    // The warm-up check: three buttons; "worse" makes the coach say stop.
    let asked = browser.wait_for(Duration::from_secs(25), |b| {
        b.eval("return document.getElementById('question').classList.contains('open');")
            == serde_json::Value::Bool(true)
    });
    assert!(asked.is_some(), "the question never showed");
    std::fs::create_dir_all(target_dir()).expect("target dir");
    std::fs::write(target_dir().join("phone-page.png"), browser.screenshot()).expect("screenshot");
    browser.click("#answer-worse");
    let stop = browser.wait_for(Duration::from_secs(5), |b| {
        b.text("cue").is_some_and(|c| c.contains("Stop running"))
    });
    assert!(
        stop.is_some(),
        "no stop cue on the page: {:?}",
        browser.text("cue")
    );

    // The strap goes quiet: within 3 s, no signal, counting, and the number greyed out.
    fake.go_silent();
    let quiet_from = Instant::now();
    let grey = browser.wait_for(Duration::from_secs(4), |b| {
        b.text("link").is_some_and(|l| l.starts_with("no signal"))
    });
    let took = grey.map(|_| quiet_from.elapsed());
    assert!(
        took.is_some_and(|t| t <= Duration::from_secs(3)),
        "no signal after {took:?}"
    );
    assert_eq!(
        browser.eval("return document.getElementById('bpm').classList.contains('stale');"),
        serde_json::Value::Bool(true)
    );
    let counted = browser.wait_for(Duration::from_secs(3), |b| {
        b.text("link")
            .is_some_and(|l| l.starts_with("no signal 0:04"))
    });
    assert!(
        counted.is_some(),
        "the count did not go on: {:?}",
        browser.text("link")
    );

    sigint(&child);
    let out = child.wait_with_output().expect("live ends");
    let lines = common::json_lines(&out.stdout);
    assert!(
        lines.iter().any(|l| l["alert"] == "stop"),
        "the run's own output says stop too"
    );
}

fn target_dir() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target")
}

/// tmux, or `None` (a failure under `CI=true`).
fn tmux() -> Option<&'static str> {
    let ok = std::process::Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but no tmux"
        );
        eprintln!("skipped: no tmux");
        return None;
    }
    Some("tmux")
}

/// A tmux server of the test's own (its own socket), removed when dropped.
struct Tmux {
    socket: String,
}

impl Tmux {
    fn new(name: &str) -> Tmux {
        Tmux {
            socket: format!("hrcoach-test-{name}-{}", std::process::id()),
        }
    }
    fn run(&self, args: &[&str]) -> String {
        let out = std::process::Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .output()
            .expect("tmux");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
    fn screen(&self) -> String {
        self.run(&["capture-pane", "-p", "-t", "t"])
    }
    fn wait_for(&self, within: Duration, what: impl Fn(&str) -> bool) -> Option<String> {
        let start = Instant::now();
        while start.elapsed() < within {
            let s = self.screen();
            if what(&s) {
                return Some(s);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        None
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        self.run(&["kill-server"]);
    }
}

/// `--tui` for real in a terminal (tmux): the screen shows the bpm in big digits, the zone
/// by name and the link; `q` ends the run with the summary, and the terminal is as it was
/// (the same `stty` settings, out of the alternate screen). Again with Ctrl-C.
#[test]
fn the_terminal_view_shows_the_run_and_leaves_the_terminal_sane() {
    if tmux().is_none() {
        return;
    }
    for (name, key) in [("q", "q"), ("ctrl-c", "C-c")] {
        let tmux = Tmux::new(name);
        let home = tempfile::tempdir().expect("home");
        let stty = home.path().join("stty");
        let script = format!(
            "stty -a > {before}; {bin} replay {file} --speed 20 --sore --max-hr 185 --tui; \
             code=$?; stty -a > {after}; echo EXIT=$code; sleep 60",
            before = stty.with_extension("before").display(),
            after = stty.with_extension("after").display(),
            bin = env!("CARGO_BIN_EXE_hrcoach"),
            file = common::fixture("sore-day-drift.jsonl").display(),
        );
        tmux.run(&["new-session", "-d", "-s", "t", "-x", "90", "-y", "30"]);
        tmux.run(&[
            "send-keys",
            "-t",
            "t",
            &format!(
                "export HOME={0} XDG_CONFIG_HOME={0} XDG_DATA_HOME={0}; {script}",
                home.path().display()
            ),
            "Enter",
        ]);
        let shown = tmux.wait_for(Duration::from_secs(30), |s| {
            s.contains("Z1 warm up") && s.contains(" bpm") && s.contains("connected")
        });
        let screen = shown.unwrap_or_else(|| panic!("no full screen: {}", tmux.screen()));
        // Some bpm in big digits: a row of the digit font.
        assert!(screen.contains("██████"), "{screen}");
        tmux.run(&["send-keys", "-t", "t", key]);
        let after = tmux.wait_for(Duration::from_secs(15), |s| {
            s.lines().any(|l| l.starts_with("EXIT="))
        });
        let after =
            after.unwrap_or_else(|| panic!("the run did not end on {name}: {}", tmux.screen()));
        assert!(after.contains("EXIT=0"), "{after}");
        assert!(
            after.contains("Summary"),
            "the summary after the screen: {after}"
        );
        assert!(
            !after.contains("██████"),
            "the full screen is gone: {after}"
        );
        let read = |ext| std::fs::read_to_string(stty.with_extension(ext)).expect("stty");
        assert_eq!(
            read("before"),
            read("after"),
            "the terminal is as it was after {name}"
        );
    }
}

/// The full screen changes nothing the coach decides: a paced replay under `--tui`, in a
/// terminal, logs (`--log`) the same JSON, line for line, as a fast replay without it.
#[test]
fn the_terminal_view_changes_nothing_the_coach_decides() {
    if tmux().is_none() {
        return;
    }
    let tmux = Tmux::new("same");
    let home = tempfile::tempdir().expect("home");
    let log = home.path().join("log.json");
    let script = format!(
        "export HOME={home} XDG_CONFIG_HOME={home} XDG_DATA_HOME={home}; \
         {bin} replay {file} --speed 200 --sore --max-hr 185 --tui --log {log}; \
         echo EXIT=$?; sleep 60",
        home = home.path().display(),
        bin = env!("CARGO_BIN_EXE_hrcoach"),
        file = common::fixture("sore-day-drift.jsonl").display(),
        log = log.display(),
    );
    tmux.run(&["new-session", "-d", "-s", "t", "-x", "90", "-y", "30"]);
    tmux.run(&["send-keys", "-t", "t", &script, "Enter"]);
    let shown = tmux.wait_for(Duration::from_secs(30), |s| s.contains("██████"));
    assert!(shown.is_some(), "no full screen: {}", tmux.screen());
    let after = tmux.wait_for(Duration::from_secs(60), |s| {
        s.lines().any(|l| l.starts_with("EXIT="))
    });
    let after = after.unwrap_or_else(|| panic!("the replay did not end: {}", tmux.screen()));
    assert!(after.contains("EXIT=0"), "{after}");
    let logged = std::fs::read_to_string(&log).expect("log");
    assert_eq!(logged, plain_json("sore-day-drift.jsonl"));
}

/// `--tui` with stdout not a terminal (a pipe, a systemd unit): said on stderr, and the run
/// shown as without it, summary and all.
#[test]
fn the_terminal_view_falls_back_to_the_status_line_off_a_terminal() {
    let out = common::hrcoach()
        .arg("replay")
        .arg(common::fixture("sore-day-drift.jsonl"))
        .args(["--fast", "--sore", "--max-hr", "185", "--tui"])
        .output()
        .expect("run");
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--tui: stdout is not a terminal"), "{err}");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("Replaying"), "{text}");
    assert!(
        text.contains("Summary") && text.contains("over the cap"),
        "{text}"
    );
    assert!(
        !text.contains('\u{1b}'),
        "no terminal codes in a pipe: {text}"
    );
}

/// `live --tui` that fails after the screen is up (no Bluetooth adapter): the terminal is
/// restored before the error is said, and the error is readable below.
#[test]
fn the_terminal_view_restores_the_terminal_on_an_error() {
    if tmux().is_none() {
        return;
    }
    let fake = FakeBluez::start(Options {
        adapter: false,
        ..Options::default()
    });
    let tmux = Tmux::new("error");
    let home = tempfile::tempdir().expect("home");
    let stty = home.path().join("stty");
    let script = format!(
        "export HOME={home} XDG_CONFIG_HOME={home} XDG_DATA_HOME={home} \
         DBUS_SYSTEM_BUS_ADDRESS='{bus}' RUST_BACKTRACE=0; stty -a > {before}; \
         {bin} live --scan-timeout 1s --max-hr 185 --tui; code=$?; stty -a > {after}; \
         echo EXIT=$code; sleep 60",
        home = home.path().display(),
        bus = fake.address,
        before = stty.with_extension("before").display(),
        after = stty.with_extension("after").display(),
        bin = env!("CARGO_BIN_EXE_hrcoach"),
    );
    tmux.run(&["new-session", "-d", "-s", "t", "-x", "100", "-y", "30"]);
    tmux.run(&["send-keys", "-t", "t", &script, "Enter"]);
    let after = tmux.wait_for(Duration::from_secs(30), |s| {
        s.lines().any(|l| l.starts_with("EXIT="))
    });
    let after = after.unwrap_or_else(|| panic!("live did not end: {}", tmux.screen()));
    assert!(!after.contains("EXIT=0"), "{after}");
    assert!(
        after.to_lowercase().contains("adapter"),
        "the error is said: {after}"
    );
    let read = |ext| std::fs::read_to_string(stty.with_extension(ext)).expect("stty");
    assert_eq!(read("before"), read("after"), "the terminal is as it was");
}

/// The coach's JSON for a fixture, replayed fast without any view: what the views must not
/// change.
fn plain_json(fixture: &str) -> String {
    let out = common::hrcoach()
        .arg("replay")
        .arg(common::fixture(fixture))
        .args(["--fast", "--sore", "--max-hr", "185", "--json"])
        .output()
        .expect("run");
    assert!(out.status.success());
    String::from_utf8(out.stdout).expect("utf-8")
}

/// The phone page changes nothing the coach decides: paced with `--serve` and a client
/// reading `/state` all through, the JSON is the same, line for line, as a fast replay's
/// without it.
#[test]
fn the_phone_page_changes_nothing_the_coach_decides() {
    let port = free_port();
    let home = tempfile::tempdir().expect("home");
    let mut child = common::hrcoach_in(home.path())
        .arg("replay")
        .arg(common::fixture("sore-day-drift.jsonl"))
        .args(["--speed", "200", "--sore", "--max-hr", "185", "--json"])
        .args(["--serve", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn replay --serve");
    let url = page_url(&mut child);
    let t = token(&url).to_owned();
    let mut stdout = child.stdout.take().expect("stdout");
    let reader = std::thread::spawn(move || {
        let mut all = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut all).expect("stdout");
        all
    });
    let mut reads = 0;
    while child.try_wait().expect("wait").is_none() {
        if let Ok((200, _)) = http(port, "GET", &format!("/state?t={t}"), None) {
            reads += 1;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(
        reads > 10,
        "the state was read while the run went on ({reads})"
    );
    let served = reader.join().expect("reader");
    assert_eq!(served, plain_json("sore-day-drift.jsonl"));
}

/// On no network at all (a Pi started before it joined the phone's hotspot; here a network
/// namespace of its own, `unshare -n`, where that is allowed), `--serve` still serves, and says
/// that a phone cannot open the loopback address it prints, and what to open instead.
#[test]
fn serve_without_a_network_says_what_to_open() {
    let unshare = std::process::Command::new("unshare")
        .args(["-n", "true"])
        .status()
        .is_ok_and(|s| s.success());
    if !unshare {
        eprintln!("skipped: no network namespaces here (unshare -n)");
        return;
    }
    let home = tempfile::tempdir().expect("home");
    let out = std::process::Command::new("unshare")
        .arg("-n")
        .arg(env!("CARGO_BIN_EXE_hrcoach"))
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path())
        .env("XDG_DATA_HOME", home.path())
        .arg("replay")
        .arg(common::fixture("sore-day-drift.jsonl"))
        .args(["--fast", "--max-hr", "185", "--quiet", "--serve", "0"])
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    let url = err
        .lines()
        .find(|l| l.starts_with("http://"))
        .unwrap_or_else(|| panic!("no address: {err}"));
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let port_and_token = url.trim_start_matches("http://127.0.0.1:");
    assert!(
        err.contains("No network yet: a phone cannot open 127.0.0.1")
            && err.contains(&format!("http://ADDRESS:{port_and_token}")),
        "{err}"
    );

    // Bound to loopback by choice (trying the page on this machine): nothing of the kind.
    let out = common::hrcoach()
        .arg("replay")
        .arg(common::fixture("sore-day-drift.jsonl"))
        .args([
            "--fast",
            "--max-hr",
            "185",
            "--quiet",
            "--serve",
            "127.0.0.1:0",
        ])
        .output()
        .expect("run");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("No network yet"));
}

/// `--serve PORT` listens on all interfaces: the address printed is this machine's (not
/// 0.0.0.0), with the port it got and the token.
#[test]
fn serve_with_a_port_alone_prints_a_reachable_address() {
    let out = common::hrcoach()
        .arg("replay")
        .arg(common::fixture("sore-day-drift.jsonl"))
        .args(["--fast", "--max-hr", "185", "--quiet", "--serve", "0"])
        .output()
        .expect("run");
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    let url = err
        .lines()
        .find(|l| l.starts_with("http://"))
        .unwrap_or_else(|| panic!("no address: {err}"));
    let host = url
        .trim_start_matches("http://")
        .split('/')
        .next()
        .unwrap_or_default();
    let addr: std::net::SocketAddr = host.parse().expect("an address and port");
    assert!(!addr.ip().is_unspecified(), "{url}");
    assert_ne!(addr.port(), 0, "{url}");
    assert_eq!(token(url).len(), 32, "{url}");
}

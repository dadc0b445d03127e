//! Reads a recording back into [`Event`]s, one line at a time.
//!
//! The reader streams: it holds one line in memory whatever the file's length, so a 24-hour
//! recording replays in a few megabytes, and no line may be longer than [`MAX_LINE`], so a
//! hostile file (one endless line) cannot make it hold more. Every problem is reported with the
//! file and line and what was expected there; the one problem that is *not* an error is a last
//! line cut short (the program or the machine died mid-write), which becomes an
//! [`Item::Truncated`] warning.

use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::{EventLine, FORMAT_NAME, FORMAT_VERSION, Header, Link, RecordedAlert, Timer, from_hex};
use crate::coach::answer::Answer;
use crate::coach::measurement::{Contact, HeartRateMeasurement, RrInterval};
use crate::event::{Event, EventKind};

/// The longest line a recording may have, newline included. The longest real lines are an
/// alert (a few hundred bytes) and a notification with many RR intervals (a Heart Rate
/// Measurement fits in a 512-byte attribute: about 1.5 KB of hex); 64 KiB leaves room for any
/// hand-written line and still bounds what a hostile file can make hrcoach hold.
pub const MAX_LINE: usize = 64 * 1024;

/// The latest time a recording may reach: 30 days. A session is a run, or a day or a week
/// of recordings replayed as one; a `t_ms` beyond this is a corrupt or hostile file, not a
/// session, and is refused before any arithmetic on it.
pub const MAX_SESSION: Duration = Duration::from_secs(30 * 24 * 3600);

/// What the reader yields.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// The next event.
    Event(Event),
    /// An alert the recorder wrote: what the runner heard at that time.
    Alert {
        /// When it was given.
        at: Duration,
        /// What it was.
        alert: RecordedAlert,
    },
    /// The last line was cut short and has been skipped; nothing follows.
    Truncated {
        /// Its line number (1-based).
        line: u64,
    },
}

/// A recording that cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum RecordingError {
    /// The file could not be opened or read.
    #[error("cannot read {}", path.display())]
    Io {
        /// The recording.
        path: PathBuf,
        /// What the OS said.
        source: io::Error,
    },
    /// The file holds no events (it may hold a header).
    #[error("{}: no events: the recording is empty", path.display())]
    Empty {
        /// The recording.
        path: PathBuf,
    },
    /// A line is not what the format expects.
    #[error("{}:{line}: {problem}", path.display())]
    Line {
        /// The recording.
        path: PathBuf,
        /// 1-based line number.
        line: u64,
        /// What is wrong with it.
        problem: LineProblem,
    },
}

/// What is wrong with one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineProblem {
    /// The line is not a JSON value.
    NotJson(String),
    /// The line is JSON but not one of the events the format knows.
    UnknownEvent(String),
    /// The `hrm` field is not hex bytes.
    BadHex(String),
    /// `t_ms` is smaller than on the line before.
    TimeWentBackwards {
        /// `t_ms` of the previous event.
        previous_ms: u64,
        /// `t_ms` of this one.
        t_ms: u64,
    },
    /// The header names another format or a version this build does not read.
    BadHeader(String),
    /// The line is longer than [`MAX_LINE`].
    TooLong,
    /// The line is not UTF-8 text; the offset of the first bad byte in the line.
    NotUtf8(usize),
    /// `t_ms` is beyond [`MAX_SESSION`].
    TimeTooLate(u64),
}

impl fmt::Display for LineProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LineProblem::NotJson(e) => write!(f, "not JSON: {e}"),
            LineProblem::UnknownEvent(e) => write!(f, "unknown event: {e}"),
            LineProblem::BadHex(e) => write!(f, "bad hex in \"hrm\": {e}"),
            LineProblem::TimeWentBackwards { previous_ms, t_ms } => write!(
                f,
                "time goes backwards: t_ms {t_ms} comes after t_ms {previous_ms}"
            ),
            LineProblem::BadHeader(e) => write!(f, "bad header: {e}"),
            LineProblem::TooLong => write!(
                f,
                "line longer than {} KiB: not a recording line (reading stopped there)",
                MAX_LINE / 1024
            ),
            LineProblem::NotUtf8(at) => {
                write!(f, "not text: invalid UTF-8 at byte {} of the line", at + 1)
            }
            LineProblem::TimeTooLate(t_ms) => write!(
                f,
                "t_ms {t_ms} is {} days into the session: not a session (at most {} days)",
                t_ms / 86_400_000,
                MAX_SESSION.as_secs() / 86_400
            ),
        }
    }
}

/// Streams the events of one recording.
pub struct RecordingReader<R> {
    input: R,
    path: PathBuf,
    header: Option<Header>,
    /// The first event line, read while looking for the header.
    first: Option<(u64, String)>,
    line_no: u64,
    /// The current line as bytes, as read (bounded by [`MAX_LINE`]).
    bytes: Vec<u8>,
    /// The current line as text.
    buf: String,
    previous_ms: Option<u64>,
    events: u64,
    done: bool,
}

impl RecordingReader<BufReader<File>> {
    /// Opens a recording file and reads its header, if it has one.
    ///
    /// # Errors
    /// [`RecordingError::Io`] if the file cannot be opened; see [`RecordingReader::new`].
    pub fn open(path: &Path) -> Result<Self, RecordingError> {
        let cannot = |source| RecordingError::Io {
            path: path.to_owned(),
            source,
        };
        // Opening a FIFO would wait for a writer, and a device may never end: only regular
        // files are recordings. (The check follows symlinks.)
        let meta = std::fs::metadata(path).map_err(cannot)?;
        if !meta.is_file() {
            let what = if meta.is_dir() {
                "a directory"
            } else {
                "not a regular file (a pipe, socket or device)"
            };
            return Err(cannot(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{what}: pass a recording file"),
            )));
        }
        let file = File::open(path).map_err(cannot)?;
        RecordingReader::new(BufReader::new(file), path)
    }
}

impl<R: BufRead> RecordingReader<R> {
    /// Reads from `input`; `path` names it in messages.
    ///
    /// # Errors
    /// [`RecordingError::Empty`] when there is no line at all, a read error, or a bad header.
    pub fn new(input: R, path: impl Into<PathBuf>) -> Result<Self, RecordingError> {
        let mut r = RecordingReader {
            input,
            path: path.into(),
            header: None,
            first: None,
            line_no: 0,
            bytes: Vec::new(),
            buf: String::new(),
            previous_ms: None,
            events: 0,
            done: false,
        };
        if !r.read_nonblank_line()? {
            return Err(RecordingError::Empty { path: r.path });
        }
        let line = r.buf.trim();
        // Only an object with a "format" key is a header; anything else is the first event.
        match serde_json::from_str::<serde_json::Value>(line) {
            Ok(v) if v.get("format").is_some() => {
                let header: Header = serde_json::from_value(v)
                    .map_err(|e| r.line_error(LineProblem::BadHeader(e.to_string())))?;
                if header.format != FORMAT_NAME {
                    let problem = format!("format {:?} is not {FORMAT_NAME:?}", header.format);
                    return Err(r.line_error(LineProblem::BadHeader(problem)));
                }
                if header.version != FORMAT_VERSION {
                    let problem = format!(
                        "version {} is not supported (this hrcoach reads version {FORMAT_VERSION})",
                        header.version
                    );
                    return Err(r.line_error(LineProblem::BadHeader(problem)));
                }
                r.header = Some(header);
            }
            _ => r.first = Some((r.line_no, std::mem::take(&mut r.buf))),
        }
        Ok(r)
    }

    /// The header, or `None` for a file of events alone (read with defaults).
    pub fn header(&self) -> Option<&Header> {
        self.header.as_ref()
    }

    /// The file name used in messages.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The next event, a truncation warning, or `None` at the end.
    ///
    /// # Errors
    /// A [`RecordingError`] naming the line and the problem; reading should stop there.
    pub fn next_item(&mut self) -> Result<Option<Item>, RecordingError> {
        if self.done {
            return Ok(None);
        }
        if let Some((line_no, line)) = self.first.take() {
            let saved = std::mem::replace(&mut self.buf, line);
            let item = self.parse_current(line_no);
            self.buf = saved;
            return item.map(Some);
        }
        if !self.read_nonblank_line()? {
            self.done = true;
            if self.events == 0 {
                return Err(RecordingError::Empty {
                    path: self.path.clone(),
                });
            }
            return Ok(None);
        }
        self.parse_current(self.line_no).map(Some)
    }

    /// Reads lines into `buf` until one is not blank. Returns false at the end of the input.
    fn read_nonblank_line(&mut self) -> Result<bool, RecordingError> {
        loop {
            if !self.read_line_bounded()? {
                return Ok(false);
            }
            self.line_no += 1;
            self.buf.clear();
            match std::str::from_utf8(&self.bytes) {
                Ok(text) => self.buf.push_str(text),
                Err(e) => return Err(self.line_error(LineProblem::NotUtf8(e.valid_up_to()))),
            }
            if !self.buf.trim().is_empty() {
                return Ok(true);
            }
        }
    }

    /// Reads one line (newline included, if any) into `bytes`, never more than [`MAX_LINE`]:
    /// a longer line is an error as soon as the limit is passed, without reading the rest.
    /// Returns false at the end of the input.
    fn read_line_bounded(&mut self) -> Result<bool, RecordingError> {
        self.bytes.clear();
        loop {
            let available = match self.input.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(source) => {
                    return Err(RecordingError::Io {
                        path: self.path.clone(),
                        source,
                    });
                }
            };
            if available.is_empty() {
                return Ok(!self.bytes.is_empty());
            }
            let (take, done) = match available.iter().position(|&b| b == b'\n') {
                Some(i) => (i + 1, true),
                None => (available.len(), false),
            };
            if self.bytes.len() + take > MAX_LINE {
                return Err(self.error_at(self.line_no + 1, LineProblem::TooLong));
            }
            self.bytes.extend_from_slice(&available[..take]);
            self.input.consume(take);
            if done {
                return Ok(true);
            }
        }
    }

    fn parse_current(&mut self, line_no: u64) -> Result<Item, RecordingError> {
        let line = self.buf.trim();
        // The common line, exactly as the writer writes it, without serde.
        if let Some((t_ms, bytes)) = fast_hrm_line(line) {
            self.check_time(line_no, t_ms)?;
            self.previous_ms = Some(t_ms);
            self.events += 1;
            return Ok(Item::Event(Event {
                at: Duration::from_millis(t_ms),
                kind: EventKind::Notification(bytes),
            }));
        }
        let parsed: EventLine<'_> = match serde_json::from_str(line) {
            Ok(p) => p,
            Err(e) => {
                // A crash mid-write leaves a last line with no newline and JSON cut short.
                if e.is_eof() && !self.buf.ends_with('\n') {
                    self.done = true;
                    return Ok(Item::Truncated { line: line_no });
                }
                let what = without_position(&e);
                let problem = if e.is_data() {
                    LineProblem::UnknownEvent(what)
                } else {
                    LineProblem::NotJson(what)
                };
                return Err(self.error_at(line_no, problem));
            }
        };
        let t_ms = parsed.t_ms;
        self.check_time(line_no, t_ms)?;
        let mut parsed = parsed;
        if let Some(alert) = parsed.alert.take() {
            let other = parsed.hrm.is_some()
                || parsed.bpm.is_some()
                || parsed.battery.is_some()
                || parsed.link.is_some();
            if other {
                let problem =
                    LineProblem::UnknownEvent("more than one event field on one line".to_owned());
                return Err(self.error_at(line_no, problem));
            }
            self.previous_ms = Some(t_ms);
            return Ok(Item::Alert {
                at: Duration::from_millis(t_ms),
                alert,
            });
        }
        let kind = event_kind(parsed).map_err(|p| self.error_at(line_no, p))?;
        self.previous_ms = Some(t_ms);
        self.events += 1;
        Ok(Item::Event(Event {
            at: Duration::from_millis(t_ms),
            kind,
        }))
    }

    /// A line's `t_ms` must be a time a session can reach, and not before the line above.
    fn check_time(&self, line_no: u64, t_ms: u64) -> Result<(), RecordingError> {
        if Duration::from_millis(t_ms) > MAX_SESSION {
            return Err(self.error_at(line_no, LineProblem::TimeTooLate(t_ms)));
        }
        if let Some(previous_ms) = self.previous_ms.filter(|&p| t_ms < p) {
            return Err(self.error_at(
                line_no,
                LineProblem::TimeWentBackwards { previous_ms, t_ms },
            ));
        }
        Ok(())
    }

    fn line_error(&self, problem: LineProblem) -> RecordingError {
        self.error_at(self.line_no, problem)
    }

    fn error_at(&self, line: u64, problem: LineProblem) -> RecordingError {
        RecordingError::Line {
            path: self.path.clone(),
            line,
            problem,
        }
    }
}

/// The line `{"t_ms":N,"hrm":"hh hh ..."}` exactly as [`super::writer::event_line`] writes it,
/// parsed without serde: nearly every line of a recording has this form, and general JSON
/// costs most of a replay's time. Anything else (other spacing or fields, a leading zero, an
/// escape, a character that is not a hex digit or a space, an odd number of digits) gives
/// `None`, and the line goes through serde_json, so the result is the same either way (the
/// unit tests compare the two on every fixture line and on generated ones).
fn fast_hrm_line(line: &str) -> Option<(u64, Vec<u8>)> {
    let rest = line.strip_prefix("{\"t_ms\":")?;
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let number = &rest[..digits];
    if number.is_empty() || (number.len() > 1 && number.starts_with('0')) {
        return None;
    }
    let t_ms: u64 = number.parse().ok()?;
    let hex = rest[digits..]
        .strip_prefix(",\"hrm\":\"")?
        .strip_suffix("\"}")?;
    if !hex.bytes().all(|b| b.is_ascii_hexdigit() || b == b' ') {
        return None;
    }
    let bytes = from_hex(hex).ok()?;
    Some((t_ms, bytes))
}

/// Turns a parsed line into an event, checking that it names exactly one kind.
fn event_kind(line: EventLine<'_>) -> Result<EventKind, LineProblem> {
    let kinds = [
        line.hrm.is_some(),
        line.bpm.is_some(),
        line.battery.is_some(),
        line.link.is_some(),
        line.timer.is_some(),
        line.answer.is_some(),
    ];
    match kinds.iter().filter(|&&k| k).count() {
        0 => {
            return Err(LineProblem::UnknownEvent(
                "no event field (expected one of hrm, bpm, battery, link, timer, answer)"
                    .to_owned(),
            ));
        }
        1 => {}
        _ => {
            return Err(LineProblem::UnknownEvent(
                "more than one event field on one line".to_owned(),
            ));
        }
    }
    if line.bpm.is_none()
        && (line.rr.is_some() || line.contact.is_some() || line.energy_kj.is_some())
    {
        return Err(LineProblem::UnknownEvent(
            "rr, contact and energy_kj belong with bpm".to_owned(),
        ));
    }
    if let Some(name) = line.answer {
        return Answer::parse(&name).map(EventKind::Answer).ok_or_else(|| {
            LineProblem::UnknownEvent(format!("answer {name:?} is not one of eased, same, worse"))
        });
    }
    if let Some(hex) = line.hrm {
        return from_hex(&hex)
            .map(EventKind::Notification)
            .map_err(LineProblem::BadHex);
    }
    if let Some(bpm) = line.bpm {
        // The hand-written form becomes the bytes a strap would have sent, so it enters the
        // pipeline exactly as a raw notification does.
        let m = HeartRateMeasurement {
            bpm,
            contact: match line.contact {
                None => Contact::NotSupported,
                Some(true) => Contact::Detected,
                Some(false) => Contact::NotDetected,
            },
            energy_kj: line.energy_kj,
            rr: line
                .rr
                .unwrap_or_default()
                .into_iter()
                .map(RrInterval)
                .collect(),
        };
        return Ok(EventKind::Notification(m.encode()));
    }
    Ok(match (line.battery, line.link, line.timer) {
        (Some(p), _, _) => EventKind::Battery(p),
        (None, Some(Link::Restored), _) => EventKind::LinkRestored,
        (None, Some(Link::Lost), _) => EventKind::LinkLost,
        (None, None, Some(Timer::Resumed)) => EventKind::Resumed,
        // Exactly one kind is present (checked above), so this is `timer: paused`.
        (None, None, _) => EventKind::Paused,
    })
}

/// serde_json's message ends with " at line 1 column N", which misleads when every recording
/// line is parsed on its own; keep the column only.
fn without_position(e: &serde_json::Error) -> String {
    let msg = e.to_string();
    match msg.rfind(" at line ") {
        Some(i) => format!("{} (column {})", &msg[..i], e.column()),
        None => msg,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_endless_line_is_refused_at_the_limit_without_reading_on() {
        // An input that never ends and has no newline: an unbounded reader would never return.
        let endless = std::io::BufReader::new(std::io::repeat(b'x'));
        let e = RecordingReader::new(endless, "endless.jsonl").err();
        assert!(
            e.as_ref()
                .is_some_and(|e| e.to_string() == "endless.jsonl:1: line longer than 64 KiB: not a recording line (reading stopped there)"),
            "{e:?}"
        );
        // A long line after good ones names its own line number.
        let mut text = String::from("{\"t_ms\":0,\"bpm\":100}\n");
        text.push_str(&"x".repeat(MAX_LINE + 1));
        assert!(
            error_of(&text).starts_with("test.jsonl:2: line longer than 64 KiB"),
            "{}",
            error_of(&text)
        );
        // A line just under the limit is read (and judged on its content).
        let mut text = String::from("{\"t_ms\":0,\"bpm\":100}\n{\"t_ms\":1000,\"bpm\":100}");
        text.push_str(&" ".repeat(MAX_LINE - 40));
        text.push('\n');
        assert!(read_all(&text).is_ok_and(|(_, items)| items.len() == 2));
    }

    #[test]
    fn bytes_that_are_not_text_are_refused_with_their_line() {
        let bytes = b"{\"t_ms\":0,\"bpm\":100}\n{\"t_ms\":1000,\"bpm\":\xff\xfe}\n";
        let e = RecordingReader::new(&bytes[..], "bin.jsonl")
            .and_then(|mut r| {
                while r.next_item()?.is_some() {}
                Ok(())
            })
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            e.as_deref(),
            Some("bin.jsonl:2: not text: invalid UTF-8 at byte 20 of the line")
        );
    }

    #[test]
    fn a_time_no_session_reaches_is_refused_before_any_arithmetic() {
        let e = error_of("{\"t_ms\":0,\"bpm\":100}\n{\"t_ms\":18446744073709551615,\"bpm\":100}\n");
        assert!(
            e.starts_with(
                "test.jsonl:2: t_ms 18446744073709551615 is 213503982334 days into the session"
            ),
            "{e}"
        );
        // A week is a session (a week of recordings replayed as one).
        let week = 7 * 86_400_000u64;
        let ok = read_all(&format!(
            "{{\"t_ms\":0,\"bpm\":100}}\n{{\"t_ms\":{week},\"bpm\":100}}\n"
        ));
        assert!(ok.is_ok());
    }

    /// What serde_json makes of a line the fast path took: it must be the same event.
    fn serde_view(line: &str) -> Option<(u64, Vec<u8>)> {
        let parsed: EventLine<'_> = serde_json::from_str(line).ok()?;
        let only_hrm = parsed.bpm.is_none()
            && parsed.battery.is_none()
            && parsed.link.is_none()
            && parsed.alert.is_none()
            && parsed.rr.is_none();
        let hex = parsed.hrm.filter(|_| only_hrm)?;
        Some((parsed.t_ms, from_hex(&hex).ok()?))
    }

    #[test]
    fn the_fast_path_reads_every_written_line_as_serde_does() -> Result<(), std::io::Error> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let mut fast = 0;
        for entry in std::fs::read_dir(&dir)? {
            let path = entry?.path();
            if path.extension().is_none_or(|e| e != "jsonl") {
                continue;
            }
            for line in std::fs::read_to_string(&path)?.lines() {
                let line = line.trim();
                if let Some(got) = fast_hrm_line(line) {
                    fast += 1;
                    assert_eq!(Some(got), serde_view(line), "{line}");
                } else {
                    assert!(!line.contains("\"hrm\""), "not taken: {line}");
                }
            }
        }
        assert!(fast > 15_000, "{fast}");
        Ok(())
    }

    #[test]
    fn the_fast_path_declines_what_it_does_not_know() {
        for line in [
            "{\"t_ms\":01000,\"hrm\":\"16 5b\"}",
            "{\"t_ms\":1000, \"hrm\":\"16 5b\"}",
            "{\"t_ms\":1000,\"hrm\":\"16 5b\",\"bpm\":90}",
            "{\"t_ms\":1000,\"hrm\":\"16\\u0020 5b\"}",
            "{\"t_ms\":1000,\"hrm\":\"16 5\"}",
            "{\"t_ms\":-1,\"hrm\":\"16 5b\"}",
            "{\"t_ms\":99999999999999999999,\"hrm\":\"16 5b\"}",
            "{\"t_ms\":1000,\"hrm\":\"16\t5b\"}",
        ] {
            assert_eq!(fast_hrm_line(line), None, "{line}");
        }
        assert_eq!(
            fast_hrm_line("{\"t_ms\":0,\"hrm\":\"16 5B a0 02\"}"),
            Some((0, vec![0x16, 0x5b, 0xa0, 0x02]))
        );
    }

    proptest::proptest! {
        /// Lines made of the pieces of the common form, shuffled and mangled: whenever the
        /// fast path takes one, serde_json reads the same event from it.
        #[test]
        fn the_fast_path_never_disagrees_with_serde(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "{", "}", "\"", ",", ":", "t_ms", "hrm", "0", "1", "9", "a", "F", " ",
                    "16", "5b", "\\", "\\u0031", "-", ".", "e",
                ]),
                0..24,
            )
        ) {
            let body: String = pieces.concat();
            for line in [
                body.clone(),
                format!("{{\"t_ms\":{body}"),
                format!("{{\"t_ms\":1000,\"hrm\":\"{body}"),
                format!("{{\"t_ms\":{body}\"}}"),
            ] {
                if let Some(got) = fast_hrm_line(&line) {
                    proptest::prop_assert_eq!(Some(got), serde_view(&line), "{}", line);
                }
            }
        }
    }

    fn read_all(text: &str) -> Result<(Option<Header>, Vec<Item>), RecordingError> {
        let mut r = RecordingReader::new(text.as_bytes(), "test.jsonl")?;
        let mut items = Vec::new();
        while let Some(item) = r.next_item()? {
            items.push(item);
        }
        Ok((r.header().cloned(), items))
    }

    fn error_of(text: &str) -> String {
        match read_all(text) {
            Ok(v) => format!("unexpectedly read {v:?}"),
            Err(e) => e.to_string(),
        }
    }

    fn event(ms: u64, kind: EventKind) -> Item {
        Item::Event(Event {
            at: Duration::from_millis(ms),
            kind,
        })
    }

    #[test]
    fn reads_header_and_every_event_kind() -> Result<(), RecordingError> {
        let text = r#"{"format":"hrcoach-recording","version":1,"start":"2026-11-27T07:00:00Z","strap":{"name":"H10","address":"AA:BB"},"note":"sore calves"}
{"t_ms":0,"battery":90}
{"t_ms":1000,"hrm":"16 8c 00 04"}
{"t_ms":2000,"hrm":"168c0004"}
{"t_ms":3000,"bpm":140,"rr":[1024],"contact":true}
{"t_ms":4000,"link":"lost"}
{"t_ms":9000,"link":"restored"}
"#;
        let (header, items) = read_all(text)?;
        let header = header.ok_or_else(|| RecordingError::Empty {
            path: "no header".into(),
        })?;
        assert_eq!(header.note.as_deref(), Some("sore calves"));
        assert_eq!(header.strap.and_then(|s| s.name).as_deref(), Some("H10"));
        let raw = vec![0x16, 0x8c, 0x00, 0x04];
        assert_eq!(
            items,
            vec![
                event(0, EventKind::Battery(90)),
                event(1000, EventKind::Notification(raw.clone())),
                event(2000, EventKind::Notification(raw.clone())),
                // The hand-written form encodes to the very same bytes.
                event(3000, EventKind::Notification(raw)),
                event(4000, EventKind::LinkLost),
                event(9000, EventKind::LinkRestored),
            ]
        );
        Ok(())
    }

    #[test]
    fn a_file_of_events_alone_reads_with_defaults() -> Result<(), RecordingError> {
        let (header, items) = read_all("{\"t_ms\":5,\"bpm\":100}\n\n{\"t_ms\":6,\"bpm\":101}")?;
        assert_eq!(header, None);
        assert_eq!(items.len(), 2);
        Ok(())
    }

    #[test]
    fn a_truncated_last_line_is_a_warning() -> Result<(), RecordingError> {
        let (_, items) = read_all("{\"t_ms\":5,\"bpm\":100}\n{\"t_ms\":6,\"hrm\":\"16 8")?;
        assert_eq!(items.last(), Some(&Item::Truncated { line: 2 }));
        assert_eq!(items.len(), 2);
        Ok(())
    }

    #[test]
    fn a_cut_line_in_the_middle_is_an_error() {
        let e = error_of("{\"t_ms\":5,\"bpm\":100\n{\"t_ms\":6,\"bpm\":100}\n");
        assert!(e.starts_with("test.jsonl:1: not JSON: EOF"), "{e}");
    }

    #[test]
    fn names_the_line_and_the_problem() {
        let cases = [
            ("", "test.jsonl: no events: the recording is empty"),
            ("\n  \n", "test.jsonl: no events: the recording is empty"),
            (
                "{\"format\":\"hrcoach-recording\",\"version\":1}\n",
                "test.jsonl: no events: the recording is empty",
            ),
            (
                "{\"t_ms\":1,\"bpm\":90}\nhello\n",
                "test.jsonl:2: not JSON: expected value (column 1)",
            ),
            (
                "{\"t_ms\":1,\"heart\":90}\n",
                "test.jsonl:1: unknown event: unknown field `heart`",
            ),
            (
                "{\"t_ms\":1}\n",
                "test.jsonl:1: unknown event: no event field",
            ),
            (
                "{\"bpm\":90}\n",
                "test.jsonl:1: unknown event: missing field `t_ms`",
            ),
            (
                "{\"t_ms\":1,\"bpm\":90,\"battery\":3}\n",
                "test.jsonl:1: unknown event: more than one event field",
            ),
            (
                "{\"t_ms\":1,\"link\":\"gone\"}\n",
                "test.jsonl:1: unknown event: unknown variant `gone`",
            ),
            (
                "{\"t_ms\":1,\"hrm\":\"16 zz\"}\n",
                "test.jsonl:1: bad hex in \"hrm\": 'z' is not a hex digit",
            ),
            (
                "{\"t_ms\":1,\"hrm\":\"16 8\"}\n",
                "test.jsonl:1: bad hex in \"hrm\": odd number of hex digits",
            ),
            (
                "{\"t_ms\":2000,\"bpm\":90}\n{\"t_ms\":1999,\"bpm\":90}\n",
                "test.jsonl:2: time goes backwards: t_ms 1999 comes after t_ms 2000",
            ),
            (
                "{\"format\":\"hrcoach-recording\",\"version\":7}\n{\"t_ms\":1,\"bpm\":90}\n",
                "test.jsonl:1: bad header: version 7 is not supported",
            ),
            (
                "{\"format\":\"gpx\",\"version\":1}\n",
                "test.jsonl:1: bad header: format \"gpx\"",
            ),
            (
                "{\"t_ms\":-1,\"bpm\":90}\n",
                "test.jsonl:1: unknown event: invalid value: integer `-1`",
            ),
        ];
        for (text, want) in cases {
            let got = error_of(text);
            assert!(
                got.starts_with(want),
                "for {text:?}\n  got  {got}\n  want {want}…"
            );
        }
    }

    #[test]
    fn equal_times_are_allowed() -> Result<(), RecordingError> {
        let (_, items) = read_all("{\"t_ms\":5,\"bpm\":100}\n{\"t_ms\":5,\"battery\":80}\n")?;
        assert_eq!(items.len(), 2);
        Ok(())
    }
}

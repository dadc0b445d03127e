//! What the TCX and GPX readers share: a streaming walk over elements that keeps the path of
//! local names (namespace prefixes dropped), and the messages for XML that does not parse.

use std::io::BufRead;
use std::path::Path;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::ImportError;

/// One step of the walk.
pub enum Step {
    /// An element opened (also for `<a/>`, which is followed by [`Step::Close`]).
    Open(String, Vec<(String, String)>),
    /// Text inside the innermost open element.
    Text(String),
    /// The innermost element closed.
    Close(String),
}

/// Walks an XML document whose root element is `root` (a `kind` file), calling `visit` with
/// each step and the path of open elements.
///
/// # Errors
/// XML that does not parse, with the byte offset; a document whose root is not `root`, or
/// that has none; or what `visit` returns.
pub fn walk(
    input: impl BufRead,
    path: &Path,
    kind: &str,
    root: &str,
    mut visit: impl FnMut(&[String], Step) -> Result<(), ImportError>,
) -> Result<(), ImportError> {
    let mut saw_root = false;
    let mut visit = |stack: &[String], step: Step| {
        if let (Step::Open(name, _), 1) = (&step, stack.len()) {
            if name != root {
                return Err(ImportError::Unknown {
                    path: path.to_owned(),
                    what: format!("XML whose root is <{name}>, not a {kind} file"),
                });
            }
            saw_root = true;
        }
        visit(stack, step)
    };
    let mut reader = Reader::from_reader(input);
    reader.config_mut().trim_text(true);
    let mut stack: Vec<String> = Vec::new();
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| ImportError::Corrupt {
                path: path.to_owned(),
                what: format!(
                    "not well-formed XML at byte {}: {e} (a damaged or cut-short {kind} file)",
                    reader.error_position()
                ),
            })?;
        match event {
            Event::Start(e) => {
                let (name, attrs) = element(&e);
                stack.push(name.clone());
                visit(&stack, Step::Open(name, attrs))?;
            }
            Event::Empty(e) => {
                let (name, attrs) = element(&e);
                stack.push(name.clone());
                visit(&stack, Step::Open(name.clone(), attrs))?;
                visit(&stack, Step::Close(name))?;
                stack.pop();
            }
            Event::Text(t) => {
                let text = t.xml10_content().into_owned();
                visit(&stack, Step::Text(text))?;
            }
            Event::CData(t) => {
                let text = t.xml10_content().into_owned();
                visit(&stack, Step::Text(text))?;
            }
            Event::End(_) => {
                if let Some(name) = stack.last().cloned() {
                    visit(&stack, Step::Close(name))?;
                }
                stack.pop();
            }
            Event::Eof => {
                if !stack.is_empty() {
                    return Err(ImportError::Corrupt {
                        path: path.to_owned(),
                        what: format!(
                            "the {kind} file ends inside <{}>: cut short",
                            stack.join("><")
                        ),
                    });
                }
                if !saw_root {
                    return Err(ImportError::Unknown {
                        path: path.to_owned(),
                        what: format!("XML without a {root} element: not a {kind} file"),
                    });
                }
                return Ok(());
            }
            _ => {}
        }
    }
}

fn local(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

fn element(e: &BytesStart<'_>) -> (String, Vec<(String, String)>) {
    let name = local(e.local_name().into_inner()).to_owned();
    let attrs = e
        .attributes()
        .flatten()
        .filter_map(|a| {
            let key = local(a.key.local_name().into_inner()).to_owned();
            let value = a
                .normalized_value(quick_xml::XmlVersion::Explicit1_0)
                .ok()?
                .into_owned();
            Some((key, value))
        })
        .collect();
    (name, attrs)
}

/// Whether `path` ends with the names in `tail`.
pub fn ends_with(path: &[String], tail: &[&str]) -> bool {
    path.len() >= tail.len()
        && path[path.len() - tail.len()..]
            .iter()
            .zip(tail)
            .all(|(a, b)| a == b)
}

/// An RFC 3339 time as Unix milliseconds.
pub fn time_ms(text: &str) -> Option<i64> {
    text.trim()
        .parse::<jiff::Timestamp>()
        .ok()
        .map(|t| t.as_millisecond())
}

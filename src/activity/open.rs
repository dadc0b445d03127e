//! Which file is what, and opening it: detection by content, the size limit, the errors, and
//! a watch file opened as a recording for a session.

use std::fs::File;
use std::io::{self, BufReader, Read, Seek};
use std::path::{Path, PathBuf};

use super::{Activity, Format, MAX_FILE_BYTES, fit, gpx, tcx, to_recording};
use crate::recording::{RecordingError, RecordingReader};

/// Why a file could not be read as an activity. Every message names the file.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file could not be opened or read.
    #[error("cannot read {path}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the OS said (the error's source: printed after the message, as `{e:#}` does).
        source: io::Error,
    },
    /// Not a regular file.
    #[error("cannot read {path}: {what}")]
    NotAFile {
        /// The file.
        path: PathBuf,
        /// A directory, a pipe...
        what: &'static str,
    },
    /// Larger than any activity.
    #[error(
        "{path}: {size} is too large for an activity file (at most {limit}; a day of 1 s samples is about 5 MB as FIT, 50 MB as TCX)",
        size = megabytes(*.bytes),
        limit = megabytes(MAX_FILE_BYTES)
    )]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size.
        bytes: u64,
    },
    /// Not a kind of file hrcoach reads.
    #[error("{path}: {what}")]
    Unknown {
        /// The file.
        path: PathBuf,
        /// What it looks like instead.
        what: String,
    },
    /// A file of a known format that is damaged.
    #[error("{path}: {what}")]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What is wrong, e.g. "FIT checksum mismatch: the file is damaged".
        what: String,
    },
    /// A readable file with no heart rate in it.
    #[error("{path}: {what}")]
    NoHeartRate {
        /// The file.
        path: PathBuf,
        /// What it holds instead.
        what: String,
    },
}

fn megabytes(bytes: u64) -> String {
    if bytes >= 1024 * 1024 * 1024 {
        format!("{:.1} GB", bytes as f64 / (1024.0 * 1024.0 * 1024.0))
    } else {
        format!("{} MB", bytes / (1024 * 1024))
    }
}

/// What the first bytes of a file say it is, or `None`.
///
/// ```
/// use hrcoach::activity::{Format, detect};
///
/// assert_eq!(detect(b"\x0e\x10\x00\x00\x00\x00\x00\x00.FIT\x00\x00"), Some(Format::Fit));
/// assert_eq!(detect(b"<?xml version=\"1.0\"?>\n<TrainingCenterDatabase xmlns=\"...\">"), Some(Format::Tcx));
/// assert_eq!(detect(b"\xef\xbb\xbf<gpx version=\"1.1\">"), Some(Format::Gpx));
/// assert_eq!(detect(b"{\"t_ms\":0,\"bpm\":120}"), Some(Format::Recording));
/// assert_eq!(detect(b"hello"), None);
/// ```
pub fn detect(head: &[u8]) -> Option<Format> {
    if head.len() >= 12 && matches!(head[0], 12 | 14) && &head[8..12] == b".FIT" {
        return Some(Format::Fit);
    }
    let text = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    let start = text.iter().position(|b| !b.is_ascii_whitespace())?;
    let text = &text[start..];
    match text.first()? {
        b'{' => Some(Format::Recording),
        b'<' => {
            // The root element: skip the declaration, comments and processing instructions.
            let mut rest = text;
            loop {
                let open = rest.iter().position(|&b| b == b'<')?;
                rest = &rest[open + 1..];
                match rest.first()? {
                    b'?' | b'!' => continue,
                    _ => break,
                }
            }
            let name_end = rest
                .iter()
                .position(|b| b.is_ascii_whitespace() || *b == b'>' || *b == b'/')
                .unwrap_or(rest.len());
            let name = &rest[..name_end];
            let local = name.rsplit(|&b| b == b':').next().unwrap_or(name);
            match local {
                b"TrainingCenterDatabase" => Some(Format::Tcx),
                b"gpx" => Some(Format::Gpx),
                _ => None,
            }
        }
        _ => None,
    }
}

/// Opens `path` for reading as an activity or recording: a regular file of at most
/// [`MAX_FILE_BYTES`], and what its first bytes say it is.
///
/// # Errors
/// Not a file, unreadable, too large, or of no kind hrcoach reads.
pub fn open(path: &Path) -> Result<(Format, BufReader<File>), ImportError> {
    let io_error = |source| ImportError::Io {
        path: path.to_owned(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(io_error)?;
    if meta.is_dir() {
        return Err(ImportError::NotAFile {
            path: path.to_owned(),
            what: "a directory: pass a recording file or a watch file (FIT, TCX, GPX)",
        });
    }
    if !meta.is_file() {
        return Err(ImportError::NotAFile {
            path: path.to_owned(),
            what: "not a regular file (a pipe, socket or device): pass a recording file or a watch file",
        });
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(ImportError::TooLarge {
            path: path.to_owned(),
            bytes: meta.len(),
        });
    }
    let mut file = File::open(path).map_err(io_error)?;
    let mut head = [0u8; 512];
    let mut len = 0;
    while len < head.len() {
        let n = file.read(&mut head[len..]).map_err(io_error)?;
        if n == 0 {
            break;
        }
        len += n;
    }
    let head = &head[..len];
    let named = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let format = match detect(head) {
        Some(f) => f,
        // XML that is neither TCX nor GPX.
        None if first_text_byte(head) == Some(b'<') => {
            return Err(ImportError::Unknown {
                path: path.to_owned(),
                what: "XML, but neither TCX (TrainingCenterDatabase) nor GPX (gpx): not an activity file hrcoach reads".to_owned(),
            });
        }
        // Named like a watch file but not one: say so rather than "not JSON".
        None if matches!(named.as_str(), "fit" | "tcx" | "gpx") => {
            let what = if len == 0 {
                "empty file (0 bytes): no samples".to_owned()
            } else if named == "fit" {
                "named .fit, but not a FIT file: its header has no .FIT signature".to_owned()
            } else {
                let start: String = String::from_utf8_lossy(&head[..head.len().min(20)])
                    .chars()
                    .filter(|c| !c.is_control())
                    .collect();
                format!(
                    "named .{named}, but not XML (it starts with {start:?}): not a {} file",
                    named.to_uppercase()
                )
            };
            return Err(ImportError::Unknown {
                path: path.to_owned(),
                what,
            });
        }
        // Anything else is read as a recording, whose reader names the line and the problem.
        None => Format::Recording,
    };
    file.rewind().map_err(io_error)?;
    Ok((format, BufReader::new(file)))
}

fn first_text_byte(head: &[u8]) -> Option<u8> {
    let text = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    text.iter().copied().find(|b| !b.is_ascii_whitespace())
}

/// A file opened for a session: a recording as it is, a watch file converted to one.
pub struct Opened {
    /// The recording to replay.
    pub reader: RecordingReader<Box<dyn io::BufRead + Send>>,
    /// The watch file it came from, if it was one.
    pub activity: Option<Activity>,
}

/// Why a file could not be opened for a session.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// A watch file that could not be read.
    #[error(transparent)]
    Import(#[from] ImportError),
    /// A recording that could not be read.
    #[error(transparent)]
    Recording(#[from] RecordingError),
}

/// Opens any file hrcoach reads (a recording, FIT, TCX, GPX) as a recording.
///
/// # Errors
/// See [`OpenError`].
pub fn open_session(path: &Path) -> Result<Opened, OpenError> {
    let (format, input) = open(path)?;
    if format == Format::Recording {
        let input: Box<dyn io::BufRead + Send> = Box::new(input);
        return Ok(Opened {
            reader: RecordingReader::new(input, path)?,
            activity: None,
        });
    }
    let activity = read_from(format, input, path)?;
    let mut text = Vec::new();
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    to_recording(&activity, &name, &mut text).map_err(|source| ImportError::Io {
        path: path.to_owned(),
        source,
    })?;
    let input: Box<dyn io::BufRead + Send> = Box::new(io::Cursor::new(text));
    Ok(Opened {
        reader: RecordingReader::new(input, path)?,
        activity: Some(activity),
    })
}

/// Reads a FIT, TCX or GPX file.
///
/// # Errors
/// See [`ImportError`]; a recording is [`ImportError::Unknown`] here (read it with
/// [`crate::recording::RecordingReader`]).
pub fn read(path: &Path) -> Result<Activity, ImportError> {
    let (format, input) = open(path)?;
    read_from(format, input, path)
}

/// Reads an activity of a known `format` from `input`; `path` names it in errors.
///
/// # Errors
/// See [`ImportError`].
pub fn read_from(
    format: Format,
    input: impl io::BufRead,
    path: &Path,
) -> Result<Activity, ImportError> {
    let activity = match format {
        Format::Fit => fit::read(input, path)?,
        Format::Tcx => tcx::read(input, path)?,
        Format::Gpx => gpx::read(input, path)?,
        Format::Recording => {
            return Err(ImportError::Unknown {
                path: path.to_owned(),
                what: "already an hrcoach recording".to_owned(),
            });
        }
    };
    check_heart_rate(activity, path)
}

fn check_heart_rate(activity: Activity, path: &Path) -> Result<Activity, ImportError> {
    let with_hr = activity.heart_rate_samples().count();
    if with_hr > 0 {
        return Ok(activity);
    }
    let what = match (activity.format, activity.samples.len()) {
        (_, 0) => format!(
            "no samples: the {} file holds no track points or records",
            activity.format.as_str().to_uppercase()
        ),
        (Format::Gpx, n) => format!(
            "no heart rate: {n} track point{}, none with a gpxtpx:hr extension (Garmin's TrackPointExtension)",
            plural(n)
        ),
        (Format::Tcx, n) => {
            format!(
                "no heart rate: {n} track point{}, none with HeartRateBpm",
                plural(n)
            )
        }
        (_, n) => format!(
            "no heart rate: {n} record{}, none with a heart_rate field",
            plural(n)
        ),
    };
    Err(ImportError::NoHeartRate {
        path: path.to_owned(),
        what,
    })
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detect_needs_the_fit_signature_not_the_name() {
        let mut fit = [0u8; 14];
        fit[0] = 14;
        fit[8..12].copy_from_slice(b".FIT");
        assert_eq!(detect(&fit), Some(Format::Fit));
        fit[8] = b'x';
        assert_eq!(detect(&fit), None);
        assert_eq!(detect(b""), None);
        assert_eq!(
            detect(b"<?xml version='1.0'?><!-- a comment --><ns:gpx>"),
            Some(Format::Gpx)
        );
        assert_eq!(detect(b"<html><body>"), None);
    }
}

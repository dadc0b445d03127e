//! Creating the files hrcoach writes (recordings, the profile, the remembered strap) with
//! permissions that do not depend on the caller's umask being sane: never writable by other
//! users.

use std::fs::{File, OpenOptions};
use std::io;
use std::path::Path;

/// The mode of every file hrcoach creates: read-write for the user, readable by others (a
/// recording or a profile holds nothing secret, but nobody else may change it). The umask
/// can only take bits away from it.
pub const MODE: u32 = 0o644;

/// Options that create a file with [`MODE`].
fn options() -> OpenOptions {
    let mut o = OpenOptions::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(MODE);
    }
    o
}

/// Creates (or truncates) `path` for writing, as `File::create` does, with [`MODE`].
///
/// # Errors
/// What the OS says.
pub fn create(path: &Path) -> io::Result<File> {
    options().write(true).create(true).truncate(true).open(path)
}

/// Creates `path` with [`MODE`], failing if it exists (`AlreadyExists`): a name taken here is
/// no other writer's.
///
/// # Errors
/// What the OS says.
pub fn create_new(path: &Path) -> io::Result<File> {
    options().write(true).create_new(true).open(path)
}

/// Opens `path` for appending, creating it with [`MODE`] if it does not exist: a check that
/// it can be written which changes nothing in an existing file.
///
/// # Errors
/// What the OS says.
pub fn touch(path: &Path) -> io::Result<File> {
    options().append(true).create(true).open(path)
}

/// Whether writing `path` would replace something: a file that holds at least a byte. An
/// empty file (made by `touch`, or by a run that failed before its first line) holds nothing
/// to lose.
#[must_use]
pub fn holds_something(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.len() > 0)
}

/// Whether `a` and `b` name one file (also through a link or `./`), so that even `--force`
/// never replaces the file being read.
#[must_use]
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// Writes `contents` to `path` (created with [`MODE`], or truncated).
///
/// # Errors
/// What the OS says.
pub fn write(path: &Path, contents: &[u8]) -> io::Result<()> {
    use std::io::Write as _;
    create(path)?.write_all(contents)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn created_files_are_never_writable_by_others() -> io::Result<()> {
        let dir = std::env::temp_dir().join(format!("hrcoach-files-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        let path = dir.join("f");
        write(&path, b"x")?;
        let mode = std::fs::metadata(&path)?.permissions().mode();
        std::fs::remove_dir_all(&dir)?;
        assert_eq!(mode & 0o022, 0, "{mode:o}");
        Ok(())
    }
}

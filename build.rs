//! Sets `HRCOACH_VERSION`, what `--version` prints: the package version, with the commit it is
//! built from when built from a git checkout with git on the PATH ("0.1.0 (3f2c1ab)"). A build
//! from a source tarball or without git has the version alone ("0.1.0"), and builds all the
//! same.

use std::process::Command;

fn main() {
    // Rebuild when the checkout moves to another commit: HEAD, and the branch it points to.
    let mut watched = vec![".git/HEAD".to_owned(), ".git/packed-refs".to_owned()];
    if let Ok(head) = std::fs::read_to_string(".git/HEAD")
        && let Some(branch) = head.trim().strip_prefix("ref: ")
    {
        watched.push(format!(".git/{branch}"));
    }
    for path in watched {
        if std::path::Path::new(&path).exists() {
            println!("cargo:rerun-if-changed={path}");
        }
    }
    let commit = Command::new("git")
        .args(["rev-parse", "--short=7", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_hexdigit()));
    let package = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    let version = match commit {
        Some(commit) => format!("{package} ({commit})"),
        None => package,
    };
    println!("cargo:rustc-env=HRCOACH_VERSION={version}");
}

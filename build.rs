//! Puts the commit hrcoach is built from into `--version` (`HRCOACH_COMMIT`), when it is
//! built from a git checkout with git on the PATH; a build from a crates.io tarball or without
//! git simply has no commit in its version.

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
    if let Some(commit) = commit {
        println!("cargo:rustc-env=HRCOACH_COMMIT={commit}");
    }
}

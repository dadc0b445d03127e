//! Two jobs at build time:
//!
//! 1. Sets `HRCOACH_VERSION`, what `--version` prints: the package version, with the commit it
//!    is built from when built from a git checkout with git on the PATH ("0.1.0 (3f2c1ab)"). A
//!    build from a source tarball or without git has the version alone ("0.1.0").
//! 2. Writes the man pages (`hrcoach.1` and one per subcommand) and the bash, zsh and fish
//!    completions into `target/<profile>/assets/`, where `cargo deb` picks them up
//!    (Cargo.toml, `[package.metadata.deb]`). They come from the very clap definitions the
//!    binary parses with (src/cli.rs, included below), so they cannot drift from `--help`.

use std::path::{Path, PathBuf};
use std::process::Command;

// src/cli.rs names a few of the library's types (`use hrcoach::...`). A build script cannot
// link the crate it builds, so `hrcoach` here is this script, and `stand_in` below gives those
// names. Only their names matter for the help text: clap never calls the parsers here. A new
// library type used by cli.rs fails this build until it is added, loudly, not silently.
extern crate self as hrcoach;

#[allow(dead_code, missing_docs, unused_imports)]
#[path = "src/cli.rs"]
mod cli;

pub use stand_in::{calibrate, checkins, coach, output, profile};

fn main() {
    println!("cargo:rerun-if-changed=src/cli.rs");
    let version = version();
    println!("cargo:rustc-env=HRCOACH_VERSION={version}");
    if let Err(e) = assets() {
        // A packager's build should stop here; an ordinary `cargo build` need not.
        println!("cargo:warning=man pages and completions not written: {e}");
    }
}

/// The package version, with the commit when built from a git checkout.
fn version() -> String {
    // Rebuild when the checkout moves to another commit: HEAD, and the branch it points to.
    let mut watched = vec![".git/HEAD".to_owned(), ".git/packed-refs".to_owned()];
    if let Ok(head) = std::fs::read_to_string(".git/HEAD")
        && let Some(branch) = head.trim().strip_prefix("ref: ")
    {
        watched.push(format!(".git/{branch}"));
    }
    for path in watched {
        if Path::new(&path).exists() {
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
    match commit {
        Some(commit) => format!("{package} ({commit})"),
        None => package,
    }
}

/// `target/<profile>/assets/`: three levels up from OUT_DIR
/// (`target/<profile>/build/hrcoach-<hash>/out`), the place cargo-deb's own example uses.
fn assets_dir() -> std::io::Result<PathBuf> {
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    out.ancestors()
        .nth(3)
        .map(|profile| profile.join("assets"))
        .ok_or_else(|| std::io::Error::other(format!("OUT_DIR {} is too short", out.display())))
}

/// Writes `man/*.1.gz` and `completions/{hrcoach.bash,_hrcoach,hrcoach.fish}`.
fn assets() -> std::io::Result<()> {
    use clap::CommandFactory;
    use clap_complete::Shell;

    let dir = assets_dir()?;
    let man = dir.join("man");
    let completions = dir.join("completions");
    for d in [&man, &completions] {
        // Start clean, so a subcommand that is gone leaves no page behind.
        if d.exists() {
            std::fs::remove_dir_all(d)?;
        }
        std::fs::create_dir_all(d)?;
    }
    clap_mangen::generate_to(cli::Cli::command(), &man)?;
    // Debian ships man pages gzipped; cargo-deb gzips only assets it did not build.
    for page in std::fs::read_dir(&man)? {
        let page = page?.path();
        let roff = std::fs::read(&page)?;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        std::io::Write::write_all(&mut gz, &roff)?;
        let mut name = page.into_os_string();
        std::fs::remove_file(&name)?;
        name.push(".gz");
        std::fs::write(name, gz.finish()?)?;
    }
    for (shell, name) in [
        (Shell::Bash, "hrcoach.bash"),
        (Shell::Zsh, "_hrcoach"),
        (Shell::Fish, "hrcoach.fish"),
    ] {
        let mut script = Vec::new();
        clap_complete::generate(shell, &mut cli::Cli::command(), "hrcoach", &mut script);
        std::fs::write(completions.join(name), script)?;
    }
    Ok(())
}

/// Stand-ins for the library items src/cli.rs names: same paths, same names, no behaviour.
#[allow(missing_docs)]
mod stand_in {
    pub mod calibrate {
        pub mod measures {
            pub struct Formula {
                pub name: &'static str,
            }
            pub const DEFAULT_FORMULA: &Formula = &Formula { name: "tanaka" };
        }
    }
    pub mod checkins {
        pub mod rules {
            macro_rules! names {
                ($($t:ident),*) => {$(
                    #[derive(Debug, Clone, Copy, serde::Deserialize)]
                    pub enum $t {}
                )*};
            }
            names!(Area, Gait, Moving, Pain, Sides);
        }
    }
    pub mod coach {
        pub mod answer {
            #[derive(Debug, Clone, Copy)]
            pub struct Answer;
            impl Answer {
                pub fn parse(_: &str) -> Option<Self> {
                    None
                }
            }
        }
        pub mod zones {
            pub fn parse_bounds(_: &str) -> Result<[u16; 5], String> {
                Err(String::new())
            }
        }
    }
    pub mod output {
        pub mod say {
            #[derive(Debug, Clone)]
            pub struct SpeechCommand;
            impl SpeechCommand {
                pub fn parse(_: &str) -> Result<Self, String> {
                    Ok(SpeechCommand)
                }
            }
        }
    }
    pub mod profile {
        pub enum Sex {
            Female,
            Male,
        }
        #[derive(Debug, Clone, Copy)]
        pub enum ZoneModelName {}
        impl ZoneModelName {
            pub fn parse(_: &str) -> Result<Self, String> {
                Err(String::new())
            }
        }
        pub fn parse_duration(_: &str) -> Result<std::time::Duration, String> {
            Err(String::new())
        }
        pub mod limits {
            pub struct Limit;
            impl Limit {
                pub fn parse(&self, _: &str) -> Result<u16, String> {
                    Err(String::new())
                }
            }
            pub const MAX_HR: Limit = Limit;
            pub const MARGIN: Limit = Limit;
            pub const AGE: Limit = Limit;
        }
    }
}

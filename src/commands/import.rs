//! `hrcoach import`: watch files (FIT, TCX, GPX) into recordings in the data folder.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, bail};

use super::{file_name, need};
use crate::cli::ImportArgs;
use hrcoach::activity;
use hrcoach::store::Store;

/// `hrcoach import`: each file to a recording, going on past the bad ones.
///
/// # Errors
/// Any file that failed (after trying them all), or an unusable directory.
pub fn import(store: Option<&Store>, args: &ImportArgs) -> anyhow::Result<()> {
    let dir = match &args.dir {
        Some(d) => d.clone(),
        None => need(store)?.recordings_dir(),
    };
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut failed = 0;
    for file in &args.files {
        match import_one(file, &dir) {
            Ok(line) => eprintln!("{line}"),
            Err(e) => {
                failed += 1;
                eprintln!("error: {e:#}");
            }
        }
    }
    if failed > 0 {
        bail!(
            "{failed} of {} files not imported (see above)",
            args.files.len()
        );
    }
    Ok(())
}

fn import_one(file: &Path, dir: &Path) -> anyhow::Result<String> {
    let a = activity::read(file)?;
    let name = file_name(file);
    let stamp = a.start.map_or_else(
        || "undated".to_owned(),
        |t| {
            t.to_zoned(jiff::tz::TimeZone::system())
                .strftime("%Y-%m-%dT%H-%M-%S")
                .to_string()
        },
    );
    let stem = file
        .file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    let target = dir.join(format!("{stamp}-{stem}.jsonl"));
    let mut text = Vec::new();
    activity::to_recording(&a, &name, &mut text)?;
    hrcoach::files::write(&target, &text)
        .with_context(|| format!("cannot write {}", target.display()))?;
    let samples = a.heart_rate_samples().count();
    let rr: usize = a.samples.iter().map(|s| s.rr.len()).sum();
    let mut what = format!(
        "{}: {} {} samples",
        file.display(),
        a.format.as_str().to_uppercase(),
        samples
    );
    if rr > 0 {
        let _ = write!(what, ", {rr} RR intervals");
    }
    if !a.pauses.is_empty() {
        let n = a.pauses.len();
        let _ = write!(what, ", {n} pause{}", if n == 1 { "" } else { "s" });
    }
    if let Some(z) = &a.zones {
        let _ = write!(
            what,
            ", zones {} ({})",
            z.lower_bounds.map(|b| b.to_string()).join("/"),
            z.method
        );
    }
    let _ = write!(what, " -> {}", target.display());
    Ok(what)
}

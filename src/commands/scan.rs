//! `hrcoach scan`: list the heart-rate straps in range.

use crate::cli::ScanArgs;
use hrcoach::output::display;
use hrcoach::source::ble;
use hrcoach::source::radio::Radio;

/// Scans and prints what it found.
///
/// # Errors
/// A Bluetooth problem, with what to do about it; no strap found.
pub async fn list_straps(args: &ScanArgs) -> anyhow::Result<()> {
    let spinner = display::spinner(
        &format!(
            "scanning for heart-rate straps ({}s)",
            args.scan_timeout.as_secs()
        ),
        args.json,
    );
    let radio = Radio::open().await;
    let found = match radio {
        Ok(r) => ble::scan(&r, args.scan_timeout).await,
        Err(e) => Err(e),
    };
    spinner.finish_and_clear();
    let found = found?;
    if found.is_empty() {
        anyhow::bail!(
            "no heart-rate strap found in {}s: wet the strap's electrodes and put it on (most straps only advertise while worn), then scan again",
            args.scan_timeout.as_secs()
        );
    }
    for (s, _) in &found {
        if args.json {
            let line = serde_json::to_string(&hrcoach::output::json::StrapLine::from(s))?;
            outln!("{line}");
        } else {
            outln!(
                "{:<28} {}  {}",
                s.name.as_deref().unwrap_or("(no name)"),
                s.address,
                s.rssi.map_or("rssi ?".to_owned(), |r| format!("{r} dBm"))
            );
        }
    }
    Ok(())
}

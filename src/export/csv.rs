//! CSV: one row per reading.
//!
//! ```text
//! t_s,time,bpm,zone,trusted,alert
//! 0.000,2026-11-27T07:00:00Z,120,2,yes,
//! 1.000,2026-11-27T07:00:01Z,0,,no: implausible,
//! ```
//!
//! `time` is empty for a recording without a start; `alert` names the alerts given at that
//! reading (`over_cap`, `reminder`, `back_under`, `creep`; several joined by `;`).

use std::fmt::Write as _;

use super::{Run, rfc3339};

/// The run as CSV text.
pub fn write(run: &Run) -> String {
    let mut out = String::from("t_s,time,bpm,zone,trusted,alert\n");
    let mut alerts = run.alerts.iter().peekable();
    for s in &run.samples {
        let mut here = Vec::new();
        while let Some(a) = alerts.next_if(|a| a.at <= s.at) {
            here.push(a.kind.as_str());
        }
        let time = run
            .start_ms
            .map(|start| rfc3339(start + i64::try_from(s.at.as_millis()).unwrap_or(0)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{:.3},{time},{},{},{},{}",
            s.at.as_secs_f64(),
            s.bpm,
            s.zone.map(|z| z.to_string()).unwrap_or_default(),
            match s.rejected {
                None => "yes".to_owned(),
                Some(why) => format!("no: {}", why.as_str()),
            },
            here.join(";")
        );
    }
    out
}

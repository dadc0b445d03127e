//! `hrcoach live`: coach a run from a strap, recording every notification as it comes. The
//! run itself is the library's [`hrcoach::live_run`]; this file settles the day's plan first.

use std::io::{self, IsTerminal};
use std::path::Path;

use anyhow::bail;

use crate::cli::LiveArgs;
use hrcoach::checkins::rules::Plan;
use hrcoach::live_run::{LiveSettings, record_live};
use hrcoach::store::Store;
use hrcoach::views::Views;

/// Finds the strap, connects, and coaches until `--duration` or Ctrl-C.
///
/// # Errors
/// Bluetooth problems (each with what to do), no strap or several without a choice, a
/// recording that cannot be written.
pub async fn coach_live(
    profile_path: &Path,
    store: Option<&Store>,
    args: LiveArgs,
) -> anyhow::Result<()> {
    let profile = super::load_profile(profile_path)?;
    let mut config =
        hrcoach::settings::coach_config(&super::coaching_run(&args.coaching, &args.run), &profile)?;
    let plan = super::apply_check_in(
        &args.coaching,
        &profile,
        &mut config,
        store,
        super::today_date(),
        "",
    )?;
    if let Some(plan) = plan.filter(|p| !p.verdict.runs()) {
        confirm_run_anyway(&plan, args.anyway)?;
    }
    if let Some(w) = hrcoach::output::format::cap_warning(&config) {
        eprintln!("{w}");
    }
    // The warm-up check's answers: a key and Enter on the terminal (or a line on a piped
    // stdin), a key on the full screen, a button on the phone page.
    let (quit, shutdown) = super::on_ctrl_c_or();
    let stdin: Box<dyn io::BufRead + Send> = Box::new(io::BufReader::new(io::stdin()));
    let (views, wiring) =
        Views::start(&super::view_settings(&args.views), Some(stdin), quit).await?;
    let full_screen = views.full_screen();
    let settings = LiveSettings {
        device: args.device,
        duration: args.duration,
        record: args.record,
        replace: args.force,
        scan_timeout: args.scan_timeout,
        output: hrcoach::output::Choice {
            silent: full_screen,
            ..super::choice(&args.output)
        },
    };
    let zones = config.zones.clone();
    let result = record_live(&settings, config, store, wiring, &shutdown).await;
    views.close().await;
    let summary = result?;
    if full_screen {
        // The run's own summary was kept off the full screen: printed now it is gone.
        out!(
            "{}",
            hrcoach::output::format::summary_text(&summary, &zones)
        );
    }
    super::save_worse(store, super::today_date(), &summary)
}

/// Today's plan (this morning's check-in, or a warning sign still open) says not to run: go on
/// only with `--anyway`, or a "yes" on a terminal, and then under the tightest cap (already
/// applied).
///
/// # Errors
/// No to the question, or no terminal and no `--anyway`.
fn confirm_run_anyway(plan: &Plan, anyway: bool) -> anyhow::Result<()> {
    let advice = plan.advice.first().map_or("", String::as_str);
    eprintln!("{advice}");
    if anyway {
        eprintln!("Running anyway (--anyway), under the tightest cap.");
        return Ok(());
    }
    if !(io::stdin().is_terminal() && io::stderr().is_terminal()) {
        bail!(
            "today's plan says {}: not running. To run anyway, under the tightest cap: --anyway",
            plan.verdict.as_str()
        );
    }
    let yes = super::ask::ask(
        "Run anyway, under the tightest cap? (y|n)",
        Some("n"),
        |a| match a {
            "y" | "Y" | "yes" => Some(true),
            "n" | "N" | "no" => Some(false),
            _ => None,
        },
    )?;
    if yes {
        Ok(())
    } else {
        bail!("not running today, as the check-in advised")
    }
}

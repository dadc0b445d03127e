//! How the drift-creep watch behaves on simulated heart rate: how often it warns on two flat
//! hours that wander, how early it warns on a real creep, and whether a warm-up trips it.
//! The figures in docs/zones-and-alerts.md come from this program:
//!
//! ```sh
//! cargo run --release --example creep_sim
//! ```
//!
//! Heart rate is a course plus a slow wander (an Ornstein-Uhlenbeck process: standard deviation
//! `sd`, time constant `tau`) plus ±1 bpm of reading noise, one reading a second, with the cap
//! at 130. Deterministic: fixed seeds.

#[path = "../tests/support/synth.rs"]
mod synth;

use std::time::Duration;

use hrcoach::coach::creep::{CreepSettings, CreepWatch};
use synth::Wander;

const CAP: u16 = 130;
const SEEDS: u64 = 30;

/// One reading a second: `base(t)` + wander(`sd`, `tau`) + white noise of 1 bpm.
fn series(secs: u64, base: &dyn Fn(f64) -> f64, sd: f64, tau: f64, seed: u64) -> Vec<u16> {
    let mut wander = Wander::new(sd, tau, 1.0, seed);
    (0..secs)
        .map(|t| (base(t as f64) + wander.next_offset()).round() as u16)
        .collect()
}

/// The times (s) of the warnings the watch gives on `bpm`.
fn warnings(bpm: &[u16]) -> Vec<u64> {
    let mut w = CreepWatch::new(CreepSettings::default());
    let mut out = Vec::new();
    for (t, &b) in bpm.iter().enumerate() {
        if let Some(c) = w.observe(Duration::from_secs(t as u64), b, CAP) {
            w.warned(c.level);
            out.push(t as u64);
        }
    }
    out
}

fn main() {
    println!(
        "Flat at {} for 2 h, wander SD 2 bpm: warnings per run over {SEEDS} seeds",
        CAP - 8
    );
    for tau in [30.0, 60.0, 120.0, 300.0, 600.0] {
        let counts: Vec<usize> = (0..SEEDS)
            .map(|seed| warnings(&series(7200, &|_| f64::from(CAP - 8), 2.0, tau, seed)).len())
            .collect();
        let total: usize = counts.iter().sum();
        let max = counts.iter().max().copied().unwrap_or(0);
        println!(
            "  wander time constant {tau:>4} s: mean {:.2}, most {max}",
            total as f64 / SEEDS as f64
        );
    }
    println!("Flat with a regular swing of ±2.8 bpm (SD 2): most warnings in a run over 10 phases");
    for period_min in [3.0, 5.0, 8.0, 12.0, 20.0, 40.0] {
        let most = (0..10)
            .map(|seed| {
                let phase = seed as f64;
                let swing = move |t: f64| {
                    f64::from(CAP - 8)
                        + 2.83
                            * (2.0 * std::f64::consts::PI * t / (period_min * 60.0) + phase).sin()
                };
                warnings(&series(7200, &swing, 0.0, 0.0, seed)).len()
            })
            .max()
            .unwrap_or(0);
        println!("  period {period_min:>4} min: most {most}");
    }
    println!("Creep of 0.75 bpm/min from the start: warned how long before the cap (s), 8 seeds");
    for start in [105.0, 110.0, 115.0, 120.0, 124.0] {
        for sd in [0.0, 1.0] {
            let cross = (f64::from(CAP) - start) / 0.75 * 60.0;
            let leads: Vec<String> = (0..8)
                .map(|seed| {
                    let bpm = series(
                        (cross + 600.0) as u64,
                        &|t| start + 0.75 * t / 60.0,
                        sd,
                        120.0,
                        seed,
                    );
                    match warnings(&bpm).first() {
                        Some(&t) if (t as f64) < cross => format!("{:.0}", cross - t as f64),
                        Some(_) => "late".to_owned(),
                        None => "none".to_owned(),
                    }
                })
                .collect();
            println!(
                "  from {start} (cap at {:>4.0} s), wander SD {sd}: {}",
                cross,
                leads.join(" ")
            );
        }
    }
    println!("Warm-ups (from 90, time constant tau) then flat for 1 h: warnings per run, 10 seeds");
    for plateau in [120.0, 124.0, 127.0] {
        for tau_w in [45.0, 90.0, 150.0, 240.0] {
            let total: usize = (0..10)
                .map(|seed| {
                    let course = move |t: f64| 90.0 + (plateau - 90.0) * (1.0 - (-t / tau_w).exp());
                    warnings(&series(3600, &course, 1.0, 120.0, seed)).len()
                })
                .sum();
            println!("  to {plateau}, tau {tau_w:>3} s: {total} in 10 runs");
        }
    }
}

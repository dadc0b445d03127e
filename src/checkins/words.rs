//! The day's plan as the runner reads it (`check-in`, `today`).

use super::DayPlan;
use crate::checkins::rules::{Answers, Plan, Verdict};
use crate::coach::zones::{Percent, ZoneBasis, ZoneModel};

/// The cap in bpm, when the zones are known.
pub fn cap_bpm(plan: &Plan, zones: Option<&ZoneModel>) -> Option<u16> {
    Some(zones?.bpm_at(plan.cap?))
}

/// The plan in words.
pub fn text(
    date: jiff::civil::Date,
    a: Option<&Answers>,
    day: &DayPlan,
    zones: Option<&ZoneModel>,
) -> String {
    let plan = &day.plan;
    let what = if a.is_some() { "Check-in" } else { "Plan" };
    let mut t = format!("{what} {date}: {}.\n", headline(plan.verdict));
    match plan.open_sign {
        Some(since) if since < date => {
            t.push_str(&format!("  Warning sign open since {since}.\n"));
        }
        Some(_) => t.push_str(
            "  A warning sign: it stays open on the days after, until a check-in says it is gone.\n",
        ),
        None => {}
    }
    if let Some(a) = a.filter(|a| !a.areas.is_empty()) {
        let names: Vec<&str> = a.areas.iter().map(|w| w.as_str()).collect();
        t.push_str(&format!("  Sore: {}.\n", names.join(", ")));
    }
    if plan.verdict == Verdict::Easy {
        let cap = match (cap_bpm(plan, zones), plan.cap, zones) {
            (Some(bpm), Some(pct), Some(z)) => format!("cap {}", cap_words(bpm, pct, z)),
            (_, Some(pct), _) => format!("cap {pct} of max HR (set a max HR to see it in bpm)"),
            _ => String::new(),
        };
        let minutes = plan
            .duration_min
            .map_or(String::new(), |m| format!(", {m} minutes at most"));
        t.push_str(&format!("  Run easy: {cap}{minutes}.\n"));
    }
    let load = &day.load;
    if load.this_week + load.before[0] + load.before[1] + load.cross_training > 0.0 {
        t.push_str(&format!(
            "  Running: {:.0} min in the last 7 days ({:.0} and {:.0} in the two weeks before).\n",
            load.this_week, load.before[0], load.before[1]
        ));
    }
    if load.cross_training > 0.0 {
        t.push_str(&format!(
            "  Cross-training: {:.0} min of other sports in the last 7 days.\n",
            load.cross_training
        ));
    }
    t.push_str("Why:\n");
    for r in &plan.reasons {
        t.push_str(&format!("  - {r}\n"));
    }
    if !plan.advice.is_empty() {
        t.push_str("Today:\n");
        for a in &plan.advice {
            t.push_str(&format!("  - {a}\n"));
        }
    }
    t
}

/// A cap in bpm with what it is a share of: "120 bpm (50% of HRR, 65% of max HR)".
pub fn cap_words(bpm: u16, pct: Percent, z: &ZoneModel) -> String {
    let mut t = format!(
        "{bpm} bpm ({pct} of {}",
        crate::output::format::basis_label(z.basis())
    );
    if z.basis() != ZoneBasis::Max {
        t.push_str(&format!(", {:.0}% of max HR", z.percent_of_max_hr(bpm)));
    }
    t.push(')');
    t
}

/// The verdict in a few words.
pub fn headline(v: Verdict) -> &'static str {
    match v {
        Verdict::Train => "train as planned",
        Verdict::Easy => "easy run",
        Verdict::CrossTrain => "no run today: cross-train",
        Verdict::Rest => "no run today: rest",
    }
}

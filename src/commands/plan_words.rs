//! The day's plan as the runner reads it (`check-in`, `today`) and as scripts do (`--json`).

use hrcoach::checkins::{CheckIn, DayPlan};
use hrcoach::coach::checkin::{Answers, Plan, Verdict};
use hrcoach::coach::readiness::{self, Hrv};
use hrcoach::coach::zones::{Percent, ZoneBasis, ZoneModel};

/// The cap in bpm, when the zones are known.
fn cap_bpm(plan: &Plan, zones: Option<&ZoneModel>) -> Option<u16> {
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
        hrcoach::output::format::basis_label(z.basis())
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

/// The plan as one JSON object.
pub fn json(
    date: jiff::civil::Date,
    c: Option<&CheckIn>,
    day: &DayPlan,
    zones: Option<&ZoneModel>,
) -> serde_json::Value {
    let (plan, load) = (&day.plan, &day.load);
    let easy = plan.verdict == Verdict::Easy;
    let model = zones.map_or("max", |z| z.basis().name());
    let cap_bpm = if easy { cap_bpm(plan, zones) } else { None };
    let round = |x: f64, places: i32| {
        let k = 10f64.powi(places);
        (x * k).round() / k
    };
    let mut v = serde_json::json!({
        "date": date.to_string(),
        "checked_in": c.is_some(),
        "verdict": plan.verdict.as_str(),
        "open_sign": plan.open_sign.map(|d| d.to_string()),
        "reasons": plan.reasons,
        "advice": plan.advice,
        "cap_bpm": cap_bpm,
        "cap_pct": if easy { plan.cap.map(|p| f64::from(p.tenths()) / 10.0) } else { None },
        "cap_pct_of_max": cap_bpm.zip(zones).map(|(b, z)| round(z.percent_of_max_hr(b), 1)),
        "zone_model": model,
        "duration_min": plan.duration_min,
        "answers": c.map(|c| &c.answers),
        "load": {
            "this_week_min": load.this_week.round(),
            "previous_weeks_min": [load.before[0].round(), load.before[1].round()],
            "rise_pct": load.rise().map(|r| round(r * 100.0, 1)),
            "jump": load.jump().is_some(),
            "jump_kind": load.jump().map(|j| j.as_str()),
            "cross_training_min": load.cross_training.round(),
        },
    });
    if let (Some(h), Some(obj)) = (c.and_then(|c| c.hrv.as_ref()), v.as_object_mut()) {
        obj.insert("rmssd_ms".into(), round(h.rmssd_ms, 1).into());
        obj.insert("ln_rmssd".into(), round(h.rmssd_ms.ln(), 3).into());
        obj.insert("resting_hr".into(), h.resting_hr.into());
        obj.insert("hrv_status".into(), day.hrv.as_str().into());
        match &day.hrv {
            Hrv::Usual(f) | Hrv::Low(f) | Hrv::High(f) => {
                obj.insert(
                    "hrv_baseline".into(),
                    serde_json::json!({
                        "ln_rmssd_7d": round(f.mean7, 3),
                        "usual_low": round(f.low, 3),
                        "usual_high": round(f.high, 3),
                        "mornings_7d": f.mornings.0,
                        "mornings_baseline": f.mornings.1,
                        "today_far": f.today_far.map(|far| match far {
                            readiness::Far::Below => "below",
                            readiness::Far::Above => "above",
                        }),
                    }),
                );
            }
            Hrv::TooFew { recent, baseline } => {
                obj.insert(
                    "hrv_baseline".into(),
                    serde_json::json!({ "mornings_7d": recent, "mornings_baseline": baseline }),
                );
            }
            Hrv::None | Hrv::RestingHigh { .. } => {}
        }
    }
    v
}

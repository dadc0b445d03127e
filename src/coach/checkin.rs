//! The morning check-in: "I'm sore — should I run today, how easy, or not at all?"
//!
//! Pure: the runner's answers in, a [`Plan`] out (a verdict, the reasons in plain words, the
//! advice that fits, and for an easy run its cap and a suggested duration). The table and its
//! sources are in docs/check-in.md; every row is a unit test here.
//!
//! The order of the rules is the order of the guidance: injury signals first (any one of them
//! means no run today, whatever else is answered), then how sore; then what the body says
//! beyond the answers ([`super::readiness`]: morning HRV and weekly load) may tighten the plan,
//! never loosen it.

use super::readiness::{Hrv, Load, MIN_BASELINE, MIN_RECENT};
use super::zones::{Percent, ZoneBasis};

/// Where the soreness is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
#[allow(missing_docs)]
pub enum Area {
    Calves,
    Quads,
    Hamstrings,
    Glutes,
    Shins,
    Feet,
    Hips,
    Back,
}

/// Both legs about the same, or one clearly worse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Sides {
    /// About the same on both sides: the pattern of ordinary soreness.
    Equal,
    /// One side clearly worse: an injury signal.
    OneWorse,
}

/// What the pain is like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Pain {
    /// A dull, diffuse ache.
    Dull,
    /// Sharp or localised: an injury signal.
    Sharp,
}

/// How it changes when moving (a few minutes of walking, say).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Moving {
    /// Eases as you move: ordinary soreness.
    Easing,
    /// No different.
    Same,
    /// Gets worse as you move: an injury signal.
    Worse,
}

/// Whether it changes how you walk or run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Gait {
    /// Walking and running look and feel as usual.
    Normal,
    /// Limping, shortened stride, favouring a leg: an injury signal.
    Changed,
}

/// The runner's answers.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Answers {
    /// 0 (none) to 10 (the worst imaginable).
    pub soreness: u8,
    /// Both sides alike, or one worse.
    pub sides: Sides,
    /// Dull or sharp.
    pub pain: Pain,
    /// Easing, the same or worse when moving.
    pub moving: Moving,
    /// Gait normal or changed.
    pub gait: Gait,
    /// Where it is sore, if said.
    #[serde(default, rename = "where")]
    pub areas: Vec<Area>,
}

/// What to do today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Not sore: run as planned, no sore-day cap.
    Train,
    /// Run easy, under a cap.
    Easy,
    /// Do not run; cycle, swim, use an elliptical or walk briskly, if that is pain-free.
    CrossTrain,
    /// Do not run; rest.
    Rest,
}

impl Verdict {
    /// The name used in JSON and on screen: `train`, `easy`, `cross-train`, `rest`.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Train => "train",
            Verdict::Easy => "easy",
            Verdict::CrossTrain => "cross-train",
            Verdict::Rest => "rest",
        }
    }

    /// Whether the plan is a run.
    pub fn runs(self) -> bool {
        matches!(self, Verdict::Train | Verdict::Easy)
    }
}

/// The day's plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// What to do.
    pub verdict: Verdict,
    /// Why, in plain words, one line each.
    pub reasons: Vec<String>,
    /// What helps today.
    pub advice: Vec<String>,
    /// The cap as a percentage of the zone model's basis, for an easy run; also the tightest
    /// cap, for a runner who runs anyway on a cross-train or rest day.
    pub cap: Option<Percent>,
    /// A suggested duration in minutes, for an easy run.
    pub duration_min: Option<u16>,
}

/// Soreness from this level up is "very sore": cross-train rather than run.
pub const VERY_SORE: u8 = 8;

/// Soreness up to this level is not a sore day.
pub const NOT_SORE: u8 = 1;

/// The injury signals among `a`, in words, in the guidance's order.
pub fn injury_signals(a: &Answers) -> Vec<&'static str> {
    let mut signals = Vec::new();
    if a.pain == Pain::Sharp {
        signals.push("the pain is sharp or localised");
    }
    if a.sides == Sides::OneWorse {
        signals.push("one side is clearly worse than the other");
    }
    if a.moving == Moving::Worse {
        signals.push("it gets worse as you move");
    }
    if a.gait == Gait::Changed {
        signals.push("it changes how you walk or run");
    }
    signals
}

/// How many steps tighter than the model's easy-day default the cap is at `soreness`
/// (2-3: none, 4-5: one, 6-7: two), and the suggested minutes.
fn easy_band(soreness: u8) -> (u16, u16) {
    match soreness {
        0..=3 => (0, 45),
        4..=5 => (1, 35),
        _ => (2, 25),
    }
}

/// One step down from the easy-day cap, in percent of the basis: 5 points of max HR or of HRR
/// (about 9 and 6 bpm for a runner with max 185, rest 55), 3 of LTHR (its range is narrower).
fn step(basis: ZoneBasis) -> u16 {
    match basis {
        ZoneBasis::Lthr { .. } => 3,
        _ => 5,
    }
}

/// The cap `steps` steps under the model's easy-day default.
pub fn cap_for(basis: ZoneBasis, steps: u16) -> Percent {
    let default = basis.default_cap().tenths() / 10;
    Percent::whole(default - step(basis) * steps)
}

const EASY_ADVICE: [&str; 4] = [
    "Effort 5-6 of 10: you can talk in full sentences.",
    "Soft, flat ground; no downhills or stairs.",
    "Start with 5-10 minutes of dynamic warm-up: leg swings, walking lunges, easy strides.",
    "Drink and eat well today: recovery needs both.",
];

const CROSS_TRAIN_ADVICE: [&str; 2] = [
    "Cycling, swimming, the elliptical or brisk walking keep your fitness without the impact, if they are pain-free.",
    "If it still hurts in a few days, or gets worse, see a physiotherapist or a doctor.",
];

const REST_ADVICE: [&str; 2] = [
    "Rest today: no running, and no cross-training that hurts.",
    "If it still hurts in a few days, or gets worse, see a physiotherapist or a doctor.",
];

/// The plan for `a` under the zone model `basis`, from the answers alone.
pub fn decide(a: &Answers, basis: ZoneBasis) -> Plan {
    decide_with(a, basis, &Hrv::None, &Load::default())
}

/// The plan for `a` under `basis`, with what the morning's HRV says (see [`crate::coach::readiness`]) and
/// the weekly load (see [`Load`]): a heart that has not recovered, or a jump in load on a
/// sore day, each tighten the plan by one step, and the reasons say why. Neither ever loosens
/// a plan or overrides an injury signal.
pub fn decide_with(a: &Answers, basis: ZoneBasis, hrv: &Hrv, load: &Load) -> Plan {
    let sore = a.soreness > NOT_SORE;
    let load_tightens = sore && load.jump();
    let extra = u16::from(hrv.tightens()) + u16::from(load_tightens);
    let mut plan = decide_answers(a, basis, extra);
    if let Some(rise) = load.rise().filter(|_| load.jump()) {
        plan.reasons.push(format!(
            "Running time this week, {:.0} min, is {:.0} % above the two weeks before ({:.0} min a week): a big jump in weekly load is the main risk of overuse injury{}",
            load.this_week,
            rise * 100.0,
            load.before_mean(),
            if load_tightens {
                ", and with sore legs today is one step easier."
            } else {
                "; build up gradually."
            }
        ));
    }
    match hrv {
        Hrv::None => {}
        Hrv::TooFew {
            recent,
            baseline: b,
        } => plan.reasons.push(format!(
            "Morning HRV: {} more morning(s) in the last 7 days and {} more in the last 30 are needed before it can change the plan.",
            MIN_RECENT.saturating_sub(*recent),
            MIN_BASELINE.saturating_sub(*b)
        )),
        Hrv::Usual(f) => plan.reasons.push(format!(
            "Morning HRV is within its usual range (7-day ln RMSSD {:.2}, usual {:.2}-{:.2}).",
            f.mean7, f.low, f.high
        )),
        Hrv::Low(f) => plan.reasons.push(format!(
            "Morning HRV is below its usual range (7-day ln RMSSD {:.2}, usual {:.2}-{:.2}): your body has not recovered, so today is one step easier.",
            f.mean7, f.low, f.high
        )),
        Hrv::RestingHigh { bpm, usual } => plan.reasons.push(format!(
            "Resting heart rate {bpm} bpm is clearly above its usual {usual} bpm: your body has not recovered, so today is one step easier."
        )),
    }
    plan
}

/// The plan from the answers, `extra` steps tighter than the soreness alone would make it.
fn decide_answers(a: &Answers, basis: ZoneBasis, extra: u16) -> Plan {
    let tightest = Some(cap_for(basis, 2));
    let signals = injury_signals(a);
    if !signals.is_empty() {
        // Injury signals: no run today. Two or more, or a changed gait (the body is already
        // protecting something), mean rest; one alone, cross-train if it is pain-free.
        let rest = signals.len() >= 2 || a.gait == Gait::Changed;
        let mut reasons: Vec<String> = signals
            .iter()
            .map(|s| format!("Injury signal: {s}. Do not run today."))
            .collect();
        reasons.push(
            "Soreness that is sharp, one-sided, growing as you move or changing your gait is not ordinary post-run soreness."
                .to_owned(),
        );
        let (verdict, advice) = if rest {
            (Verdict::Rest, &REST_ADVICE)
        } else {
            (Verdict::CrossTrain, &CROSS_TRAIN_ADVICE)
        };
        return Plan {
            verdict,
            reasons,
            advice: advice.iter().map(|s| (*s).to_owned()).collect(),
            cap: tightest,
            duration_min: None,
        };
    }
    if a.soreness <= NOT_SORE && extra > 0 {
        // Not sore, but not recovered: an easy day at the easy-day cap.
        return Plan {
            verdict: Verdict::Easy,
            reasons: vec![format!("Soreness {}/10 and no injury signal.", a.soreness)],
            advice: EASY_ADVICE.iter().map(|s| (*s).to_owned()).collect(),
            cap: Some(cap_for(basis, 0)),
            duration_min: Some(easy_band(2).1),
        };
    }
    if a.soreness <= NOT_SORE {
        return Plan {
            verdict: Verdict::Train,
            reasons: vec![format!(
                "Soreness {}/10 and no injury signal: run as planned, no sore-day cap.",
                a.soreness
            )],
            advice: Vec::new(),
            cap: None,
            duration_min: None,
        };
    }
    let (steps, minutes) = easy_band(a.soreness);
    let steps = steps + extra;
    if a.soreness >= VERY_SORE || steps > 2 {
        return Plan {
            verdict: Verdict::CrossTrain,
            reasons: vec![if a.soreness >= VERY_SORE {
                format!(
                    "Soreness {}/10 is very sore: running on it may add damage, even without an injury signal.",
                    a.soreness
                )
            } else {
                format!(
                    "Soreness {}/10, and not recovered: running would be harder than an easy day allows.",
                    a.soreness
                )
            }],
            advice: CROSS_TRAIN_ADVICE.iter().map(|s| (*s).to_owned()).collect(),
            cap: tightest,
            duration_min: None,
        };
    }
    let minutes = minutes.saturating_sub(10 * extra);
    let mut reasons = vec![format!(
        "Soreness {}/10, the same on both sides, dull, {} as you move and not changing your gait: ordinary soreness after hard running. An easy run is fine and can help.",
        a.soreness,
        if a.moving == Moving::Easing {
            "easing"
        } else {
            "no worse"
        }
    )];
    if steps > 0 {
        reasons.push(format!(
            "The sorer the day, the lower the cap and the shorter the run: {minutes} minutes at most."
        ));
    }
    Plan {
        verdict: Verdict::Easy,
        reasons,
        advice: EASY_ADVICE.iter().map(|s| (*s).to_owned()).collect(),
        cap: Some(cap_for(basis, steps)),
        duration_min: Some(minutes),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coach::readiness::{Morning, baseline};

    fn answers(soreness: u8, sides: Sides, pain: Pain, moving: Moving, gait: Gait) -> Answers {
        Answers {
            soreness,
            sides,
            pain,
            moving,
            gait,
            areas: Vec::new(),
        }
    }

    /// Every combination of the four injury-signal answers at several soreness levels: any
    /// signal means no run, and every signal present is named in the reasons.
    #[test]
    fn every_combination_of_signals_and_soreness() {
        let mut rows = 0;
        for soreness in [0u8, 2, 3, 5, 7, 8, 10] {
            for sides in [Sides::Equal, Sides::OneWorse] {
                for pain in [Pain::Dull, Pain::Sharp] {
                    for moving in [Moving::Easing, Moving::Same, Moving::Worse] {
                        for gait in [Gait::Normal, Gait::Changed] {
                            let a = answers(soreness, sides, pain, moving, gait);
                            let plan = decide(&a, ZoneBasis::Max);
                            let signals = injury_signals(&a);
                            let text = plan.reasons.join(" ");
                            rows += 1;
                            if signals.is_empty() {
                                let want = match soreness {
                                    0..=NOT_SORE => Verdict::Train,
                                    VERY_SORE.. => Verdict::CrossTrain,
                                    _ => Verdict::Easy,
                                };
                                assert_eq!(plan.verdict, want, "{a:?}");
                                continue;
                            }
                            assert!(!plan.verdict.runs(), "{a:?} ran: {plan:?}");
                            for s in &signals {
                                assert!(text.contains(s), "{a:?}: {s} not named in {text}");
                            }
                            let rest = signals.len() >= 2 || gait == Gait::Changed;
                            let want = if rest {
                                Verdict::Rest
                            } else {
                                Verdict::CrossTrain
                            };
                            assert_eq!(plan.verdict, want, "{a:?}");
                        }
                    }
                }
            }
        }
        assert_eq!(rows, 7 * 2 * 2 * 3 * 2);
    }

    #[test]
    fn a_sorer_day_gets_a_tighter_cap_and_a_shorter_run_never_looser() {
        for basis in [
            ZoneBasis::Max,
            ZoneBasis::Hrr { resting: 55 },
            ZoneBasis::Lthr { lthr: 166 },
        ] {
            let mut last: Option<(Percent, u16)> = None;
            for soreness in 2..VERY_SORE {
                let a = answers(
                    soreness,
                    Sides::Equal,
                    Pain::Dull,
                    Moving::Easing,
                    Gait::Normal,
                );
                let plan = decide(&a, basis);
                assert_eq!(plan.verdict, Verdict::Easy);
                let (cap, minutes) = (
                    plan.cap.unwrap_or(Percent::whole(0)),
                    plan.duration_min.unwrap_or(0),
                );
                if let Some((c, m)) = last {
                    assert!(cap <= c && minutes <= m, "{basis:?} at {soreness}");
                }
                assert!(cap <= basis.default_cap(), "never above the easy-day cap");
                last = Some((cap, minutes));
            }
        }
        // The numbers of docs/check-in.md, under %max.
        let cap = |s| {
            decide(
                &answers(s, Sides::Equal, Pain::Dull, Moving::Same, Gait::Normal),
                ZoneBasis::Max,
            )
            .cap
        };
        assert_eq!(cap(2), Some(Percent::whole(70)));
        assert_eq!(cap(5), Some(Percent::whole(65)));
        assert_eq!(cap(7), Some(Percent::whole(60)));
    }

    #[test]
    fn not_sore_trains_and_very_sore_cross_trains() {
        let a = answers(1, Sides::Equal, Pain::Dull, Moving::Easing, Gait::Normal);
        let plan = decide(&a, ZoneBasis::Max);
        assert_eq!((plan.verdict, plan.cap), (Verdict::Train, None));
        let a = answers(9, Sides::Equal, Pain::Dull, Moving::Easing, Gait::Normal);
        let plan = decide(&a, ZoneBasis::Max);
        assert_eq!(plan.verdict, Verdict::CrossTrain);
        assert!(plan.reasons[0].contains("very sore"), "{plan:?}");
        assert_eq!(
            plan.cap,
            Some(Percent::whole(60)),
            "the tightest cap, if run anyway"
        );
    }

    /// `n` mornings, one a day from `days_ago` back, with ln RMSSD `ln` (± a small wobble)
    /// and resting HR `rhr`.
    fn mornings(from: u32, n: u32, ln: f64, rhr: u16) -> Vec<Morning> {
        (0..n)
            .map(|i| Morning {
                days_ago: from + i,
                ln_rmssd: ln + if i % 2 == 0 { 0.03 } else { -0.03 },
                resting_hr: rhr,
            })
            .collect()
    }

    #[test]
    fn too_few_mornings_give_no_hrv_verdict() {
        let few = mornings(0, 2, 4.0, 50);
        assert_eq!(
            baseline(&few),
            Hrv::TooFew {
                recent: 2,
                baseline: 2
            }
        );
        // Plenty in the month, but only 2 in the last week.
        let mut gap = mornings(7, 20, 4.0, 50);
        gap.extend(mornings(0, 2, 3.0, 50));
        assert!(matches!(baseline(&gap), Hrv::TooFew { recent: 2, .. }));
        let a = answers(0, Sides::Equal, Pain::Dull, Moving::Easing, Gait::Normal);
        let plan = decide_with(&a, ZoneBasis::Max, &baseline(&few), &Load::default());
        assert_eq!(
            plan.verdict,
            Verdict::Train,
            "too few mornings change nothing"
        );
        assert!(
            plan.reasons
                .iter()
                .any(|r| r.contains("1 more morning(s) in the last 7 days and 8 more")),
            "{plan:?}"
        );
    }

    #[test]
    fn three_low_mornings_in_a_row_are_below_the_range_and_tighten_the_plan() {
        let mut m = mornings(3, 27, 4.0, 50);
        m.extend(mornings(0, 3, 3.6, 50));
        let hrv = baseline(&m);
        assert!(
            matches!(hrv, Hrv::Low(f) if f.mean7 < f.low && f.mornings == (7, 30)),
            "not below the range: {hrv:?}"
        );
        let usual = baseline(&mornings(0, 30, 4.0, 50));
        assert!(matches!(usual, Hrv::Usual(_)), "{usual:?}");
        // Not sore: train becomes easy at the easy-day cap.
        let a = answers(0, Sides::Equal, Pain::Dull, Moving::Easing, Gait::Normal);
        let plan = decide_with(&a, ZoneBasis::Max, &hrv, &Load::default());
        assert_eq!(
            (plan.verdict, plan.cap),
            (Verdict::Easy, Some(Percent::whole(70)))
        );
        assert!(
            plan.reasons
                .iter()
                .any(|r| r.contains("below its usual range"))
        );
        // Sore 4: one step lower than without HRV.
        let a = answers(4, Sides::Equal, Pain::Dull, Moving::Easing, Gait::Normal);
        assert_eq!(decide(&a, ZoneBasis::Max).cap, Some(Percent::whole(65)));
        assert_eq!(
            decide_with(&a, ZoneBasis::Max, &hrv, &Load::default()).cap,
            Some(Percent::whole(60))
        );
        // Sore 6 (already two steps down): cross-train.
        let a = answers(6, Sides::Equal, Pain::Dull, Moving::Easing, Gait::Normal);
        assert_eq!(
            decide_with(&a, ZoneBasis::Max, &hrv, &Load::default()).verdict,
            Verdict::CrossTrain
        );
        // An injury signal stays a no-run day whatever HRV says.
        let a = answers(3, Sides::OneWorse, Pain::Dull, Moving::Easing, Gait::Normal);
        assert!(
            !decide_with(&a, ZoneBasis::Max, &usual, &Load::default())
                .verdict
                .runs()
        );
    }

    #[test]
    fn a_resting_hr_clearly_above_its_own_range_tightens_too() {
        let mut m = mornings(1, 29, 4.0, 50);
        m.push(Morning {
            days_ago: 0,
            ln_rmssd: 4.0,
            resting_hr: 58,
        });
        assert_eq!(baseline(&m), Hrv::RestingHigh { bpm: 58, usual: 50 });
        m[29].resting_hr = 53; // within the usual wobble
        assert!(matches!(baseline(&m), Hrv::Usual(_)));
    }

    #[test]
    fn a_load_jump_tightens_a_sore_day_and_is_said() {
        // 3 runs of 40 min in each of the two weeks before, 4 of 45 this week: +50 %.
        let mut sessions: Vec<(u32, f64)> =
            [9, 11, 13, 16, 18, 20].iter().map(|&d| (d, 40.0)).collect();
        sessions.extend([1u32, 2, 4, 7].iter().map(|&d| (d, 45.0)));
        sessions.push((25, 300.0)); // too old to count
        sessions.push((0, 90.0)); // the day's own run, after the check-in: not counted
        let load = Load::from_sessions(&sessions);
        assert_eq!((load.this_week, load.before), (180.0, [120.0, 120.0]));
        assert!(load.rise().is_some_and(|r| (r - 0.5).abs() < 1e-9));
        assert!(load.jump());
        let sore = answers(3, Sides::Equal, Pain::Dull, Moving::Easing, Gait::Normal);
        let plan = decide_with(&sore, ZoneBasis::Max, &Hrv::None, &load);
        assert_eq!(plan.cap, Some(Percent::whole(65)), "one step under 70");
        assert!(
            plan.reasons
                .iter()
                .any(|r| r.contains("50 % above") && r.contains("one step easier")),
            "{plan:?}"
        );
        // Not sore: said, but no cap.
        let fine = answers(0, Sides::Equal, Pain::Dull, Moving::Easing, Gait::Normal);
        let plan = decide_with(&fine, ZoneBasis::Max, &Hrv::None, &load);
        assert_eq!((plan.verdict, plan.cap), (Verdict::Train, None));
        assert!(
            plan.reasons
                .iter()
                .any(|r| r.contains("build up gradually"))
        );
        // +25 % is no jump; nothing to compare with, no judgement.
        assert!(
            !Load {
                this_week: 150.0,
                before: [120.0, 120.0]
            }
            .jump()
        );
        assert_eq!(
            Load {
                this_week: 150.0,
                before: [120.0, 0.0]
            }
            .rise(),
            None
        );
    }
}

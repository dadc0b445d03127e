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

use jiff::civil::Date;

use super::readiness::{Baseline, Far, Hrv, Jump, Load, MIN_BASELINE, MIN_RECENT};
use crate::coach::zones::{Percent, ZoneBasis, ZoneModel};

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

impl Area {
    /// The name used in flags and JSON: `calves`, `shins`...
    pub fn as_str(self) -> &'static str {
        match self {
            Area::Calves => "calves",
            Area::Quads => "quads",
            Area::Hamstrings => "hamstrings",
            Area::Glutes => "glutes",
            Area::Shins => "shins",
            Area::Feet => "feet",
            Area::Hips => "hips",
            Area::Back => "back",
        }
    }
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
    /// The first day of the warning sign this plan comes from, while it is open (see
    /// [`decide_day`]).
    pub open_sign: Option<Date>,
}

/// Soreness from this level up is "very sore": cross-train rather than run.
pub const VERY_SORE: u8 = 8;

/// Soreness from this level up ("the worst imaginable") is a rest day, and a warning sign:
/// muscle damage that severe can be exertional rhabdomyolysis.
pub const REST_SORE: u8 = 9;

/// Soreness up to this level is not a sore day.
pub const NOT_SORE: u8 = 1;

/// A change of soreness smaller than this many points on the 0-10 scale is not a real
/// change: 2 points (or about 30 %) is the smallest change in pain ratings that patients
/// notice as better (Farrar et al. 2001).
pub const EASED_BY: u8 = 2;

/// From this day of a sore spell on (day 1: the first sore check-in), soreness that has not
/// eased, or that rises, is not ordinary: DOMS peaks 24-72 h after the run and fades after.
pub const NOT_EASING_FROM_DAY: u32 = 4;

/// From this day of a sore spell on, any soreness is not ordinary: DOMS fades within about
/// 5-7 days (Cheung et al. 2003).
pub const TOO_LONG_FROM_DAY: u32 = 8;

/// Check-ins at most this many days apart belong to one sore spell (a day without a
/// check-in does not end it).
pub const SPELL_GAP_DAYS: i32 = 2;

/// The first run after a warning sign has cleared: at most this many minutes.
pub const RETURN_MIN: u16 = 20;

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

/// Whether `a` holds a warning sign: an injury signal, or soreness of [`REST_SORE`] or more.
/// A warning sign stays open on the days after, until a check-in without one clears it.
pub fn is_warning(a: &Answers) -> bool {
    !injury_signals(a).is_empty() || a.soreness >= REST_SORE
}

/// How many steps tighter than the easy-day cap the cap is at `soreness` (2-3: none, 4-5:
/// one, 6-7: two), and the suggested minutes.
fn easy_band(soreness: u8) -> (u16, u16) {
    match soreness {
        0..=3 => (0, 45),
        4..=5 => (1, 35),
        _ => (2, 25),
    }
}

/// What a sore-day cap is measured against: the runner's zones when a max HR is known, else
/// only the zone basis (the check-in of a runner with no max HR yet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scale {
    /// The runner's zones.
    Zones(ZoneModel),
    /// A basis alone.
    Basis(ZoneBasis),
}

impl From<ZoneBasis> for Scale {
    fn from(b: ZoneBasis) -> Self {
        Scale::Basis(b)
    }
}

impl From<ZoneModel> for Scale {
    fn from(z: ZoneModel) -> Self {
        Scale::Zones(z)
    }
}

/// One step down from the easy-day cap is 5 % of max HR in beats (about 9 bpm for a max of
/// 185), written in the model's own percent: 5 points of %max, 5 × max / (max − rest) of
/// %HRR, 5 × max / LTHR of %LTHR. So a step takes the same beats under every model.
pub const STEP_OF_MAX: f64 = 5.0;

impl Scale {
    /// The runner's zones when a max HR is known, else %max alone.
    pub fn of(zones: Option<&ZoneModel>) -> Self {
        zones.map_or(Scale::Basis(ZoneBasis::Max), |z| Scale::Zones(z.clone()))
    }

    /// The zone basis.
    pub fn basis(&self) -> ZoneBasis {
        match self {
            Scale::Zones(z) => z.basis(),
            Scale::Basis(b) => *b,
        }
    }

    /// The easy-day cap ([`ZoneModel::easy_cap`]; the model's default without zones).
    pub fn easy_cap(&self) -> Percent {
        match self {
            Scale::Zones(z) => z.easy_cap(),
            Scale::Basis(b) => b.default_cap(),
        }
    }

    /// One step, in tenths of the basis' percent ([`STEP_OF_MAX`]).
    fn step_tenths(&self) -> f64 {
        let max = match self {
            Scale::Zones(z) => f64::from(z.max_hr()),
            // Without a max HR the cap is a percentage of max HR, and so is the step.
            Scale::Basis(_) => return STEP_OF_MAX * 10.0,
        };
        let span = match self.basis() {
            ZoneBasis::Max => max,
            ZoneBasis::Hrr { resting } => (max - f64::from(resting)).max(1.0),
            ZoneBasis::Lthr { lthr } => f64::from(lthr.max(1)),
        };
        STEP_OF_MAX * 10.0 * max / span
    }

    /// The cap `steps` steps under the easy-day cap.
    pub fn cap(&self, steps: u16) -> Percent {
        let tenths = f64::from(self.easy_cap().tenths()) - self.step_tenths() * f64::from(steps);
        Percent::from_tenths(tenths.round().max(0.0) as u16)
    }
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

/// Pinpoint pain in a shin or foot: no impact at all (bone stress).
const NO_IMPACT_ADVICE: [&str; 2] = [
    "No impact today: cycling or swimming, if pain-free; not running, and not brisk walking either.",
    "Pinpoint pain in a shin or foot can be a bone stress injury: if it persists, or one spot hurts to press or to hop on, see a clinician.",
];

/// The signs of exertional rhabdomyolysis, said on a very sore day.
const RHABDO_ADVICE: &str = "Get medical care today if your urine is dark or cola-coloured, a muscle is markedly swollen, or your legs feel weak: signs of exertional rhabdomyolysis, not ordinary soreness.";

/// Soreness that lasts or rises.
const PHYSIO_ADVICE: &str = "See a physiotherapist: soreness that has not eased over several days, or that rises, is not ordinary post-run soreness.";

fn owned(lines: &[&str]) -> Vec<String> {
    lines.iter().map(|s| (*s).to_owned()).collect()
}

/// The plan for `a` from the answers alone (no earlier days, no HRV, no load).
pub fn decide(a: &Answers, scale: impl Into<Scale>) -> Plan {
    decide_with(a, &scale.into(), &Hrv::None, &Load::default())
}

/// The plan for `a` under `scale`, with what the morning's HRV says (see
/// [`crate::checkins::readiness`]) and the weekly load (see [`Load`]): HRV lower than usual, or
/// a jump in load on a sore day, each tighten the plan by one step, and the reasons say why.
/// Neither ever loosens a plan or overrides an injury signal.
pub fn decide_with(a: &Answers, scale: &Scale, hrv: &Hrv, load: &Load) -> Plan {
    let sore = a.soreness > NOT_SORE;
    let jump = load.jump();
    let load_tightens = sore && jump.is_some();
    let extra = u16::from(hrv.tightens()) + u16::from(load_tightens);
    let mut plan = decide_answers(a, scale, extra);
    if let Some(jump) = jump {
        let then = if load_tightens {
            ", and with sore legs today is one step easier."
        } else {
            "; build up gradually."
        };
        plan.reasons.push(match jump {
            Jump::Rise(rise) => format!(
                "Running time this week, {:.0} min, is {:.0} % above the two weeks before ({:.0} min a week): a big jump in weekly load is a known risk factor for overuse injury (Nielsen et al. 2014, in novice runners){then}",
                load.this_week,
                rise * 100.0,
                load.before_mean(),
            ),
            Jump::FromBreak => format!(
                "Running time this week, {:.0} min, after two weeks without running: a first big week, or a return from a break, is the kind of jump in load that is a known risk factor for overuse injury (Nielsen et al. 2014, in novice runners){then}",
                load.this_week,
            ),
        });
    }
    if load.cross_training > 0.0 {
        plan.reasons.push(format!(
            "Cross-training this week: {:.0} min of other sports (not counted as running).",
            load.cross_training
        ));
    }
    if let Some(r) = hrv_reason(hrv) {
        plan.reasons.push(r);
    }
    plan
}

/// What the morning's HRV says, in words.
fn hrv_reason(hrv: &Hrv) -> Option<String> {
    const LOWER_MEANS: &str = "that can mean hard training, poor sleep, illness, alcohol or stress";
    let today = |b: &Baseline| match (b.today, b.today_far) {
        (Some(t), Some(Far::Below)) => format!(
            " This morning's reading, ln RMSSD {t:.2} (RMSSD {:.0} ms), is far below the usual on its own: {LOWER_MEANS}; today is one step easier.",
            t.exp()
        ),
        (Some(t), Some(Far::Above)) => format!(
            " This morning's reading, ln RMSSD {t:.2} (RMSSD {:.0} ms), is far above the usual: with fatigue or soreness that can mean heavy fatigue, not readiness; it does not loosen the plan.",
            t.exp()
        ),
        _ => String::new(),
    };
    Some(match hrv {
        Hrv::None => return None,
        Hrv::TooFew { recent, baseline } => format!(
            "Morning HRV: {} more morning(s) in the last 7 days and {} more in the 60 days before them are needed before it can change the plan.",
            MIN_RECENT.saturating_sub(*recent),
            MIN_BASELINE.saturating_sub(*baseline)
        ),
        Hrv::Usual(f) => format!(
            "Morning HRV is within its usual range (7-day ln RMSSD {:.2}, usual {:.2}-{:.2}).{}",
            f.mean7,
            f.low,
            f.high,
            today(f)
        ),
        Hrv::Low(f) => format!(
            "Morning HRV is lower than usual (7-day ln RMSSD {:.2}, below its usual {:.2}-{:.2}): {LOWER_MEANS}; today is one step easier.{}",
            f.mean7,
            f.low,
            f.high,
            today(f).replace("; today is one step easier.", ".")
        ),
        Hrv::High(f) => format!(
            "Morning HRV is higher than usual (7-day ln RMSSD {:.2}, above its usual {:.2}-{:.2}): often good recovery, but with fatigue or soreness a high reading can mean heavy fatigue (Plews et al. 2012); it never loosens the plan.{}",
            f.mean7,
            f.low,
            f.high,
            today(f)
        ),
        Hrv::RestingHigh { bpm, usual } => format!(
            "Resting heart rate {bpm} bpm is clearly above its usual {usual} bpm: {LOWER_MEANS}; today is one step easier."
        ),
    })
}

/// The plan from the answers, `extra` steps tighter than the soreness alone would make it.
fn decide_answers(a: &Answers, scale: &Scale, extra: u16) -> Plan {
    let tightest = Some(scale.cap(2));
    let signals = injury_signals(a);
    let pinpoint_bone = a.pain == Pain::Sharp
        && a.areas
            .iter()
            .any(|w| matches!(w, Area::Shins | Area::Feet));
    if !signals.is_empty() {
        // Injury signals: no run today. Two or more, or a changed gait (the body is already
        // protecting something), mean rest; one alone, cross-train if it is pain-free.
        let rest = signals.len() >= 2 || a.gait == Gait::Changed || a.soreness >= REST_SORE;
        let mut reasons: Vec<String> = signals
            .iter()
            .map(|s| format!("Injury signal: {s}. Do not run today."))
            .collect();
        reasons.push(
            "Soreness that is sharp, one-sided, growing as you move or changing your gait is not ordinary post-run soreness."
                .to_owned(),
        );
        let (verdict, mut advice) = if rest {
            (Verdict::Rest, owned(&REST_ADVICE))
        } else if pinpoint_bone {
            (Verdict::CrossTrain, owned(&NO_IMPACT_ADVICE))
        } else {
            (Verdict::CrossTrain, owned(&CROSS_TRAIN_ADVICE))
        };
        if rest && pinpoint_bone {
            advice.push(NO_IMPACT_ADVICE[1].to_owned());
        }
        if a.soreness >= REST_SORE {
            advice.push(RHABDO_ADVICE.to_owned());
        }
        return Plan {
            verdict,
            reasons,
            advice,
            cap: tightest,
            duration_min: None,
            open_sign: None,
        };
    }
    if a.soreness >= REST_SORE {
        return Plan {
            verdict: Verdict::Rest,
            reasons: vec![format!(
                "Soreness {}/10 is as sore as it gets: rest, even without an injury signal. Muscle damage this severe needs a day off, not training.",
                a.soreness
            )],
            advice: vec![REST_ADVICE[0].to_owned(), RHABDO_ADVICE.to_owned()],
            cap: tightest,
            duration_min: None,
            open_sign: None,
        };
    }
    if a.soreness <= NOT_SORE && extra > 0 {
        // Not sore, but not recovered: an easy day at the easy-day cap.
        return Plan {
            verdict: Verdict::Easy,
            reasons: vec![format!("Soreness {}/10 and no injury signal.", a.soreness)],
            advice: owned(&EASY_ADVICE),
            cap: Some(scale.cap(0)),
            duration_min: Some(easy_band(2).1),
            open_sign: None,
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
            open_sign: None,
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
            advice: owned(&CROSS_TRAIN_ADVICE),
            cap: tightest,
            duration_min: None,
            open_sign: None,
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
        advice: owned(&EASY_ADVICE),
        cap: Some(scale.cap(steps)),
        duration_min: Some(minutes),
        open_sign: None,
    }
}

/// An earlier day's check-in, for the rules that span days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Earlier {
    /// The day it was for.
    pub date: Date,
    /// What the runner answered.
    pub answers: Answers,
}

/// The plan of `date`: its own check-in (`today`) read with the check-ins of the days before
/// (`earlier`, in any order; those after `date` are ignored, and one dated `date` is a
/// check-in of that same day that `today` replaced, read as just before it), the morning's
/// HRV and the weekly load. `None`: no check-in that day and no warning sign open.
///
/// The rules that span days, in order (docs/check-in.md):
/// 1. **A warning sign stays open** ([`is_warning`]) until a check-in without one clears it.
///    A day with no check-in while a sign is open is that sign's day again: no run, and the
///    plan says since when.
/// 2. **The first run after a cleared sign** is easy and short: at most one step under the
///    easy-day cap and [`RETURN_MIN`] minutes, whatever the answers allow.
/// 3. **Soreness that does not ease** over a sore spell (check-ins at most
///    [`SPELL_GAP_DAYS`] apart, each 2/10 or more): from day [`NOT_EASING_FROM_DAY`], today
///    not [`EASED_BY`] points under the spell's peak (3/10 or more), or higher than the day
///    before; from day [`TOO_LONG_FROM_DAY`], any soreness. Then cross-train and see a
///    physiotherapist.
pub fn decide_day(
    date: Date,
    today: Option<&Answers>,
    earlier: &[Earlier],
    scale: &Scale,
    hrv: &Hrv,
    load: &Load,
) -> Option<Plan> {
    // A check-in dated `date` is one this day's replaced: before it, when there is one.
    let counts = |e: &&Earlier| e.date < date || (e.date == date && today.is_some());
    let mut before: Vec<&Earlier> = earlier.iter().filter(counts).collect();
    before.sort_by_key(|e| e.date);
    let open = open_sign(&before);
    let Some(a) = today else {
        let (since, latest) = open?;
        let mut plan = decide_with(&latest.answers, scale, &Hrv::None, load);
        plan.reasons.insert(
            0,
            format!(
                "No check-in for {date}, and the warning sign of {} is still open: no check-in since has said it is gone. Today is that sign's day again; check in when it is gone.",
                latest.date
            ),
        );
        plan.open_sign = Some(since);
        return Some(plan);
    };
    let mut plan = decide_with(a, scale, hrv, load);
    if is_warning(a) {
        let since = open.map_or(date, |(since, _)| since);
        if since < date {
            plan.reasons.push(format!(
                "The warning sign first named on {since} is still there: it stays open until a check-in says it is gone."
            ));
        }
        plan.open_sign = Some(since);
        return Some(plan);
    }
    if let Some((_, latest)) = open {
        // A cleared sign: the first run back.
        if plan.verdict == Verdict::Train
            && let Some(first) = plan.reasons.first_mut()
        {
            // Not "run as planned": the first run back is not the plan's run.
            *first = format!("Soreness {}/10 and no injury signal.", a.soreness);
        }
        if plan.verdict.runs() {
            let cap = plan.cap.map_or(scale.cap(1), |c| c.min(scale.cap(1)));
            let minutes = plan.duration_min.map_or(RETURN_MIN, |m| m.min(RETURN_MIN));
            plan.verdict = Verdict::Easy;
            plan.cap = Some(cap);
            plan.duration_min = Some(minutes);
            if plan.advice.is_empty() {
                plan.advice = owned(&EASY_ADVICE);
            }
        }
        plan.reasons.push(format!(
            "The warning sign of {} is gone today. The first run back is easy and short, {RETURN_MIN} minutes at most: stop and walk home if the pain comes back.",
            latest.date
        ));
        return Some(plan);
    }
    if let Some(spell) = Spell::of(date, a.soreness, &before) {
        spell.apply(&mut plan, scale);
    }
    Some(plan)
}

/// The warning sign still open after `before` (check-ins sorted by date): the first day of its
/// run of warning check-ins, and the latest of them.
fn open_sign<'a>(before: &[&'a Earlier]) -> Option<(Date, &'a Earlier)> {
    let mut open: Option<(Date, &Earlier)> = None;
    for e in before {
        open = if is_warning(&e.answers) {
            Some((open.map_or(e.date, |(since, _)| since), *e))
        } else {
            None
        };
    }
    open
}

/// Whether a warning sign is still open on `date` after the check-ins `earlier` (any order;
/// those on or after `date` are ignored): its first day.
pub fn sign_open_on(date: Date, earlier: &[Earlier]) -> Option<Date> {
    let mut before: Vec<&Earlier> = earlier.iter().filter(|e| e.date < date).collect();
    before.sort_by_key(|e| e.date);
    open_sign(&before).map(|(since, _)| since)
}

/// A run of sore check-ins ending today.
struct Spell {
    /// Day of the spell today is (1: the first sore day).
    day: u32,
    /// The first sore day.
    since: Date,
    /// The highest soreness of the spell, and its day.
    peak: (u8, Date),
    /// Today's soreness, and the last check-in's before it.
    today: u8,
    previous: Option<u8>,
}

impl Spell {
    /// The spell `today` (a soreness of 2 or more) ends, from the check-ins `before` it
    /// (sorted by date); `None` when today is not sore.
    fn of(date: Date, today: u8, before: &[&Earlier]) -> Option<Spell> {
        if today <= NOT_SORE {
            return None;
        }
        let mut since = date;
        let mut peak = (today, date);
        let mut previous = None;
        for e in before.iter().rev() {
            if (since - e.date).get_days() > SPELL_GAP_DAYS || e.answers.soreness <= NOT_SORE {
                break;
            }
            previous.get_or_insert(e.answers.soreness);
            since = e.date;
            if e.answers.soreness > peak.0 {
                peak = (e.answers.soreness, e.date);
            }
        }
        let day = u32::try_from((date - since).get_days()).unwrap_or(0) + 1;
        Some(Spell {
            day,
            since,
            peak,
            today,
            previous,
        })
    }

    /// Whether the spell is past what ordinary soreness does, and why.
    fn not_ordinary(&self) -> Option<String> {
        if self.day >= TOO_LONG_FROM_DAY {
            return Some(format!(
                "day {} and still sore: {}/10 today",
                self.day, self.today
            ));
        }
        if self.day < NOT_EASING_FROM_DAY {
            return None;
        }
        if self.previous.is_some_and(|p| self.today > p) {
            return Some(format!(
                "day {} and rising: {}/10 today after {}/10",
                self.day,
                self.today,
                self.previous.unwrap_or(0)
            ));
        }
        (self.today > NOT_SORE + 1 && self.today + EASED_BY > self.peak.0).then(|| {
            format!(
                "day {} and not easing: {}/10 today, {}/10 at its worst on {}",
                self.day, self.today, self.peak.0, self.peak.1
            )
        })
    }

    /// Names the spell's day in the plan, and makes it cross-training when it is past what
    /// ordinary soreness does.
    fn apply(&self, plan: &mut Plan, scale: &Scale) {
        if self.day < 2 {
            return;
        }
        let Some(why) = self.not_ordinary() else {
            plan.reasons.push(format!(
                "Day {} of this soreness (since {}): {}.",
                self.day,
                self.since,
                if self.today + EASED_BY <= self.peak.0 {
                    "easing"
                } else {
                    "ordinary soreness peaks 24-72 h after a hard run; it should ease from here"
                }
            ));
            return;
        };
        if plan.verdict.runs() {
            // The answers' own reasons ("an easy run is fine", the run's minutes) no longer
            // hold; what HRV and the load said still does.
            plan.reasons
                .retain(|r| !(r.starts_with("Soreness ") || r.starts_with("The sorer the day")));
        }
        plan.reasons.insert(
            0,
            format!(
                "Sore since {}, {why}. Ordinary post-run soreness peaks 24-72 h after a hard run and fades within about 5-7 days; soreness that has not eased over several days, or that rises, is not ordinary. Do not run today.",
                self.since
            ),
        );
        if plan.verdict.runs() {
            plan.verdict = Verdict::CrossTrain;
            plan.cap = Some(scale.cap(2));
            plan.duration_min = None;
            plan.advice = owned(&CROSS_TRAIN_ADVICE[..1]);
        }
        plan.advice.push(PHYSIO_ADVICE.to_owned());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checkins::readiness::{Morning, Session, baseline};

    const MAX: Scale = Scale::Basis(ZoneBasis::Max);

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
                                    REST_SORE.. => Verdict::Rest,
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
                            let rest = signals.len() >= 2
                                || gait == Gait::Changed
                                || soreness >= REST_SORE;
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
    fn not_sore_trains_very_sore_cross_trains_and_the_worst_rests() {
        let a = answers(1, Sides::Equal, Pain::Dull, Moving::Easing, Gait::Normal);
        let plan = decide(&a, ZoneBasis::Max);
        assert_eq!((plan.verdict, plan.cap), (Verdict::Train, None));
        let a = answers(8, Sides::Equal, Pain::Dull, Moving::Easing, Gait::Normal);
        let plan = decide(&a, ZoneBasis::Max);
        assert_eq!(plan.verdict, Verdict::CrossTrain);
        assert!(plan.reasons[0].contains("very sore"), "{plan:?}");
        assert_eq!(
            plan.cap,
            Some(Percent::whole(60)),
            "the tightest cap, if run anyway"
        );
        // 9-10, "the worst imaginable": rest, and the signs that need care today.
        for soreness in [9, 10] {
            let a = sore(soreness);
            let plan = decide(&a, ZoneBasis::Max);
            assert_eq!(plan.verdict, Verdict::Rest, "{soreness}");
            let advice = plan.advice.join(" ");
            for sign in ["cola-coloured", "swollen", "weak", "rhabdomyolysis"] {
                assert!(advice.contains(sign), "{sign} not in {advice}");
            }
            assert!(!advice.contains("Cycling"), "{advice}");
            assert!(is_warning(&a));
        }
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
                baseline: 0
            }
        );
        // Plenty in the month, but only 2 in the last week.
        let mut gap = mornings(7, 20, 4.0, 50);
        gap.extend(mornings(0, 2, 3.0, 50));
        assert!(matches!(baseline(&gap), Hrv::TooFew { recent: 2, .. }));
        let a = answers(0, Sides::Equal, Pain::Dull, Moving::Easing, Gait::Normal);
        let plan = decide_with(&a, &MAX, &baseline(&few), &Load::default());
        assert_eq!(
            plan.verdict,
            Verdict::Train,
            "too few mornings change nothing"
        );
        assert!(
            plan.reasons
                .iter()
                .any(|r| r.contains("1 more morning(s) in the last 7 days and 10 more")),
            "{plan:?}"
        );
    }

    #[test]
    fn three_low_mornings_in_a_row_are_below_the_range_and_tighten_the_plan() {
        let mut m = mornings(3, 27, 4.0, 50);
        m.extend(mornings(0, 3, 3.6, 50));
        let hrv = baseline(&m);
        assert!(
            matches!(hrv, Hrv::Low(f) if f.mean7 < f.low && f.mornings == (7, 23)),
            "not below the range: {hrv:?}"
        );
        let usual = baseline(&mornings(0, 30, 4.0, 50));
        assert!(matches!(usual, Hrv::Usual(_)), "{usual:?}");
        // Not sore: train becomes easy at the easy-day cap.
        let a = answers(0, Sides::Equal, Pain::Dull, Moving::Easing, Gait::Normal);
        let plan = decide_with(&a, &MAX, &hrv, &Load::default());
        assert_eq!(
            (plan.verdict, plan.cap),
            (Verdict::Easy, Some(Percent::whole(70)))
        );
        assert!(plan.reasons.iter().any(|r| r.contains("lower than usual")));
        // Sore 4: one step lower than without HRV.
        let a = answers(4, Sides::Equal, Pain::Dull, Moving::Easing, Gait::Normal);
        assert_eq!(decide(&a, ZoneBasis::Max).cap, Some(Percent::whole(65)));
        assert_eq!(
            decide_with(&a, &MAX, &hrv, &Load::default()).cap,
            Some(Percent::whole(60))
        );
        // Sore 6 (already two steps down): cross-train.
        let a = answers(6, Sides::Equal, Pain::Dull, Moving::Easing, Gait::Normal);
        assert_eq!(
            decide_with(&a, &MAX, &hrv, &Load::default()).verdict,
            Verdict::CrossTrain
        );
        // An injury signal stays a no-run day whatever HRV says.
        let a = answers(3, Sides::OneWorse, Pain::Dull, Moving::Easing, Gait::Normal);
        assert!(
            !decide_with(&a, &MAX, &usual, &Load::default())
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
        let run = |days_ago, minutes| Session {
            days_ago,
            minutes,
            running: true,
        };
        let mut sessions: Vec<Session> = [9, 11, 13, 16, 18, 20]
            .iter()
            .map(|&d| run(d, 40.0))
            .collect();
        sessions.extend([1u32, 2, 4, 7].iter().map(|&d| run(d, 45.0)));
        sessions.push(run(25, 300.0)); // too old to count
        sessions.push(run(0, 90.0)); // the day's own run, after the check-in: not counted
        let load = Load::from_sessions(&sessions);
        assert_eq!((load.this_week, load.before), (180.0, [120.0, 120.0]));
        assert!(load.rise().is_some_and(|r| (r - 0.5).abs() < 1e-9));
        assert!(load.jump().is_some());
        let sore = answers(3, Sides::Equal, Pain::Dull, Moving::Easing, Gait::Normal);
        let plan = decide_with(&sore, &MAX, &Hrv::None, &load);
        assert_eq!(plan.cap, Some(Percent::whole(65)), "one step under 70");
        assert!(
            plan.reasons
                .iter()
                .any(|r| r.contains("50 % above") && r.contains("one step easier")),
            "{plan:?}"
        );
        // Not sore: said, but no cap.
        let fine = answers(0, Sides::Equal, Pain::Dull, Moving::Easing, Gait::Normal);
        let plan = decide_with(&fine, &MAX, &Hrv::None, &load);
        assert_eq!((plan.verdict, plan.cap), (Verdict::Train, None));
        assert!(
            plan.reasons
                .iter()
                .any(|r| r.contains("build up gradually"))
        );
        // +25 % is no jump; nothing to compare with, no judgement.
        let week = |this_week, before| Load {
            this_week,
            before,
            cross_training: 0.0,
        };
        assert_eq!(week(150.0, [120.0, 120.0]).jump(), None);
    }

    fn day(d: &str) -> Date {
        d.parse().unwrap_or_default()
    }

    fn earlier(d: &str, a: Answers) -> Earlier {
        Earlier {
            date: day(d),
            answers: a,
        }
    }

    fn plan_of(date: &str, today: Option<&Answers>, before: &[Earlier]) -> Option<Plan> {
        decide_day(day(date), today, before, &MAX, &Hrv::None, &Load::default())
    }

    /// [`plan_of`], for a day that must have a plan.
    fn planned(date: &str, today: Option<&Answers>, before: &[Earlier]) -> Result<Plan, String> {
        plan_of(date, today, before).ok_or_else(|| format!("no plan for {date}"))
    }

    fn sharp_shins() -> Answers {
        Answers {
            areas: vec![Area::Shins],
            ..answers(4, Sides::Equal, Pain::Sharp, Moving::Worse, Gait::Changed)
        }
    }

    #[test]
    fn a_warning_sign_stays_open_until_a_check_in_says_it_is_gone() -> Result<(), String> {
        let sign = [earlier("2026-12-01", sharp_shins())];
        // The next day, no check-in: that sign's day again, said, with the tightest cap.
        let next = planned("2026-12-02", None, &sign)?;
        assert_eq!(next.verdict, Verdict::Rest);
        assert_eq!(next.open_sign, Some(day("2026-12-01")));
        assert_eq!(next.cap, Some(Percent::whole(60)));
        assert!(next.reasons[0].contains("still open"), "{next:?}");
        // Days later still, and a day with no sign before it, nothing.
        assert!(plan_of("2026-12-20", None, &sign).is_some());
        assert_eq!(plan_of("2026-11-30", None, &sign), None);
        assert_eq!(plan_of("2026-12-02", None, &[]), None);
        // A check-in with the sign again keeps it open since its first day.
        let again = planned("2026-12-03", Some(&sharp_shins()), &sign)?;
        assert_eq!(again.open_sign, Some(day("2026-12-01")));
        // A check-in without it clears it: the first run back is easy and short, even at 0/10.
        let fine = answers(0, Sides::Equal, Pain::Dull, Moving::Easing, Gait::Normal);
        let back = planned("2026-12-04", Some(&fine), &sign)?;
        assert_eq!(back.verdict, Verdict::Easy);
        assert_eq!(
            back.cap,
            Some(Percent::whole(65)),
            "one step under the easy cap"
        );
        assert_eq!(back.duration_min, Some(RETURN_MIN));
        assert_eq!(back.open_sign, None);
        assert!(back.reasons.iter().any(|r| r.contains("first run back")));
        assert!(
            !back.reasons.iter().any(|r| r.contains("as planned")),
            "{back:?}"
        );
        // And the day after that is an ordinary day.
        let cleared = [
            earlier("2026-12-01", sharp_shins()),
            earlier("2026-12-04", fine.clone()),
        ];
        assert_eq!(plan_of("2026-12-05", None, &cleared), None);
        let plan = planned("2026-12-05", Some(&fine), &cleared)?;
        assert_eq!(plan.verdict, Verdict::Train);
        // The worst soreness is a warning sign too.
        let worst = [earlier(
            "2026-12-01",
            answers(10, Sides::Equal, Pain::Dull, Moving::Same, Gait::Normal),
        )];
        assert_eq!(
            plan_of("2026-12-02", None, &worst).map(|p| p.verdict),
            Some(Verdict::Rest)
        );
        Ok(())
    }

    #[test]
    fn pinpoint_shin_or_foot_pain_means_no_impact() {
        let a = Answers {
            areas: vec![Area::Feet],
            ..answers(3, Sides::Equal, Pain::Sharp, Moving::Easing, Gait::Normal)
        };
        let plan = decide(&a, ZoneBasis::Max);
        assert_eq!(plan.verdict, Verdict::CrossTrain);
        let advice = plan.advice.join(" ");
        assert!(
            advice.contains("not brisk walking") && advice.contains("bone stress"),
            "{advice}"
        );
        // Elsewhere, the usual cross-training.
        let a = Answers {
            areas: vec![Area::Quads],
            ..a
        };
        assert!(decide(&a, ZoneBasis::Max).advice[0].contains("brisk walking keep"));
    }

    fn sore(s: u8) -> Answers {
        answers(s, Sides::Equal, Pain::Dull, Moving::Same, Gait::Normal)
    }

    /// Check-ins on consecutive days from 2026-12-01 with these soreness levels.
    fn spell(levels: &[u8]) -> Vec<Earlier> {
        levels
            .iter()
            .enumerate()
            .map(|(i, &s)| Earlier {
                date: day("2026-12-01")
                    .checked_add(jiff::Span::new().days(i as i64))
                    .unwrap_or_default(),
                answers: sore(s),
            })
            .collect()
    }

    #[test]
    fn soreness_that_does_not_ease_is_escalated_by_day_four() -> Result<(), String> {
        /// The plan of `date` with today's soreness `level`, after the check-ins `before`.
        fn on(date: Date, level: u8, before: &[Earlier]) -> Result<Plan, String> {
            let load = Load::default();
            let plan = decide_day(date, Some(&sore(level)), before, &MAX, &Hrv::None, &load);
            plan.ok_or_else(|| format!("no plan for {date}, a day with a check-in"))
        }
        /// The plan of the last day of `levels` (a check-in each day), after the others.
        fn last_of(levels: &[u8]) -> Result<Plan, String> {
            let days = spell(levels);
            let (today, before) = days.split_last().ok_or("no days")?;
            on(today.date, today.answers.soreness, before)
        }
        // Eight days at 6-7: days 2 and 3 run easy, day 4 on cross-train and see a physio.
        let levels = [7, 6, 7, 6, 7, 6, 7, 6];
        for n in 1..=levels.len() {
            let plan = last_of(&levels[..n])?;
            if n < 4 {
                assert_eq!(plan.verdict, Verdict::Easy, "day {n}: {plan:?}");
            } else {
                assert_eq!(plan.verdict, Verdict::CrossTrain, "day {n}: {plan:?}");
                assert!(plan.reasons[0].contains(&format!("day {n}")), "{plan:?}");
                assert!(plan.advice.join(" ").contains("physiotherapist"));
            }
        }
        // Ordinary DOMS: 5, 6, 4, 2: easing by day 4, never escalated.
        let levels = [5, 6, 4, 2];
        for n in 1..=levels.len() {
            let plan = last_of(&levels[..n])?;
            assert!(plan.verdict.runs(), "day {n}: {plan:?}");
        }
        // Rising after the peak window: 6, 4, 3, then 4 on day 4.
        let plan = last_of(&[6, 4, 3, 4])?;
        assert_eq!(plan.verdict, Verdict::CrossTrain);
        assert!(plan.reasons[0].contains("rising"), "{plan:?}");
        // Still sore on day 8, even mildly and easing: not ordinary.
        let plan = last_of(&[6, 5, 4, 3, 3, 2, 2, 2])?;
        assert_eq!(plan.verdict, Verdict::CrossTrain, "{plan:?}");
        // A day without a check-in does not end the spell; a day not sore does.
        let mut gap = spell(&[7, 7]);
        gap.push(earlier("2026-12-04", sore(7)));
        let plan = on(day("2026-12-05"), 7, &gap)?;
        assert_eq!(plan.verdict, Verdict::CrossTrain, "{plan:?}");
        let mut broken = spell(&[7, 7, 0]);
        broken.push(earlier("2026-12-04", sore(7)));
        let plan = on(day("2026-12-05"), 7, &broken)?;
        assert_eq!(plan.verdict, Verdict::Easy, "{plan:?}");
        Ok(())
    }

    #[test]
    fn a_step_is_the_same_beats_under_every_model_and_no_cap_is_above_70_percent_of_max() {
        // Max 185, rest 55, LTHR 166: the models' own defaults differ, but a step is 5 % of
        // max HR (9 bpm) under each, and no easy cap is above 70 % of max HR (130 bpm).
        let models = [
            ZoneModel::new(185, ZoneBasis::Max),
            ZoneModel::new(185, ZoneBasis::Hrr { resting: 55 }),
            ZoneModel::new(185, ZoneBasis::Lthr { lthr: 166 }),
        ];
        for z in &models {
            let scale = Scale::Zones(z.clone());
            let bpm = |steps| z.bpm_at(scale.cap(steps));
            assert!(bpm(0) <= 130, "{z:?}: easy cap {}", bpm(0));
            for steps in 1..=2 {
                let drop = i32::from(bpm(steps - 1)) - i32::from(bpm(steps));
                assert!(
                    (8..=10).contains(&drop),
                    "{z:?}: step {steps} is {drop} bpm"
                );
            }
            // Soreness 6 (two steps) is at most the %max model's 6 (111) plus a beat or two.
            let six = decide(&sore(6), scale.clone());
            assert!(
                z.bpm_at(six.cap.unwrap_or(Percent::whole(100))) <= 113,
                "{z:?}: {six:?}"
            );
        }
    }

    /// A sign named in the morning and replaced the same day by a check-in without it is a
    /// cleared sign: the first run back, not an ordinary day.
    #[test]
    fn a_same_day_correction_of_a_sign_is_a_cleared_sign() -> Result<(), String> {
        let fine = answers(0, Sides::Equal, Pain::Dull, Moving::Easing, Gait::Normal);
        let morning = [earlier("2026-12-04", sharp_shins())];
        let plan = planned("2026-12-04", Some(&fine), &morning)?;
        assert_eq!(
            (plan.verdict, plan.duration_min),
            (Verdict::Easy, Some(RETURN_MIN))
        );
        // Without a check-in that day, a same-day entry is no earlier day.
        assert_eq!(plan_of("2026-12-04", None, &morning), None);
        Ok(())
    }
}

//! Builds the recordings in fixtures/ (run: `cargo run --example make_fixtures`).
//!
//! Each fixture is a scripted heart-rate profile turned into raw Heart Rate Measurement
//! notifications by `tests/support/synth.rs`, with the beat-to-beat variation of a real chest strap:
//! the RR intervals of fixtures/source/hrv-activity-rr-ms.txt (Garmin HRM-Dual, from the
//! `fitparser` crate's test data; see fixtures/README.md). Artifacts are then written in by
//! hand, byte for byte, as a strap would send them. The output is deterministic, and
//! tests/fixtures.rs checks that the committed files are exactly what this program writes.

#[path = "../tests/support/synth.rs"]
pub mod synth;

use std::path::Path;
use std::time::Duration;

use hrcoach::coach::measurement::{Contact, HeartRateMeasurement, RrInterval};
use hrcoach::event::{Event, EventKind};
use hrcoach::recording::writer::event_line;
use hrcoach::recording::{Header, Strap};
use synth::Variation;

/// Every fixture as (path under fixtures/, contents).
pub fn build_all(root: &Path) -> std::io::Result<Vec<(String, String)>> {
    let rr_text = std::fs::read_to_string(root.join("fixtures/source/hrv-activity-rr-ms.txt"))?;
    let rr: Vec<u32> = rr_text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.trim().parse().ok())
        .collect();
    let v = Variation::from_rr_millis(&rr, 7);

    let mut out = vec![
        ("sore-day-drift.jsonl".to_owned(), sore_day_drift(&v)),
        ("steady-easy.jsonl".to_owned(), steady_easy(&v)),
        ("artifacts.jsonl".to_owned(), artifacts(&v)),
        ("link-drop.jsonl".to_owned(), link_drop(&v)),
        ("field-test.jsonl".to_owned(), field_test(&v)),
        ("resting.jsonl".to_owned(), resting(&v)),
        ("lthr-time-trial.jsonl".to_owned(), lthr_time_trial(&v)),
    ];
    out.extend(review_cases(&v));
    let (labelled, truth) = labelled(&v);
    out.push(("labelled.jsonl".to_owned(), labelled));
    out.push(("labelled.truth.json".to_owned(), truth));
    out.extend(bad_files(&v));
    Ok(out)
}

/// Linear interpolation through (seconds, bpm) points.
fn profile(points: &'static [(f64, f64)]) -> impl Fn(f64) -> f64 {
    move |t| {
        let i = points.iter().rposition(|&(x, _)| x <= t).unwrap_or(0);
        match (points.get(i), points.get(i + 1)) {
            (Some(&(x0, y0)), Some(&(x1, y1))) => y0 + (y1 - y0) * (t - x0) / (x1 - x0),
            (Some(&(_, y)), None) => y,
            _ => points[0].1,
        }
    }
}

/// Moves a notification off the whole second by a deterministic -30..+29 ms, as real
/// notifications are never exactly 1000 ms apart.
fn jitter(at: Duration) -> Duration {
    let s = at.as_secs();
    Duration::from_millis(s * 1000 + (s * 37) % 60) - Duration::from_millis(30)
}

fn header(note: &str) -> Header {
    Header {
        start: Some("2026-11-20T07:00:00Z".to_owned()),
        strap: Some(Strap {
            name: Some("hrcoach synth (RR variation of a Garmin HRM-Dual)".to_owned()),
            address: None,
        }),
        note: Some(note.to_owned()),
        ..Header::default()
    }
}

fn write(header: &Header, events: &[Event]) -> String {
    let mut s = serde_json::to_string(header).unwrap_or_default();
    s.push('\n');
    for e in events {
        s.push_str(&event_line(e));
    }
    s
}

fn strap_events(
    p: impl Fn(f64) -> f64,
    secs: u64,
    v: &Variation,
) -> Vec<(Duration, HeartRateMeasurement)> {
    synth::notifications(p, Duration::from_secs(secs), v)
        .into_iter()
        .map(|(at, m)| (jitter(at), m))
        .collect()
}

fn to_events(ms: Vec<(Duration, HeartRateMeasurement)>) -> Vec<Event> {
    ms.into_iter()
        .map(|(at, m)| Event::notification(at, m.encode()))
        .collect()
}

fn battery(at_s: u64, p: u8) -> Event {
    Event {
        at: Duration::from_secs(at_s),
        kind: EventKind::Battery(p),
    }
}

/// 35 min: warm-up, steady zone 2, a drift well above the 130 bpm cap (max HR 185) for about
/// nine minutes, back under, cool-down.
fn sore_day_drift(v: &Variation) -> String {
    // Warm-up, then cardiac drift at a steady pace: about 0.85 bpm a minute from 5:00,
    // crossing the cap (130) near 17:00 and topping out at 137; the runner eases off at 24:00.
    const P: &[(f64, f64)] = &[
        (0.0, 95.0),
        (300.0, 120.0),
        (1020.0, 130.0),
        (1320.0, 135.0),
        (1440.0, 137.0),
        (1560.0, 122.0),
        (1900.0, 124.0),
        (2100.0, 104.0),
    ];
    let mut events = vec![battery(0, 90)];
    events.extend(to_events(strap_events(profile(P), 2100, v)));
    write(
        &header("sore-day easy run that drifts above the zone-2 cap (max HR 185) and comes back"),
        &events,
    )
}

/// 30 min of easy running that stays in zone 2, well under the cap.
fn steady_easy(v: &Variation) -> String {
    const P: &[(f64, f64)] = &[
        (0.0, 92.0),
        (300.0, 118.0),
        (900.0, 121.0),
        (1200.0, 119.0),
        (1620.0, 121.0),
        (1800.0, 105.0),
    ];
    let mut events = vec![battery(0, 74)];
    events.extend(to_events(strap_events(profile(P), 1800, v)));
    write(
        &header("steady easy run, never near the cap (max HR 185)"),
        &events,
    )
}

/// 20 min steady under the cap, with artifacts a real strap produces.
fn artifacts(v: &Variation) -> String {
    const P: &[(f64, f64)] = &[(0.0, 100.0), (240.0, 121.0), (1200.0, 122.0)];
    let mut ms = strap_events(profile(P), 1200, v);
    for (i, (_, m)) in ms.iter_mut().enumerate() {
        let second = i + 1;
        // Single-beat spikes: one notification far above the cap, with the one short
        // (spurious) beat that caused it, every 97 s.
        if second % 97 == 0 {
            m.bpm = 205 + (second % 5) as u16 * 6;
            m.rr = vec![RrInterval((60.0 / f64::from(m.bpm) * 1024.0) as u16)];
        }
        // 75 s with the strap off the skin: contact "not detected" and erratic values well
        // above the cap, which must not count.
        if (600..675).contains(&second) {
            m.contact = Contact::NotDetected;
            m.bpm = 150 + ((second * 53) % 45) as u16;
            m.rr.clear();
        }
        // A zero reading with contact claimed: implausible.
        if second == 800 {
            m.bpm = 0;
            m.rr.clear();
        }
    }
    let mut events = to_events(ms);
    // A payload a strap really can send: the RR flag with a dangling odd byte.
    for e in &mut events {
        if e.at.as_secs_f64().round() as u64 == 900 {
            e.kind = EventKind::Notification(vec![0x16, 0x7a, 0x00, 0x04, 0x02]);
        }
    }
    write(
        &header(
            "steady under the cap with single-beat spikes, 75 s without skin contact, a zero and a malformed payload",
        ),
        &events,
    )
}

/// 20 min steady, with the link lost for 45 s in the middle of a short climb over the cap.
fn link_drop(v: &Variation) -> String {
    const P: &[(f64, f64)] = &[
        (0.0, 100.0),
        (240.0, 122.0),
        (456.0, 124.0),
        (468.0, 135.0),
        (538.0, 135.0),
        (546.0, 122.0),
        (1200.0, 123.0),
    ];
    let lost = 480u64; // last notification before the drop at 479 s
    let back = 525u64;
    let mut events = vec![battery(0, 61)];
    for (at, m) in strap_events(profile(P), 1200, v) {
        let s = at.as_secs_f64().round() as u64;
        if s == lost {
            // The watchdog notices 3 s of silence.
            events.push(Event {
                at: Duration::from_secs(lost + 2),
                kind: EventKind::LinkLost,
            });
        }
        if s == back {
            events.push(Event {
                at: Duration::from_millis(back * 1000 - 500),
                kind: EventKind::LinkRestored,
            });
            events.push(Event {
                at: Duration::from_millis(back * 1000 - 400),
                kind: EventKind::Battery(60),
            });
        }
        if (lost..back).contains(&s) {
            continue;
        }
        events.push(Event::notification(at, m.encode()));
    }
    write(
        &header("link lost for 45 s during a short climb over the cap; no alert is due"),
        &events,
    )
}

/// A 40-minute max-HR field test by a runner whose true max is 188 bpm, with a dry-strap
/// start (readings from 205 falling for 45 s) and single-beat spikes to 222-231.
fn field_test(v: &Variation) -> String {
    const P: &[(f64, f64)] = &[
        (0.0, 100.0),
        (900.0, 140.0),
        (990.0, 172.0),
        (1080.0, 172.0),
        (1260.0, 135.0),
        (1350.0, 180.0),
        (1440.0, 180.0),
        (1620.0, 138.0),
        (1740.0, 188.0),
        (1800.0, 188.0),
        (1860.0, 150.0),
        (2400.0, 110.0),
    ];
    let mut ms = strap_events(profile(P), 2400, v);
    for (i, (_, m)) in ms.iter_mut().enumerate() {
        let second = i + 1;
        if second <= 45 {
            // A dry strap: implausibly high at first, falling to the real value.
            m.bpm = 205 - (second as u16 - 1) * 2;
            m.rr.clear();
        }
        if second % 181 == 0 || second == 1765 {
            m.bpm = 222 + (second % 10) as u16;
            m.rr = vec![RrInterval((60.0 / f64::from(m.bpm) * 1024.0) as u16)];
        }
    }
    write(
        &header("max-HR field test; true max 188 bpm; dry-strap start and single-beat spikes"),
        &to_events(ms),
    )
}

/// Six minutes lying still on waking: settles from 64 to 52 bpm, then rises a little.
fn resting(v: &Variation) -> String {
    const P: &[(f64, f64)] = &[(0.0, 64.0), (150.0, 52.0), (300.0, 52.0), (360.0, 56.0)];
    write(
        &header("resting HR on waking, lying still; settles at 52 bpm"),
        &to_events(strap_events(profile(P), 360, &v.scaled(4.0))),
    )
}

/// Friel's 30-minute solo time trial (32 min recorded): the last 20 minutes at 171 bpm.
fn lthr_time_trial(v: &Variation) -> String {
    const P: &[(f64, f64)] = &[
        (0.0, 120.0),
        (120.0, 165.0),
        (600.0, 168.0),
        (720.0, 171.0),
        (1920.0, 171.0),
    ];
    write(
        &header("30-minute time trial for LTHR; 171 bpm over the last 20 minutes"),
        &to_events(strap_events(profile(P), 1920, v)),
    )
}

/// The runner of the labelled fixture: max HR 185, so the cap is 130 bpm.
const LABELLED_CAP: f64 = 130.0;

/// A 50-minute sore-day run with every kind of trouble at known times, and its truth as JSON
/// (fixtures/labelled.truth.json): what the alert tests check against.
fn labelled(v: &Variation) -> (String, String) {
    const P: &[(f64, f64)] = &[
        (0.0, 95.0),
        (480.0, 118.0),
        (840.0, 120.0),
        // Episode A: over the cap from about 14:10 to 17:00.
        (860.0, 137.0),
        (1010.0, 137.0),
        (1030.0, 120.0),
        (1800.0, 121.0),
        // A slow creep toward the cap (about 1.1 bpm/min), crossing it near 38:15...
        (2280.0, 129.5),
        (2400.0, 134.0),
        // ...and staying over (episode B) until about 41:00.
        (2440.0, 135.0),
        (2460.0, 120.0),
        // A 12-second excursion over the cap at 45:00: shorter than the dwell.
        (2695.0, 120.0),
        (2700.0, 136.0),
        (2710.0, 136.0),
        (2715.0, 120.0),
        (3000.0, 120.0),
    ];
    let bpm_at = profile(P);
    let spikes: Vec<u64> = (1..3000)
        .filter(|s| s % 67 == 0 && !(840..1040).contains(s))
        .collect();
    let contact_loss = (1320u64, 1395u64);
    let stale = (1620u64, 1640u64);
    let dry = (1u64, 45u64);
    let mut events = Vec::new();
    for (at, mut m) in strap_events(&bpm_at, 3000, v) {
        let s = at.as_secs_f64().round() as u64;
        if (stale.0..stale.1).contains(&s) {
            continue; // the strap goes quiet, no link event: stale data
        }
        if (dry.0..=dry.1).contains(&s) {
            m.bpm = 205 - (s as u16 - 1) * 2;
            m.rr.clear();
        }
        if spikes.contains(&s) {
            m.bpm = 212 + (s % 13) as u16;
            m.rr = vec![RrInterval((60.0 / f64::from(m.bpm) * 1024.0) as u16)];
        }
        if (contact_loss.0..contact_loss.1).contains(&s) {
            m.contact = Contact::NotDetected;
            m.bpm = 150 + ((s * 53) % 45) as u16;
            m.rr.clear();
        }
        events.push(Event::notification(at, m.encode()));
    }
    // Truth from the profile itself: every stretch at or over the cap.
    let mut episodes = Vec::new();
    let mut start = None;
    for t in 0..=3000u64 {
        let over = bpm_at(t as f64) >= LABELLED_CAP;
        match (over, start) {
            (true, None) => start = Some(t),
            (false, Some(s0)) => {
                episodes.push(serde_json::json!({"start_s": s0, "end_s": t - 1}));
                start = None;
            }
            _ => {}
        }
    }
    let creep_crossing = (1800..3000u64)
        .find(|&t| bpm_at(t as f64) >= LABELLED_CAP)
        .unwrap_or_default();
    let truth = serde_json::json!({
        "about": "What fixtures/labelled.jsonl holds, from the profile it was generated from (examples/make_fixtures.rs). Times in seconds since the start.",
        "max_hr": 185,
        "cap_bpm": LABELLED_CAP as u16,
        "dwell_s": 20,
        "episodes_over_cap": episodes,
        "single_beat_spikes_s": spikes,
        "dry_strap_start_s": [dry.0, dry.1],
        "contact_loss_s": [contact_loss.0, contact_loss.1],
        "stale_gap_s": [stale.0, stale.1],
        "creep": {"start_s": 1800, "cap_crossed_s": creep_crossing},
    });
    (
        write(
            &header(
                "labelled sore-day run: two drifts over the cap, a short excursion, spikes, a dry start, contact loss, a stale gap, a slow creep; truth in labelled.truth.json",
            ),
            &events,
        ),
        serde_json::to_string_pretty(&truth).unwrap_or_default() + "\n",
    )
}

/// Small broken files for the error tests.
fn bad_files(v: &Variation) -> Vec<(String, String)> {
    let good: Vec<String> = to_events(strap_events(|_| 120.0, 30, v))
        .iter()
        .map(event_line)
        .collect();
    let first10 = good[..10].concat();
    let bad = |name: &str, text: String| (format!("bad/{name}"), text);
    vec![
        bad("empty.jsonl", String::new()),
        bad(
            "header-only.jsonl",
            "{\"format\":\"hrcoach-recording\",\"version\":1}\n".to_owned(),
        ),
        bad(
            "not-json.jsonl",
            format!("{first10}this is not json\n{}", good[10]),
        ),
        bad(
            "unknown-event.jsonl",
            format!("{first10}{{\"t_ms\":10500,\"heartrate\":120}}\n"),
        ),
        bad(
            "bad-hex.jsonl",
            format!("{first10}{{\"t_ms\":10500,\"hrm\":\"16 7x 00 04\"}}\n"),
        ),
        bad(
            "backwards.jsonl",
            format!("{first10}{{\"t_ms\":4000,\"bpm\":120}}\n"),
        ),
        bad(
            "bad-header.jsonl",
            format!("{{\"format\":\"hrcoach-recording\",\"version\":99}}\n{first10}"),
        ),
        // Every reading without skin contact: nothing to calibrate from.
        bad(
            "no-contact.jsonl",
            (1..=30)
                .map(|s| {
                    let m = HeartRateMeasurement {
                        bpm: 90,
                        contact: Contact::NotDetected,
                        energy_kj: None,
                        rr: vec![],
                    };
                    event_line(&Event::notification(Duration::from_secs(s), m.encode()))
                })
                .collect(),
        ),
        // What a crash mid-write leaves: a last line cut short, without its newline.
        bad(
            "truncated.jsonl",
            format!("{}{}", good[..29].concat(), &good[29][..20]),
        ),
    ]
}

/// The situations a review of the coach found it getting wrong (issue 8), as recordings, so
/// that what the runner hears in each is a snapshot (tests/snapshots.rs) and any hrcoach can
/// be run on them. With `--sore --max-hr 185` the cap is 130.
fn review_cases(v: &Variation) -> Vec<(String, String)> {
    // 1. Over the cap (alert), back under for 12 s, over again and held.
    const CEILING: &[(f64, f64)] = &[
        (0.0, 124.0),
        (60.0, 124.0),
        (68.0, 140.0),
        (94.0, 140.0),
        (104.0, 120.0),
        (116.0, 120.0),
        (126.0, 140.0),
        (300.0, 140.0),
    ];
    let ceiling = to_events(strap_events(profile(CEILING), 300, v));

    // 2. Over the cap, the link lost for 40 s, one re-seating spike, still over.
    const OVER: &[(f64, f64)] = &[(0.0, 124.0), (60.0, 124.0), (68.0, 140.0), (400.0, 140.0)];
    let mut gap = Vec::new();
    for (at, mut m) in strap_events(profile(OVER), 300, v) {
        let s = at.as_secs_f64().round() as u64;
        if s == 151 {
            gap.push(Event {
                at: Duration::from_millis(150_900),
                kind: EventKind::LinkLost,
            });
        }
        if s == 191 {
            gap.push(Event {
                at: Duration::from_millis(190_500),
                kind: EventKind::LinkRestored,
            });
            m.bpm = 205; // the strap re-seating
            m.rr.clear();
        }
        if (151..191).contains(&s) {
            continue;
        }
        gap.push(Event::notification(at, m.encode()));
    }

    // 3. Started mid-run (a Pi that rebooted): a steady, regular 160 from the first reading.
    const HIGH: &[(f64, f64)] = &[(0.0, 160.0), (300.0, 162.0)];
    let high_start = to_events(strap_events(profile(HIGH), 300, v));

    // 3. A dry strap fading slowly, 1 bpm/s from 160 to 124, over a runner at 124.
    let slow_fade: Vec<Event> = strap_events(profile(&[(0.0, 124.0)]), 300, v)
        .into_iter()
        .map(|(at, mut m)| {
            let s = at.as_secs_f64().round() as u16;
            if s <= 36 {
                m.bpm = 160 - s;
                m.rr.clear(); // a dry strap has no beats to report
            }
            Event::notification(at, m.encode())
        })
        .collect();

    // 4. Creeping 0.75 bpm/min from the first minute: 121 at the start, the cap at 12:00.
    const CREEP: &[(f64, f64)] = &[(0.0, 121.0), (1200.0, 136.0)];
    let creep = to_events(strap_events(profile(CREEP), 900, v));

    vec![
        (
            "review-ceiling.jsonl".to_owned(),
            write(
                &header(
                    "over the cap, back under for 12 s, over again and held: the re-crossing must be told",
                ),
                &ceiling,
            ),
        ),
        (
            "review-gap.jsonl".to_owned(),
            write(
                &header(
                    "over the cap, link lost 40 s, a re-seating spike, still over: a full dwell after the gap",
                ),
                &gap,
            ),
        ),
        (
            "review-high-start.jsonl".to_owned(),
            write(
                &header("started mid-run at a steady 160: a heart, not a dry strap"),
                &high_start,
            ),
        ),
        (
            "review-slow-fade.jsonl".to_owned(),
            write(
                &header(
                    "a dry strap fading 1 bpm/s from 160 to the runner's 124: no alert, even with --dwell 10s",
                ),
                &slow_fade,
            ),
        ),
        (
            "review-creep-from-start.jsonl".to_owned(),
            write(
                &header("creeping 0.75 bpm/min from 121: warned before the cap at 12:00"),
                &creep,
            ),
        ),
    ]
}

fn main() -> std::io::Result<()> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (name, text) in build_all(root)? {
        let path = root.join("fixtures").join(&name);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(&path, text)?;
        println!("wrote {}", path.display());
    }
    Ok(())
}

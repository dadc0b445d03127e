//! The alert policy against fixtures/labelled.jsonl, whose truth (episodes over the cap,
//! spikes, dry start, contact loss, stale gap, creep) is in fixtures/labelled.truth.json.

mod common;

use common::{fixture, hrcoach, json_lines, num, succeeds};
use serde_json::Value;

fn replay(args: &[&str]) -> Vec<Value> {
    replay_file("labelled.jsonl", args)
}

fn truth() -> Value {
    let text = std::fs::read_to_string(fixture("labelled.truth.json")).expect("truth file");
    serde_json::from_str(&text).expect("truth is JSON")
}

/// (time in seconds, kind) of every alert.
fn timed_alerts(lines: &[Value]) -> Vec<(f64, String)> {
    common::alerts(lines)
        .into_iter()
        .map(|l| {
            let t = num(&l["t_ms"]) / 1000.0;
            (t, l["alert"].as_str().expect("alert kind").to_owned())
        })
        .collect()
}

fn span(v: &Value) -> (f64, f64) {
    (num(&v[0]), num(&v[1]))
}

#[test]
fn every_episode_at_least_the_dwell_long_is_alerted_within_dwell_plus_five_seconds() {
    let truth = truth();
    let dwell = num(&truth["dwell_s"]);
    let alerts = timed_alerts(&replay(&[]));
    let episodes = truth["episodes_over_cap"].as_array().expect("episodes");
    let mut long = 0;
    for e in episodes {
        let (start, end) = (num(&e["start_s"]), num(&e["end_s"]));
        let first = alerts
            .iter()
            .find(|(t, k)| k == "over_cap" && *t >= start && *t <= end + 1.0);
        if end - start >= dwell {
            long += 1;
            let (t, _) = first.unwrap_or_else(|| panic!("no alert for episode {e}: {alerts:?}"));
            assert!(*t <= start + dwell + 5.0, "episode {e} alerted at {t}");
        } else {
            assert!(
                first.is_none(),
                "a {} s excursion is shorter than the dwell: {alerts:?}",
                end - start
            );
        }
    }
    assert_eq!(long, 2, "the fixture holds two long episodes");
}

#[test]
fn no_cap_alert_outside_the_episodes() {
    // So none from spikes, the dry start, the contact loss or the stale gap.
    let truth = truth();
    let episodes: Vec<(f64, f64)> = truth["episodes_over_cap"]
        .as_array()
        .expect("episodes")
        .iter()
        .map(|e| (num(&e["start_s"]), num(&e["end_s"])))
        .collect();
    for (t, kind) in timed_alerts(&replay(&[])) {
        if kind == "over_cap" || kind == "reminder" {
            assert!(
                episodes.iter().any(|(s, e)| t >= *s && t <= *e + 1.0),
                "{kind} at {t} s is outside every episode"
            );
        }
    }
    // And with a dwell so short that one bad reading would be enough, still none in the
    // windows of the artifacts.
    let quick = timed_alerts(&replay(&["--dwell", "0s"]));
    let dry = span(&truth["dry_strap_start_s"]);
    let contact = span(&truth["contact_loss_s"]);
    let stale = span(&truth["stale_gap_s"]);
    for (t, kind) in &quick {
        for (name, (a, b)) in [
            ("dry start", dry),
            ("contact loss", contact),
            ("stale gap", stale),
        ] {
            assert!(
                !(*t >= a && *t <= b + 2.0 && kind != "back_under"),
                "{kind} at {t} s during the {name}"
            );
        }
        let spike = truth["single_beat_spikes_s"]
            .as_array()
            .expect("spikes")
            .iter()
            .filter_map(Value::as_f64)
            .any(|s| (t - s).abs() < 1.0);
        assert!(
            !(spike && kind == "over_cap"),
            "over_cap at {t} s, on a spike"
        );
    }
}

#[test]
fn the_creep_warning_comes_before_the_cap_is_crossed() {
    let truth = truth();
    let start = num(&truth["creep"]["start_s"]);
    let crossed = num(&truth["creep"]["cap_crossed_s"]);
    let lines = replay(&[]);
    let creep: Vec<_> = lines.iter().filter(|l| l["alert"] == "creep").collect();
    assert_eq!(creep.len(), 1, "one climb, one warning");
    let t = num(&creep[0]["t_ms"]) / 1000.0;
    assert!(
        t > start && t < crossed,
        "creep warning at {t} s, climb {start}-{crossed} s"
    );
    assert!(creep[0]["eta_s"].as_f64().is_some_and(|e| e <= 300.0));
    assert!(
        creep[0]["slope_bpm_per_min"]
            .as_f64()
            .is_some_and(|s| (0.5..=2.0).contains(&s))
    );
}

#[test]
fn the_alert_rate_ceiling_holds() {
    // Reminders every 5 s would be 12 a minute; the ceiling keeps it to 2 in any 60 s.
    let lines = replay(&["--remind-every", "5s"]);
    let times: Vec<f64> = timed_alerts(&lines).iter().map(|(t, _)| *t).collect();
    for (i, t) in times.iter().enumerate() {
        let in_minute = times[i..].iter().take_while(|u| **u < t + 60.0).count();
        assert!(
            in_minute <= 2,
            "{in_minute} alerts in the minute from {t} s: {times:?}"
        );
    }
    let summary = &lines.last().expect("summary")["summary"];
    assert!(
        summary["suppressed_alerts"].as_u64().is_some_and(|n| n > 0),
        "{summary}"
    );
}

#[test]
fn alerts_carry_their_reason_and_numbers_and_escalate() {
    let lines = replay(&[]);
    let cap_alerts: Vec<_> = lines.iter().filter(|l| l.get("alert").is_some()).collect();
    for a in &cap_alerts {
        for key in [
            "reason",
            "level",
            "bpm",
            "smoothed_bpm",
            "cap_bpm",
            "over_for_s",
            "message",
        ] {
            assert!(a.get(key).is_some(), "{key} missing in {a}");
        }
    }
    let first = cap_alerts
        .iter()
        .find(|a| a["alert"] == "over_cap")
        .expect("over_cap");
    let firmer = cap_alerts
        .iter()
        .find(|a| a["alert"] == "reminder")
        .expect("reminder");
    assert_eq!(first["level"], 1);
    assert_eq!(firmer["level"], 2);
    assert!(
        first["message"]
            .as_str()
            .is_some_and(|m| m.contains("Ease off"))
    );
    assert!(
        firmer["message"]
            .as_str()
            .is_some_and(|m| m.contains("more") || m.contains("Slow"))
    );
}

#[test]
fn poor_data_is_announced_and_counted_by_reason() {
    let lines = replay(&[]);
    let notices: Vec<_> = lines.iter().filter(|l| l.get("notice").is_some()).collect();
    assert!(
        notices
            .iter()
            .any(|n| n["notice"] == "unreliable" && n["reason"] == "no_contact")
    );
    assert!(
        notices
            .iter()
            .any(|n| n["notice"] == "unreliable" && n["reason"] == "dry_start")
    );
    assert!(notices.iter().any(|n| n["notice"] == "stale"));
    assert!(notices.iter().any(|n| {
        n["message"]
            .as_str()
            .is_some_and(|m| m.contains("run by feel, effort 5-6 of 10"))
    }));
    let s = &lines.last().expect("summary")["summary"];
    assert_eq!(s["rejected"]["no_contact"], 75);
    assert!(s["rejected"]["dry_start"].as_u64().is_some_and(|n| n > 0));
    assert!(
        s["rejected"]["beat_artifact"]
            .as_u64()
            .is_some_and(|n| n > 0)
    );
    assert_eq!(s["stale_gaps"], 1);
}

#[test]
fn compare_prints_a_table_for_the_drifting_run() {
    let out = succeeds(
        hrcoach()
            .args(["replay", "--compare", "--sore", "--max-hr", "185"])
            .arg(fixture("sore-day-drift.jsonl")),
    );
    let text = String::from_utf8_lossy(&out.stdout);
    for want in [
        "setting",
        "first alert",
        "* in force: 70% of max HR, dwell 20s",
        "cap 60% of max HR",
        "dwell 30s",
    ] {
        assert!(text.contains(want), "{want}: {text}");
    }
    // As JSON: a lower cap alerts earlier and counts more time over it.
    let out = hrcoach()
        .args(["replay", "--compare", "--json", "--sore", "--max-hr", "185"])
        .arg(fixture("sore-day-drift.jsonl"))
        .output()
        .expect("run");
    let rows = json_lines(&out.stdout);
    let row = |label: &str| {
        rows.iter()
            .find(|r| r["setting"] == label)
            .cloned()
            .expect(label)
    };
    let (r60, r70) = (
        row("cap 60% of max HR, dwell 20s"),
        row("cap 70% of max HR, dwell 20s"),
    );
    assert!(num(&r60["first_alert_s"]) < num(&r70["first_alert_s"]));
    assert!(num(&r60["over_cap_s"]) > num(&r70["over_cap_s"]));
    assert_eq!(r70["cap_bpm"], 130);
    // The in-force row is exactly what a plain replay gives.
    let plain = replay_file("sore-day-drift.jsonl", &[]);
    let summary = &plain.last().expect("summary")["summary"];
    assert_eq!(rows[0]["alerts"], summary["alerts"]);
}

fn replay_file(name: &str, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["--sore", "--max-hr", "185"];
    all.extend_from_slice(args);
    common::replay_json(&fixture(name), &all)
}

#[test]
fn a_recording_keeps_the_alerts_and_replays_to_the_same_ones() {
    // What a live run's recorder does, here from a replay: raw events and the alerts given.
    let dir = tempfile::tempdir().expect("tempdir");
    let rec = dir.path().join("run.jsonl");
    let first = replay_file(
        "labelled.jsonl",
        &["--record", rec.to_str().expect("utf-8 path")],
    );
    let text = std::fs::read_to_string(&rec).expect("recording written");
    let recorded: Vec<Value> = text
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|v| v.get("alert").is_some())
        .collect();
    let given: Vec<&Value> = first.iter().filter(|l| l.get("alert").is_some()).collect();
    assert!(!given.is_empty());
    assert_eq!(recorded.len(), given.len());
    for (r, g) in recorded.iter().zip(&given) {
        assert_eq!(r["t_ms"], g["t_ms"]);
        assert_eq!(r["alert"]["kind"], g["alert"]);
        assert_eq!(r["alert"]["reason"], g["reason"]);
        assert_eq!(r["alert"]["smoothed_bpm"], g["smoothed_bpm"]);
    }
    // Replaying the recording gives the same alerts, and says so.
    let out = hrcoach()
        .args(["replay", "--fast", "--json", "--sore", "--max-hr", "185"])
        .arg(&rec)
        .output()
        .expect("run");
    let again = json_lines(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("are the ones this replay gave"), "{stderr}");
    let summary = |l: &[Value]| l.last().expect("summary")["summary"].clone();
    assert_eq!(summary(&again), summary(&first));
    // Under other settings it says they differ.
    let out = hrcoach()
        .args(["replay", "--fast", "--json", "--sore", "--max-hr", "175"])
        .arg(&rec)
        .output()
        .expect("run");
    assert!(String::from_utf8_lossy(&out.stderr).contains("differ"));
}

#[cfg(unix)]
#[test]
fn say_speaks_every_alert_and_a_failing_command_is_reported_once() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let spoken = dir.path().join("spoken.txt");
    let script = dir.path().join("say.sh");
    std::fs::write(
        &script,
        format!("#!/bin/sh\necho \"$*\" >> '{}'\n", spoken.display()),
    )
    .expect("script");
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let lines = replay_file(
        "sore-day-drift.jsonl",
        &["--say", script.to_str().expect("utf-8")],
    );
    let alerts: Vec<&Value> = lines.iter().filter(|l| l.get("alert").is_some()).collect();
    let said = std::fs::read_to_string(&spoken).expect("spoken");
    // Besides the alerts: the plan at the start, and the warm-up check, asked twice.
    let (asked, said): (Vec<&str>, Vec<&str>) = said
        .lines()
        .partition(|l| l.starts_with("Has the soreness eased") || l.starts_with("At 10 minutes"));
    assert_eq!(asked.len(), 3, "{asked:?}");
    assert_eq!(said.len(), alerts.len(), "{said:?}");
    // The commands run without waiting for each other, so compare regardless of order.
    let mut said = said;
    // Spoken as written for the ear (no brackets, "beats", "1 minute 20").
    let mut messages: Vec<String> = alerts
        .iter()
        .filter_map(|a| a["message"].as_str())
        .map(hrcoach::output::say::for_the_ear)
        .collect();
    said.sort_unstable();
    messages.sort_unstable();
    assert_eq!(said, messages);

    // A program that is not there is refused before the run (tests/first_hour.rs); one that
    // runs and fails is reported once, and the run goes on.
    {
        let command = "false";
        let out = common::succeeds(
            &mut hrcoach()
                .args([
                    "replay", "--fast", "--quiet", "--sore", "--max-hr", "185", "--say", command,
                ])
                .arg(fixture("sore-day-drift.jsonl")),
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            stderr.matches("--say command").count(),
            1,
            "{command}: {stderr}"
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains("Summary"));
    }
}

#[test]
#[should_panic(expected = "expected a number")]
fn a_missing_truth_key_fails_loudly() {
    // What every check above relies on: no NaN or default standing in for a missing key.
    let truth = truth();
    let _ = num(&truth["no_such_key"]);
}

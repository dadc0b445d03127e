//! FIT activity files, read with `rustyfit` (streaming: one message at a time).
//!
//! What is taken: `record` (timestamp, heart_rate, position, distance), `hrv` (RR intervals,
//! attached to the record before them), `event` (timer start and stop: the pauses),
//! `file_id` (the device), `session` (start) and the zones the device used: `time_in_zone`
//! for the session (its `hr_zone_high_boundary` and calc type), else `hr_zone` messages. When
//! `zones_target` names another method than `time_in_zone` used, that is noted: the watch
//! counted with `time_in_zone`'s boundaries. Invalid values (0xFF heart rate, 0x7FFFFFFF
//! positions) are left out, not read as numbers.

use std::io::BufRead;
use std::path::Path;

use embedded_io_adapters::std::FromStd;
use rustyfit::profile::{mesgdef, typedef};
use rustyfit::{Decoder, DecoderEvent, StreamingIterator};

use super::{
    Activity, DeviceZones, Format, ImportError, Position, Sample, Timeline, WatchTimeInZone,
    ZoneCalc,
};

/// Degrees per semicircle (2^31 semicircles = 180°).
const DEGREES_PER_SEMICIRCLE: f64 = 180.0 / 2_147_483_648.0;

/// Unix milliseconds of a FIT timestamp, if it is a real date (not seconds since power-on).
pub fn unix_ms(t: typedef::DateTime) -> Option<i64> {
    if t.0 < typedef::DateTime::MIN.0 {
        return None;
    }
    t.unix_timestamp().map(|s| s * 1000)
}

/// The FIT timestamp of Unix milliseconds (whole seconds, rounded down).
pub fn fit_time(unix_ms: i64) -> typedef::DateTime {
    typedef::DateTime::from_unix_timestamp(unix_ms.div_euclid(1000))
}

fn calc_name(c: typedef::HrZoneCalc) -> ZoneCalc {
    match c {
        typedef::HrZoneCalc::PERCENT_MAX_HR => ZoneCalc::PercentMaxHr,
        typedef::HrZoneCalc::PERCENT_HRR => ZoneCalc::PercentHrr,
        typedef::HrZoneCalc::PERCENT_LTHR => ZoneCalc::PercentLthr,
        typedef::HrZoneCalc::CUSTOM => ZoneCalc::Custom,
        _ => ZoneCalc::Unknown,
    }
}

/// Stored milliseconds as seconds (an invalid value as 0).
fn seconds(ms: &[u32]) -> Vec<f64> {
    ms.iter()
        .map(|&ms| {
            if ms == u32::MAX {
                0.0
            } else {
                f64::from(ms) / 1000.0
            }
        })
        .collect()
}

/// Adds `more` to `sum`, element by element.
fn add(sum: &mut [f64], more: &[f64]) {
    for (a, b) in sum.iter_mut().zip(more) {
        *a += b;
    }
}

/// Zones from a list of high boundaries (zone 0's top first), if it has at least five.
fn zones_from_highs(highs: &[u8], method: ZoneCalc, found_in: &str) -> Option<DeviceZones> {
    let valid: Vec<u16> = highs
        .iter()
        .filter(|&&b| b != u8::MAX && b > 0)
        .map(|&b| u16::from(b))
        .collect();
    if valid.len() < 5 || valid.windows(2).any(|w| w[0] >= w[1]) {
        return None;
    }
    let mut lower_bounds = [0u16; 5];
    lower_bounds.copy_from_slice(&valid[..5]);
    Some(DeviceZones {
        lower_bounds,
        top: valid.get(5).copied(),
        method,
        found_in: found_in.to_owned(),
        note: None,
    })
}

/// The sport a FIT `sport` value stands for; `None` for the invalid value (not stored).
pub fn sport_of(sport: typedef::Sport) -> Option<super::Sport> {
    use super::Sport;
    Some(match sport.0 {
        1 => Sport::Running,
        2 => Sport::Cycling,
        5 => Sport::Swimming,
        11 => Sport::Walking,
        17 => Sport::Hiking,
        0xFF => return None,
        _ => Sport::Other,
    })
}

/// Reads a FIT activity from `input`.
///
/// # Errors
/// A damaged file (bad checksum, cut short, not FIT) or one that is not an activity.
pub fn read(input: impl BufRead, path: &Path) -> Result<Activity, ImportError> {
    let corrupt = |what: String| ImportError::Corrupt {
        path: path.to_owned(),
        what,
    };
    let mut reader = FromStd::new(input);
    let mut decoder = Decoder::new();
    let mut stream = decoder.stream(&mut reader);
    let mut activity = Activity::new(Format::Fit);
    let mut timeline = Timeline::default();
    let mut zones_target: Option<typedef::HrZoneCalc> = None;
    let mut hr_zone_highs: Vec<(u16, u8)> = Vec::new();
    let mut session_tiz: Option<WatchTimeInZone> = None;
    let mut session_seconds: Option<Vec<f64>> = None;
    let mut sequences = 0;
    while let Some(event) = stream.next() {
        let event = event.map_err(|e| {
            corrupt(match e {
                rustyfit::DecoderError::ChecksumMismatch { .. } => {
                    "FIT checksum mismatch: the file is damaged (changed or cut after it was written)".to_owned()
                }
                rustyfit::DecoderError::UnexpectedEof => {
                    "FIT file cut short (it ends in the middle of a message): truncated".to_owned()
                }
                rustyfit::DecoderError::NotFITFile => "not a FIT file: bad header".to_owned(),
                other => format!("damaged FIT file: {other}"),
            })
        })?;
        let mesg = match event {
            DecoderEvent::Message(m) => m,
            DecoderEvent::Crc(_) => {
                sequences += 1;
                continue;
            }
            _ => continue,
        };
        if sequences > 0 {
            // A chained file: the activity is the first sequence.
            break;
        }
        match mesg.num {
            typedef::MesgNum::FILE_ID => {
                let id = mesgdef::FileId::from(mesg);
                if id.r#type != typedef::File::ACTIVITY && id.r#type != typedef::File(u8::MAX) {
                    return Err(ImportError::Unknown {
                        path: path.to_owned(),
                        what: format!(
                            "a FIT file, but not an activity (file type {}): nothing to replay",
                            id.r#type
                        ),
                    });
                }
                if id.manufacturer.0 != u16::MAX {
                    activity.device = Some(match id.product {
                        u16::MAX => id.manufacturer.to_string(),
                        p => format!("{} (product {p})", id.manufacturer),
                    });
                }
            }
            typedef::MesgNum::RECORD => {
                let r = mesgdef::Record::from(mesg);
                let Some(t) = unix_ms(r.timestamp) else {
                    continue;
                };
                let position =
                    (r.position_lat != i32::MAX && r.position_long != i32::MAX).then(|| Position {
                        lat: f64::from(r.position_lat) * DEGREES_PER_SEMICIRCLE,
                        lon: f64::from(r.position_long) * DEGREES_PER_SEMICIRCLE,
                    });
                timeline.points.push((
                    t,
                    Sample {
                        t_ms: 0,
                        bpm: (r.heart_rate != u8::MAX && r.heart_rate > 0)
                            .then_some(u16::from(r.heart_rate)),
                        rr: Vec::new(),
                        position,
                        distance_m: (r.distance != u32::MAX).then(|| f64::from(r.distance) / 100.0),
                    },
                ));
            }
            typedef::MesgNum::HRV => {
                let hrv = mesgdef::Hrv::from(mesg);
                if let Some((_, last)) = timeline.points.last_mut() {
                    // 1/1000 s in the file, 1/1024 s as a strap sends them.
                    last.rr.extend(
                        hrv.time
                            .iter()
                            .filter(|&&ms| ms != u16::MAX && ms > 0)
                            .map(|&ms| ((u32::from(ms) * 1024 + 500) / 1000).min(0xFFFF) as u16),
                    );
                }
            }
            typedef::MesgNum::EVENT => {
                let e = mesgdef::Event::from(mesg);
                let Some(t) = unix_ms(e.timestamp) else {
                    continue;
                };
                if e.event == typedef::Event::TIMER {
                    match e.event_type {
                        typedef::EventType::START => timeline.timer.push((t, false)),
                        typedef::EventType::STOP
                        | typedef::EventType::STOP_ALL
                        | typedef::EventType::STOP_DISABLE
                        | typedef::EventType::STOP_DISABLE_ALL => timeline.timer.push((t, true)),
                        _ => {}
                    }
                }
            }
            typedef::MesgNum::SESSION => {
                let s = mesgdef::Session::from(mesg);
                if activity.sport.is_none() {
                    activity.sport = sport_of(s.sport);
                }
                if let Some(t) = unix_ms(s.start_time) {
                    timeline.start = Some(timeline.start.map_or(t, |old: i64| old.min(t)));
                }
                if s.time_in_hr_zone.len() >= 6 {
                    let seconds = seconds(&s.time_in_hr_zone);
                    match &mut session_seconds {
                        Some(sum) => add(sum, &seconds),
                        None => session_seconds = Some(seconds),
                    }
                }
            }
            typedef::MesgNum::TIME_IN_ZONE => {
                let z = mesgdef::TimeInZone::from(mesg);
                if z.reference_mesg == typedef::MesgNum::SESSION
                    && let Some(zones) = zones_from_highs(
                        &z.hr_zone_high_boundary,
                        calc_name(z.hr_calc_type),
                        "time_in_zone (session)",
                    )
                {
                    // A multisport file has one per session: the run is all of them.
                    let seconds = seconds(&z.time_in_hr_zone);
                    match &mut session_tiz {
                        Some(w) if w.zones.lower_bounds == zones.lower_bounds => {
                            add(&mut w.seconds, &seconds);
                        }
                        Some(w) => {
                            w.zones.note = Some(
                                "the file's sessions used different zones: the watch's time in zone is the first session's".to_owned(),
                            );
                        }
                        None => session_tiz = Some(WatchTimeInZone { zones, seconds }),
                    }
                }
            }
            typedef::MesgNum::ZONES_TARGET => {
                let z = mesgdef::ZonesTarget::from(mesg);
                if z.hr_calc_type.0 != u8::MAX {
                    zones_target = Some(z.hr_calc_type);
                }
            }
            typedef::MesgNum::HR_ZONE => {
                let z = mesgdef::HrZone::from(mesg);
                if z.high_bpm != u8::MAX {
                    hr_zone_highs.push((z.message_index.0, z.high_bpm));
                }
            }
            _ => {}
        }
    }
    if sequences == 0 && timeline.points.is_empty() {
        return Err(corrupt(
            "FIT file cut short before its first record (no end checksum): truncated".to_owned(),
        ));
    }
    // The zones the watch counted with: time_in_zone's, else hr_zone messages.
    let mut zones = session_tiz.as_ref().map(|t| t.zones.clone());
    if zones.is_none() && !hr_zone_highs.is_empty() {
        hr_zone_highs.sort_by_key(|(i, _)| *i);
        let highs: Vec<u8> = hr_zone_highs.iter().map(|(_, b)| *b).collect();
        // hr_zone index 0 is the top of zone 0.
        zones = zones_from_highs(
            &highs,
            zones_target.map_or(ZoneCalc::Unknown, calc_name),
            "hr_zone",
        );
    }
    if let (Some(z), Some(target)) = (&mut zones, zones_target) {
        let target = calc_name(target);
        if z.found_in.starts_with("time_in_zone") && target != z.method {
            z.note = Some(format!(
                "zones_target says {target}, but the watch counted time in zone with {} boundaries: those are used",
                z.method
            ));
        }
    }
    if session_tiz.is_none()
        && let (Some(seconds), Some(z)) = (session_seconds, &zones)
    {
        session_tiz = Some(WatchTimeInZone {
            zones: z.clone(),
            seconds,
        });
    }
    activity.zones = zones;
    activity.watch_time_in_zone = session_tiz;
    timeline.into_activity(activity, path)
}

#[cfg(test)]
mod tests {
    use rustyfit::proto::Message;

    use super::*;

    const T0: u32 = 1_000_000_000;

    fn fit(extra: Vec<Message>) -> Result<Vec<u8>, String> {
        let mut id = mesgdef::FileId::new();
        id.r#type = typedef::File::ACTIVITY;
        id.manufacturer = typedef::Manufacturer::GARMIN;
        let mut messages = vec![Message::from(id)];
        for s in 0..10u32 {
            let mut r = mesgdef::Record::new();
            r.timestamp = typedef::DateTime(T0 + s * 4);
            r.heart_rate = 120 + s as u8;
            messages.push(Message::from(r));
        }
        messages.extend(extra);
        crate::export::fit::encode(messages).map_err(|e| e.to_string())
    }

    fn time_in_zone(calc: typedef::HrZoneCalc) -> Message {
        let mut z = mesgdef::TimeInZone::new();
        z.timestamp = typedef::DateTime(T0 + 40);
        z.reference_mesg = typedef::MesgNum::SESSION;
        z.reference_index = typedef::MessageIndex(0);
        z.hr_calc_type = calc;
        z.hr_zone_high_boundary = vec![96, 115, 134, 153, 172, 191].into();
        z.time_in_hr_zone = vec![0, 10_000, 26_000, 0, 0, 0, 0].into();
        Message::from(z)
    }

    fn zones_target(calc: typedef::HrZoneCalc) -> Message {
        let mut t = mesgdef::ZonesTarget::new();
        t.hr_calc_type = calc;
        t.max_heart_rate = 191;
        Message::from(t)
    }

    fn read_bytes(bytes: &[u8]) -> Result<Activity, ImportError> {
        read(bytes, Path::new("test.fit"))
    }

    #[test]
    fn the_zones_the_watch_counted_with_win_and_a_different_target_is_noted()
    -> Result<(), Box<dyn std::error::Error>> {
        let bytes = fit(vec![
            zones_target(typedef::HrZoneCalc::PERCENT_HRR),
            time_in_zone(typedef::HrZoneCalc::PERCENT_MAX_HR),
        ])?;
        let a = read_bytes(&bytes)?;
        let zones = a.zones.ok_or("zones")?;
        assert_eq!(zones.lower_bounds, [96, 115, 134, 153, 172]);
        assert_eq!(zones.top, Some(191));
        assert_eq!(zones.method, ZoneCalc::PercentMaxHr);
        assert_eq!(zones.found_in, "time_in_zone (session)");
        assert!(
            zones
                .note
                .is_some_and(|n| n.contains("zones_target says percent_hrr")),
        );
        let watch = a.watch_time_in_zone.ok_or("the watch's time in zone")?;
        assert_eq!(watch.seconds[..3], [0.0, 10.0, 26.0]);
        // Samples 4 s apart, from 0.
        assert_eq!(a.samples.len(), 10);
        assert_eq!(a.samples[9].t_ms, 36_000);
        assert_eq!(a.samples[9].bpm, Some(129));
        Ok(())
    }

    #[test]
    fn the_same_method_in_both_says_nothing_and_hr_zone_messages_are_the_fallback()
    -> Result<(), Box<dyn std::error::Error>> {
        let bytes = fit(vec![
            zones_target(typedef::HrZoneCalc::PERCENT_MAX_HR),
            time_in_zone(typedef::HrZoneCalc::PERCENT_MAX_HR),
        ])?;
        assert_eq!(read_bytes(&bytes)?.zones.and_then(|z| z.note), None);
        let mut highs = Vec::new();
        for (i, high) in [100u8, 120, 140, 160, 180, 200].into_iter().enumerate() {
            let mut z = mesgdef::HrZone::new();
            z.message_index = typedef::MessageIndex(i as u16);
            z.high_bpm = high;
            highs.push(Message::from(z));
        }
        highs.push(zones_target(typedef::HrZoneCalc::PERCENT_HRR));
        let a = read_bytes(&fit(highs)?)?;
        let zones = a.zones.ok_or("zones")?;
        assert_eq!(zones.lower_bounds, [100, 120, 140, 160, 180]);
        assert_eq!(
            (zones.found_in.as_str(), zones.method.as_str()),
            ("hr_zone", "percent_hrr")
        );
        assert_eq!(a.watch_time_in_zone, None);
        Ok(())
    }

    #[test]
    fn a_multisport_file_adds_up_the_time_in_zone_of_its_sessions()
    -> Result<(), Box<dyn std::error::Error>> {
        let a = read_bytes(&fit(vec![
            time_in_zone(typedef::HrZoneCalc::PERCENT_MAX_HR),
            time_in_zone(typedef::HrZoneCalc::PERCENT_MAX_HR),
        ])?)?;
        let watch = a.watch_time_in_zone.ok_or("the watch's time in zone")?;
        assert_eq!(watch.seconds[..3], [0.0, 20.0, 52.0]);
        assert_eq!(watch.zones.note, None);
        Ok(())
    }

    #[test]
    fn no_zones_stored_is_none_and_not_an_activity_is_refused()
    -> Result<(), Box<dyn std::error::Error>> {
        assert_eq!(read_bytes(&fit(Vec::new())?)?.zones, None);
        let mut id = mesgdef::FileId::new();
        id.r#type = typedef::File::COURSE;
        let course = crate::export::fit::encode(vec![Message::from(id)])?;
        let err = read_bytes(&course)
            .err()
            .ok_or("a course is not an activity")?;
        assert!(err.to_string().contains("not an activity"), "{err}");
        Ok(())
    }
}

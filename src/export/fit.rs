//! FIT activity, written with `rustyfit` (which computes the header and data checksums).
//!
//! Messages in the order Garmin's activity-file guide gives: `file_id` (type activity,
//! manufacturer development), `device_info` (hrcoach as the creator), a timer start `event`,
//! then in time order a `record` per reading (heart rate only when it is one: a missing heart
//! rate is left out, never written as the invalid 0xFF that Strava shows as 255 bpm; position
//! and distance when known), its RR intervals as `hrv`, timer stop/start events at pauses, and
//! each alert as an `hr_high_alert` event whose `data` is the cap (`over_cap`: start,
//! `back_under`: stop, a reminder or a creep warning: marker); then a timer stop, one `lap`,
//! one `session` and the `activity`.

use std::io::Cursor;
use std::time::Duration;

use embedded_io_adapters::std::FromStd;
use rustyfit::Encoder;
use rustyfit::profile::{mesgdef, typedef};
use rustyfit::proto::{FIT, Message};

use super::Run;
use crate::activity::fit::fit_time;
use crate::coach::alerts::AlertKind;

/// Semicircles per degree.
const SEMICIRCLES_PER_DEGREE: f64 = 2_147_483_648.0 / 180.0;

/// Why a FIT file could not be made.
#[derive(Debug, thiserror::Error)]
#[error("cannot encode the FIT file: {0}")]
pub struct EncodeError(String);

fn event(
    at: typedef::DateTime,
    kind: typedef::Event,
    ty: typedef::EventType,
    data: u32,
) -> Message {
    let mut e = mesgdef::Event::new();
    e.timestamp = at;
    e.event = kind;
    e.event_type = ty;
    e.data = data;
    e.event_group = 0;
    Message::from(e)
}

fn ms_u32(d: Duration) -> u32 {
    u32::try_from(d.as_millis()).unwrap_or(u32::MAX - 1)
}

/// The run as FIT bytes.
///
/// # Errors
/// What the encoder refuses (a value out of its field's range).
pub fn write(run: &Run) -> Result<Vec<u8>, EncodeError> {
    // A recording without a start is dated at the earliest real FIT date (FIT cannot say 1970).
    let earliest = typedef::DateTime::MIN.unix_timestamp().unwrap_or(0) * 1000;
    let start_ms = run.start_or_epoch().max(earliest);
    // FIT times are whole seconds: to the nearest, so readings 1.007 s and 1.984 s into a run
    // do not share a second.
    let at = |d: Duration| fit_time(start_ms + 500 + i64::try_from(d.as_millis()).unwrap_or(0));
    let start = at(Duration::ZERO);
    let end = at(run.duration);
    let mut messages = Vec::new();

    let mut id = mesgdef::FileId::new();
    id.r#type = typedef::File::ACTIVITY;
    id.manufacturer = typedef::Manufacturer::DEVELOPMENT;
    id.product = 1;
    id.serial_number = 1;
    id.time_created = start;
    messages.push(Message::from(id));

    let mut device = mesgdef::DeviceInfo::new();
    device.timestamp = start;
    device.device_index = typedef::DeviceIndex(0);
    device.manufacturer = typedef::Manufacturer::DEVELOPMENT;
    device.product = 1;
    device.serial_number = 1;
    device.software_version = 100;
    device.product_name = "hrcoach".into();
    messages.push(Message::from(device));

    messages.push(event(
        start,
        typedef::Event::TIMER,
        typedef::EventType::START,
        0,
    ));

    let mut alerts = run.alerts.iter().peekable();
    let mut pauses = run.pauses.iter().peekable();
    for s in &run.samples {
        while let Some(&&(from, to)) = pauses.peek() {
            if from > s.at {
                break;
            }
            messages.push(event(
                at(from),
                typedef::Event::TIMER,
                typedef::EventType::STOP_ALL,
                0,
            ));
            messages.push(event(
                at(to),
                typedef::Event::TIMER,
                typedef::EventType::START,
                0,
            ));
            pauses.next();
        }
        let mut r = mesgdef::Record::new();
        r.timestamp = at(s.at);
        if let Some(hr) = s.heart_rate() {
            r.heart_rate = hr;
        }
        if let Some(p) = s.position {
            r.position_lat = (p.lat * SEMICIRCLES_PER_DEGREE).round() as i32;
            r.position_long = (p.lon * SEMICIRCLES_PER_DEGREE).round() as i32;
        }
        if let Some(d) = s.distance_m {
            r.distance = (d * 100.0).round() as u32;
        }
        messages.push(Message::from(r));
        if !s.rr.is_empty() {
            let mut hrv = mesgdef::Hrv::new();
            // 1/1024 s as the strap sent them, 1/1000 s in FIT.
            hrv.time =
                s.rr.iter()
                    .map(|&u| ((u32::from(u) * 1000 + 512) / 1024).min(65_534) as u16)
                    .collect();
            messages.push(Message::from(hrv));
        }
        while let Some(a) = alerts.next_if(|a| a.at <= s.at) {
            let ty = match a.kind {
                AlertKind::OverCap | AlertKind::Walk => typedef::EventType::START,
                AlertKind::BackUnder | AlertKind::Run => typedef::EventType::STOP,
                AlertKind::Reminder
                | AlertKind::Creep
                | AlertKind::TimeUp
                | AlertKind::Halfway
                | AlertKind::Stop => typedef::EventType::MARKER,
            };
            messages.push(event(
                at(a.at),
                typedef::Event::HR_HIGH_ALERT,
                ty,
                u32::from(a.cap_bpm),
            ));
        }
    }
    messages.push(event(
        end,
        typedef::Event::TIMER,
        typedef::EventType::STOP_ALL,
        0,
    ));

    let stats = run.heart_rate_stats();
    let distance = run
        .samples
        .iter()
        .filter_map(|s| s.distance_m)
        .fold(None, |m: Option<f64>, d| Some(m.map_or(d, |m| m.max(d))));
    let mut lap = mesgdef::Lap::new();
    lap.message_index = typedef::MessageIndex(0);
    lap.timestamp = end;
    lap.start_time = start;
    lap.event = typedef::Event::LAP;
    lap.event_type = typedef::EventType::STOP;
    lap.total_elapsed_time = ms_u32(run.duration);
    lap.total_timer_time = ms_u32(run.timer_time());
    lap.lap_trigger = typedef::LapTrigger::SESSION_END;
    lap.sport = fit_sport(run.sport);
    if let Some(d) = distance {
        lap.total_distance = (d * 100.0).round() as u32;
    }
    if let Some((mean, max)) = stats {
        lap.avg_heart_rate = mean;
        lap.max_heart_rate = max;
    }
    messages.push(Message::from(lap));

    let mut session = mesgdef::Session::new();
    session.message_index = typedef::MessageIndex(0);
    session.timestamp = end;
    session.start_time = start;
    session.event = typedef::Event::SESSION;
    session.event_type = typedef::EventType::STOP;
    session.sport = fit_sport(run.sport);
    session.total_elapsed_time = ms_u32(run.duration);
    session.total_timer_time = ms_u32(run.timer_time());
    session.first_lap_index = 0;
    session.num_laps = 1;
    session.trigger = typedef::SessionTrigger::ACTIVITY_END;
    if let Some(d) = distance {
        session.total_distance = (d * 100.0).round() as u32;
    }
    if let Some((mean, max)) = stats {
        session.avg_heart_rate = mean;
        session.max_heart_rate = max;
    }
    messages.push(Message::from(session));

    let mut activity = mesgdef::Activity::new();
    activity.timestamp = end;
    activity.total_timer_time = ms_u32(run.timer_time());
    activity.num_sessions = 1;
    activity.r#type = typedef::Activity::MANUAL;
    activity.event = typedef::Event::ACTIVITY;
    activity.event_type = typedef::EventType::STOP;
    activity.local_timestamp = typedef::LocalDateTime(end.0);
    messages.push(Message::from(activity));
    encode(messages)
}

/// Encodes `messages`, in order, as a FIT file: header, definitions, data and CRC.
///
/// # Errors
/// When rustyfit refuses a message.
pub(crate) fn encode(messages: Vec<Message>) -> Result<Vec<u8>, EncodeError> {
    let mut fit = FIT {
        messages,
        ..FIT::default()
    };
    let mut out = FromStd::new(Cursor::new(Vec::new()));
    Encoder::new()
        .encode(&mut out, &mut fit)
        .map_err(|e| EncodeError(format!("{e:?}")))?;
    Ok(out.into_inner().into_inner())
}

/// The FIT `sport` value for a sport (the reader's `sport_of`, backwards).
fn fit_sport(sport: crate::activity::Sport) -> typedef::Sport {
    use crate::activity::Sport;
    match sport {
        Sport::Running => typedef::Sport::RUNNING,
        Sport::Cycling => typedef::Sport::CYCLING,
        Sport::Swimming => typedef::Sport::SWIMMING,
        Sport::Walking => typedef::Sport::WALKING,
        Sport::Hiking => typedef::Sport::HIKING,
        Sport::Other => typedef::Sport::GENERIC,
    }
}

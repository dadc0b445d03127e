//! A strap as a [`Source`]: connect, subscribe, and never give up on a dropped link.
//!
//! A background task owns the btleplug peripheral and feeds events into a channel; the session
//! loop reads the channel like any other source. That task is the one real piece of
//! concurrency in hrcoach, and the reason for the channel (see `session.rs`).
//!
//! The task is a thin loop over [`LinkPolicy`] (`source/link.rs`), which decides, without I/O,
//! when the link counts as lost, how long to wait for notifications still in flight, when to
//! try again and when to scan. The task only does what it says. What btleplug 0.13 does on
//! Linux when the link drops (observed), and so what the policy is fed: the only signal is
//! `CentralEvent::DeviceDisconnected`; the notification stream does not end, it goes quiet;
//! when BlueZ itself goes away nothing is emitted at all (hence the policy's watchdog); and
//! BlueZ forgets an unpaired strap some time after it disconnects (hence the scan). Link-lost
//! and link-restored events go into the stream, so the display, the coach (which holds alerts
//! and does not count the gap) and the recording all see them.

use std::time::Duration;

use btleplug::api::{Central, CentralEvent, Characteristic, Peripheral as _};
use btleplug::platform::{Adapter, Peripheral};
use futures::StreamExt;
use tokio::sync::mpsc;
use tokio::time::Instant;

use super::ble::{BATTERY_LEVEL, BODY_SENSOR_LOCATION, BleError, HEART_RATE_MEASUREMENT, Step};
use super::link::{Action, LinkPolicy};
use super::{Source, SourceError, SourceItem};
use crate::event::{Event, EventKind};

/// btleplug's stream of notifications.
type Notifications =
    std::pin::Pin<Box<dyn futures::Stream<Item = btleplug::api::ValueNotification> + Send>>;

use super::link::{CALL_TIMEOUT, CONNECT_TIMEOUT};
pub use super::link::{MAX_BACKOFF, WATCHDOG};
use super::radio::Radio;

/// Live notifications from one strap.
pub struct Live {
    rx: mpsc::Receiver<Event>,
    end: Option<Instant>,
    task: tokio::task::JoinHandle<()>,
    peripheral: Peripheral,
    sensor_location: Option<&'static str>,
}

impl Live {
    /// Connects to `peripheral` and streams until `duration` (if any) has passed.
    ///
    /// # Errors
    /// [`BleError`] if the first connection or subscription fails; later drops are retried.
    pub async fn start(
        radio: Radio,
        peripheral: Peripheral,
        duration: Option<Duration>,
    ) -> Result<Self, BleError> {
        let start = Instant::now();
        // Disconnect events from before the first subscription on: one that came between the
        // subscription and the task would be missed (only the watchdog would notice).
        let disconnects = disconnect_events(radio.adapter(), &peripheral).await;
        let connecting = |e| BleError::during(Step::Connect, e);
        if !peripheral.is_connected().await.map_err(connecting)? {
            peripheral.connect().await.map_err(connecting)?;
        }
        // The stream first, then the subscription: nothing sent in between is lost. It lives
        // for the whole run; btleplug keeps it across reconnections (it goes quiet, it does
        // not end).
        let notifications = peripheral
            .notifications()
            .await
            .map_err(|e| BleError::during(Step::Subscribe, e))?;
        let characteristic = connect_and_subscribe(&peripheral).await?;
        let (tx, rx) = mpsc::channel(256);
        let battery = read_battery(&peripheral).await;
        let sensor_location = read_sensor_location(&peripheral).await;
        if let Some(b) = battery {
            let _ = tx.try_send(Event {
                at: Duration::ZERO,
                kind: EventKind::Battery(b),
            });
        }
        let task = tokio::spawn(link_task(
            radio,
            peripheral.clone(),
            characteristic,
            Streams {
                notifications,
                disconnects,
            },
            tx,
            start,
        ));
        Ok(Live {
            rx,
            end: duration.map(|d| start + d),
            task,
            peripheral,
            sensor_location,
        })
    }

    /// Where the strap says it sits (Body Sensor Location, 0x2A38), when it says.
    pub fn sensor_location(&self) -> Option<&'static str> {
        self.sensor_location
    }

    /// Disconnects a strap whose connection was abandoned half way (Ctrl-C during
    /// [`Live::start`]), within [`CALL_TIMEOUT`], so it is not left connected to nobody.
    pub async fn abandon(peripheral: &Peripheral) {
        let _ = bounded(CALL_TIMEOUT, peripheral.disconnect()).await;
    }

    /// Stops streaming: unsubscribe (a second unsubscribe answers "Not notifying": ignored),
    /// disconnect. Writes nothing to the strap but the notification switch.
    pub async fn close(self) {
        self.task.abort();
        for c in self.peripheral.characteristics() {
            if c.uuid == HEART_RATE_MEASUREMENT {
                let _ = self.peripheral.unsubscribe(&c).await;
            }
        }
        let _ = self.peripheral.disconnect().await;
    }
}

impl Source for Live {
    async fn next(&mut self) -> Result<Option<SourceItem>, SourceError> {
        let event = match self.end {
            Some(end) => tokio::select! {
                // Events already received come first, even at the deadline: they happened
                // during the run and belong in its recording.
                biased;
                e = self.rx.recv() => e,
                () = tokio::time::sleep_until(end) => self.rx.try_recv().ok(),
            },
            None => self.rx.recv().await,
        };
        Ok(event.map(SourceItem::Event))
    }
}

async fn connect_and_subscribe(p: &Peripheral) -> Result<Characteristic, BleError> {
    let connecting = |e| BleError::during(Step::Connect, e);
    if !p.is_connected().await.map_err(connecting)? {
        p.connect().await.map_err(connecting)?;
    }
    p.discover_services().await.map_err(connecting)?;
    let c = p
        .characteristics()
        .into_iter()
        .find(|c| c.uuid == HEART_RATE_MEASUREMENT)
        .ok_or_else(|| {
            BleError::Other(
                "this device has no Heart Rate Measurement characteristic (0x2A37)".to_owned(),
            )
        })?;
    p.subscribe(&c)
        .await
        .map_err(|e| BleError::during(Step::Subscribe, e))?;
    Ok(c)
}

/// Body Sensor Location (0x2A38) in words, per the Heart Rate Service spec.
async fn read_sensor_location(p: &Peripheral) -> Option<&'static str> {
    let v = read_characteristic(p, BODY_SENSOR_LOCATION).await?;
    Some(match v.first()? {
        0 => "other",
        1 => "chest",
        2 => "wrist",
        3 => "finger",
        4 => "hand",
        5 => "ear lobe",
        6 => "foot",
        _ => "unknown",
    })
}

/// Battery Level (0x2A19), percent.
async fn read_battery(p: &Peripheral) -> Option<u8> {
    read_characteristic(p, BATTERY_LEVEL)
        .await?
        .first()
        .copied()
}

/// Reads the characteristic `uuid`, if the strap has it and answers within [`CALL_TIMEOUT`].
async fn read_characteristic(p: &Peripheral, uuid: uuid::Uuid) -> Option<Vec<u8>> {
    let c = p.characteristics().into_iter().find(|c| c.uuid == uuid)?;
    bounded(CALL_TIMEOUT, p.read(&c)).await
}

/// BlueZ's disconnect events for one strap.
type Disconnects = std::pin::Pin<Box<dyn futures::Stream<Item = ()> + Send>>;

/// BlueZ's disconnect events for `p`, as one stream for the whole run. It must outlive each
/// `select!` of the task: a future that took an event off the adapter's stream and was then
/// dropped because a notification won the race would lose it, and only the watchdog would
/// notice the drop. `next()` on a stream that lives on is cancel-safe. Without one (BlueZ did
/// not give it), the watchdog is what notices a drop.
async fn disconnect_events(adapter: &Adapter, p: &Peripheral) -> Disconnects {
    let id = p.id();
    match adapter.events().await {
        Ok(events) => Box::pin(events.filter_map(move |e| {
            let ours = matches!(e, CentralEvent::DeviceDisconnected(ref d) if *d == id);
            std::future::ready(ours.then_some(()))
        })),
        Err(_) => Box::pin(futures::stream::pending()),
    }
}

/// The two streams the task listens to for the whole run.
struct Streams {
    notifications: Notifications,
    disconnects: Disconnects,
}

/// The connection task: a thin loop over [`LinkPolicy`]. It waits for whichever comes first, a
/// notification, a disconnect event or the policy's deadline, feeds it to the policy, and
/// carries out the actions it returns. It ends when the session stops listening.
async fn link_task(
    radio: Radio,
    p: Peripheral,
    c: Characteristic,
    streams: Streams,
    tx: mpsc::Sender<Event>,
    start: Instant,
) {
    let Streams {
        mut notifications,
        mut disconnects,
    } = streams;
    let _ = c;
    // Whole milliseconds, as the recording keeps them, so that a replay of the recording
    // computes exactly what the live run did.
    let now = || Duration::from_millis(start.elapsed().as_millis() as u64);
    let stamp = |at, kind| Event { at, kind };
    let mut policy = LinkPolicy::new(now());
    let scan_user = radio.user();
    loop {
        let deadline = policy.deadline().map(|d| start + d);
        let mut value = None;
        let mut actions = tokio::select! {
            // Notifications first: one that arrived with the disconnect is still data.
            biased;
            n = notifications.next() => match n {
                Some(n) if n.uuid == HEART_RATE_MEASUREMENT => {
                    value = Some(n.value);
                    policy.on_notification(now())
                }
                Some(_) => Vec::new(),
                // The stream ended after all: take a new one, or count the link as lost.
                None => match bounded(CALL_TIMEOUT, p.notifications()).await {
                    Some(fresh) => {
                        notifications = fresh;
                        Vec::new()
                    }
                    None => policy.on_stream_lost(now()),
                },
            },
            Some(()) = disconnects.next() => {
                let still_connected = bounded(CALL_TIMEOUT, p.is_connected()).await == Some(true);
                tracing::debug!(at = ?now(), still_connected, "link: BlueZ says disconnected");
                policy.on_disconnect_event(now(), still_connected)
            }
            () = sleep_until_or_forever(deadline) => {
                tracing::trace!(at = ?now(), "link: deadline");
                policy.on_tick(now())
            }
        };
        // Carry out the actions; a connection attempt's result brings more.
        while !actions.is_empty() {
            let mut next = Vec::new();
            for action in actions {
                tracing::debug!(at = ?now(), ?action, "link");
                let event = match action {
                    Action::Forward => value.take().map(EventKind::Notification),
                    Action::DeclareLost => Some(EventKind::LinkLost),
                    Action::DeclareRestored => Some(EventKind::LinkRestored),
                    Action::ReadBattery => read_battery(&p).await.map(EventKind::Battery),
                    Action::Disconnect => {
                        let _ = bounded(CALL_TIMEOUT, p.disconnect()).await;
                        None
                    }
                    Action::StartScan => {
                        // Shared with every other user of the adapter; a failure is retried
                        // by the policy's next attempt.
                        let _ = radio.want_scan(scan_user, CALL_TIMEOUT).await;
                        None
                    }
                    Action::StopScan => {
                        radio.release_scan(scan_user, CALL_TIMEOUT).await;
                        None
                    }
                    Action::Connect => {
                        let attempt = connect_and_subscribe(&p);
                        let connected = matches!(
                            tokio::time::timeout(CONNECT_TIMEOUT, attempt).await,
                            Ok(Ok(_))
                        );
                        tracing::debug!(at = ?now(), connected, "link: attempt ended");
                        next.extend(policy.on_connect_result(now(), connected));
                        None
                    }
                };
                if let Some(kind) = event
                    && tx.send(stamp(now(), kind)).await.is_err()
                {
                    return; // the session is over
                }
            }
            actions = next;
        }
    }
}

/// A BlueZ call that must not stall the link task: its value, or `None` if it failed or had
/// no answer within `limit`. A BlueZ that hangs (or, on a bus that drops calls to a name
/// nobody owns, one that is restarting) would otherwise hold the task for the 30 s of
/// bluez-async's own timeout, notifications and reconnection with it.
async fn bounded<T>(
    limit: Duration,
    call: impl std::future::Future<Output = btleplug::Result<T>>,
) -> Option<T> {
    tokio::time::timeout(limit, call).await.ok()?.ok()
}

/// Sleeps until `deadline`, or forever without one.
async fn sleep_until_or_forever(deadline: Option<Instant>) {
    match deadline {
        Some(d) => tokio::time::sleep_until(d).await,
        None => std::future::pending().await,
    }
}

//! The link policy: when a strap's link is lost, when to try again, and what to tell the
//! session. A small state machine without I/O, in the style of quinn-proto: the btleplug task
//! in [`super::live`] feeds it what happened (a notification, a disconnect event, the result of
//! a connection attempt, the passing of time) and carries out the [`Action`]s it returns. Time
//! is passed in, as time since the run started; nothing here reads a clock, sleeps or awaits,
//! so every order of events, the races included, is a plain unit test.
//!
//! ```text
//!            notification (Forward)              loss: BlueZ's disconnect event, or
//!          ┌──────────┐                          WATCHDOG without a notification
//!          ▼          │
//!      Streaming ─────┴──────────────────────────────────────▶ Draining ──┐ notification:
//!          ▲                                                      │  ◀───┘ Forward, wait again
//!          │ connected: StopScan?, DeclareRestored, ReadBattery    │ DRAIN_GRACE without one:
//!          │                                                       ▼ DeclareLost, Disconnect, Connect
//!          └───────────────────────────────────────────────── Reconnecting ──┐ failed: StartScan,
//!                                                                  ▲ Connect  │ back off 250 ms .. 2 s
//!                                                                  └──────────┘
//! ```
//!
//! Why each rule: docs/hardware.md ("When the link drops") and docs/reliability.md.

use std::time::Duration;

/// No notification for this long means the link is gone, whatever BlueZ says. Straps notify
/// once a second; three missed notifications is not a hiccup.
pub const WATCHDOG: Duration = Duration::from_secs(3);

/// How long to wait for notifications still in flight once the link is known to be lost: the
/// disconnect and the last notifications come through different streams, in no guaranteed
/// order, and whatever the strap sent before the link went counts.
pub const DRAIN_GRACE: Duration = Duration::from_millis(300);

/// The wait after the first failed reconnection attempt; it doubles up to [`MAX_BACKOFF`].
pub const FIRST_BACKOFF: Duration = Duration::from_millis(250);

/// Longest wait between two reconnection attempts. Short, so that data flows again within a
/// few seconds of the strap coming back in range.
pub const MAX_BACKOFF: Duration = Duration::from_secs(2);

/// How long the task waits for a BlueZ call that should answer at once (disconnect, scan, a
/// property) before it goes on without the answer. BlueZ answers these in milliseconds; one
/// that hangs must not stall the loop that watches the link.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(2);

/// How long a reconnection attempt (connect, find the services, subscribe) may take before it
/// counts as failed and the back-off goes on. A strap in range connects in 1-3 s; bluez-async
/// would wait 30 s for each of connect and service discovery.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// What the task must do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Pass the notification that was just fed in on to the session.
    Forward,
    /// Tell the session the link is lost.
    DeclareLost,
    /// Drop what is left of the old connection.
    Disconnect,
    /// Try to connect and subscribe again, then feed the result to
    /// [`LinkPolicy::on_connect_result`].
    Connect,
    /// Make sure a scan for the strap (Heart Rate service) is on: BlueZ forgets an unpaired
    /// device some time after it disconnects, and re-creates it only when a scan sees it
    /// advertise. Asked for after every failed attempt, not once: a BlueZ that restarted (or
    /// was down when the scan was asked for) has no scan on, and BlueZ answers "in progress"
    /// to a client whose scan already is, which the task may ignore.
    StartScan,
    /// Stop the scan started while reconnecting.
    StopScan,
    /// Tell the session the link is back.
    DeclareRestored,
    /// Read the battery level again (it is worth knowing after a drop).
    ReadBattery,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Connected; the link counts as lost if nothing comes by `deadline`.
    Streaming { deadline: Duration },
    /// Lost; forwarding stragglers until `until` passes without one.
    Draining { until: Duration },
    /// Trying to connect again.
    Reconnecting {
        /// When to try next (ignored while an attempt is under way).
        next_attempt: Duration,
        /// The wait after the next failure.
        backoff: Duration,
        /// Whether a scan was asked for.
        scanning: bool,
        /// Whether an attempt is under way (its result not yet fed in).
        attempting: bool,
    },
}

/// The link policy of one live run. See the module docs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkPolicy {
    state: State,
}

impl LinkPolicy {
    /// A policy for a strap that is connected and subscribed at `now`.
    pub fn new(now: Duration) -> Self {
        LinkPolicy {
            state: State::Streaming {
                deadline: now + WATCHDOG,
            },
        }
    }

    /// When [`LinkPolicy::on_tick`] must next be called, if ever: the watchdog, the end of
    /// the drain, or the next reconnection attempt.
    pub fn deadline(&self) -> Option<Duration> {
        match self.state {
            State::Streaming { deadline } => Some(deadline),
            State::Draining { until } => Some(until),
            State::Reconnecting {
                next_attempt,
                attempting: false,
                ..
            } => Some(next_attempt),
            State::Reconnecting { .. } => None,
        }
    }

    /// Whether the link counts as up (streaming).
    pub fn is_streaming(&self) -> bool {
        matches!(self.state, State::Streaming { .. })
    }

    /// A notification arrived at `now`. It is always forwarded: whenever it comes, the strap
    /// sent it, and a recording keeps everything the strap sent.
    pub fn on_notification(&mut self, now: Duration) -> Vec<Action> {
        match &mut self.state {
            State::Streaming { deadline } => *deadline = now + WATCHDOG,
            // A straggler: wait for the next one as long again.
            State::Draining { until } => *until = now + DRAIN_GRACE,
            State::Reconnecting { .. } => {}
        }
        vec![Action::Forward]
    }

    /// BlueZ reported that the strap disconnected; `still_connected` is what the device says
    /// now. The adapter's event stream also carries the events of our own disconnects and
    /// reconnects, so only one that is still true, while streaming, means a loss.
    pub fn on_disconnect_event(&mut self, now: Duration, still_connected: bool) -> Vec<Action> {
        if self.is_streaming() && !still_connected {
            self.state = State::Draining {
                until: now + DRAIN_GRACE,
            };
        }
        Vec::new()
    }

    /// The notification stream ended for good (a new one could not be had): a loss.
    pub fn on_stream_lost(&mut self, now: Duration) -> Vec<Action> {
        if self.is_streaming() {
            self.state = State::Draining {
                until: now + DRAIN_GRACE,
            };
        }
        Vec::new()
    }

    /// Time has reached `now` (at or after [`LinkPolicy::deadline`], or earlier: then nothing
    /// is due).
    pub fn on_tick(&mut self, now: Duration) -> Vec<Action> {
        match &mut self.state {
            State::Streaming { deadline } if now >= *deadline => {
                // The watchdog: silence with no word from BlueZ (it may have gone away).
                self.state = State::Draining {
                    until: now + DRAIN_GRACE,
                };
                Vec::new()
            }
            State::Draining { until } if now >= *until => {
                self.state = State::Reconnecting {
                    next_attempt: now,
                    backoff: FIRST_BACKOFF,
                    scanning: false,
                    attempting: true,
                };
                vec![Action::DeclareLost, Action::Disconnect, Action::Connect]
            }
            State::Reconnecting {
                next_attempt,
                attempting,
                ..
            } if !*attempting && now >= *next_attempt => {
                *attempting = true;
                vec![Action::Connect]
            }
            _ => Vec::new(),
        }
    }

    /// The attempt asked for by [`Action::Connect`] ended at `now`: connected and subscribed,
    /// or not.
    pub fn on_connect_result(&mut self, now: Duration, connected: bool) -> Vec<Action> {
        let State::Reconnecting {
            next_attempt,
            backoff,
            scanning,
            attempting,
        } = &mut self.state
        else {
            return Vec::new();
        };
        if connected {
            let mut actions = Vec::new();
            if *scanning {
                actions.push(Action::StopScan);
            }
            actions.extend([Action::DeclareRestored, Action::ReadBattery]);
            self.state = State::Streaming {
                deadline: now + WATCHDOG,
            };
            return actions;
        }
        *attempting = false;
        *next_attempt = now + *backoff;
        *backoff = (*backoff * 2).min(MAX_BACKOFF);
        *scanning = true;
        vec![Action::StartScan]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Action::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn notifications_keep_the_link_up_and_are_forwarded() {
        let mut p = LinkPolicy::new(ms(0));
        for t in (1000..10_000).step_by(1000) {
            assert_eq!(p.on_notification(ms(t)), [Forward]);
            assert!(p.on_tick(ms(t + 999)).is_empty());
        }
        assert_eq!(p.deadline(), Some(ms(9000) + WATCHDOG));
        assert!(p.is_streaming());
    }

    #[test]
    fn a_disconnect_drains_then_declares_the_loss_and_reconnects() {
        let mut p = LinkPolicy::new(ms(0));
        p.on_notification(ms(1000));
        assert!(p.on_disconnect_event(ms(1500), false).is_empty());
        assert_eq!(p.deadline(), Some(ms(1800)));
        // The disconnect and the data come on different streams: a notification after the
        // disconnect event is still the strap's, and extends the drain.
        assert_eq!(p.on_notification(ms(1600)), [Forward]);
        assert!(p.on_tick(ms(1800)).is_empty());
        assert_eq!(
            p.on_tick(ms(1900)),
            [DeclareLost, Disconnect, Connect],
            "300 ms after the last straggler"
        );
        assert_eq!(p.deadline(), None, "waiting on the attempt");
    }

    #[test]
    fn a_stale_disconnect_event_is_ignored() {
        // Our own disconnects and reconnects come back through the adapter's events.
        let mut p = LinkPolicy::new(ms(0));
        assert!(p.on_disconnect_event(ms(500), true).is_empty());
        assert!(p.is_streaming());
        // And one that arrives while already reconnecting changes nothing.
        p.on_tick(ms(3000));
        p.on_tick(ms(3300));
        let before = p.clone();
        p.on_disconnect_event(ms(3400), false);
        assert_eq!(p, before);
    }

    #[test]
    fn silence_is_a_loss_after_the_watchdog_and_not_before() {
        let mut p = LinkPolicy::new(ms(0));
        p.on_notification(ms(1000));
        assert!(p.on_tick(ms(3999)).is_empty());
        assert!(p.is_streaming());
        assert!(p.on_tick(ms(4000)).is_empty(), "draining first");
        assert_eq!(p.on_tick(ms(4300)), [DeclareLost, Disconnect, Connect]);
    }

    #[test]
    fn a_notification_at_the_deadline_still_counts_as_data() {
        // Both are due at 4000 ms: the notification is fed first and keeps the link.
        let mut p = LinkPolicy::new(ms(0));
        p.on_notification(ms(1000));
        assert_eq!(p.on_notification(ms(4000)), [Forward]);
        assert!(p.on_tick(ms(4000)).is_empty());
        assert!(p.is_streaming());
    }

    #[test]
    fn failed_attempts_keep_a_scan_on_and_back_off_to_two_seconds() {
        let mut p = LinkPolicy::new(ms(0));
        p.on_tick(ms(3000));
        p.on_tick(ms(3300));
        let mut now = 3300;
        let mut waits = Vec::new();
        for i in 0..6 {
            let actions = p.on_connect_result(ms(now), false);
            // Every failure asks for the scan again: BlueZ may have restarted since.
            assert_eq!(actions, [StartScan], "attempt {i}");
            // After a failure there is always a next attempt to wait for.
            let deadline = p.deadline();
            assert!(deadline.is_some(), "no next attempt after a failure");
            let next = deadline.unwrap_or_default().as_millis() as u64;
            waits.push(next - now);
            assert!(p.on_tick(ms(next - 1)).is_empty());
            assert_eq!(p.on_tick(ms(next)), [Connect]);
            now = next + 40; // the attempt itself takes a moment
        }
        assert_eq!(waits, [250, 500, 1000, 2000, 2000, 2000]);
        assert_eq!(
            p.on_connect_result(ms(now), true),
            [StopScan, DeclareRestored, ReadBattery]
        );
        assert!(p.is_streaming());
        assert_eq!(p.deadline(), Some(ms(now) + WATCHDOG));
    }

    #[test]
    fn a_first_attempt_that_works_needs_no_scan() {
        let mut p = LinkPolicy::new(ms(0));
        p.on_stream_lost(ms(100));
        assert_eq!(p.on_tick(ms(400)), [DeclareLost, Disconnect, Connect]);
        assert_eq!(
            p.on_connect_result(ms(450), true),
            [DeclareRestored, ReadBattery]
        );
    }

    #[test]
    fn results_and_ticks_out_of_turn_change_nothing() {
        let mut p = LinkPolicy::new(ms(0));
        let before = p.clone();
        assert!(p.on_connect_result(ms(10), true).is_empty());
        assert!(p.on_tick(ms(20)).is_empty());
        assert_eq!(p, before);
        // While an attempt is under way, a tick does not start another.
        p.on_tick(ms(3000));
        p.on_tick(ms(3300));
        assert!(p.on_tick(ms(9000)).is_empty());
    }

    #[test]
    fn every_order_of_a_loss_and_its_stragglers_forwards_every_notification() {
        // Three notifications and one disconnect event, in every order, 10 ms apart: every
        // notification is forwarded, and the loss is declared once, 300 ms after the last
        // of them, or of the event.
        let events = ["n", "n", "n", "d"];
        let mut orders = Vec::new();
        for i in 0..4 {
            let mut o = events.to_vec();
            let d = o.remove(3);
            o.insert(i, d);
            orders.push(o);
        }
        for order in orders {
            let mut p = LinkPolicy::new(ms(0));
            let mut forwarded = 0;
            let mut last = 0;
            for (k, e) in order.iter().enumerate() {
                let t = 1000 + 10 * k as u64;
                last = t;
                match *e {
                    "n" => forwarded += p.on_notification(ms(t)).len(),
                    _ => {
                        p.on_disconnect_event(ms(t), false);
                    }
                }
            }
            assert_eq!(forwarded, 3, "{order:?}");
            let lost = (last..last + 1000).find(|&t| p.on_tick(ms(t)).contains(&DeclareLost));
            assert_eq!(lost, Some(last + 300), "{order:?}");
        }
    }
}

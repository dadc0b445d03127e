//! One owner of the Bluetooth adapter for the whole process: one btleplug `Manager`, one
//! `Adapter`, and the adapter-wide scan shared by everyone who needs it.
//!
//! BlueZ's discovery is per adapter, not per strap: if each link started and stopped it on
//! its own, a second strap's link (a group run, later) that stops its scan would stop the
//! scan the first is reconnecting with. So a scan is wanted by *users* (a link, the `scan`
//! command), and [`ScanUsers`] turns that into the two calls BlueZ needs: start when the first
//! user wants it (and each time a user asks again: BlueZ may have restarted), stop only when
//! the last one lets go.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use btleplug::api::{Central as _, ScanFilter};
use btleplug::platform::Adapter;

use super::ble::{self, BleError, HEART_RATE_SERVICE};

/// Who wants the scan on. Pure: it says what to tell BlueZ.
#[derive(Debug, Default)]
pub struct ScanUsers {
    users: BTreeSet<u64>,
}

/// What BlueZ must be told after a change of users.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScanCall {
    /// Start discovery (or say it again).
    Start,
    /// The last user let go: stop discovery.
    Stop,
    /// Nothing changes for BlueZ.
    None,
}

impl ScanUsers {
    /// `user` wants the scan on. Always started again: BlueZ answers "in progress" when it is
    /// on, and one that restarted (or was stopped by another program) must hear it again.
    pub fn want(&mut self, user: u64) -> ScanCall {
        self.users.insert(user);
        ScanCall::Start
    }

    /// `user` no longer needs it (or never did).
    pub fn release(&mut self, user: u64) -> ScanCall {
        if self.users.remove(&user) && self.users.is_empty() {
            ScanCall::Stop
        } else {
            ScanCall::None
        }
    }
}

/// The adapter, shared: clone it for every strap's link and every scan.
#[derive(Clone)]
pub struct Radio {
    adapter: Adapter,
    scans: Arc<Mutex<ScanUsers>>,
    next_user: Arc<Mutex<u64>>,
}

impl Radio {
    /// Opens the first adapter, powered ([`ble::adapter`]): once per process.
    ///
    /// # Errors
    /// [`BleError`] when there is no bus, no BlueZ, no adapter, or the adapter is off.
    pub async fn open() -> Result<Radio, BleError> {
        Ok(Radio {
            adapter: ble::adapter().await?,
            scans: Arc::default(),
            next_user: Arc::default(),
        })
    }

    /// The adapter itself, for what is not a scan (peripherals, events).
    pub fn adapter(&self) -> &Adapter {
        &self.adapter
    }

    /// A new user id for [`Radio::want_scan`] and [`Radio::release_scan`].
    pub fn user(&self) -> u64 {
        let mut next = self
            .next_user
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        *next += 1;
        *next
    }

    /// `user` needs the scan on: it is started (again). `limit` bounds the call.
    pub async fn want_scan(&self, user: u64, limit: Duration) -> Result<(), BleError> {
        let call = self
            .scans
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .want(user);
        if call == ScanCall::Start {
            let filter = ScanFilter {
                services: vec![HEART_RATE_SERVICE],
            };
            let started = match tokio::time::timeout(limit, self.adapter.start_scan(filter)).await {
                Err(_) => Err(BleError::TimedOut(ble::Step::Scan)),
                Ok(r) => r.map_err(|e| BleError::during(ble::Step::Scan, e)),
            };
            if started.is_err() {
                // Not on: the next user must try again.
                let _ = self
                    .scans
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .release(user);
            }
            started?;
        }
        Ok(())
    }

    /// `user` is done with the scan; the last one stops it. A failure is ignored: the scan
    /// stops with the program anyway.
    pub async fn release_scan(&self, user: u64, limit: Duration) {
        let call = self
            .scans
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .release(user);
        if call == ScanCall::Stop {
            let _ = tokio::time::timeout(limit, self.adapter.stop_scan()).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_user_starts_the_scan_and_the_last_stops_it() {
        let mut s = ScanUsers::default();
        assert_eq!(s.want(1), ScanCall::Start);
        assert_eq!(
            s.want(1),
            ScanCall::Start,
            "a link asking again after BlueZ restarted"
        );
        assert_eq!(s.want(2), ScanCall::Start, "a second strap's link");
        assert_eq!(s.release(1), ScanCall::None, "strap 2 still reconnecting");
        assert_eq!(s.release(1), ScanCall::None, "released twice");
        assert_eq!(s.release(3), ScanCall::None, "never wanted it");
        assert_eq!(s.release(2), ScanCall::Stop);
        assert_eq!(s.want(2), ScanCall::Start, "and again");
    }
}
